#!/usr/bin/env bats
# Topologies: `nsnet up FILE`, `nsnet down FILE|NAME`, `nsnet status`.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/topology.bats
#
# The sandbox's own network namespace plays the host. The outside LAN is a
# namespace `lan` made here with iproute2 (never with nsnet):
#
#     host: eth0 192.168.1.2/24  <-- veth -->  lan: eth0 192.168.1.3/24
#
# Topologies: examples/tutorial-direct.yaml, examples/tutorial.yaml (both
# named "tutorial") and fixtures/topology-other.yaml ("other": v-net-1
# 10.10.0.1/24, namespace green 10.10.0.2/24).
#
# Oracles, all independent of nsnet: `ip -j`, `nft -j`, namespace inodes, real
# ICMP and TCP (socat servers that answer with the client address they see),
# strace, and lib.bash's snapshot of the whole kernel/filesystem state.
#
# `up` turns net.ipv4.ip_forward on and `down` deliberately leaves it on
# (documented), so setup turns it on before the snapshot: the leak check then
# stays strict for everything else.

load lib

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
TUTORIAL=$EXAMPLES/tutorial.yaml
DIRECT=$EXAMPLES/tutorial-direct.yaml
OTHER=$(realpath "$BATS_TEST_DIRNAME/fixtures/topology-other.yaml")
GOLDEN_BAD=$(realpath "$BATS_TEST_DIRNAME/../golden/bad")
NSNET_GROUP=1853058676 # 0x6e736e74, "nsnt"
SNAP_SED='s/"(forward_delay_timer|hold_timer|message_age_timer)":[0-9.]+,?//g'

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
	# The baseline in snap's form, for assert_unchanged.
	sed -E "$SNAP_SED" "$BATS_TEST_TMPDIR/before" >"$BATS_TEST_TMPDIR/base"
	TOPOS=(tutorial)  # what cleanup_test brings down with nsnet
	PIDS=()           # servers started by the test
	FOREIGN_NS=()     # namespaces made by the test with iproute2
	FOREIGN_LINKS=()  # host links made by the test with iproute2
}

# Everything a test here can create, removed with iproute2/nft/rm. Used only
# when `nsnet down` did not restore the baseline (then the test fails anyway),
# so that one failure cannot leak into the next test.
force_clean() {
	local ns link t
	for ns in red blue green lan; do
		! is_netns_mount "/run/netns/$ns" || ip netns del "$ns"
	done
	for link in eth0 v-net-0 v-net-1 veth-red-br veth-blue-br veth-green-br; do
		ip link del "$link" 2>/dev/null
	done
	for t in tutorial other; do
		nft delete table inet "nsnet-$t" 2>/dev/null
	done
	rm -f /run/nsnet/*
	return 0
}

kill_ns_pids() {
	local ns=$1 pid
	is_netns_mount "/run/netns/$ns" || return 0
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		kill "$pid" 2>/dev/null
	done
}

cleanup_test() {
	local pid ns link t rc=0
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# Children forked by the servers (socat fork): only processes of the
	# namespaces this test made.
	for ns in lan blue red green; do kill_ns_pids "$ns"; done
	lan_down
	for ns in "${FOREIGN_NS[@]}"; do
		! is_netns_mount "/run/netns/$ns" || ip netns del "$ns"
	done
	for link in "${FOREIGN_LINKS[@]}"; do
		ip link del "$link" 2>/dev/null
	done
	for t in "${TOPOS[@]}"; do
		if ! nsnet down "$t" >"$BATS_TEST_TMPDIR/cleanup-down.out" 2>&1; then
			echo "cleanup: 'nsnet down $t' failed:" >&2
			cat "$BATS_TEST_TMPDIR/cleanup-down.out" >&2
			rc=1
		fi
	done
	# What down must have removed (lib.bash's leak check then compares the
	# whole state). Polled: veth ends of deleted namespaces go away
	# asynchronously. Forced away if left, so that the next test starts clean.
	if ! wait_until 5 no_leftovers 2>/dev/null; then
		echo "cleanup: left after 'nsnet down':" "$(leftovers)" >&2
		force_clean
		rc=1
	fi
	return "$rc"
}

# leftovers: the objects of this file's topologies that exist, one a line.
leftovers() {
	local f
	for f in /run/netns/red /run/netns/blue /run/netns/green /run/nsnet/*; do
		[[ ! -e $f ]] || echo "$f"
	done
	ip -o link show | grep -oE '^[0-9]+: (v-net-[01]|veth-(red|blue|green)-br)[@:]'
	nft list tables | grep -F nsnet-
	return 0
}
no_leftovers() { [[ -z $(leftovers) ]]; }

# --- helpers ---------------------------------------------------------------------

# ipn NS ARGS...: ip in namespace NS, or on the host when NS is "-".
ipn() {
	local ns=$1
	shift
	if [[ $ns == - ]]; then ip "$@"; else ip -n "$ns" "$@"; fi
}

ifindex() { ipn "$1" -j link show dev "$2" | jq -r '.[0].ifindex'; }

# peer NS IF: "NAME:IFINDEX" of the veth peer of IF in NS; NAME is NS itself
# when the peer is in the same namespace, else the /run/netns name of the
# peer's namespace as `ip netns list-id` resolves it, "?" when it has none.
peer() {
	local ns=$1 dev=$2 j nsid idx name
	j=$(ipn "$ns" -j -d link show dev "$dev") || return 1
	read -r idx nsid < <(jq -r '.[0] | "\(.link_index // "none") \(.link_netnsid // "")"' <<<"$j")
	if [[ -z $nsid ]]; then
		name=$ns
	else
		name=$(ipn "$ns" -j netns list-id |
			jq -r --argjson id "$nsid" 'map(select(.nsid == $id))[0].name // "?"')
	fi
	echo "$name:$idx"
}

# link_json NS IF: the `ip -j -d link` object of IF in NS.
link_json() { ipn "$1" -j -d link show dev "$2" | jq -c '.[0]'; }

# assert_owned NS IF TOPO: IF carries nsnet's marks for TOPO.
assert_owned() {
	local j
	j=$(link_json "$1" "$2") || fail "no link $2 in $1"
	assert_json ".ifalias == \"nsnet:$3\" and (.group | tostring) == \"$NSNET_GROUP\"" "$j"
}

# ipv4_of NS IF: the IPv4 addresses/prefix of IF in NS, sorted, space separated.
ipv4_of() {
	ipn "$1" -j addr show dev "$2" |
		jq -r '[.[0].addr_info[] | select(.family == "inet") | "\(.local)/\(.prefixlen)"] | sort | join(" ")'
}

# routes4 NS: "dst via gateway" of the IPv4 main table, one a line, sorted.
routes4() {
	ipn "$1" -4 -j route show | jq -r '.[] | "\(.dst) via \(.gateway // "-")"' | sort
}

listening() { ip netns exec "$1" ss -ltnH "sport = :$2" | grep -q .; }

# serve NS PORT WORD: a TCP server in NS answering "WORD <client address>".
serve() {
	local ns=$1 port=$2 word=$3
	ip netns exec "$ns" socat -T2 "TCP-LISTEN:$port,fork,reuseaddr" \
		SYSTEM:"echo $word \$SOCAT_PEERADDR" </dev/null >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	wait_until 5 listening "$ns" "$port"
}

# fetch NS ADDR PORT: connect from NS ("-": the host) and print the answer.
fetch() {
	local -a cmd=(timeout 6 socat -T2 - "TCP:$2:$3,connect-timeout=2")
	if [[ $1 == - ]]; then
		"${cmd[@]}" </dev/null 2>&1
	else
		ip netns exec "$1" "${cmd[@]}" </dev/null 2>&1
	fi
}

# assert_fetch NS ADDR PORT WANT: fetch's answer is WANT (a glob).
assert_fetch() {
	local got
	got=$(fetch "$1" "$2" "$3")
	# shellcheck disable=SC2053
	[[ $got == $4 ]] ||
		fail "from ${1/#-/the host} to $2:$3: expected '$4', got '$got'"
}

# snap FILE: lib.bash's snapshot without the bridge ports' running timers
# (they count down even with STP off, so two snapshots of an unchanged
# bridge differ).
snap() {
	snapshot "$1"
	sed -E -i "$SNAP_SED" "$1"
}

# assert_unchanged SNAPSHOT: the state now equals SNAPSHOT, taken by snap (no polling).
assert_unchanged() {
	snap "$BATS_TEST_TMPDIR/now"
	diff -u "$1" "$BATS_TEST_TMPDIR/now" >&2 || fail "the state changed (- before, + now)"
}

# settle: wait until the state stops moving (IPv6 DAD, link operstates) so
# that two snapshots can be compared.
settle() {
	local a=$BATS_TEST_TMPDIR/settle.a b=$BATS_TEST_TMPDIR/settle.b
	local deadline=$((SECONDS + 10))
	snap "$a"
	while :; do
		sleep 0.2
		snap "$b"
		if cmp -s "$a" "$b" && ! grep -q '"tentative":true' "$b"; then
			return 0
		fi
		if ((SECONDS >= deadline)); then
			diff -u "$a" "$b" >&2
			fail "the state did not settle in 10 s"
			return 1
		fi
		mv "$b" "$a"
	done
}

# assert_up_output TOPO: $output is the progress of an `up` that made changes:
# lines "+ ...", "- ...", "~ ..." then "'TOPO' is up: N changes" with N the
# number of those lines.
assert_up_output() {
	local last n lines
	last=${output##*$'\n'}
	[[ $last =~ ^\'$1\'\ is\ up:\ ([0-9]+)\ changes?$ ]] ||
		fail "last line is not \"'$1' is up: N changes\": $output"
	n=${BASH_REMATCH[1]}
	lines=$(grep -cE '^[-+~] ' <<<"$output")
	((n > 0 && n == lines)) || fail "says $n changes, printed $lines change lines: $output"
}

# assert_baseline: the state is the one before the test (lib.bash's leak
# check, after waiting cheaply for the asynchronous removal of veth ends).
assert_baseline() {
	wait_until 5 no_leftovers 2>/dev/null || true
	leak_diff "$BATS_TEST_TMPDIR/before"
}

# nsnet_state_files TOPO: the lock and state files of TOPO that exist.
nsnet_state_files() {
	local f
	for f in "/run/nsnet/$1.json" "/run/nsnet/$1.lock"; do
		[[ ! -e $f ]] || echo "$f"
	done
}

# up_ok FILE: nsnet up FILE succeeds.
up_ok() {
	run nsnet up "$1"
	assert_status 0
}

# --- 1. direct cable ------------------------------------------------------------------

@test "up tutorial-direct: red and blue joined by one veth cable, marked as nsnet's" {
	run nsnet up "$DIRECT"
	assert_status 0
	assert_up_output tutorial
	assert_output_contains "+ namespace 'red'"
	assert_output_contains "+ namespace 'blue'"

	is_netns_mount /run/netns/red || fail "no namespace red"
	is_netns_mount /run/netns/blue || fail "no namespace blue"
	[[ $(ipv4_of red veth-red) == 192.168.15.1/24 ]] || fail "red: $(ipv4_of red veth-red)"
	[[ $(ipv4_of blue veth-blue) == 192.168.15.2/24 ]] || fail "blue: $(ipv4_of blue veth-blue)"

	# The cable: veth-red's peer is veth-blue in blue, and back.
	[[ $(peer red veth-red) == "blue:$(ifindex blue veth-blue)" ]] ||
		fail "veth-red's peer: $(peer red veth-red), want blue:$(ifindex blue veth-blue)"
	[[ $(peer blue veth-blue) == "red:$(ifindex red veth-red)" ]] ||
		fail "veth-blue's peer: $(peer blue veth-blue)"
	# Nothing on the host.
	[[ $(ip -j link | jq -c 'map(.ifname)') == '["lo"]' ]] || fail "host links: $(ip -br link)"

	# Ownership marks: the links, and each namespace's lo.
	assert_owned red veth-red tutorial
	assert_owned blue veth-blue tutorial
	assert_json '.ifalias == "nsnet:tutorial"' "$(link_json red lo)"
	assert_json '.ifalias == "nsnet:tutorial"' "$(link_json blue lo)"
	[[ -f /run/nsnet/tutorial.json && -e /run/nsnet/tutorial.lock ]] ||
		fail "state files: $(ls -A /run/nsnet)"

	can_ping red 192.168.15.2
	can_ping blue 192.168.15.1
}

# --- 2. rewiring ------------------------------------------------------------------------

@test "up tutorial after tutorial-direct: the cable becomes a bridge, namespaces kept" {
	up_ok "$DIRECT"
	local red_ino blue_ino
	red_ino=$(netns_inode red)
	blue_ino=$(netns_inode blue)

	run nsnet up "$TUTORIAL"
	assert_status 0
	assert_up_output tutorial
	[[ $output != *"+ namespace"* ]] || fail "namespaces recreated: $output"

	# Same namespaces, not recreated.
	[[ $(netns_inode red) == "$red_ino" ]] || fail "red was recreated"
	[[ $(netns_inode blue) == "$blue_ino" ]] || fail "blue was recreated"

	# The bridge, with its address, and the two host ends in it.
	assert_json '.linkinfo.info_kind == "bridge"' "$(link_json - v-net-0)"
	assert_owned - v-net-0 tutorial
	[[ $(ipv4_of - v-net-0) == 192.168.15.5/24 ]] || fail "v-net-0: $(ipv4_of - v-net-0)"
	local l
	for l in veth-red-br veth-blue-br; do
		assert_json '.master == "v-net-0"' "$(link_json - $l)"
		assert_owned - $l tutorial
	done

	# The cable is gone: each namespace end's peer is its host end (veth
	# peers are 1:1, so checking from the host side is conclusive).
	[[ $(peer - veth-red-br) == "red:$(ifindex red veth-red)" ]] ||
		fail "veth-red-br's peer: $(peer - veth-red-br), want red:$(ifindex red veth-red)"
	[[ $(peer - veth-blue-br) == "blue:$(ifindex blue veth-blue)" ]] ||
		fail "veth-blue-br's peer: $(peer - veth-blue-br)"
	[[ $(peer red veth-red) != blue:* ]] || fail "veth-red still cabled to blue"
	[[ $(ipv4_of red veth-red) == 192.168.15.1/24 ]] || fail "red: $(ipv4_of red veth-red)"
	[[ $(ipv4_of blue veth-blue) == 192.168.15.2/24 ]] || fail "blue: $(ipv4_of blue veth-blue)"
	[[ $(ip -n red -j link | jq 'length') -eq 2 ]] || fail "red links: $(ip -n red -br link)"
	[[ $(ip -n blue -j link | jq 'length') -eq 2 ]] || fail "blue links: $(ip -n blue -br link)"

	can_ping red 192.168.15.2
	can_ping blue 192.168.15.1
	can_ping - 192.168.15.1
	can_ping - 192.168.15.2
	can_ping red 192.168.15.5
}

# --- 3. NAT --------------------------------------------------------------------------------

@test "nat: blue reaches the LAN, which sees the host's address (192.168.1.2)" {
	up_ok "$TUTORIAL"
	lan_up
	serve lan 8080 lan

	can_ping blue 192.168.1.3
	can_ping red 192.168.1.3
	assert_fetch blue 192.168.1.3 8080 "lan 192.168.1.2"
	assert_fetch red 192.168.1.3 8080 "lan 192.168.1.2"
}

# --- 4. port forward --------------------------------------------------------------------

@test "forward tcp 80 -> blue:80: from the LAN (client address kept), the host, red (hairpin)" {
	up_ok "$TUTORIAL"
	lan_up
	serve blue 80 blue
	serve lan 80 lan

	# The nft map holds the forward.
	run --separate-stderr nft -j list table inet nsnet-tutorial
	assert_status 0
	assert_json 'any(.nftables[] | .map? // empty | .elem[]?;
		(.[0] | tostring | test("\\b80\\b")) and (.[1] | tostring | contains("192.168.15.2")))'

	# From the LAN to the host's address: blue answers, and sees the real client.
	assert_fetch lan 192.168.1.2 80 "blue 192.168.1.3"
	# From the host itself.
	assert_fetch - 192.168.1.2 80 "blue *"
	# From red to the host's outside address: hairpin to blue.
	assert_fetch red 192.168.1.2 80 "blue *"
	# From red to the LAN's own port 80: the LAN's server, not blue.
	assert_fetch red 192.168.1.3 80 "lan *"
	assert_fetch blue 192.168.1.3 80 "lan *"
}

# --- 5. idempotence -------------------------------------------------------------------------

# netlink_writes LOG: the netlink messages of an strace log that change
# something (anything but RTM_GET*, NFT_MSG_GET* and sock_diag's dumps), one a
# line. strace names the types of sockets it knows; on others it prints
# numbers: rtnetlink types are NEW/DEL/GET/SET in that order from 16,
# nftables GET* are the ones below.
netlink_writes() {
	local t v low
	grep -oE 'nlmsg_type=[^,}]+' "$1" | sed -E 's/^nlmsg_type=//; s/ .*//' | while read -r t; do
		case $t in
		RTM_GET* | *NFT_MSG_GET* | SOCK_DIAG_BY_FAMILY) ;;
		0x*)
			v=$((t))
			if ((v < 0x100)); then
				((v >= 16 && (v - 16) % 4 == 2)) || echo "$t"
			elif ((v >> 8 == 10)); then
				low=$((v & 0xff))
				case $low in 1 | 4 | 7 | 10 | 13 | 16 | 19 | 23) ;; *) echo "$t" ;; esac
			else
				echo "$t"
			fi
			;;
		*) echo "$t" ;;
		esac
	done
}

@test "idempotence: a second up changes nothing (no netlink write), down twice exits 0" {
	local log=$BATS_TEST_TMPDIR/strace.log
	# LeakSanitizer cannot run under ptrace.
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
		strace -f -qq -s 64 -o "$log.1" -e trace=sendto,sendmsg "$NSNET" up "$TUTORIAL" >/dev/null 2>&1 ||
		fail "first up failed under strace"
	# Self-check of the oracle: the first up's writes are seen.
	[[ -n $(netlink_writes "$log.1") ]] || fail "the strace oracle saw no write in the first up: $(head -c 2000 "$log.1")"
	settle

	snap "$BATS_TEST_TMPDIR/up1"
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
		strace -f -qq -s 64 -o "$log.2" -e trace=sendto,sendmsg "$NSNET" up "$TUTORIAL" \
		>"$BATS_TEST_TMPDIR/up2.out" 2>&1 || fail "second up failed: $(cat "$BATS_TEST_TMPDIR/up2.out")"
	[[ $(cat "$BATS_TEST_TMPDIR/up2.out") == "'tutorial' is up to date: no change" ]] ||
		fail "second up said: $(cat "$BATS_TEST_TMPDIR/up2.out")"
	grep -q RTM_GETLINK "$log.2" || fail "strace did not decode the second up's netlink traffic"
	local writes
	writes=$(netlink_writes "$log.2" | sort | uniq -c)
	[[ -z $writes ]] || fail "the second up sent netlink writes:" "$writes"
	assert_unchanged "$BATS_TEST_TMPDIR/up1"

	# And once more through the wrapper (valgrind/sanitizers when asked).
	run nsnet up "$TUTORIAL"
	assert_status 0
	[[ $output == "'tutorial' is up to date: no change" ]] || fail "third up: $output"
	assert_unchanged "$BATS_TEST_TMPDIR/up1"

	run nsnet down tutorial
	assert_status 0
	assert_output_matches "'tutorial' is down: [0-9]+ changes?"
	assert_baseline
	[[ -z $(nsnet_state_files tutorial) ]] || fail "left: $(nsnet_state_files tutorial)"

	run nsnet down tutorial
	assert_status 0
	[[ $output == "nothing named 'tutorial' exists: nothing to remove; no topology is up" ]] || fail "second down: $output"
	run nsnet down "$TUTORIAL"
	assert_status 0
	# A topology that never existed.
	run nsnet down never-was
	assert_status 0
	assert_unchanged "$BATS_TEST_TMPDIR/base"
}

# --- 6. isolation ----------------------------------------------------------------------------

@test "isolation: two topologies up at once cannot reach each other, each reaches its gateway" {
	TOPOS+=(other)
	up_ok "$TUTORIAL"
	run nsnet up "$OTHER"
	assert_status 0
	assert_up_output other
	[[ $output != *tutorial* ]] || fail "up of 'other' touched tutorial: $output"
	assert_owned - v-net-1 other
	assert_owned - v-net-0 tutorial
	[[ $(ipv4_of green veth-green) == 10.10.0.2/24 ]] || fail "green: $(ipv4_of green veth-green)"

	can_ping green 10.10.0.1
	can_ping red 192.168.15.5
	can_ping blue 192.168.15.5
	cannot_ping green:192.168.15.1 green:192.168.15.2 red:10.10.0.2 blue:10.10.0.2

	# Both listed; tutorial still in sync with its file.
	run --separate-stderr nsnet status --json
	assert_status 0
	assert_json '(map(.topology) | sort) == ["other", "tutorial"]'
	run nsnet status "$TUTORIAL"
	assert_status 0

	run nsnet down other
	assert_status 0
	[[ ! -e /run/netns/green ]] || fail "green left"
	is_netns_mount /run/netns/red || fail "down of 'other' removed red"
	can_ping red 192.168.15.2
	run nsnet down tutorial
	assert_status 0
	assert_baseline
}

# --- 7. bad input ---------------------------------------------------------------------------------

# run_entries: the entries of /run/netns and /run/nsnet (no fork: this runs
# once per bad file; the kernel state is compared once at the end).
run_entries() {
	local f
	for f in /run/netns/* /run/netns/.* /run/nsnet/* /run/nsnet/.*; do
		[[ ${f##*/} == . || ${f##*/} == .. ]] || [[ ! -e $f && ! -L $f ]] || echo "$f"
	done
}

@test "bad input: every tests/golden/bad file exits 2 with its one-line message under up and up --dry-run, touches nothing" {
	cd "$GOLDEN_BAD"
	local f name want brief out err st bad=0 n=0 mode
	local -a modes=("up" "up --dry-run")
	brief=$(run_entries)
	for f in *.yaml; do
		name=${f%.yaml}
		[[ -f $name.err ]] || continue
		want=$(<"$name.err")
		n=$((n + 1))
		valgrind_skip "$n" && continue
		for mode in "${modes[@]}"; do
			# Not `run`: 150 files twice, and bats' run costs more than nsnet here.
			# shellcheck disable=SC2086
			out=$(nsnet $mode "$f" 2>"$BATS_TEST_TMPDIR/err") && st=0 || st=$?
			err=''
			IFS= read -r -d '' err <"$BATS_TEST_TMPDIR/err" || true
			# Exactly one line; the CLI prefixes every error with "nsnet: ".
			if ((st != 2)); then
				printf '%s (%s): exit %s, want 2; stderr: %s\n' "$f" "$mode" "$st" "$err" >&2
				bad=1
			elif [[ $err != "nsnet: $want"$'\n' && $err != "$want"$'\n' ]]; then
				printf '%s (%s): stderr\n  %q\nwant one line\n  %q\n' "$f" "$mode" "$err" \
					"$want" >&2
				bad=1
			elif [[ -n $out ]]; then
				printf '%s (%s): stdout not empty: %s\n' "$f" "$mode" "$out" >&2
				bad=1
			fi
			if [[ $(run_entries) != "$brief" ]]; then
				printf '%s (%s): created under /run: %s\n' "$f" "$mode" "$(run_entries)" >&2
				bad=1
				break 2
			fi
		done
	done
	((n >= 150)) || fail "only $n bad files found in $GOLDEN_BAD"
	((bad == 0)) || fail "some bad files were not rejected as expected"
	# The same through down.
	run --separate-stderr nsnet down empty.yaml
	assert_status 2
	assert_unchanged "$BATS_TEST_TMPDIR/base"
}

# --- 8. foreign objects ---------------------------------------------------------------------------

@test "foreign namespace 'red': up refuses (exit 1), creates nothing; down leaves it alone" {
	FOREIGN_NS+=(red)
	ip netns add red
	ip -n red link set lo up
	local ino
	ino=$(netns_inode red)
	snap "$BATS_TEST_TMPDIR/foreign"

	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "'red'"
	assert_output_matches "not nsnet's|not owned|foreign"
	assert_unchanged "$BATS_TEST_TMPDIR/foreign"
	[[ -z $(nsnet_state_files tutorial) ]] || fail "left: $(nsnet_state_files tutorial)"
	! ip link show v-net-0 >/dev/null 2>&1 || fail "v-net-0 was created"
	! nft list tables | grep -q nsnet || fail "nft: $(nft list tables)"

	run nsnet down tutorial
	assert_status 0
	run nsnet down "$TUTORIAL"
	assert_status 0
	[[ $(netns_inode red) == "$ino" ]] || fail "red was replaced"
	assert_unchanged "$BATS_TEST_TMPDIR/foreign"
}

@test "foreign link 'v-net-0' on the host: up refuses (exit 1), the link untouched, nothing created" {
	FOREIGN_LINKS+=(v-net-0)
	# A bridge, the very kind nsnet wants (the dummy module may be absent).
	ip link add v-net-0 type bridge
	local before_link
	before_link=$(link_json - v-net-0)
	snap "$BATS_TEST_TMPDIR/foreign"

	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "v-net-0"
	assert_output_matches "not nsnet's|not owned|foreign"
	assert_unchanged "$BATS_TEST_TMPDIR/foreign"
	[[ $(link_json - v-net-0) == "$before_link" ]] || fail "v-net-0 changed: $(link_json - v-net-0)"
	assert_json '.ifalias == null and (.group | tostring) == "default"' "$(link_json - v-net-0)"
	[[ -z $(ls -A /run/netns) ]] || fail "namespaces created: $(ls -A /run/netns)"
	[[ -z $(nsnet_state_files tutorial) ]] || fail "left: $(nsnet_state_files tutorial)"

	run nsnet down tutorial
	assert_status 0
	assert_unchanged "$BATS_TEST_TMPDIR/foreign"
}

@test "down finds what it owns by marks: foreign objects that took owned names are left alone" {
	up_ok "$TUTORIAL"
	# By hand: red and v-net-0 replaced by foreign objects of the same names.
	FOREIGN_NS+=(red)
	FOREIGN_LINKS+=(v-net-0)
	ip netns del red
	ip link del v-net-0
	ip netns add red
	ip link add v-net-0 type bridge
	local ino link
	ino=$(netns_inode red)
	link=$(link_json - v-net-0)

	run nsnet down tutorial
	assert_status 0
	[[ $output != *"namespace 'red'"* ]] || fail "down meant to remove the foreign red: $output"
	is_netns_mount /run/netns/red || fail "the foreign namespace red was removed"
	[[ $(netns_inode red) == "$ino" ]] || fail "red was replaced"
	[[ $(link_json - v-net-0) == "$link" ]] || fail "the foreign v-net-0 changed or went away"
	# What was nsnet's is gone.
	[[ ! -e /run/netns/blue ]] || fail "blue left"
	! ip link show veth-blue-br >/dev/null 2>&1 || fail "veth-blue-br left"
	! nft list tables | grep -qF nsnet- || fail "nft: $(nft list tables)"
	[[ -z $(nsnet_state_files tutorial) ]] || fail "left: $(nsnet_state_files tutorial)"
}

# --- 9. deleted by hand, lost state -------------------------------------------------------------

@test "down after parts were deleted by hand exits 0 and reaches the baseline" {
	up_ok "$TUTORIAL"
	ip netns del blue
	ip link del v-net-0
	nft delete table inet nsnet-tutorial

	run nsnet down tutorial
	assert_status 0
	assert_baseline
	run nsnet down tutorial
	assert_status 0
}

@test "up after /run/nsnet was emptied (a reboot of the state) reaches the wanted state" {
	up_ok "$TUTORIAL"
	rm -rf /run/nsnet/*

	run nsnet up "$TUTORIAL"
	assert_status 0
	[[ -f /run/nsnet/tutorial.json && -e /run/nsnet/tutorial.lock ]] ||
		fail "state files not recreated: $(ls -A /run/nsnet)"
	can_ping red 192.168.15.2
	can_ping red 192.168.15.5
	run nsnet status tutorial
	assert_status 0

	run nsnet down tutorial
	assert_status 0
	assert_baseline
}

# --- 10. convergence ------------------------------------------------------------------------------

@test "convergence: an edited file changes only what differs (route removed, address changed)" {
	up_ok "$TUTORIAL"
	local red_ino blue_ino edited=$BATS_TEST_TMPDIR/tutorial.yaml
	red_ino=$(netns_inode red)
	blue_ino=$(netns_inode blue)
	sed -e '/to: 192\.168\.1\.0\/24/d' -e 's|192\.168\.15\.1/24|192.168.15.11/24|' "$TUTORIAL" >"$edited"
	# The edit did what it should (guards against a changed example).
	! grep -q '192.168.1.0/24' "$edited" || fail "the route is still in $edited"
	grep -q '192.168.15.11/24' "$edited"
	grep -q '^name: tutorial$' "$edited"

	run nsnet up "$edited"
	assert_status 0
	local up_out=$output
	assert_up_output tutorial
	assert_output_matches "- route 192\.168\.1\.0/24 via 192\.168\.15\.5[^"$'\n'"]*in 'blue'"
	assert_output_contains "+ address 192.168.15.11/24 on 'veth-red' in 'red'"
	assert_output_contains "- address 192.168.15.1/24 on 'veth-red' in 'red'"
	local l
	for l in "+ namespace" "+ bridge" "+ veth" "to recreate" "nftables"; do
		[[ $output != *"$l"* ]] || fail "unexpected '$l' in: $output"
	done
	[[ $(netns_inode red) == "$red_ino" && $(netns_inode blue) == "$blue_ino" ]] ||
		fail "namespaces recreated"

	# The kernel: blue lost the route and kept its default; red has .11 only
	# and kept its default route.
	[[ $(routes4 blue) != *192.168.1.0/24* ]] || fail "blue routes: $(routes4 blue)"
	[[ $(routes4 blue) == *"default via 192.168.15.5"* ]] || fail "blue routes: $(routes4 blue)"
	[[ $(ipv4_of red veth-red) == 192.168.15.11/24 ]] ||
		fail "red's IPv4 addresses: '$(ipv4_of red veth-red)', want 192.168.15.11/24;" \
			"red's IPv4 routes: $(routes4 red | tr '\n' ';'); up printed:" "$up_out"
	[[ $(routes4 red) == *"default via 192.168.15.5"* ]] ||
		fail "red's IPv4 routes: $(routes4 red | tr '\n' ';'); up printed:" "$up_out"
	can_ping blue 192.168.15.11
	can_ping red 192.168.15.5

	# Converged: in sync, and a second up has nothing to do.
	run nsnet status "$edited"
	assert_status 0
	run nsnet up "$edited"
	assert_status 0
	[[ $output == "'tutorial' is up to date: no change" ]] || fail "second up: $output"
}

# --- 11. status --------------------------------------------------------------------------------------

@test "status: owned objects and in_sync after up; drift (exit 1) after a link was set down by hand" {
	up_ok "$TUTORIAL"

	run --separate-stderr nsnet status "$TUTORIAL" --json
	assert_status 0
	assert_json 'type == "object" and .topology == "tutorial" and .in_sync == true and .drift == []'
	assert_json '(.owned.namespaces | sort) == ["blue", "red"]'
	assert_json '.owned.nft_table == "inet nsnet-tutorial"'
	assert_json '.file | endswith("examples/tutorial.yaml")'
	assert_json '([.owned.links[] | "\(.namespace // "-")/\(.name)/\(.kind)/\(.up)"] | sort) ==
		["-/v-net-0/bridge/true", "-/veth-blue-br/veth/true", "-/veth-red-br/veth/true",
		 "blue/veth-blue/veth/true", "red/veth-red/veth/true"]'

	ip -n blue link set veth-blue down
	run --separate-stderr nsnet status "$TUTORIAL" --json
	assert_status 1
	assert_json '.in_sync == false'
	assert_json 'any(.drift[]; .description | contains("veth-blue"))'
	assert_json 'any(.owned.links[]; .name == "veth-blue" and .up == false)'
	run nsnet status tutorial
	assert_status 1
	assert_output_contains "veth-blue"

	# Without an argument: every topology, tutorial among them.
	run --separate-stderr nsnet status --json
	assert_status 1
	assert_json 'type == "array" and any(.[]; .topology == "tutorial" and .in_sync == false)'
	run nsnet status
	assert_output_contains "tutorial"

	# By NAME, JSON is one object too (the recorded file gives the drift).
	run --separate-stderr nsnet status tutorial --json
	assert_status 1
	assert_json 'type == "object"' ||
		fail "'nsnet status tutorial --json' (a NAME) must print one object, not an array"
	assert_json '.topology == "tutorial" and .in_sync == false'
}

# --- 12. no exec ------------------------------------------------------------------------------------

@test "up, status and down execute nothing but nsnet itself (strace)" {
	local log=$BATS_TEST_TMPDIR/strace.log cmd execs
	for cmd in "up $TUTORIAL" "status tutorial --json" "down tutorial"; do
		# shellcheck disable=SC2086
		ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
			strace -f -qq -o "$log" -e trace=execve,execveat "$NSNET" $cmd >/dev/null 2>&1 ||
			fail "nsnet $cmd failed under strace"
		execs=$(sed -nE 's/^[0-9]+ +execve(at)?\((AT_FDCWD, )?"([^"]+)".*/\3/p' "$log")
		[[ $execs == "$NSNET" ]] || fail "nsnet $cmd executed:" "$execs"
	done
}

# --- 13. dry run ---------------------------------------------------------------------------------------

@test "up --dry-run prints the plan and changes nothing; --json is a parseable plan" {
	run --separate-stderr nsnet up --dry-run "$TUTORIAL"
	assert_status 0
	[[ ${lines[0]} =~ ^plan\ for\ \'tutorial\':\ ([0-9]+)\ changes$ ]] || fail "first line: ${lines[0]}"
	local n=${BASH_REMATCH[1]} listed
	# A change per line at two spaces; the forwards a table change adds, beneath it at six.
	listed=$(printf '%s\n' "${lines[@]:1}" | grep -c '^  [^ ]')
	((n > 0 && n == listed)) || fail "says $n changes, lists $listed: $output"
	assert_output_contains "+ namespace 'red'"
	assert_output_contains "+ bridge 'v-net-0'"
	assert_output_contains "
      + forward tcp 80 -> 192.168.15.2:80"
	local plan
	plan=$(printf '%s\n' "${lines[@]:1}" | grep '^  [^ ]' | sed 's/^  //')

	run --separate-stderr nsnet up --dry-run --json "$TUTORIAL"
	assert_status 0
	assert_json '.topology == "tutorial" and .dry_run == true and .changes > 0'
	assert_json ".changes == $n and (.actions | length) == $n"
	assert_json 'all(.actions[]; (.action | type) == "string" and (.description | type) == "string")'
	assert_json 'any(.actions[]; .description == "+ bridge '"'v-net-0'"'")'

	# Nor does down --dry-run of a topology that was never up.
	run nsnet down --dry-run never-was
	assert_status 0
	assert_output_contains "plan for removing 'never-was': 0 changes"

	# Nothing at all changed: no kernel object, no lock or state file.
	assert_unchanged "$BATS_TEST_TMPDIR/base"

	# The plan is what up then does.
	run nsnet up "$TUTORIAL"
	assert_status 0
	[[ $(grep -E '^[-+~] ' <<<"$output") == "$plan" ]] ||
		fail "up did:" "$output" "dry run planned:" "$plan"

	# down --dry-run changes nothing either.
	settle
	snap "$BATS_TEST_TMPDIR/up"
	run nsnet down --dry-run tutorial
	assert_status 0
	assert_output_matches "plan for removing 'tutorial': [1-9][0-9]* changes"
	assert_unchanged "$BATS_TEST_TMPDIR/up"
}

@test "foreign forward drop policy: up warns, names the chain, and leaves the foreign table alone" {
	nft add table inet foreign
	nft 'add chain inet foreign f { type filter hook forward priority 0; policy drop; }'
	local before
	before=$(nft -j list table inet foreign | jq -c '[.nftables[] | select(.chain) | .chain | {name, policy}]')
	run --separate-stderr nsnet up "$TUTORIAL"
	assert_status 0
	[[ $stderr == *"warning: chain 'f' of table inet 'foreign' drops forwarded traffic"* ]] ||
		fail "no warning naming the chain: $stderr"
	run nsnet down tutorial
	assert_status 0
	[[ $(nft -j list table inet foreign | jq -c '[.nftables[] | select(.chain) | .chain | {name, policy}]') == "$before" ]] ||
		fail "the foreign table was changed"
	nft delete table inet foreign
}
