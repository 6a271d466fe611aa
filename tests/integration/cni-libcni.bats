#!/usr/bin/env bats
# nsnet-cni under a real CNI client: Debian's libcni 1.1.2 (what containerd
# 1.x, CRI-O and podman 4 link), through tests/tools/cni-driver (built here
# with GO111MODULE=off against /usr/share/gocode), on the README's example
# conflist itself, examples/cni/nsnet.conflist:
#
#     lan 192.168.1.3 --- eth0 192.168.1.2 (host) --- nsbr0 10.89.0.1/16
#                                                        |  ... |
#                                                     c0 ... c19  (port 20000+I -> 80)
#
# 20 containers: libcni's ADD, TCP from the LAN through every port mapping
# (and between containers), libcni's CHECK, DEL, DEL again; VERSION as
# libcni validates a list; GC and STATUS as libcni 1.2 sends them (1.1.2 has
# neither). Oracles: libcni's own parsing of every result, real TCP (socat),
# ip -j, and the leak check after the last DEL.

load lib
load lib-cni

N=20

setup_file() {
	export DRIVER=$BATS_FILE_TMPDIR/cni-driver
	(cd "$BATS_TEST_DIRNAME/../tools/cni-driver" &&
		GOCACHE=$BATS_FILE_TMPDIR/gocache GO111MODULE=off GOPATH=/usr/share/gocode \
			go build -o "$DRIVER" .) || return 1
	# The plugin directory a runtime searches: nsnet-cni under its type's name (through
	# lib.bash's _wrapped when $NSNET_WRAP, valgrind say, is set: libcni passes its
	# whole environment on, the function included).
	export PLUGINS=$BATS_FILE_TMPDIR/plugins
	mkdir -p "$PLUGINS"
	if [[ -n $NSNET_WRAP ]]; then
		printf '#!/bin/bash\n_wrapped "$NSNET_CNI" "$@"\n' >"$PLUGINS/nsnet"
		chmod +x "$PLUGINS/nsnet"
	else
		ln -s "$NSNET_CNI" "$PLUGINS/nsnet"
	fi
}

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	PIDS=()
	common_setup
}

cleanup_test() {
	local i
	kill_servers
	[[ -n ${BATS_TEST_COMPLETED:-} ]] || cni_force_clean
	for ((i = 0; i < N; i++)); do
		! is_netns_mount "/run/netns/c$i" || ip netns del "c$i"
	done
	lan_down
	rm -rf /run/cni-driver
	leases_none
}

teardown() { common_teardown; }

# driver ARGS...: the libcni driver, nsnet-cni as the plugin "nsnet".
driver() {
	"$DRIVER" -path "$PLUGINS" -cachedir /run/cni-driver "$@"
}

# ok_all FILE OP: every line of the driver's output is a successful OP.
ok_all() {
	local bad
	bad=$(jq -c "select(.op != \"$2\" or .ok != true)" "$1")
	[[ -z $bad ]] || fail "$2 failed: $bad"
	[[ $(wc -l <"$1") -ge 1 ]] || fail "no $2 ran"
}

@test "libcni: VERSION of the list (ValidateNetworkList: 1.0.0 is supported)" {
	run driver "$EXAMPLE" version
	assert_status 0
	assert_lines '.[0].op == "VALIDATE" and .[0].ok and .[1].op == "VERSION"
		and .[1].versions == ["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]'
}

@test "libcni: ADD, TCP through every port mapping, CHECK, DEL, DEL again for 20 containers" {
	local i netns=() ip
	lan_up
	for ((i = 0; i < N; i++)); do
		ip netns add "c$i"
		ip -n "c$i" link set lo up
		netns+=("/run/netns/c$i")
	done
	driver -hostport 20000 -args 'IgnoreUnknown=1;K8S_POD_NAME=pod{i}' "$EXAMPLE" add "${netns[@]}" \
		>"$BATS_TEST_TMPDIR/add" || fail "ADD: $(cat "$BATS_TEST_TMPDIR/add")"
	ok_all "$BATS_TEST_TMPDIR/add" ADD
	# libcni parsed each result (types/100): one address each, all distinct.
	[[ $(jq -r '.result.ips[0].address' "$BATS_TEST_TMPDIR/add" | sort -u | wc -l) == "$N" ]] ||
		fail "addresses: $(jq -r '.result.ips[0].address' "$BATS_TEST_TMPDIR/add")"
	for ((i = 0; i < N; i++)); do
		serve "c$i" 80 "c$i"
	done
	for ((i = 0; i < N; i++)); do
		assert_send lan 192.168.1.2 $((20000 + i)) "c$i from 192.168.1.3"
	done
	ip=$(jq -r 'select(.container == "drv-19") | .result.ips[0].address | split("/")[0]' "$BATS_TEST_TMPDIR/add")
	assert_send c0 "$ip" 80 "c19 from 10.89.0.*"
	kill_servers
	driver -hostport 20000 -args 'IgnoreUnknown=1;K8S_POD_NAME=pod{i}' "$EXAMPLE" check "${netns[@]}" \
		>"$BATS_TEST_TMPDIR/check" || fail "CHECK: $(cat "$BATS_TEST_TMPDIR/check")"
	ok_all "$BATS_TEST_TMPDIR/check" CHECK
	driver -hostport 20000 "$EXAMPLE" del "${netns[@]}" >"$BATS_TEST_TMPDIR/del" ||
		fail "DEL: $(cat "$BATS_TEST_TMPDIR/del")"
	ok_all "$BATS_TEST_TMPDIR/del" DEL
	[[ -z $(ip -o link show nsbr0 2>/dev/null) ]] || fail "nsbr0 left after the last DEL"
	# DEL again (libcni's cache is gone now: no prevResult): still success.
	driver -hostport 20000 "$EXAMPLE" del "${netns[@]}" >"$BATS_TEST_TMPDIR/del2" ||
		fail "DEL again: $(cat "$BATS_TEST_TMPDIR/del2")"
	ok_all "$BATS_TEST_TMPDIR/del2" DEL
}

@test "libcni: a round (ADD, CHECK, DEL, DEL) per container, and the namespace deleted before DEL" {
	ip netns add c0
	ip netns add c1
	run driver -hostport 20000 "$EXAMPLE" round /run/netns/c0
	assert_status 0
	[[ $(jq -r .op <<<"$output" | tr '\n' ' ') == "ADD CHECK DEL DEL " ]] || fail "$output"
	run driver -prefix gone "$EXAMPLE" add /run/netns/c1
	assert_status 0
	ip netns del c1
	run driver -prefix gone "$EXAMPLE" del /run/netns/c1
	assert_status 0
}

@test "GC and STATUS as libcni 1.2 sends them: stale cached attachments DELed, then GC; STATUS ready" {
	# libcni 1.1.2 takes no 1.1.0 result: ADD and DEL with the example's 1.0.0 list, GC and
	# STATUS (spec 1.1.0 only) with a 1.1.0 copy, as a libcni 1.2 runtime would send them.
	local list=$BATS_TEST_TMPDIR/net110.conflist
	jq '.cniVersion = "1.1.0"' "$EXAMPLE" >"$list"
	ip netns add c0
	ip netns add c1
	run driver "$EXAMPLE" add /run/netns/c0 /run/netns/c1
	assert_status 0
	run driver "$list" status
	assert_status 0
	assert_lines '.[0].op == "STATUS" and .[0].ok'
	# drv-1 is not valid any more: libcni 1.2 DELs it from its cache (no CNI_NETNS)...
	run driver -gc-del "$EXAMPLE" gc drv-0
	assert_lines '.[0].op == "DEL" and .[0].container == "drv-1" and .[0].ok
		and .[1].op == "GC" and (.[1].ok | not) and .[1].error.code == 1'
	# ... then sends GC, which a 1.0.0 list may not carry (code 1, as libcni's skel says).
	[[ -z $(ip -n c1 -o link show eth0 2>/dev/null) ]] || fail "drv-1's eth0 left"
	[[ -n $(ip -n c0 -o link show eth0 2>/dev/null) ]] || fail "drv-0's eth0 went"
	run driver "$list" gc drv-0
	assert_status 0
	run driver "$EXAMPLE" check /run/netns/c0
	assert_status 0
	# GC with nothing valid takes the rest, and the network with its last attachment.
	run driver "$list" gc
	assert_status 0
	[[ -z $(ip -n c0 -o link show eth0 2>/dev/null) ]] || fail "drv-0's eth0 left after GC"
	[[ -z $(ip -o link show nsbr0 2>/dev/null) ]] || fail "nsbr0 left after GC"
	rm -rf /run/cni-driver
}
