/*
 * phonetic.c — the New York State Identification and Intelligence System
 * phonetic code (Taft, 1970), original rules:
 *   1. prefix MAC→MCC, KN→NN, K→C, PH/PF→FF, SCH→SSS;
 *   2. suffix EE/IE→Y, DT/RT/RD/NT/ND→D;
 *   3. the key starts with the first letter;
 *   4. each later letter is translated in place (EV→AF, vowels→A, Q→G,
 *      Z→S, M→N, KN→N, K→C, SCH→SSS, PH→FF, H after or before a
 *      non-vowel → the previous letter, W after a vowel → the previous
 *      letter) and added unless it repeats the key's last letter;
 *   5. a final S is dropped, a final AY becomes Y, a final A is dropped.
 */
#include "link/phonetic.h"

#include <string.h>

static int vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static int starts(const char *s, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    return n >= k && memcmp(s, pre, k) == 0;
}

static int ends(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

void link_nysiis(const char *name, char out[LINK_NYSIIS_MAX])
{
    char b[LINK_NYSIIS_MAX + 2];
    size_t n = 0;
    for (const char *p = name; *p != '\0' && n < LINK_NYSIIS_MAX; p++)
        if (*p >= 'A' && *p <= 'Z')
            b[n++] = *p;
    b[n] = '\0';
    out[0] = '\0';
    if (n == 0)
        return;

    if (starts(b, n, "MAC"))
        b[1] = 'C';
    else if (starts(b, n, "KN"))
        b[0] = 'N';
    else if (b[0] == 'K')
        b[0] = 'C';
    else if (starts(b, n, "PH") || starts(b, n, "PF"))
        b[0] = b[1] = 'F';
    else if (starts(b, n, "SCH"))
        b[1] = b[2] = 'S';

    if (ends(b, n, "EE") || ends(b, n, "IE")) {
        b[n - 2] = 'Y';
        b[--n] = '\0';
    } else if (ends(b, n, "DT") || ends(b, n, "RT") || ends(b, n, "RD") ||
               ends(b, n, "NT") || ends(b, n, "ND")) {
        b[n - 2] = 'D';
        b[--n] = '\0';
    }

    size_t k = 0;
    out[k++] = b[0];
    for (size_t i = 1; i < n; i++) {
        char c = b[i];
        char next = i + 1 < n ? b[i + 1] : '\0';
        if (vowel(c)) {
            if (c == 'E' && next == 'V') {
                b[i] = 'A';
                b[i + 1] = 'F';
            } else {
                b[i] = 'A';
            }
        } else if (c == 'Q') {
            b[i] = 'G';
        } else if (c == 'Z') {
            b[i] = 'S';
        } else if (c == 'M') {
            b[i] = 'N';
        } else if (c == 'K') {
            b[i] = next == 'N' ? 'N' : 'C';
        } else if (c == 'S' && next == 'C' && i + 2 < n && b[i + 2] == 'H') {
            b[i + 1] = b[i + 2] = 'S';
        } else if (c == 'P' && next == 'H') {
            b[i] = b[i + 1] = 'F';
        } else if (c == 'H' && (!vowel(b[i - 1]) || !vowel(next))) {
            b[i] = b[i - 1];
        } else if (c == 'W' && vowel(b[i - 1])) {
            b[i] = b[i - 1];
        }
        if (b[i] != out[k - 1])
            out[k++] = b[i];
    }
    if (k > 1 && out[k - 1] == 'S')
        k--;
    if (k > 2 && out[k - 2] == 'A' && out[k - 1] == 'Y') {
        out[k - 2] = 'Y';
        k--;
    }
    if (k > 1 && out[k - 1] == 'A')
        k--;
    out[k] = '\0';
}
