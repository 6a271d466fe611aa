# SPDX-License-Identifier: GPL-2.0-or-later
# The user's entry point; meson does the building.
#
#   make            install missing build dependencies, configure, build build/nsnet
#   make test       the same with test dependencies, then every suite: unit (cmocka),
#                   integration (bats through prove, in a private sandbox), both again
#                   under ASan+UBSan, integration under valgrind; last line: N passed, N failed
#   make install    nsnet to /usr/local/sbin, man pages to /usr/local/share/man
#   make clean

BUILD ?= build
ASAN_BUILD ?= build-asan
MESON ?= meson

.PHONY: all deps test-deps build asan test install clean

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

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: test-deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

test: test-deps
	@$(MAKE) --no-print-directory build asan
	@tests/run-all $(BUILD) $(ASAN_BUILD)

install: build
	$(MESON) install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
