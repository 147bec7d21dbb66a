/*
 * access.h — governed access: accounts, roles and scopes, sessions,
 * data-sharing agreements (DSAs), the authorization check, the
 * tamper-evident audit chain and de-identified researcher extracts.
 *
 * Everything goes through an access_ctx: the open store, the key read from
 * the key file (never kept in the database), and the policy (timeouts,
 * lockout). Time is always a parameter, `now`, in seconds since
 * 1970-01-01 UTC, so tests and the web server decide what time it is.
 *
 * Roles (docs/access.md has the full permission matrix):
 *   public        no login: published (suppressed) tables only;
 *   practitioner  scoped to schools, districts or institutions: unmasked
 *                 aggregates of the scope and the education records of the
 *                 scope's own learners, never an individual's wages;
 *   researcher    bound to one DSA: de-identified extracts of the elements
 *                 the DSA allows, between its start and end dates;
 *   steward       of an agency: its submissions and their reports;
 *   admin         users, agreements, the audit log, every submission report
 *                 and extracts of active agreements; no learner records.
 *
 * Audited (access_audit_append): every login, failed login, logout and
 * ended session, every denied request, every learner-level read, every
 * extract and every admin change. Passwords and session tokens are never
 * stored, logged or put in an error message; unknown user names typed at
 * login are not logged either (they are often passwords typed in the
 * wrong field).
 *
 * Thread safety: an access_ctx belongs to one thread at a time, like the
 * store it wraps; open one per thread on stores of the same database.
 */
#ifndef P20W_ACCESS_H
#define P20W_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* ---- limits ----------------------------------------------------------- */

#define ACCESS_NAME_MAX 64       /* user names: bytes, excluding the NUL */
#define ACCESS_ID_MAX 64         /* school/district/institution ids, agency */
#define ACCESS_SCOPES_MAX 64     /* scopes of one practitioner */
#define ACCESS_RES_SCOPES_MAX 32 /* units one resource belongs to */
#define ACCESS_PASSWORD_MIN 12   /* characters (UTF-8 code points) */
#define ACCESS_PASSWORD_MAX 1024 /* bytes */
#define ACCESS_TOKEN_LEN 64      /* session token: hex of 32 random bytes */
#define ACCESS_PSEUDONYM_LEN 32  /* extract ids: hex of 16 bytes */
#define ACCESS_ORIGIN_MAX 128    /* IP address or "cli (os user x)" */

/* ---- context ----------------------------------------------------------- */

typedef struct access_ctx access_ctx;

typedef struct access_options {
    /* The key file: 32 random bytes (hex), mode 0600, outside the
     * database. Required. access_key_path() gives the default. */
    const char *key_path;
    /* 1: create the key file when it is missing, if the audit log is still
     * empty (a missing key with records in the log is an error: the old
     * chain could never be verified again). */
    int create_key;
    /* The common-password list (one per line, "#!comment" lines skipped);
     * needed only to set passwords. */
    const char *common_passwords;
    int64_t idle_timeout_s;     /* default 30 min */
    int64_t absolute_timeout_s; /* default 8 h */
    int max_failures;           /* failed logins that lock: default 5 */
    int64_t failure_window_s;   /* ... within this window: 15 min */
    int64_t lockout_s;          /* locked for: 15 min */
} access_options;

void access_options_init(access_options *o);

/* The key file of database db: $P20W_AUDIT_KEY_FILE when set, else
 * "<db>.key". Writes at most cap bytes; P20W_ELIMIT if it does not fit,
 * P20W_EUSAGE for ":memory:" without the variable. */
p20w_status access_key_path(const char *db, char *out, size_t cap,
                            p20w_err *err);

/* Opens governed access on st (not owned; must outlive the context) and
 * reads or creates the key. Errors: P20W_ENOTFOUND (no key file and
 * create_key is 0, or the log has records but the key is gone),
 * P20W_EINVAL (key file readable by group/others, or malformed), P20W_EIO,
 * P20W_ESTORE, P20W_ENOMEM, P20W_EINTERNAL (libsodium failed to start). */
p20w_status access_open(store *st, const access_options *o, access_ctx **out,
                        p20w_err *err);

void access_close(access_ctx *ax);

/* The store the context works on. */
store *access_store(access_ctx *ax);

/* ---- principals --------------------------------------------------------- */

typedef enum access_role {
    ACCESS_ROLE_PUBLIC = 0,
    ACCESS_ROLE_PRACTITIONER,
    ACCESS_ROLE_RESEARCHER,
    ACCESS_ROLE_STEWARD,
    ACCESS_ROLE_ADMIN,
    ACCESS_ROLE_COUNT
} access_role;

/* "public", "practitioner", ...; parse returns -1 when unknown. */
const char *access_role_name(access_role r);
int access_role_parse(const char *s);

typedef enum access_scope_kind {
    ACCESS_SCOPE_SCHOOL = 0,
    ACCESS_SCOPE_DISTRICT,
    ACCESS_SCOPE_INSTITUTION,
    ACCESS_SCOPE_KIND_COUNT
} access_scope_kind;

const char *access_scope_kind_name(access_scope_kind k);

/* One organisational unit: school S1, district D1, institution I1. */
typedef struct access_scope {
    access_scope_kind kind;
    char id[ACCESS_ID_MAX + 1];
} access_scope;

/* Parses "school:ID" (also "district:", "institution:"). Errors:
 * P20W_EINVAL (unknown kind, empty id), P20W_ELIMIT (id too long). */
p20w_status access_scope_parse(const char *s, access_scope *out, p20w_err *err);

/* Who is asking: a plain value the caller may keep per request. */
typedef struct access_principal {
    int64_t user_id; /* 0 for public */
    char name[ACCESS_NAME_MAX + 1];
    access_role role;
    char agency[ACCESS_ID_MAX + 1]; /* steward */
    int64_t dsa_id;                 /* researcher */
    size_t nscopes;                 /* practitioner */
    access_scope scopes[ACCESS_SCOPES_MAX];
    char origin[ACCESS_ORIGIN_MAX + 1]; /* IP address or "cli" */
} access_principal;

/* The anonymous visitor, calling from origin (may be NULL). */
void access_principal_public(access_principal *p, const char *origin);

/* Loads an active account's principal by name (the CLI acting as a named
 * admin, tests). Errors: P20W_ENOTFOUND (no such user), P20W_EDENIED
 * (disabled), P20W_ESTORE. */
p20w_status access_principal_load(access_ctx *ax, const char *name,
                                  const char *origin, access_principal *out,
                                  p20w_err *err);

/* ---- accounts ------------------------------------------------------------ */

typedef struct access_user_spec {
    const char *name;           /* 1..ACCESS_NAME_MAX of [A-Za-z0-9._@-] */
    access_role role;           /* not PUBLIC */
    const char *password;       /* checked by access_password_check() */
    const char *agency;         /* steward: one of the dictionary's agencies */
    int64_t dsa_id;             /* researcher: an existing agreement */
    const access_scope *scopes; /* practitioner: 1..ACCESS_SCOPES_MAX */
    size_t nscopes;
} access_user_spec;

/* Checks a new password for user `name`: at least ACCESS_PASSWORD_MIN
 * characters, at most ACCESS_PASSWORD_MAX bytes, valid UTF-8, not the user
 * name or built on it, not on the common-password list, not a common
 * password with digits or symbols around it, leetspeak or repeated, not a
 * run of one character or a keyboard/alphabet sequence. Errors:
 * P20W_EINVAL with the reason (never the password), P20W_EIO/ENOTFOUND
 * (the list cannot be read), P20W_ENOMEM. */
p20w_status access_password_check(access_ctx *ax, const char *name,
                                  const char *password, p20w_err *err);

/* Adds an account (password hashed with Argon2id), audited as an admin
 * change by `actor` from `origin` in the same transaction. Errors:
 * P20W_EINVAL (bad name, role fields, password), P20W_ENOTFOUND (no such
 * DSA), P20W_EINVAL "already exists", P20W_ESTORE, P20W_ENOMEM. */
p20w_status access_user_add(access_ctx *ax, const access_user_spec *spec,
                            const char *actor, const char *origin, int64_t now,
                            int64_t *user_id, p20w_err *err);

/* Disables or re-enables an account (re-enabling also clears a lockout).
 * Disabling ends its sessions. Audited. Errors: P20W_ENOTFOUND,
 * P20W_ESTORE. */
p20w_status access_user_set_active(access_ctx *ax, const char *name, int active,
                                   const char *actor, const char *origin,
                                   int64_t now, p20w_err *err);

/* Sets a new password (checked as above) and ends the user's sessions.
 * Audited. Errors: as access_user_add(), P20W_ENOTFOUND. */
p20w_status access_user_set_password(access_ctx *ax, const char *name,
                                     const char *password, const char *actor,
                                     const char *origin, int64_t now,
                                     p20w_err *err);

/* ---- sessions ------------------------------------------------------------ */

/* Checks name and password and, when they match an active, unlocked
 * account, starts a session: token receives ACCESS_TOKEN_LEN hex
 * characters and a NUL (256 bits from the OS CSPRNG); only its SHA-256
 * is stored. Every outcome is audited. An unknown name costs the same
 * Argon2id verification as a known one (against a dummy hash) and every
 * refusal is the same P20W_EDENIED with the same message, so neither time
 * nor message tells whether a user exists, is disabled or is locked.
 * max_failures wrong passwords within failure_window_s lock the account
 * for lockout_s. Errors: P20W_EDENIED, P20W_ESTORE, P20W_ENOMEM. */
p20w_status access_login(access_ctx *ax, const char *name, const char *password,
                         const char *origin, int64_t now,
                         char token[ACCESS_TOKEN_LEN + 1], p20w_err *err);

/* Checks a session token at time now and fills *out with its principal
 * (origin set from `origin`). Ends the session (audited) past the idle or
 * absolute timeout, or when the account has been disabled. The idle clock
 * is refreshed at most once a minute. Errors: P20W_EDENIED (no such
 * session or it ended), P20W_ESTORE. */
p20w_status access_session_check(access_ctx *ax, const char *token,
                                 const char *origin, int64_t now,
                                 access_principal *out, p20w_err *err);

/* Ends a session (audited). An unknown token is not an error. */
p20w_status access_logout(access_ctx *ax, const char *token, const char *origin,
                          int64_t now, p20w_err *err);

/* ---- authorization --------------------------------------------------------
 */

typedef enum access_action {
    ACCESS_READ = 0,
    ACCESS_WRITE /* submit (steward), change users/agreements (admin) */
} access_action;

typedef enum access_kind {
    ACCESS_RES_PUBLISHED = 0, /* published (suppressed) tables */
    ACCESS_RES_AGGREGATE,     /* unmasked aggregates of the scopes given */
    ACCESS_RES_LEARNER_EDU,   /* a learner's education records */
    ACCESS_RES_LEARNER_WAGES, /* a learner's (individual's) wages */
    ACCESS_RES_SUBMISSION,    /* an agency's submissions and reports */
    ACCESS_RES_EXTRACT,       /* a de-identified extract of a DSA */
    ACCESS_RES_ADMIN,         /* users and agreements */
    ACCESS_RES_AUDIT,         /* the audit log */
    ACCESS_RES_KIND_COUNT
} access_kind;

const char *access_kind_name(access_kind k);

/* What is asked for. `scopes` are the units it belongs to: for an
 * aggregate, the school/district/institution it is about (an aggregate of
 * school S1 of district D1 lists both); for a learner, every school,
 * district and institution of the learner (access_learner_scopes()). */
typedef struct access_resource {
    access_kind kind;
    size_t nscopes;
    access_scope scopes[ACCESS_RES_SCOPES_MAX];
    const char *agency; /* SUBMISSION */
    int64_t dsa_id;     /* EXTRACT */
    int64_t p20w_id;    /* LEARNER_*: named in the audit record */
    const char *detail; /* what exactly, for the audit ("submission 12") */
} access_resource;

/* Clears r and sets its kind. */
void access_resource_init(access_resource *r, access_kind kind);

/* Adds a scope to r. Errors: P20W_ELIMIT (ACCESS_RES_SCOPES_MAX or an id
 * longer than ACCESS_ID_MAX). A scope already there is not added twice. */
p20w_status access_resource_add_scope(access_resource *r,
                                      access_scope_kind kind, const char *id,
                                      p20w_err *err);

typedef struct access_decision {
    int allowed;
    char reason[192]; /* why, in words, for the audit and the user */
} access_decision;

/* Decides without recording anything (for showing or hiding links).
 * Looks up the DSA for EXTRACT. Errors: P20W_ESTORE (then *d denies). */
p20w_status access_decide(access_ctx *ax, const access_principal *p,
                          access_action action, const access_resource *r,
                          int64_t now, access_decision *d, p20w_err *err);

/* The check every request passes: decides, then audits a denial (event
 * 'denied') and an allowed learner-level read (event 'read'). Returns
 * P20W_OK whenever a decision was made, allowed or not; when the audit
 * record cannot be written the call fails and *d denies (fail closed). */
p20w_status access_check(access_ctx *ax, const access_principal *p,
                         access_action action, const access_resource *r,
                         int64_t now, access_decision *d, p20w_err *err);

/* Fills r's scopes with the units learner p20w_id belongs to: every school
 * of a k12_students row of the learner (person_links source k12_students,
 * record_key student_id) and its district, and every institution of a
 * ps_enrollments row (record_key 'institution_id/ps_student_id'), from live
 * submissions. Sets r->p20w_id. Errors: P20W_ELIMIT (more units than
 * ACCESS_RES_SCOPES_MAX), P20W_ESTORE. */
p20w_status access_learner_scopes(access_ctx *ax, int64_t p20w_id,
                                  access_resource *r, p20w_err *err);

/* ---- data-sharing agreements ------------------------------------------------
 */

typedef struct access_dsa_spec {
    const char *purpose;
    const char *parties;
    const char *const *elements; /* "extract.column", validated against
                                    the dictionary */
    size_t nelements;
    const char *start_date; /* YYYY-MM-DD; start <= end <= destroy */
    const char *end_date;
    const char *destroy_date;
} access_dsa_spec;

/* An agreement as stored. Owned strings; free with access_dsa_free(). */
typedef struct access_dsa {
    int64_t dsa_id;
    char *purpose;
    char *parties;
    char start_date[11], end_date[11], destroy_date[11];
    char *created_at;
    char *created_by;
    char *destroyed_at; /* NULL until recorded */
    char **elements;
    size_t nelements;
    char key_salt[33];
} access_dsa;

/* Checks one element name: "extract.column" of the dictionary, not a
 * direct identifier (sensitivity D) and not an agency's person id
 * (student_id, ps_student_id, apprentice_id), which the pseudonym
 * replaces. Errors: P20W_EINVAL with the reason. */
p20w_status access_element_check(const char *element, p20w_err *err);

/* Records an agreement and audits it. Errors: P20W_EINVAL (a bad element,
 * date or order of dates, empty purpose or parties), P20W_ESTORE,
 * P20W_ENOMEM. */
p20w_status access_dsa_add(access_ctx *ax, const access_dsa_spec *spec,
                           const char *actor, const char *origin, int64_t now,
                           int64_t *dsa_id, p20w_err *err);

/* Reads agreement id. Errors: P20W_ENOTFOUND, P20W_ESTORE, P20W_ENOMEM. */
p20w_status access_dsa_get(access_ctx *ax, int64_t id, access_dsa **out,
                           p20w_err *err);

void access_dsa_free(access_dsa *d);

/* "pending", "active", "ended" or "destroyed" on day `now` (agreements
 * are active from start_date through end_date, inclusive, UTC). */
const char *access_dsa_status(const access_dsa *d, int64_t now);

/* Ends an agreement early: end_date becomes `date` (which must not be
 * after the current end date nor before start_date). Audited. */
p20w_status access_dsa_end(access_ctx *ax, int64_t id, const char *date,
                           const char *actor, const char *origin, int64_t now,
                           p20w_err *err);

/* Records that the recipients certified destruction of the data. */
p20w_status access_dsa_destroyed(access_ctx *ax, int64_t id, const char *actor,
                                 const char *origin, int64_t now,
                                 p20w_err *err);

/* ---- audit -----------------------------------------------------------------
 */

typedef enum access_event {
    ACCESS_EV_LOGIN = 0,
    ACCESS_EV_LOGIN_FAILED,
    ACCESS_EV_LOGOUT,
    ACCESS_EV_SESSION_END,
    ACCESS_EV_DENIED,
    ACCESS_EV_READ,
    ACCESS_EV_EXTRACT,
    ACCESS_EV_ADMIN,
    ACCESS_EV_COUNT
} access_event;

const char *access_event_name(access_event e);

/* One audit record: who (actor), what happened (event, outcome), to what
 * (resource), why (reason or purpose), from where (origin). Fields longer
 * than 1000 bytes are cut (at a UTF-8 boundary); NULL means "". */
typedef struct access_audit_entry {
    const char *actor;
    access_event event;
    const char *resource;
    const char *outcome; /* "ok", "allowed", "denied" or "failed" */
    const char *why;
    const char *origin;
} access_audit_entry;

/* Appends e at time now, chained to the previous record, and moves the
 * chain head in p20w_meta. Runs in its own transaction, or inside the
 * caller's when one is open (then the record commits or rolls back with
 * the caller's work). seq (may be NULL) receives the record's number.
 * Errors: P20W_ESTORE, P20W_ENOMEM. */
p20w_status access_audit_append(access_ctx *ax, const access_audit_entry *e,
                                int64_t now, int64_t *seq, p20w_err *err);

typedef struct access_audit_verdict {
    int ok;            /* 1 when the whole chain verifies */
    int64_t records;   /* records read */
    int64_t bad_seq;   /* first record that failed (0 if none) */
    int64_t head_seq;  /* last record's seq */
    char head_mac[65]; /* last record's mac ("" when the log is empty) */
    char problem[256]; /* what failed, in words */
} access_audit_verdict;

/* Verifies the chain: numbering from 1 without gaps, every mac, and the
 * head kept in p20w_meta (its own mac, equal to the last record). With
 * anchor_seq > 0, also that record anchor_seq still has mac anchor_mac
 * (an anchor kept off the machine catches a rolled-back tail). A failed
 * verification is P20W_OK with v->ok = 0; errors are for being unable to
 * read (P20W_ESTORE, P20W_ENOMEM). */
p20w_status access_audit_verify(access_ctx *ax, int64_t anchor_seq,
                                const char *anchor_mac, access_audit_verdict *v,
                                p20w_err *err);

/* ---- extracts
 * ------------------------------------------------------------------ */

typedef struct access_extract_stats {
    size_t files;
    uint64_t rows;
    uint64_t persons; /* distinct pseudonyms written (learner files) */
} access_extract_stats;

/* Writes the de-identified extract of agreement dsa_id to out_dir
 * (created if missing; existing files are never overwritten): one CSV
 * per extract holding allowed elements, learner-level ones keyed by
 * `pid`, the agreement's pseudonym of the person (HMAC-SHA-256 of the
 * p20w_id under a key of this agreement alone), plus MANIFEST.txt. Reads
 * live staging rows joined to person_links; never reads identity_vault.
 * Rows appear in an order keyed by the agreement, not the agencies' file
 * order. The principal must be allowed ACCESS_RES_EXTRACT; the extract
 * or the denial is audited. Errors: P20W_EDENIED, P20W_ENOTFOUND,
 * P20W_EIO, P20W_ESTORE, P20W_ENOMEM. */
p20w_status access_extract(access_ctx *ax, const access_principal *p,
                           int64_t dsa_id, const char *out_dir, int64_t now,
                           access_extract_stats *stats, p20w_err *err);

/* The pseudonym of p20w_id under agreement d (ACCESS_PSEUDONYM_LEN hex
 * characters and a NUL). */
void access_pseudonym(access_ctx *ax, const access_dsa *d, int64_t p20w_id,
                      char out[ACCESS_PSEUDONYM_LEN + 1]);

/* ---- time
 * ---------------------------------------------------------------------- */

/* Seconds since 1970-01-01 UTC as "YYYY-MM-DDTHH:MM:SSZ". */
void access_time_format(int64_t t, char out[32]);

/* Parses that form (or a bare "YYYY-MM-DD", as midnight). Errors:
 * P20W_EFORMAT. */
p20w_status access_time_parse(const char *s, int64_t *t);

#endif
