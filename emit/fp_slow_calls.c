/*
 * The semantics call the floating-point slow paths (sem/fp_ops.h) as C functions. Translated code
 * calls them instead through the runtime's entries that save every register (runtime/
 * fp_slow_entry.S), with LLVM's preserve_all convention: a call in the C convention clobbers
 * every SSE register, and since each floating-point operation has one on its cold path, a loop
 * of them kept its values on the stack -- stored at their definition, reloaded at their uses --
 * and could not keep the guest's vector registers in host registers at all.
 */
#include "emit.h"

#include <llvm-c/Core.h>
#include <string.h>

void emit_fp_slow_calls(LLVMModuleRef mod)
{
    static const char *const routes[][2] = {{"fp_slow_impl", "rt_fp_slow"},
                                            {"fp_slow_vec_impl", "rt_fp_slow_vec"}};
    for (size_t k = 0; k < sizeof routes / sizeof *routes; k++) {
        LLVMValueRef f = LLVMGetNamedFunction(mod, routes[k][0]);
        if (!f || !LLVMIsDeclaration(f))
            continue;
        LLVMSetValueName2(f, routes[k][1], strlen(routes[k][1]));
        LLVMSetFunctionCallConv(f, LLVMPreserveAllCallConv);
        for (LLVMUseRef u = LLVMGetFirstUse(f); u; u = LLVMGetNextUse(u))
            if (LLVMIsACallInst(LLVMGetUser(u)))
                LLVMSetInstructionCallConv(LLVMGetUser(u), LLVMPreserveAllCallConv);
    }
}
