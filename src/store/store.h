/*
 * store.h — the storage interface of p20w: one API over interchangeable
 * database backends (SQLite today, PostgreSQL later).
 *
 * A `store` is an open database holding the p20w schema; a `store_stmt` is
 * one prepared statement on it. Callers write plain SQL with `?`
 * placeholders and bind every value: SQL text is never built from data
 * (values may be identifiers). Backends may rewrite the placeholders to
 * their own dialect (PostgreSQL's $1, $2 ...), so callers use `?` only,
 * never `?NNN`, `:name` or `$1`, and keep to SQL both SQLite and PostgreSQL
 * accept (no backend-specific functions in queries meant to be portable).
 *
 * Conventions shared by every function below:
 *  - results come back through out-parameters; the return value is a
 *    p20w_status (P20W_OK on success);
 *  - on failure the p20w_err (when not NULL) holds the backend's message,
 *    code P20W_ESTORE for database errors, P20W_ESCHEMA for a file that is
 *    not a p20w database or has a newer schema, P20W_ENOMEM, P20W_ENOTFOUND
 *    or P20W_EIO for file problems, P20W_EUSAGE for misuse (bad index);
 *  - messages never contain bound values (they may be direct identifiers),
 *    only SQL text written by p20w and the backend's own diagnosis;
 *  - bind indexes are 1-based, column indexes 0-based (as in SQLite);
 *  - free functions accept NULL.
 *
 * Thread safety: a store and its statements belong to one thread at a time.
 * Separate stores opened on the same database may be used from different
 * threads or processes; the backend arbitrates (SQLite: WAL + busy timeout).
 */
#ifndef P20W_STORE_H
#define P20W_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The schema version this binary creates and understands. Migrations run
 * forward from any older version up to this one; a database with a newer
 * version is refused (P20W_ESCHEMA). */
#define STORE_SCHEMA_VERSION 6

typedef struct store store;
typedef struct store_stmt store_stmt;

/* store_open() flags. */
enum store_open_flags {
    /* Create the database when it does not exist (and initialise an empty
     * one). Only `p20w init` passes this: other commands must not leave an
     * empty database behind a typo. */
    STORE_OPEN_CREATE = 1 << 0,
    /* Apply pending migrations. Without it, a database at an older schema
     * version is refused with P20W_ESCHEMA and a hint to run `p20w init`. */
    STORE_OPEN_MIGRATE = 1 << 1,
    /* Open read-only: every write fails with P20W_ESTORE. Incompatible with
     * CREATE and MIGRATE. */
    STORE_OPEN_READONLY = 1 << 2
};

/* What store_open() found and did, for callers that report it. */
typedef struct store_open_info {
    int created;        /* 1 if this call laid down the initial schema */
    int version_before; /* schema version before this call's migrations
                           (0 when created; version_after when another
                           process did the work meanwhile) */
    int version_after;  /* schema version now (STORE_SCHEMA_VERSION) */
} store_open_info;

/*
 * Opens the database named by `where` and checks that it is a p20w
 * database at a version this binary knows.
 *
 * `where` is "postgresql://..." for the PostgreSQL backend (not built yet:
 * P20W_EUSAGE); ":memory:" for a private in-memory SQLite database with the
 * current schema (tests; needs STORE_OPEN_CREATE); otherwise a SQLite file
 * path, always taken literally (never as a SQLite URI). For a file path:
 *  - a missing file is P20W_ENOTFOUND unless flags has STORE_OPEN_CREATE;
 *    a missing parent directory is P20W_EIO; no file is left behind by a
 *    failed open that created it;
 *  - an existing file is checked before SQLite opens it for writing: a file
 *    that is not SQLite, or is SQLite but not a p20w database, or has a
 *    newer schema version, is refused with P20W_ESCHEMA and left
 *    byte-for-byte untouched (and no -wal/-shm files appear beside it).
 *    An empty (0-byte) file or an empty SQLite database counts as a new
 *    database, which only STORE_OPEN_CREATE may initialise.
 * The connection runs with foreign keys on, WAL journal, synchronous
 * NORMAL and a busy timeout of a few seconds.
 *
 * On success *out owns the store (close with store_close()) and `info`,
 * when not NULL, tells what happened. On failure *out is NULL.
 */
p20w_status store_open(const char *where, unsigned flags, store **out,
                       store_open_info *info, p20w_err *err);

/* Closes the store. Every statement must have been finalized first
 * (asserted). Accepts NULL. */
void store_close(store *st);

/* "sqlite" or "postgresql". */
const char *store_backend(const store *st);

/* The schema version of the open database. */
int store_schema_version(const store *st);

/* Runs one or more `;`-separated statements that take no parameters and
 * whose rows, if any, are discarded (DDL, maintenance). Not for data: use
 * a prepared statement. Not for BEGIN/COMMIT either: use store_begin() and
 * friends, which keep the store's transaction state. */
p20w_status store_exec(store *st, const char *sql, p20w_err *err);

/* Compiles one SQL statement. Trailing text after the first statement is
 * an error (P20W_EUSAGE), so a stray `;` cannot hide a second statement.
 * *out is owned by the caller (store_finalize()). */
p20w_status store_prepare(store *st, const char *sql, store_stmt **out,
                          p20w_err *err);

/* Binds a value to the 1-based parameter `idx`. Text and blobs are copied
 * by the store, so the caller's buffer may be freed right after the call.
 * `len` is the byte length; for text, (size_t)-1 means "NUL-terminated".
 * A NULL text or blob pointer binds SQL NULL. */
p20w_status store_bind_int64(store_stmt *s, int idx, int64_t v, p20w_err *err);
p20w_status store_bind_double(store_stmt *s, int idx, double v, p20w_err *err);
p20w_status store_bind_text(store_stmt *s, int idx, const char *v, size_t len,
                            p20w_err *err);
p20w_status store_bind_blob(store_stmt *s, int idx, const void *v, size_t len,
                            p20w_err *err);
p20w_status store_bind_null(store_stmt *s, int idx, p20w_err *err);

/* Runs the statement one step: *row is 1 when a result row is ready to read
 * with store_column_*(), 0 when the statement is done. Stepping a done
 * statement again without store_reset() is P20W_EUSAGE. */
p20w_status store_step(store_stmt *s, int *row, p20w_err *err);

/* Column accessors for the current row (0-based index). They convert like
 * SQLite: a NULL reads as 0, 0.0, NULL text/blob. Returned pointers are
 * owned by the statement and valid until the next step, reset or finalize.
 * Text is NUL-terminated; store_column_bytes() gives its length in bytes. */
int store_column_count(store_stmt *s);
int store_column_is_null(store_stmt *s, int col);
int64_t store_column_int64(store_stmt *s, int col);
double store_column_double(store_stmt *s, int col);
const char *store_column_text(store_stmt *s, int col);
const void *store_column_blob(store_stmt *s, int col);
size_t store_column_bytes(store_stmt *s, int col);

/* The name of result column col ("" when out of range), valid from
 * prepare until finalize; the statement need not have returned a row (so
 * `SELECT * FROM t WHERE 0` tells a table's columns). */
const char *store_column_name(store_stmt *s, int col);

/* Makes the statement ready to run again and clears every binding to
 * NULL. Never fails: errors were reported by store_step(). */
void store_reset(store_stmt *s);

/* Frees the statement. Accepts NULL. */
void store_finalize(store_stmt *s);

/* Transactions. store_begin() starts a write transaction (SQLite takes the
 * write lock at once, so a busy database fails here rather than mid-way).
 * Transactions do not nest: use savepoints inside one. */
p20w_status store_begin(store *st, p20w_err *err);
p20w_status store_commit(store *st, p20w_err *err);
/* Rolls back the open transaction; rolling back when none is open is a
 * no-op, so cleanup paths can call it unconditionally. */
p20w_status store_rollback(store *st, p20w_err *err);
/* 1 inside a transaction. */
int store_in_transaction(const store *st);

/* Savepoints inside a transaction. `name` is a program constant made of
 * letters, digits and `_` (it is spliced into SQL; anything else is
 * P20W_EUSAGE). store_savepoint_rollback() undoes the work since the
 * savepoint and releases it. */
p20w_status store_savepoint(store *st, const char *name, p20w_err *err);
p20w_status store_savepoint_release(store *st, const char *name, p20w_err *err);
p20w_status store_savepoint_rollback(store *st, const char *name,
                                     p20w_err *err);

/* Row id of the last successful INSERT on this store (0 if none). */
int64_t store_last_insert_id(const store *st);

/* Rows changed by the last INSERT, UPDATE or DELETE on this store. */
int64_t store_changes(const store *st);

#endif
