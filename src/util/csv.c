/*
 * csv.c — streaming RFC 4180 reader and a small writer.
 *
 * The reader owns one byte buffer. Bytes [pos, end) are input not yet
 * parsed; buf[cap - 1] is always spare so a NUL can follow the last field of
 * a file without a final newline. Records are parsed in place: field bytes
 * are unquoted by moving them towards the record start (the write offset
 * never passes the read offset), and each field end is overwritten by a
 * NUL, so csv_read() copies nothing in the common case.
 *
 * Two paths parse a record:
 *   - the fast path takes a record that lies whole in the buffer on one
 *     line, whose quoted fields close on that line, with no CR other than a
 *     final CRLF, and valid UTF-8. It finds the line end and closing quotes
 *     with memchr() and splits unquoted fields with a table-driven loop
 *     (short fields make a memchr() call per comma cost more than it saves);
 *   - the slow path is a byte-level state machine that handles quoting,
 *     refills (a record may span any number of reads; the buffer then grows
 *     up to max_record_bytes) and reports every error.
 * The fast path never reports an error: on anything unusual it hands the
 * record to the slow path untouched, so errors (and their line and column)
 * come from one place, in input order.
 *
 * Invariant: a failed reader stays failed (r->failed holds the status and
 * r->saved the error), as the header promises.
 */
#include "util/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"

#define CSV_DEFAULT_FIELD_BYTES ((size_t)1 << 20)
#define CSV_DEFAULT_COLUMNS ((size_t)1024)
#define CSV_DEFAULT_RECORD_BYTES ((size_t)16 << 20)
#define CSV_DEFAULT_READ_BYTES ((size_t)256 << 10)

enum { ST_FIELD_START, ST_UNQUOTED, ST_QUOTED, ST_AFTER_QUOTE };

/* A field of the record being parsed, as offsets from the record start:
 * the buffer may move while a record is read. */
typedef struct span {
    size_t off;
    size_t len;
    int quoted;
} span;

struct csv_reader {
    int fd;          /* -1 for memory input */
    int own_fd;      /* close fd in csv_reader_close() */
    const char *mem; /* memory input, or NULL */
    size_t mem_len;
    size_t mem_pos;
    char *path; /* for error locations; NULL for fd and memory input */

    size_t max_field;
    size_t max_columns;
    size_t max_record;
    size_t read_bytes;

    char *buf;
    size_t cap;
    size_t pos;
    size_t end;
    int eof;
    int started;
    uint64_t bytes_read;

    csv_field *fields;
    span *spans;
    size_t fields_cap;

    long line;     /* physical line at pos */
    long rec_line; /* line where the current record starts */

    p20w_status failed;
    p20w_err saved;
};

/* Bytes that end a run of plain bytes in an unquoted field, and in a quoted
 * one. Bytes >= 0x80 stop both runs too (UTF-8 check). */
static const unsigned char stop_unquoted[128] = {
    [','] = 1,
    ['"'] = 1,
    ['\n'] = 1,
    ['\r'] = 1,
};
static const unsigned char stop_quoted[128] = {
    ['"'] = 1,
    ['\n'] = 1,
};

/* The same stops as stop_unquoted plus every byte >= 0x80, in one lookup
 * for the fast path's inner loop: ',' 0x2C, '"' 0x22, LF 0x0A, CR 0x0D. */
static const unsigned char stop_fast[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Records an error at the current record and makes it sticky. */
__attribute__((format(printf, 5, 6))) static p20w_status
fail(csv_reader *r, p20w_err *err, p20w_status code, long col,
     const char *fmt, ...)
{
    p20w_err *e = &r->saved;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    p20w_err_at(e, r->path, r->rec_line, col);
    r->failed = code;
    if (err != NULL)
        *err = *e;
    return code;
}

/*
 * Length of the valid UTF-8 sequence starting with a byte >= 0x80 at p,
 * n bytes available: 2..4, 0 if invalid (stray continuation byte, overlong
 * form, surrogate, above U+10FFFF, truncated), or -1 when the bytes so far
 * are a valid prefix and `more` says further input may still arrive.
 */
static int utf8_seq(const unsigned char *p, size_t n, int more)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    int need;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates U+D800..U+DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    for (int i = 1; i < need; i++) {
        if ((size_t)i >= n)
            return more ? -1 : 0;
        unsigned char x = p[i];
        if (i == 1 ? (x < lo || x > hi) : (x < 0x80 || x > 0xBF))
            return 0;
    }
    return need;
}

/* 1 if p[0..n) is valid UTF-8. ASCII runs are checked a word at a time. */
static int utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        while (i < n && p[i] < 0x80)
            i++;
        if (i == n)
            return 1;
        int k = utf8_seq(p + i, n - i, 0);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* Makes room for one more field. Errors: P20W_ENOMEM (arrays unchanged). */
static p20w_status grow_fields(csv_reader *r)
{
    size_t ncap = r->fields_cap * 2;
    if (ncap > r->max_columns)
        ncap = r->max_columns;
    csv_field *f = p20w_realloc(r->fields, ncap * sizeof *f);
    if (f == NULL)
        return P20W_ENOMEM;
    r->fields = f;
    span *s = p20w_realloc(r->spans, ncap * sizeof *s);
    if (s == NULL)
        return P20W_ENOMEM;
    r->spans = s;
    r->fields_cap = ncap;
    return P20W_OK;
}

/* Reads more input after the unparsed bytes, first moving them to the
 * buffer start; grows the buffer when they fill it. Sets eof when the input
 * is exhausted. col locates a limit error. */
static p20w_status refill(csv_reader *r, long col, p20w_err *err)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->end + 1 >= r->cap) {
        /* A record may use max_record bytes plus a CRLF and a lookahead;
         * the parser fails before it needs more, this is a backstop. */
        size_t most = r->max_record + 8;
        if (r->cap >= most)
            return fail(r, err, P20W_ELIMIT, col,
                        "record longer than %zu bytes", r->max_record);
        size_t ncap = r->cap * 2;
        if (ncap > most)
            ncap = most;
        char *nb = p20w_realloc(r->buf, ncap);
        if (nb == NULL)
            return fail(r, err, P20W_ENOMEM, col, "out of memory");
        r->buf = nb;
        r->cap = ncap;
    }
    size_t room = r->cap - 1 - r->end;
    if (room > r->read_bytes)
        room = r->read_bytes;
    size_t got;
    if (r->mem != NULL) {
        got = r->mem_len - r->mem_pos;
        if (got > room)
            got = room;
        memcpy(r->buf + r->end, r->mem + r->mem_pos, got);
        r->mem_pos += got;
    } else {
        ssize_t n;
        do {
            n = read(r->fd, r->buf + r->end, room);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            return fail(r, err, P20W_EIO, 0, "read failed: %s",
                        strerror(errno));
        got = (size_t)n;
    }
    if (got == 0)
        r->eof = 1;
    r->end += got;
    r->bytes_read += got;
    return P20W_OK;
}

/* Reads the first bytes and skips a UTF-8 byte-order mark. */
static p20w_status start(csv_reader *r, p20w_err *err)
{
    r->started = 1;
    while (r->end - r->pos < 3 && !r->eof) {
        p20w_status rc = refill(r, 0, err);
        if (rc != P20W_OK)
            return rc;
    }
    if (r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
        r->pos += 3;
    return P20W_OK;
}

/* Removes the second quote of every doubled quote in p[0..len); returns
 * the new length. */
static size_t unescape_quotes(char *p, size_t len)
{
    char *w = p, *s = p, *stop = p + len;
    for (;;) {
        char *q = memchr(s, '"', (size_t)(stop - s));
        if (q == NULL)
            break;
        size_t n = (size_t)(q - s) + 1; /* keep one quote */
        memmove(w, s, n);
        w += n;
        s = q + 2;
    }
    memmove(w, s, (size_t)(stop - s));
    w += stop - s;
    return (size_t)(w - p);
}

/*
 * Tries the fast path on the line p[0..len) (len excludes the '\n', which
 * stops every scan below, so they need no bounds check). Quoted fields are
 * taken when they close on the same line. Nothing in the buffer changes
 * until the whole line is known to be good. Returns the number of fields,
 * or 0 to leave the record to the slow path.
 */
static size_t parse_fast(csv_reader *r, char *p, size_t len)
{
    if (len > 0 && p[len - 1] == '\r')
        len--;
    if (len > r->max_record)
        return 0;
    unsigned char *s = (unsigned char *)p, *stop = s + len;
    size_t nf = 0;
    for (;;) {
        if (nf == r->fields_cap)
            return 0; /* growth and limit errors belong to the slow path */
        csv_field *f = &r->fields[nf++];
        unsigned char *e;
        if (*s == '"' && s < stop) {
            size_t pairs = 0;
            unsigned char *c = s + 1;
            for (;;) {
                e = memchr(c, '"', (size_t)(stop - c));
                if (e == NULL)
                    return 0; /* closes on a later line, or never */
                if (e + 1 == stop || e[1] != '"')
                    break;
                pairs++;
                c = e + 2;
            }
            f->ptr = (char *)s + 1;
            f->len = (size_t)(e - s - 1);
            f->quoted = pairs ? 2 : 1; /* 2: unescape when committing */
            if (f->len - pairs > r->max_field ||
                !utf8_valid(s + 1, f->len))
                return 0;
            e++; /* past the closing quote */
            if (e != stop && *e != ',')
                return 0;
        } else {
            e = s;
            for (;;) {
                while (!stop_fast[*e])
                    e++;
                if (e == stop || *e == ',')
                    break;
                if (*e < 0x80)
                    return 0; /* a quote or a bare CR */
                int k = utf8_seq(e, (size_t)(stop - e), 0);
                if (k <= 0)
                    return 0;
                e += k;
            }
            if ((size_t)(e - s) > r->max_field)
                return 0;
            f->ptr = (char *)s;
            f->len = (size_t)(e - s);
            f->quoted = 0;
        }
        if (e == stop)
            break;
        s = e + 1;
    }
    for (size_t i = 0; i < nf; i++) {
        csv_field *f = &r->fields[i];
        if (f->quoted == 2) {
            f->len = unescape_quotes((char *)f->ptr, f->len);
            f->quoted = 1;
        }
        ((char *)f->ptr)[f->len] = '\0';
    }
    return nf;
}

/* Closes the current field of the slow path: NUL-terminates it in place. */
static p20w_status end_field(csv_reader *r, size_t *nf, size_t fstart,
                             size_t *w, int quoted, p20w_err *err)
{
    if (*nf >= r->max_columns)
        return fail(r, err, P20W_ELIMIT, (long)*nf + 1,
                    "more than %zu columns", r->max_columns);
    if (*nf == r->fields_cap && grow_fields(r) != P20W_OK)
        return fail(r, err, P20W_ENOMEM, (long)*nf + 1, "out of memory");
    r->spans[*nf].off = fstart;
    r->spans[*nf].len = *w - fstart;
    r->spans[*nf].quoted = quoted;
    r->buf[r->pos + *w] = '\0';
    (*w)++;
    (*nf)++;
    return P20W_OK;
}

/* Checks and copies one UTF-8 sequence at rd. Returns 1 when done, 0 when
 * more input is needed first, or -1 on error (already reported). */
static int copy_utf8(csv_reader *r, size_t *rd, size_t *w, size_t nf,
                     p20w_err *err)
{
    unsigned char *b = (unsigned char *)r->buf + r->pos;
    size_t avail = r->end - r->pos;
    int k = utf8_seq(b + *rd, avail - *rd, !r->eof);
    if (k < 0)
        return 0;
    if (k == 0) {
        fail(r, err, P20W_EFORMAT, (long)nf + 1, "invalid UTF-8 in field");
        return -1;
    }
    memmove(b + *w, b + *rd, (size_t)k);
    *w += (size_t)k;
    *rd += (size_t)k;
    return 1;
}

/*
 * The slow path: parses one record starting at r->pos, refilling as needed.
 * Offsets rd (read), w (write) and fstart (current field) are relative to
 * the record start. Sets *nf_out to 0 at end of input.
 */
static p20w_status parse_slow(csv_reader *r, size_t *nf_out, p20w_err *err)
{
    size_t rd = 0, w = 0, fstart = 0, nf = 0;
    int state = ST_FIELD_START, quoted = 0;
    long inner_lines = 0;
    p20w_status rc;
    r->rec_line = r->line;
    for (;;) {
        char *b = r->buf + r->pos;
        size_t avail = r->end - r->pos;
        /* Limits are checked here, before any byte past them is used, and
         * the scans below stop at the first byte that would break one, so
         * the error is the same whatever the buffer size. */
        if (w - fstart > r->max_field)
            return fail(r, err, P20W_ELIMIT, (long)nf + 1,
                        "field longer than %zu bytes", r->max_field);
        if (rd > r->max_record)
            return fail(r, err, P20W_ELIMIT, (long)nf + 1,
                        "record longer than %zu bytes", r->max_record);
        if (rd == avail) {
            if (!r->eof) {
                rc = refill(r, (long)nf + 1, err);
                if (rc != P20W_OK)
                    return rc;
                continue;
            }
            if (state == ST_QUOTED)
                return fail(r, err, P20W_EFORMAT, (long)nf + 1,
                            "quoted field not closed at end of file");
            if (nf == 0 && rd == 0) {
                *nf_out = 0; /* end of input */
                return P20W_OK;
            }
            rc = end_field(r, &nf, fstart, &w, quoted, err);
            if (rc != P20W_OK)
                return rc;
            r->line += inner_lines;
            break;
        }
        unsigned char c = (unsigned char)b[rd];
        if (state == ST_FIELD_START) {
            if (nf == 0 && rd == 0 && (c == '\n' || c == '\r')) {
                /* An empty line: skip it. */
                if (c == '\r') {
                    if (rd + 1 == avail && !r->eof) {
                        rc = refill(r, 1, err);
                        if (rc != P20W_OK)
                            return rc;
                        continue;
                    }
                    if (rd + 1 == avail || b[rd + 1] != '\n')
                        return fail(r, err, P20W_EFORMAT, 1,
                                    "carriage return without line feed");
                    r->pos++;
                }
                r->pos++;
                r->line++;
                r->rec_line = r->line;
                continue;
            }
            if (c == '"') {
                quoted = 1;
                rd++;
                fstart = w;
                state = ST_QUOTED;
            } else {
                state = ST_UNQUOTED;
            }
            continue;
        }
        if (state == ST_UNQUOTED || state == ST_QUOTED) {
            const unsigned char *stop =
                state == ST_UNQUOTED ? stop_unquoted : stop_quoted;
            size_t s = rd, lim = avail;
            if (lim > r->max_record + 1)
                lim = r->max_record + 1;
            if (lim - rd > r->max_field - (w - fstart) + 1)
                lim = rd + r->max_field - (w - fstart) + 1;
            while (s < lim) {
                unsigned char ch = (unsigned char)b[s];
                if (ch >= 0x80 || stop[ch])
                    break;
                s++;
            }
            if (w != rd)
                memmove(b + w, b + rd, s - rd);
            w += s - rd;
            rd = s;
            if (rd == lim)
                continue; /* refill, end of input or a limit */
            c = (unsigned char)b[rd];
            if (c >= 0x80) {
                int k = copy_utf8(r, &rd, &w, nf, err);
                if (k < 0)
                    return r->failed;
                if (k == 0) {
                    rc = refill(r, (long)nf + 1, err);
                    if (rc != P20W_OK)
                        return rc;
                }
                continue;
            }
            if (state == ST_QUOTED) {
                if (c == '"') {
                    rd++;
                    state = ST_AFTER_QUOTE;
                } else { /* '\n' inside quotes */
                    b[w++] = b[rd++];
                    inner_lines++;
                }
                continue;
            }
            if (c == '"')
                return fail(r, err, P20W_EFORMAT, (long)nf + 1,
                            "quote inside an unquoted field");
        } else { /* ST_AFTER_QUOTE */
            if (c == '"') {
                b[w++] = '"';
                rd++;
                state = ST_QUOTED;
                continue;
            }
            if (c != ',' && c != '\n' && c != '\r')
                return fail(r, err, P20W_EFORMAT, (long)nf + 1,
                            "text after the closing quote of a field");
        }
        /* c is ',', '\n' or '\r' and ends the field. */
        if (c == '\r') {
            if (rd + 1 == avail && !r->eof) {
                rc = refill(r, (long)nf + 1, err);
                if (rc != P20W_OK)
                    return rc;
                continue;
            }
            if (rd + 1 == avail || b[rd + 1] != '\n')
                return fail(r, err, P20W_EFORMAT, (long)nf + 1,
                            "carriage return without line feed outside "
                            "quotes");
            rd++;
        }
        rd++;
        rc = end_field(r, &nf, fstart, &w, quoted, err);
        if (rc != P20W_OK)
            return rc;
        if (c == ',') {
            state = ST_FIELD_START;
            quoted = 0;
            fstart = w;
            continue;
        }
        r->line += 1 + inner_lines;
        break;
    }
    char *b = r->buf + r->pos;
    for (size_t i = 0; i < nf; i++) {
        r->fields[i].ptr = b + r->spans[i].off;
        r->fields[i].len = r->spans[i].len;
        r->fields[i].quoted = r->spans[i].quoted;
    }
    r->pos += rd;
    *nf_out = nf;
    return P20W_OK;
}

p20w_status csv_read(csv_reader *r, const csv_field **fields, size_t *nfields,
                     p20w_err *err)
{
    *fields = NULL;
    *nfields = 0;
    if (r->failed != P20W_OK) {
        if (err != NULL)
            *err = r->saved;
        return r->failed;
    }
    p20w_status rc;
    if (!r->started) {
        rc = start(r, err);
        if (rc != P20W_OK)
            return rc;
    }
    for (;;) {
        char *p = r->buf + r->pos;
        char *nl = memchr(p, '\n', r->end - r->pos);
        if (nl == NULL)
            break;
        size_t len = (size_t)(nl - p);
        if (len == 0 || (len == 1 && p[0] == '\r')) {
            r->pos += len + 1; /* empty line */
            r->line++;
            continue;
        }
        size_t nf = parse_fast(r, p, len);
        if (nf == 0)
            break;
        r->rec_line = r->line++;
        r->pos += len + 1;
        *fields = r->fields;
        *nfields = nf;
        return P20W_OK;
    }
    size_t nf = 0;
    rc = parse_slow(r, &nf, err);
    if (rc != P20W_OK)
        return rc;
    if (nf > 0)
        *fields = r->fields;
    *nfields = nf;
    return P20W_OK;
}

static p20w_status reader_new(const csv_limits *limits, size_t buf_hint,
                              csv_reader **out)
{
    csv_reader *r = p20w_calloc(1, sizeof *r);
    if (r == NULL)
        return P20W_ENOMEM;
    r->fd = -1;
    r->line = 1;
    r->rec_line = 1;
    csv_limits d = {0};
    if (limits != NULL)
        d = *limits;
    r->max_field = d.max_field_bytes ? d.max_field_bytes
                                     : CSV_DEFAULT_FIELD_BYTES;
    r->max_columns = d.max_columns ? d.max_columns : CSV_DEFAULT_COLUMNS;
    r->max_record = d.max_record_bytes ? d.max_record_bytes
                                       : CSV_DEFAULT_RECORD_BYTES;
    r->read_bytes = d.read_bytes ? d.read_bytes : CSV_DEFAULT_READ_BYTES;
    if (r->max_record > SIZE_MAX / 4) /* keep buffer arithmetic exact */
        r->max_record = SIZE_MAX / 4;
    if (r->max_field > SIZE_MAX / 4)
        r->max_field = SIZE_MAX / 4;
    r->cap = (buf_hint < r->read_bytes ? buf_hint : r->read_bytes) + 1;
    r->buf = p20w_malloc(r->cap);
    r->fields_cap = r->max_columns < 16 ? r->max_columns : 16;
    r->fields = p20w_malloc(r->fields_cap * sizeof *r->fields);
    r->spans = p20w_malloc(r->fields_cap * sizeof *r->spans);
    if (r->buf == NULL || r->fields == NULL || r->spans == NULL) {
        csv_reader_close(r);
        return P20W_ENOMEM;
    }
    *out = r;
    return P20W_OK;
}

p20w_status csv_reader_open_file(const char *path, const csv_limits *limits,
                                 csv_reader **out, p20w_err *err)
{
    *out = NULL;
    csv_reader *r = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    if (reader_new(limits, CSV_DEFAULT_READ_BYTES, &r) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (!is_stdin) {
        r->path = p20w_strdup(path);
        if (r->path == NULL) {
            csv_reader_close(r);
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        }
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0) {
            int e = errno;
            csv_reader_close(r);
            p20w_err_set(err, P20W_EIO, "cannot open: %s", strerror(e));
            p20w_err_at(err, path, 0, 0);
            return P20W_EIO;
        }
        r->own_fd = 1;
    } else {
        r->fd = 0;
    }
    *out = r;
    return P20W_OK;
}

p20w_status csv_reader_open_fd(int fd, const csv_limits *limits,
                               csv_reader **out, p20w_err *err)
{
    *out = NULL;
    csv_reader *r = NULL;
    if (reader_new(limits, CSV_DEFAULT_READ_BYTES, &r) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    r->fd = fd;
    *out = r;
    return P20W_OK;
}

p20w_status csv_reader_open_mem(const char *buf, size_t len,
                                const csv_limits *limits, csv_reader **out,
                                p20w_err *err)
{
    *out = NULL;
    csv_reader *r = NULL;
    if (reader_new(limits, len, &r) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    r->mem = buf != NULL ? buf : "";
    r->mem_len = buf != NULL ? len : 0;
    *out = r;
    return P20W_OK;
}

long csv_reader_line(const csv_reader *r)
{
    return r->rec_line;
}

uint64_t csv_reader_bytes(const csv_reader *r)
{
    return r->bytes_read - (r->end - r->pos);
}

void csv_reader_close(csv_reader *r)
{
    if (r == NULL)
        return;
    if (r->own_fd)
        close(r->fd);
    p20w_free(r->path);
    p20w_free(r->buf);
    p20w_free(r->fields);
    p20w_free(r->spans);
    p20w_free(r);
}

static int needs_quotes(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
        s[len - 1] == '\t')
        return 1;
    /* A leading U+FEFF at the start of a file would be taken for a BOM. */
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        return 1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n')
            return 1;
    }
    return 0;
}

p20w_status csv_write_field(FILE *f, const char *s, size_t len)
{
    if (!needs_quotes(s, len)) {
        if (len > 0 && fwrite(s, 1, len, f) != len)
            return P20W_EIO;
        return P20W_OK;
    }
    if (putc('"', f) == EOF)
        return P20W_EIO;
    const char *p = s, *stop = s + len;
    while (p < stop) {
        const char *q = memchr(p, '"', (size_t)(stop - p));
        size_t n = q != NULL ? (size_t)(q - p) + 1 : (size_t)(stop - p);
        if (fwrite(p, 1, n, f) != n)
            return P20W_EIO;
        if (q != NULL && putc('"', f) == EOF) /* double the quote */
            return P20W_EIO;
        p += n;
    }
    if (putc('"', f) == EOF)
        return P20W_EIO;
    return P20W_OK;
}

p20w_status csv_write_row(FILE *f, const char *const *fields, size_t n)
{
    if (n == 0)
        return P20W_EINVAL;
    if (n == 1 && (fields[0] == NULL || fields[0][0] == '\0')) {
        if (fputs("\"\"\n", f) == EOF)
            return P20W_EIO;
        return P20W_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && putc(',', f) == EOF)
            return P20W_EIO;
        const char *s = fields[i] != NULL ? fields[i] : "";
        p20w_status rc = csv_write_field(f, s, strlen(s));
        if (rc != P20W_OK)
            return rc;
    }
    if (putc('\n', f) == EOF)
        return P20W_EIO;
    return P20W_OK;
}
