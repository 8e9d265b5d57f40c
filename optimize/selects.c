/*
 * Loads through a choice of two register-file addresses become a choice of two loads. InstCombine
 * folds `cond ? load x[n] : load x[m]` (CSEL, CSINC and the like once their semantics are
 * inlined) into a load of `cond ? &x[n] : &x[m]`. An address chosen at run time hides which
 * register is read, so slots.c cannot give the access its vector shape and fields.c has to leave
 * every field of the function in memory: 510 of a static sqlite3's 3941 functions kept the flags
 * and pc in memory for this alone, its bytecode loop among them. Undone here, after which each
 * load has a constant offset again and the select chooses between values. The semantics
 * specialized per row (sem/rows.c) give InstCombine the register numbers as arithmetic on one
 * word, and it makes the same choice an index, &x[cond ? n : m]: that becomes the address choice
 * first (a static glibc program: 170 of its functions lost their fields to it).
 */
#include "optimize.h"

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <stdbool.h>

/* Whether every user of sel is a plain load through it. */
static bool only_loads(LLVMValueRef sel)
{
    for (LLVMUseRef u = LLVMGetFirstUse(sel); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef l = LLVMGetUser(u);
        if (!LLVMIsALoadInst(l) || LLVMGetVolatile(l) ||
            LLVMGetOrdering(l) != LLVMAtomicOrderingNotAtomic)
            return false;
    }
    return true;
}

/* Whether i chooses between two register-file addresses and is only loaded through. */
static bool splittable(LLVMValueRef cpu, LLVMValueRef i)
{
    unsigned long long off;
    return LLVMIsASelectInst(i) && LLVMGetTypeKind(LLVMTypeOf(i)) == LLVMPointerTypeKind &&
           optimize_cpu_offset(cpu, LLVMGetOperand(i, 1), &off) &&
           optimize_cpu_offset(cpu, LLVMGetOperand(i, 2), &off) && only_loads(i);
}

/* The element size of the index the GEP i chooses with a select: &x[cond ? n : m] as the
 * semantics index the register file, when the register numbers reach InstCombine as arithmetic
 * on one instruction word instead of two constants. 0 when i is not of that form or is used
 * other than by loads. */
static unsigned long long chosen_index(LLVMTargetDataRef td, LLVMValueRef cpu, LLVMValueRef i)
{
    if (!LLVMIsAGetElementPtrInst(i) || LLVMGetOperand(i, 0) != cpu || !only_loads(i))
        return 0;
    LLVMTypeRef t = LLVMGetGEPSourceElementType(i);
    unsigned n = (unsigned)LLVMGetNumOperands(i);
    LLVMValueRef first = LLVMGetOperand(i, 1), x = LLVMGetOperand(i, n - 1);
    if (n == 3 && LLVMGetTypeKind(t) == LLVMArrayTypeKind && LLVMIsAConstantInt(first) &&
        LLVMConstIntGetZExtValue(first) == 0)
        t = LLVMGetElementType(t);
    else if (n != 2)
        return 0;
    if (!LLVMIsASelectInst(x) || !LLVMIsAConstantInt(LLVMGetOperand(x, 1)) ||
        !LLVMIsAConstantInt(LLVMGetOperand(x, 2)))
        return 0;
    return LLVMABISizeOfType(td, t);
}

/* Makes &x[cond ? n : m] cond ? &x[n] : &x[m], in the form splittable takes. */
static LLVMValueRef choose_addresses(LLVMBuilderRef b, LLVMContextRef ctx, LLVMValueRef gep,
                                     unsigned long long size)
{
    LLVMValueRef sel = LLVMGetOperand(gep, (unsigned)LLVMGetNumOperands(gep) - 1), addr[2];
    LLVMPositionBuilderBefore(b, gep);
    for (unsigned side = 0; side < 2; side++) {
        long long k = LLVMConstIntGetSExtValue(LLVMGetOperand(sel, side + 1));
        LLVMValueRef off =
            LLVMConstInt(LLVMInt64TypeInContext(ctx), (unsigned long long)k * size, 1);
        addr[side] = LLVMBuildInBoundsGEP2(b, LLVMInt8TypeInContext(ctx), LLVMGetOperand(gep, 0),
                                           &off, 1, "");
    }
    LLVMValueRef c = LLVMBuildSelect(b, LLVMGetOperand(sel, 0), addr[0], addr[1], "");
    LLVMReplaceAllUsesWith(gep, c);
    LLVMInstructionEraseFromParent(gep);
    return c;
}

static void split(LLVMBuilderRef b, LLVMValueRef sel)
{
    LLVMValueRef cond = LLVMGetOperand(sel, 0), a = LLVMGetOperand(sel, 1),
                 c = LLVMGetOperand(sel, 2);
    LLVMUseRef u;
    while ((u = LLVMGetFirstUse(sel))) {
        LLVMValueRef l = LLVMGetUser(u);
        LLVMTypeRef t = LLVMTypeOf(l);
        LLVMPositionBuilderBefore(b, l);
        LLVMValueRef la = LLVMBuildLoad2(b, t, a, ""), lc = LLVMBuildLoad2(b, t, c, "");
        unsigned align = LLVMGetAlignment(l);
        LLVMSetAlignment(la, align);
        LLVMSetAlignment(lc, align);
        LLVMValueRef v = LLVMBuildSelect(b, cond, la, lc, "");
        LLVMReplaceAllUsesWith(l, v);
        LLVMInstructionEraseFromParent(l);
    }
    LLVMInstructionEraseFromParent(sel);
}

void optimize_selects(LLVMModuleRef mod)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTargetDataRef td = LLVMGetModuleDataLayout(mod);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        /* Lifted functions only: both loads then read the register file, which every offset
         * the semantics use lies inside, so loading the one not chosen is harmless. */
        LLVMValueRef cpu = optimize_cpu_param(fn);
        if (!cpu)
            continue;
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
            for (LLVMValueRef i = LLVMGetFirstInstruction(bb), next; i; i = next) {
                next = LLVMGetNextInstruction(i);
                unsigned long long size = chosen_index(td, cpu, i);
                if (size)
                    i = choose_addresses(b, ctx, i, size);
                if (!splittable(cpu, i))
                    continue;
                /* The loads it erases may follow it. */
                LLVMValueRef prev = LLVMGetPreviousInstruction(i);
                split(b, i);
                next = prev ? LLVMGetNextInstruction(prev) : LLVMGetFirstInstruction(bb);
            }
    }
    LLVMDisposeBuilder(b);
}
