/*
 * sbuf.h — growable string buffer with a size cap.
 *
 * Always NUL-terminated once anything was appended. A cap (limit) protects
 * buffers filled from untrusted input: appends past it fail with
 * P20W_ELIMIT and leave the buffer unchanged (curl's dynbuf).
 */
#ifndef P20W_SBUF_H
#define P20W_SBUF_H

#include <stddef.h>

#include "util/error.h"

typedef struct sbuf {
    char *buf;    /* owned, NUL-terminated when len > 0 or after any append */
    size_t len;   /* bytes, excluding the NUL */
    size_t cap;   /* bytes allocated */
    size_t limit; /* maximum len; 0 = unlimited */
} sbuf;

void sbuf_init(sbuf *s, size_t limit);
p20w_status sbuf_append(sbuf *s, const char *p, size_t n);
p20w_status sbuf_puts(sbuf *s, const char *str);
p20w_status sbuf_putc(sbuf *s, char c);
p20w_status sbuf_printf(sbuf *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends p[0..n) escaped for HTML text and attribute values (& < > " '). */
p20w_status sbuf_html_escape(sbuf *s, const char *p, size_t n);
/* The contents as a C string ("" when empty); valid until the next change. */
const char *sbuf_cstr(const sbuf *s);
/* Empties the buffer, keeping its memory. */
void sbuf_reset(sbuf *s);
/* Hands the buffer to the caller (free with p20w_free); s becomes empty.
 * Returns NULL when out of memory. */
char *sbuf_steal(sbuf *s);
void sbuf_free(sbuf *s);

#endif
