#!/bin/sh
# SPDX-License-Identifier: MIT
# The shape of the libos-loader binary itself, as issue #2 requires it: a
# static PIE (ET_DYN, no PT_INTERP, no DT_NEEDED), a non-executable stack,
# only R_X86_64_RELATIVE relocations (all that stage 1 of start-up applies),
# no undefined symbols, and Capstone linked in.
set -u
bin=$1
fail=0
check() { # description, command...
	what=$1; shift
	if "$@" >/dev/null 2>&1; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
check "ELF type is DYN (PIE)" sh -c "readelf -h '$bin' | grep -q 'Type:.*DYN'"
check "no PT_INTERP" sh -c "! readelf -lW '$bin' | grep -q INTERP"
check "no DT_NEEDED" sh -c "! readelf -dW '$bin' | grep -q NEEDED"
check "stack not executable" sh -c "readelf -lW '$bin' | grep GNU_STACK | grep -qv 'RWE'"
check "only RELATIVE relocations" sh -c \
	"readelf -rW '$bin' | awk '/^[0-9a-f]+ /{print \$3}' | grep -qv R_X86_64_RELATIVE; test \$? -eq 1"
check "no undefined symbols" sh -c "test -z \"\$(nm -u '$bin' 2>/dev/null)\""
check "Capstone is linked in" sh -c "nm '$bin' | grep -q ' cs_disasm_iter$'"
check "no writable and executable segment" sh -c "! readelf -lW '$bin' | grep LOAD | grep -q 'RWE'"
exit $fail
