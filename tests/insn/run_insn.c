/*
 * Per-instruction tests (format in README.md): every line of a test file becomes one case in a
 * generated AArch64 program that loads the case's input state, executes the instruction word,
 * and writes the complete resulting state (registers, flags, FP control, vectors, the scratch
 * buffer, where execution continued) to stdout. The program runs under qemu-aarch64, translated
 * by xlate, and translated with XLATE_INTERP=1; each result is compared with the line's recorded
 * expectation. --record rewrites the expectations from qemu-aarch64.
 *
 * Usage: run_insn [--record] [--xlate PATH] [--work DIR] FILE...
 */
#include "../../lift/a64/a64.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE 256
#define NSLOTS   8 /* branch landing slots on each side of the instruction */

/* The state record, as the generated program stores it (offsets used in the assembly). */
struct state {
    uint64_t x[31];
    uint64_t sp;
    uint64_t nzcv; /* as MRS NZCV: flags in bits 31..28 */
    uint64_t fpcr, fpsr;
    uint64_t pad0;
    unsigned __int128 v[32];
    uint64_t slot; /* landing offset relative to the instruction, plus 64 */
    uint64_t pad1;
    uint8_t mem[MEM_SIZE];
};
_Static_assert(sizeof(struct state) == 1072, "state layout is shared with the generated code");
_Static_assert(offsetof(struct state, v) == 288 && offsetof(struct state, mem) == 816, "layout");

enum { ENG_QEMU, ENG_XLATE, ENG_INTERP, NENG };
static const char *const engine_name[NENG] = {"qemu-aarch64", "translated", "interpreter"};

struct tcase {
    int line;
    char name[96];
    uint32_t word;
    unsigned op;
    struct state in; /* inputs, with @mem resolved at run time (mem_base known after linking) */
    char *lhs, *rhs; /* the original text of the two sides */
    bool has_rhs;
    struct state exp; /* input state with the right-hand side applied */
    uint8_t exp_mem_set[MEM_SIZE];
    uint64_t pc; /* guest address of the instruction */
    bool done[NENG];
    struct state got[NENG];
    int crash_status[NENG];
};

static struct tcase *cases;
static size_t ncases;
static uint64_t mem_base; /* guest address of the scratch buffer */
static int failures;

static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "run_insn: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void default_state(struct state *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 31; i++)
        s->x[i] = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
    for (int i = 0; i < 32; i++)
        s->v[i] = (unsigned __int128)(0x9e3779b97f4a7c15ull * (uint64_t)(i + 65)) << 64 |
                  0x9e3779b97f4a7c15ull * (uint64_t)(i + 33);
    for (int i = 0; i < MEM_SIZE; i++)
        s->mem[i] = (uint8_t)(i * 37 + 11);
    s->slot = 64 + 4;
}

/* ---- parsing ---- */

static bool parse_u128(const char *s, unsigned __int128 *out)
{
    bool neg = false;
    if (*s == '-') {
        neg = true;
        s++;
    }
    unsigned __int128 v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        if (!*s)
            return false;
        for (; *s; s++) {
            int d;
            if (*s >= '0' && *s <= '9')
                d = *s - '0';
            else if (*s >= 'a' && *s <= 'f')
                d = *s - 'a' + 10;
            else if (*s >= 'A' && *s <= 'F')
                d = *s - 'A' + 10;
            else if (*s == '_')
                continue;
            else
                return false;
            v = v << 4 | (unsigned)d;
        }
    } else {
        if (!*s)
            return false;
        for (; *s; s++) {
            if (*s < '0' || *s > '9')
                return false;
            v = v * 10 + (unsigned)(*s - '0');
        }
    }
    *out = neg ? -v : v;
    return true;
}

/* A value: a number, @mem+OFF or @pc+OFF (resolved once the program is linked: until then they
 * are encoded with a marker in the top bits). */
#define MEM_MARK  0x7e7e000000000000ull
#define PC_MARK   0x7e7f000000000000ull
#define MARK_BIAS 0x100000000ull
static bool parse_value(const char *s, unsigned __int128 *out)
{
    uint64_t mark = !strncmp(s, "@mem", 4) ? MEM_MARK : !strncmp(s, "@pc", 3) ? PC_MARK : 0;
    if (mark) {
        const char *p = s + (mark == MEM_MARK ? 4 : 3);
        long long off = 0;
        if (*p == '+' || *p == '-')
            off = strtoll(p, NULL, 0);
        else if (*p)
            return false;
        *out = mark + (uint64_t)(off + (long long)MARK_BIAS);
        return true;
    }
    return parse_u128(s, out);
}

static uint64_t resolve(uint64_t v, uint64_t pc)
{
    uint64_t off = (v & 0xffffffffffffull) - MARK_BIAS;
    if ((v & 0xffff000000000000ull) == MEM_MARK)
        return mem_base + off;
    if ((v & 0xffff000000000000ull) == PC_MARK)
        return pc + off;
    return v;
}

/* Apply "reg=value" tokens to a state; `mem_set` marks bytes given explicitly. */
static void apply(struct tcase *t, struct state *s, char *side, const char *where, uint8_t *mem_set)
{
    for (char *tok = strtok(side, " \t"); tok; tok = strtok(NULL, " \t")) {
        char *eq = strchr(tok, '=');
        if (!eq)
            die("%s:%d: expected reg=value, got '%s'", where, t->line, tok);
        *eq = 0;
        const char *reg = tok, *val = eq + 1;
        unsigned __int128 v;
        unsigned n;
        if (!strncmp(reg, "mem+", 4)) {
            long off = strtol(reg + 4, NULL, 0);
            size_t len = strlen(val);
            if (len % 2 || off < 0 || off + (long)len / 2 > MEM_SIZE)
                die("%s:%d: bad memory bytes '%s=%s'", where, t->line, reg, val);
            for (size_t i = 0; i < len / 2; i++) {
                unsigned b;
                if (sscanf(val + 2 * i, "%2x", &b) != 1)
                    die("%s:%d: bad hex byte in '%s'", where, t->line, val);
                s->mem[off + (long)i] = (uint8_t)b;
                if (mem_set)
                    mem_set[off + (long)i] = 1;
            }
            continue;
        }
        if (!strcmp(reg, "pc")) {
            long off = strtol(val, NULL, 0);
            if (off < -4 * NSLOTS || off > 4 * NSLOTS || off == 0 || off % 4)
                die("%s:%d: pc offset %s out of the landing range", where, t->line, val);
            s->slot = (uint64_t)(64 + off);
            continue;
        }
        if (!parse_value(val, &v))
            die("%s:%d: bad value '%s' for %s", where, t->line, val, reg);
        if (!strcmp(reg, "sp"))
            s->sp = (uint64_t)v;
        else if (!strcmp(reg, "nzcv"))
            s->nzcv = (uint64_t)v << 28;
        else if (!strcmp(reg, "fpcr"))
            s->fpcr = (uint64_t)v;
        else if (!strcmp(reg, "fpsr"))
            s->fpsr = (uint64_t)v;
        else if (reg[0] == 'x' && sscanf(reg + 1, "%u", &n) == 1 && n < 31)
            s->x[n] = (uint64_t)v;
        else if (reg[0] == 'v' && sscanf(reg + 1, "%u", &n) == 1 && n < 32)
            s->v[n] = v;
        else
            die("%s:%d: unknown register '%s'", where, t->line, reg);
    }
}

static unsigned op_by_name(const char *name)
{
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        if (!strcmp(a64_rows[op].name, name))
            return op;
    return A64_UNALLOCATED;
}

static void parse_file(const char *path, char ***lines_out, size_t *nlines_out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("%s: %s", path, strerror(errno));
    char **lines = NULL;
    size_t nlines = 0, cap = 0;
    char buf[4096];
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = 0;
        if (nlines == cap) {
            cap = cap ? cap * 2 : 256;
            lines = realloc(lines, cap * sizeof *lines);
        }
        lines[nlines++] = strdup(buf);
        char *p = buf + strspn(buf, " \t");
        if (!*p || *p == '#')
            continue;
        cases = realloc(cases, (ncases + 1) * sizeof *cases);
        struct tcase *t = &cases[ncases++];
        memset(t, 0, sizeof *t);
        t->line = (int)nlines;
        char *arrow = strstr(p, "=>");
        if (arrow) {
            *arrow = 0;
            t->rhs = strdup(arrow + 2);
            t->has_rhs = true;
        }
        char *name = strtok(p, " \t"), *word = strtok(NULL, " \t"), *rest = strtok(NULL, "");
        if (!name || !word)
            die("%s:%d: expected NAME WORD ...", path, t->line);
        snprintf(t->name, sizeof t->name, "%s", name);
        t->word = (uint32_t)strtoul(word, NULL, 16);
        t->lhs = strdup(rest ? rest : "");
        t->op = op_by_name(name);
        if (t->op == A64_UNALLOCATED)
            die("%s:%d: no decoder row named %s", path, t->line, name);
        unsigned got = a64_decode(t->word);
        if (got != t->op) {
            fprintf(stderr, "%s:%d: %08x decodes as %s, not %s\n", path, t->line, t->word,
                    a64_rows[got].name, name);
            failures++;
        }
    }
    fclose(f);
    *lines_out = lines;
    *nlines_out = nlines;
}

/* ---- the generated program ---- */

static void emit_program(FILE *s)
{
    fprintf(s,
            "    .text\n    .global _start\n_start:\n"
            /* argv[1], if given, is the first case to run: lets a crash be skipped. */
            "    ldr x0, [sp]\n    mov x19, #0\n    cmp x0, #2\n    b.lt 2f\n"
            "    ldr x1, [sp, #16]\n1:  ldrb w2, [x1], #1\n    cbz w2, 2f\n"
            "    sub w2, w2, #48\n    mov x3, #10\n    madd x19, x19, x3, x2\n    b 1b\n"
            "2:  adrp x0, cur\n    add x0, x0, :lo12:cur\n    str x19, [x0]\n"
            "run_next:\n    adrp x0, cur\n    add x0, x0, :lo12:cur\n    ldr x1, [x0]\n"
            "    ldr x2, =%zu\n    cmp x1, x2\n    b.hs finish\n    add x2, x1, #1\n"
            "    str x2, [x0]\n    adrp x3, cases\n    add x3, x3, :lo12:cases\n"
            "    ldr x3, [x3, x1, lsl #3]\n    br x3\n"
            "finish:\n    mov x0, #0\n    mov x8, #93\n    svc #0\n    .ltorg\n",
            ncases);
    /* dump: x0 = outbuf, x1 = slot; x0's guest value is in TPIDR_EL0, x1/x2 already saved. */
    fprintf(s, "dump:\n    str x1, [x0, #800]\n");
    for (int r = 3; r < 31; r += 2)
        fprintf(s, "    stp x%d, x%d, [x0, #%d]\n", r, r + 1, 8 * r);
    fprintf(s,
            "    mrs x1, tpidr_el0\n    str x1, [x0, #0]\n    mov x1, sp\n    str x1, [x0, #248]\n"
            "    mrs x1, nzcv\n    str x1, [x0, #256]\n    mrs x1, fpcr\n    str x1, [x0, #264]\n"
            "    mrs x1, fpsr\n    str x1, [x0, #272]\n");
    for (int r = 0; r < 32; r += 2)
        fprintf(s, "    stp q%d, q%d, [x0, #%d]\n", r, r + 1, 288 + 16 * r);
    fprintf(s,
            "    adrp x1, scratch\n    add x1, x1, :lo12:scratch\n    add x2, x0, #816\n"
            "    mov x3, #%d\n3:  ldr x4, [x1], #8\n    str x4, [x2], #8\n    subs x3, x3, #8\n"
            "    b.ne 3b\n    mov x1, x0\n    mov x0, #1\n    mov x2, #%zu\n    mov x8, #64\n"
            "    svc #0\n    b run_next\n",
            MEM_SIZE, sizeof(struct state));

    for (size_t k = 0; k < ncases; k++) {
        fprintf(s, "case_%zu:\n", k);
        /* Scratch memory first (x0..x2 are loaded afterwards). */
        fprintf(s,
                "    adrp x0, init_%zu\n    add x0, x0, :lo12:init_%zu\n    add x0, x0, #816\n"
                "    adrp x1, scratch\n    add x1, x1, :lo12:scratch\n    mov x2, #%d\n"
                "4:  ldr x3, [x0], #8\n    str x3, [x1], #8\n    subs x2, x2, #8\n    b.ne 4b\n",
                k, k, MEM_SIZE);
        fprintf(s, "    adrp x30, init_%zu\n    add x30, x30, :lo12:init_%zu\n", k, k);
        fprintf(
            s,
            "    ldr x0, [x30, #248]\n    mov sp, x0\n    ldr x0, [x30, #264]\n    msr fpcr, x0\n"
            "    ldr x0, [x30, #272]\n    msr fpsr, x0\n");
        for (int r = 0; r < 32; r += 2)
            fprintf(s, "    ldp q%d, q%d, [x30, #%d]\n", r, r + 1, 288 + 16 * r);
        fprintf(s, "    ldr x0, [x30, #256]\n    msr nzcv, x0\n");
        for (int r = 0; r < 30; r += 2)
            fprintf(s, "    ldp x%d, x%d, [x30, #%d]\n", r, r + 1, 8 * r);
        fprintf(s, "    ldr x30, [x30, #240]\n    b insn_%zu\n", k);
        /* ADRP's result depends on the instruction's offset in its page: make it the same for
         * every case, so that results written as @pc+OFF do not depend on the file's layout. */
        if (!strncmp(cases[k].name, "ADRP", 4))
            fprintf(s, "    .balign 4096\n    .skip %d\n", 2048 - 4 * NSLOTS);
        for (int i = NSLOTS; i >= 1; i--)
            fprintf(s, "    b stub_%zu_m%d\n", k, 4 * i);
        fprintf(s, "insn_%zu:\n    .inst 0x%08x\n", k, cases[k].word);
        for (int i = 1; i <= NSLOTS; i++)
            fprintf(s, "    b stub_%zu_p%d\n", k, 4 * i);
        for (int i = -NSLOTS; i <= NSLOTS; i++) {
            if (i == 0)
                continue;
            fprintf(s,
                    "stub_%zu_%c%d:\n    msr tpidr_el0, x0\n    adrp x0, outbuf\n"
                    "    add x0, x0, :lo12:outbuf\n    stp x1, x2, [x0, #8]\n"
                    "    mov x1, #%d\n    b dump\n",
                    k, i < 0 ? 'm' : 'p', 4 * abs(i), 64 + 4 * i);
        }
    }

    fprintf(s, "    .data\n    .balign 8\ncur: .quad 0\ncases:\n");
    for (size_t k = 0; k < ncases; k++)
        fprintf(s, "    .quad case_%zu\n", k);
    fprintf(s, "    .balign 64\nscratch: .skip %d\n    .balign 16\noutbuf: .skip %zu\n", MEM_SIZE,
            sizeof(struct state));
    for (size_t k = 0; k < ncases; k++) {
        const struct state *st = &cases[k].in;
        fprintf(s, "    .balign 16\ninit_%zu:\n", k);
        const uint8_t *b = (const uint8_t *)st;
        for (size_t i = 0; i < sizeof *st; i += 16) {
            fprintf(s, "    .byte ");
            for (size_t j = i; j < i + 16 && j < sizeof *st; j++)
                fprintf(s, "%s%u", j == i ? "" : ",", b[j]);
            fputc('\n', s);
        }
    }
}

/* ---- running ---- */

static char *work_dir;

static int run_capture(char *const argv[], const char *out_path, bool interp, int timeout_s)
{
    fflush(stdout); /* the child's freopen would flush our buffered output a second time */
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        FILE *o = freopen(out_path, "wb", stdout);
        if (!o)
            _exit(126);
        if (interp)
            setenv("XLATE_INTERP", "1", 1);
        else
            unsetenv("XLATE_INTERP");
        execvp(argv[0], argv);
        _exit(127);
    }
    time_t deadline = time(NULL) + timeout_s;
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return status;
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
}

/* Run an engine from case `first` on; return how many records came back. */
static size_t run_from(int eng, const char *guest, const char *xlated, size_t first)
{
    char out[4096], startarg[32];
    snprintf(out, sizeof out, "%s/out.%d", work_dir, eng);
    snprintf(startarg, sizeof startarg, "%zu", first);
    char *qargv[] = {"qemu-aarch64", (char *)guest, startarg, NULL};
    char *xargv[] = {(char *)xlated, startarg, NULL};
    int status = run_capture(eng == ENG_QEMU ? qargv : xargv, out, eng == ENG_INTERP, 60);
    FILE *f = fopen(out, "rb");
    size_t n = 0;
    struct state st;
    while (f && first + n < ncases && fread(&st, sizeof st, 1, f) == 1) {
        cases[first + n].got[eng] = st;
        cases[first + n].done[eng] = true;
        n++;
    }
    if (f)
        fclose(f);
    if (first + n < ncases)
        cases[first + n].crash_status[eng] = status ? status : -1;
    return n;
}

static void run_engine(int eng, const char *guest, const char *xlated)
{
    size_t at = 0;
    while (at < ncases) {
        at += run_from(eng, guest, xlated, at);
        if (at < ncases)
            at++; /* skip the case that crashed */
    }
}

/* ---- comparing and recording ---- */

static void describe_status(int st, char *buf, size_t len)
{
    if (st == -1)
        snprintf(buf, len, "stopped without output");
    else if (WIFSIGNALED(st))
        snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
    else
        snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
}

static void hex128(char *buf, size_t len, unsigned __int128 v)
{
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
    if (hi)
        snprintf(buf, len, "0x%" PRIx64 "%016" PRIx64, hi, lo);
    else
        snprintf(buf, len, "0x%" PRIx64, lo);
}

/* Addresses are written relative to the scratch buffer or the instruction, so a test line does
 * not depend on where its case lands in the program. */
static void fmt_value(char *buf, size_t len, uint64_t v, uint64_t pc)
{
    int64_t d = (int64_t)(v - pc);
    if (v >= mem_base && v <= mem_base + MEM_SIZE)
        snprintf(buf, len, "@mem+%" PRIu64, v - mem_base);
    else if (d >= -(1 << 20) && d <= (1 << 20))
        snprintf(buf, len, "@pc%+" PRId64, d);
    else
        snprintf(buf, len, "0x%" PRIx64, v);
}

/* The differences between two states, as right-hand-side tokens. */
static void diff(const struct state *from, const struct state *to, uint64_t pc, char *out,
                 size_t len)
{
    size_t n = 0;
    char v[64];
#define ADD(...) n += (size_t)snprintf(out + n, n < len ? len - n : 0, __VA_ARGS__)
    out[0] = 0;
    for (int i = 0; i < 31; i++)
        if (from->x[i] != to->x[i]) {
            fmt_value(v, sizeof v, to->x[i], pc);
            ADD(" x%d=%s", i, v);
        }
    if (from->sp != to->sp) {
        fmt_value(v, sizeof v, to->sp, pc);
        ADD(" sp=%s", v);
    }
    if (from->nzcv != to->nzcv)
        ADD(" nzcv=0x%" PRIx64, to->nzcv >> 28);
    if (from->fpcr != to->fpcr)
        ADD(" fpcr=0x%" PRIx64, to->fpcr);
    if (from->fpsr != to->fpsr)
        ADD(" fpsr=0x%" PRIx64, to->fpsr);
    for (int i = 0; i < 32; i++)
        if (from->v[i] != to->v[i]) {
            hex128(v, sizeof v, to->v[i]);
            ADD(" v%d=%s", i, v);
        }
    for (int i = 0; i < MEM_SIZE;) {
        if (from->mem[i] == to->mem[i]) {
            i++;
            continue;
        }
        ADD(" mem+%d=", i);
        while (i < MEM_SIZE && from->mem[i] != to->mem[i])
            ADD("%02x", to->mem[i++]);
    }
    if (from->slot != to->slot)
        ADD(" pc=%+d", (int)to->slot - 64);
#undef ADD
}

static void resolve_state(struct state *s, uint64_t pc)
{
    for (int i = 0; i < 31; i++)
        s->x[i] = resolve(s->x[i], pc);
    s->sp = resolve(s->sp, pc);
}

static void prepare_inputs(void)
{
    for (size_t k = 0; k < ncases; k++) {
        struct tcase *t = &cases[k];
        default_state(&t->in);
        t->in.sp = MEM_MARK + 128 + MARK_BIAS;
        char *lhs = strdup(t->lhs);
        apply(t, &t->in, lhs, "input", NULL);
        free(lhs);
        t->in.slot = 64 + 4;
    }
}

static void resolve_inputs(void)
{
    for (size_t k = 0; k < ncases; k++) {
        struct tcase *t = &cases[k];
        resolve_state(&t->in, t->pc);
        t->exp = t->in;
        if (t->has_rhs) {
            char *rhs = strdup(t->rhs);
            apply(t, &t->exp, rhs, "expected", t->exp_mem_set);
            free(rhs);
            resolve_state(&t->exp, t->pc);
        }
    }
}

static void check(const char *path)
{
    for (size_t k = 0; k < ncases; k++) {
        struct tcase *t = &cases[k];
        if (!t->has_rhs) {
            fprintf(stderr, "%s:%d: %s: no expectation recorded (run with --record)\n", path,
                    t->line, t->name);
            failures++;
            continue;
        }
        for (int e = 0; e < NENG; e++) {
            char d[4096];
            if (!t->done[e]) {
                describe_status(t->crash_status[e], d, sizeof d);
                fprintf(stderr, "%s:%d: %s %08x: %s: %s\n", path, t->line, t->name, t->word,
                        engine_name[e], d);
                failures++;
                continue;
            }
            if (!memcmp(&t->got[e], &t->exp, sizeof t->exp))
                continue;
            diff(&t->exp, &t->got[e], t->pc, d, sizeof d);
            char want[4096];
            diff(&t->got[e], &t->exp, t->pc, want, sizeof want);
            fprintf(stderr, "%s:%d: %s %08x: %s gave%s\n    expected%s\n", path, t->line, t->name,
                    t->word, engine_name[e], d, want);
            failures++;
        }
    }
}

static void record(const char *path, char **lines, size_t nlines)
{
    for (size_t k = 0; k < ncases; k++) {
        struct tcase *t = &cases[k];
        char d[4096];
        if (!t->done[ENG_QEMU]) {
            describe_status(t->crash_status[ENG_QEMU], d, sizeof d);
            fprintf(stderr, "%s:%d: %s: qemu-aarch64 %s; not recorded\n", path, t->line, t->name,
                    d);
            failures++;
            continue;
        }
        diff(&t->in, &t->got[ENG_QEMU], t->pc, d, sizeof d);
        char *line = lines[t->line - 1], *arrow = strstr(line, "=>");
        if (arrow)
            *arrow = 0;
        size_t len = strlen(line);
        while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
            line[--len] = 0;
        char *nl = malloc(len + strlen(d) + 8);
        sprintf(nl, "%s =>%s", line, d);
        lines[t->line - 1] = nl;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        die("%s: %s", path, strerror(errno));
    for (size_t i = 0; i < nlines; i++)
        fprintf(f, "%s\n", lines[i]);
    fclose(f);
}

/* The scratch buffer's address and each case's instruction address, from the symbol table. */
static uint64_t read_symbols(const char *elf)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "aarch64-linux-gnu-nm %s", elf);
    FILE *p = popen(cmd, "r");
    if (!p)
        die("cannot run nm");
    char line[512];
    uint64_t scratch = 0;
    while (fgets(line, sizeof line, p)) {
        char name[256], type;
        unsigned long long a;
        size_t k;
        if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3)
            continue;
        if (!strcmp(name, "scratch"))
            scratch = a;
        else if (sscanf(name, "insn_%zu", &k) == 1 && k < ncases)
            cases[k].pc = a;
    }
    pclose(p);
    if (!scratch)
        die("no symbol scratch in %s", elf);
    return scratch;
}

static int shell(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

int main(int argc, char **argv)
{
    bool rec = false;
    const char *xlate = getenv("XLATE");
    const char *cc = getenv("AARCH64_CC");
    if (!cc)
        cc = "aarch64-linux-gnu-gcc";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--record"))
            rec = true;
        else if (!strcmp(argv[i], "--xlate") && i + 1 < argc)
            xlate = argv[++i];
        else if (!strcmp(argv[i], "--work") && i + 1 < argc)
            work_dir = argv[++i];
        else
            die("usage: run_insn [--record] [--xlate PATH] [--work DIR] FILE...");
    }
    if (i >= argc)
        die("no test file");
    if (!xlate)
        die("no translator: pass --xlate PATH or set XLATE");
    char tmpl[] = "/tmp/run_insn-XXXXXX";
    bool own_dir = !work_dir;
    if (own_dir && !(work_dir = mkdtemp(tmpl)))
        die("mkdtemp: %s", strerror(errno));
    mkdir(work_dir, 0755);

    int total_cases = 0, total_failures = 0;
    for (; i < argc; i++) {
        const char *path = argv[i];
        char **lines;
        size_t nlines;
        ncases = 0;
        failures = 0;
        parse_file(path, &lines, &nlines);
        if (ncases == 0)
            continue;
        prepare_inputs();

        char src[4096], guest[4096], xl[4096];
        snprintf(src, sizeof src, "%s/t.S", work_dir);
        snprintf(guest, sizeof guest, "%s/t", work_dir);
        snprintf(xl, sizeof xl, "%s/t.x", work_dir);
        /* Link once to learn where the scratch buffer lands, then generate the real inputs:
         * @mem values must be concrete addresses, and the layout does not depend on them. */
        FILE *s = fopen(src, "w");
        if (!s)
            die("%s: %s", src, strerror(errno));
        emit_program(s);
        fclose(s);
        if (shell("%s -nostdlib -static -o %s %s", cc, guest, src) != 0)
            die("%s: assembling the test program failed", path);
        mem_base = read_symbols(guest);
        resolve_inputs();
        s = fopen(src, "w");
        emit_program(s);
        fclose(s);
        if (shell("%s -nostdlib -static -o %s %s", cc, guest, src) != 0 ||
            read_symbols(guest) != mem_base)
            die("%s: relinking the test program failed", path);

        run_engine(ENG_QEMU, guest, xl);
        if (rec) {
            record(path, lines, nlines);
        } else {
            if (shell("%s %s -o %s", xlate, guest, xl) != 0) {
                fprintf(stderr, "%s: translation failed\n", path);
                failures++;
            } else {
                run_engine(ENG_XLATE, guest, xl);
                run_engine(ENG_INTERP, guest, xl);
            }
            check(path);
        }
        printf("%s: %zu cases, %d failures\n", path, ncases, failures);
        total_cases += (int)ncases;
        total_failures += failures;
        for (size_t k = 0; k < ncases; k++) {
            free(cases[k].lhs);
            free(cases[k].rhs);
        }
    }
    printf("in all: %d cases, %d failures\n", total_cases, total_failures);
    if (own_dir)
        shell("rm -rf %s", work_dir);
    return total_failures ? 1 : 0;
}
