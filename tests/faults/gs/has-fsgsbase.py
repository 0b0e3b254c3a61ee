#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Exit 0 when the kernel advertises FSGSBASE (AT_HWCAP2 bit 1), else 1."""
import struct
import sys

AT_HWCAP2 = 26
with open("/proc/self/auxv", "rb") as f:
    data = f.read()
for i in range(0, len(data) - 15, 16):
    key, value = struct.unpack_from("<QQ", data, i)
    if key == AT_HWCAP2:
        sys.exit(0 if value & 2 else 1)
sys.exit(1)
