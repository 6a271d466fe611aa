#!/usr/bin/env bats
# Port forwards never break what they cannot deliver: localhost, the
# route_localnet attack (CVE-2020-8558), a port the host already listens on,
# traffic from another topology's bridge, and route_localnet planned,
# rolled back and restored like all kernel state.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/forward.bats
#
#   host: eth0 192.168.1.2/24 <-- veth --> lan: eth0 192.168.1.3/24 (lib.bash lan_up)
#   v-net-0 192.168.15.5/24: red .1, blue .2; tcp 80 -> blue:80 (examples/tutorial.yaml)
#   v-net-1 10.10.0.1/24: green .2 (fixtures/topology-other.yaml)
#   br-lh 10.20.0.1/24 fd20::1/64: srv .2 / ::2 (tests/golden/fw/localhost.yaml:
#     8080 -> srv:80, 127.0.0.1:9090 -> srv:90, udp 5300-5301 -> srv:53, 8443 -> [fd20::2]:443)
#
# Oracles: socat clients and servers (a server prints what it received and
# from whom), /proc/sys, `nft -j`, ss, and lib.bash's leak check.
load lib

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
TUTORIAL=$EXAMPLES/tutorial.yaml
OTHER=$(realpath "$BATS_TEST_DIRNAME/fixtures/topology-other.yaml")
GOLDEN_FW=$(realpath "$BATS_TEST_DIRNAME/../golden/fw")
LOCALHOST=$GOLDEN_FW/localhost.yaml
LOCALNET=/proc/sys/net/ipv4/conf/v-net-0/route_localnet

setup() {
	# up turns forwarding on and down leaves it on (documented).
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
	for ns in red blue green srv lan; do
		if is_netns_mount "/run/netns/$ns"; then
			for pid in $(ip netns pids "$ns"); do kill "$pid" 2>/dev/null; done
		fi
	done
	lan_down
	for t in "${TOPOS[@]}"; do
		nsnet down "$t" >"$BATS_TEST_TMPDIR/down.out" 2>&1 || {
			cat "$BATS_TEST_TMPDIR/down.out" >&2
			rc=1
		}
	done
	return "$rc"
}

up_ok() {
	run --separate-stderr nsnet up "$1"
	assert_status 0
}

@test "localhost: 127.0.0.1:PORT on the host reaches the forward; other local services still answer" {
	up_ok "$TUTORIAL"
	[[ $(<"$LOCALNET") == 1 ]] || fail "route_localnet of v-net-0 is $(<"$LOCALNET")"
	serve blue TCP 80 blue
	serve - TCP 8080 host 127.0.0.1
	# The server in blue gets the line, from the bridge address (masqueraded:
	# it could not answer 127.0.0.1).
	assert_send - 127.0.0.1 80 "blue got hello from 192.168.15.5"
	assert_send - 127.0.0.2 80 "blue got hello from 192.168.15.5"
	# A host service on another 127.0.0.1 port is the host's, unchanged.
	assert_send - 127.0.0.1 8080 "host got hello from 127.0.0.1"
	# Still through the host's other addresses and from the namespaces.
	assert_send - 192.168.15.5 80 "blue got hello from 192.168.15.5"
	assert_send red 192.168.15.5 80 "blue got hello from 192.168.15.5"
}

@test "localhost: a forward bound to 127.0.0.1, UDP, IPv6; [::1] stays the host's" {
	TOPOS+=(localhost)
	up_ok "$LOCALHOST"
	[[ $(</proc/sys/net/ipv4/conf/br-lh/route_localnet) == 1 ]] || fail "route_localnet of br-lh"
	wait_until 5 not_tentative srv
	serve srv TCP 80 srv80
	serve srv TCP 90 srv90
	serve srv UDP 53 srv53
	serve srv UDP 54 srv54
	serve srv TCP6 443 srv443
	serve - TCP6 8443 host6 '[::1]'
	assert_send - 127.0.0.1 8080 "srv80 got hello from 10.20.0.1"
	assert_send - 127.0.0.1 9090 "srv90 got hello from 10.20.0.1"
	assert_send - 127.0.0.1 5300 "srv53 got hello from 10.20.0.1" UDP
	assert_send - 127.0.0.1 5301 "srv54 got hello from 10.20.0.1" UDP
	# The 127.0.0.1-bound forward takes nothing else.
	[[ $(send - 10.20.0.1 9090) != srv90* ]] || fail "9090 forwarded on 10.20.0.1"
	# IPv6: the forward through the host's address; [::1] is not DNATed (it
	# could only be lost) and reaches the host's own service.
	assert_send - '[fd20::1]' 8443 \
		"srv443 got hello from [[]fd20:0000:0000:0000:0000:0000:0000:0001]" TCP6
	assert_send - '[::1]' 8443 "host6 got hello from [[]0000:0000:0000:0000:0000:0000:0000:0001]" TCP6
	run nsnet down localhost
	assert_status 0
}

# attack_routes NS GATEWAY DEV: NS (the attacker owns it) sends 127.0.0.0/8 to
# the host: its own loopback routes moved behind a rule that routes 127/8 to
# GATEWAY, and route_localnet on in NS so its kernel lets such packets out.
attack_routes() {
	ip netns exec "$1" sysctl -qw "net.ipv4.conf.$3.route_localnet=1"
	ip -n "$1" rule add pref 200 lookup local
	ip -n "$1" rule del pref 0
	ip -n "$1" rule add to 127.0.0.0/8 lookup 100 pref 100
	ip -n "$1" route add 127.0.0.0/8 via "$2" dev "$3" table 100
}

@test "route_localnet attack: a namespace on the bridge cannot reach the host's 127.0.0.1 services" {
	local h
	up_ok "$TUTORIAL"
	[[ $(<"$LOCALNET") == 1 ]] || fail "route_localnet is off: the attack would prove nothing"
	serve - TCP 9999 secret 127.0.0.1
	attack_routes red 192.168.15.5 veth-red
	[[ $(ip -n red -j route get 127.0.0.1 | jq -r '.[0].dev') == veth-red ]] ||
		fail "red does not send 127.0.0.1 to the host: $(ip -n red route get 127.0.0.1)"
	[[ $(send red 127.0.0.1 9999) != secret* ]] || fail "red reached the host's 127.0.0.1:9999"
	# The forward's own port from the attacker: dropped too, not DNATed.
	[[ $(send red 127.0.0.1 80) != blue* ]] || fail "red's 127.0.0.1:80 was forwarded"

	# Without the guard the attack works: the test can fail.
	h=$(nft -j list chain inet nsnet-tutorial guard |
		jq '.nftables[] | .rule? // empty | select(.expr[-1] | has("drop")) | .handle')
	[[ -n $h ]] || fail "no drop rule in the guard chain"
	nft delete rule inet nsnet-tutorial guard handle "$h"
	assert_send red 127.0.0.1 9999 "secret got hello from 192.168.15.1"
}

@test "a listener on a forwarded port: up warns, naming port, protocol and address (sock_diag)" {
	TOPOS+=(localhost)
	serve - TCP 80 host 127.0.0.1
	serve - TCP 8081 other
	run --separate-stderr nsnet up "$TUTORIAL" --dry-run
	assert_status 0
	[[ $stderr == *"warning: tcp port 80 is forwarded to 192.168.15.2:80, but a socket on the host listens on 127.0.0.1:80"* ]] ||
		fail "no warning from --dry-run: $stderr"
	up_ok "$TUTORIAL"
	[[ $stderr == *"warning: tcp port 80 is forwarded to 192.168.15.2:80, but a socket on the host listens on 127.0.0.1:80: connections to port 80 of every host address (127.0.0.1 too) now reach the forward, not that socket"* ]] ||
		fail "no warning: $stderr"
	[[ $stderr != *8081* ]] || fail "warned about a port no forward takes: $stderr"
	# What it says: the forward has the port now.
	serve blue TCP 80 blue
	assert_send - 127.0.0.1 80 "blue got *"

	# UDP and a V6ONLY socket, each with its address.
	serve - UDP 5301 dns 0.0.0.0
	serve - TCP6 8443 web '[::]'
	up_ok "$LOCALHOST"
	[[ $stderr == *"warning: udp port 5301 is forwarded to 10.20.0.2:54, but a socket on the host listens on 0.0.0.0:5301"* ]] ||
		fail "no UDP warning: $stderr"
	[[ $stderr == *"warning: tcp port 8443 is forwarded to [fd20::2]:443, but a socket on the host listens on [::]:8443"* ]] ||
		fail "no IPv6 warning: $stderr"
	[[ $stderr != *"port 80 "* ]] || fail "warned about another topology's port: $stderr"
}

@test "another topology's gateway: its port 80 is not swallowed by tutorial's forward" {
	TOPOS+=(other)
	serve - TCP 80 host
	up_ok "$TUTORIAL"
	up_ok "$OTHER"
	lan_up
	serve blue TCP 80 blue
	# green, of 'other', reaches the host's own port 80: through its gateway
	# and through the host's outside address. Before, both were DNATed to
	# blue and dropped by isolation: a black hole.
	assert_send green 10.10.0.1 80 "host got hello from 10.10.0.2"
	assert_send green 192.168.1.2 80 "host got hello from 10.10.0.2"
	# The forward still works for everyone else: the LAN (real client), red, the host.
	assert_send lan 192.168.1.2 80 "blue got hello from 192.168.1.3"
	assert_send red 192.168.15.5 80 "blue got hello from 192.168.15.5"
	assert_send - 127.0.0.1 80 "blue got hello from 192.168.15.5"
	# Isolation holds: green cannot reach blue itself.
	[[ $(send green 192.168.15.2 80) != blue* ]] || fail "green reached blue"
}

@test "route_localnet: planned, turned off when no forward needs it, by down, and on rollback" {
	local plain=$BATS_TEST_TMPDIR/plain.yaml ifindex
	grep -v -e '^forwards:' -e 'port: 80' "$TUTORIAL" >"$plain"
	run nsnet up "$TUTORIAL" --dry-run
	assert_status 0
	# After the table (its guard first), last.
	[[ ${output##*$'\n'} == "  ~ sysctl net.ipv4.conf.v-net-0.route_localnet = 1" ]] ||
		fail "dry run: $output"
	up_ok "$TUTORIAL"
	ifindex=$(ip -j link show v-net-0 | jq '.[0].ifindex')
	[[ $(<"$LOCALNET") == 1 ]] || fail "route_localnet off after up"
	# Without forwards: off again, on the same bridge.
	run nsnet up "$plain"
	assert_status 0
	assert_output_contains "~ sysctl net.ipv4.conf.v-net-0.route_localnet = 0"
	[[ $(<"$LOCALNET") == 0 && $(ip -j link show v-net-0 | jq '.[0].ifindex') == "$ifindex" ]] ||
		fail "route_localnet $(<"$LOCALNET") on v-net-0"
	run nsnet status "$plain"
	assert_status 0

	# A failure after it was turned on puts the old value back: a file that
	# wants the forward and no longer wants red; red's deletion (the step
	# after route_localnet) fails.
	sed '/^  red:/,/^  blue:/{/^  blue:/!d}' "$TUTORIAL" >"$BATS_TEST_TMPDIR/no-red.yaml"
	run nsnet up "$BATS_TEST_TMPDIR/no-red.yaml" --dry-run
	assert_status 0
	[[ $output == *"nftables table"*"route_localnet = 1"*"- namespace 'red'"* ]] ||
		fail "plan: $output"
	# Mutations: the state file written aside (1), the table (2), route_localnet (3),
	# red's deletion (4).
	run env NSNET_FAULT_AT=4 "$NSNET" up "$BATS_TEST_TMPDIR/no-red.yaml"
	assert_status 1
	assert_output_contains "(- namespace 'red')"
	assert_output_contains "rolled back: 2 changes undone"
	[[ $(<"$LOCALNET") == 0 ]] || fail "route_localnet not restored by the rollback"
	is_netns_mount /run/netns/red || fail "red gone"

	# down turns it off before it deletes the table.
	up_ok "$TUTORIAL"
	run nsnet down tutorial --dry-run
	assert_status 0
	[[ $output == *"~ sysctl net.ipv4.conf.v-net-0.route_localnet = 0"*"- nftables table"* ]] ||
		fail "down plan: $output"
	run nsnet down tutorial
	assert_status 0
}

@test "a dry run and status spell out the forwards a table change adds and removes" {
	local file=$BATS_TEST_TMPDIR/changed.yaml
	up_ok "$TUTORIAL"
	sed 's/^  - {port: 80, to: 192.168.15.2:80}/  - {port: 8080, to: blue:80}\n  - {port: 5000-5001, to: 192.168.15.1:6000-6001, protocol: udp}/' \
		"$TUTORIAL" >"$file"
	run nsnet up --dry-run "$file"
	assert_status 0
	[[ $output == *"~ nftables table inet nsnet-tutorial (one transaction)
      - forward tcp 80 -> 192.168.15.2:80
      + forward tcp 8080 -> 192.168.15.2:80
      + forward udp 5000 -> 192.168.15.1:6000
      + forward udp 5001 -> 192.168.15.1:6001"* ]] || fail "dry run: $output"
	run nsnet status "$file" --json
	assert_status 1
	[[ $(jq -c '.drift[] | select(.action == "firewall-apply") | .details' <<<"$output") == \
		'["- forward tcp 80 -> 192.168.15.2:80","+ forward tcp 8080 -> 192.168.15.2:80","+ forward udp 5000 -> 192.168.15.1:6000","+ forward udp 5001 -> 192.168.15.1:6001"]' ]] ||
		fail "status: $output"
	# What the kernel holds is the truth: a map element deleted by hand shows as one to add.
	nft delete element inet nsnet-tutorial fwd4 '{ tcp . 80 }'
	run nsnet up --dry-run "$file"
	[[ $output != *"- forward tcp 80"* ]] || fail "a deleted element still listed: $output"
	run nsnet down tutorial
	assert_status 0
}

@test "every golden script of tests/golden/fw is one the kernel's nft accepts" {
	local f
	for f in "$GOLDEN_FW"/*.nft; do
		nft -c -f "$f" || fail "nft refuses $f"
	done
}
