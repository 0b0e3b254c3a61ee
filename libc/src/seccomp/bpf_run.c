// SPDX-License-Identifier: MIT
/*
 * A classic BPF program run over a seccomp_data, as the kernel runs a
 * seccomp filter: the instructions seccomp_check_filter accepts (loads of
 * the data's words and its length, immediates, the scratch memory, the
 * ALU, the jumps, returns), with the kernel's answers for what a valid
 * program can still do at run time (a division by zero ends it with 0,
 * SECCOMP_RET_KILL_THREAD). The kernel checked the program when it was
 * installed; anything this does not know is treated as a kill, so that the
 * loader's call is not made.
 */
#include <linux/filter.h>
#include <seccomp_judge.h>
#include <string.h>

uint32_t libc_bpf_run(const struct libc_bpf_insn *insns, unsigned count, const void *data,
		      unsigned size)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};

	for (unsigned pc = 0; pc < count; pc++) {
		const struct libc_bpf_insn *i = &insns[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
		case BPF_LDX: {
			uint32_t v;

			if (BPF_MODE(i->code) == BPF_ABS && BPF_SIZE(i->code) == BPF_W &&
			    i->k < size && (i->k & 3) == 0)
				memcpy(&v, (const char *)data + i->k, 4);
			else if (BPF_MODE(i->code) == BPF_LEN)
				v = size;
			else if (BPF_MODE(i->code) == BPF_IMM)
				v = i->k;
			else if (BPF_MODE(i->code) == BPF_MEM && i->k < BPF_MEMWORDS)
				v = mem[i->k];
			else
				return 0;
			if (BPF_CLASS(i->code) == BPF_LD)
				a = v;
			else
				x = v;
			break;
		}
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				return 0;
			mem[i->k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_ADD:
				a += src;
				break;
			case BPF_SUB:
				a -= src;
				break;
			case BPF_MUL:
				a *= src;
				break;
			case BPF_DIV:
				if (src == 0)
					return 0;
				a /= src;
				break;
			case BPF_AND:
				a &= src;
				break;
			case BPF_OR:
				a |= src;
				break;
			case BPF_XOR:
				a ^= src;
				break;
			case BPF_LSH:
				a = src < 32 ? a << src : 0;
				break;
			case BPF_RSH:
				a = src < 32 ? a >> src : 0;
				break;
			case BPF_NEG:
				a = -a;
				break;
			default:
				return 0;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA) {
				pc += i->k;
				break;
			}
			int taken;

			switch (BPF_OP(i->code)) {
			case BPF_JEQ:
				taken = a == src;
				break;
			case BPF_JGT:
				taken = a > src;
				break;
			case BPF_JGE:
				taken = a >= src;
				break;
			case BPF_JSET:
				taken = (a & src) != 0;
				break;
			default:
				return 0;
			}
			pc += taken ? i->jt : i->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return 0;
		}
	}
	return 0; /* the kernel refuses a program that can run off its end */
}
