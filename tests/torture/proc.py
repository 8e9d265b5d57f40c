"""Remembering results: digests of what a result was made from, and JSON records keyed by them."""
import hashlib
import json
import os


def digest(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode())
        h.update(b"\0")
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
