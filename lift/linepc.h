/*
 * Guest addresses as DWARF line numbers: the contract between the lifter, which gives every
 * lifted instruction a debug location naming its guest address, and the runtime, which maps a
 * host pc inside translated code back to a guest pc through the executable's .debug_line
 * (runtime/pcmap.c). No LLVM here: both sides include it.
 *
 * An instruction's address va (4-byte aligned, below 2^48) is split into line and column:
 * line = (va >> 2 & 0x7fffffff) + 1, never 0 (line 0 means "no location" in DWARF, which the
 * optimizer gives instructions it merged from different places), and column = va >> 33, which
 * stays within the 16 bits LLVM keeps for a column.
 */
#ifndef XLATE_LINEPC_H
#define XLATE_LINEPC_H

#include <stdint.h>

/* The file name of the compile unit of translated code: the runtime ignores every other line
 * program (the runtime's own, when it was compiled with -g). */
#define LINEPC_FILE "xlate-guest-code"

static inline uint32_t linepc_line(uint64_t va)
{
    return (uint32_t)(va >> 2 & 0x7fffffff) + 1;
}

static inline uint32_t linepc_column(uint64_t va)
{
    return (uint32_t)(va >> 33);
}

/* The guest address of a line-table row; 0 for line 0 (no single guest instruction). */
static inline uint64_t linepc_va(uint64_t line, uint64_t column)
{
    if (line == 0 || line > 0x80000000u)
        return 0;
    return column << 33 | (line - 1) << 2;
}

#endif
