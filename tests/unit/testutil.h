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

#endif
