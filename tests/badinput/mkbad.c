/*
 * mkbad VALID CASE OUT: writes to OUT a damaged copy of VALID, the static AArch64 guest built from
 * tiny.c, for the bad-input tests. CASE names the damage (the table at the end); CMakeLists.txt
 * says what xlate must answer to each. Some cases are harmless to a loader (section headers are
 * not used to run a program): xlate must translate those and the result must still work.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *buf; /* the file; malloc's alignment suits every header type */
static size_t len;

static _Noreturn void die(const char *msg)
{
    fprintf(stderr, "mkbad: %s\n", msg);
    exit(2);
}

static Elf64_Ehdr *eh(void)
{
    return (Elf64_Ehdr *)buf;
}
static Elf64_Phdr *ph(unsigned i)
{
    return (Elf64_Phdr *)(buf + eh()->e_phoff) + i;
}
static Elf64_Shdr *sh(unsigned i)
{
    return (Elf64_Shdr *)(buf + eh()->e_shoff) + i;
}

/* The n-th program header of type `type`. */
static Elf64_Phdr *find_ph(uint32_t type, unsigned n)
{
    for (unsigned i = 0; i < eh()->e_phnum; i++)
        if (ph(i)->p_type == type && n-- == 0)
            return ph(i);
    die("the valid guest lacks a program header this case needs");
}

static Elf64_Phdr *text(void)
{
    return find_ph(PT_LOAD, 0);
}
static Elf64_Phdr *data(void)
{
    return find_ph(PT_LOAD, 1);
}
/* A program header that does not matter to the valid guest, to be turned into something else. */
static Elf64_Phdr *spare(void)
{
    return find_ph(PT_GNU_STACK, 0);
}

static Elf64_Shdr *symtab(void)
{
    for (unsigned i = 0; i < eh()->e_shnum; i++)
        if (sh(i)->sh_type == SHT_SYMTAB)
            return sh(i);
    die("the valid guest has no symbol table");
}

static void each_sym(void (*f)(Elf64_Sym *s, unsigned i))
{
    Elf64_Shdr *st = symtab();
    for (unsigned i = 0; i < st->sh_size / sizeof(Elf64_Sym); i++)
        f((Elf64_Sym *)(buf + st->sh_offset) + i, i);
}

/* ---- the cases ---- */

static void trunc_16(void)
{
    len = 16;
}
static void trunc_63(void)
{
    len = 63;
}
static void trunc_64(void)
{
    len = 64;
}
static void trunc_100(void)
{
    len = 100;
}
static void trunc_phdrs(void)
{
    len = eh()->e_phoff + eh()->e_phentsize + 20;
}
static void trunc_text(void)
{
    len = text()->p_offset + text()->p_filesz - 8; /* past the headers, inside the code */
}
static void trunc_data(void)
{
    len = data()->p_offset + data()->p_filesz / 2;
}
static void trunc_sections(void)
{
    len = eh()->e_shoff + 10;
}

static void class32(void)
{
    buf[EI_CLASS] = ELFCLASS32;
}
static void bigendian(void)
{
    buf[EI_DATA] = ELFDATA2MSB;
}
static void ident_version(void)
{
    buf[EI_VERSION] = 0;
}

/* A complete 32-bit ARM ELF header and one program header, as arm-linux-gnueabihf-gcc writes. */
static void arm32(void)
{
    static uint8_t f[sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr)];
    Elf32_Ehdr e = {.e_type = ET_EXEC,
                    .e_machine = EM_ARM,
                    .e_version = EV_CURRENT,
                    .e_entry = 0x10074,
                    .e_phoff = sizeof e,
                    .e_flags = EF_ARM_EABI_VER5,
                    .e_ehsize = sizeof e,
                    .e_phentsize = sizeof(Elf32_Phdr),
                    .e_phnum = 1};
    memcpy(e.e_ident, ELFMAG, SELFMAG);
    e.e_ident[EI_CLASS] = ELFCLASS32;
    e.e_ident[EI_DATA] = ELFDATA2LSB;
    e.e_ident[EI_VERSION] = EV_CURRENT;
    Elf32_Phdr p = {.p_type = PT_LOAD,
                    .p_vaddr = 0x10000,
                    .p_filesz = sizeof f,
                    .p_memsz = sizeof f,
                    .p_flags = PF_R | PF_X,
                    .p_align = 0x1000};
    memcpy(f, &e, sizeof e);
    memcpy(f + sizeof e, &p, sizeof p);
    buf = f;
    len = sizeof f;
}

static void machine_x86_64(void)
{
    eh()->e_machine = EM_X86_64;
}
static void machine_unknown(void)
{
    eh()->e_machine = 0x7777;
}
static void type_rel(void)
{
    eh()->e_type = ET_REL;
}
static void type_core(void)
{
    eh()->e_type = ET_CORE;
}
static void type_none(void)
{
    eh()->e_type = ET_NONE;
}
static void type_os(void)
{
    eh()->e_type = 0xfe01;
}

static void phentsize(void)
{
    eh()->e_phentsize = 32;
}
static void phnum_0(void)
{
    eh()->e_phnum = 0;
}
static void phnum_huge(void)
{
    eh()->e_phnum = 0xfffe;
}
/* PN_XNUM: the real count is in section 0's sh_info. */
static void phnum_xnum(void)
{
    eh()->e_phnum = PN_XNUM;
    sh(0)->sh_info = 0xfffffff0;
}
static void phoff_eof(void)
{
    eh()->e_phoff = len + 1000;
}
static void phoff_huge(void)
{
    eh()->e_phoff = ~0ull - 8;
}
static void phoff_odd(void)
{
    eh()->e_phoff += 3;
}

static void filesz_eof(void)
{
    text()->p_filesz = text()->p_memsz = len * 2;
}
static void offset_eof(void)
{
    data()->p_offset = len + 4096;
}
static void offset_wrap(void)
{
    data()->p_offset = ~0ull - 8;
}
static void memsz_lt_filesz(void)
{
    text()->p_memsz = text()->p_filesz / 2;
}
static void memsz_wrap(void)
{
    data()->p_memsz = ~0ull - 0x100;
}
static void overlap(void)
{
    data()->p_vaddr = text()->p_vaddr + 0x10;
}
static void overlap_same(void)
{
    *spare() = *text();
}
static void no_load(void)
{
    data()->p_type = PT_NULL; /* first: find_ph counts PT_LOADs, and this is the second */
    text()->p_type = PT_NULL;
}
static void interp(void)
{
    Elf64_Phdr *p = spare();
    p->p_type = PT_INTERP;
    p->p_offset = p->p_vaddr = text()->p_vaddr + 0x40;
    p->p_filesz = p->p_memsz = 8;
}

/* Moves the whole image to va (the entry point with it). */
static void move_to(uint64_t va)
{
    uint64_t delta = va - text()->p_vaddr;
    text()->p_vaddr += delta;
    data()->p_vaddr += delta;
    eh()->e_entry += delta;
}
static void va_zero(void)
{
    move_to(0);
}
static void va_low(void)
{
    move_to(0x1000);
}
static void va_top(void)
{
    move_to(0xffff000000400000ull);
}
static void va_end(void)
{
    data()->p_vaddr = (1ull << 47) - 0x10;
}
/* Where a PIE host executable and its heap land (x86-64 ELF_ET_DYN_BASE plus ASLR). */
static void va_host_exe(void)
{
    move_to(0x555555554000ull);
}
/* Where the host's stack, vdso and shared libraries live. */
static void va_host_libs(void)
{
    move_to(0x7ffff7a00000ull);
}
static void align_npot(void)
{
    text()->p_align = data()->p_align = 0x3000;
}

static void entry_outside(void)
{
    eh()->e_entry = 0x10;
}
static void entry_data(void)
{
    eh()->e_entry = data()->p_vaddr & ~3ull;
}
static void entry_odd(void)
{
    eh()->e_entry += 2;
}
/* In the executable segment, but in its zero-filled tail rather than in the file's bytes. */
static void entry_bss(void)
{
    text()->p_memsz = text()->p_filesz + 0x1000;
    eh()->e_entry = (text()->p_vaddr + text()->p_filesz + 0x100) & ~3ull;
}

static void shoff_eof(void)
{
    eh()->e_shoff = len + 1000;
}
static void shoff_huge(void)
{
    eh()->e_shoff = ~0ull - 8;
}
static void shnum_huge(void)
{
    eh()->e_shnum = 0xfeff;
}
static void shentsize(void)
{
    eh()->e_shentsize = 7;
}
static void shstrndx(void)
{
    eh()->e_shstrndx = 0xfef0;
}
static void shstrndx_xindex(void)
{
    eh()->e_shstrndx = SHN_XINDEX;
    sh(0)->sh_link = 0xfffffff;
}
static void symtab_link(void)
{
    symtab()->sh_link = 0xffff;
}
static void symtab_link_self(void)
{
    symtab()->sh_link = (uint32_t)(symtab() - sh(0));
}
static void symtab_offset(void)
{
    symtab()->sh_offset = len + 100;
}
static void symtab_size(void)
{
    symtab()->sh_size = 1ull << 40;
}
static void symtab_entsize_0(void)
{
    symtab()->sh_entsize = 0;
}
static void symtab_entsize_1(void)
{
    symtab()->sh_entsize = 1;
}
static void all_sections_symtab(void)
{
    for (unsigned i = 1; i < eh()->e_shnum; i++) {
        sh(i)->sh_type = SHT_SYMTAB;
        sh(i)->sh_link = i;
        sh(i)->sh_entsize = sizeof(Elf64_Sym);
    }
}

static void wild_sym(Elf64_Sym *s, unsigned i)
{
    static const uint64_t vals[] = {0,        1,     0x3fffff,   0x400002,
                                    0x41fff0, ~0ull, 1ull << 47, 0x8000000000000000ull};
    s->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
    s->st_shndx = (uint16_t)(i * 7919);
    s->st_name = i & 1 ? 0xfffffff0u - i : (uint32_t)i * 3;
    s->st_value = vals[i % (sizeof vals / sizeof vals[0])];
    s->st_size = i & 2 ? ~0ull : i * 1000;
}
static void syms_wild(void)
{
    each_sym(wild_sym);
}

/* The string table no longer ends in NUL and names run off its end. */
static void strtab_open(void)
{
    Elf64_Shdr *str = sh(symtab()->sh_link);
    memset(buf + str->sh_offset, 'A', str->sh_size);
}

static void huge_sym(Elf64_Sym *s, unsigned i)
{
    (void)i;
    s->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
    s->st_size = ~0ull;
}
/* Every function symbol claims the rest of the address space. */
static void syms_huge(void)
{
    each_sym(huge_sym);
}

static const struct {
    const char *name;
    void (*apply)(void);
} cases[] = {
#define CASE(f)                                                                                    \
    {                                                                                              \
#f, f                                                                                      \
    }
    CASE(trunc_16),         CASE(trunc_63),
    CASE(trunc_64),         CASE(trunc_100),
    CASE(trunc_phdrs),      CASE(trunc_text),
    CASE(trunc_data),       CASE(trunc_sections),
    CASE(class32),          CASE(bigendian),
    CASE(ident_version),    CASE(arm32),
    CASE(machine_x86_64),   CASE(machine_unknown),
    CASE(type_rel),         CASE(type_core),
    CASE(type_none),        CASE(type_os),
    CASE(phentsize),        CASE(phnum_0),
    CASE(phnum_huge),       CASE(phnum_xnum),
    CASE(phoff_eof),        CASE(phoff_huge),
    CASE(phoff_odd),        CASE(filesz_eof),
    CASE(offset_eof),       CASE(offset_wrap),
    CASE(memsz_lt_filesz),  CASE(memsz_wrap),
    CASE(overlap),          CASE(overlap_same),
    CASE(no_load),          CASE(interp),
    CASE(va_zero),          CASE(va_low),
    CASE(va_top),           CASE(va_end),
    CASE(va_host_exe),      CASE(va_host_libs),
    CASE(align_npot),       CASE(entry_outside),
    CASE(entry_data),       CASE(entry_odd),
    CASE(entry_bss),        CASE(shoff_eof),
    CASE(shoff_huge),       CASE(shnum_huge),
    CASE(shentsize),        CASE(shstrndx),
    CASE(shstrndx_xindex),  CASE(symtab_link),
    CASE(symtab_link_self), CASE(symtab_offset),
    CASE(symtab_size),      CASE(symtab_entsize_0),
    CASE(symtab_entsize_1), CASE(all_sections_symtab),
    CASE(syms_wild),        CASE(strtab_open),
    CASE(syms_huge),
#undef CASE
};

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--list")) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            puts(cases[i].name);
        return 0;
    }
    if (argc != 4)
        die("usage: mkbad VALID CASE OUT | mkbad --list");
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        die("cannot open the valid guest");
    if (fseek(f, 0, SEEK_END) != 0 || (len = (size_t)ftell(f)) < sizeof(Elf64_Ehdr) ||
        fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc(len)) || fread(buf, 1, len, f) != len)
        die("cannot read the valid guest");
    fclose(f);
    size_t i = 0;
    while (i < sizeof cases / sizeof cases[0] && strcmp(cases[i].name, argv[2]))
        i++;
    if (i == sizeof cases / sizeof cases[0])
        die("unknown case (mkbad --list shows them)");
    cases[i].apply();
    f = fopen(argv[3], "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
        die("cannot write the output");
    return 0;
}
