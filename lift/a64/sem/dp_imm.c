/* Data processing -- immediate. */
#include "sem.h"

/* C6.2.10 ADR, C6.2.11 ADRP */
SEM(adr)
{
    uint64_t imm = sext(bits(in->word, 23, 5) << 2 | bits(in->word, 30, 29), 21);
    uint64_t base = in->pc;
    if (bit(in->word, 31)) {
        base &= ~0xfffull;
        imm <<= 12;
    }
    set_xr(c, rd(in), base + imm);
}

/* C6.2.4 ADD (immediate) and its SUB/flag-setting siblings: sf op S 100010 sh imm12 Rn Rd.
 * Rn may be SP; Rd is SP unless the flags are set. */
SEM(addsub_imm)
{
    bool is64 = sf(in), sub = bit(in->word, 30), flags = bit(in->word, 29);
    uint64_t imm = (uint64_t)bits(in->word, 21, 10) << (bit(in->word, 22) ? 12 : 0);
    uint64_t a = reg_sp(c, rn(in), is64);
    uint64_t r = add_carry(c, is64, a, sub ? ~imm : imm, sub, flags);
    if (flags)
        set_reg(c, rd(in), is64, r);
    else
        set_reg_sp(c, rd(in), is64, r);
}

/* C6.2.226 MOVN, C6.2.228 MOVZ, C6.2.227 MOVK: sf opc 100101 hw imm16 Rd. */
SEM(movewide)
{
    bool is64 = sf(in);
    unsigned shift = bits(in->word, 22, 21) * 16, opc = bits(in->word, 30, 29);
    uint64_t imm = (uint64_t)bits(in->word, 20, 5) << shift, r;
    if (opc == 0)
        r = ~imm;
    else if (opc == 2)
        r = imm;
    else
        r = (reg(c, rd(in), is64) & ~(0xffffull << shift)) | imm;
    set_reg(c, rd(in), is64, r);
}
