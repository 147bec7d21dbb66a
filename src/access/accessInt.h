/*
 * accessInt.h — private to src/access/: the context's fields and helpers
 * shared by the module's files. Callers include access.h only.
 */
#ifndef P20W_ACCESS_INT_H
#define P20W_ACCESS_INT_H

#include <sodium.h>

#include "access/access.h"
#include "util/hmap.h"

#define ACCESS_KEY_BYTES 32

struct access_ctx {
    store *st;
    access_options opt;
    char *key_path;
    char *common_path;
    /* Subkeys derived from the key file's master key (crypto_kdf): the
     * master itself is wiped after derivation. */
    unsigned char audit_key[ACCESS_KEY_BYTES];  /* the audit chain */
    unsigned char pseudo_key[ACCESS_KEY_BYTES]; /* extract pseudonyms */
    hmap *common;                               /* loaded on first use */
};

/* Longest audit field kept, in bytes. */
#define ACCESS_AUDIT_FIELD_MAX 1000

/* Today's day number (days since 1970-01-01) at time now. */
int32_t access_day_of(int64_t now);

/* Runs fn inside a transaction: its own when none is open (committed on
 * success, rolled back on failure), else the caller's. */
p20w_status access_in_txn(access_ctx *ax,
                          p20w_status (*fn)(access_ctx *ax, void *arg,
                                            p20w_err *err),
                          void *arg, p20w_err *err);

/* Appends an audit record; the caller holds a transaction. */
p20w_status access_audit_append_locked(access_ctx *ax,
                                       const access_audit_entry *e, int64_t now,
                                       int64_t *seq, p20w_err *err);

/* Copies s into out (cap bytes) or fails with P20W_ELIMIT naming what. */
p20w_status access_copy_id(char *out, size_t cap, const char *s,
                           const char *what, p20w_err *err);

/* Steps a prepared one-shot statement to completion (INSERT/UPDATE). */
p20w_status access_step_done(store_stmt *q, p20w_err *err);

/* Hashes a password with Argon2id (policy parameters) into out
 * (crypto_pwhash_STRBYTES). Errors: P20W_ENOMEM (libsodium could not get
 * the memory). */
p20w_status access_hash_password(const char *password,
                                 char out[crypto_pwhash_STRBYTES],
                                 p20w_err *err);

/* The Argon2id parameters: t = 2 passes, m = 19 MiB (OWASP's minimum for
 * Argon2id), one lane. */
#define ACCESS_PWHASH_OPSLIMIT 2ULL
#define ACCESS_PWHASH_MEMLIMIT (19ULL * 1024 * 1024)

/* Loads the principal of an active account by id. Errors: as
 * access_principal_load(). */
p20w_status access_principal_load_id(access_ctx *ax, int64_t user_id,
                                     const char *origin, access_principal *out,
                                     p20w_err *err);

/* The Argon2id string verified for unknown user names (session.c). */
const char *access_dummy_hash(void);

/* Ends every session of user_id (no audit: the caller audits why). */
p20w_status access_end_sessions(access_ctx *ax, int64_t user_id, p20w_err *err);

#endif
