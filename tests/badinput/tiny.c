/*
 * The valid guest the malformed inputs are made from: no libc, so it translates in a fraction of
 * a second, with a code and a data segment, a function symbol besides _start, and visible output.
 * Built with aarch64-linux-gnu-gcc -static -nostdlib (and -static-pie for the PIE variant).
 */
static char msg[] = "hello from a tiny guest\n"; /* writable: gives the file a data segment */

__attribute__((noinline)) static long sys3(long n, long a, long b, long c)
{
    register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
                     x2 __asm__("x2") = c;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}

void _start(void)
{
    sys3(64 /* write */, 1, (long)msg, sizeof msg - 1);
    sys3(93 /* exit */, 0, 0, 0);
    __builtin_unreachable();
}
