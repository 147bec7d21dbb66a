/*
 * test_assess.c — the self-assessment: the rubric file and its checks,
 * saving and resuming an assessment, the plan, comparison, the views and
 * exports (round trips), and the auto-evidence on a small built state.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "assess/assess.h"
#include "derive/derive.h"
#include "derive/profile.h"
#include "dict/codeset.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "measure/cube.h"
#include "measure/measure.h"
#include "publish/publish.h"
#include "store/store.h"
#include "synth/synth.h"
#include "util/csv.h"
#include "util/mem.h"

#define RUBRIC P20W_DATADIR "/assess_rubric.json"
#define NOW 1796000000 /* 2026-11-30 */

/* ---- helpers ----------------------------------------------------------------
 */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* text with the first `from` replaced by `to` (from must occur). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *p = strstr(text, from);
    if (p == NULL)
        fail_msg("'%s' not in the rubric", from);
    size_t a = (size_t)(p - text), fl = strlen(from), tl = strlen(to);
    char *out = malloc(strlen(text) - fl + tl + 1);
    memcpy(out, text, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, p + fl, strlen(p + fl) + 1);
    return out;
}

static int64_t q_int(store *st, const char *sql)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_err err = {0};
    if (store_prepare(st, sql, &q, &err) != P20W_OK)
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_true(row);
    int64_t n = store_column_int64(q, 0);
    store_finalize(q);
    return n;
}

static void exec(store *st, const char *sql)
{
    p20w_err err = {0};
    if (store_exec(st, sql, &err) != P20W_OK)
        fail_msg("%s: %s", sql, err.msg);
}

static assess_rubric *rubric(void)
{
    assess_rubric *r = NULL;
    p20w_err err = {0};
    if (assess_rubric_load(RUBRIC, &r, &err) != P20W_OK)
        fail_msg("%s", err.msg);
    return r;
}

typedef struct fx {
    char dir[64];
    char db[96];
    store *st;
    assess_rubric *r;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/p20w-assess-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    p20w_err err = {0};
    if (store_open(f->db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &f->st, NULL,
                   &err) != P20W_OK)
        return -1;
    if (assess_rubric_load(RUBRIC, &f->r, &err) != P20W_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->st);
    assess_rubric_free(f->r);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int64_t new_assessment(fx *f, const char *title)
{
    int64_t id = 0;
    p20w_err err = {0};
    assert_int_equal(
        assess_create(f->st, title, "os:tester", "1", NOW, &id, &err), P20W_OK);
    assert_true(id > 0);
    return id;
}

static void rate(fx *f, int64_t id, const char *el, int v, const char *ev)
{
    assess_entry e = {el, v, ev};
    p20w_err err = {0};
    if (assess_save_ratings(f->st, id, &e, 1, NOW, &err) != P20W_OK)
        fail_msg("%s: %s", el, err.msg);
}

/* Rates every sub-element k with (k + shift) % 4 + 1, with evidence. */
static void rate_all(fx *f, int64_t id, int shift)
{
    assess_entry e[ASSESS_NSUB];
    char evid[ASSESS_NSUB][32];
    for (size_t k = 0; k < ASSESS_NSUB; k++) {
        snprintf(evid[k], sizeof evid[k], "evidence of %s", assess_sub_id(k));
        e[k].element = assess_sub_id(k);
        e[k].rating = (int)((k + (size_t)shift) % 4) + 1;
        e[k].evidence = evid[k];
    }
    p20w_err err = {0};
    assert_int_equal(assess_save_ratings(f->st, id, e, ASSESS_NSUB, NOW, &err),
                     P20W_OK);
}

/* ---- the layout
 * --------------------------------------------------------------- */

static void test_layout(void **state)
{
    (void)state;
    size_t total = 0;
    for (int c = 1; c <= ASSESS_NCORE; c++) {
        size_t first = assess_core_first(c), n = assess_core_count(c);
        assert_int_equal(first, total);
        for (size_t k = first; k < first + n; k++) {
            assert_int_equal(assess_sub_core(k), c);
            assert_int_equal(assess_sub_id(k)[0], '0' + c);
            assert_int_equal(assess_sub_id(k)[1], 'A' + (int)(k - first));
            assert_int_equal(assess_sub_index(assess_sub_id(k)), (int)k);
        }
        total += n;
    }
    assert_int_equal(total, ASSESS_NSUB);
    assert_int_equal(assess_sub_index("2d"), 6);
    const char *bad[] = {"", "7A", "1D", "1", "1AA", "A1", NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(assess_sub_index(bad[i]), -1);
    assert_int_equal(assess_sub_index(NULL), -1);
    assert_int_equal(assess_lever_parse("people"), ASSESS_LEVER_PEOPLE);
    assert_int_equal(assess_lever_parse("luck"), -1);
    assert_int_equal(assess_resource_parse("other"), ASSESS_RES_OTHER);
    assert_int_equal(assess_lang_parse("es"), ASSESS_ES);
    assert_int_equal(assess_lang_parse("fr"), -1);
}

/* ---- the rubric
 * --------------------------------------------------------------- */

static void test_rubric_shipped(void **state)
{
    (void)state;
    assess_rubric *r = rubric();
    assert_string_equal(assess_rubric_version(r), "1");
    assert_string_equal(assess_rubric_rating_name(r, 1, ASSESS_EN),
                        "Undefined");
    assert_string_equal(assess_rubric_rating_name(r, 4, ASSESS_ES),
                        "Consolidado");
    assert_string_equal(assess_rubric_rating_name(r, 5, ASSESS_EN), "");
    for (size_t k = 0; k < ASSESS_NSUB; k++) {
        for (int l = 0; l < ASSESS_NLANG; l++) {
            assert_true(strlen(assess_rubric_sub_title(r, k, l)) > 10);
            for (int lv = 1; lv <= 4; lv += 3) {
                size_t n = 0;
                const char *const *c =
                    assess_rubric_sub_criteria(r, k, lv, l, &n);
                assert_true(n >= 2);
                assert_true(strlen(c[0]) > 10);
            }
        }
        /* English and Spanish list the same number of criteria. */
        size_t ne, ns;
        assess_rubric_sub_criteria(r, k, 4, ASSESS_EN, &ne);
        assess_rubric_sub_criteria(r, k, 4, ASSESS_ES, &ns);
        assert_int_equal(ne, ns);
        /* The two languages differ (nothing left untranslated). */
        assert_string_not_equal(assess_rubric_sub_title(r, k, ASSESS_EN),
                                assess_rubric_sub_title(r, k, ASSESS_ES));
    }
    for (int c = 1; c <= ASSESS_NCORE; c++)
        assert_true(strlen(assess_rubric_core_about(r, c, ASSESS_ES)) > 20);
    assert_string_equal(
        assess_rubric_lever_name(r, ASSESS_LEVER_PEOPLE, ASSESS_ES),
        "Personas");
    assert_string_equal(
        assess_rubric_resource_name(r, ASSESS_RES_FUNDING, ASSESS_EN),
        "Funding");
    size_t n = 9;
    assert_null(assess_rubric_sub_criteria(r, 0, 2, ASSESS_EN, &n));
    assert_int_equal(n, 0);
    assess_rubric_free(r);
    assess_rubric_free(NULL);
}

/* One row per malformed rubric: how the file is broken, the status, and
 * a piece of the message that must tell the user where. */
static const struct {
    const char *from, *to;
    p20w_status code;
    const char *msg;
} broken[] = {
    {"\"rubric\"", "\"rubric\" \"", P20W_EFORMAT, "not valid JSON"},
    {"\"version\": \"1\",", "\"version\": \"1\", \"version\": \"2\",",
     P20W_EFORMAT, "duplicate"},
    {"\"id\": \"1B\"", "\"id\": \"1X\"", P20W_EINVAL,
     "elements[0].subs[1].id: is \"1X\", expected \"1B\""},
    {"\"at_4\"", "\"at4\"", P20W_EINVAL, "elements[0].subs[0].at4: unknown"},
    {"\"es\": \"Los datos son fiables", "\"fr\": \"Los datos son fiables",
     P20W_EINVAL, "elements[0].subs[0].title.fr: unknown key"},
    {"\"languages\": [\n  \"en\",\n  \"es\"\n ]", "\"languages\": [\"en\"]",
     P20W_EINVAL, "languages: must have 2 entries"},
    {"\"rating\": 3", "\"rating\": 5", P20W_EINVAL,
     "ratings[2].rating: must be 3"},
    {"\"name\": {\n    \"en\": \"Undefined\"", "\"name\": {\n    \"en\": 7",
     P20W_EINVAL, "ratings[0].name.en: must be a string"},
    {"\"en\": \"Building\"", "\"en\": \"\"", P20W_EINVAL,
     "ratings[1].name.en: is empty"},
    {"\"id\": \"6\"", "\"id\": \"7\"", P20W_EINVAL,
     "elements[5].id: is \"7\", expected \"6\""},
    {"\"id\": \"people\"", "\"id\": \"persons\"", P20W_EINVAL,
     "levers[2].id: is \"persons\""},
    {"\"prompt\"", "\"question\"", P20W_EINVAL, "resources[0].question"},
    {"\"version\": \"1\"", "\"version\": 1", P20W_EINVAL,
     "version: must be a string"},
};

static void test_rubric_broken(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(RUBRIC, &len);
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        char *bad = replace(text, broken[i].from, broken[i].to);
        assess_rubric *r = (assess_rubric *)1;
        p20w_err err = {0};
        p20w_status rc =
            assess_rubric_parse(bad, strlen(bad), "x.json", &r, &err);
        if (rc != broken[i].code || strstr(err.msg, broken[i].msg) == NULL)
            fail_msg("row %zu: got %d '%s', want %d '%s'", i, rc, err.msg,
                     broken[i].code, broken[i].msg);
        assert_null(r);
        assert_string_equal(err.file, "x.json");
        if (rc == P20W_EFORMAT)
            assert_true(err.line > 0);
        free(bad);
    }
    /* A sub-element missing from its core element. */
    char *cut =
        replace(text, "{\n     \"id\": \"2D\"", "{\n     \"idx\": \"2D\"");
    assess_rubric *r = NULL;
    p20w_err err = {0};
    assert_int_equal(assess_rubric_parse(cut, strlen(cut), NULL, &r, &err),
                     P20W_EINVAL);
    assert_non_null(strstr(err.msg, "elements[1].subs[3]"));
    free(cut);
    /* Not an object at all; empty; too big. */
    assert_int_equal(assess_rubric_parse("[]", 2, NULL, &r, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "(top level): must be an object"));
    assert_int_equal(assess_rubric_parse("", 0, NULL, &r, &err), P20W_EFORMAT);
    assert_int_equal(
        assess_rubric_parse(text, ASSESS_RUBRIC_MAX + 1, NULL, &r, &err),
        P20W_ELIMIT);
    /* A missing file. */
    assert_int_equal(assess_rubric_load("/nonexistent/r.json", &r, &err),
                     P20W_EIO);
    assert_string_equal(err.file, "/nonexistent/r.json");
    free(text);
}

static void test_rubric_alloc_failures(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(RUBRIC, &len);
    for (long n = 0;; n++) {
        assess_rubric *r = NULL;
        p20w_err err = {0};
        p20w_mem_fail_after(n);
        p20w_status rc = assess_rubric_parse(text, len, NULL, &r, &err);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assess_rubric_free(r);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        assert_null(r);
    }
    free(text);
}

/* ---- save and resume
 * --------------------------------------------------------- */

static void test_save_and_resume(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "Statewide 2025");
    /* First sitting: a few ratings and an overall rating. */
    assess_entry e1[] = {
        {"1A", 3, "Rules since 2019"}, {"1b", 2, NULL}, {"1", 3, NULL}};
    p20w_err err = {0};
    assert_int_equal(assess_save_ratings(f->st, id, e1, 3, NOW, &err), P20W_OK);
    /* Leave: close the database. Come back: open it again. */
    store_close(f->st);
    assert_int_equal(store_open(f->db, 0, &f->st, NULL, &err), P20W_OK);
    assessment *a = NULL;
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    assert_string_equal(a->title, "Statewide 2025");
    assert_string_equal(a->status, "draft");
    assert_string_equal(a->created_at, "2026-11-30T00:53:20Z");
    assert_int_equal(a->rating[0], 3);
    assert_string_equal(a->evidence[0], "Rules since 2019");
    assert_int_equal(a->rating[1], 2);
    assert_string_equal(a->evidence[1], "");
    assert_int_equal(a->rating[2], 0);
    assert_int_equal(a->overall[0], 3);
    assert_int_equal(a->overall[1], 0);
    assess_free(a);
    /* Second sitting: evidence alone keeps the rating; a rating alone
     * keeps the evidence; 0 clears. */
    assess_entry e2[] = {{"1A", ASSESS_KEEP, "Rules since 2019; audited"},
                         {"1B", 0, "not sure yet"},
                         {"1", 0, NULL}};
    assert_int_equal(assess_save_ratings(f->st, id, e2, 3, NOW + 60, &err),
                     P20W_OK);
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    assert_int_equal(a->rating[0], 3);
    assert_string_equal(a->evidence[0], "Rules since 2019; audited");
    assert_int_equal(a->rating[1], 0);
    assert_string_equal(a->evidence[1], "not sure yet");
    assert_int_equal(a->overall[0], 0);
    assert_string_equal(a->updated_at, "2026-11-30T00:54:20Z");
    assess_free(a);
    /* It cannot be completed while a sub-element is unrated. */
    assert_int_equal(assess_set_status(f->st, id, 1, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "1B is not rated yet"));
    rate_all(f, id, 0);
    assert_int_equal(assess_set_status(f->st, id, 1, NOW, &err), P20W_OK);
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    assert_string_equal(a->status, "complete");
    assess_free(a);
    assert_int_equal(assess_set_status(f->st, id, 0, NOW, &err), P20W_OK);
    /* Several assessments over time; the list is newest first. */
    int64_t id2 = 0;
    assert_int_equal(assess_create(f->st, "Statewide 2026", "os:tester", "1",
                                   NOW + 86400 * 365, &id2, &err),
                     P20W_OK);
    assess_summary *v = NULL;
    size_t n = 0;
    assert_int_equal(assess_list(f->st, 0, &v, &n, &err), P20W_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, id2);
    assert_int_equal(v[1].id, id);
    assert_int_equal(v[1].rated, ASSESS_NSUB);
    assert_int_equal(v[0].rated, 0);
    p20w_free(v);
    assert_int_equal(assess_get(f->st, 999, &a, &err), P20W_ENOTFOUND);
    assert_null(a);
}

/* A save with one bad entry saves nothing, and says which entry. */
static void test_bad_saves_change_nothing(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "T");
    rate(f, id, "2A", 2, "before");
    static const struct {
        assess_entry e;
        const char *msg;
    } rows[] = {
        {{"7Z", 3, NULL}, "unknown element '7Z'"},
        {{"1A", 5, NULL}, "1A: a rating is 1 to 4"},
        {{"1A", -3, NULL}, "1A: a rating is 1 to 4"},
        {{"3", 2, "text"}, "3: evidence belongs to sub-elements"},
        {{"1A", 2, "bad \x01 control"}, "1A: the evidence holds a control"},
        {{"1A", 2, "bad \xC3\x28 utf8"}, "1A: the evidence is not UTF-8"},
        {{"1A", 2, "overlong \xC0\xAF"}, "is not UTF-8"},
        {{"1A", 2, "surrogate \xED\xA0\x80"}, "is not UTF-8"},
        {{NULL, 2, NULL}, "unknown element"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assess_entry e[2] = {{"2A", 4, "after"}, rows[i].e};
        p20w_err err = {0};
        assert_int_equal(assess_save_ratings(f->st, id, e, 2, NOW, &err),
                         P20W_EINVAL);
        if (strstr(err.msg, rows[i].msg) == NULL)
            fail_msg("row %zu: '%s'", i, err.msg);
    }
    /* Too long. */
    char *big = malloc(ASSESS_TEXT_MAX + 2);
    memset(big, 'x', ASSESS_TEXT_MAX + 1);
    big[ASSESS_TEXT_MAX + 1] = '\0';
    assess_entry e = {"2A", 4, big};
    p20w_err err = {0};
    assert_int_equal(assess_save_ratings(f->st, id, &e, 1, NOW, &err),
                     P20W_EINVAL);
    assert_non_null(strstr(err.msg, "longer than 4000 bytes"));
    big[ASSESS_TEXT_MAX] = '\0'; /* exactly the limit: fine */
    assert_int_equal(assess_save_ratings(f->st, id, &e, 1, NOW, &err), P20W_OK);
    free(big);
    assert_int_equal(q_int(f->st, "SELECT rating FROM assessment_ratings "
                                  "WHERE element = '2A'"),
                     4);
    /* A good entry in a save for an assessment that does not exist. */
    assess_entry ok = {"2A", 1, NULL};
    assert_int_equal(assess_save_ratings(f->st, 77, &ok, 1, NOW, &err),
                     P20W_ENOTFOUND);
    /* Multi-line evidence with tabs is kept as typed. */
    rate(f, id, "2B", 3, "line one\r\nline\ttwo");
    assessment *a = NULL;
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    assert_string_equal(a->evidence[4], "line one\r\nline\ttwo");
    assess_free(a);
    /* Titles: one line, not empty. */
    int64_t x;
    assert_int_equal(assess_create(f->st, "", "o", "1", NOW, &x, &err),
                     P20W_EINVAL);
    assert_int_equal(assess_create(f->st, "a\nb", "o", "1", NOW, &x, &err),
                     P20W_EINVAL);
    assert_int_equal(assess_create(f->st, "ok", "", "1", NOW, &x, &err),
                     P20W_EINVAL);
    assert_int_equal(assess_set_title(f->st, id, "Renamed", NOW, &err),
                     P20W_OK);
    assert_int_equal(assess_set_title(f->st, 99, "Renamed", NOW, &err),
                     P20W_ENOTFOUND);
}

/* ---- the plan
 * ------------------------------------------------------------------ */

static const assess_activity acts1[] = {
    {"Survey what users want from a new dashboard", "Hoke Smith", "2026-12-15",
     "200 answers, 20 each of faculty, parents, employers",
     ASSESS_LEVER_PEOPLE},
    {"Publish the business rules online", "Data office", "", "Page live",
     ASSESS_LEVER_PROCESSES},
};
static const assess_goal goals1[] = {
    {"3A", "Collect learner-level outcomes of completers", "All 15 colleges",
     "Staff in place", "Serves the vision", "By October 2026", "W. Perkins",
     "2026-10-01", acts1, 2},
    {"", "Yearly privacy training", "", "", "", "", "", "", NULL, 0},
};

static assess_plan plan1(void)
{
    assess_plan p = {"Every learner, a path to a good job",
                     {"Perkins V reserve", "2 analysts", "", "", ""},
                     goals1,
                     2};
    return p;
}

static void test_plan(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "Plan");
    assess_plan p = plan1();
    p20w_err err = {0};
    assert_int_equal(assess_save_plan(f->st, id, &p, NOW, &err), P20W_OK);
    assessment *a = NULL;
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    assert_string_equal(a->plan.vision, "Every learner, a path to a good job");
    assert_string_equal(a->plan.resources[ASSESS_RES_STAFFING], "2 analysts");
    assert_string_equal(a->plan.resources[ASSESS_RES_OTHER], "");
    assert_int_equal(a->plan.ngoals, 2);
    assert_string_equal(a->plan.goals[0].element, "3A");
    assert_string_equal(a->plan.goals[0].due_date, "2026-10-01");
    assert_int_equal(a->plan.goals[0].nactivities, 2);
    assert_string_equal(a->plan.goals[0].activities[1].activity,
                        "Publish the business rules online");
    assert_int_equal(a->plan.goals[0].activities[0].lever, ASSESS_LEVER_PEOPLE);
    assert_string_equal(a->plan.goals[0].activities[1].due_date, "");
    assert_int_equal(a->plan.goals[1].nactivities, 0);
    assess_free(a);
    /* Replacing the plan drops what is not in it. */
    p.ngoals = 1;
    p.resources[0] = "";
    assert_int_equal(assess_save_plan(f->st, id, &p, NOW, &err), P20W_OK);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM assessment_goals"), 1);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM assessment_resources"),
                     1);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM assessment_activities"),
                     2);
    /* Bad plans: refused, naming the field; the stored plan stays. */
    assess_activity bad_act = acts1[0];
    assess_goal bad_goal = goals1[0];
    bad_goal.activities = &bad_act;
    bad_goal.nactivities = 1;
    assess_plan bp = plan1();
    bp.goals = &bad_goal;
    bp.ngoals = 1;
    bad_act.lever = 7;
    assert_int_equal(assess_save_plan(f->st, id, &bp, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "goal 1, activity 1: the lever"));
    bad_act.lever = 0;
    bad_act.due_date = "2026-02-30";
    assert_int_equal(assess_save_plan(f->st, id, &bp, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "goal 1, activity 1: the date"));
    bad_act.due_date = "";
    bad_act.activity = "";
    assert_int_equal(assess_save_plan(f->st, id, &bp, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "the activity is empty"));
    bad_act.activity = "ok";
    bad_goal.element = "9Q";
    assert_int_equal(assess_save_plan(f->st, id, &bp, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "goal 1: unknown sub-element '9Q'"));
    bad_goal.element = "";
    bad_goal.specific = "";
    assert_int_equal(assess_save_plan(f->st, id, &bp, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "specific is empty"));
    bad_goal.specific = "x";
    bad_goal.owner = "two\nlines";
    assert_int_equal(assess_save_plan(f->st, id, &bp, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "goal 1: the owner holds a control"));
    bad_goal.owner = "";
    bp.ngoals = ASSESS_GOALS_MAX + 1;
    assert_int_equal(assess_save_plan(f->st, id, &bp, NOW, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "more than 10 goals"));
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM assessment_goals"), 1);
    assert_int_equal(assess_save_plan(f->st, 404, &p, NOW, &err),
                     P20W_ENOTFOUND);
    /* JSON form of the plan. */
    const char *js = "{\"vision\": \"V\", \"resources\": {\"other\": \"O\"}, "
                     "\"goals\": [{\"specific\": \"S\", \"activities\": "
                     "[{\"activity\": \"A\", \"lever\": \"policy\"}]}]}";
    assert_int_equal(
        assess_save_plan_json(f->st, id, js, strlen(js), NOW, &err), P20W_OK);
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    assert_string_equal(a->plan.vision, "V");
    assert_string_equal(a->plan.resources[ASSESS_RES_OTHER], "O");
    assert_int_equal(a->plan.goals[0].activities[0].lever, ASSESS_LEVER_POLICY);
    assess_free(a);
    const char *bad[][2] = {
        {"{\"vision\": 3}", "plan.vision: must be a string"},
        {"{\"goals\": [{\"activities\": []}]}", "plan.goals[0].specific: "
                                                "missing"},
        {"{\"resources\": {\"luck\": \"x\"}}", "kinds are funding"},
        {"{\"goals\": [{\"specific\": \"S\", \"activities\": [{\"activity\": "
         "\"A\", \"lever\": \"luck\"}]}]}",
         "the lever is policy"},
        {"{\"vison\": \"typo\"}", "plan.vison: unknown key"},
        {"[]", "plan: must be an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(assess_save_plan_json(f->st, id, bad[i][0],
                                               strlen(bad[i][0]), NOW, &err),
                         P20W_EINVAL);
        if (strstr(err.msg, bad[i][1]) == NULL)
            fail_msg("row %zu: '%s'", i, err.msg);
    }
    assert_int_equal(
        assess_save_plan_json(f->st, id, "{\"vision\":", 10, NOW, &err),
        P20W_EFORMAT);
    assert_true(err.line > 0);
}

/* ---- team
 * --------------------------------------------------------------------- */

static void test_members(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "Team");
    exec(f->st, "INSERT INTO users (user_id, name, role, pw_hash, created_at,"
                " pw_changed_at) VALUES (5, 'ana', 'admin', 'x', 'now', 'now'),"
                " (6, 'ben', 'admin', 'x', 'now', 'now')");
    p20w_err err = {0};
    int yes = 1;
    assert_int_equal(assess_is_member(f->st, id, 5, &yes, &err), P20W_OK);
    assert_false(yes);
    assert_int_equal(assess_member_add(f->st, id, 5, &err), P20W_OK);
    assert_int_equal(assess_member_add(f->st, id, 5, &err), P20W_OK);
    assert_int_equal(assess_member_add(f->st, id, 99, &err), P20W_ENOTFOUND);
    assert_int_equal(assess_member_add(f->st, 99, 5, &err), P20W_ENOTFOUND);
    assert_int_equal(assess_is_member(f->st, id, 5, &yes, &err), P20W_OK);
    assert_true(yes);
    assess_summary *v = NULL;
    size_t n = 0;
    assert_int_equal(assess_list(f->st, 5, &v, &n, &err), P20W_OK);
    assert_int_equal(n, 1);
    p20w_free(v);
    assert_int_equal(assess_list(f->st, 6, &v, &n, &err), P20W_OK);
    assert_int_equal(n, 0);
    p20w_free(v);
    assessment *a = NULL;
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    assert_int_equal(a->nmembers, 1);
    assert_string_equal(a->members[0], "ana");
    assess_free(a);
    assert_int_equal(assess_member_remove(f->st, id, 5, &err), P20W_OK);
    assert_int_equal(assess_is_member(f->st, id, 5, &yes, &err), P20W_OK);
    assert_false(yes);
    assert_int_equal(assess_delete(f->st, id, &err), P20W_OK);
    assert_int_equal(assess_delete(f->st, id, &err), P20W_ENOTFOUND);
}

/* ---- compare and rank
 * ---------------------------------------------------------- */

static void test_compare(void **state)
{
    fx *f = *state;
    int64_t a_id = new_assessment(f, "2025"), b_id = new_assessment(f, "2026");
    rate(f, a_id, "1A", 1, NULL);
    rate(f, a_id, "1B", 3, NULL);
    rate(f, a_id, "1C", 2, NULL);
    rate(f, a_id, "2A", 2, NULL);
    rate(f, a_id, "2", 2, NULL);
    rate(f, b_id, "1A", 3, NULL); /* up 2 */
    rate(f, b_id, "1B", 2, NULL); /* down 1 */
    rate(f, b_id, "1C", 2, NULL); /* same */
    rate(f, b_id, "3A", 4, NULL); /* not rated before */
    rate(f, b_id, "2", 3, NULL);
    assessment *a = NULL, *b = NULL;
    p20w_err err = {0};
    assert_int_equal(assess_get(f->st, a_id, &a, &err), P20W_OK);
    assert_int_equal(assess_get(f->st, b_id, &b, &err), P20W_OK);
    assess_diff d;
    assess_compare(a, b, &d);
    assert_int_equal(d.up, 1);
    assert_int_equal(d.down, 1);
    assert_int_equal(d.same, 1);
    assert_int_equal(d.unrated, ASSESS_NSUB - 3);
    assert_int_equal(d.overall_before[1], 2);
    assert_int_equal(d.overall_after[1], 3);
    sbuf s;
    sbuf_init(&s, 0);
    assert_int_equal(assess_csv_compare(&s, a, b), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "\n1A,sub-element,1,3,up\n"));
    assert_non_null(strstr(sbuf_cstr(&s), "\n1B,sub-element,3,2,down\n"));
    assert_non_null(strstr(sbuf_cstr(&s), "\n1C,sub-element,2,2,same\n"));
    assert_non_null(
        strstr(sbuf_cstr(&s), "\n3A,sub-element,,4,not comparable\n"));
    assert_non_null(strstr(sbuf_cstr(&s), "\n2,core,2,3,up\n"));
    sbuf_reset(&s);
    assert_int_equal(assess_json_compare(&s, a, b), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "\"up\": 1"));
    sbuf_reset(&s);
    assert_int_equal(assess_html_compare(&s, f->r, a, b, ASSESS_EN), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "1 sub-elements moved up, 1 moved "
                                          "down, 1 stayed the same"));
    assert_non_null(strstr(sbuf_cstr(&s), "&#8593; up 2"));
    assert_non_null(strstr(sbuf_cstr(&s), "&#8595; down 1"));
    /* Strengths (4s then 3s) and challenges (1s then 2s). */
    size_t st[3], ch[3], ns, nc;
    assess_rank(b, 3, st, &ns, ch, &nc);
    assert_int_equal(ns, 2);
    assert_int_equal(st[0], 7); /* 3A, rated 4 */
    assert_int_equal(st[1], 0); /* 1A, rated 3 */
    assert_int_equal(nc, 2);
    assert_int_equal(ch[0], 1); /* 1B */
    assert_int_equal(ch[1], 2); /* 1C */
    assert_true(assess_core_mean(b, 1) > 2.33 && assess_core_mean(b, 1) < 2.34);
    assert_true(assess_core_mean(b, 6) == 0.0);
    sbuf_free(&s);
    assess_free(a);
    assess_free(b);
}

/* ---- views
 * ---------------------------------------------------------------------- */

static void test_heatmap(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "Heat <map> & \"co\"");
    rate_all(f, id, 1);
    rate(f, id, "6D", 0, "<script>alert(1)</script>");
    rate(f, id, "4", 4, NULL);
    assessment *a = NULL;
    p20w_err err = {0};
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    for (int l = 0; l < ASSESS_NLANG; l++) {
        sbuf s;
        sbuf_init(&s, 0);
        assert_int_equal(assess_html_heatmap(&s, f->r, a, l), P20W_OK);
        const char *h = sbuf_cstr(&s);
        /* Every sub-element is there with its rating as number and word. */
        for (size_t k = 0; k < ASSESS_NSUB; k++) {
            char cell[64], want[256];
            snprintf(cell, sizeof cell, "id=\"hm-%s\"", assess_sub_id(k));
            const char *c = strstr(h, cell);
            assert_non_null(c);
            const char *end = strstr(c, "</td>");
            assert_non_null(end);
            int v = a->rating[k];
            if (v > 0)
                snprintf(want, sizeof want,
                         "<span class=\"rating-num\">%d</span> <span "
                         "class=\"rating-word\">%s</span>",
                         v, assess_rubric_rating_name(f->r, v, l));
            else
                snprintf(want, sizeof want, "not rated");
            const char *w = strstr(c, want);
            if (w == NULL || w > end)
                fail_msg("%s lacks '%s'", assess_sub_id(k), want);
            /* Colour comes with a class that also carries a pattern. */
            snprintf(want, sizeof want, "class=\"hm hm-%d\"", v);
            assert_non_null(strstr(c - 40, want));
        }
        /* The overall of core 4 is shown, the others averaged. */
        assert_non_null(strstr(h, "hm-overall"));
        assert_non_null(strstr(h, "average of the sub-elements:"));
        /* Headers for screen readers; no inline style (CSP). */
        assert_non_null(strstr(h, "<th scope=\"row\">"));
        assert_non_null(strstr(h, "<caption>"));
        assert_null(strstr(h, "style="));
        assert_non_null(
            strstr(h, l == ASSESS_ES ? "Consolidado" : "Established"));
        sbuf_free(&s);
    }
    /* Typed text is escaped everywhere. */
    sbuf s;
    sbuf_init(&s, 0);
    assert_int_equal(assess_html_compare(&s, f->r, a, a, ASSESS_EN), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "Heat &lt;map&gt; &amp; &quot;co"));
    assert_null(strstr(sbuf_cstr(&s), "<map>"));
    sbuf_reset(&s);
    assert_int_equal(assess_html_strengths(&s, f->r, a, ASSESS_EN), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "Top strengths"));
    assert_non_null(strstr(sbuf_cstr(&s), "Top challenges"));
    sbuf_reset(&s);
    assert_int_equal(assess_text(&s, f->r, a, ASSESS_EN), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "20 of 21 sub-elements rated"));
    assert_non_null(strstr(sbuf_cstr(&s), "   6D  - not rated"));
    sbuf_free(&s);
    assess_free(a);
    /* The style sheet has the four colours and a pattern for 1 to 3. */
    const char *css = assess_css();
    assert_non_null(strstr(css, "#d55e00"));
    assert_non_null(strstr(css, "#0072b2"));
    assert_non_null(strstr(css, "repeating-linear-gradient"));
}

static void test_plan_view(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "P");
    assess_plan p = plan1();
    p20w_err err = {0};
    assert_int_equal(assess_save_plan(f->st, id, &p, NOW, &err), P20W_OK);
    rate(f, id, "2", 2, NULL);
    assessment *a = NULL;
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    sbuf s;
    sbuf_init(&s, 0);
    assert_int_equal(assess_html_plan(&s, f->r, a, ASSESS_ES), P20W_OK);
    const char *h = sbuf_cstr(&s);
    assert_non_null(strstr(h, "Every learner, a path to a good job"));
    assert_non_null(strstr(h, "Financiación")); /* resource kinds, Spanish */
    assert_non_null(strstr(h, "Personas"));     /* the lever */
    assert_non_null(strstr(h, "Hoke Smith"));
    assert_non_null(strstr(h, "(3A "));
    assert_non_null(strstr(h, "class=\"plan printable\""));
    sbuf_free(&s);
    assess_free(a);
}

/* ---- exports
 * ----------------------------------------------------------------- */

/* Two exports agree once the fields import does not carry are dropped. */
static void strip_identity(char *json)
{
    const char *keys[] = {
        "\"id\":", "\"owner\":", "\"created_at\":", "\"updated_at\":"};
    for (size_t i = 0; i < 4; i++) {
        char *p = strstr(json, keys[i]);
        assert_non_null(p);
        char *eol = strchr(p, '\n');
        memmove(p, eol, strlen(eol) + 1);
    }
}

/* Exports a, imports the export, exports the copy: the same but for the
 * fields an import does not carry. */
static void round_trip(fx *f, int64_t id)
{
    assessment *a = NULL;
    p20w_err err = {0};
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    sbuf s1, s2;
    sbuf_init(&s1, 0);
    sbuf_init(&s2, 0);
    assert_int_equal(assess_json(&s1, a), P20W_OK);
    char status[16];
    snprintf(status, sizeof status, "%s", a->status);
    assess_free(a);
    int64_t id2 = 0;
    assert_int_equal(assess_import_json(f->st, sbuf_cstr(&s1), s1.len,
                                        "importer", NOW + 5, &id2, &err),
                     P20W_OK);
    assert_true(id2 != id);
    assert_int_equal(assess_get(f->st, id2, &a, &err), P20W_OK);
    assert_string_equal(a->owner, "importer");
    assert_string_equal(a->status, status);
    assert_int_equal(assess_json(&s2, a), P20W_OK);
    assess_free(a);
    char *x = strdup(sbuf_cstr(&s1)), *y = strdup(sbuf_cstr(&s2));
    strip_identity(x);
    strip_identity(y);
    assert_string_equal(x, y);
    free(x);
    free(y);
    sbuf_free(&s1);
    sbuf_free(&s2);
}

static void test_json_round_trip(void **state)
{
    fx *f = *state;
    /* Complete, with a plan and text of every kind. */
    int64_t id = new_assessment(f, "Round \"trip\" 2026");
    rate_all(f, id, 2);
    rate(f, id, "5C", ASSESS_KEEP,
         "words: \xC3\xA9, \xC3\xBC, \xE6\xBC\xA2\xE5\xAD\x97\nand a line");
    rate(f, id, "3", 4, NULL);
    assess_plan p = plan1();
    p20w_err err = {0};
    assert_int_equal(assess_save_plan(f->st, id, &p, NOW, &err), P20W_OK);
    assert_int_equal(assess_set_status(f->st, id, 1, NOW, &err), P20W_OK);
    round_trip(f, id);
    /* A draft with ratings not given yet and no plan. */
    int64_t id2 = new_assessment(f, "Draft");
    rate(f, id2, "4B", 2, "only this");
    rate(f, id2, "6C", 0, "evidence, no rating");
    round_trip(f, id2);
}

static void test_import_refused(void **state)
{
    fx *f = *state;
    static const struct {
        const char *json;
        p20w_status code;
        const char *msg;
    } rows[] = {
        {"{\"format\": \"p20w-assessment\", \"version\": 1, \"title\": \"x\","
         " \"ratings\": [{\"element\": \"1A\", \"rating\": 5}]}",
         P20W_EINVAL, "ratings[0].rating: a rating is null or 1 to 4"},
        {"{\"format\": \"p20w-assessment\", \"version\": 1, \"title\": \"x\","
         " \"ratings\": [{\"element\": \"9Z\"}]}",
         P20W_EINVAL, "ratings[0]: element must be a sub-element"},
        {"{\"format\": \"p20w-assessment\", \"version\": 1, \"title\": \"x\","
         " \"ratings\": [{\"element\": \"1A\"}, {\"element\": \"1a\"}]}",
         P20W_EINVAL, "ratings[1]: element given twice"},
        {"{\"format\": \"p20w-assessment\", \"version\": 1, \"title\": \"x\","
         " \"overall\": [{\"core\": 0}]}",
         P20W_EINVAL, "overall[0]: core must be 1 to 6"},
        {"{\"format\": \"p20w-assessment\", \"version\": 1, \"title\": \"x\","
         " \"status\": \"complete\"}",
         P20W_EINVAL, "cannot mark complete: 1A is not rated yet"},
        {"{\"format\": \"p20w-assessment\", \"version\": 1, \"title\": \"x\","
         " \"colour\": \"red\"}",
         P20W_EINVAL, "(top level).colour: unknown key"},
        {"{\"format\": \"other\", \"version\": 1, \"title\": \"x\"}",
         P20W_EINVAL, "format: is not"},
        {"{\"format\": \"p20w-assessment\", \"version\": 2, \"title\": \"x\"}",
         P20W_EINVAL, "reads version 1"},
        {"{\"format\": \"p20w-assessment\", \"version\": 1}", P20W_EINVAL,
         "title: missing"},
        {"{\"format\": \"p20w-assessment\", \"version\": 1, \"title\": "
         "\"a\\u0000b\"}",
         P20W_EFORMAT, "without JSON_ALLOW_NUL"},
        {"{\"format\": \"p20w-assessment\", \"format\": \"x\"}", P20W_EFORMAT,
         "duplicate"},
        {"{\"format\": ", P20W_EFORMAT, "not valid JSON"},
        {"[1, 2]", P20W_EINVAL, "must be an object"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t id = 7;
        p20w_err err = {0};
        p20w_status rc = assess_import_json(
            f->st, rows[i].json, strlen(rows[i].json), "me", NOW, &id, &err);
        if (rc != rows[i].code || strstr(err.msg, rows[i].msg) == NULL)
            fail_msg("row %zu: %d '%s'", i, rc, err.msg);
        assert_int_equal(id, 0);
    }
    /* Nothing was left behind by any refused import. */
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM assessments"), 0);
}

/* Reads CSV text into rows of fields (at most 64 rows of 16). */
typedef struct csv_table {
    size_t rows, cols;
    char *cell[64][16];
} csv_table;

static void csv_parse(const char *text, csv_table *t)
{
    csv_reader *r = NULL;
    p20w_err err = {0};
    memset(t, 0, sizeof *t);
    assert_int_equal(csv_reader_open_mem(text, strlen(text), NULL, &r, &err),
                     P20W_OK);
    for (;;) {
        const csv_field *fl;
        size_t n;
        assert_int_equal(csv_read(r, &fl, &n, &err), P20W_OK);
        if (n == 0)
            break;
        assert_true(t->rows < 64 && n <= 16);
        if (t->rows == 0)
            t->cols = n;
        assert_int_equal(n, t->cols);
        for (size_t i = 0; i < n; i++)
            t->cell[t->rows][i] = strdup(fl[i].ptr);
        t->rows++;
    }
    csv_reader_close(r);
}

static void csv_free(csv_table *t)
{
    for (size_t i = 0; i < t->rows; i++)
        for (size_t j = 0; j < t->cols; j++)
            free(t->cell[i][j]);
}

static void test_csv_round_trip(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "CSV");
    rate_all(f, id, 3);
    rate(f, id, "2C", ASSESS_KEEP, " leading space, \"quotes\"\nand lines ");
    rate(f, id, "5", 1, NULL);
    assess_plan p = plan1();
    p20w_err err = {0};
    assert_int_equal(assess_save_plan(f->st, id, &p, NOW, &err), P20W_OK);
    assessment *a = NULL;
    assert_int_equal(assess_get(f->st, id, &a, &err), P20W_OK);
    sbuf s;
    sbuf_init(&s, 0);
    assert_int_equal(assess_csv_ratings(&s, f->r, a, ASSESS_EN), P20W_OK);
    csv_table t;
    csv_parse(sbuf_cstr(&s), &t);
    assert_int_equal(t.rows, 1 + ASSESS_NSUB + ASSESS_NCORE);
    assert_string_equal(t.cell[0][0], "element");
    assert_string_equal(t.cell[0][5], "evidence");
    size_t seen = 0;
    for (size_t i = 1; i < t.rows; i++) {
        int k = assess_sub_index(t.cell[i][0]);
        if (k < 0) {
            int core = t.cell[i][0][0] - '0';
            assert_string_equal(t.cell[i][1], "core");
            assert_int_equal(t.cell[i][3][0] ? t.cell[i][3][0] - '0' : 0,
                             a->overall[core - 1]);
            continue;
        }
        seen++;
        assert_int_equal(t.cell[i][3][0] - '0', a->rating[k]);
        assert_string_equal(t.cell[i][4], assess_rubric_rating_name(
                                              f->r, a->rating[k], ASSESS_EN));
        assert_string_equal(t.cell[i][5], a->evidence[k]);
        assert_string_equal(
            t.cell[i][2], assess_rubric_sub_title(f->r, (size_t)k, ASSESS_EN));
    }
    assert_int_equal(seen, ASSESS_NSUB);
    csv_free(&t);
    sbuf_reset(&s);
    assert_int_equal(assess_csv_plan(&s, a), P20W_OK);
    csv_parse(sbuf_cstr(&s), &t);
    /* header, vision, 5 resources, goal 1 + 2 activities, goal 2 */
    assert_int_equal(t.rows, 1 + 1 + 5 + 3 + 1);
    assert_string_equal(t.cell[1][0], "vision");
    assert_string_equal(t.cell[1][5], a->plan.vision);
    assert_string_equal(t.cell[3][4], "staffing");
    assert_string_equal(t.cell[3][5], "2 analysts");
    assert_string_equal(t.cell[7][0], "goal");
    assert_string_equal(t.cell[7][6], goals1[0].specific);
    assert_string_equal(t.cell[8][0], "activity");
    assert_string_equal(t.cell[8][13], acts1[0].metric);
    assert_string_equal(t.cell[8][14], "people");
    csv_free(&t);
    sbuf_free(&s);
    assess_free(a);
}

/* The views fail cleanly when memory runs out part-way. */
static void test_views_alloc_failures(void **state)
{
    fx *f = *state;
    int64_t id = new_assessment(f, "OOM");
    rate_all(f, id, 0);
    assess_plan p = plan1();
    p20w_err err = {0};
    assert_int_equal(assess_save_plan(f->st, id, &p, NOW, &err), P20W_OK);
    for (long n = 0;; n++) {
        assessment *a = NULL;
        sbuf s;
        sbuf_init(&s, 0);
        p20w_mem_fail_after(n);
        p20w_status rc = assess_get(f->st, id, &a, &err);
        if (rc == P20W_OK)
            rc = assess_html_heatmap(&s, f->r, a, ASSESS_EN);
        if (rc == P20W_OK)
            rc = assess_html_plan(&s, f->r, a, ASSESS_EN);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        sbuf_free(&s);
        assess_free(a);
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            break;
        }
        assert_int_not_equal(rc, P20W_OK);
    }
}

/* ---- auto-evidence on a built state
 * --------------------------------------------- */

static int setup_state(void **state)
{
    if (setup(state) != 0)
        return -1;
    fx *f = *state;
    p20w_err err = {0};
    p20w_status rc = testutil_linked_state(f->st, f->dir, 400, 11, &err);
    /* build: a few indicators, then publish, as `p20w build` does */
    p20w_profile prof;
    profile_default(&prof);
    tl_state *tl = NULL;
    measure_refs *refs = NULL;
    const measure_indicator *inds[] = {measure_find("HS_GRAD4"),
                                       measure_find("EMP_Q2"),
                                       measure_find("OUTCOME_Y1")};
    if (rc == P20W_OK)
        rc = measure_refs_load(P20W_DATADIR, &refs, &err);
    if (rc == P20W_OK)
        rc = derive_load(f->st, &prof, P20W_DATADIR, &tl, &err);
    if (rc == P20W_OK)
        rc = derive_rules(tl, &prof, &err);
    cube_build_opts o = {.prof = &prof,
                         .st = tl,
                         .ind = inds,
                         .nind = 3,
                         .started_at = "2026-11-01T00:00:00Z",
                         .refs = refs};
    cube_build_report rep;
    if (rc == P20W_OK)
        rc = cube_build(f->st, &o, &rep, &err);
    publish_opts popt = {0};
    publish_stats ps;
    if (rc == P20W_OK)
        rc = publish_cube(f->st, &prof, &popt, &ps, &err);
    tl_state_free(tl);
    measure_refs_free(refs);
    if (rc != P20W_OK) {
        fprintf(stderr, "setup_state: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static const assess_fact *find_fact(const assess_evidence *ev, const char *key)
{
    for (size_t i = 0; i < ev->nfacts; i++)
        if (strcmp(ev->facts[i].key, key) == 0)
            return &ev->facts[i];
    fail_msg("no fact %s", key);
    return NULL;
}

static const assess_evidence *ev_of(const assess_evidence *ev, const char *id)
{
    const assess_evidence *e = assess_evidence_find(
        ev, ASSESS_NEVIDENCE, (size_t)assess_sub_index(id));
    assert_non_null(e);
    return e;
}

static void test_evidence_empty(void **state)
{
    fx *f = *state;
    assess_evidence ev[ASSESS_NEVIDENCE];
    p20w_err err = {0};
    assert_int_equal(assess_evidence_collect(f->st, NULL, NOW, ev, &err),
                     P20W_OK);
    /* Nothing there: measured as absent, suggestion 1; 5A not measured. */
    const char *ids[] = {"1B", "2D", "3A", "4A", "4C", "4D"};
    for (size_t i = 0; i < 6; i++) {
        const assess_evidence *e = ev_of(ev, ids[i]);
        assert_true(e->measured);
        assert_int_equal(e->suggested, 1);
        assert_non_null(e->why);
    }
    assert_string_equal(find_fact(ev_of(ev, "1B"), "submissions")->value, "0");
    assert_false(find_fact(ev_of(ev, "2D"), "audit_chain")->measured);
    assert_false(find_fact(ev_of(ev, "4A"), "years")->measured);
    const assess_evidence *e5 = ev_of(ev, "5A");
    assert_false(e5->measured);
    assert_int_equal(e5->suggested, 0);
    assert_false(find_fact(e5, "a11y")->measured);
    assert_string_equal(find_fact(e5, "a11y")->value, "");
}

static void test_evidence_built(void **state)
{
    fx *f = *state;
    assess_evidence ev[ASSESS_NEVIDENCE];
    p20w_err err = {0};
    assess_evidence_input in = {1, 1, 12};
    /* The build finished on 2026-11-01 (whatever the clock said). */
    exec(f->st, "UPDATE cube_builds SET finished_at = '2026-11-01T00:00:00Z'");
    int64_t now = 1796000000; /* 2026-11-30: 29 days after the build */
    assert_int_equal(assess_evidence_collect(f->st, &in, now, ev, &err),
                     P20W_OK);
    /* 1B: every submission has its report. */
    const assess_evidence *e = ev_of(ev, "1B");
    int64_t subs = q_int(f->st, "SELECT count(*) FROM submissions");
    char want[64];
    snprintf(want, sizeof want, "%lld", (long long)subs);
    assert_string_equal(find_fact(e, "submissions")->value, want);
    snprintf(want, sizeof want, "%lld / %lld (100.0%%)", (long long)subs,
             (long long)subs);
    assert_string_equal(find_fact(e, "validated_share")->value, want);
    assert_int_equal(e->suggested, 3);
    /* 3A: linked, with the match rate the store gives. */
    e = ev_of(ev, "3A");
    assert_string_equal(find_fact(e, "link_runs")->value, "1");
    int64_t k12 = q_int(f->st, "SELECT count(DISTINCT p20w_id) FROM "
                               "person_links WHERE source = 'k12_students'");
    snprintf(want, sizeof want, " / %lld (", (long long)k12);
    assert_non_null(strstr(find_fact(e, "match_rate")->value, want));
    assert_true(e->suggested >= 2);
    /* 4A: years of the cube. */
    e = ev_of(ev, "4A");
    int64_t years = q_int(f->st, "SELECT count(DISTINCT year) FROM cube_cells");
    snprintf(want, sizeof want, "%lld (", (long long)years);
    assert_non_null(strstr(find_fact(e, "years")->value, want));
    assert_int_equal(e->suggested, years >= 5 ? 3 : years >= 2 ? 2 : 1);
    /* 4C: built on 2026-11-01. */
    e = ev_of(ev, "4C");
    assert_string_equal(find_fact(e, "last_build")->value, "2026-11-01");
    assert_string_equal(find_fact(e, "build_age_days")->value, "29");
    /* 4D: the published breakdowns. */
    e = ev_of(ev, "4D");
    assert_true(find_fact(e, "groups")->measured);
    assert_non_null(strstr(find_fact(e, "groups")->value, "sex"));
    /* 2D: no accounts yet; the chain verified as the caller said. */
    e = ev_of(ev, "2D");
    assert_string_equal(find_fact(e, "audit_chain")->value, "verified");
    assert_true(find_fact(e, "audit_chain")->value_msgid);
    assert_int_equal(e->suggested, 1);

    /* The data changes, the evidence follows. Remove the latest year: */
    int64_t last = q_int(f->st, "SELECT max(year) FROM cube_cells");
    char sql[160];
    snprintf(sql, sizeof sql, "DELETE FROM cube_cells WHERE year = %lld",
             (long long)last);
    exec(f->st, sql);
    assess_evidence ev2[ASSESS_NEVIDENCE];
    assert_int_equal(assess_evidence_collect(f->st, &in, now, ev2, &err),
                     P20W_OK);
    snprintf(want, sizeof want, "%lld (", (long long)years - 1);
    assert_non_null(strstr(find_fact(ev_of(ev2, "4A"), "years")->value, want));
    /* Time passes: the build ages past a year, then two. */
    assert_int_equal(
        assess_evidence_collect(f->st, &in, now + 400 * 86400LL, ev2, &err),
        P20W_OK);
    assert_int_equal(ev_of(ev2, "4C")->suggested, 2);
    assert_int_equal(
        assess_evidence_collect(f->st, &in, now + 800 * 86400LL, ev2, &err),
        P20W_OK);
    assert_int_equal(ev_of(ev2, "4C")->suggested, 1);
    /* Accounts in two roles with a verified chain: 2D moves to 3; a broken
     * chain takes it to 1; an agreement past destruction to 2. */
    exec(f->st,
         "INSERT INTO dsas (dsa_id, purpose, parties, start_date, end_date, "
         "destroy_date, key_salt, created_at, created_by) VALUES (1, 'study', "
         "'univ', '2026-01-01', '2026-06-30', '2026-12-31', "
         "'0123456789abcdef0123456789abcdef', 'now', 'os:x');"
         "INSERT INTO users (name, role, pw_hash, created_at, pw_changed_at, "
         "dsa_id) VALUES ('r1', 'researcher', 'x', 'now', 'now', 1);"
         "INSERT INTO users (name, role, pw_hash, created_at, pw_changed_at) "
         "VALUES ('a1', 'admin', 'x', 'now', 'now')");
    assert_int_equal(assess_evidence_collect(f->st, &in, now, ev2, &err),
                     P20W_OK);
    e = ev_of(ev2, "2D");
    assert_int_equal(e->suggested, 3);
    assert_string_equal(find_fact(e, "roles")->value, "admin 1, researcher 1");
    assert_string_equal(find_fact(e, "dsas")->value, "1 (0 active)");
    assess_evidence_input broken_chain = {1, 0, 12};
    assert_int_equal(
        assess_evidence_collect(f->st, &broken_chain, now, ev2, &err), P20W_OK);
    assert_int_equal(ev_of(ev2, "2D")->suggested, 1);
    assert_int_equal(
        assess_evidence_collect(f->st, &in, now + 40 * 86400LL, ev2, &err),
        P20W_OK); /* 2027-01-09: past destroy_date */
    assert_string_equal(find_fact(ev_of(ev2, "2D"), "dsas_overdue")->value,
                        "1");
    assert_int_equal(ev_of(ev2, "2D")->suggested, 2);
    /* 5A: a recorded check makes it measured. */
    const char *a11y = "{\"tool\": \"axe-core 4.10\", \"pages\": 12, "
                       "\"violations\": 0, \"languages\": [\"en\", \"es\"], "
                       "\"checked_at\": \"2026-11-20\"}";
    assert_int_equal(assess_record_a11y(f->st, a11y, strlen(a11y), now, &err),
                     P20W_OK);
    assert_int_equal(assess_evidence_collect(f->st, &in, now, ev2, &err),
                     P20W_OK);
    e = ev_of(ev2, "5A");
    assert_true(e->measured);
    assert_int_equal(e->suggested, 3);
    assert_string_equal(find_fact(e, "a11y")->value, "12");
    assert_string_equal(find_fact(e, "a11y_date")->value, "2026-11-20");
    assert_string_equal(find_fact(e, "a11y_languages")->value, "en, es");
    /* Bad check results are refused and leave the stored one. */
    const char *bad[] = {"{\"tool\": \"x\", \"pages\": -1, \"violations\": 0, "
                         "\"languages\": []}",
                         "{\"tool\": \"x\", \"pages\": 1, \"violations\": 0}",
                         "{\"pages\": 1, \"violations\": 0, \"languages\": []}",
                         "{\"tool\": \"x\", \"pages\": 1, \"violations\": 0, "
                         "\"languages\": [], \"checked_at\": \"yesterday\"}",
                         "{\"tool\": \"x\", \"pages\": 1, \"violations\": 0, "
                         "\"languages\": [], \"extra\": 1}"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(
            assess_record_a11y(f->st, bad[i], strlen(bad[i]), now, &err),
            P20W_EINVAL);
    assert_int_equal(assess_record_a11y(f->st, "{", 1, now, &err),
                     P20W_EFORMAT);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM assessment_checks"), 1);
    /* The views of the evidence. */
    sbuf s;
    sbuf_init(&s, 0);
    assert_int_equal(
        assess_html_evidence(&s, f->r, ev2, ASSESS_NEVIDENCE, ASSESS_EN),
        P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "id=\"evidence-3A\""));
    assert_non_null(strstr(sbuf_cstr(&s), "Suggested rating:"));
    assert_non_null(strstr(sbuf_cstr(&s), "data-key=\"match_rate\""));
    assert_null(strstr(sbuf_cstr(&s), "style="));
    sbuf_reset(&s);
    assert_int_equal(assess_json_evidence(&s, ev2, ASSESS_NEVIDENCE), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&s), "\"element\": \"4D\""));
    sbuf_free(&s);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_rubric_shipped),
        cmocka_unit_test(test_rubric_broken),
        cmocka_unit_test(test_rubric_alloc_failures),
        T(test_save_and_resume),
        T(test_bad_saves_change_nothing),
        T(test_plan),
        T(test_members),
        T(test_compare),
        T(test_heatmap),
        T(test_plan_view),
        T(test_json_round_trip),
        T(test_import_refused),
        T(test_csv_round_trip),
        T(test_views_alloc_failures),
        T(test_evidence_empty),
        cmocka_unit_test_setup_teardown(test_evidence_built, setup_state,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
