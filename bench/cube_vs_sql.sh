#!/bin/sh
# bench/cube_vs_sql.sh — checks the cube against plain SQL.
#
#   sh bench/cube_vs_sql.sh DB
#
# Computes HS_GRAD4 by school, EMP_Q2 by school and EARN_Y1 by CIP family
# (n, p25, median, p75) with the sqlite3 shell from the staging tables,
# person_links and submissions of DB (bench/sql/indicators.sql, TEMP
# tables only: DB is not changed), and compares the result with the same
# cells of DB's cube_cells, profile default (bench/sql/compare.sql): the
# same keys, and exactly the same numbers. Run `p20w build DB` (with at
# least those three indicators, default profile) first.
#
# Prints the SQL's own time ("sql_seconds=S"), one line per indicator
# ("compared HS_GRAD4: N cube cells, N SQL cells, 0 differ"), the first
# 20 differing cells with both sides' values, and a verdict. Exit status:
# 0 the results agree, 1 they differ (or there was nothing to compare),
# 2 usage, 3 sqlite3 failed.
set -eu
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: sh bench/cube_vs_sql.sh DB" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$(sqlite3 -bail "$1" \
    "PRAGMA temp_store = MEMORY" \
    "CREATE TEMP TABLE sql_clock AS SELECT julianday('now') AS t0" \
    ".read $here/sql/indicators.sql" \
    "SELECT printf('sql_seconds=%.3f', (julianday('now') - t0) * 86400) FROM sql_clock" \
    ".read $here/sql/compare.sql") || {
    echo "cube_vs_sql: sqlite3 failed" >&2
    exit 3
}
printf '%s\n' "$out"
diffs=$(printf '%s\n' "$out" | sed -n 's/^differences=\([0-9]*\)$/\1/p')
# indicators the cube has no cell of: not built, or nothing to compare
empty=$(printf '%s\n' "$out" | sed -n 's/^compared \([A-Z0-9_]*\): 0 cube cells.*/\1/p' | tr '\n' ' ')
if [ "${diffs:-x}" = 0 ] && [ -z "$empty" ]; then
    echo "cube_vs_sql: the cube and plain SQL agree exactly"
    exit 0
fi
if [ -n "$empty" ]; then
    echo "cube_vs_sql: the cube has no cell of ${empty}by its cut: nothing compared (run p20w build DB first)" >&2
else
    echo "cube_vs_sql: the cube and plain SQL DISAGREE on ${diffs:-?} cells" >&2
fi
exit 1
