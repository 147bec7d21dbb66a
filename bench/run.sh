#!/bin/sh
# bench/run.sh — the `make bench` driver.
#
# A sequence of sections; each prints its own figures and, where there is a
# natural baseline, the baseline measured in the same run and the ratio, so
# numbers from different machines can be compared. To add a benchmark: write
# bench/bench_NAME.c (make builds it as build/rel/bench/bench_NAME), add a
# section function below and call it at the end.
#
# Environment:
#   BENCH_CSV_MB   size of the generated CSV in MB (default 1000, i.e. 1 GB)
#   BENCH_KEEP     1 (default) keeps generated inputs in build/bench/ for the
#                  next run; 0 deletes them when the run ends
#   BENCH_LEARNERS learners of the synthetic state the pipeline benches use
#                  (default 1000000)
#   BENCH_ONLY     the sections to run, e.g. "ingest link" (default: all of
#                  csv synth ingest disclose cube link derive build publish
#                  serve,
#                  in that order)
#   BENCH_DERIVE_DB the linked database bench_derive reads (default: the one
#                  bench_ingest and bench_link made)
#   BENCH_BUILD_DB the linked database bench_build builds the cube of and
#                  checks against plain SQL, and bench_publish publishes and
#                  audits (default: the same; its schema is upgraded and the
#                  cube and publication tables replaced)
#   BENCH_PUBLISH_UNSAFE 1: bench_publish also publishes with primary rules
#                  only and shows the audit failing, then publishes again
#   BENCH_SERVE_LEARNERS learners of the state `p20w serve` serves in the
#                  serve section (default 20000, as make demo; its database
#                  is kept in build/bench/ for the next run)
#   BENCH_SERVE_SECONDS  wrk's duration per URL (default 30)
#   BENCH_SERVE_PAGE, BENCH_SERVE_API  the dashboard page and API URL the
#                  serve section loads (paths; defaults below)
set -eu
cd "$(dirname "$0")/.." || exit 3

BIN=build/rel/bench
DIR=build/bench
KEEP=${BENCH_KEEP:-1}
mkdir -p "$DIR"

now() { date +%s.%N; }
# ratio A B: A/B with 2 decimals; mbs BYTES SECONDS: MB/s (10^6 bytes).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mbs() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s / 1e6 : 0) }'; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
section() { printf '\n== %s ==\n' "$*"; }
cleanup() { [ "$KEEP" = 1 ] || rm -f "$DIR"/csv_*.csv; }
trap cleanup EXIT

# --- CSV reader against wc -l --------------------------------------------
# Generates an extract-like file once (cached as build/bench/csv_MB.csv),
# warms the page cache, then times `wc -l` and the reader on the same file.
bench_csv() {
    mb=${BENCH_CSV_MB:-1000}
    f=$DIR/csv_$mb.csv
    section "csv reader: $mb MB extract-like file"
    if [ ! -s "$f" ]; then
        echo "generating $f"
        t0=$(now)
        "$BIN"/bench_csv gen "$f.tmp" "$mb"
        mv "$f.tmp" "$f"
        echo "generated in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
    fi
    cat "$f" >/dev/null # page cache: both timings read from memory
    t0=$(now)
    lines=$(wc -l <"$f")
    t1=$(now)
    wc_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    out=$("$BIN"/bench_csv read "$f")
    bytes=$(echo "$out" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
    rows=$(echo "$out" | sed -n 's/.*rows=\([0-9]*\).*/\1/p')
    csv_s=$(echo "$out" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
    csv_mbs=$(mbs "$bytes" "$csv_s")
    wc_mbs=$(mbs "$bytes" "$wc_s")
    echo "file: $bytes bytes, $lines lines, $rows records (header included)"
    echo "csv reader: $csv_mbs MB/s, $(per_s "$rows" "$csv_s") rows/s ($csv_s s)"
    echo "wc -l: $wc_mbs MB/s ($wc_s s)"
    echo "csv reader: $csv_mbs MB/s; wc -l: $wc_mbs MB/s; ratio $(ratio "$csv_mbs" "$wc_mbs")"
}

# --- synthetic state generator -------------------------------------------
# Times `p20w synth` for 100k and 1M learners (BENCH_SYNTH_SMALL/LARGE) and
# reads the child's peak RSS from /usr/bin/time -v; generation streams rows,
# so RSS(1M)/RSS(100k) must stay <= 2 (only the employer pool grows, N/10).
# The output (about 4.5 GB for 1M) is deleted after each run.
synth_run() {
    n=$1
    out=$DIR/synth_$n
    rm -rf "$out"
    t0=$(now)
    /usr/bin/time -v ./p20w synth --out "$out" --learners "$n" --seed 1 \
        2> "$DIR/synth_$n.log"
    t1=$(now)
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    rows=$(sed -n 's/^synth: .*, \([0-9]*\) rows .*/\1/p' "$DIR/synth_$n.log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$DIR/synth_$n.log")
    bytes=$(du -sb "$out" | cut -f1)
    rm -rf "$out"
    echo "synth $n learners: $rows rows in $s s, $(per_s "$rows" "$s") rows/s, $(mbs "$bytes" "$s") MB/s written, peak RSS $rss kB"
    synth_rss=$rss
}

bench_synth() {
    small=${BENCH_SYNTH_SMALL:-100000}
    large=${BENCH_SYNTH_LARGE:-1000000}
    section "synth: $small and $large learners"
    synth_run "$small"
    rss_small=$synth_rss
    synth_run "$large"
    rss_large=$synth_rss
    r=$(ratio "$rss_large" "$rss_small")
    echo "peak RSS ratio RSS($large)/RSS($small): $r (must be <= 2)"
    awk -v r="$r" 'BEGIN { exit !(r <= 2) }' || { echo "synth: memory grows with N" >&2; exit 1; }
}

# --- ingest against sqlite3 .import -----------------------------------------
# Loads every extract of the synthetic state (cached in build/bench/) into a
# fresh database, then imports the same ui_wages.csv into a bare table with
# the sqlite3 shell: no validation, no vault, no index. The ratio is ingest's
# wage rows/s over .import's.
state_dir() {
    n=${BENCH_LEARNERS:-1000000}
    d=$DIR/state_$n
    if [ ! -s "$d/ui_wages.csv" ]; then
        echo "generating the $n-learner synthetic state in $d" >&2
        ./p20w synth --out "$d" --learners "$n" --seed 1 >&2
    fi
    echo "$d"
}

bench_ingest() {
    d=$(state_dir)
    db=$DIR/ingest.db
    section "ingest: $(basename "$d") into SQLite"
    rm -f "$db" "$db-wal" "$db-shm"
    ./p20w init "$db" >/dev/null
    t0=$(now)
    ./p20w ingest "$db" --dir "$d" --format json >"$DIR/ingest.json"
    t1=$(now)
    total_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    bytes=$(cat "$d"/*.csv | wc -c)
    rows=$(grep -o '"rows_read": [0-9]*' "$DIR/ingest.json" | awk '{ s += $2 } END { print s }')
    rejected=$(grep -o '"rows_rejected": [0-9]*' "$DIR/ingest.json" | awk '{ s += $2 } END { print s }')
    echo "all 14 extracts: $rows rows, $bytes bytes in $total_s s: $(per_s "$rows" "$total_s") rows/s, $(mbs "$bytes" "$total_s") MB/s; $rejected rows rejected"
    # the wage file alone: its own report says how long it took
    w_s=$(awk '/"source": "ui_wages"/ { f = 1 } f && /"elapsed_s"/ { gsub(/[^0-9.]/, "", $2); print $2; exit }' "$DIR/ingest.json")
    w_rows=$(($(wc -l <"$d/ui_wages.csv") - 1))
    w_bytes=$(wc -c <"$d/ui_wages.csv")
    rm -f "$DIR/bare.db"
    t0=$(now)
    sqlite3 "$DIR/bare.db" -cmd '.mode csv' ".import $d/ui_wages.csv w"
    t1=$(now)
    imp_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    rm -f "$DIR/bare.db"
    in_rps=$(per_s "$w_rows" "$w_s")
    imp_rps=$(per_s "$w_rows" "$imp_s")
    echo "ui_wages.csv ($w_rows rows): p20w ingest $in_rps rows/s, $(mbs "$w_bytes" "$w_s") MB/s ($w_s s)"
    echo "ui_wages.csv: sqlite3 .import into a bare table $imp_rps rows/s, $(mbs "$w_bytes" "$imp_s") MB/s ($imp_s s)"
    echo "ingest: $in_rps rows/s; sqlite3 .import: $imp_rps rows/s; ratio $(ratio "$in_rps" "$imp_rps")"
}

# --- disclosure control: complementary suppression + LP audit ------------
# A random 3-D count table (50 x 20 x 10, margins included: 11,781 cells,
# a quarter of them small), a 2-D rate table (40 x 25) and a 3-D rate
# table (20 x 10 x 5; numerators and counts protected together). Baseline: the
# LP audit of the final publication alone, measured in the same run; the
# ratio says how many audits' worth of work choosing the complements
# costs. The primary rules alone are printed too.
bench_disclose() {
    dims=${BENCH_DISCLOSE_DIMS:-50 20 10}
    section "disclosure control: $dims count table, two rate tables"
    # shellcheck disable=SC2086
    out=$("$BIN"/bench_disclose $dims 1)
    report_disclose "count table $dims" "$out"
    out=$("$BIN"/bench_disclose 40 25 1 1 rate)
    report_disclose "rate table 40 x 25" "$out"
    out=$("$BIN"/bench_disclose 20 10 5 1 rate)
    report_disclose "rate table 20 x 10 x 5" "$out"
}

report_disclose() {
    v() { echo "$2" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
    sup=$(v suppression_s "$2")
    aud=$(v audit_s "$2")
    prim=$(v primary_s "$2")
    both=$(awk -v a="$sup" -v b="$aud" 'BEGIN { printf "%.3f", a + b }')
    echo "$1: $(v cells "$2") cells, S=$(v S "$2") C=$(v C "$2") B=$(v B "$2"), audit failures $(v failures "$2")"
    echo "$1: primary rules $prim s; suppression $sup s + audit $aud s = $both s"
    echo "$1: suppression + audit $both s; audit alone $aud s; ratio $(ratio "$both" "$aud")"
}

# --- linkage of the ingested state ----------------------------------------------
# Links the database bench_ingest loaded (run it first), against the
# synthetic truth, and prints candidate pairs, comparisons/s, time per step
# and peak RSS. The baseline is one scan of the identity vault with the
# sqlite3 shell: the least any linkage must do.
bench_link() {
    d=$(state_dir)
    db=$DIR/ingest.db
    section "link: $(basename "$d")"
    if [ ! -s "$db" ]; then
        echo "no ingested database: run bench_ingest first"
        return
    fi
    ./p20w init "$db" >/dev/null # a database from an older p20w is upgraded
    t0=$(now)
    sqlite3 "$db" "SELECT count(*), sum(length(first_name) + length(last_name)), count(DISTINCT ssn) FROM identity_vault" >/dev/null
    t1=$(now)
    scan_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    /usr/bin/time -v ./p20w link "$db" --truth "$d/truth" --format json \
        >"$DIR/link.json" 2>"$DIR/link.time"
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$DIR/link.time")
    cand=$(grep -o '"candidates": [0-9]*' "$DIR/link.json" | awk '{ s += $2 } END { print s }')
    cmp_s=$(grep -o '"compare_seconds": [0-9.e-]*' "$DIR/link.json" | awk '{ s += $2 } END { print s }')
    blk_s=$(grep -o '"block_seconds": [0-9.e-]*' "$DIR/link.json" | awk '{ s += $2 } END { print s }')
    step() { awk -v k="\"$1\":" '$1 == k { gsub(/[^0-9.]/, "", $2); print $2 }' "$DIR/link.json" | tail -1; }
    total=$(step total)
    echo "candidate pairs: $cand; comparisons: $(per_s "$cand" "$cmp_s") pairs/s ($cmp_s s on 2 threads); blocking $blk_s s"
    echo "steps: load $(step load) s, cluster $(step cluster) s, write $(step write) s, total $total s; peak RSS $rss kB"
    grep -A7 '"pair": "k12_students-ps_enrollments"\|"pair": "k12_students-ui_wages (rows), bridged"' "$DIR/link.json" | grep -E '"pair"|"f1"' | paste - - | sed 's/[",]//g; s/  */ /g'
    echo "link: $total s; vault scan (sqlite3): $scan_s s; ratio $(ratio "$total" "$scan_s")"
}

# --- cube engine --------------------------------------------------------
# One exiter-like indicator (21 single dims, 2 intersections, 10 years) of
# BENCH_CUBE_UNITS random units (default 1000000) through the engine, as a
# rate and as percentiles: aggregation speed and memory, engine alone.
bench_cube() {
    n=${BENCH_CUBE_UNITS:-1000000}
    section "cube engine: $n units; total, 21 single dims, 2 intersections; 10 years"
    for stat in rate pct; do
        out=$("$BIN"/bench_cube "$n" $stat 7)
        get() { echo "$out" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
        echo "$stat: $(get cells) cells; aggregation $(get emit_s) s ($(get units_per_s) units/s), statistics $(get finish_s) s; peak RSS $(get peak_rss_kb) kB"
    done
}

# --- derive: timelines from the linked database ------------------------------
# Loads the timelines (derive_load) and derives the designations
# (derive_rules) from the database bench_link linked (or BENCH_DERIVE_DB),
# with the peak RSS, twice: with the store's page cache and with an 8 MiB
# one (derive's own memory). Baseline: the sqlite3 shell reading every row
# and column the loader reads, once — the least any loader must do.
bench_derive() {
    db=${BENCH_DERIVE_DB:-$DIR/ingest.db}
    section "derive: timelines of $db"
    if [ ! -s "$db" ]; then
        echo "no linked database: run bench_ingest and bench_link first"
        return
    fi
    t0=$(now)
    sqlite3 "$db" "SELECT count(*), sum(length(source) + length(record_key) + p20w_id) FROM person_links;
        SELECT count(*), sum(length(t.employer_id) + length(t.quarter) + t.wages_cents) FROM stg_ui_wages t CROSS JOIN submissions s WHERE s.submission_id = t.submission_id AND s.status = 'accepted';
        SELECT count(*), sum(length(t.student_id) + t.school_year + length(t.school_id) + length(t.grade_level)) FROM stg_k12_students t CROSS JOIN submissions s WHERE s.submission_id = t.submission_id AND s.status = 'accepted';
        SELECT count(*), sum(length(t.record_key) + length(t.term) + length(t.cip_code) + t.credits_earned) FROM stg_ps_enrollments t CROSS JOIN submissions s WHERE s.submission_id = t.submission_id AND s.status = 'accepted';
        SELECT count(*), sum(length(t.student_id) + length(t.subject)) FROM stg_k12_assessments t CROSS JOIN submissions s WHERE s.submission_id = t.submission_id AND s.status = 'accepted';
        SELECT count(*), sum(length(v.record_key) + length(substr(v.birth_date, 1, 7))) FROM submissions s CROSS JOIN identity_vault v WHERE v.submission_id = s.submission_id AND s.status = 'accepted' AND s.source <> 'ui_wages'" >/dev/null
    t1=$(now)
    scan_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    /usr/bin/time -v "$BIN"/bench_derive "$db" >"$DIR/derive.out" 2>"$DIR/derive.time"
    out=$(cat "$DIR/derive.out")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$DIR/derive.time")
    BENCH_SMALL_CACHE=1 /usr/bin/time -v "$BIN"/bench_derive "$db" >/dev/null 2>"$DIR/derive.time"
    own=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$DIR/derive.time")
    v() { echo "$out" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
    echo "persons $(v persons), K-12 rows $(v enrols), terms $(v terms), wage rows $(v wages), exit events $(v exits)"
    echo "derive_load $(v load_s) s, derive_rules $(v rules_s) s; peak RSS $rss kB ($own kB with an 8 MiB page cache)"
    echo "derive_load: $(v load_s) s; sqlite3 scan of the same rows: $scan_s s; ratio $(ratio "$(v load_s)" "$scan_s")"
}

# --- build: the cube, against plain SQL; publication and its audit ----------
# On the database bench_link linked (or BENCH_BUILD_DB; `p20w init` upgrades
# its schema first; the build adds only cube and publication tables, so the
# other sections can run on it after). The page cache is warmed first when
# the database fits in half the available memory, so both sides read from
# memory.
#   1. `p20w build --indicator HS_GRAD4,EMP_Q2,EARN_Y1 --no-publish`: every
#      cell of the three indicators (state, every dimension, intersections);
#   2. the whole build, `p20w build DB --no-publish` under /usr/bin/time
#      -v: time per stage, peak RSS (publication: bench_publish);
#   3. bench/cube_vs_sql.sh: the same three indicators in plain SQL with the
#      sqlite3 shell, by school (HS_GRAD4, EMP_Q2) and by CIP family
#      (EARN_Y1 percentiles), compared exactly with the cube of step 2 — the
#      bench fails if they differ. The ratio is build 1 over the SQL's time;
#      the SQL computes only those cuts (fewer cells), the build every cut.
bench_build() {
    db=${BENCH_BUILD_DB:-$DIR/ingest.db}
    section "build: the cube of $db"
    if [ ! -s "$db" ]; then
        echo "no linked database: run bench_ingest and bench_link first"
        return
    fi
    ./p20w init "$db" >/dev/null
    size_kb=$(($(wc -c <"$db") / 1024))
    avail_kb=$(sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo)
    if [ "$size_kb" -lt "$((${avail_kb:-0} / 2))" ]; then
        cat "$db" >/dev/null
        echo "page cache warmed ($((size_kb / 1024)) MiB)"
    else
        echo "database ($((size_kb / 1024)) MiB) larger than half the available memory: page cache not warmed"
    fi
    t0=$(now)
    ./p20w build "$db" --indicator HS_GRAD4,EMP_Q2,EARN_Y1 --no-publish \
        >"$DIR/build3.out"
    t1=$(now)
    b3_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    b3_cells=$(sed -n 's/^build [0-9]*: \([0-9]*\) cells.*/\1/p' "$DIR/build3.out")
    sed -n 's/^  \(load\|rules\|indicator\|write\)/  3 indicators: \1/p' "$DIR/build3.out"
    echo "build of HS_GRAD4, EMP_Q2, EARN_Y1: $b3_cells cells, $b3_s s"

    t0=$(now)
    /usr/bin/time -v ./p20w build "$db" --no-publish >"$DIR/build.out" \
        2>"$DIR/build.time"
    t1=$(now)
    full_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$DIR/build.time")
    grep '^  ' "$DIR/build.out"
    grep '^build [0-9]*:' "$DIR/build.out"
    echo "whole build: $full_s s (no publication), peak RSS $rss kB"

    if ! sh bench/cube_vs_sql.sh "$db" >"$DIR/cube_vs_sql.out" 2>&1; then
        cat "$DIR/cube_vs_sql.out"
        echo "build: the cube and plain SQL disagree" >&2
        exit 1
    fi
    grep '^compared ' "$DIR/cube_vs_sql.out"
    sql_s=$(sed -n 's/^sql_seconds=\([0-9.]*\)$/\1/p' "$DIR/cube_vs_sql.out")
    sql_cells=$(sed -n 's/^compared [A-Z0-9_]*: [0-9]* cube cells, \([0-9]*\) SQL cells.*/\1/p' "$DIR/cube_vs_sql.out" | awk '{ s += $1 } END { print s }')
    echo "plain SQL (sqlite3 shell): $sql_cells cells (by school and CIP family only) in $sql_s s; identical to the cube's"
    b3_load=$(sed -n 's/^  load  *\([0-9.]*\) s.*/\1/p' "$DIR/build3.out")
    b3_write=$(sed -n 's/^  write  *\([0-9.]*\) s.*/\1/p' "$DIR/build3.out")
    echo "build (3 indicators, $b3_cells cells; load $b3_load s, write $b3_write s incl. deleting the previous cube) $b3_s s vs plain SQL ($sql_cells cells) $sql_s s, ratio $(ratio "$b3_s" "$sql_s"); whole build $full_s s"
}

# --- publication: disclosure control of the whole cube, and its audit ------
# On the cube bench_build built (BENCH_BUILD_DB; built with --no-publish
# first when it has none):
#   1. `p20w build DB --publish-only` under /usr/bin/time -v: every table
#      of every indicator and year protected (primary rules, complementary
#      suppression, the joint audit of each year's tables, 3-year pooling
#      and its audit with every year); time, peak RSS, the statuses;
#   2. `p20w disclose audit DB`: the attacker's LP over every published
#      table, pooled cells included; time and failures (must be 0);
#   3. with BENCH_PUBLISH_UNSAFE=1, the same with primary rules only: the
#      audit must fail; then published again.
# Baselines measured in the same run: the cube's build time (publication
# over build) and a plain SQL scan of the published cells joined to their
# cube cells (audit over scan).
bench_publish() {
    db=${BENCH_BUILD_DB:-$DIR/ingest.db}
    section "publish: disclosure control of the cube of $db, and its audit"
    if [ ! -s "$db" ]; then
        echo "no linked database: run bench_ingest and bench_link first"
        return
    fi
    ./p20w init "$db" >/dev/null
    if [ "$(sqlite3 "$db" "SELECT count(*) FROM cube_builds WHERE profile = 'default' AND status = 'complete'")" = 0 ]; then
        ./p20w build "$db" --no-publish >"$DIR/build.out"
    fi
    build_s=$(sqlite3 "$db" "SELECT printf('%.2f', (julianday(finished_at) - julianday(started_at)) * 86400) FROM cube_builds WHERE profile = 'default' AND status = 'complete'")
    /usr/bin/time -v ./p20w build "$db" --publish-only >"$DIR/publish.out" \
        2>"$DIR/publish.time"
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$DIR/publish.time")
    pub=$(grep '^published ' "$DIR/publish.out" || echo "publication: no line")
    pub_s=$(echo "$pub" | sed -n 's/.* tables, \([0-9.]*\) s:.*/\1/p')
    echo "$pub; peak RSS $rss kB"
    grep '^withheld' "$DIR/publish.out" || true
    t0=$(now)
    sqlite3 "$db" "SELECT count(*), sum(p.status = 'S'), sum(coalesce(p.shown_n, 0) + coalesce(p.shown_numerator, 0)), sum(c.n) FROM published_cells p JOIN cube_cells c USING (cell_id) WHERE c.profile = 'default'" >/dev/null
    t1=$(now)
    scan_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    t0=$(now)
    arc=0
    /usr/bin/time -v ./p20w disclose audit "$db" >"$DIR/audit.out" \
        2>"$DIR/audit.time" || arc=$?
    t1=$(now)
    aud_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    arss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$DIR/audit.time")
    aud=$(grep '^audited ' "$DIR/audit.out" || echo "audit: exit status $arc")
    echo "$aud ($aud_s s, peak RSS $arss kB)"
    [ "$arc" = 0 ] || echo "publish: THE AUDIT FAILED (exit status $arc): see $DIR/audit.out"
    echo "publication: suppression ${pub_s:-?} s + audit $aud_s s = $(awk -v a="${pub_s:-0}" -v b="$aud_s" 'BEGIN { printf "%.2f", a + b }') s"
    echo "publication ${pub_s:-?} s vs the cube's build ${build_s:-?} s: ratio $(ratio "${pub_s:-0}" "${build_s:-0}")"
    echo "audit $aud_s s vs a SQL scan of the published cells $scan_s s: ratio $(ratio "$aud_s" "$scan_s")"
    if [ "${BENCH_PUBLISH_UNSAFE:-0}" = 1 ]; then
        ./p20w build "$db" --publish-only --no-complementary >"$DIR/publish_unsafe.out"
        grep '^published ' "$DIR/publish_unsafe.out"
        urc=0
        ./p20w disclose audit "$db" >"$DIR/audit_unsafe.out" 2>&1 || urc=$?
        echo "primary rules only: $(tail -1 "$DIR/audit_unsafe.out") (exit status $urc: must be 1)"
        ./p20w build "$db" --publish-only >/dev/null
    fi
}

# --- serve: wrk against the API and a dashboard page ------------------------
# `p20w serve` (release build) on loopback serves a synthetic state of
# BENCH_SERVE_LEARNERS learners; wrk (1 thread, 16 connections: the
# machine has 2 cores for both) loads, for BENCH_SERVE_SECONDS each:
#   1. the baseline: /static/p20w.css, a static file the server holds in
#      memory: HTTP, routing and security headers and nothing else;
#   2. an API endpoint (cube cells as JSON);
#   3. a dashboard page (filters, SVG chart, table, translated text).
# Prints requests/s, p50/p99 latency and errors (non-2xx answers and socket
# errors; 0 expected: the section fails otherwise), and each URL's req/s
# over the baseline's.
BENCH_SERVE_API=${BENCH_SERVE_API:-/api/v1/cells?indicator=EMP_Q2&by=race}
BENCH_SERVE_PAGE=${BENCH_SERVE_PAGE:-/graduates?group=race}

serve_db() {
    n=${BENCH_SERVE_LEARNERS:-20000}
    db=$DIR/serve_$n.db
    if [ ! -s "$db" ] || ! sqlite3 "$db" "SELECT 1 FROM cube_builds WHERE status = 'complete'" 2>/dev/null | grep -q 1; then
        echo "building the $n-learner state served in $db" >&2
        rm -rf "$DIR/serve_state_$n" "$db" "$db-wal" "$db-shm"
        ./p20w synth --out "$DIR/serve_state_$n" --learners "$n" --seed 1 >/dev/null 2>&1
        ./p20w init "$db" >/dev/null
        ./p20w ingest "$db" --dir "$DIR/serve_state_$n" >/dev/null 2>&1
        ./p20w link "$db" >/dev/null 2>&1
        ./p20w build "$db" >/dev/null 2>&1
        rm -rf "$DIR/serve_state_$n"
    fi
    ./p20w init "$db" >/dev/null # a database from an older p20w is upgraded
    echo "$db"
}

# wrk_run NAME URL: loads URL and prints one line; sets wrk_rps.
wrk_run() {
    secs=${BENCH_SERVE_SECONDS:-30}
    out=$(wrk -t1 -c16 -d"${secs}s" --latency "$2")
    wrk_rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
    p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
    p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
    total=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in .*/\1/p')
    non2xx=$(echo "$out" | sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
    sock=$(echo "$out" | sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' | awk '{ print $1 + $2 + $3 + $4 }')
    errors=$((${non2xx:-0} + ${sock:-0}))
    printf '%s: %s req/s, p50 %s, p99 %s, %s requests in %s s, %s errors\n' "$1" "$(printf '%.0f' "$wrk_rps")" "$p50" "$p99" "$total" "$secs" "$errors"
    if [ "$errors" != 0 ]; then
        echo "$out"
        serve_errors=$((serve_errors + errors))
    fi
}

bench_serve() {
    section "serve: wrk on loopback, ${BENCH_SERVE_SECONDS:-30} s per URL"
    command -v wrk >/dev/null || { echo "serve: wrk missing (scripts/bootstrap installs it)" >&2; exit 1; }
    db=$(serve_db)
    ./p20w serve "$db" --port 0 >"$DIR/serve.out" 2>"$DIR/serve.err" &
    pid=$!
    base=""
    i=0
    while [ -z "$base" ] && [ $i -lt 600 ]; do
        base=$(sed -n 's/^serving \(http:\/\/[^/ ]*\)\/.*/\1/p' "$DIR/serve.out")
        kill -0 "$pid" 2>/dev/null || break
        [ -n "$base" ] || sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$base" ]; then
        kill "$pid" 2>/dev/null || true
        cat "$DIR/serve.err"
        echo "serve: p20w serve did not start" >&2
        exit 1
    fi
    echo "serving $db at $base"
    for u in /static/p20w.css "$BENCH_SERVE_API" "$BENCH_SERVE_PAGE"; do
        code=$(curl -s -o /dev/null -w '%{http_code}' "$base$u" 2>/dev/null || echo "?")
        [ "$code" = 200 ] || { kill "$pid"; echo "serve: $u answers $code, not 200" >&2; exit 1; }
    done
    serve_errors=0
    wrk_run "baseline $(printf '%-40s' /static/p20w.css)" "$base/static/p20w.css"
    base_rps=$wrk_rps
    wrk_run "api      $(printf '%-40s' "$BENCH_SERVE_API")" "$base$BENCH_SERVE_API"
    api_rps=$wrk_rps
    wrk_run "page     $(printf '%-40s' "$BENCH_SERVE_PAGE")" "$base$BENCH_SERVE_PAGE"
    page_rps=$wrk_rps
    kill -TERM "$pid"
    wait "$pid" || true
    tail -1 "$DIR/serve.err"
    echo "api: $(printf '%.0f' "$api_rps") req/s; page: $(printf '%.0f' "$page_rps") req/s; static file (baseline): $(printf '%.0f' "$base_rps") req/s; ratios $(ratio "$api_rps" "$base_rps") and $(ratio "$page_rps" "$base_rps")"
    [ "$serve_errors" = 0 ] || { echo "serve: $serve_errors errors under load" >&2; exit 1; }
}

for s in ${BENCH_ONLY:-csv synth ingest disclose cube link derive build publish serve}; do
    "bench_$s"
done
