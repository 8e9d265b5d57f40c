/*
 * The pc in the signal frame of a synchronous fault is the faulting instruction's, wherever it
 * is in a function: faults at distinct instructions of one assembly function (fp_fn, called
 * directly, so it is translated ahead of time), each reported as an offset from the function
 * and checked against the instruction the assembly marks. The handler leaves with siglongjmp.
 *   - a load from a PROT_NONE page (SEGV_ACCERR), from an unmapped page (SEGV_MAPERR) and from
 *     a file mapping beyond the end of the file (SIGBUS)
 *   - a store
 *   - a load in a loop that walks into the bad page
 *   - a load right after a call returned
 *   - BRK (SIGTRAP) and UDF (SIGILL), where si_addr is the pc too
 * Every case runs three times: the first fault and the later ones take different paths in a
 * translator that maps host to guest pcs lazily.
 */
#define _GNU_SOURCE /* TRAP_BRKPT */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

/* fp_fn(case, bad, good): x1 = an address that faults, x2 = a readable buffer whose 64 bytes
 * end where x1's page starts. fp_where[case] = offset of the instruction that faults. */
uint64_t fp_fn(uint64_t which, uint64_t bad, uint64_t good);
extern const uint64_t fp_where[8];
__asm__(".text\n"
        ".globl fp_helper\n"
        ".type fp_helper, %function\n"
        "fp_helper:\n"
        "  add x0, x1, #40\n"
        "  ret\n"
        ".size fp_helper, .-fp_helper\n"
        ".globl fp_fn\n"
        ".type fp_fn, %function\n"
        "fp_fn:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  mov x29, sp\n"
        "  cmp x0, #1\n"
        "  b.eq .Lload\n"
        "  cmp x0, #2\n"
        "  b.eq .Lstore\n"
        "  cmp x0, #3\n"
        "  b.eq .Lloop\n"
        "  cmp x0, #4\n"
        "  b.eq .Lcall\n"
        "  cmp x0, #5\n"
        "  b.eq .Lbrk\n"
        "  cmp x0, #6\n"
        "  b.eq .Ludf\n"
        "  mov x0, #0\n"
        "  b .Ldone\n"
        ".Lload:\n"
        "  add x3, x1, #8\n"
        ".Lload_at:\n"
        "  ldr x0, [x3, #8]\n"
        "  b .Ldone\n"
        ".Lstore:\n"
        "  mov x4, #7\n"
        ".Lstore_at:\n"
        "  str x4, [x1, #24]\n"
        "  mov x0, x4\n"
        "  b .Ldone\n"
        ".Lloop:\n"
        "  mov x0, #0\n"
        "  mov x5, #1000\n"
        ".Lloop_head:\n"
        ".Lloop_at:\n"
        "  ldr x6, [x2], #8\n"
        "  add x0, x0, x6\n"
        "  subs x5, x5, #1\n"
        "  b.ne .Lloop_head\n"
        "  b .Ldone\n"
        ".Lcall:\n"
        "  bl fp_helper\n"
        ".Lcall_at:\n"
        "  ldr w0, [x0]\n"
        "  b .Ldone\n"
        ".Lbrk:\n"
        ".Lbrk_at:\n"
        "  brk #0x17\n"
        "  b .Ldone\n"
        ".Ludf:\n"
        ".Ludf_at:\n"
        "  udf #0\n"
        ".Ldone:\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".size fp_fn, .-fp_fn\n"
        ".section .rodata\n"
        ".balign 8\n"
        ".globl fp_where\n"
        "fp_where:\n"
        "  .quad 0, .Lload_at - fp_fn, .Lstore_at - fp_fn, .Lloop_at - fp_fn\n"
        "  .quad .Lcall_at - fp_fn, .Lbrk_at - fp_fn, .Ludf_at - fp_fn, 0\n"
        ".text\n");

static sigjmp_buf jb;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_pc;

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = (uintptr_t)uc->uc_mcontext.pc;
    siglongjmp(jb, 1);
}

static const char *sig_name(int sig)
{
    return sig == SIGSEGV   ? "SIGSEGV"
           : sig == SIGBUS  ? "SIGBUS"
           : sig == SIGTRAP ? "SIGTRAP"
           : sig == SIGILL  ? "SIGILL"
                            : "other";
}

/* Runs case `which` with x1 = bad, x2 = good and prints what the handler saw (addresses in
 * data relative to `base`, addresses in code relative to fp_fn) and whether si_code is `code`. */
static void run(const char *what, uint64_t which, char *bad, char *good, char *base, int code)
{
    for (int round = 0; round < 3; round++) {
        got_sig = 0;
        if (sigsetjmp(jb, 1) == 0) {
            uint64_t r = fp_fn(which, (uint64_t)(uintptr_t)bad, (uint64_t)(uintptr_t)good);
            printf("%s: no fault (returned %llu)\n", what, (unsigned long long)r);
            continue;
        }
        uintptr_t fn = (uintptr_t)fp_fn;
        long pc = (long)(got_pc - fn);
        int code_addr = got_sig == SIGTRAP || got_sig == SIGILL;
        long addr = (long)(got_addr - (code_addr ? fn : (uintptr_t)base));
        printf("%s: %s at %s%+ld, pc fp_fn%+ld: %s\n", what, sig_name(got_sig),
               code_addr ? "fp_fn" : "base", addr, pc,
               pc == (long)fp_where[which] ? "the faulting instruction" : "WRONG");
        /* qemu-aarch64 reports UDF as ILL_ILLOPN; the kernel's do_undefinstr says ILL_ILLOPC. */
        printf("%s%s: si_code %s\n", got_sig == SIGILL ? "kernel-only: " : "", what,
               got_code == code ? "ok" : "FAILED");
    }
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGTRAP, SIGILL};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);

    /* page 0 readable, page 1 PROT_NONE, page 2 unmapped, page 3 a file mapping past its end */
    long pg = sysconf(_SC_PAGESIZE);
    char *base = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return 1;
    for (long i = 0; i < pg; i++)
        base[i] = (char)(i & 0x7f);
    mprotect(base + pg, pg, PROT_NONE);
    munmap(base + 2 * pg, pg);
    int fd = open("faultpc.empty", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || mmap(base + 3 * pg, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) ==
                      MAP_FAILED)
        return 1;
    close(fd);
    unlink("faultpc.empty");
    char *good = base + pg - 64;

    run("load (PROT_NONE)", 1, base + pg, good, base, SEGV_ACCERR);
    run("load (unmapped)", 1, base + 2 * pg, good, base, SEGV_MAPERR);
    run("load (past the end of a file)", 1, base + 3 * pg, good, base, BUS_ADRERR);
    run("store", 2, base + pg, good, base, SEGV_ACCERR);
    run("load in a loop", 3, base + pg, good, base, SEGV_ACCERR);
    run("load after a call", 4, base + pg, good, base, SEGV_ACCERR);
    run("brk", 5, base + pg, good, base, TRAP_BRKPT);
    run("udf", 6, base + pg, good, base, ILL_ILLOPC);
    printf("no fault: %llu\n", (unsigned long long)fp_fn(0, 0, 0));
    return 0;
}
