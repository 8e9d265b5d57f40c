"""Translating a guest with xlate -v, cached by the contents of xlate and of the guest: the
translated executable, or the failure, and what the translation cost (wall and CPU seconds, peak
memory) as xlate's last -v line reports it."""
import json
import os
import re

import proc

# xlate -v's last line: "... cpu time: lift 1.1s, optimize 19.6s, codegen 21.6s; wall: ...,
# total 99.6s; peak memory 127 MB"
LAST_LINE = re.compile(r"cpu time: (?P<cpu>[^;]*); wall: (?P<wall>[^;]*); "
                       r"peak memory (?P<peak>[0-9.]+) MB")


class Translation:
    def __init__(self, level, exe, ok, wall, cpu, peak_mb, error):
        self.level, self.exe, self.ok = level, exe, ok
        self.wall, self.cpu, self.peak_mb, self.error = wall, cpu, peak_mb, error


def _seconds(text, name):
    m = re.search(name + r" ([0-9.]+)s", text)
    return float(m.group(1)) if m else None


def _parse(stderr, run):
    """(wall s, cpu s, peak MB): xlate's own figures where it printed them, else the process's
    (CPU time is the process's either way: it includes every thread)."""
    m = None
    for m in LAST_LINE.finditer(stderr):
        pass
    wall = _seconds(m.group("wall"), "total") if m else None
    peak = float(m.group("peak")) if m else None
    return (wall if wall is not None else run.wall, run.cpu,
            peak if peak is not None else run.maxrss_kb / 1024)


def translate(xlate, guest, level, cache, timeout):
    """The guest translated at -O<level> (from the cache when xlate, the runtime it links into
    every output and the guest are unchanged)."""
    os.makedirs(cache, exist_ok=True)
    runtime = os.path.join(os.path.dirname(xlate), "libxlate_rt.a")
    key = proc.file_digest(xlate, runtime, guest, extra=f"-O{level}")
    exe, meta = os.path.join(cache, key + ".x"), os.path.join(cache, key + ".json")
    if os.path.isfile(meta):
        with open(meta) as f:
            j = json.load(f)
        if not j["ok"] or os.path.isfile(exe):
            return Translation(level, exe, **j)
    log = os.path.join(cache, key + ".log")
    tmp = f"{exe}.{os.getpid()}.tmp"  # two bench runs may translate the same guest at once
    run = proc.run([xlate, "-v", f"-O{level}", os.path.abspath(guest), "-o", tmp],
                   timeout=timeout, keep_stdout=log)
    with open(log, "a") as f:
        f.write(run.err_tail)
    wall, cpu, peak = _parse(run.err_tail, run)
    ok = run.status == 0 and os.path.isfile(tmp)
    error = None if ok else f"xlate -O{level} {run.describe()}: " + \
        (run.err_tail.strip().splitlines() or [""])[-1][:200]
    if ok:
        os.replace(tmp, exe)
    j = dict(ok=ok, wall=round(wall, 2), cpu=round(cpu, 2), peak_mb=round(peak), error=error)
    if run.status is not None:  # a timeout may pass on a less busy machine: not remembered
        with open(meta, "w") as f:
            json.dump(j, f)
    return Translation(level, exe, **j)
