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

# The long options of a command, as its --help lists them (one source of truth).
_nsnet_options()
{
	nsnet "$@" --help 2>/dev/null | grep -oE -- '^  -[a-zA-Z], --[a-z][a-z-]*' | sed 's/.*, //'
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
	local cmd=${words[1]}
	if [[ $cur == -* && $cmd != exec && $cmd != ns ]]; then
		COMPREPLY=($(compgen -W "$(_nsnet_options "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	ns)
		if ((cword == 2)); then
			COMPREPLY=($(compgen -W "add del list" -- "$cur"))
		elif [[ $cur == -* ]]; then
			local sub=${words[2]}
			[[ $sub == delete ]] && sub=del
			[[ $sub == ls ]] && sub=list
			COMPREPLY=($(compgen -W "$(_nsnet_options ns "$sub")" -- "$cur"))
		elif [[ ${words[2]} == del || ${words[2]} == delete ]]; then
			COMPREPLY=($(compgen -W "$(_nsnet_namespaces)" -- "$cur"))
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
		COMPREPLY=($(compgen -W "$(_nsnet_namespaces)" -- "$cur"))
		;;
	up | graph)
		_filedir '@(yaml|yml)'
		;;
	check)
		[[ $prev == -t || $prev == --timeout ]] && return
		_filedir '@(yaml|yml)'
		COMPREPLY+=($(compgen -W "$(_nsnet_topologies)" -- "$cur"))
		;;
	doctor | down | status)
		_filedir '@(yaml|yml)'
		COMPREPLY+=($(compgen -W "$(_nsnet_topologies)" -- "$cur"))
		;;
	esac
} &&
	complete -F _nsnet nsnet
