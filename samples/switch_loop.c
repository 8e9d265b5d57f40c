/*
 * switch_loop: switches inside long-running loops, as interpreters and stream editors write them
 * (busybox sed's command loop is the model). GCC computes a table's address once, before the
 * loop, and keeps it in a callee-saved register or, when registers run out, spills it to the
 * stack and reloads it before each dispatch; the bounds check often sits in another block that
 * branches to the dispatch. The translator has to see through all of that to keep the dispatch
 * in translated code. Three machines: a stack-machine bytecode interpreter with many live
 * values and calls in its cases, a line editor applying commands to generated text, and a
 * two-level state machine (a switch inside a case of another).
 * Exit status: the low byte of the interpreter's final checksum.
 */
#include "sample.h"

#include <stdio.h>
#include <string.h>

/* Out of line so that calls clobber the caller-saved registers around them. */
static __attribute__((noipa)) uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

static __attribute__((noipa)) void note(unsigned *hist, unsigned op)
{
    hist[op % 32]++;
}

enum {
    OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_XOR, OP_SHL,
    OP_SHR, OP_DUP, OP_SWAP, OP_DROP, OP_OVER, OP_ROT, OP_JZ, OP_JMP, OP_LOAD, OP_STORE,
    OP_INC, OP_DEC, OP_NEG, OP_NOT, OP_MIN, OP_MAX, OP_HASH, OP_CALLC, OP_HALT, OP_NOPS
};

/* Runs `code` for at most `steps` instructions with a stack of 64 and 16 variables. */
static uint64_t interpret(const uint8_t *code, unsigned len, unsigned steps, unsigned *hist)
{
    uint64_t stack[64] = {0}, vars[16] = {0}, h = FNV_INIT;
    unsigned sp = 4, pc = 0, calls = 0, jumps = 0, faults = 0;
    for (unsigned n = 0; n < steps; n++) {
        unsigned op = code[pc % len], arg = code[(pc + 1) % len];
        uint64_t a = stack[(sp - 1) & 63], b = stack[(sp - 2) & 63];
        pc += 2;
        note(hist, op);
        switch (op % OP_NOPS) {
        case OP_PUSH: stack[sp++ & 63] = arg; break;
        case OP_ADD: stack[(--sp - 1) & 63] = b + a; break;
        case OP_SUB: stack[(--sp - 1) & 63] = b - a; break;
        case OP_MUL: stack[(--sp - 1) & 63] = b * a; break;
        case OP_DIV:
            if (a)
                stack[(--sp - 1) & 63] = b / a;
            else
                faults++;
            break;
        case OP_MOD:
            if (a)
                stack[(--sp - 1) & 63] = b % a;
            else
                faults++;
            break;
        case OP_AND: stack[(--sp - 1) & 63] = b & a; break;
        case OP_OR: stack[(--sp - 1) & 63] = b | a; break;
        case OP_XOR: stack[(--sp - 1) & 63] = b ^ a; break;
        case OP_SHL: stack[(--sp - 1) & 63] = b << (a & 63); break;
        case OP_SHR: stack[(--sp - 1) & 63] = b >> (a & 63); break;
        case OP_DUP: stack[sp++ & 63] = a; break;
        case OP_SWAP:
            stack[(sp - 1) & 63] = b;
            stack[(sp - 2) & 63] = a;
            break;
        case OP_DROP: sp--; break;
        case OP_OVER: stack[sp++ & 63] = b; break;
        case OP_ROT:
            stack[(sp - 1) & 63] = stack[(sp - 3) & 63];
            stack[(sp - 3) & 63] = b;
            stack[(sp - 2) & 63] = a;
            break;
        case OP_JZ:
            if (!a) {
                pc = arg * 2;
                jumps++;
            }
            break;
        case OP_JMP:
            pc += arg & 6;
            jumps++;
            break;
        case OP_LOAD: stack[sp++ & 63] = vars[arg & 15]; break;
        case OP_STORE: vars[arg & 15] = a; break;
        case OP_INC: stack[(sp - 1) & 63] = a + 1; break;
        case OP_DEC: stack[(sp - 1) & 63] = a - 1; break;
        case OP_NEG: stack[(sp - 1) & 63] = -a; break;
        case OP_NOT: stack[(sp - 1) & 63] = ~a; break;
        case OP_MIN: stack[(--sp - 1) & 63] = a < b ? a : b; break;
        case OP_MAX: stack[(--sp - 1) & 63] = a > b ? a : b; break;
        case OP_HASH: h = mix(h, a); break;
        case OP_CALLC:
            calls++;
            h = mix(h, calls + jumps);
            stack[sp++ & 63] = h >> 40;
            break;
        case OP_HALT:
            h = mix(h, pc);
            pc = 0;
            break;
        }
        /* A second dispatch on the same loop trip, on a different value: its table base is
         * live across the whole loop too. */
        switch ((unsigned)(a >> 3) % 12) {
        case 0: h = mix(h, b); break;
        case 1: h += sp; break;
        case 2: h ^= pc; break;
        case 3: h = mix(h, vars[n & 15]); break;
        case 4: vars[(n + 3) & 15] += a; break;
        case 5: h = h * 31 + op; break;
        case 6: h = mix(h, faults); break;
        case 7: h -= jumps; break;
        case 8: h = mix(h, calls); break;
        case 10: h ^= h >> 29; break;
        default: break;
        }
    }
    for (unsigned i = 0; i < 16; i++)
        h = mix(h, vars[i]);
    return mix(h, (uint64_t)faults << 32 | jumps);
}

/* A line editor: each command (one letter and an argument) edits a line buffer. */
static __attribute__((noipa)) size_t append(char *buf, size_t len, const char *s)
{
    size_t n = strlen(s);
    if (len + n >= 255)
        n = 254 - len;
    memcpy(buf + len, s, n);
    buf[len + n] = 0;
    return len + n;
}

static uint64_t edit(const char *script, unsigned lines, uint64_t *seed)
{
    static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
    char buf[256], hold[256] = "";
    uint64_t h = FNV_INIT;
    size_t slen = strlen(script);
    for (unsigned line = 0; line < lines; line++) {
        size_t len = 0;
        buf[0] = 0;
        for (unsigned w = 0; w < 4; w++) {
            len = append(buf, len, words[rng_below(seed, 6)]);
            len = append(buf, len, " ");
        }
        int deleted = 0;
        for (size_t i = 0; i + 1 < slen && !deleted; i += 2) {
            char arg = script[i + 1];
            switch (script[i]) {
            case 'a': len = append(buf, len, words[(arg - '0') % 6]); break;
            case 'c': len = append(buf, 0, "changed"); break;
            case 'd':
                if (line % (unsigned)(arg - '0' + 2) == 0)
                    deleted = 1;
                break;
            case 'g': len = append(buf, 0, hold); break;
            case 'h': memcpy(hold, buf, len + 1); break;
            case 'i':
                memmove(buf + 1, buf, len + 1);
                buf[0] = arg;
                len += len < 254;
                buf[len] = 0;
                break;
            case 'l': h = mix(h, len); break;
            case 'p': h = fnv(h, buf, len); break;
            case 'q':
                if (line > (unsigned)(arg - '0') * 40)
                    return mix(h, line);
                break;
            case 's':
                for (size_t k = 0; k < len; k++)
                    if (buf[k] == arg)
                        buf[k] = '_';
                break;
            case 'u':
                for (size_t k = 0; k < len; k++)
                    if (buf[k] >= 'a' && buf[k] <= 'z')
                        buf[k] = (char)(buf[k] - 32);
                break;
            case 'x': {
                char t[256];
                memcpy(t, hold, sizeof t);
                memcpy(hold, buf, len + 1);
                memcpy(buf, t, sizeof t);
                len = strlen(buf);
                break;
            }
            case 'y': len = len > 3 ? len - 3 : 0, buf[len] = 0; break;
            case '=': h = mix(h, line); break;
            default: h = mix(h, (unsigned char)script[i]); break;
            }
        }
        if (!deleted)
            h = fnv(h, buf, len);
    }
    return h;
}

/* A tokenizer state machine whose states each switch on the character class. */
static unsigned scan(const char *s, unsigned counts[8])
{
    enum { S_START, S_NUM, S_WORD, S_STR, S_ESC, S_COMMENT } state = S_START;
    unsigned tokens = 0;
    for (;; s++) {
        unsigned char ch = (unsigned char)*s;
        unsigned cls = ch == 0 ? 0 : ch <= ' ' ? 1 : ch <= '/' ? 2 : ch <= '9' ? 3 : ch <= '@' ? 4
                     : ch <= 'Z' ? 5 : ch <= '`' ? 6 : 7;
        switch (state) {
        case S_START:
            switch (cls) {
            case 0: return tokens;
            case 1: break;
            case 2:
                if (ch == '"')
                    state = S_STR;
                else if (ch == '#')
                    state = S_COMMENT;
                counts[2]++;
                break;
            case 3:
                state = S_NUM;
                counts[3]++;
                break;
            case 4: counts[4]++; break;
            case 5:
            case 7:
                state = S_WORD;
                counts[5]++;
                break;
            case 6: counts[6]++; break;
            }
            tokens += cls > 1;
            break;
        case S_NUM:
            switch (cls) {
            case 0: return tokens;
            case 3: break;
            case 5:
            case 7: counts[7]++; /* fall through */
            default: state = S_START; s--; break;
            }
            break;
        case S_WORD:
            switch (cls) {
            case 0: return tokens;
            case 3:
            case 5:
            case 7: break;
            default: state = S_START; s--; break;
            }
            break;
        case S_STR:
            switch (cls) {
            case 0: return tokens;
            case 2:
                if (ch == '"')
                    state = S_START;
                break;
            case 6:
                if (ch == '\\')
                    state = S_ESC;
                break;
            default: break;
            }
            break;
        case S_ESC:
            if (!cls)
                return tokens;
            state = S_STR;
            break;
        case S_COMMENT:
            if (!cls)
                return tokens;
            if (ch == '\n')
                state = S_START;
            break;
        }
    }
}

int main(void)
{
    uint64_t seed = 2026;
    uint8_t code[512];
    for (unsigned i = 0; i < sizeof code; i++)
        code[i] = (uint8_t)rng_below(&seed, 40);
    unsigned hist[32] = {0};
    uint64_t r = interpret(code, sizeof code, 300000, hist);
    printf("interpret: %016llx\nops:", (unsigned long long)r);
    for (unsigned i = 0; i < 32; i++)
        printf(" %u", hist[i]);
    printf("\n");

    const char *scripts[] = {"p0a1l0s a2=0h0", "u0d1p0g0x0p0", "i>a5y0c0p0q9", "h0x0s_p0k0=0"};
    for (unsigned i = 0; i < 4; i++)
        printf("edit %u: %016llx\n", i, (unsigned long long)edit(scripts[i], 2000, &seed));

    char text[4096];
    size_t len = 0;
    while (len < sizeof text - 1) {
        static const char pieces[][12] = {"word ", "42 ", "\"str\\\"x\" ", "# note\n",
                                          "x9y ", "(a+b) ", "Zed_ ", "{}[] ", "7up "};
        const char *p = pieces[rng_below(&seed, 9)];
        size_t n = strlen(p);
        if (len + n >= sizeof text)
            break;
        memcpy(text + len, p, n);
        len += n;
    }
    text[len] = 0;
    unsigned counts[8] = {0}, tokens = scan(text, counts);
    printf("scan: %u tokens:", tokens);
    for (unsigned i = 0; i < 8; i++)
        printf(" %u", counts[i]);
    printf("\n");
    return (int)(r & 0xff);
}
