-- bench/sql/compare.sql — compares temp.sql_cells (bench/sql/indicators.sql,
-- run first in the same session) with the cells of the same indicators
-- and cuts in cube_cells (profile default): the same set of keys (year,
-- dimension value) and exactly the same n, numerator, denominator and
-- percentiles, compared as SQLite values (REAL equality, no tolerance).
--
-- Cells disclosure control added to the cube when it published it (the
-- "not reported" rest of a cut, value '~'; zero combinations) are marked
-- "added_by":"publish" in dims_json and are not the cube engine's: left
-- out.
--
-- Prints one line per indicator, "compared IND: N cube cells, M SQL
-- cells, D differ", then up to 20 differing cells, each with both sides'
-- values (%!.17g: every digit of a double), then "differences=D" with
-- the total. bench/cube_vs_sql.sh reads that last line.

CREATE TEMP TABLE cube_side AS
SELECT indicator, year, dims_key, n, numerator, denominator, p25, median, p75
FROM cube_cells
WHERE profile = 'default'
  AND dims_json NOT LIKE '%"added_by":"publish"%'
  AND ((indicator IN ('HS_GRAD4', 'EMP_Q2') AND dims = 'school')
       OR (indicator = 'EARN_Y1' AND dims = 'cip2'));

-- Keys of either side, with both sides' rows (NULL when absent).
CREATE TEMP TABLE cmp AS
WITH k AS (SELECT indicator, year, dims_key FROM cube_side
           UNION SELECT indicator, year, dims_key FROM sql_cells)
SELECT k.indicator, k.year, k.dims_key,
       c.rowid IS NOT NULL AS in_cube, s.rowid IS NOT NULL AS in_sql,
       c.n AS c_n, c.numerator AS c_num, c.denominator AS c_den,
       c.p25 AS c_p25, c.median AS c_med, c.p75 AS c_p75,
       s.n AS s_n, s.numerator AS s_num, s.denominator AS s_den,
       s.p25 AS s_p25, s.median AS s_med, s.p75 AS s_p75
FROM k
LEFT JOIN cube_side c ON c.indicator = k.indicator AND c.year = k.year
                     AND c.dims_key = k.dims_key
LEFT JOIN sql_cells s ON s.indicator = k.indicator AND s.year = k.year
                     AND s.dims_key = k.dims_key;

CREATE TEMP TABLE bad AS
SELECT * FROM cmp
WHERE NOT (in_cube AND in_sql AND c_n IS s_n AND c_num IS s_num
           AND c_den IS s_den AND c_p25 IS s_p25 AND c_med IS s_med
           AND c_p75 IS s_p75);

SELECT printf('compared %s: %d cube cells, %d SQL cells, %d differ',
              i.indicator,
              (SELECT count(*) FROM cmp WHERE indicator = i.indicator
                                          AND in_cube),
              (SELECT count(*) FROM cmp WHERE indicator = i.indicator
                                          AND in_sql),
              (SELECT count(*) FROM bad WHERE indicator = i.indicator))
FROM (SELECT 'HS_GRAD4' AS indicator UNION ALL SELECT 'EMP_Q2'
      UNION ALL SELECT 'EARN_Y1') i;

-- A value as text: every digit of a double; '-' for none.
WITH f AS (
  SELECT indicator, year, dims_key, in_cube, in_sql,
         printf('n=%s num=%s den=%s p25=%s median=%s p75=%s',
                COALESCE(c_n, '-'),
                CASE WHEN c_num IS NULL THEN '-' ELSE printf('%!.17g', c_num) END,
                CASE WHEN c_den IS NULL THEN '-' ELSE printf('%!.17g', c_den) END,
                CASE WHEN c_p25 IS NULL THEN '-' ELSE printf('%!.17g', c_p25) END,
                CASE WHEN c_med IS NULL THEN '-' ELSE printf('%!.17g', c_med) END,
                CASE WHEN c_p75 IS NULL THEN '-' ELSE printf('%!.17g', c_p75) END)
           AS cube_text,
         printf('n=%s num=%s den=%s p25=%s median=%s p75=%s',
                COALESCE(s_n, '-'),
                CASE WHEN s_num IS NULL THEN '-' ELSE printf('%!.17g', s_num) END,
                CASE WHEN s_den IS NULL THEN '-' ELSE printf('%!.17g', s_den) END,
                CASE WHEN s_p25 IS NULL THEN '-' ELSE printf('%!.17g', s_p25) END,
                CASE WHEN s_med IS NULL THEN '-' ELSE printf('%!.17g', s_med) END,
                CASE WHEN s_p75 IS NULL THEN '-' ELSE printf('%!.17g', s_p75) END)
           AS sql_text
  FROM bad)
SELECT printf('  %s %d %s: cube %s; SQL %s', indicator, year, dims_key,
              CASE WHEN in_cube THEN cube_text ELSE 'no cell' END,
              CASE WHEN in_sql THEN sql_text ELSE 'no cell' END)
FROM f
ORDER BY indicator, year, dims_key
LIMIT 20;

SELECT printf('differences=%d', (SELECT count(*) FROM bad));
