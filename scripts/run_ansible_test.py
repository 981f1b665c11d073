#!/usr/bin/env python3
"""Run ``ansible-test`` on a copy of what the collection ships.

ansible-test needs a real ``ansible_collections/genesys/cloud`` directory (it refuses a
symlink), so the files git tracks, minus what ``build_ignore`` leaves out of the tarball,
are copied to ``build/ansible-test/``. On a machine without access to ansible's CI file
server, the pip bootstrap script that ``--venv`` downloads is replaced by a stand-in that
bootstraps pip with ``ensurepip`` and installs the rest from the package index.
"""
import os
import subprocess
import sys
import tempfile

from collection_files import copy_collection

# The Python running this script (2.20+ need 3.12+): given explicitly, or ansible-test may pick a broken
# interpreter shim from PATH. Matching sys.executable's version, ansible-test uses sys.executable.
PYTHON = "%d.%d" % sys.version_info[:2]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Outside the checkout: inside it, ansible-test would ask git, which ignores build/.
# Set ANSIBLE_TEST_ROOT to run several copies side by side.
DEST = os.path.join(os.environ.get("ANSIBLE_TEST_ROOT") or os.path.join(tempfile.gettempdir(), "genesys-cloud-ansible-test"),
                    "ansible_collections", "genesys", "cloud")

GET_PIP_STAND_IN = '''"""Stand-in for ansible-test's get-pip bootstrap: ensurepip, then pip from the package index."""
import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
'''


def copy_for_ansible_test():
    # ansible-test's own settings and ignore files live under tests/ even though tests are not shipped.
    copy_collection(DEST, extras=("tests/config.yml", "tests/sanity"))


def ensure_get_pip_stand_in():
    from ansible_test._internal.python_requirements import get_venv_packages  # noqa: E402
    from ansible_test._internal.host_configs import NativePythonConfig  # noqa: E402

    version = get_venv_packages(NativePythonConfig(version=PYTHON, path=sys.executable))["pip"]
    path = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % version.replace(".", "_"))
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(GET_PIP_STAND_IN)


def main(argv):
    copy_for_ansible_test()
    ensure_get_pip_stand_in()
    command = ["ansible-test"] + argv + ["--python", PYTHON, "--venv", "--color", "no"]
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    print("+ " + " ".join(command) + "  (in %s)" % DEST, flush=True)
    return subprocess.call(command, cwd=DEST, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["sanity"]))
