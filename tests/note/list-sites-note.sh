#!/bin/sh
# SPDX-License-Identifier: MIT
# --list-sites on noted files shows the loader's plan: listed sites and
# hooks tagged, refused entries on stderr, one summary line.
#   list-sites-note.sh LOADER BAD_LIST_PROGRAM LIBNOTED
set -u
loader=$1 bad=$2 lib=$3
fail=0
check() { # name, file, summary wanted, stderr lines wanted
	out=$("$loader" --list-sites "$2" 2>/tmp/list-sites-note.$$)
	status=$?
	lines=$(grep -c 'LibOS site list: entry' /tmp/list-sites-note.$$)
	rm -f /tmp/list-sites-note.$$
	summary=$(printf '%s\n' "$out" | grep '^LibOS site list:')
	if [ $status -ne 0 ] || [ "$summary" != "$3" ] || [ "$lines" -ne "$4" ]; then
		echo "FAIL $1: status $status, summary '$summary' (want '$3'), $lines warnings (want $4)"
		fail=1
	else
		echo "ok   $1: $summary"
	fi
}
# The entries bad-list's list holds (16 bytes each): every one is a listed
# site but the refused ones, whatever the project's libc has inside.
entries() {
	size=$(readelf -SW "$1" | sed -n 's/.* libos_instruction_syscall *[A-Z]* *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) .*/\1/p')
	echo $(( 0x${size:-0} / 16 ))
}
check bad-list "$bad" "LibOS site list: $(( $(entries "$bad") - 4 )) sites listed, 3 hooks, 4 entries refused, 1 sites disassembled" 4
check libnoted "$lib" "LibOS site list: 2 sites listed, 3 hooks, 0 entries refused, 0 sites disassembled" 0
exit $fail
