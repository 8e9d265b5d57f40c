/* AdvSIMD structure loads and stores (C4.1.66 "Advanced SIMD load/store multiple structures",
 * "... single structure", with and without post-index). A structure of `selem` elements goes to
 * or comes from `selem` consecutive registers (wrapping at V31); memory holds the structures
 * one after another. Guest memory is host memory, accessed with memcpy (unaligned is fine). */
#include "simd.h"

/* Post-indexed forms (bit 23) add the bytes transferred (Rm = 31) or Xm to the base, after the
 * transfer. */
static void writeback(struct cpu *c, const struct insn *in, uint64_t base, uint64_t bytes)
{
    if (bit(in->word, 23))
        set_xsp(c, rn(in), base + (rm(in) == 31 ? bytes : xr(c, rm(in))));
}

/* ---- multiple structures ----
 * opcode (bits 15:12): 0000 LD4/ST4, 0100 LD3/ST3, 1000 LD2/ST2, and LD1/ST1 of 4 (0010),
 * 3 (0110), 1 (0111) or 2 (1010) registers. */

static unsigned multi_selem(unsigned opc)
{
    return opc == 0 ? 4 : opc == 4 ? 3 : opc == 8 ? 2 : 1;
}
static unsigned multi_regs(unsigned opc)
{
    switch (opc) {
    case 2: return 4;
    case 6: return 3;
    case 7: return 1;
    case 10: return 2;
    default: return multi_selem(opc);
    }
}

/* Element k of the interleaved block is element k / selem of structure member k % selem. Lanes
 * of a D register beyond its 8 bytes fall past the block's `total` bytes and are not used. */
SEM(simd_ldst_multi)
{
    uint32_t w = in->word;
    unsigned opc = bits(w, 15, 12), size = bits(w, 11, 10), t = rd(in);
    unsigned selem = multi_selem(opc), nregs = multi_regs(opc), regb = q_bit(in) ? 16 : 8;
    bool load = bit(w, 22);
    uint64_t base = xsp(c, rn(in)), total = nregs * regb;
    if (selem == 1) { /* LD1/ST1: whole registers, one after another */
        UNROLL
        for (unsigned r = 0; r < 4; r++) {
            union vreg *v = &c->vr[(t + r) % 32];
            if (r >= nregs)
                break;
            if (load) {
                v2u64 x = {0, 0};
                memcpy(&x, gptr(base + r * regb), regb);
                v->v2d = x;
            } else {
                memcpy(gptr(base + r * regb), v, regb);
            }
        }
        writeback(c, in, base, total);
        return;
    }
    /* The interleaved block as four vectors: element k is element k % NLANES of vector
     * k / NLANES, so with the word constant every element move is a constant shuffle. */
    v2u64 blk[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
    v2u64 regs[4] = {vget(c, t), vget(c, (t + 1) % 32), vget(c, (t + 2) % 32),
                     vget(c, (t + 3) % 32)};
    if (load)
        memcpy(blk, gptr(base), total);
    FOR_ESIZE(size, {
        VU v[4] = {(VU)regs[0], (VU)regs[1], (VU)regs[2], (VU)regs[3]};
        VU b[4] = {(VU)blk[0], (VU)blk[1], (VU)blk[2], (VU)blk[3]};
        UNROLL
        for (unsigned k = 0; k < 4 * NLANES; k++) {
            unsigned s = k % selem, e = k / selem;
            if (k >= selem * NLANES)
                break;
            if (load)
                v[s % 4][e % NLANES] = b[k / NLANES][k % NLANES];
            else
                b[k / NLANES][k % NLANES] = v[s % 4][e % NLANES];
        }
        for (unsigned j = 0; j < 4; j++) {
            regs[j] = (v2u64)v[j];
            blk[j] = (v2u64)b[j];
        }
    });
    if (load) {
        UNROLL
        for (unsigned s = 0; s < 4; s++) {
            if (s < selem)
                vset(c, (t + s) % 32, regs[s], regb);
        }
    } else {
        memcpy(gptr(base), blk, total);
    }
    writeback(c, in, base, total);
}

/* ---- single structure ----
 * opcode (bits 15:13) >> 1 is the element size (0 B, 1 H, 2 S or, with size = 01, D) or 3 for
 * the replicating loads LD1R..LD4R, whose size is the size field; selem = opcode<0>:R + 1.
 * The lane index is Q:S:size for B, Q:S:size<1> for H, Q:S for S, Q for D. */
SEM(simd_ldst_single)
{
    uint32_t w = in->word;
    unsigned opc = bits(w, 15, 13), size = bits(w, 11, 10), t = rd(in);
    unsigned selem = ((opc & 1) << 1 | bit(w, 21)) + 1, scale = opc >> 1;
    bool load = bit(w, 22), q = q_bit(in);
    uint64_t base = xsp(c, rn(in));
    if (scale == 3) { /* LDnR: one structure, each element replicated to all lanes */
        UNROLL
        for (unsigned s = 0; s < 4; s++) {
            if (s >= selem)
                break;
            uint64_t v = ld_n(base + (s << size), 1u << size);
            v2u64 r = {0, 0};
            FOR_ESIZE(size, { r = (v2u64)((VU){0} + (EU)v); });
            vset(c, (t + s) % 32, r, q ? 16 : 8);
        }
        writeback(c, in, base, selem << size);
        return;
    }
    if (scale == 2 && (size & 1))
        scale = 3;
    unsigned index = (q << 3 | bit(w, 12) << 2 | size) >> scale, eb = 1u << scale;
    UNROLL
    for (unsigned s = 0; s < 4; s++) {
        if (s >= selem)
            break;
        uint8_t *lane = c->vr[(t + s) % 32].b + index * eb;
        if (load)
            memcpy(lane, gptr(base + s * eb), eb);
        else
            memcpy(gptr(base + s * eb), lane, eb);
    }
    writeback(c, in, base, selem * eb);
}
