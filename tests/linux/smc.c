/*
 * Self-modifying code in the program's own, translated, code: a page of it made writable,
 * changed and made executable again, with the cache maintenance Arm requires
 * (__builtin___clear_cache), after which the new instructions run:
 *   - through a function pointer (an indirect call);
 *   - through a direct call (BL) from code that was translated before the change;
 *   - in the function that asked for the change, right after the call that made it;
 *   - in a loop that calls a function changed on some iterations;
 * and a page made writable and executable again without a change runs as before. Each function
 * that changes sits alone in a page of its own, so changing it changes nothing else.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Instructions: MOVZ w0, #imm and RET. */
static uint32_t movz_w0(unsigned imm)
{
    return 0x52800000u | (imm & 0xffff) << 5;
}

int by_pointer(void), by_call(void), self_changing(void);
extern uint32_t self_changing_site[];
__asm__(".text\n"
        ".p2align 12\n"
        ".globl by_pointer\n"
        ".type by_pointer, %function\n"
        "by_pointer:\n"
        "  mov w0, #1\n"
        "  ret\n"
        ".size by_pointer, .-by_pointer\n"
        ".p2align 12\n"
        ".globl by_call\n"
        ".type by_call, %function\n"
        "by_call:\n"
        "  mov w0, #10\n"
        "  ret\n"
        ".size by_call, .-by_call\n"
        ".p2align 12\n"
        /* Calls change_site(), which rewrites the MOV after the call. */
        ".globl self_changing, self_changing_site\n"
        ".type self_changing, %function\n"
        "self_changing:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  bl change_site\n"
        "self_changing_site:\n"
        "  mov w0, #100\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".size self_changing, .-self_changing\n"
        ".p2align 12\n");

/* Writes one instruction at `at`, as a JIT or a hot patch would. */
static void write_insn(uint32_t *at, uint32_t insn)
{
    long page = sysconf(_SC_PAGESIZE);
    void *p = (void *)((uintptr_t)at & ~(uintptr_t)(page - 1));
    if (mprotect(p, (size_t)page, PROT_READ | PROT_WRITE) != 0) {
        printf("mprotect RW failed\n");
        return;
    }
    memcpy(at, &insn, sizeof insn);
    if (mprotect(p, (size_t)page, PROT_READ | PROT_EXEC) != 0)
        printf("mprotect RX failed\n");
    __builtin___clear_cache((char *)at, (char *)(at + 1));
}

static unsigned next_site = 101;

void change_site(void)
{
    write_insn(self_changing_site, movz_w0(next_site++));
}

/* A direct call from translated code: the compiler cannot drop it or see what it returns. */
__attribute__((noinline)) static int call_by_call(void)
{
    return by_call();
}

int main(void)
{
    int (*volatile fn)(void) = by_pointer;
    printf("by pointer: %d\n", fn());
    for (unsigned v = 2; v < 5; v++) {
        write_insn((uint32_t *)(void *)by_pointer, movz_w0(v));
        printf("by pointer after the change to %u: %d\n", v, fn());
    }

    printf("by call: %d\n", call_by_call());
    write_insn((uint32_t *)(void *)by_call, movz_w0(11));
    printf("by call after the change: %d\n", call_by_call());

    for (int i = 0; i < 3; i++)
        printf("self-changing: %d\n", self_changing());

    int sum = 0;
    for (unsigned i = 0; i < 40; i++) {
        if (i % 10 == 0)
            write_insn((uint32_t *)(void *)by_call, movz_w0(20 + i));
        sum += call_by_call();
    }
    printf("loop sum: %d\n", sum);

    uint32_t same;
    memcpy(&same, (void *)by_call, sizeof same);
    write_insn((uint32_t *)(void *)by_call, same);
    printf("by call after an unchanged write: %d\n", call_by_call());
    return 0;
}
