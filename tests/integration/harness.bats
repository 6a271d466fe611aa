#!/usr/bin/env bats
# Self-test of the test harness (tests/sandbox and lib.bash): the sandbox is
# really private, lib.bash refuses to run outside it, and the leak check and
# the valgrind/sanitizer checks do fail when they should. Needs no nsnet binary.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/harness.bats

load lib

setup() {
	# common_setup minus require_nsnet: this file tests the harness only.
	snapshot "$BATS_TEST_TMPDIR/before"
}

cleanup_test() {
	ip netns del leak0 2>/dev/null || true
	ip link del leakveth0 2>/dev/null || true
	nft delete table inet leaktable 2>/dev/null || true
	rm -rf /etc/netns/leak0 /run/nsnet/leakfile
	rmdir /etc/netns 2>/dev/null || true
}

@test "sandbox: private network namespace with only lo, up" {
	run ip -j link show
	assert_status 0
	assert_json 'length == 1 and .[0].ifname == "lo" and (.[0].flags | index("UP"))'
}

@test "sandbox: /run is a private tmpfs and /etc an overlay" {
	[[ $(findmnt -n -o FSTYPE --mountpoint /run) == tmpfs ]]
	[[ $(findmnt -n -o FSTYPE --mountpoint /etc) == overlay ]]
	[[ -d /run/netns && -d /run/nsnet ]]
	[[ $(readlink /proc/self/ns/net) != "$(readlink /proc/1/ns/net)" ]]
}

@test "sandbox: refuses to run when not root (exit 2)" {
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BATS_TEST_DIRNAME/../sandbox" true
	assert_status 2
	assert_output_contains "root"
}

@test "sandbox: without a command prints usage and exits 2" {
	run "$BATS_TEST_DIRNAME/../sandbox"
	assert_status 2
	assert_output_contains "usage"
}

@test "lib.bash refuses to load when NSNET_SANDBOX is not set" {
	# (printf, not a heredoc: bats would take an @test line in a heredoc for ours)
	printf 'load "%s/lib"\n@test "must not run" { true; }\n' "$BATS_TEST_DIRNAME" \
		>"$BATS_TEST_TMPDIR/guard.bats"
	# bats puts its libexec dir first in PATH: use the real front end; and
	# bats feeds test names on stdin: the inner one must not eat ours.
	run env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$HOME" \
		bats --tap "$BATS_TEST_TMPDIR/guard.bats" 3>&- </dev/null
	[[ $status -ne 0 ]] || fail "bats succeeded without NSNET_SANDBOX: $output"
	assert_output_contains "REFUSING TO RUN"
	[[ $output != *"ok 1 must not run"* ]] || fail "the test body ran: $output"
}

@test "leak check passes when nothing changed" {
	LEAK_TRIES=1 leak_diff "$BATS_TEST_TMPDIR/before"
}

@test "leak check reports a leaked namespace, link, address, nft table and files" {
	ip netns add leak0
	ip -n leak0 addr add 10.250.0.1/32 dev lo
	ip link add leakveth0 type veth peer name leakveth1
	ip addr add 10.251.0.1/24 dev leakveth0
	ip link set leakveth0 up
	nft add table inet leaktable
	mkdir -p /etc/netns/leak0 && echo x >/etc/netns/leak0/hosts
	touch /run/nsnet/leakfile

	LEAK_TRIES=1 run leak_diff "$BATS_TEST_TMPDIR/before"
	assert_status 1
	assert_output_contains "LEAK CHECK FAILED"
	for want in '+run-netns leak0' '+mount /run/netns/leak0' 'ns[leak0].addr' \
		'"10.250.0.1"' '"ifname":"leakveth0"' '"10.251.0.1"' '"leaktable"' \
		'+etc-netns leak0/hosts f' '+run-nsnet leakfile f' '+["host.route"'; do
		assert_output_contains "$want"
	done

	cleanup_test
	leak_diff "$BATS_TEST_TMPDIR/before"
}

@test "leak check sees a namespace's link going down (state, not just names)" {
	ip netns add leak0
	snapshot "$BATS_TEST_TMPDIR/before2"
	ip -n leak0 link set lo up
	LEAK_TRIES=1 run leak_diff "$BATS_TEST_TMPDIR/before2"
	assert_status 1
	assert_output_contains '+["ns[leak0].link"'
}

@test "valgrind check ignores inherited fds but reports an fd leak" {
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	valgrind -q --track-fds=yes --log-file="$BATS_TEST_TMPDIR/vg.%p" /bin/true
	check_tool_reports

	valgrind -q --track-fds=yes --log-file="$BATS_TEST_TMPDIR/vg.%p" \
		sh -c 'exec 7</etc/hostname; true'
	run check_tool_reports
	assert_status 1
	assert_output_contains "Open file descriptor 7: /etc/hostname"
	rm -f "$BATS_TEST_TMPDIR"/vg.*
}

@test "valgrind wrapper: NSNET_WRAP logs per process into the test's tmpdir" {
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	NSNET_WRAP="valgrind -q --error-exitcode=97" NSNET=/bin/true run nsnet ns list
	assert_status 0
	compgen -G "$BATS_TEST_TMPDIR/vg.*" >/dev/null || fail "no valgrind log written"
	check_tool_reports
}

@test "sanitizer check fails on an ASan log and moves it aside" {
	[[ $ASAN_OPTIONS == *"log_path=$BATS_RUN_TMPDIR/asan"* ]]
	[[ $UBSAN_OPTIONS == *halt_on_error=1* ]]
	echo "ERROR: AddressSanitizer: heap-use-after-free" >"$BATS_RUN_TMPDIR/asan.4242"
	run check_tool_reports
	assert_status 1
	assert_output_contains "heap-use-after-free"
	[[ ! -e $BATS_RUN_TMPDIR/asan.4242 ]]
	check_tool_reports
}
