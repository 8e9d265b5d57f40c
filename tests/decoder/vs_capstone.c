/*
 * The decoder against independent ones (DESIGN.md: capstone is the oracle for our decoder).
 * Capstone 4.0.2 (Debian 12) predates Armv8.1 (no LSE atomics, RCpc, flag manipulation...), so
 * where it rejects a word or names it differently, LLVM 19's disassembler (all extensions on) is
 * asked for a second opinion. Words come from the executable sections of the ELF files given, from
 * --random N pseudo-random words, and from --per-row N random words matching each row's mask and
 * value (a fixed seed, so every run sees the same words), and with --range LO HI or --all from
 * every word of a range (exhaustive: --jobs threads, progress on stderr). For each:
 *  - the table must pick its most specific matching row, and no two rows may tie for it;
 *  - a word we decode must decode in capstone or LLVM too, unless known.txt excuses it;
 *  - our row's name must agree with their mnemonic: the name's first token, lowercased, is the
 *    mnemonic, or one of the aliases aliases.txt allows (Arm's preferred disassembly); and with
 *    the width of the first operand where the name gives one (ADD_32_... w, FADD_D_... d);
 *  - words they decode and we do not are counted as missing coverage, not failures -- except
 *    where a row's check refused a word they decode as that row's instruction (the row: the one
 *    the word was made for, or else the most specific row whose mask and value it matches).
 * Exit status 1 when any check fails.
 */
#include "../../lift/a64/a64.h"

#include <capstone/capstone.h>
#include <ctype.h>
#include <llvm-c/Disassembler.h>
#include <llvm-c/Target.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_LIST 400 /* lines in each of known.txt and aliases.txt */
#define MAX_ALT  16  /* mnemonics per alias line */
#define EXAMPLES 3   /* words shown per failing row */
#define TEXT     200 /* capstone text of one instruction: mnemonic (32) and operands (160) */

/* ---- aliases.txt: KEY MNEMONIC... ---- */

struct alias {
    char key[64];          /* a first token (ADD), or a prefix of full names (ORR_64_log_shift) */
    char alt[MAX_ALT][16]; /* capstone mnemonics also accepted */
    unsigned nalt;
};
static struct alias aliases[MAX_LIST];
static unsigned naliases;

/* ---- known.txt: NAME PATTERN REASON ---- */

/* A register field of the load/store classes, where the Arm ARM's CONSTRAINED UNPREDICTABLE
 * register overlaps are: t = Rt, n = Rn, t2 = Rt2, s = Rs. */
static const struct {
    const char *name;
    unsigned lo;
} fields[] = {{"t2", 10}, {"t", 0}, {"n", 5}, {"s", 16}};

struct cond {
    unsigned a, b; /* field positions; b unused when is_const */
    bool is_const; /* compare with the number k */
    bool equal;    /* == rather than != */
    unsigned k;
};

struct known {
    char name[64];        /* a row name, or a shell pattern of row names (LDP_*) */
    char pattern[64];     /* as written, for the report */
    uint32_t mask, value; /* a bit pattern; both 0 for * or conditions */
    struct cond cond[4];  /* all must hold */
    unsigned ncond;
};
static struct known knowns[MAX_LIST];
static unsigned nknowns;

static _Noreturn void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "vs_capstone: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

/* Splits a line into whitespace-separated words, dropping a '#' comment; returns the count. */
static unsigned split(char *line, char **w, unsigned max)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    unsigned n = 0;
    for (char *t = strtok(line, " \t\r\n"); t && n < max; t = strtok(NULL, " \t\r\n"))
        w[n++] = t;
    return n;
}

static void load_aliases(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char line[512], *w[MAX_ALT + 1];
    while (fgets(line, sizeof line, f)) {
        unsigned n = split(line, w, MAX_ALT + 1);
        if (n == 0)
            continue;
        if (n < 2 || naliases == MAX_LIST || strlen(w[0]) >= sizeof aliases[0].key)
            die("bad line in %s", path);
        struct alias *a = &aliases[naliases++];
        snprintf(a->key, sizeof a->key, "%s", w[0]);
        for (unsigned i = 1; i < n; i++)
            snprintf(a->alt[a->nalt++], sizeof a->alt[0], "%s", w[i]);
    }
    fclose(f);
}

static bool parse_field(const char **p, unsigned *lo)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        size_t n = strlen(fields[i].name);
        if (!strncmp(*p, fields[i].name, n)) {
            *p += n;
            *lo = fields[i].lo;
            return true;
        }
    }
    return false;
}

/* PATTERN: "*", or 32 characters of 0/1/x ('_' ignored), or conditions "F==G,F!=N,..." over the
 * fields above and numbers. */
static bool parse_pattern(const char *p, struct known *k)
{
    if (!strcmp(p, "*"))
        return true;
    if (strchr("01x", *p)) {
        unsigned bits = 0;
        for (; *p; p++) {
            if (*p == '_')
                continue;
            if ((*p != '0' && *p != '1' && *p != 'x') || bits == 32)
                return false;
            k->mask = k->mask << 1 | (*p != 'x');
            k->value = k->value << 1 | (*p == '1');
            bits++;
        }
        return bits == 32;
    }
    for (;;) {
        if (k->ncond == sizeof k->cond / sizeof k->cond[0])
            return false;
        struct cond *c = &k->cond[k->ncond++];
        if (!parse_field(&p, &c->a) || (p[0] != '=' && p[0] != '!') || p[1] != '=')
            return false;
        c->equal = p[0] == '=';
        p += 2;
        if (isdigit((unsigned char)*p)) {
            c->is_const = true;
            c->k = (unsigned)strtoul(p, (char **)&p, 10);
        } else if (!parse_field(&p, &c->b)) {
            return false;
        }
        if (!*p)
            return true;
        if (*p++ != ',')
            return false;
    }
}

static void load_known(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *w[3];
        unsigned n = split(line, w, 3);
        if (n == 0)
            continue;
        /* The reason is what follows the pattern: a comment alone is not one. */
        if (n < 3 || nknowns == MAX_LIST || strlen(w[0]) >= sizeof knowns[0].name)
            die("bad line in %s (NAME PATTERN REASON)", path);
        struct known *k = &knowns[nknowns++];
        snprintf(k->name, sizeof k->name, "%s", w[0]);
        snprintf(k->pattern, sizeof k->pattern, "%s", w[1]);
        if (!parse_pattern(w[1], k))
            die("bad pattern in %s", path);
    }
    fclose(f);
}

static bool known_matches(const struct known *k, const char *name, uint32_t w)
{
    if (fnmatch(k->name, name, 0) != 0 || (w & k->mask) != k->value)
        return false;
    for (unsigned i = 0; i < k->ncond; i++) {
        const struct cond *c = &k->cond[i];
        unsigned a = (w >> c->a) & 31, b = c->is_const ? c->k : (w >> c->b) & 31;
        if ((a == b) != c->equal)
            return false;
    }
    return true;
}

/* The first known.txt entry excusing w as row `name`, or -1. */
static int known_for(const char *name, uint32_t w)
{
    for (unsigned i = 0; i < nknowns; i++)
        if (known_matches(&knowns[i], name, w))
            return (int)i;
    return -1;
}

/* Does capstone's mnemonic m agree with our row name? */
static bool mnemonic_ok(const char *name, const char *m)
{
    char first[64];
    size_t n = strcspn(name, "_");
    if (n >= sizeof first)
        n = sizeof first - 1;
    for (size_t i = 0; i < n; i++)
        first[i] = (char)tolower((unsigned char)name[i]);
    first[n] = 0;
    if (!strcmp(first, m))
        return true;
    /* Upper-half forms (Q = 1: sshll2, xtn2, pmull2) share the encoding of the lower-half ones. */
    size_t ml = strlen(m);
    if (ml == n + 1 && m[n] == '2' && !strncmp(first, m, n))
        return true;
    for (unsigned i = 0; i < naliases; i++) {
        const struct alias *a = &aliases[i];
        bool applies = strchr(a->key, '_') ? !strncmp(name, a->key, strlen(a->key))
                                           : strlen(a->key) == n && !strncmp(name, a->key, n);
        for (unsigned j = 0; applies && j < a->nalt; j++)
            if (!strcmp(a->alt[j], m))
                return true;
    }
    return false;
}

/* Does the first operand of an instruction's text have the width our row's name says? Arm's
 * names carry it in a token after the first: 32... or 64... for the general register written
 * (ADD_32_..., LDADD_64_...; but CRC32X_64C is about the source), a lone B, H, S, D or Q for a
 * SIMD&FP scalar (FADD_D_floatdp2, LDR_Q_...; in vector rows it is an element size instead). */
static bool width_ok(const char *name, const char *text)
{
    const char *op = text + strcspn(text, " ");
    op += strspn(op, " ");
    if (!*op) /* ret */
        return true;
    for (const char *t = strchr(name, '_'); t; t = strchr(t + 1, '_')) {
        const char *tok = t + 1;
        size_t len = strcspn(tok, "_");
        if ((!strncmp(tok, "32", 2) || !strncmp(tok, "64", 2)) && tok[len - 1] != 'C')
            return tok[0] == '3' ? op[0] == 'w' : op[0] == 'x' || !strncmp(op, "sp", 2);
        if (len == 1 && strchr("BHSDQ", tok[0]) && op[0] != 'v' && op[0] != '{')
            return op[0] == tolower((unsigned char)tok[0]);
    }
    return true;
}

/* ---- results, kept per thread ---- */

struct failure {
    unsigned long count;
    uint32_t words[EXAMPLES];
    char their_text[EXAMPLES][2 * TEXT + 32]; /* both oracles' answers */
};

/* Words they decode and we do not, by shape (executable sections) or mnemonic (exhaustive). */
struct missing {
    char key[TEXT];
    uint32_t example;
    unsigned long count;
};
struct missing_table {
    struct missing *slot; /* open addressing; key[0] == 0 is free */
    size_t n, cap;
};

struct counts {
    /* their: decoded by capstone or LLVM, counted only for exhaustive ranges (it needs LLVM's
     * opinion on every word capstone rejects) */
    unsigned long words, ours, theirs, both, llvm_only, their;
};

struct tally {
    csh cs;
    cs_insn *csi;
    LLVMDisasmContextRef llvm;
    /* Per row: decoded words capstone rejects, words where the mnemonics disagree, and words
     * the row's check refused that they decode as the row's instruction. */
    struct failure *rejected, *misnamed, *refused;
    unsigned long ambiguous, misdecoded;
    uint32_t ambiguous_ex[EXAMPLES], misdecoded_ex[EXAMPLES];
    unsigned long known_used[MAX_LIST];
    struct missing_table missing;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static void tally_init(struct tally *t)
{
    memset(t, 0, sizeof *t);
    if (cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &t->cs) != CS_ERR_OK ||
        !(t->csi = cs_malloc(t->cs)))
        die("%s", "cannot open capstone");
    t->llvm = LLVMCreateDisasmCPUFeatures("aarch64-linux-gnu", "", "+all", NULL, 0, NULL, NULL);
    if (!t->llvm)
        die("%s", "cannot create LLVM's AArch64 disassembler");
    t->rejected = xcalloc(A64_NUM_OPS, sizeof *t->rejected);
    t->misnamed = xcalloc(A64_NUM_OPS, sizeof *t->misnamed);
    t->refused = xcalloc(A64_NUM_OPS, sizeof *t->refused);
}

/* ---- the oracles ---- */

/* Keeps the mnemonic of an instruction's text without a condition suffix (b.eq -> b). */
static void mnemonic_of(const char *text, char *mnem, size_t mlen)
{
    size_t n = strcspn(text, " \t.");
    if (n >= mlen)
        n = mlen - 1;
    memcpy(mnem, text, n);
    mnem[n] = 0;
}

/* Disassembles w with capstone; false when it has no instruction for it. */
static bool capstone(struct tally *t, uint32_t w, char *mnem, size_t mlen, char *text, size_t tlen)
{
    uint8_t bytes[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    const uint8_t *p = bytes;
    size_t size = 4;
    uint64_t addr = 0x400000;
    if (!cs_disasm_iter(t->cs, &p, &size, &addr, t->csi))
        return false;
    snprintf(text, tlen, "%s %s", t->csi->mnemonic, t->csi->op_str);
    mnemonic_of(text, mnem, mlen);
    return true;
}

/* The same with LLVM's disassembler. */
static bool llvm_disasm(struct tally *t, uint32_t w, char *mnem, size_t mlen, char *text,
                        size_t tlen)
{
    uint8_t bytes[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    char out[TEXT];
    if (LLVMDisasmInstruction(t->llvm, bytes, 4, 0x400000, out, sizeof out) != 4)
        return false;
    const char *p = out + strspn(out, " \t");
    size_t o = 0;
    for (; *p && o + 1 < tlen; p++) /* "\tldadd\tw0, w0, [x1]" -> "ldadd w0, w0, [x1]" */
        text[o++] = *p == '\t' ? ' ' : *p;
    text[o] = 0;
    mnemonic_of(text, mnem, mlen);
    return true;
}

/* The shape of an instruction: its text with numbers replaced by N, so "add x0, x1, #8" and
 * "add x3, x4, #16" count as one encoding in the coverage summary. */
static void shape(const char *text, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = text; *p && o + 2 < len; p++) {
        if (isdigit((unsigned char)*p)) {
            out[o++] = 'N';
            if (p[0] == '0' && p[1] == 'x')
                p++;
            while (isxdigit((unsigned char)p[1]))
                p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = 0;
}

/* ---- recording ---- */

static void note_failure(struct failure *f, uint32_t w, const char *text)
{
    if (f->count < EXAMPLES) {
        f->words[f->count] = w;
        snprintf(f->their_text[f->count], sizeof f->their_text[0], "%s", text);
    }
    f->count++;
}

static void note_example(uint32_t *ex, unsigned long n, uint32_t w)
{
    if (n < EXAMPLES)
        ex[n] = w;
}

static size_t hash(const char *s)
{
    size_t h = 14695981039346656037ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void missing_add(struct missing_table *m, const char *key, uint32_t example,
                        unsigned long count)
{
    if (2 * (m->n + 1) > m->cap) {
        struct missing_table grown = {xcalloc(m->cap ? 2 * m->cap : 1024, sizeof *m->slot), 0,
                                      m->cap ? 2 * m->cap : 1024};
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].key[0])
                missing_add(&grown, m->slot[i].key, m->slot[i].example, m->slot[i].count);
        free(m->slot);
        *m = grown;
    }
    size_t i = hash(key) & (m->cap - 1);
    while (m->slot[i].key[0] && strcmp(m->slot[i].key, key))
        i = (i + 1) & (m->cap - 1);
    if (!m->slot[i].key[0]) {
        snprintf(m->slot[i].key, sizeof m->slot[i].key, "%s", key);
        m->slot[i].example = example;
        m->n++;
    }
    m->slot[i].count += count;
}

/* ---- the decoder against itself ---- */

/* The rows that can match a word, by its bits 31:22 (not the decoder's buckets: this check
 * shares nothing with the lookup it checks but the rows). */
#define BF_SHIFT 22
static uint16_t *bf_rows[1u << (32 - BF_SHIFT)]; /* zero-terminated */

static void brute_force_init(void)
{
    for (uint32_t b = 0; b < 1u << (32 - BF_SHIFT); b++) {
        bf_rows[b] = xcalloc(A64_NUM_OPS, sizeof *bf_rows[b]);
        unsigned n = 0;
        for (unsigned op = 1; op < A64_NUM_OPS; op++)
            if (((b << BF_SHIFT) & a64_rows[op].mask) == (a64_rows[op].value & ~0u << BF_SHIFT))
                bf_rows[b][n++] = (uint16_t)op;
    }
}

/* The row a correct table lookup returns: the matching row with the most fixed bits; and in
 * *unchecked the one it would be without the rows' checks. */
static unsigned brute_force(uint32_t w, bool *tie, unsigned *unchecked)
{
    unsigned best = A64_UNALLOCATED, any = A64_UNALLOCATED;
    int best_bits = -1, any_bits = -1;
    *tie = false;
    for (const uint16_t *p = bf_rows[w >> BF_SHIFT]; *p; p++) {
        const struct a64_row *r = &a64_rows[*p];
        if ((w & r->mask) != r->value)
            continue;
        int bits = __builtin_popcount(r->mask);
        if (bits > any_bits) {
            any = *p;
            any_bits = bits;
        }
        if (!r->check(w))
            continue;
        if (bits > best_bits) {
            best = *p;
            best_bits = bits;
            *tie = false;
        } else if (bits == best_bits) {
            *tie = true;
        }
    }
    *unchecked = any;
    return best;
}

/* Does an oracle's text name the instruction of row `op`? */
static bool names(unsigned op, const char *mnem, const char *text)
{
    return mnemonic_ok(a64_rows[op].name, mnem) && width_ok(a64_rows[op].name, text);
}

/* Checks w; `from` is the row whose mask and value it was made to match, or 0. `real`: from an
 * executable section (words we miss are listed by shape); `all`: from an exhaustive range
 * (LLVM is asked about every word capstone rejects, words we miss are listed by mnemonic). */
static void check_word(struct tally *t, struct counts *c, uint32_t w, bool real, bool all,
                       unsigned from)
{
    unsigned op = a64_decode(w), unchecked;
    bool tie;
    unsigned want = brute_force(w, &tie, &unchecked);
    if (tie)
        note_example(t->ambiguous_ex, t->ambiguous++, w);
    else if (op != want)
        note_example(t->misdecoded_ex, t->misdecoded++, w);
    if (!from)
        from = unchecked;

    char mnem[32], text[TEXT + 8], lmnem[32], ltext[TEXT];
    bool theirs = capstone(t, w, mnem, sizeof mnem, text, sizeof text);
    bool llvm_ok = false, llvm_asked = false;
    if (all && !theirs) {
        llvm_asked = true;
        llvm_ok = llvm_disasm(t, w, lmnem, sizeof lmnem, ltext, sizeof ltext);
    }
    c->words++;
    c->ours += op != A64_UNALLOCATED;
    c->theirs += theirs;
    c->their += theirs || llvm_ok;
    if (op == A64_UNALLOCATED) {
        /* The row's check refused a word an oracle decodes as that very instruction: a reserved
         * value that is not reserved, and a valid instruction that would raise SIGILL. */
        bool named = theirs && names(from, mnem, text);
        if (from && !named) {
            if (!llvm_asked)
                llvm_ok = llvm_disasm(t, w, lmnem, sizeof lmnem, ltext, sizeof ltext);
            llvm_asked = true;
            named = llvm_ok && names(from, lmnem, ltext);
            if (named)
                snprintf(text, sizeof text, "%s (llvm)", ltext);
        }
        if (from && named) {
            int k = known_for(a64_rows[from].name, w);
            if (k >= 0)
                t->known_used[k]++;
            else
                note_failure(&t->refused[from], w, text);
            return;
        }
        if (real && !theirs && !llvm_asked)
            llvm_ok = llvm_disasm(t, w, lmnem, sizeof lmnem, ltext, sizeof ltext);
        if ((real || all) && (theirs || llvm_ok)) {
            char key[TEXT];
            if (real)
                shape(theirs ? text : ltext, key, sizeof key);
            else
                snprintf(key, sizeof key, "%s", theirs ? mnem : lmnem);
            missing_add(&t->missing, key, w, 1);
        }
        return;
    }
    const char *name = a64_rows[op].name;
    if (theirs && names(op, mnem, text)) {
        c->both++;
        return;
    }
    if (!llvm_asked)
        llvm_ok = llvm_disasm(t, w, lmnem, sizeof lmnem, ltext, sizeof ltext);
    if (llvm_ok && names(op, lmnem, ltext)) {
        c->llvm_only++;
        return;
    }
    int k = known_for(name, w);
    if (k >= 0) {
        t->known_used[k]++;
        return;
    }
    char both[2 * TEXT + 32];
    snprintf(both, sizeof both, "capstone: %s; llvm: %s", theirs ? text : "invalid",
             llvm_ok ? ltext : "invalid");
    note_failure(theirs || llvm_ok ? &t->misnamed[op] : &t->rejected[op], w, both);
}

/* Every aligned word of the executable sections of an ELF file. */
static void check_elf(struct tally *t, const char *path, struct counts *c)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die("cannot open %s", path);
    elf_version(EV_CURRENT);
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    if (!elf)
        die("cannot read %s as ELF", path);
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR))
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        for (size_t off = 0; d && off + 4 <= d->d_size; off += 4) {
            uint32_t w;
            memcpy(&w, (const uint8_t *)d->d_buf + off, 4);
            check_word(t, c, w, true, false, 0);
        }
    }
    elf_end(elf);
    close(fd);
}

/* ---- exhaustive ranges: threads take chunks of words in turn ---- */

#define CHUNK (1u << 16)

struct range {
    uint64_t lo, end; /* [lo, end) */
    _Atomic uint64_t next, done;
};

struct worker {
    pthread_t thread;
    struct range *range;
    struct tally tally;
    struct counts counts;
};

static void *worker_main(void *arg)
{
    struct worker *k = arg;
    struct range *r = k->range;
    for (;;) {
        uint64_t lo = atomic_fetch_add(&r->next, CHUNK);
        if (lo >= r->end)
            return NULL;
        uint64_t hi = lo + CHUNK < r->end ? lo + CHUNK : r->end;
        for (uint64_t w = lo; w < hi; w++)
            check_word(&k->tally, &k->counts, (uint32_t)w, false, true, 0);
        atomic_fetch_add(&r->done, hi - lo);
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void merge_failures(struct failure *into, const struct failure *from)
{
    for (unsigned op = 1; op < A64_NUM_OPS; op++) {
        for (unsigned long i = 0; i < from[op].count && i < EXAMPLES; i++)
            if (into[op].count + i < EXAMPLES) {
                into[op].words[into[op].count + i] = from[op].words[i];
                memcpy(into[op].their_text[into[op].count + i], from[op].their_text[i],
                       sizeof into[op].their_text[0]);
            }
        into[op].count += from[op].count;
    }
}

static void merge_examples(uint32_t *into, unsigned long n, const uint32_t *from, unsigned long m)
{
    for (unsigned long i = 0; i < m && i < EXAMPLES; i++)
        note_example(into, n + i, from[i]);
}

/* Adds a worker's results to t. */
static void merge(struct tally *t, const struct tally *w)
{
    merge_failures(t->rejected, w->rejected);
    merge_failures(t->misnamed, w->misnamed);
    merge_failures(t->refused, w->refused);
    merge_examples(t->ambiguous_ex, t->ambiguous, w->ambiguous_ex, w->ambiguous);
    merge_examples(t->misdecoded_ex, t->misdecoded, w->misdecoded_ex, w->misdecoded);
    t->ambiguous += w->ambiguous;
    t->misdecoded += w->misdecoded;
    for (unsigned k = 0; k < nknowns; k++)
        t->known_used[k] += w->known_used[k];
    for (size_t i = 0; i < w->missing.cap; i++)
        if (w->missing.slot[i].key[0])
            missing_add(&t->missing, w->missing.slot[i].key, w->missing.slot[i].example,
                        w->missing.slot[i].count);
}

/* Every word of [lo, end) on `jobs` threads, with progress on stderr every 30 seconds. */
static void check_range(struct tally *t, struct counts *c, uint64_t lo, uint64_t end, unsigned jobs)
{
    struct range r = {.lo = lo, .end = end, .next = lo, .done = 0};
    struct worker *k = xcalloc(jobs, sizeof *k);
    for (unsigned i = 0; i < jobs; i++) {
        k[i].range = &r;
        tally_init(&k[i].tally);
        if (pthread_create(&k[i].thread, NULL, worker_main, &k[i]))
            die("%s", "cannot create a thread");
    }
    double start = now(), last = start;
    while (atomic_load(&r.done) < end - lo) {
        usleep(200 * 1000);
        if (now() - last < 30)
            continue;
        last = now();
        double done = (double)atomic_load(&r.done), rate = done / (last - start);
        fprintf(stderr, "vs_capstone: %.0f of %.0f words (%.1f%%), %.0f words/s, %.0f min left\n",
                done, (double)(end - lo), 100 * done / (double)(end - lo), rate,
                rate > 0 ? ((double)(end - lo) - done) / rate / 60 : 0);
    }
    for (unsigned i = 0; i < jobs; i++) {
        pthread_join(k[i].thread, NULL);
        merge(t, &k[i].tally);
        c->words += k[i].counts.words;
        c->ours += k[i].counts.ours;
        c->theirs += k[i].counts.theirs;
        c->both += k[i].counts.both;
        c->llvm_only += k[i].counts.llvm_only;
        c->their += k[i].counts.their;
    }
    fprintf(stderr, "vs_capstone: %llu words in %.0f s\n", (unsigned long long)(end - lo),
            now() - start);
    free(k);
}

/* ---- the report ---- */

static void report(const char *what, struct counts *c, bool all)
{
    if (!c->words)
        return;
    printf("%s: %lu words; we decode %lu, capstone %lu, both agreeing %lu; "
           "of ours capstone rejects or names otherwise, LLVM agrees on %lu\n",
           what, c->words, c->ours, c->theirs, c->both, c->llvm_only);
    if (all)
        printf("  capstone or LLVM decode %lu; of ours neither agrees on %lu (excused by "
               "known.txt or failures below)\n",
               c->their, c->ours - c->both - c->llvm_only);
}

static int failures(struct failure *f, const char *what)
{
    int n = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++) {
        if (!f[op].count)
            continue;
        if (n++ == 0)
            fprintf(stderr, "\n%s\n", what);
        fprintf(stderr, "  %-28s %6lu words, e.g.", a64_rows[op].name, f[op].count);
        for (unsigned i = 0; i < f[op].count && i < EXAMPLES; i++)
            fprintf(stderr, "%s %08x (%s)", i ? "," : "", f[op].words[i], f[op].their_text[i]);
        fputc('\n', stderr);
    }
    return n;
}

static int by_count(const void *a, const void *b)
{
    const struct missing *x = a, *y = b;
    return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->key, y->key);
}

static void report_missing(struct missing_table *m, bool all)
{
    size_t n = 0;
    unsigned long words = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key[0]) {
            words += m->slot[i].count;
            m->slot[n++] = m->slot[i];
        }
    qsort(m->slot, n, sizeof *m->slot, by_count);
    printf("\nnot decoded by us, decoded by capstone or LLVM: %lu words, %zu %s; the most "
           "frequent:\n",
           words, n, all ? "mnemonics (and shapes of the executable sections' words)" : "shapes");
    for (size_t k = 0; k < n && k < 40; k++)
        printf("  %10lu  %08x  %s\n", m->slot[k].count, m->slot[k].example, m->slot[k].key);
}

static bool parse_word(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end || v > 0xffffffffull)
        return false;
    *out = v;
    return true;
}

static uint64_t xorshift(uint64_t *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    return *seed;
}

int main(int argc, char **argv)
{
    unsigned long nrandom = 0, nper_row = 0, jobs = 1;
    uint64_t seed = 0x9e3779b97f4a7c15ull, lo = 0, hi = 0;
    bool all = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--all")) {
            all = true;
            lo = 0;
            hi = 0xffffffff;
            i--;
            continue;
        }
        if (i + 1 >= argc)
            die("%s needs an argument", argv[i]);
        if (!strcmp(argv[i], "--random"))
            nrandom = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--per-row"))
            nper_row = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--jobs"))
            jobs = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--known"))
            load_known(argv[i + 1]);
        else if (!strcmp(argv[i], "--aliases"))
            load_aliases(argv[i + 1]);
        else if (!strcmp(argv[i], "--range") && i + 2 < argc) {
            if (!parse_word(argv[i + 1], &lo) || !parse_word(argv[i + 2], &hi) || lo > hi)
                die("%s: want --range LO HI, words with LO <= HI", argv[i]);
            all = true;
            i++;
        } else
            die("unknown option %s", argv[i]);
    }
    if (jobs < 1 || jobs > 256)
        die("%s", "--jobs wants 1 to 256");
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64Disassembler();
    a64_decode_init();
    brute_force_init();
    struct tally t;
    tally_init(&t);

    int bad = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        if (a64_rows[op].value & ~a64_rows[op].mask) {
            fprintf(stderr, "ROW: %s has value bits outside its mask; it never matches\n",
                    a64_rows[op].name);
            bad++;
        }

    struct counts real = {0}, rnd = {0}, per_row = {0}, range = {0};
    for (; i < argc; i++)
        check_elf(&t, argv[i], &real);
    for (unsigned long n = 0; n < nrandom; n++)
        check_word(&t, &rnd, (uint32_t)(xorshift(&seed) >> 16), false, false, 0);
    /* Every row gets words of its own, whatever its share of the encoding space. */
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        for (unsigned long n = 0; n < nper_row; n++) {
            uint32_t w =
                ((uint32_t)(xorshift(&seed) >> 16) & ~a64_rows[op].mask) | a64_rows[op].value;
            check_word(&t, &per_row, w, false, false, op);
        }
    if (all)
        check_range(&t, &range, lo, hi + 1, (unsigned)jobs);
    report("executable sections", &real, false);
    report("random words", &rnd, false);
    report("random words of each row", &per_row, false);
    char what[64];
    snprintf(what, sizeof what, "every word of %08llx..%08llx", (unsigned long long)lo,
             (unsigned long long)hi);
    report(what, &range, true);
    report_missing(&t.missing, all);

    printf("\nknown.txt entries: words each excused\n");
    for (unsigned k = 0; k < nknowns; k++)
        printf("  %10lu  %-20s %s\n", t.known_used[k], knowns[k].name, knowns[k].pattern);

    bad += failures(t.rejected, "Decoded by us, invalid for capstone and LLVM (wrong mask, value "
                                "or check; known.txt only when both are wrong):");
    bad += failures(t.misnamed, "Decoded by us as an instruction capstone and LLVM name otherwise "
                                "(wrong row, or an alias missing from aliases.txt):");
    bad += failures(t.refused, "Refused by our row's check, though capstone or LLVM decode it as "
                               "that instruction (a check rejecting a valid value):");
    if (t.ambiguous) {
        fprintf(stderr, "\n%lu words match two equally specific rows, e.g.", t.ambiguous);
        for (unsigned long k = 0; k < t.ambiguous && k < EXAMPLES; k++)
            fprintf(stderr, " %08x", t.ambiguous_ex[k]);
        fputc('\n', stderr);
    }
    if (t.misdecoded) {
        fprintf(stderr, "\n%lu words decode to a row other than the most specific, e.g.",
                t.misdecoded);
        for (unsigned long k = 0; k < t.misdecoded && k < EXAMPLES; k++)
            fprintf(stderr, " %08x (%s)", t.misdecoded_ex[k],
                    a64_rows[a64_decode(t.misdecoded_ex[k])].name);
        fputc('\n', stderr);
    }
    bad += t.ambiguous > 0 || t.misdecoded > 0;
    return bad ? 1 : 0;
}
