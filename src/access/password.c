/*
 * password.c — the password policy and Argon2id hashing.
 *
 * Policy (NIST SP 800-63B style: length and a blocklist, no composition
 * rules): at least ACCESS_PASSWORD_MIN characters, at most
 * ACCESS_PASSWORD_MAX bytes of valid UTF-8 without control characters,
 * and not guessable from what attackers try first:
 *  - the common-password list (data/common_passwords.txt), compared
 *    case-insensitively, also after undoing leetspeak (p@ssw0rd);
 *  - a listed password with digits or symbols around it (password1234!);
 *  - a short unit repeated (abcabcabcabc) or a listed one (monkeymonkey);
 *  - one character repeated, or a run of the alphabet, the digits or a
 *    keyboard row (abcdefghijkl, 123456789012, qwertyuiopas);
 *  - the user name inside it.
 * The reason given never quotes the password.
 *
 * Hashes are libsodium's crypto_pwhash_str: Argon2id, t = 2, m = 19 MiB,
 * salt and parameters inside the string, so stronger parameters later
 * only need a rehash at the next login (crypto_pwhash_str_needs_rehash).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "access/accessInt.h"
#include "util/mem.h"

p20w_status access_hash_password(const char *password,
                                 char out[crypto_pwhash_STRBYTES],
                                 p20w_err *err)
{
    if (crypto_pwhash_str(out, password, strlen(password),
                          ACCESS_PWHASH_OPSLIMIT,
                          (size_t)ACCESS_PWHASH_MEMLIMIT) != 0)
        return p20w_err_set(err, P20W_ENOMEM,
                            "out of memory hashing a password");
    return P20W_OK;
}

/* ---- the common-password list ------------------------------------------ */

#define LINE_MAX_BYTES 256

static p20w_status load_common(access_ctx *ax, p20w_err *err)
{
    if (ax->common != NULL)
        return P20W_OK;
    if (ax->common_path == NULL)
        return p20w_err_set(err, P20W_ENOTFOUND,
                            "no common-password list configured");
    FILE *f = fopen(ax->common_path, "r");
    if (f == NULL)
        return p20w_err_set(err, errno == ENOENT ? P20W_ENOTFOUND : P20W_EIO,
                            "cannot read the common-password list %s",
                            ax->common_path);
    hmap *m = NULL;
    char line[LINE_MAX_BYTES];
    p20w_status rc = hmap_create(&m);
    if (rc != P20W_OK)
        p20w_err_set(err, rc, "out of memory");
    while (rc == P20W_OK && fgets(line, sizeof line, f) != NULL) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0 || strncmp(line, "#!comment", 9) == 0)
            continue;
        for (size_t i = 0; i < n; i++)
            line[i] = (char)tolower((unsigned char)line[i]);
        rc = hmap_put_str(m, line, (void *)1);
        if (rc != P20W_OK)
            p20w_err_set(err, rc, "out of memory");
    }
    if (rc == P20W_OK && ferror(f))
        rc = p20w_err_set(err, P20W_EIO, "cannot read %s", ax->common_path);
    fclose(f);
    if (rc == P20W_OK && hmap_count(m) == 0)
        rc = p20w_err_set(err, P20W_EINVAL,
                          "the common-password list %s is "
                          "empty",
                          ax->common_path);
    if (rc != P20W_OK) {
        hmap_free(m);
        return rc;
    }
    ax->common = m;
    return P20W_OK;
}

/* ---- the rules ------------------------------------------------------------
 */

/* Code points of valid UTF-8 without control characters, or -1. */
static long utf8_chars(const char *s, size_t n)
{
    long chars = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80             ? 1
                     : (c & 0xE0) == 0xC0 ? 2
                     : (c & 0xF0) == 0xE0 ? 3
                     : (c & 0xF8) == 0xF0 ? 4
                                          : 0;
        if (len == 0 || i + len > n || (len == 2 && c < 0xC2) ||
            (len == 4 && c > 0xF4))
            return -1;
        for (size_t k = 1; k < len; k++)
            if (((unsigned char)s[i + k] & 0xC0) != 0x80)
                return -1;
        if (c < 0x20 || c == 0x7F)
            return -1;
        i += len;
        chars++;
    }
    return chars;
}

static int in_list(const access_ctx *ax, const char *s, size_t n)
{
    return n > 0 && hmap_get(ax->common, s, n, NULL);
}

/* Undoes the usual letter-for-symbol swaps, in place. */
static void unleet(char *s)
{
    static const char from[] = "0134578@$!|";
    static const char to[] = "oieastbasil";
    for (; *s; s++) {
        const char *p = strchr(from, *s);
        if (p != NULL)
            *s = to[p - from];
    }
}

/* The shortest unit that s (n bytes) repeats, or n. */
static size_t repeat_unit(const char *s, size_t n)
{
    for (size_t u = 1; u <= n / 2; u++) {
        if (n % u != 0)
            continue;
        size_t i = u;
        while (i < n && s[i] == s[i - u])
            i++;
        if (i == n)
            return u;
    }
    return n;
}

static int is_sequence(const char *s, size_t n)
{
    static const char *const runs[] = {
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "zyxwvutsrqponmlkjihgfedcbazyxwvutsrqponmlkjihgfedcba",
        "01234567890123456789012345678901234567890",
        "09876543210987654321098765432109876543210",
        "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
        "mnbvcxzlkjhgfdsapoiuytrewqmnbvcxzlkjhgfdsapoiuytrewq",
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
        "qazwsxedcrfvtgbyhnujmikolp",
        "1234567890qwertyuiopasdfghjklzxcvbnm"};
    char buf[64];
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        if (strstr(runs[i], buf) != NULL)
            return 1;
    return 0;
}

/* Checks one candidate form c (n bytes, lowercase) against the list and
 * the patterns; returns the reason or NULL. `added` says that digits or
 * symbols were cut from around it. */
static const char *guessable(const access_ctx *ax, const char *c, size_t n,
                             int added)
{
    if (n < 3)
        return NULL;
    if (in_list(ax, c, n))
        return added ? "it is a common password with digits or symbols "
                       "added"
                     : "it is on the list of common passwords";
    size_t u = repeat_unit(c, n);
    if (u == 1)
        return "it is one character repeated";
    if (u <= 3 && u < n)
        return "it is a short pattern repeated";
    if (u < n && in_list(ax, c, u))
        return "it is a common password repeated";
    if (is_sequence(c, n) && (!added || n >= 6))
        return "it is a run of the alphabet, the digits or a keyboard row";
    return NULL;
}

/* Tries the password (lowercase l, n bytes), its letters without the
 * digits and symbols around them, and both with leetspeak undone. */
static const char *check_forms(const access_ctx *ax, char *l, size_t n)
{
    size_t a = 0, b = n;
    while (a < n && !isalpha((unsigned char)l[a]))
        a++;
    while (b > a && !isalpha((unsigned char)l[b - 1]))
        b--;
    int cut = a > 0 || b < n;
    const char *why = guessable(ax, l, n, 0);
    if (why == NULL && cut)
        why = guessable(ax, l + a, b - a, 1);
    if (why == NULL) {
        char save = l[b];
        l[b] = '\0';
        unleet(l + a);
        l[b] = save;
        if (cut)
            why = guessable(ax, l + a, b - a, 1);
        if (why == NULL)
            unleet(l);
        if (why == NULL)
            why = guessable(ax, l, n, 0);
    }
    return why;
}

p20w_status access_password_check(access_ctx *ax, const char *name,
                                  const char *password, p20w_err *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n > ACCESS_PASSWORD_MAX)
        return p20w_err_set(err, P20W_EINVAL,
                            "password rejected: longer than %d bytes",
                            ACCESS_PASSWORD_MAX);
    long chars = utf8_chars(password ? password : "", n);
    if (chars < 0)
        return p20w_err_set(err, P20W_EINVAL,
                            "password rejected: not valid UTF-8, or it holds "
                            "control characters");
    if (chars < ACCESS_PASSWORD_MIN)
        return p20w_err_set(err, P20W_EINVAL,
                            "password rejected: shorter than %d characters",
                            ACCESS_PASSWORD_MIN);
    p20w_status rc = load_common(ax, err);
    if (rc != P20W_OK)
        return rc;
    char *l = p20w_strdup(password);
    char *lname = p20w_strdup(name ? name : "");
    if (l == NULL || lname == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (char *p = lname; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    const char *why = NULL;
    if (strlen(lname) >= 3 && strstr(l, lname) != NULL)
        why = "it contains the user name";
    if (why == NULL)
        why = check_forms(ax, l, n);
    if (why != NULL)
        rc = p20w_err_set(err, P20W_EINVAL, "password rejected: %s", why);
out:
    if (l != NULL)
        sodium_memzero(l, n);
    p20w_free(l);
    p20w_free(lname);
    return rc;
}
