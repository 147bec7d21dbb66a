/*
 * testutil.h — includes every cmocka test needs, in the order cmocka
 * requires, plus small helpers shared by the unit tests.
 */
#ifndef P20W_TESTUTIL_H
#define P20W_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dict/codeset.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "store/store.h"
#include "synth/synth.h"

/* Writes len bytes to a fresh temporary file and returns its path in buf
 * (cap bytes). The caller unlinks it. */
static inline void testutil_write_tmp(char *buf, size_t cap, const void *data,
                                      size_t len)
{
    snprintf(buf, cap, "/tmp/p20w-test-XXXXXX");
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The state a unit test about linked people starts from, as `p20w synth`,
 * `ingest --dir` and `link` make it: a synthetic state of `learners`
 * (seed) written under dir/s, ingested into st and linked. */
static inline p20w_status testutil_linked_state(store *st, const char *dir,
                                                uint64_t learners,
                                                uint64_t seed, p20w_err *err)
{
    char out[160];
    snprintf(out, sizeof out, "%s/s", dir);
    synth_options so;
    synth_options_init(&so);
    so.out_dir = out;
    so.data_dir = P20W_DATADIR;
    so.learners = learners;
    so.seed = seed;
    codeset_registry *reg = NULL;
    p20w_status rc = synth_run(&so, NULL, err);
    if (rc == P20W_OK)
        rc = codeset_registry_load(P20W_DATADIR, &reg, err);
    ingest_options io;
    ingest_options_init(&io);
    if (rc == P20W_OK)
        rc = ingest_dir(st, reg, out, &io, NULL, NULL, err);
    codeset_registry_free(reg);
    link_options lo;
    link_options_init(&lo);
    lo.data_dir = P20W_DATADIR;
    link_report *r = NULL;
    if (rc == P20W_OK)
        rc = link_run(st, &lo, &r, err);
    link_report_free(r);
    return rc;
}

#endif
