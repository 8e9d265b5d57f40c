/*
 * One access type per vector register. The semantics read and write a 128-bit register through
 * whichever view suits them (a double in lane 0, two 64-bit halves, sixteen bytes, the whole
 * 128 bits), so one loop may store a register as i64 and load it as double or i128. LICM keeps a
 * memory location in a host register only if every access in the loop has the same type, and
 * GVN forwards a store to a load of another shape only in the simplest cases, so such a
 * register went to memory and back on every iteration. Here every load and store at a constant
 * offset inside a register becomes a <2 x i64> access of the whole register, with the lane
 * extracted or inserted in SSA form (a narrow store becomes load, insert, store; GVN and
 * InstCombine fold the pairs that result).
 */
#include "optimize.h"

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <stdbool.h>

struct rewriter {
    LLVMContextRef ctx;
    LLVMTargetDataRef td;
    LLVMBuilderRef b;
    LLVMTypeRef i8, i64, slot; /* slot: <2 x i64> */
    const struct optimize_slots *s;
};

LLVMValueRef optimize_cpu_param(LLVMValueRef fn)
{
    if (LLVMIsDeclaration(fn) || LLVMCountParams(fn) == 0)
        return NULL;
    LLVMValueRef cpu = LLVMGetParam(fn, 0);
    unsigned noalias = LLVMGetEnumAttributeKindForName("noalias", 7);
    if (LLVMGetTypeKind(LLVMTypeOf(cpu)) != LLVMPointerTypeKind ||
        !LLVMGetEnumAttributeAtIndex(fn, 1, noalias))
        return NULL;
    return cpu;
}

bool optimize_cpu_offset(LLVMValueRef cpu, LLVMValueRef p, unsigned long long *off)
{
    if (p == cpu) {
        *off = 0;
        return true;
    }
    if (!LLVMIsAGetElementPtrInst(p) || LLVMGetNumOperands(p) != 2 || LLVMGetOperand(p, 0) != cpu ||
        LLVMGetTypeKind(LLVMGetGEPSourceElementType(p)) != LLVMIntegerTypeKind ||
        LLVMGetIntTypeWidth(LLVMGetGEPSourceElementType(p)) != 8)
        return false;
    LLVMValueRef idx = LLVMGetOperand(p, 1);
    if (!LLVMIsAConstantInt(idx))
        return false;
    *off = LLVMConstIntGetZExtValue(idx);
    return true;
}

/* Types whose bits a bitcast can carry to and from an integer lane. */
static bool lane_compatible(LLVMTypeRef t)
{
    switch (LLVMGetTypeKind(t)) {
    case LLVMIntegerTypeKind:
    case LLVMHalfTypeKind:
    case LLVMBFloatTypeKind:
    case LLVMFloatTypeKind:
    case LLVMDoubleTypeKind:
    case LLVMVectorTypeKind: return true;
    default: return false;
    }
}

static void rewrite(struct rewriter *r, LLVMValueRef cpu, LLVMValueRef insn)
{
    bool is_store = LLVMIsAStoreInst(insn) != NULL;
    if (!is_store && !LLVMIsALoadInst(insn))
        return;
    if (LLVMGetVolatile(insn) || LLVMGetOrdering(insn) != LLVMAtomicOrderingNotAtomic)
        return;
    LLVMValueRef ptr = LLVMGetOperand(insn, is_store ? 1 : 0);
    unsigned long long off;
    if (!optimize_cpu_offset(cpu, ptr, &off) || off < r->s->offset ||
        off >= r->s->offset + (unsigned long long)r->s->count * 16)
        return;
    LLVMValueRef val = is_store ? LLVMGetOperand(insn, 0) : insn;
    LLVMTypeRef t = LLVMTypeOf(val);
    if (!lane_compatible(t))
        return;
    unsigned long long size = LLVMStoreSizeOfType(r->td, t), in = (off - r->s->offset) % 16;
    if ((size != 1 && size != 2 && size != 4 && size != 8 && size != 16) || in % size ||
        LLVMSizeOfTypeInBits(r->td, t) != size * 8)
        return;
    unsigned long long base = off - in;

    LLVMPositionBuilderBefore(r->b, insn);
    LLVMValueRef at = LLVMConstInt(r->i64, base, 0);
    LLVMValueRef slot_ptr = LLVMBuildGEP2(r->b, r->i8, cpu, &at, 1, "vr");
    /* A float or double lane stays one: as an integer lane, a value the semantics compute in an
     * SSE register went through a general register on its way into the register's slot. */
    LLVMTypeKind tk = LLVMGetTypeKind(t);
    LLVMTypeRef lane_t = tk == LLVMFloatTypeKind || tk == LLVMDoubleTypeKind
                             ? t
                             : LLVMIntTypeInContext(r->ctx, (unsigned)size * 8);
    LLVMTypeRef lanes = LLVMVectorType(lane_t, (unsigned)(16 / size));
    LLVMValueRef lane = LLVMConstInt(r->i64, in / size, 0);
    LLVMValueRef whole = NULL;
    if (!is_store || size < 16) {
        whole = LLVMBuildLoad2(r->b, r->slot, slot_ptr, "vr.all");
        LLVMSetAlignment(whole, 16);
    }
    if (is_store) {
        LLVMValueRef v = LLVMBuildBitCast(r->b, val, size == 16 ? r->slot : lane_t, "");
        if (size < 16) {
            LLVMValueRef vec = LLVMBuildBitCast(r->b, whole, lanes, "");
            v = LLVMBuildBitCast(r->b, LLVMBuildInsertElement(r->b, vec, v, lane, ""), r->slot, "");
        }
        LLVMSetAlignment(LLVMBuildStore(r->b, v, slot_ptr), 16);
    } else {
        LLVMValueRef v = whole;
        if (size < 16)
            v = LLVMBuildExtractElement(r->b, LLVMBuildBitCast(r->b, whole, lanes, ""), lane, "");
        LLVMReplaceAllUsesWith(insn, LLVMBuildBitCast(r->b, v, t, ""));
    }
    LLVMInstructionEraseFromParent(insn);
}

void optimize_slots(LLVMModuleRef mod, const struct optimize_slots *s)
{
    struct rewriter r = {
        .ctx = LLVMGetModuleContext(mod), .td = LLVMGetModuleDataLayout(mod), .s = s};
    r.b = LLVMCreateBuilderInContext(r.ctx);
    r.i8 = LLVMInt8TypeInContext(r.ctx);
    r.i64 = LLVMInt64TypeInContext(r.ctx);
    r.slot = LLVMVectorType(r.i64, 2);
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        /* Only the register file: noalias, so no other thread or pointer sees the wider
         * stores. */
        LLVMValueRef cpu = optimize_cpu_param(fn);
        if (!cpu)
            continue;
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
            for (LLVMValueRef i = LLVMGetFirstInstruction(bb), next; i; i = next) {
                next = LLVMGetNextInstruction(i);
                rewrite(&r, cpu, i);
            }
    }
    LLVMDisposeBuilder(r.b);
}
