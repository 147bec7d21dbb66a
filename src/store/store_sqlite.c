/*
 * store_sqlite.c — the SQLite backend of store.h: one database file, WAL
 * journal, foreign keys on, synchronous NORMAL, busy timeout, 64 MiB cache.
 *
 * Owns: opening and vetting database files, connection settings, schema
 * versioning (PRAGMA user_version) and forward migrations, and the mapping
 * of SQLite result codes and messages to p20w_status / p20w_err.
 *
 * Invariants:
 *  - a file that is not a p20w database is never written: its first 100
 *    bytes are checked before SQLite sees it, and its identity (the
 *    p20w_meta marker) is checked over a read-only connection before a
 *    read-write one is opened. Only then are journal mode and migrations
 *    applied;
 *  - each migration runs in one IMMEDIATE transaction together with its
 *    user_version bump, so a database is always at a whole version, and
 *    two processes migrating at once apply each step exactly once;
 *  - error messages carry SQLite's diagnosis and the SQL text p20w wrote,
 *    never bound values (sqlite3_expanded_sql() is not used).
 *
 * Does not own: the schema text (schema.c), argument checks shared by all
 * backends (store.c). Not thread-safe per connection (see store.h).
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

#define BUSY_TIMEOUT_MS 15000
#define SQLITE_HEADER_BYTES 100
#define SQL_IN_MSG_MAX 80 /* bytes of SQL text quoted in an error message */
/* Private open flag: the database is ":memory:" (no WAL possible). */
#define STORE_OPEN_MEMORY_DB (1u << 30)

typedef struct sqlite_store {
    struct store base;
    sqlite3 *db;
} sqlite_store;

typedef struct sqlite_stmt {
    struct store_stmt base;
    sqlite3_stmt *stmt;
    int done; /* last step returned SQLITE_DONE */
} sqlite_stmt;

static const store_ops sqlite_ops;

static sqlite3 *db_of(const store *st)
{
    return ((const sqlite_store *)st)->db;
}

static sqlite_stmt *ss(store_stmt *s)
{
    return (sqlite_stmt *)s;
}

/* ---- errors ------------------------------------------------------------ */

static p20w_status status_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return P20W_ENOMEM;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return P20W_ESCHEMA;
    default:
        return P20W_ESTORE;
    }
}

/* Sets err from the connection's last error, quoting a prefix of `sql`
 * (p20w's own SQL, never data) when given. */
static p20w_status db_error(sqlite3 *db, int rc, const char *sql, p20w_err *err)
{
    const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (sql == NULL)
        return p20w_err_set(err, status_of(rc), "database error: %s", msg);
    int n = (int)strlen(sql);
    return p20w_err_set(err, status_of(rc),
                        "database error: %s (in \"%.*s%s\")", msg,
                        n > SQL_IN_MSG_MAX ? SQL_IN_MSG_MAX : n, sql,
                        n > SQL_IN_MSG_MAX ? "..." : "");
}

/* Sets err to code and msg, located at the database file. */
static p20w_status file_error(p20w_err *err, const char *path, p20w_status code,
                              const char *msg)
{
    p20w_err_set(err, code, "%s", msg);
    p20w_err_at(err, path, 0, 0);
    return code;
}

/* ---- vetting a file before SQLite opens it ------------------------------ */

typedef enum file_kind {
    FILE_MISSING,
    FILE_EMPTY, /* zero bytes: SQLite treats it as an empty database */
    FILE_SQLITE /* starts with a valid SQLite header */
} file_kind;

static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static p20w_status newer_error(p20w_err *err, const char *path, long version,
                               int latest)
{
    p20w_err_set(err, P20W_ESCHEMA,
                 "database schema version %ld is newer than this p20w "
                 "(version %d); upgrade p20w",
                 version, latest);
    p20w_err_at(err, path, 0, 0);
    return P20W_ESCHEMA;
}

/* Reads the file's first 100 bytes, read-only, and classifies it. A file
 * that is not SQLite or whose header says it has a newer schema is refused
 * here, before anything could write to it. */
static p20w_status vet_file(const char *path, int latest, file_kind *kind,
                            int *wal, p20w_err *err)
{
    struct stat sb;
    unsigned char hdr[SQLITE_HEADER_BYTES];
    static const char magic[16] = "SQLite format 3";

    if (stat(path, &sb) != 0) {
        if (errno == ENOENT) {
            *kind = FILE_MISSING;
            return P20W_OK;
        }
        return file_error(err, path, P20W_EIO, strerror(errno));
    }
    if (S_ISDIR(sb.st_mode))
        return file_error(err, path, P20W_EIO,
                          "a directory, not a database file");
    if (!S_ISREG(sb.st_mode))
        return file_error(err, path, P20W_ESCHEMA,
                          "not a regular file, so not a p20w database");
    if (sb.st_size == 0) {
        *kind = FILE_EMPTY;
        return P20W_OK;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return file_error(err, path, P20W_EIO, strerror(errno));
    size_t n = fread(hdr, 1, sizeof hdr, f);
    fclose(f);
    if (n < sizeof hdr || memcmp(hdr, magic, sizeof magic) != 0)
        return file_error(err, path, P20W_ESCHEMA,
                          "not a SQLite database, so not a p20w "
                          "database; refusing to open it (file left "
                          "unchanged)");
    /* Bytes 60..63: user_version, big-endian (SQLite file format §1.3).
     * The WAL may hold a newer value; it is checked again after opening. */
    int32_t version = (int32_t)be32(hdr + 60);
    if (version > latest)
        return newer_error(err, path, version, latest);
    /* Bytes 18 and 19: file format write/read versions, 2 = WAL. */
    *wal = hdr[18] == 2 || hdr[19] == 2;
    *kind = FILE_SQLITE;
    return P20W_OK;
}

/* Fails with P20W_EIO when the directory that would hold path is missing,
 * so `p20w init no/such/dir/x.db` says so instead of SQLite's "unable to
 * open database file". */
static p20w_status check_parent_dir(const char *path, p20w_err *err)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return P20W_OK;
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *dir = p20w_strndup(path, len);
    if (dir == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    struct stat sb;
    p20w_status rc = P20W_OK;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        p20w_err_set(err, P20W_EIO,
                     "cannot create database: directory '%s' does not exist",
                     dir);
        p20w_err_at(err, path, 0, 0);
        rc = P20W_EIO;
    }
    p20w_free(dir);
    return rc;
}

/* Creates the missing database file, exclusively: the process that made
 * it is the one that removes it again if initialising fails, so two
 * `p20w init` racing on one name never delete each other's database. When
 * another process won the race, the file is vetted again as found. */
static p20w_status create_file(const char *path, int latest, file_kind *kind,
                               int *created, int *wal, p20w_err *err)
{
    p20w_status rc = check_parent_dir(path, err);
    if (rc != P20W_OK)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST)
        return vet_file(path, latest, kind, wal, err);
    if (fd < 0)
        return file_error(err, path, P20W_EIO, strerror(errno));
    close(fd);
    *created = 1;
    *kind = FILE_EMPTY;
    return P20W_OK;
}

/* Removes a database this open created, with its WAL and shared-memory
 * files, after a failure (best effort: the error being reported matters
 * more than a cleanup error). */
static void remove_created(const char *path)
{
    static const char *const suffix[] = {"-wal", "-shm", "-journal"};
    size_t n = strlen(path);
    char *buf = p20w_malloc(n + 16);
    unlink(path);
    if (buf == NULL)
        return;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(buf, n + 16, "%s%s", path, suffix[i]);
        unlink(buf);
    }
    p20w_free(buf);
}

/* ---- small query helpers used while opening ----------------------------- */

/* Runs a query that returns one integer. */
static p20w_status query_int(sqlite3 *db, const char *sql, int64_t *out,
                             p20w_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return db_error(db, rc, sql, err);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        return P20W_OK;
    }
    p20w_status st = rc == SQLITE_DONE
                         ? p20w_err_set(err, P20W_EINTERNAL,
                                        "query returned no row: %s", sql)
                         : db_error(db, rc, sql, err);
    sqlite3_finalize(stmt);
    return st;
}

static p20w_status exec_sql(sqlite3 *db, const char *sql, p20w_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return P20W_OK;
    int n = (int)strlen(sql);
    p20w_err_set(err, status_of(rc), "database error: %s (in \"%.*s%s\")",
                 msg != NULL ? msg : sqlite3_errstr(rc),
                 n > SQL_IN_MSG_MAX ? SQL_IN_MSG_MAX : n, sql,
                 n > SQL_IN_MSG_MAX ? "..." : "");
    sqlite3_free(msg);
    return err != NULL ? err->code : status_of(rc);
}

/* Decides whether an opened database is a p20w one. *fresh is set when it
 * holds no schema at all (a new or empty file). */
static p20w_status check_identity(sqlite3 *db, const char *path, int latest,
                                  int *fresh, p20w_err *err)
{
    int64_t version = 0, objects = 0;
    sqlite3_stmt *stmt = NULL;
    p20w_status rc = query_int(db, "PRAGMA user_version", &version, err);
    if (rc == P20W_OK)
        rc = query_int(db, "SELECT count(*) FROM sqlite_master", &objects, err);
    if (rc != P20W_OK) {
        if (rc == P20W_ESCHEMA)
            return file_error(err, path, P20W_ESCHEMA,
                              "not a valid SQLite database, so not a "
                              "p20w database; refusing to open it");
        p20w_err_at(err, path, 0, 0);
        return rc;
    }
    if (version > latest)
        return newer_error(err, path, version, latest);
    *fresh = version == 0 && objects == 0;
    if (*fresh)
        return P20W_OK;

    /* Without a p20w_meta table the prepare fails with SQLITE_ERROR ("no
     * such table"): not ours. Any other failure is reported as it is. */
    static const char marker_sql[] = "SELECT value FROM p20w_meta "
                                     "WHERE key = 'marker'";
    int ok = 0;
    int src = sqlite3_prepare_v2(db, marker_sql, -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        src = sqlite3_step(stmt);
        if (src == SQLITE_ROW) {
            const unsigned char *v = sqlite3_column_text(stmt, 0);
            ok = v != NULL && strcmp((const char *)v, STORE_MARKER) == 0;
            src = SQLITE_OK;
        } else if (src == SQLITE_DONE) {
            src = SQLITE_OK;
        }
    } else if ((src & 0xff) == SQLITE_ERROR) {
        src = SQLITE_OK; /* no p20w_meta (or not the shape we wrote) */
    }
    if (src != SQLITE_OK) {
        rc = db_error(db, src, marker_sql, err);
        sqlite3_finalize(stmt);
        p20w_err_at(err, path, 0, 0);
        return rc;
    }
    sqlite3_finalize(stmt);
    if (!ok || version == 0)
        return file_error(err, path, P20W_ESCHEMA,
                          "a SQLite database but not a p20w database; "
                          "refusing to modify it");
    return P20W_OK;
}

/* ---- migrations --------------------------------------------------------- */

/* Applies migration `to` (1-based) in one transaction, unless another
 * process got there first. */
static p20w_status migrate_one(sqlite3 *db, const store_schema *sc, int to,
                               int *applied, p20w_err *err)
{
    char sql[64];
    int64_t now = 0;
    sqlite3_stmt *stmt = NULL;
    *applied = 0;
    p20w_status rc = exec_sql(db, "BEGIN IMMEDIATE", err);
    if (rc != P20W_OK)
        return rc;
    rc = query_int(db, "PRAGMA user_version", &now, err);
    if (rc != P20W_OK || now >= to)
        goto out;
    if (now != to - 1) {
        rc = p20w_err_set(err, P20W_EINTERNAL,
                          "schema version %lld while migrating to %d",
                          (long long)now, to);
        goto out;
    }
    rc = exec_sql(db, sc->migrations[to - 1], err);
    if (rc != P20W_OK)
        goto out;
    /* Record which p20w last migrated the database. */
    static const char upsert[] =
        "INSERT INTO p20w_meta (key, value) VALUES ('p20w_version', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    int src = sqlite3_prepare_v2(db, upsert, -1, &stmt, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_bind_text(stmt, 1, P20W_VERSION, -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
        src = sqlite3_step(stmt);
    if (src != SQLITE_DONE) {
        rc = db_error(db, src, upsert, err);
        goto out;
    }
    /* user_version takes no parameter; `to` is our own small integer. */
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", to);
    rc = exec_sql(db, sql, err);
    if (rc == P20W_OK)
        rc = exec_sql(db, "COMMIT", err);
    *applied = rc == P20W_OK;
out:
    sqlite3_finalize(stmt);
    if (rc != P20W_OK || now >= to)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Applies the migrations after version `from`. *first_from is the version
 * this process's first applied migration started from, or -1 when another
 * process had applied them all already. */
static p20w_status migrate(sqlite3 *db, const store_schema *sc, int from,
                           int *first_from, p20w_err *err)
{
    *first_from = -1;
    for (int v = from + 1; v <= sc->count; v++) {
        int applied = 0;
        p20w_status rc = migrate_one(db, sc, v, &applied, err);
        if (rc != P20W_OK)
            return rc;
        if (applied && *first_from < 0)
            *first_from = v - 1;
    }
    return P20W_OK;
}

/* ---- open / close ------------------------------------------------------- */

static p20w_status raw_open(const char *path, int oflags, sqlite3 **db,
                            p20w_err *err)
{
    int rc = sqlite3_open_v2(path, db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(*db, BUSY_TIMEOUT_MS);
    if (rc == SQLITE_OK)
        rc = sqlite3_extended_result_codes(*db, 1);
    if (rc == SQLITE_OK)
        return P20W_OK;
    p20w_status st = db_error(*db, rc, NULL, err);
    p20w_err_at(err, path, 0, 0);
    sqlite3_close(*db);
    *db = NULL;
    return st;
}

/* Switches the database to WAL. The switch needs an exclusive lock and
 * SQLite does not always wait for it through the busy handler (seen when
 * two processes initialise one new file at once), so SQLITE_BUSY is
 * retried here for up to the busy timeout. */
static p20w_status set_wal(sqlite3 *db, p20w_err *err)
{
    static const char sql[] = "PRAGMA journal_mode = WAL";
    for (int waited_ms = 0;; waited_ms += 10) {
        sqlite3_stmt *stmt = NULL;
        int src = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
        if (src == SQLITE_OK)
            src = sqlite3_step(stmt);
        if (src == SQLITE_ROW) {
            /* journal_mode answers with the mode now in force. */
            const char *mode = (const char *)sqlite3_column_text(stmt, 0);
            int ok = mode != NULL && sqlite3_stricmp(mode, "wal") == 0;
            sqlite3_finalize(stmt);
            if (ok)
                return P20W_OK;
            return p20w_err_set(err, P20W_ESTORE,
                                "database cannot use WAL journal mode");
        }
        if ((src & 0xff) != SQLITE_BUSY || waited_ms >= BUSY_TIMEOUT_MS) {
            p20w_status rc = db_error(db, src, sql, err);
            sqlite3_finalize(stmt);
            return rc;
        }
        sqlite3_finalize(stmt);
        sqlite3_sleep(10);
    }
}

static p20w_status configure(sqlite3 *db, unsigned flags, p20w_err *err)
{
    p20w_status rc = exec_sql(db, "PRAGMA foreign_keys = ON", err);
    /* A 256 MiB page cache (SQLite's default is 2 MiB): bulk loads update
     * several indexes per row, and a cache that holds their hot pages makes
     * ingest several times faster. Memory is taken only as pages are used. */
    if (rc == P20W_OK)
        rc = exec_sql(db, "PRAGMA cache_size = -262144", err);
    if (rc != P20W_OK || (flags & STORE_OPEN_READONLY))
        return rc;
    if (flags & STORE_OPEN_MEMORY_DB)
        return P20W_OK;
    rc = exec_sql(db, "PRAGMA synchronous = NORMAL", err);
    if (rc != P20W_OK)
        return rc;
    return set_wal(db, err);
}

/* The URI SQLite opens for path: "file:" plus the path with every byte
 * outside a safe set percent-encoded, so no file name can smuggle in URI
 * parameters, and with immutable=1 when asked (read without locks or side
 * files: only valid while no WAL file exists). NULL when out of memory. */
static char *make_uri(const char *path, int immutable)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *uri = p20w_malloc(3 * n + 32);
    if (uri == NULL)
        return NULL;
    char *o = uri;
    memcpy(o, path[0] == '/' ? "file://" : "file:", path[0] == '/' ? 7 : 5);
    o += path[0] == '/' ? 7 : 5;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '_' ||
                   c == '-' || c == '~';
        if (safe) {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    if (immutable) {
        memcpy(o, "?immutable=1", 12);
        o += 12;
    }
    *o = '\0';
    return uri;
}

static int has_wal_file(const char *path)
{
    struct stat sb;
    size_t n = strlen(path);
    char *wal = p20w_malloc(n + 5);
    if (wal == NULL)
        return 1; /* the conservative answer: do not open immutable */
    snprintf(wal, n + 5, "%s-wal", path);
    int found = stat(wal, &sb) == 0;
    p20w_free(wal);
    return found;
}

static p20w_status open_path(const char *path, int oflags, int immutable,
                             sqlite3 **db, p20w_err *err)
{
    char *uri = make_uri(path, immutable);
    if (uri == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = raw_open(uri, oflags | SQLITE_OPEN_URI, db, err);
    p20w_free(uri);
    if (rc != P20W_OK)
        p20w_err_at(err, path, 0, 0);
    return rc;
}

/* Opens an existing SQLite file and proves it is a p20w database (or an
 * empty one, *fresh) before any connection that could write is opened. */
static p20w_status open_existing(const char *path, unsigned flags, int wal,
                                 int latest, sqlite3 **db, int *fresh,
                                 p20w_err *err)
{
    /* A WAL database without a -wal file holds everything in the main
     * file: read it immutable, so vetting a foreign database does not
     * leave -wal/-shm files beside it. */
    int immutable = wal && !has_wal_file(path);
    p20w_status rc = open_path(path, SQLITE_OPEN_READONLY, immutable, db, err);
    if (rc == P20W_OK)
        rc = check_identity(*db, path, latest, fresh, err);
    if (rc != P20W_OK)
        return rc;
    if (*fresh && !(flags & STORE_OPEN_CREATE))
        return file_error(err, path, P20W_ESCHEMA,
                          "an empty SQLite database, not a p20w database "
                          "(run 'p20w init' to make it one)");
    sqlite3_close(*db);
    *db = NULL;
    int oflags = (flags & STORE_OPEN_READONLY) ? SQLITE_OPEN_READONLY
                                               : SQLITE_OPEN_READWRITE;
    rc = open_path(path, oflags, 0, db, err);
    /* Again over the connection we keep: the file may have changed in
     * between (another process initialised it, or a WAL the immutable
     * read skipped), and what counts is what this connection sees. */
    if (rc == P20W_OK)
        rc = check_identity(*db, path, latest, fresh, err);
    return rc;
}

/* Brings the schema of an opened database to the latest version of sc
 * when flags allow, and reports what it found in info. */
static p20w_status bring_up_to_date(sqlite3 *db, const char *path,
                                    unsigned flags, const store_schema *sc,
                                    int fresh, store_open_info *info,
                                    p20w_err *err)
{
    int64_t version = 0;
    if (info != NULL)
        info->created = 0;
    p20w_status rc = configure(db, flags, err);
    if (rc == P20W_OK)
        rc = query_int(db, "PRAGMA user_version", &version, err);
    if (rc != P20W_OK)
        return rc;
    if (version > sc->count)
        return newer_error(err, path, (long)version, sc->count);
    if (info != NULL) {
        info->version_before = (int)version;
        info->version_after = sc->count;
    }
    if (version == sc->count)
        return P20W_OK;
    int allowed = fresh ? (flags & STORE_OPEN_CREATE) != 0
                        : (flags & STORE_OPEN_MIGRATE) != 0;
    if (!allowed) {
        p20w_err_set(err, P20W_ESCHEMA,
                     "database schema version %lld is older than this p20w "
                     "(version %d); run 'p20w init' on it to upgrade",
                     (long long)version, sc->count);
        p20w_err_at(err, path, 0, 0);
        return P20W_ESCHEMA;
    }
    int first_from = -1;
    rc = migrate(db, sc, (int)version, &first_from, err);
    /* A newer p20w may have migrated further in the meantime. */
    if (rc == P20W_OK)
        rc = query_int(db, "PRAGMA user_version", &version, err);
    if (rc == P20W_OK && version > sc->count)
        return newer_error(err, path, (long)version, sc->count);
    if (rc != P20W_OK) {
        p20w_err_at(err, path, 0, 0);
        return rc;
    }
    if (info != NULL) {
        /* Report what this call did, not what a racing process did. */
        info->created = first_from == 0;
        info->version_before = first_from < 0 ? sc->count : first_from;
    }
    return P20W_OK;
}

p20w_status store_sqlite_open(const char *path, unsigned flags, store **out,
                              store_open_info *info, p20w_err *err)
{
    return store_sqlite_open_schema(path, flags, &store_sqlite_schema, out,
                                    info, err);
}

p20w_status store_sqlite_open_schema(const char *path, unsigned flags,
                                     const store_schema *sc, store **out,
                                     store_open_info *info, p20w_err *err)
{
    file_kind kind = FILE_MISSING;
    sqlite3 *db = NULL;
    sqlite_store *st = NULL;
    int created = 0, fresh = 0, wal = 0;
    int memory = strcmp(path, ":memory:") == 0;
    p20w_status rc = P20W_OK;

    if (memory) {
        if (!(flags & STORE_OPEN_CREATE))
            return p20w_err_set(err, P20W_EUSAGE,
                                "an in-memory database must be created");
    } else {
        rc = vet_file(path, sc->count, &kind, &wal, err);
        if (rc != P20W_OK)
            return rc;
        if (kind == FILE_MISSING && !(flags & STORE_OPEN_CREATE))
            return file_error(err, path, P20W_ENOTFOUND,
                              "no such database (create it with 'p20w "
                              "init')");
        if (kind == FILE_EMPTY && !(flags & STORE_OPEN_CREATE))
            return file_error(err, path, P20W_ESCHEMA,
                              "an empty file, not a p20w database (run "
                              "'p20w init' to make it one)");
        if (kind == FILE_MISSING) {
            rc = create_file(path, sc->count, &kind, &created, &wal, err);
            if (rc != P20W_OK)
                return rc;
        }
    }

    st = p20w_calloc(1, sizeof *st);
    if (st == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }

    if (memory) {
        fresh = 1;
        rc = raw_open(":memory:",
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                          SQLITE_OPEN_MEMORY,
                      &db, err);
    } else if (kind == FILE_SQLITE) {
        rc = open_existing(path, flags, wal, sc->count, &db, &fresh, err);
    } else {
        /* An empty file: ours to initialise, unless a racing process has
         * written to it since it was vetted; the identity check tells. */
        rc = open_path(path, SQLITE_OPEN_READWRITE, 0, &db, err);
        if (rc == P20W_OK)
            rc = check_identity(db, path, sc->count, &fresh, err);
    }
    if (rc == P20W_OK)
        rc = bring_up_to_date(db, memory ? ":memory:" : path,
                              memory ? flags | STORE_OPEN_MEMORY_DB : flags, sc,
                              fresh, info, err);
    if (rc != P20W_OK)
        goto out;

    st->base.ops = &sqlite_ops;
    st->base.schema_version = sc->count;
    st->db = db;
    db = NULL;
    *out = &st->base;
    st = NULL;
out:
    sqlite3_close(db);
    p20w_free(st);
    if (rc != P20W_OK && created)
        remove_created(path);
    if (rc != P20W_OK && info != NULL)
        memset(info, 0, sizeof *info);
    return rc;
}

static void sq_close(store *st)
{
    sqlite_store *s = (sqlite_store *)st;
    if (st->in_txn)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    /* Every statement is finalized (store.c asserts it), so this cannot
     * return SQLITE_BUSY. */
    sqlite3_close(s->db);
    p20w_free(s);
}

/* ---- statements --------------------------------------------------------- */

static p20w_status sq_exec(store *st, const char *sql, p20w_err *err)
{
    return exec_sql(db_of(st), sql, err);
}

static int only_blank(const char *p)
{
    for (; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != ';')
            return 0;
    return 1;
}

static p20w_status sq_prepare(store *st, const char *sql, store_stmt **out,
                              p20w_err *err)
{
    sqlite3 *db = db_of(st);
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, &tail);
    if (rc != SQLITE_OK)
        return db_error(db, rc, sql, err);
    if (stmt == NULL)
        return p20w_err_set(err, P20W_EUSAGE, "empty SQL statement");
    if (tail != NULL && !only_blank(tail)) {
        sqlite3_finalize(stmt);
        return p20w_err_set(err, P20W_EUSAGE,
                            "more than one SQL statement given to prepare");
    }
    sqlite_stmt *s = p20w_calloc(1, sizeof *s);
    if (s == NULL) {
        sqlite3_finalize(stmt);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    s->base.ops = &sqlite_ops;
    s->base.st = st;
    s->stmt = stmt;
    *out = &s->base;
    return P20W_OK;
}

static p20w_status bind_result(store_stmt *s, int idx, int rc, p20w_err *err)
{
    if (rc == SQLITE_OK)
        return P20W_OK;
    if (rc == SQLITE_RANGE)
        return p20w_err_set(err, P20W_EUSAGE,
                            "bind index %d out of range (statement has %d "
                            "parameters)",
                            idx, sqlite3_bind_parameter_count(ss(s)->stmt));
    if (rc == SQLITE_TOOBIG)
        return p20w_err_set(err, P20W_ELIMIT,
                            "value bound to parameter %d is too big", idx);
    return db_error(db_of(s->st), rc, sqlite3_sql(ss(s)->stmt), err);
}

static p20w_status sq_bind_int64(store_stmt *s, int idx, int64_t v,
                                 p20w_err *err)
{
    return bind_result(s, idx, sqlite3_bind_int64(ss(s)->stmt, idx, v), err);
}

static p20w_status sq_bind_double(store_stmt *s, int idx, double v,
                                  p20w_err *err)
{
    return bind_result(s, idx, sqlite3_bind_double(ss(s)->stmt, idx, v), err);
}

static p20w_status sq_bind_text(store_stmt *s, int idx, const char *v,
                                size_t len, p20w_err *err)
{
    int rc = sqlite3_bind_text64(ss(s)->stmt, idx, v, (sqlite3_uint64)len,
                                 SQLITE_TRANSIENT, SQLITE_UTF8);
    return bind_result(s, idx, rc, err);
}

static p20w_status sq_bind_blob(store_stmt *s, int idx, const void *v,
                                size_t len, p20w_err *err)
{
    int rc = sqlite3_bind_blob64(ss(s)->stmt, idx, v, (sqlite3_uint64)len,
                                 SQLITE_TRANSIENT);
    return bind_result(s, idx, rc, err);
}

static p20w_status sq_bind_null(store_stmt *s, int idx, p20w_err *err)
{
    return bind_result(s, idx, sqlite3_bind_null(ss(s)->stmt, idx), err);
}

static p20w_status sq_step(store_stmt *s, int *row, p20w_err *err)
{
    sqlite_stmt *q = ss(s);
    if (q->done)
        return p20w_err_set(err, P20W_EUSAGE,
                            "statement stepped after it was done (reset it "
                            "first)");
    int rc = sqlite3_step(q->stmt);
    if (rc == SQLITE_ROW) {
        *row = 1;
        return P20W_OK;
    }
    if (rc == SQLITE_DONE) {
        q->done = 1;
        return P20W_OK;
    }
    p20w_status st = db_error(db_of(s->st), rc, sqlite3_sql(q->stmt), err);
    /* Let the statement be stepped again after a failure (e.g. a
     * constraint violation inside a bulk load that the caller skips). */
    sqlite3_reset(q->stmt);
    return st;
}

static int sq_column_count(store_stmt *s)
{
    return sqlite3_column_count(ss(s)->stmt);
}

static int sq_column_is_null(store_stmt *s, int col)
{
    return sqlite3_column_type(ss(s)->stmt, col) == SQLITE_NULL;
}

static int64_t sq_column_int64(store_stmt *s, int col)
{
    return sqlite3_column_int64(ss(s)->stmt, col);
}

static double sq_column_double(store_stmt *s, int col)
{
    return sqlite3_column_double(ss(s)->stmt, col);
}

static const char *sq_column_text(store_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(ss(s)->stmt, col);
}

static const void *sq_column_blob(store_stmt *s, int col)
{
    return sqlite3_column_blob(ss(s)->stmt, col);
}

static const char *sq_column_name(store_stmt *s, int col)
{
    const char *n = sqlite3_column_name(ss(s)->stmt, col);
    return n ? n : "";
}

static size_t sq_column_bytes(store_stmt *s, int col)
{
    int n = sqlite3_column_bytes(ss(s)->stmt, col);
    return n < 0 ? 0 : (size_t)n;
}

static void sq_reset(store_stmt *s)
{
    sqlite3_reset(ss(s)->stmt);
    sqlite3_clear_bindings(ss(s)->stmt);
    ss(s)->done = 0;
}

static void sq_finalize(store_stmt *s)
{
    sqlite3_finalize(ss(s)->stmt);
    p20w_free(s);
}

/* ---- transactions and counters ------------------------------------------ */

static p20w_status sq_begin(store *st, p20w_err *err)
{
    return exec_sql(db_of(st), "BEGIN IMMEDIATE", err);
}

static p20w_status sq_commit(store *st, p20w_err *err)
{
    return exec_sql(db_of(st), "COMMIT", err);
}

static p20w_status sq_rollback(store *st, p20w_err *err)
{
    /* SQLite may already have rolled back on its own (e.g. after a full
     * disk); then there is nothing left to undo. */
    if (sqlite3_get_autocommit(db_of(st)))
        return P20W_OK;
    return exec_sql(db_of(st), "ROLLBACK", err);
}

static int64_t sq_last_insert_id(const store *st)
{
    return sqlite3_last_insert_rowid(db_of(st));
}

static int64_t sq_changes(const store *st)
{
    return sqlite3_changes64(db_of(st));
}

static const store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_is_null = sq_column_is_null,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .column_blob = sq_column_blob,
    .column_bytes = sq_column_bytes,
    .column_name = sq_column_name,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .last_insert_id = sq_last_insert_id,
    .changes = sq_changes,
};
