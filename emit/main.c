/* The xlate command line: xlate INPUT -o OUTPUT [options]. */
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
#include <time.h>
#include <unistd.h>

#define XLATE_VERSION "0.1.0"

enum { EXIT_BAD_INPUT = 1, EXIT_INTERNAL = 2 };

struct options {
    const char *input, *output, *emit_llvm, *host_cpu;
    int level;
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
            "Translate a static AArch64 Linux executable into an x86-64 Linux executable.\n"
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
    if (file) fprintf(stderr, "%s: ", file);
    if (e && e->has_va) fprintf(stderr, "0x%llx: ", (unsigned long long)e->va);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

static void parse_args(int argc, char **argv, struct options *o)
{
    *o = (struct options){.level = 2, .host_cpu = EMIT_DEFAULT_CPU};
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
        } else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) {
            o->level = a[2] - '0';
        } else if (!strcmp(a, "-o") || !strcmp(a, "--emit-llvm") || !strcmp(a, "--host-cpu")) {
            if (i + 1 >= argc)
                die(EXIT_BAD_INPUT, NULL, NULL, "%s needs an argument (see --help)", a);
            const char **dst = a[1] == 'o'   ? &o->output
                               : a[2] == 'e' ? &o->emit_llvm
                                             : &o->host_cpu;
            *dst = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            die(EXIT_BAD_INPUT, NULL, NULL, "unknown option '%s' (see --help)", a);
        } else if (o->input) {
            die(EXIT_BAD_INPUT, NULL, NULL, "more than one input file ('%s' and '%s')", o->input,
                a);
        } else {
            o->input = a;
        }
    }
    if (!o->input) die(EXIT_BAD_INPUT, NULL, NULL, "no input file (see --help)");
    if (!o->output) die(EXIT_BAD_INPUT, NULL, NULL, "no output file: use -o OUTPUT");
}

/* libxlate_rt.a: $XLATE_RUNTIME, else next to this executable, else in ../lib/xlate/. */
static void runtime_path(char *buf, size_t len)
{
    const char *env = getenv("XLATE_RUNTIME");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) die(EXIT_INTERNAL, NULL, NULL, "internal: cannot find my own executable");
    self[n] = 0;
    char *slash = strrchr(self, '/');
    *slash = 0;
    if (snprintf(buf, len, "%s/libxlate_rt.a", self) < (int)len && access(buf, R_OK) == 0) return;
    if (snprintf(buf, len, "%s/../lib/xlate/libxlate_rt.a", self) >= (int)len ||
        access(buf, R_OK) != 0)
        die(EXIT_INTERNAL, NULL, NULL, "internal: the runtime library libxlate_rt.a is missing");
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
                if (!rd.read(rd.ctx, f->blocks[b].va + 4ull * k, &w)) continue;
                unsigned op = a64_decode(w);
                seen[op] = 1;
                insns++;
                unalloc += op == A64_UNALLOCATED;
            }
    }
    unsigned distinct = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        distinct += seen[op];
    fprintf(stderr,
            "xlate: %u functions, %lu blocks, %lu instructions (%u distinct encodings); "
            "%lu instructions not implemented (become SIGILL); %lu of %lu indirect jumps "
            "resolved as jump tables\n",
            prog->nfuncs, blocks, insns, distinct, unalloc, tables, ijumps);
}

int main(int argc, char **argv)
{
    struct options o;
    parse_args(argc, argv, &o);
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
    free(seeds);
    if (o.verbose) report_coverage(&img, &prog);
    double t_cfg = now();

    char msg[512];
    LLVMTargetMachineRef tm = emit_target_machine(o.host_cpu, o.level, msg, sizeof msg);
    if (!tm) die(EXIT_BAD_INPUT, NULL, NULL, "%s", msg);
    LLVMContextRef ctx = LLVMContextCreate();
    struct lift_output out;
    if (lift_module(ctx, lift_image_reader(&img), &prog, &out, &err) != 0)
        die(EXIT_INTERNAL, o.input, &err, "%s", err.msg);
    emit_configure_module(out.mod, tm);
    emit_image(out.mod, &img, &out);
    double t_lift = now();

    char *vmsg = NULL;
    if (LLVMVerifyModule(out.mod, LLVMReturnStatusAction, &vmsg))
        die(EXIT_INTERNAL, o.input, NULL, "internal: lifted IR is invalid: %.400s", vmsg);
    LLVMDisposeMessage(vmsg);

    struct optimize_stats st;
    if (optimize_module(out.mod, tm, o.level, &st, msg, sizeof msg) != 0)
        die(EXIT_INTERNAL, o.input, NULL, "%s", msg);
    double t_opt = now();
    if (o.emit_llvm) {
        char *perr = NULL;
        if (LLVMPrintModuleToFile(out.mod, o.emit_llvm, &perr))
            die(EXIT_BAD_INPUT, o.emit_llvm, NULL, "cannot write: %s", perr);
    }

    char obj[] = "/tmp/xlate-XXXXXX.o";
    int fd = mkstemps(obj, 2);
    if (fd < 0)
        die(EXIT_INTERNAL, NULL, NULL, "cannot create a temporary file: %s", strerror(errno));
    close(fd);
    if (emit_object(tm, out.mod, obj, msg, sizeof msg) != 0) {
        unlink(obj);
        die(EXIT_INTERNAL, o.input, NULL, "%s", msg);
    }
    double t_cg = now();
    char rt[PATH_MAX];
    runtime_path(rt, sizeof rt);
    int lrc = emit_link(obj, o.output, rt, msg, sizeof msg);
    unlink(obj);
    if (lrc != 0) die(EXIT_INTERNAL, o.output, NULL, "%s", msg);
    double t_end = now();

    if (o.verbose) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        fprintf(stderr,
                "xlate: %u functions optimized (%u with unpromoted state); times: cfg %.2fs, "
                "lift %.2fs, optimize %.2fs, codegen %.2fs, link %.2fs, total %.2fs; "
                "peak memory %ld MB\n",
                st.functions, st.unpromoted, t_cfg - t0, t_lift - t_cfg, t_opt - t_lift,
                t_cg - t_opt, t_end - t_cg, t_end - t0, ru.ru_maxrss / 1024);
    }
    lift_output_free(&out);
    LLVMContextDispose(ctx);
    LLVMDisposeTargetMachine(tm);
    lift_program_free(&prog);
    lift_image_free(&img);
    return 0;
}
