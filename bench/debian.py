"""Real programs from Debian source packages: fetching the source with apt-get (through a private
apt configuration that adds deb-src entries mirroring the machine's own deb entries, so nothing
of the system's apt state changes), unpacking it with dpkg-source (Debian's patches applied), and
compiling it twice, static -O2 for arm64 and -O2 natively. Everything is cached under the work
directory."""
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess

# (compiler command, Debian multiarch triplet) for each side.
GUEST = (["aarch64-linux-gnu-gcc", "-static", "-O2"], "aarch64-linux-gnu")
NATIVE = (["gcc", "-O2"], "x86_64-linux-gnu")


class SourceError(Exception):
    pass


# What to compile of each package: the directory, the C files that make the program (all of
# the directory's .c files but the excluded ones, or an explicit list), extra flags, and headers
# that Debian's rules generate ({multiarch} is the triplet).
RECIPES = {
    "lua5.4": dict(dir="src", exclude=["luac.c"], cflags=["-std=gnu99", "-DLUA_USE_POSIX"],
                   libs=["-lm"],
                   headers={"lua5.4-deb-multiarch.h":
                            '#define DEB_HOST_MULTIARCH "{multiarch}"\n'}),
    "bzip2": dict(dir=".", files=["blocksort.c", "huffman.c", "crctable.c", "randtable.c",
                                  "compress.c", "decompress.c", "bzlib.c", "bzip2.c"],
                  cflags=["-D_FILE_OFFSET_BITS=64"], libs=[]),
}


def _apt_options(apt):
    return ["-o", f"Dir::Etc::SourceList={apt}/sources.list",
            "-o", f"Dir::Etc::SourceParts={apt}/sources.list.d",
            "-o", f"Dir::State::Lists={apt}/lists",
            "-o", f"Dir::Cache={apt}/cache", "-q"]


def _source_entries():
    """The machine's deb entries as deb-src entries: (one-line list text, deb822 text)."""
    lines, stanzas = [], []
    if os.path.isfile("/etc/apt/sources.list"):
        with open("/etc/apt/sources.list") as f:
            lines += [re.sub(r"^deb(\s)", r"deb-src\1", l) for l in f
                      if re.match(r"^deb\s", l)]
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        with open(path) as f:
            lines += [re.sub(r"^deb(\s)", r"deb-src\1", l) for l in f
                      if re.match(r"^deb\s", l)]
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path) as f:
            for stanza in f.read().split("\n\n"):
                if re.search(r"^Types:.*\bdeb\b", stanza, re.M) and \
                        not re.search(r"^Enabled:\s*no", stanza, re.M | re.I):
                    stanzas.append(re.sub(r"^Types:.*$", "Types: deb-src", stanza, flags=re.M))
    return "".join(lines), "\n\n".join(stanzas) + "\n"


def _apt(work):
    """A private apt configuration with deb-src entries, updated once."""
    apt = os.path.join(work, "apt")
    if os.path.isfile(os.path.join(apt, ".updated")):
        return apt
    for d in ("sources.list.d", "lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(apt, d), exist_ok=True)
    one_line, deb822 = _source_entries()
    with open(os.path.join(apt, "sources.list"), "w") as f:
        f.write(one_line)
    with open(os.path.join(apt, "sources.list.d", "src.sources"), "w") as f:
        f.write(deb822)
    r = subprocess.run(["apt-get", *_apt_options(apt), "update"], capture_output=True, text=True)
    if r.returncode != 0:
        raise SourceError(f"apt-get update (deb-src) failed: {r.stderr.strip()[-500:]}")
    open(os.path.join(apt, ".updated"), "w").close()
    return apt


def source_tree(package, work):
    """The unpacked source of a Debian package, with Debian's patches applied."""
    dest = os.path.join(work, "src", package)
    if os.path.isfile(os.path.join(dest, ".unpacked")):
        return dest
    if not shutil.which("dpkg-source"):
        raise SourceError("dpkg-source is missing (apt-get install dpkg-dev)")
    apt = _apt(work)
    dl = os.path.join(work, "src", "download", package)
    os.makedirs(dl, exist_ok=True)
    if not glob.glob(os.path.join(dl, f"{package}_*.dsc")):
        r = subprocess.run(["apt-get", *_apt_options(apt), "source", "--download-only", package],
                           cwd=dl, capture_output=True, text=True)
        if r.returncode != 0:
            raise SourceError(f"apt-get source {package} failed: {r.stderr.strip()[-500:]}")
    dsc = sorted(glob.glob(os.path.join(dl, f"{package}_*.dsc")))[-1]
    shutil.rmtree(dest, ignore_errors=True)
    r = subprocess.run(["dpkg-source", "--no-check", "-x", dsc, dest], capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SourceError(f"dpkg-source -x {os.path.basename(dsc)} failed: {r.stderr[-500:]}")
    open(os.path.join(dest, ".unpacked"), "w").close()
    return dest


def _compile(side, recipe, srcdir, objdir, out, log):
    cc, multiarch = side
    os.makedirs(objdir, exist_ok=True)
    for name, text in recipe.get("headers", {}).items():
        with open(os.path.join(objdir, name), "w") as f:
            f.write(text.replace("{multiarch}", multiarch))
    if "files" in recipe:
        files = recipe["files"]
    else:
        files = sorted(f for f in os.listdir(srcdir)
                       if f.endswith(".c") and f not in recipe["exclude"])

    def one(f):
        obj = os.path.join(objdir, f[:-2] + ".o")
        return subprocess.run([*cc, *recipe["cflags"], "-I", objdir, "-w", "-c", os.path.join(srcdir, f),
                               "-o", obj], capture_output=True, text=True), obj

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, files))
    for r, _ in results:
        log.write(r.stdout + r.stderr)
        if r.returncode != 0:
            return False
    r = subprocess.run([*cc, *[o for _, o in results], "-o", out, *recipe["libs"]],
                       capture_output=True, text=True)
    log.write(r.stdout + r.stderr)
    return r.returncode == 0


def build(package, work):
    """(guest, native) executables of a package's program, built once."""
    recipe = RECIPES[package]
    out = os.path.join(work, "build", package)
    guest, native = os.path.join(out, "guest"), os.path.join(out, "native")
    if os.path.isfile(guest) and os.path.isfile(native):
        return guest, native
    srcdir = os.path.join(source_tree(package, work), recipe["dir"])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "build.log"), "w") as log:
        for side, exe, tag in ((GUEST, guest, "guest"), (NATIVE, native, "native")):
            if not _compile(side, recipe, srcdir, os.path.join(out, "obj-" + tag), exe + ".tmp",
                            log):
                raise SourceError(f"building {package} ({tag}) failed: see {log.name}")
            os.replace(exe + ".tmp", exe)
    return guest, native
