"""The GCC test sources: the gcc-12 tarball from Debian's gcc-12-source, either installed
(/usr/src/gcc-12) or downloaded with `apt-get download` into the work directory (no root needed).
Only the test directories are unpacked, once; concurrent callers wait on a lock."""
import fcntl
import glob
import os
import shutil
import subprocess

INSTALLED = "/usr/src/gcc-12"
PACKAGE = "gcc-12-source"
# What is unpacked from the tarball, relative to gcc-*/gcc/testsuite/.
WANTED = ["gcc.c-torture/execute", "gcc.target/aarch64/advsimd-intrinsics"]


class FetchError(Exception):
    pass


def _tarball_from_deb(cache):
    debs = sorted(glob.glob(os.path.join(cache, PACKAGE + "_*.deb")))
    if not debs:
        r = subprocess.run(["apt-get", "download", PACKAGE], cwd=cache, capture_output=True,
                           text=True)
        debs = sorted(glob.glob(os.path.join(cache, PACKAGE + "_*.deb")))
        if r.returncode != 0 or not debs:
            raise FetchError(f"apt-get download {PACKAGE} failed: {r.stderr.strip()}")
    return debs[-1]


def _unpack(cache, dest):
    """Extracts the wanted test directories into dest from the installed tarball or the .deb."""
    members = [f"*/gcc/testsuite/{w}/*" for w in WANTED]
    tarballs = sorted(glob.glob(os.path.join(INSTALLED, "gcc-*.tar.*")))
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    untar = ["tar", "-x", "-C", tmp, "--strip-components=3", "--wildcards"]
    if tarballs:
        r = subprocess.run(untar + ["-f", tarballs[0]] + members, capture_output=True, text=True)
    else:
        deb = _tarball_from_deb(cache)
        # The .deb holds the tarball; stream it out instead of keeping an 80 MB copy.
        inner = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], capture_output=True)
        if inner.returncode != 0:
            raise FetchError(f"dpkg-deb --fsys-tarfile {deb} failed")
        names = subprocess.run(["tar", "-t"], input=inner.stdout, capture_output=True)
        tars = [n for n in names.stdout.decode().split("\n")
                if "/gcc-12/gcc-" in n and ".tar." in n]
        if not tars:
            raise FetchError(f"{deb} holds no gcc tarball")
        tar = subprocess.run(["tar", "-x", "-O", tars[0]], input=inner.stdout,
                             capture_output=True)
        r = subprocess.run(untar + ["-J", "-f", "-"] + members, input=tar.stdout,
                           capture_output=True)
    if r.returncode != 0:
        raise FetchError(f"unpacking the gcc tests failed: {r.stderr!r}")
    os.rename(tmp, dest)


def testsuite_dir(cache):
    """gcc/testsuite with the WANTED directories, fetched into cache and unpacked on first use."""
    os.makedirs(cache, exist_ok=True)
    dest = os.path.join(cache, "testsuite")
    with open(os.path.join(cache, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.isdir(dest):
            _unpack(cache, dest)
    return dest

