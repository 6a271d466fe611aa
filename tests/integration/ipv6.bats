#!/usr/bin/env bats
# IPv6 routed through the host: the dual-stack tutorial end to end.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/ipv6.bats
#
#   lan: eth0 192.168.1.3/24 2001:db8:1::3/64 <-- veth --> host: eth0 .2 ::2 (lib.bash lan_up)
#   host: v-net-0 192.168.15.5/24 fd00:15::5/64 (nat)   (examples/tutorial-dual.yaml)
#           red  veth-red  .1 fd00:15::1      blue veth-blue .2 fd00:15::2
#           tcp 80 -> blue:80 (both families)
#   other6: v-net-6 10.16.0.1/24 fd00:16::1/64: green6 .2 ::2   (fixtures/topology-other6.yaml)
#
# Oracles: ping -6, socat servers that print the client address they saw,
# `ip -6 -j route`, `nft -j list`, /proc/sys, radvd (router advertisements,
# run here in a namespace and stopped by its PID), the kernel's ICMPv6
# counters (nstat), and lib.bash's leak check, which also covers every host
# interface's force_forwarding and accept_ra.
load lib

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
DUAL=$EXAMPLES/tutorial-dual.yaml
OTHER6=$(realpath "$BATS_TEST_DIRNAME/fixtures/topology-other6.yaml")
FF=/proc/sys/net/ipv6/conf
NOTE=/run/nsnet/net.ipv6.conf.eth0.force_forwarding.sysctl

setup() {
	# up turns IPv4 forwarding on and down leaves it on (documented).
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
	TOPOS=(tutorial)
	PIDS=()
}

cleanup_test() {
	local pid ns t rc=0
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in red blue green green6 ctl lan; do
		if is_netns_mount "/run/netns/$ns"; then
			for pid in $(ip netns pids "$ns"); do kill "$pid" 2>/dev/null; done
		fi
	done
	ip link del ctl0 2>/dev/null
	! is_netns_mount /run/netns/ctl || ip netns del ctl
	# down first: it gives eth0 back, and can only while eth0 is there.
	for t in "${TOPOS[@]}"; do
		nsnet down "$t" >"$BATS_TEST_TMPDIR/down.out" 2>&1 || {
			cat "$BATS_TEST_TMPDIR/down.out" >&2
			rc=1
		}
	done
	lan_down
	return "$rc"
}

up_ok() {
	run --separate-stderr nsnet up "$1"
	assert_status 0
}

sysctl_is() { [[ $(<"$1") == "$2" ]] || fail "${1#/proc/sys/}: $(<"$1"), want $2"; }

# ping6 NS ADDR: answered, allowing for the first neighbour discovery on links just up.
ping6() { wait_until 5 ip netns exec "$1" ping -6 -c1 -W1 "$2" >/dev/null; }

# no_ping6 NS ADDR: no answer in two tries.
no_ping6() { ! ip netns exec "$1" ping -6 -c2 -i0.3 -W1 "$2" >/dev/null 2>&1; }

# seen FROM ADDR PORT WANT: a line sent to [ADDR]:PORT is answered "... from WANT".
seen() {
	local got want
	want="from $(v6full "$4")"
	got=$(send "$1" "[$2]" "$3" TCP6)
	[[ $got == *"$want" ]] || fail "from ${1/#-/the host} to [$2]:$3: expected '... $want', got '$got'"
}

# radvd_start NS IFACE PREFIX: router advertisements of PREFIX on IFACE from NS (its own
# radvd); answers to solicitations go to every node too, not only the one that asked.
radvd_start() {
	local conf=$BATS_TEST_TMPDIR/radvd-$1.conf
	printf 'interface %s {\n\tAdvSendAdvert on;\n\tMinRtrAdvInterval 3;\n\tMaxRtrAdvInterval 4;\n\tAdvDefaultLifetime 600;\n\tAdvRASolicitedUnicast off;\n\tprefix %s { AdvOnLink on; AdvAutonomous on; };\n};\n' \
		"$2" "$3" >"$conf"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip netns exec "$1" radvd -C "$conf" -p "$BATS_TEST_TMPDIR/radvd-$1.pid" -n -m stderr \
		</dev/null >"$BATS_TEST_TMPDIR/radvd-$1.log" 2>&1 3>&- &
	PIDS+=($!)
}

ra_route() { ip -6 -j route show default dev "$1" | jq -e 'any(.[]; .protocol == "ra")' >/dev/null; }

@test "dual stack: NAT66 to the LAN; IPv6 forwarded on v-net-0 and eth0 only, all.forwarding untouched; down gives eth0 back" {
	lan_up
	sysctl_is $FF/eth0/force_forwarding 0
	up_ok "$DUAL"
	sysctl_is $FF/v-net-0/force_forwarding 1
	sysctl_is $FF/eth0/force_forwarding 1
	sysctl_is $FF/all/forwarding 0
	sysctl_is $FF/all/force_forwarding 0
	sysctl_is $FF/default/force_forwarding 0
	sysctl_is $FF/lo/force_forwarding 0
	[[ $(<"$NOTE") == 0 ]] || fail "eth0's old value is not noted: $(ls /run/nsnet)"
	ping6 red 2001:db8:1::3
	ping6 blue 2001:db8:1::3
	nft -j list chain inet nsnet-tutorial postrouting | jq -e '[.nftables[].rule.expr? // empty
		| select(any(.[]; .match.right == "@nat6") and any(.[]; has("masquerade")))] | length == 1' \
		>/dev/null || fail "no NAT66 rule: $(nft list chain inet nsnet-tutorial postrouting)"
	PIDS=()
	serve lan TCP6 8080 lan
	seen red 2001:db8:1::3 8080 2001:db8:1::2
	run nsnet up "$DUAL"
	assert_output_contains "up to date"
	run nsnet down tutorial
	assert_status 0
	assert_output_contains "sysctl net.ipv6.conf.eth0.force_forwarding = 0"
	sysctl_is $FF/eth0/force_forwarding 0
	[[ ! -e $NOTE ]] || fail "note left: $(ls /run/nsnet)"
}

@test "nat: false: routed IPv6 keeps its addresses both ways" {
	local f=$BATS_TEST_TMPDIR/routed.yaml
	sed 's/nat: true/nat: false/' "$DUAL" >"$f"
	lan_up
	ip -n lan -6 route add fd00:15::/64 via 2001:db8:1::2
	up_ok "$f"
	nft -j list table inet nsnet-tutorial | jq -e '[.nftables[].set? // empty | select(.name == "nat6")] | length == 0' \
		>/dev/null || fail "a nat6 set without nat: $(nft list table inet nsnet-tutorial)"
	# The first neighbour discoveries on links just up may need a retry (1 s).
	ping6 red 2001:db8:1::3
	serve lan TCP6 8080 lan
	seen red 2001:db8:1::3 8080 fd00:15::1
	serve red TCP6 8081 red
	seen lan fd00:15::1 8081 2001:db8:1::3
}

@test "forwards over IPv6: the LAN's client seen as itself; hairpin; from the host; [::1] stays the host's; passing traffic not DNATed" {
	lan_up
	ip -n lan -6 route add fd00:15::/64 via 2001:db8:1::2
	up_ok "$DUAL"
	# "blue:80" covers both families of blue.
	nft -j list map inet nsnet-tutorial fwd4 | jq -e '[.nftables[].map.elem? // empty | .[]] ==
		[[{"concat": ["tcp", 80]}, {"concat": ["192.168.15.2", 80]}]]' >/dev/null ||
		fail "fwd4: $(nft list map inet nsnet-tutorial fwd4)"
	nft -j list map inet nsnet-tutorial fwd6 | jq -e '[.nftables[].map.elem? // empty | .[]] ==
		[[{"concat": ["tcp", 80]}, {"concat": ["fd00:15::2", 80]}]]' >/dev/null ||
		fail "fwd6: $(nft list map inet nsnet-tutorial fwd6)"
	wait_until 5 not_tentative blue
	ping6 lan fd00:15::1
	ping6 red fd00:15::2
	serve blue TCP6 80 blue
	serve red TCP6 80 red
	serve - TCP6 80 host '[::1]'
	seen lan 2001:db8:1::2 80 2001:db8:1::3
	# Hairpin: red reaches blue through the host's address, masqueraded to the bridge's.
	seen red 2001:db8:1::2 80 fd00:15::5
	# From the host itself, to its own address.
	[[ $(send - '[2001:db8:1::2]' 80 TCP6) == "blue got hello"* ]] || fail "host -> [2001:db8:1::2]:80"
	# [::1] cannot be DNATed (IPv6 has no route_localnet): the host's own service answers.
	[[ $(send - '[::1]' 80 TCP6) == "host got hello"* ]] || fail "[::1]:80 did not stay the host's"
	# Passing through the host to red's own address: red answers, not the forward.
	[[ $(send lan '[fd00:15::1]' 80 TCP6) == "red got hello from $(v6full 2001:db8:1::3)" ]] ||
		fail "traffic to [fd00:15::1]:80 was not red's"
	# IPv4 of the same forward.
	serve blue TCP 80 blue4
	[[ $(send lan 192.168.1.2 80) == "blue4 got hello from 192.168.1.3" ]] || fail "IPv4 of blue:80"
}

@test "two dual-stack topologies: isolated over IPv6 both ways; eth0 stays forwarding until the last one is down" {
	TOPOS=(tutorial other6)
	lan_up
	up_ok "$DUAL"
	up_ok "$OTHER6"
	ping6 red fd00:15::2
	ping6 green6 fd00:16::1
	no_ping6 red fd00:16::2 || fail "red reaches green6 over IPv6"
	no_ping6 green6 fd00:15::1 || fail "green6 reaches red over IPv6"
	run nsnet check tutorial --json
	assert_status 0
	assert_json '[.probes[] | select(.kind == "isolation" and (.address | contains(":")))] | length == 4 and all(.ok)'
	# The first down leaves eth0 to the other, which still routes IPv6 (its bridge says so).
	run nsnet down tutorial
	assert_status 0
	sysctl_is $FF/eth0/force_forwarding 1
	[[ -e $NOTE ]] || fail "the note went with the first down"
	ping6 green6 2001:db8:1::3
	run nsnet down other6
	assert_status 0
	assert_output_contains "sysctl net.ipv6.conf.eth0.force_forwarding = 0"
	sysctl_is $FF/eth0/force_forwarding 0
}

@test "an uplink forwarding before nsnet: not noted, and left on by down" {
	lan_up
	sysctl -qw net.ipv6.conf.eth0.force_forwarding=1
	up_ok "$DUAL"
	[[ ! -e $NOTE ]] || fail "noted a setting nsnet did not change"
	run nsnet down tutorial
	assert_status 0
	sysctl_is $FF/eth0/force_forwarding 1
	sysctl -qw net.ipv6.conf.eth0.force_forwarding=0 # the leak check's baseline
}

@test "the host's RA-learnt default route stays through up and down, and RAs keep being taken" {
	lan_up
	radvd_start lan eth0 2001:db8:1::/64
	# A solicitation now, rather than at the next periodic one.
	sysctl -qw net.ipv6.conf.eth0.accept_dad=0
	ip link set eth0 down
	ip link set eth0 up
	ip addr add 2001:db8:1::2/64 dev eth0 nodad
	sysctl_is $FF/eth0/accept_ra 1
	wait_until 10 ra_route eth0
	up_ok "$DUAL"
	ra_route eth0 || fail "the RA route went at up: $(ip -6 route show default)"
	sysctl_is $FF/all/forwarding 0
	sysctl_is $FF/eth0/accept_ra 1
	# Still taken while forwarding: a deleted RA route comes back with the next RA.
	ip -6 route del default dev eth0 proto ra
	! ra_route eth0 || fail "could not delete the RA route"
	wait_until 10 ra_route eth0
	ping6 red 2001:db8:1::3
	run nsnet down tutorial
	assert_status 0
	ra_route eth0 || fail "the RA route went at down: $(ip -6 route show default)"
	ip link set eth0 down # stop taking RAs before the leak check
}

@test "RA hardening: a namespace's router advertisements reach no one nsnet configured; IPv4-only links get no IPv6" {
	local f=$BATS_TEST_TMPDIR/ra.yaml ns
	# The tutorial's red and blue, and green with IPv4 only, on one bridge.
	sed '/^forwards:/,$d' "$DUAL" >"$f"
	printf '  green:\n    interfaces:\n      veth-green: {bridge: v-net-0, address: 192.168.15.3/24}\n' >>"$f"
	up_ok "$f"
	for ns in red blue green; do
		[[ $(ip netns exec $ns cat /proc/sys/net/ipv6/conf/veth-$ns/accept_ra) == 0 ]] ||
			fail "veth-$ns in $ns accepts RAs"
	done
	sysctl_is $FF/v-net-0/accept_ra 0
	radvd_start red veth-red 2001:db8:99::/64
	# A control that takes RAs as any Linux does: proof they cross the bridge.
	ip netns add ctl
	ip link add ctl0 type veth peer name eth0 netns ctl
	ip link set ctl0 master v-net-0 up
	ip -n ctl link set eth0 up
	wait_until 15 bash -c '[[ $(ip -n ctl -6 -j addr show dev eth0 | jq "[.[].addr_info[] | select(.local | startswith(\"2001:db8:99:\"))] | length") -gt 0 ]]'
	ip -n blue -6 -j addr | jq -e '[.[].addr_info[] | select(.local | startswith("2001:db8:99:"))] | length == 0' >/dev/null ||
		fail "blue took an address from red's RA: $(ip -n blue -6 addr)"
	ip -n blue -6 -j route | jq -e 'all(.[]; .protocol != "ra")' >/dev/null ||
		fail "blue took a route from red's RA: $(ip -n blue -6 route)"
	[[ $(ip -n green -j -6 addr show dev veth-green | jq -c '[.[] | .addr_info // [] | .[]]') == "[]" ]] ||
		fail "IPv4-only green has IPv6: $(ip -n green -6 addr)"
	ip -j -6 addr show dev v-net-0 | jq -e '[.[].addr_info[] | select(.local | startswith("2001:db8:99:"))] | length == 0' >/dev/null ||
		fail "the host took an address through v-net-0: $(ip -6 addr show dev v-net-0)"
	ip -j -6 route | jq -e 'all(.[]; .protocol != "ra")' >/dev/null || fail "the host took a route: $(ip -6 route)"
	# Links that accept no RAs send no router solicitation either.
	for ns in blue green; do
		[[ $(ip netns exec $ns nstat -az Icmp6OutRouterSolicits | awk '/Icmp6OutRouterSolicits/ {print $2}') == 0 ]] ||
			fail "$ns sent router solicitations"
	done
	ip link del ctl0
	ip netns del ctl
}

@test "check and doctor see IPv6: probes in both families; a write of 0 to all.forwarding is noticed, and up repairs it" {
	lan_up
	up_ok "$DUAL"
	run nsnet check tutorial --json
	assert_status 0
	assert_json '[.probes[] | select(.address | contains(":")) | .kind] | sort == ["forward", "gateway", "gateway", "peer", "peer"]'
	assert_json '[.probes[] | select(.kind == "forwarding") | [.target, .protocol, .result]] ==
		[["v-net-0", "sysctl", "reached"], ["eth0", "sysctl", "reached"]]'
	# Another tool writes 0 over 0: force_forwarding is gone everywhere.
	sysctl -qw net.ipv6.conf.all.forwarding=0
	sysctl_is $FF/eth0/force_forwarding 0
	run nsnet check tutorial
	assert_status 1
	assert_output_contains "FAIL host forwards IPv6 arriving on 'eth0' (net.ipv6.conf.eth0.force_forwarding = 1): off"
	run nsnet doctor tutorial --json
	assert_json '[.findings[] | select(.id == "ipv6-forward-off")] | length == 1 and
		(.[0].fix | startswith("sysctl -w net.ipv6.conf.v-net-0.force_forwarding=1 net.ipv6.conf.eth0.force_forwarding=1"))'
	run nsnet status tutorial
	assert_output_contains "~ sysctl net.ipv6.conf.eth0.force_forwarding = 1"
	run nsnet up "$DUAL"
	assert_status 0
	assert_output_contains "2 changes"
	run nsnet check tutorial
	assert_status 0
	# Drift in a namespace link: accepting RAs again is repaired too.
	ip netns exec red sysctl -qw net.ipv6.conf.veth-red.accept_ra=1
	run nsnet doctor tutorial --json
	assert_json '[.findings[] | select(.id == "accept-ra-on") | .subject] == ["link '"'veth-red'"' in '"'red'"'"]'
	run nsnet up "$DUAL"
	assert_output_contains "~ sysctl net.ipv6.conf.veth-red.accept_ra = 0 in 'red'"
	[[ $(ip netns exec red cat /proc/sys/net/ipv6/conf/veth-red/accept_ra) == 0 ]] || fail "not repaired"
}

@test "rollback: a failure at every K of the dual-stack tutorial's up gives back every IPv6 object and sysctl" {
	local n k f=$BATS_TEST_TMPDIR/count
	lan_up
	wait_until 5 bash -c '[[ -z $(ip -6 addr show tentative; ip -n lan -6 addr show tentative) ]]'
	snapshot "$BATS_TEST_TMPDIR/lan"
	NSNET_FAULT_COUNT=$f nsnet up "$DUAL" >/dev/null
	nsnet down tutorial >/dev/null
	n=$(<"$f")
	((n > 30)) || fail "implausible mutation count: $n"
	for ((k = 1; k <= n; k++)); do
		[[ $NSNET_WRAP != *valgrind* ]] || ((k % 5 == 0 || k == n)) || continue
		NSNET_FAULT_AT=$k run nsnet up "$DUAL"
		[[ $status -eq 1 ]] || fail "K=$k: exit $status: $output"
		leak_diff "$BATS_TEST_TMPDIR/lan" || fail "K=$k: not back to the baseline"
	done
}
