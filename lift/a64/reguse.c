/*
 * Which general and FP/SIMD registers an instruction reads and which it writes whole, for the
 * liveness of registers at a loop head (lift/dead.c). Only the common scalar forms are known:
 * loads and stores, integer data processing, scalar floating point and its conversions. For
 * anything else the answer is "unknown", and the caller must assume every register is read.
 *
 * The read set may be larger than the truth (an unused Rm field counts as read), the written set
 * never: it holds only registers written whole -- a W register (its top half cleared) or a
 * scalar FP result (the rest of the vector cleared), never a lane. Register 31 (SP or the zero
 * register) is not tracked.
 */
#include "a64.h"

#include <string.h>

#define X(r) (1ull << (r))
#define V(r) (1ull << (32 + (r)))

static uint64_t gpr(unsigned r)
{
    return r == 31 ? 0 : X(r);
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether the token after a row's mnemonic names a general register first: 32 or 64 (maybe
 * with suffixes), where B, H, S, D or Q name an FP/SIMD one. For loads and stores it is the
 * register transferred, for conversions (<mnemonic>_<to><from>) the destination. */
static bool general_first(const char *name)
{
    const char *kind = strchr(name, '_');
    return kind && (kind[1] == '3' || kind[1] == '6');
}

static uint64_t ldst_reg(const char *name, unsigned r)
{
    return general_first(name) ? gpr(r) : V(r);
}

static bool ldst(const char *sem, const char *name, uint32_t w, struct a64_reg_use *u)
{
    unsigned rt = w & 31, rn = (w >> 5) & 31, rm = (w >> 16) & 31, rt2 = (w >> 10) & 31;
    bool pair = strcmp(sem, "sem_ldst_pair") == 0;
    bool lit = strcmp(sem, "sem_ldst_lit") == 0;
    if (!pair && !lit && strcmp(sem, "sem_ldst_pos") != 0 && strcmp(sem, "sem_ldst_imm9") != 0 &&
        strcmp(sem, "sem_ldst_regoff") != 0)
        return false;
    if (!lit)
        u->read |= gpr(rn); /* writeback reads it first, so it never counts as written */
    if (strcmp(sem, "sem_ldst_regoff") == 0)
        u->read |= gpr(rm);
    if (starts(name, "PRF"))
        return true;
    uint64_t t = ldst_reg(name, rt) | (pair ? ldst_reg(name, rt2) : 0);
    if (starts(name, "LD"))
        u->write |= t;
    else
        u->read |= t;
    return true;
}

static bool integer(const char *sem, const char *name, uint32_t w, struct a64_reg_use *u)
{
    unsigned rd = w & 31, rn = (w >> 5) & 31, rm = (w >> 16) & 31, ra = (w >> 10) & 31;
    static const char *const three[] = {"sem_addsub_shift", "sem_log_shift", "sem_addsub_ext",
                                        "sem_addsub_carry", "sem_shiftv",    "sem_div",
                                        "sem_crc32",        "sem_condsel",   "sem_extr"};
    static const char *const one[] = {"sem_addsub_imm", "sem_log_imm", "sem_rev", "sem_rbit",
                                      "sem_clz"};
    for (size_t i = 0; i < sizeof three / sizeof *three; i++)
        if (strcmp(sem, three[i]) == 0) {
            u->read |= gpr(rn) | gpr(rm);
            u->write |= gpr(rd);
            return true;
        }
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        if (strcmp(sem, one[i]) == 0) {
            u->read |= gpr(rn);
            u->write |= gpr(rd);
            return true;
        }
    if (strcmp(sem, "sem_dp_3src") == 0) {
        u->read |= gpr(rn) | gpr(rm) | gpr(ra);
        u->write |= gpr(rd);
    } else if (strcmp(sem, "sem_bitfield") == 0 || strcmp(sem, "sem_movewide") == 0) {
        /* BFM and MOVK keep the rest of Rd. */
        if (starts(name, "BFM") || starts(name, "MOVK"))
            u->read |= gpr(rd);
        if (strcmp(sem, "sem_bitfield") == 0)
            u->read |= gpr(rn);
        u->write |= gpr(rd);
    } else if (strcmp(sem, "sem_adr") == 0) {
        u->write |= gpr(rd);
    } else if (strcmp(sem, "sem_condcmp") == 0 || strcmp(sem, "sem_setf") == 0 ||
               strcmp(sem, "sem_rmif") == 0) {
        u->read |= gpr(rn) | gpr(rm);
    } else {
        return false;
    }
    return true;
}

static bool scalar_fp(const char *sem, const char *name, uint32_t w, struct a64_reg_use *u)
{
    unsigned rd = w & 31, rn = (w >> 5) & 31, rm = (w >> 16) & 31, ra = (w >> 10) & 31;
    if (strcmp(sem, "sem_fp_dp1") == 0 || strcmp(sem, "sem_fp_imm") == 0) {
        u->read |= V(rn);
        u->write |= V(rd);
    } else if (strcmp(sem, "sem_fp_dp2") == 0 || strcmp(sem, "sem_fp_csel") == 0) {
        u->read |= V(rn) | V(rm);
        u->write |= V(rd);
    } else if (strcmp(sem, "sem_fp_dp3") == 0) {
        u->read |= V(rn) | V(rm) | V(ra);
        u->write |= V(rd);
    } else if (strcmp(sem, "sem_fp_cmp") == 0 || strcmp(sem, "sem_fp_ccmp") == 0) {
        u->read |= V(rn) | V(rm);
    } else if (strcmp(sem, "sem_fp_cvt_int") == 0 || strcmp(sem, "sem_fp_mov_gen") == 0 ||
               strcmp(sem, "sem_fp_jcvt") == 0 ||
               (strcmp(sem, "sem_fp_fixed") == 0 && strstr(name, "float2fix"))) {
        if (starts(name, "FMOV_V64I")) { /* into the top half of Vd: a lane */
            u->read |= gpr(rn) | V(rd);
        } else if (general_first(name)) { /* FP to integer */
            u->read |= V(rn);
            u->write |= gpr(rd);
        } else {
            u->read |= gpr(rn);
            u->write |= V(rd);
        }
    } else {
        return false;
    }
    return true;
}

bool a64_reg_use(const struct insn *in, struct a64_reg_use *u)
{
    u->read = u->write = 0;
    if (in->op == A64_UNALLOCATED || in->op >= A64_NUM_OPS ||
        (a64_rows[in->op].flags & (F_RT | F_CALL | F_ICALL | F_IJUMP | F_RET)))
        return false;
    const char *sem = a64_rows[in->op].sem, *name = a64_rows[in->op].name;
    return ldst(sem, name, in->word, u) || integer(sem, name, in->word, u) ||
           scalar_fp(sem, name, in->word, u);
}
