/*
 * audit.c — the append-only audit log and its keyed hash chain.
 *
 * Record n carries mac_n = HMAC-SHA-256(K, "p20w-audit-v1" || seq_n ||
 * each field as a 4-byte length and its bytes || mac_{n-1}), mac_0 = 32
 * zero bytes, K the audit subkey of the key file (never in the database).
 * seq runs 1, 2, 3 ... without gaps. So an edited field, a moved record
 * (its seq is inside its mac, and so is its predecessor's mac), a deleted
 * record (a gap, and the next mac no longer chains) or an inserted one
 * (nobody without K can compute its mac) all fail verification.
 *
 * Deleting records at the end leaves a shorter chain that is valid in
 * itself; the chain head — last seq and mac, with a mac of its own — is
 * kept in p20w_meta ('audit_head') and moved in the same transaction as
 * every append, so a cut tail shows as a head past the last record. What
 * this cannot catch: someone with write access to the database who saved
 * an old head and puts it back after cutting the tail down to it. Against
 * that, `p20w audit verify --anchor SEQ:MAC` checks a head copied off the
 * machine earlier (docs/access.md).
 *
 * Appends take the database's write lock (store_begin) so that two
 * processes never chain onto the same predecessor.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/accessInt.h"

static const char *const event_names[ACCESS_EV_COUNT] = {
    "login",  "login_failed", "logout",  "session_end",
    "denied", "read",         "extract", "admin"};

const char *access_event_name(access_event e)
{
    return (unsigned)e < ACCESS_EV_COUNT ? event_names[e] : "?";
}

#define NFIELDS 7 /* ts, actor, event, resource, outcome, why, origin */

static void put_be64(unsigned char *b, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static void record_mac(const unsigned char *key, int64_t seq,
                       const char *const fields[NFIELDS],
                       const unsigned char prev[32], unsigned char out[32])
{
    static const char tag[] = "p20w-audit-v1";
    crypto_auth_hmacsha256_state h;
    unsigned char b[8];
    crypto_auth_hmacsha256_init(&h, key, ACCESS_KEY_BYTES);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)tag, sizeof tag);
    put_be64(b, (uint64_t)seq);
    crypto_auth_hmacsha256_update(&h, b, 8);
    for (int i = 0; i < NFIELDS; i++) {
        size_t n = strlen(fields[i]);
        b[0] = (unsigned char)(n >> 24);
        b[1] = (unsigned char)(n >> 16);
        b[2] = (unsigned char)(n >> 8);
        b[3] = (unsigned char)n;
        crypto_auth_hmacsha256_update(&h, b, 4);
        crypto_auth_hmacsha256_update(&h, (const unsigned char *)fields[i], n);
    }
    crypto_auth_hmacsha256_update(&h, prev, 32);
    crypto_auth_hmacsha256_final(&h, out);
}

static void head_mac(const unsigned char *key, int64_t seq,
                     const unsigned char mac[32], unsigned char out[32])
{
    static const char tag[] = "p20w-audit-head-v1";
    crypto_auth_hmacsha256_state h;
    unsigned char b[8];
    crypto_auth_hmacsha256_init(&h, key, ACCESS_KEY_BYTES);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)tag, sizeof tag);
    put_be64(b, (uint64_t)seq);
    crypto_auth_hmacsha256_update(&h, b, 8);
    crypto_auth_hmacsha256_update(&h, mac, 32);
    crypto_auth_hmacsha256_final(&h, out);
}

/* Decodes 64 hex digits; 0 when s is anything else. */
static int mac_from_hex(const char *s, unsigned char out[32])
{
    size_t n = 0;
    const char *end = NULL;
    if (s == NULL || strlen(s) != 64)
        return 0;
    return sodium_hex2bin(out, 32, s, 64, NULL, &n, &end) == 0 && n == 32 &&
           *end == '\0';
}

/* Copies s (NULL = "") into out, cut to ACCESS_AUDIT_FIELD_MAX bytes at a
 * UTF-8 character boundary. */
static void cut_field(const char *s, char out[ACCESS_AUDIT_FIELD_MAX + 1])
{
    size_t n = s ? strlen(s) : 0;
    if (n > ACCESS_AUDIT_FIELD_MAX) {
        n = ACCESS_AUDIT_FIELD_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (n > 0)
        memcpy(out, s, n);
    out[n] = '\0';
}

static p20w_status last_record(store *st, int64_t *seq, unsigned char mac[32],
                               p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    *seq = 0;
    memset(mac, 0, 32);
    p20w_status rc = store_prepare(
        st, "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1", &q,
        err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row) {
        *seq = store_column_int64(q, 0);
        /* A mangled last mac is chained as zeros: verification reports
         * that record anyway, and auditing must go on. */
        if (!mac_from_hex(store_column_text(q, 1), mac))
            memset(mac, 0, 32);
    }
    store_finalize(q);
    return rc;
}

static p20w_status write_head(access_ctx *ax, int64_t seq,
                              const unsigned char mac[32], p20w_err *err)
{
    unsigned char hm[32];
    char mac_hex[65], hm_hex[65], value[160];
    head_mac(ax->audit_key, seq, mac, hm);
    sodium_bin2hex(mac_hex, sizeof mac_hex, mac, 32);
    sodium_bin2hex(hm_hex, sizeof hm_hex, hm, 32);
    snprintf(value, sizeof value, "%" PRId64 " %s %s", seq, mac_hex, hm_hex);
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        ax->st,
        "INSERT INTO p20w_meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, value, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    return rc;
}

p20w_status access_audit_append_locked(access_ctx *ax,
                                       const access_audit_entry *e, int64_t now,
                                       int64_t *seq_out, p20w_err *err)
{
    char f[NFIELDS][ACCESS_AUDIT_FIELD_MAX + 1];
    char ts[32];
    int64_t seq = 0;
    unsigned char prev[32], mac[32];
    char mac_hex[65];
    store_stmt *q = NULL;
    p20w_status rc = last_record(ax->st, &seq, prev, err);
    if (rc != P20W_OK)
        return rc;
    seq++;
    access_time_format(now, ts);
    cut_field(ts, f[0]);
    cut_field(e->actor, f[1]);
    cut_field(access_event_name(e->event), f[2]);
    cut_field(e->resource, f[3]);
    cut_field(e->outcome, f[4]);
    cut_field(e->why, f[5]);
    cut_field(e->origin, f[6]);
    const char *fields[NFIELDS];
    for (int i = 0; i < NFIELDS; i++)
        fields[i] = f[i];
    record_mac(ax->audit_key, seq, fields, prev, mac);
    sodium_bin2hex(mac_hex, sizeof mac_hex, mac, 32);
    rc = store_prepare(ax->st,
                       "INSERT INTO audit_log (seq, ts, actor, event, "
                       "resource, outcome, why, origin, mac) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, seq, err);
    for (int i = 0; rc == P20W_OK && i < NFIELDS; i++)
        rc = store_bind_text(q, i + 2, fields[i], (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 9, mac_hex, 64, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    if (rc == P20W_OK)
        rc = write_head(ax, seq, mac, err);
    if (rc == P20W_OK && seq_out != NULL)
        *seq_out = seq;
    return rc;
}

typedef struct append_arg {
    const access_audit_entry *e;
    int64_t now;
    int64_t *seq;
} append_arg;

static p20w_status append_fn(access_ctx *ax, void *arg, p20w_err *err)
{
    append_arg *a = arg;
    return access_audit_append_locked(ax, a->e, a->now, a->seq, err);
}

p20w_status access_audit_append(access_ctx *ax, const access_audit_entry *e,
                                int64_t now, int64_t *seq, p20w_err *err)
{
    append_arg a = {e, now, seq};
    return access_in_txn(ax, append_fn, &a, err);
}

/* ---- verification ------------------------------------------------------- */

static void fail(access_audit_verdict *v, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(access_audit_verdict *v, int64_t seq, const char *fmt, ...)
{
    if (!v->ok)
        return; /* keep the first problem */
    v->ok = 0;
    v->bad_seq = seq;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->problem, sizeof v->problem, fmt, ap);
    va_end(ap);
}

static p20w_status walk_chain(access_ctx *ax, access_audit_verdict *v,
                              p20w_err *err)
{
    store_stmt *q = NULL;
    unsigned char prev[32] = {0}, mac[32], stored[32];
    p20w_status rc = store_prepare(ax->st,
                                   "SELECT seq, ts, actor, event, resource, "
                                   "outcome, why, origin, mac FROM audit_log "
                                   "ORDER BY seq",
                                   &q, err);
    int64_t expect = 1;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        int64_t seq = store_column_int64(q, 0);
        const char *fields[NFIELDS];
        for (int i = 0; i < NFIELDS; i++)
            fields[i] = store_column_text(q, i + 1);
        const char *mac_hex = store_column_text(q, 8);
        v->records++;
        v->head_seq = seq;
        snprintf(v->head_mac, sizeof v->head_mac, "%s", mac_hex);
        if (seq != expect)
            fail(v, expect,
                 "record %" PRId64 " is missing (the log jumps from %" PRId64
                 " to %" PRId64 "): deleted",
                 expect, expect - 1, seq);
        record_mac(ax->audit_key, seq, fields, prev, mac);
        if (!mac_from_hex(mac_hex, stored) ||
            sodium_memcmp(stored, mac, 32) != 0) {
            fail(v, seq,
                 "record %" PRId64 " does not match its mac: it was "
                 "edited, inserted or moved, or the record before it was",
                 seq);
        }
        /* Chain on to what is stored, so one bad record is reported
         * once rather than as a cascade. */
        if (!mac_from_hex(mac_hex, prev))
            memset(prev, 0, 32);
        expect = seq + 1;
    }
    store_finalize(q);
    return rc;
}

static p20w_status check_head(access_ctx *ax, access_audit_verdict *v,
                              p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(
        ax->st, "SELECT value FROM p20w_meta WHERE key = 'audit_head'", &q,
        err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc != P20W_OK || !row) {
        store_finalize(q);
        if (rc == P20W_OK && v->records > 0)
            fail(v, v->head_seq,
                 "the chain head is missing from p20w_meta: it was deleted");
        return rc;
    }
    char mac_hex[80] = "", hm_hex[80] = "";
    long long seq = 0;
    unsigned char mac[32], hm[32], want[32];
    int ok = sscanf(store_column_text(q, 0), "%lld %79s %79s", &seq, mac_hex,
                    hm_hex) == 3 &&
             mac_from_hex(mac_hex, mac) && mac_from_hex(hm_hex, hm);
    store_finalize(q);
    if (ok) {
        head_mac(ax->audit_key, seq, mac, want);
        ok = sodium_memcmp(want, hm, 32) == 0;
    }
    if (!ok) {
        fail(v, v->head_seq, "the chain head in p20w_meta was altered");
        return P20W_OK;
    }
    if (seq > v->head_seq)
        fail(v, v->head_seq + 1,
             "the log ends at record %" PRId64 " but its head says %lld: "
             "the last records were deleted",
             v->head_seq, seq);
    else if (seq < v->head_seq)
        fail(v, seq + 1,
             "records after %lld are not covered by the chain head: they "
             "were added outside p20w",
             seq);
    else if (strcmp(mac_hex, v->head_mac) != 0)
        fail(v, seq, "record %lld is not the one the chain head names", seq);
    return P20W_OK;
}

static p20w_status check_anchor(access_ctx *ax, int64_t seq, const char *mac,
                                access_audit_verdict *v, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(
        ax->st, "SELECT mac FROM audit_log WHERE seq = ?", &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, seq, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        fail(v, seq,
             "anchored record %" PRId64 " is gone: the log was cut back", seq);
    else if (rc == P20W_OK && strcmp(store_column_text(q, 0), mac) != 0)
        fail(v, seq, "record %" PRId64 " differs from its anchor", seq);
    store_finalize(q);
    return rc;
}

p20w_status access_audit_verify(access_ctx *ax, int64_t anchor_seq,
                                const char *anchor_mac, access_audit_verdict *v,
                                p20w_err *err)
{
    memset(v, 0, sizeof *v);
    v->ok = 1;
    p20w_status rc = walk_chain(ax, v, err);
    if (rc == P20W_OK)
        rc = check_head(ax, v, err);
    if (rc == P20W_OK && anchor_seq > 0)
        rc = check_anchor(ax, anchor_seq, anchor_mac ? anchor_mac : "", v, err);
    if (rc != P20W_OK)
        v->ok = 0;
    return rc;
}
