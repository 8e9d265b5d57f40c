/*
 * libFuzzer target: the guest file as xlate reads it. Each input is a candidate guest executable;
 * it goes through the ELF reader (lift_image_load), seed collection (lift_seeds) and control-flow
 * recovery (lift_cfg), everything xlate does to a file before any LLVM is involved. Under ASan and
 * UBSan, so a hostile file shows any memory error, leak or undefined behaviour; and what the
 * reader accepts must hold the promises lift.h makes, checked here.
 */
#include "../../lift/lift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define USER_VA_END (1ull << 47)

/* A broken promise is a crash, so libFuzzer keeps the input that shows it. */
#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_elf: %s:%d: promise broken: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_image(const struct lift_image *img)
{
    REQUIRE(img->nsegs > 0);
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct lift_segment *s = &img->segs[i];
        REQUIRE(s->memsz > 0 && s->filesz <= s->memsz);
        REQUIRE(s->va < USER_VA_END && s->memsz <= USER_VA_END - s->va);
        REQUIRE(s->data >= img->file && s->filesz <= img->file_size &&
                (size_t)(s->data - img->file) <= img->file_size - s->filesz);
        REQUIRE(i == 0 || img->segs[i - 1].va + img->segs[i - 1].memsz <= s->va);
        REQUIRE(lift_image_segment(img, s->va) == s);
        REQUIRE(lift_image_segment(img, s->va + s->memsz - 1) == s);
    }
    struct lift_reader rd = lift_image_reader(img);
    uint32_t w;
    REQUIRE(rd.read(rd.ctx, img->entry, &w));
    for (unsigned i = 0; i < img->nsyms; i++) {
        const struct lift_segment *s = lift_image_segment(img, img->syms[i].va);
        REQUIRE(s && (s->flags & SEG_X) && img->syms[i].name);
        REQUIRE(i == 0 || img->syms[i - 1].va <= img->syms[i].va);
    }
    /* The data reader at segment edges: inside gives bytes (zeros past filesz), outside fails. */
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct lift_segment *s = &img->segs[i];
        uint8_t buf[16];
        size_t n = s->memsz < sizeof buf ? (size_t)s->memsz : sizeof buf;
        REQUIRE(rd.read_data(rd.ctx, s->va, buf, n));
        REQUIRE(rd.read_data(rd.ctx, s->va + s->memsz - n, buf, n));
        if (i + 1 == img->nsegs || img->segs[i + 1].va != s->va + s->memsz)
            REQUIRE(!rd.read_data(rd.ctx, s->va + s->memsz - n, buf, n + 1));
    }
}

static void check_program(const struct lift_image *img, const struct lift_program *prog)
{
    struct lift_reader rd = lift_image_reader(img);
    for (unsigned i = 0; i < prog->nfuncs; i++) {
        const struct lift_func *f = &prog->funcs[i];
        REQUIRE(i == 0 || prog->funcs[i - 1].va < f->va);
        REQUIRE(lift_find_func(prog, f->va) == f);
        for (unsigned b = 0; b < f->nblocks; b++) {
            const struct lift_block *bl = &f->blocks[b];
            REQUIRE(bl->ninsns > 0);
            REQUIRE(b == 0 || f->blocks[b - 1].va < bl->va);
            for (unsigned k = 0; k < bl->ninsns; k++) {
                uint32_t w;
                REQUIRE(rd.read(rd.ctx, bl->va + 4ull * k, &w));
            }
        }
    }
}

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        fd = memfd_create("guest", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();

    struct lift_image img;
    struct lift_error err;
    if (lift_image_load(path, &img, &err) != 0) {
        REQUIRE(err.msg[0] && memchr(err.msg, 0, sizeof err.msg));
        return 0;
    }
    REQUIRE(img.file_size == size);
    check_image(&img);

    struct lift_seed *seeds;
    unsigned nseeds;
    if (lift_seeds(&img, &seeds, &nseeds, &err) == 0) {
        bool entry = false;
        for (unsigned i = 0; i < nseeds; i++) {
            REQUIRE(i == 0 || seeds[i - 1].va < seeds[i].va ||
                    (seeds[i - 1].va == seeds[i].va && seeds[i - 1].owner < seeds[i].owner));
            entry |= seeds[i].va == img.entry && seeds[i].root;
        }
        REQUIRE(entry);
        struct lift_program prog;
        if (lift_cfg(lift_image_reader(&img), seeds, nseeds, &prog, &err) == 0) {
            REQUIRE(prog.nfuncs > 0 && lift_find_func(&prog, img.entry));
            check_program(&img, &prog);
            lift_program_free(&prog);
        }
        free(seeds);
    }
    lift_image_free(&img);
    return 0;
}
