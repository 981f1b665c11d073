"""Run the real ansible-rulebook (from the development venv) with the collection on its path, and read
what its rules did from its output."""
import os
import shutil
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from processes import WatchedProcess  # noqa: E402  (scripts/processes.py)

BIN = os.path.dirname(sys.executable)
COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
RULEBOOK = os.path.join(BIN, "ansible-rulebook")


def missing_tools():
    """Why ansible-rulebook cannot run here (None when it can)."""
    if not os.access(RULEBOOK, os.X_OK):
        return "%s is missing: run `make venv` (requirements-dev.txt pins ansible-rulebook)" % RULEBOOK
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java 17 runtime: run `make java` (Debian's openjdk-17-jre-headless)"
    return None


class Rulebook(WatchedProcess):
    """One ansible-rulebook process; every output line is kept, and ``wait_for`` watches for new ones."""

    name = "ansible-rulebook"

    def __init__(self, rulebook, workdir, env=None, inventory="localhost,", args=()):
        problem = missing_tools()
        assert problem is None, problem
        if not isinstance(rulebook, str):
            path = os.path.join(workdir, "rulebook.yml")
            with open(path, "w", encoding="utf-8") as handle:
                yaml.safe_dump(rulebook, handle, sort_keys=False)
            rulebook = path
        run_env = dict(os.environ)
        run_env.update({
            "PATH": os.pathsep.join([BIN, run_env.get("PATH", "")]),  # ansible-galaxy finds the collection
            "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_ROOT,
            "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "tmp"),
            "ANSIBLE_NOCOLOR": "1",
            "PYTHONUNBUFFERED": "1",
        })
        run_env.update(env or {})
        super().__init__([RULEBOOK, "-r", rulebook, "-i", inventory, "-v"] + list(args), cwd=workdir, env=run_env)
