"""Run the real ansible-rulebook (from the development venv) with the collection on its path, and read
what its rules did from its output."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
RULEBOOK = os.path.join(BIN, "ansible-rulebook")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing_tools():
    """Why ansible-rulebook cannot run here (None when it can)."""
    if not os.access(RULEBOOK, os.X_OK):
        return "%s is missing: run `make venv` (requirements-dev.txt pins ansible-rulebook)" % RULEBOOK
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java 17 runtime: run `make java` (Debian's openjdk-17-jre-headless)"
    return None


class Rulebook:
    """One ansible-rulebook process; every output line is kept, and ``wait_for`` watches for new ones."""

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
        self.lines = []
        self.cond = threading.Condition()
        self.process = subprocess.Popen([RULEBOOK, "-r", rulebook, "-i", inventory, "-v"] + list(args),
                                        cwd=workdir, env=run_env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def output(self):
        with self.cond:
            return "\n".join(self.lines)

    def wait_for(self, pattern, timeout=60.0, count=1):
        """The first ``count`` matches of ``pattern`` in the output; fails with the output's tail if they do not come."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = [m for m in map(regex.search, self.lines) if m]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    break
                self.cond.wait(min(left, 0.5))
        raise AssertionError("ansible-rulebook printed %d of %d lines matching %r (exit code %s):\n%s"
                             % (len(found), count, pattern, self.process.poll(), "\n".join(self.lines[-60:])))

    def matches(self, pattern):
        regex = re.compile(pattern)
        with self.cond:
            return [m for m in map(regex.search, self.lines) if m]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(timeout=5)
