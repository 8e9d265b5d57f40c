/*
 * The register-saving entry (runtime/fp_slow_entry.S) around a callee that clobbers every general
 * and SSE register the C convention lets it, and the run that checks them: entry_check.c.
 */
#define SAVING_ENTRY_ONLY
#include "fp_slow_entry.S"

    .text
SAVING_ENTRY check_entry, clobber_all, 1

/* C convention: returns {double 1.5, uint32_t 7}; every caller-saved register left garbage. */
    .p2align 4
clobber_all:
    mov $0xdead0001, %ecx
    mov $0xdead0002, %edx
    mov $0xdead0003, %esi
    mov $0xdead0004, %edi
    mov $0xdead0005, %r8d
    mov $0xdead0006, %r9d
    mov $0xdead0007, %r10d
    mov $0xdead0008, %r11d
    .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    pcmpeqd %xmm\n, %xmm\n
    .endr
    mov $0x3ff8000000000000, %rax
    movq %rax, %xmm0
    mov $7, %eax
    ret

/* void check_run(uint64_t in[24], uint64_t out[24]): rcx, rdx, rsi, r8, r9, r10 and xmm1..xmm15
 * (low 64 bits) from in[0..5] and in[6..20], the call, then every one of them, and rax and xmm0,
 * to out in the same order (out[21] rax, out[22] xmm0). rdi and rsi carry the arrays, so rdi is
 * checked through out[23] instead: the value it had. */
    .globl check_run
    .type check_run, @function
    .p2align 4
check_run:
    push %rbx
    push %rbp
    push %rsi              /* out */
    mov %rdi, %rbx         /* in, kept in a callee-saved register */
    mov 0(%rbx), %rcx
    mov 8(%rbx), %rdx
    mov 16(%rbx), %rsi
    mov 24(%rbx), %r8
    mov 32(%rbx), %r9
    mov 40(%rbx), %r10
    .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    movq 48+8*(\n-1)(%rbx), %xmm\n
    .endr
    mov 184(%rbx), %rdi
    call check_entry
    mov (%rsp), %rbp       /* out */
    mov %rcx, 0(%rbp)
    mov %rdx, 8(%rbp)
    mov %rsi, 16(%rbp)
    mov %r8, 24(%rbp)
    mov %r9, 32(%rbp)
    mov %r10, 40(%rbp)
    .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    movq %xmm\n, 48+8*(\n-1)(%rbp)
    .endr
    mov %rax, 168(%rbp)
    movq %xmm0, 176(%rbp)
    mov %rdi, 184(%rbp)
    pop %rsi
    pop %rbp
    pop %rbx
    ret
    .size check_run, . - check_run

    .section .note.GNU-stack, "", @progbits
