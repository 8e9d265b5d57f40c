"""The benchmarks: our own kernels (bench/kernels/*.c) and real programs from Debian source
packages, each with the arguments of a timed run, of a quick smoke run and of a callgrind run
(callgrind is 50-100x slower, and some translated code far more, so its size is a few
percent of the timed one: still far above the fixed start-up cost), and how to build the
guest (static -O2 arm64) and native (-O2 x86-64) executables from one source."""
import os
import subprocess

import debian

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))


class BuildError(Exception):
    pass


class Bench:
    """name, group, build(work) -> (guest, native); args/quick/callgrind: argument lists;
    stdin: None or a callable(work, size) -> path, size being "bench", "quick" or
    "callgrind"."""

    def __init__(self, name, group, build, args, quick, callgrind, stdin=None):
        self.name, self.group, self.build = name, group, build
        self.sizes = {"bench": args, "quick": quick, "callgrind": callgrind}
        self.stdin = stdin

    def args(self, size):
        return list(self.sizes[size])

    def input(self, work, size):
        return self.stdin(work, size) if self.stdin else None


def _kernel_build(name):
    def build(work):
        src = os.path.join(BENCH_DIR, "kernels", name + ".c")
        out = os.path.join(work, "kernels")
        os.makedirs(out, exist_ok=True)
        exes = []
        for cc, tag in ((debian.GUEST[0], "guest"), (debian.NATIVE[0], "native")):
            exe = os.path.join(out, f"{name}.{tag}")
            r = subprocess.run([*cc, "-Wall", "-Wextra", src, "-o", exe + ".tmp", "-lm"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise BuildError(f"{' '.join(cc)} {name}.c failed:\n{r.stderr[-1500:]}")
            os.replace(exe + ".tmp", exe)
            exes.append(exe)
        return tuple(exes)
    return build


def _package_build(package):
    def build(work):
        try:
            return debian.build(package, work)
        except debian.SourceError as e:
            raise BuildError(str(e)) from e
    return build


# Kernels: (name, group, quick size, callgrind size); the timed size is the kernel's default.
KERNELS = [
    ("nbody", "FP", 500, 2000),
    ("matmul", "FP", 64, 200),
    ("fft", "FP", 2, 3),
    ("sort", "integer", 20000, 150000),
    ("sieve", "integer", 1, 1),
    ("hash", "integer", 2, 4),
    ("interp", "indirect", 20000, 250000),
    ("fsm", "indirect", 1, 4),
    ("malloc", "memory", 20000, 200000),
    ("memops", "memory", 20000, 150000),
]

# Lua scripts (bench/lua/NAME.lua): (name, quick size, callgrind size).
LUA_SCRIPTS = [("fib", 20, 25), ("tables", 2000, 5000), ("strings", 2000, 6000),
               ("objects", 5000, 10000)]


def _lua_args(script, size):
    path = os.path.join(BENCH_DIR, "lua", script + ".lua")
    return [path] if size is None else [path, str(size)]


def _sql_args(rows):
    """sqlite3 shell arguments: an in-memory database, bench/sql/workload.sql's @n = rows."""
    return [":memory:", "-cmd", f".parameter set @n {rows}"]


# The compressors' input: generated text (words of a made-up vocabulary with a skewed
# distribution, numbers and punctuation) -- compressible about 3:1, like source code or logs.
TEXT_BYTES = {"bench": 6 << 20, "quick": 256 << 10, "callgrind": 256 << 10}


def _text(n):
    x = 0x2545F491
    vocab = []
    for i in range(4000):
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        length = 2 + (x >> 33) % 9
        vocab.append("".join(chr(97 + (x >> (5 * k + 7)) % 26) for k in range(length)))
    out, size = [], 0
    while size < n:
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        r = x >> 32
        # The square of a uniform number favours small indices: common words are common.
        word = vocab[(r % 4000) * ((r >> 12) % 4000) // 4000]
        if r % 11 == 0:
            word = str(r % 100000)
        word += "\n" if r % 13 == 0 else (", " if r % 7 == 0 else " ")
        out.append(word)
        size += len(word)
    return "".join(out).encode()[:n]


def _plain_text(work, size):
    path = os.path.join(work, "inputs", f"text-{size}.txt")
    if not os.path.isfile(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "wb") as f:
            f.write(_text(TEXT_BYTES[size]))
        os.replace(path + ".tmp", path)
    return path


def _compressed_text(package, suffix, args, repeat):
    """stdin maker: the text compressed by the package's native build (its output is the same
    on every host), repeated: both formats decompress concatenated streams, so a fast
    decompressor gets enough work from the same file."""
    def make(work, size):
        plain = _plain_text(work, size)
        path = f"{plain}.x{repeat}.{suffix}"
        if not os.path.isfile(path):
            _, native = debian.build(package, work)
            with open(plain, "rb") as fin:
                once = subprocess.run([native, *args], stdin=fin, capture_output=True,
                                      check=True).stdout
            with open(path + ".tmp", "wb") as f:
                f.write(once * repeat)
            os.replace(path + ".tmp", path)
        return path
    return make


def _compressor(package, name, level, repeat):
    """A compress and a decompress benchmark of a compressor's command-line program."""
    build = _package_build(package)
    comp = [level, "-c"]
    return [Bench(name + "-compress", "program", build, comp, comp, comp, stdin=_plain_text),
            Bench(name + "-decompress", "program", build, ["-d", "-c"], ["-d", "-c"],
                  ["-d", "-c"], stdin=_compressed_text(package, name, comp, repeat))]


def benchmarks():
    out = [Bench(n, g, _kernel_build(n), [], [str(q)], [str(c)]) for n, g, q, c in KERNELS]
    lua = _package_build("lua5.4")
    for script, q, c in LUA_SCRIPTS:
        out.append(Bench("lua-" + script, "program", lua, _lua_args(script, None),
                         _lua_args(script, q), _lua_args(script, c)))
    sql = os.path.join(BENCH_DIR, "sql", "workload.sql")
    out.append(Bench("sqlite3", "program", _package_build("sqlite3"), _sql_args(100000),
                     _sql_args(2000), _sql_args(3000), stdin=lambda work, size: sql))
    out += _compressor("bzip2", "bzip2", "-9", 1)
    out += _compressor("libzstd", "zstd", "-10", 16)
    return out
