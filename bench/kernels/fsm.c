/*
 * fsm: a switch-heavy state machine -- a C-like lexer run over generated source text, one
 * character at a time: a switch on the state, and in most states a switch on the character
 * class (jump tables in both compilers' output). Tokens are counted by kind and their lengths
 * hashed.
 * Usage: fsm [rounds]   (rounds over 1 MiB of text)   Output: the token counts and a checksum.
 */
#include "bench.h"

#include <string.h>

enum { LEN = 1 << 20 };
enum cls { C_SPACE, C_ALPHA, C_DIGIT, C_QUOTE, C_SLASH, C_STAR, C_PUNCT, C_NL, C_DOT, C_OTHER };
enum state {
    S_START,
    S_IDENT,
    S_NUMBER,
    S_FRACTION,
    S_STRING,
    S_SLASH,
    S_LINE_COMMENT,
    S_BLOCK_COMMENT,
    S_BLOCK_STAR,
    S_PUNCT
};
enum kind { K_IDENT, K_NUMBER, K_STRING, K_COMMENT, K_PUNCT, K_LINES, NKINDS };

static char text[LEN + 1];
static unsigned char cls[256];

static void classify(void)
{
    memset(cls, C_OTHER, sizeof cls);
    for (int c = 'a'; c <= 'z'; c++)
        cls[c] = cls[c - 'a' + 'A'] = C_ALPHA;
    cls['_'] = C_ALPHA;
    for (int c = '0'; c <= '9'; c++)
        cls[c] = C_DIGIT;
    cls[' '] = cls['\t'] = C_SPACE;
    cls['\n'] = C_NL;
    cls['"'] = C_QUOTE;
    cls['/'] = C_SLASH;
    cls['*'] = C_STAR;
    cls['.'] = C_DOT;
    for (const char *p = "+-=<>!&|^%(){}[];,:?~"; *p; p++)
        cls[(unsigned char)*p] = C_PUNCT;
}

/* Pseudo-source: identifiers, numbers, strings, comments, operators, spaces and newlines. */
static void generate(void)
{
    static const char *pieces[] = {"count",      "x",
                                   "buffer_len", "i",
                                   "while",      "return",
                                   "0",          "42",
                                   "3.25",       "1000000",
                                   "\"str\"",    "\"a longer string\"",
                                   "/* note */", "// line comment\n",
                                   "+",          "==",
                                   "(",          ")",
                                   "{",          "}",
                                   ";",          "->",
                                   " ",          " ",
                                   "\n",         "\t",
                                   "*",          "/"};
    uint64_t seed = 9;
    size_t n = 0;
    while (n < LEN) {
        const char *p = pieces[rng_next(&seed) % (sizeof pieces / sizeof *pieces)];
        size_t l = strlen(p);
        if (n + l > LEN)
            l = LEN - n;
        memcpy(text + n, p, l);
        n += l;
        if (n < LEN && cls[(unsigned char)p[0]] == C_ALPHA)
            text[n++] = ' ';
    }
}

static void lex(long count[NKINDS], uint64_t *h)
{
    enum state s = S_START;
    size_t start = 0;
    for (size_t i = 0; i <= LEN; i++) {
        enum cls c = i < LEN ? (enum cls)cls[(unsigned char)text[i]] : C_NL;
        enum kind done = NKINDS;
        switch (s) {
        case S_START:
        again:
            start = i;
            switch (c) {
            case C_ALPHA: s = S_IDENT; break;
            case C_DIGIT: s = S_NUMBER; break;
            case C_QUOTE: s = S_STRING; break;
            case C_SLASH: s = S_SLASH; break;
            case C_STAR:
            case C_PUNCT:
            case C_DOT:
            case C_OTHER: s = S_PUNCT; break;
            case C_NL: count[K_LINES]++; break;
            case C_SPACE: break;
            }
            break;
        case S_IDENT:
            if (c != C_ALPHA && c != C_DIGIT)
                done = K_IDENT;
            break;
        case S_NUMBER:
            if (c == C_DOT)
                s = S_FRACTION;
            else if (c != C_DIGIT)
                done = K_NUMBER;
            break;
        case S_FRACTION:
            if (c != C_DIGIT)
                done = K_NUMBER;
            break;
        case S_STRING:
            if (c == C_QUOTE) {
                count[K_STRING]++;
                *h = mix(*h, i - start);
                s = S_START;
            } else if (c == C_NL) {
                s = S_START; /* unterminated: dropped */
            }
            break;
        case S_SLASH:
            switch (c) {
            case C_SLASH: s = S_LINE_COMMENT; break;
            case C_STAR: s = S_BLOCK_COMMENT; break;
            default: done = K_PUNCT; break;
            }
            break;
        case S_LINE_COMMENT:
            if (c == C_NL)
                done = K_COMMENT;
            break;
        case S_BLOCK_COMMENT:
            if (c == C_STAR)
                s = S_BLOCK_STAR;
            break;
        case S_BLOCK_STAR:
            if (c == C_SLASH) {
                count[K_COMMENT]++;
                *h = mix(*h, i - start);
                s = S_START;
            } else if (c != C_STAR) {
                s = S_BLOCK_COMMENT;
            }
            break;
        case S_PUNCT: done = K_PUNCT; break;
        }
        if (done != NKINDS) {
            /* The token ended before this character, which starts the next one. */
            count[done]++;
            *h = mix(*h, (i - start) << 3 | done);
            done = NKINDS;
            s = S_START;
            goto again;
        }
    }
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 140);
    classify();
    generate();
    long count[NKINDS] = {0};
    uint64_t h = MIX_INIT;
    for (long r = 0; r < rounds; r++)
        lex(count, &h);
    printf("idents %ld numbers %ld strings %ld comments %ld puncts %ld lines %ld checksum "
           "%016llx\n",
           count[K_IDENT], count[K_NUMBER], count[K_STRING], count[K_COMMENT], count[K_PUNCT],
           count[K_LINES], (unsigned long long)h);
    return 0;
}
