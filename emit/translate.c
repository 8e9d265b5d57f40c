/*
 * Translation in parallel. The functions are split into parts by a rule that depends only on the
 * program (so the output is the same on any machine and with any -j); each part is lifted,
 * optimized and compiled in its own LLVM context on a worker thread, and becomes one object.
 * The guest image and the entry table form one more object.
 */
#include "emit.h"

#include "../lift/a64/a64.h"
#include "../lift/call_abi.h"
#include "../optimize/optimize.h"

#include <llvm-c/Analysis.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INSNS_PER_PART 6000 /* enough work per part to amortize its fixed cost */
#define MAX_PARTS      64

struct part {
    unsigned index;
    char *object;
    char *ir;
    char err[512];
    double lift_s, opt_s, codegen_s;
};

struct shared {
    struct emit_job *job;
    const unsigned *part_of;
    struct part *parts;
    enum emit_isa isa; /* of the host CPU, for the semantics' host helpers */
    unsigned next;     /* next part to take, under lock */
    pthread_mutex_t lock;
};

/* CPU time of this thread: phase costs stay meaningful on a loaded machine. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static unsigned func_size(const struct lift_func *f)
{
    unsigned n = 0;
    for (unsigned b = 0; b < f->nblocks; b++)
        n += f->blocks[b].ninsns;
    return n;
}

/* Largest functions first, each to the least loaded part: deterministic and balanced. */
static unsigned *partition(const struct lift_program *prog, unsigned *nparts)
{
    unsigned long total = 0;
    unsigned *size = calloc(prog->nfuncs + 1, sizeof *size);
    unsigned *order = calloc(prog->nfuncs + 1, sizeof *order);
    unsigned *part_of = calloc(prog->nfuncs + 1, sizeof *part_of);
    if (!size || !order || !part_of) {
        free(size);
        free(order);
        free(part_of);
        return NULL;
    }
    for (unsigned i = 0; i < prog->nfuncs; i++) {
        size[i] = func_size(&prog->funcs[i]);
        total += size[i];
        order[i] = i;
    }
    unsigned n = (unsigned)((total + INSNS_PER_PART - 1) / INSNS_PER_PART);
    n = n < 1 ? 1 : n > MAX_PARTS ? MAX_PARTS : n;
    /* insertion sort by size, descending, ties by address: stable and dependency-free */
    for (unsigned i = 1; i < prog->nfuncs; i++) {
        unsigned k = order[i], j = i;
        while (j > 0 && size[order[j - 1]] < size[k]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    unsigned long load[MAX_PARTS] = {0};
    for (unsigned i = 0; i < prog->nfuncs; i++) {
        unsigned best = 0;
        for (unsigned p = 1; p < n; p++)
            if (load[p] < load[best])
                best = p;
        part_of[order[i]] = best;
        load[best] += size[order[i]] + 1;
    }
    free(size);
    free(order);
    *nparts = n;
    return part_of;
}

static char *temp_object(const char *dir, unsigned index)
{
    char *path = malloc(strlen(dir) + 32);
    if (path)
        sprintf(path, "%s/part%u.o", dir, index);
    return path;
}

static void translate_part(struct shared *sh, struct part *p)
{
    struct emit_job *job = sh->job;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMTargetMachineRef tm = emit_target_machine(job->host_cpu, job->level, p->err, sizeof p->err);
    LLVMModuleRef mod = NULL;
    struct lift_error lerr = {0};
    double t0 = now();
    if (!tm)
        goto out;
    if (lift_module(ctx, lift_image_reader(job->img), job->prog, sh->part_of, p->index, &mod,
                    &lerr) != 0) {
        snprintf(p->err, sizeof p->err, "%s", lerr.msg);
        goto out;
    }
    emit_configure_module(mod, tm);
    emit_fp_tests(mod, sh->isa);
    emit_fp_slow_calls(mod);
    char *vmsg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &vmsg)) {
        snprintf(p->err, sizeof p->err, "internal: lifted IR is invalid: %.400s", vmsg);
        LLVMDisposeMessage(vmsg);
        goto out;
    }
    LLVMDisposeMessage(vmsg);
    double t1 = now();
    _Static_assert(sizeof(union vreg) == 16, "vector registers are 16-byte slots");
    const struct optimize_slots vregs = {offsetof(struct cpu, vr), 32};
    /* What the semantics write on most compares and every branch, and memory rarely needs. */
#define FIELD(m) offsetof(struct cpu, m), sizeof(((struct cpu *)0)->m)
    const unsigned long long chosen[][2] = {
        {FIELD(n)}, {FIELD(z)}, {FIELD(c)}, {FIELD(v)}, {FIELD(pc)}};
#undef FIELD
    struct optimize_fields fields = {.count = sizeof chosen / sizeof *chosen,
                                     .call_attr = LIFT_TRANSLATED_CALL};
    for (unsigned i = 0; i < fields.count; i++) {
        fields.offsets[i] = chosen[i][0];
        fields.sizes[i] = chosen[i][1];
        /* Translated callees start from the address they are handed (LIFT_TRANSLATED_CALL). */
        if (chosen[i][0] == offsetof(struct cpu, pc))
            fields.call_dead |= 1u << i;
    }
    /* And the registers calls pass in host registers (call_abi.h). */
    for (unsigned i = 0; i < CALL_ABI_NREGS; i++, fields.count++) {
        fields.offsets[fields.count] = lift_passed_offset(i);
        fields.sizes[fields.count] = 8;
        fields.passed |= 1u << fields.count;
    }
    if (optimize_module(mod, tm, job->level, &vregs, &fields, p->err, sizeof p->err) != 0)
        goto out;
    double t2 = now();
    if (job->want_ir)
        p->ir = LLVMPrintModuleToString(mod);
    p->object = temp_object(job->tmpdir, p->index);
    if (!p->object || emit_object(tm, mod, p->object, p->err, sizeof p->err) != 0)
        goto out;
    double t3 = now();
    p->lift_s = t1 - t0;
    p->opt_s = t2 - t1;
    p->codegen_s = t3 - t2;
out:
    if (mod)
        LLVMDisposeModule(mod);
    if (tm)
        LLVMDisposeTargetMachine(tm);
    LLVMContextDispose(ctx);
}

static void *worker(void *arg)
{
    struct shared *sh = arg;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        unsigned i = sh->next < sh->job->nparts ? sh->next++ : sh->job->nparts;
        pthread_mutex_unlock(&sh->lock);
        if (i == sh->job->nparts)
            return NULL;
        translate_part(sh, &sh->parts[i]);
    }
}

static int image_object(struct emit_job *job, char *path, char *err, size_t errlen)
{
    struct lift_entry *entries;
    unsigned n;
    if (lift_entries(job->prog, &entries, &n) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("xlate.image", ctx);
    LLVMTargetMachineRef tm = emit_target_machine(job->host_cpu, job->level, err, errlen);
    int rc = -1;
    if (tm) {
        emit_configure_module(mod, tm);
        emit_image(mod, job->img, job->prog, entries, n);
        rc = emit_object(tm, mod, path, err, errlen);
        LLVMDisposeTargetMachine(tm);
    }
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    free(entries);
    return rc;
}

int emit_translate(struct emit_job *job, char *err, size_t errlen)
{
    unsigned *part_of = partition(job->prog, &job->nparts);
    if (!part_of) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int isa = emit_cpu_isa(job->host_cpu); /* an unknown CPU gets the portable test */
    struct shared sh = {
        .job = job, .part_of = part_of, .isa = isa < 0 ? EMIT_ISA_SSE2 : (enum emit_isa)isa};
    pthread_mutex_init(&sh.lock, NULL);
    sh.parts = calloc(job->nparts, sizeof *sh.parts);
    job->objects = calloc(job->nparts + 1, sizeof *job->objects);
    job->ir = calloc(job->nparts, sizeof *job->ir);
    if (!sh.parts || !job->objects || !job->ir) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < job->nparts; i++)
        sh.parts[i].index = i;

    unsigned nthreads = job->threads < job->nparts ? job->threads : job->nparts;
    if (nthreads < 1)
        nthreads = 1;
    pthread_t *tids = calloc(nthreads, sizeof *tids);
    /* LLVM's optimizer recurses deeply on big functions: give workers main-thread-sized stacks. */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64u << 20);
    unsigned started = 0;
    for (; tids && started < nthreads; started++)
        if (pthread_create(&tids[started], &attr, worker, &sh) != 0)
            break;
    if (started == 0)
        worker(&sh);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    pthread_attr_destroy(&attr);
    free(tids);

    int rc = 0;
    for (unsigned i = 0; i < job->nparts; i++) {
        struct part *p = &sh.parts[i];
        if (p->err[0] && rc == 0) {
            snprintf(err, errlen, "%s", p->err);
            rc = -1;
        }
        job->objects[i] = p->object;
        job->ir[i] = p->ir;
        job->lift_s += p->lift_s;
        job->opt_s += p->opt_s;
        job->codegen_s += p->codegen_s;
    }
    if (rc == 0) {
        job->objects[job->nparts] = temp_object(job->tmpdir, job->nparts);
        if (!job->objects[job->nparts] ||
            image_object(job, job->objects[job->nparts], err, errlen) != 0)
            rc = -1;
    }
    free(sh.parts);
    free(part_of);
    pthread_mutex_destroy(&sh.lock);
    return rc;
}
