/*
 * fuzz_csv.c — libFuzzer target for the CSV reader and writer.
 *
 * The first input byte picks the read size (1..32 bytes, or the default)
 * and small limits; the rest is the CSV. Each input is parsed twice in
 * lockstep: once through tiny reads, which force records across buffer
 * refills and through the byte-level path, and once in one buffer, which
 * takes the memchr fast path. Both must agree on every record, field,
 * line and error. Every record read is then written with csv_write_row()
 * and read back, and must come back equal (fields holding NUL are skipped:
 * the writer takes C strings). Any disagreement aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_csv: check failed: %s (line %d)\n", #cond,   \
                    __LINE__);                                                 \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Writes the record and reads it back; it must round-trip. */
static void round_trip(const csv_field *f, size_t n)
{
    const char *row[16];
    if (n > 16)
        return;
    for (size_t i = 0; i < n; i++) {
        if (strlen(f[i].ptr) != f[i].len)
            return;
        row[i] = f[i].ptr;
    }
    char *out = NULL;
    size_t out_len = 0;
    FILE *mf = open_memstream(&out, &out_len);
    if (mf == NULL)
        return;
    CHECK(csv_write_row(mf, row, n) == P20W_OK);
    fclose(mf);
    csv_reader *r = NULL;
    CHECK(csv_reader_open_mem(out, out_len, NULL, &r, NULL) == P20W_OK);
    const csv_field *g;
    size_t m;
    CHECK(csv_read(r, &g, &m, NULL) == P20W_OK);
    CHECK(m == n);
    for (size_t i = 0; i < n; i++) {
        CHECK(g[i].len == f[i].len);
        CHECK(memcmp(g[i].ptr, f[i].ptr, f[i].len) == 0);
    }
    CHECK(csv_read(r, &g, &m, NULL) == P20W_OK && m == 0);
    csv_reader_close(r);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_limits small = {0}, big;
    if (size > 0) {
        small.read_bytes = (size_t)(data[0] & 31) + 1;
        small.max_field_bytes = (data[0] & 64) ? 8 : 256;
        small.max_columns = (data[0] & 128) ? 3 : 16;
        small.max_record_bytes = (data[0] & 32) ? 40 : 4096;
        data++;
        size--;
    }
    big = small;
    big.read_bytes = 0;
    csv_reader *a = NULL, *b = NULL;
    if (csv_reader_open_mem((const char *)data, size, &small, &a, NULL) !=
            P20W_OK ||
        csv_reader_open_mem((const char *)data, size, &big, &b, NULL) !=
            P20W_OK) {
        csv_reader_close(a);
        return 0;
    }
    for (int rec = 0; rec < 100000; rec++) {
        const csv_field *fa, *fb;
        size_t na, nb;
        p20w_err ea, eb;
        p20w_status ra = csv_read(a, &fa, &na, &ea);
        p20w_status rb = csv_read(b, &fb, &nb, &eb);
        CHECK(ra == rb);
        if (ra != P20W_OK) {
            CHECK(ea.code == ra && eb.code == rb);
            CHECK(ea.line == eb.line && ea.col == eb.col);
            CHECK(ea.line >= 1 && ea.col >= 1);
            CHECK(csv_read(a, &fa, &na, NULL) == ra); /* sticky */
            break;
        }
        CHECK(na == nb);
        CHECK(csv_reader_line(a) == csv_reader_line(b));
        if (na == 0) {
            CHECK(csv_reader_bytes(a) == size && csv_reader_bytes(b) == size);
            break;
        }
        CHECK(na <= small.max_columns);
        for (size_t i = 0; i < na; i++) {
            CHECK(fa[i].len == fb[i].len && fa[i].quoted == fb[i].quoted);
            CHECK(fa[i].len <= small.max_field_bytes);
            CHECK(fa[i].ptr[fa[i].len] == '\0');
            CHECK(memcmp(fa[i].ptr, fb[i].ptr, fa[i].len) == 0);
        }
        round_trip(fa, na);
    }
    csv_reader_close(a);
    csv_reader_close(b);
    return 0;
}
