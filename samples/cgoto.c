/*
 * cgoto: a bytecode interpreter threaded with GNU labels-as-values (computed goto): each handler
 * ends in `goto *labels[next opcode]`, an indirect branch whose targets are code addresses stored
 * in a data table. Runs small programs (a loop sum, iterative Fibonacci, a prime sieve count, a
 * call/return pair, Collatz lengths) and reports the results and the opcode counts.
 * Exit status: the number of primes below 1000 (168).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum op {
    PUSH,
    LOAD,
    STORE,
    ADD,
    SUB,
    MUL,
    DIV,
    MOD,
    LT,
    JMP,
    JZ,
    JNZ,
    CALL,
    RET,
    DUP,
    DROP,
    HALT,
    NOPS
};
static const char *const op_names[NOPS] = {"push", "load", "store", "add",  "sub", "mul",
                                           "div",  "mod",  "lt",    "jmp",  "jz",  "jnz",
                                           "call", "ret",  "dup",   "drop", "halt"};

struct vm {
    long stack[256], vars[16];
    int rstack[32];
    unsigned long counts[NOPS];
};

static long run(struct vm *vm, const int *code)
{
    static void *const labels[NOPS] = {&&l_push, &&l_load, &&l_store, &&l_add,  &&l_sub, &&l_mul,
                                       &&l_div,  &&l_mod,  &&l_lt,    &&l_jmp,  &&l_jz,  &&l_jnz,
                                       &&l_call, &&l_ret,  &&l_dup,   &&l_drop, &&l_halt};
    long *sp = vm->stack;
    int *rsp = vm->rstack;
    const int *pc = code;
#define NEXT                                                                                       \
    do {                                                                                           \
        vm->counts[*pc]++;                                                                         \
        goto *labels[*pc++];                                                                       \
    } while (0)
    NEXT;
l_push:
    *sp++ = *pc++;
    NEXT;
l_load:
    *sp++ = vm->vars[*pc++];
    NEXT;
l_store:
    vm->vars[*pc++] = *--sp;
    NEXT;
l_add:
    sp--;
    sp[-1] += sp[0];
    NEXT;
l_sub:
    sp--;
    sp[-1] -= sp[0];
    NEXT;
l_mul:
    sp--;
    sp[-1] *= sp[0];
    NEXT;
l_div:
    sp--;
    sp[-1] /= sp[0];
    NEXT;
l_mod:
    sp--;
    sp[-1] %= sp[0];
    NEXT;
l_lt:
    sp--;
    sp[-1] = sp[-1] < sp[0];
    NEXT;
l_jmp:
    pc = code + *pc;
    NEXT;
l_jz:
    pc = *--sp ? pc + 1 : code + *pc;
    NEXT;
l_jnz:
    pc = *--sp ? code + *pc : pc + 1;
    NEXT;
l_call:
    *rsp++ = (int)(pc + 1 - code);
    pc = code + *pc;
    NEXT;
l_ret:
    pc = code + *--rsp;
    NEXT;
l_dup:
    sp[0] = sp[-1];
    sp++;
    NEXT;
l_drop:
    sp--;
    NEXT;
l_halt:
    return sp > vm->stack ? sp[-1] : 0;
#undef NEXT
}

/* A two-pass assembler for the VM: words separated by spaces; "name:" defines a label, "@name"
 * refers to one, numbers are operands, anything else is an opcode name. */
static int assemble(const char *text, int *code, int max)
{
    enum { MAXL = 32 };
    char names[MAXL][16];
    int addr[MAXL], nl = 0, n = 0;
    for (int pass = 0; pass < 2; pass++) {
        n = 0;
        for (const char *p = text; *p;) {
            while (*p == ' ' || *p == '\n')
                p++;
            size_t len = strcspn(p, " \n");
            if (!len)
                break;
            char w[16];
            if (len >= sizeof w)
                return -1;
            memcpy(w, p, len);
            w[len] = 0;
            p += len;
            if (w[len - 1] == ':') {
                w[len - 1] = 0;
                if (pass == 0 && nl < MAXL) {
                    strcpy(names[nl], w);
                    addr[nl++] = n;
                }
                continue;
            }
            int v = -1;
            if (w[0] == '@') {
                for (int i = 0; i < nl; i++)
                    if (!strcmp(names[i], w + 1))
                        v = addr[i];
                if (pass == 1 && v < 0)
                    return -1;
            } else if ((w[0] >= '0' && w[0] <= '9') || w[0] == '-') {
                v = atoi(w);
            } else {
                for (int op = 0; op < NOPS; op++)
                    if (!strcmp(op_names[op], w))
                        v = op;
                if (v < 0)
                    return -1;
            }
            if (n >= max)
                return -1;
            code[n++] = v;
        }
    }
    return n;
}

/* vars: 0 s, 1 i.  The sum of i*i for i < 1000. */
static const char prog_sum[] = "push 0 store 0 push 0 store 1\n"
                               "loop: load 1 push 1000 lt jz @done\n"
                               "  load 0 load 1 load 1 mul add store 0\n"
                               "  load 1 push 1 add store 1 jmp @loop\n"
                               "done: load 0 halt";

/* vars: 0 a, 1 b, 2 n.  Iterative Fibonacci(80). */
static const char prog_fib[] = "push 0 store 0 push 1 store 1 push 80 store 2\n"
                               "loop: load 2 jz @done\n"
                               "  load 0 load 1 dup store 0 add store 1\n"
                               "  load 2 push 1 sub store 2 jmp @loop\n"
                               "done: load 0 halt";

/* vars: 0 count, 1 n, 2 d.  Primes below 1000 by trial division in a subroutine. */
static const char prog_primes[] = "push 0 store 0 push 2 store 1\n"
                                  "loop: load 1 push 1000 lt jz @done\n"
                                  "  call @isprime jz @next\n"
                                  "  load 0 push 1 add store 0\n"
                                  "next: load 1 push 1 add store 1 jmp @loop\n"
                                  "done: load 0 halt\n"
                                  "isprime: push 2 store 2\n"
                                  "try: load 2 load 2 mul load 1 push 1 add lt jz @yes\n"
                                  "  load 1 load 2 mod jz @no\n"
                                  "  load 2 push 1 add store 2 jmp @try\n"
                                  "yes: push 1 ret\n"
                                  "no: push 0 ret";

/* vars: 0 best, 1 bestlen, 2 n, 3 x, 4 len.  The longest Collatz chain starting below 3000;
 * halving is a subroutine. */
static const char prog_collatz[] = "push 0 store 0 push 0 store 1 push 1 store 2\n"
                                   "outer: load 2 push 3000 lt jz @done\n"
                                   "  load 2 store 3 push 0 store 4\n"
                                   "step: load 3 push 1 sub jz @end\n"
                                   "  load 3 push 2 mod jnz @odd\n"
                                   "  call @halve jmp @count\n"
                                   "odd: load 3 push 3 mul push 1 add store 3\n"
                                   "count: load 4 push 1 add store 4 jmp @step\n"
                                   "end: load 1 load 4 lt jz @next\n"
                                   "  load 4 store 1 load 2 store 0\n"
                                   "next: load 2 push 1 add store 2 jmp @outer\n"
                                   "done: load 0 halt\n"
                                   "halve: load 3 push 2 div store 3 ret";

int main(void)
{
    static const struct {
        const char *name;
        const char *text;
    } progs[] = {{"sum of squares", prog_sum},
                 {"fib(80)", prog_fib},
                 {"primes<1000", prog_primes},
                 {"collatz<3000", prog_collatz}};
    long primes = 0;
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
        int code[256];
        int n = assemble(progs[i].text, code, 256);
        struct vm *vm = calloc(1, sizeof *vm);
        if (n < 0 || !vm) {
            printf("%s: cannot assemble\n", progs[i].name);
            return 1;
        }
        long r = run(vm, code);
        if (progs[i].text == prog_primes)
            primes = r;
        printf("%s = %ld (%d words)\n ", progs[i].name, r, n);
        for (int op = 0; op < NOPS; op++)
            if (vm->counts[op])
                printf(" %s:%lu", op_names[op], vm->counts[op]);
        printf("\n");
        if (progs[i].text == prog_collatz)
            printf("  longest chain length %ld\n", vm->vars[1]);
        free(vm);
    }
    return (int)primes;
}
