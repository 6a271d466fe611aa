#!/usr/bin/env bats
# nsnet demo: the tutorial, live, in a sandbox nsnet makes for itself.
#
# It runs here inside tests/sandbox too, so the outer sandbox plays the
# machine: lib.bash's leak check proves the demo changed nothing of it.
load lib

setup() {
	common_setup
}

@test "demo: every tutorial step built and verified, the matrix, the forward from the LAN; exit 0" {
	run nsnet demo
	assert_status 0
	local step
	for step in "1. named network namespaces" "2. a veth cable between red and blue" \
		"3. a bridge v-net-0" "4. routes to the outside LAN" "5. NAT" "6. port forwarding" \
		"nsnet check tutorial" "nsnet down tutorial"; do
		assert_output_contains "== $step"
	done
	# The tutorial's commands beside what nsnet did.
	assert_output_contains "ip link add veth-red type veth peer name veth-blue"
	assert_output_contains "iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE"
	assert_output_contains "+ bridge 'v-net-0'"
	# Real traffic: the LAN unreachable before NAT, reached after; NAT and DNAT as a server sees them.
	assert_output_contains "ok   'blue' -> 192.168.1.3 icmp (must be blocked): no-reply"
	assert_output_contains "ok   'blue' -> 192.168.1.3 icmp: reached"
	assert_output_contains "the server in 'lan' sees 192.168.1.2"
	assert_output_contains "the server in 'blue' sees 192.168.1.3"
	assert_output_contains "all 7 probes passed"
	assert_output_contains "namespaces left in the sandbox: 0"
	[[ ${lines[-1]} =~ ^demo\ passed:\ [0-9]+\ checks\ passed,\ 0\ failed$ ]] || fail "last line: ${lines[-1]}"
	# No colour when not on a terminal.
	[[ $output != *$'\033'* ]] || fail "escape sequences in non-terminal output"
}

@test "demo --dual-stack: examples/tutorial-dual.yaml built and verified in both families; exit 0" {
	run nsnet demo --dual-stack
	assert_status 0
	# The very file of examples/, its comments aside.
	local file
	file=$(grep -v '^#' "$BATS_TEST_DIRNAME/../../examples/tutorial-dual.yaml" | sed 's/^/      /')
	assert_output_contains "$file"
	assert_output_contains "~ sysctl net.ipv6.conf.eth0.force_forwarding = 1"
	assert_output_contains "ok   'red' -> 'blue' fd00:15::2 icmp: reached"
	assert_output_contains "ok   host -> [fd00:15::5]:80 tcp => 'blue' [fd00:15::2]:80: reached"
	assert_output_contains "(NAT66): the server in 'lan' sees 2001:db8:1::2"
	assert_output_contains "(the forward over IPv6): the server in 'blue' sees 2001:db8:1::3"
	# down gives the uplink back.
	assert_output_contains "~ sysctl net.ipv6.conf.eth0.force_forwarding = 0"
	[[ ${lines[-1]} =~ ^demo\ passed:\ [0-9]+\ checks\ passed,\ 0\ failed$ ]] || fail "last line: ${lines[-1]}"
}

@test "demo: the sandbox comes first: unshare precedes every mount, netlink socket and /run write" {
	command -v strace >/dev/null || skip "no strace"
	# LeakSanitizer cannot stop a traced process: no leak check here (test 1 has it).
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" run strace -f -qq -e trace=unshare,mount,socket,mkdir,openat,execve -o "$BATS_TEST_TMPDIR/trace" \
		"$NSNET" demo
	assert_status 0
	local first
	first=$(grep -vE 'openat\(.*(\.so|/etc/ld\.so|/proc/self|/dev/|locale|gconv)' "$BATS_TEST_TMPDIR/trace" |
		grep -E 'unshare|mount\(|socket\(AF_NETLINK|mkdir\("/run|openat\(.*"/run' | head -1)
	[[ $first == *"unshare(CLONE_NEWNS|CLONE_NEWNET)"* ]] || fail "first system change: $first"
	grep -qE 'mount\("none", "/", [^,]+, MS_REC\|MS_PRIVATE' "$BATS_TEST_TMPDIR/trace" ||
		fail "mounts not made private"
	# No ip, iptables or nft: the only execve is nsnet's own.
	[[ $(grep -c 'execve(' "$BATS_TEST_TMPDIR/trace") == 1 ]] ||
		fail "execve: $(grep 'execve(' "$BATS_TEST_TMPDIR/trace")"
}

@test "demo: unexpected arguments are a usage error, --help documents it" {
	run nsnet demo extra
	assert_status 2
	assert_output_contains "unexpected argument 'extra'"
	run nsnet demo --help
	assert_status 0
	assert_output_contains "Usage: nsnet demo"
}
