/*
 * fuzz_assess.c — libFuzzer target for the two JSON readers of the
 * self-assessment (src/assess/): the rubric loader and the import of an
 * exported assessment.
 *
 * Whatever the input, the rubric parser either refuses it with one of its
 * statuses or gives a rubric whose every text is non-empty; the import
 * either refuses it, leaving no assessment behind, or creates one whose
 * export imports again to the same export (but for the id).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "store/store.h"
#include "util/mem.h"
#include "util/sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_assess: check failed: %s (line %d)\n",       \
                    #cond, __LINE__);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

static int refused(p20w_status rc)
{
    return rc == P20W_EFORMAT || rc == P20W_EINVAL || rc == P20W_ELIMIT;
}

static void rubric(const char *text, size_t size)
{
    assess_rubric *r = NULL;
    p20w_err err = {0};
    p20w_status rc = assess_rubric_parse(text, size, "fuzz", &r, &err);
    if (rc != P20W_OK) {
        CHECK(refused(rc) && r == NULL && err.msg[0] != '\0');
        return;
    }
    for (size_t k = 0; k < ASSESS_NSUB; k++)
        for (int l = 0; l < ASSESS_NLANG; l++)
            CHECK(assess_rubric_sub_title(r, k, l)[0] != '\0');
    assess_rubric_free(r);
}

static int64_t count(store *st)
{
    store_stmt *q = NULL;
    int row = 0;
    CHECK(store_prepare(st, "SELECT count(*) FROM assessments", &q, NULL) ==
          P20W_OK);
    CHECK(store_step(q, &row, NULL) == P20W_OK && row);
    int64_t n = store_column_int64(q, 0);
    store_finalize(q);
    return n;
}

/* The export of assessment id without its "id" line. */
static char *export_of(store *st, int64_t id)
{
    assessment *a = NULL;
    sbuf b;
    sbuf_init(&b, 0);
    CHECK(assess_get(st, id, &a, NULL) == P20W_OK);
    CHECK(assess_json(&b, a) == P20W_OK);
    assess_free(a);
    char *s = sbuf_steal(&b);
    CHECK(s != NULL);
    char *p = strstr(s, "\n  \"id\": ");
    CHECK(p != NULL);
    char *eol = strchr(p + 1, '\n');
    memmove(p, eol, strlen(eol) + 1);
    return s;
}

static void import(const char *text, size_t size)
{
    store *st = NULL;
    p20w_err err = {0};
    CHECK(store_open(":memory:", STORE_OPEN_CREATE, &st, NULL, &err) ==
          P20W_OK);
    int64_t id = 0;
    p20w_status rc =
        assess_import_json(st, text, size, "fuzz", 1796000000, &id, &err);
    if (rc != P20W_OK) {
        CHECK(refused(rc) && id == 0 && count(st) == 0);
    } else {
        char *x = export_of(st, id);
        int64_t id2 = 0;
        CHECK(assess_import_json(st, x, strlen(x), "fuzz", 1796000000, &id2,
                                 &err) == P20W_OK);
        char *y = export_of(st, id2);
        CHECK(strcmp(x, y) == 0);
        p20w_free(x);
        p20w_free(y);
    }
    store_close(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rubric((const char *)data, size);
    import((const char *)data, size);
    return 0;
}
