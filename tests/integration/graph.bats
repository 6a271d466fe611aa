#!/usr/bin/env bats
# `nsnet graph FILE`: the topology as Graphviz DOT, parsed and drawn by the real dot.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/graph.bats
#
# Oracle: dot(1) from Graphviz must accept the output and render an SVG that
# names the namespaces and the bridge; the golden .err files for bad input.
# graph reads only its file, so lib.bash's leak check must see nothing change.

load lib

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
GOLDEN_BAD=$(realpath "$BATS_TEST_DIRNAME/../golden/bad")

require_dot() {
	command -v dot >/dev/null || skip "dot not found (apt-get install graphviz)"
}

# graph_svg FILE: nsnet graph FILE | dot -Tsvg, failing if either side fails.
graph_svg() (
	set -o pipefail
	nsnet graph "$1" | dot -Tsvg
)

@test "graph tutorial.yaml | dot -Tsvg: an SVG with red, blue and v-net-0" {
	require_dot
	run --separate-stderr graph_svg "$EXAMPLES/tutorial.yaml"
	assert_status 0
	[[ -z $stderr ]] || fail "stderr: $stderr"
	assert_output_contains "<svg"
	assert_output_contains ">red<"
	assert_output_contains ">blue<"
	assert_output_contains ">v&#45;net&#45;0<"
	assert_output_contains "veth&#45;red 192.168.15.1/24"
	assert_output_contains "tcp 80 &#45;&gt; 192.168.15.2:80"
}

@test "graph tutorial-direct.yaml | dot -Tsvg: one cable, no bridge" {
	require_dot
	run --separate-stderr graph_svg "$EXAMPLES/tutorial-direct.yaml"
	assert_status 0
	[[ -z $stderr ]] || fail "stderr: $stderr"
	assert_output_contains ">red<"
	assert_output_contains ">blue<"
	[[ $(grep -c 'class="edge"' <<<"$output") -eq 1 ]] || fail "expected one edge"
}

@test "graph of a bad file: exit 2, the FILE:LINE:COL message, nothing on stdout" {
	local f n=0 bad=0
	cd "$GOLDEN_BAD"
	for f in *.yaml; do
		n=$((n + 1))
		valgrind_skip "$n" && continue
		run --separate-stderr nsnet graph "$f"
		if [[ $status -ne 2 || -n $output || $stderr != "nsnet: $(<"${f%.yaml}.err")" ]]; then
			printf '%s: status %s, stdout %q, stderr %q\n' "$f" "$status" "$output" \
				"$stderr" >&2
			bad=1
		fi
	done
	((n >= 10)) || fail "only $n bad files found in $GOLDEN_BAD"
	((bad == 0)) || fail "some bad files were not rejected as expected"
}

@test "graph usage: no FILE, two FILEs, unknown option exit 2; --help exits 0" {
	run --separate-stderr nsnet graph
	assert_status 2
	run --separate-stderr nsnet graph a.yaml b.yaml
	assert_status 2
	run --separate-stderr nsnet graph --json "$EXAMPLES/tutorial.yaml"
	assert_status 2
	run --separate-stderr nsnet graph "$BATS_TEST_TMPDIR/missing.yaml"
	assert_status 2
	[[ $stderr == *missing.yaml* ]] || fail "stderr: $stderr"
	run nsnet graph --help
	assert_status 0
	assert_output_contains "Usage: nsnet graph FILE"
}
