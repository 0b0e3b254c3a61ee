// SPDX-License-Identifier: MIT
/* A library for hooks_probe to dlopen and dlclose. */
int dltest_value(void);
int dltest_value(void)
{
	return 42;
}
