/*
 * A computed goto over labels spread thinly (29 words of code before each, 33 apart), which
 * the lifter turns into a table of block addresses (lift.c, gen_target_table): every label is
 * reached from one BR, in an order the table gives, and so are addresses that are no label, in the
 * runs of code before the labels, which only the lookup at run time can reach. Each run of code
 * counts in x20 how much of it ran and each label mixes in its number, so a wrong target changes
 * the result. Writes x20's eight bytes to stdout and exits 0.
 */
#include "mix.inc"

    START
    adrp x22, skip
    add x22, x22, :lo12:skip
next:
    ldr x1, [x19, x21, lsl #3]
    cbz x1, done
    ldr x2, [x22, x21, lsl #3]
    add x21, x21, #1
    sub x1, x1, x2
    br x1

.macro LABEL n
    .rept 29
    add x20, x20, #1
    .endr
label\n:
    MIX \n
.endm
    LABEL 0
    LABEL 1
    LABEL 2
    LABEL 3
    LABEL 4
    LABEL 5
    LABEL 6
    LABEL 7
    LABEL 8
    LABEL 9

done:
    REPORT
    .size _start, . - _start

    .data
    .balign 8
/* The labels, in the order they are taken; `skip` backs up from some of them into the code
 * before (a multiple of 4 bytes: an instruction boundary). */
order:
    .quad label3, label0, label9, label5, label5, label1, label8, label2, label7, label4, label6
    .quad label2, label6, label9, label0
    .quad 0
skip:
    .quad 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    .quad 4, 40, 116, 8
