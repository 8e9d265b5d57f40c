/* A guest whose first instruction is permanently undefined (UDF #0, C6.2.386): under qemu and
 * translated alike it must die of SIGILL, and xlate's runtime names the address. */
    .text
    .globl _start
_start:
    nop
    .inst 0x00000000
