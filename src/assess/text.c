/*
 * text.c — small checks of what a team types, and timestamps, shared by
 * the files of assess/.
 */
#include <stdio.h>
#include <string.h>

#include "assess/assessInt.h"
#include "util/date.h"

/* Length of the UTF-8 sequence at s (well-formed, shortest form, no
 * surrogates, at most U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    unsigned cp = c & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

const char *assess_text_problem(const char *s, size_t max, int multiline)
{
    if (s == NULL)
        return "is missing";
    size_t len = strlen(s);
    if (len > max)
        return "is too long";
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(u + i, len - i);
        if (n == 0)
            return "is not UTF-8";
        if (n == 1 && (u[i] < 0x20 || u[i] == 0x7F)) {
            int ws = u[i] == '\n' || u[i] == '\r' || u[i] == '\t';
            if (!(multiline && ws))
                return "holds a control character";
        }
        i += n;
    }
    return NULL;
}

int assess_date_ok(const char *s)
{
    int32_t d;
    if (s == NULL || s[0] == '\0')
        return 1;
    return strlen(s) == 10 && date_parse(s, 10, &d) == P20W_OK;
}

void assess_time_iso(int64_t t, char out[32])
{
    int64_t days = t / 86400, sec = t % 86400;
    if (sec < 0) {
        sec += 86400;
        days--;
    }
    int y, m, d;
    date_to_ymd((int32_t)days, &y, &m, &d);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
             (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

int64_t assess_time_parse(const char *s)
{
    int32_t days;
    if (s == NULL || strlen(s) < 10 || date_parse(s, 10, &days) != P20W_OK)
        return -1;
    int64_t t = (int64_t)days * 86400;
    if (s[10] == '\0')
        return t;
    unsigned h, mi, se;
    char z;
    if (strlen(s) != 20 || s[10] != 'T' ||
        sscanf(s + 11, "%2u:%2u:%2u%c", &h, &mi, &se, &z) != 4 || z != 'Z' ||
        h > 23 || mi > 59 || se > 60)
        return -1;
    return t + h * 3600 + mi * 60 + se;
}
