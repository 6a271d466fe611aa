#!/usr/bin/env bats
# Reliability of up/down under injected faults, kills and concurrency.
#
#   host (sandbox) -- v-net-0 192.168.15.5/24 -- veth-red-br  == veth-red  (red  .1)
#                                              -- veth-blue-br == veth-blue (blue .2)
#
# NSNET_FAULT_AT=K makes the K-th mutating kernel operation fail (error mode)
# or kills nsnet right after it (kill mode); NSNET_FAULT_COUNT tells how many
# a clean `up` of the tutorial makes. Oracles: the harness snapshot (ip -j of
# host and namespaces, nft -j ruleset, /run/netns and its mounts, /run/nsnet),
# pings, the lock (flock -n).
#
# The plain pass of make test sweeps every K; the ASan pass samples every 8th
# and the valgrind pass (make test-long) every 5th, to stay within time.

load lib

TUTORIAL=$BATS_TEST_DIRNAME/../../examples/tutorial.yaml

setup() {
	# up turns IPv4 forwarding on and down leaves it on (documented): start
	# from "on" so the leak check stays strict about everything else.
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
}

cleanup_test() {
	local t
	for t in tutorial "${EXTRA_TOPOLOGIES[@]}"; do
		"$NSNET" down "$t" >/dev/null 2>&1
	done
	return 0
}

EXTRA_TOPOLOGIES=()

# mutation_count FILE: mutating kernel operations of a clean `up FILE` from the baseline.
mutation_count() {
	local f=$BATS_TEST_TMPDIR/count
	NSNET_FAULT_COUNT=$f "$NSNET" up "$1" >/dev/null || return 1
	"$NSNET" down tutorial >/dev/null || return 1
	cat "$f"
}

lock_is_free() {
	[[ ! -e /run/nsnet/$1.lock ]] || flock -n "/run/nsnet/$1.lock" true
}

no_stale_netns() {
	local e
	for e in /run/netns/*; do
		[[ -e $e ]] || continue
		is_netns_mount "$e" || { echo "stale entry $e (not a namespace mount)" >&2; return 1; }
	done
}

@test "error mode: a failure at every K of the tutorial's up rolls back to the baseline" {
	local n k out
	n=$(mutation_count "$TUTORIAL")
	((n > 10)) || fail "implausible mutation count: $n"
	echo "# tutorial up: $n mutating operations" >&3
	for k in $(ks "$n"); do
		NSNET_FAULT_AT=$k run nsnet up "$TUTORIAL"
		[[ $status -eq 1 ]] || fail "K=$k: exit $status, want 1: $output"
		[[ $output == *"injected fault #$k"* ]] || fail "K=$k: the failing step is not named: $output"
		# Writing the state file aside comes before the kernel's first change, and a
		# fault in the first step leaves nothing done: nothing to roll back, and the
		# message must say so; any later fault rolls back at least one change.
		if [[ $output == *"record the state: state file:"* || $output == *"step 1 of"* ]]; then
			[[ $output == *"nothing was changed"* ]] || fail "K=$k: $output"
		else
			[[ $output =~ "rolled back: "[1-9][0-9]*" change" ]] ||
				fail "K=$k: no rollback reported: $output"
		fi
		leak_diff "$BATS_TEST_TMPDIR/before" || fail "K=$k: not back to the baseline"
		lock_is_free tutorial || fail "K=$k: lock held"
		[[ ! -e /run/nsnet/tutorial.lock && ! -e /run/nsnet/tutorial.json ]] ||
			fail "K=$k: state files left: $(ls /run/nsnet)"
	done
}

@test "kill mode: after a kill at every K, up reaches the wanted state and down the baseline" {
	local n k
	n=$(mutation_count "$TUTORIAL")
	echo "# tutorial up: $n mutating operations" >&3
	for k in $(ks "$n"); do
		run env NSNET_FAULT_MODE=kill NSNET_FAULT_AT="$k" "$NSNET" up "$TUTORIAL"
		[[ $status -eq 137 ]] || fail "K=$k: not killed (exit $status): $output"
		lock_is_free tutorial || fail "K=$k: lock held after the kill"
		run nsnet up "$TUTORIAL"
		[[ $status -eq 0 ]] || fail "K=$k: up after the kill failed: $output"
		[[ $output != *"File exists"* ]] || fail "K=$k: $output"
		ip netns exec red ping -c1 -W1 192.168.15.2 >/dev/null || fail "K=$k: red cannot ping blue"
		ping -c1 -W1 192.168.15.2 >/dev/null || fail "K=$k: host cannot ping blue"
		run nsnet down tutorial
		[[ $status -eq 0 ]] || fail "K=$k: down failed: $output"
		no_stale_netns || fail "K=$k"
		leak_diff "$BATS_TEST_TMPDIR/before" || fail "K=$k: down did not reach the baseline"
	done
}

@test "kill mode: after a kill at every K, down alone reaches the baseline" {
	local n k
	n=$(mutation_count "$TUTORIAL")
	for k in $(ks "$n"); do
		run env NSNET_FAULT_MODE=kill NSNET_FAULT_AT="$k" "$NSNET" up "$TUTORIAL"
		[[ $status -eq 137 ]] || fail "K=$k: not killed (exit $status)"
		run nsnet down tutorial
		[[ $status -eq 0 ]] || fail "K=$k: down failed: $output"
		no_stale_netns || fail "K=$k"
		leak_diff "$BATS_TEST_TMPDIR/before" || fail "K=$k: down did not reach the baseline"
	done
}

@test "kill mode during down: a second down finishes the job" {
	local n k f=$BATS_TEST_TMPDIR/count
	"$NSNET" up "$TUTORIAL" >/dev/null
	NSNET_FAULT_COUNT=$f "$NSNET" down tutorial >/dev/null
	n=$(cat "$f")
	((n >= 4)) || fail "implausible down count: $n"
	for k in $(ks "$n"); do
		"$NSNET" up "$TUTORIAL" >/dev/null || fail "K=$k: up"
		run env NSNET_FAULT_MODE=kill NSNET_FAULT_AT="$k" "$NSNET" down tutorial
		[[ $status -eq 137 ]] || fail "K=$k: not killed (exit $status)"
		run nsnet down tutorial
		[[ $status -eq 0 ]] || fail "K=$k: second down failed: $output"
		leak_diff "$BATS_TEST_TMPDIR/before" || fail "K=$k: not at the baseline"
	done
}

@test "error mode during down: down keeps going past a failure, reports it, and a rerun finishes" {
	"$NSNET" up "$TUTORIAL" >/dev/null
	NSNET_FAULT_AT=1 run nsnet down tutorial
	[[ $status -eq 1 ]] || fail "exit $status: $output"
	[[ $output == *"injected fault #1"* ]] || fail "$output"
	# Past the failed first step, the rest was removed.
	[[ ! -e /run/netns/red && ! -e /run/netns/blue ]] || fail "namespaces left after a failure at step 1"
	run nsnet down tutorial
	[[ $status -eq 0 ]] || fail "$output"
}

# topo_file I: a small topology of its own (bridge brI, namespaces aI bI).
topo_file() {
	local i=$1 f=$BATS_TEST_TMPDIR/t$1.yaml
	cat >"$f" <<-EOF
	name: t$i
	bridges:
	  br$i: {address: 10.$i.0.1/24, nat: true}
	namespaces:
	  a$i:
	    interfaces:
	      e0: {bridge: br$i, address: 10.$i.0.2/24}
	    routes: [{to: default, via: 10.$i.0.1}]
	  b$i:
	    interfaces:
	      e0: {bridge: br$i, address: 10.$i.0.3/24}
	forwards:
	  - {port: $((8000 + i)), to: a$i:80}
	EOF
	echo "$f"
}

@test "concurrency: 16 topologies at once and 8 ups of one topology at once" {
	local i pids=() rc=0 n_up=0
	for i in $(seq 1 16); do
		EXTRA_TOPOLOGIES+=("t$i")
		topo_file "$i" >/dev/null
	done
	for i in $(seq 1 16); do
		nsnet up "$BATS_TEST_TMPDIR/t$i.yaml" >"$BATS_TEST_TMPDIR/o$i" 2>&1 &
		pids+=($!)
	done
	for i in $(seq 1 8); do
		nsnet up "$TUTORIAL" >"$BATS_TEST_TMPDIR/p$i" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	if ((rc)); then
		tail -n 3 "$BATS_TEST_TMPDIR"/o* "$BATS_TEST_TMPDIR"/p* >&2
		fail "a concurrent up failed"
	fi
	! grep -l "File exists" "$BATS_TEST_TMPDIR"/o* "$BATS_TEST_TMPDIR"/p* || fail "File exists reached a user"
	n_up=$(grep -l "is up:" "$BATS_TEST_TMPDIR"/p* | wc -l)
	[[ $n_up -eq 1 ]] || fail "the same topology was applied $n_up times"
	# No duplicates: one bridge and two host ends per topology, one table each.
	[[ $(ip -j link show type bridge | jq length) -eq 17 ]] || fail "bridges: $(ip -br link show type bridge)"
	[[ $(nft -j list tables | jq '[.nftables[] | select(.table) | .table.name | select(startswith("nsnet-"))] | length') -eq 17 ]] ||
		fail "tables: $(nft list tables)"
	for i in $(seq 1 16); do
		ip netns exec "a$i" ping -c1 -W1 "10.$i.0.3" >/dev/null || fail "t$i: a$i cannot ping b$i"
	done
	# Isolation holds between all of them.
	! ip netns exec a3 ping -c1 -W1 10.4.0.2 >/dev/null || fail "t3 reaches t4"
	! ip netns exec red ping -c1 -W1 10.5.0.2 >/dev/null || fail "tutorial reaches t5"
	pids=()
	for i in $(seq 1 16); do
		nsnet down "t$i" >"$BATS_TEST_TMPDIR/d$i" 2>&1 &
		pids+=($!)
	done
	nsnet down tutorial >/dev/null 2>&1 &
	pids+=($!)
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	((rc == 0)) || { tail -n 3 "$BATS_TEST_TMPDIR"/d* >&2; fail "a concurrent down failed"; }
}

@test "drift: down after namespaces, links and the table were deleted by hand" {
	"$NSNET" up "$TUTORIAL" >/dev/null
	ip netns del blue
	ip link del v-net-0
	nft delete table inet nsnet-tutorial
	run nsnet down tutorial
	[[ $status -eq 0 ]] || fail "$output"
}

@test "drift: up after /run/nsnet was wiped (as after a reboot) converges" {
	"$NSNET" up "$TUTORIAL" >/dev/null
	rm -rf /run/nsnet/*
	run nsnet up "$TUTORIAL"
	[[ $status -eq 0 ]] || fail "$output"
	[[ $output == *"up to date"* ]] || fail "the kernel state was intact, yet up changed: $output"
	ip netns exec red ping -c1 -W1 192.168.15.2 >/dev/null || fail "no ping"
}

@test "drift: a foreign link holding a wanted name is a clear error and is left untouched" {
	# (no dummy driver in every kernel: a bridge is just as foreign)
	ip link add veth-red-br type bridge
	local before
	before=$(ip -j -d link show veth-red-br | jq -c '.[0] | {ifindex, ifalias, linkinfo}')
	run nsnet up "$TUTORIAL"
	[[ $status -eq 1 ]] || fail "exit $status: $output"
	[[ $output == *"'veth-red-br'"*"not nsnet's"* ]] || fail "$output"
	[[ $(ip -j -d link show veth-red-br | jq -c '.[0] | {ifindex, ifalias, linkinfo}') == "$before" ]] ||
		fail "the foreign link was changed"
	[[ ! -e /run/netns/red ]] || fail "something was created before the conflict was found"
	ip link del veth-red-br
}

@test "hostile: a topology name that collides after a transformation is refused" {
	local f=$BATS_TEST_TMPDIR/t.yaml
	for name in "../x" "a/b" "red blue" "x;rm" ".hidden" "-x" "$(printf 'n%.0s' {1..65})"; do
		printf 'name: "%s"\n' "$name" >"$f"
		run nsnet up "$f"
		[[ $status -eq 2 ]] || fail "name '$name': exit $status: $output"
		[[ $output == *"t.yaml:1:"* ]] || fail "name '$name': no location: $output"
	done
	[[ -z $(ls -A /run/nsnet) ]] || fail "files left in /run/nsnet: $(ls -A /run/nsnet)"
}
