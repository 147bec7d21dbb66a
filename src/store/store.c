/*
 * store.c — the backend-neutral face of the store: picks a backend from the
 * database name, checks arguments, tracks transaction state and forwards
 * every call through the backend's store_ops table.
 *
 * Owns: backend selection, savepoint-name validation, the "no statement
 * outlives its store" and "transactions do not nest" invariants.
 * Does not own: SQL dialect, connection settings or migrations (backends).
 */
#include "store/store_int.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static int is_pg_uri(const char *where)
{
    return strncmp(where, "postgresql://", 13) == 0 ||
           strncmp(where, "postgres://", 11) == 0;
}

p20w_status store_open(const char *where, unsigned flags, store **out,
                       store_open_info *info, p20w_err *err)
{
    *out = NULL;
    if (info != NULL)
        memset(info, 0, sizeof *info);
    if (where == NULL || where[0] == '\0')
        return p20w_err_set(err, P20W_EUSAGE, "no database given");
    if ((flags & STORE_OPEN_READONLY) &&
        (flags & (STORE_OPEN_CREATE | STORE_OPEN_MIGRATE)))
        return p20w_err_set(err, P20W_EUSAGE,
                            "a read-only store cannot be created or migrated");
    if (is_pg_uri(where))
        return p20w_err_set(err, P20W_EUSAGE,
                            "PostgreSQL databases are not supported by this "
                            "build of p20w (use a SQLite file path)");
    return store_sqlite_open(where, flags, out, info, err);
}

void store_close(store *st)
{
    if (st == NULL)
        return;
    assert(st->open_stmts == 0 && "store_close with unfinalized statements");
    st->ops->close(st);
}

const char *store_backend(const store *st)
{
    return st->ops->name;
}

int store_schema_version(const store *st)
{
    return st->schema_version;
}

p20w_status store_exec(store *st, const char *sql, p20w_err *err)
{
    return st->ops->exec(st, sql, err);
}

p20w_status store_prepare(store *st, const char *sql, store_stmt **out,
                          p20w_err *err)
{
    *out = NULL;
    p20w_status rc = st->ops->prepare(st, sql, out, err);
    if (rc == P20W_OK)
        st->open_stmts++;
    return rc;
}

p20w_status store_bind_int64(store_stmt *s, int idx, int64_t v, p20w_err *err)
{
    return s->ops->bind_int64(s, idx, v, err);
}

p20w_status store_bind_double(store_stmt *s, int idx, double v, p20w_err *err)
{
    return s->ops->bind_double(s, idx, v, err);
}

p20w_status store_bind_text(store_stmt *s, int idx, const char *v, size_t len,
                            p20w_err *err)
{
    if (v == NULL)
        return s->ops->bind_null(s, idx, err);
    if (len == (size_t)-1)
        len = strlen(v);
    return s->ops->bind_text(s, idx, v, len, err);
}

p20w_status store_bind_blob(store_stmt *s, int idx, const void *v, size_t len,
                            p20w_err *err)
{
    if (v == NULL)
        return s->ops->bind_null(s, idx, err);
    return s->ops->bind_blob(s, idx, v, len, err);
}

p20w_status store_bind_null(store_stmt *s, int idx, p20w_err *err)
{
    return s->ops->bind_null(s, idx, err);
}

p20w_status store_step(store_stmt *s, int *row, p20w_err *err)
{
    *row = 0;
    return s->ops->step(s, row, err);
}

int store_column_count(store_stmt *s)
{
    return s->ops->column_count(s);
}

int store_column_is_null(store_stmt *s, int col)
{
    return s->ops->column_is_null(s, col);
}

int64_t store_column_int64(store_stmt *s, int col)
{
    return s->ops->column_int64(s, col);
}

double store_column_double(store_stmt *s, int col)
{
    return s->ops->column_double(s, col);
}

const char *store_column_text(store_stmt *s, int col)
{
    return s->ops->column_text(s, col);
}

const void *store_column_blob(store_stmt *s, int col)
{
    return s->ops->column_blob(s, col);
}

size_t store_column_bytes(store_stmt *s, int col)
{
    return s->ops->column_bytes(s, col);
}

const char *store_column_name(store_stmt *s, int col)
{
    return s->ops->column_name(s, col);
}

void store_reset(store_stmt *s)
{
    if (s != NULL)
        s->ops->reset(s);
}

void store_finalize(store_stmt *s)
{
    if (s == NULL)
        return;
    assert(s->st->open_stmts > 0);
    s->st->open_stmts--;
    s->ops->finalize(s);
}

p20w_status store_begin(store *st, p20w_err *err)
{
    if (st->in_txn)
        return p20w_err_set(err, P20W_EUSAGE,
                            "a transaction is already open (use a savepoint)");
    p20w_status rc = st->ops->begin(st, err);
    if (rc == P20W_OK)
        st->in_txn = 1;
    return rc;
}

p20w_status store_commit(store *st, p20w_err *err)
{
    if (!st->in_txn)
        return p20w_err_set(err, P20W_EUSAGE, "no transaction to commit");
    p20w_status rc = st->ops->commit(st, err);
    /* A failed COMMIT leaves the transaction open in both SQLite and
     * PostgreSQL; the caller rolls it back. */
    if (rc == P20W_OK)
        st->in_txn = 0;
    return rc;
}

p20w_status store_rollback(store *st, p20w_err *err)
{
    if (!st->in_txn)
        return P20W_OK;
    st->in_txn = 0;
    return st->ops->rollback(st, err);
}

int store_in_transaction(const store *st)
{
    return st->in_txn;
}

static int valid_savepoint_name(const char *name)
{
    if (name == NULL || name[0] == '\0' || strlen(name) > 64)
        return 0;
    if (name[0] >= '0' && name[0] <= '9')
        return 0;
    for (const char *p = name; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return 0;
    }
    return 1;
}

/* Savepoint SQL is the same in SQLite and PostgreSQL, so it lives here. */
static p20w_status savepoint_sql(store *st, const char *verb, const char *name,
                                 p20w_err *err)
{
    char sql[128];
    if (!valid_savepoint_name(name))
        return p20w_err_set(err, P20W_EUSAGE, "invalid savepoint name");
    if (!st->in_txn)
        return p20w_err_set(err, P20W_EUSAGE,
                            "savepoints need an open transaction");
    snprintf(sql, sizeof sql, "%s %s", verb, name);
    return st->ops->exec(st, sql, err);
}

p20w_status store_savepoint(store *st, const char *name, p20w_err *err)
{
    return savepoint_sql(st, "SAVEPOINT", name, err);
}

p20w_status store_savepoint_release(store *st, const char *name, p20w_err *err)
{
    return savepoint_sql(st, "RELEASE SAVEPOINT", name, err);
}

p20w_status store_savepoint_rollback(store *st, const char *name, p20w_err *err)
{
    p20w_status rc = savepoint_sql(st, "ROLLBACK TO SAVEPOINT", name, err);
    if (rc != P20W_OK)
        return rc;
    return savepoint_sql(st, "RELEASE SAVEPOINT", name, err);
}

int64_t store_last_insert_id(const store *st)
{
    return st->ops->last_insert_id(st);
}

int64_t store_changes(const store *st)
{
    return st->ops->changes(st);
}
