// SPDX-License-Identifier: MIT
/* A static program: natively it starts with no descriptor free. */
#include <unistd.h>

int main(void)
{
	return write(1, "hello\n", 6) == 6 ? 0 : 1;
}
