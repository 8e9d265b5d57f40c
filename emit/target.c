/* The host target machine and object emission. */
#include "emit.h"

#include <llvm-c/Target.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define HOST_TRIPLE "x86_64-pc-linux-gnu"

static void init_x86(void)
{
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    /* Semantics may contain inline assembly (lock cmpxchg16b in sem/atomic.c), which the object
     * streamer parses. */
    LLVMInitializeX86AsmParser();
}

LLVMTargetMachineRef emit_target_machine(const char *cpu, int level, char *err, size_t errlen)
{
    /* Once per process, not per call: parts are translated on several threads, and two threads
     * registering the target at once could link LLVM's target list into a cycle (a translation
     * once spun forever in TargetRegistry::lookupTarget). */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_x86);
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(HOST_TRIPLE, &target, &msg)) {
        snprintf(err, errlen, "internal: no x86-64 target: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return NULL;
    }
    static const LLVMCodeGenOptLevel opt[] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess,
                                              LLVMCodeGenLevelDefault, LLVMCodeGenLevelAggressive};
    /* "native" asks for this machine's CPU and features (the output then runs only on such). */
    char *host_cpu = NULL, *host_features = NULL;
    const char *features = "";
    if (!strcmp(cpu, "native")) {
        cpu = host_cpu = LLVMGetHostCPUName();
        features = host_features = LLVMGetHostCPUFeatures();
    }
    int lv = level < 0 ? 0 : level > 3 ? 3 : level;
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, HOST_TRIPLE, cpu, features, opt[lv],
                                                      LLVMRelocPIC, LLVMCodeModelDefault);
    if (!tm)
        snprintf(err, errlen, "cannot create a target machine for CPU '%s'", cpu);
    LLVMDisposeMessage(host_cpu);
    LLVMDisposeMessage(host_features);
    return tm;
}

void emit_configure_module(LLVMModuleRef mod, LLVMTargetMachineRef tm)
{
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMSetTarget(mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
    char *layout = LLVMCopyStringRepOfTargetData(td);
    LLVMSetDataLayout(mod, layout);
    LLVMDisposeMessage(layout);
    LLVMDisposeTargetData(td);
}

int emit_object(LLVMTargetMachineRef tm, LLVMModuleRef mod, const char *path, char *err,
                size_t errlen)
{
    char *msg = NULL;
    if (LLVMTargetMachineEmitToFile(tm, mod, (char *)path, LLVMObjectFile, &msg)) {
        snprintf(err, errlen, "internal: code generation failed: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return -1;
    }
    return 0;
}
