#!/usr/bin/env bats
# A dual-stack topology with a cable, MTU/MAC settings and UDP port ranges:
#
#   br6 10.6.0.1/24 fd06::1/64 (nat) -- s1 e0 .2 ::2 (mtu 1400, mac 02:..:06:02)
#                                    -- s2 e0 .3 ::3 -- c0 10.7.0.1/30 == c0 10.7.0.2/30 s3
load lib

SIX=$BATS_TEST_DIRNAME/fixtures/topology-six.yaml

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
}

cleanup_test() {
	"$NSNET" down six >/dev/null 2>&1
	return 0
}

@test "dual stack: IPv6 reachable right after up (no DAD wait), cable, MTU and MAC applied" {
	run nsnet up "$SIX"
	assert_status 0
	ip netns exec s1 ping -c1 -W1 fd06::3 >/dev/null || fail "s1 -> fd06::3 right after up"
	ip netns exec s1 ping -c1 -W1 fd06::1 >/dev/null || fail "s1 -> its IPv6 gateway"
	ip netns exec s2 ping -c1 -W1 10.7.0.2 >/dev/null || fail "s2 -> s3 over the cable"
	[[ $(ip -n s1 -j link show e0 | jq -c '.[0] | [.mtu, .address]') == '[1400,"02:00:00:00:06:02"]' ]] ||
		fail "s1 e0: $(ip -n s1 -j link show e0)"
	# The host end of a bridged interface takes its MTU.
	local host_end
	host_end=$(ip -j link show master br6 | jq -r '.[] | select(.mtu == 1400) | .ifname')
	[[ -n $host_end ]] || fail "no host end with mtu 1400: $(ip -j link show master br6)"
	ip -n s1 -j -6 route show default | jq -e '.[0].gateway == "fd06::1"' >/dev/null ||
		fail "s1 IPv6 default: $(ip -n s1 -6 route)"
	# IPv6 stays normal where the file gives an IPv6 address (a link-local too) and is
	# off elsewhere: the IPv4-only cable and the bridge ports get none, not even fe80::.
	local ll='[.[].addr_info[] | select(.local | startswith("fe80:"))] | length == 1'
	ip -n s1 -j -6 addr show dev e0 | jq -e "$ll" >/dev/null || fail "s1 e0: $(ip -n s1 -6 addr)"
	ip -j -6 addr show dev br6 | jq -e "$ll" >/dev/null || fail "br6: $(ip -6 addr show dev br6)"
	for ns in s2 s3; do
		[[ $(ip -n $ns -j -6 addr show dev c0 | jq -c '[.[] | .addr_info // [] | .[]]') == "[]" ]] ||
			fail "$ns c0 has IPv6: $(ip -n $ns -6 addr show dev c0)"
		ip -n $ns -j -d link show c0 | jq -e '.[0].inet6_addr_gen_mode == "none"' >/dev/null ||
			fail "$ns c0: $(ip -n $ns -d link show c0)"
	done
	[[ $(ip -j -6 addr show master br6 | jq -c '[.[] | .addr_info // [] | .[]]') == "[]" ]] ||
		fail "bridge ports with IPv6: $(ip -6 addr show master br6)"
}

@test "port ranges: a UDP range expands into one map element per port, offsets kept" {
	run nsnet up "$SIX"
	assert_status 0
	local elems
	elems=$(nft -j list map inet nsnet-six fwd4 | jq -c '[.nftables[] | select(.map) | .map.elem[]]')
	for p in 0 1 2; do
		jq -e --argjson hp $((9000 + p)) --argjson tp $((7000 + p)) \
			'any(.[]; .[0].concat == ["udp", $hp] and .[1].concat == ["10.6.0.3", $tp])' \
			<<<"$elems" >/dev/null || fail "no element udp $((9000 + p)) -> 10.6.0.3:$((7000 + p)): $elems"
	done
	# [fd06::2]:443, and "s1:80" in s1's second family.
	nft -j list map inet nsnet-six fwd6 | jq -e '[.nftables[] | select(.map) | .map.elem[]] | length == 2' \
		>/dev/null || fail "fwd6: $(nft list map inet nsnet-six fwd6)"
	run nsnet up "$SIX"
	assert_status 0
	assert_output_contains "up to date"
}
