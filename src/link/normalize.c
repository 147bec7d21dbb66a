/*
 * normalize.c — name and SSN normalisation for linkage.
 *
 * Names go through utf8proc one code point at a time (decompose with
 * compatibility mappings, strip marks, case-fold) into a fixed buffer:
 * names are short, so nothing is allocated and the function can run on
 * millions of records without touching the heap.
 */
#include "link/normalize.h"

#include <string.h>
#include <utf8proc.h>

/* Appends one code point already folded to lower case, in its ASCII form
 * where it has one, to out[*n]. Returns 0 when out is full. */
static int put_letter(char *out, size_t *n, utf8proc_int32_t c)
{
    const char *s = NULL;
    char one[5];
    switch (c) {
    case 0x00F8:
        s = "O";
        break; /* ø */
    case 0x0142:
        s = "L";
        break; /* ł */
    case 0x0111:
        s = "D";
        break; /* đ */
    case 0x00F0:
        s = "D";
        break; /* ð */
    case 0x00E6:
        s = "AE";
        break; /* æ */
    case 0x0153:
        s = "OE";
        break; /* œ */
    case 0x00FE:
        s = "TH";
        break; /* þ */
    case 0x0131:
        s = "I";
        break; /* dotless i */
    case 0x00DF:
        s = "SS";
        break; /* ß (when not folded already) */
    default:
        break;
    }
    if (s == NULL) {
        if (c >= 'a' && c <= 'z') {
            one[0] = (char)(c - 'a' + 'A');
            one[1] = '\0';
        } else {
            utf8proc_ssize_t k = utf8proc_encode_char(utf8proc_toupper(c),
                                                      (utf8proc_uint8_t *)one);
            one[k] = '\0';
        }
        s = one;
    }
    size_t k = strlen(s);
    if (*n + k >= LINK_NAME_MAX)
        return 0;
    memcpy(out + *n, s, k);
    *n += k;
    return 1;
}

/* The last space in out[0..n), or NULL. */
static char *last_space(char *out, size_t n)
{
    while (n > 0) {
        if (out[--n] == ' ')
            return out + n;
    }
    return NULL;
}

static int is_suffix(const char *w, size_t n)
{
    static const char *const suffixes[] = {"JR", "SR", "II", "III", "IV"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (strlen(suffixes[i]) == n && memcmp(w, suffixes[i], n) == 0)
            return 1;
    return 0;
}

/* Removes trailing suffix words while another word remains. */
static void drop_suffixes(char *out, size_t *n)
{
    for (;;) {
        char *sp = last_space(out, *n);
        if (sp == NULL)
            return;
        size_t wl = *n - (size_t)(sp + 1 - out);
        if (!is_suffix(sp + 1, wl))
            return;
        *n = (size_t)(sp - out);
        out[*n] = '\0';
    }
}

p20w_status link_name_norm(const char *in, size_t len, char out[LINK_NAME_MAX])
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    size_t n = 0;
    int pending_space = 0, full = 0;
    out[0] = '\0';
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t used = utf8proc_iterate(p, left, &cp);
        if (used <= 0 || cp < 0)
            return P20W_EFORMAT;
        p += used;
        left -= used;
        if (full)
            continue; /* keep validating the rest */
        utf8proc_int32_t dec[16];
        utf8proc_ssize_t nd = utf8proc_decompose_char(
            cp, dec, 16,
            UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
                UTF8PROC_DECOMPOSE | UTF8PROC_IGNORE,
            NULL);
        if (nd < 0 || nd > 16)
            continue;
        for (utf8proc_ssize_t i = 0; i < nd && !full; i++) {
            utf8proc_int32_t c = dec[i];
            utf8proc_category_t cat = utf8proc_category(c);
            if (c == '\'' || c == 0x2019 || c == 0x02BC || c == '`')
                continue; /* O'Brien → OBRIEN */
            if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
                if (pending_space && n > 0) {
                    if (n + 1 >= LINK_NAME_MAX) {
                        full = 1;
                        break;
                    }
                    out[n++] = ' ';
                }
                pending_space = 0;
                size_t before = n;
                if (!put_letter(out, &n, c)) {
                    n = before;
                    full = 1;
                }
            } else if (c == ' ' || c == '-' || c == '.' || c == ',' ||
                       c == '\t' || c == 0x2010 || c == 0x2011 || c == 0x2013 ||
                       cat == UTF8PROC_CATEGORY_ZS) {
                pending_space = 1;
            }
            /* Digits, marks left over and other symbols are dropped. */
        }
    }
    if (full) {
        /* Cut back to the last whole word. */
        char *sp = last_space(out, n);
        if (sp != NULL)
            n = (size_t)(sp - out);
    }
    out[n] = '\0';
    drop_suffixes(out, &n);
    return P20W_OK;
}

void link_name_squash(const char *norm, char out[LINK_NAME_MAX])
{
    size_t j = 0;
    for (size_t i = 0; norm[i] != '\0' && j + 1 < LINK_NAME_MAX; i++)
        if (norm[i] != ' ')
            out[j++] = norm[i];
    out[j] = '\0';
}

size_t link_name_parts(const char *norm, const char **part, size_t *part_len,
                       size_t max)
{
    size_t count = 0;
    const char *p = norm;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        const char *start = p;
        while (*p != '\0' && *p != ' ')
            p++;
        if (count < max) {
            part[count] = start;
            part_len[count] = (size_t)(p - start);
        }
        count++;
    }
    return count;
}

int link_ssn_digits(const char *in, size_t len, char out[10])
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c >= '0' && c <= '9') {
            if (n == 9)
                goto bad;
            out[n++] = c;
        } else if (c != '-' && c != ' ') {
            goto bad;
        }
    }
    if (n != 9)
        goto bad;
    out[9] = '\0';
    return 1;
bad:
    out[0] = '\0';
    return 0;
}

int link_ssn_valid(const char *digits)
{
    if (strlen(digits) != 9)
        return 0;
    if (memcmp(digits, "000", 3) == 0 || memcmp(digits, "666", 3) == 0 ||
        digits[0] == '9')
        return 0;
    if (memcmp(digits + 3, "00", 2) == 0)
        return 0;
    if (memcmp(digits + 5, "0000", 4) == 0)
        return 0;
    return 1;
}
