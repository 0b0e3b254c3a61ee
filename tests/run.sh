#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's test command. Installs the Debian packages that building and
# testing need (only the missing ones; that part needs root), configures and
# builds in ./build, runs every suite, and ends with the line
# "N passed, N failed, N skipped" that CI reads.
set -u
cd "$(dirname "$0")/.." || exit 1
build=${BUILD_DIR:-build}

packages="meson ninja-build gcc libc6-dev linux-libc-dev libcapstone-dev binutils python3 cppcheck
clang-format gdb clang libclang-rt-14-dev"
for list in tests/*/packages.txt; do
	[ -f "$list" ] && packages="$packages $(grep -v '^#' "$list")"
done
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing ||
		{ echo "cannot install:$missing"; echo "0 passed, 1 failed"; exit 1; }
fi

# meson looks for optional tools (musl-gcc, ...) when it configures: a
# build configured before they were installed (the README's first
# command) is configured again, so that no test is skipped for a tool
# that is there now.
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build"
elif [ -n "$missing" ]; then
	meson setup --reconfigure "$build"
fi && ninja -C "$build" || { echo "0 passed, 1 failed (build)"; exit 1; }

# meson's own status, not tee's (sh has no pipefail).
{ meson test -C "$build" --print-errorlogs --num-processes 2; echo $? >"$build/test-status"; } |
	tee "$build/test-summary.txt"
status=$(cat "$build/test-status")
count() { sed -n "s/^$1: *\([0-9]*\).*/\1/p" "$build/test-summary.txt" | tail -n 1; }
ok=$(count 'Ok') xfail=$(count 'Expected Fail') fail=$(count 'Fail')
xpass=$(count 'Unexpected Pass') skipped=$(count 'Skipped') timeout=$(count 'Timeout')
passed=$(( ${ok:-0} + ${xfail:-0} ))
failed=$(( ${fail:-0} + ${xpass:-0} + ${timeout:-0} ))
[ "$status" -ne 0 ] && [ $failed -eq 0 ] && failed=1
[ $passed -eq 0 ] && [ $failed -eq 0 ] && failed=1 # nothing ran
echo "$passed passed, $failed failed, ${skipped:-0} skipped"
[ $failed -eq 0 ]
