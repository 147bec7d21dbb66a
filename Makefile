# p20w — GNU make build.
#
#   make            build ./p20w (optimised)
#   make test       every test under AddressSanitizer + UndefinedBehaviorSanitizer
#                   and the browser tests (headless chromium)
#   make bench      benchmarks (figures and ratios against a baseline run alongside)
#   make fuzz       every libFuzzer target for FUZZ_SECONDS (default 60) each
#   make demo       the whole pipeline on the built-in synthetic state
#   make docs       regenerate docs/data-dictionary.md
#   make lint       clang-format check, banned functions, cppcheck
#
# gcc by default; `make CC=clang` works. Every target first runs
# scripts/bootstrap, which installs missing Debian packages.

ifeq ($(origin CC),default)
CC := gcc
endif

VERSION := 0.1.0

# Install missing packages before pkg-config is asked for their flags below:
# on a fresh machine the very first `make test` must work.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
BOOTSTRAP_RC := $(shell sh scripts/bootstrap 1>&2; echo $$?)
ifneq ($(BOOTSTRAP_RC),0)
$(error scripts/bootstrap failed (exit $(BOOTSTRAP_RC)); see its message above)
endif
endif

PKGS    := sqlite3 jansson libsodium libutf8proc inih libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
DEFS    := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -DP20W_VERSION='"$(VERSION)"' -DP20W_DATADIR='"$(CURDIR)/data"' \
           -DP20W_LOCALEDIR='"$(CURDIR)/build/locale"'
BASE    := -std=c11 -g $(WARN) $(DEFS) -Isrc $(PKG_CFLAGS)
REL_CFLAGS := $(BASE) -O2
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_CFLAGS := $(BASE) -O1 $(SAN) -DP20W_TESTING
LIBS    := $(PKG_LIBS) -lglpk -lm -lpthread

SRC     := $(sort $(wildcard src/*/*.c))
CLI_SRC := $(filter src/cli/%,$(SRC))
LIB_SRC := $(filter-out src/cli/%,$(SRC))
HDRS    := $(wildcard src/*/*.h)

REL_OBJ := $(SRC:%.c=build/rel/%.o)
SAN_LIB_OBJ := $(LIB_SRC:%.c=build/san/%.o)
SAN_CLI_OBJ := $(CLI_SRC:%.c=build/san/%.o)

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=build/san/tests/%)
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/san/replay/%)
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=build/rel/bench/%)

.PHONY: all bootstrap test unit cases browser replay bench bench-build fuzz demo docs lint clean pot

# Translations: po/LANG.po compiled into build/locale/LANG/LC_MESSAGES/p20w.mo
# (the server finds them there, or in $P20W_LOCALE_DIR); `make pot`
# extracts every _() and N_() string of src/serve and src/assess into
# po/p20w.pot.
PO      := $(wildcard po/*.po)
MO      := $(PO:po/%.po=build/locale/%/LC_MESSAGES/p20w.mo)

all: bootstrap p20w

build/locale/%/LC_MESSAGES/p20w.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "MSGFMT $<"
	@msgfmt --check -o $@ $<

pot:
	xgettext --no-wrap --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	  --add-comments=TRANSLATORS --package-name=p20w \
	  --package-version=$(VERSION) --sort-by-file -o po/p20w.pot \
	  $(sort $(wildcard src/serve/*.c src/assess/*.c)) src/cli/cmd_assess.c
	msgmerge --no-wrap --quiet --update --backup=none --no-fuzzy-matching po/es.po po/p20w.pot

bootstrap:
	@sh scripts/bootstrap

p20w: $(REL_OBJ) $(MO)
	@echo "LD   $@"
	@$(CC) $(REL_CFLAGS) -o $@ $(REL_OBJ) $(LIBS)

build/rel/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	@echo "CC   $<"
	@$(CC) $(REL_CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	@echo "CC   $< (san)"
	@$(CC) $(SAN_CFLAGS) -c -o $@ $<

build/san/p20w: $(SAN_LIB_OBJ) $(SAN_CLI_OBJ) $(MO)
	@echo "LD   $@"
	@$(CC) $(SAN_CFLAGS) -o $@ $(SAN_LIB_OBJ) $(SAN_CLI_OBJ) $(LIBS)

build/san/tests/%: tests/unit/%.c $(SAN_LIB_OBJ) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "LD   $@"
	@$(CC) $(SAN_CFLAGS) -Itests/unit -o $@ $< $(SAN_LIB_OBJ) $(LIBS) -lcmocka

# Fuzz corpora replay under the sanitizers in `make test` (SQLite fuzzcheck).
build/san/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(SAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "LD   $@"
	@$(CC) $(SAN_CFLAGS) -o $@ $< tests/fuzz/replay.c $(SAN_LIB_OBJ) $(LIBS)

# libFuzzer needs clang whatever CC is.
FUZZ_CFLAGS := -std=c11 -g -O1 $(DEFS) -Isrc $(PKG_CFLAGS) -DP20W_TESTING \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "LD   $@ (libFuzzer)"
	@clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(LIBS)

test: bootstrap $(UNIT_BIN) build/san/p20w $(REPLAY_BIN)
	@sh tests/run.sh

unit: bootstrap $(UNIT_BIN)
	@sh tests/run.sh unit

cases: bootstrap build/san/p20w
	@sh tests/run.sh cases

# The browser tier alone (make test runs it too): tests/browser/.
browser: bootstrap build/san/p20w
	@sh tests/run.sh browser

FUZZ_SECONDS ?= 60
fuzz: bootstrap $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	  n=$$(basename $$f); mkdir -p build/fuzz/corpus/$$n; \
	  cp -n tests/fuzz/corpus/$$n/* build/fuzz/corpus/$$n/ 2>/dev/null || true; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 \
	      build/fuzz/corpus/$$n tests/fuzz/corpus/$$n 2>build/fuzz/$$n.log \
	    || { tail -50 build/fuzz/$$n.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units' build/fuzz/$$n.log; \
	done

build/rel/bench/%: bench/%.c $(filter-out build/rel/src/cli/%,$(REL_OBJ))
	@mkdir -p $(dir $@)
	@echo "LD   $@"
	@$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS)

# Builds the benchmark programs without running them (CI keeps them compiling).
bench-build: bootstrap p20w $(BENCH_BIN)

bench: bootstrap p20w $(BENCH_BIN)
	@sh bench/run.sh

demo: bootstrap p20w
	@sh scripts/demo

docs: bootstrap p20w
	./p20w dict --format md > docs/data-dictionary.md

lint:
	@sh scripts/lint

clean:
	rm -rf build p20w
