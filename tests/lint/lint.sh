#!/bin/sh
# SPDX-License-Identifier: MIT
# The lint target: cppcheck over the loader's own code (libc, arch,
# loader), with the project's include paths; any finding fails the run.
set -u
src=$1
build=$2
cppcheck --quiet --enable=warning,style,portability,performance --std=c11 --inline-suppr \
	--error-exitcode=1 --suppress=missingIncludeSystem \
	-I "$src/libc/include" -I "$src/arch/x86_64" -I "$src/loader" -I "$build/include" \
	"$src/libc" "$src/arch" "$src/loader"
status=$?
[ $status -eq 0 ] && echo "lint: cppcheck found nothing"
exit $status
