#!/usr/bin/env python3
"""Real programs nobody here wrote, translated and compared with qemu-aarch64 (the oracle):
Debian's arm64 busybox-static running the shell scripts in busybox/GROUP/, and Debian's lua5.4
(built static for arm64 from its source package by bench/debian.py) running lua/*.lua.

  run_real.py setup busybox|lua     fetch the program (cached under --work) and translate it
                                    once (cached: redone when xlate, its runtime, the guest or
                                    the options change)
  run_real.py busybox GROUP [MODE]  every busybox/GROUP/*.sh under `busybox sh`
  run_real.py lua NAME [MODE]       lua/NAME.lua under lua
  MODE: --interp runs the translation with XLATE_INTERP=1; --run runs the guest through
  `xlate --run` (no translated code at all).

Each script runs in the same fresh directory on both sides (qemu-aarch64 first), with a fixed
environment (for busybox scripts DATA names the inputs directory busybox/data, DEB the busybox
.deb). Standard output, standard error and exit status must be byte for byte the same. busybox re-executes itself through /proc/self/exe
(env, nice, xargs ...): translated, that is the translated busybox; under qemu-aarch64 that would
reach the host kernel, so the oracle is a copy of busybox whose "/proc/self/exe" string names a
link to qemu_exec.c's program instead, which runs that copy under qemu-aarch64.
Exit status 0 = same behaviour, 1 = a difference, 2 = setup failed.
"""
import argparse
import glob
import hashlib
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
import debian  # noqa: E402
sys.path.insert(0, os.path.join(HERE, ".."))
import sandbox  # noqa: E402

TIMEOUT = 300
SELF_EXE = b"/proc/self/exe"


def translate(args, guest, out):
    """xlate guest -o out, unless out was made from the same inputs."""
    h = hashlib.sha256(args.xlate_opt.encode())
    rt = os.path.join(os.path.dirname(args.xlate), "libxlate_rt.a")
    for f in (args.xlate, rt, guest):
        h.update(sandbox.file_digest(f).encode())
    key, stamp = h.hexdigest(), out + ".key"
    if os.path.exists(out) and os.path.exists(stamp) and open(stamp).read() == key:
        print(f"{out}: translation is up to date")
        return True
    cmd = [args.xlate, args.xlate_opt, "-v", guest, "-o", out + ".tmp"]
    print("$", " ".join(cmd), flush=True)
    if subprocess.run(cmd).returncode != 0:
        return False
    os.replace(out + ".tmp", out)
    with open(stamp, "w") as f:
        f.write(key)
    return True


def busybox_paths(args):
    d = os.path.join(args.work, "busybox")
    # The link that stands for /proc/self/exe in the oracle: as long as that string, and
    # distinct for each work directory.
    tag = hashlib.sha256(d.encode()).hexdigest()[: len(SELF_EXE) - len("/tmp/xlq-")]
    return dict(dir=d, oracle=os.path.join(d, "oracle", "busybox"),
                translated=os.path.join(d, "translated", "busybox"),
                wrapper=os.path.join(d, "qemu-exec"), link="/tmp/xlq-" + tag)


def ensure_link(p):
    if os.path.islink(p["link"]) and os.readlink(p["link"]) == p["wrapper"]:
        return
    tmp = p["link"] + ".new"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(p["wrapper"], tmp)
    os.replace(tmp, p["link"])


def setup_busybox(args):
    p = busybox_paths(args)
    pkg = debian.binary_package("busybox-static", "arm64", os.path.join(args.work, "debian"))
    guest = os.path.join(pkg, "bin", "busybox")
    for d in ("oracle", "translated"):
        os.makedirs(os.path.join(p["dir"], d), exist_ok=True)
    with open(guest, "rb") as f:
        image = f.read()
    if image.count(SELF_EXE + b"\0") == 0:
        print(f"{guest}: no {SELF_EXE.decode()} string to redirect")
        return 2
    with open(p["oracle"], "wb") as f:
        f.write(image.replace(SELF_EXE + b"\0", p["link"].encode() + b"\0"))
    os.chmod(p["oracle"], 0o755)
    r = subprocess.run([args.host_cc, "-O2", "-o", p["wrapper"], f'-DQEMU="{args.qemu}"',
                        f'-DGUEST="{p["oracle"]}"', os.path.join(HERE, "qemu_exec.c")])
    if r.returncode != 0:
        return 2
    ensure_link(p)
    return 0 if translate(args, guest, p["translated"]) else 2


def lua_paths(args):
    d = os.path.join(args.work, "lua")
    return dict(dir=d, guest=os.path.join(d, "lua"), translated=os.path.join(d, "lua.x"))


def setup_lua(args):
    p = lua_paths(args)
    guest, _ = debian.build("lua5.4", os.path.join(args.work, "debian"), native=False)
    os.makedirs(p["dir"], exist_ok=True)
    shutil.copyfile(guest, p["guest"])
    os.chmod(p["guest"], 0o755)
    return 0 if translate(args, p["guest"], p["translated"]) else 2


def show(data):
    text = data.decode("utf-8", "backslashreplace")
    return text if len(text) < 3000 else text[:3000] + "\n[...]\n"


def compare(name, oracle_cmd, translated_cmd, argv0, rundir, env, mode_env):
    q = sandbox.run(oracle_cmd, TIMEOUT, env, workdir=rundir, argv0=argv0)
    x = sandbox.run(translated_cmd, TIMEOUT, {**env, **mode_env}, workdir=rundir, argv0=argv0)
    q, x = ((r.stdout, r.stderr, r.describe()) for r in (q, x))
    diffs = [what for what, a, b in zip(("standard output", "standard error", "exit status"), q, x)
             if a != b]
    if not diffs:
        print(f"same    {name}")
        return True
    print(f"DIFFERS {name}: {', '.join(diffs)}")
    for what, a, b in zip(("standard output", "standard error"), q, x):
        if a != b:
            print(f"--- {what}, qemu-aarch64:\n{show(a)}--- {what}, translated:\n{show(b)}")
    if q[2] != x[2]:
        print(f"--- exit status: qemu-aarch64 {q[2]}, translated {x[2]}")
    return False


def rundir(args, base, name):
    """Where a test runs: distinct for each test and mode, as CTest runs them in parallel."""
    mode = "-interp" if args.interp else "-run" if args.run else ""
    return os.path.join(base, f"run-{name}{mode}")


def mode_env(args):
    return {"XLATE_INTERP": "1"} if args.interp else {}


def translated_cmd(args, translated, guest):
    """The translated side: the translation, or with --run the guest through xlate --run
    (which gives the guest argv[0] = its path, as the kernel would)."""
    return [args.xlate, "--run", guest] if args.run else [translated]


def cmd_busybox(args):
    p = busybox_paths(args)
    if not os.path.exists(p["translated"]):
        print("busybox: not set up")
        return 2
    ensure_link(p)
    scripts = sorted(glob.glob(os.path.join(HERE, "busybox", args.name, "*.sh")))
    if not scripts:
        print(f"busybox: no scripts in busybox/{args.name}")
        return 2
    guest = os.path.join(args.work, "debian", "deb", "busybox-static_arm64", "bin", "busybox")
    deb = glob.glob(os.path.join(args.work, "debian", "deb", "download", "busybox-static_*.deb"))
    env = {"DATA": os.path.join(HERE, "busybox", "data"), "DEB": deb[0] if deb else ""}
    argv0 = guest if args.run else "busybox"
    ok = 0
    for s in scripts:
        name = f"{args.name}/{os.path.basename(s)[:-3]}"
        ok += compare(name, [args.qemu, "-0", argv0, p["oracle"], "sh", s],
                      translated_cmd(args, p["translated"], guest) + ["sh", s], argv0,
                      rundir(args, p["dir"], args.name), env, mode_env(args))
    print(f"busybox {args.name}: {ok} of {len(scripts)} scripts behave the same")
    return 0 if ok == len(scripts) else 1


def cmd_lua(args):
    p = lua_paths(args)
    if not os.path.exists(p["translated"]):
        print("lua: not set up")
        return 2
    script = os.path.join(HERE, "lua", args.name + ".lua")
    argv0 = p["guest"] if args.run else "lua"
    ok = compare(args.name, [args.qemu, "-0", argv0, p["guest"], script],
                 translated_cmd(args, p["translated"], p["guest"]) + [script], argv0,
                 rundir(args, p["dir"], args.name), {}, mode_env(args))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--xlate", required=True)
    ap.add_argument("--xlate-opt", default="-O1")
    ap.add_argument("--host-cc", default="cc")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("program", choices=["busybox", "lua"])
    for name in ("busybox", "lua"):
        c = sub.add_parser(name)
        c.add_argument("name")
        m = c.add_mutually_exclusive_group()
        m.add_argument("--interp", action="store_true")
        m.add_argument("--run", action="store_true")
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    args.xlate = os.path.abspath(args.xlate)
    try:
        if args.cmd == "setup":
            return setup_busybox(args) if args.program == "busybox" else setup_lua(args)
        return cmd_busybox(args) if args.cmd == "busybox" else cmd_lua(args)
    except debian.SourceError as e:
        print(f"setup failed: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
