// SPDX-License-Identifier: MIT
/*
 * The victim: a valid program that does nothing, the raw material of the
 * bad-elf suite. Meson builds it twice, static non-PIE (ET_EXEC, no
 * interpreter) and dynamic PIE (ET_DYN with PT_INTERP), and gen-bad-elf
 * breaks copies of both in one way each, so that every refusal the suite
 * sees is caused by that one change and nothing else.
 */
int main(void)
{
	return 0;
}
