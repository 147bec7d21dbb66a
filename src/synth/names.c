/*
 * names.c — reference name pools and the identity noise applied to names.
 *
 * Pools: first names by sex weighted by SSA counts (data/first_names.csv);
 * surnames by race/ethnicity with P(surname | race) ∝ count × pct_race
 * (data/surnames.csv, Census 2010: the share of each name's bearers in each
 * group, so a name's weight within a group is the number of its bearers in
 * that group); nicknames (data/nicknames.csv). Census surnames are upper-case
 * ASCII; they are title-cased here ("MCDONALD" -> "McDonald"), and a small
 * table gives the accented Spanish spelling of common Hispanic names.
 *
 * The noise functions only ever produce letters, spaces, apostrophes,
 * hyphens and periods, and valid UTF-8, so noisy records still pass the
 * name rule of spec/extracts.md.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "synth/synth_int.h"
#include "util/mem.h"

p20w_status synth_pool_add(synth_world *w, synth_pool *p, const char *s,
                           double weight)
{
    if (weight <= 0)
        return P20W_OK;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        const char **it = p20w_realloc((void *)p->item, cap * sizeof *it);
        if (it == NULL)
            return P20W_ENOMEM;
        p->item = it;
        double *cum = p20w_realloc(p->cum, cap * sizeof *cum);
        if (cum == NULL)
            return P20W_ENOMEM;
        p->cum = cum;
        p->cap = cap;
    }
    char *copy = arena_strndup(w->a, s, strlen(s));
    if (copy == NULL)
        return P20W_ENOMEM;
    p->item[p->n] = copy;
    p->cum[p->n] = (p->n ? p->cum[p->n - 1] : 0) + weight;
    p->n++;
    return P20W_OK;
}

const char *synth_pool_pick(const synth_pool *p, synth_rng *r)
{
    return p->item[synth_rng_pick_cum(r, p->cum, p->n)];
}

static const char *const accent_table[][2] = {
    {"Alvarez", "Álvarez"},     {"Benitez", "Benítez"},
    {"Diaz", "Díaz"},           {"Dominguez", "Domínguez"},
    {"Fernandez", "Fernández"}, {"Garcia", "García"},
    {"Gomez", "Gómez"},         {"Gonzalez", "González"},
    {"Gutierrez", "Gutiérrez"}, {"Hernandez", "Hernández"},
    {"Ibanez", "Ibáñez"},       {"Jimenez", "Jiménez"},
    {"Lopez", "López"},         {"Marquez", "Márquez"},
    {"Martinez", "Martínez"},   {"Mendez", "Méndez"},
    {"Munoz", "Muñoz"},         {"Nunez", "Núñez"},
    {"Ordonez", "Ordóñez"},     {"Pena", "Peña"},
    {"Perez", "Pérez"},         {"Ramirez", "Ramírez"},
    {"Rodriguez", "Rodríguez"}, {"Ruiz", "Ruíz"},
    {"Sanchez", "Sánchez"},     {"Suarez", "Suárez"},
    {"Vasquez", "Vásquez"},     {"Velazquez", "Velázquez"},
    {"Adrian", "Adrián"},       {"Andres", "Andrés"},
    {"Angel", "Ángel"},         {"Hector", "Héctor"},
    {"Jesus", "Jesús"},         {"Joaquin", "Joaquín"},
    {"Jose", "José"},           {"Julian", "Julián"},
    {"Lucia", "Lucía"},         {"Maria", "María"},
    {"Martin", "Martín"},       {"Ramon", "Ramón"},
    {"Raul", "Raúl"},           {"Ruben", "Rubén"},
    {"Sebastian", "Sebastián"}, {"Sofia", "Sofía"},
    {"Valeria", "Valéria"},     {"Ines", "Inés"},
};

const char *synth_accented(const char *ascii)
{
    for (size_t i = 0; i < sizeof accent_table / sizeof accent_table[0]; i++)
        if (strcmp(accent_table[i][0], ascii) == 0)
            return accent_table[i][1];
    return NULL;
}

static int nick_cmp(const void *a, const void *b)
{
    const synth_nick *x = a, *y = b;
    int c = strcmp(x->formal, y->formal);
    return c ? c : strcmp(x->nick, y->nick);
}

const char *synth_nickname(const synth_world *w, const char *first,
                           synth_rng *r)
{
    char key[64];
    size_t n = strlen(first);
    if (n == 0 || n >= sizeof key)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        key[i] = (char)tolower((unsigned char)first[i]);
    size_t lo = 0, hi = w->nnick;
    while (lo < hi) { /* first entry >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(w->nick[mid].formal, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < w->nnick && strcmp(w->nick[end].formal, key) == 0)
        end++;
    if (end == lo)
        return NULL;
    return w->nick[lo + synth_rng_below(r, (uint32_t)(end - lo))].nick;
}

/* "MCDONALD" -> "McDonald", "SMITH" -> "Smith"; out has cap bytes. */
static void title_case(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    int start = 1;
    for (; in[n] != '\0' && n + 1 < cap; n++) {
        unsigned char c = (unsigned char)in[n];
        out[n] = (char)(start ? toupper(c) : tolower(c));
        start = !isalpha(c);
    }
    out[n] = '\0';
    if (n > 3 && out[0] == 'M' && out[1] == 'c')
        out[2] = (char)toupper((unsigned char)out[2]);
}

/* Census drops the apostrophe of O'Brien and D'Amico; put it back. */
static void restore_apostrophe(char *name, size_t cap)
{
    static const char *const irish[] = {
        "Obrien",  "Oconnor", "Oneill",  "Oneal",   "Odonnell", "Oconnell",
        "Oneil",   "Oleary",  "Ohara",   "Omalley", "Okeefe",   "Orourke",
        "Oreilly", "Damico",  "Dangelo", NULL};
    size_t n = strlen(name);
    for (const char *const *s = irish; *s; s++)
        if (strcmp(name, *s) == 0 && n + 2 <= cap) {
            memmove(name + 2, name + 1, n); /* with the NUL */
            name[1] = '\'';
            name[2] = (char)toupper((unsigned char)name[2]);
            return;
        }
}

/* Nicknames like "k.c." become "K.C."; others "Bill". */
static void nick_case(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    int start = 1;
    for (; in[n] != '\0' && n + 1 < cap; n++) {
        unsigned char c = (unsigned char)in[n];
        out[n] = (char)(start ? toupper(c) : c);
        start = c == '.' || c == ' ' || c == '-';
    }
    out[n] = '\0';
}

typedef struct load_ctx {
    synth_world *w;
    int which;
} load_ctx;

static int name_ok(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(isalpha(c) || c == ' ' || c == '\'' || c == '-' || c == '.' ||
              c >= 0x80))
            return 0;
    }
    return 1;
}

static p20w_status first_row(void *ctx, const char *const *v, p20w_err *err)
{
    synth_world *w = ctx;
    int sex = strcmp(v[1], "M") == 0;
    if (!name_ok(v[0]))
        return P20W_OK;
    double count = strtod(v[2], NULL);
    if (synth_pool_add(w, &w->first[sex], v[0], count) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

static p20w_status last_row(void *ctx, const char *const *v, p20w_err *err)
{
    synth_world *w = ctx;
    char name[64];
    if (!name_ok(v[0]) || strlen(v[0]) < 2)
        return P20W_OK;
    title_case(v[0], name, sizeof name);
    restore_apostrophe(name, sizeof name);
    double count = strtod(v[1], NULL);
    /* pctwhite, pctblack, pctapi, pctaian, pct2prace, pcthispanic */
    static const int col_race[6] = {R_WH, R_BL, R_AS, R_AI, R_TW, R_HI};
    for (int c = 0; c < 6; c++) {
        double pct = v[2 + c][0] ? strtod(v[2 + c], NULL) : 0.0;
        int race = col_race[c];
        if (synth_pool_add(w, &w->last[race], name, count * pct) != P20W_OK)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        if (race == R_AS && /* Census pools Asian and Pacific Islander */
            synth_pool_add(w, &w->last[R_PI], name, count * pct) != P20W_OK)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    return P20W_OK;
}

typedef struct nick_vec {
    synth_world *w;
    size_t cap;
} nick_vec;

static p20w_status nick_row(void *ctx, const char *const *v, p20w_err *err)
{
    nick_vec *nv = ctx;
    synth_world *w = nv->w;
    char nick[64];
    if (!name_ok(v[0]) || !name_ok(v[1]) || strlen(v[1]) >= sizeof nick)
        return P20W_OK;
    if (w->nnick == nv->cap) {
        size_t cap = nv->cap ? nv->cap * 2 : 1024;
        synth_nick *p = p20w_realloc(w->nick, cap * sizeof *p);
        if (p == NULL)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        w->nick = p;
        nv->cap = cap;
    }
    nick_case(v[1], nick, sizeof nick);
    w->nick[w->nnick].formal = arena_strndup(w->a, v[0], strlen(v[0]));
    w->nick[w->nnick].nick = arena_strndup(w->a, nick, strlen(nick));
    if (w->nick[w->nnick].formal == NULL || w->nick[w->nnick].nick == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    w->nnick++;
    return P20W_OK;
}

p20w_status synth_names_load(synth_world *w, p20w_err *err)
{
    static const char *const fcols[] = {"name", "sex", "count_2000_2012"};
    static const char *const lcols[] = {"name",      "count",      "pctwhite",
                                        "pctblack",  "pctapi",     "pctaian",
                                        "pct2prace", "pcthispanic"};
    static const char *const ncols[] = {"formal_name", "nickname"};
    p20w_status st =
        synth_read_ref(w, "first_names.csv", fcols, 3, first_row, w, err);
    if (st != P20W_OK)
        return st;
    st = synth_read_ref(w, "surnames.csv", lcols, 8, last_row, w, err);
    if (st != P20W_OK)
        return st;
    nick_vec nv = {w, 0};
    st = synth_read_ref(w, "nicknames.csv", ncols, 2, nick_row, &nv, err);
    if (st != P20W_OK)
        return st;
    if (w->nnick > 0)
        qsort(w->nick, w->nnick, sizeof *w->nick, nick_cmp);
    for (int s = 0; s < 2; s++)
        if (w->first[s].n == 0)
            return p20w_err_set(err, P20W_EFORMAT,
                                "first_names.csv: no names for one sex");
    for (int r = 0; r < R_COUNT; r++)
        if (w->last[r].n == 0)
            return p20w_err_set(err, P20W_EFORMAT,
                                "surnames.csv: no surnames for a group");
    return P20W_OK;
}

/* ---- noise ---------------------------------------------------------- */

static void copy_cap(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, in, n);
    out[n] = '\0';
}

/* Positions of ASCII letters in s (at most cap of them). */
static size_t ascii_letters(const char *s, size_t *pos, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; s[i] != '\0' && k < cap; i++)
        if (isalpha((unsigned char)s[i]))
            pos[k++] = i;
    return k;
}

int synth_typo(const char *in, char *out, size_t cap, synth_rng *r)
{
    size_t pos[64];
    size_t n = strlen(in);
    size_t k = ascii_letters(in, pos, 64);
    copy_cap(in, out, cap);
    if (k < 3 || n + 2 >= cap)
        return 0;
    size_t i = pos[1 + synth_rng_below(r, (uint32_t)(k - 1))];
    char letter = (char)('a' + synth_rng_below(r, 26));
    switch (synth_rng_below(r, 4)) {
    case 0: /* insert */
        memmove(out + i + 1, out + i, n - i + 1);
        out[i] = letter;
        return 1;
    case 1: /* delete */
        memmove(out + i, out + i + 1, n - i);
        return 1;
    case 2: /* substitute */
        if (tolower((unsigned char)out[i]) == letter)
            letter = letter == 'z' ? 'a' : (char)(letter + 1);
        out[i] = isupper((unsigned char)out[i])
                     ? (char)toupper((unsigned char)letter)
                     : letter;
        return 1;
    default: /* transpose with the previous letter when they differ */
        if (!isalpha((unsigned char)out[i - 1]) || out[i - 1] == out[i] ||
            i - 1 == 0) {
            memmove(out + i, out + i + 1, n - i); /* fall back to delete */
            return 1;
        }
        {
            char t = out[i];
            out[i] = out[i - 1];
            out[i - 1] = t;
        }
        return 1;
    }
}

int synth_strip_diacritics(const char *in, char *out, size_t cap)
{
    /* Latin-1 supplement letters used by the accent table. */
    static const char from[] = "ÁÉÍÓÚÑÜáéíóúñü";
    static const char to[] = "AEIOUNUaeiounu";
    size_t o = 0;
    int changed = 0;
    for (size_t i = 0; in[i] != '\0' && o + 1 < cap;) {
        unsigned char c = (unsigned char)in[i];
        if (c == 0xC3 && in[i + 1] != '\0') {
            const char *hit = NULL;
            for (size_t j = 0; from[j] != '\0'; j += 2)
                if (from[j + 1] == in[i + 1]) {
                    hit = from + j;
                    out[o++] = to[j / 2];
                    break;
                }
            if (hit != NULL) {
                changed = 1;
                i += 2;
                continue;
            }
        }
        out[o++] = in[i++];
    }
    out[o] = '\0';
    return changed;
}

int synth_drop_part(const char *in, char *out, size_t cap, synth_rng *r)
{
    const char *sep = strpbrk(in, "- ");
    if (sep == NULL || sep == in || sep[1] == '\0') {
        copy_cap(in, out, cap);
        return 0;
    }
    if (synth_rng_chance(r, 0.5)) {
        size_t n = (size_t)(sep - in);
        if (n >= cap)
            n = cap - 1;
        memcpy(out, in, n);
        out[n] = '\0';
    } else {
        copy_cap(sep + 1, out, cap);
    }
    return 1;
}

void synth_upper(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] != '\0' && i + 1 < cap; i++) {
        unsigned char c = (unsigned char)in[i];
        if (i > 0 && (unsigned char)in[i - 1] == 0xC3 && c >= 0xA0 &&
            c <= 0xBE && c != 0xB7)
            out[i] = (char)(c - 0x20); /* á -> Á */
        else
            out[i] = c < 0x80 ? (char)toupper(c) : (char)c;
    }
    out[i] = '\0';
}

void synth_messy_space(const char *in, char *out, size_t cap, synth_rng *r)
{
    size_t n = strlen(in);
    if (n + 3 >= cap) {
        copy_cap(in, out, cap);
        return;
    }
    switch (synth_rng_below(r, 3)) {
    case 0:
        out[0] = ' ';
        memcpy(out + 1, in, n + 1);
        break;
    case 1:
        memcpy(out, in, n);
        out[n] = ' ';
        out[n + 1] = '\0';
        break;
    default: /* a doubled inner space, or a trailing one */
    {
        const char *sp = strchr(in, ' ');
        if (sp == NULL) {
            memcpy(out, in, n);
            out[n] = ' ';
            out[n + 1] = '\0';
        } else {
            size_t k = (size_t)(sp - in);
            memcpy(out, in, k);
            out[k] = ' ';
            memcpy(out + k + 1, in + k, n - k + 1);
        }
    }
    }
}
