"""Run real playbooks with ansible-playbook against the emulator, and read back every task result."""
import json
import os
import subprocess
import sys
import tempfile

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
CALLBACK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback")
# The ansible-core under test (`make test-matrix`): the directory of its ansible-playbook, and the
# version (e.g. 2.16) every playbook's controller must report. By default: the development venv's.
ANSIBLE_BIN = os.environ.get("GENESYS_ANSIBLE_BIN") or os.path.dirname(sys.executable)
EXPECTED_CORE = os.environ.get("GENESYS_ANSIBLE_CORE")


class PlaybookRun:
    """What a playbook run left: its exit code, output, and every task result in order."""

    def __init__(self, rc, stdout, stderr, records):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.records = records

    def task(self, name, host=None):
        """The result dict of the last run of the task called ``name``."""
        found = [r for r in self.records if r["task"] == name and (host is None or r["host"] == host)]
        assert found, "no task named %r ran; tasks were: %s\n%s" % (
            name, [r["task"] for r in self.records], self.stdout[-3000:])
        return found[-1]["result"]

    def status(self, name, host=None):
        found = [r for r in self.records if r["task"] == name and (host is None or r["host"] == host)]
        return found[-1]["status"] if found else None

    def __repr__(self):
        return "PlaybookRun(rc=%s)\n%s\n%s" % (self.rc, self.stdout[-4000:], self.stderr[-2000:])


_CHECKED_CORE = []


def check_core_version():
    """Under `make test-matrix`: the ansible-playbook this run uses must be the release under test."""
    if not EXPECTED_CORE or _CHECKED_CORE:
        return
    first = subprocess.run([os.path.join(ANSIBLE_BIN, "ansible-playbook"), "--version"], capture_output=True,
                           text=True, check=True).stdout.splitlines()[0]
    assert first.startswith("ansible-playbook [core %s." % EXPECTED_CORE), (
        "expected ansible-core %s in %s, got %r" % (EXPECTED_CORE, ANSIBLE_BIN, first))
    _CHECKED_CORE.append(first)


def ansible_env(extra=None):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_ROOT,
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR,
        "ANSIBLE_CALLBACKS_ENABLED": "result_recorder",
        "ANSIBLE_LOCALHOST_WARNING": "False",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "PATH": os.pathsep.join([ANSIBLE_BIN, os.path.dirname(sys.executable), env.get("PATH", "")]),
    })
    env.update(extra or {})
    return env


def run_playbook(playbook, env=None, check=False, diff=False, extra_vars=None, inventory=None, args=(),
                 workdir=None, timeout=600):
    """Run ``playbook`` (a path, or a list of plays to write to a file) and return a PlaybookRun."""
    workdir = workdir or tempfile.mkdtemp(prefix="genesys-playbook-")
    os.makedirs(workdir, exist_ok=True)
    if not isinstance(playbook, str):
        path = os.path.join(workdir, "playbook.yml")
        with open(path, "w") as handle:
            yaml.safe_dump(playbook, handle, sort_keys=False)
        playbook = path
    records_path = os.path.join(workdir, "results.jsonl")
    check_core_version()
    command = [os.path.join(ANSIBLE_BIN, "ansible-playbook"), playbook]
    command += ["-i", inventory or "localhost,", "-c", "local"] if inventory is None else ["-i", inventory]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    command += list(args)
    run_env = ansible_env(dict(env or {}, RESULT_RECORDER_FILE=records_path))
    proc = subprocess.run(command, env=run_env, capture_output=True, text=True, timeout=timeout, cwd=workdir)
    records = []
    if os.path.exists(records_path):
        with open(records_path) as handle:
            records = [json.loads(line) for line in handle if line.strip()]
    if EXPECTED_CORE:
        ran = set(record["controller"] for record in records)
        assert all(version.startswith(EXPECTED_CORE + ".") for version in ran), (
            "expected ansible-core %s to run the playbook, got %s" % (EXPECTED_CORE, sorted(ran)))
    return PlaybookRun(proc.returncode, proc.stdout, proc.stderr, records)


def play(tasks, hosts="localhost", **play_options):
    """A one-play playbook around ``tasks``."""
    one = {"name": "test play", "hosts": hosts, "gather_facts": False}
    one.update(play_options)
    one["tasks"] = tasks
    return [one]
