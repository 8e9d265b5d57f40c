#!/usr/bin/env python3
"""Native vs translated vs qemu-aarch64 on the benchmark suite (bench/suite.py).

For each benchmark: build the guest (static -O2 arm64) and native (-O2 x86-64) executables from
one source, translate the guest with xlate at each level asked for (-O1 and -O2 by default;
translation time and peak memory come from `xlate -v`), check that the translated program's
output and exit status equal qemu-aarch64's (a wrong output is reported, never timed), time
native, translated (-O2) and qemu-aarch64 runs interleaved, and count instructions of native and
translated runs with callgrind. Prints a table; writes results.csv, results.svg and results.txt
into the work directory (default BUILD/bench, which also caches sources, builds and
translations).

    bench/run.py --build BUILD [--quick] [--runs N] [--only a,b] [--levels 1,2] [--no-callgrind]
                 [--perf] [--translate-only]
"""
import argparse
import os
import platform
import re
import shutil
import statistics
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian  # noqa: E402
import proc  # noqa: E402
import report  # noqa: E402
import suite  # noqa: E402
import translate  # noqa: E402

TOOLS = ["aarch64-linux-gnu-gcc", "gcc", "qemu-aarch64", "valgrind", "apt-get"]


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            model = m.group(1) if m else model
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def load():
    return "%.1f" % os.getloadavg()[0]


def interpreter(exe):
    """The ELF program interpreter (PT_INTERP) of a 64-bit little-endian executable, or None."""
    with open(exe, "rb") as f:
        elf = f.read(1 << 16)
    phoff, = struct.unpack_from("<Q", elf, 32)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", elf,
                                                                 phoff + i * phentsize)
        if p_type == 3:  # PT_INTERP
            return elf[p_offset:p_offset + p_filesz].rstrip(b"\0").decode()
    return None


def valgrind(work):
    """(command, environment) of a valgrind of version 3.24 or later: 3.19 (Debian 12's) stops
    with SIGILL at an AVX move LLVM emits for translated floating-point code (VMOVQ between
    registers in its 66 0F D6 form). Else Debian 13's package, which runs here unchanged."""
    r = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
    m = re.search(r"(\d+)\.(\d+)", r.stdout)
    if m and (int(m.group(1)), int(m.group(2))) >= (3, 24):
        return ["valgrind"], {}
    root = debian.binary_package("valgrind", "amd64", work, suite="trixie")
    return [os.path.join(root, "usr/bin/valgrind.bin")], \
        {"VALGRIND_LIB": os.path.join(root, "usr/libexec/valgrind")}


def callgrind(cmd, stdin, timeout, ctx):
    """(instruction count or None, the run). The executable is started through its ELF
    interpreter: valgrind loads a PIE main program at a fixed low address, where it would
    overlap the guest image of a translated program; loaded by ld.so it lands elsewhere."""
    interp = interpreter(cmd[0])
    vg, env = ctx["valgrind"]
    run = proc.run([*vg, "--tool=callgrind", "--callgrind-out-file=/dev/null",
                    *([interp] if interp else []), *cmd],
                   stdin=stdin, timeout=timeout, scratch=ctx["scratch"], env=env)
    m = re.search(r"Collected\s*:\s*([0-9]+)", run.err_tail)
    return (int(m.group(1)) if m else None), run


def profile(row, cmd, stdin, args, ctx):
    """A cpu-clock profile of one translated run: WORK/profiles/NAME.txt lists the hottest
    symbols (translated functions are named g_<guest address>)."""
    out = os.path.join(ctx["work"], "profiles")
    os.makedirs(out, exist_ok=True)
    data = os.path.join(out, row.name + ".data")
    run = proc.run(["perf", "record", "-q", "-e", "cpu-clock", "-o", data, "--", *cmd],
                   stdin=stdin, timeout=args.timeout, scratch=ctx["scratch"])
    if run.status != 0:
        row.notes.append("perf: " + failure(run))
        return
    r = subprocess.run(["perf", "report", "-i", data, "--stdio", "--sort", "symbol",
                        "--percent-limit", "1"], capture_output=True, text=True)
    with open(os.path.join(out, row.name + ".txt"), "w") as f:
        f.write(r.stdout)


def failure(run):
    """A failed run in a few words: how it ended and its last line of standard error."""
    lines = [l for l in run.err_tail.splitlines() if l.strip() and not l.startswith("==")]
    return run.describe() + (f" ({lines[-1].strip()[:120]})" if lines else "")


class Row:
    """Everything measured for one benchmark."""

    def __init__(self, bench):
        self.name, self.group = bench.name, bench.group
        self.notes = []
        self.times = {"native": [], "translated": [], "qemu": []}
        self.xlate = {}
        self.ir = {}
        self.native_same = None

    def median(self, what, field):
        runs = self.times[what]
        return statistics.median(getattr(r, field) for r in runs) if runs else None

    def timed(self):
        return bool(self.times["translated"])


def measure(bench, args, ctx, log):
    row = Row(bench)
    size = "quick" if args.quick else "bench"
    try:
        guest, native = bench.build(ctx["work"])
    except suite.BuildError as e:
        row.notes.append("build failed: " + str(e).splitlines()[0])
        return row
    for level in args.levels:
        t = translate.translate(ctx["xlate"], guest, level, ctx["cache"], args.timeout)
        row.xlate[level] = t
        log(f" -O{level} {'%.0f s' % t.wall if t.ok else 'FAILED'}")
    t2 = row.xlate.get(2)
    if not t2.ok:
        row.notes.append("translation failed: " + t2.error)
        return row
    if args.translate_only:
        return row
    argv = bench.args(size)
    stdin = bench.input(ctx["work"], size)
    cmds = {"native": [native, *argv], "translated": [t2.exe, *argv],
            "qemu": ["qemu-aarch64", guest, *argv]}

    def run(what):
        return proc.run(cmds[what], stdin=stdin, timeout=args.timeout, scratch=ctx["scratch"])

    for i in range(args.runs):
        log(f" run{i + 1}")
        rs = {what: run(what) for what in ("native", "translated", "qemu")}  # interleaved
        ref = rs["qemu"]
        if ref.status is None or ref.status < 0:
            row.notes.append("qemu-aarch64 " + failure(ref))
            return row
        if row.native_same is None:
            row.native_same = rs["native"].same_output(ref)
        if not rs["translated"].same_output(ref):
            what = failure(rs["translated"]) if rs["translated"].status != ref.status else \
                "output differs"
            row.notes.append(f"WRONG vs qemu-aarch64 (translated: {what}; qemu: "
                             f"{ref.describe()}), not timed")
            row.times = {"native": [], "translated": [], "qemu": []}
            return row
        for what, r in rs.items():
            row.times[what].append(r)
    log(" (cpu s: native %.2f, translated %.2f, qemu %.2f)" %
        tuple(row.median(w, "cpu") for w in ("native", "translated", "qemu")))
    if args.perf:
        log(" perf")
        profile(row, [t2.exe, *argv], stdin, args, ctx)
    if args.callgrind:
        log(" callgrind")
        cg_size = "quick" if args.quick else "callgrind"
        cg_argv, cg_stdin = bench.args(cg_size), bench.input(ctx["work"], cg_size)
        ref = proc.run(["qemu-aarch64", guest, *cg_argv], stdin=cg_stdin, timeout=args.timeout,
                       scratch=ctx["scratch"])
        for what, exe in (("native", native), ("translated", t2.exe)):
            count, r = callgrind([exe, *cg_argv], cg_stdin, args.timeout, ctx)
            if count is None or (what == "translated" and not r.same_output(ref)):
                row.notes.append(f"callgrind: {what} {failure(r)}")
            else:
                row.ir[what] = count
    return row


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", required=True, help="the build directory (holds xlate)")
    p.add_argument("--work", help="work directory (default BUILD/bench)")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: small sizes, 1 run, -O2 only (unless --runs/--levels)")
    p.add_argument("--runs", type=int, help="timed runs of each program (default 5)")
    p.add_argument("--levels", help="xlate levels to translate at, comma-separated (default "
                   "1,2; 2 is always included: it is the level timed)")
    p.add_argument("--only", help="benchmark names, comma-separated")
    p.add_argument("--no-callgrind", dest="callgrind", action="store_false")
    p.add_argument("--perf", action="store_true",
                   help="also profile each translated run with perf (WORK/profiles/)")
    p.add_argument("--translate-only", action="store_true",
                   help="build and translate (filling the cache), run nothing")
    p.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    args = p.parse_args()
    args.runs = args.runs or (1 if args.quick else 5)
    levels = {int(l) for l in (args.levels or ("2" if args.quick else "1,2")).split(",")}
    args.levels = sorted(levels | {2})

    build = os.path.abspath(args.build)
    xlate = os.path.join(build, "xlate")
    if not os.access(xlate, os.X_OK):
        sys.exit(f"{sys.argv[0]}: {xlate} is not built")
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        sys.exit(f"{sys.argv[0]}: missing {', '.join(missing)} (make deps)")
    work = os.path.abspath(args.work or os.path.join(build, "bench"))
    ctx = {"xlate": xlate, "work": work, "cache": os.path.join(work, "translations"),
           "scratch": os.path.join(work, "scratch")}
    os.makedirs(ctx["scratch"], exist_ok=True)
    if args.callgrind:
        ctx["valgrind"] = valgrind(work)

    benches = suite.benchmarks()
    if args.only:
        wanted = args.only.split(",")
        unknown = set(wanted) - {b.name for b in benches}
        if unknown:
            sys.exit(f"{sys.argv[0]}: unknown benchmark {', '.join(sorted(unknown))}; "
                     f"there are {', '.join(b.name for b in benches)}")
        benches = [b for b in benches if b.name in wanted]

    version = subprocess.run([xlate, "--version"], capture_output=True, text=True).stdout.strip()
    meta = {"machine": machine(), "xlate": version, "load_start": load(),
            "date": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs,
            "mode": "quick" if args.quick else "bench", "levels": args.levels}
    print(f"xlate bench: {len(benches)} benchmarks, {args.runs} run(s) each, "
          f"{meta['mode']} sizes; work files in {work}", flush=True)
    rows = []
    for i, b in enumerate(benches):
        print(f"[{i + 1}/{len(benches)}] {b.name}:", end="", flush=True)
        try:
            rows.append(measure(b, args, ctx, lambda s: print(s, end="", flush=True)))
        except Exception as e:  # one broken benchmark must not lose the others' results
            rows.append(Row(b))
            rows[-1].notes.append(f"bench error: {type(e).__name__}: {e}")
        print(("  -- " + "; ".join(rows[-1].notes)) if rows[-1].notes else "", flush=True)
        if not args.translate_only:  # so far, in case the run is cut short
            write_results(rows, meta, work)
    if args.translate_only:
        return
    text = write_results(rows, meta, work)
    print("\n" + text)
    print(f"wrote {work}/results.txt, results.csv, results.svg")


def write_results(rows, meta, work):
    meta["load_end"] = load()
    text = report.table(rows, meta)
    with open(os.path.join(work, "results.txt"), "w") as f:
        f.write(text)
    report.write_csv(rows, os.path.join(work, "results.csv"))
    report.write_svg(rows, meta, os.path.join(work, "results.svg"))
    return text


if __name__ == "__main__":
    main()
