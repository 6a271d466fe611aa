#!/usr/bin/env bats
# make install's payload (into a DESTDIR, never the machine), the man pages
# against --help, and bash completion.
load lib

ROOT=$BATS_TEST_DIRNAME/../..

@test "install: nsnet, nsnet-cni, the man pages and the completion land where they belong" {
	local d=$BATS_TEST_TMPDIR/dest build man cmd missing=()
	build=$(dirname "$NSNET")
	run meson install -C "$build" --destdir "$d" --no-rebuild
	assert_status 0
	[[ -x $d/usr/local/sbin/nsnet ]] || fail "no sbin/nsnet: $(find "$d" -type f)"
	[[ -x $d/usr/local/sbin/nsnet-cni ]] || fail "no sbin/nsnet-cni"
	# A plugin's file name is its type: "nsnet" in the CNI plugin directory, a link to nsnet-cni.
	[[ -L $d/usr/local/lib/cni/nsnet && $(readlink "$d/usr/local/lib/cni/nsnet") == /usr/local/sbin/nsnet-cni ]] ||
		fail "no lib/cni/nsnet -> /usr/local/sbin/nsnet-cni: $(ls -l "$d/usr/local/lib/cni" 2>&1)"
	[[ -f $d/usr/local/share/man/man8/nsnet.8 ]] || fail "no nsnet.8"
	[[ -f $d/usr/local/share/man/man8/nsnet-cni.8 ]] || fail "no nsnet-cni.8"
	[[ -f $d/usr/local/share/man/man5/nsnet-topology.5 ]] || fail "no nsnet-topology.5"
	[[ -f $d/usr/local/share/man/man3/nsnet.3 ]] || fail "no nsnet.3"
	[[ -f $d/usr/local/share/bash-completion/completions/nsnet ]] || fail "no completion"
	run man -l "$d/usr/local/share/man/man8/nsnet.8"
	assert_status 0
	# The installed nsnet-cni(8) renders, with an entry for every CNI command under COMMANDS.
	man=$(MANWIDTH=200 man -l "$d/usr/local/share/man/man8/nsnet-cni.8" 2>/dev/null | col -bx)
	[[ $man == *NSNET-CNI\(8\)* ]] || fail "man -l nsnet-cni.8 rendered: ${man:0:200}"
	man=$(sed -n '/^COMMANDS$/,/^[A-Z]/p' <<<"$man")
	for cmd in ADD DEL CHECK VERSION STATUS GC; do
		grep -qE "^ {7}$cmd( |$)" <<<"$man" || missing+=("$cmd")
	done
	((${#missing[@]} == 0)) || fail "no entry under COMMANDS of nsnet-cni(8) for: ${missing[*]}"
}

# Every command and every option --help shows must appear in nsnet(8).
@test "man: every command and option of --help is documented in nsnet(8)" {
	local man cmd opt missing=()
	man=$(MANWIDTH=200 man -l "$ROOT/man/nsnet.8" 2>/dev/null | col -b)
	[[ -n $man ]] || fail "man -l rendered nothing"
	for cmd in $("$NSNET" --help | awk '/^Commands:/ { f = 1; next } f && !NF { exit } f { print $1 }'); do
		[[ $man == *"$cmd"* ]] || missing+=("command $cmd")
		local sub=("$cmd")
		[[ $cmd == ns ]] && sub=("ns add" "ns del" "ns list")
		for s in "${sub[@]}"; do
			# shellcheck disable=SC2086
			for opt in $("$NSNET" $s --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
				[[ $man == *"$opt"* ]] || missing+=("$s $opt")
			done
		done
	done
	((${#missing[@]} == 0)) || fail "not in nsnet(8): ${missing[*]}"
}

@test "completion: subcommands, namespaces, topology files and names" {
	source /usr/share/bash-completion/bash_completion
	source "$ROOT/completion/nsnet.bash"
	ip netns add compl-a
	mkdir -p /run/nsnet && echo '{}' >/run/nsnet/compl-topo.json
	cd "$BATS_TEST_TMPDIR" && touch net.yaml other.txt
	complete_words() {
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_nsnet
		printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
	}
	[[ $(complete_words nsnet s) == "show status " ]] || fail "nsnet s: $(complete_words nsnet s)"
	[[ $(complete_words nsnet ns "") == "add del list " ]] || fail "ns: $(complete_words nsnet ns "")"
	[[ $(complete_words nsnet exec compl) == "compl-a " ]] || fail "exec: $(complete_words nsnet exec compl)"
	[[ $(complete_words nsnet up "") == *net.yaml* ]] || fail "up: $(complete_words nsnet up "")"
	[[ $(complete_words nsnet up "") != *other.txt* ]] || fail "up offers non-yaml files"
	[[ $(complete_words nsnet down compl) == "compl-topo " ]] || fail "down: $(complete_words nsnet down compl)"
	[[ $(complete_words nsnet d) == "demo doctor down " ]] || fail "nsnet d: $(complete_words nsnet d)"
	[[ $(complete_words nsnet check compl) == "compl-topo " ]] || fail "check: $(complete_words nsnet check compl)"
	[[ $(complete_words nsnet check --t) == "--timeout " ]] || fail "check --t: $(complete_words nsnet check --t)"
	[[ $(complete_words nsnet doctor compl) == "compl-topo " ]] || fail "doctor: $(complete_words nsnet doctor compl)"
	[[ $(complete_words nsnet do) == "doctor down " ]] || fail "nsnet do: $(complete_words nsnet do)"
	[[ $(complete_words nsnet doctor -) == "--help --json " ]] || fail "doctor -: $(complete_words nsnet doctor -)"
	[[ $(complete_words nsnet doctor "") == *"compl-topo"*"net.yaml"* ]] ||
		fail "doctor operands: $(complete_words nsnet doctor "")"
	# Options: exactly what each command's --help lists, no more (nsnet must be on PATH).
	PATH=$(dirname "$NSNET"):$PATH
	local c want got
	for c in up down status check doctor show graph "ns add" "ns del" "ns list"; do
		# shellcheck disable=SC2086
		want=$("$NSNET" $c --help | grep -oE -- '^  -[a-zA-Z], --[a-z][a-z-]*' | sed 's/.*, //' |
			sort | tr '\n' ' ')
		# shellcheck disable=SC2086
		got=$(complete_words nsnet $c -)
		[[ $got == "$want" ]] || fail "nsnet $c -: offers '$got', --help lists '$want'"
	done
	ip netns del compl-a
	rm -f /run/nsnet/compl-topo.json
}
