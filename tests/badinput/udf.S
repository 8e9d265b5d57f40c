/* A guest whose second instruction is WORD (given with -DWORD=...): permanently undefined (UDF #0,
 * C6.2.386) or unallocated. Under qemu and translated alike it must die of SIGILL, and xlate's
 * runtime names the word and its address. */
    .text
    .globl _start
_start:
    nop
    .inst WORD
