#!/bin/sh
# SPDX-License-Identifier: MIT
# The lint checks; any finding fails the run.
#   lint.sh [cppcheck|format] SOURCE_ROOT BUILD_ROOT   (both when no check is named)
# cppcheck: all of the loader's code (every layer's folder) and the example
#   module, with each layer's include path.
# format: clang-format --dry-run --Werror (.clang-format) over every C file
#   and header of the tree, tests included.
set -u
check=all
case ${1:-} in cppcheck | format) check=$1; shift ;; esac
src=$1
build=$2
cd "$src" || exit 1
folders="libc arch elf tls heap patch hooks loader examples"
includes="-I libc/include -I libc/arch/x86_64 -I arch/x86_64 -I elf -I tls -I heap -I patch
	-I hooks -I loader -I include -I $build/include -I $build/arch/x86_64"
status=0

if [ $check != format ]; then
	# shellcheck disable=SC2086 # the lists are words
	cppcheck --quiet --enable=warning,style,portability,performance --std=c11 --inline-suppr \
		--error-exitcode=1 --suppress=missingIncludeSystem $includes $folders &&
		echo "lint: cppcheck found nothing in $folders" || status=1
fi
if [ $check != cppcheck ]; then
	# Every C file and header git knows of, or (a tree that is not a
	# checkout) every one but the build folders'.
	files=$(git ls-files '*.c' '*.h' 2>/dev/null) ||
		files=$(find . -path './build*' -prune -o \( -name '*.c' -o -name '*.h' \) -print)
	# shellcheck disable=SC2086
	clang-format --dry-run --Werror $files &&
		echo "lint: clang-format has nothing to change in $(echo "$files" | wc -w) files" ||
		status=1
fi
exit $status
