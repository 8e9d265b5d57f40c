/*
 * Jump-table recognition cases (lift/a64/jumptab.c), written as GCC lays them out: each DISPATCH
 * is an indirect branch through a byte table of four cases, with an expectation in .data for
 * check.c: the BR's address, how many targets the recogniser must find (0: it must give up, as
 * nothing proves the table), and those targets. Not meant to run.
 */
    .text
    .global _start
_start:
    b _start

helper:
    ret

/* The table load, base and branch; idx is the load's index operand ("w0, uxtw" or "x0"), loop
 * where every case goes back to, want the number of targets expected. */
.macro DISPATCH name, tab, idx, loop, want
    ldrb w0, [\tab, \idx]
    adr x1, \name\()_base
    add x0, x1, w0, sxtb #2
\name\()_br:
    br x0
\name\()_base:
\name\()_c0:
    b \loop
\name\()_c1:
    add w19, w19, #2
    b \loop
\name\()_c2:
    bl helper
    b \loop
\name\()_c3:
    sub w19, w19, #1
    b \loop
    .pushsection .rodata
\name\()_tab:
    .byte 0, (\name\()_c1 - \name\()_base) / 4, (\name\()_c2 - \name\()_base) / 4
    .byte (\name\()_c3 - \name\()_base) / 4
    .popsection
    .pushsection .data
    .if \want
    .quad \name\()_br, 4, \name\()_c0, \name\()_c1, \name\()_c2, \name\()_c3
    .else
    .quad \name\()_br, 0
    .endif
    .popsection
.endm

/* Function entry: a frame, and the table's address in x0. */
.macro ENTER name
\name:
    sub sp, sp, #64
    stp x29, x30, [sp]
    adrp x0, \name\()_tab
    add x0, x0, :lo12:\name\()_tab
.endm

.macro LEAVE name
\name\()_out:
    ldp x29, x30, [sp]
    add sp, sp, #64
    ret
.endm

/* Everything in the dispatch block: the bound, the table address, the load. */
plain:
    cmp w0, #3
    b.hi plain_out
    adrp x2, plain_tab
    add x2, x2, :lo12:plain_tab
    DISPATCH plain, x2, "w0, uxtw", plain_out, 1
plain_out:
    ret

/* busybox sed: the table's address spilled before the loop, reloaded before each dispatch. */
    ENTER spill
    str x0, [sp, #56]
spill_loop:
    bl helper
    add w19, w19, #1
    mov w0, w19
    cmp w0, #3
    b.hi spill_out
    ldr x1, [sp, #56]
    DISPATCH spill, x1, "w0, uxtw", spill_loop, 1
    LEAVE spill

/* The same, spilled as the second register of a pair. */
    ENTER pair
    stp x19, x0, [sp, #48]
pair_loop:
    bl helper
    mov w0, w19
    cmp w0, #3
    b.hi pair_out
    ldr x1, [sp, #56]
    DISPATCH pair, x1, "w0, uxtw", pair_loop, 1
    LEAVE pair

/* The slot is stored again (with another value) on one path to the reload. */
    ENTER clobbered
    str x0, [sp, #56]
clobbered_loop:
    bl helper
    cbz w19, 1f
    str x2, [sp, #56]
1:  mov w0, w19
    cmp w0, #3
    b.hi clobbered_out
    ldr x1, [sp, #56]
    DISPATCH clobbered, x1, "w0, uxtw", clobbered_loop, 0
    LEAVE clobbered

/* A 32-bit store into the upper half of the slot on one path. */
    ENTER overlap
    str x0, [sp, #56]
overlap_loop:
    bl helper
    cbz w19, 1f
    str w2, [sp, #60]
1:  mov w0, w19
    cmp w0, #3
    b.hi overlap_out
    ldr x1, [sp, #56]
    DISPATCH overlap, x1, "w0, uxtw", overlap_loop, 0
    LEAVE overlap

/* Two paths store two different addresses into the slot. */
    ENTER two_values
    cbz w19, 1f
    add x0, x0, #1
1:  str x0, [sp, #56]
two_values_loop:
    mov w0, w19
    cmp w0, #3
    b.hi two_values_out
    ldr x1, [sp, #56]
    DISPATCH two_values, x1, "w0, uxtw", two_values_loop, 0
    LEAVE two_values

/* sp moves between the spill and the reload: [sp, #56] is another slot then. */
    ENTER sp_moved
    str x0, [sp, #56]
    sub sp, sp, #16
sp_moved_loop:
    mov w0, w19
    cmp w0, #3
    b.hi sp_moved_out
    ldr x1, [sp, #56]
    DISPATCH sp_moved, x1, "w0, uxtw", sp_moved_loop, 0
    LEAVE sp_moved

/* Kept in a callee-saved register across calls; the bound is checked in a block that branches
 * to an out-of-line dispatch. */
    ENTER callee_saved
    mov x23, x0
callee_saved_loop:
    bl helper
    mov w0, w19
    cmp w0, #3
    b.ls callee_saved_dispatch
    b callee_saved_out
callee_saved_dispatch:
    DISPATCH callee_saved, x23, "w0, uxtw", callee_saved_loop, 1
    LEAVE callee_saved

/* Kept in a caller-saved register across a call: the callee may change it. */
    ENTER caller_saved
    mov x9, x0
caller_saved_loop:
    bl helper
    mov w0, w19
    cmp w0, #3
    b.hi caller_saved_out
    DISPATCH caller_saved, x9, "w0, uxtw", caller_saved_loop, 0
    LEAVE caller_saved

/* One path reaches the load without passing the bounds check. */
    ENTER unguarded
    mov x23, x0
unguarded_loop:
    mov w0, w19
    cbnz w5, 1f
    cmp w0, #3
    b.hi unguarded_out
1:  DISPATCH unguarded, x23, "w0, uxtw", unguarded_loop, 0
    LEAVE unguarded

/* The bound is checked on the register the index was copied from. */
    ENTER copied
    mov x23, x0
copied_loop:
    mov w0, w19
    cmp w19, #3
    b.hi copied_out
    DISPATCH copied, x23, "w0, uxtw", copied_loop, 1
    LEAVE copied

/* No check: the index is masked to two bits. */
    ENTER masked
    mov x23, x0
masked_loop:
    and w0, w19, #3
    DISPATCH masked, x23, "w0, uxtw", masked_loop, 1
    LEAVE masked

/* A 64-bit index checked by a 64-bit compare, and one checked by a 32-bit compare only (its
 * upper half is unchecked). */
    ENTER wide
    mov x23, x0
wide_loop:
    mov x0, x19
    cmp x0, #3
    b.hi wide_out
    DISPATCH wide, x23, x0, wide_loop, 1
    LEAVE wide

    ENTER narrow
    mov x23, x0
narrow_loop:
    mov x0, x19
    cmp w0, #3
    b.hi narrow_out
    DISPATCH narrow, x23, x0, narrow_loop, 0
    LEAVE narrow

/* Two switches in one loop, both tables spilled: the first's cases go to the second's check,
 * whose cases go back to the loop. Each one's cases are reached only through its own BR. */
twice:
    sub sp, sp, #64
    stp x29, x30, [sp]
    adrp x0, twice1_tab
    add x0, x0, :lo12:twice1_tab
    str x0, [sp, #48]
    adrp x0, twice2_tab
    add x0, x0, :lo12:twice2_tab
    str x0, [sp, #56]
twice_loop:
    bl helper
    mov w0, w19
    cmp w0, #3
    b.hi twice_out
    ldr x1, [sp, #48]
    DISPATCH twice1, x1, "w0, uxtw", twice_second, 1
twice_second:
    lsr w0, w19, #2
    cmp w0, #3
    b.hi twice_loop
    ldr x1, [sp, #56]
    DISPATCH twice2, x1, "w0, uxtw", twice_loop, 1
    LEAVE twice

    .data
    .quad 0
