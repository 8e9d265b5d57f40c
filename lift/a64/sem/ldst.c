/* Loads and stores. */
#include "sem.h"

/* Shared by every single-register integer load/store once the address is known:
 * size is log2 of the access; opc<1> selects sign extension, opc<0> (when signed) a 32-bit
 * destination. C6.2.166 LDR (immediate) and relatives. */
static void ldst_int(struct cpu *c, const struct insn *in, uint64_t va)
{
    unsigned size = bits(in->word, 31, 30), opc = bits(in->word, 23, 22);
    unsigned bytes = 1u << size;
    if (opc == 0) {
        st_n(va, bytes, xr(c, rd(in)));
    } else if (opc == 1) {
        set_xr(c, rd(in), ld_n(va, bytes));
    } else {
        uint64_t v = sext(ld_n(va, bytes), 8 * bytes);
        set_reg(c, rd(in), opc == 2, v);
    }
}

/* Unsigned scaled 12-bit offset. */
SEM(ldst_pos)
{
    uint64_t off = (uint64_t)bits(in->word, 21, 10) << bits(in->word, 31, 30);
    ldst_int(c, in, xsp(c, rn(in)) + off);
}
