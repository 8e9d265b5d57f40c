/*
 * State promotion. A lifted function keeps the guest registers in a private copy (the shadow)
 * and marks with @xlate.sync_in/@xlate.sync_out where that copy must be filled from, or written
 * back to, the real register file. After the semantics are inlined, every access to the shadow
 * is a load or store at a constant offset; this pass collects which registers a function reads
 * and which it writes, and replaces each marker by copies of exactly those. SROA then turns the
 * shadow into SSA values, so a register lives in a host register between calls.
 *
 * Correctness does not depend on the analysis being precise: when an access cannot be placed
 * (variable offset, the shadow escaping), every register is copied.
 */
#include "optimize.h"

#include "../lift/a64/a64.h"

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CPU_SIZE sizeof(struct cpu)

struct usage {
    uint8_t read[CPU_SIZE], written[CPU_SIZE]; /* per byte */
    bool unknown;
    LLVMTargetDataRef td;
};

static void mark(uint8_t *map, struct usage *u, int64_t off, uint64_t size)
{
    if (off < 0 || (uint64_t)off > CPU_SIZE || size > CPU_SIZE - (uint64_t)off) {
        u->unknown = true;
        return;
    }
    memset(map + off, 1, size);
}

/* Byte offset a GEP adds, or false when an index is not a constant. */
static bool gep_offset(LLVMTargetDataRef td, LLVMValueRef gep, int64_t *off)
{
    LLVMTypeRef t = LLVMGetGEPSourceElementType(gep);
    unsigned n = (unsigned)LLVMGetNumOperands(gep);
    *off = 0;
    for (unsigned i = 1; i < n; i++) {
        LLVMValueRef idx = LLVMGetOperand(gep, i);
        if (!LLVMIsAConstantInt(idx))
            return false;
        int64_t k = LLVMConstIntGetSExtValue(idx);
        if (i == 1) {
            *off += k * (int64_t)LLVMABISizeOfType(td, t);
            continue;
        }
        switch (LLVMGetTypeKind(t)) {
        case LLVMStructTypeKind:
            *off += (int64_t)LLVMOffsetOfElement(td, t, (unsigned)k);
            t = LLVMStructGetTypeAtIndex(t, (unsigned)k);
            break;
        case LLVMArrayTypeKind:
        case LLVMVectorTypeKind:
            t = LLVMGetElementType(t);
            *off += k * (int64_t)LLVMABISizeOfType(td, t);
            break;
        default: return false;
        }
    }
    return true;
}

static bool name_starts(LLVMValueRef fn, const char *prefix)
{
    size_t len;
    const char *name = LLVMGetValueName2(fn, &len);
    return len >= strlen(prefix) && strncmp(name, prefix, strlen(prefix)) == 0;
}

static LLVMValueRef called_function(LLVMValueRef call)
{
    LLVMValueRef fn = LLVMGetCalledValue(call);
    return fn && LLVMIsAFunction(fn) ? fn : NULL;
}

/* Account for every use of pointer p, which points `off` bytes into the shadow. */
static void scan_uses(struct usage *u, LLVMValueRef p, int64_t off)
{
    for (LLVMUseRef use = LLVMGetFirstUse(p); use && !u->unknown; use = LLVMGetNextUse(use)) {
        LLVMValueRef user = LLVMGetUser(use);
        switch (LLVMGetInstructionOpcode(user)) {
        case LLVMGetElementPtr: {
            int64_t d;
            if (LLVMGetOperand(user, 0) != p || !gep_offset(u->td, user, &d))
                u->unknown = true;
            else
                scan_uses(u, user, off + d);
            break;
        }
        case LLVMLoad: mark(u->read, u, off, LLVMStoreSizeOfType(u->td, LLVMTypeOf(user))); break;
        case LLVMStore:
            if (LLVMGetOperand(user, 1) != p)
                u->unknown = true; /* the pointer itself is stored: it escapes */
            else
                mark(u->written, u, off,
                     LLVMStoreSizeOfType(u->td, LLVMTypeOf(LLVMGetOperand(user, 0))));
            break;
        case LLVMCall: {
            LLVMValueRef fn = called_function(user);
            if (fn && (name_starts(fn, "xlate.sync_") || name_starts(fn, "llvm.lifetime.")))
                break;
            if (fn && (name_starts(fn, "llvm.memcpy") || name_starts(fn, "llvm.memmove") ||
                       name_starts(fn, "llvm.memset"))) {
                LLVMValueRef len = LLVMGetOperand(user, 2);
                if (!LLVMIsAConstantInt(len)) {
                    u->unknown = true;
                    break;
                }
                uint64_t n = LLVMConstIntGetZExtValue(len);
                if (LLVMGetOperand(user, 0) == p)
                    mark(u->written, u, off, n);
                if (!name_starts(fn, "llvm.memset") && LLVMGetOperand(user, 1) == p)
                    mark(u->read, u, off, n);
                break;
            }
            u->unknown = true;
            break;
        }
        default: u->unknown = true; break;
        }
    }
}

/* Copy each register element touched in `map` between the two register files. */
static void emit_copies(LLVMBuilderRef b, LLVMTargetDataRef td, const uint8_t *map,
                        LLVMValueRef from, LLVMValueRef to)
{
    LLVMContextRef ctx = LLVMGetTypeContext(LLVMTypeOf(from));
    LLVMTypeRef i8 = LLVMInt8TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    (void)td;
    for (unsigned f = 0; f < a64_nfields; f++) {
        const struct a64_field *fd = &a64_fields[f];
        for (unsigned e = 0; e < fd->count; e++) {
            unsigned off = fd->offset + e * fd->elem_size;
            bool used = false;
            for (unsigned k = 0; k < fd->elem_size && !used; k++)
                used = map[off + k];
            if (!used)
                continue;
            LLVMTypeRef t = LLVMIntTypeInContext(ctx, fd->elem_size * 8);
            LLVMValueRef idx = LLVMConstInt(i64, off, 0);
            LLVMValueRef src = LLVMBuildInBoundsGEP2(b, i8, from, &idx, 1, "");
            LLVMValueRef dst = LLVMBuildInBoundsGEP2(b, i8, to, &idx, 1, "");
            LLVMValueRef v = LLVMBuildLoad2(b, t, src, fd->name);
            LLVMSetAlignment(v, fd->elem_size < 16 ? fd->elem_size : 16);
            LLVMValueRef st = LLVMBuildStore(b, v, dst);
            LLVMSetAlignment(st, fd->elem_size < 16 ? fd->elem_size : 16);
        }
    }
}

static void promote_function(LLVMValueRef fn, LLVMTargetDataRef td, LLVMBuilderRef b,
                             struct optimize_stats *stats)
{
    LLVMValueRef shadow = NULL;
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb && !shadow;
         bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i && !shadow;
             i = LLVMGetNextInstruction(i))
            if (LLVMIsACallInst(i) && called_function(i) &&
                name_starts(called_function(i), "xlate.sync_"))
                shadow = LLVMGetOperand(i, 0);
    if (!shadow)
        return;

    struct usage *u = calloc(1, sizeof *u);
    if (!u)
        abort();
    u->td = td;
    scan_uses(u, shadow, 0);
    stats->functions++;
    if (u->unknown) {
        stats->unpromoted++;
        memset(u->read, 1, CPU_SIZE);
        memset(u->written, 1, CPU_SIZE);
    }

    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
        LLVMValueRef i = LLVMGetFirstInstruction(bb);
        while (i) {
            LLVMValueRef next = LLVMGetNextInstruction(i);
            LLVMValueRef callee = LLVMIsACallInst(i) ? called_function(i) : NULL;
            if (callee && name_starts(callee, "xlate.sync_")) {
                bool out = name_starts(callee, "xlate.sync_out");
                LLVMValueRef cpu = LLVMGetOperand(i, 1);
                LLVMPositionBuilderBefore(b, i);
                if (out)
                    emit_copies(b, td, u->written, shadow, cpu);
                else
                    emit_copies(b, td, u->read, cpu, shadow);
                LLVMInstructionEraseFromParent(i);
            }
            i = next;
        }
    }
    free(u);
}

void optimize_promote_state(LLVMModuleRef mod, struct optimize_stats *stats)
{
    LLVMTargetDataRef td = LLVMGetModuleDataLayout(mod);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        if (!LLVMIsDeclaration(fn))
            promote_function(fn, td, b, stats);
    LLVMDisposeBuilder(b);
    for (const char *const *n = (const char *const[]){"xlate.sync_in", "xlate.sync_out", NULL}; *n;
         n++) {
        LLVMValueRef decl = LLVMGetNamedFunction(mod, *n);
        if (decl && !LLVMGetFirstUse(decl))
            LLVMDeleteFunction(decl);
    }
}
