#!/usr/bin/env bats
# Router namespaces: a namespace others route through must forward. Without
# `forwarding:` check derives the probes along the file's routes and fails,
# doctor names the router and its fix; with `forwarding: true` up sets it
# inside the namespace (both families), status sees drift when it is undone
# by hand, up repairs it, a failure rolls it back.
#
#        left 10.1.0.2 ==== 10.1.0.1 r 10.2.0.1 ==== 10.2.0.2 right
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/router.bats
#
# Oracles: ping across the router, sysctl read inside r (ip netns exec),
# lib.bash's leak check.

load lib

FIX=$(realpath "$BATS_TEST_DIRNAME/fixtures")
PLAIN=$FIX/router.yaml

setup() {
	common_setup
	ROUTER=$BATS_TEST_TMPDIR/router-on.yaml
	sed 's/^  r:$/  r:\n    forwarding: true/' "$PLAIN" >"$ROUTER"
}

cleanup_test() {
	nsnet down routed >/dev/null 2>&1 || true
}

r_sysctl() { ip netns exec r sysctl -n "$1"; }

@test "without forwarding on the router: check fails on the routed pair, doctor names 'r' and the fix" {
	local fix
	run nsnet up "$PLAIN"
	assert_status 0
	[[ $(r_sysctl net.ipv4.ip_forward) == 0 ]] || fail "r forwards already"
	! ip netns exec left ping -c1 -W1 10.2.0.2 >/dev/null || fail "left reaches right: no test"
	run nsnet check routed --timeout 500
	assert_status 1
	assert_output_contains "FAIL 'left' -> 'right' 10.2.0.2 icmp"
	assert_output_contains "FAIL 'right' -> 'left' 10.1.0.2 icmp"
	run nsnet doctor routed --json
	assert_status 1
	fix=$(jq -r '.findings[] | select(.id == "router-forwarding-off") | .fix' <<<"$output")
	[[ $fix == "ip netns exec r sysctl -w net.ipv4.ip_forward=1"* ]] || fail "doctor: $output"
	# The printed fix, run as printed, makes traffic flow.
	sh -c "${fix%% (*}" >/dev/null
	ip netns exec left ping -c1 -W1 10.2.0.2 >/dev/null || fail "the fix did not help"
	run nsnet check routed --timeout 500
	assert_status 0
	run nsnet doctor routed
	assert_status 0
}

@test "forwarding: true: up sets both families in r, check passes, drift is seen and repaired" {
	run nsnet up "$ROUTER"
	assert_status 0
	assert_output_contains "~ sysctl net.ipv4.ip_forward = 1 in 'r'"
	assert_output_contains "~ sysctl net.ipv6.conf.all.forwarding = 1 in 'r'"
	[[ $(r_sysctl net.ipv4.ip_forward) == 1 && $(r_sysctl net.ipv6.conf.all.forwarding) == 1 ]] ||
		fail "r: $(r_sysctl net.ipv4.ip_forward) $(r_sysctl net.ipv6.conf.all.forwarding)"
	# Only inside r: the host and the others are untouched.
	[[ $(ip netns exec left sysctl -n net.ipv4.ip_forward) == 0 ]] || fail "left forwards"
	ip netns exec left ping -c1 -W1 10.2.0.2 >/dev/null || fail "left cannot reach right"
	run nsnet check routed --timeout 1000
	assert_status 0
	assert_output_contains "all 6 probes passed"
	run nsnet up "$ROUTER"
	assert_output_contains "is up to date: no change"
	# Undone by hand: drift, and up puts it back.
	ip netns exec r sysctl -qw net.ipv4.ip_forward=0
	run nsnet status routed
	assert_status 1
	assert_output_contains "~ sysctl net.ipv4.ip_forward = 1 in 'r'"
	run nsnet up "$ROUTER"
	assert_status 0
	[[ $(r_sysctl net.ipv4.ip_forward) == 1 ]] || fail "not repaired"
	# forwarding: false turns it off again.
	sed 's/forwarding: true/forwarding: false/' "$ROUTER" >"$BATS_TEST_TMPDIR/off.yaml"
	run nsnet up "$BATS_TEST_TMPDIR/off.yaml"
	assert_status 0
	[[ $(r_sysctl net.ipv4.ip_forward) == 0 ]] || fail "forwarding: false left it on"
	run nsnet down routed
	assert_status 0
}

@test "a failure after r's forwarding was set rolls it back" {
	local n k
	run nsnet up "$PLAIN"
	assert_status 0
	# The mutations of converging to the router: state file (1), the two sysctls in r
	# (2, 3), the rename (4): a fault at the second sysctl or the rename undoes the first.
	for k in 3 4; do
		run env NSNET_FAULT_AT=$k "$NSNET" up "$ROUTER"
		assert_status 1
		assert_output_contains "injected fault #$k"
		[[ $(r_sysctl net.ipv4.ip_forward) == 0 && $(r_sysctl net.ipv6.conf.all.forwarding) == 0 ]] ||
			fail "K=$k: r left forwarding: $(r_sysctl net.ipv4.ip_forward)"
	done
	run nsnet down routed
	assert_status 0
}
