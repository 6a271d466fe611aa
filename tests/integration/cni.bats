#!/usr/bin/env bats
# nsnet-cni driven the way libcni drives a plugin (the six CNI_* variables,
# the plugin configuration on stdin) for every operation and error path of
# CNI spec 1.1.0 (nsnet-cni(8)):
#
#     lan (192.168.1.3) --- eth0 host 192.168.1.2
#                                  |
#                     nsbr0 10.89.0.1/16 (network "nsnetnet", the example conflist)
#                      |          |
#                 c1 eth0     c2 eth0      (named namespaces, as podman makes them)
#
# Oracles: ip -j (links, addresses, routes in the container), nft -j (the
# network's table and its map elements), real TCP through every port mapping
# (socat), pings, the lease files, strace for what is executed; lib.bash's
# leak check after every test: after the last DEL (and after GC) nothing of
# the network is left — no bridge, no table, no record, no lease.

load lib
load lib-cni

setup() {
	# ADD switches IPv4 forwarding on and leaves it on (nsnet-cni(8)): not a leak.
	sysctl -qw net.ipv4.ip_forward=1
	PIDS=()
	common_setup
}

cleanup_test() {
	kill_servers
	# A failed test must not make the next ones fail: what it left goes (the leak
	# check has judged it already: it fails this test, which failed anyway).
	[[ -n ${BATS_TEST_COMPLETED:-} ]] || cni_force_clean
	for ns in c1 c2 c3 c4 c5 c6 c7 c8 x1; do
		! is_netns_mount "/run/netns/$ns" || ip netns del "$ns"
	done
	lan_down
	leases_none
}

teardown() { common_teardown; }

netns() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up # what a runtime's loopback step does
	done
}

@test "src/cni includes nsnet.h and its own headers only; nsnet-cni links libnsnet.so.0" {
	local root=$BATS_TEST_DIRNAME/../.. bad
	bad=$(grep -nE '^#include "' "$root"/src/cni/*.[ch] | grep -vE '#include "(cni-[a-z]+|nsnet)\.h"' || true)
	[[ -z $bad ]] || fail "the CNI plugin reaches below the library: $bad"
	# <...> only for the system's headers and the installed one: none names a file of src/.
	for h in $(sed -nE 's/^#include <([^>]+)>.*/\1/p' "$root"/src/cni/*.[ch]); do
		[[ $h == nsnet.h || ! -e $root/src/$h ]] || fail "the CNI plugin includes src/$h"
	done
	ldd "$NSNET_CNI" | grep -q 'libnsnet.so.0' || fail "nsnet-cni does not link libnsnet.so.0"
	! nm "$NSNET_CNI" 2>/dev/null | grep -qE ' T (engine_|cni_request_parse|apply_plan)' ||
		fail "nsnet-cni holds library code of its own"
}

@test "VERSION: as podman and libcni send it (dummy variables), and with nothing on stdin" {
	run --separate-stderr env CNI_COMMAND=VERSION CNI_CONTAINERID= CNI_NETNS=dummy \
		CNI_IFNAME=dummy CNI_PATH=dummy "$NSNET_CNI" <<<'{"cniVersion":"1.0.0"}'
	assert_status 0
	assert_json '.cniVersion == "1.0.0" and .supportedVersions == ["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]'
	run --separate-stderr env CNI_COMMAND=VERSION "$NSNET_CNI" </dev/null
	assert_status 0
	assert_json '.cniVersion == "1.1.0"'
	# A newer runtime probing gets the list, its own version echoed, to choose from.
	run --separate-stderr env CNI_COMMAND=VERSION "$NSNET_CNI" <<<'{"cniVersion":"1.2.0"}'
	assert_status 0
	assert_json '.cniVersion == "1.2.0" and (.supportedVersions | index("1.1.0"))'
}

@test "ADD, CHECK, DEL of the example conflist: the container's interface, address, routes, the result" {
	netns c1
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf)"
	local res=$output mac
	# The result: bridge, host end, the container's interface (sandbox), its address and route.
	assert_json '.cniVersion == "1.0.0" and (.interfaces | length) == 3 and .interfaces[0].name == "nsbr0"
		and .interfaces[2].name == "eth0" and .interfaces[2].sandbox == "/run/netns/c1"
		and .ips == [{"address":"10.89.0.2/16","gateway":"10.89.0.1","interface":2}]
		and .routes == [{"dst":"0.0.0.0/0","gw":"10.89.0.1"}] and (.ips[0] | has("version") | not)' "$res"
	mac=$(jq -r '.interfaces[2].mac' <<<"$res")
	# The kernel agrees (ip -j in the container).
	run ip -n c1 -j addr show dev eth0
	assert_json ".[0].address == \"$mac\" and .[0].mtu == 1500 and ([.[0].addr_info[] | select(.family == \"inet\") | .local] == [\"10.89.0.2\"])"
	run ip -n c1 -j route show default
	assert_json '.[0].gateway == "10.89.0.1" and .[0].dev == "eth0"'
	run ip -j -d link show nsbr0
	assert_json '.[0].ifalias == "nsnet:nsnetnet" and .[0].group == "1853058676" and .[0].linkinfo.info_kind == "bridge"'
	run ip -j -d link show "$(jq -r '.interfaces[1].name' <<<"$res")"
	assert_json '.[0].master == "nsbr0" and .[0].linkinfo.info_slave_data.hairpin == true'
	ip netns exec c1 ping -c1 -W2 10.89.0.1 >/dev/null || fail "c1 cannot ping its gateway"
	[[ -f $DATA_DIR/nsnetnet/10.89.0.2 ]] || fail "no lease for 10.89.0.2"
	cni_ok CHECK c1 /run/netns/c1 eth0 "$(conf ". + {prevResult: $res}")"
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf ". + {prevResult: $res}")"
	[[ -z $output ]] || fail "DEL printed: $output"
	[[ -z $(ip -n c1 -o link show eth0 2>/dev/null) ]] || fail "eth0 left in c1"
}

@test "results in the version asked: 0.4.0 (ips carry version), 1.0.0, 1.1.0 (interfaces carry mtu)" {
	netns c1
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf '.cniVersion = "0.4.0"')"
	assert_json '.cniVersion == "0.4.0" and .ips[0].version == "4" and (.interfaces[0] | has("mtu") | not)'
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf '.cniVersion = "0.4.0"')"
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf '.cniVersion = "1.1.0"')"
	assert_json '.cniVersion == "1.1.0" and (.ips[0] | has("version") | not) and .interfaces[2].mtu == 1500'
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf '.cniVersion = "1.1.0"')"
}

@test "errors: the spec's object with its code, for every class (env, decode, version, config)" {
	netns c1
	cni_err 4 ADD c1 "" eth0 "$(conf)"
	[[ $(jq -r .msg <<<"$output") == *CNI_NETNS* ]] || fail "message names no variable: $output"
	cni_err 4 ADD "" /run/netns/c1 "" "$(conf)"
	[[ $(jq -r .msg <<<"$output") == *"CNI_CONTAINERID CNI_IFNAME"* ]] || fail "$output"
	cni_err 4 ADD 'bad/id' /run/netns/c1 eth0 "$(conf)"
	cni_err 4 ADD c1 /run/netns/c1 'eth0 x' "$(conf)"
	cni_err 4 FROB c1 /run/netns/c1 eth0 "$(conf)"
	cni_err 4 ADD c1 /run/netns/nope eth0 "$(conf)"
	cni_err 6 ADD c1 /run/netns/c1 eth0 '{"cniVersion": '
	# The decoder's message quotes the bad bytes (here an escape of U+0594, cut at its
	# first byte): still the spec's object, the byte shown as text. Found by fuzz-cni.
	cni_err 6 ADD c1 /run/netns/c1 eth0 $'{"cniVersion": "1.0.0", "name": "a\\\xd6\x94"}'
	[[ $(jq -r .msg <<<"$output") == *'\xd6'* ]] || fail "the odd byte is not shown: $output"
	cni_err 4 ADD c1 $'/run/netns/c\xfe1' eth0 "$(conf)"
	cni_err 4 ADD c1 $'/run/netns/c\x1b1' eth0 "$(conf)"
	cni_err 7 ADD c1 /run/netns/c1 eth0 "$(conf '.bridge = "br\u001b0"')"
	[[ $(jq -r .msg <<<"$output") == *"control character"* ]] || fail "$output"
	cni_err 1 ADD c1 /run/netns/c1 eth0 "$(conf '.cniVersion = "0.2.0"')"
	cni_err 1 CHECK c1 /run/netns/c1 eth0 "$(conf '.cniVersion = "0.3.1"')"
	cni_err 1 GC "" "" "" "$(conf)"
	cni_err 7 ADD c1 /run/netns/c1 eth0 "$(conf 'del(.name)')"
	cni_err 7 ADD c1 /run/netns/c1 eth0 "$(conf '.ipam.subnet = "10.89.0.0/33"')"
	cni_err 7 ADD c1 /run/netns/c1 eth0 "$(conf '.runtimeConfig = {portMappings: [{hostPort: 70000, containerPort: 80}]}')"
	cni_err 2 ADD c1 /run/netns/c1 eth0 "$(conf '.vlan = 5')"
	cni_err 3 CHECK c1 /run/netns/c1 eth0 "$(conf)"
	# An error is written in the version asked.
	cni_err 7 ADD c1 /run/netns/c1 eth0 "$(conf '.cniVersion = "0.4.0" | .mtu = 1')"
	assert_json '.cniVersion == "0.4.0"'
	# Not a namespace: a regular file, a directory, a FIFO; and the plugin's own.
	touch /run/x1file && mkfifo /run/x1fifo
	cni_err 4 ADD c1 /run/x1file eth0 "$(conf)"
	run timeout 5 bash -c "CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/run/x1fifo CNI_IFNAME=eth0 $NSNET_CNI <<<'$(conf)'"
	assert_status 1
	cni_err 4 ADD c1 /proc/self/ns/net eth0 "$(conf)"
	[[ $(jq -r .msg <<<"$output") == *"plugin's own"* ]] || fail "$output"
	rm -f /run/x1file /run/x1fifo
}

@test "ADD of an existing (CONTAINERID, IFNAME), and of an interface name the container has: refused, the first intact" {
	netns c1 c2
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf)"
	local first=$output
	cni_err 100 ADD c1 /run/netns/c1 eth0 "$(conf)"
	ip -n c2 link add eth0 type bridge
	cni_err 100 ADD c2 /run/netns/c2 eth0 "$(conf)"
	[[ $(jq -r .msg <<<"$output") == *"interface 'eth0' exists already"* ]] || fail "$output"
	ip -n c2 link del eth0
	# Nothing of the refused ones is left, the first still works.
	[[ $(ip -j link show master nsbr0 | jq length) == 1 ]] || fail "more than one port on nsbr0"
	[[ $(ls "$DATA_DIR/nsnetnet") == $'10.89.0.2\nlast.4' ]] || fail "leases: $(ls "$DATA_DIR/nsnetnet")"
	cni_ok CHECK c1 /run/netns/c1 eth0 "$(conf ". + {prevResult: $first}")"
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf)"
}

@test "DEL: with CNI_NETNS empty, twice, after the namespace is gone, of what was never added" {
	netns c1 c2
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf)"
	cni_ok ADD c2 /run/netns/c2 eth0 "$(conf)"
	# containerd and nerdctl send DEL with CNI_NETNS empty; libcni after a reboot too.
	cni_ok DEL c1 "" eth0 "$(conf)"
	[[ -z $(ip -n c1 -o link show eth0 2>/dev/null) ]] || fail "eth0 left in c1"
	cni_ok DEL c1 "" eth0 "$(conf)"
	# The namespace deleted first (the container is gone): DEL still cleans the host side.
	ip netns del c2
	cni_ok DEL c2 /run/netns/c2 eth0 "$(conf)"
	cni_ok DEL never /run/netns/never eth0 "$(conf)"
	# A config ADD refused (no ipam), then the runtime's cleanup DEL: nothing to undo.
	cni_err 7 ADD c3 /run/netns/c1 eth0 "$(conf 'del(.ipam)')"
	cni_ok DEL c3 /run/netns/c1 eth0 "$(conf 'del(.ipam)')"
	cni_ok DEL never "" eth1 "$(conf)"
}

@test "DEL without the record (a lost /run/nsnet): the host end by its mark, the lease by its holder" {
	netns c1
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf)"
	rm -r /run/nsnet/nsnetnet.cni
	cni_ok DEL c1 "" eth0 "$(conf)"
	[[ -z $(ip -n c1 -o link show eth0 2>/dev/null) ]] || fail "eth0 left in c1"
	[[ ! -e $DATA_DIR/nsnetnet/10.89.0.2 ]] || fail "the lease was not released"
}

@test "port mappings: from the LAN, from the host (its address, localhost), hairpin, between containers" {
	lan_up
	netns c1 c2
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf '.runtimeConfig = {portMappings: [{hostPort: 8080, containerPort: 80, protocol: "tcp"}]}')"
	cni_ok ADD c2 /run/netns/c2 eth0 "$(conf '.runtimeConfig = {portMappings: [{hostPort: 8081, containerPort: 80, hostIP: "192.168.1.2"}]}')"
	run nft -j list map inet nsnet-nsnetnet fwd4
	assert_json '[.nftables[] | .map? | select(.) | .elem[]] | length == 1'
	serve c1 80 one
	serve c2 80 two
	assert_send lan 192.168.1.2 8080 'one from 192.168.1.3' # the server sees the client
	assert_send lan 192.168.1.2 8081 'two from 192.168.1.3'
	assert_send - 192.168.1.2 8080 'one from *'
	assert_send - 127.0.0.1 8080 'one from *'
	assert_send - 10.89.0.1 8080 'one from *'
	assert_send c1 192.168.1.2 8080 'one from 10.89.0.1' # hairpin: masqueraded to the bridge
	assert_send c2 10.89.0.2 80 'one from 10.89.0.3'
	# A host port mapped already: refused, rolled back (no veth, no lease, no record left).
	netns c3
	cni_err 103 ADD c3 /run/netns/c3 eth0 "$(conf '.runtimeConfig = {portMappings: [{hostPort: 8080, containerPort: 80}]}')"
	[[ $(ip -j link show master nsbr0 | jq length) == 2 ]] || fail "a veth leaked from the failed ADD"
	[[ ! -e $DATA_DIR/nsnetnet/10.89.0.4 && ! -e /run/nsnet/nsnetnet.cni/c3@eth0 ]] || fail "lease or record left"
	assert_send lan 192.168.1.2 8080 'one from 192.168.1.3'
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf)"
	# Its element went with it; c2's stays.
	run send lan 192.168.1.2 8080
	[[ $output != one* ]] || fail "8080 still forwarded after DEL"
	assert_send lan 192.168.1.2 8081 'two from 192.168.1.3'
	cni_ok DEL c2 /run/netns/c2 eth0 "$(conf)"
}

@test "addresses and MACs asked for: CNI_ARGS IP and MAC (podman 4), runtimeConfig ips and mac" {
	netns c1 c2 c3
	CNI_ARGS='IgnoreUnknown=1;K8S_POD_NAME=web;IP=10.89.0.77;MAC=0a:58:0a:58:00:99' \
		cni_ok ADD c1 /run/netns/c1 eth0 "$(conf)"
	assert_json '.ips[0].address == "10.89.0.77/16" and .interfaces[2].mac == "0a:58:0a:58:00:99"'
	[[ $(ip -n c1 -j link show eth0 | jq -r '.[0].address') == 0a:58:0a:58:00:99 ]] || fail "MAC not set"
	cni_ok ADD c2 /run/netns/c2 eth0 "$(conf '.runtimeConfig = {ips: ["10.89.0.8", "10.89.0.9/16"], mac: "0a:00:00:00:00:02"}')"
	assert_json '[.ips[].address] == ["10.89.0.8/16", "10.89.0.9/16"] and .interfaces[2].mac == "0a:00:00:00:00:02"'
	# Taken, or outside the pool.
	cni_err 102 ADD c3 /run/netns/c3 eth0 "$(conf '.runtimeConfig = {ips: ["10.89.0.8"]}')"
	cni_err 7 ADD c3 /run/netns/c3 eth0 "$(conf '.runtimeConfig = {ips: ["10.90.0.8"]}')"
	CNI_ARGS='FOO=1' cni_err 7 ADD c3 /run/netns/c3 eth0 "$(conf)"
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf)"
	cni_ok DEL c2 /run/netns/c2 eth0 "$(conf)"
}

@test "the pool: exhausted -> ADD fails (102) and STATUS says so (50); a freed address is handed out again" {
	netns c1 c2 c3
	local small='.ipam.subnet = "10.89.0.0/29" | .ipam.rangeStart = "10.89.0.2" | .ipam.rangeEnd = "10.89.0.3" | .cniVersion = "1.1.0"'
	cni_ok STATUS "" "" "" "$(conf "$small")"
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf "$small")"
	cni_ok ADD c2 /run/netns/c2 eth0 "$(conf "$small")"
	cni_err 102 ADD c3 /run/netns/c3 eth0 "$(conf "$small")"
	cni_err 50 STATUS "" "" "" "$(conf "$small")"
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf "$small")"
	cni_ok ADD c3 /run/netns/c3 eth0 "$(conf "$small")"
	assert_json '.ips[0].address == "10.89.0.2/29"'
	cni_ok DEL c2 /run/netns/c2 eth0 "$(conf "$small")"
	cni_ok DEL c3 /run/netns/c3 eth0 "$(conf "$small")"
}

@test "STATUS: ready; 50 when the bridge's name is taken; 51 when the table is gone under containers" {
	local v='.cniVersion = "1.1.0"'
	netns c1
	rm -rf "$DATA_DIR" # an empty one is left by earlier tests (nsnet never removes dataDir itself)
	cni_ok STATUS "" "" "" "$(conf "$v")"
	# Read-only: it creates nothing, not even its state or lease directories.
	[[ -z $(find /run/nsnet -mindepth 1) && ! -e $DATA_DIR ]] || fail "STATUS wrote: $(find /run/nsnet $DATA_DIR)"
	ip link add nsbr0 type veth peer name nsbr0p
	cni_err 50 STATUS "" "" "" "$(conf "$v")"
	cni_err 107 ADD c1 /run/netns/c1 eth0 "$(conf "$v")"
	ip link del nsbr0
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf "$v")"
	nft delete table inet nsnet-nsnetnet
	cni_err 51 STATUS "" "" "" "$(conf "$v")"
	cni_err 104 CHECK c1 /run/netns/c1 eth0 "$(conf "$v")"
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf "$v")"
}

@test "CHECK fails when the interface, its address, its route, the lease or a port mapping is missing" {
	netns c1
	local pm='.runtimeConfig = {portMappings: [{hostPort: 8080, containerPort: 80}]}'
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf "$pm")"
	local res=$output
	cni_ok CHECK c1 /run/netns/c1 eth0 "$(conf "$pm | . + {prevResult: $res}")"
	ip -n c1 route del default
	cni_err 104 CHECK c1 /run/netns/c1 eth0 "$(conf "$pm")"
	[[ $(jq -r .msg <<<"$output") == *"route default via 10.89.0.1"* ]] || fail "$output"
	ip -n c1 route add default via 10.89.0.1
	nft delete element inet nsnet-nsnetnet fwd4 '{ tcp . 8080 }'
	cni_err 104 CHECK c1 /run/netns/c1 eth0 "$(conf "$pm")"
	[[ $(jq -r .msg <<<"$output") == *"port 8080"* ]] || fail "$output"
	nft add element inet nsnet-nsnetnet fwd4 '{ tcp . 8080 : 10.89.0.2 . 80 }'
	mv "$DATA_DIR/nsnetnet/10.89.0.2" /run/lease.aside
	cni_err 104 CHECK c1 /run/netns/c1 eth0 "$(conf "$pm")"
	[[ $(jq -r .msg <<<"$output") == *"lease"* ]] || fail "$output"
	mv /run/lease.aside "$DATA_DIR/nsnetnet/10.89.0.2"
	ip -n c1 addr flush dev eth0
	cni_err 104 CHECK c1 /run/netns/c1 eth0 "$(conf "$pm")"
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf "$pm")"
	cni_err 3 CHECK c1 /run/netns/c1 eth0 "$(conf "$pm")"
}

@test "chaining: after loopback its interface is kept; tuning after nsnet gets a result it can use" {
	netns c1
	local lo='{"cniVersion":"1.0.0","name":"nsnetnet","type":"loopback"}' prev tuned
	run --separate-stderr env CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 \
		CNI_IFNAME=lo CNI_PATH=/usr/lib/cni /usr/lib/cni/loopback <<<"$lo"
	assert_status 0
	prev=$output
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf ". + {prevResult: $prev}")"
	assert_json '.interfaces[0].name == "lo" and (.ips | map(.address) | index("127.0.0.1/8")) != null
		and (.ips[] | select(.address == "10.89.0.2/16") | .interface) == 3'
	prev=$output
	run --separate-stderr env CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 \
		CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/tuning \
		<<<"{\"cniVersion\":\"1.0.0\",\"name\":\"nsnetnet\",\"type\":\"tuning\",\"mac\":\"0a:00:00:00:00:42\",\"dataDir\":\"/run/tuning\",\"prevResult\":$prev}"
	assert_status 0
	tuned=$output
	assert_json '(.interfaces[] | select(.name == "eth0") | .mac) == "0a:00:00:00:00:42"' "$tuned"
	# CHECK takes the chain's final result: tuning's MAC is expected, not nsnet's own.
	cni_ok CHECK c1 /run/netns/c1 eth0 "$(conf ". + {prevResult: $tuned}")"
	run --separate-stderr env CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 \
		CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/tuning \
		<<<"{\"cniVersion\":\"1.0.0\",\"name\":\"nsnetnet\",\"type\":\"tuning\",\"dataDir\":\"/run/tuning\",\"prevResult\":$tuned}"
	assert_status 0
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf ". + {prevResult: $tuned}")"
	rm -rf /run/tuning
}

@test "GC: every attachment not listed goes (its veth, elements, lease, record); listed ones are untouched" {
	netns c1 c2 c3
	local v='.cniVersion = "1.1.0" | .runtimeConfig = {portMappings: [{hostPort: 8080, containerPort: 80}]}'
	local g='.cniVersion = "1.1.0"'
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf "$v")"
	cni_ok ADD c2 /run/netns/c2 eth0 "$(conf "$g")"
	cni_ok ADD c3 /run/netns/c3 eth0 "$(conf "$g")"
	# libcni's key (cni.dev/valid-attachments): c1 and c2 stay, c3 goes.
	cni_ok GC "" "" "" "$(conf "$g | . + {\"cni.dev/valid-attachments\": [{containerID: \"c1\", ifname: \"eth0\"}, {containerID: \"c2\", ifname: \"eth0\"}]}")"
	[[ -z $(ip -n c3 -o link show eth0 2>/dev/null) ]] || fail "c3's eth0 left"
	[[ ! -e $DATA_DIR/nsnetnet/10.89.0.4 && ! -e /run/nsnet/nsnetnet.cni/c3@eth0 ]] || fail "c3's lease or record left"
	cni_ok CHECK c1 /run/netns/c1 eth0 "$(conf "$v")"
	cni_ok CHECK c2 /run/netns/c2 eth0 "$(conf "$g")"
	# A stale lease whose container is gone is reclaimed too.
	printf 'gone\neth0\n' >"$DATA_DIR/nsnetnet/10.89.0.99"
	# The spec's key (cni.dev/attachments): c1 stays, c2 goes.
	cni_ok GC "" "" "" "$(conf "$g | . + {\"cni.dev/attachments\": [{containerID: \"c1\", ifname: \"eth0\"}]}")"
	[[ ! -e $DATA_DIR/nsnetnet/10.89.0.99 ]] || fail "the stale lease was not reclaimed"
	[[ -z $(ip -n c2 -o link show eth0 2>/dev/null) ]] || fail "c2's eth0 left"
	cni_ok CHECK c1 /run/netns/c1 eth0 "$(conf "$v")"
	# No list: nothing is valid (libcni's cnitool); the network goes with its last attachment.
	cni_ok GC "" "" "" "$(conf "$g")"
	[[ -z $(ip -o link show nsbr0 2>/dev/null) ]] || fail "nsbr0 left after GC"
}

@test "a network held busy longer than lockTimeout: code 11 (try again), nothing changed; then ADD works" {
	local c t0
	c=$(conf '.lockTimeout = 1')
	netns c1
	mkdir -p /run/nsnet
	flock /run/nsnet/nsnetnet.lock sleep 4 3>&- &
	PIDS+=($!)
	wait_until 5 bash -c "! flock -n /run/nsnet/nsnetnet.lock true"
	t0=$SECONDS
	cni_err 11 ADD c1 /run/netns/c1 eth0 "$c"
	((SECONDS - t0 <= 3)) || fail "waited $((SECONDS - t0)) s for a 1 s lockTimeout"
	[[ $(jq -r .msg <<<"$output") == *busy* ]] || fail "$output"
	[[ -z $(ip -o link show nsbr0 2>/dev/null) ]] || fail "nsbr0 made by a call that gave up"
	leases_none
	wait "${PIDS[-1]}"
	cni_ok ADD c1 /run/netns/c1 eth0 "$c"
	cni_ok DEL c1 /run/netns/c1 eth0 "$c"
	cni_err 7 ADD c1 /run/netns/c1 eth0 "$(conf '.lockTimeout = 0')"
}

@test "concurrency: 8 ADDs at once, then 8 DELs at once, on one network: all succeed, distinct addresses" {
	local i pids=() c
	c=$(conf)
	for i in 1 2 3 4 5 6 7 8; do netns "c$i"; done
	for i in 1 2 3 4 5 6 7 8; do
		cni ADD "c$i" "/run/netns/c$i" eth0 <<<"$c" >"$BATS_TEST_TMPDIR/add$i" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || fail "an ADD failed: $(cat "$BATS_TEST_TMPDIR"/add*)"; done
	[[ $(jq -r '.ips[0].address' "$BATS_TEST_TMPDIR"/add* | sort -u | wc -l) == 8 ]] ||
		fail "addresses not distinct: $(jq -r '.ips[0].address' "$BATS_TEST_TMPDIR"/add*)"
	[[ $(ip -j link show master nsbr0 | jq length) == 8 ]] || fail "not 8 ports on nsbr0"
	ip netns exec c1 ping -c1 -W2 "$(jq -r '.ips[0].address | split("/")[0]' "$BATS_TEST_TMPDIR/add8")" >/dev/null ||
		fail "c1 cannot reach c8"
	pids=()
	for i in 1 2 3 4 5 6 7 8; do
		cni DEL "c$i" "/run/netns/c$i" eth0 <<<"$c" >/dev/null 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || fail "a DEL failed"; done
}

@test "two CNI networks are isolated from each other; a container reaches the LAN through NAT" {
	lan_up --default-route
	netns c1 c2
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf)"
	cni_ok ADD c2 /run/netns/c2 eth0 "$(conf '.name = "other" | .bridge = "nsbr1" | .ipam.subnet = "10.90.0.0/16" | .ipam.gateway = "10.90.0.1"')"
	! ip netns exec c1 ping -c1 -W1 10.90.0.2 >/dev/null || fail "c1 reaches the other network"
	! ip netns exec c2 ping -c1 -W1 10.89.0.2 >/dev/null || fail "c2 reaches nsnetnet"
	serve lan 7000 lan
	assert_send c1 192.168.1.3 7000 'lan from 192.168.1.2' # masqueraded (ipMasq)
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf)"
	cni_ok DEL c2 /run/netns/c2 eth0 "$(conf '.name = "other" | .bridge = "nsbr1" | .ipam.subnet = "10.90.0.0/16" | .ipam.gateway = "10.90.0.1"')"
	ip route del default
}

@test "IPAM delegated to host-local: ADD, CHECK, DEL; its lease freed when our part fails; what runs (strace)" {
	command -v strace >/dev/null || fail "strace is not installed"
	netns c1 c2
	local hl='.ipam = {type: "host-local", dataDir: "/run/hl", ranges: [[{subnet: "10.91.0.0/24", gateway: "10.91.0.1"}]], routes: [{dst: "0.0.0.0/0"}]}'
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf "$hl")"
	assert_json '.ips[0].address == "10.91.0.2/24" and .ips[0].gateway == "10.91.0.1" and .ips[0].interface == 2'
	[[ -f /run/hl/nsnetnet/10.91.0.2 ]] || fail "host-local holds no lease"
	ip netns exec c1 ping -c1 -W2 10.91.0.1 >/dev/null || fail "no gateway on the bridge"
	cni_ok CHECK c1 /run/netns/c1 eth0 "$(conf "$hl")"
	# Our part fails after host-local's ADD (interface exists): host-local's DEL frees its lease.
	ip -n c2 link add eth0 type bridge
	cni_err 100 ADD c2 /run/netns/c2 eth0 "$(conf "$hl")"
	[[ ! -e /run/hl/nsnetnet/10.91.0.3 ]] || fail "host-local's lease leaked"
	ip -n c2 link del eth0
	# Exactly host-local is executed (strace), with CNI_COMMAND=ADD and the same stdin.
	# (LeakSanitizer cannot run under ptrace: leaks are checked by every other call.)
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
		CNI_COMMAND=ADD CNI_CONTAINERID=c2 CNI_NETNS=/run/netns/c2 CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni \
		strace -f -qq -e trace=execve -o "$BATS_TEST_TMPDIR/st" "$NSNET_CNI" <<<"$(conf "$hl")" >/dev/null
	run sed -nE 's/^[0-9]+ +execve\("([^"]+)".*/\1/p' "$BATS_TEST_TMPDIR/st"
	[[ $output == "$NSNET_CNI"$'\n'/usr/lib/cni/host-local ]] || fail "executed: $output"
	cni_ok DEL c2 /run/netns/c2 eth0 "$(conf "$hl")"
	cni_ok DEL c1 "" eth0 "$(conf "$hl")"
	[[ -z $(find /run/hl -name '10.91.*') ]] || fail "host-local leases left"
	# Its own IPAM runs nothing at all.
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 CNI_COMMAND=ADD CNI_CONTAINERID=c1 \
		CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 strace -f -qq -o "$BATS_TEST_TMPDIR/st" \
		-e trace=execve,clone,clone3,fork,vfork "$NSNET_CNI" <<<"$(conf)" >/dev/null
	run grep -cE 'execve|clone|fork' "$BATS_TEST_TMPDIR/st"
	[[ $output == 1 ]] || fail "ran: $(cat "$BATS_TEST_TMPDIR/st")"
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf)"
	# A type not in CNI_PATH.
	CNI_PATH=/nonexistent cni_err 106 ADD c1 /run/netns/c1 eth0 "$(conf '.ipam = {type: "nope"}')"
	rm -rf /run/hl
}

# The mutations of an ADD of the tutorial-sized network (a mapping, masquerade, hairpin).
fault_conf() { conf '.runtimeConfig = {portMappings: [{hostPort: 8080, containerPort: 80}]}'; }

@test "fault injection: a failure at every mutation of a first and a second ADD rolls back to before it" {
	netns c1 c2
	local n k c
	c=$(fault_conf)
	NSNET_FAULT_COUNT=$BATS_TEST_TMPDIR/count cni_ok ADD c1 /run/netns/c1 eth0 "$c"
	n=$(cat "$BATS_TEST_TMPDIR/count")
	((n >= 15)) || fail "only $n mutations counted"
	cni_ok DEL c1 /run/netns/c1 eth0 "$c"
	snapshot "$BATS_TEST_TMPDIR/base"
	for ((k = 1; k <= n; k++)); do
		if [[ ${NSNET_SAMPLE_K:-1} -gt 1 ]] && ((k % NSNET_SAMPLE_K)); then continue; fi
		NSNET_FAULT_AT=$k cni_err 101 ADD c1 /run/netns/c1 eth0 "$c" ||
			NSNET_FAULT_AT=$k cni_err 105 ADD c1 /run/netns/c1 eth0 "$c" ||
			fail "fault $k of $n: not a clean failure: $output"
		leak_diff "$BATS_TEST_TMPDIR/base" || fail "fault $k of $n left something"
		leases_none
	done
	# The second attachment's ADD (the bridge exists: fewer mutations).
	cni_ok ADD c1 /run/netns/c1 eth0 "$c"
	c=$(conf)
	NSNET_FAULT_COUNT=$BATS_TEST_TMPDIR/count cni_ok ADD c2 /run/netns/c2 eth0 "$c"
	n=$(cat "$BATS_TEST_TMPDIR/count")
	cni_ok DEL c2 /run/netns/c2 eth0 "$c"
	snapshot "$BATS_TEST_TMPDIR/base"
	for ((k = 1; k <= n; k++)); do
		NSNET_FAULT_AT=$k run cni ADD c2 /run/netns/c2 eth0 <<<"$c"
		assert_status 1
		leak_diff "$BATS_TEST_TMPDIR/base" || fail "fault $k of $n left something"
	done
	cni_ok DEL c1 /run/netns/c1 eth0 "$(fault_conf)"
}

@test "fault injection: killed after every mutation of ADD, the runtime's DEL brings the baseline back" {
	netns c1
	local n k c
	c=$(fault_conf)
	NSNET_FAULT_COUNT=$BATS_TEST_TMPDIR/count cni_ok ADD c1 /run/netns/c1 eth0 "$c"
	n=$(cat "$BATS_TEST_TMPDIR/count")
	cni_ok DEL c1 /run/netns/c1 eth0 "$c"
	for ((k = 1; k <= n; k++)); do
		if [[ ${NSNET_SAMPLE_K:-1} -gt 1 ]] && ((k % NSNET_SAMPLE_K)); then continue; fi
		# Not under valgrind: a killed process leaves the descriptors it held open.
		NSNET_FAULT_AT=$k NSNET_FAULT_MODE=kill NSNET_WRAP= run cni ADD c1 /run/netns/c1 eth0 <<<"$c"
		[[ $status -eq 137 ]] || fail "kill at $k of $n: status $status: $output"
		cni_ok DEL c1 /run/netns/c1 eth0 "$c" || fail "DEL after a kill at $k of $n"
		[[ -z $(ip -o link show nsbr0 2>/dev/null) && -z $(nft list tables | grep nsnet) ]] ||
			fail "kill at $k of $n: DEL left the bridge or the table"
		[[ -z $(find /run/nsnet -mindepth 1) ]] || fail "kill at $k: left $(find /run/nsnet -mindepth 1)"
		leases_none
	done
}

@test "nsnet status, check and doctor on a CNI network by its name: real probes from every container" {
	lan_up --default-route
	netns c1 c2
	local pm='.runtimeConfig = {portMappings: [{hostPort: 8080, containerPort: 80}]}'
	cni_ok ADD c1 /run/netns/c1 eth0 "$(conf "$pm")"
	# A container whose namespace is no /run/netns entry: only its /proc path names it.
	unshare --net sleep 60 &
	PIDS+=($!)
	wait_until 5 bash -c "[[ \$(readlink /proc/${PIDS[-1]}/ns/net) != \$(readlink /proc/self/ns/net) ]]"
	cni_ok ADD "pid${PIDS[-1]}" "/proc/${PIDS[-1]}/ns/net" eth0 "$(conf)"
	run --separate-stderr nsnet status nsnetnet --json
	assert_status 0
	assert_json ".file == \"/run/nsnet/nsnetnet.cni\" and .in_sync == true
		and (.owned.namespaces | sort) == [\"c1\", \"pid${PIDS[-1]}\"]
		and .owned.nft_table == \"inet nsnet-nsnetnet\" and (.owned.links | length) == 5"
	# A topology beside it: isolation is probed both ways.
	printf 'name: beside\nbridges:\n  br-beside: {address: 10.7.0.1/24}\nnamespaces:\n  b1:\n    interfaces:\n      eth0: {bridge: br-beside, address: 10.7.0.2/24}\n    routes:\n      - {to: default, via: 10.7.0.1}\n' \
		>"$BATS_TEST_TMPDIR/beside.yaml"
	run --separate-stderr nsnet up "$BATS_TEST_TMPDIR/beside.yaml"
	assert_status 0
	run --separate-stderr nsnet check nsnetnet --json
	assert_status 0
	assert_json '.ok == true and ([.probes[] | select(.kind == "gateway")] | length) == 2
		and ([.probes[] | select(.kind == "peer")] | length) == 2
		and ([.probes[] | select(.kind == "isolation")] | length) >= 2
		and ([.probes[] | select(.kind == "forward" and .result == "reached")] | length) == 1'
	run --separate-stderr nsnet doctor nsnetnet --json
	assert_status 0
	assert_json '[.checked[] | .topology] == ["nsnetnet"] and .problems == 0'
	# Drift: what an attachment misses, named; check fails with it.
	ip -n c1 addr flush dev eth0
	run --separate-stderr nsnet status nsnetnet
	assert_status 1
	assert_output_contains "+ address 10.89.0.2/16 on 'eth0' in 'c1'"
	assert_output_contains "+ route default via 10.89.0.1 dev eth0 in 'c1'"
	run --separate-stderr nsnet check nsnetnet
	assert_status 1
	ip -n c1 addr add 10.89.0.2/16 dev eth0
	ip -n c1 route add default via 10.89.0.1
	# The network is its runtime's: nsnet down and an up of that name are refused.
	run --separate-stderr nsnet down nsnetnet
	assert_status 2
	printf 'name: nsnetnet\nbridges:\n  br-x: {address: 10.8.0.1/24}\n' >"$BATS_TEST_TMPDIR/clash.yaml"
	run --separate-stderr nsnet up "$BATS_TEST_TMPDIR/clash.yaml"
	assert_status 2
	[[ -z $(ip -o link show br-x 2>/dev/null) ]] || fail "up of a CNI network's name made br-x"
	# And a topology's name is refused to a CNI network.
	cni_err 7 ADD c2 /run/netns/c2 eth0 "$(conf '.name = "beside"')"
	run --separate-stderr nsnet down beside
	assert_status 0
	cni_ok DEL c1 /run/netns/c1 eth0 "$(conf "$pm")"
	cni_ok DEL "pid${PIDS[-1]}" "" eth0 "$(conf)"
	ip route del default
}
