/* AdvSIMD data movement: copy (DUP, INS, UMOV, SMOV), permute (ZIP, UZP, TRN), EXT, and table
 * lookup (TBL, TBX). Element indices come from the instruction word, so every lane access
 * becomes a constant shuffle once the word is constant; only TBL indexes by data. */
#include "simd.h"

/* ---- copy (asimdins, asisdone) ----
 * imm5 encodes the element size (its lowest set bit) and, above that bit, the element index. */

static unsigned imm5_size(uint32_t w)
{
    return (unsigned)__builtin_ctz(bits(w, 20, 16));
}
static unsigned imm5_index(uint32_t w)
{
    return bits(w, 20, 16) >> (imm5_size(w) + 1);
}

/* Element `index` of a, zero-extended. */
static uint64_t lane(v2u64 a, unsigned size, unsigned index)
{
    uint64_t r = 0;
    FOR_ESIZE(size, { r = ((VU)a)[index]; });
    return r;
}

/* a with element `index` replaced by v. */
static v2u64 with_lane(v2u64 a, unsigned size, unsigned index, uint64_t v)
{
    FOR_ESIZE(size, {
        VU x = (VU)a;
        x[index] = (EU)v;
        a = (v2u64)x;
    });
    return a;
}

static v2u64 splat(unsigned size, uint64_t v)
{
    v2u64 r = {0, 0};
    FOR_ESIZE(size, { r = (v2u64)((VU){0} + (EU)v); });
    return r;
}

/* DUP (element): vector and scalar (the scalar form, alias MOV, writes one element). */
SEM(simd_dup_elem)
{
    uint32_t w = in->word;
    unsigned size = imm5_size(w);
    uint64_t v = lane(vget(c, rn(in)), size, imm5_index(w));
    vset(c, rd(in), splat(size, v), result_bytes(in, size));
}

/* DUP (general). */
SEM(simd_dup_gen)
{
    unsigned size = imm5_size(in->word);
    vset(c, rd(in), splat(size, xr(c, rn(in))), q_bit(in) ? 16 : 8);
}

/* INS (general), alias MOV: the rest of Vd is kept. */
SEM(simd_ins_gen)
{
    uint32_t w = in->word;
    c->vr[rd(in)].v2d = with_lane(vget(c, rd(in)), imm5_size(w), imm5_index(w), xr(c, rn(in)));
}

/* INS (element): the source index is imm4 >> size. */
SEM(simd_ins_elem)
{
    uint32_t w = in->word;
    unsigned size = imm5_size(w);
    uint64_t v = lane(vget(c, rn(in)), size, bits(w, 14, 11) >> size);
    c->vr[rd(in)].v2d = with_lane(vget(c, rd(in)), size, imm5_index(w), v);
}

/* UMOV (alias MOV to a general register), SMOV (sign-extended to 32 or 64 bits, Q). */
SEM(simd_mov_to_gen)
{
    uint32_t w = in->word;
    unsigned size = imm5_size(w);
    uint64_t v = lane(vget(c, rn(in)), size, imm5_index(w));
    if (bit(w, 12)) /* UMOV */
        set_xr(c, rd(in), v);
    else
        set_reg(c, rd(in), q_bit(in), sext(v, 8u << size));
}

/* ---- permute (asimdperm) ----
 * opcode bits 14:12: 001 UZP1, 010 TRN1, 011 ZIP1, 101 UZP2, 110 TRN2, 111 ZIP2; bit 14 is the
 * "2" (odd elements, or upper halves for ZIP). */
SEM(simd_perm)
{
    uint32_t w = in->word;
    unsigned size = vsize(in), kind = bits(w, 13, 12), part = bit(w, 14);
    bool q = q_bit(in);
    v2u64 a = vget(c, rn(in)), b = vget(c, rm(in)), r = a;
    FOR_ESIZE(size, {
        VU x = (VU)a, y = (VU)b, z = x;
        /* n is the element count of the operation: NLANES, or half of it for Q=0. */
        const int n = q ? NLANES : NLANES / 2;
        switch (kind) {
        case 1: /* UZP: even (or odd) elements of Vn:Vm */
            UNROLL
            for (int j = 0; j < NLANES; j++) {
                int k = 2 * j + (int)part;
                z[j] = k < n ? x[k % NLANES] : y[(k - n) % NLANES];
            }
            break;
        case 2: /* TRN: even (or odd) elements of Vn and Vm, alternately */
            UNROLL
            for (int i = 0; i < NLANES; i += 2) {
                z[i] = x[i + part];
                z[i + 1] = y[i + part];
            }
            break;
        default: /* ZIP: the lower (or upper) halves of Vn and Vm, interleaved */
            UNROLL
            for (int i = 0; i < NLANES / 2; i++) {
                z[2 * i] = x[(i + (int)part * n / 2) % NLANES];
                z[2 * i + 1] = y[(i + (int)part * n / 2) % NLANES];
            }
            break;
        }
        r = (v2u64)z;
    });
    vset(c, rd(in), r, q ? 16 : 8);
}

/* EXT: bytes imm4.. of Vm:Vn (Q=1) or Vm<63:0>:Vn<63:0> (Q=0). */
SEM(simd_ext)
{
    unsigned pos = bits(in->word, 14, 11);
    bool q = q_bit(in);
    v2u64 a = vget(c, rn(in)), b = vget(c, rm(in));
    if (!q)
        a = (v2u64){a[0], b[0]};
    v16u8 x = (v16u8)a, y = (v16u8)b, z = x;
    UNROLL
    for (unsigned i = 0; i < 16; i++) {
        z[i] = i + pos < 16 ? x[(i + pos) % 16] : y[(i + pos) % 16];
    }
    vset(c, rd(in), (v2u64)z, q ? 16 : 8);
}

/* TBL, TBX: each byte of Vm indexes the table of len + 1 registers starting at Vn (wrapping
 * at V31); out-of-range indices give zero (TBL) or keep the byte of Vd (TBX). The table is
 * copied to a local so that data-dependent indexing does not address the register file. */
SEM(simd_tbl)
{
    uint32_t w = in->word;
    unsigned len = bits(w, 14, 13) + 1, n = rn(in);
    uint8_t table[64] = {0};
    UNROLL
    for (unsigned k = 0; k < 4; k++) {
        if (k < len)
            memcpy(table + 16 * k, &c->vr[(n + k) % 32], 16);
    }
    v16u8 idx = (v16u8)vget(c, rm(in)), d = (v16u8)vget(c, rd(in)), z = d;
    UNROLL
    for (unsigned i = 0; i < 16; i++) {
        z[i] = table[idx[i] % 64];
    }
    /* Out-of-range indices: zero for TBL, Vd's byte for TBX; a vector select, not a branch per
     * byte. */
    v16u8 in_range = (v16u8)(idx < (uint8_t)(16 * len));
    z = VSEL(in_range, z, bit(w, 12) ? d : d ^ d);
    vset(c, rd(in), (v2u64)z, q_bit(in) ? 16 : 8);
}
