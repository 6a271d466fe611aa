#!/usr/bin/env bats
# The kernel layer (src/sys) driven one operation at a time by the test
# driver build/tests/nltool, checked step by step against `ip -j` and real
# pings: the namespaces tutorial built by hand.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/kernel.bats
#
# Part 1, a cable (namespaces made with `nsnet ns add`):
#
#     red                                        blue
#   +---------------------+                  +----------------------+
#   | veth-red            |------------------| veth-blue            |
#   | 192.168.15.1/24     |                  | 192.168.15.2/24      |
#   +---------------------+                  +----------------------+
#
# Part 2, a bridge on the host (the sandbox's own namespace) instead:
#
#                      host: v-net-0 (bridge) 192.168.15.5/24
#                         /                          \
#                veth-red-br                     veth-blue-br
#                     |                                |
#     red: veth-red 192.168.15.1/24        blue: veth-blue 192.168.15.2/24
#                                          routes: 192.168.1.0/24 via .15.5
#                                                  default via .15.5
#
# Part 3, the routes proven with traffic: the "outside LAN" is a namespace,
# reached through the host (forwarding on inside the sandbox only):
#
#     host: eth0 192.168.1.2/24 --------- lan: eth0 192.168.1.3/24
#                                              route 192.168.15.0/24 via 192.168.1.2

load lib

setup() {
	require_nltool
	common_setup
}

MON_PIDS=()

cleanup_test() {
	local pid ns link
	for pid in "${MON_PIDS[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	ip link set lo mtu 65536 2>/dev/null
	for link in v-net-0 v-net-1 veth-red-br veth-blue-br eth0; do
		ip link del "$link" 2>/dev/null
	done
	for ns in red blue lan; do
		is_netns_mount "/run/netns/$ns" || continue
		nsnet ns del "$ns" || ip netns del "$ns"
	done
	echo 0 >/proc/sys/net/ipv4/ip_forward
	return 0
}

# --- helpers --------------------------------------------------------------------

# ipns NS ARGS...: ip in NS, or on the host when NS is "-".
ipns() {
	local ns=$1
	shift
	if [[ $ns == - ]]; then ip "$@"; else ip -n "$ns" "$@"; fi
}

# nlt NS ARGS...: nltool in NS ("-" = host), failing the test with its stderr.
nlt() {
	local ns=$1
	shift
	if [[ $ns == - ]]; then nltool "$@"; else nltool -n "$ns" "$@"; fi ||
		fail "nltool ${ns/#-/host} $* failed (status $?)"
}

link_field() { ipns "$1" -j -d link show dev "$2" | jq -r ".[0]$3"; }
oper_up() { [[ $(link_field "$1" "$2" .operstate) == UP ]]; }
has_flag() { ipns "$1" -j link show dev "$2" | jq -e ".[0].flags | index(\"$3\") != null" >/dev/null; }

# ping_from NS IP: one ping from NS ("-" = host); a few tries for the first
# ARP/bridge learning round, each one a real ICMP echo.
ping_from() {
	local ns=$1 ip=$2 i
	for i in 1 2 3; do
		if [[ $ns == - ]]; then
			ping -c1 -W1 "$ip" >/dev/null && return 0
		else
			ip netns exec "$ns" ping -c1 -W1 "$ip" >/dev/null && return 0
		fi
	done
	fail "ping from ${ns/#-/host} to $ip failed"
}

# no_ping_from NS IP: a single ping must fail.
no_ping_from() {
	! ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 || fail "ping from $1 to $2 succeeded"
}

# cable: red and blue joined by veth-red/veth-blue (part 1), addressed and up.
cable() {
	nsnet ns add red
	nsnet ns add blue
	nlt red veth veth-red veth-blue blue
	nlt red addr veth-red 192.168.15.1/24
	nlt blue addr veth-blue 192.168.15.2/24
	nlt red up veth-red
	nlt blue up veth-blue
	wait_until 5 oper_up red veth-red
	wait_until 5 oper_up blue veth-blue
}

# bridged: part 2 (v-net-0 with a veth per namespace), everything up.
bridged() {
	nsnet ns add red
	nsnet ns add blue
	nlt - bridge v-net-0
	nlt - addr v-net-0 192.168.15.5/24
	nlt - up v-net-0
	local ns i=1
	for ns in red blue; do
		nlt - veth "veth-$ns-br" "veth-$ns" "$ns"
		nlt "$ns" addr "veth-$ns" "192.168.15.$i/24"
		nlt - master "veth-$ns-br" v-net-0
		nlt - up "veth-$ns-br"
		nlt "$ns" up "veth-$ns"
		i=$((i + 1))
	done
	wait_until 5 oper_up red veth-red
	wait_until 5 oper_up blue veth-blue
	wait_until 5 oper_up - v-net-0
}

# Link monitors, to see which links ever appear in a namespace. mon_mark
# changes lo's mtu until the monitor reports it: the monitor is then live
# and has seen everything before the mark.
mon_start() {
	local ns=$1 out=$BATS_TEST_TMPDIR/mon.$1
	ipns "$ns" monitor link >"$out" 2>&1 3>&- </dev/null &
	MON_PIDS+=($!)
	mon_mark "$ns" 65000
}
mon_mark() {
	local ns=$1 mtu=$2 i
	for i in $(seq 100); do
		ipns "$ns" link set lo mtu "$mtu"
		grep -q "mtu $mtu " "$BATS_TEST_TMPDIR/mon.$ns" && return 0
		sleep 0.05
		ipns "$ns" link set lo mtu 65536
		sleep 0.05
	done
	fail "the link monitor in $ns never reported the mark"
}
mon_stop() {
	mon_mark "$1" 65001
	ipns "$1" link set lo mtu 65536
}

# --- part 1: a cable ---------------------------------------------------------------

@test "veth NAME PEER PEER_NS: each end in its namespace, peer created directly in blue" {
	nsnet ns add red
	nsnet ns add blue
	mon_start red
	mon_start -

	run --separate-stderr nltool -n red veth veth-red veth-blue blue
	assert_status 0
	mon_stop red
	mon_stop -

	[[ $(link_field red veth-red .linkinfo.info_kind) == veth ]]
	[[ $(link_field blue veth-blue .linkinfo.info_kind) == veth ]]
	! ip link show veth-red &>/dev/null || fail "veth-red is on the host"
	! ip link show veth-blue &>/dev/null || fail "veth-blue is on the host"
	! ip -n red link show veth-blue &>/dev/null || fail "veth-blue is in red"
	# The ends are each other's peer: veth-red's link index is veth-blue's ifindex.
	[[ $(link_field red veth-red .link_index) == "$(link_field blue veth-blue .ifindex)" ]]
	# Never in red, never on the host, not even for a moment.
	! grep -E '^[0-9]+: veth-blue[@:]' "$BATS_TEST_TMPDIR/mon.red" ||
		fail "veth-blue appeared in red before moving to blue"
	! grep -E '^[0-9]+: veth-(red|blue)[@:]' "$BATS_TEST_TMPDIR/mon.-" ||
		fail "the pair passed through the host"
	# Created down, as iproute2 does.
	! has_flag red veth-red UP
}

@test "addr + up: red pings blue over the cable; red's ARP entry has blue's MAC" {
	cable
	run ip -n red -j addr show dev veth-red
	assert_json '.[0].addr_info | any(.family == "inet" and .local == "192.168.15.1" and .prefixlen == 24)'
	run ip -n blue -j addr show dev veth-blue
	assert_json '.[0].addr_info | any(.family == "inet" and .local == "192.168.15.2" and .prefixlen == 24)'
	has_flag red veth-red UP
	has_flag blue veth-blue UP

	ping_from red 192.168.15.2
	local mac
	mac=$(link_field blue veth-blue .address)
	run ip -n red -j neigh show 192.168.15.2 dev veth-red
	assert_json "length == 1 and .[0].lladdr == \"$mac\""
}

@test "addr with IPv6: the address is on the device as ip shows it" {
	cable
	nlt red addr veth-red fd00:15::1/64
	run ip -n red -j -6 addr show dev veth-red
	assert_json '.[0].addr_info | any(.local == "fd00:15::1" and .prefixlen == 64)'
	nlt red addr-del veth-red fd00:15::1/64
	run ip -n red -j -6 addr show dev veth-red
	assert_json '.[0].addr_info | all(.local != "fd00:15::1")'
}

@test "addr-del and down: the address goes, the link is administratively down, ping fails" {
	cable
	nlt red addr-del veth-red 192.168.15.1/24
	run ip -n red -j addr show dev veth-red
	assert_json '.[0].addr_info | all(.family != "inet")'
	nlt red addr veth-red 192.168.15.1/24
	ping_from red 192.168.15.2

	nlt blue down veth-blue
	! has_flag blue veth-blue UP || fail "veth-blue still UP"
	# Its peer loses carrier.
	wait_until 5 has_flag red veth-red NO-CARRIER
	no_ping_from red 192.168.15.2
}

@test "del: deleting one end removes the pair in both namespaces" {
	cable
	nlt red del veth-red
	! ip -n red link show veth-red &>/dev/null || fail "veth-red still in red"
	! ip -n blue link show veth-blue &>/dev/null || fail "veth-blue still in blue"
	run ip -n red -j link show
	assert_json 'map(.ifname) == ["lo"]'
}

# --- part 2: a bridge ----------------------------------------------------------------

@test "bridge: v-net-0 is a bridge with its address, up" {
	nlt - bridge v-net-0
	[[ $(link_field - v-net-0 .linkinfo.info_kind) == bridge ]]
	! has_flag - v-net-0 UP
	nlt - addr v-net-0 192.168.15.5/24
	nlt - up v-net-0
	has_flag - v-net-0 UP
	run ip -j addr show dev v-net-0
	assert_json '.[0].addr_info | any(.family == "inet" and .local == "192.168.15.5" and .prefixlen == 24)'
}

@test "bridge: ports mastered to v-net-0; host pings red and blue, red pings blue" {
	bridged
	run ip -j link show master v-net-0
	assert_json 'map(.ifname) | sort == ["veth-blue-br", "veth-red-br"]'
	[[ $(link_field red veth-red .link_index) == "$(link_field - veth-red-br .ifindex)" ]]
	[[ $(link_field - veth-red-br .linkinfo.info_slave_kind) == bridge ]]

	ping_from - 192.168.15.1
	ping_from - 192.168.15.2
	ping_from red 192.168.15.2
	ping_from blue 192.168.15.5
	# Learned through the bridge: red's ARP entry for blue is blue's own MAC.
	run ip -n red -j neigh show 192.168.15.2
	assert_json ".[0].lladdr == \"$(link_field blue veth-blue .address)\""
}

@test "nomaster: a port leaves the bridge and blue becomes unreachable from red" {
	bridged
	ping_from red 192.168.15.2
	nlt - nomaster veth-blue-br
	[[ $(link_field - veth-blue-br '.master // "none"') == none ]]
	run ip -j link show master v-net-0
	assert_json 'map(.ifname) == ["veth-red-br"]'
	ip -n red neigh flush dev veth-red
	no_ping_from red 192.168.15.2
	nlt - master veth-blue-br v-net-0
	ping_from red 192.168.15.2
}

@test "mtu: set on a host port and inside a namespace, as ip shows" {
	bridged
	nlt - mtu veth-red-br 1400
	[[ $(link_field - veth-red-br .mtu) == 1400 ]]
	nlt red mtu veth-red 1400
	[[ $(link_field red veth-red .mtu) == 1400 ]]
	# Other links untouched.
	[[ $(link_field - veth-blue-br .mtu) == 1500 ]]
	[[ $(link_field blue veth-blue .mtu) == 1500 ]]
}

@test "route: blue gets 192.168.1.0/24 and default via 192.168.15.5, as ip shows" {
	bridged
	nlt blue route 192.168.1.0/24 via 192.168.15.5
	nlt blue route default via 192.168.15.5
	run ip -n blue -j route show table main
	assert_json 'any(.[]; .dst == "192.168.1.0/24" and .gateway == "192.168.15.5" and .dev == "veth-blue")'
	assert_json 'any(.[]; .dst == "default" and .gateway == "192.168.15.5" and .dev == "veth-blue")'
	# Exactly those two plus the connected route.
	assert_json 'map(.dst) | sort == ["192.168.1.0/24", "192.168.15.0/24", "default"]'

	nlt blue route-del 192.168.1.0/24 via 192.168.15.5
	nlt blue route-del default via 192.168.15.5
	run ip -n blue -j route show table main
	assert_json 'map(.dst) == ["192.168.15.0/24"]'
}

@test "route: dev-only and IPv6 routes, as ip shows" {
	bridged
	nlt blue route 10.7.0.0/16 dev veth-blue
	run ip -n blue -j route show 10.7.0.0/16
	assert_json 'length == 1 and .[0].dev == "veth-blue" and .[0].gateway == null'
	nlt blue addr veth-blue fd00:15::2/64
	nlt blue route fd00:7::/64 via fd00:15::5
	run ip -n blue -j -6 route show fd00:7::/64
	assert_json 'length == 1 and .[0].gateway == "fd00:15::5" and .[0].dev == "veth-blue"'
	nlt blue route-del 10.7.0.0/16 dev veth-blue
	nlt blue route-del fd00:7::/64 via fd00:15::5
	run ip -n blue -j route show 10.7.0.0/16
	assert_json 'length == 0'
	run ip -n blue -j -6 route show fd00:7::/64
	assert_json 'length == 0'
}

@test "route: traffic from blue to the LAN follows the /24 route, then the default one" {
	bridged
	lan_up # the outside LAN (lib.bash; the test's scenery, not under test)
	ip -n lan route add 192.168.15.0/24 via 192.168.1.2
	echo 1 >/proc/sys/net/ipv4/ip_forward
	wait_until 5 oper_up lan eth0

	no_ping_from blue 192.168.1.3
	nlt blue route 192.168.1.0/24 via 192.168.15.5
	ping_from blue 192.168.1.3
	nlt blue route-del 192.168.1.0/24 via 192.168.15.5
	no_ping_from blue 192.168.1.3
	nlt blue route default via 192.168.15.5
	ping_from blue 192.168.1.3
}

@test "neigh / neigh-del: a permanent entry appears and goes, as ip -j neigh shows" {
	cable
	nlt red neigh veth-red 192.168.15.9 02:00:00:00:00:09
	run ip -n red -j neigh show 192.168.15.9 dev veth-red
	assert_json 'length == 1 and .[0].lladdr == "02:00:00:00:00:09" and (.[0].state | index("PERMANENT") != null)'
	nlt red neigh veth-red fd00:15::9 02:00:00:00:00:0a
	run ip -n red -j -6 neigh show fd00:15::9 dev veth-red
	assert_json 'length == 1 and .[0].lladdr == "02:00:00:00:00:0a"'

	nlt red neigh-del veth-red 192.168.15.9
	nlt red neigh-del veth-red fd00:15::9
	run ip -n red -j neigh show 192.168.15.9
	assert_json 'length == 0'
	run ip -n red -j -6 neigh show fd00:15::9
	assert_json 'length == 0'
}

# --- errors: "what 'name'...: RTM_XXX: strerror (kernel: extack text)" -------

@test "error: creating an existing link exits 1, names it, 'RTM_NEWLINK: File exists'" {
	nlt - bridge v-net-0
	run --separate-stderr nltool bridge v-net-0
	assert_status 1
	[[ -z $output ]] || fail "stdout: $output"
	[[ $stderr == *"'v-net-0'"*": RTM_NEWLINK: File exists"* ]] || fail "stderr: $stderr"

	cable
	run --separate-stderr nltool -n red veth veth-red veth-blue blue
	assert_status 1
	[[ $stderr == *"'veth-red'"*"RTM_NEWLINK: File exists"* ]] || fail "stderr: $stderr"
}

@test "error: mtu beyond the veth maximum shows the kernel's extended ACK" {
	bridged
	# Oracle: what the kernel says through iproute2.
	run ip link set veth-red-br mtu 70000
	assert_output_contains "mtu greater than device maximum"

	run --separate-stderr nltool mtu veth-red-br 70000
	assert_status 1
	[[ $stderr == *"'veth-red-br'"*"RTM_"*"LINK: Invalid argument (kernel: mtu greater than device maximum)"* ]] ||
		fail "stderr: $stderr"
	run --separate-stderr nltool mtu veth-red-br 10
	assert_status 1
	[[ $stderr == *"(kernel: mtu less than device minimum)"* ]] || fail "stderr: $stderr"
	[[ $(link_field - veth-red-br .mtu) == 1500 ]]
}

@test "error: enslaving a bridge to a bridge shows the kernel's extended ACK" {
	bridged
	nlt - bridge v-net-1
	run ip link set v-net-1 master v-net-0
	assert_output_contains "Can not enslave a bridge to a bridge"

	run --separate-stderr nltool master v-net-1 v-net-0
	assert_status 1
	[[ $stderr == *"'v-net-1'"*"(kernel: Can not enslave a bridge to a bridge)"* ]] ||
		fail "stderr: $stderr"
	[[ $(link_field - v-net-1 '.master // "none"') == none ]]
}

@test "error: enslaving to a non-bridge (a veth) exits 1, 'Operation not supported', no invented kernel text" {
	nsnet ns add red
	nsnet ns add blue
	nlt - veth veth-red-br veth-red red
	nlt - veth veth-blue-br veth-blue blue
	run --separate-stderr nltool master veth-red-br veth-blue-br
	assert_status 1
	[[ $stderr == *"'veth-red-br'"*"RTM_"*"LINK: Operation not supported"* ]] || fail "stderr: $stderr"
	# The kernel sends no extended ACK for this one (ip says only
	# "RTNETLINK answers: Operation not supported").
	[[ $stderr != *"(kernel:"* ]] || fail "stderr: $stderr"
	[[ $(link_field - veth-red-br '.master // "none"') == none ]]
}

@test "error: a duplicate address and an unreachable gateway show the kernel's text" {
	cable
	run --separate-stderr nltool -n red addr veth-red 192.168.15.1/24
	assert_status 1
	[[ $stderr == *"192.168.15.1/24"*"'veth-red'"*"RTM_NEWADDR: File exists (kernel: ipv4: Address already assigned)"* ]] ||
		fail "stderr: $stderr"

	run --separate-stderr nltool -n red route 10.0.0.0/8 via 10.9.9.9
	assert_status 1
	[[ $stderr == *"RTM_NEWROUTE: Network is unreachable (kernel: Nexthop has invalid gateway)"* ]] ||
		fail "stderr: $stderr"
	run ip -n red -j route show 10.0.0.0/8
	assert_json 'length == 0'
}

@test "error: missing link, missing route, missing neighbour, missing namespace exit 1" {
	cable
	run --separate-stderr nltool -n red del nosuch0
	assert_status 1
	[[ $stderr == *"'nosuch0'"*"RTM_DELLINK: No such device"* ]] || fail "stderr: $stderr"
	run --separate-stderr nltool -n red up nosuch0
	assert_status 1
	[[ $stderr == *"'nosuch0'"*"No such device"* ]] || fail "stderr: $stderr"
	run --separate-stderr nltool -n red route-del 10.1.0.0/16
	assert_status 1
	[[ $stderr == *"RTM_DELROUTE"* ]] || fail "stderr: $stderr"
	run --separate-stderr nltool -n red neigh-del veth-red 192.168.15.77
	assert_status 1
	[[ $stderr == *"RTM_DELNEIGH"* ]] || fail "stderr: $stderr"
	run --separate-stderr nltool -n nosuch up lo
	assert_status 1
	[[ $stderr == *"'nosuch'"*"does not exist"* ]] || fail "stderr: $stderr"
	run --separate-stderr nltool -n red veth x0 x1 nosuch
	assert_status 1
	[[ $stderr == *"'nosuch'"* ]] || fail "stderr: $stderr"
	! ip -n red link show x0 &>/dev/null || fail "x0 was created in red"
}
