#!/usr/bin/env bats
# `nsnet doctor [FILE|NAME] [--json]`: why traffic does not flow.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/doctor.bats
#
# The sandbox's network namespace plays the host, with an outside LAN made
# here with iproute2 (never with nsnet) and the tutorial up on it:
#
#     lan: eth0 192.168.1.3/24 <-- veth --> host: eth0 192.168.1.2/24, default via .3
#                                           host: v-net-0 192.168.15.5/24 (nat)
#                                  red 192.168.15.1 --/      \-- blue 192.168.15.2 (:80 forwarded)
#
# Each test breaks one thing the way another tool or an admin would, shows
# with real traffic (ping, TCP) that it breaks, checks that doctor names it
# with its fix, and undoes it. Doctor only reads: the state after it is the
# state before (lib.bash's snapshot).

load lib

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
TUTORIAL=$EXAMPLES/tutorial.yaml
BRNF=/proc/sys/net/bridge/bridge-nf-call-iptables

setup() {
	# `up` turns forwarding on and `down` leaves it on (documented): turn it on
	# first so that the leak check stays strict for everything else.
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
	PIDS=()
}

cleanup_test() {
	local pid rc=0
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	! is_netns_mount /run/netns/blue || for pid in $(ip netns pids blue); do kill "$pid"; done
	nft delete table inet x 2>/dev/null
	sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0
	nsnet down tutorial >"$BATS_TEST_TMPDIR/down.out" 2>&1 || {
		cat "$BATS_TEST_TMPDIR/down.out" >&2
		rc=1
	}
	lan_down
	return "$rc"
}

# --- helpers ---------------------------------------------------------------------

# tutorial_up: the LAN and the tutorial, with traffic checked to flow.
tutorial_up() {
	lan_up --default-route
	run nsnet up "$TUTORIAL"
	assert_status 0
	can_ping red 192.168.1.3
	can_ping red 192.168.15.2
}

_ping_once() { ip netns exec "$1" ping -c1 -W1 -q "${@:2}" >/dev/null 2>&1; }
# can_ping NS ADDR [PING ARGS]: ADDR answers from NS (retried up to 3 s: first ARP).
can_ping() {
	wait_until 3 _ping_once "$1" "$2" "${@:3}" 2>/dev/null || fail "no answer from $2 to ping from $1"
}
# cannot_ping NS ADDR [PING ARGS]: no answer.
cannot_ping() {
	! _ping_once "$1" "$2" "${@:3}" || fail "ping from $1 to $2 was answered (must not be)"
}

listening() { ip netns exec "$1" ss -ltnH "sport = :$2" | grep -q .; }
# serve_blue: a TCP server on blue:80 answering "blue".
serve_blue() {
	ip netns exec blue socat -T2 TCP-LISTEN:80,fork,reuseaddr SYSTEM:"echo blue" \
		</dev/null >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	wait_until 5 listening blue 80
}
# fetch_forward: from the LAN, the answer of the host's forwarded port 80.
fetch_forward() {
	ip netns exec lan timeout 5 socat -T2 - TCP:192.168.1.2:80,connect-timeout=2 </dev/null 2>&1
}

# settled_snapshot FILE: lib.bash's snapshot once the state stops moving (IPv6
# DAD of the new links), so that two can be compared.
_settled() {
	snapshot "$1"
	sleep 0.2
	snapshot "$2"
	cmp -s "$1" "$2" && ! grep -q '"tentative":true' "$2"
}
settled_snapshot() { wait_until 10 _settled "$BATS_TEST_TMPDIR/settle" "$1"; }

# doctor_ok ARGS: doctor finds nothing (exit 0) and says so.
doctor_ok() {
	run nsnet doctor "$@"
	assert_status 0
	assert_output_contains "no problem found"
}

# doctor_finds ID ARGS: doctor exits 1 and --json lists finding ID; $finding is its
# JSON, $output the text output.
doctor_finds() {
	local id=$1
	shift
	run --separate-stderr nsnet doctor --json "$@"
	assert_status 1
	finding=$(jq -c --arg id "$id" '[.findings[] | select(.id == $id)][0]' <<<"$output")
	[[ $finding != null ]] || fail "no finding $id in: $output"
	run nsnet doctor "$@"
	assert_status 1
	assert_output_contains "$id"
}

field() { jq -r ".$1" <<<"$finding"; }

# --- tests -------------------------------------------------------------------------

@test "doctor: the tutorial up on a sound host: no problem found, exit 0, nothing changed" {
	doctor_ok # the host alone, nothing up
	tutorial_up
	settled_snapshot "$BATS_TEST_TMPDIR/up"
	doctor_ok
	assert_output_contains "topology 'tutorial'"
	doctor_ok tutorial
	doctor_ok "$TUTORIAL"
	run nsnet doctor --json
	assert_status 0
	assert_json '.findings == [] and .problems == 0 and .warnings == 0'
	assert_json '.checked == [{"topology": "tutorial", "file": "'"$TUTORIAL"'", "up": true}]'
	snapshot "$BATS_TEST_TMPDIR/after"
	diff -u "$BATS_TEST_TMPDIR/up" "$BATS_TEST_TMPDIR/after" >&2 || fail "doctor changed the state"
}

@test "doctor: a foreign forward chain with policy drop is named with its fix, and left alone" {
	local before fix
	tutorial_up
	serve_blue
	[[ $(fetch_forward) == blue ]] || fail "the port forward does not work to begin with"
	nft add table inet x
	nft 'add chain inet x f { type filter hook forward priority 0; policy drop; }'
	before=$(nft -j list table inet x | jq -c '[.nftables[] | select(.metainfo | not)]')
	cannot_ping red 192.168.1.3
	[[ $(fetch_forward) != blue ]] || fail "the forwarded port answered through the drop policy"

	doctor_finds forward-drop
	assert_output_contains "table inet x, chain f"
	[[ $(field level) == problem && $(field subject) == "table inet x, chain f" ]] ||
		fail "finding: $finding"
	fix=$(field fix)
	[[ $fix == *"nft 'insert rule inet x f iifname \"v-net-0\" accept'"* ]] || fail "fix: $fix"
	[[ $fix == *'oifname "v-net-0" ct state established,related accept'* ]] || fail "fix: $fix"
	[[ $(nft -j list table inet x | jq -c '[.nftables[] | select(.metainfo | not)]') == "$before" ]] ||
		fail "doctor changed the foreign table"

	# br_netfilter (global, never loaded by a test): when it is on, bridged
	# traffic passes that chain too, and doctor says so.
	if [[ -r $BRNF && $(<"$BRNF") == 1 ]]; then
		cannot_ping red 192.168.15.2
		jq -e '.findings | map(.id) | index("br-netfilter")' <<<"$(nsnet doctor --json)" >/dev/null ||
			fail "bridge-nf-call-iptables is 1 and no br-netfilter finding"
	fi

	# The fix as printed, pasted into a shell, makes traffic flow again:
	# routed, forwarded, bridged.
	fix=${fix%% (or *}
	[[ $fix == "nft '"*"'" ]] || fail "not nft commands: $fix"
	sh -c "set -e; $fix" || fail "the fix failed: $fix"
	can_ping red 192.168.1.3
	can_ping red 192.168.15.2
	[[ $(fetch_forward) == blue ]] || fail "the forwarded port does not answer after the fix"
	# And doctor sees that the chain now lets the bridge through.
	doctor_ok
}

@test "doctor: IPv4 forwarding off" {
	tutorial_up
	sysctl -qw net.ipv4.ip_forward=0
	cannot_ping red 192.168.1.3
	doctor_finds ip-forward-off tutorial
	assert_output_contains "IPv4 forwarding is off"
	[[ $(field fix) == "sysctl -w net.ipv4.ip_forward=1"* ]] || fail "finding: $finding"
	sysctl -qw net.ipv4.ip_forward=1
	can_ping red 192.168.1.3
	doctor_ok
}

@test "doctor: a host route overlapping the bridge's subnet, before and after up" {
	lan_up --default-route
	ip route add 192.168.15.0/25 dev eth0
	# Not up yet: the file's subnet is checked all the same.
	doctor_finds route-overlap "$TUTORIAL"
	# up refuses the overlap (an input error) unless the file says it is meant.
	run nsnet up "$TUTORIAL"
	assert_status 2
	assert_output_contains "overlaps the route to 192.168.15.0/25 through host interface 'eth0'"
	sed 's/^    nat: true/    nat: true\n    allow-overlap: true/' "$TUTORIAL" >"$BATS_TEST_TMPDIR/meant.yaml"
	run nsnet up "$BATS_TEST_TMPDIR/meant.yaml"
	assert_status 0
	# The host's own traffic to red now leaves through eth0.
	[[ $(ip -j route get 192.168.15.1 | jq -r '.[0].dev') == eth0 ]] || fail "route get"
	doctor_finds route-overlap
	[[ $(field topology) == tutorial && $(field subject) == "route 192.168.15.0/25 dev eth0" ]] ||
		fail "finding: $finding"
	[[ $(field fix) == "ip route del 192.168.15.0/25 dev eth0"* ]] || fail "finding: $finding"

	# With strict rp_filter the namespaces' packets on the bridge are dropped
	# too: a warning, as it only matters because of that route.
	sysctl -qw net.ipv4.conf.all.rp_filter=1
	doctor_finds rp-filter-strict
	[[ $(field level) == warning && $(field what) == *"192.168.15.1 ('veth-red' in 'red') out of 'eth0'"* ]] ||
		fail "finding: $finding"
	sysctl -qw net.ipv4.conf.all.rp_filter=0

	ip route del 192.168.15.0/25 dev eth0
	doctor_ok
}

@test "doctor: MTU mismatch between the bridge's ports and the two ends of a veth" {
	tutorial_up
	ip link set veth-red-br mtu 1400
	# Small packets pass, full-size ones do not.
	can_ping blue 192.168.15.1
	cannot_ping blue 192.168.15.1 -M do -s 1472
	doctor_finds mtu-mismatch
	run --separate-stderr nsnet doctor --json
	assert_json '[.findings[] | select(.id == "mtu-mismatch") | .subject] == ["bridge '"'v-net-0'"'", "veth '"'veth-red-br'"'"]'
	assert_json '[.findings[] | .fix] | unique == ["ip link set dev veth-red-br mtu 1500"]'
	ip link set veth-red-br mtu 1500
	can_ping blue 192.168.15.1 -M do -s 1472
	doctor_ok
}

@test "doctor: NAT without a default route on the host" {
	tutorial_up
	ip route del default
	run ip route get 10.9.9.9
	[[ $status -ne 0 ]] || fail "the host still has a route to 10.9.9.9: $output"
	doctor_finds no-default-route tutorial
	[[ $(field subject) == "bridge 'v-net-0' (nat: true)" ]] || fail "finding: $finding"
	ip route add default via 192.168.1.3
	doctor_ok tutorial
}

@test "doctor --json: several findings, each with id, level, subject, what, why and fix" {
	tutorial_up
	sysctl -qw net.ipv4.ip_forward=0
	ip route add 192.168.15.0/25 dev eth0
	run --separate-stderr nsnet doctor --json
	assert_status 1
	assert_json '[.findings[].id] == ["ip-forward-off", "route-overlap"]'
	assert_json '.problems == 2 and .warnings == 0'
	assert_json '.findings[0].topology == null and .findings[1].topology == "tutorial"'
	assert_json 'all(.findings[]; [.id, .level, .subject, .what, .why, .fix] | all(type == "string" and length > 0))'
	# Text: one aligned header line per finding, then what, why, fix; no colour off a TTY.
	run nsnet doctor
	assert_status 1
	[[ $(grep -cE '^problem  (ip-forward-off|route-overlap) +[^ ]' <<<"$output") == 2 ]] ||
		fail "header lines: $output"
	[[ $(grep -cE '^  (what|why|fix) {2,}' <<<"$output") == 6 ]] || fail "detail lines: $output"
	[[ $output != *$'\e'* ]] || fail "colour codes off a TTY"
	assert_output_contains "2 problems, 0 warnings"
	# On a TTY "problem" is bold red, unless NO_COLOR is set.
	if command -v script >/dev/null; then
		run script -qec "$NSNET doctor" /dev/null
		[[ $output == *$'\e[1;31mproblem\e[0m'* ]] || fail "no colour on a TTY: $output"
		run env NO_COLOR=1 script -qec "$NSNET doctor" /dev/null
		[[ $output != *$'\e'* ]] || fail "colour despite NO_COLOR: $output"
	fi
	ip route del 192.168.15.0/25 dev eth0
}

@test "doctor: usage and input errors exit 2" {
	local bad=$BATS_TEST_TMPDIR/bad.yaml
	printf 'name: bad\nbridges:\n  v-net-9:\n    adress: 10.0.0.1/24\n' >"$bad"
	run --separate-stderr nsnet doctor "$bad"
	assert_status 2
	[[ $stderr == "nsnet: $bad:4:5: "* ]] || fail "stderr: $stderr"
	run --separate-stderr nsnet doctor nosuch
	assert_status 2
	[[ $stderr == *"topology 'nosuch'"* ]] || fail "stderr: $stderr"
	run nsnet doctor a b
	assert_status 2
	run nsnet doctor --bogus
	assert_status 2
	run nsnet doctor --help
	assert_status 0
	assert_output_contains "Usage: nsnet doctor [FILE|NAME] [--json]"
}
