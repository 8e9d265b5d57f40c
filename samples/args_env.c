/*
 * args_env: the process interface -- argc/argv (echoed, with lengths; argv[0] is not printed
 * because it names a different file natively, under qemu and translated), environment lookups
 * (getenv of set, empty and missing variables, the SAMPLE_* entries of environ, setenv
 * and unsetenv), the auxiliary vector values that must be the same everywhere (AT_PAGESZ), stdin
 * read to its end through stdio (lines, words, bytes, longest line, a checksum, the first line
 * upper-cased), a line on stderr, and an exit status computed from all of it.
 * Exit status: (lines * 7 + bytes + argc) mod 256.
 */
#include "sample.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = \"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");

    static const char *const vars[] = {"SAMPLE_GREETING", "SAMPLE_EMPTY", "SAMPLE_MISSING"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        printf("getenv(%s) = %s%s%s\n", vars[i], v ? "\"" : "", v ? v : "(null)", v ? "\"" : "");
    }
    /* Sorted: qemu-aarch64 hands the guest its environment in reverse order. */
    const char *sample_vars[32];
    int nsample = 0;
    for (char **e = environ; *e; e++)
        if (!strncmp(*e, "SAMPLE_", 7) && nsample < 32)
            sample_vars[nsample++] = *e;
    qsort(sample_vars, (size_t)nsample, sizeof sample_vars[0], cmp_str);
    for (int i = 0; i < nsample; i++)
        printf("environ has %s\n", sample_vars[i]);
    printf("XLATE_ variables visible: %d\n", getenv("XLATE_INTERP") != NULL);
    setenv("SAMPLE_NEW", "set by the program", 1);
    setenv("SAMPLE_GREETING", "not overwritten", 0);
    unsetenv("SAMPLE_EMPTY");
    printf("after setenv/unsetenv: NEW=\"%s\" GREETING=\"%s\" EMPTY=%s\n", getenv("SAMPLE_NEW"),
           getenv("SAMPLE_GREETING"), getenv("SAMPLE_EMPTY") ? "set" : "unset");
    printf("AT_PAGESZ %lu, AT_ENTRY set %d, AT_RANDOM set %d\n", getauxval(AT_PAGESZ),
           getauxval(AT_ENTRY) != 0, getauxval(AT_RANDOM) != 0);

    unsigned long lines = 0, words = 0, bytes = 0, longest = 0, cur = 0;
    uint64_t sum = FNV_INIT;
    int in_word = 0, c;
    char first[81];
    size_t nfirst = 0;
    while ((c = getchar()) != EOF) {
        unsigned char b = (unsigned char)c;
        bytes++;
        sum = fnv(sum, &b, 1);
        if (lines == 0 && c != '\n' && nfirst < sizeof first - 1)
            first[nfirst++] = (char)toupper(c);
        if (isspace(c)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
        if (c == '\n') {
            lines++;
            if (cur > longest)
                longest = cur;
            cur = 0;
        } else {
            cur++;
        }
    }
    if (cur > longest)
        longest = cur;
    first[nfirst] = 0;
    printf("stdin: %lu lines, %lu words, %lu bytes, longest line %lu, checksum %016llx\n", lines,
           words, bytes, longest, (unsigned long long)sum);
    printf("first line: \"%s\"\n", first);
    int status = (int)((lines * 7 + bytes + (unsigned long)argc) % 256);
    printf("exit status %d\n", status);
    fflush(stdout);
    fprintf(stderr, "args_env: %lu lines on stdin, exiting with %d\n", lines, status);
    return status;
}
