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
    uint64_t r = add_sub(c, is64, a, imm, sub, flags);
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

/* A mask of the low n bits, 1 <= n <= 64. */
static uint64_t ones(unsigned n)
{
    return ~0ull >> (64 - n);
}

/* AND (immediate), ORR, EOR, ANDS: sf opc 100100 N immr imms Rn Rd. DecodeBitMasks()
 * (shared pseudocode): an element of esize = 2^len bits (len = HighestSetBit(N:NOT(imms)), which
 * the decoder checked is at least 1) holding imms<len-1:0> + 1 ones rotated right by immr,
 * replicated across 64 bits (multiplying by 0x..010101 with the element's stride). Rd is SP
 * except for ANDS; Rn is XZR. */
SEM(log_imm)
{
    uint32_t w = in->word;
    bool is64 = sf(in);
    unsigned imms = bits(w, 15, 10), immr = bits(w, 21, 16);
    unsigned len = 31 - __builtin_clz(bit(w, 22) << 6 | (imms ^ 0x3f));
    unsigned esize = 1u << len, s = imms & (esize - 1), r = immr & (esize - 1);
    uint64_t emask = ones(esize), elem = ones(s + 1);
    elem = (elem >> r | elem << ((esize - r) & (esize - 1))) & emask;
    uint64_t imm = elem * (~0ull / emask);
    unsigned opc = bits(w, 30, 29);
    uint64_t a = reg(c, rn(in), is64);
    uint64_t res = opc == 1 ? a | imm : opc == 2 ? a ^ imm : a & imm;
    if (!is64)
        res = (uint32_t)res;
    if (opc == 3) {
        c->n = (res >> (is64 ? 63 : 31)) & 1;
        c->z = res == 0;
        c->c = 0;
        c->v = 0;
        set_xr(c, rd(in), res);
    } else {
        set_xsp(c, rd(in), res);
    }
}

/* SBFM, BFM, UBFM: sf opc 100110 N immr imms Rn Rd. With R = immr and
 * S = imms (both below the width W), the Arm ARM's wmask/tmask pair reduces to two cases:
 * S >= R moves Rn<S:R> to the bottom (SBFX, UBFX, BFXIL, ASR, LSR, SXTB...), S < R moves
 * Rn<S:0> up to bit W-R (SBFIZ, UBFIZ, BFI, LSL). SBFM sign-extends from the field's top bit,
 * UBFM zero-extends, BFM keeps the other bits of Rd. */
SEM(bitfield)
{
    uint32_t w = in->word;
    bool is64 = sf(in);
    unsigned opc = bits(w, 30, 29), r = bits(w, 21, 16), s = bits(w, 15, 10);
    unsigned wid = is64 ? 64 : 32;
    uint64_t src = reg(c, rn(in), is64), field, mask;
    if (s >= r) {
        mask = ones(s - r + 1);
        field = opc == 0 ? sext(src >> r, s - r + 1) : src >> r & mask;
    } else {
        mask = ones(s + 1) << (wid - r);
        field = (opc == 0 ? sext(src, s + 1) : src & ones(s + 1)) << (wid - r);
    }
    if (opc == 1)
        field = (reg(c, rd(in), is64) & ~mask) | (field & mask);
    set_reg(c, rd(in), is64, field);
}

/* EXTR: Rd = (Rn:Rm)<lsb+W-1:lsb>, a funnel shift. */
SEM(extr)
{
    bool is64 = sf(in);
    unsigned lsb = bits(in->word, 15, 10);
    unsigned __int128 pair =
        (unsigned __int128)reg(c, rn(in), is64) << (is64 ? 64 : 32) | reg(c, rm(in), is64);
    set_reg(c, rd(in), is64, (uint64_t)(pair >> lsb));
}
