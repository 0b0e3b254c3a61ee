#!/bin/sh
# SPDX-License-Identifier: MIT
# run-fuzz.sh HARNESS SECONDS CORPUS REGRESSIONS: first every regression
# input once (each crashed a harness before its fix), then HARNESS for
# SECONDS over a scratch copy of the seed corpus (the committed corpus is
# never written). Fails on any crash, leak or sanitizer report, and then
# prints where the input that caused it was left.
set -u
harness=$1 seconds=$2 corpus=$3 regressions=$4
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
name=$(basename "$harness")

if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions" 2>/dev/null)" ]; then
	"$harness" -runs=0 "$regressions"/* >"$work/regressions.log" 2>&1 || {
		tail -n 40 "$work/regressions.log"
		echo "$name: a regression input crashes it again ($regressions)"
		exit 1
	}
fi

mkdir -p "$work/corpus" "$work/crash"
cp "$corpus"/* "$work/corpus/"
"$harness" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 \
	-artifact_prefix="$work/crash/" "$work/corpus" >"$work/fuzz.log" 2>&1
status=$?
grep -E '^(#[0-9]+ *DONE|Done [0-9]+ runs)' "$work/fuzz.log" | tail -n 1
if [ $status -ne 0 ]; then
	tail -n 40 "$work/fuzz.log"
	keep=${TMPDIR:-/tmp}/$name-crash.$$
	cp -r "$work/crash" "$keep"
	echo "$name: crashed (status $status); inputs left in $keep"
	exit 1
fi
