# tests/integration/lib-cni.bash: what the CNI test files share (after `load lib`).
#
#   NSNET_CNI     the plugin under test (default: nsnet-cni beside $NSNET), run
#                 through $NSNET_WRAP like nsnet itself
#   EXAMPLE       examples/cni/nsnet.conflist, the conflist the README shows
#
# cni COMMAND CID NETNS IFNAME < CONF: one call as libcni makes it: all six
# CNI_* variables exported, empty when there is nothing to say (libcni never
# unsets them), CNI_ARGS from $CNI_ARGS, CNI_PATH from $CNI_PATH.

NSNET_CNI=$(realpath -m "${NSNET_CNI:-$(dirname "$NSNET")/nsnet-cni}")
EXAMPLE=$(realpath "$BATS_TEST_DIRNAME/../../examples/cni/nsnet.conflist")
CNI_PATH=${CNI_PATH:-/usr/lib/cni}
DATA_DIR=/run/nsnet-cni
export NSNET_CNI EXAMPLE CNI_PATH

cni() {
	CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_IFNAME=$4 CNI_ARGS=${CNI_ARGS-} \
		CNI_PATH=$CNI_PATH _wrapped "$NSNET_CNI"
}
export -f cni

# conf [JQ]: the example's plugin configuration as a runtime hands it over (its
# cniVersion and name injected), changed by the jq filter JQ.
conf() {
	jq -c ".plugins[0] + {cniVersion: .cniVersion, name: .name} | ${1:-.}" "$EXAMPLE"
}

# cni_ok COMMAND CID NETNS IFNAME CONF: the call succeeds; its stdout in $output.
cni_ok() {
	run --separate-stderr cni "$1" "$2" "$3" "$4" <<<"$5"
	if [[ $status -ne 0 ]]; then
		printf 'CNI %s %s failed (%s): %s\nstderr: %s\n' "$1" "$2" "$status" "$output" \
			"$stderr" >&2
		return 1
	fi
}

# cni_err CODE COMMAND CID NETNS IFNAME CONF: the call fails with error CODE (exit 1,
# the spec's error object on stdout).
cni_err() {
	local code=$1
	shift
	run --separate-stderr cni "$1" "$2" "$3" "$4" <<<"$5"
	[[ $status -eq 1 ]] || fail "CNI $1 $2: expected exit 1, got $status: $output"
	jq -e --argjson c "$code" '.code == $c and (.msg | length > 0) and (.cniVersion | length > 0)' \
		<<<"$output" >/dev/null || fail "CNI $1 $2: expected code $code, got: $output"
}

# leases_none: no lease file of any network is left (the reference plugins leave theirs).
leases_none() {
	local left
	left=$(find "$DATA_DIR" -type f 2>/dev/null || true) # no directory: no lease
	[[ -z $left ]] || fail "lease files left: $left"
}

# serve NS PORT WORD: a TCP server in NS answering "WORD from CLIENT" to every connection.
serve() {
	ip netns exec "$1" socat -T2 "TCP-LISTEN:$2,fork,reuseaddr" \
		SYSTEM:"echo $3 from \$SOCAT_PEERADDR" </dev/null >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	wait_until 5 bash -c "ip netns exec '$1' ss -ltnH 'sport = :$2' | grep -q ."
}

# send NS ADDRESS PORT: what a TCP connection from NS ("-": the host) gets back.
send() {
	local -a cmd=(timeout 6 socat -T2 - "TCP:$2:$3,connect-timeout=2")
	if [[ $1 == - ]]; then
		"${cmd[@]}" </dev/null 2>&1
	else
		ip netns exec "$1" "${cmd[@]}" </dev/null 2>&1
	fi
}

# assert_send NS ADDRESS PORT WANT: send's answer is WANT (a glob).
assert_send() {
	local got
	got=$(send "$1" "$2" "$3")
	# shellcheck disable=SC2053
	[[ $got == $4 ]] || fail "from ${1/#-/the host} to $2:$3: expected '$4', got '$got'"
}

kill_servers() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null || true
	done
	PIDS=()
	return 0
}

# cni_force_clean: everything any CNI network left, by its marks (after a failed test only).
cni_force_clean() {
	local l t
	for l in $(ip -j link show | jq -r '.[] | select((.ifalias // "") | startswith("nsnet:")) | .ifname'); do
		ip link del "$l" 2>/dev/null
	done
	for t in $(nft -j list tables | jq -r '.nftables[] | .table? | select(.) | select(.name | startswith("nsnet-")) | .name'); do
		nft delete table inet "$t"
	done
	rm -rf /run/nsnet/* "$DATA_DIR"
	return 0
}

# assert_lines FILTER: jq -e FILTER on the JSON lines of $output as one array.
assert_lines() {
	jq -s -e "$1" >/dev/null 2>&1 <<<"$output" || fail "jq -s -e failed: $1 on: $output"
}
