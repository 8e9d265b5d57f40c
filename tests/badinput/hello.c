/* A libc program, built dynamically linked and as a shared library: inputs xlate must refuse
 * with a clear message (only static executables are supported). */
#include <stdio.h>

int main(void)
{
    puts("hello");
    return 0;
}
