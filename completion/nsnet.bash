# bash completion for nsnet(8)                          -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-or-later

_nsnet_namespaces()
{
	local f
	for f in /run/netns/*; do
		[[ -e $f && ! -L $f ]] && printf '%s\n' "${f##*/}"
	done
}

_nsnet_topologies()
{
	local f
	for f in /run/nsnet/*.json; do
		[[ -e $f ]] && { f=${f##*/}; printf '%s\n' "${f%.json}"; }
	done
}

_nsnet()
{
	local cur prev words cword
	_init_completion || return

	local commands="ns exec show up down status check doctor demo graph"
	if ((cword == 1)); then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	case ${words[1]} in
	ns)
		if ((cword == 2)); then
			COMPREPLY=($(compgen -W "add del list" -- "$cur"))
		elif [[ ${words[2]} == del || ${words[2]} == delete ]]; then
			COMPREPLY=($(compgen -W "$(_nsnet_namespaces) --force" -- "$cur"))
		elif [[ ${words[2]} == list || ${words[2]} == ls ]]; then
			COMPREPLY=($(compgen -W "--json" -- "$cur"))
		elif [[ ${words[2]} == add ]]; then
			COMPREPLY=($(compgen -W "--no-loopback" -- "$cur"))
		fi
		;;
	exec)
		if ((cword == 2)); then
			COMPREPLY=($(compgen -W "$(_nsnet_namespaces)" -- "$cur"))
		elif ((cword == 3)); then
			COMPREPLY=($(compgen -W "--" -- "$cur") $(compgen -c -- "$cur"))
		else
			_command_offset 3
		fi
		;;
	show)
		COMPREPLY=($(compgen -W "$(_nsnet_namespaces) --json" -- "$cur"))
		;;
	up)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--dry-run --json" -- "$cur"))
		else
			_filedir '@(yaml|yml)'
		fi
		;;
	graph)
		_filedir '@(yaml|yml)'
		;;
	check)
		if [[ $prev == -t || $prev == --timeout ]]; then
			return
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--json --timeout" -- "$cur"))
		else
			_filedir '@(yaml|yml)'
			COMPREPLY+=($(compgen -W "$(_nsnet_topologies)" -- "$cur"))
		fi
		;;
	doctor)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--json" -- "$cur"))
		else
			_filedir '@(yaml|yml)'
			COMPREPLY+=($(compgen -W "$(_nsnet_topologies)" -- "$cur"))
		fi
		;;
	down | status)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--dry-run --json" -- "$cur"))
		else
			_filedir '@(yaml|yml)'
			COMPREPLY+=($(compgen -W "$(_nsnet_topologies)" -- "$cur"))
		fi
		;;
	esac
} &&
	complete -F _nsnet nsnet
