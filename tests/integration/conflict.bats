#!/usr/bin/env bats
# What another topology or the host already holds: a bridge subnet overlapping
# theirs is an input error at the address's FILE:LINE:COL (exit 2, up and
# --dry-run alike, nothing touched) unless the file says allow-overlap; a
# wanted name held by someone else is refused at the name's FILE:LINE:COL with
# the fix.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/conflict.bats
#
# Oracles: the messages' positions against the files, ip -j, lib.bash's leak check.

load lib

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
TUTORIAL=$EXAMPLES/tutorial.yaml

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
	# Another topology on the tutorial's subnet: other names, same 192.168.15.0/24.
	TWIN=$BATS_TEST_TMPDIR/twin.yaml
	sed -e 's/^name: tutorial/name: twin/' -e 's/v-net-0/v-net-9/g' -e 's/red/ruby/g' \
		-e 's/blue/navy/g' -e '/^forwards:/,$d' "$TUTORIAL" >"$TWIN"
}

cleanup_test() {
	nsnet down tutorial >/dev/null 2>&1
	nsnet down twin >/dev/null 2>&1
	ip link del dummy-x 2>/dev/null
	ip link del v-net-0 2>/dev/null
	true
}

# The line:col where the first match of pattern starts in file.
pos_of() {
	awk -v pat="$2" 'match($0, pat) { print NR ":" RSTART; exit }' "$1"
}

@test "a bridge subnet another topology uses: exit 2 at the address, up and dry run; allow-overlap accepts it" {
	local at
	run nsnet up "$TUTORIAL"
	assert_status 0
	snapshot "$BATS_TEST_TMPDIR/mid"
	at=$(pos_of "$TWIN" '192[.]168[.]15[.]5/24')
	for dry in "" --dry-run; do
		# shellcheck disable=SC2086
		run nsnet up "$TWIN" $dry
		assert_status 2
		[[ $output == "nsnet: $TWIN:$at: bridges.v-net-9.address: 192.168.15.5/24 overlaps 192.168.15.5/24 bridge 'v-net-0' of topology 'tutorial'"* ]] ||
			fail "up $dry: $output"
		assert_output_contains "allow-overlap: true"
	done
	leak_diff "$BATS_TEST_TMPDIR/mid" || fail "the refused up changed something"
	sed 's/^    nat: true/    nat: true\n    allow-overlap: true/' "$TWIN" >"$BATS_TEST_TMPDIR/meant.yaml"
	run nsnet up "$BATS_TEST_TMPDIR/meant.yaml" --dry-run
	assert_status 0
}

@test "a host route or address over the subnet: exit 2 naming it; the topology's own bridge is no overlap" {
	# (no dummy module in every kernel: one end of a veth pair will do)
	ip link add dummy-x type veth peer name dummy-y
	ip link set dummy-x up
	ip route add 192.168.0.0/16 dev dummy-x
	run nsnet up "$TUTORIAL" --dry-run
	assert_status 2
	assert_output_contains "overlaps the route to 192.168.0.0/16 through host interface 'dummy-x'"
	ip route del 192.168.0.0/16 dev dummy-x
	ip addr add 192.168.15.200/25 dev dummy-x
	run nsnet up "$TUTORIAL"
	assert_status 2
	assert_output_contains "overlaps 192.168.15.200/25 host interface 'dummy-x'"
	ip link del dummy-x
	# Its own bridge, address and connected route are what up made: a second up is fine.
	run nsnet up "$TUTORIAL"
	assert_status 0
	run nsnet up "$TUTORIAL"
	assert_status 0
	assert_output_contains "is up to date: no change"
}

@test "a wanted name held by someone else: refused at the name's FILE:LINE:COL, with the fix" {
	local at
	ip link add v-net-0 type bridge
	at=$(pos_of "$TUTORIAL" 'v-net-0:')
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "$TUTORIAL:$at: link 'v-net-0' on the host exists and is not nsnet's"
	ip link del v-net-0
	# Another topology's link: the fix names the command that removes it.
	sed -e 's/^name: tutorial/name: twin/' -e 's/192.168.15/10.66.0/g' -e 's/red/ruby/g' \
		-e 's/blue/navy/g' -e '/^forwards:/,$d' "$TUTORIAL" >"$BATS_TEST_TMPDIR/thief.yaml"
	run nsnet up "$BATS_TEST_TMPDIR/thief.yaml"
	assert_status 0
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "$TUTORIAL:$at: link 'v-net-0' on the host belongs to topology 'twin'"
	assert_output_contains "'nsnet down twin'"
	run nsnet down twin
	assert_status 0
}
