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

# --- disclosure control: complementary suppression + LP audit ------------
# A random 3-D count table (50 x 20 x 10, margins included: 11,781 cells,
# a quarter of them small) and a 2-D rate table (40 x 25). Baseline: the
# LP audit of the final publication alone, measured in the same run; the
# ratio says how many audits' worth of work choosing the complements
# costs. The primary rules alone are printed too.
bench_disclose() {
    dims=${BENCH_DISCLOSE_DIMS:-50 20 10}
    section "disclosure control: $dims count table, 40 x 25 rate table"
    # shellcheck disable=SC2086
    out=$("$BIN"/bench_disclose $dims 1)
    report_disclose "count table $dims" "$out"
    out=$("$BIN"/bench_disclose 40 25 1 1 rate)
    report_disclose "rate table 40 x 25" "$out"
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

bench_csv
bench_disclose
