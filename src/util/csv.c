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
/* clang-format off */
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
/* clang-format on */

/* Records an error at the current record and makes it sticky. */
__attribute__((format(printf, 5, 6))) static p20w_status
fail(csv_reader *r, p20w_err *err, p20w_status code, long col, const char *fmt,
     ...)
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
            if (f->len - pairs > r->max_field || !utf8_valid(s + 1, f->len))
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
        return fail(r, err, P20W_ELIMIT, (long)*nf + 1, "more than %zu columns",
                    r->max_columns);
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

/* Where the slow path is in the record being parsed. Offsets rd (read), w
 * (write) and fstart (current field) are relative to the record start,
 * r->pos, which a refill may move. */
typedef struct parse {
    size_t rd;
    size_t w;
    size_t fstart;
    size_t nf;
    int state;
    int quoted;
    long inner_lines; /* line feeds inside quoted fields */
} parse;

/* What a step of the slow path leaves to do. */
enum { STEP_AGAIN, STEP_RECORD, STEP_FAILED };

static long cur_col(const parse *ps)
{
    return (long)ps->nf + 1;
}

static int step_refill(csv_reader *r, const parse *ps, p20w_err *err)
{
    return refill(r, cur_col(ps), err) == P20W_OK ? STEP_AGAIN : STEP_FAILED;
}

/* The input ended: closes the record, or reports end of input (nf 0). */
static int step_input_end(csv_reader *r, parse *ps, p20w_err *err)
{
    if (ps->state == ST_QUOTED) {
        fail(r, err, P20W_EFORMAT, cur_col(ps),
             "quoted field not closed at end of file");
        return STEP_FAILED;
    }
    if (ps->nf == 0 && ps->rd == 0)
        return STEP_RECORD;
    if (end_field(r, &ps->nf, ps->fstart, &ps->w, ps->quoted, err) != P20W_OK)
        return STEP_FAILED;
    r->line += ps->inner_lines;
    return STEP_RECORD;
}

/* At c, a comma, LF or CR ending a field outside quotes: closes the field
 * and, at a line end, the record. */
static int step_separator(csv_reader *r, parse *ps, unsigned char c,
                          p20w_err *err)
{
    const char *b = r->buf + r->pos;
    size_t avail = r->end - r->pos;
    if (c == '\r') {
        if (ps->rd + 1 == avail && !r->eof)
            return step_refill(r, ps, err); /* to see the next byte */
        if (ps->rd + 1 == avail || b[ps->rd + 1] != '\n') {
            fail(r, err, P20W_EFORMAT, cur_col(ps),
                 "carriage return without line feed outside quotes");
            return STEP_FAILED;
        }
        ps->rd++;
    }
    ps->rd++;
    if (end_field(r, &ps->nf, ps->fstart, &ps->w, ps->quoted, err) != P20W_OK)
        return STEP_FAILED;
    if (c == ',') {
        ps->state = ST_FIELD_START;
        ps->quoted = 0;
        ps->fstart = ps->w;
        return STEP_AGAIN;
    }
    r->line += 1 + ps->inner_lines;
    return STEP_RECORD;
}

/* At the first byte of a field: skips an empty line, opens a quote. */
static int step_field_start(csv_reader *r, parse *ps, p20w_err *err)
{
    const char *b = r->buf + r->pos;
    size_t avail = r->end - r->pos;
    char c = b[ps->rd];
    if (ps->nf == 0 && ps->rd == 0 && (c == '\n' || c == '\r')) {
        if (c == '\r') {
            if (avail == 1 && !r->eof)
                return step_refill(r, ps, err);
            if (avail == 1 || b[1] != '\n') {
                fail(r, err, P20W_EFORMAT, 1,
                     "carriage return without line feed");
                return STEP_FAILED;
            }
            r->pos++;
        }
        r->pos++; /* an empty line: skip it */
        r->line++;
        r->rec_line = r->line;
        return STEP_AGAIN;
    }
    if (c == '"') {
        ps->quoted = 1;
        ps->rd++;
        ps->state = ST_QUOTED;
    } else {
        ps->state = ST_UNQUOTED;
    }
    return STEP_AGAIN;
}

/* After a closing quote: a doubled quote, a separator, or an error. */
static int step_after_quote(csv_reader *r, parse *ps, p20w_err *err)
{
    char *b = r->buf + r->pos;
    unsigned char c = (unsigned char)b[ps->rd];
    if (c == '"') {
        b[ps->w++] = '"';
        ps->rd++;
        ps->state = ST_QUOTED;
        return STEP_AGAIN;
    }
    if (c != ',' && c != '\n' && c != '\r') {
        fail(r, err, P20W_EFORMAT, cur_col(ps),
             "text after the closing quote of a field");
        return STEP_FAILED;
    }
    return step_separator(r, ps, c, err);
}

/* Checks and copies the UTF-8 sequence at rd. */
static int step_utf8(csv_reader *r, parse *ps, p20w_err *err)
{
    unsigned char *b = (unsigned char *)r->buf + r->pos;
    size_t avail = r->end - r->pos;
    int k = utf8_seq(b + ps->rd, avail - ps->rd, !r->eof);
    if (k < 0)
        return step_refill(r, ps, err); /* the sequence is cut by the read */
    if (k == 0) {
        fail(r, err, P20W_EFORMAT, cur_col(ps), "invalid UTF-8 in field");
        return STEP_FAILED;
    }
    memmove(b + ps->w, b + ps->rd, (size_t)k);
    ps->w += (size_t)k;
    ps->rd += (size_t)k;
    return STEP_AGAIN;
}

/* Inside a field: copies the run of plain bytes, stopping at the first
 * byte that would break a limit, then handles the byte that ended it. */
static int step_run(csv_reader *r, parse *ps, p20w_err *err)
{
    char *b = r->buf + r->pos;
    size_t avail = r->end - r->pos;
    const unsigned char *stop =
        ps->state == ST_UNQUOTED ? stop_unquoted : stop_quoted;
    size_t s = ps->rd, lim = avail;
    size_t field_room = r->max_field - (ps->w - ps->fstart);
    if (lim > r->max_record + 1)
        lim = r->max_record + 1;
    if (lim - ps->rd > field_room + 1)
        lim = ps->rd + field_room + 1;
    while (s < lim) {
        unsigned char ch = (unsigned char)b[s];
        if (ch >= 0x80 || stop[ch])
            break;
        s++;
    }
    if (ps->w != ps->rd)
        memmove(b + ps->w, b + ps->rd, s - ps->rd);
    ps->w += s - ps->rd;
    ps->rd = s;
    if (s == lim)
        return STEP_AGAIN; /* refill, end of input or a limit */
    unsigned char c = (unsigned char)b[s];
    if (c >= 0x80)
        return step_utf8(r, ps, err);
    if (ps->state == ST_QUOTED) {
        if (c == '"') {
            ps->rd++;
            ps->state = ST_AFTER_QUOTE;
        } else { /* a line feed inside quotes is data */
            b[ps->w++] = b[ps->rd++];
            ps->inner_lines++;
        }
        return STEP_AGAIN;
    }
    if (c == '"') {
        fail(r, err, P20W_EFORMAT, cur_col(ps),
             "quote inside an unquoted field");
        return STEP_FAILED;
    }
    return step_separator(r, ps, c, err);
}

/*
 * The slow path: parses one record starting at r->pos, refilling as needed.
 * Sets *nf_out to 0 at end of input.
 */
static p20w_status parse_slow(csv_reader *r, size_t *nf_out, p20w_err *err)
{
    parse ps = {0, 0, 0, 0, ST_FIELD_START, 0, 0};
    r->rec_line = r->line;
    for (;;) {
        /* Limits are checked here, before any byte past them is used, and
         * step_run() stops at the first byte that would break one, so the
         * error is the same whatever the buffer size. */
        if (ps.w - ps.fstart > r->max_field)
            return fail(r, err, P20W_ELIMIT, cur_col(&ps),
                        "field longer than %zu bytes", r->max_field);
        if (ps.rd > r->max_record)
            return fail(r, err, P20W_ELIMIT, cur_col(&ps),
                        "record longer than %zu bytes", r->max_record);
        int step;
        if (ps.rd == r->end - r->pos)
            step =
                r->eof ? step_input_end(r, &ps, err) : step_refill(r, &ps, err);
        else if (ps.state == ST_FIELD_START)
            step = step_field_start(r, &ps, err);
        else if (ps.state == ST_AFTER_QUOTE)
            step = step_after_quote(r, &ps, err);
        else
            step = step_run(r, &ps, err);
        if (step == STEP_FAILED)
            return r->failed;
        if (step == STEP_RECORD)
            break;
    }
    char *b = r->buf + r->pos;
    for (size_t i = 0; i < ps.nf; i++) {
        r->fields[i].ptr = b + r->spans[i].off;
        r->fields[i].len = r->spans[i].len;
        r->fields[i].quoted = r->spans[i].quoted;
    }
    r->pos += ps.rd;
    *nf_out = ps.nf;
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
    r->max_field =
        d.max_field_bytes ? d.max_field_bytes : CSV_DEFAULT_FIELD_BYTES;
    r->max_columns = d.max_columns ? d.max_columns : CSV_DEFAULT_COLUMNS;
    r->max_record =
        d.max_record_bytes ? d.max_record_bytes : CSV_DEFAULT_RECORD_BYTES;
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
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
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
