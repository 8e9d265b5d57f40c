/* The xlate command line: xlate INPUT -o OUTPUT [options], or xlate --run GUEST [ARGS...]. */
#include "emit.h"

#include "../lift/a64/a64.h"
#include "../optimize/optimize.h"

#include <errno.h>
#include <limits.h>
#include <llvm-c/Analysis.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define XLATE_VERSION "0.1.0"

enum { EXIT_BAD_INPUT = 1, EXIT_INTERNAL = 2 };

struct options {
    const char *input, *output, *emit_llvm, *host_cpu;
    int level;
    unsigned threads;
    bool verbose;
};

static const char *llvm_version(void)
{
    static char buf[32];
    unsigned maj, min, patch;
    LLVMGetVersion(&maj, &min, &patch);
    snprintf(buf, sizeof buf, "%u.%u.%u", maj, min, patch);
    return buf;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: xlate INPUT -o OUTPUT [options]\n"
            "       xlate --run GUEST [ARGS...]\n"
            "Translate a static AArch64 Linux executable into an x86-64 Linux executable, or\n"
            "run one directly (--run: no translation ahead of time, every instruction goes\n"
            "through the runtime's interpreter; the guest sees GUEST as its argv[0] and\n"
            "/proc/self/exe, as if the kernel had run it).\n"
            "\n"
            "  -o FILE            write the translated executable to FILE\n"
            "  -O0 -O1 -O2 -O3    optimization level (default -O2)\n"
            "  --emit-llvm FILE   also write the optimized LLVM IR to FILE\n"
            "  --host-cpu CPU     tune and select instructions for CPU (default %s)\n"
            "  -v                 report what was translated and how long it took\n"
            "  --help             show this help\n"
            "  --version          show the version\n",
            EMIT_DEFAULT_CPU);
}

static _Noreturn void die(int status, const char *file, const struct lift_error *e, const char *fmt,
                          ...)
{
    fprintf(stderr, "xlate: ");
    if (file)
        fprintf(stderr, "%s: ", file);
    if (e && e->has_va)
        fprintf(stderr, "0x%llx: ", (unsigned long long)e->va);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

static void parse_args(int argc, char **argv, struct options *o)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (struct options){
        .level = 2, .host_cpu = EMIT_DEFAULT_CPU, .threads = ncpu > 0 ? (unsigned)ncpu : 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--version")) {
            printf("xlate %s (LLVM %s)\n", XLATE_VERSION, llvm_version());
            exit(0);
        } else if (!strcmp(a, "-v")) {
            o->verbose = true;
        } else if (!strcmp(a, "-j") || (a[0] == '-' && a[1] == 'j' && a[2])) {
            const char *v = a[2] ? a + 2 : i + 1 < argc ? argv[++i] : "";
            char *end;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 1024)
                die(EXIT_BAD_INPUT, NULL, NULL, "-j needs a thread count from 1 to 1024");
            o->threads = (unsigned)n;
        } else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) {
            o->level = a[2] - '0';
        } else if (!strcmp(a, "-o") || !strcmp(a, "--emit-llvm") || !strcmp(a, "--host-cpu")) {
            if (i + 1 >= argc)
                die(EXIT_BAD_INPUT, NULL, NULL, "%s needs an argument (see --help)", a);
            const char **dst = a[1] == 'o'   ? &o->output
                               : a[2] == 'e' ? &o->emit_llvm
                                             : &o->host_cpu;
            *dst = argv[++i];
        } else if (!strcmp(a, "--run")) {
            die(EXIT_BAD_INPUT, NULL, NULL,
                "--run must be the first argument: xlate --run GUEST [ARGS...]");
        } else if (a[0] == '-' && a[1]) {
            die(EXIT_BAD_INPUT, NULL, NULL, "unknown option '%s' (see --help)", a);
        } else if (o->input) {
            die(EXIT_BAD_INPUT, NULL, NULL, "more than one input file ('%s' and '%s')", o->input,
                a);
        } else {
            o->input = a;
        }
    }
    if (!o->input)
        die(EXIT_BAD_INPUT, NULL, NULL, "no input file (see --help)");
    if (!o->output)
        die(EXIT_BAD_INPUT, NULL, NULL, "no output file: use -o OUTPUT");
    /* LLVM would accept any CPU name with a warning and then fail inside code generation. */
    if (emit_cpu_isa(o->host_cpu) < 0)
        die(EXIT_BAD_INPUT, NULL, NULL, "unknown host CPU '%s' (try x86-64-v2, x86-64-v3, native)",
            o->host_cpu);
}

/* A file that comes with xlate (the runtime library, the --run program): $VAR, else next to this
 * executable, else in ../lib/xlate/. */
static void companion_path(const char *file, const char *var, char *buf, size_t len)
{
    const char *env = getenv(var);
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        die(EXIT_INTERNAL, NULL, NULL, "internal: cannot find my own executable");
    self[n] = 0;
    char *slash = strrchr(self, '/');
    *slash = 0;
    if (snprintf(buf, len, "%s/%s", self, file) < (int)len && access(buf, R_OK) == 0)
        return;
    if (snprintf(buf, len, "%s/../lib/xlate/%s", self, file) >= (int)len || access(buf, R_OK) != 0)
        die(EXIT_INTERNAL, NULL, NULL, "internal: %s is missing", file);
}

/* xlate --run GUEST [ARGS...]: the guest runs under xlate-run, the runtime with no image of its
 * own, which loads the ELF that XLATE_GUEST names (as for an execve of a guest program,
 * runtime/process.c) and interprets it. The guest is checked here first, so that bad input gets
 * the same message and status as when translating it. */
static _Noreturn void run_guest(int argc, char **argv)
{
    if (argc < 3 || !argv[2][0])
        die(EXIT_BAD_INPUT, NULL, NULL, "--run needs a guest program: xlate --run GUEST [ARGS...]");
    const char *guest = argv[2];
    struct lift_error err = {0};
    struct lift_image img;
    if (lift_image_load(guest, &img, &err) != 0)
        die(EXIT_BAD_INPUT, guest, &err, "%s", err.msg);
    lift_image_free(&img);
    if (access(guest, X_OK) != 0)
        die(EXIT_BAD_INPUT, guest, NULL, "cannot run: %s", strerror(errno));
    char runner[PATH_MAX];
    companion_path("xlate-run", "XLATE_RUNNER", runner, sizeof runner);
    if (setenv("XLATE_GUEST", guest, 1) != 0)
        die(EXIT_INTERNAL, NULL, NULL, "cannot set XLATE_GUEST: %s", strerror(errno));
    execv(runner, argv + 2);
    die(EXIT_INTERNAL, runner, NULL, "cannot run: %s", strerror(errno));
}

static void write_ir(const char *path, const struct emit_job *job)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die(EXIT_BAD_INPUT, path, NULL, "cannot write: %s", strerror(errno));
    for (unsigned i = 0; i < job->nparts; i++)
        fprintf(f, "; ---- part %u of %u ----\n%s", i + 1, job->nparts, job->ir[i]);
    if (fclose(f) != 0)
        die(EXIT_BAD_INPUT, path, NULL, "cannot write: %s", strerror(errno));
}

/* Refuse an output we cannot create before spending the translation time on it. */
static void check_writable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        die(EXIT_BAD_INPUT, path, NULL, "cannot write: is a directory");
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    if (access(dir, W_OK | X_OK) != 0)
        die(EXIT_BAD_INPUT, path, NULL, "cannot write: %s", strerror(errno));
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* What the translated code covers, for -v. */
static void report_coverage(const struct lift_image *img, const struct lift_program *prog)
{
    static uint8_t seen[A64_NUM_OPS];
    unsigned long insns = 0, blocks = 0, unalloc = 0, ijumps = 0, tables = 0;
    struct lift_reader rd = lift_image_reader(img);
    for (unsigned i = 0; i < prog->nfuncs; i++) {
        const struct lift_func *f = &prog->funcs[i];
        blocks += f->nblocks;
        for (unsigned b = 0; b < f->nblocks; b++)
            for (unsigned k = 0; k < f->blocks[b].ninsns; k++) {
                uint32_t w;
                if (!rd.read(rd.ctx, f->blocks[b].va + 4ull * k, &w))
                    continue;
                unsigned op = a64_decode(w);
                seen[op] = 1;
                insns++;
                unalloc += op == A64_UNALLOCATED;
                if (a64_rows[op].flags & F_IJUMP) {
                    ijumps++;
                    tables += f->blocks[b].nsucc > 0;
                }
            }
    }
    unsigned distinct = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        distinct += seen[op];
    fprintf(stderr,
            "xlate: %u functions, %lu blocks, %lu instructions (%u distinct encodings); "
            "%lu instructions not implemented (become SIGILL); %lu of %lu indirect jumps "
            "have their targets inside the function (jump tables, computed-goto labels)\n",
            prog->nfuncs, blocks, insns, distinct, unalloc, tables, ijumps);
    bool any = false;
    for (unsigned r = 0; r < LIFT_NUM_ROUTINES; r++) {
        bool first = true;
        for (unsigned i = 0; lift_routine_by_host(r) && i < prog->nfuncs; i++) {
            if (prog->funcs[i].routine != r)
                continue;
            if (first)
                fprintf(stderr, "%s %s at", any ? ";" : "xlate: done by the host's C library:",
                        lift_routine_host(r)->name);
            fprintf(stderr, " %#llx", (unsigned long long)prog->funcs[i].va);
            first = false;
            any = true;
        }
    }
    if (any)
        fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--run"))
        run_guest(argc, argv);
    struct options o;
    parse_args(argc, argv, &o);
    /* A debugging aid: XLATE_LLVM_ARGS="-time-passes ..." goes to LLVM's own option parser. */
    optimize_configure(getenv("XLATE_LLVM_ARGS"));
    check_writable(o.output);
    if (o.emit_llvm)
        check_writable(o.emit_llvm);
    double t0 = now();

    struct lift_error err = {0};
    struct lift_image img;
    if (lift_image_load(o.input, &img, &err) != 0)
        die(EXIT_BAD_INPUT, o.input, &err, "%s", err.msg);

    struct lift_seed *seeds;
    unsigned nseeds;
    struct lift_program prog;
    if (lift_seeds(&img, &seeds, &nseeds, &err) != 0 ||
        lift_cfg(lift_image_reader(&img), seeds, nseeds, &prog, &err) != 0)
        die(EXIT_INTERNAL, o.input, &err, "%s", err.msg);
    prog.errno_tp = img.errno_tp;
    free(seeds);
    if (o.verbose)
        report_coverage(&img, &prog);
    double t_cfg = now();

    char msg[512];
    char tmpdir[] = "/tmp/xlate-XXXXXX";
    if (!mkdtemp(tmpdir))
        die(EXIT_INTERNAL, NULL, NULL, "cannot create a temporary directory: %s", strerror(errno));
    struct emit_job job = {.img = &img,
                           .prog = &prog,
                           .host_cpu = o.host_cpu,
                           .level = o.level,
                           .threads = o.threads,
                           .want_ir = o.emit_llvm != NULL,
                           .tmpdir = tmpdir};
    int rc = emit_translate(&job, msg, sizeof msg);
    double t_cg = now();
    if (rc == 0 && o.emit_llvm)
        write_ir(o.emit_llvm, &job);
    char rt[PATH_MAX];
    companion_path("libxlate_rt.a", "XLATE_RUNTIME", rt, sizeof rt);
    if (rc == 0)
        rc = emit_link(job.objects, job.nparts + 1, o.output, rt, msg, sizeof msg) == 0 ? 0 : 3;
    for (unsigned i = 0; i <= job.nparts && job.objects; i++)
        if (job.objects[i]) {
            unlink(job.objects[i]);
            free(job.objects[i]);
        }
    rmdir(tmpdir);
    if (rc != 0)
        die(EXIT_INTERNAL, rc == 3 ? o.output : o.input, NULL, "%s", msg);
    double t_end = now();

    if (o.verbose) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        fprintf(stderr,
                "xlate: %u parts on %u threads; "
                "cpu time: lift %.2fs, optimize %.2fs, codegen %.2fs; wall: cfg %.2fs, "
                "translate %.2fs, link %.2fs, total %.2fs; peak memory %ld MB\n",
                job.nparts, o.threads, job.lift_s, job.opt_s, job.codegen_s, t_cfg - t0,
                t_cg - t_cfg, t_end - t_cg, t_end - t0, ru.ru_maxrss / 1024);
    }
    for (unsigned i = 0; i < job.nparts && job.ir; i++)
        LLVMDisposeMessage(job.ir[i]);
    free(job.ir);
    free(job.objects);
    lift_program_free(&prog);
    lift_image_free(&img);
    return 0;
}
