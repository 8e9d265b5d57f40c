/*
 * Host code the signal handler knows by address, as the kernel knows its exception tables:
 *
 * - Copies to and from guest memory. A guest pointer may be bad; the kernel answers -EFAULT, so
 *   must we, without probing first (another thread may unmap the page in between). The copy
 *   routines are leaf functions without stack use; when one faults, the handler moves the host
 *   pc to a landing that returns -EFAULT.
 *
 * - The syscall stub for calls that may block. A signal caught just before the `syscall`
 *   instruction would otherwise be handled only after the call returns -- for a blocking call,
 *   perhaps never (the lost-EINTR race). The stub tests rt_pending right before entering the
 *   kernel; when a signal arrives between that test and the kernel entry, the handler moves the
 *   host pc to a landing that returns -EINTR, as if the kernel had been interrupted.
 */
#include "rt.h"

#include <errno.h>
#include <string.h>
#include <ucontext.h>

/* All routines between rt_ua_begin and rt_ua_end are leaves that push nothing, so the fault
 * landing can return directly to their caller. */
__asm__(".text\n"
        ".globl rt_ua_begin, rt_ua_end, rt_copy, rt_copy_str\n"
        ".hidden rt_ua_begin, rt_ua_end, rt_copy, rt_copy_str\n"
        "rt_ua_begin:\n"
        /* long rt_copy(void *dst, const void *src, size_t n): 0 or -EFAULT */
        ".type rt_copy,@function\n"
        "rt_copy:\n"
        "  mov %rdx, %rcx\n"
        "  rep movsb\n"
        "  xor %eax, %eax\n"
        "  ret\n"
        /* long rt_copy_str(char *dst, const char *src, size_t max): the length without the NUL,
         * -EFAULT, or -ENAMETOOLONG when there is no NUL among the first max bytes. */
        ".type rt_copy_str,@function\n"
        "rt_copy_str:\n"
        "  xor %eax, %eax\n"
        "1:\n"
        "  cmp %rdx, %rax\n"
        "  jae 2f\n"
        "  movzbl (%rsi,%rax), %ecx\n"
        "  mov %cl, (%rdi,%rax)\n"
        "  test %cl, %cl\n"
        "  jz 3f\n"
        "  inc %rax\n"
        "  jmp 1b\n"
        "2:\n"
        "  mov $-36, %rax\n" /* ENAMETOOLONG */
        "3:\n"
        "  ret\n"
        "rt_ua_end:\n"
        "rt_ua_fault:\n"
        "  mov $-14, %rax\n" /* EFAULT */
        "  ret\n");

/* long rt_block_syscall(long nr, a, b, c, d, e, f) */
__asm__(".text\n"
        ".globl rt_block_syscall\n"
        ".hidden rt_block_syscall\n"
        ".type rt_block_syscall,@function\n"
        "rt_block_syscall:\n"
        "  mov %rdi, %rax\n"
        "  mov %rsi, %rdi\n"
        "  mov %rdx, %rsi\n"
        "  mov %rcx, %rdx\n"
        "  mov %r8, %r10\n"
        "  mov %r9, %r8\n"
        "  mov 8(%rsp), %r9\n"
        "  mov rt_pending@gottpoff(%rip), %r11\n" /* initial-exec, as rt.h declares it */
        "rt_safe_begin:\n"
        "  cmpl $0, %fs:(%r11)\n"
        "  jne rt_safe_eintr\n"
        "rt_safe_insn:\n"
        "  syscall\n"
        "rt_safe_end:\n"
        "  ret\n"
        "rt_safe_eintr:\n"
        "  mov $-4, %rax\n" /* EINTR */
        "  ret\n");

extern const char rt_ua_begin[], rt_ua_end[], rt_ua_fault[];
extern const char rt_safe_begin[], rt_safe_end[], rt_safe_eintr[];

long rt_copy_in(void *dst, uint64_t va, size_t n)
{
    return n ? rt_copy(dst, (const void *)(uintptr_t)va, n) : 0;
}

long rt_copy_out(uint64_t va, const void *src, size_t n)
{
    return n ? rt_copy((void *)(uintptr_t)va, src, n) : 0;
}

bool rt_fixup_fault(void *uc)
{
    greg_t *pc = &((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
    uintptr_t at = (uintptr_t)*pc;
    if (at >= (uintptr_t)rt_ua_begin && at < (uintptr_t)rt_ua_end) {
        *pc = (greg_t)(uintptr_t)rt_ua_fault;
        return true;
    }
    return false;
}

/* Weak: the runtime links into programs without translated code too (xlate-run). */
extern const int32_t __start_xlate_polls[] __attribute__((weak));
extern const int32_t __stop_xlate_polls[] __attribute__((weak));

bool rt_fixup_poll(const siginfo_t *si, void *uc)
{
    if ((uintptr_t)si->si_addr - (uintptr_t)rt_poll >= sizeof rt_poll)
        return false;
    greg_t *pc = &((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
    for (const int32_t *e = __start_xlate_polls; e && e + 2 <= __stop_xlate_polls; e += 2)
        if ((uintptr_t)e + (intptr_t)e[0] == (uintptr_t)*pc) {
            *pc = (greg_t)((uintptr_t)&e[1] + (intptr_t)e[1]);
            return true;
        }
    return false;
}

void rt_fixup_signal(void *uc)
{
    /* Up to and including the syscall instruction itself: the kernel also leaves the pc there
     * when it restarts a call, and then the call has not happened either. */
    greg_t *pc = &((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
    uintptr_t at = (uintptr_t)*pc;
    if (at >= (uintptr_t)rt_safe_begin && at < (uintptr_t)rt_safe_end)
        *pc = (greg_t)(uintptr_t)rt_safe_eintr;
}
