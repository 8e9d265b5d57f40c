/*
 * interp: a bytecode interpreter that dispatches through function pointers -- every instruction
 * is an indirect call to its handler, which returns the next program counter. The program is a
 * loop of stack arithmetic and a conditional update, about 25 instructions per iteration.
 * Usage: interp [iterations]   Output: the program's result.
 */
#include "bench.h"

struct vm {
    uint64_t stack[16];
    int sp;
    uint64_t reg[4];
};

struct insn;
typedef long (*handler)(struct vm *, long pc, uint64_t arg);
struct insn {
    handler fn;
    uint64_t arg;
};

static uint64_t pop(struct vm *vm)
{
    return vm->stack[--vm->sp];
}

static void push(struct vm *vm, uint64_t v)
{
    vm->stack[vm->sp++] = v;
}

static long op_push(struct vm *vm, long pc, uint64_t arg)
{
    push(vm, arg);
    return pc + 1;
}

static long op_load(struct vm *vm, long pc, uint64_t arg)
{
    push(vm, vm->reg[arg]);
    return pc + 1;
}

static long op_store(struct vm *vm, long pc, uint64_t arg)
{
    vm->reg[arg] = pop(vm);
    return pc + 1;
}

#define BINARY(name, expr)                                                                         \
    static long op_##name(struct vm *vm, long pc, uint64_t arg)                                    \
    {                                                                                              \
        (void)arg;                                                                                 \
        uint64_t b = pop(vm), a = pop(vm);                                                         \
        push(vm, expr);                                                                            \
        return pc + 1;                                                                             \
    }
BINARY(add, a + b)
BINARY(mul, a *b)
BINARY(mod, a % b)
BINARY(xor, a ^ b)
BINARY(and, a &b)
BINARY(shr, a >> (b & 63))
BINARY(lt, a < b)

static long op_jz(struct vm *vm, long pc, uint64_t arg)
{
    return pop(vm) == 0 ? (long)arg : pc + 1;
}

static long op_jmp(struct vm *vm, long pc, uint64_t arg)
{
    (void)vm;
    (void)pc;
    return (long)arg;
}

static long op_halt(struct vm *vm, long pc, uint64_t arg)
{
    (void)vm;
    (void)pc;
    (void)arg;
    return -1;
}

/* r0 = i, r1 = acc, r2 = n:
 *   while (i < n) { acc = (acc * 31 + i) % 1000003; if (i & 3) acc ^= i >> 1; i++; } */
static const struct insn program[] = {
    /* 0 */ {op_load, 0},  {op_load, 2},       {op_lt, 0},   {op_jz, 29},
    /* 4 */ {op_load, 1},  {op_push, 31},      {op_mul, 0},  {op_load, 0},
    /* 8 */ {op_add, 0},   {op_push, 1000003}, {op_mod, 0},  {op_store, 1},
    /* 12 */ {op_load, 0}, {op_push, 3},       {op_and, 0},  {op_jz, 23},
    /* 16 */ {op_load, 1}, {op_load, 0},       {op_push, 1}, {op_shr, 0},
    /* 20 */ {op_xor, 0},  {op_store, 1},      {op_jmp, 23},
    /* 23 */ {op_load, 0}, {op_push, 1},       {op_add, 0},  {op_store, 0},
    /* 27 */ {op_jmp, 0},  {op_halt, 0},
    /* 29 */ {op_halt, 0},
};

int main(int argc, char **argv)
{
    static struct vm vm;
    vm.reg[2] = (uint64_t)bench_size(argc, argv, 10000000);
    long executed = 0;
    for (long pc = 0; pc >= 0; executed++)
        pc = program[pc].fn(&vm, pc, program[pc].arg);
    printf("acc %llu after %ld instructions\n", (unsigned long long)vm.reg[1], executed);
    return 0;
}
