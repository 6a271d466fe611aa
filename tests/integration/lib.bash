# tests/integration/lib.bash: shared by every integration .bats file (`load lib`).
#
# What it owns:
#   - refusing to run outside tests/sandbox (never touch the machine's network);
#   - the `nsnet` and `nltool` functions (binaries under test, optionally wrapped
#     by $NSNET_WRAP, e.g. valgrind), and turning valgrind/ASan/UBSan reports into
#     test failures whatever exit status the tool returned;
#   - the leak check: a canonical snapshot of kernel and filesystem state before
#     and after every test, compared after the test's own cleanup_test.
#
# Run a file:   prove -v --exec "tests/sandbox bats --tap" tests/integration/ns.bats
# Environment:  NSNET   path to nsnet   (default build/nsnet)
#               NLTOOL  path to nltool  (default build/tests/nltool)
#               NSNET_WRAP  prefix command for both, e.g.
#                 "valgrind -q --error-exitcode=97 --leak-check=full
#                  --errors-for-leak-kinds=definite,indirect --track-fds=yes"

bats_require_minimum_version 1.5.0

# --- isolation guard --------------------------------------------------------
# NSNET_SANDBOX is exported by tests/sandbox. Also check the facts it stands for:
# a network and mount namespace of our own, and a tmpfs on /run. PID 1 is the
# machine's init (no PID namespace), so comparing with it tells the truth.
_lib_refuse() {
	printf 'lib.bash: REFUSING TO RUN: %s\n' "$1" >&2
	printf 'lib.bash: run through the sandbox: prove --exec "tests/sandbox bats --tap" %s\n' \
		"${BATS_TEST_FILENAME:-FILE}" >&2
	exit 1
}
[[ ${NSNET_SANDBOX:-} == 1 ]] || _lib_refuse "NSNET_SANDBOX is not set (not inside tests/sandbox)"
[[ $(readlink /proc/self/ns/net) != "$(readlink /proc/1/ns/net)" ]] ||
	_lib_refuse "this is the machine's own network namespace"
[[ $(readlink /proc/self/ns/mnt) != "$(readlink /proc/1/ns/mnt)" ]] ||
	_lib_refuse "this is the machine's own mount namespace"
[[ $(findmnt -n -o FSTYPE --mountpoint /run 2>/dev/null) == tmpfs ]] ||
	_lib_refuse "/run is not the sandbox's tmpfs"

# --- binaries under test ----------------------------------------------------
NSNET=$(realpath -m "${NSNET:-$BATS_TEST_DIRNAME/../../build/nsnet}")
NLTOOL=$(realpath -m "${NLTOOL:-$BATS_TEST_DIRNAME/../../build/tests/nltool}")
NSNET_WRAP=${NSNET_WRAP:-}
export NSNET NLTOOL NSNET_WRAP

# Sanitizer reports go to files so that an ASan/UBSan exit (status 1 by
# default) can never pass for an expected "exit 1". exitcode=97 makes it
# visible in $status as well.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$BATS_RUN_TMPDIR/asan:detect_leaks=1:exitcode=97"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1:log_path=$BATS_RUN_TMPDIR/ubsan:exitcode=97"

# _wrapped BIN ARGS...: run BIN under $NSNET_WRAP. Under valgrind each process
# logs to $BATS_TEST_TMPDIR/vg.PID, checked by common_teardown.
# VALGRIND_EVERY=N (make test sets 8, to stay in its time budget) wraps the
# first call of every test and every N-th after it; make test-long wraps all.
# The count lives in a file: `run` calls in a subshell.
_wrapped() {
	local -a wrap
	read -r -a wrap <<<"$NSNET_WRAP"
	if [[ $NSNET_WRAP == *valgrind* ]]; then
		local dir=${BATS_TEST_TMPDIR:-$BATS_RUN_TMPDIR} every=${VALGRIND_EVERY:-1} n=0
		if ((every > 1)); then
			n=$(cat "$dir/valgrind-calls" 2>/dev/null || echo 0)
			echo $((n + 1)) >"$dir/valgrind-calls"
		fi
		if ((n % every)); then
			wrap=()
		else
			wrap+=("--log-file=$dir/vg.%p")
		fi
	fi
	"${wrap[@]}" "$@"
}
nsnet() { _wrapped "$NSNET" "$@"; }
nltool() { _wrapped "$NLTOOL" "$@"; }
# So that `timeout 5 bash -c 'nsnet ...'` and pipelines in bash -c work too.
export -f _wrapped nsnet nltool

require_nsnet() {
	[[ -x $NSNET ]] || fail "nsnet binary not found at $NSNET (build it first, or set NSNET)"
}
require_nltool() {
	[[ -x $NLTOOL ]] || fail "nltool binary not found at $NLTOOL (build it first, or set NLTOOL)"
}

# valgrind_skip N: true when under valgrind and N is not a multiple of 8. Loops
# over the whole malformed corpus sample it under valgrind (the parser's error
# paths are covered whole by the plain and ASan passes and by fuzzing).
valgrind_skip() { [[ $NSNET_WRAP == *valgrind* ]] && (($1 % 8)); }

# --- assertions ---------------------------------------------------------------
fail() {
	printf '%s\n' "$*" >&2
	return 1
}

# assert_status N: after `run`, fail unless the command exited N; shows output.
assert_status() {
	local want=$1
	if [[ $status -ne $want ]]; then
		printf 'command: %s\nexpected exit status %s, got %s\noutput:\n%s\n' \
			"$BATS_RUN_COMMAND" "$want" "$status" "$output" >&2
		[[ -z ${stderr-} ]] || printf 'stderr:\n%s\n' "$stderr" >&2
		return 1
	fi
}

# assert_output_contains STR: after `run`, $output must contain STR.
assert_output_contains() {
	if [[ $output != *"$1"* ]]; then
		printf 'command: %s\nexpected output to contain: %s\noutput:\n%s\n' \
			"$BATS_RUN_COMMAND" "$1" "$output" >&2
		return 1
	fi
}

# assert_output_matches ERE: after `run`, $output must match the regex.
assert_output_matches() {
	if ! [[ $output =~ $1 ]]; then
		printf 'command: %s\nexpected output to match /%s/\noutput:\n%s\n' \
			"$BATS_RUN_COMMAND" "$1" "$output" >&2
		return 1
	fi
}

# assert_json FILTER [JSON]: jq -e FILTER on JSON (default $output).
assert_json() {
	local filter=$1 json=${2-$output}
	if ! jq -e "$filter" >/dev/null 2>&1 <<<"$json"; then
		printf 'jq -e failed: %s\non:\n%s\n' "$filter" "$json" >&2
		return 1
	fi
}

# wait_until TIMEOUT_S CMD...: poll CMD every 50 ms until it succeeds.
wait_until() {
	local timeout=$1
	shift
	local deadline=$((SECONDS + timeout + 1))
	until "$@"; do
		if ((SECONDS >= deadline)); then
			printf 'timed out after %ss waiting for: %s\n' "$timeout" "$*" >&2
			return 1
		fi
		sleep 0.05
	done
}

# --- small facts used by tests ---------------------------------------------------
# mount_fstype PATH: filesystem type of the mount whose mountpoint is PATH
# (the last one if stacked), empty when PATH is not a mountpoint.
mount_fstype() {
	awk -v mp="$1" '$5 == mp { for (i = 7; $i != "-"; i++); t = $(i + 1) } END { print t }' \
		/proc/self/mountinfo
}
is_netns_mount() { [[ $(mount_fstype "$1") == nsfs ]]; }

# netns_inode NAME: inode of the network namespace bound at /run/netns/NAME.
netns_inode() { stat -L -c %i "/run/netns/$1"; }

# --- leak check ---------------------------------------------------------------
# Forks are slow here, so one `ip -batch` per namespace and one jq per snapshot.
_SNAP_IP_CMDS=(link addr route rule)
_SNAP_IP_BATCH=$'link show\naddr show\nroute show table all\nrule show\n'

# _snap_ip LABEL [-n NS]: "LABEL.what<TAB>json" lines for link, addr, route
# (all tables and families) and rule, in the host or in namespace NS.
_snap_ip() {
	local label=$1 out i=0 line
	shift
	out=$(ip "$@" -j -d -batch - <<<"$_SNAP_IP_BATCH" 2>&1) ||
		printf '%s\tERROR %s\n' "$label.ip" "${out//$'\n'/ }"
	while IFS= read -r line; do
		printf '%s\t%s\n' "$label.${_SNAP_IP_CMDS[i++]:-extra}" "$line"
	done <<<"$out"
}

# One jq for the whole snapshot: every JSON array becomes one sorted
# ["label", element] line; volatile fields (counters, lifetimes, every
# *_timer of bridges and bridge ports) and nft's metainfo are dropped.
_SNAP_JQ='
def canon: walk(if type == "object" then
	del(.stats, .stats64, .valid_life_time, .preferred_life_time, .expires,
	    .used, .confirmed, .updated, .probes)
	| with_entries(select(.key | endswith("_timer") | not))
	else . end);
(index("\t")) as $i | .[:$i] as $l | .[$i + 1:] as $j
| if $j == "" then empty
  elif ($j | startswith("ERROR ")) then [$l, $j]
  else (try ($j | fromjson) catch null) as $v
  | if $v == null then [$l, "UNPARSABLE " + $j]
    elif $l == "nft" then ($v.nftables[]? | select(has("metainfo") | not) | canon | [$l, .])
    elif ($v | type) == "array" then ($v[] | canon | [$l, .])
    else [$l, ($v | canon)] end
  end'

# snapshot FILE: canonical, sorted text of everything a test could leak: links,
# addresses, routes and rules of the host and of every namespace in
# /run/netns, the host's nsids, nft ruleset, forwarding/rp_filter sysctls,
# the entries of /run/netns, /run/nsnet and /etc/netns, and mountpoints under
# /run/netns/, /etc and /sys. (/run/netns itself becoming a mountpoint is not
# a leak: iproute2 and nsnet make it one once and never undo it.)
snapshot() {
	local f v line mp fstype rest
	local -a nsmounts=()
	{
		# Mount table, read without forking: field 5 is the mountpoint, the
		# filesystem type follows the " - " separator.
		while IFS= read -r line; do
			read -r _ _ _ _ mp _ <<<"$line"
			rest=${line#* - }
			fstype=${rest%% *}
			case $mp in
			/run/netns/*)
				echo "mount $mp"
				[[ $fstype != nsfs ]] || nsmounts+=("${mp#/run/netns/}")
				;;
			/etc | /etc/* | /sys | /sys/*) echo "mount $mp" ;;
			esac
		done </proc/self/mountinfo
		for f in net/ipv4/ip_forward net/ipv6/conf/all/forwarding \
			net/ipv4/conf/all/rp_filter net/ipv4/conf/default/rp_filter; do
			read -r v <"/proc/sys/$f" || v=ERROR
			echo "sysctl $f=$v"
		done
		# IPv6 forwarding and RAs of every host interface (an uplink's are the
		# host's: down gives back what it changed).
		for f in /proc/sys/net/ipv6/conf/*/force_forwarding /proc/sys/net/ipv6/conf/*/accept_ra; do
			[[ -e $f ]] || continue
			read -r v <"$f" 2>/dev/null || continue # its link went meanwhile
			echo "sysctl ${f#/proc/sys/}=$v"
		done
		# Directory entries: name, type (f, d, l...) and symlink target.
		find /run/netns -mindepth 1 -maxdepth 1 -printf 'run-netns %f %y %l\n' 2>&1
		find /run/nsnet -mindepth 1 -printf 'run-nsnet %P %y %l\n' 2>&1
		[[ ! -e /etc/netns ]] || find /etc/netns -printf 'etc-netns %P %y %l\n' 2>&1
		{
			_snap_ip host
			printf 'host.rule6\t%s\n' "$(ip -j -6 rule show 2>&1)"
			printf 'host.nsid\t%s\n' "$(ip -j netns list-id 2>/dev/null)"
			! command -v nft >/dev/null ||
				printf 'nft\t%s\n' "$(nft -j list ruleset 2>&1)"
			for f in "${nsmounts[@]}"; do
				_snap_ip "ns[$f]" -n "$f"
			done
		} | jq -RcS "$_SNAP_JQ"
	} | LC_ALL=C sort >"$1"
}

# leak_diff BEFORE [HOST]: snapshot now and compare with BEFORE, polling for up to
# ~5 s because namespace teardown in the kernel is asynchronous (the host end of
# a veth whose peer was in a deleted namespace goes away a little later). With
# HOST, on that host (see host_start below).
leak_diff() {
	local before=$1 host=${2:-} after=$BATS_TEST_TMPDIR/after${2:+-$2} tries=0
	while :; do
		if [[ -n $host ]]; then
			host_snapshot "$host" "$after"
		else
			snapshot "$after"
		fi
		diff -q "$before" "$after" >/dev/null && return 0
		((++tries < ${LEAK_TRIES:-50})) || break
		sleep 0.1
	done
	echo "LEAK CHECK FAILED${host:+ on host $host}: state after the test differs from before (- before, + after):" >&2
	diff -u "$before" "$after" >&2
	return 1
}

# _vg_report FILE: valgrind log minus the fd report of descriptors merely
# inherited from the test harness (bats keeps several open).
_vg_report() {
	sed -E 's/^==[0-9]+== ?//' "$1" | awk '
		/^FILE DESCRIPTORS: [0-9]+ open/ { next }
		/^Open file descriptor [0-9]+:/ {
			hdr = $0
			if ((getline line) > 0 && line ~ /<inherited from parent>/) next
			print hdr; print line; next
		}
		/^[[:space:]]*$/ { next }
		{ print }'
}

# check_tool_reports: fail if valgrind or a sanitizer reported anything.
check_tool_reports() {
	local f rc=0 rep
	shopt -s nullglob
	for f in "${BATS_TEST_TMPDIR:-/nonexistent}"/vg.*; do
		rep=$(_vg_report "$f")
		if [[ -n $rep ]]; then
			printf 'VALGRIND REPORT (%s):\n%s\n' "${f##*/}" "$rep" >&2
			rc=1
		fi
	done
	# Sanitizer logs are per run: report and move them aside so that the
	# next test does not fail for this one's report.
	for f in "$BATS_RUN_TMPDIR"/asan.* "$BATS_RUN_TMPDIR"/ubsan.*; do
		printf 'SANITIZER REPORT (%s):\n' "${f##*/}" >&2
		cat "$f" >&2
		mkdir -p "$BATS_RUN_TMPDIR/reported"
		mv "$f" "$BATS_RUN_TMPDIR/reported/${BATS_TEST_NUMBER:-0}.${f##*/}"
		rc=1
	done
	shopt -u nullglob
	return "$rc"
}

common_setup() {
	require_nsnet
	snapshot "$BATS_TEST_TMPDIR/before"
}

common_teardown() {
	local rc=0
	if declare -F cleanup_test >/dev/null; then
		cleanup_test || { echo "cleanup_test failed (status $?)" >&2; rc=1; }
	fi
	check_tool_reports || rc=1
	if [[ -f $BATS_TEST_TMPDIR/before ]]; then
		leak_diff "$BATS_TEST_TMPDIR/before" || rc=1
	fi
	return "$rc"
}

setup() { common_setup; }
teardown() { common_teardown; }

# --- servers and clients that say who they saw ------------------------------------
# Used by forward.bats and ipv6.bats; a test using serve sets PIDS=() in its
# setup and kills "${PIDS[@]}" in its cleanup_test.
# serve NS PROTO PORT WORD [BIND]: a server in NS ("-": the host) that reads a
# line and answers "WORD got LINE from CLIENT-ADDRESS". PROTO is TCP, TCP6,
# UDP or UDP6 (socat's); BIND an address to bind to.
serve() {
	local ns=$1 proto=$2 port=$3 word=$4 bind=${5:+,bind=$5} how=LISTEN
	local -a cmd=(socat -T2)
	[[ $proto != UDP* ]] || how=RECVFROM
	[[ $proto != *6 ]] || bind+=,ipv6only=1
	cmd+=("$proto-$how:$port,fork,reuseaddr$bind"
		SYSTEM:"read -r l; echo $word got \$l from \$SOCAT_PEERADDR")
	if [[ $ns == - ]]; then
		"${cmd[@]}" </dev/null >/dev/null 2>&1 3>&- &
	else
		ip netns exec "$ns" "${cmd[@]}" </dev/null >/dev/null 2>&1 3>&- &
	fi
	PIDS+=($!)
	wait_until 5 bound "$ns" "$proto" "$port"
}

bound() {
	local flag=-ltnH
	[[ $2 != UDP* ]] || flag=-lunH
	if [[ $1 == - ]]; then
		ss "$flag" "sport = :$3" | grep -q .
	else
		ip netns exec "$1" ss "$flag" "sport = :$3" | grep -q .
	fi
}

# send NS ADDRESS PORT [PROTO]: "hello" to ADDRESS:PORT from NS ("-": the host), the answer.
send() {
	local -a cmd=(timeout 6 socat -T2 - "${4:-TCP}:$2:$3")
	[[ ${4:-TCP} == UDP* ]] || cmd[-1]+=,connect-timeout=2
	if [[ $1 == - ]]; then
		echo hello | "${cmd[@]}" 2>&1
	else
		echo hello | ip netns exec "$1" "${cmd[@]}" 2>&1
	fi
}

# assert_send NS ADDRESS PORT WANT [PROTO]: send's answer is WANT (a glob).
assert_send() {
	local got
	got=$(send "$1" "$2" "$3" "${5:-TCP}")
	# shellcheck disable=SC2053
	[[ $got == $4 ]] || fail "from ${1/#-/the host} to $2:$3: expected '$4', got '$got'"
}

not_tentative() { [[ -z $(ip -n "$1" -6 addr show tentative) ]]; }
# v6full ADDR: ADDR as socat's SOCAT_PEERADDR gives it ("[2001:0db8:...:0003]").
v6full() { python3 -c 'import ipaddress, sys; print("[" + ipaddress.ip_address(sys.argv[1]).exploded + "]")' "$1"; }

# --- probes and fault sweeps shared by the topology tests ---------------------
# can_ping NS ADDR: ADDR answers from NS ("-": the host). Retried for up to 3 s
# (a first ARP resolution); use cannot_ping for what must not answer.
_ping_once() {
	if [[ $1 == - ]]; then
		ping -c1 -W1 -q "$2" >/dev/null 2>&1
	else
		ip netns exec "$1" ping -c1 -W1 -q "$2" >/dev/null 2>&1
	fi
}
can_ping() {
	wait_until 3 _ping_once "$1" "$2" 2>/dev/null ||
		fail "no answer to ping from ${1/#-/the host} to $2"
}

# cannot_ping NS:ADDR...: none of the pairs gets an answer (pings run in parallel).
cannot_ping() {
	local pair pids=() bad=0 i=0
	local -a pairs=("$@")
	for pair in "${pairs[@]}"; do
		_ping_once "${pair%%:*}" "${pair#*:}" 3>&- &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		if wait "${pids[i]}"; then
			echo "ping from ${pairs[i]%%:*} to ${pairs[i]#*:} was answered (must not be)" >&2
			bad=1
		fi
	done
	return "$bad"
}

# ks N: the K to try, 1..N. Under valgrind every 5th (plus the first and the
# last); with NSNET_SAMPLE_K=S every S-th (the ASan pass of make test, to keep
# it under its time budget: the plain pass always sweeps every K).
ks() {
	local n=$1 k step=${NSNET_SAMPLE_K:-1}
	[[ $NSNET_WRAP == *valgrind* ]] && step=5
	for ((k = 1; k <= n; k++)); do
		((k == 1 || k == n || k % step == 0)) && echo "$k"
	done
	return 0
}

# --- the tutorial's outside LAN ----------------------------------------------
# lan_up [--default-route]: a namespace `lan` behind a veth eth0 on the host,
# made with iproute2 (the tests' scenery, never nsnet), in both families:
#     host: eth0 192.168.1.2/24      <-- veth -->  lan: eth0 192.168.1.3/24
#               2001:db8:1::2/64                             2001:db8:1::3/64
# (IPv6 without DAD, usable at once). With --default-route the host routes
# everything else of IPv4 through the LAN, as a host behind a router does
# (NAT needs somewhere to go).
lan_up() {
	ip netns add lan
	ip link add eth0 type veth peer name eth0 netns lan
	ip addr add 192.168.1.2/24 dev eth0
	ip addr add 2001:db8:1::2/64 dev eth0 nodad
	ip link set eth0 up
	ip -n lan addr add 192.168.1.3/24 dev eth0
	ip -n lan addr add 2001:db8:1::3/64 dev eth0 nodad
	ip -n lan link set eth0 up
	ip -n lan link set lo up
	if [[ ${1:-} == --default-route ]]; then
		ip route add default via 192.168.1.3
	fi
}

# lan_down: whatever is left of it (deleting eth0 takes both ends, even while
# something still holds the namespace).
lan_down() {
	ip link del eth0 2>/dev/null
	! is_netns_mount /run/netns/lan || ip netns del lan
	return 0
}


# --- more than one host --------------------------------------------------------
# Another host (TESTING.md): a nested network + mount namespace started in the
# background from inside the sandbox, with a tmpfs of its own on /run (so its
# own /run/netns and /run/nsnet), entered with nsenter. This sandbox's own
# namespace stays host "a"; HOSTS maps the others' names to their PIDs.
#
#     two hosts:    a eth1 172.31.0.1/24 <-- veth --> b eth1 172.31.0.2/24
#     three hosts:  a, b, c: eth1 172.31.0.{1,2,3}/24, each a veth into the
#                   bridge "wire" of one more host, "wire"
declare -gA HOSTS=()

# host_start NAME: starts host NAME (lo up, forwarding on as nsnet leaves it).
host_start() {
	local name=$1
	unshare --net --mount --propagation private -- bash -c '
		mount -t tmpfs -o mode=0755 none /run
		mkdir -p /run/netns /run/nsnet
		ip link set lo up
		sysctl -qw net.ipv4.ip_forward=1
		: >/run/.nsnet-test-host
		exec sleep infinity' </dev/null >/dev/null 2>&1 3>&- &
	HOSTS[$name]=$!
	wait_until 5 nsenter -t "${HOSTS[$name]}" -m test -e /run/.nsnet-test-host
}

# on_host NAME CMD...: CMD on host NAME ("a": here). CMD may be one of the exported
# functions (nsnet, nltool): it runs through bash there.
on_host() {
	local name=$1
	shift
	if [[ $name == a ]]; then
		"$@"
	else
		nsenter -t "${HOSTS[$name]}" -n -m -- bash -c '"$@"' on_host "$@"
	fi
}

# host_snapshot NAME FILE: the leak check's snapshot, taken on host NAME.
host_snapshot() {
	on_host "$1" bash -c "$(declare -f snapshot _snap_ip; declare -p _SNAP_IP_CMDS \
		_SNAP_IP_BATCH _SNAP_JQ); snapshot \"\$1\"" host_snapshot "$2"
}

# wire_two [FAMILY]: hosts a and b joined by eth1; FAMILY 6 adds fd31::1/64 and fd31::2/64.
wire_two() {
	ip link add eth1 type veth peer name eth1 netns "${HOSTS[b]}"
	_wire_addr a 1 "${1:-4}"
	_wire_addr b 2 "${1:-4}"
	wire_ready a b
}

# wire_ready HOST...: eth1 of each has its carrier. Right after a wire comes up it
# reads NO-CARRIER for a moment, while traffic already flows; a baseline taken then
# would differ from any later snapshot.
wire_ready() {
	local h
	for h in "$@"; do
		wait_until 5 _wire_up "$h"
	done
}
_wire_up() {
	[[ $(on_host "$1" ip -j link show eth1 |
		jq -r '.[0] | .operstate == "UP" and (.flags | index("NO-CARRIER") | not)') == true ]]
}

# wire_three: hosts a, b and c, each by its eth1 on the bridge of host "wire".
wire_three() {
	local h i=1 w
	host_start wire
	w=${HOSTS[wire]}
	on_host wire ip link add wire type bridge
	on_host wire ip link set wire up
	for h in a b c; do
		if [[ $h == a ]]; then
			ip link add eth1 type veth peer name "to-$h" netns "$w"
		else
			on_host wire ip link add "to-$h" type veth peer name eth1 netns "${HOSTS[$h]}"
		fi
		on_host wire ip link set "to-$h" master wire up
		_wire_addr "$h" "$i" 4
		i=$((i + 1))
	done
	wire_ready a b c
}

# No link-local address: its DAD would change the snapshot a baseline is taken of.
_wire_addr() {
	on_host "$1" ip link set eth1 addrgenmode none
	on_host "$1" ip addr add "172.31.0.$2/24" dev eth1
	[[ $3 != 6 ]] || on_host "$1" ip addr add "fd31::$2/64" dev eth1 nodad
	on_host "$1" ip link set eth1 up
}

# hosts_stop: every host started, by its PID; this host's end of the wire.
hosts_stop() {
	local name
	ip link del eth1 2>/dev/null
	for name in "${!HOSTS[@]}"; do
		kill "${HOSTS[$name]}" 2>/dev/null
		wait "${HOSTS[$name]}" 2>/dev/null
	done
	HOSTS=()
	return 0
}
