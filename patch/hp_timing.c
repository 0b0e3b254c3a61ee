// SPDX-License-Identifier: MIT
/*
 * Setting __hp_timing_disabled (see hp_timing.h). The variable is in the
 * object's .data (note.h puts it there, not in .bss, so no later zero-fill
 * undoes a write). Writes go through process_vm_writev, which fails
 * instead of faulting where the page is not mapped or not writable: the
 * object's data may not be mapped yet, or something else may be mapped
 * there for now (the dynamic linker's reservation); every later file
 * mapping that covers the variable writes it again.
 */
#include <errno.h>
#include <sys.h>

#include "hp_timing.h"
#include "objects.h"

static volatile int wanted = -1; /* -1: never asked; else the value to write */

static int write_value(uintptr_t at, int value)
{
	return sys_process_vm_write((int)sys_getpid(), &value, (void *)at, sizeof(value)) ==
			       sizeof(value)
		       ? 0
		       : -EFAULT;
}

int patch_hp_timing_set(int on)
{
	int written = 0;

	wanted = on != 0;
	for (struct patch_object *o = patch_objects(); o; o = o->next)
		if (o->analyzed && o->hp_timing_vaddr && patch_object_mapped(o) &&
		    write_value(o->bias + o->hp_timing_vaddr, wanted) == 0)
			written++;
	return written;
}

void patch_hp_timing_mapped(uintptr_t addr, size_t len)
{
	if (wanted < 0)
		return;
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
		uintptr_t at = o->bias + o->hp_timing_vaddr;
		if (o->analyzed && o->hp_timing_vaddr && patch_object_mapped(o) && at >= addr &&
		    at - addr < len)
			write_value(at, wanted);
	}
}
