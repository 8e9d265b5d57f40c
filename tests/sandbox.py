"""Running one program with a time limit in a fresh directory of its own (also its HOME and
TMPDIR), with a fixed environment, killing everything it started when the time is up. Every test
driver runs both the oracle (qemu-aarch64) and the translation through this, so the two sides
see the same conditions."""
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time


class Result:
    """How a run ended: status is the exit status, -N for signal N, None for a timeout."""

    def __init__(self, status, stdout, stderr, seconds):
        self.status, self.stdout, self.stderr, self.seconds = status, stdout, stderr, seconds

    def to_json(self):
        # latin-1 round-trips every byte.
        return {"status": self.status, "stdout": self.stdout.decode("latin-1"),
                "stderr": self.stderr.decode("latin-1"), "seconds": round(self.seconds, 3)}

    @classmethod
    def from_json(cls, j):
        return cls(j["status"], j["stdout"].encode("latin-1"), j["stderr"].encode("latin-1"),
                   j["seconds"])

    def describe(self):
        if self.status is None:
            return "timed out"
        if self.status < 0:
            return f"killed by signal {-self.status}"
        return f"exit status {self.status}"

    def same_behaviour(self, other, mask_addresses=False):
        """With mask_addresses, hexadecimal numbers of 8 digits or more in the output compare
        equal: for tests that print where their stack lies, which differs between qemu-aarch64,
        the kernel and a translated program."""
        def view(r):
            out, err = r.stdout, r.stderr
            if mask_addresses:
                out, err = (_ADDRESS.sub(b"0x?", s) for s in (out, err))
            return r.status, out, err
        return view(self) == view(other)


_ADDRESS = re.compile(rb"0x[0-9a-f]{8,}")


def run(cmd, timeout, env=None, scratch=None, workdir=None, argv0=None):
    """Runs cmd with no stdin. It runs in workdir if given (emptied first, so two runs that must
    see the same path can share it), else in a new directory under scratch; the directory is
    removed afterwards. argv0, if given, replaces the program's argv[0]."""
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        where = workdir
    else:
        where = tempfile.mkdtemp(prefix="run-", dir=scratch)
    full_env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC", "HOME": where,
                "TMPDIR": where}
    full_env.update(env or {})
    start = time.monotonic()
    p = subprocess.Popen([argv0 or cmd[0]] + cmd[1:], executable=cmd[0],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=full_env, cwd=where, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        status = None
    shutil.rmtree(where, ignore_errors=True)
    return Result(status, out, err, time.monotonic() - start)


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
