/*
 * cmd_review.c — `p20w review`: the clerical review queue of linkage.
 *
 * Pairs in the review band of the latest `p20w link` (posterior 1/10 to
 * 1/2, not linked) wait here. A reviewer accepts or rejects a pair; the
 * decision persists and overrides the model in every later run.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "link/link.h"
#include "store/store.h"
#include "util/date.h"

static const char usage_text[] =
    "usage: p20w review DB list [--status pending|accepted|rejected]\n"
    "                           [--limit N]\n"
    "       p20w review DB show ID\n"
    "       p20w review DB accept ID [--note TEXT]\n"
    "       p20w review DB reject ID [--note TEXT]\n"
    "\n"
    "The clerical review queue of record linkage: pairs of records the\n"
    "model could not decide (a match is possible but less likely than not).\n"
    "'show' prints the pair's comparison, field by field; 'accept' links\n"
    "the pair and 'reject' keeps it apart in every later 'p20w link' run,\n"
    "whatever the model says. Decisions take effect at the next run.\n";

static long long parse_id(const char *s)
{
    char *end = NULL;
    long long id = strtoll(s, &end, 10);
    return end != s && *end == '\0' && id > 0 ? id : -1;
}

static p20w_status list(store *st, const char *status, long limit,
                        p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        st,
        "SELECT review_id, source_a, key_a, source_b, key_b, weight, status, "
        "coalesce(decided_by, ''), coalesce(note, '') FROM link_review WHERE "
        "status = ? ORDER BY weight DESC, review_id LIMIT ?",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, status, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, limit, err);
    int n = 0;
    if (rc == P20W_OK)
        printf("%-7s %8s  %-9s %s\n", "id", "weight", "status", "pair");
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        printf("%-7" PRId64 " %8.2f  %-9s %s:%s ~ %s:%s",
               store_column_int64(q, 0), store_column_double(q, 5),
               store_column_text(q, 6), store_column_text(q, 1),
               store_column_text(q, 2), store_column_text(q, 3),
               store_column_text(q, 4));
        if (store_column_text(q, 7)[0] != '\0')
            printf("  (by %s%s%s)", store_column_text(q, 7),
                   store_column_text(q, 8)[0] ? ": " : "",
                   store_column_text(q, 8));
        putchar('\n');
        n++;
    }
    store_finalize(q);
    if (rc == P20W_OK && n == 0)
        printf("(no %s pairs)\n", status);
    return rc;
}

/* The pair of a review id as "source:key" strings. */
static p20w_status pair_of(store *st, long long id, char *a, char *b,
                           size_t cap, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(st,
                                   "SELECT source_a, key_a, source_b, key_b "
                                   "FROM link_review WHERE review_id = ?",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no review pair %lld", id);
    if (rc == P20W_OK) {
        snprintf(a, cap, "%s:%s", store_column_text(q, 0),
                 store_column_text(q, 1));
        snprintf(b, cap, "%s:%s", store_column_text(q, 2),
                 store_column_text(q, 3));
    }
    store_finalize(q);
    return rc;
}

static p20w_status decide(store *st, long long id, const char *status,
                          const char *note, p20w_err *err)
{
    char ts[32];
    date_now_iso(ts);
    const char *who = getenv("USER");
    store_stmt *q = NULL;
    int row;
    p20w_status rc = store_prepare(
        st,
        "UPDATE link_review SET status = ?, decided_by = ?, decided_at = ?, "
        "note = ? WHERE review_id = ?",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, status, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, who && who[0] ? who : "unknown", (size_t)-1,
                             err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 3, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 4, note, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 5, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    if (rc == P20W_OK && store_changes(st) == 0)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no review pair %lld", id);
    if (rc == P20W_OK)
        printf("review pair %lld %s; it takes effect at the next 'p20w "
               "link'\n",
               id, status);
    return rc;
}

int cmd_review(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    static const struct option longopts[] = {
        {"status", required_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'l'},
        {"note", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0}};
    const char *status = "pending", *note = NULL;
    long limit = 50;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        if (opt == 's') {
            status = optarg;
        } else if (opt == 'n') {
            note = optarg;
        } else if (opt == 'l') {
            limit = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || limit < 1)
                return cli_usage_error("review", "--limit takes a positive "
                                                 "number");
        } else {
            return cli_usage_error("review", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    int rest = argc - optind;
    if (rest < 2)
        return cli_usage_error("review", "expected DB and an action");
    const char *db = argv[optind], *action = argv[optind + 1];
    if (strcmp(status, "pending") != 0 && strcmp(status, "accepted") != 0 &&
        strcmp(status, "rejected") != 0)
        return cli_usage_error("review",
                               "--status is pending, accepted or rejected");
    long long id = -1;
    if (strcmp(action, "list") == 0) {
        if (rest != 2)
            return cli_usage_error("review", "list takes no argument");
    } else if (strcmp(action, "show") == 0 || strcmp(action, "accept") == 0 ||
               strcmp(action, "reject") == 0) {
        if (rest != 3 || (id = parse_id(argv[optind + 2])) < 0)
            return cli_usage_error("review", "%s takes a review id", action);
    } else {
        return cli_usage_error("review", "unknown action '%s'", action);
    }
    p20w_err err = {0};
    store *st = NULL;
    int ro = strcmp(action, "list") == 0 || strcmp(action, "show") == 0;
    p20w_status rc =
        store_open(db, ro ? STORE_OPEN_READONLY : 0, &st, NULL, &err);
    if (rc == P20W_OK) {
        if (strcmp(action, "list") == 0) {
            rc = list(st, status, limit, &err);
        } else if (strcmp(action, "show") == 0) {
            char a[256], b[256];
            rc = pair_of(st, id, a, b, sizeof a, &err);
            if (rc == P20W_OK)
                rc = link_explain(st, cli_data_dir(), a, b, stdout, &err);
        } else {
            rc = decide(st, id,
                        strcmp(action, "accept") == 0 ? "accepted" : "rejected",
                        note, &err);
        }
    }
    store_close(st);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}
