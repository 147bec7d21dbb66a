/*
 * bench_csv.c — benchmark helper for the CSV reader, driven by bench/run.sh.
 *
 *   bench_csv gen FILE MB   writes about MB megabytes (10^6 bytes) of
 *                           extract-like rows to FILE
 *   bench_csv read FILE     reads FILE with csv_reader_open_file() and prints
 *                           "bytes=N rows=N fields=N seconds=S"
 *
 * The rows look like an enrolment extract: ids, names (some non-ASCII),
 * dates, codes, a quoted address holding commas and now and then a quoted
 * note with doubled quotes. Generation is deterministic (fixed seed) and
 * formats by hand because snprintf per field would dominate the run time.
 * The names are invented combinations, not real people.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/csv.h"
#include "util/mem.h"

static uint64_t next_rand(uint64_t *s)
{
    /* xorshift64*: good enough to vary rows, state kept by the caller. */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* Writes v as exactly `width` digits (zero-padded). */
static char *put_num(char *p, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static const char *const first_names[] = {
    "Ana",   "Bo",      "Carmen", "Dmitri", "Elif",  "Farah", "Gus",
    "Hana",  "Ignacio", "José",   "Kai",    "Léa",   "Marek", "Nkechi",
    "Oscar", "Priya",   "Quinn",  "Rosa",   "Søren", "Tariq",
};
static const char *const last_names[] = {
    "Abbott", "Brandt", "Castillo", "Dubois",    "Eriksen",  "Fofana",
    "Garcia", "Hughes", "Ibarra",   "Jovanović", "Kowalski", "Lindqvist",
    "Moreno", "Nguyen", "O'Hara",   "Petrov",    "Quispe",   "Rahman",
};
static const char *const streets[] = {
    "Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St",
};

static int gen(const char *path, long mb)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    enum { BUF_BYTES = 1 << 20 };
    char *buf = p20w_malloc(BUF_BYTES);
    if (buf == NULL) {
        fclose(f);
        return 1;
    }
    int rc = 1;
    uint64_t target = (uint64_t)mb * 1000000u, written = 0, seed = 42;
    uint64_t row = 0;
    char *p = put_str(buf, "student_id,last_name,first_name,birth_date,"
                           "school_code,grade,entry_date,address,note\n");
    while (written + (uint64_t)(p - buf) < target) {
        uint64_t r = next_rand(&seed);
        row++;
        *p++ = 'S';
        p = put_num(p, row, 9);
        *p++ = ',';
        p = put_str(p, last_names[r % 18]);
        *p++ = ',';
        p = put_str(p, first_names[(r >> 8) % 20]);
        *p++ = ',';
        p = put_num(p, 1990 + (r >> 16) % 20, 4);
        *p++ = '-';
        p = put_num(p, 1 + (r >> 24) % 12, 2);
        *p++ = '-';
        p = put_num(p, 1 + (r >> 28) % 28, 2);
        *p++ = ',';
        p = put_num(p, (r >> 33) % 100000, 6);
        *p++ = ',';
        p = put_num(p, (r >> 40) % 13, 2);
        p = put_str(p, ",2023-08-");
        p = put_num(p, 10 + (r >> 44) % 20, 2);
        p = put_str(p, ",\"");
        p = put_num(p, 1 + (r >> 49) % 9999, 4);
        *p++ = ' ';
        p = put_str(p, streets[(r >> 20) % 6]);
        p = put_str(p, ", Apt ");
        p = put_num(p, (r >> 36) % 90 + 10, 2);
        p = put_str(p, ", Springfield\",");
        if (r % 10 == 0)
            p = put_str(p, "\"transfer from \"\"out of state\"\", records "
                           "pending\"");
        *p++ = '\n';
        if (p - buf > BUF_BYTES - 512) {
            size_t n = (size_t)(p - buf);
            if (fwrite(buf, 1, n, f) != n) {
                perror(path);
                goto out;
            }
            written += n;
            p = buf;
        }
    }
    size_t n = (size_t)(p - buf);
    if (fwrite(buf, 1, n, f) != n) {
        perror(path);
        goto out;
    }
    rc = 0;
out:
    if (fclose(f) != 0 && rc == 0) {
        perror(path);
        rc = 1;
    }
    p20w_free(buf);
    return rc;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path)
{
    csv_reader *r = NULL;
    p20w_err err;
    double t0 = now_s();
    if (csv_reader_open_file(path, NULL, &r, &err) != P20W_OK) {
        fprintf(stderr, "bench_csv: %s\n", err.msg);
        return 1;
    }
    uint64_t rows = 0, fields = 0, check = 0;
    for (;;) {
        const csv_field *f;
        size_t n;
        if (csv_read(r, &f, &n, &err) != P20W_OK) {
            char msg[1024];
            p20w_err_format(&err, msg, sizeof msg);
            fprintf(stderr, "bench_csv: %s\n", msg);
            csv_reader_close(r);
            return 1;
        }
        if (n == 0)
            break;
        rows++;
        fields += n;
        check += f[n - 1].len; /* touch the data so nothing is elided */
    }
    double secs = now_s() - t0;
    printf("bytes=%llu rows=%llu fields=%llu seconds=%.3f check=%llu\n",
           (unsigned long long)csv_reader_bytes(r), (unsigned long long)rows,
           (unsigned long long)fields, secs, (unsigned long long)check);
    csv_reader_close(r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "gen") == 0) {
        char *end;
        long mb = strtol(argv[3], &end, 10);
        if (*end != '\0' || mb <= 0) {
            fprintf(stderr, "bench_csv: bad size %s\n", argv[3]);
            return 2;
        }
        return gen(argv[2], mb);
    }
    if (argc == 3 && strcmp(argv[1], "read") == 0)
        return read_file(argv[2]);
    fprintf(stderr, "usage: bench_csv gen FILE MB | bench_csv read FILE\n");
    return 2;
}
