#!/usr/bin/env bats
# A real runtime: Debian's podman 4.3 (CNI backend) runs containers on the
# README's example network (examples/cni/nsnet.conflist) through nsnet-cni:
#
#     lan 192.168.1.3 --- eth0 192.168.1.2 (host) --- nsbr0 10.89.0.1/16
#                                                       |   ...   |
#                                                      w0   ...  w4   (busybox httpd, -p 808I:80)
#
# Everything of podman's lives under the sandbox's /run: its storage, its
# state, its configuration (/etc/containers in the sandbox's /etc overlay, so
# that `podman container cleanup`, which conmon starts with a minimal
# environment, reads it too), and an image made with `podman import` from
# busybox-static (no registry). podman and everything it starts (conmon, the
# containers, the cleanups) run in a PID and mount namespace of their own
# ("the holder", unshare --pid --fork --kill-child), where /var/lib and
# /var/tmp are the sandbox's and a cgroup2 is mounted for crun (this
# machine's cgroups are hybrid; cgroups = "disabled"); killing the holder at
# the end takes all of them.
#
# Oracles: HTTP from the LAN, from the host (its address, localhost, the
# container's address) and between containers; ip -j, nft -j; the leak
# check: after rm, no bridge, no table, no record, no lease.

load lib
load lib-cni

P=/run/pd

setup_file() {
	local rootfs=$P/rootfs a
	mkdir -p $P/{root,runroot,tmp,net.d,cni-bin,varlib-up,varlib-work} "$rootfs"/{bin,www,tmp,etc}
	cp "$EXAMPLE" $P/net.d/nsnet.conflist
	ln -s "$NSNET_CNI" $P/cni-bin/nsnet
	mkdir -p /etc/containers
	cat >/etc/containers/containers.conf <<EOF
[containers]
cgroups = "disabled"
log_driver = "k8s-file"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[network]
network_backend = "cni"
network_config_dir = "$P/net.d"
cni_plugin_dirs = ["$P/cni-bin"]
default_network = "nsnetnet"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$P/events.log"
tmp_dir = "$P/tmp"
image_copy_tmp_dir = "$P/tmp"
runtime = "crun"
EOF
	cat >/etc/containers/storage.conf <<EOF
[storage]
driver = "vfs"
graphroot = "$P/root"
runroot = "$P/runroot"
EOF
	# The holder: podman's PID and mount namespace (see the top of this file). No
	# descriptor of bats' may stay open in it (bats waits for them all to close).
	(
		for fd in /proc/$BASHPID/fd/*; do
			fd=${fd##*/}
			((fd <= 2)) || eval "exec $fd>&-"
		done
		exec unshare --pid --fork --kill-child --mount-proc bash -c "
			mount -t overlay overlay -o lowerdir=/var/lib,upperdir=$P/varlib-up,workdir=$P/varlib-work /var/lib &&
			mount -t tmpfs -o mode=1777 none /var/tmp &&
			mount -t cgroup2 none /sys/fs/cgroup &&
			touch $P/holder-ready && exec sleep infinity"
	) </dev/null >/dev/null 2>&1 &
	echo $! >$P/holder.pid
	wait_until 10 test -e $P/holder-ready
	# The image: busybox-static's one binary and its applets, a page to serve.
	cp /bin/busybox "$rootfs/bin/busybox"
	for a in $(/bin/busybox --list); do
		[[ -e $rootfs/bin/$a ]] || ln -s busybox "$rootfs/bin/$a"
	done
	echo "hello from a container" >"$rootfs/www/index.html"
	tar -C "$rootfs" -cf $P/busybox.tar .
	pd import -q --change 'CMD ["/bin/sh"]' $P/busybox.tar localhost/busybox:test >/dev/null
}

teardown_file() {
	pd rm -a -f -t 0 >/dev/null 2>&1 || true
	pd rmi -a -f >/dev/null 2>&1 || true
	# The holder's sleep is PID 1 there: its end is the end of everything podman started.
	# (unshare ignores SIGTERM while it waits for its child; --kill-child passes SIGKILL on.)
	kill -KILL "$(cat $P/holder.pid)" 2>/dev/null || true
	wait_until 10 bash -c "! kill -0 $(cat $P/holder.pid) 2>/dev/null"
	rm -f /etc/containers/containers.conf /etc/containers/storage.conf
}

# The holder's main process (unshare's child, PID 1 there).
holder() { pgrep -P "$(cat $P/holder.pid)" | head -1; }

# pd ARGS...: podman inside the holder (without bats' fd 3: conmon would keep it open).
pd() { nsenter -t "$(holder)" -p -m -- podman "$@" 3>&-; }

# in_ctr NAME CMD...: CMD in the network namespace of container NAME.
in_ctr() {
	local pid
	pid=$(pd inspect -f '{{.State.Pid}}' "$1")
	shift
	nsenter -t "$(holder)" -p -m -- nsenter --net="/proc/$pid/ns/net" "$@"
}

# The DEL of a stopped container comes from `podman container cleanup`, run by
# conmon when the container exits, asynchronously: wait for it.
cleanups_done() { ! nsenter -t "$(holder)" -p -m -- pgrep -f 'container cleanup' >/dev/null; }

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
}

cleanup_test() {
	pd rm -a -f -t 0 >/dev/null 2>&1 || true
	wait_until 10 cleanups_done
	lan_down
	[[ -n ${BATS_TEST_COMPLETED:-} ]] || cni_force_clean
	leases_none
}

teardown() { common_teardown; }

http() { curl -sS -m 3 "$@" 2>&1; }

@test "podman 4.3: 5 containers with published ports, reached from the LAN, the host and each other; stop, start, rm" {
	local i ip cip=()
	lan_up
	run pd network ls --format '{{.Name}}'
	assert_output_contains nsnetnet
	for i in 0 1 2 3; do
		pd run -d --init --name "w$i" -p "808$i:80" localhost/busybox:test httpd -f -p 80 -h /www >/dev/null
	done
	# A static address and MAC: podman 4.3 sends them in CNI_ARGS (IP=, MAC=).
	pd run -d --init --name w4 -p 8084:80 --ip 10.89.0.50 --mac-address 0a:58:0a:59:00:32 \
		localhost/busybox:test httpd -f -p 80 -h /www >/dev/null
	for i in 0 1 2 3 4; do
		ip=$(pd inspect -f '{{.NetworkSettings.Networks.nsnetnet.IPAddress}}' "w$i")
		[[ $ip == 10.89.0.* ]] || fail "w$i has address '$ip'"
		cip+=("$ip")
	done
	[[ $(printf '%s\n' "${cip[@]}" | sort -u | wc -l) == 5 ]] || fail "addresses: ${cip[*]}"
	[[ ${cip[4]} == 10.89.0.50 ]] || fail "w4 did not get the address asked for: ${cip[4]}"
	[[ $(in_ctr w4 ip -j link show eth0 | jq -r '.[0].address') == 0a:58:0a:59:00:32 ]] || fail "w4's MAC"
	[[ $(ip -j link show master nsbr0 | jq length) == 5 ]] || fail "not 5 ports on nsbr0"
	for i in 0 1 2 3 4; do
		wait_until 5 bash -c "ip netns exec lan curl -sf -m 1 http://192.168.1.2:808$i/ >/dev/null"
		[[ $(ip netns exec lan curl -sS -m 3 "http://192.168.1.2:808$i/") == "hello from a container" ]] ||
			fail "lan -> 192.168.1.2:808$i"
		[[ $(http "http://127.0.0.1:808$i/") == "hello from a container" ]] || fail "host -> localhost:808$i"
		[[ $(http "http://${cip[i]}/") == "hello from a container" ]] || fail "host -> ${cip[i]}:80"
	done
	# Containers reach each other, by address and through a published port (hairpin for w0 itself).
	[[ $(in_ctr w0 wget -qO- "http://${cip[4]}/" 2>&1) == "hello from a container" ]] || fail "w0 -> w4"
	[[ $(in_ctr w3 wget -qO- "http://10.89.0.1:8081/" 2>&1) == "hello from a container" ]] || fail "w3 -> :8081"
	[[ $(in_ctr w0 wget -qO- "http://192.168.1.2:8080/" 2>&1) == "hello from a container" ]] || fail "w0 -> itself"
	# nsnet check, where podman's namespaces are mounted (the holder's mount namespace).
	run --separate-stderr nsenter -t "$(holder)" -p -m -- "$NSNET" check nsnetnet --json
	assert_status 0
	assert_json '.ok and ([.probes[] | select(.kind == "peer")] | length) == 20
		and ([.probes[] | select(.kind == "forward" and .result == "reached")] | length) == 5'
	# stop: the cleanup's DEL (conmon's minimal environment) removes the attachment.
	pd stop -t 2 w2 >/dev/null
	wait_until 10 cleanups_done
	[[ ! -e /run/nsnet/nsnetnet.cni/$(pd inspect -f '{{.Id}}' w2)@eth0 ]] || fail "w2's record left after stop"
	[[ $(ip -j link show master nsbr0 | jq length) == 4 ]] || fail "w2's veth left after stop"
	! ip netns exec lan curl -sf -m 1 http://192.168.1.2:8082/ >/dev/null || fail "8082 answers after stop"
	pd start w2 >/dev/null
	wait_until 5 bash -c "ip netns exec lan curl -sf -m 1 http://192.168.1.2:8082/ >/dev/null"
	pd rm -f -t 2 w0 w1 w2 w3 w4 >/dev/null
	wait_until 10 cleanups_done
	# Back to the baseline (lib.bash's leak check follows): no port, no element, no record.
	[[ -z $(ip -o link show nsbr0 2>/dev/null) ]] || fail "nsbr0 left after rm"
	[[ -z $(nft list tables | grep nsnet) ]] || fail "the table left after rm"
}
