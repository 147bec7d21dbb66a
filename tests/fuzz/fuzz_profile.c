/*
 * fuzz_profile.c — libFuzzer target for the profile configuration parser
 * (src/derive/profile.c).
 *
 * The input is the INI text. Whatever it holds, parsing must either fail
 * with a message and a line inside the text, or succeed with profiles
 * that obey every range the parser promises; each profile must turn into
 * JSON; and parsing the same text again must give the same answer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive/profile.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_profile: check failed: %s (line %d)\n",      \
                    #cond, __LINE__);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

static void check_profile(const p20w_profile *p)
{
    CHECK(p->name[0] != '\0' && strlen(p->name) <= PROFILE_NAME_LEN_MAX);
    CHECK(p->min_quarter_cents >= 1);
    CHECK(p->attach_annual_cents >= 0);
    CHECK(p->attach_quarters >= 0 && p->attach_quarters <= 4);
    CHECK(p->employed_year_quarters >= 1 && p->employed_year_quarters <= 4);
    CHECK(p->concentrator_courses >= 1);
    CHECK(p->ps_concentrator_credits > 0);
    CHECK(p->min_n >= 1 && p->min_n_percentile >= p->min_n);
    CHECK(p->protect_pct >= 0 && p->protect_pct <= 1);
    CHECK(p->pool_years >= 2);
    CHECK(p->band_count >= 1 && p->band_count <= PROFILE_MAX_BANDS);
    for (size_t i = 0; i < p->band_count; i++) {
        CHECK(p->band[i].bottom_pct >= 0.1);
        CHECK(p->band[i].bottom_pct < p->band[i].top_pct);
        CHECK(p->band[i].top_pct <= 99.9);
        CHECK(i == 0 ||
              p->band[i].min_denominator < p->band[i - 1].min_denominator);
    }
    CHECK(p->band[p->band_count - 1].min_denominator <= p->min_n);
    CHECK((p->nontrad_f >> 16) == 0 && (p->nontrad_m >> 16) == 0);
    for (size_t i = 0; i < p->region_count; i++) {
        CHECK(strlen(p->regions[i].fips) == 5);
        CHECK(p->regions[i].name[0] != '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    p20w_config *cfg = NULL, *again = NULL;
    p20w_err err = {0}, err2 = {0};
    p20w_status rc =
        profile_config_parse((const char *)data, size, "f.ini", &cfg, &err);
    p20w_status rc2 =
        profile_config_parse((const char *)data, size, "f.ini", &again, &err2);
    CHECK(rc == rc2);
    if (rc != P20W_OK) {
        CHECK(cfg == NULL);
        CHECK(err.code == rc && err.msg[0] != '\0');
        CHECK(strcmp(err.msg, err2.msg) == 0 && err.line == err2.line);
        CHECK(err.line >= 0 && (size_t)err.line <= size + 1);
        return 0;
    }
    size_t n = profile_config_count(cfg);
    CHECK(n >= 1 && n == profile_config_count(again));
    CHECK(strcmp(profile_config_name(cfg, 0), "default") == 0);
    for (size_t i = 0; i < n; i++) {
        p20w_profile p, q;
        const char *name = profile_config_name(cfg, i);
        CHECK(profile_config_get(cfg, name, &p, &err) == P20W_OK);
        CHECK(profile_config_get(again, name, &q, &err) == P20W_OK);
        CHECK(strcmp(p.name, name) == 0);
        check_profile(&p);
        char *s = NULL;
        CHECK(profile_to_json(&p, &s, &err) == P20W_OK && s[0] == '{');
        p20w_free(s);
    }
    profile_config_free(cfg);
    profile_config_free(again);
    return 0;
}
