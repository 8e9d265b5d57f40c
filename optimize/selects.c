/*
 * Loads through a choice of two register-file addresses become a choice of two loads. InstCombine
 * folds `cond ? load x[n] : load x[m]` (CSEL, CSINC and the like once their semantics are
 * inlined) into a load of `cond ? &x[n] : &x[m]`. An address chosen at run time hides which
 * register is read, so slots.c cannot give the access its vector shape and fields.c has to leave
 * every field of the function in memory: 510 of a static sqlite3's 3941 functions kept the flags
 * and pc in memory for this alone, its bytecode loop among them. Undone here, after which each
 * load has a constant offset again and the select chooses between values.
 */
#include "optimize.h"

#include <llvm-c/Core.h>
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
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        /* Lifted functions only: both loads then read the register file, which every offset
         * the semantics use lies inside, so loading the one not chosen is harmless. */
        LLVMValueRef cpu = optimize_cpu_param(fn);
        if (!cpu)
            continue;
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
            for (LLVMValueRef i = LLVMGetFirstInstruction(bb), next; i; i = next) {
                next = LLVMGetNextInstruction(i);
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
