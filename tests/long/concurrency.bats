#!/usr/bin/env bats
# make test-long: reliability.bats' concurrency test, ROUNDS times (default 5).
load ../integration/lib

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
}

@test "concurrency, repeated: 16 topologies and 8 ups of one, up and down, zero leaks" {
	local r
	for ((r = 1; r <= ${ROUNDS:-5}; r++)); do
		run bats --tap --filter "concurrency" "$BATS_TEST_DIRNAME/../integration/reliability.bats"
		[[ $status -eq 0 ]] || fail "round $r: $output"
		echo "# round $r: ok" >&3
	done
}
