/* The guest image and the entry table as data in the output (struct rt_image, runtime/rt.h). */
#include "emit.h"

#include "../runtime/rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The IR below spells these layouts field by field. */
_Static_assert(sizeof(struct rt_segment) == 40 && offsetof(struct rt_segment, data) == 32, "");
_Static_assert(sizeof(struct rt_entry) == 16, "");
_Static_assert(sizeof(struct rt_span) == 32, "");
_Static_assert(offsetof(struct rt_image, nspans) == 36 && offsetof(struct rt_image, segs) == 40 &&
                   offsetof(struct rt_image, name) == 56 && offsetof(struct rt_image, spans) == 64,
               "");

static LLVMValueRef const_global(LLVMModuleRef mod, const char *name, LLVMValueRef init,
                                 LLVMLinkage linkage)
{
    LLVMValueRef g = LLVMAddGlobal(mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, linkage);
    return g;
}

void emit_image(LLVMModuleRef mod, const struct lift_image *img, const struct lift_program *prog,
                const struct lift_entry *entries, unsigned nentries)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    LLVMValueRef null = LLVMConstNull(ptr);

    LLVMTypeRef segf[] = {i64, i64, i64, i32, i32, ptr};
    LLVMTypeRef segty = LLVMStructTypeInContext(ctx, segf, 6, 0);
    LLVMValueRef *segs = calloc(img->nsegs, sizeof *segs);
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct lift_segment *s = &img->segs[i];
        LLVMValueRef data = null;
        if (s->filesz) {
            char name[32];
            snprintf(name, sizeof name, "guest_seg%u", i);
            LLVMValueRef bytes =
                LLVMConstStringInContext2(ctx, (const char *)s->data, s->filesz, 1);
            data = const_global(mod, name, bytes, LLVMPrivateLinkage);
            LLVMSetAlignment(data, 4096);
        }
        LLVMValueRef f[] = {LLVMConstInt(i64, s->va, 0),     LLVMConstInt(i64, s->memsz, 0),
                            LLVMConstInt(i64, s->filesz, 0), LLVMConstInt(i32, s->flags, 0),
                            LLVMConstInt(i32, 0, 0),         data};
        segs[i] = LLVMConstStructInContext(ctx, f, 6, 0);
    }
    LLVMValueRef segarr = const_global(
        mod, "guest_segments", LLVMConstArray2(segty, segs, img->nsegs), LLVMPrivateLinkage);
    free(segs);

    LLVMTypeRef entf[] = {i64, ptr};
    LLVMTypeRef entty = LLVMStructTypeInContext(ctx, entf, 2, 0);
    LLVMTypeRef fnty = lift_func_type(ctx);
    LLVMValueRef *decls = calloc(prog->nfuncs ? prog->nfuncs : 1, sizeof *decls);
    for (unsigned fi = 0; fi < prog->nfuncs; fi++) {
        char name[32];
        lift_func_symbol(prog->funcs[fi].va, name, sizeof name);
        decls[fi] = LLVMAddFunction(mod, name, fnty);
        LLVMSetFunctionCallConv(decls[fi], LIFT_CALL_CONV);
        LLVMSetVisibility(decls[fi], LLVMHiddenVisibility);
    }
    LLVMValueRef *ents = calloc(nentries ? nentries : 1, sizeof *ents);
    for (unsigned i = 0; i < nentries; i++) {
        LLVMValueRef f[] = {LLVMConstInt(i64, entries[i].va, 0), decls[entries[i].func]};
        ents[i] = LLVMConstStructInContext(ctx, f, 2, 0);
    }
    LLVMValueRef entarr = const_global(mod, "guest_entries", LLVMConstArray2(entty, ents, nentries),
                                       LLVMPrivateLinkage);
    free(ents);

    /* Where each function's guest code lies, for the runtime to find the translations of code
     * that changes (runtime/smc.c). Not the routines the host does: they do not depend on the
     * guest's code, and the allocator must stay the host's whatever happens to it. */
    LLVMTypeRef spanf[] = {i64, i64, ptr, i32, i32};
    LLVMTypeRef spanty = LLVMStructTypeInContext(ctx, spanf, 5, 0);
    LLVMValueRef *spans = calloc(prog->nfuncs ? prog->nfuncs : 1, sizeof *spans);
    unsigned nspans = 0;
    for (unsigned fi = 0; fi < prog->nfuncs; fi++) {
        const struct lift_func *fn = &prog->funcs[fi];
        if (lift_routine_by_host(fn->routine))
            continue;
        uint64_t lo = fn->va, hi = fn->va + 4;
        for (unsigned b = 0; b < fn->nblocks; b++) {
            uint64_t start = fn->blocks[b].va, end = start + 4ull * fn->blocks[b].ninsns;
            lo = start < lo ? start : lo;
            hi = end > hi ? end : hi;
        }
        LLVMValueRef f[] = {LLVMConstInt(i64, lo, 0), LLVMConstInt(i64, hi, 0), decls[fi],
                            LLVMConstInt(i32, fn->direct, 0), LLVMConstInt(i32, 0, 0)};
        spans[nspans++] = LLVMConstStructInContext(ctx, f, 5, 0);
    }
    LLVMValueRef spanarr = const_global(mod, "guest_spans", LLVMConstArray2(spanty, spans, nspans),
                                        LLVMPrivateLinkage);
    free(spans);
    free(decls);

    const char *base = img->path;
    for (const char *p = img->path; *p; p++)
        if (*p == '/')
            base = p + 1;
    LLVMValueRef name =
        const_global(mod, "guest_name", LLVMConstStringInContext2(ctx, base, strlen(base), 0),
                     LLVMPrivateLinkage);

    LLVMValueRef f[] = {LLVMConstInt(i64, img->entry, 0),
                        LLVMConstInt(i64, img->phdr_va, 0),
                        LLVMConstInt(i32, img->phnum, 0),
                        LLVMConstInt(i32, img->phentsize, 0),
                        LLVMConstInt(i32, img->nsegs, 0),
                        LLVMConstInt(i32, nentries, 0),
                        LLVMConstInt(i32, lift_dispatch_shift(prog), 0),
                        LLVMConstInt(i32, nspans, 0),
                        segarr,
                        entarr,
                        name,
                        spanarr};
    const_global(mod, "xlate_image", LLVMConstStructInContext(ctx, f, 12, 0), LLVMExternalLinkage);
}
