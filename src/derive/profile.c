/*
 * profile.c — reporting profiles: the built-in `default`, the INI
 * configuration file that adds and overrides profiles, and the JSON form
 * stored beside every cube (profile.h).
 *
 * Parsing. inih splits lines into sections and `key = value` pairs; this
 * file feeds it through its own line reader, which counts lines (so every
 * error carries file:line), recognises section headers itself (so empty
 * sections exist and a bad header is reported on its own line), and
 * refuses what inih would silently reinterpret: indented lines (inih takes
 * them as continuation values), lines longer than inih's buffer (inih
 * would cut them in two), control characters. Every value is checked as
 * its key is read; the first error, by line, is the one reported.
 *
 * Profiles. Each [profile NAME] section records which fields it sets;
 * a profile is its parent (`inherits`, else `default`; `default` itself
 * starts from the built-in values) with those fields overlaid. All
 * profiles are resolved and cross-checked when the file is loaded, so a
 * loaded configuration only holds valid profiles.
 *
 * Not thread-safe while loading; a loaded configuration is read-only.
 */
#include "derive/profile.h"

#include <errno.h>
#include <ini.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "derive/timeline.h"
#include "util/mem.h"
#include "util/vec.h"

#define CONFIG_MAX_BYTES (1 << 20)
#define CONFIG_MAX_REGIONS 10000
#define CONFIG_MAX_PROFILES 256

/* The 16 National Career Clusters in enum tl_cluster order. */
static const char *const cluster_code[TL_CL_COUNT] = {
    "AG", "AR", "AC", "BM", "ED", "FN", "GV", "HS",
    "HT", "HU", "IT", "LW", "MN", "MK", "ST", "TD"};

static int cluster_find(const char *s, size_t n)
{
    for (int c = 0; c < TL_CL_COUNT; c++)
        if (n == 2 && memcmp(cluster_code[c], s, 2) == 0)
            return c;
    return -1;
}

#define BIT(c) (1u << (c))

void profile_default(p20w_profile *p)
{
    static const p20w_profile_band bands[] = {
        {300, 99.0, 1.0}, {100, 98.0, 2.0}, {40, 95.0, 5.0},
        {20, 90.0, 10.0}, {10, 80.0, 20.0},
    };
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "default");
    p->min_quarter_cents = 100;
    p->attach_annual_cents = 1508000;
    p->attach_quarters = 3;
    p->base_year = 0;
    p->employed_year_quarters = 1;
    p->employed_year_cents = 0;
    p->concentrator_courses = 2;
    p->ps_concentrator_credits = 12.0;
    p->value_wage_cents = 0;
    /* Illustrative: the clusters commonly cited as non-traditional for
     * each sex. A state replaces them with its own table. */
    p->nontrad_f =
        BIT(TL_CL_AC) | BIT(TL_CL_MN) | BIT(TL_CL_TD) | BIT(TL_CL_ST);
    p->nontrad_m = BIT(TL_CL_ED) | BIT(TL_CL_HS) | BIT(TL_CL_HU);
    p->min_n = 10;
    p->protect_pct = 0.5;
    p->min_n_percentile = 30;
    p->pool_years = 3;
    p->band_count = sizeof bands / sizeof bands[0];
    memcpy(p->band, bands, sizeof bands);
    p->regions = NULL;
    p->region_count = 0;
}

/* ---- the keys of a [profile] section ----------------------------------- */

enum field {
    F_MIN_QUARTER = 0,
    F_ATTACH_ANNUAL,
    F_ATTACH_QUARTERS,
    F_BASE_YEAR,
    F_EMP_YEAR_QUARTERS,
    F_EMP_YEAR_WAGES,
    F_CONC_COURSES,
    F_PS_CONC_CREDITS,
    F_VALUE_WAGE,
    F_MIN_N,
    F_PROTECT,
    F_MIN_N_PCT,
    F_POOL,
    F_BANDS,
    F_COUNT
};

enum kind { K_MONEY, K_INT, K_REAL, K_YEAR, K_BANDS };

typedef struct key_def {
    const char *key;
    int kind;
    double lo, hi; /* inclusive; dollars for K_MONEY */
} key_def;

static const key_def keys[F_COUNT] = {
    [F_MIN_QUARTER] = {"min_quarter_wages", K_MONEY, 0.01, 1e6},
    [F_ATTACH_ANNUAL] = {"attach_annual_min", K_MONEY, 0, 1e7},
    [F_ATTACH_QUARTERS] = {"attach_quarters", K_INT, 0, 4},
    [F_BASE_YEAR] = {"base_year", K_YEAR, 1913, 2100},
    [F_EMP_YEAR_QUARTERS] = {"employed_year_quarters", K_INT, 1, 4},
    [F_EMP_YEAR_WAGES] = {"employed_year_wages", K_MONEY, 0, 1e7},
    [F_CONC_COURSES] = {"concentrator_courses", K_INT, 1, 20},
    [F_PS_CONC_CREDITS] = {"ps_concentrator_credits", K_REAL, 0.5, 200},
    [F_VALUE_WAGE] = {"value_wage", K_MONEY, 0, 1e7},
    [F_MIN_N] = {"min_n", K_INT, 1, 100000},
    [F_PROTECT] = {"protect_pct", K_REAL, 0, 1},
    [F_MIN_N_PCT] = {"min_n_percentile", K_INT, 1, 100000},
    [F_POOL] = {"pool_years", K_INT, 2, 10},
    [F_BANDS] = {"bands", K_BANDS, 0, 0},
};

/* Copies field f of src into dst. */
static void copy_field(p20w_profile *dst, const p20w_profile *src, int f)
{
    switch (f) {
    case F_MIN_QUARTER:
        dst->min_quarter_cents = src->min_quarter_cents;
        break;
    case F_ATTACH_ANNUAL:
        dst->attach_annual_cents = src->attach_annual_cents;
        break;
    case F_ATTACH_QUARTERS:
        dst->attach_quarters = src->attach_quarters;
        break;
    case F_BASE_YEAR:
        dst->base_year = src->base_year;
        break;
    case F_EMP_YEAR_QUARTERS:
        dst->employed_year_quarters = src->employed_year_quarters;
        break;
    case F_EMP_YEAR_WAGES:
        dst->employed_year_cents = src->employed_year_cents;
        break;
    case F_CONC_COURSES:
        dst->concentrator_courses = src->concentrator_courses;
        break;
    case F_PS_CONC_CREDITS:
        dst->ps_concentrator_credits = src->ps_concentrator_credits;
        break;
    case F_VALUE_WAGE:
        dst->value_wage_cents = src->value_wage_cents;
        break;
    case F_MIN_N:
        dst->min_n = src->min_n;
        break;
    case F_PROTECT:
        dst->protect_pct = src->protect_pct;
        break;
    case F_MIN_N_PCT:
        dst->min_n_percentile = src->min_n_percentile;
        break;
    case F_POOL:
        dst->pool_years = src->pool_years;
        break;
    case F_BANDS:
        dst->band_count = src->band_count;
        memcpy(dst->band, src->band, sizeof dst->band);
        break;
    default:
        break;
    }
}

/* ---- the configuration ------------------------------------------------- */

typedef struct cfg_prof {
    char name[PROFILE_NAME_MAX];
    long line;                     /* its section header */
    char parent[PROFILE_NAME_MAX]; /* `inherits`, "" when not given */
    long parent_line;              /* line of `inherits` */
    uint32_t set;                  /* bit per enum field given here */
    p20w_profile vals;             /* the fields given here */
    int state;                     /* resolution: 0 new, 1 busy, 2 done */
    p20w_profile resolved;
} cfg_prof;

struct p20w_config {
    vec profs;   /* cfg_prof; [0] is `default` */
    vec regions; /* p20w_region_entry */
    uint32_t nontrad_f, nontrad_m;
};

/* What the reader and the handler share while one file is parsed. */
enum sect { S_NONE = 0, S_BAD, S_PROFILE, S_REGIONS, S_NONTRAD };

typedef struct parse_ctx {
    p20w_config *cfg;
    const char *text;
    size_t len, pos;
    long line;
    int sect;    /* enum sect of the current section */
    size_t prof; /* S_PROFILE: index in cfg->profs */
    long regions_line, nontrad_line;
    int f_set, m_set; /* [nontraditional] keys seen */
    int inherits_set; /* `inherits` seen in this section */
    p20w_status rc;   /* the first error */
    long err_line;
    p20w_err *err;
} parse_ctx;

/* Records the first error (by line: the reader runs ahead of nothing, so
 * the first recorded is the first in the file). */
static int fail(parse_ctx *c, p20w_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parse_ctx *c, p20w_status code, const char *fmt, ...)
{
    if (c->rc != P20W_OK)
        return 0;
    c->rc = code;
    c->err_line = c->line;
    if (c->err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        c->err->code = code;
        vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static int is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

static int valid_name(const char *s, size_t n)
{
    if (n == 0 || n > PROFILE_NAME_LEN_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(s[i]))
            return 0;
    return 1;
}

static cfg_prof *prof_at(const p20w_config *cfg, size_t i)
{
    return (cfg_prof *)cfg->profs.data + i;
}

static long prof_find(const p20w_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->profs.len; i++)
        if (strcmp(prof_at(cfg, i)->name, name) == 0)
            return (long)i;
    return -1;
}

/* A section header: the text between '[' and ']'. */
static void section_header(parse_ctx *c, const char *s, size_t n)
{
    /* split into words */
    const char *w[3];
    size_t wl[3], nw = 0, i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        if (nw == 3) {
            nw++;
            break;
        }
        w[nw] = s + st;
        wl[nw++] = i - st;
    }
    c->sect = S_BAD;
    c->inherits_set = 0;
    if (nw == 1 && wl[0] == 7 && memcmp(w[0], "regions", 7) == 0) {
        if (c->regions_line > 0) {
            fail(c, P20W_EINVAL,
                 "section [regions] given twice (first at "
                 "line %ld)",
                 c->regions_line);
            return;
        }
        c->regions_line = c->line;
        c->sect = S_REGIONS;
        return;
    }
    if (nw == 1 && wl[0] == 14 && memcmp(w[0], "nontraditional", 14) == 0) {
        if (c->nontrad_line > 0) {
            fail(c, P20W_EINVAL,
                 "section [nontraditional] given twice (first at line %ld)",
                 c->nontrad_line);
            return;
        }
        c->nontrad_line = c->line;
        c->sect = S_NONTRAD;
        return;
    }
    if (nw >= 1 && wl[0] == 7 && memcmp(w[0], "profile", 7) == 0) {
        if (nw != 2 || !valid_name(w[1], wl[1])) {
            fail(c, P20W_EFORMAT,
                 "a profile section is [profile NAME], NAME of 1 to %d "
                 "letters, digits, '_' or '-'",
                 PROFILE_NAME_LEN_MAX);
            return;
        }
        char name[PROFILE_NAME_MAX];
        memcpy(name, w[1], wl[1]);
        name[wl[1]] = '\0';
        long at = prof_find(c->cfg, name);
        if (at >= 0 && prof_at(c->cfg, (size_t)at)->line > 0) {
            fail(c, P20W_EINVAL, "profile '%s' given twice (first at line %ld)",
                 name, prof_at(c->cfg, (size_t)at)->line);
            return;
        }
        if (at < 0) {
            if (c->cfg->profs.len >= CONFIG_MAX_PROFILES) {
                fail(c, P20W_ELIMIT, "more than %d profiles",
                     CONFIG_MAX_PROFILES);
                return;
            }
            cfg_prof *p = vec_push_zero(&c->cfg->profs);
            if (p == NULL) {
                fail(c, P20W_ENOMEM, "out of memory");
                return;
            }
            memcpy(p->name, name, wl[1] + 1);
            at = (long)c->cfg->profs.len - 1;
        }
        prof_at(c->cfg, (size_t)at)->line = c->line;
        c->prof = (size_t)at;
        c->sect = S_PROFILE;
        return;
    }
    fail(c, P20W_EFORMAT,
         "unknown section [%.*s]: expected [profile NAME], [regions] or "
         "[nontraditional]",
         (int)(n > 60 ? 60 : n), s);
}

/* Checks one line before inih sees it: see the comment atop this file. */
static void check_line(parse_ctx *c, const char *s, size_t n, int max)
{
    if (n > (size_t)max) {
        fail(c, P20W_ELIMIT, "line longer than %d characters", max);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
            fail(c, P20W_EFORMAT, "control character (byte 0x%02x) in line",
                 ch);
            return;
        }
    }
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            fail(c, P20W_EFORMAT, "line is not valid UTF-8");
            return;
        }
        i += (size_t)k;
    }
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == n || s[i] == ';' || s[i] == '#')
        return;
    if (i > 0) {
        fail(c, P20W_EFORMAT,
             "indented line: keys and sections start in the first column "
             "(continuation lines are not supported)");
        return;
    }
    if (s[0] != '[')
        return;
    const char *close = memchr(s, ']', n);
    if (close == NULL) {
        fail(c, P20W_EFORMAT, "section header without ']'");
        c->sect = S_BAD;
        return;
    }
    for (const char *t = close + 1; t < s + n; t++) {
        if (*t == ';' || *t == '#')
            break;
        if (*t != ' ' && *t != '\t') {
            fail(c, P20W_EFORMAT, "text after the section header");
            c->sect = S_BAD;
            return;
        }
    }
    section_header(c, s + 1, (size_t)(close - s - 1));
}

/* inih's line source: fgets over the text, one line per call. */
static char *reader(char *str, int num, void *stream)
{
    parse_ctx *c = stream;
    if (c->pos >= c->len || num < 4)
        return NULL;
    const char *s = c->text + c->pos;
    size_t rest = c->len - c->pos;
    const char *nl = memchr(s, '\n', rest);
    size_t n = nl ? (size_t)(nl - s) : rest;
    c->pos += n + (nl ? 1 : 0);
    c->line++;
    if (c->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    if (n > 0 && s[n - 1] == '\r')
        n--;
    /* inih needs room for the line, '\r', '\n' and the NUL */
    int max = num - 3;
    check_line(c, s, n, max);
    size_t copy = n > (size_t)max ? (size_t)max : n;
    memcpy(str, s, copy);
    /* a NUL inside the line (refused above) must not end it early for
     * inih either: the line is reported, its content no longer matters */
    str[copy] = '\0';
    return str;
}

/* ---- values ------------------------------------------------------------ */

/* Dollars "1", "1.5", "15080.00" -> cents. */
static int parse_money(const char *v, int64_t *cents)
{
    int64_t whole = 0;
    size_t i = 0;
    if (v[0] < '0' || v[0] > '9')
        return 0;
    for (; v[i] >= '0' && v[i] <= '9'; i++) {
        if (whole > 100000000000LL)
            return 0;
        whole = whole * 10 + (v[i] - '0');
    }
    int64_t frac = 0;
    if (v[i] == '.') {
        i++;
        int digits = 0;
        for (; v[i] >= '0' && v[i] <= '9'; i++, digits++) {
            if (digits == 2)
                return 0;
            frac = frac * 10 + (v[i] - '0');
        }
        if (digits == 0)
            return 0;
        if (digits == 1)
            frac *= 10;
    }
    if (v[i] != '\0')
        return 0;
    *cents = whole * 100 + frac;
    return 1;
}

static int parse_long(const char *v, long *out)
{
    if (!((v[0] >= '0' && v[0] <= '9') || v[0] == '-'))
        return 0;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0')
        return 0;
    *out = x;
    return 1;
}

static int parse_real(const char *v, double *out)
{
    if (!((v[0] >= '0' && v[0] <= '9') || v[0] == '-' || v[0] == '.'))
        return 0;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno != 0 || end == v || *end != '\0' || !isfinite(x))
        return 0;
    /* only plain decimals: no exponent, no hex */
    for (const char *t = v; *t; t++)
        if (!((*t >= '0' && *t <= '9') || *t == '.' || *t == '-'))
            return 0;
    *out = x;
    return 1;
}

/* "300:99/1, 100:98/2, ..." */
static int parse_bands(parse_ctx *c, const char *v, p20w_profile *p)
{
    size_t nb = 0;
    const char *s = v;
    for (;;) {
        while (*s == ' ')
            s++;
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        while (n > 0 && s[n - 1] == ' ')
            n--;
        char item[64];
        if (n == 0 || n >= sizeof item)
            return fail(c, P20W_EFORMAT,
                        "bands: expected MIN_N:TOP/BOTTOM, ... "
                        "(e.g. 300:99/1, 100:98/2)");
        memcpy(item, s, n);
        item[n] = '\0';
        char *colon = strchr(item, ':'), *slash = strchr(item, '/');
        long mn;
        double top, bottom;
        if (colon == NULL || slash == NULL || slash < colon)
            return fail(c, P20W_EFORMAT, "bands: '%s' is not MIN_N:TOP/BOTTOM",
                        item);
        *colon = '\0';
        *slash = '\0';
        if (!parse_long(item, &mn) || !parse_real(colon + 1, &top) ||
            !parse_real(slash + 1, &bottom))
            return fail(c, P20W_EFORMAT,
                        "bands: band %zu is not MIN_N:TOP/BOTTOM with "
                        "numbers",
                        nb + 1);
        if (nb == PROFILE_MAX_BANDS)
            return fail(c, P20W_EINVAL, "bands: at most %d bands",
                        PROFILE_MAX_BANDS);
        if (mn < 1 || mn > 1000000000L)
            return fail(c, P20W_EINVAL,
                        "bands: band %zu: MIN_N must be 1 to 1000000000",
                        nb + 1);
        if (nb > 0 && mn >= p->band[nb - 1].min_denominator)
            return fail(c, P20W_EINVAL,
                        "bands: MIN_N must decrease from band to band "
                        "(band %zu: %ld after %ld)",
                        nb + 1, mn, p->band[nb - 1].min_denominator);
        if (!(bottom >= 0.1 && bottom < top && top <= 99.9))
            return fail(c, P20W_EINVAL,
                        "bands: band %zu: need 0.1 <= BOTTOM < TOP <= 99.9 "
                        "(percent; no band may read 0%% or 100%%)",
                        nb + 1);
        p->band[nb].min_denominator = mn;
        p->band[nb].top_pct = top;
        p->band[nb].bottom_pct = bottom;
        nb++;
        if (e == NULL)
            break;
        s = e + 1;
    }
    p->band_count = nb;
    return 1;
}

static void set_int_field(p20w_profile *p, int f, long x)
{
    switch (f) {
    case F_ATTACH_QUARTERS:
        p->attach_quarters = (int)x;
        break;
    case F_EMP_YEAR_QUARTERS:
        p->employed_year_quarters = (int)x;
        break;
    case F_CONC_COURSES:
        p->concentrator_courses = (int)x;
        break;
    case F_MIN_N:
        p->min_n = x;
        break;
    case F_MIN_N_PCT:
        p->min_n_percentile = x;
        break;
    case F_POOL:
        p->pool_years = (int)x;
        break;
    case F_BASE_YEAR:
        p->base_year = (int)x;
        break;
    default:
        break;
    }
}

static void set_money_field(p20w_profile *p, int f, int64_t cents)
{
    if (f == F_MIN_QUARTER)
        p->min_quarter_cents = cents;
    else if (f == F_ATTACH_ANNUAL)
        p->attach_annual_cents = cents;
    else if (f == F_EMP_YEAR_WAGES)
        p->employed_year_cents = cents;
    else if (f == F_VALUE_WAGE)
        p->value_wage_cents = cents;
}

static int profile_key(parse_ctx *c, const char *name, const char *value)
{
    cfg_prof *p = prof_at(c->cfg, c->prof);
    if (strcmp(name, "inherits") == 0) {
        if (c->inherits_set)
            return fail(c, P20W_EINVAL,
                        "key 'inherits' given twice in "
                        "[profile %s]",
                        p->name);
        c->inherits_set = 1;
        if (strcmp(p->name, "default") == 0)
            return fail(c, P20W_EINVAL,
                        "profile 'default' cannot inherit: it starts from "
                        "the built-in values");
        if (!valid_name(value, strlen(value)))
            return fail(c, P20W_EFORMAT,
                        "inherits: expected a profile name (1 to %d letters, "
                        "digits, '_' or '-')",
                        PROFILE_NAME_LEN_MAX);
        snprintf(p->parent, sizeof p->parent, "%s", value);
        p->parent_line = c->line;
        return 1;
    }
    int f = 0;
    while (f < F_COUNT && strcmp(keys[f].key, name) != 0)
        f++;
    if (f == F_COUNT)
        return fail(c, P20W_EFORMAT,
                    "unknown key '%.40s' in [profile %s] (see "
                    "docs/methodology-indicators.md for the keys)",
                    name, p->name);
    const key_def *k = &keys[f];
    if (p->set & BIT(f))
        return fail(c, P20W_EINVAL, "key '%s' given twice in [profile %s]",
                    k->key, p->name);
    p->set |= BIT(f);
    if (k->kind == K_MONEY) {
        int64_t cents;
        if (!parse_money(value, &cents))
            return fail(c, P20W_EFORMAT,
                        "%s: expected dollars (e.g. 1.00 or 15080)", k->key);
        if ((double)cents < k->lo * 100 - 0.5 ||
            (double)cents > k->hi * 100 + 0.5)
            return fail(c, P20W_EINVAL, "%s: must be %.2f to %.2f dollars",
                        k->key, k->lo, k->hi);
        set_money_field(&p->vals, f, cents);
    } else if (k->kind == K_INT || k->kind == K_YEAR) {
        long x;
        if (k->kind == K_YEAR && strcmp(value, "none") == 0) {
            p->vals.base_year = 0;
            return 1;
        }
        if (!parse_long(value, &x))
            return fail(c, P20W_EFORMAT, "%s: expected a whole number%s",
                        k->key, k->kind == K_YEAR ? " or 'none'" : "");
        if (x < (long)k->lo || x > (long)k->hi)
            return fail(c, P20W_EINVAL, "%s: must be %ld to %ld%s", k->key,
                        (long)k->lo, (long)k->hi,
                        k->kind == K_YEAR ? " or 'none'" : "");
        set_int_field(&p->vals, f, x);
    } else if (k->kind == K_REAL) {
        double x;
        if (!parse_real(value, &x))
            return fail(c, P20W_EFORMAT, "%s: expected a number", k->key);
        if (x < k->lo || x > k->hi)
            return fail(c, P20W_EINVAL, "%s: must be %g to %g", k->key, k->lo,
                        k->hi);
        if (f == F_PROTECT)
            p->vals.protect_pct = x;
        else
            p->vals.ps_concentrator_credits = x;
    } else {
        return parse_bands(c, value, &p->vals);
    }
    return 1;
}

static int region_key(parse_ctx *c, const char *name, const char *value)
{
    size_t n = strlen(name);
    if (n != 5 || strspn(name, "0123456789") != 5)
        return fail(c, P20W_EFORMAT,
                    "[regions]: expected 'COUNTY_FIPS = region name' with a "
                    "5-digit FIPS code");
    size_t vn = strlen(value);
    if (vn == 0 || vn >= PROFILE_NAME_MAX)
        return fail(c, P20W_EINVAL,
                    "[regions]: the region name of %s must be 1 to %d "
                    "characters",
                    name, PROFILE_NAME_MAX - 1);
    if (strpbrk(value, ";=") != NULL)
        return fail(c, P20W_EFORMAT,
                    "[regions]: a region name may not hold ';' or '=' (they "
                    "separate the parts of a cell's key)");
    const p20w_region_entry *r = c->cfg->regions.data;
    for (size_t i = 0; i < c->cfg->regions.len; i++)
        if (strcmp(r[i].fips, name) == 0)
            return fail(c, P20W_EINVAL, "[regions]: county %s given twice",
                        name);
    if (c->cfg->regions.len >= CONFIG_MAX_REGIONS)
        return fail(c, P20W_ELIMIT, "[regions]: more than %d counties",
                    CONFIG_MAX_REGIONS);
    p20w_region_entry *e = vec_push_zero(&c->cfg->regions);
    if (e == NULL)
        return fail(c, P20W_ENOMEM, "out of memory");
    memcpy(e->fips, name, 6);
    memcpy(e->name, value, vn + 1);
    return 1;
}

static int nontrad_key(parse_ctx *c, const char *name, const char *value)
{
    int is_f = strcmp(name, "F") == 0;
    if (!is_f && strcmp(name, "M") != 0)
        return fail(c, P20W_EFORMAT,
                    "[nontraditional]: keys are F and M (the sex for whom "
                    "the listed clusters are non-traditional)");
    int *seen = is_f ? &c->f_set : &c->m_set;
    if (*seen)
        return fail(c, P20W_EINVAL, "[nontraditional]: key %s given twice",
                    name);
    *seen = 1;
    uint32_t bits = 0;
    if (strcmp(value, "none") != 0) {
        const char *s = value;
        for (;;) {
            while (*s == ' ')
                s++;
            const char *e = strchr(s, ',');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            while (n > 0 && s[n - 1] == ' ')
                n--;
            int cl = cluster_find(s, n);
            if (cl < 0)
                return fail(c, P20W_EFORMAT,
                            "[nontraditional]: '%.*s' is not a career "
                            "cluster code (AG, AR, AC, BM, ED, FN, GV, HS, "
                            "HT, HU, IT, LW, MN, MK, ST, TD) or 'none'",
                            (int)(n > 20 ? 20 : n), s);
            if (bits & BIT(cl))
                return fail(c, P20W_EINVAL, "[nontraditional]: %s listed twice",
                            cluster_code[cl]);
            bits |= BIT(cl);
            if (e == NULL)
                break;
            s = e + 1;
        }
    }
    if (is_f)
        c->cfg->nontrad_f = bits;
    else
        c->cfg->nontrad_m = bits;
    return 1;
}

static int handler(void *user, const char *section, const char *name,
                   const char *value)
{
    parse_ctx *c = user;
    (void)section; /* the reader tracked it, with its line */
    if (c->rc != P20W_OK)
        return 0;
    switch (c->sect) {
    case S_NONE:
        return fail(c, P20W_EFORMAT,
                    "key '%.40s' before any section: start with "
                    "[profile NAME], [regions] or [nontraditional]",
                    name);
    case S_PROFILE:
        return profile_key(c, name, value);
    case S_REGIONS:
        return region_key(c, name, value);
    case S_NONTRAD:
        return nontrad_key(c, name, value);
    default:
        return 0; /* the section header was already reported */
    }
}

/* ---- resolution -------------------------------------------------------- */

static p20w_status check_profile(const p20w_profile *p, p20w_err *err)
{
    if (p->min_n_percentile < p->min_n)
        return p20w_err_set(err, P20W_EINVAL,
                            "profile '%s': min_n_percentile (%ld) must be "
                            ">= min_n (%ld)",
                            p->name, p->min_n_percentile, p->min_n);
    if (p->band_count == 0 ||
        p->band[p->band_count - 1].min_denominator > p->min_n)
        return p20w_err_set(err, P20W_EINVAL,
                            "profile '%s': the last band must start at or "
                            "below min_n (%ld), so every published rate has "
                            "a band",
                            p->name, p->min_n);
    return P20W_OK;
}

static p20w_status resolve(p20w_config *cfg, size_t i, const char *file,
                           p20w_err *err)
{
    cfg_prof *p = prof_at(cfg, i);
    if (p->state == 2)
        return P20W_OK;
    if (p->state == 1) {
        p20w_err_set(err, P20W_EINVAL,
                     "profile '%s' inherits from itself (a cycle of "
                     "'inherits')",
                     p->name);
        p20w_err_at(err, file, p->parent_line, 0);
        return P20W_EINVAL;
    }
    p->state = 1;
    p20w_profile base;
    if (i == 0) {
        profile_default(&base);
    } else {
        const char *pname = p->parent[0] ? p->parent : "default";
        long at = prof_find(cfg, pname);
        if (at < 0) {
            p20w_err_set(err, P20W_EINVAL,
                         "profile '%s' inherits from unknown profile '%s'",
                         p->name, pname);
            p20w_err_at(err, file, p->parent_line, 0);
            return P20W_EINVAL;
        }
        p20w_status rc = resolve(cfg, (size_t)at, file, err);
        if (rc != P20W_OK)
            return rc;
        base = prof_at(cfg, (size_t)at)->resolved;
    }
    for (int f = 0; f < F_COUNT; f++)
        if (p->set & BIT(f))
            copy_field(&base, &p->vals, f);
    snprintf(base.name, sizeof base.name, "%s", p->name);
    base.nontrad_f = cfg->nontrad_f;
    base.nontrad_m = cfg->nontrad_m;
    p20w_status rc = check_profile(&base, err);
    if (rc != P20W_OK) {
        p20w_err_at(err, file, p->line, 0);
        return rc;
    }
    p->resolved = base;
    p->state = 2;
    return P20W_OK;
}

static p20w_status config_new(p20w_config **out)
{
    p20w_config *cfg = p20w_calloc(1, sizeof *cfg);
    if (cfg == NULL)
        return P20W_ENOMEM;
    vec_init(&cfg->profs, sizeof(cfg_prof));
    vec_init(&cfg->regions, sizeof(p20w_region_entry));
    cfg_prof *d = vec_push_zero(&cfg->profs);
    if (d == NULL) {
        p20w_free(cfg);
        return P20W_ENOMEM;
    }
    snprintf(d->name, sizeof d->name, "default");
    p20w_profile def;
    profile_default(&def);
    cfg->nontrad_f = def.nontrad_f;
    cfg->nontrad_m = def.nontrad_m;
    *out = cfg;
    return P20W_OK;
}

p20w_status profile_config_parse(const char *text, size_t len, const char *name,
                                 p20w_config **out, p20w_err *err)
{
    *out = NULL;
    const char *file = name ? name : "";
    p20w_config *cfg = NULL;
    if (config_new(&cfg) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    parse_ctx c = {0};
    c.cfg = cfg;
    c.text = text;
    c.len = len;
    c.err = err;
    int r = ini_parse_stream(reader, &c, handler, &c);
    p20w_status rc = c.rc;
    if (rc != P20W_OK && (r <= 0 || c.err_line <= r)) {
        if (err != NULL) {
            err->file[0] = '\0';
            p20w_err_at(err, file, c.err_line, 0);
        }
    } else if (r > 0) {
        rc = p20w_err_set(err, P20W_EFORMAT,
                          "expected 'key = value', '[section]' or a comment");
        p20w_err_at(err, file, r, 0);
    } else if (r < 0) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == P20W_OK && i < cfg->profs.len; i++)
        rc = resolve(cfg, i, file, err);
    if (rc != P20W_OK) {
        profile_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return P20W_OK;
}

p20w_status profile_config_load(const char *path, p20w_config **out,
                                p20w_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        p20w_status code = errno == ENOENT ? P20W_ENOTFOUND : P20W_EIO;
        p20w_err_set(err, code, "cannot open the configuration: %s",
                     strerror(errno));
        p20w_err_at(err, path, 0, 0);
        return code;
    }
    p20w_status rc = P20W_OK;
    char *buf = p20w_malloc(CONFIG_MAX_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, CONFIG_MAX_BYTES + 1, f);
    if (ferror(f)) {
        rc = p20w_err_set(err, P20W_EIO, "cannot read the configuration");
        p20w_err_at(err, path, 0, 0);
    } else if (n > CONFIG_MAX_BYTES) {
        rc = p20w_err_set(err, P20W_ELIMIT,
                          "the configuration is larger than %d bytes",
                          CONFIG_MAX_BYTES);
        p20w_err_at(err, path, 0, 0);
    }
    fclose(f);
    if (rc == P20W_OK)
        rc = profile_config_parse(buf, n, path, out, err);
    p20w_free(buf);
    return rc;
}

p20w_status profile_config_get(const p20w_config *cfg, const char *name,
                               p20w_profile *prof, p20w_err *err)
{
    if (cfg == NULL) {
        if (strcmp(name, "default") != 0)
            return p20w_err_set(err, P20W_ENOTFOUND,
                                "unknown profile '%s' (no configuration "
                                "file given: only 'default' exists)",
                                name);
        profile_default(prof);
        return P20W_OK;
    }
    long at = prof_find(cfg, name);
    if (at < 0) {
        char known[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < cfg->profs.len && used < sizeof known; i++) {
            int w = snprintf(known + used, sizeof known - used, "%s%s",
                             i ? ", " : "", prof_at(cfg, i)->name);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        return p20w_err_set(err, P20W_ENOTFOUND,
                            "unknown profile '%s' (known: %s)", name, known);
    }
    *prof = prof_at(cfg, (size_t)at)->resolved;
    if (cfg->regions.len > 0) {
        prof->regions = cfg->regions.data;
        prof->region_count = cfg->regions.len;
    }
    return P20W_OK;
}

size_t profile_config_count(const p20w_config *cfg)
{
    return cfg ? cfg->profs.len : 1;
}

const char *profile_config_name(const p20w_config *cfg, size_t i)
{
    if (cfg == NULL)
        return i == 0 ? "default" : NULL;
    return i < cfg->profs.len ? prof_at(cfg, i)->name : NULL;
}

void profile_config_free(p20w_config *cfg)
{
    if (cfg == NULL)
        return;
    vec_free(&cfg->profs);
    vec_free(&cfg->regions);
    p20w_free(cfg);
}

/* ---- JSON -------------------------------------------------------------- */

static json_t *clusters_json(uint32_t bits)
{
    json_t *a = json_array();
    for (int c = 0; a != NULL && c < TL_CL_COUNT; c++) {
        if (!(bits & BIT(c)))
            continue;
        if (json_array_append_new(a, json_string(cluster_code[c])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

p20w_status profile_to_json(const p20w_profile *p, char **out, p20w_err *err)
{
    *out = NULL;
    json_t *bands = json_array(), *regions = NULL, *o = NULL;
    int bad = bands == NULL;
    for (size_t i = 0; !bad && i < p->band_count; i++)
        bad = json_array_append_new(
            bands,
            json_pack("{s:I, s:f, s:f}", "min_denominator",
                      (json_int_t)p->band[i].min_denominator, "top_pct",
                      p->band[i].top_pct, "bottom_pct", p->band[i].bottom_pct));
    if (!bad && p->regions != NULL) {
        regions = json_object();
        bad = regions == NULL;
        for (size_t i = 0; !bad && i < p->region_count; i++)
            bad = json_object_set_new(regions, p->regions[i].fips,
                                      json_string(p->regions[i].name));
    } else if (!bad) {
        regions = json_string("commuting zones");
        bad = regions == NULL;
    }
    if (!bad) {
        o = json_pack("{s:s, s:I, s:I, s:i, s:o, s:i, s:I, s:i, s:f, s:I, "
                      "s:{s:o, s:o}, s:I, s:O, s:f, s:I, s:i, s:O}",
                      "name", p->name, "min_quarter_cents",
                      (json_int_t)p->min_quarter_cents, "attach_annual_cents",
                      (json_int_t)p->attach_annual_cents, "attach_quarters",
                      p->attach_quarters, "base_year",
                      p->base_year ? json_integer(p->base_year) : json_null(),
                      "employed_year_quarters", p->employed_year_quarters,
                      "employed_year_cents", (json_int_t)p->employed_year_cents,
                      "concentrator_courses", p->concentrator_courses,
                      "ps_concentrator_credits", p->ps_concentrator_credits,
                      "value_wage_cents", (json_int_t)p->value_wage_cents,
                      "nontraditional", "F", clusters_json(p->nontrad_f), "M",
                      clusters_json(p->nontrad_m), "min_n",
                      (json_int_t)p->min_n, "bands", bands, "protect_pct",
                      p->protect_pct, "min_n_percentile",
                      (json_int_t)p->min_n_percentile, "pool_years",
                      p->pool_years, "regions", regions);
        bad = o == NULL;
    }
    char *s = NULL;
    if (!bad) {
        s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        bad = s == NULL;
    }
    if (!bad) {
        *out = p20w_strdup(s);
        bad = *out == NULL;
    }
    free(s); /* jansson allocates with malloc */
    json_decref(o);
    json_decref(bands);
    json_decref(regions);
    if (bad)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}
