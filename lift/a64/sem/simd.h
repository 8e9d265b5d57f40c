/*
 * Helpers shared by the integer AdvSIMD semantics (simd_int.c, simd_perm.c, simd_ldst.c,
 * crypto.c). Operations are written with GCC vector extensions, which clang and gcc both accept,
 * so that lifted code becomes host vector instructions. Every element size has its own code
 * path (FOR_ESIZE, FOR_NSIZE); with the instruction word constant, the size field selects one
 * path and the rest folds away. Loops inside a path have constant trip counts, so clang unrolls
 * them (usually into shuffles) when it compiles the semantics to bitcode.
 */
#ifndef XLATE_SIMD_H
#define XLATE_SIMD_H

#include "sem.h"

/* 8-byte vectors: one half of a register, for the long, wide and narrow forms. */
typedef uint8_t v8u8 __attribute__((vector_size(8)));
typedef uint16_t v4u16 __attribute__((vector_size(8)));
typedef uint32_t v2u32 __attribute__((vector_size(8)));
typedef int8_t v8s8 __attribute__((vector_size(8)));
typedef int16_t v4s16 __attribute__((vector_size(8)));
typedef int32_t v2s32 __attribute__((vector_size(8)));

/* Lane loops must be unrolled when the semantics are compiled to bitcode: the lifter's pipeline
 * has no loop passes, and only unrolled lane accesses fold into shuffles once the instruction
 * word is constant. (The interpreter's native build does not need it.) */
#ifdef __clang__
#define UNROLL _Pragma("clang loop unroll(full)")
#else
#define UNROLL
#endif

/* ---- fields ---- */

static inline bool q_bit(const struct insn *in)
{
    return bit(in->word, 30);
}
static inline bool u_bit(const struct insn *in)
{
    return bit(in->word, 29);
}
static inline unsigned vsize(const struct insn *in)
{
    return bits(in->word, 23, 22);
}
/* Scalar (asisd*) encodings have bit 28 set where the vector (asimd*) ones have it clear. */
static inline bool scalar_form(const struct insn *in)
{
    return bit(in->word, 28);
}
/* Bytes a vector or scalar result occupies: 16 (Q=1), 8 (Q=0), or one element of 1 << size. */
static inline unsigned result_bytes(const struct insn *in, unsigned size)
{
    return scalar_form(in) ? 1u << size : q_bit(in) ? 16 : 8;
}

/* ---- registers ---- */

static inline v2u64 vget(const struct cpu *c, unsigned n)
{
    return c->vr[n].v2d;
}

/* All-ones in the low `bytes` bytes (1..16). */
static inline v2u64 keep_mask(unsigned bytes)
{
    return (v2u64){bytes >= 8 ? ~0ull : (1ull << 8 * bytes) - 1, bytes >= 16 ? ~0ull : 0};
}

/* Write the low `bytes` bytes of r to Vn and zero the rest (a D-form result clears the upper
 * half, a scalar result everything above its element). */
static inline void vset(struct cpu *c, unsigned n, v2u64 r, unsigned bytes)
{
    c->vr[n].v2d = r & keep_mask(bytes);
}

/* Narrowing "2" forms (Q=1) write the upper half and keep the lower one; Q=0 forms write the lower
 * half and clear the upper one. */
static inline void vset_half(struct cpu *c, unsigned n, uint64_t r, bool upper)
{
    c->vr[n].v2d = upper ? (v2u64){c->vr[n].d[0], r} : (v2u64){r, 0};
}

/* Sets FPSR.QC when `sat` is nonzero (branch-free: QC is sticky, so or-ing in 0 is harmless). */
static inline void or_qc(struct cpu *c, uint64_t sat)
{
    c->fpsr |= (uint32_t)(sat != 0) << 27;
}

/* Sets FPSR.QC when any element of `sat` within the result's low `bytes` is nonzero. */
static inline void set_qc(struct cpu *c, v2u64 sat, unsigned bytes)
{
    sat &= keep_mask(bytes);
    or_qc(c, sat[0] | sat[1]);
}

/* ---- per-size code paths ----
 * FOR_ESIZE(size, body) runs body with, for element size 8 << size:
 *   VU, VS   16-byte vectors of unsigned / signed elements
 *   EU, ES   the element types
 *   EBITS    the element size in bits, NLANES the elements in 16 bytes
 * FOR_NSIZE(size, body) is for sizes 0..2 (the decoder rejects 3) and adds
 *   HU, HS   8-byte vectors of the same elements (one half of a register)
 *   WU, WS   16-byte vectors of double-size elements (NLANES / 2 of them)
 *   WEU, WES the double-size element types
 * The body is a statement list; commas inside it are fine. */
#define SIMD_T_(name, type) typedef type name __attribute__((unused));
#define SIMD_E_(vu, vs, eu, es, n)                                                                 \
    SIMD_T_(VU, vu)                                                                                \
    SIMD_T_(VS, vs) SIMD_T_(EU, eu) SIMD_T_(ES, es) enum { EBITS = 128 / (n), NLANES = (n) };
#define SIMD_N_(hu, hs, wu, ws, weu, wes)                                                          \
    SIMD_T_(HU, hu)                                                                                \
    SIMD_T_(HS, hs) SIMD_T_(WU, wu) SIMD_T_(WS, ws) SIMD_T_(WEU, weu) SIMD_T_(WES, wes)

#define FOR_ESIZE(size, ...)                                                                       \
    do {                                                                                           \
        switch (size) {                                                                            \
        case 0: {                                                                                  \
            SIMD_E_(v16u8, v16s8, uint8_t, int8_t, 16) __VA_ARGS__                                 \
        } break;                                                                                   \
        case 1: {                                                                                  \
            SIMD_E_(v8u16, v8s16, uint16_t, int16_t, 8) __VA_ARGS__                                \
        } break;                                                                                   \
        case 2: {                                                                                  \
            SIMD_E_(v4u32, v4s32, uint32_t, int32_t, 4) __VA_ARGS__                                \
        } break;                                                                                   \
        default: {                                                                                 \
            SIMD_E_(v2u64, v2s64, uint64_t, int64_t, 2) __VA_ARGS__                                \
        } break;                                                                                   \
        }                                                                                          \
    } while (0)

#define FOR_NSIZE(size, ...)                                                                       \
    do {                                                                                           \
        switch (size) {                                                                            \
        case 0: {                                                                                  \
            SIMD_E_(v16u8, v16s8, uint8_t, int8_t, 16)                                             \
            SIMD_N_(v8u8, v8s8, v8u16, v8s16, uint16_t, int16_t) __VA_ARGS__                       \
        } break;                                                                                   \
        case 1: {                                                                                  \
            SIMD_E_(v8u16, v8s16, uint16_t, int16_t, 8)                                            \
            SIMD_N_(v4u16, v4s16, v4u32, v4s32, uint32_t, int32_t) __VA_ARGS__                     \
        } break;                                                                                   \
        default: {                                                                                 \
            SIMD_E_(v4u32, v4s32, uint32_t, int32_t, 4)                                            \
            SIMD_N_(v2u32, v2s32, v2u64, v2s64, uint64_t, int64_t) __VA_ARGS__                     \
        } break;                                                                                   \
        }                                                                                          \
    } while (0)

/* Bitwise select: lanes of a where m is all-ones, of b where it is zero. */
#define VSEL(m, a, b) (((m) & (a)) | (~(m) & (b)))

/* The largest and smallest element values of the current size, as vectors. */
#define VUMAX ((VU){0} + (EU) ~(EU)0)
#define VSMAX ((VS){0} + (ES)((EU) ~(EU)0 >> 1))
#define VSMIN ((VS){0} + (ES)(((EU) ~(EU)0 >> 1) + 1))

/* One half (0 low, 1 high) of a 16-byte vector as an 8-byte one, and back. */
static inline uint64_t half64(v2u64 x, unsigned upper)
{
    return x[upper];
}
#define HALF(T, x, upper)                                                                          \
    ({                                                                                             \
        T h_;                                                                                      \
        uint64_t b_ = half64((v2u64)(x), (upper));                                                 \
        memcpy(&h_, &b_, 8);                                                                       \
        h_;                                                                                        \
    })
#define HALF_BITS(h)                                                                               \
    ({                                                                                             \
        uint64_t b_;                                                                               \
        memcpy(&b_, &(h), 8);                                                                      \
        b_;                                                                                        \
    })

/* Carry-less multiply of each 16-bit element's low bytes (a, b < 256; the product fits 15
 * bits), in vector operations: PMUL keeps the low byte, PMULL the whole product. */
static inline v8u16 clmul8(v8u16 a, v8u16 b)
{
    v8u16 r = {0};
    UNROLL
    for (unsigned i = 0; i < 8; i++) {
        r ^= (a << i) & -((b >> i) & 1);
    }
    return r;
}

#endif
