/*
 * sbuf.c — growable, capped string buffer.
 */
#include "util/sbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

void sbuf_init(sbuf *s, size_t limit)
{
    s->buf = NULL;
    s->len = 0;
    s->cap = 0;
    s->limit = limit;
}

static p20w_status ensure(sbuf *s, size_t extra)
{
    if (extra > SIZE_MAX - s->len - 1)
        return P20W_ELIMIT;
    size_t need = s->len + extra + 1;
    if (s->limit != 0 && s->len + extra > s->limit)
        return P20W_ELIMIT;
    if (need <= s->cap)
        return P20W_OK;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *b = p20w_realloc(s->buf, cap);
    if (b == NULL)
        return P20W_ENOMEM;
    s->buf = b;
    s->cap = cap;
    return P20W_OK;
}

p20w_status sbuf_append(sbuf *s, const char *p, size_t n)
{
    p20w_status rc = ensure(s, n);
    if (rc != P20W_OK)
        return rc;
    if (n > 0)
        memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return P20W_OK;
}

p20w_status sbuf_puts(sbuf *s, const char *str)
{
    return sbuf_append(s, str, strlen(str));
}

p20w_status sbuf_putc(sbuf *s, char c)
{
    return sbuf_append(s, &c, 1);
}

p20w_status sbuf_printf(sbuf *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return P20W_EINTERNAL;
    p20w_status rc = ensure(s, (size_t)n);
    if (rc != P20W_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
    return P20W_OK;
}

const char *sbuf_cstr(const sbuf *s)
{
    return s->buf ? s->buf : "";
}

void sbuf_reset(sbuf *s)
{
    s->len = 0;
    if (s->buf != NULL)
        s->buf[0] = '\0';
}

p20w_status sbuf_html_escape(sbuf *s, const char *p, size_t n)
{
    p20w_status rc = P20W_OK;
    size_t from = 0;
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        const char *rep = NULL;
        switch (p[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        rc = sbuf_append(s, p + from, i - from);
        if (rc == P20W_OK)
            rc = sbuf_puts(s, rep);
        from = i + 1;
    }
    if (rc == P20W_OK && n > from)
        rc = sbuf_append(s, p + from, n - from);
    return rc;
}

char *sbuf_steal(sbuf *s)
{
    char *b = s->buf;
    if (b == NULL)
        b = p20w_strdup("");
    s->buf = NULL;
    s->len = 0;
    s->cap = 0;
    return b;
}

void sbuf_free(sbuf *s)
{
    p20w_free(s->buf);
    s->buf = NULL;
    s->len = 0;
    s->cap = 0;
}
