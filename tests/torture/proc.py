"""Running one program with a time limit, in a directory of its own, and remembering results."""
import hashlib
import json
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


def run(cmd, timeout, env=None, scratch=None):
    """Runs cmd with no stdin in a fresh directory (its TMPDIR too), killing everything it
    started when the time is up."""
    tmp = tempfile.mkdtemp(prefix="run-", dir=scratch)
    full_env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TMPDIR": tmp}
    full_env.update(env or {})
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=full_env, cwd=tmp, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        result = Result(p.returncode, out, err, time.monotonic() - start)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        result = Result(None, out, err, time.monotonic() - start)
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def digest(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode())
        h.update(b"\0")
    return h.hexdigest()


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_json(path, key):
    """The record stored at path if it was made from key, else None."""
    try:
        with open(path) as f:
            j = json.load(f)
    except (OSError, ValueError):
        return None
    return j if j.get("key") == key else None


def save_json(path, key, record):
    record = dict(record, key=key)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(record, f)
    os.replace(tmp, path)
