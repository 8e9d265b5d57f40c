/*
 * A jump table as GCC lays one out (a bound, a byte table of word offsets, ADR and ADD), whose
 * ten cases are spread thinly (twelve words apart): the lifter switches on a case number it looks
 * up in a table of its own over those words (lift.c, gen_target_table). Indices in and out of
 * range, in a scrambled order; each case mixes its number into x20, so a wrong case changes the
 * result. Writes x20's eight bytes to stdout and exits 0.
 */
#include "mix.inc"

    START
next:
    ldr w0, [x19, x21, lsl #2]
    add x21, x21, #1
    cmn w0, #1
    b.eq done
    cmp w0, #9
    b.hi next
    adrp x2, table
    add x2, x2, :lo12:table
    ldrb w0, [x2, w0, uxtw]
    adr x1, base
    add x0, x1, w0, sxtb #2
    br x0
base:
.macro CASE n
case\n:
    MIX \n
    .rept 8
    nop
    .endr
.endm
    CASE 0
    CASE 1
    CASE 2
    CASE 3
    CASE 4
    CASE 5
    CASE 6
    CASE 7
    CASE 8
    CASE 9
done:
    REPORT
    .size _start, . - _start

    .section .rodata
table:
    .byte (case0 - base) / 4, (case1 - base) / 4, (case2 - base) / 4, (case3 - base) / 4
    .byte (case4 - base) / 4, (case5 - base) / 4, (case6 - base) / 4, (case7 - base) / 4
    .byte (case8 - base) / 4, (case9 - base) / 4

    .data
    .balign 4
/* Case indices, -1 ending them; 10 and 200 are out of range. */
order:
    .word 3, 0, 9, 5, 5, 10, 1, 8, 2, 7, 4, 6, 200, 2, 6, 9, 0, -1
