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

A culprit that oracle_known.txt (--known) lists as a known qemu difference -- its row, the state
it ran from and exactly how the results differ -- is not a mismatch: the rest of its run is re-run
from the state our engines reached, and narrowed down again if that differs.
Exit status: 0 all runs agree (but for known qemu differences), 1 some differ, 2 the test could
not run.
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
import oracle_known
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
    p.add_argument("--known", default=oracle_known.DEFAULT,
                   help="known qemu differences (default: oracle_known.txt)")
    args = p.parse_args()
    args.known = oracle_known.load(args.known)
    return args


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


def localize(args, directory, runs, names):
    """For each run (words, initial record) that differs: the first word whose result differs,
    or None if none is found. A culprit is a dict: word, row, state (the record it started
    from), prefix (the words up to it), diff (how the prefix run differed), rest (the words after
    it), after (the record our engines agree on after it, or None), and from running the word
    alone from its state: isolated (it differs alone too), alone (that run's records)."""
    rec = guestprog.record_size(args.mem)
    # Prefixes 0..L of each run's sequence, from the run's initial state.
    pseqs, pstates = [], []
    for seq, state in runs:
        for k in range(len(seq) + 1):
            pseqs.append(seq[:k])
            pstates.append(state)
    res, scratch = execute(args, os.path.join(directory, "prefix"), pseqs,
                           list(range(len(pseqs))), b"".join(pstates))
    culprits, i = [], 0
    for seq, _ in runs:
        found = None
        for k in range(1, len(seq) + 1):
            if differs(res, i + k) and not differs(res, i + k - 1):
                before = res["qemu"][0].get(i + k - 1)
                ours = res["translated"][0].get(i + k)
                if before is not None:
                    found = {"word": seq[k - 1], "row": names.get(seq[k - 1], "?"),
                             "state": as_initial(before, scratch), "prefix": seq[:k],
                             "diff": describe(res, i + k), "rest": seq[k:],
                             "after": as_initial(ours, scratch) if ours is not None and
                             ours == res["interpreter"][0].get(i + k) else None}
                break
        culprits.append(found)
        i += len(seq) + 1
    # Each culprit alone, from the state it saw.
    alone = [c for c in culprits if c]
    if alone:
        ires, _ = execute(args, os.path.join(directory, "isolate"), [[c["word"]] for c in alone],
                          list(range(len(alone))), b"".join(c["state"] for c in alone))
        for j, c in enumerate(alone):
            c["isolated"] = bool(differs(ires, j))
            c["alone"] = {e: ires[e][0].get(j) for e in ires}
            if c["isolated"]:
                c["diff"] = describe(ires, j)
    return culprits


def known_difference(args, c):
    """The oracle_known.txt entry that explains culprit c, or None. (Our engines must also agree
    after it in the run itself, to resume from there.)"""
    if not c["isolated"] or None in c["alone"].values() or (c["rest"] and c["after"] is None):
        return None
    return oracle_known.match(args.known, c["row"], c["word"], regs(c["state"]),
                              {e: regs(r) for e, r in c["alone"].items()})


def explain(args, directory, runs, names, depth=0):
    """Localizes the differing runs (words, initial record). A culprit that is a known qemu
    difference does not end the search: the rest of its run is re-run from the state our
    engines reached (where they follow the Arm ARM), and localized again if it differs. Returns
    for each run its culprits in order, and whether known differences explain the run."""
    culprits = localize(args, os.path.join(directory, f"round{depth}"), runs, names)
    for c in culprits:
        if c:
            c["known"] = known_difference(args, c)
    resume = [i for i, c in enumerate(culprits) if c and c["known"] and c["rest"]]
    if not resume:
        return [([c], bool(c and c["known"])) if c else ([], False) for c in culprits]
    rseqs = [culprits[i]["rest"] for i in resume]
    rstates = [culprits[i]["after"] for i in resume]
    res, _ = execute(args, os.path.join(directory, f"resume{depth}"), rseqs,
                     list(range(len(resume))), b"".join(rstates))
    again = [k for k in range(len(resume)) if differs(res, k)]
    sub = explain(args, directory, [(rseqs[k], rstates[k]) for k in again], names, depth + 1) \
        if again else []
    chains = [([c], bool(c and c["known"])) if c else ([], False) for c in culprits]
    for k, (more, ok) in zip(again, sub):
        i = resume[k]
        chains[i] = (chains[i][0] + more, ok)
    return chains


MAX_LOCALIZED = 256  # differing runs narrowed down per program


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
    found, known = [], collections.Counter()
    unexplained = len(failing)
    if failing:
        # Narrow down a bounded number of differing runs, the first of each sequence first.
        first = {}
        for r in failing:
            first.setdefault(run_seq[r], r)
        picked = sorted(failing, key=lambda r: (first[run_seq[r]] != r, r))[:MAX_LOCALIZED]
        rec = guestprog.record_size(args.mem)
        chains = explain(args, directory, [(sequences[run_seq[r]], states[r * rec:(r + 1) * rec])
                                           for r in picked], names)
        for culprits, ok in chains:
            if ok:
                unexplained -= 1
            for c in culprits:
                if c["known"]:
                    known[c["known"].where] += 1
                else:
                    found.append({"seed": seed, "word": c["word"], "state": c["state"],
                                  "prefix": c["prefix"], "diff": c["diff"],
                                  "isolated": c["isolated"]})
    if not args.keep and not unexplained:
        shutil.rmtree(directory, ignore_errors=True)
    return {"seed": seed, "runs": nruns, "failing": len(failing), "unexplained": unexplained,
            "known": known, "qemu_crashes": qemu_crashes, "culprits": found, "names": names,
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
    unexplained = sum(o["unexplained"] for o in outcomes)
    known = collections.Counter()
    for o in outcomes:
        known.update(o["known"])
    print(f"difftest: {runs} runs of {args.len} instructions ({args.programs} programs from seed "
          f"{args.seed}, {'with' if args.mem else 'without'} memory), {len(rows)} distinct rows; "
          f"{failing} runs differ from qemu, {failing - unexplained} of them only by known qemu "
          f"differences; {crashes} runs crashed under qemu (not compared)")
    for e in args.known:
        if known[e.where]:
            print(f"  known qemu difference {e.row} ({e.where}): {known[e.where]} culprit(s)"
                  f" -- {e.reason}")
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
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
