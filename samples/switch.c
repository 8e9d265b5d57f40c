/*
 * switch: multiway branches -- a dense 16-case switch (a jump table at -O2: an indirect branch
 * through a table of offsets the translator must recover), a dense switch on a char class
 * inside a tokenizer state machine, a sparse switch (compare trees), Duff's device (jumping
 * into the middle of a loop), and switches whose cases fall through.
 * Exit status: the token count of the tokenizer input, modulo 256.
 */
#include "sample.h"

#include <stdio.h>
#include <string.h>

static unsigned dense(unsigned op, unsigned a, unsigned b)
{
    switch (op & 15) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return b ? a / b : 0;
    case 4: return b ? a % b : 0;
    case 5: return a & b;
    case 6: return a | b;
    case 7: return a ^ b;
    case 8: return a << (b & 31);
    case 9: return a >> (b & 31);
    case 10: return (a << (b & 31)) | (a >> (-b & 31));
    case 11: return a < b ? a : b;
    case 12: return a > b ? a : b;
    case 13: return ~a;
    case 14: return (unsigned)__builtin_popcount(a ^ b);
    default: return a * 2654435761u;
    }
}

static int sparse(int x)
{
    switch (x) {
    case -1000000: return 1;
    case -7: return 2;
    case 0: return 3;
    case 3: return 4;
    case 100: return 5;
    case 1000: return 6;
    case 65536: return 7;
    case 1 << 30: return 8;
    default: return 0;
    }
}

/* Falls through from the entry point down: the result counts the cases passed. */
static int fallthrough(int x)
{
    int r = 0;
    switch (x) {
    case 5: r += 16; /* fall through */
    case 4: r += 8;  /* fall through */
    case 3: r += 4;  /* fall through */
    case 2: r += 2;  /* fall through */
    case 1: r += 1; break;
    case 0: r = -1; break;
    default: r = 100;
    }
    return r;
}

/* Duff's device: copy n bytes, eight per loop trip, entering the loop mid-body. */
static void duff_copy(unsigned char *to, const unsigned char *from, size_t n)
{
    if (n == 0)
        return;
    size_t trips = (n + 7) / 8;
    switch (n % 8) {
    case 0: do { *to++ = *from++; /* fall through */
        case 7: *to++ = *from++;  /* fall through */
        case 6: *to++ = *from++;  /* fall through */
        case 5: *to++ = *from++;  /* fall through */
        case 4: *to++ = *from++;  /* fall through */
        case 3: *to++ = *from++;  /* fall through */
        case 2: *to++ = *from++;  /* fall through */
        case 1: *to++ = *from++;
        } while (--trips > 0);
    }
}

enum cls { C_SPACE, C_DIGIT, C_ALPHA, C_PUNCT, C_QUOTE, C_OTHER };
static enum cls classify(unsigned char ch)
{
    switch (ch) {
    case ' ':
    case '\t':
    case '\n': return C_SPACE;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': return C_DIGIT;
    case '"': return C_QUOTE;
    case '+':
    case '-':
    case '*':
    case '/':
    case '(':
    case ')':
    case ';':
    case '=':
    case '<':
    case '>':
    case '{':
    case '}': return C_PUNCT;
    default: return (ch | 32) >= 'a' && (ch | 32) <= 'z' ? C_ALPHA : ch == '_' ? C_ALPHA : C_OTHER;
    }
}

/* Counts tokens by kind: numbers, identifiers, punctuation, strings, errors. */
static int tokenize(const char *s, int counts[5])
{
    enum { START, NUM, IDENT, STR } state = START;
    int total = 0;
    for (const char *p = s;; p++) {
        unsigned char ch = (unsigned char)*p;
        enum cls c = ch ? classify(ch) : C_SPACE;
        switch (state) {
        case NUM:
            if (c == C_DIGIT)
                continue;
            state = START;
            break;
        case IDENT:
            if (c == C_ALPHA || c == C_DIGIT)
                continue;
            state = START;
            break;
        case STR:
            if (!ch) {
                counts[4]++; /* unterminated */
                return total;
            }
            if (c == C_QUOTE)
                state = START;
            continue;
        case START: break;
        }
        if (!ch)
            return total;
        switch (c) {
        case C_SPACE: break;
        case C_DIGIT:
            state = NUM;
            counts[0]++;
            total++;
            break;
        case C_ALPHA:
            state = IDENT;
            counts[1]++;
            total++;
            break;
        case C_PUNCT:
            counts[2]++;
            total++;
            break;
        case C_QUOTE:
            state = STR;
            counts[3]++;
            total++;
            break;
        case C_OTHER:
            counts[4]++;
            total++;
            break;
        }
    }
}

int main(void)
{
    uint64_t s = 99;
    unsigned acc = 1;
    unsigned hist[16] = {0};
    for (int i = 0; i < 200000; i++) {
        unsigned op = (unsigned)rng_next(&s);
        hist[op & 15]++;
        acc = dense(op, acc, (unsigned)(rng_next(&s) >> 40)) + (unsigned)i;
    }
    printf("dense: %08x, hist", acc);
    for (int i = 0; i < 16; i++)
        printf(" %u", hist[i]);
    printf("\n");

    static const int probes[] = {-1000000, -7, 0, 3, 100, 1000, 65536, 1 << 30, 1, -1, 99, 1001};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        printf("sparse(%d)=%d ", probes[i], sparse(probes[i]));
    printf("\n");
    for (int i = -1; i <= 6; i++)
        printf("fallthrough(%d)=%d ", i, fallthrough(i));
    printf("\n");

    unsigned char src[300], dst[300];
    for (int i = 0; i < 300; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    uint64_t h = FNV_INIT;
    for (size_t n = 0; n <= 64; n++) {
        memset(dst, 0xee, sizeof dst);
        duff_copy(dst + 1, src + n, n * 3);
        h = fnv(h, dst, sizeof dst);
    }
    printf("duff: %016llx\n", (unsigned long long)h);

    const char *prog = "int main() { x = 42 + y_1 * (7 - z); s = \"a \\ b\"; if (x < 10) { q = "
                       "x / 3; } @ return foo(bar, 123456789) ; $ \"unterminated";
    int counts[5] = {0};
    int total = tokenize(prog, counts);
    printf("tokens: %d (numbers %d, identifiers %d, punctuation %d, strings %d, other %d)\n", total,
           counts[0], counts[1], counts[2], counts[3], counts[4]);
    return total & 255;
}
