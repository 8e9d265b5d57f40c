/*
 * AArch64 guest description shared by the translator (lift/, optimize/, emit/) and the runtime:
 * the register file, the decoded-instruction record, the decoder, and control-flow facts.
 * Nothing here depends on LLVM, so the runtime's interpreter links the same decoder.
 */
#ifndef XLATE_A64_H
#define XLATE_A64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t v16u8 __attribute__((vector_size(16)));
typedef uint16_t v8u16 __attribute__((vector_size(16)));
typedef uint32_t v4u32 __attribute__((vector_size(16)));
typedef uint64_t v2u64 __attribute__((vector_size(16)));
typedef int8_t v16s8 __attribute__((vector_size(16)));
typedef int16_t v8s16 __attribute__((vector_size(16)));
typedef int32_t v4s32 __attribute__((vector_size(16)));
typedef int64_t v2s64 __attribute__((vector_size(16)));
typedef float v4f32 __attribute__((vector_size(16)));
typedef double v2f64 __attribute__((vector_size(16)));

/* One 128-bit SIMD&FP register, viewed at every lane width. Lane 0 is the least significant. */
union vreg {
    uint8_t b[16];
    uint16_t h[8];
    uint32_t s[4];
    uint64_t d[2];
    float f[4];
    double df[2];
    unsigned __int128 q;
    v16u8 v16b;
    v8u16 v8h;
    v4u32 v4s;
    v2u64 v2d;
};

struct cpu {
#define CPU_REG(name, type)          type name;
#define CPU_ARRAY(name, type, count) type name[count];
#include "cpu.def"
#undef CPU_REG
#undef CPU_ARRAY
    /* Not guest state: 0 when FPCR has the default modes and FPSR.IXC is set, else all
     * ones -- the word the vector FP fast paths OR into their range test (sem/fp_ops.h), so that
     * they do not read FPSR; fp_mask is the scalar fast paths' test mask for doubles and singles,
     * zero unless fp_gate is. a64_fp_gate_sync() recomputes them. Only the safe direction may lag:
     * wherever FPCR is written or IXC can clear they are resynchronized, and where IXC is merely
     * set they may stay closed until the next slow path. */
    uint64_t fp_gate;
    v2u64 fp_mask[2];
};

/* FPCR and FPSR fields (the Arm ARM's FPCR and FPSR register descriptions). */
#define FPCR_FZ16        (1u << 19)
#define FPCR_RMODE_SHIFT 22
#define FPCR_RMODE       (3u << FPCR_RMODE_SHIFT)
#define FPCR_FZ          (1u << 24)
#define FPCR_DN          (1u << 25)
#define FPCR_AHP         (1u << 26)
#define FPSR_IOC         (1u << 0)
#define FPSR_DZC         (1u << 1)
#define FPSR_OFC         (1u << 2)
#define FPSR_UFC         (1u << 3)
#define FPSR_IXC         (1u << 4)
#define FPSR_IDC         (1u << 7)

static inline void a64_fp_gate_sync(struct cpu *c)
{
    c->fp_gate = (c->fpcr & (FPCR_RMODE | FPCR_FZ)) || !(c->fpsr & FPSR_IXC) ? ~0ull : 0;
    /* The exponent field less its lowest bit (sem/fp_ops.h's hot check). */
    c->fp_mask[0] = (v2u64){0x7fe0000000000000ull & ~c->fp_gate, 0};
    c->fp_mask[1] = (v2u64){0x7f000000u & ~c->fp_gate, 0};
}

/* One row per field of cpu.def, in order: where it lives and how big one element is. */
struct a64_field {
    const char *name;
    uint32_t offset, elem_size, count;
};
extern const struct a64_field a64_fields[];
extern const unsigned a64_nfields;

/* A decoded instruction. Semantics read their operand fields from `word`; the lifter passes a
 * constant record, so every field extraction folds away. */
struct insn {
    uint64_t pc;
    uint32_t word;
    uint32_t op;
};

/* Row flags: how an instruction affects control flow, whether it calls into the runtime, and how
 * it uses the condition flags (for their liveness, lift/nzcv.c). */
enum {
    F_RT = 1 << 0,     /* semantics call the runtime: the lifter hands it the real register file */
    F_JUMP = 1 << 1,   /* unconditional direct branch */
    F_COND = 1 << 2,   /* conditional direct branch: target or the next instruction */
    F_CALL = 1 << 3,   /* direct call (BL) */
    F_ICALL = 1 << 4,  /* indirect call (BLR*) */
    F_IJUMP = 1 << 5,  /* indirect branch (BR*) */
    F_RET = 1 << 6,    /* return (RET*) */
    F_NZCV_R = 1 << 7, /* may read N, Z, C or V */
    F_NZCV_W = 1 << 8, /* sets all of N, Z, C and V and reads none */
};

enum a64_op {
    A64_UNALLOCATED,
#define A64(name, mask, value, sem, flags, check) A64_##name,
#include "insn.def"
#undef A64
    A64_NUM_OPS
};

struct a64_row {
    const char *name; /* Arm's encoding name, e.g. "ADD_32_addsub_imm" */
    const char *sem;  /* semantics function, e.g. "sem_addsub_imm" */
    uint32_t mask, value, flags;
    bool (*check)(uint32_t word); /* rejects reserved values inside the row's fields */
};
extern const struct a64_row a64_rows[A64_NUM_OPS];

/* Decode one word; A64_UNALLOCATED when no row matches. Thread-safe after a64_decode_init. */
void a64_decode_init(void);
unsigned a64_decode(uint32_t word);

/* What an instruction does to control flow, as the lifter and the CFG builder need it. */
enum a64_flow_kind {
    FLOW_NEXT,  /* falls through */
    FLOW_JUMP,  /* to target */
    FLOW_COND,  /* to target or the next instruction */
    FLOW_CALL,  /* to target, returning to the next instruction */
    FLOW_ICALL, /* to a register, returning to the next instruction */
    FLOW_IJUMP, /* to a register */
    FLOW_RET,   /* to a register, ending the function */
};
struct a64_flow {
    enum a64_flow_kind kind;
    uint64_t target; /* for FLOW_JUMP, FLOW_COND and FLOW_CALL */
    unsigned reg;    /* for FLOW_ICALL, FLOW_IJUMP and FLOW_RET */
};
void a64_flow(const struct insn *in, struct a64_flow *out);

/* The registers an instruction reads and those it writes whole (reguse.c), as bits: X0-X30 at
 * 0-30, V0-V31 at 32-63; SP and the zero register are not tracked. False for an instruction
 * reguse.c does not know: assume it reads every register. */
struct a64_reg_use {
    uint64_t read, write;
};
bool a64_reg_use(const struct insn *in, struct a64_reg_use *u);

/* Register constants seen along a straight-line walk (addrconst.c). */
struct a64_consts {
    uint64_t val[32];
    uint32_t valid;
};
void a64_consts_reset(struct a64_consts *k);
/* Feed the next instruction; true with *va set when it forms an address (ADR, ADRP + ADD). */
bool a64_consts_step(struct a64_consts *k, const struct insn *in, uint64_t *va);

/* Reads n bytes of the guest image at va; false when they are not all loaded. */
typedef bool a64_read_fn(void *ctx, uint64_t va, void *buf, size_t n);
/* The targets of the jump table dispatched by the BR at br_va (jumptab.c): up to max distinct
 * candidate successors, 0 when no table is recognized. */
unsigned a64_jump_table(a64_read_fn *read, void *ctx, uint64_t br_va, uint64_t *targets,
                        unsigned max);

#endif
