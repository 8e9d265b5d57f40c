/*
 * Register-file fields held in SSA between the points where the register file must be exact.
 * The semantics write the condition flags and pc to the register file on every compare and
 * branch, and LLVM keeps such a store wherever some later path may read the field from memory
 * -- a call, a return, a pending signal's exit, the lookup of an unknown branch target -- since it
 * does not sink stores into the rare paths that need them. Each chosen field instead lives in a
 * local variable (promoted to SSA by SROA): it is loaded at entry and after each call that is
 * handed the register file, and stored before each such call and each return, so the store is
 * made on those paths alone and a flag computation that only they use can move there as well.
 *
 * Fields that travel as arguments and results between translated functions (`passed`) are set
 * from the arguments, passed at calls of translated code and returned by the function's own code:
 * the copies leave them out at its start, around those calls and at its returns.
 *
 * A function keeps its fields in memory when the register file is used in a way this pass does
 * not follow (a computed offset, a pointer kept in a phi), or when a field is accessed other than
 * whole with one type.
 */
#include "optimize.h"

#include <llvm-c/Core.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct field {
    unsigned long long off, size;
    LLVMTypeRef type; /* of its accesses; NULL when there are none */
    LLVMValueRef var; /* the local variable */
    bool ok;
};

static bool after_musttail(LLVMValueRef ret)
{
    LLVMValueRef prev = LLVMGetPreviousInstruction(ret);
    return prev && LLVMIsACallInst(prev) && LLVMGetTailCallKind(prev) == LLVMTailCallKindMustTail;
}

/* Whether the call is handed the register file (itself or a field's address). */
static bool takes_cpu(LLVMValueRef cpu, LLVMValueRef call)
{
    unsigned long long off;
    for (unsigned i = 0, n = LLVMGetNumArgOperands(call); i < n; i++)
        if (optimize_cpu_offset(cpu, LLVMGetOperand(call, i), &off))
            return true;
    return false;
}

/* Notes one access at cpu + off against the fields it overlaps. */
static void note_access(LLVMTargetDataRef td, struct field *fs, unsigned n, LLVMValueRef acc,
                        unsigned long long off)
{
    bool store = LLVMIsAStoreInst(acc) != NULL;
    LLVMTypeRef t = LLVMTypeOf(store ? LLVMGetOperand(acc, 0) : acc);
    unsigned long long size = LLVMStoreSizeOfType(td, t);
    bool plain = !LLVMGetVolatile(acc) && LLVMGetOrdering(acc) == LLVMAtomicOrderingNotAtomic;
    for (unsigned i = 0; i < n; i++) {
        struct field *f = &fs[i];
        if (off + size <= f->off || f->off + f->size <= off)
            continue;
        if (!plain || off != f->off || size != f->size || (f->type && f->type != t))
            f->ok = false;
        else
            f->type = t;
    }
}

/* Walks the uses of cpu: fields with their accesses, or false when the function is ruled out. */
static bool scan(LLVMTargetDataRef td, LLVMValueRef cpu, struct field *fs, unsigned n)
{
    for (LLVMUseRef u = LLVMGetFirstUse(cpu); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        unsigned long long off;
        if (LLVMIsACallInst(user))
            continue; /* a synchronization point */
        if ((LLVMIsALoadInst(user) || (LLVMIsAStoreInst(user) && LLVMGetOperand(user, 1) == cpu))) {
            note_access(td, fs, n, user, 0);
            continue;
        }
        if (!optimize_cpu_offset(cpu, user, &off))
            return false;
        for (LLVMUseRef v = LLVMGetFirstUse(user); v; v = LLVMGetNextUse(v)) {
            LLVMValueRef acc = LLVMGetUser(v);
            if (LLVMIsACallInst(acc))
                continue;
            if (!LLVMIsALoadInst(acc) && !(LLVMIsAStoreInst(acc) && LLVMGetOperand(acc, 1) == user))
                return false;
            note_access(td, fs, n, acc, off);
        }
    }
    return true;
}

static LLVMValueRef field_ptr(LLVMBuilderRef b, LLVMContextRef ctx, LLVMValueRef cpu,
                              unsigned long long off)
{
    LLVMValueRef idx = LLVMConstInt(LLVMInt64TypeInContext(ctx), off, 0);
    return LLVMBuildInBoundsGEP2(b, LLVMInt8TypeInContext(ctx), cpu, &idx, 1, "");
}

/* Copies every field but those in `skip` (bit i: field i) between the register file and its
 * variable, at the builder's position. */
static void sync(LLVMBuilderRef b, LLVMContextRef ctx, LLVMValueRef cpu, struct field *fs,
                 unsigned n, bool to_memory, unsigned skip)
{
    for (unsigned i = 0; i < n; i++) {
        struct field *f = &fs[i];
        if (!f->var || (skip >> i & 1))
            continue;
        LLVMValueRef mem = field_ptr(b, ctx, cpu, f->off);
        LLVMValueRef from = to_memory ? f->var : mem, to = to_memory ? mem : f->var;
        LLVMBuildStore(b, LLVMBuildLoad2(b, f->type, from, ""), to);
    }
}

/* Whether the copies for ret may go on the edges into its block: the block only builds the
 * result (phis, loads, arithmetic) and returns it, so it can be repeated on each edge. */
static bool returns_only(LLVMValueRef ret)
{
    for (LLVMValueRef i = LLVMGetFirstInstruction(LLVMGetInstructionParent(ret)); i != ret;
         i = LLVMGetNextInstruction(i))
        if (LLVMIsAStoreInst(i) || LLVMIsACallInst(i) || LLVMIsAFenceInst(i) ||
            LLVMIsAAtomicRMWInst(i) || LLVMIsAAtomicCmpXchgInst(i))
            return false;
    return true;
}

/* Repeats bb's instructions at the end of edge, which replaces bb for predecessor p: phis become
 * their value from p, the rest are cloned with their operands from bb mapped to the clones. */
static void repeat_block(LLVMBuilderRef b, LLVMBasicBlockRef bb, LLVMBasicBlockRef p,
                         LLVMBasicBlockRef edge, LLVMValueRef *from, LLVMValueRef *to)
{
    unsigned m = 0;
    LLVMPositionBuilderAtEnd(b, edge);
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i), m++) {
        from[m] = i;
        if (LLVMIsAPHINode(i)) {
            to[m] = NULL;
            for (unsigned k = 0, n = LLVMCountIncoming(i); k < n && !to[m]; k++)
                if (LLVMGetIncomingBlock(i, k) == p)
                    to[m] = LLVMGetIncomingValue(i, k);
            continue;
        }
        to[m] = LLVMInstructionClone(i);
        LLVMInsertIntoBuilder(b, to[m]);
        for (int op = 0, n = LLVMGetNumOperands(i); op < n; op++)
            for (unsigned k = 0; k < m; k++)
                if (LLVMGetOperand(i, (unsigned)op) == from[k])
                    LLVMSetOperand(to[m], (unsigned)op, to[k]);
    }
}

/* The copies for a return go on each edge into it, and each edge gets its own copy of the return:
 * the returns are merged into one block by now, and copies there would store phis of every
 * path's values (a path that reloaded them after a call among them) where each path alone mostly
 * has constants. Edges that all branched to the one return block would be a shared successor
 * again, into which InstCombine sinks the like stores of two predecessors. */
static void sync_before_return(LLVMBuilderRef b, LLVMContextRef ctx, LLVMValueRef fn,
                               LLVMValueRef cpu, struct field *fs, unsigned n, unsigned skip,
                               LLVMValueRef ret)
{
    LLVMBasicBlockRef bb = LLVMGetInstructionParent(ret);
    unsigned ninsns = 0;
    LLVMValueRef *map = NULL;
    if (returns_only(ret) && LLVMGetEntryBasicBlock(fn) != bb) {
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
            ninsns++;
        map = malloc(2 * ninsns * sizeof *map);
    }
    if (!map) {
        LLVMPositionBuilderBefore(b, ret);
        sync(b, ctx, cpu, fs, n, true, skip);
        return;
    }
    LLVMBasicBlockRef last = LLVMGetLastBasicBlock(fn); /* the edge blocks go after it */
    for (LLVMBasicBlockRef p = LLVMGetFirstBasicBlock(fn), done = NULL; p && done != last;
         p = LLVMGetNextBasicBlock(p)) {
        done = p;
        LLVMValueRef t = LLVMGetBasicBlockTerminator(p);
        LLVMBasicBlockRef edge = NULL;
        for (unsigned k = 0; t && k < LLVMGetNumSuccessors(t); k++) {
            if (LLVMGetSuccessor(t, k) != bb)
                continue;
            if (!edge) {
                edge = LLVMAppendBasicBlockInContext(ctx, fn, "ret.sync");
                LLVMPositionBuilderAtEnd(b, edge);
                sync(b, ctx, cpu, fs, n, true, skip);
                repeat_block(b, bb, p, edge, map, map + ninsns);
            }
            LLVMSetSuccessor(t, k, edge);
        }
    }
    free(map);
    /* No edge leads to it now; promote's walk has passed its instructions. */
    LLVMDeleteBasicBlock(bb);
}

static void promote(LLVMContextRef ctx, LLVMTargetDataRef td, LLVMBuilderRef b, LLVMValueRef fn,
                    LLVMValueRef cpu, const struct optimize_fields *want)
{
    struct field fs[OPTIMIZE_MAX_FIELDS];
    unsigned n = want->count < OPTIMIZE_MAX_FIELDS ? want->count : OPTIMIZE_MAX_FIELDS, nvars = 0;
    for (unsigned i = 0; i < n; i++)
        fs[i] = (struct field){want->offsets[i], want->sizes[i], NULL, NULL, true};
    if (!scan(td, cpu, fs, n))
        return;
    /* Every instruction, collected before the copies add accesses of their own. */
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn);
    size_t m = 0;
    for (LLVMBasicBlockRef bb = entry; bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
            m++;
    LLVMValueRef *todo = malloc(m * sizeof *todo);
    if (!todo)
        return;
    m = 0;
    for (LLVMBasicBlockRef bb = entry; bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
            todo[m++] = i;
    LLVMPositionBuilderBefore(b, LLVMGetFirstInstruction(entry));
    for (unsigned i = 0; i < n; i++)
        if (fs[i].ok && fs[i].type) {
            fs[i].var = LLVMBuildAlloca(b, fs[i].type, "field");
            nvars++;
        }
    if (nvars)
        sync(b, ctx, cpu, fs, n, false, want->passed);
    /* Accesses move to the variables; calls handed the register file and returns get the
     * copies (none between a musttail call and its return). */
    for (size_t k = 0; nvars && k < m; k++) {
        LLVMValueRef i = todo[k];
        unsigned long long off;
        if (LLVMIsALoadInst(i) || LLVMIsAStoreInst(i)) {
            unsigned op = LLVMIsAStoreInst(i) ? 1 : 0;
            if (!optimize_cpu_offset(cpu, LLVMGetOperand(i, op), &off))
                continue;
            for (unsigned f = 0; f < n; f++)
                if (fs[f].var && fs[f].off == off)
                    LLVMSetOperand(i, op, fs[f].var);
        } else if (LLVMIsACallInst(i) && takes_cpu(cpu, i)) {
            LLVMPositionBuilderBefore(b, i);
            bool marked = want->call_attr &&
                          LLVMGetCallSiteStringAttribute(i, LLVMAttributeFunctionIndex,
                                                         want->call_attr,
                                                         (unsigned)strlen(want->call_attr));
            sync(b, ctx, cpu, fs, n, true, marked ? want->call_dead | want->passed : 0);
            LLVMValueRef next = LLVMGetNextInstruction(i);
            if (LLVMGetTailCallKind(i) != LLVMTailCallKindMustTail && next) {
                LLVMPositionBuilderBefore(b, next);
                sync(b, ctx, cpu, fs, n, false, marked ? want->passed : 0);
            }
        } else if (LLVMIsAReturnInst(i) && !after_musttail(i)) {
            sync_before_return(b, ctx, fn, cpu, fs, n, want->passed, i);
        }
    }
    free(todo);
}

void optimize_fields(LLVMModuleRef mod, const struct optimize_fields *want)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTargetDataRef td = LLVMGetModuleDataLayout(mod);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        LLVMValueRef cpu = optimize_cpu_param(fn);
        if (cpu)
            promote(ctx, td, b, fn, cpu, want);
    }
    LLVMDisposeBuilder(b);
}
