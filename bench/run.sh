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

bench_csv
bench_synth
