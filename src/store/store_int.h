/*
 * store_int.h — private to src/store/: the backend function table and the
 * base structs every backend embeds. Callers outside store/ include only
 * store.h.
 *
 * A backend defines its own store and statement structs whose first member
 * is `struct store` / `struct store_stmt`, fills a store_ops table, and is
 * reached through store.c, which validates arguments, keeps transaction
 * state and forwards each call through the table (SQLite's VFS, Redis's ae
 * backends). Adding PostgreSQL means writing store_pg.c against this table.
 */
#ifndef P20W_STORE_INT_H
#define P20W_STORE_INT_H

#include "store/store.h"

typedef struct store_ops {
    const char *name;
    void (*close)(store *st);
    p20w_status (*exec)(store *st, const char *sql, p20w_err *err);
    p20w_status (*prepare)(store *st, const char *sql, store_stmt **out,
                           p20w_err *err);
    p20w_status (*bind_int64)(store_stmt *s, int idx, int64_t v, p20w_err *err);
    p20w_status (*bind_double)(store_stmt *s, int idx, double v, p20w_err *err);
    /* len is exact here: store.c resolves (size_t)-1 with strlen. */
    p20w_status (*bind_text)(store_stmt *s, int idx, const char *v, size_t len,
                             p20w_err *err);
    p20w_status (*bind_blob)(store_stmt *s, int idx, const void *v, size_t len,
                             p20w_err *err);
    p20w_status (*bind_null)(store_stmt *s, int idx, p20w_err *err);
    p20w_status (*step)(store_stmt *s, int *row, p20w_err *err);
    int (*column_count)(store_stmt *s);
    int (*column_is_null)(store_stmt *s, int col);
    int64_t (*column_int64)(store_stmt *s, int col);
    double (*column_double)(store_stmt *s, int col);
    const char *(*column_text)(store_stmt *s, int col);
    const void *(*column_blob)(store_stmt *s, int col);
    size_t (*column_bytes)(store_stmt *s, int col);
    const char *(*column_name)(store_stmt *s, int col);
    void (*reset)(store_stmt *s);
    void (*finalize)(store_stmt *s);
    p20w_status (*begin)(store *st, p20w_err *err);
    p20w_status (*commit)(store *st, p20w_err *err);
    p20w_status (*rollback)(store *st, p20w_err *err);
    int64_t (*last_insert_id)(const store *st);
    int64_t (*changes)(const store *st);
} store_ops;

struct store {
    const store_ops *ops;
    int schema_version;
    int in_txn;      /* 1 between store_begin() and commit/rollback */
    long open_stmts; /* statements not yet finalized (asserted at close) */
};

struct store_stmt {
    const store_ops *ops;
    store *st;
};

/* SQLite backend entry point (store_sqlite.c); same contract as
 * store_open() for a file path. */
p20w_status store_sqlite_open(const char *path, unsigned flags, store **out,
                              store_open_info *info, p20w_err *err);

/* A schema as its list of migrations: migrations[i] takes a database from
 * schema version i to i + 1, so `count` is the latest version. Each runs
 * inside one transaction together with the version bump. */
typedef struct store_schema {
    const char *const *migrations;
    int count;
} store_schema;

/* The p20w schema for SQLite (schema.c); count == STORE_SCHEMA_VERSION. */
extern const store_schema store_sqlite_schema;

/* store_sqlite_open() with another schema: lets tests exercise upgrades,
 * failed migrations and version checks with migrations of their own. */
p20w_status store_sqlite_open_schema(const char *path, unsigned flags,
                                     const store_schema *sc, store **out,
                                     store_open_info *info, p20w_err *err);

/* The value of p20w_meta's 'marker' row that identifies a p20w database. */
#define STORE_MARKER "p20w-database"

#endif
