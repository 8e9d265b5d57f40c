/*
 * A guest ELF file loaded at run time (XLATE_GUEST, set by an execve of an AArch64 program): it
 * becomes an image like the one the translator embeds, with no translated entries, so every
 * instruction runs in the interpreter. Static executables (ET_EXEC) load at their addresses,
 * static PIE (ET_DYN without an interpreter) at a fixed base, as a kernel without address
 * randomisation would. Programs that need a dynamic loader are refused: the guest's ld.so and
 * libraries are not on this machine's paths.
 */
#include "rt.h"

#include "../lift/dispatch_hash.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIE_BASE 0x5500000000ull /* far below the host's PIE and mmap areas */

static const struct rt_image *fail(char *err, size_t errlen, const char *path, const char *why)
{
    snprintf(err, errlen, "%s: %s", path, why);
    return NULL;
}

const struct rt_image *rt_load_elf(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    uint64_t size = (uint64_t)st.st_size;
    const uint8_t *file =
        size >= sizeof(Elf64_Ehdr) ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (file == MAP_FAILED)
        return fail(err, errlen, path, "not an ELF file");
    Elf64_Ehdr e;
    memcpy(&e, file, sizeof e);
    if (memcmp(e.e_ident, ELFMAG, SELFMAG) || e.e_ident[EI_CLASS] != ELFCLASS64 ||
        e.e_ident[EI_DATA] != ELFDATA2LSB || e.e_machine != EM_AARCH64)
        return fail(err, errlen, path, "not an AArch64 ELF file");
    if (e.e_type != ET_EXEC && e.e_type != ET_DYN)
        return fail(err, errlen, path, "not an executable");
    if (e.e_phentsize != sizeof(Elf64_Phdr) || e.e_phoff > size ||
        (size - e.e_phoff) / sizeof(Elf64_Phdr) < e.e_phnum)
        return fail(err, errlen, path, "bad program headers");

    struct rt_image *img = calloc(1, sizeof *img);
    struct rt_segment *segs = calloc(e.e_phnum ? e.e_phnum : 1, sizeof *segs);
    if (!img || !segs)
        return fail(err, errlen, path, "out of memory");
    uint64_t base = e.e_type == ET_DYN ? PIE_BASE : 0, phdr_va = 0;
    for (unsigned i = 0; i < e.e_phnum; i++) {
        Elf64_Phdr p;
        memcpy(&p, file + e.e_phoff + i * sizeof p, sizeof p);
        if (p.p_type == PT_INTERP)
            return fail(err, errlen, path, "dynamically linked (needs its guest ld.so)");
        if (p.p_type == PT_PHDR)
            phdr_va = base + p.p_vaddr;
        if (p.p_type != PT_LOAD || !p.p_memsz)
            continue;
        if (p.p_filesz > p.p_memsz ||
            (p.p_filesz && (p.p_offset > size || size - p.p_offset < p.p_filesz)))
            return fail(err, errlen, path, "segment outside the file");
        if (!phdr_va && e.e_phoff >= p.p_offset && e.e_phoff - p.p_offset < p.p_filesz)
            phdr_va = base + p.p_vaddr + (e.e_phoff - p.p_offset);
        segs[img->nsegs++] = (struct rt_segment){.va = base + p.p_vaddr,
                                                 .memsz = p.p_memsz,
                                                 .filesz = p.p_filesz,
                                                 .flags = p.p_flags,
                                                 .data = file + p.p_offset};
    }
    if (!img->nsegs)
        return fail(err, errlen, path, "nothing to load");
    img->entry = base + e.e_entry;
    img->dispatch_shift = dispatch_shift(0); /* no entries: the smallest table */
    img->phdr_va = phdr_va;
    img->phnum = e.e_phnum;
    img->phentsize = e.e_phentsize;
    img->segs = segs;
    img->name = path;
    return img;
}
