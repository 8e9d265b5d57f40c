/*
 * Calls between translated code and code generated at run time, which only the fallback runs:
 * arguments and results must cross in both directions with the registers that translated code
 * passes in host registers (lift/call_abi.h) -- x0, x1, x2 and SP -- and with those it does not.
 *   - translated code calls a copy of jit_src (so: not translated) with x0..x3; the copy keeps
 *     a frame and x19 on the stack, calls back into translated code with x0..x2, and returns a
 *     pair in x0 and x1;
 *   - the callback calls the copy again, down to a depth, so frames alternate;
 *   - a copy of jit_tail branches (BR, no return) to translated code, which returns the pair to
 *     translated code past the copy.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

struct pair {
    uint64_t a, b;
};
typedef struct pair jit_fn(uint64_t x, uint64_t y, uint64_t depth, void *cb);

/* (x, y, depth, cb): calls cb(x * 3 + depth, y ^ x, depth) and returns {its x0 + x + y, x19'} */
extern const uint32_t jit_src[], jit_src_end[], jit_tail[], jit_tail_end[];
__asm__(".text\n"
        ".globl jit_src, jit_src_end, jit_tail, jit_tail_end\n"
        "jit_src:\n"
        "  stp x29, x30, [sp, #-48]!\n"
        "  mov x29, sp\n"
        "  stp x19, x20, [sp, #16]\n"
        "  str x0, [sp, #32]\n"
        "  add x19, x0, x1\n"
        "  eor x1, x1, x0\n"
        "  add x20, x0, x0, lsl #1\n"
        "  add x0, x20, x2\n"
        "  blr x3\n"
        "  add x0, x0, x19\n"
        "  ldr x1, [sp, #32]\n"
        "  eor x1, x1, x19, ror #7\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x29, x30, [sp], #48\n"
        "  ret\n"
        "jit_src_end:\n"
        /* (x, y, depth, cb): x0 = x + 1, x1 = y * 5, then BR to cb with x2 = depth */
        "jit_tail:\n"
        "  add x0, x0, #1\n"
        "  add x1, x1, x1, lsl #2\n"
        "  br x3\n"
        "jit_tail_end:\n");

static jit_fn *jit, *tail;

static jit_fn *place(const uint32_t *from, const uint32_t *to)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    memcpy(p, from, (size_t)(to - from) * 4);
    if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0)
        return NULL;
    __builtin___clear_cache(p, (char *)p + 4096);
    return (jit_fn *)p;
}

static uint64_t back(uint64_t x, uint64_t y, uint64_t depth)
{
    if (depth == 0)
        return x * 7 + y;
    struct pair r = jit(x + 1, y * 3, depth - 1, (void *)back);
    return r.a ^ r.b;
}

/* Translated code that the tail copy branches to: returns straight to the copy's caller. */
static struct pair tail_target(uint64_t x, uint64_t y, uint64_t depth)
{
    return (struct pair){x * y + depth, x - y};
}

int main(void)
{
    jit = place(jit_src, jit_src_end);
    tail = place(jit_tail, jit_tail_end);
    if (!jit || !tail) {
        printf("mmap or mprotect failed\n");
        return 1;
    }
    uint64_t sum = 0;
    for (uint64_t i = 0; i < 40; i++) {
        struct pair r = jit(i * 0x9e3779b97f4a7c15u, i + 11, i % 6, (void *)back);
        sum = sum * 31 + r.a + (r.b << 1);
        if (i % 8 == 0)
            printf("jit(%llu): %016llx %016llx\n", (unsigned long long)i, (unsigned long long)r.a,
                   (unsigned long long)r.b);
        r = tail(i, i * i + 3, i % 5, (void *)tail_target);
        sum = sum * 31 + r.a + r.b;
    }
    printf("sum %016llx\n", (unsigned long long)sum);
    return 0;
}
