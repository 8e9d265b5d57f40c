#!/usr/bin/env python3
"""Sample tests: a guest program from samples/ run under qemu-aarch64 (the oracle) and translated.

  run_sample.py build   NAME LEVEL   compile samples/NAME.c with the cross compiler at -OLEVEL,
                                     translate it with xlate
  run_sample.py compare NAME LEVEL [--interp]
                                     run the guest under qemu-aarch64 and the translation with the
                                     same arguments, environment and stdin (with --interp: with
                                     XLATE_INTERP=1, everything interpreted); compare stdout, exit
                                     status and, where the sample says so, stderr
  run_sample.py record  [NAME...]    write samples/expected/NAME.out (and .err) from qemu-aarch64
                                     runs of the -O2 guest; check them by hand before committing

The qemu run must also match samples/expected/NAME.out and the status in samples/samples.list, so
a sample that stopped being deterministic, or a toolchain that changed, is reported as such rather
than blamed on the translator. Exit status 0 = same behaviour, 1 = a difference, 2 = setup failed.
"""
import argparse
import difflib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "samples"))

# Limits for one run of a sample, scaled by how long qemu-aarch64 took, so a translation that
# hangs fails in minutes rather than holding the whole suite until the CTest timeout.
TIMEOUT_QEMU = 600
TIMEOUT_TRANSLATED = (60, 30)  # seconds + factor * qemu's time
TIMEOUT_INTERP = (120, 300)


class Spec:
    def __init__(self, name, fields, args):
        self.name = name
        self.args = args
        self.status = 0
        self.stdin = None
        self.env = {}
        self.stderr = False
        self.bench = None
        for f in fields:
            key, sep, value = f.partition("=")
            if not sep:
                raise ValueError(f"{name}: field '{f}' is not KEY=VALUE")
            if key == "status":
                self.status = int(value)
            elif key == "stdin":
                self.stdin = os.path.join(SAMPLES, value)
            elif key == "env":
                var, _, val = value.partition("=")
                self.env[var] = val
            elif key == "stderr":
                self.stderr = value == "1"
            elif key == "bench":
                self.bench = value.split()
            else:
                raise ValueError(f"{name}: unknown field '{key}'")


def load_specs():
    specs = {}
    with open(os.path.join(SAMPLES, "samples.list")) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            words = shlex.split(line)
            fields, args = words[1:], []
            if "--" in fields:
                i = fields.index("--")
                fields, args = fields[:i], fields[i + 1:]
            specs[words[0]] = Spec(words[0], fields, args)
    return specs


class Result:
    def __init__(self, stdout, stderr, status, seconds):
        self.stdout, self.stderr, self.status, self.seconds = stdout, stderr, status, seconds


def describe_status(status):
    if status is None:
        return "timed out"
    if status < 0:
        return f"killed by signal {-status}"
    return f"exit status {status}"


def run(cmd, spec, workdir, extra_env, timeout):
    """Runs cmd in a fresh directory with the sample's stdin and a fixed environment."""
    tmp = tempfile.mkdtemp(prefix="run-", dir=workdir)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TMPDIR": tmp}
    env.update(spec.env)
    env.update(extra_env)
    stdin = open(spec.stdin, "rb") if spec.stdin else subprocess.DEVNULL
    start = time.monotonic()
    # A session of its own, so that a timeout kills everything it started.
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, cwd=tmp, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        result = Result(out, err, p.returncode, time.monotonic() - start)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        result = Result(out, err, None, time.monotonic() - start)
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def text(b):
    return b.decode("utf-8", errors="backslashreplace")


def show_diff(what, a, b, label_a, label_b, limit=200):
    lines = list(difflib.unified_diff(text(a).splitlines(keepends=True),
                                      text(b).splitlines(keepends=True), label_a, label_b))
    print(f"--- {what} differs:")
    for line in lines[:limit]:
        sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    if len(lines) > limit:
        print(f"... {len(lines) - limit} more diff lines")


def workdir(args, name, level):
    d = os.path.join(args.work, f"{name}.O{level}")
    os.makedirs(d, exist_ok=True)
    return d


def cmd_build(args, spec):
    d = workdir(args, spec.name, args.level)
    guest = os.path.join(d, spec.name)
    out = guest + ".x"
    for f in (guest, out):
        if os.path.exists(f):
            os.unlink(f)
    cc = [args.cc, "-static", f"-O{args.level}", "-I", SAMPLES,
          os.path.join(SAMPLES, spec.name + ".c"), "-o", guest, "-lm"]
    print("$", shlex.join(cc), flush=True)
    if subprocess.run(cc).returncode != 0:
        print(f"FAIL: {spec.name}: the cross compiler failed")
        return 2
    xl = [args.xlate, guest, "-o", out, "-v"] + shlex.split(args.xlate_opt)
    print("$", shlex.join(xl), flush=True)
    start = time.monotonic()
    p = subprocess.run(xl)
    print(f"translation took {time.monotonic() - start:.1f} s")
    if p.returncode != 0 or not os.path.exists(out):
        print(f"FAIL: {spec.name}: xlate failed ({describe_status(p.returncode)})")
        return 2
    return 0


def check_expected(spec, ref):
    """The oracle's run must match what the sample is known to print."""
    ok = True
    for stream, got in (("out", ref.stdout), ("err", ref.stderr)):
        if stream == "err" and not spec.stderr:
            continue
        path = os.path.join(SAMPLES, "expected", f"{spec.name}.{stream}")
        try:
            with open(path, "rb") as f:
                want = f.read()
        except FileNotFoundError:
            print(f"FAIL: no {path} (record it with `run_sample.py record {spec.name}`)")
            return False
        if got != want:
            show_diff(f"qemu-aarch64's std{stream} vs the recorded expectation", want, got,
                      "expected", "qemu-aarch64")
            ok = False
    if ref.status != spec.status:
        print(f"qemu-aarch64: {describe_status(ref.status)}, samples.list says {spec.status}")
        ok = False
    if not ok:
        print(f"FAIL: {spec.name}: the guest under qemu-aarch64 does not behave as recorded "
              "(the sample or the toolchain changed, not necessarily the translator)")
    return ok


def cmd_compare(args, spec):
    d = workdir(args, spec.name, args.level)
    guest = os.path.join(d, spec.name)
    out = guest + ".x"
    if not os.path.exists(out):
        print(f"FAIL: {out} is missing (the build step failed or did not run)")
        return 2
    mode = "interp" if args.interp else "translated"
    rundir = os.path.join(d, mode)
    shutil.rmtree(rundir, ignore_errors=True)
    os.makedirs(rundir)

    ref = run([args.qemu, guest] + spec.args, spec, rundir, {}, TIMEOUT_QEMU)
    print(f"qemu-aarch64: {describe_status(ref.status)} in {ref.seconds:.2f} s, "
          f"{len(ref.stdout)} bytes of stdout")
    if ref.status is None:
        print(f"FAIL: {spec.name}: the guest timed out under qemu-aarch64")
        return 2
    expected_ok = check_expected(spec, ref)

    base, factor = TIMEOUT_INTERP if args.interp else TIMEOUT_TRANSLATED
    limit = base + factor * ref.seconds
    extra = {"XLATE_INTERP": "1"} if args.interp else {}
    got = run([out] + spec.args, spec, rundir, extra, limit)
    print(f"{mode}: {describe_status(got.status)} in {got.seconds:.2f} s, "
          f"{len(got.stdout)} bytes of stdout")
    for suffix, data in (("qemu.out", ref.stdout), ("qemu.err", ref.stderr),
                         (mode + ".out", got.stdout), (mode + ".err", got.stderr)):
        with open(os.path.join(rundir, suffix), "wb") as f:
            f.write(data)

    same = True
    if got.stdout != ref.stdout:
        show_diff("stdout", ref.stdout, got.stdout, "qemu-aarch64", mode)
        same = False
    if got.status != ref.status:
        print(f"--- status differs: qemu-aarch64 {describe_status(ref.status)}, "
              f"{mode} {describe_status(got.status)}")
        same = False
    if spec.stderr and got.stderr != ref.stderr:
        show_diff("stderr", ref.stderr, got.stderr, "qemu-aarch64", mode)
        same = False
    if not same and got.stderr and not spec.stderr:
        print(f"--- {mode} stderr (last 20 lines):")
        for line in text(got.stderr).splitlines()[-20:]:
            print("  " + line)
    if not same:
        print(f"FAIL: {spec.name} -O{args.level} {mode} differs from qemu-aarch64 "
              f"(outputs in {rundir})")
        return 1
    if not expected_ok:
        return 1
    print(f"PASS: {spec.name} -O{args.level} {mode}")
    return 0


def cmd_record(args, specs, names):
    d = os.path.join(args.work, "record")
    os.makedirs(d, exist_ok=True)
    os.makedirs(os.path.join(SAMPLES, "expected"), exist_ok=True)
    bad = 0
    for name in names or sorted(specs):
        spec = specs[name]
        guest = os.path.join(d, name)
        cc = [args.cc, "-static", "-O2", "-I", SAMPLES, os.path.join(SAMPLES, name + ".c"),
              "-o", guest, "-lm"]
        if subprocess.run(cc).returncode != 0:
            return 2
        r = run([args.qemu, guest] + spec.args, spec, d, {}, TIMEOUT_QEMU)
        with open(os.path.join(SAMPLES, "expected", name + ".out"), "wb") as f:
            f.write(r.stdout)
        if spec.stderr:
            with open(os.path.join(SAMPLES, "expected", name + ".err"), "wb") as f:
                f.write(r.stderr)
        note = "" if r.status == spec.status else f"  (samples.list says {spec.status}!)"
        bad += r.status != spec.status
        print(f"{name}: {describe_status(r.status)}, {len(r.stdout)} bytes, "
              f"{r.seconds:.2f} s{note}")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["build", "compare", "record"])
    ap.add_argument("names", nargs="*", help="NAME LEVEL for build/compare; NAMEs for record")
    ap.add_argument("--interp", action="store_true", help="compare: run with XLATE_INTERP=1")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "xlate-samples"),
                    help="directory for guest binaries, translations and outputs")
    ap.add_argument("--cc", default="aarch64-linux-gnu-gcc")
    ap.add_argument("--qemu", default="qemu-aarch64")
    ap.add_argument("--xlate", default="xlate")
    ap.add_argument("--xlate-opt", default="-O1", help="xlate options (default -O1)")
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)  # the runs happen in directories of their own
    specs = load_specs()
    if args.mode == "record":
        unknown = [n for n in args.names if n not in specs]
        if unknown:
            ap.error(f"unknown sample(s): {' '.join(unknown)}")
        return cmd_record(args, specs, args.names)
    if len(args.names) != 2 or args.names[0] not in specs or args.names[1] not in "0123":
        ap.error("build and compare take a sample NAME from samples.list and a LEVEL 0-3")
    args.level = args.names[1]
    spec = specs[args.names[0]]
    return cmd_build(args, spec) if args.mode == "build" else cmd_compare(args, spec)


if __name__ == "__main__":
    sys.exit(main())
