#!/usr/bin/env bats
# Bridges of `type: ovs`: the tutorial on Open vSwitch (examples/tutorial-ovs.yaml),
# against the test's own ovsdb-server and ovs-vswitchd (lib-ovs.bash; the
# kernel here has no openvswitch module, so the userspace datapath, netdev).
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/ovs.bats
#
#     host: v-net-0 = OVS bridge (OVSDB rows marked nsnet-topology=tutorial-ovs),
#           its internal port v-net-0 (a tap) 192.168.15.5/24, nat, forward 80 -> blue:80
#                 /                                     \
#       veth-red-br (OVS port)                  veth-blue-br (OVS port)
#              |                                          |
#   red: veth-red 192.168.15.1/24             blue: veth-blue 192.168.15.2/24
#     host: eth0 192.168.1.2/24  <-- veth -->  lan: eth0 192.168.1.3/24 (lan_up)
#
# Oracles: ovs-vsctl, ovsdb-client dump (ovs_dump), ovsdb-tool show-log (what
# one transaction held), ip -j, ethtool, real ICMP and TCP, and lib.bash's
# snapshot of the kernel's state.

load lib
load lib-ovs

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
TUTORIAL=$EXAMPLES/tutorial-ovs.yaml
FIXTURES=$(realpath "$BATS_TEST_DIRNAME/fixtures")
OTHER=$FIXTURES/topology-other.yaml
NSNET_GROUP=1853058676 # 0x6e736e74

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
	ovs_start
	OVS_BASE=$BATS_TEST_TMPDIR/ovs-before
	ovs_dump >"$OVS_BASE"
	TOPOS=(tutorial-ovs)
	PIDS=()
}

cleanup_test() {
	local pid t ns
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in lan red blue green; do
		! is_netns_mount "/run/netns/$ns" || for pid in $(ip netns pids "$ns"); do
			kill "$pid" 2>/dev/null
		done
	done
	lan_down
	[[ -z $OVSDB_PID || -n $OVS_VSWITCHD_PID ]] || ovs_start_vswitchd >/dev/null 2>&1
	kill -CONT "$OVS_VSWITCHD_PID" 2>/dev/null
	for t in "${TOPOS[@]}"; do
		"$NSNET" down "$t" >/dev/null 2>&1 || echo "cleanup: down $t failed" >&2
	done
	ovs-vsctl --if-exists del-br foreign
	ovs_stop
	return 0
}

# --- helpers ----------------------------------------------------------------------------

listening() { ip netns exec "$1" ss -ltnH "sport = :$2" | grep -q .; }

# serve NS PORT WORD: a TCP server in NS answering "WORD <client address>".
serve() {
	ip netns exec "$1" socat -T2 "TCP-LISTEN:$2,fork,reuseaddr" \
		SYSTEM:"echo $3 \$SOCAT_PEERADDR" </dev/null >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	wait_until 5 listening "$1" "$2"
}

# assert_fetch NS ADDR PORT WANT: connecting from NS ("-": the host) gets WANT (a glob).
assert_fetch() {
	local got
	local -a cmd=(timeout 6 socat -T2 - "TCP:$2:$3,connect-timeout=2")
	[[ $1 == - ]] || cmd=(ip netns exec "$1" "${cmd[@]}")
	got=$("${cmd[@]}" </dev/null 2>&1)
	# shellcheck disable=SC2053
	[[ $got == $4 ]] || fail "from ${1/#-/the host} to $2:$3: expected '$4', got '$got'"
}

# tcp_transfer FROM TO_ADDR SIZE: SIZE random bytes over TCP, arriving intact.
tcp_transfer() {
	local in=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out to_ns=$4 pid rc=0
	head -c "$3" /dev/urandom >"$in"
	rm -f "$out"
	ip netns exec "$to_ns" timeout 10 socat -u TCP-LISTEN:5000,reuseaddr "OPEN:$out,creat,trunc" 3>&- &
	pid=$!
	wait_until 5 listening "$to_ns" 5000
	ip netns exec "$1" timeout 5 socat -u "OPEN:$in" "TCP:$2:5000,connect-timeout=3" || rc=1
	((rc == 0)) || kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || rc=1
	((rc == 0)) && cmp -s "$in" "$out"
}

# ethtool_tx NS DEV: "on" or "off", as ethtool -k prints tx-checksumming.
ethtool_tx() { ip netns exec "$1" ethtool -k "$2" | awk '$1 == "tx-checksumming:" { print $2 }'; }

# owned_rows TOPO: "table name" of every OVSDB row marked nsnet-topology=TOPO, sorted.
owned_rows() {
	ovs_dump | jq -r --arg t "$1" 'select(.external_ids[1][]? == ["nsnet-topology", $t])
		| "\(.table | sub(" table$"; "")) \(.name)"' | LC_ALL=C sort
}

# assert_ovs_baseline: OVSDB holds what it held before the test (volatile columns aside).
assert_ovs_baseline() {
	diff -u "$OVS_BASE" <(ovs_dump) >&2 || fail "OVSDB differs from its baseline (- before, + now)"
}

# assert_link_owned IF: host link IF carries nsnet's alias for tutorial-ovs and its group.
assert_link_owned() {
	run ip -j -d link show dev "$1"
	assert_status 0
	assert_json ".[0].ifalias == \"nsnet:tutorial-ovs\" and (.[0].group | tostring) == \"$NSNET_GROUP\""
}

# transactions: how many transactions ovsdb-server's log holds with nsnet's comment.
transactions() { ovsdb-tool -m show-log "$OVS_DIR/conf.db" | grep -c '"nsnet tutorial-ovs"'; }

up_ok() {
	run nsnet up "$1"
	assert_status 0
}

# --- the tutorial ----------------------------------------------------------------------

@test "up: one transaction makes the OVS bridge and its ports, marked; ovs-vsctl agrees; a second up changes nothing; down restores OVSDB" {
	up_ok "$TUTORIAL"
	assert_output_contains "+ OVS bridge 'v-net-0' (datapath netdev)"
	[[ $output == *"'tutorial-ovs' is up: "* ]] || fail "$output"
	# ovs-vsctl's view.
	[[ $(ovs-vsctl list-br) == v-net-0 ]]
	[[ $(ovs-vsctl get Bridge v-net-0 datapath_type) == netdev ]]
	[[ $(ovs-vsctl list-ports v-net-0 | sort | tr '\n' ' ') == "veth-blue-br veth-red-br " ]]
	[[ $(ovs-vsctl get Interface v-net-0 type) == internal ]]
	[[ $(owned_rows tutorial-ovs | tr '\n' ',') == "Bridge v-net-0,Interface v-net-0,Interface veth-blue-br,Interface veth-red-br,Port v-net-0,Port veth-blue-br,Port veth-red-br," ]] ||
		fail "owned rows: $(owned_rows tutorial-ovs)"
	# Applied by ovs-vswitchd before up returned: ports have their ofport, no error.
	local p
	for p in veth-red-br veth-blue-br; do
		[[ $(ovs-vsctl get Interface "$p" ofport) -gt 0 ]] || fail "$p has no ofport"
		[[ $(ovs-vsctl get Interface "$p" error) == '[]' ]] || fail "$p: $(ovs-vsctl get Interface "$p" error)"
		# A port of OVS, not of a Linux bridge.
		run ip -j link show dev "$p"
		assert_json '.[0].master == null and (.[0].flags | index("UP"))'
	done
	[[ $(ovs-vsctl get Open_vSwitch . cur_cfg) == $(ovs-vsctl get Open_vSwitch . next_cfg) ]]
	# One transaction held every insert.
	[[ $(transactions) -eq 1 ]] || fail "$(transactions) transactions"
	# The internal port: a tap, marked, in nsnet's group, with the gateway address.
	run ip -j -d addr show dev v-net-0
	assert_json '.[0].linkinfo.info_kind == "tun" and (.[0].addr_info | map(.local) == ["192.168.15.5"])'
	assert_link_owned v-net-0
	assert_link_owned veth-red-br
	# TCP's prerequisite on the userspace datapath.
	[[ $(ethtool_tx red veth-red) == off && $(ethtool_tx blue veth-blue) == off ]]

	run nsnet up "$TUTORIAL"
	assert_status 0
	[[ $output == "'tutorial-ovs' is up to date: no change" ]] || fail "second up: $output"
	[[ $(transactions) -eq 1 ]] || fail "the second up committed"
	run nsnet status "$TUTORIAL"
	assert_status 0
	assert_output_contains "in sync"

	run nsnet down tutorial-ovs
	assert_status 0
	assert_output_contains "- OVS bridge 'v-net-0' (with its ports)"
	assert_ovs_baseline
	! ip link show v-net-0 2>/dev/null || fail "the tap v-net-0 is left"
	[[ -z $(owned_rows tutorial-ovs) ]]
	run nsnet down tutorial-ovs
	assert_status 0
}

@test "traffic: pings, a TCP transfer across OVS, NAT seen from the LAN, the forward with the client's address, hairpin" {
	up_ok "$TUTORIAL"
	lan_up
	can_ping red 192.168.15.2
	can_ping blue 192.168.15.1
	can_ping red 192.168.15.5
	can_ping - 192.168.15.2
	# The gateway's MAC is the internal port's: the host end of a port (which the host's
	# stack sees too) answers no ARP.
	[[ $(ip -n red -j neigh show 192.168.15.5 | jq -r '.[0].lladdr') == \
		$(ip -j link show dev v-net-0 | jq -r '.[0].address') ]] ||
		fail "red's neighbour 192.168.15.5: $(ip -n red neigh show 192.168.15.5)"
	[[ $(sysctl -n net.ipv4.conf.veth-red-br.arp_ignore) == 8 ]]
	# TCP through the userspace datapath (it needs the namespace ends' TX checksums off).
	tcp_transfer red 192.168.15.2 2000000 blue || fail "2 MB red -> blue over TCP did not arrive intact"
	tcp_transfer blue 192.168.15.1 500000 red || fail "blue -> red over TCP"
	# NAT: the LAN sees the host's address.
	serve lan 8080 lan
	can_ping blue 192.168.1.3
	assert_fetch blue 192.168.1.3 8080 "lan 192.168.1.2"
	assert_fetch red 192.168.1.3 8080 "lan 192.168.1.2"
	# The forward: from the LAN blue sees the real client; from the host; hairpin from red.
	serve blue 80 blue
	assert_fetch lan 192.168.1.2 80 "blue 192.168.1.3"
	assert_fetch - 192.168.1.2 80 "blue *"
	assert_fetch red 192.168.1.2 80 "blue *"
	run nsnet check "$TUTORIAL"
	assert_status 0
}

@test "isolation: the OVS tutorial and a Linux-bridge topology cannot reach each other" {
	TOPOS+=(other)
	up_ok "$TUTORIAL"
	up_ok "$OTHER"
	can_ping green 10.10.0.1
	can_ping red 192.168.15.5
	# The tap's group is what the isolation rule matches: without it, red would reach
	# green masqueraded (and get its answer).
	cannot_ping red:10.10.0.2 blue:10.10.0.2 green:192.168.15.1 green:192.168.15.2
	serve green 81 green
	run ip netns exec red timeout 3 socat -T1 - TCP:10.10.0.2:81,connect-timeout=1 </dev/null
	[[ $output != *green* ]] || fail "red reached green's server: $output"
	run nsnet check "$TUTORIAL"
	assert_status 0
	run nsnet down other
	assert_status 0
}

@test "a foreign OVS bridge is left alone; a foreign bridge, port or link holding a wanted name is refused before any change" {
	ovs-vsctl add-br foreign -- set bridge foreign datapath_type=netdev
	ovs-vsctl add-port foreign fport -- set interface fport type=internal
	local base=$BATS_TEST_TMPDIR/ovs-foreign
	ovs_dump >"$base"
	up_ok "$TUTORIAL"
	run nsnet down tutorial-ovs
	assert_status 0
	diff -u "$base" <(ovs_dump) || fail "the foreign bridge changed"
	ip link show foreign >/dev/null && ip link show fport >/dev/null
	ovs-vsctl del-br foreign
	leak_diff "$BATS_TEST_TMPDIR/before"

	# Holding the bridge's name; holding a port's name; a Linux link of the bridge's name.
	ovs-vsctl add-br v-net-0 -- set bridge v-net-0 datapath_type=netdev
	ovs_dump >"$base"
	snapshot "$BATS_TEST_TMPDIR/with-foreign"
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "OVS bridge 'v-net-0' exists and is not nsnet's; refusing to touch it"
	assert_output_contains "nothing was changed"
	diff -u "$base" <(ovs_dump)
	leak_diff "$BATS_TEST_TMPDIR/with-foreign"
	ovs-vsctl del-br v-net-0
	ovs-vsctl add-br foreign -- set bridge foreign datapath_type=netdev
	ovs-vsctl add-port foreign veth-red-br -- set interface veth-red-br type=internal
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "OVS port 'veth-red-br' (on bridge 'foreign') exists and is not nsnet's"
	ovs-vsctl del-br foreign
	ip link add v-net-0 type bridge
	run nsnet up "$TUTORIAL"
	ip link del v-net-0
	assert_status 1
	assert_output_contains "link 'v-net-0' on the host exists and is not nsnet's"
	assert_ovs_baseline
}

@test "no ovsdb-server, or no ovs-vswitchd: a clear message, exit 1, nothing changed; down has nothing to remove" {
	ovs_stop_vswitchd
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "ovs-vswitchd is not running (no one holds OVSDB lock 'ovs_vswitchd' at unix:/run/openvswitch/db.sock): start Open vSwitch"
	assert_output_contains "nothing was changed"
	assert_ovs_baseline
	leak_diff "$BATS_TEST_TMPDIR/before"
	run nsnet up --dry-run "$TUTORIAL"
	assert_status 1
	ovs_stop
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "cannot reach OVSDB at /run/openvswitch/db.sock: No such file or directory: start Open vSwitch (ovsdb-server)"
	leak_diff "$BATS_TEST_TMPDIR/before"
	run nsnet down tutorial-ovs
	assert_status 0
	# A Linux-bridge topology needs no OVS at all.
	TOPOS+=(other)
	up_ok "$OTHER"
	run nsnet down other
	assert_status 0
	ovs_start
}

@test "up in sync while ovs-vswitchd is dead: no change, and a warning that nothing crosses the bridge" {
	up_ok "$TUTORIAL"
	# Killed, its taps stay (exit --cleanup would remove them: then up would want to
	# make them again, and refuse).
	kill -KILL "$OVS_VSWITCHD_PID"
	wait "$OVS_VSWITCHD_PID" 2>/dev/null || true
	OVS_VSWITCHD_PID=
	run --separate-stderr nsnet up "$TUTORIAL"
	assert_status 0
	[[ $output == "'tutorial-ovs' is up to date: no change" ]] || fail "$output"
	[[ $stderr == *"ovs-vswitchd is not running (no one holds OVSDB lock 'ovs_vswitchd' at unix:/run/openvswitch/db.sock): nothing crosses the OVS bridges of 'tutorial-ovs' until it runs"* ]] ||
		fail "no warning: $stderr"
	run nsnet down tutorial-ovs
	assert_status 0
	ip link del ovs-netdev # the killed vswitchd's own tap
}

@test "down without ovs-vswitchd (killed, its tap left): the rows go, and the tap by netlink" {
	up_ok "$TUTORIAL"
	kill -KILL "$OVS_VSWITCHD_PID"
	wait "$OVS_VSWITCHD_PID" 2>/dev/null || true
	OVS_VSWITCHD_PID=
	ip link show v-net-0 >/dev/null || fail "SIGKILL removed the tap: the test proves nothing"
	run nsnet down tutorial-ovs
	assert_status 0
	assert_output_contains "- link 'v-net-0'"
	assert_ovs_baseline
	! ip link show v-net-0 2>/dev/null || fail "the tap v-net-0 is left"
	# The killed vswitchd's own tap of the userspace datapath (not nsnet's, not marked).
	run ip -j link show dev ovs-netdev
	assert_json '.[0].ifalias == null and .[0].group == "default"'
	ip link del ovs-netdev
}

@test "ovs-vswitchd holds its lock but applies nothing: up waits its bound, then undoes the commit" {
	# Stopped, not dead: the lock check passes, the commit is made, cur_cfg never follows.
	kill -STOP "$OVS_VSWITCHD_PID"
	local t0=$SECONDS
	run nsnet up "$TUTORIAL"
	kill -CONT "$OVS_VSWITCHD_PID"
	assert_status 1
	assert_output_contains "ovs-vswitchd did not apply the change within"
	assert_output_contains "rolled back:"
	((SECONDS - t0 < 30)) || fail "took $((SECONDS - t0)) s"
	[[ $(transactions) -eq 2 ]] || fail "$(transactions) transactions: the commit and its undo"
	ovs-vsctl --timeout=10 wait-until Open_vSwitch . cur_cfg="$(ovs-vsctl get Open_vSwitch . next_cfg)"
	assert_ovs_baseline
	leak_diff "$BATS_TEST_TMPDIR/before"
}

@test "an OVS and a Linux bridge in one file; the types swapped in place; down restores both" {
	TOPOS=(mixed)
	up_ok "$FIXTURES/ovs-mixed.yaml"
	[[ $(ovs-vsctl list-br) == ovs0 ]]
	[[ $(ovs-vsctl list-ports ovs0) == mixed-a ]]
	run ip -j -d link show dev lbr0
	assert_json '.[0].linkinfo.info_kind == "bridge"'
	run ip -j link show dev mixed-b
	assert_json '.[0].master == "lbr0"'
	can_ping a 10.30.0.2
	tcp_transfer a 10.30.0.2 300000 b || fail "TCP a -> b"
	[[ $(ethtool_tx a eth0) == off && $(ethtool_tx b eth0) == on ]]

	up_ok "$FIXTURES/ovs-mixed-swapped.yaml"
	[[ $(ovs-vsctl list-br) == lbr0 ]] || fail "bridges: $(ovs-vsctl list-br)"
	[[ $(ovs-vsctl list-ports lbr0) == mixed-b ]]
	run ip -j -d link show dev ovs0
	assert_json '.[0].linkinfo.info_kind == "bridge"'
	run ip -j -d link show dev lbr0
	assert_json '.[0].linkinfo.info_kind == "tun"'
	run ip -j link show dev mixed-a
	assert_json '.[0].master == "ovs0"'
	run ip -j link show dev mixed-b
	assert_json '.[0].master == null'
	# Each gateway is a new link with a new MAC: the namespaces' neighbour entries of the
	# old one would last until they expire (up to a minute).
	ip -n a neigh flush all
	ip -n b neigh flush all
	can_ping b 10.20.0.2
	tcp_transfer b 10.20.0.2 300000 a || fail "TCP b -> a"
	run nsnet up "$FIXTURES/ovs-mixed-swapped.yaml"
	[[ $output == "'mixed' is up to date: no change" ]] || fail "$output"

	run nsnet down mixed
	assert_status 0
	assert_ovs_baseline
}

# mixed_as_first: the state of ovs-mixed.yaml, as its up made it (the checks of the test above).
mixed_as_first() {
	[[ $(ovs-vsctl list-br) == ovs0 && $(ovs-vsctl list-ports ovs0) == mixed-a ]] ||
		fail "OVS: $(ovs-vsctl list-br) / $(ovs-vsctl list-ports ovs0 2>&1)" || return 1
	[[ $(owned_rows mixed | tr '\n' ,) == "Bridge ovs0,Interface mixed-a,Interface ovs0,Port mixed-a,Port ovs0," ]] ||
		fail "owned rows: $(owned_rows mixed)" || return 1
	ip -j -d addr show dev ovs0 | jq -e --arg g "$NSNET_GROUP" '.[0] | .linkinfo.info_kind == "tun"
		and .ifalias == "nsnet:mixed" and (.group | tostring) == $g
		and (.addr_info | map("\(.local)/\(.prefixlen)")) == ["10.20.0.1/24"]' >/dev/null ||
		fail "ovs0: $(ip -d addr show dev ovs0)" || return 1
	ip -j -d addr show dev lbr0 | jq -e '.[0] | .linkinfo.info_kind == "bridge"
		and (.addr_info | map("\(.local)/\(.prefixlen)")) == ["10.30.0.1/24"]' >/dev/null ||
		fail "lbr0: $(ip -d addr show dev lbr0)" || return 1
	[[ $(ip -j link show dev mixed-b | jq -r '.[0].master') == lbr0 &&
		$(ip -j link show dev mixed-a | jq -r '.[0].master') == null ]] || fail "masters" || return 1
	# b's host end and namespace end keep what an OVS port needed once (MIXED_B: the two).
	[[ $(sysctl -n net.ipv4.conf.mixed-a.arp_ignore) == 8 &&
		"$(sysctl -n net.ipv4.conf.mixed-b.arp_ignore) $(ethtool_tx b eth0)" == "$MIXED_B" ]] ||
		fail "arp_ignore or tx checksum of b" || return 1
	[[ $(ethtool_tx a eth0) == off ]] || fail "tx checksum of a" || return 1
	ip -n a neigh flush all
	ip -n b neigh flush all
	can_ping a 10.30.0.2
}

@test "the types swapped, failing at every K: the rollback brings the first file's state back" {
	TOPOS=(mixed)
	local n k f=$BATS_TEST_TMPDIR/count
	up_ok "$FIXTURES/ovs-mixed.yaml"
	MIXED_B="0 on"
	mixed_as_first
	up_ok "$FIXTURES/ovs-mixed-swapped.yaml"
	up_ok "$FIXTURES/ovs-mixed.yaml"
	# Left as the OVS port needed them (documented), once b's bridge was OVS.
	MIXED_B="8 off"
	mixed_as_first
	# The count of the swap from here, where every run of the sweep starts.
	NSNET_FAULT_COUNT=$f "$NSNET" up "$FIXTURES/ovs-mixed-swapped.yaml" >/dev/null
	n=$(cat "$f")
	up_ok "$FIXTURES/ovs-mixed.yaml"
	for k in $(ks "$n"); do
		NSNET_FAULT_AT=$k run nsnet up "$FIXTURES/ovs-mixed-swapped.yaml"
		[[ $status -eq 1 && $output == *"injected fault #$k"* ]] || fail "K=$k: exit $status: $output"
		[[ $output != *"rollback incomplete"* ]] || fail "K=$k: $output"
		mixed_as_first || fail "K=$k: not as before: $output"
	done
	run nsnet down mixed
	assert_status 0
	assert_ovs_baseline
}

@test "drift: a port removed and an address deleted by hand show in status; up repairs both" {
	up_ok "$TUTORIAL"
	ovs-vsctl del-port v-net-0 veth-blue-br
	ip addr del 192.168.15.5/24 dev v-net-0
	run nsnet status "$TUTORIAL"
	assert_status 1
	assert_output_contains "+ OVS port 'veth-blue-br' on 'v-net-0'"
	assert_output_contains "+ address 192.168.15.5/24 on 'v-net-0'"
	up_ok "$TUTORIAL"
	[[ $(ovs-vsctl list-ports v-net-0 | sort | tr '\n' ' ') == "veth-blue-br veth-red-br " ]]
	can_ping blue 192.168.15.5
	can_ping red 192.168.15.2
	run nsnet status "$TUTORIAL"
	assert_status 0
}

@test "check, graph and doctor: sound up; doctor names a stopped ovs-vswitchd, an unreachable OVSDB, a taken name" {
	lan_up --default-route # NAT needs a way out, or doctor says so
	up_ok "$TUTORIAL"
	run nsnet check "$TUTORIAL"
	assert_status 0
	run nsnet graph "$TUTORIAL"
	assert_status 0
	assert_output_contains 'label="v-net-0\n192.168.15.5/24\novs\nnat"'
	run --separate-stderr nsnet doctor --json "$TUTORIAL"
	assert_status 0
	assert_json '.findings == []'
	ovs_stop_vswitchd
	run --separate-stderr nsnet doctor --json tutorial-ovs
	assert_status 1
	assert_json '[.findings[].id] == ["ovs-vswitchd-down"]'
	run nsnet down tutorial-ovs
	assert_status 0
	ovs_start_vswitchd
	ovs-vsctl add-br v-net-0 -- set bridge v-net-0 datapath_type=netdev
	run --separate-stderr nsnet doctor --json "$TUTORIAL"
	assert_status 1
	assert_json '[.findings[] | select(.id == "ovs-name-taken") | .subject] == ["OVS bridge '"'v-net-0'"'"]'
	assert_json '[.findings[] | select(.id == "ovs-name-taken") | .fix][0] | startswith("ovs-vsctl del-br v-net-0")'
	ovs-vsctl del-br v-net-0
	ovs_stop
	run --separate-stderr nsnet doctor --json "$TUTORIAL"
	assert_status 1
	assert_json '[.findings[].id] == ["ovsdb-unreachable"]'
	assert_json '.findings[0].what | startswith("cannot reach OVSDB at /run/openvswitch/db.sock")'
	ovs_start
}

# --- fault injection ---------------------------------------------------------------------

# mutation_count: mutating steps of a clean up of the tutorial (OVSDB commits among them).
mutation_count() {
	local f=$BATS_TEST_TMPDIR/count
	NSNET_FAULT_COUNT=$f "$NSNET" up "$TUTORIAL" >/dev/null || return 1
	"$NSNET" down tutorial-ovs >/dev/null || return 1
	cat "$f"
}

@test "error mode: a failure at every K of up rolls back to the baseline, OVSDB included" {
	local n k
	n=$(mutation_count)
	((n > 20)) || fail "implausible mutation count: $n"
	echo "# tutorial-ovs up: $n mutating operations" >&3
	for k in $(ks "$n"); do
		NSNET_FAULT_AT=$k run nsnet up "$TUTORIAL"
		[[ $status -eq 1 ]] || fail "K=$k: exit $status, want 1: $output"
		[[ $output == *"injected fault #$k"* ]] || fail "K=$k: the failing step is not named: $output"
		assert_ovs_baseline || fail "K=$k: OVSDB not back to its baseline: $output"
		leak_diff "$BATS_TEST_TMPDIR/before" || fail "K=$k: not back to the baseline: $output"
		[[ ! -e /run/nsnet/tutorial-ovs.json ]] || fail "K=$k: state file left"
	done
}

@test "kill mode: after a kill at every K of up, down leaves no owned row and the baseline" {
	local n k
	n=$(mutation_count)
	for k in $(ks "$n"); do
		run env NSNET_FAULT_MODE=kill NSNET_FAULT_AT="$k" "$NSNET" up "$TUTORIAL"
		[[ $status -eq 137 ]] || fail "K=$k: not killed (exit $status): $output"
		# Every third time, an up first: it must finish the job.
		if ((k % 3 == 0)); then
			run nsnet up "$TUTORIAL"
			[[ $status -eq 0 ]] || fail "K=$k: up after the kill: $output"
			_ping_once red 192.168.15.2 || wait_until 3 _ping_once red 192.168.15.2 ||
				fail "K=$k: red cannot reach blue"
		fi
		run nsnet down tutorial-ovs
		[[ $status -eq 0 ]] || fail "K=$k: down failed: $output"
		[[ -z $(owned_rows tutorial-ovs) ]] || fail "K=$k: owned rows left: $(owned_rows tutorial-ovs)"
		assert_ovs_baseline || fail "K=$k"
		leak_diff "$BATS_TEST_TMPDIR/before" || fail "K=$k: down did not reach the baseline"
	done
}
