#!/bin/sh
# SPDX-License-Identifier: MIT
# The lint target: cppcheck over the loader's own code (libc, arch,
# loader, heap), with the project's include paths; any finding fails the run.
set -u
src=$1
build=$2
cppcheck --quiet --enable=warning,style,portability,performance --std=c11 --inline-suppr \
	--error-exitcode=1 --suppress=missingIncludeSystem \
	-I "$src/libc/include" -I "$src/arch/x86_64" -I "$src/loader" -I "$src/heap" -I "$build/include" \
	"$src/libc" "$src/arch" "$src/loader" "$src/heap"
status=$?
[ $status -eq 0 ] && echo "lint: cppcheck found nothing"
exit $status
