#!/usr/bin/env bats
# `nsnet show [NAME] [--json]`: what the kernel has, read back by nsnet.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/show.bats
#
# Topology built with iproute2 (never with the code under test):
#
#        namespace a                          namespace b
#   +------------------------+          +----------------------+
#   | veth-a 10.0.0.1/24  ---+----------+--- veth-b 10.0.0.2/24 |
#   | br0 <- p0 (p1 free)    |          |                      |
#   +------------------------+          +----------------------+
#              |
#        host0 (host) <-> eth-a (in a)      (only where a test needs it)
#
# Oracle: `ip -j` in the same namespace, and real pings for the neighbours.

load lib

cleanup_test() {
	ip link del host0 2>/dev/null
	local ns
	for ns in a b; do
		! is_netns_mount "/run/netns/$ns" || ip netns del "$ns"
	done
	return 0
}

# pair_ab: namespaces a and b joined by veth-a/veth-b with 10.0.0.1-2/24, up.
pair_ab() {
	nsnet ns add a
	nsnet ns add b
	ip -n a link add veth-a type veth peer name veth-b netns b
	ip -n a addr add 10.0.0.1/24 dev veth-a
	ip -n b addr add 10.0.0.2/24 dev veth-b
	ip -n a link set veth-a up
	ip -n b link set veth-b up
	wait_until 5 oper_up a veth-a
	wait_until 5 oper_up b veth-b
}

oper_up() { [[ $(ip -n "$1" -j link show dev "$2" | jq -r '.[0].operstate') == UP ]]; }

# show_json [NAME]: nsnet show [NAME] --json, checked to be one JSON value.
show_json() {
	local out
	out=$(nsnet show "$@" --json) || fail "nsnet show $* --json failed (status $?)"
	jq -e . >/dev/null <<<"$out" || fail "nsnet show $* --json: not JSON: $out"
	printf '%s\n' "$out"
}

# ipns NS ARGS...: ip in NS, or on the host when NS is "-" (the *_match
# helpers below take the same NS argument; namespace names have no spaces).
ipns() {
	local ns=$1
	shift
	if [[ $ns == - ]]; then ip "$@"; else ip -n "$ns" "$@"; fi
}

# The projections compared with the oracle: same shape from both sides.
LINKS_NSNET='[.links[] | {ifindex, name, kind, state, up, mac, mtu, master}] | sort_by(.ifindex)'
LINKS_IP='[.[] | {ifindex, name: .ifname, kind: (.linkinfo.info_kind // null),
	state: .operstate, up: (.flags | index("UP") != null), mac: (.address // null),
	mtu, master: (.master // null)}] | sort_by(.ifindex)'
ADDRS_NSNET='[.addresses[] | {dev, family, address, prefixlen, scope}] | sort_by(.dev, .address)'
ADDRS_IP='[.[] | .ifname as $d | .addr_info[] |
	{dev: $d, family, address: .local, prefixlen, scope}] | sort_by(.dev, .address)'
ROUTES_NSNET='[.routes[] | select(.table == 254) | {family, dst, gateway, dev}] | sort_by(.family, .dst, .dev)'

links_match() {
	local ns=$1 mine theirs
	mine=$(show_json ${ns/#-/} | jq -c "$LINKS_NSNET") || return 1
	theirs=$(ipns "$ns" -j -d link show | jq -c "$LINKS_IP")
	[[ $mine == "$theirs" ]] || {
		printf 'links differ\n  nsnet: %s\n  ip:    %s\n' "$mine" "$theirs" >&2
		return 1
	}
}

addrs_match() {
	local ns=$1 mine theirs
	mine=$(show_json ${ns/#-/} | jq -c "$ADDRS_NSNET") || return 1
	theirs=$(ipns "$ns" -j addr show | jq -c "$ADDRS_IP")
	[[ $mine == "$theirs" ]] || {
		printf 'addresses differ\n  nsnet: %s\n  ip:    %s\n' "$mine" "$theirs" >&2
		return 1
	}
}

routes_match() {
	local ns=$1 mine theirs
	mine=$(show_json ${ns/#-/} | jq -c "$ROUTES_NSNET") || return 1
	theirs=$(jq -cn --argjson v4 "$(ipns "$ns" -j -4 route show table main)" \
		--argjson v6 "$(ipns "$ns" -j -6 route show table main)" '
		def proj($fam): [.[] | {family: $fam, dst, gateway: (.gateway // null), dev: (.dev // null)}];
		($v4 | proj("inet")) + ($v6 | proj("inet6")) | sort_by(.family, .dst, .dev)')
	[[ $mine == "$theirs" ]] || {
		printf 'main-table routes differ\n  nsnet: %s\n  ip:    %s\n' "$mine" "$theirs" >&2
		return 1
	}
}

# --- schema ---------------------------------------------------------------------

SCHEMA='
def str_or_null: type == "string" or type == "null";
def int: type == "number" and . == floor;
type == "object"
and (.namespace | str_or_null)
and (.links | type == "array" and all(.[];
	(.ifindex | int) and (.name | type == "string") and (.kind | str_or_null)
	and (.state | type == "string" and test("^[A-Z]+$")) and (.up | type == "boolean")
	and (.mac | str_or_null) and (.mtu | int) and (.master | str_or_null)
	and (.peer == null or (.peer | type == "object" and (.name | str_or_null)
		and (.ifindex | int) and (.namespace | str_or_null)))))
and (.addresses | type == "array" and all(.[];
	(.dev | type == "string") and (.family == "inet" or .family == "inet6")
	and (.address | type == "string") and (.prefixlen | int) and (.scope | type == "string")))
and (.routes | type == "array" and all(.[];
	(.family == "inet" or .family == "inet6")
	and (.dst | type == "string" and (. == "default" or test("/[0-9]+$")))
	and (.gateway | str_or_null) and (.dev | str_or_null)
	and (.protocol | type == "string") and (.scope | type == "string")
	and (.table | int) and (.prefsrc | str_or_null)))
and (.neighbours | type == "array" and all(.[];
	(.dev | type == "string") and (.dst | type == "string")
	and (.lladdr | str_or_null) and (.state | type == "string")))
'

@test "show NAME --json: valid JSON following the schema, namespace named" {
	pair_ab
	ip -n a route add default via 10.0.0.254
	ip netns exec a ping -c1 -W1 10.0.0.2 >/dev/null
	run --separate-stderr nsnet show a --json
	assert_status 0
	assert_json "$SCHEMA"
	assert_json '.namespace == "a"'
}

@test "show NAME --json: after ns add, lo is up with 127.0.0.1/8" {
	nsnet ns add a
	run --separate-stderr nsnet show a --json
	assert_status 0
	assert_json "$SCHEMA"
	assert_json '.links | map(.name) == ["lo"]'
	assert_json '.links[0] | .up == true and .kind == null and .peer == null and .mtu == 65536'
	assert_json 'any(.addresses[]; .dev == "lo" and .family == "inet"
		and .address == "127.0.0.1" and .prefixlen == 8 and .scope == "host")'
}

@test "show NAME --json: links (ifindex, name, kind, state, up, mac, mtu, master) match ip -j -d link" {
	pair_ab
	ip -n a link add br0 type bridge
	ip -n a link add p0 type veth peer name p1
	ip -n a link set p0 master br0
	ip -n a link set p0 mtu 1400
	ip -n a link set p0 up
	ip -n a link set br0 up
	# p1 stays down, so p0 (admin up) has no carrier: up is true, state not
	# UP (LOWERLAYERDOWN here; links_match compares it with ip).
	wait_until 5 links_match a
	run --separate-stderr nsnet show a --json
	assert_json 'any(.links[]; .name == "p0" and .master == "br0" and .kind == "veth" and .mtu == 1400)'
	assert_json 'any(.links[]; .name == "br0" and .kind == "bridge")'
	assert_json 'any(.links[]; .name == "p1" and .up == false and .state == "DOWN")'
	assert_json 'any(.links[]; .name == "p0" and .up == true and .state != "UP")'
}

@test "show NAME --json: a veth's peer in another namespace is named with its ifindex" {
	pair_ab
	local b_idx a_idx
	b_idx=$(ip -n b -j link show veth-b | jq '.[0].ifindex')
	a_idx=$(ip -n a -j link show veth-a | jq '.[0].ifindex')

	run --separate-stderr nsnet show a --json
	assert_status 0
	assert_json ".links[] | select(.name == \"veth-a\") | .peer |
		.name == \"veth-b\" and .namespace == \"b\" and .ifindex == $b_idx"
	run --separate-stderr nsnet show b --json
	assert_json ".links[] | select(.name == \"veth-b\") | .peer |
		.name == \"veth-a\" and .namespace == \"a\" and .ifindex == $a_idx"
}

@test "show NAME --json: a veth's peer on the host has namespace null" {
	nsnet ns add a
	ip link add host0 type veth peer name eth-a netns a
	local h_idx
	h_idx=$(ip -j link show host0 | jq '.[0].ifindex')
	run --separate-stderr nsnet show a --json
	assert_status 0
	assert_json ".links[] | select(.name == \"eth-a\") | .peer |
		.name == \"host0\" and .ifindex == $h_idx and .namespace == null"
	run --separate-stderr nsnet show --json
	assert_json '.links[] | select(.name == "host0") | .peer |
		.name == "eth-a" and .namespace == "a"'
}

@test "show NAME --json: addresses added with ip appear, same set as ip -j addr" {
	pair_ab
	ip -n a addr add 10.0.1.1/28 dev veth-a
	ip -n a addr add fd00:1::1/64 dev veth-a nodad
	run --separate-stderr nsnet show a --json
	assert_json 'any(.addresses[]; .dev == "veth-a" and .family == "inet"
		and .address == "10.0.1.1" and .prefixlen == 28 and .scope == "global")'
	assert_json 'any(.addresses[]; .dev == "veth-a" and .family == "inet6"
		and .address == "fd00:1::1" and .prefixlen == 64)'
	wait_until 5 addrs_match a
}

@test "show NAME --json: routes added with ip appear, main table same as ip -j route" {
	pair_ab
	ip -n a route add 10.99.0.0/16 via 10.0.0.2
	ip -n a route add default via 10.0.0.2
	ip -n a route add 10.98.0.0/16 dev veth-a
	run --separate-stderr nsnet show a --json
	assert_status 0
	assert_json 'any(.routes[]; .family == "inet" and .dst == "10.99.0.0/16"
		and .gateway == "10.0.0.2" and .dev == "veth-a" and .table == 254 and .protocol == "boot")'
	assert_json 'any(.routes[]; .dst == "default" and .gateway == "10.0.0.2" and .table == 254)'
	assert_json 'any(.routes[]; .dst == "10.98.0.0/16" and .gateway == null and .scope == "link")'
	# The connected route the kernel made for 10.0.0.1/24.
	assert_json 'any(.routes[]; .dst == "10.0.0.0/24" and .dev == "veth-a" and .protocol == "kernel"
		and .scope == "link" and .prefsrc == "10.0.0.1" and .gateway == null)'
	wait_until 5 routes_match a
}

@test "show NAME --json: a ping fills neighbours with the peer's IP and MAC (as ip -j neigh)" {
	pair_ab
	local mac
	mac=$(ip -n b -j link show veth-b | jq -r '.[0].address')
	ip netns exec a ping -c1 -W1 10.0.0.2 >/dev/null

	# Oracle first: the kernel has the entry.
	run ip -n a -j neigh show dev veth-a
	assert_json "any(.[]; .dst == \"10.0.0.2\" and .lladdr == \"$mac\")"
	run --separate-stderr nsnet show a --json
	assert_status 0
	assert_json "any(.neighbours[]; .dev == \"veth-a\" and .dst == \"10.0.0.2\"
		and .lladdr == \"$mac\" and (.state | test(\"^[A-Z_]+\$\")))"
	# No neighbour that ip does not know about.
	local mine theirs
	mine=$(jq -c '[.neighbours[] | select(.lladdr != null) | {dev, dst, lladdr}] | sort' <<<"$output")
	theirs=$(ip -n a -j neigh show | jq -c '[.[] | select(.lladdr != null) | {dev, dst, lladdr}] | sort')
	[[ $mine == "$theirs" ]] || fail "nsnet: $mine" "ip: $theirs"
}

@test "show NAME --json: an unresolved neighbour has lladdr null" {
	pair_ab
	! ip netns exec a ping -c1 -W1 10.0.0.77 >/dev/null
	run ip -n a -j neigh show 10.0.0.77
	assert_json 'length == 1 and .[0].lladdr == null'
	run --separate-stderr nsnet show a --json
	assert_status 0
	assert_json 'any(.neighbours[]; .dst == "10.0.0.77" and .dev == "veth-a" and .lladdr == null
		and (.state == "INCOMPLETE" or .state == "FAILED"))'
}

@test "show --json without NAME: the host, namespace null, links as ip -j link" {
	run --separate-stderr nsnet show --json
	assert_status 0
	assert_json "$SCHEMA"
	assert_json '.namespace == null'
	links_match -
	addrs_match -
}

@test "show --json: another tool's link whose name is not UTF-8 is listed, its odd byte as \\xNN" {
	ip link add $'d\xfe' type veth peer name host0
	out=$(show_json)
	jq -e '[.links[] | select(.name == "d\\xfe" and .peer.name == "host0")] | length == 1' \
		<<<"$out" >/dev/null || fail "d\\xfe missing: $out"
	jq -e '[.links[] | select(.name == "host0" and .peer.name == "d\\xfe")] | length == 1' \
		<<<"$out" >/dev/null || fail "its peer host0 missing: $out"
}

@test "show (text): mentions link names, peers and addresses" {
	pair_ab
	run --separate-stderr nsnet show a
	assert_status 0
	for want in lo veth-a 127.0.0.1 10.0.0.1 veth-b; do
		assert_output_contains "$want"
	done
	# Not JSON.
	! jq -e . >/dev/null 2>&1 <<<"$output" || fail "text output is JSON"

	run --separate-stderr nsnet show
	assert_status 0
	assert_output_contains lo
	assert_output_contains 127.0.0.1
	[[ $output != *veth-a* ]] || fail "the host shows a's link: $output"
}

@test "show nosuch: exit 1, 'does not exist', nothing on stdout" {
	run --separate-stderr nsnet show nosuch
	assert_status 1
	[[ $stderr == *"does not exist"* ]] || fail "stderr: $stderr"
	[[ -z $output ]] || fail "stdout: $output"
	run --separate-stderr nsnet show nosuch --json
	assert_status 1
	[[ -z $output ]] || fail "stdout: $output"
	[[ ! -e /run/netns/nosuch ]]
}
