/*
 * A program that asks the allocator about itself (here mallinfo2) keeps the guest's
 * allocator, so that the answers describe the blocks it allocated (lift/routines.c): the bytes
 * in use grow by what it allocates and come back when it frees, exactly as under qemu-aarch64
 * with the same C library.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

static void *(*volatile do_malloc)(size_t) = malloc;

int main(void)
{
    struct mallinfo2 before = mallinfo2();
    void *p[10];
    for (int i = 0; i < 10; i++)
        p[i] = do_malloc(1000 + 100 * (size_t)i);
    struct mallinfo2 during = mallinfo2();
    for (int i = 0; i < 10; i++)
        free(p[i]);
    struct mallinfo2 after = mallinfo2();
    printf("in use: +%zu while allocated, +%zu after free\n", during.uordblks - before.uordblks,
           after.uordblks - before.uordblks);
    return 0;
}
