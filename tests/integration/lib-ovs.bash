# tests/integration/lib-ovs.bash: Open vSwitch for a test (`load lib`, then `load lib-ovs`).
#
# ovs_start starts ovsdb-server and ovs-vswitchd from a fresh database under
# the sandbox's /run/openvswitch (a tmpfs: nothing reaches the machine's), as
# children of the test shell, in the foreground of their own (no --detach), so
# the test holds their PIDs; ovs_stop stops them. The machine's own
# openvswitch-switch service is never started, asked or stopped.
#
# /run/openvswitch is also the default run directory of ovs-vsctl, ovs-appctl
# and ovsdb-client, so those find the test's daemons without options.
#
# Stopping: `ovs-appctl exit --cleanup` makes ovs-vswitchd delete its bridges'
# internal ports (taps); SIGTERM would leave them behind. Then by PID, if a
# daemon did not go.

OVS_DIR=/run/openvswitch
OVS_SOCK=$OVS_DIR/db.sock
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
OVSDB_PID=
OVS_VSWITCHD_PID=
export OVS_RUNDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR

require_ovs() {
	local b
	for b in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-appctl ovsdb-client; do
		command -v "$b" >/dev/null ||
			fail "$b not found: install openvswitch-switch (scripts/install-deps test)"
	done
	[[ -r $OVS_SCHEMA ]] || fail "no OVSDB schema at $OVS_SCHEMA"
}

# Refuses anything but the sandbox's own tmpfs /run (lib.bash checked it at load; again here,
# because a daemon started outside would be the machine's).
_ovs_guard() {
	[[ ${NSNET_SANDBOX:-} == 1 && $(findmnt -n -o FSTYPE --mountpoint /run) == tmpfs ]] ||
		fail "lib-ovs: refusing to start Open vSwitch outside tests/sandbox"
}

# ovs_start [--no-vswitchd]: a fresh database, ovsdb-server, and (unless told) ovs-vswitchd,
# which has applied its configuration once before this returns.
ovs_start() {
	_ovs_guard || return 1
	require_ovs || return 1
	[[ -z $OVSDB_PID ]] || fail "ovs_start: already started" || return 1
	mkdir -p "$OVS_DIR"
	rm -f "$OVS_DIR"/conf.db "$OVS_DIR"/.conf.db.~lock~
	ovsdb-tool create "$OVS_DIR/conf.db" "$OVS_SCHEMA" || return 1
	# 3>&-: bats waits for whoever holds its output descriptor.
	ovsdb-server "$OVS_DIR/conf.db" --remote="punix:$OVS_SOCK" \
		--unixctl="$OVS_DIR/ovsdb-server.ctl" --pidfile="$OVS_DIR/ovsdb-server.pid" \
		--log-file="$OVS_DIR/ovsdb-server.log" -vconsole:off \
		</dev/null >>"$OVS_DIR/ovsdb-server.out" 2>&1 3>&- &
	OVSDB_PID=$!
	wait_until 5 test -S "$OVS_SOCK" || return 1
	ovs-vsctl --no-wait init || return 1
	[[ ${1:-} == --no-vswitchd ]] || ovs_start_vswitchd
}

# ovs_start_vswitchd: ovs-vswitchd, waited for until it holds the database and applied a
# change (cur_cfg caught up with a raised next_cfg).
ovs_start_vswitchd() {
	local next
	[[ -z $OVS_VSWITCHD_PID ]] || fail "ovs_start_vswitchd: already started" || return 1
	ovs-vswitchd "unix:$OVS_SOCK" --unixctl="$OVS_DIR/ovs-vswitchd.ctl" \
		--pidfile="$OVS_DIR/ovs-vswitchd.pid" --log-file="$OVS_DIR/ovs-vswitchd.log" \
		-vconsole:off </dev/null >>"$OVS_DIR/ovs-vswitchd.out" 2>&1 3>&- &
	OVS_VSWITCHD_PID=$!
	next=$(($(ovs-vsctl get Open_vSwitch . next_cfg) + 1))
	ovs-vsctl --no-wait set Open_vSwitch . next_cfg="$next" || return 1
	ovs-vsctl --timeout=10 wait-until Open_vSwitch . cur_cfg="$next"
}

# _ovs_reap PID TIMEOUT_S: waits for the child to exit; SIGKILL after TIMEOUT_S.
_ovs_reap() {
	local pid=$1 i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "lib-ovs: PID $pid did not exit, killing it" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# ovs_stop_vswitchd: ovs-vswitchd exits and removes its taps.
ovs_stop_vswitchd() {
	[[ -n $OVS_VSWITCHD_PID ]] || return 0
	kill -CONT "$OVS_VSWITCHD_PID" 2>/dev/null # in case a test stopped it
	timeout 10 ovs-appctl -t "$OVS_DIR/ovs-vswitchd.ctl" exit --cleanup >/dev/null 2>&1 ||
		kill -TERM "$OVS_VSWITCHD_PID" 2>/dev/null
	_ovs_reap "$OVS_VSWITCHD_PID" 10
	OVS_VSWITCHD_PID=
}

# ovs_stop: both daemons, then their directory.
ovs_stop() {
	ovs_stop_vswitchd
	if [[ -n $OVSDB_PID ]]; then
		timeout 10 ovs-appctl -t "$OVS_DIR/ovsdb-server.ctl" exit >/dev/null 2>&1 ||
			kill -TERM "$OVSDB_PID" 2>/dev/null
		_ovs_reap "$OVSDB_PID" 10
		OVSDB_PID=
	fi
	rm -rf "$OVS_DIR"
}

# ovs_dump: every row of the database as one sorted JSON line, volatile columns aside (what
# ovs-vswitchd rewrites as it runs: counters, status, link state, the cfg sequence numbers),
# for before/after comparisons.
OVS_VOLATILE='["next_cfg", "cur_cfg", "statistics", "status", "datapath_version", "rstp_status",
	"rstp_statistics", "link_state", "link_resets", "link_speed", "duplex", "admin_state",
	"mac_in_use", "ifindex", "mtu", "lacp_current"]'
ovs_dump() {
	ovsdb-client -f json dump "unix:$OVS_SOCK" Open_vSwitch |
		jq -cS --argjson vol "$OVS_VOLATILE" 'select(.caption?) | .caption as $c
			| .headings as $h | .data[] | [$h, .] | transpose
			| map({(.[0]): .[1]}) | add | with_entries(select(.key | IN($vol[]) | not))
			| {table: $c} + .' | LC_ALL=C sort
}
