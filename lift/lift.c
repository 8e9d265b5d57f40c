/*
 * Building LLVM IR for the recovered functions.
 *
 * Each guest function becomes `g_<va>(ptr cpu, i64 entry, i64 regs...)` and works on the register
 * file behind `cpu` directly. That pointer is `noalias` and never captured (guest memory cannot
 * reach the register file, and signals only touch it at safe points), so LLVM keeps registers in
 * host registers where it can and forwards, sinks and deletes register loads and stores around
 * guest memory accesses; only calls, which take `cpu`, force registers to memory. Write-back is
 * therefore exactly the registers written since the last call, and reload is lazy.
 *
 * The guest registers that calls pass in host registers (call_abi.h) are written to the register
 * file from the arguments at the start, read from it for the results at each return, and read
 * from it for a call's arguments and written from its results; fields.c then keeps them out of
 * memory on those paths.
 *
 * Every instruction is a call to its sem_ function with a constant `struct insn`, which the
 * optimizer inlines and folds. Control flow is the only special case: after a branch the lifter
 * reads the pc the semantics computed and turns known successors into IR branches.
 *
 * Protocol with the runtime: a translated function returns when guest control leaves it (RET, an
 * unknown target, a redirected pc); cpu->pc then says where the guest goes next. A caller that
 * finds cpu->pc is not its return address returns too, so the host stack unwinds to the
 * dispatcher (longjmp, exceptions). `entry` selects where to start: the function's address, or a
 * return site when the dispatcher resumes a function whose frame was unwound.
 */
#include "a64/a64.h"
#include "call_abi.h"
#include "dispatch_hash.h"
#include "lift.h"
#include "linepc.h"
#include "dead.h"

#include <llvm-c/BitReader.h>
#include <llvm-c/DebugInfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gen {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMTypeRef i1, i8, i32, i64, ptr, voidt, fnty, retty, semty, insnty, lookupty, pollty;
    LLVMValueRef lookup, poll, keep, probe_table, probe_mask;
    LLVMTypeRef entryty;
    unsigned dispatch_shift; /* of the runtime's table (dispatch_hash.h) */
    LLVMValueRef sem[A64_NUM_OPS];
    const struct lift_program *prog;
    const unsigned *part_of;
    unsigned part;
    LLVMValueRef *fns; /* per prog->funcs: defined here, declared, or NULL until referenced */
    struct lift_reader rd;
    unsigned pc_off;
    LLVMDIBuilderRef dib; /* guest addresses as debug locations (linepc.h) */
    LLVMMetadataRef difile, disubty;
};

struct fgen {
    const struct lift_func *f;
    LLVMValueRef fn, cpu, entry;
    LLVMBasicBlockRef *bbs;       /* per block */
    LLVMBasicBlockRef exit;       /* exit_block */
    const struct lift_block *blk; /* the block being lifted, NULL before the first */
    LLVMMetadataRef sp;           /* the function's DISubprogram */
};

static LLVMValueRef cint64(struct gen *g, uint64_t v)
{
    return LLVMConstInt(g->i64, v, 0);
}

static LLVMValueRef field_ptr(struct gen *g, LLVMValueRef base, unsigned off)
{
    LLVMValueRef idx = LLVMConstInt(g->i64, off, 0);
    return LLVMBuildInBoundsGEP2(g->b, g->i8, base, &idx, 1, "");
}

static LLVMValueRef load_pc(struct gen *g, LLVMValueRef base)
{
    return LLVMBuildLoad2(g->b, g->i64, field_ptr(g, base, g->pc_off), "pc");
}

static void store_pc(struct gen *g, LLVMValueRef base, LLVMValueRef v)
{
    LLVMBuildStore(g->b, v, field_ptr(g, base, g->pc_off));
}

enum { FIRST_PASSED = 2 }; /* the argument of passed register 0 */

unsigned lift_passed_offset(unsigned i)
{
    static const unsigned regs[CALL_ABI_NREGS] = CALL_ABI_REGS;
    return (unsigned)offsetof(struct cpu, x) + 8 * regs[i];
}

static unsigned result_slot(unsigned i)
{
    return (i + 1) % CALL_ABI_NREGS;
}

static LLVMValueRef passed_ptr(struct gen *g, LLVMValueRef cpu, unsigned i)
{
    return field_ptr(g, cpu, lift_passed_offset(i));
}

/* Returns the passed registers (call_abi.h). */
static void build_return(struct gen *g, struct fgen *fg)
{
    LLVMValueRef r = LLVMGetPoison(g->retty);
    for (unsigned i = 0; i < CALL_ABI_NREGS; i++)
        r = LLVMBuildInsertValue(g->b, r,
                                 LLVMBuildLoad2(g->b, g->i64, passed_ptr(g, fg->cpu, i), ""),
                                 result_slot(i), "");
    LLVMBuildRet(g->b, r);
}

/* NZCV hold no value across a call or a return (the procedure call standard, AAPCS64, leaves
 * them undefined at both), so before BL, BLR and RET they are overwritten with a constant: the
 * stores of flags that no instruction of this function reads become dead, and with them the
 * code computing them -- otherwise every loop that ends towards a call keeps computing flags
 * that only the call might read. Signals and the dispatcher's exits keep the flags intact. */
static void clobber_flags(struct gen *g, LLVMValueRef cpu)
{
    static const unsigned offs[] = {offsetof(struct cpu, n), offsetof(struct cpu, z),
                                    offsetof(struct cpu, c), offsetof(struct cpu, v)};
    for (unsigned i = 0; i < 4; i++)
        LLVMBuildStore(g->b, LLVMConstInt(g->i8, 0, 0), field_ptr(g, cpu, offs[i]));
}

LLVMTypeRef lift_func_type(LLVMContextRef ctx)
{
    LLVMTypeRef i64 = LLVMInt64TypeInContext(ctx), regs[FIRST_PASSED + CALL_ABI_NREGS];
    for (unsigned i = 0; i < FIRST_PASSED + CALL_ABI_NREGS; i++)
        regs[i] = i64;
    LLVMTypeRef ret = LLVMStructTypeInContext(ctx, regs, CALL_ABI_NREGS, 0);
    regs[0] = LLVMPointerTypeInContext(ctx, 0);
    return LLVMFunctionType(ret, regs, FIRST_PASSED + CALL_ABI_NREGS, 0);
}

void lift_func_symbol(uint64_t va, char *buf, size_t len)
{
    snprintf(buf, len, "g_%llx", (unsigned long long)va);
}

static unsigned attr_kind(const char *name)
{
    return LLVMGetEnumAttributeKindForName(name, strlen(name));
}

static void add_attr(struct gen *g, LLVMValueRef fn, unsigned idx, const char *name, uint64_t v)
{
    LLVMAddAttributeAtIndex(fn, idx, LLVMCreateEnumAttribute(g->ctx, attr_kind(name), v));
}

static void add_call_attr(struct gen *g, LLVMValueRef call, const char *name)
{
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex,
                             LLVMCreateEnumAttribute(g->ctx, attr_kind(name), 0));
}

/* Branch weights for a terminator, in the order of its successors. A hint only: without memory
 * for it the terminator stays unweighted. */
static void set_weights(struct gen *g, LLVMValueRef term, const unsigned *w, unsigned n)
{
    LLVMMetadataRef *md = calloc(n + 1, sizeof *md);
    if (!md)
        return;
    md[0] = LLVMMDStringInContext2(g->ctx, "branch_weights", 14);
    for (unsigned i = 0; i < n; i++)
        md[i + 1] = LLVMValueAsMetadata(LLVMConstInt(g->i32, w[i], 0));
    LLVMSetMetadata(term, LLVMGetMDKindIDInContext(g->ctx, "prof", 4),
                    LLVMMetadataAsValue(g->ctx, LLVMMDNodeInContext2(g->ctx, md, n + 1)));
    free(md);
}

/* A branch to `rare` almost never taken: a pending signal, a failed return check, a dispatch
 * table miss. Weighted like __builtin_expect, so that code generation places the rare paths
 * after the function's hot code instead of between its blocks. */
static void build_rare_br(struct gen *g, LLVMValueRef cond_rare, LLVMBasicBlockRef rare,
                          LLVMBasicBlockRef usual)
{
    static const unsigned w[2] = {1, 2000};
    set_weights(g, LLVMBuildCondBr(g->b, cond_rare, rare, usual), w, 2);
}

/* What lets LLVM keep the register file in host registers (see the top of this file). */
static void cpu_param_attrs(struct gen *g, LLVMValueRef fn)
{
    add_attr(g, fn, 1, "nocapture", 0);
    add_attr(g, fn, 1, "noalias", 0);
    add_attr(g, fn, 1, "dereferenceable", sizeof(struct cpu));
    /* LICM keeps a register in a host register across a loop that writes it on some paths only
     * if it may store the final value on every exit, which it may only for memory it knows it
     * can write. */
    add_attr(g, fn, 1, "writable", 0);
    add_attr(g, fn, 1, "align", 16);
    add_attr(g, fn, LLVMAttributeFunctionIndex, "nounwind", 0);
}

static LLVMValueRef declare_func(struct gen *g, unsigned i)
{
    if (!g->fns[i]) {
        char name[32];
        lift_func_symbol(g->prog->funcs[i].va, name, sizeof name);
        g->fns[i] = LLVMAddFunction(g->mod, name, g->fnty);
        LLVMSetFunctionCallConv(g->fns[i], LIFT_CALL_CONV);
        /* Parts are separate objects of one executable: visible to each other, not outside. */
        LLVMSetVisibility(g->fns[i], LLVMHiddenVisibility);
        cpu_param_attrs(g, g->fns[i]);
        /* A translation that other translations call or jump to directly starts with a 5-byte
         * no-op, which the runtime turns into a call when the guest code changes
         * (runtime/smc.c); one reached only through the dispatch table needs none. For the same
         * reason no translation is inlined into another. */
        if (g->prog->funcs[i].direct) {
            static const char patchable[] = "patchable-function-entry";
            LLVMAddAttributeAtIndex(
                g->fns[i], LLVMAttributeFunctionIndex,
                LLVMCreateStringAttribute(g->ctx, patchable, sizeof patchable - 1, "5", 1));
        }
        add_attr(g, g->fns[i], LLVMAttributeFunctionIndex, "noinline", 0);
    }
    return g->fns[i];
}

static LLVMValueRef func_for(struct gen *g, uint64_t va)
{
    const struct lift_func *f = lift_find_func(g->prog, va);
    return f ? declare_func(g, (unsigned)(f - g->prog->funcs)) : NULL;
}

/* A call of a translated function, ours or the one rt_lookup found. The call site repeats what
 * the declarations say of `cpu`: an indirect call has no declaration, and a call that may capture
 * the register file's address makes every guest load and store in the function a possible
 * register access, so that no register stays in a host register across a loop in any function
 * holding an indirect call (BLR, or an indirect branch's lookup). */
static void call_translated(struct gen *g, struct fgen *fg, LLVMValueRef fn, LLVMValueRef va,
                            bool tail)
{
    LLVMValueRef args[FIRST_PASSED + CALL_ABI_NREGS] = {fg->cpu, va};
    for (unsigned i = 0; i < CALL_ABI_NREGS; i++)
        args[FIRST_PASSED + i] = LLVMBuildLoad2(g->b, g->i64, passed_ptr(g, fg->cpu, i), "");
    LLVMValueRef call = LLVMBuildCall2(g->b, g->fnty, fn, args, FIRST_PASSED + CALL_ABI_NREGS, "");
    LLVMSetInstructionCallConv(call, LIFT_CALL_CONV);
    LLVMAddCallSiteAttribute(call, 1, LLVMCreateEnumAttribute(g->ctx, attr_kind("nocapture"), 0));
    LLVMAddCallSiteAttribute(call, 1, LLVMCreateEnumAttribute(g->ctx, attr_kind("noalias"), 0));
    add_call_attr(g, call, "nounwind");
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex,
                             LLVMCreateStringAttribute(g->ctx, LIFT_TRANSLATED_CALL,
                                                       strlen(LIFT_TRANSLATED_CALL), "", 0));
    if (tail) {
        LLVMSetTailCallKind(call, LLVMTailCallKindMustTail);
        LLVMBuildRet(g->b, call);
        return;
    }
    for (unsigned i = 0; i < CALL_ABI_NREGS; i++)
        LLVMBuildStore(g->b, LLVMBuildExtractValue(g->b, call, result_slot(i), ""),
                       passed_ptr(g, fg->cpu, i));
}

static LLVMBasicBlockRef new_block(struct gen *g, struct fgen *fg, const char *name)
{
    return LLVMAppendBasicBlockInContext(g->ctx, fg->fn, name);
}

/* The block that returns to the caller from the exits to the dispatcher (a pending signal, a pc
 * the runtime redirected, an unknown entry), made on first use. A return instruction and a call
 * that did not come back return from blocks of their own: fields.c puts the register-file copies
 * on each edge into a return, and through one block shared with other exits the copies became
 * stores of phis of all of them (four byte stores of NZCV after every call, instead of one store
 * of zero). One own block per exit made code generation 45% slower for nbody. */
static LLVMBasicBlockRef exit_block(struct gen *g, struct fgen *fg)
{
    if (!fg->exit) {
        LLVMBasicBlockRef saved = LLVMGetInsertBlock(g->b);
        fg->exit = new_block(g, fg, "exit");
        LLVMPositionBuilderAtEnd(g->b, fg->exit);
        build_return(g, fg);
        LLVMPositionBuilderAtEnd(g->b, saved);
    }
    return fg->exit;
}

/* Leave the function towards guest address `va` when no block of ours holds it: tail-call its
 * translation if there is one, else return to the dispatcher with pc = va. */
static LLVMBasicBlockRef successor(struct gen *g, struct fgen *fg, uint64_t va)
{
    int bi = lift_block_index(fg->f, va);
    if (bi >= 0)
        return fg->bbs[bi];
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(g->b);
    char name[40];
    snprintf(name, sizeof name, "out_%llx", (unsigned long long)va);
    LLVMBasicBlockRef bb = new_block(g, fg, name);
    LLVMPositionBuilderAtEnd(g->b, bb);
    store_pc(g, fg->cpu, cint64(g, va));
    LLVMValueRef target = func_for(g, va);
    if (target && target != fg->fn)
        call_translated(g, fg, target, cint64(g, va), true);
    else
        LLVMBuildBr(g->b, exit_block(g, fg));
    LLVMPositionBuilderAtEnd(g->b, saved);
    return bb;
}

/* A loop head (loops.c) lets a pending signal in before it runs: a load from the thread's poll
 * page (rt.h's rt_poll), which the runtime makes inaccessible while a signal is pending. The
 * fault handler then moves the host pc to the deliver block, found through the xlate_polls
 * table the asm adds to. One load and no branch, where a flag test cost a compare and a branch
 * on every iteration. The asm is also a compiler-only barrier: guest memory may change between
 * iterations (another thread, a signal handler), so a load in the loop must not be hoisted out
 * of it -- a spin on a plain LDR is a valid relaxed-atomic wait on Arm. As the register file is
 * never captured, the barrier does not force registers to memory. The head's instructions follow
 * where it leaves the builder. */
static void gen_poll(struct gen *g, struct fgen *fg, uint64_t va)
{
    LLVMBasicBlockRef body = new_block(g, fg, "head");
    LLVMBasicBlockRef deliver = new_block(g, fg, "deliver");
    LLVMValueRef poll =
        LLVMBuildCallBr(g->b, g->pollty, g->poll, body, &deliver, 1, NULL, 0, NULL, 0, "");
    /* Without these LICM assumes the poll may not come back and keeps every register store
     * inside the loop. */
    add_call_attr(g, poll, "nounwind");
    add_call_attr(g, poll, "willreturn");
    /* A signal is pending: leave for the dispatcher, which delivers it and comes back in here
     * (an entry). Keeping the loop free of calls keeps its registers in host registers. Flags
     * the loop head does not read are not kept for it (dead.c); a handler then sees them
     * clear. */
    LLVMPositionBuilderAtEnd(g->b, deliver);
    /* An empty asm keeps this block from being folded into the exit: the exit's phis would then
     * take their values (pc, the cleared flags and registers) from the poll's own block, and as
     * an asm goto's edge cannot be split, code generation would set them up on every
     * iteration. */
    LLVMBuildCall2(g->b, g->pollty, g->keep, NULL, 0, "");
    if (lift_nzcv_dead(fg->f, g->rd, va))
        clobber_flags(g, fg->cpu);
    /* Registers the head writes before it reads them likewise (dead.c). */
    uint64_t dead = lift_regs_dead(fg->f, g->rd, va);
    for (unsigned r = 0; r < 64; r++)
        if (dead >> r & 1) {
            size_t at = r < 32 ? offsetof(struct cpu, x) + 8 * r
                               : offsetof(struct cpu, vr) + sizeof(union vreg) * (r - 32);
            LLVMTypeRef ty = LLVMIntTypeInContext(g->ctx, r < 32 ? 64 : 128);
            LLVMBuildStore(g->b, LLVMConstInt(ty, 0, 0), field_ptr(g, fg->cpu, at));
        }
    store_pc(g, fg->cpu, cint64(g, va));
    LLVMBuildBr(g->b, exit_block(g, fg));
    LLVMPositionBuilderAtEnd(g->b, body);
}

static LLVMValueRef insn_const(struct gen *g, const struct insn *in)
{
    LLVMValueRef f[3] = {cint64(g, in->pc), LLVMConstInt(g->i32, in->word, 0),
                         LLVMConstInt(g->i32, in->op, 0)};
    LLVMValueRef init = LLVMConstNamedStruct(g->insnty, f, 3);
    LLVMValueRef gv = LLVMAddGlobal(g->mod, g->insnty, "insn");
    LLVMSetInitializer(gv, init);
    LLVMSetGlobalConstant(gv, 1);
    LLVMSetLinkage(gv, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(gv, LLVMGlobalUnnamedAddr);
    return gv;
}

/* The translation of guest address t for an indirect branch. The runtime's dispatch table is
 * probed inline at the first slot t hashes to (dispatch_hash.h): the thread's rt_probe_table and
 * rt_probe_mask give the table and its size (as the byte offset of its last slot) -- or, while
 * the thread runs a guest handler for a host fault, a table of one slot whose function checks
 * whether the handler has been left -- and the shift is a constant, as the translator sized the
 * table. Anything but a hit calls rt_lookup, which costs about as much again as the probe, through
 * an entry that keeps every general register but r11 (preserve_most), so that the call's
 * arguments, computed before the lookup, stay where they are: with C's convention every function
 * with an indirect branch kept them in callee-saved registers, pushed and popped on each entry
 * (callgrind at the quick sizes: fsm -9.6%, interp -3.9%, sort -3.8%, lua -1.0 to -2.5%). */
static LLVMValueRef gen_lookup(struct gen *g, struct fgen *fg, LLVMValueRef t)
{
    LLVMValueRef table = LLVMBuildLoad2(g->b, g->ptr, g->probe_table, "table");
    LLVMValueRef mask = LLVMBuildLoad2(g->b, g->i64, g->probe_mask, "mask");
    LLVMValueRef h = LLVMBuildMul(g->b, t, cint64(g, DISPATCH_HASH_MUL), "");
    /* The slot's byte offset, slot * 16: the hash's top bits, four places lower. */
    LLVMValueRef off = LLVMBuildAnd(
        g->b, LLVMBuildLShr(g->b, h, cint64(g, g->dispatch_shift - 4), ""), mask, "slot");
    LLVMValueRef e = LLVMBuildGEP2(g->b, g->i8, table, &off, 1, "entry");
    LLVMValueRef va = LLVMBuildLoad2(g->b, g->i64, e, "");
    LLVMValueRef other = LLVMBuildICmp(g->b, LLVMIntNE, va, t, "");
    LLVMBasicBlockRef found = new_block(g, fg, "probed"), miss = new_block(g, fg, "lookup");
    LLVMBasicBlockRef join = new_block(g, fg, "dispatch");
    build_rare_br(g, other, miss, found);
    LLVMPositionBuilderAtEnd(g->b, found);
    LLVMValueRef fp = LLVMBuildStructGEP2(g->b, g->entryty, e, 1, "");
    LLVMValueRef fn1 = LLVMBuildLoad2(g->b, g->ptr, fp, "");
    LLVMBuildBr(g->b, join);
    LLVMPositionBuilderAtEnd(g->b, miss);
    LLVMValueRef fn2 = LLVMBuildCall2(g->b, g->lookupty, g->lookup, &t, 1, "");
    LLVMSetInstructionCallConv(fn2, LLVMPreserveMostCallConv);
    LLVMBuildBr(g->b, join);
    LLVMPositionBuilderAtEnd(g->b, join);
    LLVMValueRef fn = LLVMBuildPhi(g->b, g->ptr, "fn");
    LLVMValueRef vals[2] = {fn1, fn2};
    LLVMBasicBlockRef bbs[2] = {found, miss};
    LLVMAddIncoming(fn, vals, bbs, 2);
    return fn;
}

/* A call (BL/BLR) has been executed by the semantics: x30 and pc are set. Call the target's
 * translation on the real register file and continue at the return site if the callee came back
 * to it; otherwise unwind. */
static void gen_call(struct gen *g, struct fgen *fg, const struct insn *in, bool direct,
                     uint64_t target)
{
    uint64_t ret_va = in->pc + 4;
    LLVMValueRef callee = direct ? func_for(g, target) : NULL;
    LLVMValueRef tva = direct ? cint64(g, target) : load_pc(g, fg->cpu);
    if (!callee)
        callee = gen_lookup(g, fg, tva);
    clobber_flags(g, fg->cpu);
    call_translated(g, fg, callee, tva, false);
    LLVMBasicBlockRef back = new_block(g, fg, "returned"), away = new_block(g, fg, "unwind");
    LLVMValueRef elsewhere =
        LLVMBuildICmp(g->b, LLVMIntNE, load_pc(g, fg->cpu), cint64(g, ret_va), "");
    build_rare_br(g, elsewhere, away, back);
    LLVMPositionBuilderAtEnd(g->b, away);
    build_return(g, fg);
    LLVMPositionBuilderAtEnd(g->b, back);
    LLVMBuildBr(g->b, successor(g, fg, ret_va));
}

/* Targets of one indirect jump spread too thinly for LLVM to make its switch a jump table (it
 * wants a tenth of the words between the lowest and the highest to be targets) get a table over
 * those words of their own, up to TABLE_MAX_WORDS entries. As a switch on the address they were a
 * binary search, seven levels of compare and branch for each bytecode lua dispatched. A computed
 * goto's table holds block addresses for an indirectbr, one load and jump: lua's fib script ran
 * 6.9% fewer instructions (callgrind, 2026-11-30). A recognized jump table's holds case numbers
 * for a switch, which LLVM makes a dense jump table: with block addresses there, bzip2's
 * decompression (a state machine on a switch) ran 5.4% more instructions, likely because no edge
 * from an indirectbr can be split, so loops its targets start get no preheader (not confirmed). */
enum { TABLE_MIN_TARGETS = 8, TABLE_MAX_WORDS = 8192 };

static bool wants_table(const struct lift_block *blk, uint64_t *lo, uint64_t *words)
{
    if (blk->nsucc < TABLE_MIN_TARGETS || blk->nsucc > 0xffff)
        return false;
    uint64_t l = blk->succ[0], h = blk->succ[0];
    for (unsigned i = 1; i < blk->nsucc; i++) {
        l = blk->succ[i] < l ? blk->succ[i] : l;
        h = blk->succ[i] > h ? blk->succ[i] : h;
    }
    *lo = l;
    *words = (h - l) / 4 + 1;
    return *words <= TABLE_MAX_WORDS && *words > 10ull * blk->nsucc;
}

/* Go to t's block through the table if t is one of the targets, else to `other`. */
static bool gen_target_table(struct gen *g, struct fgen *fg, LLVMValueRef t, LLVMBasicBlockRef other,
                             uint64_t lo, uint64_t words)
{
    const struct lift_block *blk = fg->blk;
    LLVMValueRef *elems = malloc(words * sizeof *elems);
    LLVMBasicBlockRef *dest = malloc(blk->nsucc * sizeof *dest);
    if (!elems || !dest) {
        free(elems);
        free(dest);
        return false;
    }
    LLVMTypeRef elty = blk->labels ? g->ptr : blk->nsucc < 0xff ? g->i8 : LLVMInt16TypeInContext(g->ctx);
    LLVMValueRef none = blk->labels ? LLVMBlockAddress(fg->fn, other)
                                    : LLVMConstInt(elty, blk->nsucc, 0);
    for (uint64_t i = 0; i < words; i++)
        elems[i] = none;
    for (unsigned i = 0; i < blk->nsucc; i++) {
        dest[i] = successor(g, fg, blk->succ[i]);
        elems[(blk->succ[i] - lo) / 4] =
            blk->labels ? LLVMBlockAddress(fg->fn, dest[i]) : LLVMConstInt(elty, i, 0);
    }
    LLVMTypeRef ty = LLVMArrayType2(elty, words);
    LLVMValueRef table = LLVMAddGlobal(g->mod, ty, "targets");
    LLVMSetInitializer(table, LLVMConstArray2(elty, elems, words));
    LLVMSetGlobalConstant(table, 1);
    LLVMSetLinkage(table, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(table, LLVMGlobalUnnamedAddr);
    free(elems);
    /* One unsigned compare tests both range and alignment: a misaligned offset rotated right by
     * two has a top bit set. */
    LLVMValueRef off = LLVMBuildSub(g->b, t, cint64(g, lo), "");
    LLVMValueRef rot = LLVMBuildOr(g->b, LLVMBuildLShr(g->b, off, cint64(g, 2), ""),
                                   LLVMBuildShl(g->b, off, cint64(g, 62), ""), "");
    LLVMBasicBlockRef look = new_block(g, fg, "table");
    LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntULT, rot, cint64(g, words), ""), look, other);
    LLVMPositionBuilderAtEnd(g->b, look);
    LLVMValueRef slot = LLVMBuildGEP2(g->b, elty, table, &rot, 1, "");
    LLVMValueRef v = LLVMBuildLoad2(g->b, elty, slot, "");
    if (blk->labels) {
        LLVMValueRef ib = LLVMBuildIndirectBr(g->b, v, blk->nsucc + 1);
        LLVMAddDestination(ib, other);
        for (unsigned i = 0; i < blk->nsucc; i++)
            LLVMAddDestination(ib, dest[i]);
    } else {
        LLVMValueRef sw = LLVMBuildSwitch(g->b, v, other, blk->nsucc);
        for (unsigned i = 0; i < blk->nsucc; i++)
            LLVMAddCase(sw, LLVMConstInt(elty, i, 0), dest[i]);
    }
    free(dest);
    return true;
}

/* Leave through an indirect branch: jump-table targets stay inside, anything else is looked up. */
static void gen_indirect_jump(struct gen *g, struct fgen *fg)
{
    const struct lift_block *blk = fg->blk;
    LLVMValueRef t = load_pc(g, fg->cpu);
    LLVMBasicBlockRef other = new_block(g, fg, "indirect");
    uint64_t lo, words;
    if (!wants_table(blk, &lo, &words) || !gen_target_table(g, fg, t, other, lo, words)) {
        LLVMValueRef sw = LLVMBuildSwitch(g->b, t, other, blk->nsucc);
        for (unsigned i = 0; i < blk->nsucc; i++)
            LLVMAddCase(sw, cint64(g, blk->succ[i]), successor(g, fg, blk->succ[i]));
    }
    LLVMPositionBuilderAtEnd(g->b, other);
    call_translated(g, fg, gen_lookup(g, fg, t), t, true);
}

/* What follows is built for the guest instruction at va: every IR instruction, and every
 * instruction of the semantics once inlined (they have no debug info of their own, so the
 * inliner gives them the call's location), carries va in its line and column. The line table
 * of the object then maps each host instruction to the guest instruction it came from, which
 * is how the runtime gives a fault in translated code its exact guest pc (runtime/pcmap.c). */
static void set_location(struct gen *g, struct fgen *fg, uint64_t va)
{
    LLVMMetadataRef loc =
        LLVMDIBuilderCreateDebugLocation(g->ctx, linepc_line(va), linepc_column(va), fg->sp, NULL);
    LLVMSetCurrentDebugLocation2(g->b, loc);
}

/* Emit one instruction. Returns true when it ended the block with a terminator. */
static bool gen_insn(struct gen *g, struct fgen *fg, const struct insn *in, bool last)
{
    uint32_t flags = a64_rows[in->op].flags;
    uint64_t next = in->pc + 4;
    LLVMValueRef insn = insn_const(g, in);
    struct a64_flow fl;
    a64_flow(in, &fl);
    /* The semantics see pc at the next instruction, but only branches and the runtime read it;
     * storing it for every instruction would only give the optimizer stores to delete. */
    if (fl.kind != FLOW_NEXT || (flags & F_RT))
        store_pc(g, fg->cpu, cint64(g, next));
    LLVMValueRef args[2] = {fg->cpu, insn};
    LLVMBuildCall2(g->b, g->semty, g->sem[in->op], args, 2, "");
    if (flags & F_RT) {
        /* The runtime may have redirected pc (signals). */
        if (in->op == A64_UNALLOCATED) {
            LLVMBuildBr(g->b, exit_block(g, fg));
            return true;
        }
        LLVMBasicBlockRef cont = last ? successor(g, fg, next) : new_block(g, fg, "");
        LLVMValueRef moved =
            LLVMBuildICmp(g->b, LLVMIntNE, load_pc(g, fg->cpu), cint64(g, next), "");
        build_rare_br(g, moved, exit_block(g, fg), cont);
        if (!last)
            LLVMPositionBuilderAtEnd(g->b, cont);
        return last;
    }

    switch (fl.kind) {
    case FLOW_NEXT:
        if (!last)
            return false;
        LLVMBuildBr(g->b, successor(g, fg, next));
        return true;
    case FLOW_JUMP: LLVMBuildBr(g->b, successor(g, fg, fl.target)); return true;
    case FLOW_COND: {
        LLVMValueRef taken =
            LLVMBuildICmp(g->b, LLVMIntEQ, load_pc(g, fg->cpu), cint64(g, fl.target), "");
        LLVMBasicBlockRef t = successor(g, fg, fl.target);
        LLVMBasicBlockRef n = successor(g, fg, next);
        LLVMBuildCondBr(g->b, taken, t, n);
        return true;
    }
    case FLOW_CALL: gen_call(g, fg, in, true, fl.target); return true;
    case FLOW_ICALL: gen_call(g, fg, in, false, 0); return true;
    case FLOW_IJUMP: gen_indirect_jump(g, fg); return true;
    case FLOW_RET:
        clobber_flags(g, fg->cpu);
        build_return(g, fg);
        return true;
    }
    return true;
}

/* Where the function starts: the runtime enters only at its address and at its entries
 * (lift_entries), which cfg.c keeps to block starts. Calls enter at the address, the dispatcher
 * rarely anywhere else, so the switch is weighted to test the address first instead of searching
 * all entries on every call. An unknown entry is left to the dispatcher; a block of its own, not
 * the start, so that LLVM does not fold the address's case into the default. */
static void gen_entry_switch(struct gen *g, struct fgen *fg, LLVMBasicBlockRef start)
{
    const struct lift_func *f = fg->f;
    if (f->nentries == 0 || (f->nentries == 1 && f->entries[0] == f->va)) {
        LLVMBuildBr(g->b, start);
        return;
    }
    LLVMBasicBlockRef unknown = new_block(g, fg, "unknown_entry");
    LLVMValueRef sw = LLVMBuildSwitch(g->b, fg->entry, unknown, f->nentries + 1);
    LLVMAddCase(sw, cint64(g, f->va), start);
    for (unsigned i = 0; i < f->nentries; i++) {
        int bi = lift_block_index(f, f->entries[i]);
        if (bi >= 0 && f->entries[i] != f->va)
            LLVMAddCase(sw, cint64(g, f->entries[i]), fg->bbs[bi]);
    }
    /* Weights in the switch's order: the unknown entry, the start, then every other case. */
    unsigned nsucc = LLVMGetNumSuccessors(sw);
    unsigned *w = calloc(nsucc, sizeof *w);
    if (w) {
        for (unsigned i = 0; i < nsucc; i++)
            w[i] = i == 1 ? 1u << 20 : 1;
        set_weights(g, sw, w, nsucc);
        free(w);
    }
    LLVMPositionBuilderAtEnd(g->b, unknown);
    store_pc(g, fg->cpu, fg->entry);
    LLVMBuildBr(g->b, exit_block(g, fg));
}

/* A call of the host's allocator (routines.c). The guest sees the errno the host sets: the
 * host's is cleared before the call and, when the call set it, copied to the guest's, then
 * restored, so that the runtime's own errno is not disturbed either. */
static LLVMValueRef call_allocator(struct gen *g, struct fgen *fg, const struct lift_host_call *h)
{
    LLVMTypeRef it = LLVMIntTypeInContext(g->ctx, h->arg_bits), params[3] = {it, it, it};
    LLVMTypeRef rt = h->result_bits ? LLVMIntTypeInContext(g->ctx, h->result_bits) : g->voidt;
    LLVMTypeRef fty = LLVMFunctionType(rt, params, h->nargs, 0);
    LLVMValueRef fn = LLVMGetNamedFunction(g->mod, h->name);
    if (!fn)
        fn = LLVMAddFunction(g->mod, h->name, fty);
    LLVMTypeRef locty = LLVMFunctionType(g->ptr, NULL, 0, 0);
    LLVMValueRef errloc = LLVMGetNamedFunction(g->mod, "__errno_location");
    if (!errloc)
        errloc = LLVMAddFunction(g->mod, "__errno_location", locty);
    LLVMValueRef host_errno = LLVMBuildCall2(g->b, locty, errloc, NULL, 0, "");
    LLVMValueRef saved = LLVMBuildLoad2(g->b, g->i32, host_errno, "");
    LLVMBuildStore(g->b, LLVMConstInt(g->i32, 0, 0), host_errno);
    LLVMValueRef args[3];
    for (unsigned i = 0; i < h->nargs; i++)
        args[i] = LLVMBuildTrunc(g->b, LLVMGetParam(fg->fn, FIRST_PASSED + i), it, "");
    LLVMValueRef r = LLVMBuildCall2(g->b, fty, fn, args, h->nargs, "");
    /* Not the library function LLVM knows by that name: its types are the guest's. */
    add_call_attr(g, r, "nobuiltin");
    LLVMValueRef err = LLVMBuildLoad2(g->b, g->i32, host_errno, "");
    LLVMValueRef tp =
        LLVMBuildLoad2(g->b, g->i64, field_ptr(g, fg->cpu, offsetof(struct cpu, tpidr)), "");
    LLVMValueRef guest_errno = LLVMBuildIntToPtr(
        g->b, LLVMBuildAdd(g->b, tp, cint64(g, g->prog->errno_tp), ""), g->ptr, "");
    LLVMValueRef old = LLVMBuildLoad2(g->b, g->i32, guest_errno, "");
    LLVMValueRef set = LLVMBuildICmp(g->b, LLVMIntNE, err, LLVMConstInt(g->i32, 0, 0), "");
    LLVMBuildStore(g->b, LLVMBuildSelect(g->b, set, err, old, ""), guest_errno);
    LLVMBuildStore(g->b, saved, host_errno);
    return h->result_bits ? LLVMBuildZExt(g->b, r, g->i64, "") : NULL;
}

/* A routine the host's C library does (routines.c), then RET: called with the guest's arguments,
 * it continues at x30. Its address is its only entry. */
static void gen_routine(struct gen *g, struct fgen *fg)
{
    _Static_assert(CALL_ABI_REG0 == 0 && CALL_ABI_REG1 == 1 && CALL_ABI_REG2 == 2,
                   "the routines' arguments x0-x2 are the first three passed registers");
    LLVMValueRef dst = LLVMBuildIntToPtr(g->b, LLVMGetParam(fg->fn, FIRST_PASSED), g->ptr, "");
    LLVMValueRef arg1 = LLVMGetParam(fg->fn, FIRST_PASSED + 1);
    LLVMValueRef n = LLVMGetParam(fg->fn, FIRST_PASSED + 2);
    if (fg->f->routine == LIFT_MEMMOVE) {
        LLVMBuildMemMove(g->b, dst, 1, LLVMBuildIntToPtr(g->b, arg1, g->ptr, ""), 1, n);
    } else if (fg->f->routine == LIFT_MEMSET) {
        LLVMBuildMemSet(g->b, dst, LLVMBuildTrunc(g->b, arg1, g->i8, ""), n, 1);
    } else {
        LLVMValueRef r = call_allocator(g, fg, lift_routine_host(fg->f->routine));
        if (r)
            LLVMBuildStore(g->b, r, passed_ptr(g, fg->cpu, 0));
    }
    LLVMValueRef lr = field_ptr(g, fg->cpu, offsetof(struct cpu, x) + 8 * 30);
    store_pc(g, fg->cpu, LLVMBuildLoad2(g->b, g->i64, lr, ""));
    build_return(g, fg);
}

static void gen_func(struct gen *g, unsigned fi)
{
    const struct lift_func *f = &g->prog->funcs[fi];
    struct fgen fg = {.f = f, .fn = g->fns[fi]};
    fg.cpu = LLVMGetParam(fg.fn, 0);
    fg.entry = LLVMGetParam(fg.fn, 1);
    LLVMSetValueName2(fg.cpu, "cpu", 3);
    LLVMSetValueName2(fg.entry, "entry", 5);
    char name[32];
    lift_func_symbol(f->va, name, sizeof name);
    fg.sp = LLVMDIBuilderCreateFunction(g->dib, g->difile, name, strlen(name), name, strlen(name),
                                        g->difile, linepc_line(f->va), g->disubty, 0, 1,
                                        linepc_line(f->va), LLVMDIFlagZero, 1);
    LLVMSetSubprogram(fg.fn, fg.sp);
    set_location(g, &fg, f->va); /* the entry switch */

    LLVMBasicBlockRef entry = new_block(g, &fg, "entry");
    LLVMPositionBuilderAtEnd(g->b, entry);
    for (unsigned i = 0; i < CALL_ABI_NREGS; i++)
        LLVMBuildStore(g->b, LLVMGetParam(fg.fn, FIRST_PASSED + i), passed_ptr(g, fg.cpu, i));
    if (lift_routine_by_host(f->routine)) {
        gen_routine(g, &fg);
        return;
    }
    fg.bbs = calloc(f->nblocks ? f->nblocks : 1, sizeof *fg.bbs);
    for (unsigned i = 0; i < f->nblocks; i++) {
        snprintf(name, sizeof name, "b_%llx", (unsigned long long)f->blocks[i].va);
        fg.bbs[i] = new_block(g, &fg, name);
    }

    LLVMPositionBuilderAtEnd(g->b, entry);
    LLVMBasicBlockRef start = successor(g, &fg, f->va);
    gen_entry_switch(g, &fg, start);

    for (unsigned i = 0; i < f->nblocks; i++) {
        const struct lift_block *blk = &f->blocks[i];
        fg.blk = blk;
        LLVMPositionBuilderAtEnd(g->b, fg.bbs[i]);
        if (blk->poll) {
            set_location(g, &fg, blk->va);
            gen_poll(g, &fg, blk->va);
        }
        for (unsigned k = 0; k < blk->ninsns; k++) {
            struct insn in = {.pc = blk->va + 4ull * k};
            bool last = k + 1 == blk->ninsns;
            set_location(g, &fg, in.pc);
            if (!g->rd.read(g->rd.ctx, in.pc, &in.word)) {
                /* Unreadable: the CFG never puts such an address in a block. */
                LLVMBuildBr(g->b, successor(g, &fg, in.pc));
                break;
            }
            in.op = a64_decode(in.word);
            if (gen_insn(g, &fg, &in, last))
                break;
        }
    }
    free(fg.bbs);
}

static int setup(struct gen *g, struct lift_error *err)
{
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(
        (const char *)lift_sem_bitcode, lift_sem_bitcode_size, "sem.bc", 0);
    if (LLVMParseBitcodeInContext2(g->ctx, buf, &g->mod)) {
        LLVMDisposeMemoryBuffer(buf);
        snprintf(err->msg, sizeof err->msg, "internal: cannot parse the semantics bitcode");
        return -1;
    }
    LLVMDisposeMemoryBuffer(buf);
    LLVMSetModuleIdentifier(g->mod, "xlate", 5);
    g->i1 = LLVMInt1TypeInContext(g->ctx);
    g->i8 = LLVMInt8TypeInContext(g->ctx);
    g->i32 = LLVMInt32TypeInContext(g->ctx);
    g->i64 = LLVMInt64TypeInContext(g->ctx);
    g->ptr = LLVMPointerTypeInContext(g->ctx, 0);
    g->voidt = LLVMVoidTypeInContext(g->ctx);
    LLVMTypeRef semargs[2] = {g->ptr, g->ptr};
    g->fnty = lift_func_type(g->ctx);
    g->retty = LLVMGetReturnType(g->fnty);
    g->semty = LLVMFunctionType(g->voidt, semargs, 2, 0);
    g->lookupty = LLVMFunctionType(g->ptr, &g->i64, 1, 0);
    LLVMTypeRef insnf[3] = {g->i64, g->i32, g->i32};
    g->insnty = LLVMStructCreateNamed(g->ctx, "insn.const");
    LLVMStructSetBody(g->insnty, insnf, 3, 0);
    g->lookup = LLVMAddFunction(g->mod, "rt_lookup_code", g->lookupty);
    LLVMSetFunctionCallConv(g->lookup, LLVMPreserveMostCallConv);
    add_attr(g, g->lookup, LLVMAttributeFunctionIndex, "nounwind", 0);
    LLVMTypeRef entryf[2] = {g->i64, g->ptr};
    g->entryty = LLVMStructTypeInContext(g->ctx, entryf, 2, 0);
    g->probe_table = LLVMAddGlobal(g->mod, g->ptr, "rt_probe_table");
    g->probe_mask = LLVMAddGlobal(g->mod, g->i64, "rt_probe_mask");
    /* Local-exec: translated code is always linked into the executable that defines them, so
     * each is one fixed %fs offset (initial-exec took a second instruction). */
    LLVMSetThreadLocalMode(g->probe_table, LLVMLocalExecTLSModel);
    LLVMSetThreadLocalMode(g->probe_mask, LLVMLocalExecTLSModel);
    g->dispatch_shift = lift_dispatch_shift(g->prog);
    /* The poll page is thread-local: in the executable, so one fixed %fs offset (local-exec).
     * Table entries are offsets from themselves, so they need no relocation. */
    static const char poll_asm[] = "1: testl %eax, %fs:rt_poll@tpoff\n"
                                   ".pushsection xlate_polls,\"a\",@progbits\n"
                                   ".balign 4\n"
                                   ".long 1b - ., ${0:l} - .\n"
                                   ".popsection";
    static const char poll_constraints[] = "!i,~{memory},~{dirflag},~{fpsr},~{flags}";
    g->pollty = LLVMFunctionType(g->voidt, NULL, 0, 0);
    g->poll = LLVMGetInlineAsm(g->pollty, poll_asm, sizeof poll_asm - 1, poll_constraints,
                               sizeof poll_constraints - 1, 1, 0, LLVMInlineAsmDialectATT, 0);
    g->keep = LLVMGetInlineAsm(g->pollty, "", 0, "", 0, 1, 0, LLVMInlineAsmDialectATT, 0);

    /* Everything the semantics define is inlined, their static helpers included: a call left in
     * place would capture the register file's address and force every register to memory. */
    unsigned inl = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
    unsigned noinl = LLVMGetEnumAttributeKindForName("noinline", 8);
    for (LLVMValueRef fn = LLVMGetFirstFunction(g->mod); fn; fn = LLVMGetNextFunction(fn)) {
        size_t len;
        const char *name = LLVMGetValueName2(fn, &len);
        if (LLVMIsDeclaration(fn)) {
            /* The runtime services reach the register file through their thread, never through
             * a copy of the pointer they were handed. */
            for (unsigned i = 0; strncmp(name, "rt_", 3) == 0 && i < LLVMCountParams(fn); i++)
                if (LLVMGetTypeKind(LLVMTypeOf(LLVMGetParam(fn, i))) == LLVMPointerTypeKind)
                    add_attr(g, fn, i + 1, "nocapture", 0);
            continue;
        }
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        LLVMRemoveEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex, noinl);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(g->ctx, inl, 0));
    }
    for (unsigned op = 0; op < A64_NUM_OPS; op++) {
        char row[96]; /* the row's own specialization, where there is one (sem/rows.c) */
        snprintf(row, sizeof row, "sem_row_%s", a64_rows[op].name);
        const char *name = a64_rows[op].sem;
        LLVMValueRef fn = LLVMGetNamedFunction(g->mod, row);
        if (!fn)
            fn = LLVMGetNamedFunction(g->mod, name);
        if (!fn || LLVMIsDeclaration(fn)) {
            snprintf(err->msg, sizeof err->msg, "internal: no semantics %s for %s", name,
                     a64_rows[op].name);
            return -1;
        }
        g->sem[op] = fn;
    }
    g->pc_off = offsetof(struct cpu, pc);
    g->b = LLVMCreateBuilderInContext(g->ctx);
    return 0;
}

/* One line-tables-only compile unit per module (what `clang -gline-tables-only` makes): no
 * variables or types, just each function's line program, and a subprogram per function. */
static void setup_debug(struct gen *g)
{
    LLVMMetadataRef v3 = LLVMValueAsMetadata(LLVMConstInt(g->i32, LLVMDebugMetadataVersion(), 0));
    LLVMAddModuleFlag(g->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18, v3);
    /* DWARF 4, LLVM's default, said explicitly: Valgrind 3.19 (callgrind is how bench/ counts
     * instructions) gives up on a whole executable whose .debug_info uses the DWARF 5 forms
     * LLVM emits (DW_FORM_strx1, DW_FORM_addrx). */
    LLVMMetadataRef v4 = LLVMValueAsMetadata(LLVMConstInt(g->i32, 4, 0));
    LLVMAddModuleFlag(g->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13, v4);
    g->dib = LLVMCreateDIBuilderDisallowUnresolved(g->mod);
    /* A fixed directory, not the working directory: the output depends only on the input. */
    g->difile = LLVMDIBuilderCreateFile(g->dib, LINEPC_FILE, strlen(LINEPC_FILE), "/", 1);
    LLVMDIBuilderCreateCompileUnit(g->dib, LLVMDWARFSourceLanguageC, g->difile, "xlate", 5, 1, "",
                                   0, 0, "", 0, LLVMDWARFEmissionLineTablesOnly, 0, 0, 0, "", 0, "",
                                   0);
    g->disubty = LLVMDIBuilderCreateSubroutineType(g->dib, g->difile, NULL, 0, LLVMDIFlagZero);
}

static int entry_cmp(const void *a, const void *b)
{
    const struct lift_entry *x = a, *y = b;
    if (x->va != y->va)
        return x->va < y->va ? -1 : 1;
    return x->func < y->func ? -1 : x->func > y->func;
}

unsigned lift_dispatch_shift(const struct lift_program *prog)
{
    uint64_t n = 0; /* lift_entries' count before duplicates go: computed without sorting */
    for (unsigned i = 0; i < prog->nfuncs; i++)
        n += 1 + prog->funcs[i].nentries;
    return dispatch_shift(n);
}

int lift_entries(const struct lift_program *prog, struct lift_entry **entries, unsigned *n)
{
    size_t cap = 0;
    for (unsigned i = 0; i < prog->nfuncs; i++)
        cap += 1 + prog->funcs[i].nentries;
    struct lift_entry *e = calloc(cap ? cap : 1, sizeof *e);
    if (!e)
        return -1;
    unsigned m = 0;
    for (unsigned i = 0; i < prog->nfuncs; i++) {
        e[m++] = (struct lift_entry){prog->funcs[i].va, i};
        for (unsigned k = 0; k < prog->funcs[i].nentries; k++)
            e[m++] = (struct lift_entry){prog->funcs[i].entries[k], i};
    }
    /* Sorted by address then function, so the choice for a shared address is deterministic. */
    qsort(e, m, sizeof *e, entry_cmp);
    unsigned k = 0;
    for (unsigned i = 0; i < m; i++)
        if (k == 0 || e[k - 1].va != e[i].va)
            e[k++] = e[i];
    /* Function starts first: the runtime fills its table in this order, so they take the slots
     * their addresses hash to, which is all translated code probes inline. Calls and PLT-like
     * jumps go to function starts; return sites and loop heads are entered only after the host
     * stack was unwound or a signal delivered. */
    struct lift_entry *sorted = calloc(k ? k : 1, sizeof *sorted);
    if (!sorted) {
        free(e);
        return -1;
    }
    unsigned s = 0;
    for (int starts = 1; starts >= 0; starts--)
        for (unsigned i = 0; i < k; i++)
            if ((e[i].va == prog->funcs[e[i].func].va) == starts)
                sorted[s++] = e[i];
    free(e);
    *entries = sorted;
    *n = k;
    return 0;
}

int lift_module(LLVMContextRef ctx, struct lift_reader rd, const struct lift_program *prog,
                const unsigned *part_of, unsigned part, LLVMModuleRef *mod, struct lift_error *err)
{
    struct gen g = {.ctx = ctx, .prog = prog, .rd = rd, .part_of = part_of, .part = part};
    *mod = NULL;
    err->has_va = false;
    if (setup(&g, err) != 0) {
        if (g.mod)
            LLVMDisposeModule(g.mod);
        return -1;
    }
    g.fns = calloc(prog->nfuncs ? prog->nfuncs : 1, sizeof *g.fns);
    if (!g.fns) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        LLVMDisposeBuilder(g.b);
        LLVMDisposeModule(g.mod);
        return -1;
    }
    for (unsigned i = 0; i < prog->nfuncs; i++)
        if (part_of[i] == part)
            declare_func(&g, i);
    setup_debug(&g);
    for (unsigned i = 0; i < prog->nfuncs; i++)
        if (part_of[i] == part)
            gen_func(&g, i);
    LLVMDIBuilderFinalize(g.dib);
    LLVMDisposeDIBuilder(g.dib);
    *mod = g.mod;
    free(g.fns);
    LLVMDisposeBuilder(g.b);
    return 0;
}
