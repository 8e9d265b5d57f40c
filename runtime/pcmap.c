/*
 * Host pc -> guest pc for translated code, from the executable's own DWARF line table.
 *
 * The lifter gives every host instruction a line and column that encode the guest instruction it
 * came from (lift/linepc.h), in a compile unit whose file is LINEPC_FILE. A fault in translated
 * code is mapped back through .debug_line of /proc/self/exe, so the guest's handler and the
 * death message get the exact pc of the faulting guest instruction.
 *
 * This runs inside the host fault handler: no malloc and no stdio, only system calls and our
 * own memory (mmap). The table is built on the first fault in translated code, by whichever
 * thread takes it first; a thread faulting meanwhile waits for it (bounded). Everything read
 * from the file is bounds-checked: a malformed or stripped executable gives "not known" and the
 * caller keeps the approximate pc. Line programs of versions 2 to 5 are read (the lifter asks
 * LLVM for version 4, lift.c says why; the runtime's own, from gcc, are version 5).
 */
#include "rt.h"

#include "../lift/linepc.h"

#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

/* DWARF 5 constants (7.5.6, 7.22, 7.23): the host has no <dwarf.h> to rely on. */
enum {
    FORM_block = 0x09,
    FORM_data1 = 0x0b,
    FORM_data2 = 0x05,
    FORM_data4 = 0x06,
    FORM_data8 = 0x07,
    FORM_data16 = 0x1e,
    FORM_string = 0x08,
    FORM_strp = 0x0e,
    FORM_line_strp = 0x1f,
    FORM_udata = 0x0f,
    FORM_sdata = 0x0d,
    FORM_strx = 0x1a,
    FORM_strx1 = 0x25,
    FORM_strx2 = 0x26,
    FORM_strx3 = 0x27,
    FORM_strx4 = 0x28,
    LNCT_path = 1,
    LNS_copy = 1,
    LNS_advance_pc,
    LNS_advance_line,
    LNS_set_file,
    LNS_set_column,
    LNS_negate_stmt,
    LNS_set_basic_block,
    LNS_const_add_pc,
    LNS_fixed_advance_pc,
    LNE_end_sequence = 1,
    LNE_set_address = 2,
};

/* The ELF header of this executable as loaded: its address minus the address the file gives
 * it is the load bias of the (PIE) executable. The linker defines the symbol. */
extern const Elf64_Ehdr __ehdr_start __attribute__((weak, visibility("hidden")));

struct row {
    uint64_t host; /* link-time address of the first host instruction of the row */
    uint64_t va;   /* guest address, 0 when the row has no single guest instruction */
};

struct seq {
    uint64_t lo, hi;      /* [lo, hi): the host addresses the sequence covers */
    uint32_t first, nrow; /* its rows in the table, by address */
};

/* What the parse produces; the counting pass leaves rows and seqs NULL (and the capacities 0). */
struct table {
    struct row *rows;
    struct seq *seqs;
    uint32_t nrows, nseqs;
    uint32_t cap_rows, cap_seqs;
};

enum { UNBUILT, BUILDING, READY, UNAVAILABLE };
static int state = UNBUILT;
static struct table map;
static uint64_t bias;

/* ---- bounds-checked reading ---- */

struct rd {
    const uint8_t *p, *end;
    bool bad;
};

static bool need(struct rd *r, uint64_t n)
{
    if (r->bad || (uint64_t)(r->end - r->p) < n) {
        r->bad = true;
        return false;
    }
    return true;
}

static uint64_t u(struct rd *r, unsigned n) /* little-endian, n <= 8 */
{
    uint64_t v = 0;
    if (!need(r, n))
        return 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += n;
    return v;
}

static void skip(struct rd *r, uint64_t n)
{
    if (need(r, n))
        r->p += n;
}

static uint64_t uleb(struct rd *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; need(r, 1); shift += 7) {
        uint8_t b = *r->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    return 0;
}

static int64_t sleb(struct rd *r)
{
    uint64_t v = 0;
    unsigned shift = 0;
    while (need(r, 1)) {
        uint8_t b = *r->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) {
            if (shift < 64 && (b & 0x40))
                v |= ~0ull << shift;
            return (int64_t)v;
        }
    }
    return 0;
}

/* ---- the executable's sections ---- */

struct span {
    const uint8_t *p;
    uint64_t size;
};

struct sections {
    struct span line, line_str, str;
};

static bool span_of(const uint8_t *file, uint64_t size, const Elf64_Shdr *sh, struct span *s)
{
    if (sh->sh_type == SHT_NOBITS || sh->sh_offset > size || sh->sh_size > size - sh->sh_offset)
        return false;
    s->p = file + sh->sh_offset;
    s->size = sh->sh_size;
    return true;
}

/* The debug sections and the load bias, from the executable's headers. */
static bool find_sections(const uint8_t *file, uint64_t size, struct sections *out)
{
    Elf64_Ehdr eh;
    if (size < sizeof eh)
        return false;
    memcpy(&eh, file, sizeof eh);
    if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_phentsize != sizeof(Elf64_Phdr) ||
        eh.e_shoff > size || (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > size - eh.e_shoff ||
        eh.e_phoff > size || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > size - eh.e_phoff ||
        eh.e_shstrndx >= eh.e_shnum)
        return false;
    bool found = false;
    for (unsigned i = 0; i < eh.e_phnum && !found; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, file + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type == PT_LOAD && ph.p_offset == 0) {
            bias = (uint64_t)(uintptr_t)&__ehdr_start - ph.p_vaddr;
            found = true;
        }
    }
    Elf64_Shdr names_sh;
    struct span names;
    memcpy(&names_sh, file + eh.e_shoff + eh.e_shstrndx * sizeof names_sh, sizeof names_sh);
    if (!found || !span_of(file, size, &names_sh, &names))
        return false;
    memset(out, 0, sizeof *out);
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh;
        memcpy(&sh, file + eh.e_shoff + i * sizeof sh, sizeof sh);
        if (sh.sh_name >= names.size)
            continue;
        const char *name = (const char *)names.p + sh.sh_name;
        size_t max = names.size - sh.sh_name;
        struct span *s = strncmp(name, ".debug_line", max) == 0       ? &out->line
                         : strncmp(name, ".debug_line_str", max) == 0 ? &out->line_str
                         : strncmp(name, ".debug_str", max) == 0      ? &out->str
                                                                      : NULL;
        if (s && !span_of(file, size, &sh, s))
            return false;
    }
    return out->line.p != NULL;
}

/* ---- line programs ---- */

/* A string attribute of the header: FORM_string inline, FORM_line_strp and FORM_strp
 * as offsets into their sections (4 or 8 bytes: offsize). NULL for any other form, which is
 * skipped; a form we cannot skip makes the reader bad. */
static const char *form_value(struct rd *r, const struct sections *sec, uint64_t form,
                              unsigned offsize, size_t *len)
{
    const struct span *s = NULL;
    switch (form) {
    case FORM_string: {
        const uint8_t *start = r->p;
        while (need(r, 1) && *r->p++)
            ;
        *len = r->bad ? 0 : (size_t)(r->p - start - 1);
        return r->bad ? NULL : (const char *)start;
    }
    case FORM_line_strp: s = &sec->line_str; break;
    case FORM_strp: s = &sec->str; break;
    case FORM_udata: uleb(r); return NULL;
    case FORM_sdata: sleb(r); return NULL;
    case FORM_data1: skip(r, 1); return NULL;
    case FORM_data2: skip(r, 2); return NULL;
    case FORM_data4: skip(r, 4); return NULL;
    case FORM_data8: skip(r, 8); return NULL;
    case FORM_data16: skip(r, 16); return NULL;
    case FORM_block: skip(r, uleb(r)); return NULL;
    case FORM_strx: uleb(r); return NULL;
    case FORM_strx1: skip(r, 1); return NULL;
    case FORM_strx2: skip(r, 2); return NULL;
    case FORM_strx3: skip(r, 3); return NULL;
    case FORM_strx4: skip(r, 4); return NULL;
    default: r->bad = true; return NULL;
    }
    uint64_t off = u(r, offsize);
    if (r->bad || !s->p || off >= s->size)
        return NULL;
    const char *str = (const char *)s->p + off;
    size_t n = 0;
    while (off + n < s->size && str[n])
        n++;
    if (off + n == s->size)
        return NULL; /* unterminated */
    *len = n;
    return str;
}

static bool is_ours(const char *s, size_t len)
{
    return s && len == strlen(LINEPC_FILE) && memcmp(s, LINEPC_FILE, len) == 0;
}

/* Reads a version 5 directory or file name table (6.2.4.1); bit i of the result says entry i's
 * path is LINEPC_FILE (for the first 64 entries). */
static uint64_t entry_table(struct rd *r, const struct sections *sec, unsigned offsize)
{
    uint64_t formats[16][2];
    unsigned nformats = (unsigned)u(r, 1);
    if (nformats > 16) {
        r->bad = true;
        return 0;
    }
    for (unsigned i = 0; i < nformats; i++) {
        formats[i][0] = uleb(r);
        formats[i][1] = uleb(r);
    }
    uint64_t ours = 0, count = uleb(r);
    for (uint64_t k = 0; k < count && !r->bad; k++)
        for (unsigned i = 0; i < nformats; i++) {
            size_t len = 0;
            const char *s = form_value(r, sec, formats[i][1], offsize, &len);
            if (k < 64 && formats[i][0] == LNCT_path && is_ours(s, len))
                ours |= 1ull << k;
        }
    return ours;
}

static void add_row(struct table *t, uint64_t host, uint64_t va, bool *open)
{
    if (!*open) {
        if (t->nseqs < t->cap_seqs)
            t->seqs[t->nseqs] = (struct seq){.lo = host, .first = t->nrows};
        *open = true;
    }
    if (t->nrows < t->cap_rows)
        t->rows[t->nrows] = (struct row){host, va};
    t->nrows++;
}

static void end_seq(struct table *t, uint64_t host, bool *open)
{
    if (!*open)
        return;
    if (t->nseqs < t->cap_seqs) {
        struct seq *s = &t->seqs[t->nseqs];
        s->hi = host;
        s->nrow = t->nrows - s->first;
    }
    t->nseqs++;
    *open = false;
}

/* Version 2 to 4 tables (6.2.4 of DWARF 4): include_directories, then file_names, each ended by
 * an empty string. Files are numbered from 1; the result is as entry_table's. */
static uint64_t old_file_table(struct rd *r)
{
    for (size_t len = 1; len && !r->bad;) /* directories */
        form_value(r, NULL, FORM_string, 0, &len);
    uint64_t ours = 0;
    for (uint64_t k = 1; !r->bad; k++) {
        size_t len = 0;
        const char *s = form_value(r, NULL, FORM_string, 0, &len);
        if (!s || len == 0)
            break;
        uleb(r); /* directory index, modification time, length */
        uleb(r);
        uleb(r);
        if (k < 64 && is_ours(s, len))
            ours |= 1ull << k;
    }
    return ours;
}

static uint64_t row_va(uint64_t files, uint64_t file, uint64_t line, uint64_t column)
{
    return file < 64 && (files >> file & 1) ? linepc_va(line, column) : 0;
}

/* Runs one unit's line program (DWARF 5, 6.2.5), adding its rows to t. Rows of files other than
 * ours (bits of `files`: semantics compiled with debug info would bring their own) have no guest
 * address. A sequence left open at a malformed end is dropped. */
static void run_program(struct rd *r, struct table *t, const uint8_t hdr[6], const uint8_t *std_len,
                        unsigned address_size, uint64_t files)
{
    unsigned min_len = hdr[0], line_range = hdr[4], opcode_base = hdr[5];
    int line_base = (int8_t)hdr[3];
    uint64_t addr = 0, line = 1, column = 0, file = 1;
    bool open = false;
    uint32_t rows_before = t->nrows;
    while (need(r, 1)) {
        unsigned op = *r->p++;
        if (op >= opcode_base) {
            unsigned adj = op - opcode_base;
            addr += (uint64_t)(adj / line_range) * min_len;
            line += (uint64_t)(int64_t)(line_base + (int)(adj % line_range));
            add_row(t, addr, row_va(files, file, line, column), &open);
            continue;
        }
        switch (op) {
        case 0: { /* extended */
            uint64_t len = uleb(r);
            if (!need(r, len) || len == 0) {
                r->bad = true;
                break;
            }
            const uint8_t *next = r->p + len;
            unsigned sub = *r->p++;
            if (sub == LNE_end_sequence) {
                end_seq(t, addr, &open);
                rows_before = t->nrows;
                addr = 0;
                line = 1;
                column = 0;
                file = 1;
            } else if (sub == LNE_set_address && len - 1 == address_size) {
                addr = u(r, address_size);
            }
            r->p = next;
            break;
        }
        case LNS_copy: add_row(t, addr, row_va(files, file, line, column), &open); break;
        case LNS_advance_pc: addr += uleb(r) * min_len; break;
        case LNS_advance_line: line += (uint64_t)sleb(r); break;
        case LNS_set_column: column = uleb(r); break;
        case LNS_set_file: file = uleb(r); break;
        case LNS_const_add_pc:
            addr += (uint64_t)((255 - opcode_base) / line_range) * min_len;
            break;
        case LNS_fixed_advance_pc: addr += u(r, 2); break;
        default: /* negate_stmt, basic_block, prologue_end, ...: operands only */
            for (unsigned i = 0; i < std_len[op - 1]; i++)
                uleb(r);
        }
    }
    if (open)
        t->nrows = rows_before; /* never ended: drop it */
}

/* Every line program of translated code, into t (or only counted, when t has no arrays). */
static void parse(const struct sections *sec, struct table *t)
{
    struct rd all = {sec->line.p, sec->line.p + sec->line.size, false};
    while (!all.bad && all.p < all.end) {
        unsigned offsize = 4;
        uint64_t len = u(&all, 4);
        if (len == 0xffffffffu) {
            offsize = 8;
            len = u(&all, 8);
        } else if (len >= 0xfffffff0u) {
            return; /* reserved */
        }
        if (!need(&all, len))
            return;
        struct rd r = {all.p, all.p + len, false};
        all.p += len;
        unsigned version = (unsigned)u(&r, 2), address_size = 8;
        if (version < 2 || version > 5)
            continue;
        if (version == 5) {
            address_size = (unsigned)u(&r, 1);
            skip(&r, 1); /* segment selector size */
        }
        uint64_t hlen = u(&r, offsize);
        if (!need(&r, hlen))
            continue;
        struct rd prog = {r.p + hlen, r.end, false};
        /* minimum_instruction_length, maximum_operations_per_instruction (from version 4 on),
         * default_is_stmt, line_base, line_range, opcode_base */
        uint8_t hdr[6] = {0, 1};
        for (unsigned i = 0; i < 6; i++)
            if (i != 1 || version >= 4)
                hdr[i] = (uint8_t)u(&r, 1);
        const uint8_t *std_len = r.p;
        skip(&r, hdr[5] ? hdr[5] - 1u : 0);
        /* One operation per instruction (VLIW packing is not x86's), a usable opcode space. */
        if (r.bad || hdr[1] != 1 || hdr[4] == 0 || hdr[5] == 0 || address_size != 8)
            continue;
        uint64_t files;
        if (version == 5) {
            entry_table(&r, sec, offsize); /* directories */
            files = entry_table(&r, sec, offsize);
        } else {
            files = old_file_table(&r);
        }
        if (!r.bad && files && r.p <= prog.p)
            run_program(&prog, t, hdr, std_len, address_size, files);
    }
}

/* ---- building and looking up ---- */

/* Our mappings go below the host executable, where nothing else maps: left to the kernel they
 * could fill a hole the guest has just unmapped, and the guest would find them there. The
 * address is only a hint; if it is taken the kernel chooses. `below` keeps the file and the
 * table apart. */
static void *map_below_exe(uint64_t len, int prot, int flags, long fd, uint64_t below)
{
    uint64_t hint = ((uint64_t)(uintptr_t)&__ehdr_start - below - len) & ~0xfffull;
    long p = rt_host_syscall(SYS_mmap, hint, len, (uint64_t)prot, (uint64_t)flags, (uint64_t)fd, 0);
    return p < 0 && p > -4096 ? NULL : (void *)p;
}

static bool build(void)
{
    long fd =
        rt_host_syscall(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t) "/proc/self/exe",
                        O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0)
        return false;
    struct stat st;
    long rc = rt_host_syscall(SYS_fstat, (uint64_t)fd, (uint64_t)(uintptr_t)&st, 0, 0, 0, 0);
    const uint8_t *file = NULL;
    if (rc == 0 && st.st_size > 0)
        file = map_below_exe((uint64_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 1ull << 30);
    rt_host_syscall(SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
    if (!file)
        return false;
    struct sections sec;
    struct table count = {0};
    if (find_sections(file, (uint64_t)st.st_size, &sec))
        parse(&sec, &count);
    if (count.nrows && count.nseqs) {
        uint64_t seq_bytes = ((uint64_t)count.nseqs * sizeof *map.seqs + 15) & ~15ull;
        uint8_t *mem =
            map_below_exe(seq_bytes + (uint64_t)count.nrows * sizeof *map.rows,
                          PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 2ull << 30);
        if (mem) {
            map.seqs = (struct seq *)(void *)mem;
            map.rows = (struct row *)(void *)(mem + seq_bytes);
            map.cap_seqs = count.nseqs;
            map.cap_rows = count.nrows;
            parse(&sec, &map);
        }
    }
    rt_host_syscall(SYS_munmap, (uint64_t)(uintptr_t)file, (uint64_t)st.st_size, 0, 0, 0, 0);
    return map.rows && map.nrows == count.nrows && map.nseqs == count.nseqs;
}

/* Waits for another thread's build: the map is ready in milliseconds; after two seconds (the
 * builder is gone, which rt_pcmap_fork_child prevents for fork children) the pc stays
 * approximate. */
static bool ready(void)
{
    int s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
    if (s == UNBUILT) {
        int expect = UNBUILT;
        if (__atomic_compare_exchange_n(&state, &expect, BUILDING, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            s = build() ? READY : UNAVAILABLE;
            __atomic_store_n(&state, s, __ATOMIC_RELEASE);
            return s == READY;
        }
        s = expect;
    }
    for (int i = 0; s == BUILDING && i < 2000; i++) {
        struct timespec ms = {0, 1000000};
        rt_host_syscall(SYS_nanosleep, (uint64_t)(uintptr_t)&ms, 0, 0, 0, 0, 0);
        s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
    }
    return s == READY;
}

void rt_pcmap_fork_child(void)
{
    /* Only the forking thread lives on in the child: a build another thread had under way would
     * never finish here. Start over (what the build had mapped stays mapped, unused). */
    if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == BUILDING) {
        memset(&map, 0, sizeof map);
        __atomic_store_n(&state, UNBUILT, __ATOMIC_RELEASE);
    }
}

bool rt_pcmap(uint64_t host_pc, uint64_t *guest_pc)
{
    if (!ready())
        return false;
    uint64_t at = host_pc - bias;
    for (uint32_t i = 0; i < map.nseqs; i++) {
        const struct seq *s = &map.seqs[i];
        if (at < s->lo || at >= s->hi || s->nrow == 0)
            continue;
        /* The last row at or below `at`: rows at one address all but the last are empty. */
        uint32_t lo = s->first, hi = s->first + s->nrow;
        while (hi - lo > 1) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (map.rows[mid].host <= at)
                lo = mid;
            else
                hi = mid;
        }
        *guest_pc = map.rows[lo].va;
        return *guest_pc != 0;
    }
    return false;
}
