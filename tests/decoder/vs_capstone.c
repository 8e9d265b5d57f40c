/*
 * The decoder against independent ones (DESIGN.md: capstone is the oracle for our decoder).
 * Capstone 4.0.2 (Debian 12) predates Armv8.1 (no LSE atomics, RCpc, flag manipulation...), so
 * where it rejects a word or names it differently, LLVM 19's disassembler (all extensions on) is
 * asked for a second opinion. Words come from the executable sections of the ELF files given, from
 * --random N pseudo-random words, and from --per-row N random words matching each row's mask and
 * value (a fixed seed, so every run sees the same words). For each:
 *  - the table must pick its most specific matching row, and no two rows may tie for it;
 *  - a word we decode must decode in capstone or LLVM too, unless known.txt excuses it;
 *  - our row's name must agree with their mnemonic: the name's first token, lowercased, is the
 *    mnemonic, or one of the aliases aliases.txt allows (Arm's preferred disassembly); and with
 *    the width of the first operand where the name gives one (ADD_32_... w, FADD_D_... d);
 *  - words they decode and we do not are counted as missing coverage, not failures -- except
 *    where a row's check refused a word they decode as that row's instruction.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LIST 400 /* lines in each of known.txt and aliases.txt */
#define MAX_ALT  16  /* mnemonics per alias line */
#define EXAMPLES 3   /* words shown per failing row */
#define TEXT     200 /* capstone text of one instruction: mnemonic (32) and operands (160) */

static csh cs;
static cs_insn *csi;
static LLVMDisasmContextRef llvm;

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
    uint32_t mask, value; /* a bit pattern; both 0 for * or conditions */
    struct cond cond[4];  /* all must hold */
    unsigned ncond, used;
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

static struct known *known_for(const char *name, uint32_t w)
{
    for (unsigned i = 0; i < nknowns; i++)
        if (known_matches(&knowns[i], name, w))
            return &knowns[i];
    return NULL;
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
static bool capstone(uint32_t w, char *mnem, size_t mlen, char *text, size_t tlen)
{
    uint8_t bytes[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    const uint8_t *p = bytes;
    size_t size = 4;
    uint64_t addr = 0x400000;
    if (!cs_disasm_iter(cs, &p, &size, &addr, csi))
        return false;
    snprintf(text, tlen, "%s %s", csi->mnemonic, csi->op_str);
    mnemonic_of(text, mnem, mlen);
    return true;
}

/* The same with LLVM's disassembler. */
static bool llvm_disasm(uint32_t w, char *mnem, size_t mlen, char *text, size_t tlen)
{
    uint8_t bytes[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    char out[TEXT];
    if (LLVMDisasmInstruction(llvm, bytes, 4, 0x400000, out, sizeof out) != 4)
        return false;
    const char *t = out + strspn(out, " \t");
    size_t o = 0;
    for (; *t && o + 1 < tlen; t++) /* "\tldadd\tw0, w0, [x1]" -> "ldadd w0, w0, [x1]" */
        text[o++] = *t == '\t' ? ' ' : *t;
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

/* ---- results ---- */

struct failure {
    unsigned op, count;
    uint32_t words[EXAMPLES];
    char their_text[EXAMPLES][2 * TEXT + 32]; /* both oracles' answers */
};
/* Per row: decoded words capstone rejects, and words where the mnemonics disagree. */
static struct failure *rejected, *misnamed, *refused;
static unsigned long ambiguous, misdecoded;

struct missing {
    char shape[TEXT];
    uint32_t example;
    unsigned long count;
};
static struct missing *missing;
static size_t nmissing, capmissing;

static void note_failure(struct failure *f, unsigned op, uint32_t w, const char *text)
{
    f->op = op;
    if (f->count < EXAMPLES) {
        f->words[f->count] = w;
        snprintf(f->their_text[f->count], sizeof f->their_text[0], "%s", text);
    }
    f->count++;
}

static void note_missing(const char *text, uint32_t w)
{
    char s[TEXT];
    shape(text, s, sizeof s);
    for (size_t i = 0; i < nmissing; i++)
        if (!strcmp(missing[i].shape, s)) {
            missing[i].count++;
            return;
        }
    if (nmissing == capmissing) {
        capmissing = capmissing ? capmissing * 2 : 1024;
        missing = realloc(missing, capmissing * sizeof *missing);
        if (!missing)
            die("%s", "out of memory");
    }
    missing[nmissing] = (struct missing){.example = w, .count = 1};
    snprintf(missing[nmissing].shape, sizeof missing[0].shape, "%s", s);
    nmissing++;
}

/* The row a correct table lookup returns: the matching row with the most fixed bits. */
static unsigned brute_force(uint32_t w, bool *tie)
{
    unsigned best = A64_UNALLOCATED;
    int best_bits = -1;
    *tie = false;
    for (unsigned op = 1; op < A64_NUM_OPS; op++) {
        const struct a64_row *r = &a64_rows[op];
        if ((w & r->mask) != r->value || !r->check(w))
            continue;
        int bits = __builtin_popcount(r->mask);
        if (bits > best_bits) {
            best = op;
            best_bits = bits;
            *tie = false;
        } else if (bits == best_bits) {
            *tie = true;
        }
    }
    return best;
}

struct counts {
    unsigned long words, ours, theirs, both, llvm_only;
};

/* Does an oracle's text name the instruction of row `op`? */
static bool names(unsigned op, const char *mnem, const char *text)
{
    return mnemonic_ok(a64_rows[op].name, mnem) && width_ok(a64_rows[op].name, text);
}

/* w, from the executable sections (real) or random; `from` is the row whose mask and value it
 * was made to match, or 0. */
static void check_word(uint32_t w, struct counts *c, bool real, unsigned from)
{
    unsigned op = a64_decode(w);
    bool tie;
    unsigned want = brute_force(w, &tie);
    if (tie) {
        if (ambiguous++ < 20)
            fprintf(stderr, "AMBIGUOUS: %08x matches several rows as specific as %s\n", w,
                    a64_rows[want].name);
    } else if (op != want) {
        if (misdecoded++ < 20)
            fprintf(stderr, "MISDECODED: %08x decodes as %s, but the most specific row is %s\n", w,
                    a64_rows[op].name, a64_rows[want].name);
    }

    char mnem[32], text[TEXT], lmnem[32], ltext[TEXT];
    bool theirs = capstone(w, mnem, sizeof mnem, text, sizeof text);
    c->words++;
    c->ours += op != A64_UNALLOCATED;
    c->theirs += theirs;
    if (op == A64_UNALLOCATED) {
        if (real && (theirs || llvm_disasm(w, mnem, sizeof mnem, text, sizeof text)))
            note_missing(text, w);
        /* The row's check refused a word an oracle decodes as that very instruction: a reserved
         * value that is not reserved, and a valid instruction that would raise SIGILL. */
        if (from && !(theirs && names(from, mnem, text))) {
            theirs = llvm_disasm(w, mnem, sizeof mnem, text, sizeof text);
            snprintf(text + strlen(text), sizeof text - strlen(text), " (llvm)");
        }
        if (from && theirs && names(from, mnem, text)) {
            struct known *k = known_for(a64_rows[from].name, w);
            if (k)
                k->used++;
            else
                note_failure(&refused[from], from, w, text);
        }
        return;
    }
    const char *name = a64_rows[op].name;
    if (theirs && names(op, mnem, text)) {
        c->both++;
        return;
    }
    bool llvm_ok = llvm_disasm(w, lmnem, sizeof lmnem, ltext, sizeof ltext);
    if (llvm_ok && names(op, lmnem, ltext)) {
        c->llvm_only++;
        return;
    }
    struct known *k = known_for(name, w);
    if (k) {
        k->used++;
        return;
    }
    char both[2 * TEXT + 32];
    snprintf(both, sizeof both, "capstone: %s; llvm: %s", theirs ? text : "invalid",
             llvm_ok ? ltext : "invalid");
    note_failure(theirs || llvm_ok ? &misnamed[op] : &rejected[op], op, w, both);
}

/* Every aligned word of the executable sections of an ELF file. */
static void check_elf(const char *path, struct counts *c)
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
            check_word(w, c, true, 0);
        }
    }
    elf_end(elf);
    close(fd);
}

static void report(const char *what, struct counts *c)
{
    printf("%s: %lu words; we decode %lu, capstone %lu, both agreeing %lu; "
           "of ours capstone rejects or names otherwise, LLVM agrees on %lu\n",
           what, c->words, c->ours, c->theirs, c->both, c->llvm_only);
}

static int failures(struct failure *f, const char *what)
{
    int n = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++) {
        if (!f[op].count)
            continue;
        if (n++ == 0)
            fprintf(stderr, "\n%s\n", what);
        fprintf(stderr, "  %-28s %6u words, e.g.", a64_rows[op].name, f[op].count);
        for (unsigned i = 0; i < f[op].count && i < EXAMPLES; i++)
            fprintf(stderr, "%s %08x (%s)", i ? "," : "", f[op].words[i], f[op].their_text[i]);
        fputc('\n', stderr);
    }
    return n;
}

static int by_count(const void *a, const void *b)
{
    const struct missing *x = a, *y = b;
    return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->shape, y->shape);
}

int main(int argc, char **argv)
{
    unsigned long nrandom = 0, nper_row = 0;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i += 2) {
        if (i + 1 >= argc)
            die("%s needs an argument", argv[i]);
        if (!strcmp(argv[i], "--random"))
            nrandom = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--per-row"))
            nper_row = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--known"))
            load_known(argv[i + 1]);
        else if (!strcmp(argv[i], "--aliases"))
            load_aliases(argv[i + 1]);
        else
            die("unknown option %s", argv[i]);
    }
    if (cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &cs) != CS_ERR_OK || !(csi = cs_malloc(cs)))
        die("%s", "cannot open capstone");
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64Disassembler();
    llvm = LLVMCreateDisasmCPUFeatures("aarch64-linux-gnu", "", "+all", NULL, 0, NULL, NULL);
    if (!llvm)
        die("%s", "cannot create LLVM's AArch64 disassembler");
    rejected = calloc(A64_NUM_OPS, sizeof *rejected);
    misnamed = calloc(A64_NUM_OPS, sizeof *misnamed);
    refused = calloc(A64_NUM_OPS, sizeof *refused);
    if (!rejected || !misnamed || !refused)
        die("%s", "out of memory");

    int bad = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        if (a64_rows[op].value & ~a64_rows[op].mask) {
            fprintf(stderr, "ROW: %s has value bits outside its mask; it never matches\n",
                    a64_rows[op].name);
            bad++;
        }

    struct counts real = {0}, rnd = {0}, per_row = {0};
    for (; i < argc; i++)
        check_elf(argv[i], &real);
    for (unsigned long n = 0; n < nrandom; n++) {
        seed ^= seed << 13; /* xorshift64 */
        seed ^= seed >> 7;
        seed ^= seed << 17;
        check_word((uint32_t)(seed >> 16), &rnd, false, 0);
    }
    /* Every row gets words of its own, whatever its share of the encoding space. */
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        for (unsigned long n = 0; n < nper_row; n++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            uint32_t w = ((uint32_t)(seed >> 16) & ~a64_rows[op].mask) | a64_rows[op].value;
            check_word(w, &per_row, false, op);
        }
    report("executable sections", &real);
    report("random words", &rnd);
    report("random words of each row", &per_row);

    qsort(missing, nmissing, sizeof *missing, by_count);
    unsigned long nmiss = 0;
    for (size_t k = 0; k < nmissing; k++)
        nmiss += missing[k].count;
    printf("\nnot decoded by us, decoded by capstone, in the executable sections: %lu words, %zu "
           "shapes; the most frequent:\n",
           nmiss, nmissing);
    for (size_t k = 0; k < nmissing && k < 30; k++)
        printf("  %7lu  %08x  %s\n", missing[k].count, missing[k].example, missing[k].shape);

    for (unsigned k = 0; k < nknowns; k++)
        if (!knowns[k].used)
            printf("note: known.txt entry for %s matched no word\n", knowns[k].name);

    bad += failures(rejected, "Decoded by us, invalid for capstone and LLVM (wrong mask, value "
                              "or check; known.txt only when both are wrong):");
    bad += failures(misnamed, "Decoded by us as an instruction capstone and LLVM name otherwise "
                              "(wrong row, or an alias missing from aliases.txt):");
    bad += failures(refused, "Refused by our row's check, though capstone or LLVM decode it as "
                             "that instruction (a check rejecting a valid value):");
    if (ambiguous)
        fprintf(stderr, "\n%lu words match two equally specific rows\n", ambiguous);
    if (misdecoded)
        fprintf(stderr, "\n%lu words decode to a row other than the most specific\n", misdecoded);
    bad += ambiguous > 0 || misdecoded > 0;
    return bad ? 1 : 0;
}
