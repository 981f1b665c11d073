#!/usr/bin/env python3
"""`make test-matrix`: every supported ansible-core minor release, each in its own pinned venv.

For each ``tests/matrix/constraints-<version>.txt`` (or the versions given as arguments):

1. ``build/matrix/<version>`` gets ansible-core and the run-time requirements at the pinned
   versions (rebuilt when the constraints file changes);
2. ``ansible --version`` of that venv is printed and must name the expected minor release;
3. ``ansible-test sanity`` runs with that venv's ansible-test;
4. the tests marked ``matrix`` (playbook-level: every module, role, playbook, lookup and the
   callback) run with pytest from the development venv while every ``ansible-playbook`` comes from
   the matrix venv; each playbook's controller reports its version, which must match.

Prints one line per step with its duration and exits non-zero if any step failed.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MATRIX = os.path.join(REPO, "tests", "matrix")
ROOT = os.path.join(REPO, "build", "matrix")


def versions():
    found = [re.match(r"constraints-(\d+\.\d+)\.txt$", os.path.basename(path)).group(1)
             for path in glob.glob(os.path.join(MATRIX, "constraints-*.txt"))]
    return sorted(found, key=lambda v: tuple(int(part) for part in v.split(".")))


def ensure_venv(version):
    """The venv of ``version``, (re)built when its constraints file changed since it was built."""
    home = os.path.join(ROOT, version)
    constraints = os.path.join(MATRIX, "constraints-%s.txt" % version)
    stamp = os.path.join(home, ".installed")
    if os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(constraints):
        return home
    shutil.rmtree(home, ignore_errors=True)
    venv.create(home, with_pip=True)
    subprocess.run([os.path.join(home, "bin", "python"), "-m", "pip", "install", "--quiet",
                    "-r", os.path.join(MATRIX, "requirements.txt"), "-c", constraints], check=True)
    open(stamp, "w").close()
    return home


def core_version(home, version):
    out = subprocess.run([os.path.join(home, "bin", "ansible"), "--version"], check=True,
                         capture_output=True, text=True).stdout
    print(out.strip(), flush=True)
    first = out.splitlines()[0]
    if not first.startswith("ansible [core %s." % version):
        raise SystemExit("build/matrix/%s runs %r, not ansible-core %s" % (version, first, version))
    return first


def step(results, name, command, **kwargs):
    started = time.monotonic()
    print("+ %s" % " ".join(command), flush=True)
    rc = subprocess.call(command, cwd=REPO, **kwargs)
    seconds = time.monotonic() - started
    results.append((name, rc, seconds))
    print("== %s: %s in %.0f s" % (name, "ok" if rc == 0 else "FAILED (rc %d)" % rc, seconds), flush=True)


def main(argv):
    wanted = argv or versions()
    results = []
    for version in wanted:
        started = time.monotonic()
        home = ensure_venv(version)
        results.append(("%s venv" % version, 0, time.monotonic() - started))
        core_version(home, version)
        # Outside the checkout (ansible-test would ask git, which ignores build/), one per version.
        env = dict(os.environ, ANSIBLE_TEST_ROOT=os.path.join(tempfile.gettempdir(), "genesys-cloud-matrix-%s" % version))
        env["PATH"] = os.path.join(home, "bin") + os.pathsep + env.get("PATH", "")
        step(results, "%s sanity" % version,
             [os.path.join(home, "bin", "python"), os.path.join(REPO, "scripts", "run_ansible_test.py"), "sanity"],
             env=env)
        env = dict(os.environ, GENESYS_ANSIBLE_BIN=os.path.join(home, "bin"), GENESYS_ANSIBLE_CORE=version)
        step(results, "%s playbooks" % version, [sys.executable, "-m", "pytest", "-m", "matrix", "-q"], env=env)
    print("\ntest-matrix summary:")
    for name, rc, seconds in results:
        print("  %-16s %-6s %5.0f s" % (name, "ok" if rc == 0 else "FAILED", seconds))
    return 1 if any(rc for _, rc, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
