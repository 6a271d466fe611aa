#!/usr/bin/env bats
# Named network namespaces: `nsnet ns add|del|list` and `nsnet exec`.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/integration/ns.bats
#
# Oracles: /proc/self/mountinfo (nsfs bind mounts under a shared /run/netns),
# `ip -j` and `ip netns` (iproute2), the netns inode, files seen by the
# executed command. Every test removes what it made in cleanup_test, with
# iproute2 or rm (never with the code under test), then lib.bash's leak
# check compares the whole state with the one before the test.

load lib

# Names (under /run/netns and /etc/netns), pids and host links a test made.
TRACK_NS=()
TRACK_PIDS=()
TRACK_LINKS=()

track_ns() { TRACK_NS+=("$@"); }

cleanup_test() {
	local pid name link
	for pid in "${TRACK_PIDS[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	for link in "${TRACK_LINKS[@]}"; do
		ip link del "$link" 2>/dev/null
	done
	for name in "${TRACK_NS[@]}"; do
		[[ -n $name ]] || continue
		if is_netns_mount "/run/netns/$name"; then
			ip netns del "$name"
		elif [[ -e /run/netns/$name || -L /run/netns/$name ]]; then
			rm -rf "/run/netns/$name"  # never follows a symlink
		fi
		rm -rf "/etc/netns/$name"
	done
	rmdir /etc/netns 2>/dev/null
	# A test may have replaced /run/netns by a symlink, and a buggy nsnet
	# may have mounted something on the test's temporary directory.
	if [[ -L /run/netns ]]; then
		rm /run/netns && mkdir /run/netns
	fi
	local mp
	awk -v d="$BATS_TEST_TMPDIR" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r mp; do umount -l "$mp"; done
	return 0
}

# ns_mounted: names of the namespaces mounted in /run/netns (the oracle
# for `ns list`), sorted.
ns_mounted() {
	awk '{ for (i = 7; $i != "-"; i++); if ($5 ~ "^/run/netns/[^/]+$" && $(i + 1) == "nsfs") {
		sub("^/run/netns/", "", $5); print $5 } }' /proc/self/mountinfo | sort
}

# mount_optional MP: the optional fields (shared:N, master:N...) of MP's mount.
mount_optional() {
	awk -v mp="$1" '$5 == mp { o = ""; for (i = 7; $i != "-"; i++) o = o " " $i; r = o } END { print r }' \
		/proc/self/mountinfo
}

# unmount_run_netns: make /run/netns a plain directory again (no namespace
# may be left in it).
unmount_run_netns() {
	while [[ -n $(mount_fstype /run/netns) ]]; do
		umount /run/netns || fail "cannot unmount /run/netns (namespaces left?)"
	done
}

lo_flags() { ip -n "$1" -j link show dev lo | jq -c '.[0].flags'; }

# --- ns add -------------------------------------------------------------------

@test "ns add: bind-mounts a new netns on /run/netns/NAME under a shared /run/netns, as iproute2 does" {
	track_ns x ref
	# Start from nothing, as on a machine that never had a named namespace:
	# nsnet has to create /run/netns and make it a shared mount.
	unmount_run_netns
	rmdir /run/netns

	run nsnet ns add x
	assert_status 0
	[[ -n $(mount_fstype /run/netns) ]] || fail "/run/netns is not a mountpoint"
	[[ $(mount_optional /run/netns) == *shared:* ]] ||
		fail "/run/netns is not a shared mount: $(mount_optional /run/netns)"
	is_netns_mount /run/netns/x || fail "/run/netns/x is not an nsfs mount"
	[[ $(netns_inode x) != "$(stat -L -c %i /proc/self/ns/net)" ]] ||
		fail "/run/netns/x is the host's own namespace"
	# Exactly one mount for x (no stacking), and the same shape as iproute2's.
	[[ $(awk '$5 == "/run/netns/x"' /proc/self/mountinfo | wc -l) -eq 1 ]]
	ip netns add ref
	[[ $(mount_optional /run/netns/x | sed 's/[0-9]\+//g') == \
		"$(mount_optional /run/netns/ref | sed 's/[0-9]\+//g')" ]] ||
		fail "propagation differs: nsnet '$(mount_optional /run/netns/x)'" \
			"iproute2 '$(mount_optional /run/netns/ref)'"
	# iproute2 sees a working namespace.
	run ip netns list
	assert_output_matches '(^|'$'\n'')x( |$)'
}

@test "ns add: each namespace is a distinct, empty network namespace" {
	track_ns a b
	nsnet ns add a
	nsnet ns add b
	[[ $(netns_inode a) != "$(netns_inode b)" ]]
	run ip -n a -j link show
	assert_json 'map(.ifname) == ["lo"]'
}

@test "ns add: lo is up by default and 127.0.0.1 answers" {
	track_ns x
	nsnet ns add x
	assert_json 'index("UP") != null' "$(lo_flags x)"
	run ip -n x -j addr show dev lo
	assert_json '.[0].addr_info | any(.local == "127.0.0.1" and .prefixlen == 8)'
	ip netns exec x ping -c1 -W1 127.0.0.1
}

@test "ns add --no-loopback: lo stays down" {
	track_ns x
	nsnet ns add x --no-loopback
	assert_json 'index("UP") == null' "$(lo_flags x)"
}

@test "ns add: an existing name exits 1 'already exists' and keeps the namespace" {
	track_ns x
	nsnet ns add x
	ip -n x link add keep0 type veth peer name keep1
	local ino
	ino=$(netns_inode x)

	run nsnet ns add x
	assert_status 1
	assert_output_contains "already exists"
	assert_output_contains "x"
	[[ $(netns_inode x) == "$ino" ]] || fail "namespace x was replaced"
	ip -n x link show keep0 >/dev/null
	[[ $(awk '$5 == "/run/netns/x"' /proc/self/mountinfo | wc -l) -eq 1 ]]
}

@test "ns add: iproute2's existing namespace is not replaced (exit 1)" {
	track_ns x
	ip netns add x
	local ino
	ino=$(netns_inode x)
	run nsnet ns add x
	assert_status 1
	assert_output_contains "already exists"
	[[ $(netns_inode x) == "$ino" ]]
}

# --- ns del -------------------------------------------------------------------

@test "ns del: removes the mount and the file, and the namespace's links go with it" {
	track_ns x
	nsnet ns add x
	ip link add hv0 type veth peer name hv1 netns x
	TRACK_LINKS+=(hv0)

	run nsnet ns del x
	assert_status 0
	[[ ! -e /run/netns/x ]] || fail "/run/netns/x still exists"
	! is_netns_mount /run/netns/x || fail "/run/netns/x still mounted"
	# The namespace is gone for good: its veth's host end disappears.
	wait_until 5 bash -c '! ip link show hv0 &>/dev/null'
}

@test "ns del: a missing name exits 1 'does not exist'; with -f/--force exits 0" {
	run nsnet ns del nosuch
	assert_status 1
	assert_output_contains "does not exist"
	assert_output_contains "nosuch"

	run nsnet ns del -f nosuch
	assert_status 0
	run nsnet ns del nosuch --force
	assert_status 0
}

@test "ns del: several names at once" {
	track_ns a b
	nsnet ns add a
	nsnet ns add b
	run nsnet ns del a b
	assert_status 0
	[[ -z $(ns_mounted) ]] || fail "left: $(ns_mounted)"
}

@test "ns del: a namespace held by another mount namespace is still deleted (lazy detach)" {
	# With a kernel >= 3.18 unlinking a mountpoint that another mount
	# namespace holds a private copy of succeeds and detaches that copy, so
	# there is no EBUSY left to report; iproute2 behaves the same.
	# (C author: if nsnet ever chooses to refuse with "busy" instead, change
	# this test to expect exit 1 with a message naming 'busy'.)
	track_ns z
	nsnet ns add z
	unshare --mount --propagation private sleep 30 3>&- </dev/null &
	local holder=$!
	TRACK_PIDS+=("$holder")
	holder_has_copy() { grep -q ' /run/netns/z ' "/proc/$holder/mountinfo" &&
		[[ $(readlink "/proc/$holder/ns/mnt") != "$(readlink /proc/self/ns/mnt)" ]]; }
	wait_until 5 holder_has_copy

	run nsnet ns del z
	assert_status 0
	[[ ! -e /run/netns/z ]] || fail "/run/netns/z still exists"
	! grep -q ' /run/netns/z ' "/proc/$holder/mountinfo" ||
		fail "the holder still has its copy of /run/netns/z"

	kill "$holder"
	wait "$holder" 2>/dev/null || true
	# And the name is usable again.
	run nsnet ns add z
	assert_status 0
}

# --- ns list ------------------------------------------------------------------

@test "ns list: one line per namespace, name first, same set as the mounts" {
	track_ns a b c notans somedir
	nsnet ns add a
	nsnet ns add b
	ip netns add c
	# Entries that are not namespace mounts must not be listed.
	echo junk >/run/netns/notans
	mkdir /run/netns/somedir

	run --separate-stderr nsnet ns list
	assert_status 0
	[[ $(cut -d' ' -f1 <<<"$output" | sort) == "$(ns_mounted)" ]] ||
		fail "listed: $output" "mounted: $(ns_mounted)"
	[[ $(ns_mounted | tr '\n' ' ') == "a b c " ]]
	# Anything after the name is " (id: N)".
	local line
	while IFS= read -r line; do
		[[ $line =~ ^[A-Za-z0-9_.-]+( \(id: [0-9]+\))?$ ]] || fail "bad line: '$line'"
	done <<<"$output"
	rmdir /run/netns/somedir
}

@test "ns list --json: array of {name, nsid} matching iproute2's ids" {
	track_ns a b
	nsnet ns add a
	nsnet ns add b
	ip netns set a 7

	run --separate-stderr nsnet ns list --json
	assert_status 0
	assert_json 'type == "array" and length == 2'
	assert_json 'all(.[]; (.name | type) == "string" and
		((.nsid | type) == "number" or .nsid == null))'
	assert_json 'map(.name) | sort == ["a", "b"]'
	# Oracle: ip -j netns list (no "id" key when none is assigned).
	local oracle
	oracle=$(ip -j netns list | jq -c 'map({name, nsid: .id}) | sort_by(.name)')
	[[ $(jq -c 'map({name, nsid}) | sort_by(.name)' <<<"$output") == "$oracle" ]] ||
		fail "nsnet: $output" "ip: $oracle"
	assert_json '.[] | select(.name == "a") | .nsid == 7'

	# The text form shows the same id.
	run --separate-stderr nsnet ns list
	assert_output_matches '(^|'$'\n'')a \(id: 7\)($|'$'\n'')'
}

@test "ns list --json: iproute2's namespace whose name is not UTF-8 is listed, its odd byte as \\xNN" {
	ip netns add $'z\xfe'
	run --separate-stderr nsnet ns list --json
	ip netns del $'z\xfe'
	assert_status 0
	jq -e '[.[] | select(.name == "z\\xfe")] | length == 1' <<<"$output" >/dev/null ||
		fail "z\\xfe missing: $output"
}

@test "ns list: nothing to list gives no line and []" {
	[[ -z $(ns_mounted) ]] || fail "precondition: namespaces exist: $(ns_mounted)"
	run --separate-stderr nsnet ns list
	assert_status 0
	[[ -z $output ]] || fail "unexpected output: $output"
	run --separate-stderr nsnet ns list --json
	assert_status 0
	assert_json '. == []'

	# Nor is a missing /run/netns an error (a machine that never had one).
	unmount_run_netns
	rmdir /run/netns
	run --separate-stderr nsnet ns list
	assert_status 0
	[[ -z $output ]] || fail "unexpected output: $output"
	run --separate-stderr nsnet ns list --json
	assert_status 0
	assert_json '. == []'
	[[ ! -e /run/netns ]] || fail "ns list created /run/netns"
	mkdir /run/netns
}

# --- exec ---------------------------------------------------------------------

@test "exec: runs the command inside the named namespace" {
	track_ns y
	nsnet ns add y
	run nsnet exec y -- readlink /proc/self/ns/net
	assert_status 0
	[[ $output == "net:[$(netns_inode y)]" ]] || fail "ran in $output, not in y ($(netns_inode y))"
}

@test "exec: the command's exit status is passed through" {
	track_ns y
	nsnet ns add y
	run nsnet exec y -- sh -c 'exit 7'
	assert_status 7
	run nsnet exec y -- true
	assert_status 0
	run nsnet exec y -- sh -c 'kill -TERM $$'
	[[ $status -ne 0 ]] || fail "a command killed by a signal reported success"
}

@test "exec: arguments, environment and stdin reach the command unchanged" {
	track_ns y
	nsnet ns add y
	run --separate-stderr nsnet exec y -- printf '%s|' 'a b' '' '--' '$x' '*'
	assert_status 0
	[[ $output == 'a b||--|$x|*|' ]] || fail "argv seen: $output"
	export NSNET_TEST_VAR='v a l'
	run --separate-stderr nsnet exec y -- sh -c 'printf %s "$NSNET_TEST_VAR"'
	[[ $output == 'v a l' ]] || fail "environment seen: $output"
	run --separate-stderr bash -c 'printf "in\n" | nsnet exec y -- cat'
	assert_status 0
	[[ $output == in ]] || fail "stdin seen: $output"
}

@test "exec: a missing command exits 127; a missing namespace exits 1" {
	track_ns y
	nsnet ns add y
	run -127 nsnet exec y -- /nonexistent/command
	assert_status 127
	run -127 nsnet exec y -- no-such-command-nsnet
	assert_status 127

	run nsnet exec nosuch -- true
	assert_status 1
	assert_output_contains "does not exist"
}

@test "exec: no command is a usage error (exit 2)" {
	track_ns y
	nsnet ns add y
	run nsnet exec y --
	assert_status 2
	run nsnet exec y
	assert_status 2
}

@test "exec: 'ip -j link' inside shows only the namespace's links" {
	track_ns y
	nsnet ns add y
	ip -n y link add yv0 type veth peer name yv1
	ip link add hostv0 type veth peer name hostv1
	TRACK_LINKS+=(hostv0)

	run --separate-stderr nsnet exec y -- ip -j link
	assert_status 0
	local oracle
	oracle=$(ip -n y -j link | jq -c 'map(.ifname) | sort')
	[[ $(jq -c 'map(.ifname) | sort' <<<"$output") == "$oracle" ]] ||
		fail "exec saw: $output" "ip -n y: $oracle"
	assert_json 'map(.ifname) | index("hostv0") == null'
}

@test "exec: /sys is remounted, /sys/class/net lists only the namespace's devices" {
	track_ns y
	nsnet ns add y
	ip -n y link add yv0 type veth peer name yv1

	run --separate-stderr nsnet exec y -- cat /sys/class/net/lo/ifindex
	assert_status 0
	[[ $output == 1 ]]
	run --separate-stderr nsnet exec y -- ls /sys/class/net
	assert_status 0
	[[ $(sort <<<"$output" | tr '\n' ' ') == \
		"$(ip -n y -j link | jq -r '.[].ifname' | sort | tr '\n' ' ')" ]] ||
		fail "/sys/class/net in y: $output"
	run --separate-stderr nsnet exec y -- cat /sys/class/net/yv0/ifindex
	assert_status 0
	[[ $output == "$(ip -n y -j link show yv0 | jq '.[0].ifindex')" ]]
}

@test "exec: /etc/netns/NAME/hosts is bind-mounted over /etc/hosts" {
	track_ns y
	nsnet ns add y
	mkdir -p /etc/netns/y
	printf '10.9.9.9 only-in-y\n' >/etc/netns/y/hosts

	run --separate-stderr nsnet exec y -- cat /etc/hosts
	assert_status 0
	[[ $output == "10.9.9.9 only-in-y" ]] || fail "/etc/hosts in y: $output"
	# Only for that command: the sandbox's /etc/hosts is untouched.
	! grep -q only-in-y /etc/hosts
}

@test "exec: without /etc/netns/NAME the normal /etc/hosts is seen" {
	track_ns y
	nsnet ns add y
	[[ ! -e /etc/netns/y ]]
	run --separate-stderr nsnet exec y -- cat /etc/hosts
	assert_status 0
	[[ $output == "$(cat /etc/hosts)" ]] || fail "/etc/hosts in y: $output"
}

# --- invalid names --------------------------------------------------------------

INVALID_NAMES=(
	"" "." ".." ".hidden" "-x" "a/b" "../etc" "a b" "a;b" 'a$b'
	$'a\nb' $'a\tb' $'a\x01b' "$(printf 'n%.0s' {1..65})" "é" "*"
)

# fs_state: what an invalid name could create: everything under /run (the
# /etc overlay's upper dir included) and the mount table.
fs_state() {
	find /run -path /run/.etc/work -prune -o -printf '%p %y\n' | sort
	awk '{ print $5 }' /proc/self/mountinfo | sort
}

# check_invalid_names ARGS...: run `nsnet ARGS` with @ replaced by each
# invalid name; every one must exit 2, say what is wrong, and change nothing.
check_invalid_names() {
	local name arg bad=0 before after
	local -a argv
	before=$(fs_state)
	for name in "${INVALID_NAMES[@]}"; do
		argv=()
		for arg in "$@"; do
			if [[ $arg == @ ]]; then
				# A leading '-' would be an option: pass it after "--".
				[[ $name != -* ]] || argv+=(--)
				argv+=("$name")
			else
				argv+=("$arg")
			fi
		done
		run --separate-stderr nsnet "${argv[@]}"
		if [[ $status -ne 2 ]]; then
			printf 'nsnet %s: exit %s, want 2; stderr: %s\n' "${argv[*]@Q}" "$status" "$stderr" >&2
			bad=1
		elif ! [[ $stderr =~ [Nn]ame ]]; then
			printf 'nsnet %s: message does not say what is wrong with the name: %s\n' \
				"${argv[*]@Q}" "$stderr" >&2
			bad=1
		fi
		after=$(fs_state)
		if [[ $after != "$before" ]]; then
			printf 'nsnet %s changed the filesystem:\n%s\n' "${argv[*]@Q}" \
				"$(diff <(echo "$before") <(echo "$after"))" >&2
			bad=1
		fi
	done
	return "$bad"
}

@test "invalid names: ns add exits 2, names the problem, creates nothing" {
	check_invalid_names ns add @
	[[ -z $(ls -A /run/netns) ]]
}

@test "invalid names: ns add --no-loopback exits 2 as well" {
	check_invalid_names ns add --no-loopback @
}

@test "invalid names: ns del (with or without --force) exits 2, deletes nothing" {
	track_ns keep
	nsnet ns add keep
	check_invalid_names ns del @
	check_invalid_names ns del --force @
	is_netns_mount /run/netns/keep
}

@test "invalid names: exec exits 2 and does not run the command" {
	check_invalid_names exec @ -- touch "$BATS_TEST_TMPDIR/ran"
	[[ ! -e $BATS_TEST_TMPDIR/ran ]] || fail "the command ran"
}

@test "invalid names: show exits 2" {
	check_invalid_names show @
	check_invalid_names show --json @
}

@test "names: a 64-byte name and every allowed character are accepted" {
	local long
	long=$(printf 'n%.0s' {1..64})
	track_ns "$long" "A-Z_a.z-09" "x..y"
	for name in "$long" "A-Z_a.z-09" "x..y"; do
		run nsnet ns add "$name"
		assert_status 0
		is_netns_mount "/run/netns/$name"
	done
	run --separate-stderr nsnet ns list --json
	assert_json "map(.name) | index(\"$long\") != null"
	run nsnet exec "$long" -- true
	assert_status 0
	for name in "$long" "A-Z_a.z-09" "x..y"; do
		run nsnet ns del "$name"
		assert_status 0
	done
	[[ -z $(ns_mounted) ]]
}

# --- hostile /run/netns -----------------------------------------------------------

# file_id PATH: type, inode and content hash, to prove PATH was not touched.
file_id() { stat -c '%F %i %s' "$1" && sha256sum <"$1"; }

@test "hostile: a regular file at /run/netns/NAME is refused by ns add (exit 1) and left as is" {
	track_ns hostile
	printf 'precious\n' >/run/netns/hostile
	local id
	id=$(file_id /run/netns/hostile)

	run nsnet ns add hostile
	assert_status 1
	assert_output_contains "hostile"
	assert_output_matches 'exist|not a (network )?namespace|regular file|not a mount'
	[[ $(file_id /run/netns/hostile) == "$id" ]] || fail "file changed"
	[[ -z $(mount_fstype /run/netns/hostile) ]] || fail "something mounted on it"

	# Not listed, and neither exec nor del use or remove it.
	run --separate-stderr nsnet ns list --json
	assert_json 'map(.name) | index("hostile") == null'
	run nsnet exec hostile -- touch "$BATS_TEST_TMPDIR/ran"
	assert_status 1
	[[ ! -e $BATS_TEST_TMPDIR/ran ]] || fail "exec ran the command"
	run nsnet ns del hostile
	assert_status 1
	[[ $(file_id /run/netns/hostile) == "$id" ]] || fail "file changed by ns del"
}

@test "hostile: a symlink /run/netns/NAME is refused by ns add, exec and del; link and target untouched" {
	track_ns evil
	local target=$BATS_TEST_TMPDIR/target
	printf 'secret\n' >"$target"
	ln -s "$target" /run/netns/evil
	local id
	id=$(file_id "$target")

	run nsnet ns add evil
	assert_status 1
	assert_output_contains "evil"
	[[ -L /run/netns/evil && $(readlink /run/netns/evil) == "$target" ]] ||
		fail "symlink changed"
	[[ $(file_id "$target") == "$id" ]] || fail "target changed"
	[[ -z $(mount_fstype "$target") ]] || fail "target mounted over"
	! grep -qF " $target " /proc/self/mountinfo || fail "target in mountinfo"

	run nsnet exec evil -- touch "$BATS_TEST_TMPDIR/ran"
	assert_status 1
	[[ ! -e $BATS_TEST_TMPDIR/ran ]] || fail "exec ran the command"

	run nsnet ns del evil
	assert_status 1
	[[ -L /run/netns/evil && $(readlink /run/netns/evil) == "$target" ]] ||
		fail "symlink removed or changed"
	[[ $(file_id "$target") == "$id" ]] || fail "target changed"

	run nsnet ns del --force evil
	[[ -L /run/netns/evil ]] || fail "ns del --force removed the symlink"
}

@test "hostile: a symlink to a real namespace is not followed by exec or del" {
	track_ns real alias
	nsnet ns add real
	ln -s /run/netns/real /run/netns/alias

	run nsnet exec alias -- readlink /proc/self/ns/net
	assert_status 1
	run nsnet ns del alias
	assert_status 1
	is_netns_mount /run/netns/real || fail "the real namespace was deleted"
	[[ -L /run/netns/alias ]]
	run --separate-stderr nsnet ns list --json
	assert_json 'map(.name) == ["real"]'
}

@test "hostile: a directory at /run/netns/NAME is refused by ns add, exec, del and show (exit 1)" {
	track_ns dir
	mkdir /run/netns/dir
	touch /run/netns/dir/inside
	local cmd
	for cmd in "ns add dir" "exec dir -- touch $BATS_TEST_TMPDIR/ran" "ns del dir" "show dir"; do
		run nsnet $cmd
		assert_status 1
		assert_output_contains "dir"
	done
	[[ ! -e $BATS_TEST_TMPDIR/ran ]] || fail "exec ran the command"
	[[ -d /run/netns/dir && -e /run/netns/dir/inside ]] || fail "the directory was changed"
	[[ -z $(mount_fstype /run/netns/dir) ]] || fail "something mounted on it"
	rm -r /run/netns/dir
}

@test "hostile: a FIFO at /run/netns/NAME does not hang ns del, exec or show (exit 1, left alone)" {
	# Opening a FIFO for reading blocks until a writer comes: a tool that
	# opens /run/netns/NAME without O_PATH/O_NONBLOCK hangs here for ever.
	track_ns fifo
	mkfifo /run/netns/fifo
	local cmd
	for cmd in "ns add fifo" "ns del fifo" "exec fifo -- true" "show fifo" "show fifo --json"; do
		run timeout 5 bash -c 'nsnet "$@" </dev/null' _ $cmd
		[[ $status -ne 124 ]] || fail "nsnet $cmd hung (killed after 5 s)"
		assert_status 1
		assert_output_contains "fifo"
	done
	[[ -p /run/netns/fifo ]] || fail "the FIFO was removed or replaced"
	run --separate-stderr nsnet ns list --json
	assert_json 'map(.name) | index("fifo") == null'
}

@test "exec: a file in /etc/netns/NAME with no /etc counterpart is a warning, as in iproute2" {
	track_ns y
	nsnet ns add y
	mkdir -p /etc/netns/y
	printf 'nameserver 10.1.1.1\n' >/etc/netns/y/resolv.conf
	printf 'x\n' >/etc/netns/y/only-in-netns
	run --separate-stderr nsnet exec y -- cat /etc/resolv.conf
	assert_status 0
	[[ $output == "nameserver 10.1.1.1" ]] || fail "resolv.conf in y: $output"
	[[ $stderr == *only-in-netns* ]] || fail "no warning about only-in-netns: $stderr"
}

@test "hostile: /run/netns itself a symlink: ns add refuses, nothing created or mounted in the target" {
	local target=$BATS_TEST_TMPDIR/netns-target
	mkdir "$target"
	unmount_run_netns
	rmdir /run/netns
	ln -s "$target" /run/netns

	run nsnet ns add x
	assert_status 1
	assert_output_contains "/run/netns"
	[[ -L /run/netns && $(readlink /run/netns) == "$target" ]] || fail "/run/netns changed"
	[[ -z $(ls -A "$target") ]] || fail "created in the target: $(ls -A "$target")"
	! grep -qF " $target " /proc/self/mountinfo ||
		fail "mounted on the symlink's target:" "$(grep -F " $target " /proc/self/mountinfo)"
	! awk '$5 ~ "^/run/netns"' /proc/self/mountinfo | grep -q . ||
		fail "mounted under /run/netns: $(awk '$5 ~ "^/run/netns"' /proc/self/mountinfo)"
	rm /run/netns
	mkdir /run/netns
}

# --- concurrency ----------------------------------------------------------------

@test "concurrency: 8 parallel ns add of different names all succeed, /run/netns mounted once" {
	local i pids=() rc=0
	track_ns n1 n2 n3 n4 n5 n6 n7 n8
	unmount_run_netns
	for i in 1 2 3 4 5 6 7 8; do
		nsnet ns add "n$i" 3>&- &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	((rc == 0)) || fail "some ns add failed"
	[[ $(ns_mounted | tr '\n' ' ') == "n1 n2 n3 n4 n5 n6 n7 n8 " ]] || fail "mounted: $(ns_mounted)"
	[[ $(awk '$5 == "/run/netns"' /proc/self/mountinfo | wc -l) -eq 1 ]] ||
		fail "/run/netns mounted more than once:" "$(awk '$5 == "/run/netns"' /proc/self/mountinfo)"
	run --separate-stderr nsnet ns list --json
	assert_json 'length == 8'
}

@test "concurrency: 8 parallel ns add of one name: exactly one succeeds, one mount" {
	local i pids=() ok=0 exists=0
	track_ns same
	for i in 1 2 3 4 5 6 7 8; do
		nsnet ns add same >"$BATS_TEST_TMPDIR/add.$i" 2>&1 3>&- &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		if wait "${pids[i]}"; then
			ok=$((ok + 1))
		elif grep -q "already exists" "$BATS_TEST_TMPDIR/add.$((i + 1))"; then
			exists=$((exists + 1))
		fi
	done
	((ok == 1 && exists == 7)) || fail "$ok succeeded, $exists said 'already exists':" \
		"$(cat "$BATS_TEST_TMPDIR"/add.*)"
	[[ $(awk '$5 == "/run/netns/same"' /proc/self/mountinfo | wc -l) -eq 1 ]]
}

# --- iproute2 compatibility -------------------------------------------------------

@test "iproute2 compat: a namespace made by 'ip netns add' is listed, usable and deletable by nsnet" {
	track_ns x
	ip netns add x
	run --separate-stderr nsnet ns list --json
	assert_status 0
	assert_json 'any(.[]; .name == "x")'
	run --separate-stderr nsnet exec x -- ip -j link
	assert_status 0
	assert_json 'map(.ifname) == ["lo"]'
	run nsnet exec x -- readlink /proc/self/ns/net
	[[ $output == "net:[$(netns_inode x)]" ]]

	run nsnet ns del x
	assert_status 0
	[[ ! -e /run/netns/x ]]
	run ip netns list
	[[ $output != *x* ]] || fail "ip netns list still shows x: $output"
}

@test "iproute2 compat: a namespace made by nsnet works with 'ip netns exec' and 'ip netns del'" {
	track_ns y
	nsnet ns add y
	run ip netns list
	assert_output_contains "y"
	run ip netns exec y ip -j link
	assert_status 0
	assert_json 'map(.ifname) == ["lo"]'
	run ip netns exec y readlink /proc/self/ns/net
	[[ $output == "net:[$(netns_inode y)]" ]]

	run ip netns del y
	assert_status 0
	[[ ! -e /run/netns/y ]]
	! is_netns_mount /run/netns/y
	run --separate-stderr nsnet ns list --json
	assert_json '. == []'
}
