/* Exception generation, hints and the system registers user code may touch. */
#include "sem.h"

SEM(unallocated)
{
    rt_undefined(c, in->pc, in->word);
}

/* C6.2.378 SVC: the syscall number and arguments are in registers; the runtime reads them. */
SEM(svc)
{
    (void)in;
    rt_svc(c);
}

/* C6.2.41 BRK */
SEM(brk)
{
    rt_breakpoint(c, in->pc);
}

SEM(nop)
{
    (void)c;
    (void)in;
}

/* DMB, DSB, ISB: CRm<1:0> is the access type ordered, 01 loads, 10
 * stores, 11 (and the reserved 00) all. The host is TSO and keeps every order except a store
 * before a later load, so only barriers that order stores before loads need a host fence; the
 * others, and ISB (instruction fetch is never stale for us: code that may have changed runs in the
 * interpreter, runtime/smc.c), only keep the compiler from moving guest accesses across them. */
SEM(barrier)
{
    (void)c;
    unsigned type = bits(in->word, 9, 8), op2 = bits(in->word, 7, 5);
    if (op2 != 6 && (type == 0 || type == 3))
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    else
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* CLREX: clears the exclusive monitor (see atomic.c). */
SEM(clrex)
{
    (void)in;
    c->excl_addr = ~0ull;
}

/* CFINV, XAFLAG, AXFLAG (FEAT_FlagM, FEAT_FlagM2). XAFLAG and AXFLAG
 * convert from and to the "external" format of floating-point comparison results, as in
 * their Operation pseudocode; op2 = 1 and 2. */
SEM(flagm)
{
    unsigned op2 = bits(in->word, 7, 5);
    uint8_t z = c->z, cf = c->c, v = c->v;
    if (op2 == 0) {
        c->c = !cf;
    } else if (op2 == 1) {
        c->n = !cf && !z;
        c->z = z && cf;
        c->c = cf || z;
        c->v = !cf && z;
    } else {
        c->n = 0;
        c->z = z || v;
        c->c = cf && !v;
        c->v = 0;
    }
}

/* FPCR and FPSR keep only their writable bits, as on qemu-aarch64. FPCR: AHP, DN, FZ, RMode,
 * FZ16, and the AArch32 Len and Stride, which the Arm ARM lets an implementation make either
 * programmable or RAZ (bits 26:16); the trap enables are RAZ/WI because trapped floating-point
 * exceptions are not implemented, and FEAT_AFP's bits are RES0. FPSR: the AArch32 NZCV, QC and
 * the cumulative exception flags (bits 31:27, 7 and 4:0). */
#define FPCR_WRITABLE 0x07ff0000u
#define FPSR_WRITABLE 0xf800009fu

/* Identification registers, as qemu-aarch64 reports them: MIDR_EL1 (which Linux emulates for
 * EL0) names no real part (implementer 0, part 'Q'); CTR_EL0 gives 32-byte cache lines.
 * DCZID_EL0 (BS = 4: blocks of 2^4 words) says DC ZVA is allowed and zeroes 64 bytes, as on
 * most Arm cores (qemu-aarch64 reports 512 bytes). */
#define MIDR_VALUE  0x000f0510u
#define CTR_VALUE   0x80038003u
#define DCZID_VALUE 4u
#define ZVA_BYTES   64u

/* MRS. The decoder admits only the registers below. */
SEM(mrs)
{
    uint64_t v;
    switch (bits(in->word, 20, 5)) {
    case A64_SYSREG_NZCV: v = (uint64_t)get_nzcv(c) << 28; break;
    case A64_SYSREG_FPCR: v = c->fpcr; break;
    case A64_SYSREG_FPSR: v = c->fpsr; break;
    case A64_SYSREG_TPIDR_EL0: v = c->tpidr; break;
    case A64_SYSREG_MIDR_EL1: v = MIDR_VALUE; break;
    case A64_SYSREG_CTR_EL0: v = CTR_VALUE; break;
    default: v = DCZID_VALUE; break;
    }
    set_xr(c, rd(in), v);
}

/* MSR (register). The decoder admits only the registers below. */
SEM(msr)
{
    uint64_t v = xr(c, rd(in));
    switch (bits(in->word, 20, 5)) {
    case A64_SYSREG_NZCV: set_nzcv(c, (unsigned)(v >> 28) & 15); break;
    case A64_SYSREG_FPCR:
        c->fpcr = (uint32_t)v & FPCR_WRITABLE;
        a64_fp_gate_sync(c);
        break;
    case A64_SYSREG_FPSR:
        c->fpsr = (uint32_t)v & FPSR_WRITABLE;
        a64_fp_gate_sync(c);
        break;
    default: c->tpidr = v; break;
    }
}

/* SYS: DC ZVA zeroes the aligned block holding Xt; the cache maintenance
 * operations (DC CVAC, CVAU, CIVAC, IC IVAU) have no effect we can observe -- code that may
 * change is found by the system calls that make it writable (runtime/smc.c), not by IC IVAU. */
SEM(sys)
{
    if (bits(in->word, 11, 8) == 4)
        memset(gptr(xr(c, rd(in)) & ~(uint64_t)(ZVA_BYTES - 1)), 0, ZVA_BYTES);
}
