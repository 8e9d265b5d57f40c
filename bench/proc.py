"""Running one program and measuring it: CPU time (user + system) of the child from wait4, wall
time, peak resident memory, and a digest of its standard output."""
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time


class Run:
    """How one run ended. status: exit status, -N for signal N, None for a timeout."""

    def __init__(self, status, cpu, wall, maxrss_kb, out_digest, out_bytes, err_tail):
        self.status, self.cpu, self.wall = status, cpu, wall
        self.maxrss_kb, self.out_digest, self.out_bytes = maxrss_kb, out_digest, out_bytes
        self.err_tail = err_tail

    def describe(self):
        if self.status is None:
            return "timed out"
        if self.status < 0:
            return f"killed by signal {-self.status}"
        return f"exit status {self.status}"

    def same_output(self, other):
        """Same exit status and byte-identical standard output."""
        return (self.status, self.out_digest) == (other.status, other.out_digest)


def _digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest(), os.path.getsize(path)


def run(cmd, stdin=None, timeout=600, scratch=None, keep_stdout=None, env=None):
    """Runs cmd in a fresh directory (also its TMPDIR) with stdin from the file stdin (or
    /dev/null). Standard output goes to a file (kept at keep_stdout if given) and is digested;
    the rusage of the child itself is read with wait4, so the time is the program's own CPU
    time whatever else the machine is doing."""
    tmp = tempfile.mkdtemp(prefix="run-", dir=scratch)
    full_env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TMPDIR": tmp}
    full_env.update(env or {})
    out_path = keep_stdout or os.path.join(tmp, ".stdout")
    err_path = os.path.join(tmp, ".stderr")
    with open(stdin or os.devnull, "rb") as fin, open(out_path, "wb") as fout, \
            open(err_path, "wb") as ferr:
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=ferr, env=full_env, cwd=tmp,
                             start_new_session=True)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, wstatus, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - start
        timer.cancel()
    status = os.waitstatus_to_exitcode(wstatus)
    p.returncode = status  # reaped here, not by Popen
    if timed_out.is_set():
        status = None
    out_digest, out_bytes = _digest(out_path)
    with open(err_path, "rb") as f:
        err_tail = f.read()[-2000:].decode("utf-8", "replace")
    shutil.rmtree(tmp, ignore_errors=True)
    return Run(status, ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss, out_digest, out_bytes,
               err_tail)


def file_digest(*paths, extra=""):
    """One digest over files' contents and a string: the key of a cached build or translation."""
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(_digest(p)[0].encode())
    return h.hexdigest()[:24]
