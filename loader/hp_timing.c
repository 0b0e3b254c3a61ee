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
	struct {
		const void *base;
		unsigned long len;
	} local = {&value, sizeof(value)}, remote = {(void *)at, sizeof(value)};

	return arch_syscall6(__NR_process_vm_writev, sys_getpid(), (long)&local, 1, (long)&remote,
			     1, 0) == sizeof(value) ? 0 : -EFAULT;
}

int ldr_note_set_hp_timing_disabled(int on)
{
	int written = 0;

	wanted = on != 0;
	for (struct ldr_object *o = ldr_objects(); o; o = o->next)
		if (o->analyzed && o->hp_timing_vaddr &&
		    write_value(o->bias + o->hp_timing_vaddr, wanted) == 0)
			written++;
	return written;
}

void ldr_hp_timing_mapped(uintptr_t addr, size_t len)
{
	if (wanted < 0)
		return;
	for (struct ldr_object *o = ldr_objects(); o; o = o->next) {
		uintptr_t at = o->bias + o->hp_timing_vaddr;
		if (o->analyzed && o->hp_timing_vaddr && at >= addr && at - addr < len)
			write_value(at, wanted);
	}
}
