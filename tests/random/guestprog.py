"""The generated guest program of the differential tests: many runs, each loading one initial
state (rstate.h), executing one sequence of instruction words and writing the resulting state to
stdout; then the next run. No libc (-nostdlib), so translating it takes seconds.

The sequences are separate pieces of code reached through a table in .data (xlate seeds
functions from code pointers in data, so each is translated ahead of time). All registers are
loaded by one shared loader, which then has no register left to branch with except x30: it
branches through x30, and each sequence starts by reloading x30 from memory (ADRP + LDR, which
need no other register). A sequence ends by saving x0 in TPIDR_EL0 and branching through x0
to the dump, which writes the state out.
`guest N` starts at run N, so that a run that crashes can be skipped.
"""
import os
import struct
import subprocess

STATE = 800  # struct rstate up to mem
MEM = 2048  # RSTATE_MEM
SP_OFFSET = 1024  # RSTATE_SP_OFFSET
TAG = 280
X30, SP, NZCV, FPCR, FPSR, V = 240, 248, 256, 264, 272, 288


def record_size(mem):
    return STATE + (MEM if mem else 0)


def _copy(src, dst, n):
    """Copies n bytes (a multiple of 16) from [src] to [dst]; uses x2..x4 and the flags."""
    return (f"    mov x2, #{n}\n1:  ldp x3, x4, [{src}], #16\n    stp x3, x4, [{dst}], #16\n"
            f"    subs x2, x2, #16\n    b.ne 1b\n")


def source(sequences, run_seq, mem):
    """Assembly for runs r = 0.. of sequence run_seq[r] (a list of words) on state r of the
    states file (`states.bin`, next to the source)."""
    rec = record_size(mem)
    a = [".text\n.global _start\n_start:\n"
         # argv[1]: the first run.
         "    ldr x0, [sp]\n    mov x19, #0\n    cmp x0, #2\n    b.lt 2f\n"
         "    ldr x1, [sp, #16]\n1:  ldrb w2, [x1], #1\n    cbz w2, 2f\n    sub w2, w2, #48\n"
         "    mov x3, #10\n    madd x19, x19, x3, x2\n    b 1b\n"
         "2:  adrp x0, next_run\n    str x19, [x0, :lo12:next_run]\n"
         "loop:\n    adrp x0, next_run\n    ldr x1, [x0, :lo12:next_run]\n"
         f"    ldr x2, ={len(run_seq)}\n    cmp x1, x2\n    b.hs finish\n"
         "    add x2, x1, #1\n    str x2, [x0, :lo12:next_run]\n"
         "    adrp x3, run_table\n    add x3, x3, :lo12:run_table\n    ldr x3, [x3, x1, lsl #3]\n"
         "    adrp x4, cur_target\n    str x3, [x4, :lo12:cur_target]\n"
         f"    ldr x5, ={rec}\n    adrp x30, states\n    add x30, x30, :lo12:states\n"
         "    madd x30, x1, x5, x30\n"
         f"    ldr x0, [x30, #{X30}]\n    adrp x4, cur_x30\n    str x0, [x4, :lo12:cur_x30]\n"]
    if mem:
        a.append(f"    add x0, x30, #{STATE}\n    adrp x1, scratch\n"
                 "    add x1, x1, :lo12:scratch\n" + _copy("x0", "x1", MEM) +
                 f"    ldr x0, [x30, #{SP}]\n    adrp x1, scratch\n    add x1, x1, :lo12:scratch\n"
                 "    add x0, x0, x1\n    mov sp, x0\n")
    else:
        a.append(f"    ldr x0, [x30, #{SP}]\n    mov sp, x0\n")
    # CLREX: a store-exclusive sees only load-exclusives of its own run.
    a.append(f"    clrex\n    ldr x0, [x30, #{FPCR}]\n    msr fpcr, x0\n    ldr x0, [x30, #{FPSR}]\n"
             f"    msr fpsr, x0\n    ldr x0, [x30, #{NZCV}]\n    msr nzcv, x0\n")
    a += [f"    ldp q{r}, q{r + 1}, [x30, #{V + 16 * r}]\n" for r in range(0, 32, 2)]
    a += [f"    ldp x{r}, x{r + 1}, [x30, #{8 * r}]\n" for r in range(0, 30, 2)]
    a.append("    adrp x30, cur_target\n    ldr x30, [x30, :lo12:cur_target]\n    br x30\n"
             "finish:\n    mov x0, #0\n    mov x8, #93\n    svc #0\n    .ltorg\n")

    # Sequences come here by BR with x0 saved in TPIDR_EL0 (an indirect branch ends xlate's
    # function, so this code is translated once rather than into every sequence).
    a.append("dump:\n    adrp x0, out\n    add x0, x0, :lo12:out\n")
    a += [f"    stp x{r}, x{r + 1}, [x0, #{8 * r}]\n" for r in range(1, 31, 2)]
    a.append("    mrs x1, tpidr_el0\n    str x1, [x0]\n"
             f"    mov x1, sp\n    str x1, [x0, #{SP}]\n    mrs x1, nzcv\n    str x1, [x0, #{NZCV}]\n"
             f"    mrs x1, fpcr\n    str x1, [x0, #{FPCR}]\n    mrs x1, fpsr\n"
             f"    str x1, [x0, #{FPSR}]\n    adrp x2, next_run\n    ldr x1, [x2, :lo12:next_run]\n"
             f"    sub x1, x1, #1\n    str x1, [x0, #{TAG}]\n")
    a += [f"    stp q{r}, q{r + 1}, [x0, #{V + 16 * r}]\n" for r in range(0, 32, 2)]
    if mem:
        a.append("    adrp x1, scratch\n    add x1, x1, :lo12:scratch\n"
                 f"    add x5, x0, #{STATE}\n" + _copy("x1", "x5", MEM))
    a.append(f"    mov x1, x0\n    mov x0, #1\n    ldr x2, ={rec}\n    mov x8, #64\n    svc #0\n"
             "    b loop\n    .ltorg\n")

    for i, words in enumerate(sequences):
        a.append(f"seq_{i}:\n    adrp x30, cur_x30\n    ldr x30, [x30, :lo12:cur_x30]\n")
        a += [f"    .inst 0x{w:08x}\n" for w in words]
        a.append("    msr tpidr_el0, x0\n    adrp x0, dump\n    add x0, x0, :lo12:dump\n"
                 "    br x0\n")

    a.append(".data\n.balign 16\nnext_run: .quad 0\ncur_target: .quad 0\ncur_x30: .quad 0\n"
             "entries: .quad dump\nrun_table:\n")
    a += [f"    .quad seq_{s}\n" for s in run_seq]
    a.append('.balign 16\nstates: .incbin "states.bin"\n'
             f".bss\n.balign 16\nout: .skip {rec}\n")
    if mem:
        # Guard space around the scratch buffer: a stray access is a difference, not a crash.
        a.append(f".balign 4096\n.skip 4096\nscratch: .skip {MEM}\n.skip 4096\n")
    return "".join(a)


def build(directory, sequences, run_seq, states, mem, cc="aarch64-linux-gnu-gcc"):
    """Writes and links the program in directory; returns (path, scratch address or None)."""
    with open(os.path.join(directory, "states.bin"), "wb") as f:
        f.write(states)
    src = os.path.join(directory, "prog.S")
    with open(src, "w") as f:
        f.write(source(sequences, run_seq, mem))
    guest = os.path.join(directory, "prog")
    r = subprocess.run([cc, "-nostdlib", "-static", "-o", guest, src], cwd=directory,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"assembling {src} failed:\n{r.stderr[-2000:]}")
    scratch = None
    if mem:
        nm = subprocess.run(["aarch64-linux-gnu-nm", guest], capture_output=True, text=True)
        for line in nm.stdout.split("\n"):
            f = line.split()
            if len(f) == 3 and f[2] == "scratch":
                scratch = int(f[0], 16)
    return guest, scratch


def tag(record):
    return struct.unpack_from("<Q", record, TAG)[0]
