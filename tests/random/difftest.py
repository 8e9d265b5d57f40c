#!/usr/bin/env python3
"""Random differential tests: sequences of random valid instruction words (randgen) run from
random register states under qemu-aarch64 (the oracle), translated by xlate, and translated with
XLATE_INTERP=1 (the interpreter); every register, the flags, FPCR/FPSR, the vector registers (and
with --mem the scratch memory) must come out the same.

  difftest.py --randgen PATH --xlate PATH --work DIR [--seed S] [--programs P] [--seqs N]
              [--states K] [--len L] [--mem] [--jobs J] [--run-insn PATH]

Program i uses seed S+i: N sequences of L words, each run from K states (N*K runs). Everything
follows from the seed, so a failure is reproduced by re-running with the same arguments.

A run whose final state differs is narrowed down: its sequence is re-run a prefix at a time to
find the first word whose result differs, and that word alone is re-run from the state it saw
(the isolating run). Each culprit is reported with its row, disassembly, the differing registers
and, with --run-insn, a tests/insn line that reproduces it (checked with run_insn).
Exit status: 0 all runs agree, 1 some differ, 2 the test could not run.
"""
import argparse
import collections
import concurrent.futures
import os
import shutil
import struct
import subprocess
import sys

import guestprog
from guestprog import FPCR, FPSR, NZCV, SP, STATE, V

ENGINES = ("translated", "interpreter")
MAX_REPORTED = 4  # examples per culprit row in the report


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--randgen", required=True)
    p.add_argument("--xlate", required=True)
    p.add_argument("--xlate-opt", default="-O2")
    p.add_argument("--work", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--programs", type=int, default=1)
    p.add_argument("--seqs", type=int, default=512)
    p.add_argument("--states", type=int, default=8)
    p.add_argument("--len", type=int, default=6)
    p.add_argument("--mem", action="store_true", help="include loads and stores (SP-based)")
    p.add_argument("--jobs", "-j", type=int, default=1)
    p.add_argument("--run-insn", help="tests/run_insn, to check the reproducer lines")
    p.add_argument("--keep", action="store_true", help="keep the work files of every program")
    return p.parse_args()


class Engine:
    """Runs a generated program under one engine, resuming after a run that crashes."""

    def __init__(self, name, cmd, env, rec):
        self.name, self.cmd, self.env, self.rec = name, cmd, env, rec

    def run(self, nruns, directory):
        records, crashes, first = {}, {}, 0
        out = os.path.join(directory, f"out.{self.name}")
        while first < nruns:
            with open(out, "wb") as f:
                r = subprocess.run(self.cmd + [str(first)], stdout=f, stderr=subprocess.PIPE,
                                   env=self.env, timeout=1800, cwd=directory)
            with open(out, "rb") as f:
                data = f.read()
            last = first - 1
            for off in range(0, len(data) - self.rec + 1, self.rec):
                rec = data[off:off + self.rec]
                last = guestprog.tag(rec)
                records[last] = rec
            if r.returncode == 0 and last == nruns - 1:
                break
            # The run after the last record did not finish: note how it ended, skip it.
            crashes[last + 1] = (r.returncode, r.stderr.decode(errors="replace").strip()[-300:])
            first = last + 2
        os.unlink(out)
        return records, crashes


def engines(args, guest, translated, rec):
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    return [Engine("qemu", ["qemu-aarch64", guest], env, rec),
            Engine("translated", [translated], env, rec),
            Engine("interpreter", [translated], dict(env, XLATE_INTERP="1"), rec)]


def execute(args, directory, sequences, run_seq, states):
    """Builds, translates and runs a program; {engine: (records, crashes)} and the scratch
    address (with --mem)."""
    os.makedirs(directory, exist_ok=True)
    guest, scratch = guestprog.build(directory, sequences, run_seq, states, args.mem)
    translated = guest + ".x"
    r = subprocess.run([args.xlate, guest, "-o", translated] + args.xlate_opt.split(),
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"xlate {guest} failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    rec = guestprog.record_size(args.mem)
    results = {e.name: e.run(len(run_seq), directory) for e in engines(args, guest, translated,
                                                                        rec)}
    return results, scratch


def differs(results, run):
    """The engines whose outcome of run differs from qemu's; none if qemu did not finish it
    (it faulted: such runs are not compared)."""
    want = results["qemu"][0].get(run)
    if want is None:
        return []
    return [e for e in ENGINES if results[e][0].get(run) != want]


# ---- state records ----

def regs(record):
    """name -> value of a state record, for reports."""
    q = struct.unpack_from("<31Q", record, 0)
    out = {f"x{i}": q[i] for i in range(31)}
    out["sp"], out["nzcv"], out["fpcr"], out["fpsr"] = struct.unpack_from("<4Q", record, SP)
    out["nzcv"] >>= 28
    for i in range(32):
        lo, hi = struct.unpack_from("<2Q", record, V + 16 * i)
        out[f"v{i}"] = hi << 64 | lo
    if len(record) > STATE:
        for i in range(0, guestprog.MEM, 8):
            out[f"mem+{i}"] = struct.unpack_from("<Q", record, STATE + i)[0]
    return out


def as_initial(record, scratch):
    """A dumped record as an initial state: with memory, SP relative to the scratch buffer."""
    b = bytearray(record)
    if scratch is not None:
        sp = struct.unpack_from("<Q", b, SP)[0]
        struct.pack_into("<Q", b, SP, (sp - scratch) & (2**64 - 1))
    return bytes(b)


def describe(results, run):
    """Lines naming each differing register (or how a run crashed) per engine."""
    lines = []
    q = results["qemu"][0].get(run)
    for e in ENGINES:
        got = results[e][0].get(run)
        if got == q:
            continue
        if got is None:
            lines.append(f"{e} did not finish the run: status {results[e][1].get(run)}")
            continue
        a, b = regs(q), regs(got)
        for k in a:
            if a[k] != b[k]:
                lines.append(f"{k}: qemu {a[k]:#x}, {e} {b[k]:#x}")
    return lines


# ---- the reproducer line in tests/insn format ----

def insn_line(name, word, record):
    """A tests/insn/*.txt line giving the instruction the registers its fields can name (both
    x and v, and the three after each for register lists), the flags and FPCR/FPSR."""
    r = regs(record)
    nums = set()
    for shift in (0, 5, 10, 16):
        base = (word >> shift) & 31
        nums.update((base + k) & 31 for k in range(4))
    toks = [f"x{n}={r[f'x{n}']:#x}" for n in sorted(nums) if n < 31]
    toks += [f"v{n}={r[f'v{n}']:#x}" for n in sorted(nums)]
    toks += [f"nzcv={r['nzcv']:#x}", f"fpcr={r['fpcr']:#x}", f"fpsr={r['fpsr']:#x}"]
    return f"{name} {word:08x} " + " ".join(toks)


def check_with_run_insn(args, directory, lines):
    """Records the lines with run_insn from qemu and checks them: its report of differences."""
    path = os.path.join(directory, "repro.txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    base = [args.run_insn, "--xlate", args.xlate, "--work", os.path.join(directory, "run_insn")]
    subprocess.run(base + ["--record", path], capture_output=True)
    r = subprocess.run(base + [path], capture_output=True, text=True)
    return r.stderr.strip()


def disassemble(words, directory):
    path = os.path.join(directory, "words.bin")
    with open(path, "wb") as f:
        f.write(b"".join(struct.pack("<I", w) for w in words))
    r = subprocess.run(["aarch64-linux-gnu-objdump", "-D", "-b", "binary", "-m", "aarch64", path],
                       capture_output=True, text=True)
    out = {}
    for line in r.stdout.split("\n"):
        f = line.split("\t")
        if len(f) >= 3 and f[0].strip().endswith(":"):
            out[int(f[1].strip(), 16)] = " ".join(x.strip() for x in f[2:]).strip()
    return out


# ---- one program ----

def generate(args, seed, directory):
    os.makedirs(directory, exist_ok=True)
    mem = ["--mem"] if args.mem else []
    n = args.seqs * args.len
    r = subprocess.run([args.randgen, "words", str(seed), str(n), "--len", str(args.len)] + mem,
                       capture_output=True, text=True, check=True)
    pairs = [line.split() for line in r.stdout.split("\n") if line]
    words = [int(w, 16) for w, _ in pairs]
    names = {int(w, 16): nm for w, nm in pairs}
    sequences = [words[i * args.len:(i + 1) * args.len] for i in range(args.seqs)]
    path = os.path.join(directory, "init.bin")
    subprocess.run([args.randgen, "states", str(seed), str(args.seqs * args.states), path] + mem,
                   check=True)
    with open(path, "rb") as f:
        states = f.read()
    return sequences, names, states


def localize(args, directory, sequences, run_seq, states, failing):
    """For each failing run: the first word of its sequence whose result differs, and the state
    it started from. Returns a list of (word, input record, the sequence up to the word, how
    the prefix run differed, results of the isolating run, its index there)."""
    rec = guestprog.record_size(args.mem)
    # Prefixes 0..L of each failing run's sequence, from the run's initial state.
    pseqs, pruns, pstates, origin = [], [], [], []
    for run in failing:
        seq = sequences[run_seq[run]]
        for k in range(len(seq) + 1):
            pseqs.append(seq[:k])
            pruns.append(len(pseqs) - 1)
            pstates.append(states[run * rec:(run + 1) * rec])
            origin.append((run, k))
    res, scratch = execute(args, os.path.join(directory, "prefix"), pseqs, pruns,
                           b"".join(pstates))
    culprits = []
    i = 0
    for run in failing:
        seq = sequences[run_seq[run]]
        for k in range(1, len(seq) + 1):
            if differs(res, i + k) and not differs(res, i + k - 1):
                before = res["qemu"][0].get(i + k - 1)
                if before is not None:
                    culprits.append((seq[k - 1], as_initial(before, scratch), seq[:k],
                                     describe(res, i + k)))
                break
        i += len(seq) + 1
    if not culprits:
        return []
    # Each culprit alone, from the state it saw.
    ires, _ = execute(args, os.path.join(directory, "isolate"), [[c[0]] for c in culprits],
                      list(range(len(culprits))), b"".join(c[1] for c in culprits))
    return [c + (ires, j) for j, c in enumerate(culprits)]


def one_program(args, index):
    seed = args.seed + index
    directory = os.path.join(args.work, f"prog{index}")
    shutil.rmtree(directory, ignore_errors=True)
    sequences, names, states = generate(args, seed, directory)
    run_seq = [r // args.states for r in range(args.seqs * args.states)]
    results, _ = execute(args, directory, sequences, run_seq, states)
    nruns = len(run_seq)
    failing = [r for r in range(nruns) if differs(results, r)]
    qemu_crashes = [(r, results["qemu"][1][r][1].split("\n")[-1],
                     " ".join(f"{w:08x}" for w in sequences[run_seq[r]]))
                    for r in sorted(results["qemu"][1])]
    found = []
    if failing:
        # Narrow down a bounded number of failing runs per program (the first of each sequence).
        picked, seen = [], set()
        for r in failing:
            if run_seq[r] not in seen and len(picked) < 64:
                seen.add(run_seq[r])
                picked.append(r)
        for word, state, prefix, pdiff, ires, j in localize(args, directory, sequences, run_seq,
                                                            states, picked):
            alone = bool(differs(ires, j))
            found.append({"seed": seed, "word": word, "state": state, "prefix": prefix,
                          "diff": describe(ires, j) if alone else pdiff, "isolated": alone})
    if not args.keep and not failing:
        shutil.rmtree(directory, ignore_errors=True)
    return {"seed": seed, "runs": nruns, "failing": len(failing), "qemu_crashes": qemu_crashes,
            "culprits": found, "names": names,
            "rows": {names[w] for s in sequences for w in s}}


def main():
    args = parse_args()
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        try:
            outcomes = list(pool.map(lambda i: one_program(args, i), range(args.programs)))
        except (RuntimeError, subprocess.CalledProcessError, OSError) as e:
            print(f"difftest: {e}", file=sys.stderr)
            return 2
    runs = sum(o["runs"] for o in outcomes)
    failing = sum(o["failing"] for o in outcomes)
    rows = set().union(*(o["rows"] for o in outcomes))
    names = {}
    for o in outcomes:
        names.update(o["names"])
    crashes = sum(len(o["qemu_crashes"]) for o in outcomes)
    print(f"difftest: {runs} runs of {args.len} instructions ({args.programs} programs from seed "
          f"{args.seed}, {'with' if args.mem else 'without'} memory), {len(rows)} distinct rows; "
          f"{failing} runs differ; {crashes} runs crashed under qemu (not compared)")
    for o in outcomes:
        for run, how, words in o["qemu_crashes"][:2]:
            print(f"  qemu crashed in run {run} of seed {o['seed']} ({words}): {how}")
    by_row = collections.defaultdict(list)
    for o in outcomes:
        for c in o["culprits"]:
            by_row[names.get(c["word"], "?")].append(c)
    if by_row:
        words = [c["word"] for cs in by_row.values() for c in cs[:MAX_REPORTED]]
        dis = disassemble(words, args.work)
        lines = []
        for row in sorted(by_row):
            cs = by_row[row]
            print(f"MISMATCH {row}: {len(cs)} culprit(s)")
            for c in cs[:MAX_REPORTED]:
                w = c["word"]
                print(f"  {w:08x}  {dis.get(w, '?')}  [seed {c['seed']}]")
                for d in c["diff"]:
                    print(f"      {d}")
                if c["isolated"]:
                    line = insn_line(row, w, c["state"])
                    lines.append(line)
                    print(f"      {line}")
                else:
                    words = " ".join(f"{x:08x}" for x in c["prefix"])
                    print(f"      differs only after the words before it: {words}")
        if args.run_insn:
            print("run_insn on the lines above:")
            print(check_with_run_insn(args, args.work, lines) or "  (no differences)")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
