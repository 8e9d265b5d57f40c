/*
 * recursion: deep and branchy recursion -- Ackermann (deep, non-tail), n-queens by backtracking
 * (bitmasks, many calls and returns), mutual recursion, naive Fibonacci, Towers of Hanoi, a
 * recursive-descent expression evaluator, and a 100000-deep linked recursion that needs a big
 * stack. Every guest bl/ret pair becomes a host call/return in the translation.
 * Exit status: the number of 8-queens solutions (92).
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long ack(unsigned long m, unsigned long n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2)
{
    if (row == n)
        return 1;
    int count = 0;
    unsigned avail = ~(cols | d1 | d2) & ((1u << n) - 1);
    while (avail) {
        unsigned bit = avail & -avail;
        avail &= avail - 1;
        count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
    }
    return count;
}

static int is_odd(unsigned n);
static int is_even(unsigned n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}
static int is_odd(unsigned n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

static unsigned fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static unsigned long hanoi_moves;
static unsigned long hanoi_hash;
static void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    hanoi_moves++;
    hanoi_hash = hanoi_hash * 31 + (unsigned long)(from * 3 + to);
    hanoi(n - 1, via, to, from);
}

/* expr := term (('+'|'-') term)*; term := factor (('*'|'/'|'%') factor)*;
 * factor := number | '-' factor | '(' expr ')' */
static const char *src;
static long expr(void);
static long factor(void)
{
    if (*src == '-') {
        src++;
        return -factor();
    }
    if (*src == '(') {
        src++;
        long v = expr();
        if (*src == ')')
            src++;
        return v;
    }
    long v = 0;
    while (*src >= '0' && *src <= '9')
        v = v * 10 + (*src++ - '0');
    return v;
}
static long term(void)
{
    long v = factor();
    for (;;) {
        char op = *src;
        if (op != '*' && op != '/' && op != '%')
            return v;
        src++;
        long r = factor();
        v = op == '*' ? v * r : r == 0 ? 0 : op == '/' ? v / r : v % r;
    }
}
static long expr(void)
{
    long v = term();
    while (*src == '+' || *src == '-') {
        char op = *src++;
        long r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}
static long eval(const char *s)
{
    src = s;
    return expr();
}

struct node {
    struct node *next;
    long value;
};
static long sum_list(const struct node *n)
{
    return n ? n->value + sum_list(n->next) : 0;
}

int main(void)
{
    for (unsigned long m = 0; m <= 3; m++)
        for (unsigned long n = 0; n <= 5; n++)
            printf("ack(%lu,%lu)=%lu%c", m, n, ack(m, n), n == 5 ? '\n' : ' ');
    printf("ack(2,500)=%lu ack(3,7)=%lu\n", ack(2, 500), ack(3, 7));

    int sol8 = 0;
    for (int n = 1; n <= 10; n++) {
        int s = queens(n, 0, 0, 0, 0);
        if (n == 8)
            sol8 = s;
        printf("queens(%d)=%d\n", n, s);
    }
    printf("is_even(10001)=%d is_odd(7777)=%d\n", is_even(10001), is_odd(7777));
    printf("fib(27)=%u\n", fib(27));
    hanoi(16, 0, 2, 1);
    printf("hanoi(16): %lu moves, hash %lx\n", hanoi_moves, hanoi_hash);

    static const char *const exprs[] = {"1+2*3",           "(1+2)*3",       "-(4-10)*-3",
                                        "100/7%4+2*(3-5)", "((((((7))))))", "2*(3+(4*(5+(6*7))))",
                                        "123456789*1000",  "-9/2",          "-9%2"};
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
        printf("%s = %ld\n", exprs[i], eval(exprs[i]));

    enum { N = 100000 };
    struct node *nodes = malloc(N * sizeof *nodes);
    if (!nodes)
        return 1;
    for (long i = 0; i < N; i++)
        nodes[i] = (struct node){i + 1 < N ? &nodes[i + 1] : NULL, i * 3 - 7};
    printf("sum over %d-deep recursion = %ld\n", N, sum_list(nodes));
    free(nodes);
    return sol8;
}
