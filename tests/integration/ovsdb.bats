#!/usr/bin/env bats
# The OVSDB client (src/sys/ovsdb-client.c) and the ethtool calls
# (src/sys/ethtool.c), driven by build/tests/ovsdbtool against the test's own
# ovsdb-server and ovs-vswitchd (lib-ovs.bash; userspace datapath, the kernel
# here has no openvswitch module), checked with ovs-vsctl, ovsdb-client,
# ovsdb-tool, ethtool, ip and real traffic.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/ovsdb.bats
#
#                    host: ovsbr0 (OVS bridge, datapath netdev)
#                          internal port ovsbr0 = a tap, 192.168.15.5/24
#                         /                                  \
#                veth-red-br                             veth-blue-br
#                     |                                        |
#     red: veth-red 192.168.15.1/24               blue: veth-blue 192.168.15.2/24

load lib
load lib-ovs

OVSDBTOOL=$(realpath -m "${OVSDBTOOL:-$BATS_TEST_DIRNAME/../../build/tests/ovsdbtool}")
ovsdbtool() { _wrapped "$OVSDBTOOL" "$@"; }
export OVSDBTOOL
export -f ovsdbtool

FAKE_PIDS=()

setup() {
	[[ -x $OVSDBTOOL ]] || fail "ovsdbtool not found at $OVSDBTOOL (build it first)"
	common_setup
	ovs_start
}

cleanup_test() {
	local pid ns
	for pid in "${FAKE_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	ovs_stop
	ip link del veth-red-br 2>/dev/null
	ip link del veth-blue-br 2>/dev/null
	for ns in red blue; do
		! is_netns_mount "/run/netns/$ns" || ip netns del "$ns"
	done
	return 0
}

# Two namespaces, each behind a veth whose host end is up and waits for OVS.
two_namespaces() {
	local ns
	for ns in red blue; do
		ip netns add "$ns"
		ip link add "veth-$ns-br" type veth peer name "veth-$ns" netns "$ns"
		ip link set "veth-$ns-br" up
		ip -n "$ns" link set lo up
	done
	ip -n red addr add 192.168.15.1/24 dev veth-red
	ip -n blue addr add 192.168.15.2/24 dev veth-blue
	ip -n red link set veth-red up
	ip -n blue link set veth-blue up
}

add_bridge() {
	run ovsdbtool "$OVS_SOCK" add-bridge ovsbr0 veth-red-br veth-blue-br
	assert_status 0
}

# listening NS PORT: something in NS listens on TCP PORT.
listening() { [[ -n $(ip netns exec "$1" ss -Htln "sport = :$2") ]]; }

# tcp_transfer SIZE: SIZE bytes from red to blue over TCP; true when they arrived intact.
tcp_transfer() {
	local in=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out pid rc=0
	head -c "$1" /dev/urandom >"$in"
	rm -f "$out"
	ip netns exec blue timeout 10 socat -u TCP-LISTEN:5000,reuseaddr "OPEN:$out,creat,trunc" &
	pid=$!
	wait_until 5 listening blue 5000
	ip netns exec red timeout 5 socat -u "OPEN:$in" TCP:192.168.15.2:5000,connect-timeout=3 ||
		rc=1
	((rc == 0)) || kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || rc=1
	((rc == 0)) && cmp -s "$in" "$out"
}

# ethtool_tx NS DEV: the tx-checksumming line of `ethtool -k` ("on" or "off").
ethtool_tx() {
	ip netns exec "$1" ethtool -k "$2" | awk '$1 == "tx-checksumming:" { print $2 }'
}

@test "add-bridge: one transaction makes the bridge, its tap and ports, marked; OVS agrees" {
	two_namespaces
	add_bridge
	# One transaction: one record of ovsdb-server's log holds every insert.
	run ovsdb-tool -m show-log "$OVS_DIR/conf.db"
	assert_status 0
	[[ $(grep -c '"ovsdbtool add-bridge"' <<<"$output") -eq 1 ]]
	local record
	record=$(sed -n '/"ovsdbtool add-bridge"/,/^record/p' <<<"$output")
	for row in 'Bridge insert row "ovsbr0"' 'Port insert row "ovsbr0"' \
		'Port insert row "veth-red-br"' 'Port insert row "veth-blue-br"' \
		'Interface insert row "ovsbr0"' 'Interface insert row "veth-red-br"' \
		'Interface insert row "veth-blue-br"'; do
		[[ $record == *"table $row"* ]] || fail "not in the transaction: $row" "$record"
	done
	[[ $(ovs-vsctl get Bridge ovsbr0 datapath_type) == netdev ]]
	[[ $(ovs-vsctl list-ports ovsbr0 | sort | tr '\n' ' ') == "veth-blue-br veth-red-br " ]]
	[[ $(ovs-vsctl get Interface ovsbr0 type) == internal ]]
	local obj name
	for obj in Bridge:ovsbr0 Port:ovsbr0 Port:veth-red-br Port:veth-blue-br Interface:ovsbr0 \
		Interface:veth-red-br Interface:veth-blue-br; do
		[[ $(ovs-vsctl get "${obj%%:*}" "${obj#*:}" external_ids:nsnet-topology) == test ]] ||
			fail "$obj is not marked"
	done
	# Applied by ovs-vswitchd before add-bridge returned: ofports given, no errors.
	for name in veth-red-br veth-blue-br; do
		[[ $(ovs-vsctl get Interface "$name" ofport) -gt 0 ]]
		[[ $(ovs-vsctl get Interface "$name" error) == '[]' ]]
	done
	[[ $(ovs-vsctl get Open_vSwitch . cur_cfg) == $(ovs-vsctl get Open_vSwitch . next_cfg) ]]
	# The internal port is a persistent tap on the host.
	run ip -j -d link show ovsbr0
	assert_status 0
	assert_json '.[0].linkinfo.info_kind == "tun" and .[0].linkinfo.info_data.type == "tap"'
	# ovsdbtool's own reading agrees (the observer's state).
	run ovsdbtool "$OVS_SOCK" dump
	assert_status 0
	assert_output_contains '{"table":"Bridge","name":"ovsbr0","datapath_type":"netdev","ports":['
	assert_output_contains '{"table":"Interface","name":"ovsbr0","type":"internal","ofport":65534,"error":null,"external_ids":{"nsnet-topology":"test"}}'
	[[ $(grep -c '"table":"Port"' <<<"$output") -eq 3 ]]
}

@test "traffic: pings both ways and to the host; TCP needs TX checksum off on the namespace ends" {
	two_namespaces
	add_bridge
	ip addr add 192.168.15.5/24 dev ovsbr0
	ip link set ovsbr0 up
	ip netns exec red ping -c 2 -W 2 192.168.15.2
	ip netns exec blue ping -c 2 -W 2 192.168.15.1
	ip netns exec red ping -c 2 -W 2 192.168.15.5
	ping -c 2 -W 2 192.168.15.2
	# veths hand OVS's userspace datapath packets with partial checksums: TCP fails.
	[[ $(ethtool_tx red veth-red) == on ]]
	! tcp_transfer 100000 || fail "TCP worked with TX checksum offload on: the test cannot fail"
	run ovsdbtool txcsum red veth-red
	assert_status 0
	[[ $output == on ]]
	ovsdbtool txcsum-off red veth-red
	ovsdbtool txcsum-off blue veth-blue
	[[ $(ethtool_tx red veth-red) == off ]]
	[[ $(ethtool_tx blue veth-blue) == off ]]
	run ip netns exec red ethtool -k veth-red
	assert_output_contains 'tx-checksum-ip-generic: off'
	run ovsdbtool txcsum blue veth-blue
	[[ $output == off ]]
	tcp_transfer 2000000 || fail "2 MB over TCP did not arrive intact"
	# The host end needs nothing: the host's own TCP through the tap works both ways too.
	ip netns exec blue timeout 10 socat -u TCP-LISTEN:5001,reuseaddr OPEN:/dev/null &
	FAKE_PIDS+=($!)
	wait_until 5 listening blue 5001
	head -c 1000000 /dev/zero | timeout 5 socat -u - TCP:192.168.15.2:5001,connect-timeout=3
	run ovsdbtool txcsum-off red nope0
	assert_status 1
	assert_output_contains "link 'nope0' in 'red': ETHTOOL_STXCSUM: No such device"
	run ovsdbtool txcsum-off nons veth-red
	assert_status 1
}

@test "del-bridge: the baseline dump is back, no tap left, a foreign bridge untouched and refused" {
	ovs-vsctl add-br foreign -- set bridge foreign datapath_type=netdev
	ovs-vsctl add-port foreign fport -- set interface fport type=internal
	local base=$BATS_TEST_TMPDIR/ovs-before
	ovs_dump >"$base"
	two_namespaces
	add_bridge
	ip link show ovsbr0 >/dev/null
	run ovsdbtool "$OVS_SOCK" del-bridge foreign
	assert_status 1
	assert_output_contains "OVS bridge 'foreign' is not ours (no external_ids:nsnet-topology=test)"
	run ovsdbtool "$OVS_SOCK" del-bridge ovsbr0
	assert_status 0
	diff -u "$base" <(ovs_dump)
	! ip link show ovsbr0 2>/dev/null || fail "the tap ovsbr0 is left"
	ip link show foreign >/dev/null
	ip link show fport >/dev/null
	run ovsdbtool "$OVS_SOCK" del-bridge ovsbr0
	assert_status 1
	assert_output_contains "no OVS bridge 'ovsbr0'"
}

@test "a wanted name held by a foreign bridge: the transaction fails, naming why; nothing changes" {
	ovs-vsctl add-br foreign -- set bridge foreign datapath_type=netdev
	local base=$BATS_TEST_TMPDIR/ovs-before
	ovs_dump >"$base"
	run ovsdbtool "$OVS_SOCK" add-bridge foreign
	assert_status 1
	assert_output_contains "OVSDB transaction: op 1 (wait for 'Bridge'): timed out"
	two_namespaces
	run ovsdbtool "$OVS_SOCK" add-bridge ovsbr0 veth-red-br foreign
	assert_status 1
	assert_output_contains 'OVSDB transaction: commit: constraint violation: Transaction causes multiple rows in "Interface" table to have identical values (foreign) for index on column "name".'
	diff -u "$base" <(ovs_dump)
}

# within_2s CMD...: `run CMD`, which must take less than 2 s (valgrind's own start-up, up to
# a second on a loaded machine, is allowed for on top).
within_2s() {
	local t0 limit=2000000000
	[[ $NSNET_WRAP != *valgrind* ]] || limit=$((limit + 2000000000))
	t0=$(date +%s%N)
	run "$@"
	(($(date +%s%N) - t0 < limit)) || fail "took over $((limit / 1000000)) ms: $*"
}

@test "no ovsdb-server at the socket: a clear message, exit 1, within 2 s" {
	within_2s ovsdbtool "$OVS_DIR/none.sock" dump
	assert_status 1
	[[ $output == "ovsdbtool: cannot reach OVSDB at $OVS_DIR/none.sock: No such file or directory: start Open vSwitch (ovsdb-server)" ]]
	# A socket file nobody listens on (a server that died).
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		"$OVS_DIR/dead.sock"
	within_2s ovsdbtool "unix:$OVS_DIR/dead.sock" dump
	assert_status 1
	assert_output_contains "cannot reach OVSDB at $OVS_DIR/dead.sock: Connection refused: start Open vSwitch (ovsdb-server)"
	ovs_stop
	within_2s ovsdbtool "$OVS_SOCK" add-bridge ovsbr0
	assert_status 1
	assert_output_contains "cannot reach OVSDB at $OVS_SOCK:"
}

@test "ovs-vswitchd not running: refused before any change; past the lock check, the cur_cfg wait times out" {
	ovs_stop_vswitchd
	local base=$BATS_TEST_TMPDIR/ovs-before
	ovs_dump >"$base"
	run ovsdbtool "$OVS_SOCK" add-bridge ovsbr0
	assert_status 1
	[[ $output == "ovsdbtool: ovs-vswitchd is not running (no one holds OVSDB lock 'ovs_vswitchd')" ]]
	diff -u "$base" <(ovs_dump)
	within_2s ovsdbtool -t 1 --no-lock-check "$OVS_SOCK" add-bridge ovsbr0
	assert_status 1
	[[ $output == "ovsdbtool: ovs-vswitchd did not apply the change within 1 s (is it running?)" ]]
	# Committed all the same (the caller undoes it): the row is there, not applied.
	[[ $(ovs-vsctl list-br) == ovsbr0 ]]
	[[ $(ovs-vsctl get Open_vSwitch . cur_cfg) -lt $(ovs-vsctl get Open_vSwitch . next_cfg) ]]
	# The same when vswitchd runs but is stuck (it holds the lock, applies nothing).
	ovs_start_vswitchd
	kill -STOP "$OVS_VSWITCHD_PID"
	run ovsdbtool -t 1 "$OVS_SOCK" del-bridge ovsbr0
	assert_status 1
	[[ $output == "ovsdbtool: ovs-vswitchd did not apply the change within 1 s (is it running?)" ]]
	kill -CONT "$OVS_VSWITCHD_PID"
	ovs-vsctl --timeout=10 wait-until Open_vSwitch . cur_cfg="$(ovs-vsctl get Open_vSwitch . next_cfg)"
	diff -u "$base" <(ovs_dump)
}

@test "targets other than unix:PATH are refused as input (exit 2)" {
	run ovsdbtool tcp:127.0.0.1:6640 dump
	assert_status 2
	assert_output_contains "OVSDB target 'tcp:127.0.0.1:6640': only unix:PATH is supported, not 'tcp:'"
	run ovsdbtool unix: dump
	assert_status 2
	assert_output_contains "OVSDB target 'unix:': the path is empty"
	run ovsdbtool "unix:/$(printf 'x%.0s' {1..120})" dump
	assert_status 2
	assert_output_contains "the path is too long"
}

# fake_server MODE PATH: a one-connection server speaking as ovsdb-server
# would not (tests/integration/ovsdb.bats only). What it reads goes to PATH.log.
fake_server() {
	python3 - "$@" <<'EOF' 3>&- &
import json, socket, sys, time
mode, path = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX)
srv.bind(path)
srv.listen(1)
if mode == "mute":
    time.sleep(30)
    sys.exit(0)
conn, _ = srv.accept()
log = open(path + ".log", "w")
buf = ""
def message():
    global buf
    dec = json.JSONDecoder()
    while True:
        try:
            obj, end = dec.raw_decode(buf.lstrip())
            buf = buf.lstrip()[end:]
            log.write(json.dumps(obj, sort_keys=True) + "\n")
            log.flush()
            return obj
        except ValueError:
            data = conn.recv(65536)
            if not data:
                sys.exit(0)
            buf += data.decode()
if mode == "echo":
    # Before answering: an echo request, a notification and a stale reply.
    conn.sendall(b'{"id":"e1","method":"echo","params":["ping"]}'
                 b'{"id":null,"method":"update","params":[null,{}]}'
                 b'{"id":99,"result":[],"error":null}')
    req = message()
    while req.get("id") == "e1":
        req = message()
    reply = json.load(open(sys.argv[3]))
    reply["id"] = req["id"]
    conn.sendall(json.dumps(reply).encode())
    # Waits for the client to close, so its log is complete.
    message()
elif mode == "deep":
    req = message()
    conn.sendall(('{"id":%d,"result":' % req["id"] + "[" * 100).encode())
    time.sleep(5)
elif mode == "big":
    req = message()
    conn.sendall(b'{"id":1,"result":["')
    chunk = b"x" * (1 << 20)
    try:
        for _ in range(40):
            conn.sendall(chunk)
    except OSError:
        pass
elif mode == "close":
    message()
    conn.close()
EOF
	FAKE_PIDS+=($!)
	wait_until 5 test -S "$2"
}

@test "the client answers echo requests and skips notifications and stale replies" {
	local sock=$OVS_DIR/fake.sock
	fake_server echo "$sock" "$BATS_TEST_DIRNAME/../fuzz/ovsdb-seeds/observe.json"
	run ovsdbtool "$sock" dump
	assert_status 0
	assert_output_contains '{"table":"Bridge","name":"foreign","datapath_type":"netdev","ports":["foreign"],"external_ids":{"owner":"someone"}}'
	wait_until 5 grep -q '"id": "e1"' "$sock.log"
	# The echo's reply: its params back, under its id.
	grep -qF '{"error": null, "id": "e1", "result": ["ping"]}' "$sock.log"
}

@test "hostile servers: a mute one costs the timeout, not a hang; deep, huge or cut replies are errors" {
	fake_server mute "$OVS_DIR/mute.sock"
	within_2s ovsdbtool -t 1 "$OVS_DIR/mute.sock" dump
	assert_status 1
	assert_output_contains "OVSDB at $OVS_DIR/mute.sock: no reply to 'transact' in time"
	fake_server deep "$OVS_DIR/deep.sock"
	run ovsdbtool "$OVS_DIR/deep.sock" dump
	assert_status 1
	assert_output_contains "OVSDB at $OVS_DIR/deep.sock: OVSDB stream: message nested over 32 levels"
	fake_server big "$OVS_DIR/big.sock"
	run ovsdbtool "$OVS_DIR/big.sock" dump
	assert_status 1
	assert_output_contains "OVSDB at $OVS_DIR/big.sock: a message over 33554432 bytes"
	fake_server close "$OVS_DIR/close.sock"
	run ovsdbtool "$OVS_DIR/close.sock" dump
	assert_status 1
	assert_output_contains "OVSDB at $OVS_DIR/close.sock closed the connection"
}
