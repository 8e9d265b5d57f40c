/* Loads and stores of single registers and register pairs, integer and SIMD&FP (C4.1.67).
 * Plain accesses: guest memory is host memory and may be unaligned, so they go through the
 * memcpy-based ld_* and st_* of sem.h. */
#include "sem.h"

/* SIMD&FP transfers of 1 << scale bytes (scale 0..4 = B, H, S, D, Q). A load writes the whole
 * 128-bit register, zeroing the bytes above the access. S and D go through float and double
 * (the same bits): most are floating-point operands, which then load straight into an SSE
 * register and are stored from one, where as integers they were loaded twice (once for the
 * arithmetic, once for the register's value) or passed through a general register. */
static void ld_vreg(struct cpu *c, unsigned t, uint64_t va, unsigned scale)
{
    if (scale == 3) {
        c->vr[t].df[0] = ld_f64(va);
        c->vr[t].df[1] = 0;
    } else if (scale == 2) {
        c->vr[t].f[0] = ld_f32(va);
        c->vr[t].f[1] = 0;
        c->vr[t].f[2] = 0;
        c->vr[t].f[3] = 0;
    } else
        c->vr[t].q = scale == 4 ? ld_u128(va) : ld_n(va, 1u << scale);
}
static void st_vreg(const struct cpu *c, unsigned t, uint64_t va, unsigned scale)
{
    if (scale == 4)
        st_u128(va, c->vr[t].q);
    else if (scale == 3)
        st_f64(va, c->vr[t].df[0]);
    else if (scale == 2)
        st_f32(va, c->vr[t].f[0]);
    else
        st_n(va, 1u << scale, (uint64_t)c->vr[t].q);
}

/* The single-register classes share the layout size:2 111 V 0x opc:2 ... Rt; for SIMD&FP the
 * access size is opc<1>:size (so STR/LDR Q are size 00, opc 1x). */
static unsigned access_scale(uint32_t w)
{
    unsigned size = bits(w, 31, 30);
    return bit(w, 26) ? bit(w, 23) << 2 | size : size;
}

/* The transfer itself, once the address is known. Integer opc: 00 store, 01 load zero-extended,
 * 10 load sign-extended to 64 bits, 11 load sign-extended to 32 bits (the upper half zeroed);
 * size 11 with opc 10 is PRFM (PRFUM), whose Rt field is the prefetch operation.
 * Rt is read before any writeback, so a store whose base is also Rt stores the old value. */
static void transfer(struct cpu *c, const struct insn *in, uint64_t va)
{
    uint32_t w = in->word;
    unsigned opc = bits(w, 23, 22), t = rd(in), scale = access_scale(w), bytes = 1u << scale;
    if (bit(w, 26)) {
        if (opc & 1)
            ld_vreg(c, t, va, scale);
        else
            st_vreg(c, t, va, scale);
    } else if (opc == 2 && bytes == 8) {
        prefetch(va, t);
    } else if (opc == 0) {
        st_n(va, bytes, xr(c, t));
    } else if (opc == 1) {
        set_xr(c, t, ld_n(va, bytes));
    } else {
        set_reg(c, t, opc == 2, sext(ld_n(va, bytes), 8 * bytes));
    }
}

/* LDR/STR (immediate), unsigned offset: imm12 scaled by the access size. */
SEM(ldst_pos)
{
    uint64_t off = (uint64_t)bits(in->word, 21, 10) << access_scale(in->word);
    transfer(c, in, xsp(c, rn(in)) + off);
}

/* The imm9 classes, told apart by bits 11:10: 00 LDUR/STUR (unscaled), 01 post-indexed,
 * 10 LDTR/STTR (unprivileged: at EL0 the same as the unscaled forms), 11 pre-indexed.
 * Writeback comes after the transfer: when a load's Rt is also the base (CONSTRAINED
 * UNPREDICTABLE), the written-back address wins, as on qemu-aarch64. */
SEM(ldst_imm9)
{
    unsigned mode = bits(in->word, 11, 10);
    uint64_t base = xsp(c, rn(in)), off = sext(bits(in->word, 20, 12), 9);
    transfer(c, in, mode == 1 ? base : base + off);
    if (mode & 1) set_xsp(c, rn(in), base + off);
}

/* LDR/STR (register): Rm extended by option (010 UXTW, 011 LSL, 110 SXTW, 111 SXTX; the decoder
 * rejects option<1> == 0) and shifted by the access size when S is set (ExtendReg()). */
SEM(ldst_regoff)
{
    uint32_t w = in->word;
    unsigned option = bits(w, 15, 13);
    uint64_t m = xr(c, rm(in));
    if (!(option & 1)) m = option & 4 ? sext(m, 32) : (uint32_t)m;
    transfer(c, in, xsp(c, rn(in)) + (m << (bit(w, 12) ? access_scale(w) : 0)));
}

/* LDR (literal), LDRSW (literal), PRFM (literal): PC-relative, imm19 words. opc selects W, X,
 * LDRSW or PRFM for the general registers and S, D or Q (4 << opc bytes) for SIMD&FP. */
SEM(ldst_lit)
{
    uint32_t w = in->word;
    unsigned opc = bits(w, 31, 30), t = rd(in);
    uint64_t va = in->pc + (sext(bits(w, 23, 5), 19) << 2);
    if (bit(w, 26))
        ld_vreg(c, t, va, 2 + opc);
    else if (opc == 3)
        prefetch(va, t);
    else if (opc == 2)
        set_xr(c, t, sext(ld_u32(va), 32));
    else
        set_xr(c, t, ld_n(va, 4u << opc));
}

/* LDP/STP, LDNP/STNP, LDPSW: opc:2 101 V 0 mode:2 L imm7 Rt2 Rn Rt, where mode is 00 no-allocate
 * offset, 01 post-indexed, 10 offset, 11 pre-indexed. The element is 4 << opc bytes for SIMD&FP
 * and 4 or 8 (opc<1>) for general registers; opc 01 with general registers is LDPSW.
 * Writeback comes last: when the base is also a loaded register, the written-back address wins
 * (as in ldst_imm9). */
SEM(ldst_pair)
{
    uint32_t w = in->word;
    unsigned opc = bits(w, 31, 30), mode = bits(w, 24, 23), t = rd(in), t2 = rt2(in);
    unsigned scale = bit(w, 26) ? 2 + opc : 2 + (opc >> 1), bytes = 1u << scale;
    uint64_t base = xsp(c, rn(in)), off = sext(bits(w, 21, 15), 7) << scale;
    uint64_t va = mode == 1 ? base : base + off;
    if (bit(w, 26)) {
        if (bit(w, 22)) {
            ld_vreg(c, t, va, scale);
            ld_vreg(c, t2, va + bytes, scale);
        } else {
            st_vreg(c, t, va, scale);
            st_vreg(c, t2, va + bytes, scale);
        }
    } else if (bit(w, 22)) {
        uint64_t a = ld_n(va, bytes), b = ld_n(va + bytes, bytes);
        if (opc == 1) {
            a = sext(a, 32);
            b = sext(b, 32);
        }
        /* Rt last: for the CONSTRAINED UNPREDICTABLE Rt == Rt2, the first element wins, as on
         * qemu-aarch64 (whose SIMD&FP pairs keep the second, as above). */
        set_xr(c, t2, b);
        set_xr(c, t, a);
    } else {
        st_n(va, bytes, xr(c, t));
        st_n(va + bytes, bytes, xr(c, t2));
    }
    if (mode & 1) set_xsp(c, rn(in), base + off);
}
