-- bench/sql/indicators.sql — HS_GRAD4 by school, EMP_Q2 by school and
-- EARN_Y1 by CIP family (cip2), in plain SQL (SQLite 3.25 or later, no
-- extension), from the staging tables, person_links and submissions of a
-- loaded and linked p20w database: the cells `p20w build` must produce.
--
-- Every rule is the one docs/derive-rules.md and docs/indicators.md state
-- and src/derive/rules.c and src/measure/ind_*.c implement, with the
-- default profile's numbers (employed in a quarter: at least $1.00 over
-- all employers; attached: at least $15,080 in the year and 3 employed
-- quarters). The rows are assumed well formed, as ingest validated them
-- (the loader skips a malformed code, date or year, which only a
-- hand-edited store has; the codes are checked here too, dates are not).
--
-- Only TEMP tables are written: the database itself is not changed. The
-- result is temp.sql_cells (indicator, year, dims_key, n, numerator,
-- denominator, p25, median, p75), in the form of cube_cells;
-- bench/sql/compare.sql compares it with cube_cells
-- (bench/cube_vs_sql.sh runs both). To read it:
--
--   sqlite3 state.db '.read bench/sql/indicators.sql' \
--       'SELECT * FROM sql_cells ORDER BY 1, 2, 3'
--
-- bench/cube_vs_sql.sh sets PRAGMA temp_store = MEMORY first (set after
-- the TEMP tables exist, it would drop them).

-- ---- the extent of the wage data -----------------------------------------
-- First and last quarter of every live wage row, linked or not (an
-- unlinked row still shows the state had wage data for that quarter).
-- Quarters 'YYYYQn' sort as text; q = 4 * year + quarter - 1.
CREATE TEMP TABLE wx AS
SELECT CAST(substr(min(w.quarter), 1, 4) AS INTEGER) * 4
         + CAST(substr(min(w.quarter), 6, 1) AS INTEGER) - 1 AS q_first,
       CAST(substr(max(w.quarter), 1, 4) AS INTEGER) * 4
         + CAST(substr(max(w.quarter), 6, 1) AS INTEGER) - 1 AS q_last
FROM stg_ui_wages w
JOIN submissions s ON s.submission_id = w.submission_id
WHERE s.status = 'accepted';

-- ---- reference order -------------------------------------------------------
-- The loader numbers schools and institutions in the order it reads them
-- (newest submission first, then by line; an id seen again is skipped).
-- Only ties need the number: two exit rows of a person on the same date
-- with the same type, or two awards of a year on the same date at the
-- same level, sort by it (the later decides). An id the reference tables
-- lack is -1 and sorts first.
CREATE TEMP TABLE sch AS
SELECT school_id, ROW_NUMBER() OVER (ORDER BY sub DESC, line) - 1 AS idx
FROM (SELECT t.school_id, t.submission_id AS sub, t.line,
             ROW_NUMBER() OVER (PARTITION BY t.school_id
                                ORDER BY t.submission_id DESC, t.line) AS rn
      FROM stg_k12_schools t
      JOIN submissions s ON s.submission_id = t.submission_id
      WHERE s.status = 'accepted')
WHERE rn = 1;
CREATE UNIQUE INDEX temp.sch_id ON sch (school_id);

CREATE TEMP TABLE ins AS
SELECT institution_id, ROW_NUMBER() OVER (ORDER BY sub DESC, line) - 1 AS idx
FROM (SELECT t.institution_id, t.submission_id AS sub, t.line,
             ROW_NUMBER() OVER (PARTITION BY t.institution_id
                                ORDER BY t.submission_id DESC, t.line) AS rn
      FROM stg_ps_institutions t
      JOIN submissions s ON s.submission_id = t.submission_id
      WHERE s.status = 'accepted')
WHERE rn = 1;
CREATE UNIQUE INDEX temp.ins_id ON ins (institution_id);

-- ---- K-12: enrolment rows and the deciding exit row -------------------------
-- The person of a K-12 record is its student_id's p20w_id; a student_id
-- person_links does not know (a file ingested after the last link) is a
-- person of its own ('k:' || student_id), with no wages.
CREATE TEMP TABLE en AS
SELECT COALESCE(l.p20w_id, 'k:' || t.student_id) AS pid,
       t.school_year AS sy,
       CASE t.grade_level WHEN 'PK' THEN -1 WHEN 'KG' THEN 0
                          WHEN 'UG' THEN 13
                          ELSE CAST(t.grade_level AS INTEGER) END AS g,
       COALESCE(sc.idx, -1) AS sidx,
       sc.school_id AS school
FROM stg_k12_students t
JOIN submissions s ON s.submission_id = t.submission_id
LEFT JOIN person_links l
  ON l.source = 'k12_students' AND l.record_key = t.student_id
LEFT JOIN sch sc ON sc.school_id = t.school_id
WHERE s.status = 'accepted'
  AND t.school_year BETWEEN 1900 AND 2199
  AND t.grade_level IN ('PK', 'KG', 'UG', '01', '02', '03', '04', '05',
                        '06', '07', '08', '09', '10', '11', '12');

-- The latest exit row decides: by date, then exit code in the order GRAD,
-- GRAD_ALT, HSE, DROPOUT, TRANSFER_OUT, DECEASED, then school number, then
-- cohort year (0 when none); the last one wins.
CREATE TEMP TABLE hx AS
SELECT pid, exit_date, tcode, sidx, school, cy
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pid
                                   ORDER BY exit_date DESC, tcode DESC,
                                            sidx DESC, cy DESC) AS rn
      FROM (SELECT COALESCE(l.p20w_id, 'k:' || x.student_id) AS pid,
                   x.exit_date,
                   CASE x.exit_type WHEN 'GRAD' THEN 1 WHEN 'GRAD_ALT' THEN 2
                                    WHEN 'HSE' THEN 3 WHEN 'DROPOUT' THEN 4
                                    WHEN 'TRANSFER_OUT' THEN 5
                                    WHEN 'DECEASED' THEN 6 END AS tcode,
                   COALESCE(sc.idx, -1) AS sidx,
                   sc.school_id AS school,
                   COALESCE(x.cohort_year, 0) AS cy
            FROM stg_k12_exits x
            JOIN submissions s ON s.submission_id = x.submission_id
            LEFT JOIN person_links l
              ON l.source = 'k12_students' AND l.record_key = x.student_id
            LEFT JOIN sch sc ON sc.school_id = x.school_id
            WHERE s.status = 'accepted'
              AND x.exit_type IN ('GRAD', 'GRAD_ALT', 'HSE', 'DROPOUT',
                                  'TRANSFER_OUT', 'DECEASED')
              AND (x.cohort_year IS NULL
                   OR x.cohort_year BETWEEN 1900 AND 2199)))
WHERE rn = 1;

-- ---- HS_GRAD4: the four-year cohort -------------------------------------------
-- Cohort year: the deciding exit row's, else the school year of the first
-- grade-9 row + 3; none without either (or outside 1900-2199). In the
-- cohort unless the deciding exit is TRANSFER_OUT or DECEASED; counted
-- once the K-12 data reaches the cohort year (latest school year of any
-- enrolment row). Graduated on time: GRAD or GRAD_ALT dated on or before
-- 31 August of the cohort year. Place: the exit row's school, when the
-- reference tables know it; else the last school: the row of the latest
-- school year, highest grade, highest school number (a row whose school
-- is unknown gives no school).
CREATE TEMP TABLE cohort AS
WITH g9 AS (SELECT pid, min(sy) + 3 AS cy FROM en WHERE g = 9 GROUP BY pid),
     last AS (SELECT pid, school
              FROM (SELECT pid, school,
                           ROW_NUMBER() OVER (PARTITION BY pid
                                              ORDER BY sy DESC, g DESC,
                                                       sidx DESC) AS rn
                    FROM en)
              WHERE rn = 1),
     persons AS (SELECT pid FROM en UNION SELECT pid FROM hx),
     c AS (SELECT p.pid,
                  CASE WHEN hx.cy > 0 THEN hx.cy ELSE g9.cy END AS cy,
                  hx.tcode, hx.exit_date,
                  CASE WHEN hx.sidx >= 0 THEN hx.school
                       ELSE last.school END AS school
           FROM persons p
           LEFT JOIN hx ON hx.pid = p.pid
           LEFT JOIN g9 ON g9.pid = p.pid
           LEFT JOIN last ON last.pid = p.pid)
SELECT pid, cy, school,
       tcode IN (1, 2) AND exit_date <= printf('%04d-08-31', cy) AS on_time
FROM c
WHERE cy BETWEEN 1900 AND 2199
  AND COALESCE(tcode, 0) NOT IN (5, 6)
  AND cy <= (SELECT max(sy) FROM en);

-- ---- exit events that carry a school or a CIP -------------------------------------
-- HS exits (EMP_Q2): a deciding exit GRAD or GRAD_ALT (graduate) or
-- DROPOUT (non-completer), in the calendar year of its date, at the exit
-- school; only those whose school the reference tables know have a school
-- cell. HSE and transfers make no EMP_Q2 exit; postsecondary and
-- apprenticeship exits have no school.
CREATE TEMP TABLE hs_exit AS
SELECT pid, school,
       CAST(substr(exit_date, 1, 4) AS INTEGER) AS year,
       CAST(substr(exit_date, 1, 4) AS INTEGER) * 4
         + (CAST(substr(exit_date, 6, 2) AS INTEGER) - 1) / 3 AS exit_q
FROM hx
WHERE tcode IN (1, 2, 4) AND sidx >= 0;

-- PS completers (EARN_Y1): one exit per person and calendar year of award
-- dates, at that year's highest level; of several awards at that level the
-- last by date, then institution number, then CIP. An award's person is
-- its institution_id/ps_student_id's p20w_id (an unlinked key has no
-- wages, so is never attached and can be left out). Its CIP family is the
-- cell; a CIP that does not parse, or 00.0000, gives none.
CREATE TEMP TABLE ps_exit AS
SELECT pid, year, exit_q, cip / 10000 AS cip2
FROM (SELECT pid, year, cip,
             year * 4 + (CAST(substr(d, 6, 2) AS INTEGER) - 1) / 3 AS exit_q,
             ROW_NUMBER() OVER (PARTITION BY pid, year
                                ORDER BY lv DESC, d DESC, iidx DESC,
                                         cip DESC) AS rn
      FROM (SELECT l.p20w_id AS pid, a.award_date AS d,
                   CAST(substr(a.award_date, 1, 4) AS INTEGER) AS year,
                   CASE a.award_level WHEN 'NONDEG' THEN 1 WHEN 'CERT' THEN 2
                                      WHEN 'ASSOC' THEN 3 WHEN 'BACH' THEN 4
                                      WHEN 'GRAD' THEN 5 END AS lv,
                   COALESCE(i.idx, -1) AS iidx,
                   CASE WHEN a.cip_code GLOB '[0-9][0-9].[0-9][0-9][0-9][0-9]'
                        THEN CAST(replace(a.cip_code, '.', '') AS INTEGER)
                        ELSE -1 END AS cip
            FROM stg_ps_completions a
            JOIN submissions s ON s.submission_id = a.submission_id
            JOIN person_links l
              ON l.source = 'ps_enrollments'
             AND l.record_key = a.institution_id || '/' || a.ps_student_id
            LEFT JOIN ins i ON i.institution_id = a.institution_id
            WHERE s.status = 'accepted'
              AND a.award_level IN ('NONDEG', 'CERT', 'ASSOC', 'BACH',
                                    'GRAD')))
WHERE rn = 1 AND cip > 0;

-- ---- wages of the quarters the events need -------------------------------------------
-- EMP_Q2 needs quarter exit_q + 2, EARN_Y1 the year exit_q + 1 .. + 4,
-- each wholly inside the wage data or the exit is left out.
CREATE TEMP TABLE need AS
SELECT pid, exit_q + 2 AS q FROM hs_exit, wx
WHERE typeof(pid) = 'integer' AND exit_q + 2 BETWEEN q_first AND q_last
UNION
SELECT pid, exit_q + k AS q
FROM ps_exit, wx, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3
                   UNION ALL SELECT 4)
WHERE exit_q + 1 >= q_first AND exit_q + 4 <= q_last;
CREATE UNIQUE INDEX temp.need_pq ON need (pid, q);

-- A wage row is its person's through person_links (source 'ui_wages', the
-- row's own record key); a row no link names counts for nobody. Wages of
-- a quarter are summed over every employer.
CREATE TEMP TABLE pq AS
SELECT l.p20w_id AS pid,
       CAST(substr(w.quarter, 1, 4) AS INTEGER) * 4
         + CAST(substr(w.quarter, 6, 1) AS INTEGER) - 1 AS q,
       sum(w.wages_cents) AS cents
FROM person_links l
JOIN stg_ui_wages w ON w.record_key = l.record_key
JOIN submissions s ON s.submission_id = w.submission_id
WHERE l.source = 'ui_wages' AND s.status = 'accepted'
  AND l.p20w_id IN (SELECT pid FROM need)
GROUP BY 1, 2;
CREATE UNIQUE INDEX temp.pq_pq ON pq (pid, q);

-- ---- the cells ------------------------------------------------------------------------------
CREATE TEMP TABLE sql_cells (
  indicator TEXT, year INTEGER, dims_key TEXT, n INTEGER,
  numerator REAL, denominator REAL, p25 REAL, median REAL, p75 REAL);

-- HS_GRAD4 by school and cohort year.
INSERT INTO sql_cells (indicator, year, dims_key, n, numerator, denominator)
SELECT 'HS_GRAD4', cy, 'school=' || school, count(*), sum(on_time), count(*)
FROM cohort
WHERE school IS NOT NULL
GROUP BY cy, school;

-- EMP_Q2 by school and exit year: employed in exit_q + 2 = wages over
-- every employer > 0 and >= 100 cents ($1.00).
INSERT INTO sql_cells (indicator, year, dims_key, n, numerator, denominator)
SELECT 'EMP_Q2', e.year, 'school=' || e.school, count(*),
       sum(COALESCE(pq.cents, 0) > 0 AND COALESCE(pq.cents, 0) >= 100),
       count(*)
FROM hs_exit e
CROSS JOIN wx
LEFT JOIN pq ON pq.pid = e.pid AND pq.q = e.exit_q + 2
WHERE e.exit_q + 2 BETWEEN wx.q_first AND wx.q_last
GROUP BY e.year, e.school;

-- EARN_Y1 by CIP family and award year: attached completers (year-1
-- wages > 0 and >= $15,080, and at least 3 quarters of >= $1.00), their
-- year-1 wages in dollars; n, p25 = x at rank ceil(n/4), median (the
-- mean of the two middle values when n is even), p75 = x at rank
-- ceil(3n/4): docs/methodology-indicators.md, "The same in SQL".
INSERT INTO sql_cells (indicator, year, dims_key, n, p25, median, p75)
WITH units AS (
  SELECT e.year, e.cip2, sum(pq.cents) AS annual,
         sum(pq.cents > 0 AND pq.cents >= 100) AS employed_q
  FROM ps_exit e
  CROSS JOIN wx
  JOIN pq ON pq.pid = e.pid AND pq.q BETWEEN e.exit_q + 1 AND e.exit_q + 4
  WHERE e.exit_q + 1 >= wx.q_first AND e.exit_q + 4 <= wx.q_last
  GROUP BY e.pid, e.year),
attached AS (
  SELECT year, cip2, annual / 100.0 AS value FROM units
  WHERE annual > 0 AND annual >= 1508000 AND employed_q >= 3),
ranked AS (
  SELECT year, cip2, value,
         ROW_NUMBER() OVER (PARTITION BY year, cip2 ORDER BY value) AS rn,
         count(*) OVER (PARTITION BY year, cip2) AS n
  FROM attached)
SELECT 'EARN_Y1', year, printf('cip2=%02d', cip2), n,
       max(CASE WHEN rn = (n + 3) / 4 THEN value END),
       (min(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN value END) +
        max(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN value END)) / 2.0,
       max(CASE WHEN rn = (3 * n + 3) / 4 THEN value END)
FROM ranked
GROUP BY year, cip2;
