/*
 * The register state a differential test loads before a sequence and writes after it. The
 * generated program (difftest.py, which repeats these offsets) reads and writes it with LDP/STP,
 * so the layout is fixed. Without memory instructions the record ends before `mem`.
 */
#ifndef RSTATE_H
#define RSTATE_H

#include <stddef.h>
#include <stdint.h>

#define RSTATE_MEM       2048 /* the scratch buffer that SP points into when memory is tested */
#define RSTATE_SP_OFFSET 1024 /* initial SP, relative to the scratch buffer */

struct rstate {
    uint64_t x[31];
    uint64_t sp;   /* with memory: relative to the scratch buffer in the initial state */
    uint64_t nzcv; /* as MRS NZCV reads it: N Z C V in bits 31..28 */
    uint64_t fpcr, fpsr;
    uint64_t tag; /* written by the program: which run the record belongs to */
    uint64_t v[32][2];
    uint64_t mem[RSTATE_MEM / 8];
};
_Static_assert(offsetof(struct rstate, sp) == 248 && offsetof(struct rstate, tag) == 280 &&
                   offsetof(struct rstate, v) == 288 && offsetof(struct rstate, mem) == 800,
               "difftest.py relies on this layout");

#endif
