/*
 * cmd_assess.c — `p20w assess`: the data-ecosystem self-assessment from
 * the shell (docs/assess.md): start an assessment, rate sub-elements with
 * evidence, write the action plan, see the auto-evidence, compare two
 * assessments, export and import.
 *
 * The operator of the command line is whoever can write the database
 * file, as for the other governed commands (cli_access.c): they may open
 * and change every assessment. --as NAME records an account as the owner
 * of a new or imported assessment and puts it on the assessment's team,
 * so that it can open the assessment on the web.
 *
 * The rubric is loaded and checked before anything else: a broken rubric
 * file stops every sub-command with the place of the problem.
 */
#include <inttypes.h>
#include <libintl.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assess/assess.h"
#include "cli/cli.h"
#include "util/mem.h"
#include "util/sbuf.h"

#ifndef P20W_LOCALEDIR
#define P20W_LOCALEDIR "build/locale"
#endif
/* The words around the rubric (labels, the evidence's facts and reasons)
 * come from the gettext catalog the web pages use (po/es.po). */
#define _(s) dgettext("p20w", s)

static const char usage_text[] =
    "usage: p20w assess DB list [--format text|json|csv]\n"
    "       p20w assess DB new --title TEXT [--as NAME]\n"
    "       p20w assess DB show ID [--format text|html|json] [--lang en|es]\n"
    "       p20w assess DB rate ID EL=R [EL=R ...] [--evidence EL TEXT]...\n"
    "       p20w assess DB plan ID FILE\n"
    "       p20w assess DB complete ID | reopen ID | delete ID\n"
    "       p20w assess DB title ID TEXT\n"
    "       p20w assess DB member ID add|remove NAME\n"
    "       p20w assess DB compare ID1 ID2 [--format text|html|csv|json]\n"
    "       p20w assess DB export ID [--format json|csv|plan-csv|html]\n"
    "                                [--lang en|es]\n"
    "       p20w assess DB import FILE [--as NAME]\n"
    "       p20w assess DB evidence [--format text|json|html] [--lang en|es]\n"
    "       p20w assess DB record-a11y FILE\n"
    "       p20w assess rubric [--lang en|es]\n"
    "       (every form also takes [--rubric FILE])\n"
    "\n"
    "A state team rates its career-readiness data ecosystem against the\n"
    "rubric (data/assess_rubric.json, or --rubric FILE): 6 core elements,\n"
    "21 sub-elements 1A to 6D, each rated 1 (undefined), 2 (building),\n"
    "3 (promising) or 4 (established), with its evidence; an overall\n"
    "rating per core element; and an action plan. 'p20w assess rubric'\n"
    "prints the rubric.\n"
    "\n"
    "rate: EL is a sub-element (1A) or a core element (1..6, its overall\n"
    "rating); R is 1 to 4, or 'none' to clear it. --evidence sets the\n"
    "evidence of a sub-element (give EL=R for it or not). All changes of\n"
    "one command are saved together or not at all.\n"
    "plan: FILE (or - for standard input) is JSON: {\"vision\": \"...\",\n"
    "\"resources\": {\"funding\": \"...\", \"staffing\": ..., "
    "\"partnerships\",\n"
    "\"technology\", \"other\"}, \"goals\": [{\"element\": \"3A\", "
    "\"specific\",\n"
    "\"measurable\", \"attainable\", \"relevant\", \"time_bound\", "
    "\"owner\",\n"
    "\"due_date\": \"YYYY-MM-DD\", \"activities\": [{\"activity\", "
    "\"owner\",\n"
    "\"due_date\", \"success_metric\", \"lever\": "
    "\"policy|technology|people|\n"
    "processes\"}]}]}. It replaces the whole plan.\n"
    "complete: every sub-element must be rated. reopen: back to draft.\n"
    "evidence: what p20w measures itself (1B, 2D, 3A, 4A, 4C, 4D, 5A) and\n"
    "the rating it suggests; the team may choose another. The audit chain\n"
    "is verified when the key file (DB.key) is there.\n"
    "export: json is what import reads back; csv the ratings; plan-csv\n"
    "the plan; html a printable page (heat map, strengths, plan).\n"
    "record-a11y: stores the result of an accessibility check of the\n"
    "pages, JSON {\"tool\", \"pages\", \"violations\", \"languages\"}, for "
    "5A.\n"
    "\n"
    "exit codes: 0 ok, 1 bad input (unknown element, rating out of range,\n"
    "no such assessment, malformed file), 2 usage, 3 internal error\n";

#define CMD "assess"

typedef struct opts {
    const char *db, *rubric, *format, *as, *title, *lang;
    assess_lang l;
    char **pos; /* positional words after the sub-command */
    int npos;
    const char **ev_el, **ev_text; /* --evidence pairs */
    int nev;
} opts;

static void os_login(char *out, size_t cap)
{
    struct passwd *pw = getpwuid(geteuid());
    const char *n = pw != NULL ? pw->pw_name : getenv("USER");
    snprintf(out, cap, "os:%s", n != NULL && n[0] ? n : "unknown");
}

static p20w_status read_all(const char *path, size_t max, char **out,
                            size_t *len, p20w_err *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        p20w_err_set(err, P20W_EIO, "cannot open the file");
        p20w_err_at(err, path, 0, 0);
        return P20W_EIO;
    }
    char *buf = p20w_malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (buf == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (bad || n > max) {
        p20w_free(buf);
        p20w_err_set(err, bad ? P20W_EIO : P20W_ELIMIT,
                     bad ? "cannot read the file"
                         : "the file is larger than %zu bytes",
                     max);
        p20w_err_at(err, path, 0, 0);
        return err->code;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return P20W_OK;
}

/* An id on the command line: a positive integer. */
static int parse_id(const char *s, int64_t *id)
{
    char *end = NULL;
    long long v = s != NULL ? strtoll(s, &end, 10) : 0;
    if (s == NULL || end == s || *end != '\0' || v <= 0)
        return 0;
    *id = v;
    return 1;
}

/* The active account `name`: its user id. */
static p20w_status find_user(store *st, const char *name, int64_t *uid,
                             p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(
        st, "SELECT user_id, status FROM users WHERE name = ?", &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no account %.64s", name);
    if (rc == P20W_OK && strcmp(store_column_text(q, 1), "active") != 0)
        rc = p20w_err_set(err, P20W_EINVAL, "account %.64s is disabled", name);
    if (rc == P20W_OK)
        *uid = store_column_int64(q, 0);
    store_finalize(q);
    return rc;
}

static int emit(sbuf *b, p20w_status rc, p20w_err *err)
{
    if (rc == P20W_ENOMEM)
        p20w_err_set(err, rc, "out of memory");
    if (rc == P20W_OK)
        fwrite(sbuf_cstr(b), 1, b->len, stdout);
    sbuf_free(b);
    return rc == P20W_OK ? 0 : cli_fail(err);
}

/* ---- sub-commands ---------------------------------------------------------
 */

static int do_rubric(const assess_rubric *r, assess_lang l)
{
    printf("rubric version %s\n\nratings:\n", assess_rubric_version(r));
    for (int v = 1; v <= 4; v++)
        printf("  %d %s: %s\n", v, assess_rubric_rating_name(r, v, l),
               assess_rubric_rating_meaning(r, v, l));
    for (int c = 1; c <= ASSESS_NCORE; c++) {
        printf("\n%d  %s\n", c, assess_rubric_core_title(r, c, l));
        size_t first = assess_core_first(c), n = assess_core_count(c);
        for (size_t k = first; k < first + n; k++) {
            printf("   %s  %s\n", assess_sub_id(k),
                   assess_rubric_sub_title(r, k, l));
            for (int lv = 1; lv <= 4; lv += 3) {
                size_t m;
                const char *const *c4 =
                    assess_rubric_sub_criteria(r, k, lv, l, &m);
                for (size_t i = 0; i < m; i++)
                    printf("       at %d: %s\n", lv, c4[i]);
            }
        }
    }
    return 0;
}

/* Writes s as a JSON string. */
static void json_string_out(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

/* Writes s as a CSV field (always quoted). */
static void csv_string_out(const char *s)
{
    putchar('"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            putchar('"');
        putchar(*p);
    }
    putchar('"');
}

static int do_list(store *st, const opts *o)
{
    assess_summary *v = NULL;
    size_t n = 0;
    p20w_err err = {0};
    if (assess_list(st, 0, &v, &n, &err) != P20W_OK)
        return cli_fail(&err);
    int json = strcmp(o->format, "json") == 0;
    int csv = strcmp(o->format, "csv") == 0;
    if (csv)
        printf("id,title,status,rated,owner,created_at,updated_at\n");
    else if (json)
        printf("[");
    else if (n == 0)
        printf("(no assessments)\n");
    else
        printf("%-4s %-8s %-5s %-20s %s\n", "id", "status", "rated", "updated",
               "title");
    for (size_t i = 0; i < n; i++) {
        const assess_summary *s = &v[i];
        if (csv) {
            printf("%" PRId64 ",", s->id);
            csv_string_out(s->title);
            printf(",%s,%d,", s->status, s->rated);
            csv_string_out(s->owner);
            printf(",%s,%s\n", s->created_at, s->updated_at);
        } else if (json) {
            printf("%s{\"id\": %" PRId64 ", \"status\": \"%s\", \"rated\": "
                   "%d, \"updated_at\": \"%s\", \"owner\": ",
                   i ? ", " : "", s->id, s->status, s->rated, s->updated_at);
            json_string_out(s->owner);
            printf(", \"title\": ");
            json_string_out(s->title);
            printf("}");
        } else {
            printf("%-4" PRId64 " %-8s %2d/%d %-20s %s\n", s->id, s->status,
                   s->rated, ASSESS_NSUB, s->updated_at, s->title);
        }
    }
    if (json)
        printf("]\n");
    p20w_free(v);
    return 0;
}

static int do_new(store *st, const assess_rubric *r, const opts *o, int64_t now)
{
    p20w_err err = {0};
    char owner[ASSESS_NAME_MAX + 1];
    int64_t id = 0, uid = 0;
    if (o->title == NULL)
        return cli_usage_error(CMD, "new needs --title TEXT");
    if (o->npos != 0)
        return cli_usage_error(CMD, "unexpected '%s'", o->pos[0]);
    os_login(owner, sizeof owner);
    p20w_status rc = P20W_OK;
    if (o->as != NULL) {
        rc = find_user(st, o->as, &uid, &err);
        snprintf(owner, sizeof owner, "%s", o->as);
    }
    if (rc == P20W_OK)
        rc = store_begin(st, &err);
    if (rc == P20W_OK)
        rc = assess_create(st, o->title, owner, assess_rubric_version(r), now,
                           &id, &err);
    if (rc == P20W_OK && uid > 0)
        rc = assess_member_add(st, id, uid, &err);
    if (rc == P20W_OK)
        rc = store_commit(st, &err);
    else
        store_rollback(st, NULL);
    if (rc != P20W_OK)
        return cli_fail(&err);
    printf("started assessment %" PRId64 "\n", id);
    return 0;
}

static int need_id(const opts *o, int npos, int64_t *id)
{
    if (o->npos < 1 || !parse_id(o->pos[0], id))
        return cli_usage_error(CMD, "expected an assessment ID (a number)");
    if (o->npos < npos)
        return cli_usage_error(CMD, "missing arguments");
    if (o->npos > npos)
        return cli_usage_error(CMD, "unexpected '%s'", o->pos[npos]);
    return 0;
}

/* Writes one assessment into b in the form o asks for. */
typedef p20w_status (*render_fn)(sbuf *b, const assess_rubric *r,
                                 const assessment *a, const opts *o);

/* Prints the assessment that the one argument names, rendered by fn. */
static int print_one(store *st, const assess_rubric *r, const opts *o,
                     render_fn fn)
{
    int64_t id;
    int u = need_id(o, 1, &id);
    if (u)
        return u;
    assessment *a = NULL;
    p20w_err err = {0};
    if (assess_get(st, id, &a, &err) != P20W_OK)
        return cli_fail(&err);
    sbuf b;
    sbuf_init(&b, 0);
    p20w_status rc = fn(&b, r, a, o);
    assess_free(a);
    return emit(&b, rc, &err);
}

static p20w_status render_show(sbuf *b, const assess_rubric *r,
                               const assessment *a, const opts *o)
{
    if (strcmp(o->format, "json") == 0)
        return assess_json(b, a);
    if (strcmp(o->format, "html") == 0) {
        p20w_status rc = assess_html_heatmap(b, r, a, o->l);
        if (rc == P20W_OK)
            rc = assess_html_strengths(b, r, a, o->l);
        return rc;
    }
    return assess_text(b, r, a, o->l);
}

/* "1A=3", "2=none": element and rating. */
static int parse_pair(const char *s, char *el, size_t cap, int *rating)
{
    const char *eq = strchr(s, '=');
    if (eq == NULL || (size_t)(eq - s) >= cap || eq == s)
        return 0;
    memcpy(el, s, (size_t)(eq - s));
    el[eq - s] = '\0';
    const char *v = eq + 1;
    if (strcmp(v, "none") == 0) {
        *rating = 0;
        return 1;
    }
    if (strlen(v) == 1 && v[0] >= '0' && v[0] <= '9') {
        *rating = v[0] - '0';
        return 1;
    }
    *rating = 99; /* refused with the element named, by assess */
    return 1;
}

static int do_rate(store *st, const opts *o, int64_t now)
{
    int64_t id;
    if (o->npos < 1 || !parse_id(o->pos[0], &id))
        return cli_usage_error(CMD, "expected an assessment ID (a number)");
    if (o->npos < 2 && o->nev == 0)
        return cli_usage_error(CMD, "rate needs EL=R or --evidence EL TEXT");
    size_t n = (size_t)(o->npos - 1 + o->nev);
    assess_entry *e = p20w_calloc(n, sizeof *e);
    char(*els)[8] = p20w_calloc(n, sizeof *els);
    p20w_err err = {0};
    int rc_exit = 0;
    if (e == NULL || els == NULL) {
        p20w_free(e);
        p20w_free(els);
        p20w_err_set(&err, P20W_ENOMEM, "out of memory");
        return cli_fail(&err);
    }
    size_t k = 0;
    for (int i = 1; i < o->npos && rc_exit == 0; i++, k++) {
        if (!parse_pair(o->pos[i], els[k], sizeof els[k], &e[k].rating))
            rc_exit =
                cli_usage_error(CMD, "'%s' is not EL=R (e.g. 1A=3)", o->pos[i]);
        e[k].element = els[k];
    }
    for (int i = 0; i < o->nev && rc_exit == 0; i++, k++) {
        e[k].element = o->ev_el[i];
        e[k].rating = ASSESS_KEEP;
        e[k].evidence = o->ev_text[i];
    }
    if (rc_exit == 0 && assess_save_ratings(st, id, e, n, now, &err) != P20W_OK)
        rc_exit = cli_fail(&err);
    if (rc_exit == 0)
        printf("saved %zu change%s to assessment %" PRId64 "\n", n,
               n == 1 ? "" : "s", id);
    p20w_free(e);
    p20w_free(els);
    return rc_exit;
}

static int do_plan(store *st, const opts *o, int64_t now)
{
    int64_t id;
    int u = need_id(o, 2, &id);
    if (u)
        return u;
    char *text = NULL;
    size_t len = 0;
    p20w_err err = {0};
    p20w_status rc = read_all(o->pos[1], ASSESS_IMPORT_MAX, &text, &len, &err);
    if (rc == P20W_OK)
        rc = assess_save_plan_json(st, id, text, len, now, &err);
    if (rc == P20W_EFORMAT || (rc == P20W_EINVAL && err.file[0] == '\0'))
        p20w_err_at(&err, o->pos[1], err.line, err.col);
    p20w_free(text);
    if (rc != P20W_OK)
        return cli_fail(&err);
    printf("saved the plan of assessment %" PRId64 "\n", id);
    return 0;
}

static int do_status(store *st, const opts *o, int complete, int64_t now)
{
    int64_t id;
    int u = need_id(o, 1, &id);
    if (u)
        return u;
    p20w_err err = {0};
    if (assess_set_status(st, id, complete, now, &err) != P20W_OK)
        return cli_fail(&err);
    printf("assessment %" PRId64 " is %s\n", id,
           complete ? "complete" : "a draft again");
    return 0;
}

static int do_title(store *st, const opts *o, int64_t now)
{
    int64_t id;
    int u = need_id(o, 2, &id);
    if (u)
        return u;
    p20w_err err = {0};
    if (assess_set_title(st, id, o->pos[1], now, &err) != P20W_OK)
        return cli_fail(&err);
    printf("renamed assessment %" PRId64 "\n", id);
    return 0;
}

static int do_delete(store *st, const opts *o)
{
    int64_t id;
    int u = need_id(o, 1, &id);
    if (u)
        return u;
    p20w_err err = {0};
    if (assess_delete(st, id, &err) != P20W_OK)
        return cli_fail(&err);
    printf("deleted assessment %" PRId64 "\n", id);
    return 0;
}

static int do_member(store *st, const opts *o)
{
    int64_t id, uid = 0;
    int u = need_id(o, 3, &id);
    if (u)
        return u;
    int add = strcmp(o->pos[1], "add") == 0;
    if (!add && strcmp(o->pos[1], "remove") != 0)
        return cli_usage_error(CMD, "member ID add|remove NAME");
    p20w_err err = {0};
    p20w_status rc = find_user(st, o->pos[2], &uid, &err);
    if (rc == P20W_OK)
        rc = add ? assess_member_add(st, id, uid, &err)
                 : assess_member_remove(st, id, uid, &err);
    if (rc != P20W_OK)
        return cli_fail(&err);
    printf("%s %s %s the team of assessment %" PRId64 "\n",
           add ? "added" : "removed", o->pos[2], add ? "to" : "from", id);
    return 0;
}

static int do_compare(store *st, const assess_rubric *r, const opts *o)
{
    int64_t a_id, b_id;
    if (o->npos != 2 || !parse_id(o->pos[0], &a_id) ||
        !parse_id(o->pos[1], &b_id))
        return cli_usage_error(CMD, "compare needs two assessment IDs");
    assessment *a = NULL, *b2 = NULL;
    p20w_err err = {0};
    p20w_status rc = assess_get(st, a_id, &a, &err);
    if (rc == P20W_OK)
        rc = assess_get(st, b_id, &b2, &err);
    sbuf b;
    sbuf_init(&b, 0);
    if (rc == P20W_OK) {
        if (strcmp(o->format, "json") == 0) {
            rc = assess_json_compare(&b, a, b2);
        } else if (strcmp(o->format, "csv") == 0) {
            rc = assess_csv_compare(&b, a, b2);
        } else if (strcmp(o->format, "html") == 0) {
            rc = assess_html_compare(&b, r, a, b2, o->l);
        } else {
            assess_diff d;
            assess_compare(a, b2, &d);
            rc = sbuf_printf(&b,
                             "%s -> %s: %d up, %d down, %d same, %d not "
                             "comparable\n",
                             a->title, b2->title, d.up, d.down, d.same,
                             d.unrated);
            for (size_t k = 0; rc == P20W_OK && k < ASSESS_NSUB; k++)
                if (d.before[k] && d.after[k] && d.before[k] != d.after[k])
                    rc = sbuf_printf(&b, "  %s  %d -> %d  %s\n",
                                     assess_sub_id(k), d.before[k], d.after[k],
                                     assess_rubric_sub_title(r, k, o->l));
        }
    }
    assess_free(a);
    assess_free(b2);
    return emit(&b, rc, &err);
}

/* A complete printable page: the CLI's file is not under the server's
 * CSP, so the style sheet goes inline. */
static p20w_status page(sbuf *b, const assess_rubric *r, const assessment *a,
                        assess_lang l)
{
    p20w_status rc = sbuf_printf(b,
                                 "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>"
                                 "<meta charset=\"utf-8\"><title>",
                                 assess_lang_code(l));
    if (rc == P20W_OK)
        rc = assess_html_escape(b, a->title);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
                         "<main>\n<h1>",
                         assess_css());
    if (rc == P20W_OK)
        rc = assess_html_escape(b, a->title);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</h1>\n");
    if (rc == P20W_OK)
        rc = assess_html_heatmap(b, r, a, l);
    if (rc == P20W_OK)
        rc = assess_html_strengths(b, r, a, l);
    if (rc == P20W_OK)
        rc = assess_html_plan(b, r, a, l);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</main>\n</body>\n</html>\n");
    return rc;
}

static p20w_status render_export(sbuf *b, const assess_rubric *r,
                                 const assessment *a, const opts *o)
{
    if (strcmp(o->format, "csv") == 0)
        return assess_csv_ratings(b, r, a, o->l);
    if (strcmp(o->format, "plan-csv") == 0)
        return assess_csv_plan(b, a);
    if (strcmp(o->format, "html") == 0)
        return page(b, r, a, o->l);
    return assess_json(b, a);
}

static int do_import(store *st, const opts *o, int64_t now)
{
    if (o->npos != 1)
        return cli_usage_error(CMD, "import needs one FILE (or -)");
    char owner[ASSESS_NAME_MAX + 1], *text = NULL;
    size_t len = 0;
    int64_t id = 0, uid = 0;
    p20w_err err = {0};
    os_login(owner, sizeof owner);
    p20w_status rc = P20W_OK;
    if (o->as != NULL) {
        rc = find_user(st, o->as, &uid, &err);
        snprintf(owner, sizeof owner, "%s", o->as);
    }
    if (rc == P20W_OK)
        rc = read_all(o->pos[0], ASSESS_IMPORT_MAX, &text, &len, &err);
    if (rc == P20W_OK)
        rc = store_begin(st, &err);
    if (rc == P20W_OK) {
        rc = assess_import_json(st, text, len, owner, now, &id, &err);
        if (rc == P20W_OK && uid > 0)
            rc = assess_member_add(st, id, uid, &err);
        if (rc == P20W_OK)
            rc = store_commit(st, &err);
        else
            store_rollback(st, NULL);
    }
    if (rc == P20W_EFORMAT || rc == P20W_EINVAL)
        p20w_err_at(&err, o->pos[0], err.line, err.col);
    p20w_free(text);
    if (rc != P20W_OK)
        return cli_fail(&err);
    printf("imported assessment %" PRId64 "\n", id);
    return 0;
}

static int do_record(store *st, const opts *o, int64_t now)
{
    if (o->npos != 1)
        return cli_usage_error(CMD, "record-a11y needs one FILE (or -)");
    char *text = NULL;
    size_t len = 0;
    p20w_err err = {0};
    p20w_status rc = read_all(o->pos[0], 65536, &text, &len, &err);
    if (rc == P20W_OK)
        rc = assess_record_a11y(st, text, len, now, &err);
    if (rc == P20W_EFORMAT || rc == P20W_EINVAL)
        p20w_err_at(&err, o->pos[0], err.line, err.col);
    p20w_free(text);
    if (rc != P20W_OK)
        return cli_fail(&err);
    printf("recorded the accessibility check\n");
    return 0;
}

static void print_evidence(const assess_rubric *r, const assess_evidence *ev,
                           size_t n, assess_lang l)
{
    for (size_t i = 0; i < n; i++) {
        const assess_evidence *e = &ev[i];
        printf("%s  %s\n", assess_sub_id(e->sub),
               assess_rubric_sub_title(r, e->sub, l));
        for (size_t j = 0; j < e->nfacts; j++)
            printf("    %s: %s\n", _(e->facts[j].label),
                   e->facts[j].measured ? e->facts[j].value
                                        : _("not measured"));
        if (e->measured)
            printf("    %s %d %s\n", _("Suggested rating:"), e->suggested,
                   assess_rubric_rating_name(r, e->suggested, l));
        else
            printf("    %s %s\n", _("Suggested rating:"), _("not measured"));
        printf("    %s %s\n\n", _("Why:"), e->why ? _(e->why) : "");
    }
}

/* --lang es: this thread's messages in Spanish (LC_MESSAGES only, so
 * numbers keep their '.'), from P20W_LOCALE_DIR or the build's catalog.
 * Without the locale (scripts/bootstrap generates es_ES.UTF-8) the words
 * stay English and the rubric's own text is still Spanish. Returns the
 * locale to free, or 0. */
static locale_t use_spanish(locale_t *prev)
{
    static const char *const names[] = {"es_ES.UTF-8", "es_ES.utf8",
                                        "es_MX.UTF-8", "es_US.UTF-8"};
    const char *dir = getenv("P20W_LOCALE_DIR");
    if (bindtextdomain("p20w", dir ? dir : P20W_LOCALEDIR) == NULL ||
        bind_textdomain_codeset("p20w", "UTF-8") == NULL)
        return (locale_t)0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        locale_t base = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        if (base == (locale_t)0)
            return (locale_t)0;
        locale_t es = newlocale(LC_MESSAGES_MASK, names[i], base);
        if (es != (locale_t)0) {
            *prev = uselocale(es);
            return es;
        }
        freelocale(base);
    }
    return (locale_t)0;
}

static int do_evidence(const assess_rubric *r, const opts *o, int64_t now)
{
    if (o->npos != 0)
        return cli_usage_error(CMD, "unexpected '%s'", o->pos[0]);
    assess_evidence_input in = {0};
    p20w_err err = {0};
    store *st = NULL;
    p20w_status rc = store_open(o->db, STORE_OPEN_READONLY, &st, NULL, &err);
    if (rc != P20W_OK)
        return cli_fail(&err);
    /* With the key file the audit chain can be verified; without it the
     * chain is "not measured", never guessed. */
    cli_access ca;
    p20w_err aerr = {0};
    if (cli_access_open(o->db, 0, 0, NULL, &ca, &aerr) == P20W_OK) {
        access_audit_verdict v;
        if (access_audit_verify(ca.ax, 0, NULL, &v, &aerr) == P20W_OK) {
            in.audit_checked = 1;
            in.audit_ok = v.ok;
            in.audit_records = v.records;
        }
        cli_access_close(&ca);
    }
    assess_evidence ev[ASSESS_NEVIDENCE];
    if (rc == P20W_OK)
        rc = assess_evidence_collect(st, &in, now, ev, &err);
    sbuf b;
    sbuf_init(&b, 0);
    if (rc == P20W_OK && strcmp(o->format, "json") == 0)
        rc = assess_json_evidence(&b, ev, ASSESS_NEVIDENCE);
    else if (rc == P20W_OK && strcmp(o->format, "html") == 0)
        rc = assess_html_evidence(&b, r, ev, ASSESS_NEVIDENCE, o->l);
    else if (rc == P20W_OK)
        print_evidence(r, ev, ASSESS_NEVIDENCE, o->l);
    store_close(st);
    return emit(&b, rc, &err);
}

/* ---- dispatch
 * ---------------------------------------------------------------- */

static int parse_opts(int argc, char **argv, opts *o, int *first)
{
    o->format = "text";
    o->lang = "en";
    for (int i = *first; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--rubric") == 0 && more) {
            o->rubric = argv[++i];
        } else if (strcmp(a, "--format") == 0 && more) {
            o->format = argv[++i];
        } else if (strcmp(a, "--as") == 0 && more) {
            o->as = argv[++i];
        } else if (strcmp(a, "--title") == 0 && more) {
            o->title = argv[++i];
        } else if (strcmp(a, "--lang") == 0 && more) {
            o->lang = argv[++i];
        } else if (strcmp(a, "--evidence") == 0 && i + 2 < argc) {
            o->ev_el[o->nev] = argv[++i];
            o->ev_text[o->nev++] = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error(CMD, "unknown or incomplete option '%s'", a);
        } else {
            o->pos[o->npos++] = argv[i];
        }
    }
    int l = assess_lang_parse(o->lang);
    if (l < 0)
        return cli_usage_error(CMD, "--lang is en or es");
    o->l = (assess_lang)l;
    return 0;
}

static int check_format(const char *sub, const char *format)
{
    static const struct {
        const char *sub, *formats;
    } ok[] = {{"list", "|text|json|csv|"},
              {"show", "|text|html|json|"},
              {"compare", "|text|html|csv|json|"},
              {"export", "|text|json|csv|plan-csv|html|"},
              {"evidence", "|text|json|html|"}};
    char f[40];
    snprintf(f, sizeof f, "|%.30s|", format);
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(ok[i].sub, sub) == 0)
            return strstr(ok[i].formats, f) != NULL;
    return strcmp(format, "text") == 0;
}

static int run(const char *sub, const assess_rubric *r, const opts *o)
{
    int64_t now = (int64_t)time(NULL);
    if (strcmp(sub, "evidence") == 0)
        return do_evidence(r, o, now);
    store *st = NULL;
    p20w_err err = {0};
    int ro = strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ||
             strcmp(sub, "compare") == 0 || strcmp(sub, "export") == 0;
    if (store_open(o->db, ro ? STORE_OPEN_READONLY : 0, &st, NULL, &err) !=
        P20W_OK)
        return cli_fail(&err);
    int rc;
    if (strcmp(sub, "list") == 0)
        rc = o->npos ? cli_usage_error(CMD, "unexpected '%s'", o->pos[0])
                     : do_list(st, o);
    else if (strcmp(sub, "new") == 0)
        rc = do_new(st, r, o, now);
    else if (strcmp(sub, "show") == 0)
        rc = print_one(st, r, o, render_show);
    else if (strcmp(sub, "rate") == 0)
        rc = do_rate(st, o, now);
    else if (strcmp(sub, "plan") == 0)
        rc = do_plan(st, o, now);
    else if (strcmp(sub, "complete") == 0 || strcmp(sub, "reopen") == 0)
        rc = do_status(st, o, strcmp(sub, "complete") == 0, now);
    else if (strcmp(sub, "title") == 0)
        rc = do_title(st, o, now);
    else if (strcmp(sub, "delete") == 0)
        rc = do_delete(st, o);
    else if (strcmp(sub, "member") == 0)
        rc = do_member(st, o);
    else if (strcmp(sub, "compare") == 0)
        rc = do_compare(st, r, o);
    else if (strcmp(sub, "export") == 0)
        rc = print_one(st, r, o, render_export);
    else if (strcmp(sub, "import") == 0)
        rc = do_import(st, o, now);
    else if (strcmp(sub, "record-a11y") == 0)
        rc = do_record(st, o, now);
    else
        rc = cli_usage_error(CMD, "unknown sub-command '%s'", sub);
    store_close(st);
    return rc;
}

int cmd_assess(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    opts o;
    memset(&o, 0, sizeof o);
    o.pos = p20w_calloc((size_t)argc + 1, sizeof *o.pos);
    o.ev_el = p20w_calloc((size_t)argc + 1, sizeof *o.ev_el);
    o.ev_text = p20w_calloc((size_t)argc + 1, sizeof *o.ev_text);
    int rc = 0, first = 1;
    const char *sub = NULL;
    assess_rubric *r = NULL;
    p20w_err err = {0};
    char path[4096];
    locale_t es = (locale_t)0, prev = (locale_t)0;
    if (o.pos == NULL || o.ev_el == NULL || o.ev_text == NULL) {
        p20w_err_set(&err, P20W_ENOMEM, "out of memory");
        rc = cli_fail(&err);
        goto out;
    }
    rc = parse_opts(argc, argv, &o, &first);
    if (rc != 0)
        goto out;
    if (o.l == ASSESS_ES)
        es = use_spanish(&prev);
    /* "rubric" needs no DB; every other form is DB SUB ... */
    if (o.npos >= 1 && strcmp(o.pos[0], "rubric") == 0) {
        sub = "rubric";
    } else if (o.npos >= 2) {
        o.db = o.pos[0];
        sub = o.pos[1];
    } else {
        rc = cli_usage_error(CMD, o.npos ? "missing sub-command"
                                         : "missing DB and sub-command");
        goto out;
    }
    if (!check_format(sub, o.format)) {
        rc = cli_usage_error(CMD, "%s does not write --format %s", sub,
                             o.format);
        goto out;
    }
    if (o.nev > 0 && strcmp(sub, "rate") != 0) {
        rc = cli_usage_error(CMD, "--evidence belongs to rate");
        goto out;
    }
    if (o.rubric == NULL)
        snprintf(path, sizeof path, "%s/assess_rubric.json", cli_data_dir());
    else
        snprintf(path, sizeof path, "%s", o.rubric);
    if (assess_rubric_load(path, &r, &err) != P20W_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    if (strcmp(sub, "rubric") == 0) {
        rc = o.npos > 1 ? cli_usage_error(CMD, "unexpected '%s'", o.pos[1])
                        : do_rubric(r, o.l);
        goto out;
    }
    /* Shift the DB and sub-command off the positional words. */
    o.pos += 2;
    o.npos -= 2;
    rc = run(sub, r, &o);
    o.pos -= 2;
out:
    if (es != (locale_t)0) {
        uselocale(prev);
        freelocale(es);
    }
    assess_rubric_free(r);
    p20w_free(o.pos);
    p20w_free(o.ev_el);
    p20w_free(o.ev_text);
    return rc;
}
