/*
 * What is dead at a loop head, where the poll leaves for the dispatcher with the whole register
 * file (lift.c's gen_poll).
 *
 * Registers: a value the loop computes afresh in each iteration (a loaded element, a product)
 * would otherwise have to survive from one iteration to the next only for that way out, costing
 * host registers and copies in the loop. The head's registers written before they are read are
 * stored as zeros there instead; a handler then sees them cleared, and the head overwrites them
 * when the loop goes on. Only the head block is scanned, as far as a64_reg_use knows the
 * instructions.
 *
 * Flags: the register file holds the flags of the last compare too, and storing them there keeps
 * LLVM computing all four every iteration even where the loop's branch needs one comparison only
 * (the flags of two paths merged into one value cannot be sunk to the exit). Where the loop head
 * sets every flag before any is read, the poll's way out stores constants instead, as calls do
 * (clobber_flags in lift.c).
 *
 * A depth-first walk over the function's blocks from the address: a path ends at an instruction
 * that sets all four flags, or at a call or return; a read, a trip to the runtime, an indirect
 * branch, a target outside the function or an unreadable word means live. The walk gives up
 * (live) after a fixed number of blocks, so a safe point costs little to decide in the largest
 * functions.
 */
#include "dead.h"

#include "a64/a64.h"

#include <stdlib.h>

enum { BUDGET = 64 }; /* blocks walked before giving up */

struct walk {
    const struct lift_func *f;
    unsigned stack[2 * BUDGET + 2]; /* each walked block pushes at most two successors */
    unsigned n;
    bool *seen;
};

/* Queue the block at va; false when va is not one of f's blocks. */
static bool push(struct walk *w, uint64_t va)
{
    int b = lift_block_index(w->f, va);
    if (b < 0)
        return false;
    if (!w->seen[b]) {
        w->seen[b] = true;
        w->stack[w->n++] = (unsigned)b;
    }
    return true;
}

/* Walk one block: true when every path through it ends the flags or leads to queued blocks. */
static bool walk_block(struct walk *w, struct lift_reader rd, const struct lift_block *blk)
{
    struct insn in = {0};
    for (unsigned k = 0; k < blk->ninsns; k++) {
        in.pc = blk->va + 4ull * k;
        if (!rd.read(rd.ctx, in.pc, &in.word))
            return false;
        in.op = a64_decode(in.word);
        uint32_t flags = a64_rows[in.op].flags;
        if (in.op == A64_UNALLOCATED || (flags & (F_RT | F_NZCV_R)))
            return false;
        if (flags & (F_NZCV_W | F_CALL | F_ICALL | F_RET))
            return true;
    }
    if (blk->ninsns == 0)
        return false;
    struct a64_flow fl;
    a64_flow(&in, &fl);
    switch (fl.kind) {
    case FLOW_NEXT: return push(w, in.pc + 4);
    case FLOW_JUMP: return push(w, fl.target);
    case FLOW_COND: return push(w, fl.target) && push(w, in.pc + 4);
    default: return false;
    }
}

bool lift_nzcv_dead(const struct lift_func *f, struct lift_reader rd, uint64_t va)
{
    struct walk w = {.f = f, .seen = calloc(f->nblocks ? f->nblocks : 1, sizeof *w.seen)};
    bool dead = w.seen && push(&w, va);
    for (unsigned walked = 0; dead && w.n; walked++)
        dead = walked < BUDGET && walk_block(&w, rd, &f->blocks[w.stack[--w.n]]);
    free(w.seen);
    return dead;
}

uint64_t lift_regs_dead(const struct lift_func *f, struct lift_reader rd, uint64_t va)
{
    int b = lift_block_index(f, va);
    if (b < 0)
        return 0;
    const struct lift_block *blk = &f->blocks[b];
    uint64_t read = 0, dead = 0;
    for (unsigned k = 0; k < blk->ninsns; k++) {
        struct insn in = {.pc = blk->va + 4ull * k};
        struct a64_reg_use u;
        if (!rd.read(rd.ctx, in.pc, &in.word))
            break;
        in.op = a64_decode(in.word);
        if (!a64_reg_use(&in, &u))
            break;
        read |= u.read & ~dead;
        dead |= u.write & ~read;
    }
    return dead;
}
