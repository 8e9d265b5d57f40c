/*
 * Runs the jump-table recogniser over every case of cases.S (linked so that its expectations
 * start the data segment, at the address given) and compares the targets found with the ones
 * expected, as sets.
 */
#include "a64/a64.h"
#include "lift.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX 4096

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s CASES.elf EXPECTATIONS-ADDRESS\n", argv[0]);
        return 2;
    }
    a64_decode_init();
    struct lift_error err = {0};
    struct lift_image img;
    if (lift_image_load(argv[1], &img, &err) != 0) {
        fprintf(stderr, "%s: %s\n", argv[1], err.msg);
        return 2;
    }
    struct lift_reader rd = lift_image_reader(&img);
    static uint64_t got[MAX], want[MAX];
    unsigned passed = 0, failed = 0;
    for (uint64_t at = strtoull(argv[2], NULL, 0);;) {
        uint64_t br, n;
        if (!rd.read_data(rd.ctx, at, &br, 8) || br == 0)
            break;
        if (!rd.read_data(rd.ctx, at + 8, &n, 8) || n > MAX ||
            !rd.read_data(rd.ctx, at + 16, want, 8 * n)) {
            fprintf(stderr, "bad expectation at %#" PRIx64 "\n", at);
            return 2;
        }
        at += 16 + 8 * n;
        unsigned m = a64_jump_table(rd.read_data, rd.ctx, br, got, MAX);
        qsort(got, m, sizeof *got, cmp_u64);
        qsort(want, n, sizeof *want, cmp_u64);
        bool same = m == n;
        for (unsigned i = 0; same && i < m; i++)
            same = got[i] == want[i];
        if (same) {
            passed++;
            continue;
        }
        failed++;
        printf("FAIL: br at %#" PRIx64 ": %u targets found, %u expected:", br, m, (unsigned)n);
        for (unsigned i = 0; i < m; i++)
            printf(" %#" PRIx64, got[i]);
        printf("\n");
    }
    lift_image_free(&img);
    printf("%u passed, %u failed\n", passed, failed);
    return failed || passed == 0;
}
