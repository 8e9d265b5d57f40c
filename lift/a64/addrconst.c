/*
 * Addresses formed in code: ADR, and ADRP followed by ADD #imm on the same register. This is how
 * a compiler materializes a function pointer (qsort's comparator, a callback, a vtable), so
 * control-flow recovery treats such addresses in code like pointers found in data.
 */
#include "a64.h"

void a64_consts_reset(struct a64_consts *k)
{
    k->valid = 0;
}

bool a64_consts_step(struct a64_consts *k, const struct insn *in, uint64_t *va)
{
    uint32_t w = in->word;
    unsigned rd = w & 31, rn = (w >> 5) & 31;
    if ((w & 0x1f000000) == 0x10000000) { /* ADR, ADRP */
        uint64_t imm = ((uint64_t)((w >> 5) & 0x7ffff) << 2) | ((w >> 29) & 3);
        imm = (uint64_t)((int64_t)(imm << 43) >> 43);
        if (w >> 31) {
            k->val[rd] = (in->pc & ~0xfffull) + (imm << 12);
            k->valid |= 1u << rd;
            return false;
        }
        k->valid &= ~(1u << rd);
        *va = in->pc + imm;
        return true;
    }
    bool formed = false;
    if ((w & 0xff800000) == 0x91000000 && rn != 31 && (k->valid >> rn & 1)) { /* ADD Xd, Xn, #imm */
        *va = k->val[rn] + ((uint64_t)((w >> 10) & 0xfff) << ((w >> 22) & 1 ? 12 : 0));
        formed = true;
    }
    /* Anything else may overwrite its first operand register. */
    k->valid &= ~(1u << rd);
    return formed;
}
