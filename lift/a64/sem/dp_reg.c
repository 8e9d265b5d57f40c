/* Data processing -- register (C4.1.68). Every function here is inlined with a constant word,
 * so the field tests fold away and what remains is the operation itself: keep them closed
 * forms (no loops) that LLVM maps to single host instructions where one exists. */
#include "sem.h"

static unsigned width(bool is64)
{
    return is64 ? 64 : 32;
}

/* Truncates to the operation's width: 32-bit results live zero-extended in 64 bits. */
static uint64_t trunc_to(bool is64, uint64_t v)
{
    return is64 ? v : (uint32_t)v;
}

static uint64_t ror(bool is64, uint64_t v, unsigned amount)
{
    unsigned w = width(is64);
    amount &= w - 1;
    return trunc_to(is64, v >> amount | v << ((w - amount) & (w - 1)));
}

/* ShiftReg() (C6.2 shared pseudocode) on a zero-extended operand: 0 LSL, 1 LSR, 2 ASR, 3 ROR;
 * amount < width. ASR relies on >> of a negative value being arithmetic (GCC and clang). */
static uint64_t shift_reg(bool is64, uint64_t v, unsigned type, unsigned amount)
{
    switch (type) {
    case 0: return trunc_to(is64, v << amount);
    case 1: return v >> amount;
    case 2: return is64 ? (uint64_t)((int64_t)v >> amount) : (uint32_t)((int32_t)v >> amount);
    default: return ror(is64, v, amount);
    }
}

/* Logical result flags: N and Z from the result, C and V cleared. */
static void set_nz00(struct cpu *c, bool is64, uint64_t r)
{
    c->n = (r >> (width(is64) - 1)) & 1;
    c->z = r == 0;
    c->c = 0;
    c->v = 0;
}

/* AND (shifted register) and its siblings: sf opc 01010 shift N Rm imm6 Rn Rd, opc 00
 * AND, 01 ORR, 10 EOR, 11 ANDS; N inverts Rm (BIC, ORN, EON, BICS). Register 31 is XZR. */
SEM(log_shift)
{
    uint32_t w = in->word;
    bool is64 = sf(in);
    unsigned opc = bits(w, 30, 29);
    uint64_t a = reg(c, rn(in), is64);
    uint64_t b = shift_reg(is64, reg(c, rm(in), is64), bits(w, 23, 22), bits(w, 15, 10));
    if (bit(w, 21))
        b = trunc_to(is64, ~b);
    uint64_t r = opc == 1 ? a | b : opc == 2 ? a ^ b : a & b;
    if (opc == 3)
        set_nz00(c, is64, r);
    set_reg(c, rd(in), is64, r);
}

/* The add/subtract core shared by the register forms: op (bit 30) subtracts, S (bit 29) sets
 * the flags. */
static uint64_t addsub(struct cpu *c, const struct insn *in, uint64_t a, uint64_t b)
{
    return add_sub(c, sf(in), a, b, bit(in->word, 30), bit(in->word, 29));
}

/* ADD (shifted register) and siblings: sf op S 01011 shift 0 Rm imm6 Rn Rd. Register 31
 * is XZR for every operand. */
SEM(addsub_shift)
{
    bool is64 = sf(in);
    uint64_t b =
        shift_reg(is64, reg(c, rm(in), is64), bits(in->word, 23, 22), bits(in->word, 15, 10));
    set_reg(c, rd(in), is64, addsub(c, in, reg(c, rn(in), is64), b));
}

/* ADD (extended register) and siblings: sf op S 01011 00 1 Rm option imm3 Rn Rd.
 * ExtendReg(): option<1:0> is the source size (B, H, W, X), option<2> signed, then LSL imm3
 * (0..4). Rn is SP; Rd is SP unless the flags are set; Rm is XZR. */
SEM(addsub_ext)
{
    uint32_t w = in->word;
    bool is64 = sf(in);
    unsigned option = bits(w, 15, 13), size = 8u << (option & 3);
    uint64_t m = xr(c, rm(in));
    if (size < 64)
        m = option & 4 ? sext(m, size) : m & ((1ull << size) - 1);
    uint64_t r = addsub(c, in, reg_sp(c, rn(in), is64), m << bits(w, 12, 10));
    if (bit(w, 29))
        set_reg(c, rd(in), is64, r);
    else
        set_reg_sp(c, rd(in), is64, r);
}

/* ADC, SBC (and the S forms): AddWithCarry(Rn, Rm or NOT(Rm), C). */
SEM(addsub_carry)
{
    bool is64 = sf(in), sub = bit(in->word, 30);
    uint64_t b = reg(c, rm(in), is64);
    uint64_t r = add_carry(c, is64, reg(c, rn(in), is64), sub ? ~b : b, c->c, bit(in->word, 29));
    set_reg(c, rd(in), is64, r);
}

/* RMIF: rotate Xn right by imm6 and copy the bits selected by mask<3:0> into N, Z, C
 * and V (FEAT_FlagM). */
SEM(rmif)
{
    uint64_t t = ror(true, xr(c, rn(in)), bits(in->word, 20, 15));
    unsigned mask = bits(in->word, 3, 0);
    set_nzcv(c, (get_nzcv(c) & ~mask) | ((unsigned)t & mask));
}

/* SETF8, SETF16: N and Z from the low 8 or 16 bits of Wn, V = Wn<msb+1> XOR Wn<msb>;
 * C is unchanged (FEAT_FlagM). */
SEM(setf)
{
    unsigned msb = bit(in->word, 14) ? 15 : 7;
    uint64_t v = xr(c, rn(in));
    c->n = (v >> msb) & 1;
    c->z = (v & ((2ull << msb) - 1)) == 0;
    c->v = ((v >> (msb + 1)) ^ (v >> msb)) & 1;
}

/* CCMN, CCMP (register and immediate): when cond holds, the flags of Rn + Rm
 * (CCMN) or Rn - Rm (CCMP); otherwise the immediate nzcv. Bit 11 selects imm5 for Rm. The
 * comparison is made either way and then overridden, which leaves a select rather than a
 * branch (the guest code was branch-free too). */
SEM(condcmp)
{
    uint32_t w = in->word;
    bool is64 = sf(in), holds = cond_holds(c, bits(w, 15, 12));
    uint64_t b = bit(w, 11) ? bits(w, 20, 16) : reg(c, rm(in), is64);
    addsub(c, in, reg(c, rn(in), is64), b);
    if (!holds)
        set_nzcv(c, bits(w, 3, 0));
}

/* CSEL, CSINC, CSINV, CSNEG: Rn if cond holds, else Rm
 * transformed by op (bit 30: invert) and o2 (bit 10: increment); NEG is invert + increment. */
SEM(condsel)
{
    uint32_t w = in->word;
    bool is64 = sf(in);
    uint64_t r;
    if (cond_holds(c, bits(w, 15, 12))) {
        r = xr(c, rn(in));
    } else {
        r = xr(c, rm(in));
        if (bit(w, 30))
            r = ~r;
        if (bit(w, 10))
            r++;
    }
    set_reg(c, rd(in), is64, r);
}

/* MADD, MSUB, SMADDL/SMSUBL, UMADDL/UMSUBL, SMULH, UMULH:
 * sf op54 11011 op31 Rm o0 Ra Rn Rd. op31 bit 21 takes 32-bit sources (signed unless bit 23),
 * bit 22 the high half of a 128-bit product; o0 subtracts. Register 31 is XZR. */
SEM(dp_3src)
{
    uint32_t w = in->word;
    bool is64 = sf(in);
    uint64_t n = xr(c, rn(in)), m = xr(c, rm(in)), r;
    if (bit(w, 22)) {
        /* The products cannot overflow 128 bits; >> of a negative __int128 is arithmetic. */
        if (bit(w, 23))
            r = (uint64_t)(((unsigned __int128)n * m) >> 64);
        else
            r = (uint64_t)(((__int128)(int64_t)n * (int64_t)m) >> 64);
    } else {
        if (bit(w, 21)) {
            n = bit(w, 23) ? (uint32_t)n : sext(n, 32);
            m = bit(w, 23) ? (uint32_t)m : sext(m, 32);
        }
        uint64_t a = xr(c, ra(in)), p = n * m;
        r = bit(w, 15) ? a - p : a + p;
    }
    set_reg(c, rd(in), is64, r);
}

/* UDIV, SDIV: division by zero gives 0 and INT_MIN / -1 gives INT_MIN, with no
 * exception -- the host's divide traps in both cases, so they are tested first (dividing by -1
 * is negation, which wraps INT_MIN onto itself). 32-bit forms divide at 32 bits, which is the
 * faster host division. */
SEM(div)
{
    bool is64 = sf(in), is_signed = bit(in->word, 10);
    uint64_t a = reg(c, rn(in), is64), b = reg(c, rm(in), is64), r;
    if (b == 0)
        r = 0;
    else if (!is_signed)
        r = a / b;
    else if (b == trunc_to(is64, ~0ull))
        r = 0 - a;
    else if (is64)
        r = (uint64_t)((int64_t)a / (int64_t)b);
    else
        r = (uint32_t)((int32_t)a / (int32_t)b);
    set_reg(c, rd(in), is64, r);
}

/* LSLV, LSRV, ASRV, RORV: the amount is Rm modulo the width;
 * op2 (bits 11:10) is the ShiftReg() type. */
SEM(shiftv)
{
    bool is64 = sf(in);
    unsigned amount = (unsigned)xr(c, rm(in)) & (width(is64) - 1);
    set_reg(c, rd(in), is64, shift_reg(is64, reg(c, rn(in), is64), bits(in->word, 11, 10), amount));
}

/* CRC-32 over one message byte already XORed into the low byte of crc, bit-reflected: each step
 * shifts out bit 0 and reduces by the (reversed) polynomial when it was set. Written out so
 * that no loop survives into translated code. */
static uint32_t crc_bit(uint32_t crc, uint32_t poly)
{
    return crc >> 1 ^ (poly & -(crc & 1));
}
static uint32_t crc_byte(uint32_t crc, uint32_t poly)
{
    crc = crc_bit(crc_bit(crc_bit(crc_bit(crc, poly), poly), poly), poly);
    return crc_bit(crc_bit(crc_bit(crc_bit(crc, poly), poly), poly), poly);
}

/* CRC32B..X, CRC32CB..CX: bit-reflected CRC-32 (polynomial 0x04C11DB7) or
 * CRC-32C (0x1EDC6F41) of the low 8 << sz bits of Rm, accumulated onto Wn, with no inversion
 * before or after. The x86 CRC32 instruction would do CRC-32C in one step but is not baseline
 * x86-64, which the runtime's interpreter must run on. */
SEM(crc32)
{
    uint32_t w = in->word;
    unsigned bytes = 1u << bits(w, 11, 10);
    uint32_t poly = bit(w, 12) ? 0x82f63b78u : 0xedb88320u; /* the polynomials, bit-reversed */
    uint64_t m = xr(c, rm(in));
    if (bytes < 8)
        m &= (1ull << 8 * bytes) - 1;
    uint32_t crc = (uint32_t)xr(c, rn(in)) ^ (uint32_t)m;
    crc = crc_byte(crc, poly);
    if (bytes >= 2)
        crc = crc_byte(crc, poly);
    if (bytes >= 4)
        crc = crc_byte(crc_byte(crc, poly), poly);
    if (bytes == 8) {
        /* The high word enters once the low one has been shifted out. */
        crc ^= (uint32_t)(m >> 32);
        crc = crc_byte(crc_byte(crc, poly), poly);
        crc = crc_byte(crc_byte(crc, poly), poly);
    }
    set_xr(c, rd(in), crc);
}

/* RBIT. GCC has no bit-reverse builtin: it gets the swap ladder. */
static uint64_t bitreverse64(uint64_t v)
{
#if defined(__has_builtin) && __has_builtin(__builtin_bitreverse64)
    return __builtin_bitreverse64(v);
#else
    v = (v >> 1 & 0x5555555555555555ull) | (v & 0x5555555555555555ull) << 1;
    v = (v >> 2 & 0x3333333333333333ull) | (v & 0x3333333333333333ull) << 2;
    v = (v >> 4 & 0x0f0f0f0f0f0f0f0full) | (v & 0x0f0f0f0f0f0f0f0full) << 4;
    return __builtin_bswap64(v);
#endif
}

SEM(rbit)
{
    bool is64 = sf(in);
    uint64_t r = bitreverse64(xr(c, rn(in)));
    set_reg(c, rd(in), is64, is64 ? r : r >> 32);
}

/* REV16, REV32, REV: reverse the bytes of each 16-, 32- or 64-bit
 * container (opc = bits 11:10 = 1, 2, 3); REV_32 is opc 2 on a 32-bit register. */
SEM(rev)
{
    bool is64 = sf(in);
    unsigned opc = bits(in->word, 11, 10);
    uint64_t v = xr(c, rn(in)), r;
    if (opc == 1)
        r = (v >> 8 & 0x00ff00ff00ff00ffull) | (v & 0x00ff00ff00ff00ffull) << 8;
    else if (opc == 3)
        r = __builtin_bswap64(v);
    else if (is64)
        r = ror(true, __builtin_bswap64(v), 32);
    else
        r = __builtin_bswap32((uint32_t)v);
    set_reg(c, rd(in), is64, r);
}

/* CLZ, CLS. CLS counts the bits below the top one that equal it, which is
 * CLZ(x<N-1:1> EOR x<N-2:0>) over N-1 bits; shifting that value up one with a 1 below makes an
 * N-bit CLZ count it and keeps the operand non-zero. */
SEM(clz)
{
    bool is64 = sf(in);
    uint64_t v = reg(c, rn(in), is64);
    if (bit(in->word, 10))
        v = ((v ^ v >> 1) << 1 | 1) & (is64 ? ~0ull : 0xffffffffull);
    unsigned r = is64 ? (v ? __builtin_clzll(v) : 64) : (v ? __builtin_clz((uint32_t)v) : 32);
    set_xr(c, rd(in), r);
}
