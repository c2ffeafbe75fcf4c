# cdm - customer data management for PostgreSQL (PGXS build).
#
#   make              build cdm.so and the extension script
#   make install      install into the PostgreSQL found by pg_config
#   make test         everything: deps, build, install, unit, regression, conformance
#   make demo         a throwaway cluster with sample customers and cdm at work
#   make unit         the pure-C core's unit tests (no PostgreSQL needed)
#   make fuzz         libFuzzer targets over the core, FUZZ_SECONDS (30) each
#                     (make fuzz-build only builds them; needs clang)
#   make bench        benchmarks against the peers (see bench/README.md)
#   make stress       the store under a minute of concurrent writers (pgbench)

EXTENSION  = cdm
EXTVERSION = 0.1.0

MODULE_big = cdm
# One folder per layer: src/core/<layer> is plain C (no postgres.h),
# src/pg/<layer> the PostgreSQL skin over it.
CORE_DIRS  = $(sort $(dir $(wildcard src/core/*/)))
CORE_SRCS  = $(sort $(wildcard src/core/*/*.c))
PG_SRCS    = $(sort $(wildcard src/pg/*.c src/pg/*/*.c))
PG_DIRS    = src/pg/ $(sort $(dir $(wildcard src/pg/*/)))
OBJS       = $(CORE_SRCS:.c=.o) $(PG_SRCS:.c=.o)
# C++ wrappers (libphonenumber) sit behind C headers.  They are linked into
# cdm.so but kept out of OBJS on purpose: PGXS would build LLVM bitcode for
# everything in OBJS, and the JIT must not inline C++ (landing pads, catch
# blocks) into expressions; there is nothing to gain either, the work is in
# libphonenumber, which has no bitcode.
CORE_CXX_SRCS = $(sort $(wildcard src/core/*/*.cpp))
CORE_CXX_OBJS = $(CORE_CXX_SRCS:.cpp=.o)

# Data compiled into cdm.so keeps its licence and attribution beside the
# extension (installed into PostgreSQL's doc/extension directory).
DOCS       = data/cdm.NOTICE data/nicknames/LICENSE.nicknames

# The install script is assembled from one SQL file per layer, in name order.
SQL_PARTS  = $(sort $(wildcard src/sql/*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)
# Isolation suites (concurrent sessions): specs/<name>.spec + expected/<name>.out,
# run by installcheck after the regression suites (ISOLATION= skips them).
ISOLATION      = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --load-extension=$(EXTENSION)
# TAP tests (t/*.pl, PostgreSQL::Test::Cluster; needs IPC::Run): run by
# installcheck after the isolation suites, with prove (PROVE_TESTS= picks
# some; TAP_TESTS= skips them).  Each makes its own cluster.
TAP_TESTS      = 1

ICU_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n 2>/dev/null)
ICU_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null)
# libphonenumber ships no pkg-config file on Debian (8.12) nor a run-time
# version call: the version is taken from pkg-config when there is one, else
# from dpkg, at build time.
PHONENUMBER_LIBS    := $(shell pkg-config --libs libphonenumber 2>/dev/null || echo -lphonenumber)
# phone.cpp reads libphonenumber's compiled-in metadata (a protobuf) itself.
PROTOBUF_LIBS       := $(shell pkg-config --libs protobuf 2>/dev/null || echo -lprotobuf)
PHONENUMBER_VERSION := $(shell pkg-config --modversion libphonenumber 2>/dev/null || \
	dpkg-query -W -f='$${Version}' libphonenumber-dev 2>/dev/null | sed 's/[+~-].*//')
CXX_LIBS    = $(PHONENUMBER_LIBS) $(PROTOBUF_LIBS) -lstdc++
CORE_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -DCDM_PHONENUMBER_VERSION='"$(or $(PHONENUMBER_VERSION),unknown)"'

PG_CPPFLAGS = $(addprefix -I,$(CORE_DIRS) $(PG_DIRS)) $(ICU_CFLAGS)
PG_CFLAGS   = -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare
PG_CXXFLAGS = $(CORE_CXXFLAGS)
SHLIB_LINK  = $(CORE_CXX_OBJS) $(ICU_LIBS) $(CXX_LIBS)

EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql $(OBJS:.o=.bc) $(CORE_CXX_OBJS) test/unit/bin test/results test/fuzz/bin tmp_check

# Debian keeps one pg_config per major version; prefer the one we target.
PGV       ?= 15
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/$(PGV)/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# Bootstrap: before the build dependencies are installed only deps/test/demo work.
all install installcheck:
	@echo "cdm: PostgreSQL server headers not found; run 'make deps' as root (or make test / make demo)" >&2; exit 1
endif

# initdb refuses to run as root: as root, prove runs the TAP tests as
# postgres (test/tap/prove.sh).  Set after PGXS, which sets PROVE.
PROVE = $(CURDIR)/test/tap/prove.sh

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

# The C++ objects are linked through SHLIB_LINK (see CORE_CXX_OBJS).
ifneq ($(wildcard $(PGXS)),)
$(shlib): $(CORE_CXX_OBJS)
endif
$(CORE_CXX_OBJS): $(wildcard src/core/*/*.h)
# PGXS does not track headers: any header change rebuilds every object.
$(OBJS) $(OBJS:.o=.bc): $(wildcard src/core/*/*.h src/pg/*.h src/pg/*/*.h)

# ---------------------------------------------------------------- unit tests
# The core is compiled on its own, strict C11, with sanitizers when asked
# (make unit SANITIZE=1), to prove it needs nothing from PostgreSQL.
UNIT_CC     ?= cc
UNIT_CXX    ?= g++
UNIT_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Werror -Wdeclaration-after-statement -Wmissing-prototypes $(addprefix -I,$(CORE_DIRS)) $(ICU_CFLAGS)
UNIT_CXXFLAGS = $(CORE_CXXFLAGS) -O2 -g $(addprefix -I,$(CORE_DIRS))
ifdef SANITIZE
UNIT_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_CFLAGS   += $(UNIT_SANITIZE)
UNIT_CXXFLAGS += $(UNIT_SANITIZE)
endif
UNIT_TESTS   = $(patsubst test/unit/%.c,test/unit/bin/%,$(sort $(wildcard test/unit/test_*.c)))
# The core, C and C++, compiled once and linked into every test (every test
# links all of it; compiling it again for each test cost minutes of CI
# under the sanitizers).
UNIT_CORE_OBJS = $(patsubst src/core/%.c,test/unit/bin/core/%.o,$(CORE_SRCS))
UNIT_CXX_OBJS = $(patsubst src/core/%.cpp,test/unit/bin/core_cxx/%.o,$(CORE_CXX_SRCS))

test/unit/bin/core/%.o: src/core/%.c $(wildcard src/core/*/*.h)
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) -c -o $@ $<

test/unit/bin/core_cxx/%.o: src/core/%.cpp $(wildcard src/core/*/*.h)
	@mkdir -p $(dir $@)
	$(UNIT_CXX) $(UNIT_CXXFLAGS) -c -o $@ $<

test/unit/bin/%: test/unit/%.c test/unit/unit.c test/unit/unit.h $(UNIT_CORE_OBJS) $(UNIT_CXX_OBJS) $(wildcard src/core/*/*.h)
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $< test/unit/unit.c $(UNIT_CORE_OBJS) $(UNIT_CXX_OBJS) $(ICU_LIBS) $(CXX_LIBS) -lm

unit: $(UNIT_TESTS)
	@bash test/run-unit.sh $(UNIT_TESTS)

# ---------------------------------------------------------------- fuzzing
# libFuzzer targets (test/fuzz/fuzz_*.c), one per concern of the core, each
# linked against ALL of the core as the unit tests are, under ASan and
# UBSan.  make fuzz runs each for FUZZ_SECONDS from its seed corpus
# (test/fuzz/corpus/<name>/, committed; what the fuzzer adds goes to
# test/fuzz/bin/corpus/<name>/), at nice FUZZ_NICE; crashes are written
# to test/fuzz/crashes/.  Needs clang and libclang-rt-14-dev (make deps).
FUZZ_CC      ?= clang
FUZZ_CXX     ?= clang++
FUZZ_SECONDS ?= 30
FUZZ_NICE    ?= 19
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -Wall -Wextra -Werror -Wdeclaration-after-statement -Wmissing-prototypes $(addprefix -I,$(CORE_DIRS)) $(ICU_CFLAGS) $(FUZZ_SANITIZE)
FUZZ_CXXFLAGS = $(CORE_CXXFLAGS) -O1 -g $(addprefix -I,$(CORE_DIRS)) $(FUZZ_SANITIZE)
FUZZ_TARGETS  = $(patsubst test/fuzz/%.c,test/fuzz/bin/%,$(sort $(wildcard test/fuzz/fuzz_*.c)))
FUZZ_CORE_OBJS = $(patsubst src/core/%.c,test/fuzz/bin/core/%.o,$(CORE_SRCS)) \
	$(patsubst src/core/%.cpp,test/fuzz/bin/core/%.o,$(CORE_CXX_SRCS))

test/fuzz/bin/core/%.o: src/core/%.c $(wildcard src/core/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

test/fuzz/bin/core/%.o: src/core/%.cpp $(wildcard src/core/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# Linked by the C++ driver: libFuzzer and the C++ core need its runtimes.
test/fuzz/bin/%: test/fuzz/%.c test/fuzz/fuzz.h $(FUZZ_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@.o $<
	$(FUZZ_CXX) $(FUZZ_SANITIZE) -fsanitize=fuzzer -o $@ $@.o $(FUZZ_CORE_OBJS) $(ICU_LIBS) $(CXX_LIBS) -lm

fuzz-build: $(FUZZ_TARGETS)

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_NICE=$(FUZZ_NICE) FUZZ_SEED=$(FUZZ_SEED) bash test/fuzz/run.sh $(FUZZ_TARGETS)

.PHONY: unit test test-run demo demo-run deps bench fuzz fuzz-build stress stress-run

deps:
	@bash scripts/deps.sh

# test and demo install what is missing first, then re-read this Makefile with PGXS present.
test: deps
	@$(MAKE) --no-print-directory test-run

test-run:
	@bash test/run-all.sh

demo: deps
	@$(MAKE) --no-print-directory demo-run

demo-run:
	@bash scripts/demo.sh

bench:
	@bash bench/run.sh

# A minute of concurrent ingest, merge, unmerge, decide, milestones and
# retire through pgbench; no deadlock may reach a caller and
# cdm.check_store() must pass (test/concurrency/run.sh; a 15-second run is
# part of make test).
stress: deps
	@$(MAKE) --no-print-directory stress-run

stress-run:
	@bash test/concurrency/stress.sh
