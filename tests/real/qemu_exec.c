/* The oracle's stand-in for binfmt_misc, for tests/real: busybox re-executes itself through
 * /proc/self/exe, which qemu-aarch64 hands to the host kernel, which cannot run an AArch64 ELF.
 * run_real.py points the oracle copy of busybox at this program instead (a path of the same
 * length in place of "/proc/self/exe"); it runs the same busybox under qemu-aarch64 with the
 * argv[0] it was given. QEMU and GUEST are defined when it is compiled. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char **args = calloc((size_t)argc + 4, sizeof *args);
    if (!args)
        return 127;
    args[0] = QEMU;
    args[1] = "-0";
    args[2] = argc > 0 ? argv[0] : "busybox";
    args[3] = GUEST;
    for (int i = 1; i < argc; i++)
        args[3 + i] = argv[i];
    execv(QEMU, args);
    perror(QEMU);
    return 127;
}
