/*
 * How translated functions call each other: the contract between the lifter, which builds every
 * translated function and call with it (lift.c), and the runtime's entries from C and into C
 * (runtime/translated_call.S). No C declarations here: both sides include it, one of them from
 * assembly.
 *
 * A translated function has LLVM's swiftcc convention, which is C's but for returning up to four
 * integers in registers (rax, rdx, rcx, r8) where C returns two. Its arguments are the register
 * file, the guest address to start from, and the CALL_ABI_NREGS guest registers below (rdx, rcx,
 * r8, r9); it returns those registers again, register i in result slot (i + 1) % CALL_ABI_NREGS,
 * so that the first three leave in the host registers they came in. Everywhere else the register
 * file holds those registers' values stale: the caller keeps them out of memory until it makes a
 * call of another kind.
 *
 * Which guest registers: the arguments and results, and the stack pointer every function moves,
 * which otherwise cost a store and a load in both caller and callee (callgrind on the call-heavy
 * benchmarks, bench/README.md). Regcall, which passes nine, was measured and not taken: its
 * callee keeps xmm8-xmm15, so every function that calls into the runtime saved all eight.
 */
#ifndef XLATE_CALL_ABI_H
#define XLATE_CALL_ABI_H

#define CALL_ABI_NREGS 4
/* Guest register numbers (31: SP). */
#define CALL_ABI_REG0 0
#define CALL_ABI_REG1 1
#define CALL_ABI_REG2 2
#define CALL_ABI_REG3 31
/* An initializer of the list, for C. */
#define CALL_ABI_REGS {CALL_ABI_REG0, CALL_ABI_REG1, CALL_ABI_REG2, CALL_ABI_REG3}

#endif
