#!/usr/bin/env bats
# libnsnet as a library: what `make install` installs, what the shared object
# exports, a program built against the installed copy (pkg-config) and one
# linked statically with nothing but the public header, and the CLI's rule of
# including nsnet.h alone.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/library.bats
#
# Oracles: nm(1) for the exported symbols, pkg-config and cc for the build,
# python3's json for the embedded program's output, real probes inside it,
# and lib.bash's leak check after it took its network down.

load lib

ROOT=$(realpath "$BATS_TEST_DIRNAME/../..")

setup() {
	# up switches IPv4 forwarding on and leaves it on (nsnet(8)): not a leak.
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
}

# The installed tree of this build, once per file.
setup_file() {
	export DEST=$BATS_FILE_TMPDIR/dest
	meson install -C "$(dirname "$NSNET")" --destdir "$DEST" --no-rebuild >/dev/null
	LIBDIR=$(dirname "$(find "$DEST" -name 'libnsnet.so.0' | head -1)")
	export LIBDIR
}

@test "install: the header, libnsnet.so.0 with its .so link, nsnet.pc and nsnet(3)" {
	[[ -f $DEST/usr/local/include/nsnet.h ]] || fail "no include/nsnet.h: $(find "$DEST" -type f)"
	[[ -f $LIBDIR/libnsnet.so.0 && -L $LIBDIR/libnsnet.so ]] || fail "no libnsnet.so(.0) in $LIBDIR"
	[[ $(readlink "$LIBDIR/libnsnet.so") == libnsnet.so.0 ]] || fail "libnsnet.so -> $(readlink "$LIBDIR/libnsnet.so")"
	[[ -f $LIBDIR/pkgconfig/nsnet.pc ]] || fail "no nsnet.pc"
	[[ -f $DEST/usr/local/share/man/man3/nsnet.3 ]] || fail "no nsnet.3"
	run man -l "$DEST/usr/local/share/man/man3/nsnet.3"
	assert_status 0
	assert_output_contains "nsnet_ctx_new"
}

@test "the shared object exports the nsnet_ symbols and nothing else, versioned NSNET_0" {
	local bad
	run nm -D --defined-only "$LIBDIR/libnsnet.so.0"
	assert_status 0
	bad=$(awk '$3 != "NSNET_0" && $3 !~ /^nsnet_/' <<<"$output")
	[[ -z $bad ]] || fail "exported beyond the API: $bad"
	[[ $(grep -c ' nsnet_' <<<"$output") -gt 40 ]] || fail "too few nsnet_ symbols: $output"
	run objdump -T "$LIBDIR/libnsnet.so.0"
	assert_output_contains "NSNET_0"
	# Every function the header declares is exported.
	for f in $(grep -oE '\bnsnet_[a-z_]+\(' "$ROOT/include/nsnet.h" | tr -d '(' | sort -u); do
		nm -D --defined-only "$LIBDIR/libnsnet.so.0" | grep -q " T $f@@NSNET_0\$" ||
			fail "not exported as $f@@NSNET_0"
	done
}

@test "examples/embed.c builds with pkg-config against the installed copy and runs" {
	local pc="$LIBDIR/pkgconfig" exe=$BATS_TEST_TMPDIR/embed flags
	flags=$(PKG_CONFIG_PATH=$pc PKG_CONFIG_SYSROOT_DIR=$DEST pkg-config --cflags --libs nsnet)
	[[ $flags == *"-I$DEST/usr/local/include"* && $flags == *-lnsnet* ]] || fail "pkg-config: $flags"
	# shellcheck disable=SC2086
	cc -std=c17 -Wall -Wextra -Werror "$ROOT/examples/embed.c" $flags -o "$exe"
	! grep -q "$ROOT/src" <<<"$flags" || fail "the build reached into the source tree"
	run --separate-stderr env LD_LIBRARY_PATH="$LIBDIR" "$exe" --here
	[[ $status -eq 0 ]] || fail "embed: exit $status: $output $stderr"
	[[ $output == "up: "*" changes"* ]] || fail "no up line: $output"
	sed -n '/^{/,/^}/p' <<<"$output" >"$BATS_TEST_TMPDIR/probes.json"
	python3 - "$BATS_TEST_TMPDIR/probes.json" <<'PY' || fail "probes JSON: $output"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["topology"] == "embedded" and d["ok"] is True, d
kinds = sorted({p["kind"] for p in d["probes"]})
assert kinds == ["gateway", "peer"], kinds
assert all(p["result"] == "reached" for p in d["probes"]), d["probes"]
PY
	[[ $output == *"down: "*" changes"* ]] || fail "no down line: $output"
	[[ -z $(ip -o link show br-emb 2>/dev/null) ]] || fail "br-emb left"
}

@test "the header is self-contained: a program linked statically, with only nsnet.h, runs" {
	local exe=$BATS_TEST_TMPDIR/embed-static inc=$BATS_TEST_TMPDIR/inc static
	static=$(find "$(dirname "$NSNET")" -maxdepth 1 -name libnsnet.a | head -1)
	[[ -f $static ]] || fail "no libnsnet.a next to $NSNET"
	# Nothing on the include path but the public header.
	mkdir -p "$inc" && cp "$ROOT/include/nsnet.h" "$inc/"
	printf '#include <nsnet.h>\nint main(void) { return nsnet_version()[0] ? 0 : 1; }\n' >"$BATS_TEST_TMPDIR/only.c"
	cc -std=c17 -Wall -Wextra -Wpedantic -Werror -I"$inc" -c "$BATS_TEST_TMPDIR/only.c" -o /dev/null ||
		fail "nsnet.h does not compile on its own"
	# shellcheck disable=SC2046
	cc -std=c17 -Wall -Wextra -Werror -I"$inc" "$ROOT/examples/embed.c" "$static" \
		$(pkg-config --libs libmnl libnftables jansson libfyaml) -o "$exe"
	! ldd "$exe" | grep -q libnsnet || fail "linked libnsnet dynamically: $(ldd "$exe")"
	run --separate-stderr "$exe" --here
	[[ $status -eq 0 ]] || fail "embed-static: exit $status: $output $stderr"
	assert_output_contains '"ok": true'
}

@test "src/cli includes nsnet.h and its own header only (no src/sys, no src/core)" {
	local bad
	bad=$(grep -nE '^#include "' "$ROOT"/src/cli/*.[ch] | grep -vE '#include "(cli|nsnet)\.h"' || true)
	[[ -z $bad ]] || fail "the CLI reaches below the library: $bad"
	# And the binary gets the engine through the shared object, not linked in.
	ldd "$NSNET" | grep -q 'libnsnet.so.0' || fail "nsnet does not link libnsnet.so.0: $(ldd "$NSNET")"
	! nm "$NSNET" 2>/dev/null | grep -qE ' T (engine_|plan_build|apply_plan)' ||
		fail "nsnet holds engine code of its own"
}
