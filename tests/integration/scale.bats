#!/usr/bin/env bats
# Many namespaces on one bridge, the shape of the benchmark (bench/):
#
#   br-scale 10.65.0.1/16 (nat) -- vsI (host end) <-> eth0 10.65.0.(I+2)/16 in sI, I < N
#                                  default route via 10.65.0.1, forward 20000+I -> sI:80
#
# down removes the namespaces in one go and waits for the kernel to take the
# host ends with them; up turns IPv6 off on links that get no IPv6 address.
# Oracles: ip -j, NSNET_FAULT_COUNT (kernel writes), pings.
load lib

N=50

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
	SCALE=$BATS_TEST_TMPDIR/scale.yaml
	gen_scale "$N" >"$SCALE"
}

cleanup_test() {
	"$NSNET" down scale >/dev/null 2>&1
	return 0
}

# gen_scale N: the topology above, N namespaces.
gen_scale() {
	local n=$1 i a
	printf 'name: scale\nbridges:\n  br-scale: {address: 10.65.0.1/16, nat: true}\nnamespaces:\n'
	for ((i = 0; i < n; i++)); do
		a=$((i + 2))
		printf '  s%d:\n    interfaces:\n      eth0: {bridge: br-scale, host-end: vs%d, address: 10.65.%d.%d/16}\n' \
			"$i" "$i" $((a >> 8)) $((a & 255))
		printf '    routes:\n      - {to: default, via: 10.65.0.1}\n'
	done
	printf 'forwards:\n'
	for ((i = 0; i < n; i++)); do
		a=$((i + 2))
		printf '  - {port: %d, to: "10.65.%d.%d:80"}\n' $((20000 + i)) $((a >> 8)) $((a & 255))
	done
}

# host_ends: the names of the host links whose name starts with vs, one a line.
host_ends() { ip -j link show | jq -r '.[] | select(.ifname | startswith("vs")) | .ifname'; }

# no_ipv6: no IPv6 address on the links that get none from the file, not even fe80::
# (no DAD, router solicitation or MLD for the bridge to flood to every port).
no_ipv6() {
	local v6
	v6=$(ip -j -6 addr show | jq -c '[.[] | select(.ifname != "lo" and (.addr_info | length) > 0) | .ifname]')
	[[ $v6 == "[]" ]] || fail "host links with IPv6 addresses: $v6" || return
	v6=$(ip -n s7 -j -6 addr show dev eth0 | jq -c '[.[] | .addr_info // [] | .[]]')
	[[ $v6 == "[]" ]] || fail "s7 eth0: $v6" || return
	ip -j -d link show br-scale | jq -e '.[0].inet6_addr_gen_mode == "none"' >/dev/null ||
		fail "br-scale: $(ip -d link show br-scale)" || return
	ip -j -d link show vs7 | jq -e '.[0].inet6_addr_gen_mode == "none"' >/dev/null ||
		fail "vs7: $(ip -d link show vs7)"
}

@test "scale: IPv6 off; down removes $N namespaces in bulk, the host ends gone when it returns; up right after works" {
	local f=$BATS_TEST_TMPDIR/count n
	run nsnet up "$SCALE"
	assert_status 0
	ip netns exec s0 ping -c1 -W2 10.65.0.$((N + 1)) >/dev/null || fail "s0 cannot reach s$((N - 1))"
	[[ $(host_ends | wc -l) -eq $N ]] || fail "host ends: $(host_ends | wc -l), want $N"
	no_ipv6


	NSNET_FAULT_COUNT=$f run nsnet down scale
	assert_status 0
	# Gone when down returns, not a moment later: no polling here.
	[[ -z $(host_ends) ]] || fail "host ends left after down: $(host_ends | tr '\n' ' ')"
	[[ -z $(ls -A /run/netns) ]] || fail "namespaces left: $(ls -A /run/netns)"
	! ip link show br-scale >/dev/null 2>&1 || fail "br-scale left"
	# One write per namespace, plus the bridge and the table: no link deleted one by one.
	n=$(cat "$f")
	((n <= N + 3)) || fail "down made $n kernel writes for $N namespaces"

	# Back up at once: no "File exists" from host ends the kernel had not freed yet.
	run nsnet up "$SCALE"
	assert_status 0
	[[ $output != *"File exists"* ]] || fail "$output"
	ip netns exec "s$((N - 1))" ping -c1 -W2 10.65.0.1 >/dev/null || fail "s$((N - 1)) cannot reach the bridge"
	run nsnet up "$SCALE"
	assert_status 0
	assert_output_contains "up to date"
	run nsnet down scale
	assert_status 0
	[[ -z $(host_ends) ]] || fail "host ends left after the second down"
}

@test "scale: down does not hang on a namespace a process keeps alive; its host end is deleted" {
	gen_scale 3 >"$SCALE"
	run nsnet up "$SCALE"
	assert_status 0
	ip netns exec s1 sleep 60 &
	local pid=$!
	run nsnet down scale
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
	assert_status 0
	[[ -z $(host_ends) ]] || fail "host ends left: $(host_ends | tr '\n' ' ')"
}

@test "progress: on a terminal a one-line counter for $N namespaces; a line per change into a pipe" {
	command -v script >/dev/null || skip "no script(1)"
	# script(1) gives nsnet a terminal; its output is what the terminal got.
	run script -qec "$NSNET up $SCALE" /dev/null
	assert_status 0
	local total
	total=$(grep -oE "'scale' is up: [0-9]+ changes" <<<"$output" | grep -oE '[0-9]+')
	[[ -n $total ]] || fail "no summary: $output"
	[[ $output == *$'\r\033[K['*"/$total] "* ]] || fail "no counter: ${output:0:300}"
	[[ $output == *"[$total/$total] "* ]] || fail "the counter does not reach $total"
	# Not a line per change: the counter rewrites one line.
	(($(grep -c . <<<"$output") < 5)) || fail "$(grep -c . <<<"$output") lines on the terminal"
	run nsnet down scale
	assert_status 0
	# Into a pipe: a line per change, as before.
	[[ $(grep -cE '^[-+~] ' <<<"$output") -ge $N ]] || fail "down into a pipe: $output"
}
