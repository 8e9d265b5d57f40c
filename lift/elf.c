/*
 * Reading the guest ELF file. Every header field is checked before it is used: the file may be
 * truncated or hostile, and this code is fuzzed (tests/fuzz/). Errors are returned, never asserted.
 */
#include "lift.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE_SIZE (1ull << 31)
#define MAX_PHNUM     4096
#define MAX_SYMS      (1u << 22)
#define USER_VA_END   (1ull << 47) /* what a 48-bit-VA arm64 kernel gives user space */
#define MIN_VA        0x10000ull   /* Linux's default vm.mmap_min_addr: nothing is mapped lower */

static int fail(struct lift_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->has_va = false;
    return -1;
}

static int read_file(const char *path, struct lift_image *img, struct lift_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return fail(err, "is a directory, not an executable");
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            return fail(err, "out of memory reading the file");
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        /* Endless inputs (/dev/zero, a pipe) that are not ELF end here, not at the size limit. */
        if (memcmp(buf, ELFMAG, SELFMAG) != 0)
            break;
        if (cap >= MAX_FILE_SIZE) {
            free(buf);
            fclose(f);
            return fail(err, "file is larger than %llu bytes", MAX_FILE_SIZE);
        }
        cap *= 2;
        uint8_t *nb = realloc(buf, cap);
        if (!nb)
            free(buf);
        buf = nb;
    }
    int rerr = ferror(f) ? errno : 0;
    fclose(f);
    if (rerr) {
        free(buf);
        return fail(err, "cannot read: %s", strerror(rerr));
    }
    img->file = buf;
    img->file_size = len;
    return 0;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "i386";
    case EM_ARM: return "32-bit ARM";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    default: return NULL;
    }
}

static int check_header(const Elf64_Ehdr *eh, size_t size, struct lift_error *err)
{
    if (eh->e_machine != EM_AARCH64) {
        const char *name = machine_name(eh->e_machine);
        if (name)
            return fail(err, "is an ELF file for %s, not AArch64", name);
        return fail(err, "is an ELF file for machine %u, not AArch64", eh->e_machine);
    }
    if (eh->e_type == ET_REL)
        return fail(err, "is a relocatable object file, not an executable: link it first");
    if (eh->e_type == ET_CORE)
        return fail(err, "is a core dump, not an executable");
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return fail(err, "is not an executable (ELF type %u)", eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return fail(err, "bad program header entry size %u", eh->e_phentsize);
    if (eh->e_phoff > size)
        return fail(err, "program headers start past the end of the file");
    return 0;
}

static int segment_cmp(const void *a, const void *b)
{
    const struct lift_segment *x = a, *y = b;
    return x->va < y->va ? -1 : x->va > y->va;
}

/* The file bytes holding [va, va + n) of the (unbiased) image, or NULL. */
static const uint8_t *file_bytes(const struct lift_image *img, uint64_t va, uint64_t n)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct lift_segment *s = &img->segs[i];
        if (va >= s->va && va - s->va <= s->filesz && n <= s->filesz - (va - s->va))
            return s->data + (va - s->va);
    }
    return NULL;
}

/* Copies into buf the name of the first shared object a PT_DYNAMIC segment asks for (DT_NEEDED);
 * false when it asks for none, as a static-pie's does. */
static bool needed_library(const struct lift_image *img, const Elf64_Phdr *dyn, char *buf,
                           size_t len)
{
    if (dyn->p_offset > img->file_size || dyn->p_filesz > img->file_size - dyn->p_offset)
        return false;
    uint64_t strtab = 0, needed = 0;
    bool have_strtab = false, have_needed = false;
    for (uint64_t off = 0; off + sizeof(Elf64_Dyn) <= dyn->p_filesz; off += sizeof(Elf64_Dyn)) {
        Elf64_Dyn d;
        memcpy(&d, img->file + dyn->p_offset + off, sizeof d);
        if (d.d_tag == DT_NULL)
            break;
        if (d.d_tag == DT_STRTAB && !have_strtab) {
            strtab = d.d_un.d_ptr;
            have_strtab = true;
        } else if (d.d_tag == DT_NEEDED && !have_needed) {
            needed = d.d_un.d_val;
            have_needed = true;
        }
    }
    if (!have_needed)
        return false;
    snprintf(buf, len, "another shared object");
    const uint8_t *p =
        have_strtab && strtab + needed >= strtab ? file_bytes(img, strtab + needed, 1) : NULL;
    if (p) {
        /* Up to the first unprintable byte (or the end of the file), at most len - 1 bytes. */
        size_t n = 0, avail = (size_t)(img->file + img->file_size - p);
        while (n < len - 1 && n < avail && p[n] >= 0x20 && p[n] < 0x7f)
            n++;
        if (n > 0) {
            memcpy(buf, p, n);
            buf[n] = 0;
        }
    }
    return true;
}

/* Where an x86-64 Linux host puts its own memory, which the translated program shares: a PIE
 * executable and its heap go to ELF_ET_DYN_BASE (2/3 of the 47-bit space) plus up to 2^40 bytes
 * of randomization, shared libraries, the vdso and the stack below the top, randomized by as
 * much. A guest image there could not be mapped at its own addresses, or only sometimes. */
static const struct {
    uint64_t start, end;
    const char *what;
} host_areas[] = {
    {0x555555554000ull, 0x565600000000ull, "its own executable and heap"},
    {0x7e0000000000ull, USER_VA_END, "its shared libraries and stack"},
};

static int check_placement(const struct lift_image *img, struct lift_error *err)
{
    if (!img->pie && img->segs[0].va < MIN_VA)
        return fail(err,
                    "segment at 0x%llx is below 0x%llx, the lowest address Linux maps "
                    "(vm.mmap_min_addr)",
                    (unsigned long long)img->segs[0].va, MIN_VA);
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct lift_segment *s = &img->segs[i];
        for (size_t k = 0; k < sizeof host_areas / sizeof host_areas[0]; k++)
            if (s->va < host_areas[k].end && s->va + s->memsz > host_areas[k].start)
                return fail(err,
                            "segment at 0x%llx+0x%llx overlaps where the host puts %s "
                            "(0x%llx-0x%llx); the translated program could not map it there",
                            (unsigned long long)(s->va - img->bias), (unsigned long long)s->memsz,
                            host_areas[k].what, (unsigned long long)host_areas[k].start,
                            (unsigned long long)host_areas[k].end);
    }
    return 0;
}

/* The number of program headers: e_phnum, or with PN_XNUM, section 0's sh_info (gABI). */
static int program_header_count(const Elf64_Ehdr *eh, const struct lift_image *img, size_t *n,
                                struct lift_error *err)
{
    *n = eh->e_phnum;
    if (eh->e_phnum != PN_XNUM)
        return 0;
    Elf64_Shdr sh0;
    if (eh->e_shoff > img->file_size || sizeof sh0 > img->file_size - eh->e_shoff)
        return fail(err, "more than 65534 program headers, but no section header holds the count");
    memcpy(&sh0, img->file + eh->e_shoff, sizeof sh0);
    *n = sh0.sh_info;
    return 0;
}

/* Program headers are read straight from the file (little-endian ELF64, checked, on a
 * little-endian host): every bound is checked here, before anything is believed. */
static int load_segments(const Elf64_Ehdr *eh, struct lift_image *img, struct lift_error *err)
{
    size_t phnum;
    if (program_header_count(eh, img, &phnum, err) != 0)
        return -1;
    if (phnum == 0 || phnum > MAX_PHNUM)
        return fail(err, "absurd number of program headers (%zu)", phnum);
    if ((uint64_t)phnum * eh->e_phentsize > img->file_size - eh->e_phoff)
        return fail(err, "program headers extend past the end of the file (truncated?)");

    img->segs = calloc(phnum, sizeof *img->segs);
    if (!img->segs)
        return fail(err, "out of memory");
    bool interp = false, have_phdr = false, have_dyn = false;
    uint64_t phdr_va = 0;
    Elf64_Phdr dyn = {0};
    for (size_t i = 0; i < phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img->file + eh->e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type == PT_INTERP)
            interp = true;
        if (ph.p_type == PT_DYNAMIC && !have_dyn) {
            have_dyn = true;
            dyn = ph;
        }
        if (ph.p_type == PT_PHDR) {
            have_phdr = true;
            phdr_va = ph.p_vaddr;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return fail(err, "segment %zu: file size 0x%llx exceeds memory size 0x%llx", i,
                        (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_memsz);
        /* A segment with no file bytes (.bss only) may carry any offset; the kernel ignores it. */
        if (ph.p_filesz != 0 &&
            (ph.p_offset > img->file_size || ph.p_filesz > img->file_size - ph.p_offset))
            return fail(err, "segment %zu extends past the end of the file (truncated?)", i);
        if (ph.p_vaddr >= USER_VA_END || ph.p_memsz > USER_VA_END - ph.p_vaddr)
            return fail(err, "segment %zu at 0x%llx+0x%llx is outside the user address space", i,
                        (unsigned long long)ph.p_vaddr, (unsigned long long)ph.p_memsz);
        struct lift_segment *s = &img->segs[img->nsegs++];
        s->va = ph.p_vaddr;
        s->memsz = ph.p_memsz;
        s->filesz = ph.p_filesz;
        s->file_off = ph.p_offset;
        s->flags = ph.p_flags & (PF_R | PF_W | PF_X);
        s->data = img->file + (ph.p_filesz ? ph.p_offset : 0);
    }
    if (img->nsegs == 0)
        return fail(err, "no loadable segments");
    char lib[64];
    if (have_dyn && needed_library(img, &dyn, lib, sizeof lib))
        return fail(err, "is dynamically linked (needs %s); only static executables are supported",
                    lib);
    if (interp)
        return fail(err, "is dynamically linked; only static executables are supported");
    img->pie = eh->e_type == ET_DYN;
    if (img->pie && eh->e_entry == 0)
        return fail(err, "has no entry point: a shared library, not an executable");
    qsort(img->segs, img->nsegs, sizeof *img->segs, segment_cmp);
    for (unsigned i = 1; i < img->nsegs; i++)
        if (img->segs[i].va < img->segs[i - 1].va + img->segs[i - 1].memsz)
            return fail(err, "loadable segments overlap at 0x%llx",
                        (unsigned long long)img->segs[i].va);
    if (img->pie) {
        img->bias = LIFT_PIE_BIAS;
        if (img->segs[img->nsegs - 1].va + img->segs[img->nsegs - 1].memsz >
            USER_VA_END - img->bias)
            return fail(err, "position-independent image too large");
        for (unsigned i = 0; i < img->nsegs; i++)
            img->segs[i].va += img->bias;
    }
    if (check_placement(img, err) != 0)
        return -1;

    /* AT_PHDR: from PT_PHDR, or where the segment covering e_phoff maps the headers. */
    img->phnum = (unsigned)phnum;
    img->phentsize = eh->e_phentsize;
    if (have_phdr) {
        img->phdr_va = phdr_va + img->bias;
    } else {
        for (unsigned i = 0; i < img->nsegs; i++) {
            const struct lift_segment *s = &img->segs[i];
            if (eh->e_phoff >= s->file_off && eh->e_phoff - s->file_off < s->filesz)
                img->phdr_va = s->va + (eh->e_phoff - s->file_off);
        }
    }
    /* The entry instruction must be in the file: the zero-filled tail of a segment is no code. */
    img->entry = eh->e_entry + img->bias;
    const struct lift_segment *es = lift_image_segment(img, img->entry);
    if (!es || !(es->flags & PF_X) || (img->entry & 3) || img->entry - es->va + 4 > es->filesz)
        return fail(err, "entry point 0x%llx is not in the code of an executable segment",
                    (unsigned long long)eh->e_entry);
    return 0;
}

static int symbol_cmp(const void *a, const void *b)
{
    const struct lift_symbol *x = a, *y = b;
    return x->va < y->va ? -1 : x->va > y->va;
}

/* Where the executable's TLS block starts relative to the thread pointer, 0 without PT_TLS.
 * AArch64 places a 16-byte thread control block at the thread pointer and the block after it,
 * aligned as PT_TLS asks (TLS variant I). The program headers were checked by load_segments. */
static uint64_t tls_block_tp(const struct lift_image *img)
{
    uint64_t phoff;
    memcpy(&phoff, img->file + 32, 8); /* e_phoff */
    for (unsigned i = 0; i < img->phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img->file + phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_TLS)
            continue;
        uint64_t align = ph.p_align > 16 ? ph.p_align : 16;
        return (align & (align - 1)) || align > (1u << 20) ? 0 : align;
    }
    return 0;
}

/* Function symbols from .symtab, when the file has one, and where errno is. A damaged or missing
 * symbol table is not an error: control-flow recovery works from the entry point and branch
 * targets alone. */
static void load_symbols(Elf *elf, struct lift_image *img)
{
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
            continue;
        if (sh.sh_offset > img->file_size || sh.sh_size > img->file_size - sh.sh_offset)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data)
            continue;
        /* gelf_getsym reads fixed-size entries whatever sh_entsize claims. */
        size_t n = data->d_size / sizeof(Elf64_Sym);
        if (n > MAX_SYMS)
            n = MAX_SYMS;
        img->syms = calloc(n ? n : 1, sizeof *img->syms);
        if (!img->syms)
            return;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym))
                break;
            if (GELF_ST_TYPE(sym.st_info) == STT_TLS && sym.st_shndx != SHN_UNDEF &&
                sym.st_size == 4 && sym.st_value < (1u << 20)) {
                const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
                uint64_t block = 0;
                if (name && (!strcmp(name, "errno") || !strcmp(name, "__libc_errno")) &&
                    (block = tls_block_tp(img)) != 0)
                    img->errno_tp = block + sym.st_value;
                continue;
            }
            if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF)
                continue;
            uint64_t va = sym.st_value + img->bias;
            const struct lift_segment *s = lift_image_segment(img, va);
            if (!s || !(s->flags & PF_X) || (va & 3))
                continue;
            const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
            char *copy = strdup(name ? name : "");
            if (!copy)
                break;
            img->syms[img->nsyms++] = (struct lift_symbol){va, sym.st_size, copy};
        }
        qsort(img->syms, img->nsyms, sizeof *img->syms, symbol_cmp);
        return;
    }
}

static int load(struct lift_image *img, struct lift_error *err)
{
    if (img->file_size == 0)
        return fail(err, "is empty, not an ELF file");
    if (img->file_size < SELFMAG || memcmp(img->file, ELFMAG, SELFMAG) != 0)
        return fail(err, "not an ELF file");
    if (img->file_size < sizeof(Elf64_Ehdr))
        return fail(err, "truncated ELF header (%zu bytes)", img->file_size);
    if (img->file[EI_CLASS] != ELFCLASS64)
        return fail(err, "is a 32-bit ELF file; only 64-bit AArch64 is supported");
    if (img->file[EI_DATA] != ELFDATA2LSB)
        return fail(err, "is a big-endian ELF file; only little-endian AArch64 is supported");
    if (img->file[EI_VERSION] != EV_CURRENT)
        return fail(err, "unknown ELF version %u", img->file[EI_VERSION]);
    Elf64_Ehdr eh;
    memcpy(&eh, img->file, sizeof eh);
    if (check_header(&eh, img->file_size, err) != 0 || load_segments(&eh, img, err) != 0)
        return -1;

    /* Sections are optional to a loader (the kernel never reads them): libelf may refuse a file
     * whose section headers are damaged, and then there are just no symbols. */
    elf_version(EV_CURRENT);
    Elf *elf = elf_memory((char *)img->file, img->file_size);
    if (elf) {
        load_symbols(elf, img);
        elf_end(elf);
    }
    return 0;
}

/* On failure nothing stays allocated. */
int lift_image_load(const char *path, struct lift_image *img, struct lift_error *err)
{
    memset(img, 0, sizeof *img);
    img->path = path;
    if (read_file(path, img, err) != 0)
        return -1;
    int rc = load(img, err);
    if (rc != 0)
        lift_image_free(img);
    return rc;
}

void lift_image_free(struct lift_image *img)
{
    for (unsigned i = 0; i < img->nsyms; i++)
        free(img->syms[i].name);
    free(img->syms);
    free(img->segs);
    free(img->file);
    memset(img, 0, sizeof *img);
}

/* Segments are sorted and disjoint: the last one starting at or below va is the only candidate.
 * (Called for every instruction the CFG builder reads; a hostile file may have thousands.) */
const struct lift_segment *lift_image_segment(const struct lift_image *img, uint64_t va)
{
    unsigned lo = 0, hi = img->nsegs;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (img->segs[mid].va <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct lift_segment *s = &img->segs[lo - 1];
    return va - s->va < s->memsz ? s : NULL;
}

static bool read_image_word(void *ctx, uint64_t va, uint32_t *word)
{
    const struct lift_image *img = ctx;
    const struct lift_segment *s = lift_image_segment(img, va);
    if (!s || !(s->flags & PF_X) || (va & 3) || va - s->va + 4 > s->filesz)
        return false;
    memcpy(word, s->data + (va - s->va), 4);
    return true;
}

static bool read_image_data(void *ctx, uint64_t va, void *buf, size_t n)
{
    const struct lift_image *img = ctx;
    const struct lift_segment *s = lift_image_segment(img, va);
    if (!s || va - s->va > s->memsz || n > s->memsz - (va - s->va))
        return false;
    uint64_t off = va - s->va;
    size_t from_file = off < s->filesz ? (size_t)(s->filesz - off < n ? s->filesz - off : n) : 0;
    if (from_file)
        memcpy(buf, s->data + off, from_file);
    memset((uint8_t *)buf + from_file, 0, n - from_file);
    return true;
}

struct lift_reader lift_image_reader(const struct lift_image *img)
{
    return (struct lift_reader){read_image_word, read_image_data, (void *)img};
}
