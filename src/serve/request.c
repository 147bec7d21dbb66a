/*
 * request.c — what a handler reads from a request: the language, form
 * fields, the published cube and the database (serve.h).
 *
 * Everything here parses untrusted bytes: each parser caps what it reads
 * and refuses what is not UTF-8 text rather than passing it on.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/serveInt.h"
#include "util/mem.h"

/* Valid UTF-8 without control characters except tab and, with lines,
 * CR and LF. */
static int text_ok(const char *s, size_t len, int lines)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x80) {
            int ws = c == '\t' || (lines && (c == '\n' || c == '\r'));
            if ((c < 0x20 && !ws) || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        size_t k;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + k >= len)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + j] & 0x3f);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0x80 && cp < 0xa0))
            return 0;
        i += k + 1;
    }
    return 1;
}

int serve_text_ok(const char *s, size_t len)
{
    return text_ok(s, len, 0);
}

int serve_form_value_ok(const char *s, size_t len)
{
    return text_ok(s, len, 1);
}

/* Accept-Language: "es-MX,es;q=0.9,en;q=0.8". The best-weighted of en
 * and es; en on a tie, when neither appears, or when the header is
 * missing or malformed. */
const char *serve_lang_negotiate(const char *h)
{
    double q_en = -1, q_es = -1;
    if (h == NULL || strlen(h) > 1000)
        return "en";
    const char *s = h;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        const char *tag = s;
        while (*s && *s != ',' && *s != ';' && *s != ' ')
            s++;
        size_t tlen = (size_t)(s - tag);
        double q = 1.0;
        while (*s && *s != ',') {
            if (*s != ';') {
                s++;
                continue;
            }
            s++;
            while (*s == ' ')
                s++;
            if (s[0] == 'q' && s[1] == '=') {
                char *end;
                q = strtod(s + 2, &end);
                if (end == s + 2 || !(q >= 0 && q <= 1))
                    q = 0;
                s = end;
            }
        }
        if (tlen >= 2 && (tlen == 2 || tag[2] == '-')) {
            if (strncasecmp(tag, "en", 2) == 0 && q > q_en)
                q_en = q;
            if (strncasecmp(tag, "es", 2) == 0 && q > q_es)
                q_es = q;
        }
    }
    return q_es > 0 && q_es > q_en ? "es" : "en";
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes src[0..n) ('+' is a space, %XX a byte) into dst; returns the
 * decoded length, or -1 on a bad escape. */
static long form_decode(const char *src, size_t n, char *dst)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '+') {
            dst[o++] = ' ';
        } else if (src[i] == '%') {
            if (i + 2 >= n)
                return -1;
            int a = hexval(src[i + 1]), b = hexval(src[i + 2]);
            if (a < 0 || b < 0)
                return -1;
            dst[o++] = (char)(a * 16 + b);
            i += 2;
        } else {
            dst[o++] = src[i];
        }
    }
    dst[o] = '\0';
    return (long)o;
}

p20w_status serve_form_parse(const char *body, size_t len, serve_kv *kv,
                             size_t max, size_t *n, char **strings,
                             p20w_err *err)
{
    *n = 0;
    *strings = NULL;
    if (len == 0)
        return P20W_OK;
    /* decoded text never grows: one block of len + fields NULs suffices */
    char *buf = p20w_malloc(2 * len + 2);
    if (buf == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    size_t at = 0;
    const char *s = body, *end = body + len;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *e = amp ? amp : end;
        if (e == s) {
            s = e + 1;
            continue;
        }
        if (*n >= max) {
            p20w_free(buf);
            return p20w_err_set(err, P20W_ELIMIT,
                                "The form has too many fields.");
        }
        const char *eq = memchr(s, '=', (size_t)(e - s));
        const char *nend = eq ? eq : e;
        long nl = form_decode(s, (size_t)(nend - s), buf + at);
        if (nl <= 0 || !serve_text_ok(buf + at, (size_t)nl)) {
            p20w_free(buf);
            return p20w_err_set(err, P20W_EFORMAT,
                                "A form field name is malformed.");
        }
        kv[*n].name = buf + at;
        at += (size_t)nl + 1;
        long vl = eq ? form_decode(eq + 1, (size_t)(e - eq - 1), buf + at) : 0;
        if (!eq)
            buf[at] = '\0';
        /* Values may hold line breaks: a <textarea> sends CR LF. */
        if (vl < 0 || !serve_form_value_ok(buf + at, (size_t)vl) || vl > 4000) {
            p20w_status rc =
                p20w_err_set(err, vl > 4000 ? P20W_ELIMIT : P20W_EFORMAT,
                             vl > 4000 ? "The form field '%.40s' is too long."
                                       : "The form field '%.40s' is malformed.",
                             kv[*n].name);
            p20w_free(buf);
            return rc;
        }
        kv[*n].value = buf + at;
        at += (size_t)vl + 1;
        (*n)++;
        s = e + 1;
    }
    *strings = buf;
    return P20W_OK;
}

const pubcube *serve_req_cube(const serve_req *r)
{
    req_priv *p = r->priv;
    if (p->cube == NULL)
        p->cube = serve_cube_acquire(r->app);
    return p->cube->cube;
}

p20w_status serve_req_store(serve_req *r, store **out, p20w_err *err)
{
    req_priv *p = r->priv;
    if (p->db == NULL) {
        p20w_status rc = store_open(r->app->db_path, 0, &p->db, NULL, err);
        if (rc != P20W_OK)
            return rc;
    }
    *out = p->db;
    return P20W_OK;
}
