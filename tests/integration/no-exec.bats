#!/usr/bin/env bats
# nsnet never runs ip, iptables or nft: it talks netlink itself. The only
# programs it ever executes are the user's command in `nsnet exec` and, in
# nsnet-cni, the IPAM plugin a CNI configuration delegates to (cni.bats
# straces both that and a run without delegation).
#
# Two oracles: the source (no system/popen/exec* outside cmd-exec.c and
# cni-delegate.c) and the kernel (strace of execve/fork across real runs).

load lib

SRC=$BATS_TEST_DIRNAME/../../src

@test "no system(), popen() or exec*() in src/ except nsnet exec's execvp and the CNI delegation" {
	run grep -rnE '\b(system|popen|execl|execlp|execle|execv|execve|execvp|execvpe|fexecve|posix_spawnp?|fork|vfork)[[:space:]]*\(' "$SRC"
	# grep exits 1 when nothing matched; anything matched must be the one execvp.
	local line
	while IFS= read -r line; do
		[[ -z $line ]] && continue
		[[ $line == */src/cli/cmd-exec.c:*execvp\(argv\ +\ i* || $line == */src/cli/cmd-exec.c:*execvp\(argv\[i\],* ]] ||
			[[ $line == */src/cni/cni-delegate.c:*'(pid = fork())'* ||
				$line == */src/cni/cni-delegate.c:*'execve(path, argv, env);'* ]] ||
			fail "unexpected process creation in src/: $line"
	done <<<"$output"
	[[ $output == *cmd-exec.c* ]] || fail "the execvp of nsnet exec was not found: is this grep still right?"
	[[ $(grep -c cni-delegate.c <<<"$output") == 2 ]] ||
		fail "the fork and execve of the CNI delegation were not found: is this grep still right?"
}

# LeakSanitizer cannot run under ptrace; leaks are checked by every other test.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# strace_execs CMD...: the programs CMD executes (argv[0] of every execve), one a line.
strace_execs() {
	local log=$BATS_TEST_TMPDIR/strace.log
	strace -f -qq -o "$log" -e trace=execve,execveat "$@" >/dev/null 2>&1 || true
	sed -nE 's/^[0-9]+ +execve(at)?\((AT_FDCWD, )?"([^"]+)".*/\3/p' "$log"
}

@test "ns add, show, ns list, ns del execute nothing but nsnet itself (strace)" {
	command -v strace >/dev/null || fail "strace is not installed"
	local execs
	execs=$(strace_execs "$NSNET" ns add noexec1)
	[[ $execs == "$NSNET" ]] || fail "ns add executed: $execs"
	execs=$(strace_execs "$NSNET" show noexec1 --json)
	[[ $execs == "$NSNET" ]] || fail "show executed: $execs"
	execs=$(strace_execs "$NSNET" ns list --json)
	[[ $execs == "$NSNET" ]] || fail "ns list executed: $execs"
	execs=$(strace_execs "$NSNET" ns del noexec1)
	[[ $execs == "$NSNET" ]] || fail "ns del executed: $execs"
	[[ ! -e /run/netns/noexec1 ]]
}

@test "nsnet exec executes exactly the user's command, in one process" {
	"$NSNET" ns add noexec2
	local log=$BATS_TEST_TMPDIR/strace.log
	strace -f -qq -o "$log" -e trace=execve,clone,clone3,fork,vfork "$NSNET" exec noexec2 -- /bin/true
	run sed -nE 's/^[0-9]+ +execve\("([^"]+)".*/\1/p' "$log"
	[[ $output == "$NSNET"$'\n'/bin/true ]] || fail "executed: $output"
	run grep -cE 'clone|fork' "$log"
	[[ $output == 0 ]] || fail "nsnet exec created processes: $(cat "$log")"
	"$NSNET" ns del noexec2
}
