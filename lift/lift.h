/*
 * lift/: from a guest ELF file to an LLVM module of translated functions.
 *   lift_image_load  reads and validates the ELF file (elf.c)
 *   lift_cfg         recovers functions and basic blocks (cfg.c)
 *   lift_module      builds LLVM IR for them (lift.c)
 * Nothing here prints or exits: failures come back as a struct lift_error.
 */
#ifndef XLATE_LIFT_H
#define XLATE_LIFT_H

#include <llvm-c/Core.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lift_error {
    bool has_va; /* the error concerns guest address `va` */
    uint64_t va;
    char msg[256];
};

/* ---- the guest image ---- */

enum { SEG_R = 4, SEG_W = 2, SEG_X = 1 }; /* as ELF's PF_* */

struct lift_segment {
    uint64_t va, memsz, filesz, file_off;
    uint32_t flags;      /* SEG_* */
    const uint8_t *data; /* filesz bytes inside the file image */
};

struct lift_symbol {
    uint64_t va, size;
    char *name;
};

struct lift_image {
    const char *path;
    uint8_t *file;
    size_t file_size;
    bool pie;       /* static-pie: loaded at `bias`, fixed at translation time */
    uint64_t bias;  /* added to every address in the file */
    uint64_t entry; /* all addresses below are biased */
    uint64_t phdr_va;
    unsigned phnum, phentsize;
    struct lift_segment *segs;
    unsigned nsegs;
    struct lift_symbol *syms; /* functions only, sorted by address */
    unsigned nsyms;
    /* Where the guest's errno is, relative to its thread pointer (TPIDR_EL0); 0 when the symbol
     * table does not say. The host's allocator sets it (routines.c). */
    uint64_t errno_tp;
};

/* Where a static-pie image is placed (far from the host executable, libraries and stack). */
#define LIFT_PIE_BIAS 0x4000000000ull

int lift_image_load(const char *path, struct lift_image *img, struct lift_error *err);
void lift_image_free(struct lift_image *img);
/* The segment holding guest address va, or NULL. */
const struct lift_segment *lift_image_segment(const struct lift_image *img, uint64_t va);

/* ---- control flow ---- */

/* Reads one instruction word at a guest address; false when the address holds no code. The
 * translator reads the file; a run-time tier reads live memory. */
struct lift_reader {
    bool (*read)(void *ctx, uint64_t va, uint32_t *word);
    bool (*read_data)(void *ctx, uint64_t va, void *buf, size_t n); /* any loaded bytes */
    void *ctx;
};
struct lift_reader lift_image_reader(const struct lift_image *img);

struct lift_block {
    uint64_t va;
    unsigned ninsns;
    uint64_t *succ; /* intra-function successors (jump-table targets included) */
    unsigned nsucc;
    bool labels; /* ends in a computed goto: succ are the function's address-taken labels */
    bool poll;   /* a loop head: lets a pending signal in before it runs (loops.c) */
};

/* A routine of the guest's C library done by the host's instead of translated (routines.c). */
enum lift_routine {
    LIFT_ROUTINE_NONE,
    LIFT_MEMMOVE, /* x0 = dst, x1 = src, x2 = n; memcpy too */
    LIFT_MEMSET,  /* x0 = dst, w1 = byte, x2 = n */
    /* The allocator: the host's malloc, with the guest's arguments and result (x0-x2, x0) */
    LIFT_MALLOC,
    LIFT_FREE,
    LIFT_REALLOC,
    LIFT_CALLOC,
    LIFT_MEMALIGN,
    LIFT_VALLOC,
    LIFT_PVALLOC,
    LIFT_POSIX_MEMALIGN,
    LIFT_MALLOC_USABLE_SIZE,
    LIFT_MALLOC_TRIM,
    LIFT_MALLOPT,
    /* Not done by the host: a function that reports the allocator's own state (mallinfo and the
     * like). A program that reaches one keeps the guest's allocator (cfg.c). */
    LIFT_ALLOC_REPORT,
    LIFT_NUM_ROUTINES
};
enum lift_routine lift_routine_of(const char *symbol);
/* Whether the host does the routine: the function is not translated. */
bool lift_routine_by_host(enum lift_routine r);
bool lift_routine_allocates(enum lift_routine r);
/* Whether the symbol names an entry point of a C library's allocator. */
bool lift_routine_allocator_entry(const char *symbol);
/* The routine's name in messages; for the allocator's, the host function it calls, its argument
 * count and the width in bits of its arguments and of its result (0: none). */
struct lift_host_call {
    const char *name;
    unsigned nargs, arg_bits, result_bits;
};
const struct lift_host_call *lift_routine_host(enum lift_routine r);

struct lift_func {
    uint64_t va;
    enum lift_routine routine; /* when not NONE, the function has no blocks and no entries */
    bool direct; /* translated code calls or jumps to it other than through the dispatch table */
    struct lift_block *blocks; /* sorted by address */
    unsigned nblocks;
    uint64_t *entries; /* where the dispatcher may enter besides va: return sites, loop heads */
    unsigned nentries;
};

struct lift_program {
    struct lift_func *funcs; /* sorted by address */
    unsigned nfuncs;
    uint64_t *starts; /* every function start, sorted (for tail-call recognition) */
    unsigned nstarts;
    uint64_t errno_tp; /* the image's, for the allocator's routines (set by the caller) */
};

/* A code address known before control-flow recovery: a function start (owner == va: the entry
 * point, symbols, pointers in data outside any symbol), or an address-taken label inside the
 * function starting at owner (a pointer in data into the middle of a symbol). Roots are where
 * execution may begin (the entry point, pointers in data); other seeds (symbols) only mark where
 * functions start. Only code reachable from the roots is translated. */
struct lift_seed {
    uint64_t va, owner;
    bool root;
    enum lift_routine routine; /* of the symbol at va */
};
int lift_seeds(const struct lift_image *img, struct lift_seed **seeds, unsigned *nseeds,
               struct lift_error *err);
/* The C library routine a symbol at va names, if any, among seeds sorted as lift_seeds sorts
 * them. */
enum lift_routine lift_seed_routine(const struct lift_seed *seeds, unsigned nseeds, uint64_t va);
int lift_cfg(struct lift_reader rd, const struct lift_seed *seeds, unsigned nseeds,
             struct lift_program *prog, struct lift_error *err);
void lift_program_free(struct lift_program *prog);
const struct lift_func *lift_find_func(const struct lift_program *prog, uint64_t va);
/* The index of f's block starting at va, or -1. */
int lift_block_index(const struct lift_func *f, uint64_t va);

/* ---- IR ---- */

/* The host symbol of the translation of the function starting at va: g_<hex va>. */
void lift_func_symbol(uint64_t va, char *buf, size_t len);
/* The type and calling convention of every translated function (call_abi.h), and the byte offset
 * in struct cpu of the register it passes i-th. */
LLVMTypeRef lift_func_type(LLVMContextRef ctx);
enum { LIFT_CALL_CONV = LLVMSwiftCallConv };
unsigned lift_passed_offset(unsigned i);

/* The string attribute on every call of translated code: the callee (a translated function, the
 * interpreter, or the dispatcher's check in a fault handler) starts from the address it is
 * handed, never from pc, so the register file need not hold pc when the call is made; and it
 * takes the registers of call_abi.h as arguments and gives them back as results, so the register
 * file need not hold those either, before the call or after it. */
#define LIFT_TRANSLATED_CALL "xlate-translated-call"

/* Where the dispatcher may enter translated code: every function start, then every other entry
 * (return sites, loop heads), each group sorted by address, one per address (a return site shared
 * by several functions keeps one of them). */
struct lift_entry {
    uint64_t va;
    unsigned func; /* index into prog->funcs */
};
int lift_entries(const struct lift_program *prog, struct lift_entry **entries, unsigned *n);
/* The shift of the runtime's dispatch table (dispatch_hash.h) for the program's entries. */
unsigned lift_dispatch_shift(const struct lift_program *prog);

/* The semantics bitcode (built from lift/a64/sem/ with clang) the lifter inlines from. */
extern const unsigned char lift_sem_bitcode[];
extern const unsigned long lift_sem_bitcode_size;

/* Build a module in ctx holding the translations of the functions with part_of[i] == part; the
 * other functions they call are declared. Each function is `void g_<va>(ptr cpu, i64 entry)`. */
int lift_module(LLVMContextRef ctx, struct lift_reader rd, const struct lift_program *prog,
                const unsigned *part_of, unsigned part, LLVMModuleRef *mod, struct lift_error *err);

#endif
