# SPDX-License-Identifier: GPL-2.0-or-later
# The user's entry point; meson does the building.
#
#   make            install missing build dependencies, configure, build build/nsnet
#   make test       the same with test dependencies, then every suite: unit (cmocka),
#                   integration (bats through prove, in a private sandbox), both again
#                   under ASan+UBSan, integration under valgrind; last line: N passed, N failed
#   make demo       build, then run `nsnet demo`: the tutorial live in a sandbox nsnet makes
#                   for itself (root; the machine's network is not touched)
#   make test-long  200 random SIGKILLs during up/down and repeated concurrency runs
#   make fuzz       libFuzzer on the topology loader for FUZZ_SECONDS (default 900) on
#                   FUZZ_JOBS workers; crashes land in tests/fuzz/regressions/
#   make install    nsnet to /usr/local/sbin, man pages to /usr/local/share/man
#   make clean

BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
MESON ?= meson
# make fuzz: how long, and on how many cores (libFuzzer workers)
FUZZ_SECONDS ?= 900
FUZZ_JOBS ?= 2

.PHONY: all deps test-deps build asan fuzz-build test test-long fuzz install clean demo

all: build

deps:
	@scripts/install-deps build

test-deps:
	@scripts/install-deps test

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --prefix=/usr/local

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) -Dbuildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fno-sanitize-recover=all

$(FUZZ_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Dtests=disabled -Db_lundef=false \
		-Db_sanitize=address,undefined -Dbuildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: test-deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

fuzz-build: test-deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) tests/fuzz-topology

test: test-deps
	@$(MAKE) --no-print-directory build asan fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/run-all $(BUILD) $(ASAN_BUILD)

# Long reliability runs: 200 random kills (KILLS=N), the concurrency test repeated (ROUNDS=N).
test-long: test-deps
	@$(MAKE) --no-print-directory build
	@tests/run-long $(BUILD)

# Long fuzzing: every input that crashes or hangs is written to tests/fuzz/regressions/
# (commit it with the fix). The corpus grows in $(FUZZ_BUILD)/corpus.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus
	@cp examples/*.yaml tests/golden/bad/*.yaml tests/fuzz/regressions/* $(FUZZ_BUILD)/corpus/
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
		$(FUZZ_BUILD)/tests/fuzz-topology -max_total_time=$(FUZZ_SECONDS) -timeout=1 \
		-rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-artifact_prefix=$(CURDIR)/tests/fuzz/regressions/ $(FUZZ_BUILD)/corpus

demo: build
	@$(BUILD)/nsnet demo

install: build
	$(MESON) install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
