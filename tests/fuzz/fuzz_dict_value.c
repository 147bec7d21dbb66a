/*
 * fuzz_dict_value.c — libFuzzer target for the per-field value checks and
 * the masking of direct identifiers (src/dict/dict.c): every byte string
 * ingest can hand them must be handled without reading past len, and a
 * masked value of sensitivity D must never show more than the mask allows.
 *
 * Input: byte 0 picks the column (over all columns of all extracts), byte 1
 * the current year offset, the rest is the field value. Code sets are the
 * built-in ones (the reference files are not read in a fuzzer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"

static const dict_column *pick(unsigned k)
{
    size_t total = 0, i;
    for (i = 0; i < dict_extract_count(); i++)
        total += dict_extract_at(i)->ncolumns;
    k %= (unsigned)total;
    for (i = 0; i < dict_extract_count(); i++) {
        const dict_extract *x = dict_extract_at(i);
        if (k < x->ncolumns)
            return &x->columns[k];
        k -= (unsigned)x->ncolumns;
    }
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static codeset_registry *reg; /* built once: the fuzzer's own state */
    const dict_column *col;
    char *v, masked[64];
    size_t len;
    dict_check c;

    if (size < 2)
        return 0;
    if (reg == NULL && codeset_registry_builtin(&reg, NULL) != P20W_OK)
        abort();
    col = pick(data[0]);
    len = size - 2;
    /* an exact-size copy so ASan catches any read past len */
    v = malloc(len > 0 ? len : 1);
    if (v == NULL)
        return 0;
    memcpy(v, data + 2, len);
    c = dict_check_value(col, reg, 2000 + data[1], v, len);
    if ((unsigned)c >= DICT_CHECK_COUNT)
        abort();
    dict_mask_value(col, v, len, masked, sizeof masked);
    if (strlen(masked) >= sizeof masked)
        abort();
    if (col->sens == DICT_SENS_D && len > 0) {
        if (col->type == DICT_DATE && strcmp(masked, "****-**-**") != 0)
            abort();
        if (col->type == DICT_ZIP && strcmp(masked, "*****") != 0)
            abort();
        if (col->type == DICT_SSN && strncmp(masked, "***-**-", 7) != 0)
            abort();
    }
    free(v);
    return 0;
}
