/*
 * noise.c — how an agency's record of a person differs from the truth.
 *
 * synth_record_make() starts from the person's true identity as of a day
 * (married surname after the marriage date) and applies, each with its own
 * probability from a per-source rate table scaled by --noise: a dropped
 * part of a compound surname, stripped diacritics, a nickname (or, in wage
 * records, the first initial only), one typo per name (insert, delete,
 * substitute or transpose), missing names, upper case, stray whitespace,
 * birth date day/month swap or one-digit error, SSN digit substitution or
 * transposition, invalid SSN patterns, a different race code. Each applied
 * change is listed in the record's tags (truth/person_map.csv), and only
 * changes that alter the value are applied and tagged (an apostrophe
 * dropped or spaced needs an O'Brien); a day/month swap
 * needs day <= 12 and day != month, diacritics need an accented name, a
 * nickname needs the name in data/nicknames.csv.
 */
#include <stdio.h>
#include <string.h>

#include "synth/person_int.h"

/* Default rates per source (docs/synthetic-data.md); omitted = 0. */
const synth_noise_rates synth_rates_k12 = {
    .ssn_dashes = 0.1,
    .punct = 0.05,
    .typo_first = 0.003,
    .typo_last = 0.004,
    .nickname = 0.01,
    .dob_swap = 0.003,
    .dob_digit = 0.003,
    .ssn_present = 1.0,
    .ssn_sub = 0.002,
    .ssn_transpose = 0.001,
    .diacritics = 0.2,
    .part_drop = 0.1,
    .upper = 0.01,
    .space = 0.01,
    .middle_present = 0.75,
};
const synth_noise_rates synth_rates_ps = {
    .ssn_dashes = 0.3,
    .punct = 0.2,
    .typo_first = 0.015,
    .typo_last = 0.02,
    .nickname = 0.05,
    .dob_swap = 0.01,
    .dob_digit = 0.01,
    .ssn_present = 0.85,
    .ssn_sub = 0.005,
    .ssn_transpose = 0.003,
    .diacritics = 0.4,
    .part_drop = 0.25,
    .upper = 0.05,
    .space = 0.02,
    .middle_present = 0.5,
    .race_change = 0.03,
};
const synth_noise_rates synth_rates_ui = {
    .punct = 0.5,
    .typo_first = 0.01,
    .typo_last = 0.02,
    .nickname = 0.08,
    .initial = 0.3,
    .no_first = 0.04,
    .no_last = 0.02,
    .ssn_present = 1.0,
    .ssn_sub = 0.008,
    .ssn_transpose = 0.004,
    .ssn_invalid = 0.003,
    .diacritics = 0.7,
    .part_drop = 0.4,
    .upper = 0.2,
    .space = 0.02,
};
const synth_noise_rates synth_rates_appr = {
    .ssn_dashes = 0.3,
    .punct = 0.2,
    .typo_first = 0.02,
    .typo_last = 0.02,
    .nickname = 0.08,
    .dob_swap = 0.01,
    .dob_digit = 0.01,
    .ssn_present = 0.9,
    .ssn_sub = 0.005,
    .ssn_transpose = 0.003,
    .diacritics = 0.5,
    .part_drop = 0.3,
    .upper = 0.1,
    .space = 0.02,
};
const synth_noise_rates synth_rates_dmv = {
    .punct = 0.2,
    .typo_first = 0.005,
    .typo_last = 0.005,
    .nickname = 0.02,
    .dob_swap = 0.005,
    .dob_digit = 0.005,
    .ssn_present = 0.97,
    .ssn_sub = 0.003,
    .ssn_transpose = 0.002,
    .diacritics = 0.5,
    .part_drop = 0.2,
    .upper = 0.15,
    .space = 0.01,
    .middle_present = 0.6,
};

double synth_noise_p(const synth_world *w, double rate)
{
    double p = rate * w->noise_scale;
    return p > 0.95 ? 0.95 : p;
}

static void tag(synth_record *r, const char *t)
{
    size_t n = strlen(r->tags);
    snprintf(r->tags + n, sizeof r->tags - n, "%s%s", n ? ";" : "", t);
}

static int chance(const synth_world *w, synth_person *p, double rate)
{
    return rate > 0 && synth_rng_chance(&p->noise, synth_noise_p(w, rate));
}

static int non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

static void dob_noise(const synth_world *w, synth_person *p,
                      const synth_noise_rates *nr, synth_record *r)
{
    int y, m, d;
    date_to_ymd(p->birth, &y, &m, &d);
    date_format(p->birth, r->birth);
    if (d <= 12 && d != m && chance(w, p, nr->dob_swap)) {
        date_format(date_from_ymd(y, d, m), r->birth);
        tag(r, "dob_swap");
        return;
    }
    if (!chance(w, p, nr->dob_digit))
        return;
    /* One digit of YYYY-MM-DD changed so that the date stays valid: the
     * last year digit by 1 or 2 (so a student's age stays within the
     * 2-25 rule), or a month or day digit. */
    static const int digit_pos[] = {3, 6, 8, 9};
    for (int t = 0; t < 20; t++) {
        char s[11];
        memcpy(s, r->birth, 11);
        int pos = digit_pos[synth_rng_below(&p->noise, 4)];
        char c;
        if (pos == 3) {
            int delta = 1 + (int)synth_rng_below(&p->noise, 2);
            c = (char)(s[3] +
                       (synth_rng_chance(&p->noise, 0.5) ? delta : -delta));
            if (c < '0' || c > '9')
                continue;
        } else {
            c = (char)('0' + synth_rng_below(&p->noise, 10));
        }
        if (c == s[pos])
            continue;
        s[pos] = c;
        int32_t day;
        if (date_parse(s, 10, &day) == P20W_OK) {
            memcpy(r->birth, s, 11);
            tag(r, "dob_digit");
            return;
        }
    }
}

static void ssn_noise(const synth_world *w, synth_person *p,
                      const synth_noise_rates *nr, synth_record *r)
{
    memcpy(r->ssn, p->ssn, 10);
    if (chance(w, p, nr->ssn_invalid)) {
        switch (synth_rng_below(&p->noise, 5)) {
        case 0:
            memcpy(r->ssn, "000", 3);
            break;
        case 1:
            memcpy(r->ssn, "666", 3);
            break;
        case 2:
            r->ssn[0] = '9';
            break;
        case 3:
            memcpy(r->ssn + 3, "00", 2);
            break;
        default:
            memcpy(r->ssn + 5, "0000", 4);
            break;
        }
        tag(r, "ssn_invalid");
        return;
    }
    if (chance(w, p, nr->ssn_sub)) {
        int pos = (int)synth_rng_below(&p->noise, 9);
        char c = (char)('0' + synth_rng_below(&p->noise, 9));
        if (c >= r->ssn[pos])
            c++; /* never the same digit */
        r->ssn[pos] = c;
        tag(r, "ssn_sub");
        return;
    }
    if (chance(w, p, nr->ssn_transpose)) {
        for (int t = 0; t < 16; t++) {
            int pos = (int)synth_rng_below(&p->noise, 8);
            if (r->ssn[pos] == r->ssn[pos + 1])
                continue;
            char c = r->ssn[pos];
            r->ssn[pos] = r->ssn[pos + 1];
            r->ssn[pos + 1] = c;
            tag(r, "ssn_transpose");
            return;
        }
    }
}

static void name_noise(const synth_world *w, synth_person *p,
                       const synth_noise_rates *nr, synth_record *r)
{
    char tmp[NAME_CAP];
    if (strpbrk(r->last, "- ") != NULL && chance(w, p, nr->part_drop)) {
        synth_drop_part(r->last, tmp, sizeof tmp, &p->noise);
        memcpy(r->last, tmp, sizeof tmp);
        tag(r, "part_drop");
    }
    const char *apo = strchr(r->last, '\'');
    if (apo != NULL && chance(w, p, nr->punct)) {
        /* O'Brien -> OBrien or O Brien */
        size_t at = (size_t)(apo - r->last);
        if (synth_rng_chance(&p->noise, 0.5))
            memmove(r->last + at, r->last + at + 1, strlen(r->last + at));
        else
            r->last[at] = ' ';
        tag(r, "punct");
    }
    if ((non_ascii(r->first) || non_ascii(r->last)) &&
        chance(w, p, nr->diacritics)) {
        synth_strip_diacritics(r->first, tmp, sizeof tmp);
        memcpy(r->first, tmp, sizeof tmp);
        synth_strip_diacritics(r->last, tmp, sizeof tmp);
        memcpy(r->last, tmp, sizeof tmp);
        synth_strip_diacritics(r->middle, tmp, sizeof tmp);
        memcpy(r->middle, tmp, sizeof tmp);
        tag(r, "diacritics");
    }
    const char *nick = NULL;
    if (nr->nickname > 0 &&
        synth_rng_chance(&p->noise, synth_noise_p(w, nr->nickname)))
        nick = synth_nickname(w, r->first, &p->noise);
    if (nick != NULL && strcmp(nick, r->first) != 0) {
        snprintf(r->first, sizeof r->first, "%s", nick);
        tag(r, "nickname");
    } else if (chance(w, p, nr->initial)) {
        /* keep the whole first character, one or two UTF-8 bytes */
        r->first[(unsigned char)r->first[0] >= 0xC0 ? 2 : 1] = '\0';
        tag(r, "initial");
    }
    if (strlen(r->first) > 1 && chance(w, p, nr->typo_first)) {
        if (synth_typo(r->first, tmp, sizeof tmp, &p->noise)) {
            memcpy(r->first, tmp, sizeof tmp);
            tag(r, "typo_first");
        }
    }
    if (chance(w, p, nr->typo_last)) {
        if (synth_typo(r->last, tmp, sizeof tmp, &p->noise)) {
            memcpy(r->last, tmp, sizeof tmp);
            tag(r, "typo_last");
        }
    }
    if (chance(w, p, nr->upper)) {
        synth_upper(r->first, tmp, sizeof tmp);
        memcpy(r->first, tmp, sizeof tmp);
        synth_upper(r->last, tmp, sizeof tmp);
        memcpy(r->last, tmp, sizeof tmp);
        synth_upper(r->middle, tmp, sizeof tmp);
        memcpy(r->middle, tmp, sizeof tmp);
        tag(r, "upper");
    }
    if (chance(w, p, nr->space)) {
        synth_messy_space(r->last, tmp, sizeof tmp, &p->noise);
        memcpy(r->last, tmp, sizeof tmp);
        tag(r, "space");
    }
    if (chance(w, p, nr->no_first)) {
        r->first[0] = '\0';
        tag(r, "no_first");
    }
    if (chance(w, p, nr->no_last)) {
        r->last[0] = '\0';
        tag(r, "no_last");
    }
}

void synth_record_make(const synth_world *w, synth_person *p,
                       const synth_noise_rates *nr, int32_t on, synth_record *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->first, p->first, sizeof r->first);
    if (nr->middle_present > 0 &&
        synth_rng_chance(&p->noise, nr->middle_present))
        memcpy(r->middle, p->middle, sizeof r->middle);
    if (p->marriage_day != 0 && on >= p->marriage_day) {
        memcpy(r->last, p->married_last, sizeof r->last);
        tag(r, "married");
    } else {
        memcpy(r->last, p->last, sizeof r->last);
    }
    r->race = p->race;
    if (chance(w, p, nr->race_change)) {
        r->race = p->race == R_WH ? R_TW : p->race == R_TW ? R_WH : R_TW;
        tag(r, "race");
    }
    name_noise(w, p, nr, r);
    dob_noise(w, p, nr, r);
    if (synth_rng_chance(&p->noise, nr->ssn_present)) {
        ssn_noise(w, p, nr, r);
        if (chance(w, p, nr->ssn_dashes)) {
            char d[12];
            snprintf(d, sizeof d, "%.3s-%.2s-%.4s", r->ssn, r->ssn + 3,
                     r->ssn + 5);
            memcpy(r->ssn, d, sizeof d);
            tag(r, "ssn_dashes");
        }
    }
}
