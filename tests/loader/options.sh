#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line: --help and --version succeed on stdout; a bad option or
# a missing PROGRAM gives one error line, the usage, and status 2; "--"
# ends the options; options after PROGRAM belong to PROGRAM.
set -u
loader=$1
showargs=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A pattern of "" means "must be empty".
matches() { # pattern, file
	if [ -z "$1" ]; then test ! -s "$2"; else grep -qE -- "$1" "$2"; fi
}

expect() { # name, status, stdout-pattern, stderr-pattern, command...
	name=$1 want=$2 out=$3 err=$4
	shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ] || ! matches "$out" "$tmp/out" || ! matches "$err" "$tmp/err"; then
		echo "FAIL $name: status $got (want $want)"
		sed 's/^/  stdout: /' "$tmp/out" | head -5
		sed 's/^/  stderr: /' "$tmp/err" | head -5
		fail=1
	else
		echo "ok   $name"
	fi
}

expect help 0 '^usage: libos-loader' '' "$loader" --help
expect help-short 0 '^usage: libos-loader' '' "$loader" -h
expect version 0 '^libos-loader [0-9]+\.[0-9]+\.[0-9]+' '' "$loader" --version
expect unknown-option 2 '' "^libos-loader: unknown option '--frobnicate'" "$loader" --frobnicate /bin/true
expect no-program 2 '' '^libos-loader: no PROGRAM given' "$loader"
expect only-dashdash 2 '' '^libos-loader: no PROGRAM given' "$loader" --
expect list-sites-needs-file 2 '' "needs a value" "$loader" --list-sites
expect list-sites-missing 127 '' '^libos-loader: /nonexistent: No such file' "$loader" --list-sites /nonexistent
expect list-sites-not-elf 126 '' 'Exec format error' "$loader" --list-sites /etc/passwd
expect dashdash-program 0 '^hello$' '' "$loader" -- /bin/echo hello
expect program-options-are-its-own 0 '^argv\[1\]=\[--help\]$' '' "$loader" "$showargs" --help
expect dash-program-name 127 '' "^libos-loader: -: No such file" "$loader" -
exit $fail
