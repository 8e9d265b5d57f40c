/*
 * Floating-point values read as integers. The semantics move a register's or memory's bits as
 * integers and reinterpret them as a double (or float) where they compute, so after optimization
 * a guest FP load is often `load i64` followed by `bitcast to double`, or a lane of a vector
 * register is taken out as an integer and then cast. When the integer has another user as well
 * (a register-file store, a cold path's exactness test), LLVM keeps the integer form, and code
 * generation loads into a general register and moves it to an SSE register on the hot path
 * (nbody's inner loop did that for six values per iteration). Here such a load or lane is read in
 * the floating-point type, and its integer users get a cast of that instead.
 */
#include "optimize.h"

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <stdbool.h>

static LLVMTypeRef fp_type(LLVMContextRef ctx, LLVMTypeRef t)
{
    if (LLVMGetTypeKind(t) != LLVMIntegerTypeKind)
        return NULL;
    switch (LLVMGetIntTypeWidth(t)) {
    case 64: return LLVMDoubleTypeInContext(ctx);
    case 32: return LLVMFloatTypeInContext(ctx);
    default: return NULL;
    }
}

static bool is_cast_to(LLVMValueRef user, LLVMTypeRef fp)
{
    return LLVMIsABitCastInst(user) && LLVMTypeOf(user) == fp;
}

/* The value i reads, in type fp, built before i; NULL when i is neither a plain load nor a lane
 * extraction. */
static LLVMValueRef read_as(LLVMBuilderRef b, LLVMValueRef i, LLVMTypeRef fp)
{
    LLVMPositionBuilderBefore(b, i);
    LLVMSetCurrentDebugLocation2(b, LLVMInstructionGetDebugLoc(i));
    if (LLVMIsALoadInst(i)) {
        if (LLVMGetVolatile(i) || LLVMGetOrdering(i) != LLVMAtomicOrderingNotAtomic)
            return NULL;
        LLVMValueRef l = LLVMBuildLoad2(b, fp, LLVMGetOperand(i, 0), "");
        LLVMSetAlignment(l, LLVMGetAlignment(i));
        size_t n;
        LLVMValueMetadataEntry *md = LLVMInstructionGetAllMetadataOtherThanDebugLoc(i, &n);
        unsigned range = LLVMGetMDKindID("range", 5); /* integers only */
        for (unsigned k = 0; k < n; k++)
            if (LLVMValueMetadataEntriesGetKind(md, k) != range)
                LLVMSetMetadata(l, LLVMValueMetadataEntriesGetKind(md, k),
                                LLVMMetadataAsValue(LLVMGetTypeContext(fp),
                                                    LLVMValueMetadataEntriesGetMetadata(md, k)));
        LLVMDisposeValueMetadataEntries(md);
        return l;
    }
    if (LLVMIsAExtractElementInst(i)) {
        LLVMValueRef vec = LLVMGetOperand(i, 0);
        LLVMTypeRef vt = LLVMTypeOf(vec);
        if (LLVMGetTypeKind(vt) != LLVMVectorTypeKind)
            return NULL;
        LLVMValueRef cast = LLVMBuildBitCast(b, vec, LLVMVectorType(fp, LLVMGetVectorSize(vt)), "");
        return LLVMBuildExtractElement(b, cast, LLVMGetOperand(i, 1), "");
    }
    return NULL;
}

static void rewrite(LLVMBuilderRef b, LLVMValueRef i)
{
    LLVMTypeRef fp = fp_type(LLVMGetTypeContext(LLVMTypeOf(i)), LLVMTypeOf(i));
    if (!fp)
        return;
    bool cast = false, other = false;
    for (LLVMUseRef u = LLVMGetFirstUse(i); u; u = LLVMGetNextUse(u)) {
        if (is_cast_to(LLVMGetUser(u), fp))
            cast = true;
        else
            other = true;
    }
    if (!cast || !other)
        return;
    LLVMValueRef v = read_as(b, i, fp);
    if (!v)
        return;
    LLVMValueRef as_int = LLVMBuildBitCast(b, v, LLVMTypeOf(i), "");
    for (LLVMUseRef u = LLVMGetFirstUse(i), next; u; u = next) {
        next = LLVMGetNextUse(u);
        LLVMValueRef user = LLVMGetUser(u);
        if (!is_cast_to(user, fp))
            continue;
        LLVMReplaceAllUsesWith(user, v);
        LLVMInstructionEraseFromParent(user);
    }
    LLVMReplaceAllUsesWith(i, as_int);
    LLVMInstructionEraseFromParent(i);
}

void optimize_fp_views(LLVMModuleRef mod)
{
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
            for (LLVMValueRef i = LLVMGetFirstInstruction(bb), next; i; i = next) {
                /* A rewrite erases i's casts, which may follow it: step past them first. */
                next = LLVMGetNextInstruction(i);
                while (next && LLVMIsABitCastInst(next) && LLVMGetOperand(next, 0) == i)
                    next = LLVMGetNextInstruction(next);
                rewrite(b, i);
            }
    LLVMDisposeBuilder(b);
}
