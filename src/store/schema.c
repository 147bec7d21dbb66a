/*
 * schema.c — the p20w database schema as SQLite migrations.
 *
 * migrations[i] takes a database from schema version i to i + 1;
 * store_sqlite.c runs each in one transaction and bumps PRAGMA
 * user_version with it. Migrations are append-only: never edit a
 * shipped one, add migration N + 1 (and raise STORE_SCHEMA_VERSION in
 * store.h) instead. The PostgreSQL backend will carry the same tables in
 * its own dialect.
 *
 * Layout (ARCHITECTURE.md: data flows one way):
 *   p20w_meta            identity marker and facts about the database
 *   submissions          one row per submitted file, its status and report
 *   submission_errors    the rows and rules a submission broke
 *   stg_<extract>        one staging table per extract in spec/extracts.md,
 *                        holding every column EXCEPT direct identifiers
 *                        (sensitivity D), keyed by (submission_id, line)
 *   identity_vault       the direct identifiers, read only by link/
 *   persons, person_links  the master person index (p20w_id) and the map
 *                        from each source record to it
 *   users, sessions, dsas, audit_log ...  access/ (migration 3, below)
 *   assessments ...      assess/ (migration 6, below)
 *   timeline_events, cube_cells, published_cells
 *                        placeholders for derive/, measure/ and disclose/,
 *                        to be filled out by their own migrations
 *
 * Conventions: every table is STRICT; Y/N fields are INTEGER 0/1; dates are
 * TEXT 'YYYY-MM-DD'; quarters TEXT 'YYYYQn'; school years INTEGER (named by
 * the calendar year they end in); money is INTEGER cents (wages_cents);
 * timestamps are TEXT ISO 8601 UTC ('2026-11-23T17:55:38Z'). A staging row's
 * `line` is its 1-based line number in the submitted file (the header is
 * line 1), so error reports and staging rows point at the same place.
 *
 * Record keys: `record_key` names a person-record within a source and joins
 * a staging row to its identity_vault row and to person_links. ingest/
 * assigns it: the source's own person id where there is one (k12_students:
 * student_id; ps_enrollments: institution_id || '/' || ps_student_id;
 * apprenticeships: apprentice_id) and otherwise the row itself
 * (ui_wages, dmv_ids: '<submission_id>:<line>'), because those sources
 * carry no person id but their direct identifiers — which must never be
 * copied, even hashed, outside the vault.
 */
#include "store/store_int.h"

/* Migration 1: the initial schema. */
static const char migration_1[] =
    /* ---- identity of the database ------------------------------------ */
    "CREATE TABLE p20w_meta (\n"
    "  key   TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") STRICT;\n"
    /* 'marker' tells a p20w database from any other SQLite file; store_open
     * refuses files without it. 'p20w_version' is set by the migrator. */
    "INSERT INTO p20w_meta (key, value) VALUES\n"
    "  ('marker', '" STORE_MARKER "'),\n"
    "  ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));\n"

    /* ---- submissions -------------------------------------------------- */
    /* One row per file submitted as (source, period, agency, file). A
     * re-submission for the same source and period marks the earlier one
     * 'replaced' and points replaced_by at the new one; history is kept. */
    "CREATE TABLE submissions (\n"
    "  submission_id INTEGER PRIMARY KEY,\n"
    "  source        TEXT NOT NULL,\n" /* extract name: 'k12_students' */
    "  period        TEXT NOT NULL,\n" /* reporting period: '2024', '2024Q3' */
    "  agency        TEXT NOT NULL,\n"
    "  file_name     TEXT NOT NULL,\n"
    "  sha256        TEXT NOT NULL CHECK (length(sha256) = 64),\n"
    "  status        TEXT NOT NULL\n"
    "                CHECK (status IN ('accepted', 'rejected', 'replaced')),\n"
    "  rows_read     INTEGER NOT NULL DEFAULT 0 CHECK (rows_read >= 0),\n"
    "  rows_accepted INTEGER NOT NULL DEFAULT 0 CHECK (rows_accepted >= 0),\n"
    "  rows_rejected INTEGER NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),\n"
    "  report_json   TEXT,\n"
    "  created_at    TEXT NOT NULL,\n"
    "  replaced_by   INTEGER REFERENCES submissions (submission_id),\n"
    "  CHECK (rows_accepted + rows_rejected <= rows_read),\n"
    "  CHECK ((status = 'replaced') = (replaced_by IS NOT NULL))\n"
    ") STRICT;\n"
    /* At most one live (accepted) submission per source and period. */
    "CREATE UNIQUE INDEX submissions_live ON submissions (source, period)\n"
    "  WHERE status = 'accepted';\n"
    "CREATE INDEX submissions_by_source ON submissions (source, period);\n"
    /* Identical re-submission is a no-op: found by content hash. */
    "CREATE INDEX submissions_by_sha256 ON submissions (source, sha256);\n"

    /* Row-level and fatal errors of a submission. value is masked by ingest
     * for sensitivity-D columns before it gets here. */
    "CREATE TABLE submission_errors (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  seq           INTEGER NOT NULL,\n" /* order within the report */
    "  severity      TEXT NOT NULL\n"
    "                CHECK (severity IN ('fatal', 'error', 'warning')),\n"
    "  line          INTEGER,\n" /* NULL for file-level errors */
    "  col           INTEGER,\n"
    "  column_name   TEXT,\n"
    "  value         TEXT,\n"
    "  rule          TEXT NOT NULL,\n"
    "  message       TEXT NOT NULL,\n"
    "  PRIMARY KEY (submission_id, seq)\n"
    ") STRICT;\n"

    /* ---- staging: K-12 (SEA) ------------------------------------------ */
    /* Every staging table: (submission_id, line) identifies the row;
     * deleting a submission deletes its rows. Direct identifiers of the
     * extract are in identity_vault instead. */
    "CREATE TABLE stg_k12_students (\n"
    "  submission_id      INTEGER NOT NULL\n"
    "                     REFERENCES submissions ON DELETE CASCADE,\n"
    "  line               INTEGER NOT NULL,\n"
    "  record_key         TEXT NOT NULL,\n"
    "  student_id         TEXT NOT NULL,\n"
    "  school_year        INTEGER NOT NULL,\n"
    "  school_id          TEXT NOT NULL,\n"
    "  grade_level        TEXT NOT NULL,\n"
    "  sex                TEXT NOT NULL,\n"
    "  race_ethnicity     TEXT NOT NULL,\n"
    "  econ_disadvantaged INTEGER NOT NULL DEFAULT 0\n"
    "                     CHECK (econ_disadvantaged IN (0, 1)),\n"
    "  disability         INTEGER NOT NULL DEFAULT 0\n"
    "                     CHECK (disability IN (0, 1)),\n"
    "  english_learner    INTEGER NOT NULL DEFAULT 0\n"
    "                     CHECK (english_learner IN (0, 1)),\n"
    "  homeless           INTEGER NOT NULL DEFAULT 0\n"
    "                     CHECK (homeless IN (0, 1)),\n"
    "  foster_care        INTEGER NOT NULL DEFAULT 0\n"
    "                     CHECK (foster_care IN (0, 1)),\n"
    "  migrant            INTEGER NOT NULL DEFAULT 0\n"
    "                     CHECK (migrant IN (0, 1)),\n"
    "  military_connected INTEGER NOT NULL DEFAULT 0\n"
    "                     CHECK (military_connected IN (0, 1)),\n"
    "  days_enrolled      INTEGER,\n"
    "  days_absent        INTEGER,\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_k12_students_student\n"
    "  ON stg_k12_students (student_id, school_year);\n"
    "CREATE INDEX stg_k12_students_school\n"
    "  ON stg_k12_students (school_id, school_year);\n"

    "CREATE TABLE stg_k12_schools (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  school_id     TEXT NOT NULL,\n"
    "  school_name   TEXT NOT NULL,\n"
    "  district_id   TEXT NOT NULL,\n"
    "  district_name TEXT NOT NULL,\n"
    "  county_fips   TEXT NOT NULL CHECK (length(county_fips) = 5),\n"
    "  locale        TEXT,\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    /* school_id is unique within a submission (extracts.md). */
    "CREATE UNIQUE INDEX stg_k12_schools_school\n"
    "  ON stg_k12_schools (submission_id, school_id);\n"
    "CREATE INDEX stg_k12_schools_id ON stg_k12_schools (school_id);\n"

    "CREATE TABLE stg_k12_exits (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  student_id    TEXT NOT NULL,\n"
    "  school_id     TEXT NOT NULL,\n"
    "  exit_date     TEXT NOT NULL,\n"
    "  exit_type     TEXT NOT NULL,\n"
    "  cohort_year   INTEGER,\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_k12_exits_student ON stg_k12_exits (student_id);\n"

    "CREATE TABLE stg_k12_cte_courses (\n"
    "  submission_id    INTEGER NOT NULL\n"
    "                   REFERENCES submissions ON DELETE CASCADE,\n"
    "  line             INTEGER NOT NULL,\n"
    "  student_id       TEXT NOT NULL,\n"
    "  school_year      INTEGER NOT NULL,\n"
    "  school_id        TEXT NOT NULL,\n"
    "  sced_code        TEXT NOT NULL,\n"
    "  career_cluster   TEXT NOT NULL,\n"
    "  program_of_study TEXT NOT NULL,\n"
    "  credits          REAL NOT NULL,\n"
    "  completed        INTEGER NOT NULL CHECK (completed IN (0, 1)),\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_k12_cte_courses_student\n"
    "  ON stg_k12_cte_courses (student_id, school_year);\n"

    "CREATE TABLE stg_k12_wbl (\n"
    "  submission_id  INTEGER NOT NULL\n"
    "                 REFERENCES submissions ON DELETE CASCADE,\n"
    "  line           INTEGER NOT NULL,\n"
    "  student_id     TEXT NOT NULL,\n"
    "  school_year    INTEGER NOT NULL,\n"
    "  wbl_type       TEXT NOT NULL,\n"
    "  employer_naics TEXT,\n"
    "  hours          INTEGER NOT NULL,\n"
    "  completed      INTEGER NOT NULL CHECK (completed IN (0, 1)),\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_k12_wbl_student\n"
    "  ON stg_k12_wbl (student_id, school_year);\n"

    "CREATE TABLE stg_k12_credentials (\n"
    "  submission_id   INTEGER NOT NULL\n"
    "                  REFERENCES submissions ON DELETE CASCADE,\n"
    "  line            INTEGER NOT NULL,\n"
    "  student_id      TEXT NOT NULL,\n"
    "  credential_code TEXT NOT NULL,\n"
    "  earned_date     TEXT NOT NULL,\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_k12_credentials_student\n"
    "  ON stg_k12_credentials (student_id);\n"

    "CREATE TABLE stg_k12_assessments (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  student_id    TEXT NOT NULL,\n"
    "  school_year   INTEGER NOT NULL,\n"
    "  subject       TEXT NOT NULL,\n"
    "  proficient    INTEGER NOT NULL CHECK (proficient IN (0, 1)),\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_k12_assessments_student\n"
    "  ON stg_k12_assessments (student_id, school_year);\n"

    /* ---- staging: postsecondary (higher-education agency) ------------- */
    "CREATE TABLE stg_ps_enrollments (\n"
    "  submission_id      INTEGER NOT NULL\n"
    "                     REFERENCES submissions ON DELETE CASCADE,\n"
    "  line               INTEGER NOT NULL,\n"
    "  record_key         TEXT NOT NULL,\n"
    "  ps_student_id      TEXT NOT NULL,\n"
    "  institution_id     TEXT NOT NULL,\n"
    "  sex                TEXT NOT NULL,\n"
    "  race_ethnicity     TEXT NOT NULL,\n"
    "  term               TEXT NOT NULL,\n"
    "  award_level_sought TEXT NOT NULL,\n"
    "  cip_code           TEXT NOT NULL,\n"
    "  credits_attempted  REAL NOT NULL,\n"
    "  credits_earned     REAL NOT NULL,\n"
    "  dual_enrollment    INTEGER CHECK (dual_enrollment IN (0, 1)),\n"
    "  cte_program        INTEGER CHECK (cte_program IN (0, 1)),\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_ps_enrollments_student\n"
    "  ON stg_ps_enrollments (institution_id, ps_student_id, term);\n"
    "CREATE INDEX stg_ps_enrollments_key\n"
    "  ON stg_ps_enrollments (record_key);\n"

    "CREATE TABLE stg_ps_completions (\n"
    "  submission_id  INTEGER NOT NULL\n"
    "                 REFERENCES submissions ON DELETE CASCADE,\n"
    "  line           INTEGER NOT NULL,\n"
    "  ps_student_id  TEXT NOT NULL,\n"
    "  institution_id TEXT NOT NULL,\n"
    "  award_date     TEXT NOT NULL,\n"
    "  award_level    TEXT NOT NULL,\n"
    "  cip_code       TEXT NOT NULL,\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_ps_completions_student\n"
    "  ON stg_ps_completions (institution_id, ps_student_id);\n"

    "CREATE TABLE stg_ps_institutions (\n"
    "  submission_id    INTEGER NOT NULL\n"
    "                   REFERENCES submissions ON DELETE CASCADE,\n"
    "  line             INTEGER NOT NULL,\n"
    "  institution_id   TEXT NOT NULL,\n"
    "  institution_name TEXT NOT NULL,\n"
    "  sector           TEXT NOT NULL,\n"
    "  county_fips      TEXT NOT NULL CHECK (length(county_fips) = 5),\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX stg_ps_institutions_inst\n"
    "  ON stg_ps_institutions (submission_id, institution_id);\n"
    "CREATE INDEX stg_ps_institutions_id\n"
    "  ON stg_ps_institutions (institution_id);\n"

    /* ---- staging: labor agency ---------------------------------------- */
    /* UI wage rows carry only ssn and names to identify the worker, so each
     * row is its own record (record_key = '<submission_id>:<line>') and is
     * linked on its own: employers' typos differ row to row. Wages are
     * whole cents (dollars × 100, exact). */
    "CREATE TABLE stg_ui_wages (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  record_key    TEXT NOT NULL,\n"
    "  employer_id   TEXT NOT NULL,\n"
    "  quarter       TEXT NOT NULL,\n"
    "  wages_cents   INTEGER NOT NULL CHECK (wages_cents >= 0),\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_ui_wages_key ON stg_ui_wages (record_key);\n"
    "CREATE INDEX stg_ui_wages_employer\n"
    "  ON stg_ui_wages (employer_id, quarter);\n"

    "CREATE TABLE stg_ui_employers (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  employer_id   TEXT NOT NULL,\n"
    "  naics         TEXT NOT NULL,\n"
    "  county_fips   TEXT NOT NULL CHECK (length(county_fips) = 5),\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX stg_ui_employers_emp\n"
    "  ON stg_ui_employers (submission_id, employer_id);\n"
    "CREATE INDEX stg_ui_employers_id ON stg_ui_employers (employer_id);\n"

    "CREATE TABLE stg_apprenticeships (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  record_key    TEXT NOT NULL,\n"
    "  apprentice_id TEXT NOT NULL,\n"
    "  soc_code      TEXT NOT NULL,\n"
    "  start_date    TEXT NOT NULL,\n"
    "  end_date      TEXT,\n"
    "  status        TEXT NOT NULL,\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_apprenticeships_id\n"
    "  ON stg_apprenticeships (apprentice_id);\n"
    "CREATE INDEX stg_apprenticeships_key\n"
    "  ON stg_apprenticeships (record_key);\n"

    /* ---- staging: motor-vehicle agency --------------------------------- */
    /* Every column of dmv_ids is a direct identifier: the staging row only
     * records that line N of the submission exists; its content is in the
     * vault (dmv_id included). */
    "CREATE TABLE stg_dmv_ids (\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  record_key    TEXT NOT NULL,\n"
    "  PRIMARY KEY (submission_id, line)\n"
    ") STRICT;\n"
    "CREATE INDEX stg_dmv_ids_key ON stg_dmv_ids (record_key);\n"

    /* ---- identity vault (direct identifiers; link/ only) --------------- */
    /* One row per staging row that carried identifiers. Joined to staging
     * by (source, submission_id, line) for that row, and to every row of
     * the same person-record by (source, record_key). ssn holds 9 digits
     * (dashes removed); ssn_valid is 0 for SSNs extracts.md calls invalid
     * (kept, flagged, not used for linkage), NULL when no SSN was given.
     * Agencies that submit keyed-hash tokens instead of clear values put
     * the tokens in the same columns (see `p20w tokenize`). */
    "CREATE TABLE identity_vault (\n"
    "  vault_id      INTEGER PRIMARY KEY,\n"
    "  source        TEXT NOT NULL,\n"
    "  submission_id INTEGER NOT NULL\n"
    "                REFERENCES submissions ON DELETE CASCADE,\n"
    "  line          INTEGER NOT NULL,\n"
    "  record_key    TEXT NOT NULL,\n"
    "  first_name    TEXT,\n"
    "  middle_name   TEXT,\n"
    "  last_name     TEXT,\n"
    "  name_suffix   TEXT,\n"
    "  birth_date    TEXT,\n"
    "  sex           TEXT,\n"
    "  ssn           TEXT,\n"
    "  ssn_valid     INTEGER CHECK (ssn_valid IN (0, 1)),\n"
    "  zip           TEXT,\n"
    "  dmv_id        TEXT,\n"
    "  CHECK ((ssn IS NULL) = (ssn_valid IS NULL))\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX identity_vault_row\n"
    "  ON identity_vault (submission_id, line);\n"
    "CREATE INDEX identity_vault_key ON identity_vault (source, record_key);\n"

    /* ---- master person index ------------------------------------------ */
    /* p20w_id is stable: it is never reused, and a person found to be two
     * ids is recorded by marking one 'merged' into the other. */
    "CREATE TABLE persons (\n"
    "  p20w_id     INTEGER PRIMARY KEY,\n"
    "  created_at  TEXT NOT NULL,\n"
    "  status      TEXT NOT NULL DEFAULT 'active'\n"
    "              CHECK (status IN ('active', 'merged', 'retired')),\n"
    "  merged_into INTEGER REFERENCES persons (p20w_id),\n"
    "  CHECK ((status = 'merged') = (merged_into IS NOT NULL))\n"
    ") STRICT;\n"

    /* Each source record belongs to exactly one person. match_weight is the
     * Fellegi–Sunter total weight of the decisive comparison (NULL for
     * deterministic and manual links). */
    "CREATE TABLE person_links (\n"
    "  source       TEXT NOT NULL,\n"
    "  record_key   TEXT NOT NULL,\n"
    "  p20w_id      INTEGER NOT NULL REFERENCES persons (p20w_id),\n"
    "  match_weight REAL,\n"
    "  method       TEXT NOT NULL CHECK (method IN\n"
    "                 ('deterministic', 'probabilistic', 'manual', 'new')),\n"
    "  linked_at    TEXT NOT NULL,\n"
    "  PRIMARY KEY (source, record_key)\n"
    ") STRICT;\n"
    "CREATE INDEX person_links_person ON person_links (p20w_id);\n"

    /* ---- placeholders for later stages --------------------------------- */
    /* Learner timeline (derive/): one event per spell or fact, quarters as
     * quarter indexes (4 * year + quarter - 1, indicators.md). */
    "CREATE TABLE timeline_events (\n"
    "  p20w_id    INTEGER NOT NULL REFERENCES persons (p20w_id),\n"
    "  event_type TEXT NOT NULL,\n"
    "  start_q    INTEGER NOT NULL,\n"
    "  end_q      INTEGER,\n"
    "  source     TEXT NOT NULL,\n"
    "  attrs_json TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX timeline_events_person\n"
    "  ON timeline_events (p20w_id, start_q);\n"

    /* Cube cells (measure/): dims_key is a canonical text form of the
     * dimension values ('sex=F;race=HI'), dims_json the same as JSON. */
    "CREATE TABLE cube_cells (\n"
    "  cell_id     INTEGER PRIMARY KEY,\n"
    "  profile     TEXT NOT NULL,\n"
    "  indicator   TEXT NOT NULL,\n"
    "  dims_key    TEXT NOT NULL,\n"
    "  dims_json   TEXT NOT NULL,\n"
    "  year        INTEGER NOT NULL,\n"
    "  numerator   REAL,\n"
    "  denominator REAL,\n"
    "  value       REAL,\n"
    "  n           INTEGER NOT NULL CHECK (n >= 0),\n"
    "  p25         REAL,\n"
    "  median      REAL,\n"
    "  p75         REAL\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX cube_cells_key\n"
    "  ON cube_cells (profile, indicator, year, dims_key);\n"

    /* Published cells (disclose/): status P published, S primary
     * suppression, C complementary suppression, B banded, L pooled,
     * N noised (indicators.md). label is what is shown ('fewer than 10',
     * '≥90%'); value is NULL whenever the number must not be shown. */
    "CREATE TABLE published_cells (\n"
    "  cell_id      INTEGER PRIMARY KEY\n"
    "               REFERENCES cube_cells (cell_id) ON DELETE CASCADE,\n"
    "  status       TEXT NOT NULL\n"
    "               CHECK (status IN ('P', 'S', 'C', 'B', 'L', 'N')),\n"
    "  value        REAL,\n"
    "  label        TEXT,\n"
    "  pooled_years TEXT,\n"
    "  published_at TEXT NOT NULL,\n"
    "  CHECK (status NOT IN ('S', 'C') OR value IS NULL)\n"
    ") STRICT;\n";

/* Migration 2: what linkage needs to explain itself and to remember the
 * clerical reviewers' decisions. A linkage run records its fitted model
 * (m and u of every level of every field, per pair of sources) and its
 * thresholds, so `p20w link explain` shows the weights that decided, and
 * the pairs of its review band. A decision on a pair outlives the run:
 * later runs link an accepted pair and never link a rejected one. Pairs are
 * named by source and record key, never by an identifier. */
static const char migration_2[] =
    "CREATE TABLE link_runs (\n"
    "  run_id      INTEGER PRIMARY KEY,\n"
    "  started_at  TEXT NOT NULL,\n"
    "  report_json TEXT\n"
    ") STRICT;\n"
    "CREATE TABLE link_models (\n"
    "  run_id           INTEGER NOT NULL\n"
    "                   REFERENCES link_runs ON DELETE CASCADE,\n"
    "  source_a         TEXT NOT NULL,\n"
    "  source_b         TEXT NOT NULL,\n"
    "  threshold        REAL NOT NULL,\n"
    "  review_threshold REAL NOT NULL,\n"
    "  u_last_exact     REAL NOT NULL,\n"
    "  PRIMARY KEY (run_id, source_a, source_b)\n"
    ") STRICT;\n"
    "CREATE TABLE link_model_levels (\n"
    "  run_id   INTEGER NOT NULL REFERENCES link_runs ON DELETE CASCADE,\n"
    "  source_a TEXT NOT NULL,\n"
    "  source_b TEXT NOT NULL,\n"
    "  field    TEXT NOT NULL,\n"
    "  level    INTEGER NOT NULL CHECK (level >= 0),\n"
    "  m        REAL NOT NULL CHECK (m > 0 AND m <= 1),\n"
    "  u        REAL NOT NULL CHECK (u > 0 AND u <= 1),\n"
    "  PRIMARY KEY (run_id, source_a, source_b, field, level)\n"
    ") STRICT;\n"
    /* The clerical review queue: pending pairs come from the latest run;
     * decided pairs stay until someone decides again. */
    "CREATE TABLE link_review (\n"
    "  review_id  INTEGER PRIMARY KEY,\n"
    "  source_a   TEXT NOT NULL,\n"
    "  key_a      TEXT NOT NULL,\n"
    "  source_b   TEXT NOT NULL,\n"
    "  key_b      TEXT NOT NULL,\n"
    "  weight     REAL,\n"
    "  status     TEXT NOT NULL DEFAULT 'pending'\n"
    "             CHECK (status IN ('pending', 'accepted', 'rejected')),\n"
    "  run_id     INTEGER REFERENCES link_runs ON DELETE SET NULL,\n"
    "  decided_by TEXT,\n"
    "  decided_at TEXT,\n"
    "  note       TEXT,\n"
    "  CHECK ((status = 'pending') = (decided_at IS NULL))\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX link_review_pair\n"
    "  ON link_review (source_a, key_a, source_b, key_b);\n";

/* ==== migration: access ================================================
 * Migration 3 (issue 8, src/access/): accounts, sessions, data-sharing
 * agreements and the audit chain. Kept in one block so that the lead can
 * renumber it if another branch adds a migration 3 too.
 *
 *   users         one row per account; role public has no account. pw_hash
 *                 is libsodium's Argon2id string (never the password);
 *                 failed_logins/failed_since/locked_until drive lockout.
 *   user_scopes   a practitioner's schools, districts and institutions
 *   sessions      token_hash is the hex SHA-256 of the session token: the
 *                 token itself is never stored
 *   dsas          data-sharing agreements; key_salt makes the pseudonym
 *                 key of each agreement different (access/extract.c)
 *   dsa_elements  the dictionary elements ('extract.column') it allows
 *   audit_log     append-only, hash-chained: mac is the hex HMAC-SHA-256
 *                 over the record and the previous record's mac, keyed by
 *                 a key file outside the database (docs/access.md). The
 *                 chain head (last seq and mac, with its own mac) is kept
 *                 in p20w_meta under 'audit_head'. */
static const char migration_3[] =
    "CREATE TABLE dsas (\n"
    "  dsa_id       INTEGER PRIMARY KEY,\n"
    "  purpose      TEXT NOT NULL CHECK (length(purpose) > 0),\n"
    "  parties      TEXT NOT NULL CHECK (length(parties) > 0),\n"
    "  start_date   TEXT NOT NULL,\n"
    "  end_date     TEXT NOT NULL,\n"
    "  destroy_date TEXT NOT NULL,\n"
    "  key_salt     TEXT NOT NULL CHECK (length(key_salt) = 32),\n"
    "  created_at   TEXT NOT NULL,\n"
    "  created_by   TEXT NOT NULL,\n"
    "  destroyed_at TEXT,\n"
    "  CHECK (start_date <= end_date AND end_date <= destroy_date)\n"
    ") STRICT;\n"
    "CREATE TABLE dsa_elements (\n"
    "  dsa_id  INTEGER NOT NULL REFERENCES dsas ON DELETE CASCADE,\n"
    "  element TEXT NOT NULL,\n" /* 'extract.column' of the dictionary */
    "  PRIMARY KEY (dsa_id, element)\n"
    ") STRICT;\n"
    "CREATE TABLE users (\n"
    "  user_id       INTEGER PRIMARY KEY,\n"
    "  name          TEXT NOT NULL UNIQUE,\n"
    "  role          TEXT NOT NULL CHECK (role IN\n"
    "                  ('practitioner', 'researcher', 'steward', 'admin')),\n"
    "  pw_hash       TEXT NOT NULL,\n"
    "  agency        TEXT,\n"
    "  dsa_id        INTEGER REFERENCES dsas (dsa_id),\n"
    "  status        TEXT NOT NULL DEFAULT 'active'\n"
    "                CHECK (status IN ('active', 'disabled')),\n"
    "  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),\n"
    "  failed_since  TEXT,\n"
    "  locked_until  TEXT,\n"
    "  created_at    TEXT NOT NULL,\n"
    "  pw_changed_at TEXT NOT NULL,\n"
    "  CHECK ((role = 'steward') = (agency IS NOT NULL)),\n"
    "  CHECK ((role = 'researcher') = (dsa_id IS NOT NULL))\n"
    ") STRICT;\n"
    "CREATE TABLE user_scopes (\n"
    "  user_id  INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,\n"
    "  kind     TEXT NOT NULL\n"
    "           CHECK (kind IN ('school', 'district', 'institution')),\n"
    "  scope_id TEXT NOT NULL,\n"
    "  PRIMARY KEY (user_id, kind, scope_id)\n"
    ") STRICT;\n"
    "CREATE TABLE sessions (\n"
    "  token_hash   TEXT PRIMARY KEY CHECK (length(token_hash) = 64),\n"
    "  user_id      INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,\n"
    "  created_at   TEXT NOT NULL,\n"
    "  last_seen_at TEXT NOT NULL,\n"
    "  origin       TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX sessions_user ON sessions (user_id);\n"
    "CREATE TABLE audit_log (\n"
    "  seq      INTEGER PRIMARY KEY CHECK (seq > 0),\n"
    "  ts       TEXT NOT NULL,\n"
    "  actor    TEXT NOT NULL,\n"
    "  event    TEXT NOT NULL CHECK (event IN ('login', 'login_failed',\n"
    "             'logout', 'session_end', 'denied', 'read', 'extract',\n"
    "             'admin')),\n"
    "  resource TEXT NOT NULL,\n"
    "  outcome  TEXT NOT NULL\n"
    "           CHECK (outcome IN ('ok', 'allowed', 'denied', 'failed')),\n"
    "  why      TEXT NOT NULL,\n"
    "  origin   TEXT NOT NULL,\n"
    "  mac      TEXT NOT NULL CHECK (length(mac) = 64)\n"
    ") STRICT;\n"
    "CREATE INDEX audit_log_actor ON audit_log (actor, ts);\n"
    "CREATE INDEX audit_log_ts ON audit_log (ts);\n";
/* ==== end of migration: access ========================================= */

/* ==== migration: cube ====================================================
 * Migration 4: cube builds. Each `p20w build` is a row of cube_builds: the
 * profile it used (its name and its full JSON, so every number behind a
 * cube can be read back), when it started and finished, the time of each
 * stage and the peak memory (stages_json), and its status: 'running'
 * while it runs, then 'complete' or 'failed'; a complete build becomes
 * 'replaced' when a later build of the same profile completes. At most
 * one build per profile is complete, and cube_cells holds exactly its
 * cells: a build replaces the profile's cells in one transaction.
 * cube_cells gains build_id (the build that wrote the cell) and dims (the
 * names of the dimensions the cell is cut by, in measure_dim order, joined
 * by ',': 'race,sex'; '' for the state total), so a query for "cells by
 * school" needs no parsing of dims_key. */
static const char migration_4[] =
    "CREATE TABLE cube_builds (\n"
    "  build_id     INTEGER PRIMARY KEY,\n"
    "  profile      TEXT NOT NULL,\n"
    "  profile_json TEXT NOT NULL,\n"
    "  started_at   TEXT NOT NULL,\n"
    "  finished_at  TEXT,\n"
    "  stages_json  TEXT,\n"
    "  status       TEXT NOT NULL DEFAULT 'running'\n"
    "               CHECK (status IN ('running', 'complete', 'replaced',\n"
    "                                 'failed')),\n"
    "  CHECK ((status = 'running') = (finished_at IS NULL))\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX cube_builds_complete ON cube_builds (profile)\n"
    "  WHERE status = 'complete';\n"
    "ALTER TABLE cube_cells ADD COLUMN build_id INTEGER\n"
    "  REFERENCES cube_builds (build_id);\n"
    "ALTER TABLE cube_cells ADD COLUMN dims TEXT NOT NULL DEFAULT '';\n"
    "CREATE INDEX cube_cells_dims ON cube_cells (profile, indicator, dims,\n"
    "  year);\n";
/* ==== end of migration: cube ============================================= */

/* Migration 5: what a published cell shows, so the audit can replay the
 * publication exactly (publish/): whether n is shown and its value, the
 * same for the numerator, the rate interval shown (lo = hi for an exact
 * rate; a band otherwise) and whether the percentiles are shown. Cells
 * publish/ adds to the cube (zero combinations of an intersection, the
 * "not reported" rest of a cut, dims value '~') carry dims_json
 * '{"added_by":"publish"}'. */
static const char migration_5[] =
    "ALTER TABLE published_cells ADD COLUMN show_n INTEGER NOT NULL\n"
    "  DEFAULT 0 CHECK (show_n IN (0, 1));\n"
    "ALTER TABLE published_cells ADD COLUMN shown_n INTEGER;\n"
    "ALTER TABLE published_cells ADD COLUMN show_numerator INTEGER NOT NULL\n"
    "  DEFAULT 0 CHECK (show_numerator IN (0, 1));\n"
    "ALTER TABLE published_cells ADD COLUMN shown_numerator INTEGER;\n"
    "ALTER TABLE published_cells ADD COLUMN has_rate INTEGER NOT NULL\n"
    "  DEFAULT 0 CHECK (has_rate IN (0, 1));\n"
    "ALTER TABLE published_cells ADD COLUMN rate_lo REAL;\n"
    "ALTER TABLE published_cells ADD COLUMN rate_hi REAL;\n"
    "ALTER TABLE published_cells ADD COLUMN show_pct INTEGER NOT NULL\n"
    "  DEFAULT 0 CHECK (show_pct IN (0, 1));\n";

/* ==== migration: assess ==================================================
 * Migration 6 (issue 10, src/assess/): the data-ecosystem self-assessment.
 * Kept in one block so that the lead can renumber it if another branch
 * adds a migration 6 too.
 *
 *   assessments          one self-assessment of a state team: its title,
 *                        who started it (owner: an account name or the
 *                        CLI's "os:LOGIN"), status draft or complete, the
 *                        rubric version it was rated against, the vision
 *                        of its action plan
 *   assessment_members   the accounts of the state team that may open it
 *   assessment_ratings   a rating 1-4 (NULL: not rated yet) and the
 *                        team's evidence per sub-element ('1A' .. '6D')
 *   assessment_overall   the overall rating of each core element (1-6)
 *   assessment_goals     SMART goals of the action plan, in order
 *   assessment_activities  what will be done for each goal: owner, date,
 *                        success metric, lever of change
 *   assessment_resources what the state has to do it with, by kind
 *   assessment_checks    results of checks p20w cannot run itself but can
 *                        be told about (an axe-core run over the pages),
 *                        read by the auto-evidence; one row per check
 * Dates are 'YYYY-MM-DD'; timestamps ISO 8601 UTC. Text is the team's own
 * words: it never holds learner data. */
static const char migration_6[] =
    "CREATE TABLE assessments (\n"
    "  assessment_id  INTEGER PRIMARY KEY,\n"
    "  title          TEXT NOT NULL CHECK (length(title) > 0),\n"
    "  owner          TEXT NOT NULL CHECK (length(owner) > 0),\n"
    "  status         TEXT NOT NULL DEFAULT 'draft'\n"
    "                 CHECK (status IN ('draft', 'complete')),\n"
    "  rubric_version TEXT NOT NULL,\n"
    "  vision         TEXT NOT NULL DEFAULT '',\n"
    "  created_at     TEXT NOT NULL,\n"
    "  updated_at     TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE assessment_members (\n"
    "  assessment_id INTEGER NOT NULL\n"
    "                REFERENCES assessments ON DELETE CASCADE,\n"
    "  user_id       INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,\n"
    "  PRIMARY KEY (assessment_id, user_id)\n"
    ") STRICT;\n"
    "CREATE INDEX assessment_members_user ON assessment_members (user_id);\n"
    "CREATE TABLE assessment_ratings (\n"
    "  assessment_id INTEGER NOT NULL\n"
    "                REFERENCES assessments ON DELETE CASCADE,\n"
    "  element       TEXT NOT NULL CHECK (length(element) = 2),\n"
    "  rating        INTEGER CHECK (rating BETWEEN 1 AND 4),\n"
    "  evidence      TEXT NOT NULL DEFAULT '',\n"
    "  updated_at    TEXT NOT NULL,\n"
    "  PRIMARY KEY (assessment_id, element)\n"
    ") STRICT;\n"
    "CREATE TABLE assessment_overall (\n"
    "  assessment_id INTEGER NOT NULL\n"
    "                REFERENCES assessments ON DELETE CASCADE,\n"
    "  core          INTEGER NOT NULL CHECK (core BETWEEN 1 AND 6),\n"
    "  rating        INTEGER CHECK (rating BETWEEN 1 AND 4),\n"
    "  updated_at    TEXT NOT NULL,\n"
    "  PRIMARY KEY (assessment_id, core)\n"
    ") STRICT;\n"
    "CREATE TABLE assessment_goals (\n"
    "  goal_id       INTEGER PRIMARY KEY,\n"
    "  assessment_id INTEGER NOT NULL\n"
    "                REFERENCES assessments ON DELETE CASCADE,\n"
    "  position      INTEGER NOT NULL CHECK (position >= 1),\n"
    "  element       TEXT,\n" /* the sub-element it addresses, if any */
    "  specific      TEXT NOT NULL,\n"
    "  measurable    TEXT NOT NULL,\n"
    "  attainable    TEXT NOT NULL,\n"
    "  relevant      TEXT NOT NULL,\n"
    "  time_bound    TEXT NOT NULL,\n"
    "  owner         TEXT NOT NULL,\n"
    "  due_date      TEXT,\n"
    "  UNIQUE (assessment_id, position)\n"
    ") STRICT;\n"
    "CREATE TABLE assessment_activities (\n"
    "  goal_id        INTEGER NOT NULL\n"
    "                 REFERENCES assessment_goals ON DELETE CASCADE,\n"
    "  position       INTEGER NOT NULL CHECK (position >= 1),\n"
    "  activity       TEXT NOT NULL CHECK (length(activity) > 0),\n"
    "  owner          TEXT NOT NULL,\n"
    "  due_date       TEXT,\n"
    "  success_metric TEXT NOT NULL,\n"
    "  lever          TEXT NOT NULL CHECK (lever IN ('policy', 'technology',\n"
    "                   'people', 'processes')),\n"
    "  PRIMARY KEY (goal_id, position)\n"
    ") STRICT;\n"
    "CREATE TABLE assessment_resources (\n"
    "  assessment_id INTEGER NOT NULL\n"
    "                REFERENCES assessments ON DELETE CASCADE,\n"
    "  kind          TEXT NOT NULL CHECK (kind IN ('funding', 'staffing',\n"
    "                  'partnerships', 'technology', 'other')),\n"
    "  available     TEXT NOT NULL,\n"
    "  PRIMARY KEY (assessment_id, kind)\n"
    ") STRICT;\n"
    "CREATE TABLE assessment_checks (\n"
    "  name        TEXT PRIMARY KEY,\n"
    "  checked_at  TEXT NOT NULL,\n"
    "  result_json TEXT NOT NULL\n"
    ") STRICT;\n";
/* ==== end of migration: assess =========================================== */

static const char *const migrations[] = {
    migration_1, migration_2, migration_3, /* migration: access */
    migration_4,                           /* migration: cube */
    migration_5,                           /* published cells */
    migration_6,                           /* migration: assess */
};

/* A migration for every version up to STORE_SCHEMA_VERSION, no more. */
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "one SQLite migration per schema version");

const store_schema store_sqlite_schema = {
    migrations,
    (int)(sizeof migrations / sizeof migrations[0]),
};
