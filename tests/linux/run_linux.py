#!/usr/bin/env python3
"""Linux ABI tests: a guest program from tests/linux/ run under qemu-aarch64 (the oracle) and
translated, standard output and exit status compared.

  run_linux.py build   NAME            compile NAME.c with the cross compiler (-static -O2) and
                                       translate it with xlate
  run_linux.py compare NAME [--interp|--run]
                                       run both in fresh empty directories and compare (with
                                       --interp: the translation with XLATE_INTERP=1; with --run:
                                       the guest itself through `xlate --run`)

Lines starting "kernel-only:" report checks where qemu-aarch64 differs from the Linux kernel
(see each program): they are left out of the comparison, and the translation's must not say
FAILED. The qemu run must exit 0, so a broken oracle or toolchain is reported as such.
Exit status 0 = same behaviour, 1 = a difference, 2 = setup failed.
"""
import argparse
import os
import shlex
import subprocess
import sys
import difflib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import sandbox  # noqa: E402

TIMEOUT = 600
KERNEL_ONLY = "kernel-only:"


def paths(args, name):
    d = os.path.join(args.work, name)
    os.makedirs(d, exist_ok=True)
    return d, os.path.join(d, name), os.path.join(d, name + ".x")


def cmd_build(args):
    d, guest, out = paths(args, args.name)
    for f in (guest, out):
        if os.path.exists(f):
            os.unlink(f)
    steps = [[args.cc, "-static", "-O2", "-Wall", os.path.join(HERE, args.name + ".c"), "-o",
              guest, "-lpthread"],
             [args.xlate, args.xlate_opt, guest, "-o", out]]
    for cmd in steps:
        print("$", shlex.join(cmd), flush=True)
        if subprocess.run(cmd).returncode != 0:
            return 2
    return 0


def run(cmd, env, workdir):
    """Standard output and error as text, and the exit status (None: timed out)."""
    r = sandbox.run(cmd, TIMEOUT, env, scratch=workdir)
    return (r.stdout.decode("utf-8", "backslashreplace"),
            r.stderr.decode("utf-8", "backslashreplace"), r.status)


def compared(text):
    return [l for l in text.splitlines(keepends=True) if not l.startswith(KERNEL_ONLY)]


def cmd_compare(args):
    d, guest, out = paths(args, args.name)
    if not os.path.exists(guest) or not os.path.exists(out):
        print(f"{args.name}: not built")
        return 2
    qemu_args, x_args, qemu_env = [], [], {}
    if args.name == "procs":
        # procs execs "a guest program" named by its argument: under qemu-aarch64 that must be a
        # script that starts qemu (no binfmt_misc here); translated, the AArch64 ELF itself.
        wrapper = os.path.join(d, "procs-under-qemu")
        with open(wrapper, "w") as f:
            f.write(f"#!/bin/sh\nexec {shlex.quote(args.qemu)} {shlex.quote(guest)} \"$@\"\n")
        os.chmod(wrapper, 0o755)
        qemu_args, x_args = [wrapper], [guest]
        qemu_env = {"PROCS_UNDER_QEMU": "1"}
    q_out, q_err, q_status = run([args.qemu, guest] + qemu_args, qemu_env, d)
    if q_status != 0:
        print(f"{args.name}: the oracle run failed (status {q_status}):\n{q_out}{q_err}")
        return 2
    env = {"XLATE_INTERP": "1"} if args.interp else {}
    x_cmd = [args.xlate, "--run", guest] if args.run else [out]
    x_out, x_err, x_status = run(x_cmd + x_args, env, d)
    ok = True
    if compared(q_out) != compared(x_out):
        print("--- standard output differs:")
        sys.stdout.writelines(difflib.unified_diff(compared(q_out), compared(x_out),
                                                   "qemu-aarch64", "translated"))
        ok = False
    bad = [l for l in x_out.splitlines() if l.startswith(KERNEL_ONLY) and "FAILED" in l]
    if bad:
        print("--- checks qemu cannot make failed:\n" + "\n".join(bad))
        ok = False
    if q_status != x_status:
        print(f"--- exit status: qemu-aarch64 {q_status}, translated {x_status}")
        ok = False
    if not ok and x_err:
        print("--- translated standard error:\n" + x_err[-4000:])
    how = " (interpreted)" if args.interp else " (xlate --run)" if args.run else ""
    print(f"{args.name}{how}: "
          f"{'same behaviour' if ok else 'DIFFERENT'}")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--xlate", required=True)
    ap.add_argument("--xlate-opt", default="-O1")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("name")
    c = sub.add_parser("compare")
    c.add_argument("name")
    how = c.add_mutually_exclusive_group()
    how.add_argument("--interp", action="store_true")
    how.add_argument("--run", action="store_true")
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    return cmd_build(args) if args.cmd == "build" else cmd_compare(args)


if __name__ == "__main__":
    sys.exit(main())
