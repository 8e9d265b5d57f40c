/* The guest image and the entry table as data in the output (struct rt_image, runtime/rt.h). */
#include "emit.h"

#include "../runtime/rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The IR below spells these layouts field by field. */
_Static_assert(sizeof(struct rt_segment) == 40 && offsetof(struct rt_segment, data) == 32, "");
_Static_assert(sizeof(struct rt_entry) == 16, "");
_Static_assert(offsetof(struct rt_image, segs) == 40 && offsetof(struct rt_image, name) == 56, "");

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
    LLVMValueRef *ents = calloc(nentries ? nentries : 1, sizeof *ents);
    for (unsigned i = 0; i < nentries; i++) {
        unsigned fi = entries[i].func;
        if (!decls[fi]) {
            char name[32];
            lift_func_symbol(prog->funcs[fi].va, name, sizeof name);
            decls[fi] = LLVMAddFunction(mod, name, fnty);
            LLVMSetFunctionCallConv(decls[fi], LIFT_CALL_CONV);
            LLVMSetVisibility(decls[fi], LLVMHiddenVisibility);
        }
        LLVMValueRef f[] = {LLVMConstInt(i64, entries[i].va, 0), decls[fi]};
        ents[i] = LLVMConstStructInContext(ctx, f, 2, 0);
    }
    LLVMValueRef entarr = const_global(mod, "guest_entries", LLVMConstArray2(entty, ents, nentries),
                                       LLVMPrivateLinkage);
    free(ents);
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
                        segarr,
                        entarr,
                        name};
    const_global(mod, "xlate_image", LLVMConstStructInContext(ctx, f, 10, 0), LLVMExternalLinkage);
}
