"""One guest level of the torture suite, and the batches its tests are linked into.

A test's object has its `main` renamed to a symbol of its own and every other definition made
local (objcopy), so the objects of many tests link into one static executable without clashing;
a generated dispatcher main runs test INDEX as `guest INDEX` with argv[0] in place of INDEX, so the
test sees the argc/argv it would see alone. A test that defines a libc function keeps it for its
own calls, as when linked alone; only glibc's internal calls stay with glibc's.
"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import threading

import proc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sandbox  # noqa: E402

# clang 16+ makes implicit declarations and implicit int errors; the torture tests predate that.
CLANG_FLAGS = ["--target=aarch64-linux-gnu", "-Wno-error=implicit-function-declaration",
               "-Wno-error=implicit-int", "-Wno-error=int-conversion",
               "-Wno-error=incompatible-pointer-types", "-Wno-error=return-type"]
OBJCOPY = "aarch64-linux-gnu-objcopy"
LINK_LIBS = ["-static", "-lm"]
# Bump when how objects or batches are made changes, so cached ones are rebuilt.
FORMAT = "1"
QEMU_TIMEOUT = 120
XLATE_TIMEOUT = 3600
# Tests that print addresses of locals. Where the guest stack lies is the loader's choice
# (qemu-aarch64 puts it near 0x55_0080_0000, the arm64 kernel near 0xffff_ffff_f000, xlate below
# the host's own stack), so their addresses are masked before comparing.
PRINTS_STACK_ADDRESSES = {"return-addr"}


def translated_timeout(qemu_seconds):
    return 60 + 20 * qemu_seconds


class SetupError(Exception):
    pass


def _version(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise SetupError(f"{cmd[0]}: {e}")
    if r.returncode != 0:
        raise SetupError(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return r.stdout.strip()


class Tools:
    def __init__(self, cc, clang, qemu, xlate, xlate_opt, interp):
        self.cc, self.clang, self.qemu = cc, clang, qemu
        self.xlate, self.xlate_opt, self.interp = os.path.abspath(xlate), xlate_opt, interp

    def identify(self):
        """Versions of everything that results depend on (cache keys)."""
        self.ids = {"gcc": _version([self.cc, "--version"]),
                    "clang": _version([self.clang, "--version"])}
        _version([self.qemu, "--version"])
        runtime = os.environ.get("XLATE_RUNTIME") or os.path.join(
            os.path.dirname(self.xlate), "libxlate_rt.a")
        try:
            self.xlate_id = proc.digest(sandbox.file_digest(self.xlate),
                                        sandbox.file_digest(runtime), *self.xlate_opt)
        except OSError as e:
            raise SetupError(f"xlate: {e}")

    def compiler(self, kind):
        return [self.cc] if kind == "gcc" else [self.clang] + CLANG_FLAGS


class Test:
    def __init__(self, name, path, options, skip, symbol):
        self.name, self.path, self.options, self.symbol = name, path, options, symbol
        # None while undecided, then skip-dg, skip-build, skip-qemu, pass or fail.
        self.state, self.detail = ("skip-dg", skip) if skip else (None, "")
        self.obj = self.obj_key = None
        self.batch = self.index = None

    def decide(self, state, detail=""):
        self.state, self.detail = state, detail


class Level:
    def __init__(self, name, compiler, flags, directory, tools, pool):
        self.name, self.compiler, self.flags = name, compiler, flags
        self.dir, self.tools, self.pool = directory, tools, pool
        self.tests, self.batches, self.symbols = [], [], set()
        os.makedirs(os.path.join(directory, "obj"), exist_ok=True)

    def add(self, name, path, options, skip):
        sym = "torture_main_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
        while sym in self.symbols:
            sym += "_"
        self.symbols.add(sym)
        self.tests.append(Test(name, path, options, skip, sym))

    def compile_command(self, t, out):
        return (self.tools.compiler(self.compiler) + self.flags + t.options
                + ["-c", t.path, "-o", out])

    def _compile(self, t):
        with open(t.path, "rb") as f:
            src = f.read()
        key = proc.digest(FORMAT, src, self.tools.ids[self.compiler], *self.flags, *t.options,
                          t.symbol)
        base = os.path.join(self.dir, "obj", t.name)
        rec = proc.load_json(base + ".json", key)
        if rec is None or (rec["ok"] and not os.path.exists(base + ".o")):
            raw = f"{base}.raw.o"
            r = subprocess.run(self.compile_command(t, raw), capture_output=True, text=True,
                               cwd=os.path.dirname(t.path))
            ok, err = r.returncode == 0, r.stderr
            if ok:
                r = subprocess.run([OBJCOPY, f"--redefine-sym=main={t.symbol}",
                                    f"--keep-global-symbol={t.symbol}", raw, base + ".o"],
                                   capture_output=True, text=True)
                ok, err = r.returncode == 0, r.stderr
            if os.path.exists(raw):
                os.unlink(raw)
            errors = [line for line in err.split("\n") if "error" in line] or [err.strip()]
            rec = {"ok": ok, "error": "" if ok else errors[0][:300]}
            proc.save_json(base + ".json", key, rec)
        if rec["ok"]:
            t.obj, t.obj_key = base + ".o", key
        else:
            t.decide("skip-build", rec["error"])

    def compile(self):
        todo = [t for t in self.tests if t.state is None]
        list(self.pool.map(self._compile, todo))

    def make_batches(self, size):
        """Splits the tests that built into batches of at most size tests, evenly."""
        ready = [t for t in self.tests if t.state is None]
        n = -(-len(ready) // max(1, size))
        for i in range(n):
            self.batches.append(Batch(self, ready[i * len(ready) // n:(i + 1) * len(ready) // n]))

    def report(self, out, verbose):
        """Prints the level's counts and failures; True if any test failed."""
        counts = {}
        for t in self.tests:
            counts[t.state] = counts.get(t.state, 0) + 1
        skips = sum(v for k, v in counts.items() if k.startswith("skip"))
        out.write(f"{self.name}: {counts.get('pass', 0)} pass, {counts.get('fail', 0)} fail, "
                  f"{skips} qemu-skip ({counts.get('skip-dg', 0)} by dg directives, "
                  f"{counts.get('skip-build', 0)} do not build, "
                  f"{counts.get('skip-qemu', 0)} fail under qemu)\n")
        with open(os.path.join(self.dir, "results.txt"), "w") as f:
            for t in self.tests:
                f.write(f"{t.name} {t.state} {t.detail}\n")
        for t in self.tests:
            if t.state == "fail":
                out.write(f"  FAIL {self.name} {t.name}: {t.detail}\n")
                b = t.batch
                out.write(f"       qemu-aarch64 {b.guest} {t.index}    vs    "
                          f"{b.translated} {t.index}\n")
                out.write(f"       alone: {' '.join(self.compile_command(t, t.name + '.o'))}\n")
            elif verbose and t.state.startswith("skip"):
                out.write(f"  {t.state} {self.name} {t.name}: {t.detail}\n")
        return counts.get("fail", 0) > 0


DISPATCH = """\
#include <stdlib.h>
%(decls)s
static int (*const tests[])(int, char **, char **) = {%(table)s};
int main(int argc, char **argv, char **envp)
{
    if (argc < 2)
        return 125;
    unsigned long k = strtoul(argv[1], NULL, 10);
    if (k >= sizeof tests / sizeof tests[0])
        return 125;
    argv[1] = argv[0];
    return tests[k](argc - 1, argv + 1, envp);
}
"""


class Batch:
    def __init__(self, level, members):
        self.level, self.members = level, members
        tools = level.tools
        self.key = proc.digest(FORMAT, level.name, tools.ids[level.compiler],
                               *(t.obj_key for t in members))
        self.dir = os.path.join(level.dir, "batch", self.key[:16])
        self.guest = os.path.join(self.dir, "guest")
        xdir = os.path.join(self.dir, "xl-" + proc.digest(*tools.xlate_opt)[:8])
        self.xdir, self.translated = xdir, os.path.join(xdir, "guest.x")
        self.lock = threading.Lock()
        self.qemu, self.xl, self.interp = {}, {}, {}
        self.xlate_error = None

    def _link(self, members, out):
        d = os.path.join(self.dir, "dispatch.c")
        decls = "".join(f"int {t.symbol}(int, char **, char **);\n" for t in members)
        with open(d, "w") as f:
            f.write(DISPATCH % {"decls": decls, "table": ", ".join(t.symbol for t in members)})
        cc = self.level.tools.compiler(self.level.compiler)
        r = subprocess.run(cc + ["-O2", "-o", out, d] + [t.obj for t in members] + LINK_LIBS,
                           capture_output=True, text=True)
        return r.returncode == 0, r.stderr

    def link(self):
        os.makedirs(self.dir, exist_ok=True)
        path = os.path.join(self.dir, "link.json")
        rec = proc.load_json(path, self.key)
        if rec is None or not os.path.exists(self.guest):
            dropped, members = {}, list(self.members)
            ok, _ = self._link(members, self.guest)
            if not ok:
                # Find the members that do not link even alone; link the others.
                for t in self.members:
                    alone, err = self._link([t], self.guest)
                    if not alone:
                        lines = [x for x in err.split("\n") if x.strip()]
                        dropped[t.name] = (lines[0] if lines else "link failed")[:300]
                members = [t for t in self.members if t.name not in dropped]
                if members and not self._link(members, self.guest)[0]:
                    dropped.update({t.name: "links alone but not in a batch" for t in members})
                    members = []
            rec = {"members": [t.name for t in members], "dropped": dropped}
            proc.save_json(path, self.key, rec)
        for t in self.members:
            if t.name in rec["dropped"]:
                t.decide("skip-build", "link: " + rec["dropped"][t.name])
        self.members = [t for t in self.members if t.name in rec["members"]]
        for i, t in enumerate(self.members):
            t.batch, t.index = self, i
        self.qemu = self._load("qemu.json", self.key)
        self.xl = self._load("xl.json", self.level.tools.xlate_id)
        self.interp = self._load("interp.json", self.level.tools.xlate_id)

    def _load(self, name, key):
        rec = proc.load_json(os.path.join(self.dir, name), key) or {}
        return {k: sandbox.Result.from_json(v) for k, v in rec.get("results", {}).items()}

    def save(self):
        tools = self.level.tools
        for name, key, results in (("qemu.json", self.key, self.qemu),
                                   ("xl.json", tools.xlate_id, self.xl),
                                   ("interp.json", tools.xlate_id, self.interp)):
            proc.save_json(os.path.join(self.dir, name), key,
                           {"results": {k: v.to_json() for k, v in results.items()}})

    def run_qemu(self, t):
        if t.name not in self.qemu:
            r = sandbox.run([self.level.tools.qemu, self.guest, str(t.index)], QEMU_TIMEOUT,
                            scratch=self.dir)
            with self.lock:
                self.qemu[t.name] = r

    def passing(self):
        return [t for t in self.members if self.qemu[t.name].status == 0]

    def translate(self):
        """Translates the batch unless the translation for this xlate is already there."""
        tools = self.level.tools
        idfile = os.path.join(self.xdir, "id")
        todo = [t for t in self.passing() if t.name not in self.xl
                or (tools.interp and t.name not in self.interp)]
        if not todo:
            return []
        try:
            with open(idfile) as f:
                have = f.read() == tools.xlate_id and os.path.exists(self.translated)
        except OSError:
            have = False
        if not have:
            shutil.rmtree(self.xdir, ignore_errors=True)
            os.makedirs(self.xdir)
            r = sandbox.run([tools.xlate, self.guest, "-o", self.translated] + tools.xlate_opt,
                            XLATE_TIMEOUT, scratch=self.dir)
            if r.status != 0:
                err = r.stderr.decode(errors="replace").strip().split("\n")
                self.xlate_error = f"xlate {r.describe()}: {err[-1][:300] if err else ''}"
                return []
            with open(idfile, "w") as f:
                f.write(tools.xlate_id)
        return todo

    def run_translated(self, t, interp):
        results = self.interp if interp else self.xl
        if t.name in results:
            return
        env = {"XLATE_INTERP": "1"} if interp else {}
        r = sandbox.run([self.translated, str(t.index)],
                        translated_timeout(self.qemu[t.name].seconds), env=env,
                        scratch=self.dir)
        with self.lock:
            results[t.name] = r

    def decide(self):
        for t in self.members:
            q = self.qemu[t.name]
            masked = t.name in PRINTS_STACK_ADDRESSES
            if q.status != 0:
                t.decide("skip-qemu", q.describe())
            elif self.xlate_error:
                t.decide("fail", self.xlate_error)
            elif not q.same_behaviour(self.xl[t.name], masked):
                t.decide("fail", "translated: " + _difference(q, self.xl[t.name]))
            elif self.level.tools.interp and not q.same_behaviour(self.interp[t.name], masked):
                t.decide("fail", "interpreted: " + _difference(q, self.interp[t.name]))
            else:
                t.decide("pass")


def _difference(want, got):
    if want.status != got.status:
        return f"{got.describe()} (qemu: {want.describe()})"
    stream = "stdout" if want.stdout != got.stdout else "stderr"
    return f"{stream} differs: {getattr(got, stream)[:200]!r} (qemu: " \
           f"{getattr(want, stream)[:200]!r})"


def run_all(batches, pool, xlate_slots):
    """Links every batch, runs its tests under qemu, translates it and runs the tests that
    passed under qemu translated (and interpreted). Translations overlap with runs."""
    list(pool.map(lambda b: b.link(), batches))
    list(pool.map(lambda bt: bt[0].run_qemu(bt[1]),
                  [(b, t) for b in batches for t in b.members]))
    for b in batches:
        b.save()  # an interrupted run keeps what it has done

    runs = []

    def translate(b):
        # The translation is kept on disk at once; its runs go to the pool and overlap with the
        # next translation.
        interp = b.level.tools.interp
        runs.extend(pool.submit(b.run_translated, t, i) for t in b.translate()
                    for i in ((False, True) if interp else (False,)))

    with concurrent.futures.ThreadPoolExecutor(max_workers=xlate_slots) as xpool:
        list(xpool.map(translate, batches))
    for f in runs:
        f.result()
    for b in batches:
        b.save()
        b.decide()
