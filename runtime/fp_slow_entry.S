/*
 * The floating-point slow paths (lift/a64/sem/fp_slow.c) as translated code calls them: with
 * LLVM's preserve_all convention (emit/fp_slow_calls.c), so that a call on a cold path does not
 * make the hot path around it keep its values on the stack. Every SSE register is caller-saved in
 * the C convention, and a loop of floating-point operations, each with its slow-path call, had
 * spilled most of its values. These entries keep the promise for a C callee: they save the
 * general registers the C convention lets it clobber and the extended state (XSAVE of the
 * register components, FXSAVE on CPUs without XSAVE), call it, and restore all but the result
 * registers (rax and xmm0 for rt_fp_slow; none for rt_fp_slow_vec, whose result goes through
 * memory). R11 is preserve_all's scratch register.
 */
    .text

/* XSAVE/XRSTOR take the components in edx:eax: those that hold registers a compiler keeps values
 * in -- x87, SSE, AVX and AVX-512's opmasks and upper ZMM state (bits 0-2 and 5-7). Not AMX's
 * tiles, which the kernel keeps disabled (XFD) until a process asks for them, nor PKRU. Bits the
 * kernel did not enable are ignored. */
.macro REGISTER_COMPONENTS
    mov $0xe7, %eax
    xor %edx, %edx
.endm

.macro SAVING_ENTRY name, target, sse_result
    .globl \name
    .hidden \name
    .type \name, @function
    .p2align 4
\name:
    push %rbp
    mov %rsp, %rbp
    push %rcx             /* -8(%rbp) */
    push %rdx             /* -16 */
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10             /* -56 */
    push %rax             /* -64: rax, then the result's rax */
    sub $8, %rsp          /* -72: the result's xmm0 */
    mov rt_xstate_size(%rip), %r11d
    test %r11d, %r11d
    jz 1f
    sub %r11, %rsp
    and $-64, %rsp
    /* XRSTOR faults on a header with a bit set beyond the enabled components or any byte after
     * XSTATE_BV set, and XSAVE writes only XSTATE_BV's bits of the components it saves. */
    xor %eax, %eax
    .irp off, 512, 520, 528, 536, 544, 552, 560, 568
    mov %rax, \off(%rsp)
    .endr
    REGISTER_COMPONENTS
    xsave64 (%rsp)
    jmp 2f
1:  sub $512, %rsp
    and $-16, %rsp
    fxsave64 (%rsp)
2:  mov -16(%rbp), %rdx
    call \target
.if \sse_result
    mov %rax, -64(%rbp)
    movq %xmm0, -72(%rbp)
.endif
    mov rt_xstate_size(%rip), %r11d
    test %r11d, %r11d
    jz 3f
    REGISTER_COMPONENTS
    xrstor64 (%rsp)
    jmp 4f
3:  fxrstor64 (%rsp)
4:
.if \sse_result
    movq -72(%rbp), %xmm0
.endif
    mov -64(%rbp), %rax
    lea -56(%rbp), %rsp
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbp
    ret
    .size \name, . - \name
.endm

/* tests/fpslow/entry_check.S instantiates the macro alone, around a callee that clobbers every
 * register the C convention allows. */
#ifndef SAVING_ENTRY_ONLY
SAVING_ENTRY rt_fp_slow, fp_slow_impl, 1
SAVING_ENTRY rt_fp_slow_vec, fp_slow_vec_impl, 0
#endif

    .section .note.GNU-stack, "", @progbits
