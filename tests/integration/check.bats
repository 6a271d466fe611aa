#!/usr/bin/env bats
# nsnet check: real probes, checked against breakage made by hand.
#
#   host: eth0 192.168.1.2/24 <-- veth --> lan: eth0 192.168.1.3/24 (TCP 8080)
#   v-net-0 192.168.15.5/24: red .1, blue .2 (fixtures/check-tutorial.yaml)
#   v-net-1 10.10.0.1/24: green .2 (fixtures/topology-other.yaml)
#
# The oracle is the breakage: each test first sees `check` pass, then breaks
# one thing with iproute2 or nft and expects exactly the probes that cross it
# to fail.
load lib

FIX=$(realpath "$BATS_TEST_DIRNAME/fixtures")
TUT=$FIX/check-tutorial.yaml

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
	TOPOS=(tutorial)
	PIDS=()
}

cleanup_test() {
	local pid t
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	lan_down
	for t in "${TOPOS[@]}"; do
		"$NSNET" down "$t" >/dev/null 2>&1
	done
	return 0
}

listening() { ip netns exec "$1" ss -ltnH "sport = :$2" | grep -q .; }

# serve NS PORT: a TCP server in NS that accepts and closes.
serve() {
	ip netns exec "$1" socat "TCP-LISTEN:$2,fork,reuseaddr" /dev/null </dev/null >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	wait_until 5 listening "$1" "$2"
}

# probes JQ: the probes of the last `check --json` ($output) matching JQ, compact.
probes() { jq -c "[.probes[] | select($1)]" <<<"$output"; }

@test "check: matrix of the tutorial with the file's checks, exit 0; --json lists every probe" {
	lan_up --default-route
	serve lan 8080
	run nsnet up "$TUT"
	assert_status 0
	run nsnet check "$TUT"
	assert_status 0
	assert_output_contains "from \\ to"
	assert_output_contains "all 8 probes passed"
	run nsnet check tutorial --json
	assert_status 0
	# 2 gateways, 2 peers, 1 forward, 3 from the file: each listed with its result.
	assert_json '.ok == true and .passed == 8 and .failed == 0 and (.probes | length) == 8' "$output"
	[[ $(probes '.kind == "gateway" and .result == "reached"' | jq length) == 2 ]] || fail "$output"
	[[ $(probes '.kind == "peer" and .result == "reached"' | jq length) == 2 ]] || fail "$output"
	# The dark address: no reply, or the host's "host unreachable" once its ARP gave up.
	assert_json '[.probes[] | select(.kind == "file")] | map([.from, .address, .port, .expect, .result]) |
		.[2][4] |= (if . == "unreachable" then "no-reply" else . end) ==
		[["blue", "192.168.1.3", null, "reach", "reached"],
		 ["red", "192.168.1.3", 8080, "reach", "reached"],
		 ["red", "192.168.1.99", null, "blocked", "no-reply"]]' "$output"
	assert_json '[.probes[] | select(.kind == "forward")][0] | .address == "192.168.15.5" and .port == 80
		and .listen.namespace == "blue" and .listen.by_nsnet == true and .result == "reached"' "$output"
	# The probe listener is closed again.
	! listening blue 80 || fail "something still listens on blue:80"
}

@test "check: veth-blue down -> exit 1, every failed probe involves blue, red's gateway still ok" {
	lan_up --default-route
	serve lan 8080
	run nsnet up "$TUT"
	assert_status 0
	ip -n blue link set veth-blue down
	run nsnet check tutorial
	assert_status 1
	assert_output_contains "FAIL 'blue' -> 'v-net-0' 192.168.15.5 icmp"
	assert_output_contains "FAIL 'red' -> 'blue' 192.168.15.2 icmp"
	run nsnet check tutorial --json
	assert_status 1
	assert_json '.ok == false' "$output"
	assert_json '[.probes[] | select(.ok | not) | select(.from != "blue" and .target != "blue")] == []' "$output"
	assert_json '[.probes[] | select(.from == "red" and .target == "v-net-0")][0].ok' "$output"
	assert_json '[.probes[] | select(.from == "blue" and .kind == "file")][0].result == "unreachable"' "$output"
}

@test "check: isolation from another topology is probed both ways; without nft tables it fails" {
	TOPOS=(tutorial other)
	run nsnet up "$TUT"
	assert_status 0
	run nsnet up "$FIX/topology-other.yaml"
	assert_status 0
	run nsnet check tutorial --json --timeout 500
	# The file's LAN checks fail (no LAN here); isolation must hold both ways.
	assert_json '[.probes[] | select(.kind == "isolation")] | length == 4 and all(.ok)' "$output"
	assert_json '[.probes[] | select(.kind == "isolation") | [.from, .target, .address]] | sort ==
		[["blue", "other/green", "10.10.0.2"], ["green", "blue", "192.168.15.2"],
		 ["green", "red", "192.168.15.1"], ["red", "other/green", "10.10.0.2"]]' "$output"
	# Both topologies' tables hold the drop; without them the host routes between the bridges.
	nft delete table inet nsnet-tutorial
	nft delete table inet nsnet-other
	run nsnet check tutorial --json --timeout 500
	assert_status 1
	assert_json '[.probes[] | select(.kind == "isolation")] | all(.ok | not) and all(.result == "reached")' "$output"
}

@test "check: forwards tcp, udp and IPv6 reach nsnet's listener; a real server is used; a broken map fails" {
	TOPOS=(six)
	run nsnet up "$FIX/topology-six.yaml"
	assert_status 0
	run nsnet check six --json
	assert_status 0
	# "s1:80" reaches both of s1's families: probed in each.
	assert_json '[.probes[] | select(.kind == "forward")] | map([.protocol, .port, .listen.address, .listen.by_nsnet, .result]) ==
		[["tcp", 8080, "10.6.0.2", true, "reached"], ["tcp", 8080, "fd06::2", true, "reached"],
		 ["udp", 9000, "10.6.0.3", true, "reached"], ["tcp", 8443, "fd06::2", true, "reached"]]' "$output"
	assert_json '[.probes[] | select(.kind == "gateway" and .address == "fd06::1")] | length == 2 and all(.result == "reached")' "$output"
	serve s1 80
	run nsnet check six --json
	assert_status 0
	assert_json '[.probes[] | select(.kind == "forward" and .port == 8080)][0] |
		.listen.by_nsnet == false and .note == "a service listens at the target"' "$output"
	nft delete element inet nsnet-six fwd4 '{ tcp . 8080 }'
	run nsnet check six
	assert_status 1
	assert_output_contains "FAIL host -> 10.6.0.1:8080 tcp => 's1' 10.6.0.2:80"
}

@test "check: not up -> exit 1; bad checks in the file -> exit 2 with file:line:col; bad options" {
	run nsnet check tutorial
	assert_status 1
	assert_output_contains "topology 'tutorial' is not up"
	printf 'name: t\nnamespaces:\n  a: {}\nchecks:\n  - {from: b, to: 10.0.0.1}\n' >"$BATS_TEST_TMPDIR/t.yaml"
	run nsnet check "$BATS_TEST_TMPDIR/t.yaml"
	assert_status 2
	assert_output_contains "t.yaml:5:12: checks[0].from: namespace 'b' is not in this topology"
	run nsnet check tutorial --timeout 5
	assert_status 2
	assert_output_contains "--timeout: '5' is not 50 to 60000 (ms)"
	run nsnet check
	assert_status 2
}

@test "check: 100 namespaces on one bridge probed as a ring, in seconds" {
	TOPOS=(hundred)
	local f=$BATS_TEST_TMPDIR/hundred.yaml i
	{
		printf 'name: hundred\nbridges:\n  br-h: {address: 10.80.0.1/24}\nnamespaces:\n'
		for ((i = 0; i < 100; i++)); do
			printf '  h%d: {interfaces: {e0: {bridge: br-h, address: 10.80.0.%d/24}}}\n' "$i" $((i + 2))
		done
	} >"$f"
	run nsnet up "$f"
	assert_status 0
	local t0=$EPOCHREALTIME
	run nsnet check hundred --json
	local secs
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
	assert_status 0
	# Each to its gateway and to the next on the bridge (a mesh would overflow
	# the kernel's shared neighbour table; see CHECK_MESH_MAX).
	assert_json '.passed == 200 and .failed == 0 and .sampled and .waves == 1' "$output"
	assert_json '[.probes[] | select(.kind == "peer") | [.from, .target]] | index([["h99", "h0"]]) != null' "$output"
	echo "# 200 probes in $secs s (nsnet says $(jq .seconds <<<"$output"))" >&3
	# Under valgrind time means nothing.
	[[ -n $NSNET_WRAP ]] || awk -v s="$secs" 'BEGIN { exit !(s < 5) }' || fail "check took $secs s"
}
