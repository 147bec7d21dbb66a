/*
 * test_csv.c — unit tests of the streaming CSV reader and writer
 * (src/util/csv.c): RFC 4180 forms, every error with its line and column,
 * limits, UTF-8 checks, buffer refills, descriptors, the writer round trip
 * and allocation failure.
 */
#include "testutil.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/csv.h"
#include "util/mem.h"
#include "util/sbuf.h"

/* Read sizes every parsing test is run with: byte by byte, odd tiny sizes
 * that split records, CRLF pairs and UTF-8 sequences at every offset, and
 * the default (one buffer, memchr fast path). */
static const size_t read_sizes[] = {1, 2, 3, 5, 7, 64, 0};
#define N_READ_SIZES (sizeof read_sizes / sizeof read_sizes[0])

/* Reads every record of data and renders it as "f1|f2\n" per record, a
 * quoted field in brackets "[f]". Returns the status of the last read;
 * on error *err has the detail. */
static p20w_status render(const char *data, size_t len, const csv_limits *lim,
                          sbuf *out, p20w_err *err)
{
    csv_reader *r = NULL;
    p20w_status rc = csv_reader_open_mem(data, len, lim, &r, err);
    if (rc != P20W_OK)
        return rc;
    for (;;) {
        const csv_field *f;
        size_t n;
        rc = csv_read(r, &f, &n, err);
        if (rc != P20W_OK || n == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(f[i].ptr[f[i].len], '\0');
            if (i > 0)
                assert_int_equal(sbuf_putc(out, '|'), P20W_OK);
            if (f[i].quoted)
                assert_int_equal(sbuf_putc(out, '['), P20W_OK);
            assert_int_equal(sbuf_append(out, f[i].ptr, f[i].len), P20W_OK);
            if (f[i].quoted)
                assert_int_equal(sbuf_putc(out, ']'), P20W_OK);
        }
        assert_int_equal(sbuf_putc(out, '\n'), P20W_OK);
    }
    csv_reader_close(r);
    return rc;
}

/* Asserts that data reads as `expect` with every read size and the given
 * limits (may be NULL). */
static void expect_rows_lim(const char *data, size_t len,
                            const csv_limits *base, const char *expect)
{
    for (size_t k = 0; k < N_READ_SIZES; k++) {
        csv_limits lim = {0};
        if (base != NULL)
            lim = *base;
        lim.read_bytes = read_sizes[k];
        sbuf out;
        sbuf_init(&out, 0);
        p20w_err err;
        p20w_err_clear(&err);
        p20w_status rc = render(data, len, &lim, &out, &err);
        if (rc != P20W_OK)
            fail_msg("read size %zu: %s", read_sizes[k], err.msg);
        assert_string_equal(sbuf_cstr(&out), expect);
        sbuf_free(&out);
    }
}
#define EXPECT_ROWS(lit, expect)                                               \
    expect_rows_lim(lit, sizeof(lit) - 1, NULL, expect)
#define EXPECT_ROWS_LIM(lit, lim, expect)                                      \
    expect_rows_lim(lit, sizeof(lit) - 1, lim, expect)

/* Asserts that reading data fails with code at line:col, with every read
 * size and the given limits (may be NULL), after the rows in `before`. */
static void expect_error(const char *data, size_t len, const csv_limits *base,
                         p20w_status code, long line, long col,
                         const char *before)
{
    for (size_t k = 0; k < N_READ_SIZES; k++) {
        csv_limits lim = {0};
        if (base != NULL)
            lim = *base;
        lim.read_bytes = read_sizes[k];
        sbuf out;
        sbuf_init(&out, 0);
        p20w_err err;
        p20w_err_clear(&err);
        p20w_status rc = render(data, len, &lim, &out, &err);
        if (rc != code || err.line != line || err.col != col)
            fail_msg("read size %zu: got %s at %ld:%ld (%s), want %s at "
                     "%ld:%ld",
                     read_sizes[k], p20w_strerror(rc), err.line, err.col,
                     err.msg, p20w_strerror(code), line, col);
        assert_int_equal(err.code, code);
        assert_true(err.msg[0] != '\0');
        if (before != NULL)
            assert_string_equal(sbuf_cstr(&out), before);
        sbuf_free(&out);
    }
}
#define EXPECT_ERROR(lit, lim, code, line, col, before)                        \
    expect_error(lit, sizeof(lit) - 1, lim, code, line, col, before)

static void test_basic_and_bom(void **state)
{
    (void)state;
    EXPECT_ROWS("id,name\n1,Ana\n2,Bo\n", "id|name\n1|Ana\n2|Bo\n");
    EXPECT_ROWS("\xEF\xBB\xBFid,name\n1,Ana\n", "id|name\n1|Ana\n");
    /* Only a leading BOM is skipped; one inside a field is data. */
    EXPECT_ROWS("a\n\xEF\xBB\xBF"
                "b\n",
                "a\n\xEF\xBB\xBF"
                "b\n");
    EXPECT_ROWS("\xEF\xBB\xBF", "");
}

static void test_truncated_bom_is_bad_utf8(void **state)
{
    (void)state;
    EXPECT_ERROR("\xEF\xBB", NULL, P20W_EFORMAT, 1, 1, "");
}

static void test_crlf(void **state)
{
    (void)state;
    EXPECT_ROWS("a,b\r\nc,d\r\n", "a|b\nc|d\n");
    EXPECT_ROWS("a,b\r\nc,d", "a|b\nc|d\n");
    EXPECT_ROWS("a,\r\n,\r\n", "a|\n|\n");
    /* CR inside quotes is data; CRLF inside quotes is kept as is. */
    EXPECT_ROWS("\"x\ry\",\"p\r\nq\"\r\n", "[x\ry]|[p\r\nq]\n");
}

static void test_quoting(void **state)
{
    (void)state;
    EXPECT_ROWS("\"a,b\",c\n", "[a,b]|c\n");
    EXPECT_ROWS("\"say \"\"hi\"\"\",x\n", "[say \"hi\"]|x\n");
    EXPECT_ROWS("\"line1\nline2\",z\n", "[line1\nline2]|z\n");
    EXPECT_ROWS("\"\",\"\"\"\"\n", "[]|[\"]\n");
    EXPECT_ROWS("\"\"\n", "[]\n"); /* one empty quoted field, not a blank */
    EXPECT_ROWS("a,\"b\"\n\"c\",d", "a|[b]\n[c]|d\n");
    EXPECT_ROWS(",,\n", "||\n");
}

static void test_ragged_rows(void **state)
{
    (void)state;
    static const char data[] = "h1,h2,h3\n1,2\n1,2,3,4\nx\n";
    csv_reader *r = NULL;
    assert_int_equal(csv_reader_open_mem(data, sizeof data - 1, NULL, &r, NULL),
                     P20W_OK);
    const size_t want[] = {3, 2, 4, 1, 0};
    for (size_t i = 0; i < 5; i++) {
        const csv_field *f;
        size_t n = 99;
        assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
        assert_int_equal(n, want[i]);
        if (n > 0)
            assert_int_equal(csv_reader_line(r), (long)i + 1);
    }
    csv_reader_close(r);
}

static void test_empty_inputs(void **state)
{
    (void)state;
    EXPECT_ROWS("", "");
    EXPECT_ROWS("\n\n\r\n", "");
    EXPECT_ROWS("h1,h2\n", "h1|h2\n");
    EXPECT_ROWS("h1,h2", "h1|h2\n");
    EXPECT_ROWS("a,b\n\n\r\nc,d\n\n", "a|b\nc|d\n");
    /* NULL memory with length 0 is an empty input. */
    csv_reader *r = NULL;
    assert_int_equal(csv_reader_open_mem(NULL, 0, NULL, &r, NULL), P20W_OK);
    const csv_field *f;
    size_t n = 1;
    assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
    assert_int_equal(n, 0);
    assert_null(f);
    /* End of input is stable. */
    assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
    assert_int_equal(n, 0);
    csv_reader_close(r);
}

static void test_missing_final_newline(void **state)
{
    (void)state;
    EXPECT_ROWS("a,b\nc,d", "a|b\nc|d\n");
    EXPECT_ROWS("a,b\nc,", "a|b\nc|\n");
    EXPECT_ROWS("a,b\n\"c\"", "a|b\n[c]\n");
}

static void test_line_numbers(void **state)
{
    (void)state;
    /* Record starts: 1, 2 (spans 2-4), 6 (after a blank line 5), 7. */
    static const char data[] = "h\n\"a\nb\nc\"\n\nx\n\"y\r\n\"\n";
    for (size_t k = 0; k < N_READ_SIZES; k++) {
        csv_limits lim = {.read_bytes = read_sizes[k]};
        csv_reader *r = NULL;
        assert_int_equal(
            csv_reader_open_mem(data, sizeof data - 1, &lim, &r, NULL),
            P20W_OK);
        const long want[] = {1, 2, 6, 7};
        for (size_t i = 0; i < 4; i++) {
            const csv_field *f;
            size_t n;
            assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
            assert_int_equal(n, 1);
            assert_int_equal(csv_reader_line(r), want[i]);
        }
        const csv_field *f;
        size_t n;
        assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
        assert_int_equal(n, 0);
        assert_int_equal(csv_reader_bytes(r), sizeof data - 1);
        csv_reader_close(r);
    }
    /* An error after embedded newlines names the physical line. */
    EXPECT_ERROR("h\n\"a\nb\",\"c\nd\"\nx,y\"z\n", NULL, P20W_EFORMAT, 5, 2,
                 "h\n[a\nb]|[c\nd]\n");
}

static void test_format_errors(void **state)
{
    (void)state;
    EXPECT_ERROR("a,b\nc,d\"e\n", NULL, P20W_EFORMAT, 2, 2, "a|b\n");
    EXPECT_ERROR("a,b\n\"c\"x,d\n", NULL, P20W_EFORMAT, 2, 1, "a|b\n");
    EXPECT_ERROR("a,b\nc,\"d\" \n", NULL, P20W_EFORMAT, 2, 2, "a|b\n");
    EXPECT_ERROR("a,b\n1,\"open\n2,3\n", NULL, P20W_EFORMAT, 2, 2, "a|b\n");
    EXPECT_ERROR("\"", NULL, P20W_EFORMAT, 1, 1, "");
    EXPECT_ERROR("a\rb\n", NULL, P20W_EFORMAT, 1, 1, "");
    EXPECT_ERROR("a,b\r", NULL, P20W_EFORMAT, 1, 2, "");
    EXPECT_ERROR("x\n\r\r\n", NULL, P20W_EFORMAT, 2, 1, "x\n");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        const char *what;
    } bad[] = {
        {"\x80", "stray continuation byte"},
        {"\xC0\xAF", "overlong 2-byte"},
        {"\xC1\xBF", "overlong 2-byte (C1)"},
        {"\xE0\x80\xAF", "overlong 3-byte"},
        {"\xF0\x80\x80\xAF", "overlong 4-byte"},
        {"\xED\xA0\x80", "UTF-16 surrogate D800"},
        {"\xED\xBF\xBF", "UTF-16 surrogate DFFF"},
        {"\xF4\x90\x80\x80", "above U+10FFFF"},
        {"\xF5\x80\x80\x80", "lead byte F5"},
        {"\xFF", "byte FF"},
        {"\xE2\x82", "truncated 3-byte"},
        {"\xF0\x9F\x98", "truncated 4-byte"},
        {"\xC3", "truncated 2-byte"},
        {"\xC3\x28", "bad continuation"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char data[128];
        /* In field 3 of line 3, unquoted, then quoted, then at EOF. */
        int n = snprintf(data, sizeof data,
                         "h1,h2,h3\nok,\xC3\xA9,x\na,b,c%s,d\n", bad[i].bytes);
        print_message("case: %s\n", bad[i].what);
        expect_error(data, (size_t)n, NULL, P20W_EFORMAT, 3, 3,
                     "h1|h2|h3\nok|\xC3\xA9|x\n");
        n = snprintf(data, sizeof data, "h\n\"x\ny\"\n\"%s\"\n", bad[i].bytes);
        expect_error(data, (size_t)n, NULL, P20W_EFORMAT, 4, 1, "h\n[x\ny]\n");
        n = snprintf(data, sizeof data, "a,%s", bad[i].bytes);
        expect_error(data, (size_t)n, NULL, P20W_EFORMAT, 1, 2, "");
    }
    /* The edges of the valid ranges are accepted. */
    EXPECT_ROWS("\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,\xEE\x80\x80,"
                "\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF\n",
                "\xC2\x80|\xDF\xBF|\xE0\xA0\x80|\xED\x9F\xBF|\xEE\x80\x80|"
                "\xF0\x90\x80\x80|\xF4\x8F\xBF\xBF\n");
}

static void test_error_message_has_no_content(void **state)
{
    (void)state;
    static const char data[] = "name,ssn\nSMITHSON,12\"3456789\n";
    csv_reader *r = NULL;
    assert_int_equal(csv_reader_open_mem(data, sizeof data - 1, NULL, &r, NULL),
                     P20W_OK);
    const csv_field *f;
    size_t n;
    p20w_err err;
    assert_int_equal(csv_read(r, &f, &n, &err), P20W_OK);
    assert_int_equal(csv_read(r, &f, &n, &err), P20W_EFORMAT);
    assert_null(strstr(err.msg, "SMITHSON"));
    assert_null(strstr(err.msg, "3456"));
    char buf[600];
    p20w_err_format(&err, buf, sizeof buf);
    assert_string_equal(buf,
                        "line 2, column 2: quote inside an unquoted field");
    /* The error is sticky. */
    p20w_err again;
    p20w_err_clear(&again);
    assert_int_equal(csv_read(r, &f, &n, &again), P20W_EFORMAT);
    assert_int_equal(again.line, 2);
    assert_int_equal(again.col, 2);
    assert_int_equal(n, 0);
    csv_reader_close(r);
}

static void test_field_limit(void **state)
{
    (void)state;
    /* A 10 MB field with the default 1 MiB limit. */
    size_t big = 10u << 20;
    char *data = malloc(big + 16);
    assert_non_null(data);
    memcpy(data, "id,x\n1,", 7);
    memset(data + 7, 'a', big);
    memcpy(data + 7 + big, "\n", 1);
    for (int quoted = 0; quoted < 2; quoted++) {
        if (quoted)
            data[7] = '"';
        csv_reader *r = NULL;
        assert_int_equal(csv_reader_open_mem(data, big + 8, NULL, &r, NULL),
                         P20W_OK);
        const csv_field *f;
        size_t n;
        p20w_err err;
        assert_int_equal(csv_read(r, &f, &n, &err), P20W_OK);
        assert_int_equal(csv_read(r, &f, &n, &err), P20W_ELIMIT);
        assert_int_equal(err.line, 2);
        assert_int_equal(err.col, 2);
        assert_string_equal(err.msg, "field longer than 1048576 bytes");
        csv_reader_close(r);
    }
    free(data);
    /* Exactly at the limit passes; one more byte fails, whatever the read
     * size and whether the doubled quote is the byte too many. */
    csv_limits lim = {.max_field_bytes = 4};
    EXPECT_ROWS_LIM("abcd,\"ab\"\"c\"\n", &lim, "abcd|[ab\"c]\n");
    EXPECT_ROWS_LIM("ab,\"abcd\"\n", &lim, "ab|[abcd]\n");
    EXPECT_ERROR("abcd,abcde\n", &lim, P20W_ELIMIT, 1, 2, "");
    EXPECT_ERROR("abcd\n\"ab\"\"\"\"\"\"\"\n", &lim, P20W_ELIMIT, 2, 1,
                 "abcd\n");
    EXPECT_ERROR("x,\xC3\xA9\xC3\xA9\xC3\xA9\n", &lim, P20W_ELIMIT, 1, 2, "");
}

static void test_column_and_record_limits(void **state)
{
    (void)state;
    csv_limits lim = {.max_columns = 4};
    EXPECT_ERROR("a,b,c,d\n1,2,3,4,5\n", &lim, P20W_ELIMIT, 2, 5, "a|b|c|d\n");
    EXPECT_ERROR("a,b,c,d,\n", &lim, P20W_ELIMIT, 1, 5, "");
    /* The default allows 1024 columns. */
    sbuf s;
    sbuf_init(&s, 0);
    for (int i = 0; i < 1025; i++)
        assert_int_equal(sbuf_puts(&s, i ? ",x" : "x"), P20W_OK);
    assert_int_equal(sbuf_putc(&s, '\n'), P20W_OK);
    sbuf ok;
    sbuf_init(&ok, 0);
    assert_int_equal(render(s.buf + 2, s.len - 2, NULL, &ok, NULL), P20W_OK);
    assert_int_equal(ok.len, s.len - 2); /* 1024 fields, 1023 separators */
    expect_error(s.buf, s.len, NULL, P20W_ELIMIT, 1, 1025, "");
    sbuf_free(&ok);
    sbuf_free(&s);

    csv_limits rec = {.max_record_bytes = 10};
    EXPECT_ROWS_LIM("0123456789\n\"a\",\"bc\"\n", &rec,
                    "0123456789\n[a]|[bc]\n");
    EXPECT_ERROR("0123456789\n0123,56789A\n", &rec, P20W_ELIMIT, 2, 2,
                 "0123456789\n");
    EXPECT_ERROR("\"a\nb\",\"cd\"\"ef\"\n", &rec, P20W_ELIMIT, 1, 2, "");
}

/* A CSV of n rows whose fields exercise every path: quoted commas and
 * newlines, doubled quotes, UTF-8, empty fields, CRLF on odd rows. */
static void make_rows(sbuf *s, int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(
            sbuf_printf(s,
                        "%d,Name \xC3\xA9%d,\"Street %d, Apt %d\",\"say "
                        "\"\"%d\"\"\",,\"two\nlines\"%s",
                        i, i, i, i % 7, i, i % 2 ? "\r\n" : "\n"),
            P20W_OK);
    }
}

static void check_rows(csv_reader *r, int n)
{
    for (int i = 0; i < n; i++) {
        const csv_field *f;
        size_t nf;
        p20w_err err;
        p20w_status rc = csv_read(r, &f, &nf, &err);
        if (rc != P20W_OK)
            fail_msg("row %d: %s", i, err.msg);
        assert_int_equal(nf, 6);
        char want[64];
        snprintf(want, sizeof want, "%d", i);
        assert_string_equal(f[0].ptr, want);
        snprintf(want, sizeof want, "Name \xC3\xA9%d", i);
        assert_string_equal(f[1].ptr, want);
        snprintf(want, sizeof want, "Street %d, Apt %d", i, i % 7);
        assert_string_equal(f[2].ptr, want);
        snprintf(want, sizeof want, "say \"%d\"", i);
        assert_string_equal(f[3].ptr, want);
        assert_int_equal(f[4].len, 0);
        assert_string_equal(f[5].ptr, "two\nlines");
        assert_int_equal(csv_reader_line(r), 2L * i + 1);
    }
    const csv_field *f;
    size_t nf;
    assert_int_equal(csv_read(r, &f, &nf, NULL), P20W_OK);
    assert_int_equal(nf, 0);
}

static void test_buffer_boundaries_mem(void **state)
{
    (void)state;
    sbuf s;
    sbuf_init(&s, 0);
    make_rows(&s, 300);
    const size_t sizes[] = {1, 13, 64, 1000, 4096, 0};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        csv_limits lim = {.read_bytes = sizes[k]};
        csv_reader *r = NULL;
        assert_int_equal(csv_reader_open_mem(s.buf, s.len, &lim, &r, NULL),
                         P20W_OK);
        check_rows(r, 300);
        assert_int_equal(csv_reader_bytes(r), s.len);
        csv_reader_close(r);
    }
    sbuf_free(&s);
}

static void test_pipe_fd(void **state)
{
    (void)state;
    /* Several MB through a pipe, written in uneven chunks by a child, so
     * reads come back short and records straddle every refill. */
    sbuf s;
    sbuf_init(&s, 0);
    make_rows(&s, 40000);
    assert_true(s.len > (2u << 20));
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        size_t off = 0, chunk = 1;
        while (off < s.len) {
            size_t n = s.len - off < chunk ? s.len - off : chunk;
            ssize_t w = write(fds[1], s.buf + off, n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                _exit(1);
            off += (size_t)w;
            chunk = chunk * 7 % 100003 + 1;
        }
        _exit(0);
    }
    close(fds[1]);
    csv_reader *r = NULL;
    assert_int_equal(csv_reader_open_fd(fds[0], NULL, &r, NULL), P20W_OK);
    check_rows(r, 40000);
    assert_int_equal(csv_reader_bytes(r), s.len);
    csv_reader_close(r);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sbuf_free(&s);
}

static void test_open_file(void **state)
{
    (void)state;
    char path[64];
    static const char data[] = "\xEF\xBB\xBFh\n\"x\n";
    testutil_write_tmp(path, sizeof path, data, sizeof data - 1);
    csv_reader *r = NULL;
    p20w_err err;
    assert_int_equal(csv_reader_open_file(path, NULL, &r, &err), P20W_OK);
    const csv_field *f;
    size_t n;
    assert_int_equal(csv_read(r, &f, &n, &err), P20W_OK);
    assert_string_equal(f[0].ptr, "h");
    assert_int_equal(csv_read(r, &f, &n, &err), P20W_EFORMAT);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    csv_reader_close(r);
    unlink(path);

    r = (csv_reader *)&err; /* must be reset to NULL on failure */
    assert_int_equal(csv_reader_open_file(path, NULL, &r, &err), P20W_EIO);
    assert_null(r);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.msg, "cannot open"));
}

static void test_nul_bytes(void **state)
{
    (void)state;
    static const char data[] = "a\0b,c\n";
    csv_reader *r = NULL;
    assert_int_equal(csv_reader_open_mem(data, sizeof data - 1, NULL, &r, NULL),
                     P20W_OK);
    const csv_field *f;
    size_t n;
    assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
    assert_int_equal(n, 2);
    assert_int_equal(f[0].len, 3);
    assert_int_equal(strlen(f[0].ptr), 1);
    assert_memory_equal(f[0].ptr, "a\0b", 3);
    csv_reader_close(r);
}

/* Writes rows with csv_write_row into a string. */
static char *write_rows(const char *const *rows, const size_t *widths,
                        size_t nrows, size_t *len)
{
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    assert_non_null(f);
    for (size_t i = 0, at = 0; i < nrows; at += widths[i], i++)
        assert_int_equal(csv_write_row(f, rows + at, widths[i]), P20W_OK);
    assert_int_equal(fclose(f), 0);
    return out;
}

static void test_writer(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    assert_int_equal(csv_write_field(f, "plain", 5), P20W_OK);
    assert_int_equal(putc('|', f), '|');
    assert_int_equal(csv_write_field(f, "a,b", 3), P20W_OK);
    assert_int_equal(putc('|', f), '|');
    assert_int_equal(csv_write_field(f, "say \"hi\"", 8), P20W_OK);
    assert_int_equal(putc('|', f), '|');
    assert_int_equal(csv_write_field(f, " pad", 4), P20W_OK);
    assert_int_equal(putc('|', f), '|');
    assert_int_equal(csv_write_field(f, "x\ny", 3), P20W_OK);
    assert_int_equal(putc('|', f), '|');
    assert_int_equal(csv_write_field(f, "\"", 1), P20W_OK);
    assert_int_equal(putc('|', f), '|');
    assert_int_equal(csv_write_field(f, "", 0), P20W_OK);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(out,
                        "plain|\"a,b\"|\"say \"\"hi\"\"\"|\" pad\"|\"x\ny\"|"
                        "\"\"\"\"|");
    free(out);
    const char *one[] = {NULL};
    assert_int_equal(csv_write_row(stdout, one, 0), P20W_EINVAL);
}

static void test_writer_round_trip(void **state)
{
    (void)state;
    const char *rows[] = {
        "id",
        "name",
        "note", /* 3 */
        "1",
        "O'Brien, Pat",
        "said \"hello\"\r\nthen left", /* 3 */
        "2",
        NULL,
        " lead", /* 3 */
        "",      /* 1 */
        "\xEF\xBB\xBF",
        "trail\t",
        "\xC3\xA9t\xC3\xA9", /* 3 */
        "\"",
        "",
        ",", /* 3 */
    };
    const size_t widths[] = {3, 3, 3, 1, 3, 3};
    const size_t nrows = 6;
    size_t len = 0;
    char *out = write_rows(rows, widths, nrows, &len);
    for (size_t k = 0; k < N_READ_SIZES; k++) {
        csv_limits lim = {.read_bytes = read_sizes[k]};
        csv_reader *r = NULL;
        assert_int_equal(csv_reader_open_mem(out, len, &lim, &r, NULL),
                         P20W_OK);
        for (size_t i = 0, at = 0; i < nrows; at += widths[i], i++) {
            const csv_field *f;
            size_t n;
            assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
            assert_int_equal(n, widths[i]);
            for (size_t j = 0; j < n; j++)
                assert_string_equal(f[j].ptr, rows[at + j] ? rows[at + j] : "");
        }
        const csv_field *f;
        size_t n;
        assert_int_equal(csv_read(r, &f, &n, NULL), P20W_OK);
        assert_int_equal(n, 0);
        csv_reader_close(r);
    }
    free(out);

    /* The BOM-like first field survives at the very start of a file. */
    const char *first[] = {"\xEF\xBB\xBFx"};
    const size_t w1[] = {1};
    out = write_rows(first, w1, 1, &len);
    sbuf got;
    sbuf_init(&got, 0);
    assert_int_equal(render(out, len, NULL, &got, NULL), P20W_OK);
    assert_string_equal(sbuf_cstr(&got), "[\xEF\xBB\xBFx]\n");
    sbuf_free(&got);
    free(out);
}

/* Reads all of data with failure injection after `after` allocations.
 * Returns the final status (P20W_ENOMEM when injection hit). */
static p20w_status read_with_failure(const char *data, size_t len,
                                     const csv_limits *lim, long after,
                                     size_t *records)
{
    csv_reader *r = NULL;
    p20w_err err;
    *records = 0;
    p20w_mem_fail_after(after);
    p20w_status rc = csv_reader_open_mem(data, len, lim, &r, &err);
    if (rc == P20W_OK) {
        for (;;) {
            const csv_field *f;
            size_t n;
            rc = csv_read(r, &f, &n, &err);
            if (rc != P20W_OK || n == 0)
                break;
            (*records)++;
        }
    }
    if (rc == P20W_ENOMEM) {
        assert_true(p20w_mem_failed());
        assert_int_equal(err.code, P20W_ENOMEM);
    }
    csv_reader_close(r);
    p20w_mem_fail_reset();
    return rc;
}

static void test_alloc_failure_walk(void **state)
{
    (void)state;
    /* 40 columns (field arrays grow), a record longer than the read size
     * (the buffer grows), quoted fields (slow path). */
    sbuf s;
    sbuf_init(&s, 0);
    for (int i = 0; i < 40; i++)
        assert_int_equal(sbuf_printf(&s, "%s\"c%d\"", i ? "," : "", i),
                         P20W_OK);
    assert_int_equal(sbuf_puts(&s, "\n1,2\n"), P20W_OK);
    csv_limits lim = {.read_bytes = 16};
    long n;
    size_t records = 0;
    for (n = 0; n < 1000; n++) {
        p20w_status rc = read_with_failure(s.buf, s.len, &lim, n, &records);
        if (rc == P20W_OK)
            break;
        assert_int_equal(rc, P20W_ENOMEM);
    }
    assert_true(n > 2); /* the walk did fail some allocations */
    assert_true(n < 1000);
    assert_int_equal(records, 2);

    /* Opening a file: the reader, its buffers and the path copy. */
    char path[64];
    testutil_write_tmp(path, sizeof path, "a\n", 2);
    for (n = 0; n < 100; n++) {
        csv_reader *r = NULL;
        p20w_err err;
        p20w_mem_fail_after(n);
        p20w_status rc = csv_reader_open_file(path, NULL, &r, &err);
        p20w_mem_fail_reset();
        if (rc == P20W_OK) {
            csv_reader_close(r);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        assert_null(r);
    }
    assert_true(n >= 4 && n < 100);
    unlink(path);
    sbuf_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_and_bom),
        cmocka_unit_test(test_truncated_bom_is_bad_utf8),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_missing_final_newline),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_error_message_has_no_content),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_column_and_record_limits),
        cmocka_unit_test(test_buffer_boundaries_mem),
        cmocka_unit_test(test_pipe_fd),
        cmocka_unit_test(test_open_file),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_writer_round_trip),
        cmocka_unit_test(test_alloc_failure_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
