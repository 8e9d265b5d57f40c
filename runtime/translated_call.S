/*
 * The runtime's side of the convention of translated functions (lift/call_abi.h), which C cannot
 * express: rt_call runs one from C, and rt_interp_code and rt_fault_guard_code are the two C
 * functions that translated code reaches through the dispatch table, as translated code calls
 * them. The guest registers the convention passes in host registers are stale in the register
 * file while translated code runs; these entries write them there before C reads it and take
 * them from there after C has changed it. Both conventions keep rbx, rbp and r12-r15. Last,
 * rt_lookup_code is the lookup translated code calls when its inline probe misses. The CFI lets
 * debuggers walk the stack through them.
 */
#include "../lift/call_abi.h"

#if CALL_ABI_NREGS != 4
#error "the host registers below are for four guest registers"
#endif

/* The register file is at %rbx, x[] at its start (rt.h asserts that). */
#define X(r) (8 * (r))(%rbx)

/* The passed registers between the register file and their host registers: rdx, rcx and r8 both
 * ways, the fourth in r9 as an argument and in rax as a result. */
.macro TO_MEMORY fourth
    mov %rdx, X(CALL_ABI_REG0)
    mov %rcx, X(CALL_ABI_REG1)
    mov %r8, X(CALL_ABI_REG2)
    mov \fourth, X(CALL_ABI_REG3)
.endm
.macro FROM_MEMORY fourth
    mov X(CALL_ABI_REG0), %rdx
    mov X(CALL_ABI_REG1), %rcx
    mov X(CALL_ABI_REG2), %r8
    mov X(CALL_ABI_REG3), \fourth
.endm

/* A push and a pop that the CFI follows. */
.macro SAVE r
    push \r
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset \r, 0
.endm
.macro RESTORE r
    pop \r
    .cfi_adjust_cfa_offset -8
    .cfi_restore \r
.endm

    .text

/* void rt_call(rt_fn *fn, struct cpu *c, uint64_t va) */
    .globl rt_call
    .hidden rt_call
    .type rt_call, @function
    .p2align 4
rt_call:
    .cfi_startproc
    SAVE %rbx
    mov %rsi, %rbx
    mov %rdi, %r10
    mov %rsi, %rdi
    mov %rdx, %rsi
    FROM_MEMORY %r9
    call *%r10
    TO_MEMORY %rax
    RESTORE %rbx
    ret
    .cfi_endproc
    .size rt_call, . - rt_call

/* Translated code's call of `target` (struct cpu *, uint64_t va), which is in place already. */
.macro C_ENTRY name, target
    .globl \name
    .hidden \name
    .type \name, @function
    .p2align 4
\name:
    .cfi_startproc
    SAVE %rbx
    mov %rdi, %rbx
    TO_MEMORY %r9
    call \target
    FROM_MEMORY %rax
    RESTORE %rbx
    ret
    .cfi_endproc
    .size \name, . - \name
.endm

    C_ENTRY rt_interp_code, rt_interp
    C_ENTRY rt_fault_guard_code, rt_fault_guard
    C_ENTRY stale_call, rt_stale

/* A stale translation's entry, which smc.c made a call of this: the translation must not go on,
 * so the return address into it goes, and its caller gets what rt_stale returns. */
    .globl rt_stale_code
    .hidden rt_stale_code
    .type rt_stale_code, @function
    .p2align 4
rt_stale_code:
    .cfi_startproc
    .cfi_def_cfa_offset 16
    add $8, %rsp
    .cfi_def_cfa_offset 8
    jmp stale_call
    .cfi_endproc
    .size rt_stale_code, . - rt_stale_code

/* rt_lookup as translated code calls it, with LLVM's preserve_most convention: every general
 * register but r11 and the result's rax keeps its value. The arguments of the call that follows
 * the lookup are computed before it, and with C's convention they had to outlive the lookup in
 * the registers C keeps, which every function with an indirect branch then saved and restored
 * around its whole body. Seven pushes after the return address leave the stack 16-byte aligned
 * for the call. */
    .globl rt_lookup_code
    .hidden rt_lookup_code
    .type rt_lookup_code, @function
    .p2align 4
rt_lookup_code:
    .cfi_startproc
    .irp r, %rdi, %rsi, %rdx, %rcx, %r8, %r9, %r10
    SAVE \r
    .endr
    call rt_lookup
    .irp r, %r10, %r9, %r8, %rcx, %rdx, %rsi, %rdi
    RESTORE \r
    .endr
    ret
    .cfi_endproc
    .size rt_lookup_code, . - rt_lookup_code

    .section .note.GNU-stack, "", @progbits
