/*
 * a64_reg_use (lift/a64/reguse.c) against capstone's operand access. For pseudo-random words of
 * every row (a fixed seed), wherever a64_reg_use answers:
 *  - every register capstone says the instruction reads (an operand it reads, or a memory
 *    operand's base or index) must be in our read set: a read we missed would let the lifter
 *    clear a live register at a loop head;
 *  - every register in our written set must be an operand capstone says is written.
 * Registers are the general ones (X0-X30, as W or X) and the FP/SIMD ones (V0-V31 as B, H, S, D,
 * Q or V); SP and the zero registers are not tracked. Words capstone cannot decode are skipped.
 * Exit status 1 when a check fails, with up to three words per row.
 *
 * Capstone 4.0.2's access tables are wrong for a few rows, all about the destination: it says
 * MOVZ, MOVN, SBFM, UBFM (and their aliases: mov, sbfx, ubfiz, lsl...) and FMOV (immediate) read
 * their destination too, and that ADDS (immediate, 32-bit) reads its destination and does not
 * write it. The Arm ARM's pseudocode for each writes Rd without reading it. For those rows only
 * the destination is left out of both checks.
 */
#include "../../lift/a64/a64.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES 3

/* Our bit for a capstone register, or -1 for one we do not track. */
static int bit(arm64_reg r)
{
    if (r >= ARM64_REG_X0 && r <= ARM64_REG_X28)
        return (int)(r - ARM64_REG_X0);
    if (r == ARM64_REG_X29 || r == ARM64_REG_X30)
        return r == ARM64_REG_X29 ? 29 : 30;
    if (r >= ARM64_REG_W0 && r <= ARM64_REG_W30)
        return (int)(r - ARM64_REG_W0);
    static const arm64_reg vbase[] = {ARM64_REG_B0, ARM64_REG_H0, ARM64_REG_S0,
                                      ARM64_REG_D0, ARM64_REG_Q0, ARM64_REG_V0};
    for (unsigned i = 0; i < sizeof vbase / sizeof *vbase; i++)
        if (r >= vbase[i] && r <= vbase[i] + 31)
            return 32 + (int)(r - vbase[i]);
    return -1;
}

static uint64_t mask_of(arm64_reg r)
{
    int b = bit(r);
    return b < 0 ? 0 : 1ull << b;
}

static const char *const capstone_wrong_rd[] = {
    "MOVZ_32_movewide",  "MOVZ_64_movewide",  "MOVN_32_movewide",    "MOVN_64_movewide",
    "SBFM_32M_bitfield", "SBFM_64M_bitfield", "UBFM_32M_bitfield",   "UBFM_64M_bitfield",
    "FMOV_S_floatimm",   "FMOV_D_floatimm",   "ADDS_32S_addsub_imm",
};

static bool wrong_rd(const char *name)
{
    for (unsigned i = 0; i < sizeof capstone_wrong_rd / sizeof *capstone_wrong_rd; i++)
        if (strcmp(name, capstone_wrong_rd[i]) == 0)
            return true;
    return false;
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int main(int argc, char **argv)
{
    unsigned per_row = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
    a64_decode_init();
    csh cs;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK) {
        fprintf(stderr, "reguse_vs_capstone: capstone does not open\n");
        return 1;
    }
    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *ci = cs_malloc(cs);
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    unsigned rows = 0, words = 0, failed_rows = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++) {
        const struct a64_row *row = &a64_rows[op];
        unsigned bad = 0, seen = 0;
        bool excuse_rd = wrong_rd(row->name);
        for (unsigned i = 0; i < per_row; i++) {
            struct insn in = {.word = ((uint32_t)next(&seed) & ~row->mask) | row->value};
            in.op = a64_decode(in.word);
            struct a64_reg_use u;
            if (in.op != op || !a64_reg_use(&in, &u))
                continue;
            const uint8_t *code = (const uint8_t *)&in.word;
            size_t size = 4;
            uint64_t addr = 0x400000;
            if (!cs_disasm_iter(cs, &code, &size, &addr, ci))
                continue;
            seen++;
            uint64_t cs_read = 0, cs_written = 0;
            const cs_arm64 *a = &ci->detail->arm64;
            for (unsigned k = 0; k < a->op_count; k++) {
                const cs_arm64_op *o = &a->operands[k];
                if (o->type == ARM64_OP_REG) {
                    if (o->access & CS_AC_READ)
                        cs_read |= mask_of(o->reg);
                    if (o->access & CS_AC_WRITE)
                        cs_written |= mask_of(o->reg);
                } else if (o->type == ARM64_OP_MEM) {
                    cs_read |= mask_of(o->mem.base) | mask_of(o->mem.index);
                }
            }
            uint64_t missed = cs_read & ~u.read, invented = u.write & ~cs_written;
            if (excuse_rd) {
                uint64_t rd = (uint64_t)1 << ((in.word & 31) + (row->name[0] == 'F' ? 32 : 0));
                missed &= ~rd;
                invented &= ~rd;
            }
            if (missed || invented) {
                if (bad++ < EXAMPLES)
                    fprintf(stderr,
                            "%s: %08x (%s %s): reads we miss %#llx, writes capstone does not "
                            "list %#llx\n",
                            row->name, in.word, ci->mnemonic, ci->op_str,
                            (unsigned long long)missed, (unsigned long long)invented);
            }
        }
        if (seen) {
            rows++;
            words += seen;
        }
        failed_rows += bad != 0;
    }
    printf("reguse: %u rows, %u words checked against capstone; %u rows disagree\n", rows, words,
           failed_rows);
    cs_free(ci, 1);
    cs_close(&cs);
    return failed_rows ? 1 : 0;
}
