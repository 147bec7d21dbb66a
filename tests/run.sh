#!/bin/sh
# Runs the test tiers against the sanitizer build and prints one closing
# summary line, "N passed, N failed", that CI reads.
#   tests/run.sh          unit tests, golden cases, fuzz corpus replay
#   tests/run.sh unit     unit tests only
#   tests/run.sh cases    golden cases only
#   tests/run.sh browser  browser tests only: the Flesch-Kincaid and cell
#                         comparison units, the harness's self-test, then
#                         the real `p20w serve` in Debian's chromium: the
#                         public pages (run), the self-assessment (assess),
#                         the signed-in pages of every role (auth)
#                         (tests/browser/; node and the npm packages that
#                         scripts/bootstrap installs)
# `all` (the default) runs every tier, the browser last.
# Unit binaries are cmocka programs under build/san/tests; golden cases are
# folders tests/cases/NNNN with a `cmd` script (see tests/cases/README.md).
set -u
cd "$(dirname "$0")/.." || exit 3
what=${1:-all}
passed=0
failed=0
failures=""
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export P20W_NO_PROGRESS=1

note() { printf '%s\n' "$*"; }

if [ "$what" = all ] || [ "$what" = unit ]; then
    for t in build/san/tests/test_*; do
        [ -x "$t" ] || continue
        out=$("$t" 2>&1)
        rc=$?
        # cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
        p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
        f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
        p=${p:-0}
        f=${f:-0}
        if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$f" != 0 ]; then
            # the assertion and its messages, not the passing tests' lines
            printf '%s\n' "$out" | grep -v '^\[ *\(RUN\|OK\) *\]' | tail -40
            failures="$failures $(basename "$t")"
            note "FAIL $(basename "$t") ($p passed, $f failed)"
        else
            note "ok   $(basename "$t") ($p)"
        fi
    done
fi

if [ "$what" = all ] || [ "$what" = cases ]; then
    P20W=$(pwd)/build/san/p20w
    export P20W
    export P20W_DATA_DIR="$(pwd)/data"
    for c in tests/cases/[0-9]*; do
        [ -f "$c/cmd" ] || continue
        # `! cmd` asserts nothing under sh -e (POSIX ignores -e for it):
        # write `if cmd; then exit 1; fi`
        if grep -nE '^[[:space:]]*! ' "$c/cmd"; then
            failed=$((failed + 1))
            failures="$failures case$(basename "$c")"
            note "FAIL case $(basename "$c"): a line starts with '! ', which sh -e does not check"
            continue
        fi
        tmp=$(mktemp -d)
        if (cd "$tmp" && CASE="$(cd "$OLDPWD" && pwd)/$c" sh -eu "$OLDPWD/$c/cmd") >"$tmp/.out" 2>&1; then
            passed=$((passed + 1))
            note "ok   case $(basename "$c")"
        else
            failed=$((failed + 1))
            failures="$failures case$(basename "$c")"
            note "FAIL case $(basename "$c"): $(head -1 "$c/cmd" | sed 's/^# *//')"
            tail -30 "$tmp/.out"
        fi
        rm -rf "$tmp"
    done
fi

if [ "$what" = all ]; then
    for r in build/san/replay/fuzz_*; do
        [ -x "$r" ] || continue
        n=$(basename "$r")
        if "$r" tests/fuzz/corpus/"$n" >/tmp/p20w-replay.$$ 2>&1; then
            passed=$((passed + 1))
            note "ok   replay $n ($(tail -1 /tmp/p20w-replay.$$))"
        else
            failed=$((failed + 1))
            failures="$failures replay-$n"
            note "FAIL replay $n"
            tail -30 /tmp/p20w-replay.$$
        fi
        rm -f /tmp/p20w-replay.$$
    done
fi

if [ "$what" = all ] || [ "$what" = browser ]; then
    # Each script prints "ok"/"FAIL" lines and closes with "N passed, N
    # failed"; its counts join ours.
    for s in fk_test cells_test selftest run assess auth; do
        out=$(node tests/browser/$s.mjs 2>&1)
        rc=$?
        p=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, [0-9]* failed\( (.*)\)\{0,1\}$/\1/p' | tail -1)
        f=$(printf '%s\n' "$out" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed\( (.*)\)\{0,1\}$/\1/p' | tail -1)
        p=${p:-0}
        f=${f:-0}
        if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$f" != 0 ]; then
            printf '%s\n' "$out" | grep -v '^ok ' | tail -60
            failures="$failures browser-$s"
            note "FAIL browser $s ($p passed, $f failed)"
        else
            printf '%s\n' "$out" | grep '^browser: ' || true
            note "ok   browser $s ($p)"
        fi
    done
fi

[ -n "$failures" ] && note "failed:$failures"
note "$passed passed, $failed failed"
[ "$failed" = 0 ]
