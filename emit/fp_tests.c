/*
 * The scalar floating-point fast path's result test (sem/fp_ops.h, fp_test_*), defined for the
 * host CPU. With SSE4.1 it is one PTEST of the SSE register that holds the result against the
 * mask: ZF says no mask bit is set in it, CF that all are. Without SSE4.1 the same answer
 * takes the result's bits to a general register and two compares.
 */
#include "emit.h"

#include <llvm-c/Core.h>
#include <string.h>

static LLVMAttributeRef attr(LLVMContextRef ctx, const char *name, uint64_t val)
{
    return LLVMCreateEnumAttribute(ctx, LLVMGetEnumAttributeKindForName(name, strlen(name)), val);
}

/* PTEST r, m: "a" (above: neither CF nor ZF) or "nc" (no carry: CF clear). The asm touches no
 * memory and always returns, and says so: LLVM would otherwise keep the register file's values
 * in memory across it. */
static LLVMValueRef ptest(LLVMBuilderRef b, LLVMContextRef ctx, LLVMValueRef r, LLVMValueRef m,
                          bool above, enum emit_isa isa)
{
    LLVMTypeRef i8 = LLVMInt8TypeInContext(ctx);
    LLVMTypeRef args[2] = {LLVMTypeOf(r), LLVMTypeOf(m)};
    LLVMTypeRef fty = LLVMFunctionType(i8, args, 2, 0);
    const char *text = isa == EMIT_ISA_AVX ? "vptest $2, $1" : "ptest $2, $1";
    const char *cons = above ? "={@cca},x,x,~{dirflag},~{fpsr},~{flags}"
                             : "={@ccnc},x,x,~{dirflag},~{fpsr},~{flags}";
    LLVMValueRef asm_ = LLVMGetInlineAsm(fty, text, strlen(text), cons, strlen(cons), 0, 0,
                                         LLVMInlineAsmDialectATT, 0);
    LLVMValueRef ops[2] = {r, m};
    LLVMValueRef call = LLVMBuildCall2(b, fty, asm_, ops, 2, "");
    static const char *const facts[] = {"nounwind", "willreturn", "nosync", "nofree"};
    for (size_t i = 0; i < sizeof facts / sizeof *facts; i++)
        LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, attr(ctx, facts[i], 0));
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, attr(ctx, "memory", 0));
    return LLVMBuildTrunc(b, call, LLVMInt1TypeInContext(ctx), "");
}

/* The same on the bits of the mask's lane 0. */
static LLVMValueRef gpr_test(LLVMBuilderRef b, LLVMContextRef ctx, LLVMValueRef r, LLVMValueRef m,
                             bool above)
{
    unsigned bits = LLVMGetTypeKind(LLVMTypeOf(r)) == LLVMDoubleTypeKind ? 64 : 32;
    LLVMTypeRef it = LLVMIntTypeInContext(ctx, bits);
    LLVMValueRef x = LLVMBuildBitCast(b, r, it, "");
    LLVMValueRef lane =
        LLVMBuildExtractElement(b, m, LLVMConstInt(LLVMInt32TypeInContext(ctx), 0, 0), "");
    LLVMValueRef mask = LLVMBuildTrunc(b, lane, it, "");
    LLVMValueRef set = LLVMBuildAnd(b, x, mask, "");
    LLVMValueRef not_all = LLVMBuildICmp(b, LLVMIntNE, set, mask, "");
    if (!above)
        return not_all;
    LLVMValueRef some = LLVMBuildICmp(b, LLVMIntNE, set, LLVMConstInt(it, 0, 0), "");
    return LLVMBuildAnd(b, some, not_all, "");
}

void emit_fp_tests(LLVMModuleRef mod, enum emit_isa isa)
{
    static const struct {
        const char *name;
        bool above;
    } tests[] = {{"fp_test_a_d", true},
                 {"fp_test_nc_d", false},
                 {"fp_test_a_s", true},
                 {"fp_test_nc_s", false}};
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
        LLVMValueRef fn = LLVMGetNamedFunction(mod, tests[i].name);
        if (!fn || !LLVMIsDeclaration(fn))
            continue;
        LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, fn, ""));
        LLVMValueRef r = LLVMGetParam(fn, 0), m = LLVMGetParam(fn, 1);
        LLVMValueRef ok = isa == EMIT_ISA_SSE2 ? gpr_test(b, ctx, r, m, tests[i].above)
                                               : ptest(b, ctx, r, m, tests[i].above, isa);
        LLVMBuildRet(b, ok);
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, attr(ctx, "alwaysinline", 0));
    }
    LLVMDisposeBuilder(b);
}
