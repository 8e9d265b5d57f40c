/* Branches. Each sets c->pc to where execution continues; BL/BLR also write the link register.
 * Conditional branches store pc unconditionally (a select, not a branch): the lifter compares
 * the stored pc with the target, and a select folds that comparison back to the condition. */
#include "sem.h"

static uint64_t imm_target(const struct insn *in, unsigned hi, unsigned lo)
{
    return in->pc + (sext(bits(in->word, hi, lo), hi - lo + 1) << 2);
}

/* C6.2.26 B, C6.2.35 BL */
SEM(b_imm)
{
    if (bit(in->word, 31))
        c->x[30] = in->pc + 4;
    c->pc = imm_target(in, 25, 0);
}

/* C6.2.27 B.cond */
SEM(b_cond)
{
    c->pc = cond_holds(c, bits(in->word, 3, 0)) ? imm_target(in, 23, 5) : in->pc + 4;
}

/* C6.2.47 CBZ, C6.2.46 CBNZ */
SEM(cb)
{
    uint64_t v = reg(c, rd(in), sf(in));
    c->pc = (v == 0) != bit(in->word, 24) ? imm_target(in, 23, 5) : in->pc + 4;
}

/* C6.2.374 TBZ, C6.2.373 TBNZ: the bit number is b5:b40. */
SEM(tb)
{
    unsigned n = bit(in->word, 31) << 5 | bits(in->word, 23, 19);
    c->pc = ((xr(c, rd(in)) >> n) & 1) == bit(in->word, 24) ? imm_target(in, 18, 5) : in->pc + 4;
}

/* C6.2.38 BR, C6.2.36 BLR, C6.2.251 RET: the target is read before the link register is
 * written, so BLR X30 works. */
SEM(b_reg)
{
    uint64_t target = xr(c, rn(in));
    if (bits(in->word, 22, 21) == 1)
        c->x[30] = in->pc + 4;
    c->pc = target;
}
