/*
 * Start-up: map the guest image at its own addresses, build the guest's initial stack exactly as
 * the arm64 kernel does (create_elf_tables), and run the guest on a large host stack -- translated
 * guest calls are host calls, so deep guest recursion needs host stack to match.
 */
#include "rt.h"

#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define GUEST_STACK_MIN (8ull << 20) /* when RLIMIT_STACK says nothing useful */
#define GUEST_STACK_MAX (4ull << 30) /* reserved, not committed */
#define STACK_GUARD_GAP (1ull << 20) /* the kernel's stack_guard_gap: 256 pages */
#define HOST_STACK_SIZE (4ull << 30) /* reserved, not committed */

/* The arm64 AT_HWCAP/AT_HWCAP2 bits (arch/arm64/include/uapi/asm/hwcap.h) of exactly the
 * features the decoder implements, so glibc and other libraries pick only code paths we run.
 * Not advertised: FP16 arithmetic, complex numbers (FCMA), FHM, SM3/SM4, SVE, pointer
 * authentication, MTE, DC CVAP, LSE2, SSBS/SB/DIT, and CPUID (MRS of ID registers traps). */
#define HWCAP_FP       (1ul << 0)
#define HWCAP_ASIMD    (1ul << 1)
#define HWCAP_AES      (1ul << 3)
#define HWCAP_PMULL    (1ul << 4)
#define HWCAP_SHA1     (1ul << 5)
#define HWCAP_SHA2     (1ul << 6)
#define HWCAP_CRC32    (1ul << 7)
#define HWCAP_ATOMICS  (1ul << 8)
#define HWCAP_ASIMDRDM (1ul << 12)
#define HWCAP_JSCVT    (1ul << 13)
#define HWCAP_LRCPC    (1ul << 15)
#define HWCAP_SHA3     (1ul << 17)
#define HWCAP_ASIMDDP  (1ul << 20)
#define HWCAP_SHA512   (1ul << 21)
#define HWCAP_ILRCPC   (1ul << 26)
#define HWCAP_FLAGM    (1ul << 27)
#define HWCAP2_FLAGM2  (1ul << 7)
#define GUEST_HWCAP                                                                                \
    (HWCAP_FP | HWCAP_ASIMD | HWCAP_AES | HWCAP_PMULL | HWCAP_SHA1 | HWCAP_SHA2 | HWCAP_CRC32 |    \
     HWCAP_ATOMICS | HWCAP_ASIMDRDM | HWCAP_JSCVT | HWCAP_LRCPC | HWCAP_SHA3 | HWCAP_ASIMDDP |     \
     HWCAP_SHA512 | HWCAP_ILRCPC | HWCAP_FLAGM)

_Noreturn void rt_fatal(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    if (write(2, "xlate: ", 7) < 0 || write(2, buf, (size_t)n) < 0)
        _exit(127);
    _exit(127);
}

_Noreturn void rt_die_by_signal(int sig)
{
    /* Default action, no core file: the exit status matches the guest killed by sig. Raw calls:
     * after a raw clone the host libc's idea of our thread may be stale. */
    struct rlimit nocore = {0, 0};
    setrlimit(RLIMIT_CORE, &nocore);
    struct {
        uint64_t handler, flags, restorer, mask;
    } dfl = {0, 0, 0, 0};
    rt_host_syscall(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)(uintptr_t)&dfl, 0, 8, 0, 0);
    uint64_t unblock = 1ull << (sig - 1);
    rt_host_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (uint64_t)(uintptr_t)&unblock, 0, 8, 0, 0);
    rt_host_syscall(SYS_tgkill, (uint64_t)getpid(), (uint64_t)syscall(SYS_gettid), (uint64_t)sig, 0,
                    0, 0);
    _exit(128 + sig);
}

struct stack_builder {
    uint64_t top, sp;
};

static uint64_t push_bytes(struct stack_builder *s, const void *p, size_t n)
{
    s->sp -= n;
    memcpy((void *)(uintptr_t)s->sp, p, n);
    return s->sp;
}

static bool guest_env(const char *e)
{
    /* Our own controls are not part of the guest's environment. */
    return strncmp(e, "XLATE_", 6) != 0;
}

static uint64_t build_stack(int argc, char **argv, char **envp, const char *execfn_str)
{
    /* As large as RLIMIT_STACK lets the kernel grow a main stack, with an inaccessible gap
     * below: an overflowing guest gets SIGSEGV instead of writing over whatever is mapped
     * there (the runtime's own stack, perhaps). */
    struct rlimit rl;
    uint64_t size = GUEST_STACK_MIN;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > size)
        size = rl.rlim_cur < GUEST_STACK_MAX ? (rl.rlim_cur + 4095) & ~4095ull : GUEST_STACK_MAX;
    else if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY)
        size = GUEST_STACK_MAX;
    char *mem = mmap(NULL, size + STACK_GUARD_GAP, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED || mprotect(mem + STACK_GUARD_GAP, size, PROT_READ | PROT_WRITE))
        rt_fatal("cannot allocate the guest stack: %s", strerror(errno));
    rt_mem_track((uint64_t)(uintptr_t)mem + STACK_GUARD_GAP, size, true);
    struct stack_builder s = {.top = (uint64_t)(uintptr_t)mem + STACK_GUARD_GAP + size};
    s.sp = s.top;

    int envc = 0;
    for (char **e = envp; *e; e++)
        envc += guest_env(*e);
    /* Not from the heap: the guest's malloc is the host's (lift/routines.c), and a block freed
     * here would be the guest's first, holding our data where a new program's heap is all zeros
     * (a GCC torture test that prints an uninitialized block printed it). */
    size_t scratch = ((size_t)argc + 1 + (size_t)envc + 1) * 8;
    uint64_t *argv_va =
        mmap(NULL, scratch, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (argv_va == MAP_FAILED)
        rt_fatal("out of memory");
    uint64_t *envp_va = argv_va + argc + 1;

    /* Strings, highest first: the program name for AT_EXECFN, environment, arguments. */
    uint64_t execfn = push_bytes(&s, execfn_str, strlen(execfn_str) + 1);
    int nenv = 0, k = envc;
    while (envp[nenv])
        nenv++;
    for (int i = nenv - 1; i >= 0; i--)
        if (guest_env(envp[i]))
            envp_va[--k] = push_bytes(&s, envp[i], strlen(envp[i]) + 1);
    for (int i = argc - 1; i >= 0; i--)
        argv_va[i] = push_bytes(&s, argv[i], strlen(argv[i]) + 1);
    uint64_t platform = push_bytes(&s, "aarch64", 8);
    uint8_t random[16];
    memcpy(random, (const void *)getauxval(AT_RANDOM), 16);
    s.sp &= ~15ull;
    uint64_t random_va = push_bytes(&s, random, 16);

    const struct rt_image *img = rt_img;
    uint64_t auxv[][2] = {
        {AT_HWCAP, GUEST_HWCAP},
        {AT_PAGESZ, 4096},
        {AT_CLKTCK, (uint64_t)sysconf(_SC_CLK_TCK)},
        {AT_PHDR, img->phdr_va},
        {AT_PHENT, img->phentsize},
        {AT_PHNUM, img->phnum},
        {AT_BASE, 0},
        {AT_FLAGS, 0},
        {AT_ENTRY, img->entry},
        {AT_UID, getuid()},
        {AT_EUID, geteuid()},
        {AT_GID, getgid()},
        {AT_EGID, getegid()},
        {AT_SECURE, 0},
        {AT_RANDOM, random_va},
        {AT_HWCAP2, HWCAP2_FLAGM2},
        {AT_EXECFN, execfn},
        {AT_PLATFORM, platform},
        {AT_NULL, 0},
    };
    size_t nwords = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * (sizeof auxv / sizeof auxv[0]);
    s.sp = (s.sp - nwords * 8) & ~15ull;
    uint64_t *w = (uint64_t *)(uintptr_t)s.sp;
    *w++ = (uint64_t)argc;
    for (int i = 0; i < argc; i++)
        *w++ = argv_va[i];
    *w++ = 0;
    for (int i = 0; i < envc; i++)
        *w++ = envp_va[i];
    *w++ = 0;
    memcpy(w, auxv, sizeof auxv);
    munmap(argv_va, scratch);
    return s.sp;
}

const struct rt_image *rt_img = &xlate_image;
const char *rt_exe_path;

static struct rt_thread *main_thread;

static void run_main(void)
{
    rt_run(&main_thread->cpu);
}

static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

int main(int argc, char **argv, char **envp)
{
    rt_strace = env_flag("XLATE_STRACE");
    /* XLATE_GUEST=FILE: run that AArch64 ELF instead of the embedded image, interpreted (what
     * an execve of a guest program turns into, see process.c). */
    const char *guest = getenv("XLATE_GUEST");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    if (guest && *guest) {
        char err[512];
        rt_img = rt_load_elf(guest, err, sizeof err);
        if (!rt_img)
            rt_fatal("%s", err);
        rt_exe_path = realpath(guest, NULL);
        execfn = guest;
    } else if (!rt_img->nsegs) {
        /* xlate-run (emit/runner.c) started by itself rather than through xlate --run. */
        rt_fatal("no guest program: run one with xlate --run GUEST [ARGS...]");
    }
    if (!execfn)
        execfn = argc ? argv[0] : "";
    rt_xstate_init();
    rt_dispatch_init(rt_img != &xlate_image || env_flag("XLATE_INTERP"));
    if (rt_mem_init(rt_img) != 0)
        rt_fatal("%s: cannot map the guest image at its addresses", rt_img->name);

    main_thread = rt_thread_main();
    struct cpu *c = &main_thread->cpu;
    c->x[31] = build_stack(argc, argv, envp, execfn);
    c->pc = rt_img->entry;
    rt_signal_init();

    /* A guard gap at the bottom: overflowing it is a clean SIGSEGV. */
    char *stack = mmap(NULL, HOST_STACK_SIZE, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED || mprotect(stack + STACK_GUARD_GAP, HOST_STACK_SIZE - STACK_GUARD_GAP,
                                        PROT_READ | PROT_WRITE))
        rt_fatal("cannot reserve the host stack: %s", strerror(errno));
    static ucontext_t here, guest_ctx;
    getcontext(&guest_ctx);
    guest_ctx.uc_stack.ss_sp = stack + STACK_GUARD_GAP;
    guest_ctx.uc_stack.ss_size = HOST_STACK_SIZE - STACK_GUARD_GAP;
    guest_ctx.uc_link = &here;
    makecontext(&guest_ctx, run_main, 0);
    swapcontext(&here, &guest_ctx);
    rt_fatal("internal: the guest context ended");
}
