/*
 * rubric.c — the rubric of the self-assessment as data: loading and
 * checking data/assess_rubric.json, and reading its text.
 *
 * The file is strict JSON (jansson, duplicate keys refused). Its shape is
 * checked in full before anything uses it, so a typo in a translation is
 * an error at start naming the place ("elements[2].subs[1].title.es:
 * missing"), never a blank cell on a page. Unknown keys are refused too:
 * a misspelt "at4" would otherwise leave the real criteria missing.
 *
 * The layout (which sub-elements each core element has) is fixed in this
 * file, not read from the rubric: ratings are stored by sub-element id,
 * and the auto-evidence rules are written for particular ids, so a rubric
 * file that moved them would silently mislabel stored ratings.
 *
 * The loaded rubric keeps the parsed JSON and points into it; it is
 * read-only afterwards and may be shared between threads.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "assess/assessInt.h"
#include "util/mem.h"

/* ---- the fixed layout --------------------------------------------------- */

static const char *const sub_ids[ASSESS_NSUB] = {
    "1A", "1B", "1C", "2A", "2B", "2C", "2D", "3A", "3B", "3C", "4A",
    "4B", "4C", "4D", "5A", "5B", "5C", "6A", "6B", "6C", "6D"};

/* Sub-elements per core element 1..6. */
static const size_t core_nsub[ASSESS_NCORE] = {3, 4, 3, 4, 3, 4};

static const char *const lever_ids[ASSESS_NLEVER] = {"policy", "technology",
                                                     "people", "processes"};
static const char *const resource_ids[ASSESS_NRESOURCE] = {
    "funding", "staffing", "partnerships", "technology", "other"};
static const char *const lang_codes[ASSESS_NLANG] = {"en", "es"};

_Static_assert(3 + 4 + 3 + 4 + 3 + 4 == ASSESS_NSUB, "layout adds up");

int assess_lang_parse(const char *s)
{
    for (int i = 0; s != NULL && i < ASSESS_NLANG; i++)
        if (strcmp(s, lang_codes[i]) == 0)
            return i;
    return -1;
}

const char *assess_lang_code(assess_lang l)
{
    return (unsigned)l < ASSESS_NLANG ? lang_codes[l] : "en";
}

const char *assess_sub_id(size_t i)
{
    return i < ASSESS_NSUB ? sub_ids[i] : "";
}

int assess_sub_index(const char *id)
{
    if (id == NULL || strlen(id) != 2)
        return -1;
    char up[3] = {id[0], id[1], '\0'};
    if (up[1] >= 'a' && up[1] <= 'z')
        up[1] = (char)(up[1] - 'a' + 'A');
    for (int i = 0; i < ASSESS_NSUB; i++)
        if (strcmp(up, sub_ids[i]) == 0)
            return i;
    return -1;
}

int assess_sub_core(size_t i)
{
    assert(i < ASSESS_NSUB);
    return sub_ids[i][0] - '0';
}

size_t assess_core_first(int core)
{
    assert(core >= 1 && core <= ASSESS_NCORE);
    size_t k = 0;
    for (int c = 1; c < core; c++)
        k += core_nsub[c - 1];
    return k;
}

size_t assess_core_count(int core)
{
    assert(core >= 1 && core <= ASSESS_NCORE);
    return core_nsub[core - 1];
}

const char *assess_lever_id(int lever)
{
    return lever >= 0 && lever < ASSESS_NLEVER ? lever_ids[lever] : "";
}

int assess_lever_parse(const char *s)
{
    for (int i = 0; s != NULL && i < ASSESS_NLEVER; i++)
        if (strcmp(s, lever_ids[i]) == 0)
            return i;
    return -1;
}

const char *assess_resource_id(int kind)
{
    return kind >= 0 && kind < ASSESS_NRESOURCE ? resource_ids[kind] : "";
}

int assess_resource_parse(const char *s)
{
    for (int i = 0; s != NULL && i < ASSESS_NRESOURCE; i++)
        if (strcmp(s, resource_ids[i]) == 0)
            return i;
    return -1;
}

/* ---- the loaded rubric ------------------------------------------------ */

typedef const char *text2[ASSESS_NLANG];

typedef struct crit_list {
    const char **items;
    size_t n;
} crit_list;

struct assess_rubric {
    json_t *root; /* owns every string below */
    const char *version;
    text2 rating_name[5], rating_meaning[5]; /* [1..4] */
    text2 core_title[ASSESS_NCORE], core_about[ASSESS_NCORE];
    text2 sub_title[ASSESS_NSUB];
    crit_list crit[ASSESS_NSUB][2][ASSESS_NLANG]; /* [level 1, 4] */
    text2 lever_name[ASSESS_NLEVER], lever_about[ASSESS_NLEVER];
    text2 res_name[ASSESS_NRESOURCE], res_prompt[ASSESS_NRESOURCE];
};

/* Longest single text of the rubric, in bytes. */
#define TEXT_MAX 2000

typedef struct ctx {
    p20w_err *err;
    const char *name;
} ctx;

static p20w_status fail(const ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static p20w_status fail(const ctx *c, const char *fmt, ...)
{
    char msg[P20W_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p20w_err_set(c->err, P20W_EINVAL, "rubric: %s", msg);
    if (c->name != NULL)
        p20w_err_at(c->err, c->name, 0, 0);
    return P20W_EINVAL;
}

/* Refuses keys of obj other than those listed (NULL-terminated). */
static p20w_status only_keys(const ctx *c, json_t *obj, const char *path,
                             const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        (void)v;
        size_t i = 0;
        while (keys[i] != NULL && strcmp(keys[i], k) != 0)
            i++;
        if (keys[i] == NULL)
            return fail(c, "%s%s%.60s: unknown key", path, path[0] ? "." : "",
                        k);
    }
    return P20W_OK;
}

static p20w_status need_object(const ctx *c, json_t *v, const char *path)
{
    if (v == NULL)
        return fail(c, "%s: missing", path);
    if (!json_is_object(v))
        return fail(c, "%s: must be an object", path);
    return P20W_OK;
}

static p20w_status need_array(const ctx *c, json_t *v, const char *path,
                              size_t n)
{
    if (v == NULL)
        return fail(c, "%s: missing", path);
    if (!json_is_array(v))
        return fail(c, "%s: must be an array", path);
    if (n > 0 && json_array_size(v) != n)
        return fail(c, "%s: must have %zu entries, has %zu", path, n,
                    json_array_size(v));
    return P20W_OK;
}

static p20w_status need_string(const ctx *c, json_t *v, const char *path,
                               const char **out)
{
    if (v == NULL)
        return fail(c, "%s: missing", path);
    if (!json_is_string(v))
        return fail(c, "%s: must be a string", path);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len == 0)
        return fail(c, "%s: is empty", path);
    if (len > TEXT_MAX)
        return fail(c, "%s: longer than %d bytes", path, TEXT_MAX);
    if (strlen(s) != len)
        return fail(c, "%s: holds a NUL character", path);
    *out = s;
    return P20W_OK;
}

/* obj[key] is {"en": "...", "es": "..."}. */
static p20w_status get_text(const ctx *c, json_t *obj, const char *key,
                            const char *path, text2 out)
{
    static const char *const keys[] = {"en", "es", NULL};
    char p[192];
    snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", key);
    json_t *t = json_object_get(obj, key);
    p20w_status rc = need_object(c, t, p);
    if (rc == P20W_OK)
        rc = only_keys(c, t, p, keys);
    for (int l = 0; rc == P20W_OK && l < ASSESS_NLANG; l++) {
        char pl[208];
        snprintf(pl, sizeof pl, "%s.%s", p, lang_codes[l]);
        rc = need_string(c, json_object_get(t, lang_codes[l]), pl, &out[l]);
    }
    return rc;
}

/* obj[key] is {"en": ["...", ...], "es": [...]}: non-empty lists. */
static p20w_status get_list(const ctx *c, json_t *obj, const char *key,
                            const char *path, crit_list out[ASSESS_NLANG])
{
    static const char *const keys[] = {"en", "es", NULL};
    char p[192];
    snprintf(p, sizeof p, "%s.%s", path, key);
    json_t *t = json_object_get(obj, key);
    p20w_status rc = need_object(c, t, p);
    if (rc == P20W_OK)
        rc = only_keys(c, t, p, keys);
    for (int l = 0; rc == P20W_OK && l < ASSESS_NLANG; l++) {
        char pl[208];
        snprintf(pl, sizeof pl, "%s.%s", p, lang_codes[l]);
        json_t *arr = json_object_get(t, lang_codes[l]);
        rc = need_array(c, arr, pl, 0);
        if (rc == P20W_OK && json_array_size(arr) == 0)
            rc = fail(c, "%s: is empty", pl);
        if (rc == P20W_OK && json_array_size(arr) > 32)
            rc = fail(c, "%s: more than 32 criteria", pl);
        if (rc != P20W_OK)
            break;
        out[l].n = json_array_size(arr);
        out[l].items = p20w_calloc(out[l].n, sizeof *out[l].items);
        if (out[l].items == NULL)
            return p20w_err_set(c->err, P20W_ENOMEM, "out of memory");
        for (size_t i = 0; rc == P20W_OK && i < out[l].n; i++) {
            char pi[232];
            snprintf(pi, sizeof pi, "%s[%zu]", pl, i);
            rc = need_string(c, json_array_get(arr, i), pi, &out[l].items[i]);
        }
    }
    return rc;
}

static p20w_status check_id(const ctx *c, json_t *obj, const char *path,
                            const char *want)
{
    char p[192];
    const char *id = NULL;
    snprintf(p, sizeof p, "%s.id", path);
    p20w_status rc = need_string(c, json_object_get(obj, "id"), p, &id);
    if (rc == P20W_OK && strcmp(id, want) != 0)
        rc = fail(c, "%s: is \"%.20s\", expected \"%s\"", p, id, want);
    return rc;
}

static p20w_status load_ratings(const ctx *c, assess_rubric *r, json_t *root)
{
    static const char *const keys[] = {"rating", "name", "meaning", NULL};
    json_t *arr = json_object_get(root, "ratings");
    p20w_status rc = need_array(c, arr, "ratings", 4);
    for (size_t i = 0; rc == P20W_OK && i < 4; i++) {
        char p[64];
        snprintf(p, sizeof p, "ratings[%zu]", i);
        json_t *o = json_array_get(arr, i);
        rc = need_object(c, o, p);
        if (rc == P20W_OK)
            rc = only_keys(c, o, p, keys);
        json_t *n = json_object_get(o, "rating");
        if (rc == P20W_OK &&
            (!json_is_integer(n) || json_integer_value(n) != (json_int_t)i + 1))
            rc = fail(c, "%s.rating: must be %zu", p, i + 1);
        if (rc == P20W_OK)
            rc = get_text(c, o, "name", p, r->rating_name[i + 1]);
        if (rc == P20W_OK)
            rc = get_text(c, o, "meaning", p, r->rating_meaning[i + 1]);
    }
    return rc;
}

static p20w_status load_sub(const ctx *c, assess_rubric *r, json_t *o,
                            const char *path, size_t k)
{
    static const char *const keys[] = {"id", "title", "at_1", "at_4", NULL};
    p20w_status rc = need_object(c, o, path);
    if (rc == P20W_OK)
        rc = only_keys(c, o, path, keys);
    if (rc == P20W_OK)
        rc = check_id(c, o, path, sub_ids[k]);
    if (rc == P20W_OK)
        rc = get_text(c, o, "title", path, r->sub_title[k]);
    if (rc == P20W_OK)
        rc = get_list(c, o, "at_1", path, r->crit[k][0]);
    if (rc == P20W_OK)
        rc = get_list(c, o, "at_4", path, r->crit[k][1]);
    return rc;
}

static p20w_status load_elements(const ctx *c, assess_rubric *r, json_t *root)
{
    static const char *const keys[] = {"id", "title", "about", "subs", NULL};
    json_t *arr = json_object_get(root, "elements");
    p20w_status rc = need_array(c, arr, "elements", ASSESS_NCORE);
    size_t k = 0;
    for (int e = 0; rc == P20W_OK && e < ASSESS_NCORE; e++) {
        char p[64], want[4];
        snprintf(p, sizeof p, "elements[%d]", e);
        snprintf(want, sizeof want, "%d", e + 1);
        json_t *o = json_array_get(arr, (size_t)e);
        rc = need_object(c, o, p);
        if (rc == P20W_OK)
            rc = only_keys(c, o, p, keys);
        if (rc == P20W_OK)
            rc = check_id(c, o, p, want);
        if (rc == P20W_OK)
            rc = get_text(c, o, "title", p, r->core_title[e]);
        if (rc == P20W_OK)
            rc = get_text(c, o, "about", p, r->core_about[e]);
        char ps[96];
        snprintf(ps, sizeof ps, "%s.subs", p);
        json_t *subs = json_object_get(o, "subs");
        if (rc == P20W_OK)
            rc = need_array(c, subs, ps, core_nsub[e]);
        for (size_t s = 0; rc == P20W_OK && s < core_nsub[e]; s++, k++) {
            char pss[128];
            snprintf(pss, sizeof pss, "%s[%zu]", ps, s);
            rc = load_sub(c, r, json_array_get(subs, s), pss, k);
        }
    }
    return rc;
}

/* "levers" / "resources": arrays of {id, name, <second>} in fixed order. */
static p20w_status load_named(const ctx *c, json_t *root, const char *key,
                              const char *second, const char *const *ids,
                              size_t n, text2 *names, text2 *seconds)
{
    const char *keys[] = {"id", "name", second, NULL};
    json_t *arr = json_object_get(root, key);
    p20w_status rc = need_array(c, arr, key, n);
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        char p[64];
        snprintf(p, sizeof p, "%s[%zu]", key, i);
        json_t *o = json_array_get(arr, i);
        rc = need_object(c, o, p);
        if (rc == P20W_OK)
            rc = only_keys(c, o, p, keys);
        if (rc == P20W_OK)
            rc = check_id(c, o, p, ids[i]);
        if (rc == P20W_OK)
            rc = get_text(c, o, "name", p, names[i]);
        if (rc == P20W_OK)
            rc = get_text(c, o, second, p, seconds[i]);
    }
    return rc;
}

static p20w_status load_top(const ctx *c, assess_rubric *r, json_t *root)
{
    static const char *const keys[] = {"rubric",    "version",  "languages",
                                       "ratings",   "elements", "levers",
                                       "resources", NULL};
    const char *dummy = NULL;
    p20w_status rc = need_object(c, root, "(top level)");
    if (rc == P20W_OK)
        rc = only_keys(c, root, "", keys);
    if (rc == P20W_OK)
        rc = need_string(c, json_object_get(root, "rubric"), "rubric", &dummy);
    if (rc == P20W_OK)
        rc = need_string(c, json_object_get(root, "version"), "version",
                         &r->version);
    if (rc == P20W_OK && strlen(r->version) > 32)
        rc = fail(c, "version: longer than 32 bytes");
    json_t *langs = json_object_get(root, "languages");
    if (rc == P20W_OK)
        rc = need_array(c, langs, "languages", ASSESS_NLANG);
    for (size_t l = 0; rc == P20W_OK && l < ASSESS_NLANG; l++) {
        json_t *v = json_array_get(langs, l);
        if (!json_is_string(v) || strcmp(json_string_value(v), lang_codes[l]))
            rc = fail(c, "languages: must be [\"en\", \"es\"]");
    }
    if (rc == P20W_OK)
        rc = load_ratings(c, r, root);
    if (rc == P20W_OK)
        rc = load_elements(c, r, root);
    if (rc == P20W_OK)
        rc = load_named(c, root, "levers", "about", lever_ids, ASSESS_NLEVER,
                        r->lever_name, r->lever_about);
    if (rc == P20W_OK)
        rc = load_named(c, root, "resources", "prompt", resource_ids,
                        ASSESS_NRESOURCE, r->res_name, r->res_prompt);
    return rc;
}

p20w_status assess_rubric_parse(const char *text, size_t len, const char *name,
                                assess_rubric **out, p20w_err *err)
{
    *out = NULL;
    ctx c = {err, name};
    if (len > ASSESS_RUBRIC_MAX) {
        p20w_err_set(err, P20W_ELIMIT, "rubric: larger than %d bytes",
                     ASSESS_RUBRIC_MAX);
        if (name != NULL)
            p20w_err_at(err, name, 0, 0);
        return P20W_ELIMIT;
    }
    assess_rubric *r = p20w_calloc(1, sizeof *r);
    if (r == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    json_error_t je;
    r->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (r->root == NULL) {
        p20w_err_set(err, P20W_EFORMAT, "rubric: not valid JSON: %s", je.text);
        p20w_err_at(err, name, je.line, je.column);
        assess_rubric_free(r);
        return P20W_EFORMAT;
    }
    p20w_status rc = load_top(&c, r, r->root);
    if (rc != P20W_OK) {
        assess_rubric_free(r);
        return rc;
    }
    *out = r;
    return P20W_OK;
}

p20w_status assess_rubric_load(const char *path, assess_rubric **out,
                               p20w_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        p20w_err_set(err, P20W_EIO, "cannot open the rubric file");
        p20w_err_at(err, path, 0, 0);
        return P20W_EIO;
    }
    char *buf = p20w_malloc(ASSESS_RUBRIC_MAX + 1);
    size_t n = buf != NULL ? fread(buf, 1, ASSESS_RUBRIC_MAX + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    p20w_status rc = P20W_OK;
    if (buf == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    } else if (bad) {
        rc = p20w_err_set(err, P20W_EIO, "cannot read the rubric file");
        p20w_err_at(err, path, 0, 0);
    } else {
        rc = assess_rubric_parse(buf, n, path, out, err);
    }
    p20w_free(buf);
    return rc;
}

void assess_rubric_free(assess_rubric *r)
{
    if (r == NULL)
        return;
    for (size_t k = 0; k < ASSESS_NSUB; k++)
        for (int lv = 0; lv < 2; lv++)
            for (int l = 0; l < ASSESS_NLANG; l++)
                p20w_free(r->crit[k][lv][l].items);
    json_decref(r->root);
    p20w_free(r);
}

/* ---- reading -------------------------------------------------------- */

static assess_lang lang_ok(assess_lang l)
{
    return (unsigned)l < ASSESS_NLANG ? l : ASSESS_EN;
}

const char *assess_rubric_version(const assess_rubric *r)
{
    return r->version;
}

const char *assess_rubric_rating_name(const assess_rubric *r, int rating,
                                      assess_lang l)
{
    return rating >= 1 && rating <= 4 ? r->rating_name[rating][lang_ok(l)] : "";
}

const char *assess_rubric_rating_meaning(const assess_rubric *r, int rating,
                                         assess_lang l)
{
    return rating >= 1 && rating <= 4 ? r->rating_meaning[rating][lang_ok(l)]
                                      : "";
}

const char *assess_rubric_core_title(const assess_rubric *r, int core,
                                     assess_lang l)
{
    return core >= 1 && core <= ASSESS_NCORE
               ? r->core_title[core - 1][lang_ok(l)]
               : "";
}

const char *assess_rubric_core_about(const assess_rubric *r, int core,
                                     assess_lang l)
{
    return core >= 1 && core <= ASSESS_NCORE
               ? r->core_about[core - 1][lang_ok(l)]
               : "";
}

const char *assess_rubric_sub_title(const assess_rubric *r, size_t sub,
                                    assess_lang l)
{
    return sub < ASSESS_NSUB ? r->sub_title[sub][lang_ok(l)] : "";
}

const char *const *assess_rubric_sub_criteria(const assess_rubric *r,
                                              size_t sub, int level,
                                              assess_lang l, size_t *n)
{
    *n = 0;
    if (sub >= ASSESS_NSUB || (level != 1 && level != 4))
        return NULL;
    const crit_list *c = &r->crit[sub][level == 4][lang_ok(l)];
    *n = c->n;
    return c->items;
}

const char *assess_rubric_lever_name(const assess_rubric *r, int lever,
                                     assess_lang l)
{
    return lever >= 0 && lever < ASSESS_NLEVER
               ? r->lever_name[lever][lang_ok(l)]
               : "";
}

const char *assess_rubric_lever_about(const assess_rubric *r, int lever,
                                      assess_lang l)
{
    return lever >= 0 && lever < ASSESS_NLEVER
               ? r->lever_about[lever][lang_ok(l)]
               : "";
}

const char *assess_rubric_resource_name(const assess_rubric *r, int kind,
                                        assess_lang l)
{
    return kind >= 0 && kind < ASSESS_NRESOURCE ? r->res_name[kind][lang_ok(l)]
                                                : "";
}

const char *assess_rubric_resource_prompt(const assess_rubric *r, int kind,
                                          assess_lang l)
{
    return kind >= 0 && kind < ASSESS_NRESOURCE
               ? r->res_prompt[kind][lang_ok(l)]
               : "";
}
