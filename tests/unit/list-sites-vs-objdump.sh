#!/bin/sh
# SPDX-License-Identifier: MIT
# --list-sites against an independent disassembler: for each file, the set
# of syscall instruction addresses the loader reports (decoding only the
# functions around each 0f 05) must equal the set objdump finds by
# disassembling every executable section from end to end.
set -u
loader=$1; shift
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$@"; do
	[ -r "$f" ] || { echo "skip $f (absent)"; continue; }
	objdump -d --no-show-raw-insn "$f" |
		awk '/\tsyscall *$/ { sub(":", "", $1); sub("^0+", "", $1); print $1 }' |
		sort >"$tmp/want"
	"$loader" --list-sites "$f" >"$tmp/out" 2>"$tmp/err"
	status=$?
	awk '/^0x/ { a = substr($1, 3); sub("^0+", "", a); print a }' "$tmp/out" | sort >"$tmp/got"
	if [ $status -ne 0 ] || ! cmp -s "$tmp/want" "$tmp/got"; then
		echo "FAIL $f: status $status, objdump $(wc -l <"$tmp/want") sites, loader $(wc -l <"$tmp/got")"
		diff "$tmp/want" "$tmp/got" | head -10
		cat "$tmp/err"
		fail=1
	else
		echo "ok   $f: $(wc -l <"$tmp/got") sites; $(tail -n 1 "$tmp/out")"
	fi
done
exit $fail
