# SPDX-License-Identifier: GPL-2.0-or-later
# The user's entry point; meson does the building.
#
#   make            install missing build dependencies, configure, build build/nsnet
#   make test       the same with test dependencies, then every suite: unit (cmocka),
#                   integration (bats through prove, in a private sandbox), both again
#                   under ASan+UBSan, integration under valgrind; last line: N passed, N failed
#   make demo       build, then run `nsnet demo $(DEMO_ARGS)` (DEMO_ARGS=--dual-stack: the
#                   tutorial in IPv4 and IPv6): the tutorial live in a sandbox nsnet makes
#                   for itself (root; the machine's network is not touched)
#   make test-long  200 random SIGKILLs during up/down and repeated concurrency runs, and
#                   the whole integration suite under valgrind and under ASan+UBSan
#   make fuzz       libFuzzer on the topology loader, then on the OVSDB reply parser, then on
#                   nsnet-cni's stdin, each for FUZZ_SECONDS (default 900; FUZZ_CNI_SECONDS for
#                   the last) on FUZZ_JOBS workers; crashes land in tests/fuzz/regressions/,
#                   tests/fuzz/ovsdb-regressions/ and tests/fuzz/cni-regressions/
#   make bench      nsnet beside a shell script, ip -batch, the CNI plugins and a C floor, for
#                   BENCH_N namespaces (default "10 100 1000"), BENCH_REPS runs each (3; the
#                   script and CNI BENCH_SLOW_REPS at N=1000: 1), and the port-forward scale
#                   (BENCH_FORWARDS, "" to skip), TCP throughput across a VXLAN tunnel to a
#                   second host beside one host (BENCH_VXLAN seconds, 0 to skip), and nsnet's
#                   up on an Open vSwitch bridge beside a Linux bridge (BENCH_OVS namespaces,
#                   100; "" to skip), and CNI ADD/DEL one attachment at a time, nsnet-cni
#                   beside the reference chain and netavark (BENCH_CNI_N, "10 100 1000"; ""
#                   to skip; BENCH_CNI_REPS runs, 1); in one sandbox. Table on stdout, JSON
#                   and SVG in $(BUILD)/bench/. NSNET=path benchmarks another nsnet binary
#                   (NSNET_CNI another nsnet-cni).
#   make install    nsnet to /usr/local/sbin, man pages to /usr/local/share/man
#   make clean

BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
MESON ?= meson
# make fuzz: how long, and on how many cores (libFuzzer workers)
FUZZ_SECONDS ?= 900
FUZZ_CNI_SECONDS ?= $(FUZZ_SECONDS)
FUZZ_JOBS ?= 2
# make bench
NSNET ?= $(BUILD)/nsnet
BENCH_N ?= 10 100 1000
BENCH_REPS ?= 3
BENCH_SLOW_REPS ?= 1
BENCH_FORWARDS ?= 10 1000 10000
BENCH_CONNS ?= 2000
# seconds of each VXLAN throughput measure (a1 -> b1 across hosts, a1 -> a2); 0 skips it
BENCH_VXLAN ?= 3
BENCH_METHODS ?= nsnet floor batch script cni
BENCH_OVS ?= 100
# the CNI part: attachments made one at a time by nsnet-cni, the reference chain, netavark
NSNET_CNI ?= $(BUILD)/nsnet-cni
BENCH_CNI_N ?= 10 100 1000
BENCH_CNI_REPS ?= 1
BENCH_CNI_METHODS ?= nsnet reference netavark
BENCH_CFLAGS = -std=gnu17 -O2 -Wall -Wextra -Werror

.PHONY: all deps test-deps test-configure build asan fuzz-build test test-long fuzz bench install clean demo

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
	ninja -C $(FUZZ_BUILD) tests/fuzz-topology tests/fuzz-ovsdb tests/fuzz-cni

# A build directory configured before the test dependencies were there (`make demo` on a
# fresh machine, then `make test`) has no unit tests: look again, with tests required, so
# a missing cmocka fails loudly instead of silently building nothing.
TESTS_STAMP = .nsnet-tests-enabled
test-configure: test-deps $(BUILD)/build.ninja $(ASAN_BUILD)/build.ninja
	@for b in $(BUILD) $(ASAN_BUILD); do \
		[ -f $$b/$(TESTS_STAMP) ] && continue; \
		$(MESON) configure --clearcache -Dtests=enabled $$b >/dev/null && touch $$b/$(TESTS_STAMP); \
	done

test: test-deps test-configure
	@$(MAKE) --no-print-directory build asan fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/run-all $(BUILD) $(ASAN_BUILD)

# Long reliability runs: 200 random kills (KILLS=N), the concurrency test repeated (ROUNDS=N).
test-long: test-deps test-configure
	@$(MAKE) --no-print-directory build asan
	@tests/run-long $(BUILD) $(ASAN_BUILD)

# Long fuzzing: every input that crashes or hangs is written to tests/fuzz/regressions/
# (the topology loader's) or tests/fuzz/ovsdb-regressions/ (the OVSDB reply parser's);
# commit it with the fix. The corpora grow in $(FUZZ_BUILD)/corpus and corpus-ovsdb. Each
# target runs FUZZ_SECONDS.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/corpus-ovsdb
	@cp examples/*.yaml tests/golden/bad/*.yaml tests/fuzz/regressions/* $(FUZZ_BUILD)/corpus/
	@cp tests/fuzz/ovsdb-seeds/* tests/fuzz/ovsdb-regressions/* $(FUZZ_BUILD)/corpus-ovsdb/
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
		$(FUZZ_BUILD)/tests/fuzz-topology -max_total_time=$(FUZZ_SECONDS) -timeout=1 \
		-rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-artifact_prefix=$(CURDIR)/tests/fuzz/regressions/ $(FUZZ_BUILD)/corpus
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
		$(FUZZ_BUILD)/tests/fuzz-ovsdb -max_total_time=$(FUZZ_SECONDS) -timeout=1 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-artifact_prefix=$(CURDIR)/tests/fuzz/ovsdb-regressions/ $(FUZZ_BUILD)/corpus-ovsdb
	@mkdir -p $(FUZZ_BUILD)/cni-corpus
	@cp tests/fuzz/cni-seeds/* $(FUZZ_BUILD)/cni-corpus/
	@cp tests/fuzz/cni-regressions/* $(FUZZ_BUILD)/cni-corpus/ 2>/dev/null || true
	$(FUZZ_BUILD)/tests/fuzz-cni -max_total_time=$(FUZZ_CNI_SECONDS) -timeout=1 \
		-rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
		-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-artifact_prefix=$(CURDIR)/tests/fuzz/cni-regressions/ $(FUZZ_BUILD)/cni-corpus

demo: build
	@$(BUILD)/nsnet demo $(DEMO_ARGS)

# The bench's C programs are not part of nsnet: plain cc, outside meson.
$(BUILD)/bench/floor: bench/floor.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $$(pkg-config --cflags --libs libmnl libnftables)

$(BUILD)/bench/tcprate: bench/tcprate.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

bench:
	@scripts/install-deps bench
	@$(MAKE) --no-print-directory build $(BUILD)/bench/floor $(BUILD)/bench/tcprate
	tests/sandbox bench/run --nsnet $(abspath $(NSNET)) --bin $(BUILD)/bench \
		--out $(BUILD)/bench --n "$(BENCH_N)" --reps $(BENCH_REPS) \
		--slow-reps $(BENCH_SLOW_REPS) --forwards "$(BENCH_FORWARDS)" \
		--conns $(BENCH_CONNS) --methods "$(BENCH_METHODS)" --vxlan-seconds $(BENCH_VXLAN) \
		--ovs "$(BENCH_OVS)" --cni-plugin $(abspath $(NSNET_CNI)) --cni-n "$(BENCH_CNI_N)" \
		--cni-reps $(BENCH_CNI_REPS) --cni-methods "$(BENCH_CNI_METHODS)"

install: build
	$(MESON) install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
