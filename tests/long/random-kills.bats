#!/usr/bin/env bats
# make test-long: SIGKILL at random moments of up and down (real timing, not
# the injection knob), each followed by down and the leak check; and the
# concurrency test of reliability.bats, repeated.
#
#   prove -v --exec "tests/sandbox bats --tap" tests/long/random-kills.bats
#
# KILLS (default 200) kills in all; the seed is printed so a failure can be
# replayed (SEED=...).

load ../integration/lib

TUTORIAL=$BATS_TEST_DIRNAME/../../examples/tutorial.yaml

setup() {
	sysctl -qw net.ipv4.ip_forward=1
	common_setup
}

cleanup_test() {
	"$NSNET" down tutorial >/dev/null 2>&1
	return 0
}

# kill_after_us US CMD...: runs CMD, SIGKILLs it after US microseconds if still running.
kill_after_us() {
	local us=$1 pid
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%06d' "$us")"
	kill -9 "$pid" 2>/dev/null || true # it may have finished already
	wait "$pid" 2>/dev/null || true
	return 0
}

@test "random kills during up and down, each followed by down and the leak check" {
	local kills=${KILLS:-200} seed=${SEED:-$RANDOM} i us killed=0
	RANDOM=$seed
	echo "# seed $seed, $kills kills" >&3
	# How long a whole up takes here bounds the useful range of kill times.
	local t0 t1 span
	t0=$(date +%s%6N)
	"$NSNET" up "$TUTORIAL" >/dev/null
	t1=$(date +%s%6N)
	"$NSNET" down tutorial >/dev/null
	span=$(((t1 - t0) * 12 / 10))
	((span > 1000)) || span=1000
	echo "# a clean up takes $(((t1 - t0) / 1000)) ms; kills land in 0..$((span / 1000)) ms" >&3
	for ((i = 1; i <= kills; i++)); do
		us=$(((RANDOM * 32768 + RANDOM) % span))
		if ((i % 2)); then
			kill_after_us "$us" "$NSNET" up "$TUTORIAL"
		else
			"$NSNET" up "$TUTORIAL" >/dev/null || fail "kill $i: up after kills failed"
			kill_after_us "$us" "$NSNET" down tutorial
		fi
		killed=$((killed + 1))
		if ((i % 10 == 0)); then
			# Every tenth: a full up must reach the wanted state first.
			run "$NSNET" up "$TUTORIAL"
			[[ $status -eq 0 ]] || fail "kill $i (after ${us}us): up failed: $output"
			ip netns exec red ping -c1 -W1 192.168.15.2 >/dev/null || fail "kill $i: no ping"
		fi
		run "$NSNET" down tutorial
		[[ $status -eq 0 ]] || fail "kill $i (after ${us}us): down failed: $output"
		leak_diff "$BATS_TEST_TMPDIR/before" || fail "kill $i (after ${us}us, seed $seed): leak"
	done
	echo "# $killed kills, zero leaks" >&3
}
