"""Real programs from Debian packages. Source packages: fetching the source with apt-get (through
a private apt configuration that adds deb-src entries mirroring the machine's own deb entries, so
nothing of the system's apt state changes), unpacking it with dpkg-source (Debian's patches
applied), and compiling it twice, static -O2 for arm64 and -O2 natively (or for arm64 only).
Binary packages of another architecture (arm64): downloaded through a second private apt
configuration of that architecture and unpacked with dpkg-deb. Everything is cached under the
work directory. Used by bench/ and by tests/real/."""
import concurrent.futures
import functools
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


# What to compile of each package: its C files (glob patterns relative to the source tree,
# less the excluded file names), include directories, extra flags, libraries, headers that
# Debian's rules generate ({multiarch} is the triplet), and commands that generate sources
# first (run in the directory {gen}). zstd is built without its x86-64
# assembly decoder and single-threaded, so both sides compile the same C.
RECIPES = {
    "lua5.4": dict(sources=["src/*.c"], exclude=["luac.c"],
                   cflags=["-std=gnu99", "-DLUA_USE_POSIX"], libs=["-lm"],
                   headers={"lua5.4-deb-multiarch.h":
                            '#define DEB_HOST_MULTIARCH "{multiarch}"\n'}),
    "bzip2": dict(sources=["blocksort.c", "huffman.c", "crctable.c", "randtable.c",
                           "compress.c", "decompress.c", "bzlib.c", "bzip2.c"],
                  cflags=["-D_FILE_OFFSET_BITS=64"]),
    # sqlite3's shell from the amalgamation, which the source tree generates with its
    # configure script and tclsh (a host-side step, shared by both builds).
    "sqlite3": dict(prepare=[["{tree}/configure", "--disable-tcl"],
                             ["make", "sqlite3.c", "shell.c"]],
                    sources=["{gen}/sqlite3.c", "{gen}/shell.c"], include=["{gen}"],
                    cflags=["-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION"],
                    libs=["-lm"]),
    "libzstd": dict(sources=["lib/common/*.c", "lib/compress/*.c", "lib/decompress/*.c",
                             "lib/dictBuilder/*.c", "programs/*.c"],
                    include=["lib", "lib/common"],
                    cflags=["-DZSTD_DISABLE_ASM", "-DZSTD_LEGACY_SUPPORT=0"]),
}


def _apt_options(apt, arch=None):
    arch_options = [] if arch is None else ["-o", f"APT::Architecture={arch}",
                                            "-o", f"APT::Architectures={arch}"]
    return ["-o", f"Dir::Etc::SourceList={apt}/sources.list",
            "-o", f"Dir::Etc::SourceParts={apt}/sources.list.d",
            "-o", f"Dir::State::Lists={apt}/lists",
            "-o", f"Dir::Cache={apt}/cache", "-q", *arch_options]


def _entries(kind, suite=None):
    """The machine's deb entries as entries of type kind (deb-src or deb), without any
    architecture restriction: (one-line list text, deb822 text). With suite, only the entries of
    the release itself (not its -updates or -security), for that suite instead."""
    lines, stanzas = [], []
    lists = glob.glob("/etc/apt/sources.list") + sorted(glob.glob("/etc/apt/sources.list.d/*.list"))
    for path in lists:
        with open(path) as f:
            for l in f:
                if re.match(r"^deb\s", l):
                    l = re.sub(r"\barch=\S+?(\s|(?=\]))", "", kind + l[3:])
                    l = re.sub(r"\[\s*\]\s*", "", l)
                    if suite:
                        f = l.split()  # kind [options] uri suite components...
                        at = 2 if len(f) > 1 and not f[1].startswith("[") else \
                            next((i for i, x in enumerate(f) if x.endswith("]")), 0) + 2
                        if at >= len(f) or "-" in f[at]:
                            continue
                        f[at] = suite
                        l = " ".join(f) + "\n"
                    lines.append(l)
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path) as f:
            for stanza in f.read().split("\n\n"):
                if re.search(r"^Types:.*\bdeb\b", stanza, re.M) and \
                        not re.search(r"^Enabled:\s*no", stanza, re.M | re.I):
                    stanza = re.sub(r"^Architectures:.*\n?", "", stanza, flags=re.M)
                    if suite:
                        m = re.search(r"^Suites:\s*(.*)$", stanza, re.M)
                        release = m and next((x for x in m.group(1).split() if "-" not in x), None)
                        if not release:
                            continue
                        stanza = re.sub(r"^Suites:.*$", "Suites: " + suite, stanza, flags=re.M)
                    stanzas.append(re.sub(r"^Types:.*$", "Types: " + kind, stanza, flags=re.M))
    return "".join(lines), "\n\n".join(stanzas) + "\n"


def _apt(work, arch=None, suite=None):
    """A private apt configuration, updated once: deb-src entries, or with arch the deb
    entries of that architecture alone (of another suite with suite)."""
    apt = os.path.join(work, "-".join(["apt", *([arch] if arch else []), *([suite] if suite else [])]))
    options = _apt_options(apt, arch)
    if os.path.isfile(os.path.join(apt, ".updated")):
        return options
    for d in ("sources.list.d", "lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(apt, d), exist_ok=True)
    one_line, deb822 = _entries("deb-src" if arch is None else "deb", suite)
    with open(os.path.join(apt, "sources.list"), "w") as f:
        f.write(one_line)
    with open(os.path.join(apt, "sources.list.d", "entries.sources"), "w") as f:
        f.write(deb822)
    r = subprocess.run(["apt-get", *options, "update"], capture_output=True, text=True)
    if r.returncode != 0:
        raise SourceError(f"apt-get update ({arch or 'deb-src'}) failed: "
                          f"{r.stderr.strip()[-500:]}")
    open(os.path.join(apt, ".updated"), "w").close()
    return options


def binary_package(package, arch, work, suite=None):
    """The unpacked contents of a Debian binary package of architecture arch (the newest
    version the machine's archives serve, of the machine's release or of suite)."""
    dest = os.path.join(work, "deb", "_".join([package, arch, *([suite] if suite else [])]))
    if os.path.isfile(os.path.join(dest, ".unpacked")):
        return dest
    options = _apt(work, arch, suite)
    dl = os.path.join(work, "deb", "download" + (f"-{suite}" if suite else ""))
    os.makedirs(dl, exist_ok=True)
    debs = glob.glob(os.path.join(dl, f"{package}_*_{arch}.deb"))
    if not debs:
        r = subprocess.run(["apt-get", *options, "download", f"{package}:{arch}"], cwd=dl,
                           capture_output=True, text=True)
        debs = glob.glob(os.path.join(dl, f"{package}_*_{arch}.deb"))
        if r.returncode != 0 or not debs:
            raise SourceError(f"apt-get download {package}:{arch} failed: "
                              f"{r.stderr.strip()[-500:]}")
    shutil.rmtree(dest, ignore_errors=True)
    r = subprocess.run(["dpkg-deb", "-x", sorted(debs)[-1], dest], capture_output=True, text=True)
    if r.returncode != 0:
        raise SourceError(f"dpkg-deb -x {os.path.basename(debs[-1])} failed: {r.stderr[-500:]}")
    open(os.path.join(dest, ".unpacked"), "w").close()
    return dest


def _download(options, package, dl):
    """apt-get source --download-only, newest version first: an archive's index can list a
    version whose files are already gone (a superseded security update)."""
    r = subprocess.run(["apt-cache", *options, "showsrc", package], capture_output=True,
                       text=True)
    versions = re.findall(r"^Version: (\S+)$", r.stdout, re.M)
    versions.sort(key=functools.cmp_to_key(_compare_versions), reverse=True)
    error = f"no source package {package}"
    for v in versions:
        r = subprocess.run(["apt-get", *options, "source", "--download-only",
                            f"{package}={v}"], cwd=dl, capture_output=True, text=True)
        if r.returncode == 0:
            return
        error = r.stderr.strip()[-500:]
        for f in os.listdir(dl):  # a partial download of this version
            os.remove(os.path.join(dl, f))
    raise SourceError(f"apt-get source {package} failed: {error}")


def _compare_versions(a, b):
    """Debian version order, as dpkg defines it."""
    if subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0:
        return -1
    return 0 if a == b else 1


def source_tree(package, work):
    """The unpacked source of a Debian package, with Debian's patches applied."""
    dest = os.path.join(work, "src", package)
    if os.path.isfile(os.path.join(dest, ".unpacked")):
        return dest
    if not shutil.which("dpkg-source"):
        raise SourceError("dpkg-source is missing (apt-get install dpkg-dev)")
    dl = os.path.join(work, "src", "download", package)
    os.makedirs(dl, exist_ok=True)
    if not glob.glob(os.path.join(dl, f"{package}_*.dsc")):
        _download(_apt(work), package, dl)
    dsc = sorted(glob.glob(os.path.join(dl, f"{package}_*.dsc")))[-1]
    shutil.rmtree(dest, ignore_errors=True)
    r = subprocess.run(["dpkg-source", "--no-check", "-x", dsc, dest], capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SourceError(f"dpkg-source -x {os.path.basename(dsc)} failed: {r.stderr[-500:]}")
    open(os.path.join(dest, ".unpacked"), "w").close()
    return dest


def _prepare(recipe, tree, gen, log):
    os.makedirs(gen, exist_ok=True)
    for cmd in recipe.get("prepare", []):
        cmd = [a.format(tree=tree) for a in cmd]
        r = subprocess.run(cmd, cwd=gen, capture_output=True, text=True)
        log.write(r.stdout + r.stderr)
        if r.returncode != 0:
            return False
    return True


def _compile(side, recipe, tree, gen, objdir, out, log):
    cc, multiarch = side
    os.makedirs(objdir, exist_ok=True)
    for name, text in recipe.get("headers", {}).items():
        with open(os.path.join(objdir, name), "w") as f:
            f.write(text.replace("{multiarch}", multiarch))
    files = sorted(f for pattern in recipe["sources"]
                   for f in glob.glob(os.path.join(tree, pattern.format(gen=gen)))
                   if os.path.basename(f) not in recipe.get("exclude", []))
    flags = [*recipe.get("cflags", []), "-I", objdir, "-w"]
    for d in recipe.get("include", []):
        flags += ["-I", os.path.join(tree, d.format(gen=gen))]

    def one(f):
        obj = os.path.join(objdir, os.path.relpath(f, tree).replace("/", "_")[:-2] + ".o")
        return subprocess.run([*cc, *flags, "-c", f, "-o", obj], capture_output=True,
                              text=True), obj

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, files))
    for r, _ in results:
        log.write(r.stdout + r.stderr)
        if r.returncode != 0:
            return False
    r = subprocess.run([*cc, *[o for _, o in results], "-o", out, *recipe.get("libs", [])],
                       capture_output=True, text=True)
    log.write(r.stdout + r.stderr)
    return r.returncode == 0


def build(package, work, native=True):
    """(guest, native) executables of a package's program, built once; with native=False
    only the guest (and None for native)."""
    recipe = RECIPES[package]
    out = os.path.join(work, "build", package)
    guest, native_exe = os.path.join(out, "guest"), os.path.join(out, "native")
    sides = [(GUEST, guest, "guest")] + ([(NATIVE, native_exe, "native")] if native else [])
    if all(os.path.isfile(exe) for _, exe, _ in sides):
        return guest, native_exe if native else None
    tree = source_tree(package, work)
    os.makedirs(out, exist_ok=True)
    gen = os.path.join(out, "gen")
    with open(os.path.join(out, "build.log"), "w") as log:
        if not _prepare(recipe, tree, gen, log):
            raise SourceError(f"generating {package}'s sources failed: see {log.name}")
        for side, exe, tag in sides:
            if not _compile(side, recipe, tree, gen, os.path.join(out, "obj-" + tag),
                            exe + ".tmp", log):
                raise SourceError(f"building {package} ({tag}) failed: see {log.name}")
            os.replace(exe + ".tmp", exe)
    return guest, native_exe if native else None
