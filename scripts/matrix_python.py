#!/usr/bin/env python3
"""A Python >= 3.12 for the ansible-core 2.20+ matrix environments; prints its path.

ansible-core 2.20 and 2.21 need Python 3.12 or later on the controller; Debian 12 ships 3.11.
In order of preference:

1. ``$GENESYS_MATRIX_PYTHON`` if set (it must work, or this fails);
2. ``python3.13`` / ``python3.12`` on ``PATH`` and under ``~/.pyenv/versions``;
3. the interpreter built earlier under ``build/python/``;
4. otherwise one built now from Debian's own ``python3.13`` source package (trixie), into
   ``build/python/``, once.

A candidate counts only if it really runs and has what a venv with ansible-core needs
(``ssl``, ``sqlite3``, ``ctypes``, ``lzma``, ``venv``, ``ensurepip``): a pyenv shim on ``PATH``
exists even when its version is not selected, and then fails.

The build never changes the machine's apt setup: ``apt-get`` runs with a private source list
(``deb-src`` for trixie ``main``, signed by the Debian archive keyring the machine has) and private
list/cache directories under ``build/python-src/``. apt checks the Sources index's signature and the
downloaded files' hashes against it; this script checks the upstream tarball against the SHA-256 in
the downloaded ``.dsc`` before it unpacks anything. Then ``./configure --prefix``, ``make -j<cores>``,
``make altinstall`` (about 3 minutes on 2 cores). Needs ``apt-get`` and the build dependencies
(a C compiler, and the ``-dev`` packages for ssl, sqlite3, ffi, lzma, bz2, zlib, readline).
"""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PREFIX = os.path.join(REPO, "build", "python")
SOURCE_DIR = os.path.join(REPO, "build", "python-src")
APT_SOURCES = ("/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list")
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
SUITE = "trixie"
PACKAGE = "python3.13"
MINIMUM = (3, 12)
PROBE = ("import sys, ssl, sqlite3, ctypes, lzma, bz2, zlib, venv, ensurepip; "
         "print('%d.%d' % sys.version_info[:2])")


def debian_mirror():
    """The Debian archive this machine's apt already uses (the first ``URIs:`` / ``deb`` line that is
    not the security archive): the source package comes from the same place as every other package."""
    for path in APT_SOURCES:
        try:
            with open(path) as handle:
                text = handle.read()
        except OSError:
            continue
        for uri in re.findall(r"^(?:URIs:|deb(?:-src)?(?:\s+\[[^\]]*\])?)\s+(\S+)", text, re.M):
            if "security" not in uri:
                return uri.rstrip("/")
    sys.exit("matrix_python: no Debian archive found in %s; set GENESYS_MATRIX_PYTHON to a Python >= 3.12"
             % " or ".join(APT_SOURCES))


def log(message):
    print("matrix_python: %s" % message, file=sys.stderr, flush=True)


def probe(path):
    """The "major.minor" of a working interpreter at ``path``, or None."""
    try:
        out = subprocess.run([path, "-c", PROBE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    version = out.stdout.strip()
    if not re.match(r"^\d+\.\d+$", version) or tuple(int(p) for p in version.split(".")) < MINIMUM:
        return None
    return version


def candidates():
    for name in ("python3.13", "python3.12"):
        found = shutil.which(name)
        if found:
            yield found
    home = os.path.expanduser("~/.pyenv/versions")
    for minor in ("3.13", "3.12"):
        for path in sorted(glob.glob(os.path.join(home, minor + ".*", "bin", "python" + minor)), reverse=True):
            yield path
    yield os.path.join(PREFIX, "bin", "python3.13")


def find():
    override = os.environ.get("GENESYS_MATRIX_PYTHON")
    if override:
        if not probe(override):
            raise SystemExit("GENESYS_MATRIX_PYTHON=%s is not a working Python >= 3.12 (with ssl, sqlite3, "
                             "ctypes, lzma, venv, ensurepip); unset it to find or build one" % override)
        return override
    for path in candidates():
        if os.path.exists(path) and probe(path):
            return path
    return None


def apt_options():
    lists = os.path.join(SOURCE_DIR, "apt", "lists")
    cache = os.path.join(SOURCE_DIR, "apt", "cache")
    for folder in (os.path.join(lists, "partial"), os.path.join(cache, "archives", "partial")):
        os.makedirs(folder, exist_ok=True)
    source_list = os.path.join(SOURCE_DIR, "apt", "sources.list")
    with open(source_list, "w") as handle:
        handle.write("deb-src [signed-by=%s] %s %s main\n" % (KEYRING, debian_mirror(), SUITE))
    return ["-o", "Dir::Etc::SourceList=" + source_list, "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", "Dir::State::Lists=" + lists, "-o", "Dir::Cache=" + cache,
            # Root's apt drops to the _apt user for downloads, which cannot write under build/.
            "-o", "APT::Sandbox::User=root", "-q"]


def dsc_sha256(dsc_path):
    """{file name: sha256} from the Checksums-Sha256 field of a .dsc."""
    sums, inside = {}, False
    with open(dsc_path) as handle:
        for line in handle:
            if line.startswith("Checksums-Sha256:"):
                inside = True
                continue
            if inside:
                if not line.startswith(" "):
                    break
                digest, _size, name = line.split()
                sums[name] = digest
    return sums


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download():
    """The verified upstream tarball of Debian's python3.13 source package."""
    if not shutil.which("apt-get"):
        raise SystemExit("no Python >= 3.12 found and no apt-get to fetch Debian's python3.13 source: "
                         "install Python 3.12+ or set GENESYS_MATRIX_PYTHON")
    if not os.path.exists(KEYRING):
        raise SystemExit("no %s: install the debian-archive-keyring package" % KEYRING)
    options = apt_options()
    downloads = os.path.join(SOURCE_DIR, "download")
    os.makedirs(downloads, exist_ok=True)
    log("fetching Debian's %s source package (%s)" % (PACKAGE, SUITE))
    subprocess.run(["apt-get"] + options + ["update"], check=True, stdout=sys.stderr)
    subprocess.run(["apt-get"] + options + ["source", "--download-only", PACKAGE], check=True,
                   cwd=downloads, stdout=sys.stderr)
    dscs = sorted(glob.glob(os.path.join(downloads, PACKAGE + "_*.dsc")))
    if not dscs:
        raise SystemExit("apt-get source %s left no .dsc in %s" % (PACKAGE, downloads))
    sums = dsc_sha256(dscs[-1])
    tarballs = [name for name in sums if re.match(re.escape(PACKAGE) + r"_[\d.]+\.orig\.tar\.xz$", name)]
    if len(tarballs) != 1:
        raise SystemExit("%s names no single upstream tarball: %s" % (dscs[-1], sorted(sums)))
    tarball = os.path.join(downloads, tarballs[0])
    if sha256(tarball) != sums[tarballs[0]]:
        raise SystemExit("%s does not match the SHA-256 in %s; delete %s and retry"
                         % (tarball, os.path.basename(dscs[-1]), SOURCE_DIR))
    log("%s matches its .dsc (sha256 %s...)" % (tarballs[0], sums[tarballs[0]][:16]))
    return tarball


def build():
    tarball = download()
    work = os.path.join(SOURCE_DIR, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with tarfile.open(tarball) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(work, filter="data")
        else:  # a Python without extraction filters; the tarball's checksum was verified above
            archive.extractall(work)
    (tree,) = glob.glob(os.path.join(work, "Python-*"))
    jobs = str(os.cpu_count() or 2)
    shutil.rmtree(PREFIX, ignore_errors=True)
    log("building %s into %s (about 3 minutes on 2 cores)" % (os.path.basename(tree), PREFIX))
    for command in (["./configure", "--prefix=" + PREFIX, "--with-ensurepip=install"],
                    ["make", "-j" + jobs], ["make", "altinstall"]):
        subprocess.run(command, cwd=tree, check=True, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    path = os.path.join(PREFIX, "bin", "python3.13")
    if not probe(path):
        raise SystemExit("the Python built in %s lacks a module ansible-core needs (ssl, sqlite3, ctypes, "
                         "lzma, bz2, zlib): install the matching -dev package and delete %s" % (PREFIX, PREFIX))
    return path


def main(argv):
    if argv == ["--build"]:  # force the build path (tests it on a machine that has a Python 3.12+)
        path = build()
    elif argv:
        raise SystemExit("usage: matrix_python.py [--build]")
    else:
        path = find() or build()
    log("using %s (Python %s)" % (path, probe(path)))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
