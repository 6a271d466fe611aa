#!/usr/bin/env bats
# What nsnet keeps under /run/nsnet, as an attacker (or a crash) leaves it:
# read-only commands change nothing, every path is opened without following
# or blocking, the journal removes only what it proves its own, a failure
# after the kernel changed rolls everything back with a true message, and the
# errors a person meets first say what to do.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/state.bats
#
# Oracles: strace (no unlink, rename, mount or mutating netlink message from a
# read-only command), stat(1) of the planted files, timeout(1), and lib.bash's
# leak check after every test.

load lib

EXAMPLES=$(realpath "$BATS_TEST_DIRNAME/../../examples")
TUTORIAL=$EXAMPLES/tutorial.yaml

setup() {
	# up switches IPv4 forwarding on and leaves it on (nsnet(8)): not a leak.
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
}

cleanup_test() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	umount /run/nsnet/tutorial.json 2>/dev/null
	umount /run/nsnet 2>/dev/null
	rm -rf /run/nsnet/tutorial.* /run/nsnet/x.*
	ip netns del foreign2 2>/dev/null
	rm -f /run/netns/foreign3
	nsnet down tutorial >/dev/null 2>&1
	true
}

# --- 1. read-only commands change nothing --------------------------------------

# The syscalls a read-only command must never make, and the netlink messages it must
# never send (strace decodes both).
readonly_violations() {
	# A call that failed changed nothing (ASan's runtime tries to make its log directory).
	grep -vE '= -1 E[A-Z]+ ' "$1" >"$1.ok"
	set -- "$1.ok"
	grep -E '^[0-9]+ +(unlink|unlinkat|rename|renameat2?|rmdir|mkdir|mkdirat|umount2|mount|linkat|symlinkat|truncate|ftruncate)\(' "$1"
	grep -E '^[0-9]+ +openat\(.*(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)' "$1" | grep -vE '"/dev/(null|tty)"'
	grep -E 'nlmsg_type=(RTM_(NEW|DEL|SET)[A-Z]+|NFNL_SUBSYS_NFTABLES<<8\|NFT_MSG_(NEW|DEL)[A-Z]+)' "$1"
}

@test "read-only commands make no write, unlink, rename, mount or mutating netlink request" {
	local cmd log=$BATS_TEST_TMPDIR/strace
	run nsnet up "$TUTORIAL"
	assert_status 0
	for cmd in "status" "status tutorial" "status --json" "check tutorial" "doctor" \
		"doctor tutorial" "show" "show red" "show --json" "ns list" "ns list --json" \
		"graph $TUTORIAL" "up --dry-run $TUTORIAL" "down --dry-run tutorial"; do
		# shellcheck disable=SC2086
		ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
			strace -f -qq -o "$log" -e trace=%file,%desc,sendto,sendmsg -s 256 -v \
			"$NSNET" $cmd >/dev/null 2>&1 || true
		run readonly_violations "$log"
		[[ -z $output ]] || fail "nsnet $cmd changed something: $output"
	done
	run nsnet down tutorial
	assert_status 0
}

@test "a dry run on a machine without /run/nsnet creates nothing there" {
	rm -rf /run/nsnet
	run nsnet up --dry-run "$TUTORIAL"
	assert_status 0
	[[ ! -e /run/nsnet ]] || fail "dry run made /run/nsnet: $(ls -la /run/nsnet)"
	run nsnet status tutorial
	[[ ! -e /run/nsnet ]] || fail "status made /run/nsnet"
	mkdir -p /run/nsnet
}

@test "status, check and doctor in a loop beside 60 up/down cycles: no up fails" {
	local i n=60 fails=0
	[[ -n $NSNET_WRAP ]] && n=10
	BG_PIDS=()
	(while :; do "$NSNET" status >/dev/null 2>&1; "$NSNET" status tutorial >/dev/null 2>&1; done) &
	BG_PIDS+=($!)
	(while :; do "$NSNET" check tutorial --timeout 50 >/dev/null 2>&1
		"$NSNET" doctor >/dev/null 2>&1; done) &
	BG_PIDS+=($!)
	for ((i = 0; i < n; i++)); do
		run nsnet up "$TUTORIAL"
		[[ $status -eq 0 ]] || { fails=$((fails + 1)); echo "# up $i: $output" >&3; }
		run nsnet down tutorial
		[[ $status -eq 0 ]] || { fails=$((fails + 1)); echo "# down $i: $output" >&3; }
	done
	((fails == 0)) || fail "$fails of $((2 * n)) up/down failed beside the readers"
}

# --- the journal: only a writer replays it, and only proven placeholders go ----

@test "a journal naming a foreign namespace deletes nothing, even for up" {
	mkdir -p /run/nsnet
	ip netns add foreign2
	: >/run/netns/foreign3 # an empty file, as a killed creation leaves one: but not ours
	printf 'ns foreign2 0\nns foreign3 1234567\nns foreign3\nlink eth9\n' >/run/nsnet/tutorial.pending
	run nsnet status tutorial
	run nsnet up "$TUTORIAL"
	assert_status 0
	is_netns_mount /run/netns/foreign2 || fail "foreign2 is gone or no namespace any more"
	[[ -f /run/netns/foreign3 && ! -s /run/netns/foreign3 ]] || fail "foreign3 was removed"
	run nsnet down tutorial
	assert_status 0
	[[ -e /run/netns/foreign2 && -f /run/netns/foreign3 ]] || fail "down removed a foreign entry"
}

@test "the placeholder a killed up left, proven by its mark, is removed by the next up" {
	local mark=1700000000123456789
	mkdir -p /run/nsnet
	# What a kill between the placeholder and its mount leaves: an empty file carrying
	# the mark the journal recorded (its modification time).
	: >/run/netns/red
	touch -m -d "@1700000000.123456789" /run/netns/red
	printf 'ns red %s\n' "$mark" >/run/nsnet/tutorial.pending
	run nsnet status tutorial
	[[ -f /run/netns/red ]] || fail "status (read-only) removed the placeholder"
	run nsnet up "$TUTORIAL"
	assert_status 0
	is_netns_mount /run/netns/red || fail "red is not a namespace after up"
	run nsnet down tutorial
	assert_status 0
	# The same file with another mark is not ours: up must refuse to take the name.
	: >/run/netns/red
	touch -m -d "@1700000000.999999999" /run/netns/red
	printf 'ns red %s\n' "$mark" >/run/nsnet/tutorial.pending
	run nsnet up "$TUTORIAL"
	[[ $status -ne 0 ]] || fail "up took over an unproven /run/netns/red"
	[[ -f /run/netns/red ]] || fail "up removed an unproven /run/netns/red"
	rm -f /run/netns/red /run/nsnet/tutorial.pending
}

# --- 2. every path under /run/nsnet: a FIFO, a symlink, a directory, a huge file -

# plant KIND PATH: put a hostile object at PATH.
plant() {
	rm -rf "$2"
	case $1 in
	fifo) mkfifo "$2" ;;
	symlink) ln -s "$BATS_TEST_TMPDIR/target" "$2" ;;
	dir) mkdir "$2" ;;
	huge) truncate -s 200M "$2" ;;
	esac
}

# What is there now, to show it was neither followed, changed nor removed.
describe_path() {
	stat -c '%F %s' "$1" 2>/dev/null || echo missing
}

@test "FIFO, symlink, directory and huge file at every path under /run/nsnet: no hang, no follow, no delete" {
	local kind f cmd before after
	mkdir -p /run/nsnet
	echo "the target of a planted symlink" >"$BATS_TEST_TMPDIR/target"
	for f in tutorial.lock tutorial.json tutorial.json.tmp tutorial.pending; do
		for kind in fifo symlink dir huge; do
			for cmd in "up $TUTORIAL" "status tutorial" "check tutorial" "doctor tutorial" \
				"down tutorial" "up --dry-run $TUTORIAL" "status"; do
				plant "$kind" "/run/nsnet/$f"
				before=$(describe_path "/run/nsnet/$f")
				# shellcheck disable=SC2086
				run timeout 2 "$NSNET" $cmd
				[[ $status -ne 124 ]] || fail "nsnet $cmd hung on a $kind at $f"
				after=$(describe_path "/run/nsnet/$f")
				# A regular file at the state file's own name is the writers' to replace.
				[[ $before == "$after" ]] ||
					[[ $kind == huge && $f == tutorial.json* && $cmd == @(up|down)\ * ]] ||
					fail "nsnet $cmd changed the $kind at $f: $before -> $after"
				[[ $(cat "$BATS_TEST_TMPDIR/target") == "the target of a planted symlink" ]] ||
					fail "nsnet $cmd wrote through the symlink at $f"
				# A command that fails because of it says where and what to do.
				if [[ $status -ne 0 && $output == *"/run/nsnet/"* ]]; then
					[[ $output == *"/run/nsnet/$f"* && $output == *"remove it"* ]] ||
						fail "nsnet $cmd with a $kind at $f: unclear: $output"
				fi
				"$NSNET" down tutorial >/dev/null 2>&1 || true
				rm -rf "/run/nsnet/$f"
				"$NSNET" down tutorial >/dev/null 2>&1 || true
			done
		done
	done
}

@test "a FIFO as the journal: up, down and status fail at once naming it; removed, all works" {
	mkdir -p /run/nsnet
	mkfifo /run/nsnet/tutorial.pending
	for cmd in "up $TUTORIAL" "down tutorial"; do
		# shellcheck disable=SC2086
		run timeout 2 "$NSNET" $cmd
		[[ $status -eq 1 ]] || fail "nsnet $cmd: exit $status, want 1: $output"
		assert_output_contains "/run/nsnet/tutorial.pending is a FIFO"
		assert_output_contains "remove it"
	done
	rm /run/nsnet/tutorial.pending
	run nsnet up "$TUTORIAL"
	assert_status 0
	run nsnet down tutorial
	assert_status 0
}

@test "a recorded file that is no topology: check and status show its position, never its text" {
	mkdir -p /run/nsnet
	printf 'root:x:0:0:secret-line:/root:/bin/bash\n' >"$BATS_TEST_TMPDIR/shadow"
	printf '{"name": "x", "file": "%s", "version": 1}\n' "$BATS_TEST_TMPDIR/shadow" >/run/nsnet/x.json
	for cmd in "check x" "status x" "doctor x"; do
		# shellcheck disable=SC2086
		run "$NSNET" $cmd
		[[ $output != *secret-line* ]] || fail "nsnet $cmd printed the file: $output"
		assert_output_contains "$BATS_TEST_TMPDIR/shadow:1:1: not a valid topology file now"
	done
	# A record that is not nsnet's (no clean absolute path) is refused as such.
	printf '{"name": "x", "file": "../../etc/shadow", "version": 1}\n' >/run/nsnet/x.json
	run nsnet check x
	assert_status 1
	assert_output_contains "/run/nsnet/x.json is not nsnet's state"
	rm -f /run/nsnet/x.json
}

# --- 3. failures after the kernel changed: everything rolled back, truly told ---

@test "a full /run/nsnet: up fails, the network is as before, and the message says so" {
	mkdir -p /run/nsnet
	mount -t tmpfs -o size=4k,mode=755 none /run/nsnet
	dd if=/dev/zero of=/run/nsnet/filler bs=4096 count=1 2>/dev/null || true
	run nsnet up "$TUTORIAL"
	assert_status 1
	[[ $output == *"No space left on device"* ]] || fail "no ENOSPC: $output"
	[[ $output == *"nothing was changed"* || $output =~ "rolled back: "[0-9]+" change" ]] ||
		fail "no account of what happened: $output"
	rm -f /run/nsnet/filler
	# Room for the state file, none for the journal: the failure comes during the changes.
	run nsnet up "$TUTORIAL"
	[[ $status -eq 1 ]] || fail "up with a page for the state file only: exit $status: $output"
	leak_diff "$BATS_TEST_TMPDIR/before" || fail "not back to the baseline: $output"
	umount /run/nsnet
}

@test "the state file cannot be replaced after the changes (a mount on it): all rolled back" {
	mkdir -p /run/nsnet
	: >/run/nsnet/tutorial.json
	: >"$BATS_TEST_TMPDIR/pinned"
	mount --bind "$BATS_TEST_TMPDIR/pinned" /run/nsnet/tutorial.json
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "record the state"
	[[ $output =~ "rolled back: "[1-9][0-9]*" changes undone, the network is as before" ]] ||
		fail "no true rollback message: $output"
	umount /run/nsnet/tutorial.json
	# The state file existed before (the mount's target): its lock stays, as after any up.
	rm -f /run/nsnet/tutorial.json /run/nsnet/tutorial.json.tmp /run/nsnet/tutorial.lock
	leak_diff "$BATS_TEST_TMPDIR/before" || fail "not back to the baseline"
}

@test "NAME.json.tmp is a directory: up refuses before any change, and leaves it" {
	mkdir -p /run/nsnet/tutorial.json.tmp
	run nsnet up "$TUTORIAL"
	assert_status 1
	assert_output_contains "/run/nsnet/tutorial.json.tmp is a directory"
	assert_output_contains "nothing was changed"
	[[ -d /run/nsnet/tutorial.json.tmp ]] || fail "the directory was removed"
	rmdir /run/nsnet/tutorial.json.tmp
	leak_diff "$BATS_TEST_TMPDIR/before" || fail "something changed"
}

# --- 9. errors a person can act on -------------------------------------------------

@test "without CAP_NET_ADMIN/CAP_SYS_ADMIN every kernel command says 'this needs root' first" {
	local cmd
	for cmd in "up $TUTORIAL" "up /no/such.yaml" "down tutorial" "status" "check tutorial" \
		"doctor" "show" "ns list" "ns add x" "exec red true"; do
		# shellcheck disable=SC2086
		run setpriv --inh-caps=-all --bounding-set=-net_admin,-sys_admin "$NSNET" $cmd
		[[ $status -eq 1 ]] || fail "nsnet $cmd: exit $status: $output"
		[[ $output == "nsnet: this needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN)" ]] ||
			fail "nsnet $cmd: $output"
	done
	# graph needs no privilege, and --help never does.
	run setpriv --inh-caps=-all --bounding-set=-net_admin,-sys_admin "$NSNET" graph "$TUTORIAL"
	assert_status 0
	run setpriv --inh-caps=-all --bounding-set=-net_admin,-sys_admin "$NSNET" up --help
	assert_status 0
}

@test "a mistyped name: down says nothing by that name exists and what is up; status exits 1" {
	run nsnet up "$TUTORIAL"
	assert_status 0
	run nsnet down tutoral
	assert_status 0
	[[ $output == "nothing named 'tutoral' exists: nothing to remove; up: 'tutorial'" ]] ||
		fail "down tutoral: $output"
	[[ ! -e /run/nsnet/tutoral.lock ]] || fail "down of an unknown name left a lock"
	run nsnet status tutoral
	assert_status 1
	assert_output_contains "nothing named 'tutoral' is up or recorded; up: 'tutorial'"
	run nsnet down tutorial
	assert_status 0
}

@test "ns del of a topology's namespace refuses, naming it and 'nsnet down'; --force deletes" {
	run nsnet up "$TUTORIAL"
	assert_status 0
	run nsnet ns del red
	assert_status 1
	assert_output_contains "namespace 'red' belongs to topology 'tutorial'"
	assert_output_contains "nsnet down tutorial"
	is_netns_mount /run/netns/red || fail "red was deleted"
	run nsnet ns del --force red
	assert_status 0
	[[ ! -e /run/netns/red ]] || fail "--force did not delete red"
	run nsnet down tutorial
	assert_status 0
}

@test "progress lines reach a pipe as they are made: one write per line" {
	local log=$BATS_TEST_TMPDIR/strace lines writes
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
		strace -qq -o "$log" -e trace=write -e signal=none "$NSNET" up "$TUTORIAL" \
		>"$BATS_TEST_TMPDIR/out"
	lines=$(grep -c '^[+~-] ' "$BATS_TEST_TMPDIR/out")
	writes=$(grep -c '^write(1,' "$log")
	((lines > 10)) || fail "too few progress lines: $(cat "$BATS_TEST_TMPDIR/out")"
	((writes >= lines)) || fail "$lines lines in $writes writes: buffered"
	run nsnet down tutorial
	assert_status 0
}

@test "check reports the real elapsed time of the whole check" {
	local file=$BATS_TEST_TMPDIR/slow.yaml start end secs
	# A probe that must stay unanswered (no one has that address on red's segment) runs
	# to the timeout.
	sed 's/^forwards:/checks:\n  - {from: red, to: 192.168.15.99, expect: blocked}\nforwards:/' \
		"$TUTORIAL" >"$file"
	run nsnet up "$file"
	assert_status 0
	start=$(date +%s.%N)
	run nsnet check tutorial --timeout 1000 --json
	end=$(date +%s.%N)
	secs=$(jq -r .seconds <<<"$output")
	python3 -c "import sys; s, a, b = map(float, sys.argv[1:]); assert 1.0 <= s <= b - a, (s, b - a)" \
		"$secs" "$start" "$end" || fail "reported $secs s, wall $(echo "$end - $start" | bc) s"
	run nsnet down tutorial
	assert_status 0
}
