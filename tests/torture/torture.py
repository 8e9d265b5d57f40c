#!/usr/bin/env python3
"""GCC's execution tests from Debian's gcc-12-source, run under qemu-aarch64 and translated by
xlate; a test passes when the translation exits and prints as under qemu.

  torture.py [options]                 run the levels given by --level (default: all) and print,
                                       per level, pass / fail / qemu-skip counts

Suites (--suite): `execute` is gcc.c-torture/execute; `advsimd` is
gcc.target/aarch64/advsimd-intrinsics, whose "hardware" effective targets (FP16 arithmetic, dot
product, ...) are evaluated against the AT_HWCAP bits a translated program sees (hwcap.py).

Each test is compiled for the guest at every level (gcc -O0/-O1/-O2/-O3/-Os and clang -O2). Tests
that do not build, that their DejaGnu directives skip here (dg.py), or that fail under
qemu-aarch64 are skipped and counted as qemu-skip. Translating a static glibc program is the
expensive step, and nearly all of it is glibc, so tests are linked into batches (batch.py): one
guest executable holds up to --batch tests, each test run on its own as `guest INDEX`. One
translation serves the whole batch; every test still runs in a process of its own, under qemu
and translated, from the same executable.

Everything is cached under --work, keyed by what it was made from: objects by source, compiler
and flags; batches by their objects; qemu results by the batch; translations and their results by
the batch, the xlate executable, its runtime library and the xlate options. A re-run redoes only
what changed. Exit status 0: no test that passes under qemu failed translated; 1: some did;
2: the suite could not be set up.
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys

import batch
import dg
import hwcap
import source

# Suite -> (directory under gcc/testsuite, the options a test starts from). The torture suite's
# driver (execute.exp) passes "-w", advsimd-intrinsics.exp nothing for AArch64 without FP16.
SUITES = {
    "execute": ("gcc.c-torture/execute", ["-w"]),
    "advsimd": ("gcc.target/aarch64/advsimd-intrinsics", []),
}


# Level name -> (compiler, optimization flags). The sample's offset is the level's index.
LEVELS = {
    "gcc-O0": ("gcc", ["-O0"]),
    "gcc-O1": ("gcc", ["-O1"]),
    "gcc-O2": ("gcc", ["-O2"]),
    "gcc-O3": ("gcc", ["-O3"]),
    "gcc-Os": ("gcc", ["-Os"]),
    "clang-O2": ("clang", ["-O2"]),
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", required=True, help="cache and work directory")
    p.add_argument("--xlate", required=True, help="the xlate executable")
    p.add_argument("--suite", choices=sorted(SUITES), default="execute")
    p.add_argument("--xlate-opt", default=os.environ.get("XLATE_TORTURE_OPT", "-O1"),
                   help="xlate options (default: $XLATE_TORTURE_OPT or -O1)")
    p.add_argument("--level", action="append", choices=sorted(LEVELS),
                   help="a guest level to run (repeatable; default: all)")
    p.add_argument("--sample", type=int, default=1, metavar="N",
                   help="run every Nth test by sorted name (offset by the level's index)")
    p.add_argument("--only", action="append", metavar="TEST",
                   help="run only this test (file name without .c; repeatable)")
    p.add_argument("--batch", type=int, default=800, metavar="N",
                   help="tests per translated executable (default 800; 1 = each on its own)")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    p.add_argument("--interp", action="store_true",
                   help="also run each translation with XLATE_INTERP=1 (everything interpreted)")
    p.add_argument("--download", help="where gcc-12-source is fetched and unpacked "
                   "(default: WORK/download)")
    p.add_argument("--src", help="the suite's test directory, to use instead")
    p.add_argument("--cc", default="aarch64-linux-gnu-gcc")
    p.add_argument("--clang", default="clang-19")
    p.add_argument("--qemu", default="qemu-aarch64")
    p.add_argument("--verbose", "-v", action="store_true", help="list every skipped test")
    return p.parse_args()


def select(tests, level_index, args):
    if args.only:
        return [t for t in tests if t in args.only]
    n = max(1, args.sample)
    return [t for i, t in enumerate(tests) if i % n == level_index % n]


def main():
    args = parse_args()
    subdir, default_options = SUITES[args.suite]
    work = os.path.abspath(os.path.join(args.work, args.suite))
    os.makedirs(work, exist_ok=True)
    try:
        srcdir = args.src or os.path.join(source.testsuite_dir(
            os.path.abspath(args.download or os.path.join(args.work, "download"))), subdir)
    except source.FetchError as e:
        print(f"torture: {e}", file=sys.stderr)
        return 2
    tests = sorted(f[:-2] for f in os.listdir(srcdir) if f.endswith(".c"))
    levels = args.level or list(LEVELS)
    tools = batch.Tools(cc=args.cc, clang=args.clang, qemu=args.qemu, xlate=args.xlate,
                        xlate_opt=args.xlate_opt.split(), interp=args.interp)
    effective = set(dg.BASE_EFFECTIVE)
    try:
        tools.identify()
        if args.suite == "advsimd":
            caps = hwcap.probe(tools.xlate, args.cc, os.path.join(work, "hwcap"))
            effective |= dg.NEON_OK | hwcap.hw_targets(caps)
    except (batch.SetupError, subprocess.CalledProcessError) as e:
        print(f"torture: {e}", file=sys.stderr)
        return 2
    target = dg.Target(effective, default_options)

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    runs, compile_only = [], set()
    for name in levels:
        compiler, flags = LEVELS[name]
        level = batch.Level(name, compiler, flags, os.path.join(work, name), tools, pool)
        for t in select(tests, list(LEVELS).index(name), args):
            path = os.path.join(srcdir, t + ".c")
            with open(path, encoding="utf-8", errors="replace") as f:
                skip, options = target.evaluate(f.read(), flags)
            if skip and skip.endswith(dg.NOT_RUN):
                compile_only.add(t)  # not an execution test: not counted at all
            else:
                level.add(t, path, options, skip)
        runs.append(level)

    # Every level's compiles, then its batches, share one pool; translations (xlate is
    # multi-threaded itself) run at most jobs/2 at a time.
    xlate_slots = max(1, args.jobs // 2)
    for level in runs:
        level.compile()
    for level in runs:
        level.make_batches(args.batch)
    batch.run_all([b for level in runs for b in level.batches], pool, xlate_slots)
    pool.shutdown()

    failed = False
    print(f"{args.suite}: xlate {args.xlate_opt}; {len(tests)} tests in the suite"
          + (f" ({len(compile_only)} compile-only left out)" if compile_only else "")
          + (f", every {args.sample}th" if args.sample > 1 else ""))
    for level in runs:
        failed |= level.report(sys.stdout, args.verbose)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
