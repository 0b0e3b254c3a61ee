// SPDX-License-Identifier: MIT
/*
 * The patcher's settings, which the hooks layer decides (patch.h's struct
 * patch_config), and the time it has spent, which the report shows.
 */
#include "patch.h"

static struct patch_config config = {.rewrite = 1};
static uint64_t patch_ns;

void patch_configure(const struct patch_config *c)
{
	config = *c;
}

int patch_rewrites(void)
{
	return __atomic_load_n(&config.rewrite, __ATOMIC_ACQUIRE);
}

void patch_stop_rewriting(void)
{
	__atomic_store_n(&config.rewrite, 0, __ATOMIC_RELEASE);
}

void patch_arm_net(const char *reason)
{
	if (config.arm_net)
		config.arm_net(reason);
}

void patch_gs_writer(const char *reason)
{
	if (config.gs_writer)
		config.gs_writer(reason);
}

uint64_t patch_time_ns(void)
{
	return __atomic_load_n(&patch_ns, __ATOMIC_RELAXED);
}

void patch_add_time(uint64_t ns)
{
	__atomic_add_fetch(&patch_ns, ns, __ATOMIC_RELAXED);
}
