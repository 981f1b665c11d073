#!/usr/bin/env python3
"""What a genesys.cloud task costs in a hand-written playbook (issue #9, item 2).

Runs ``ansible-playbook`` with 1 and 10 tasks of ``ansible.builtin.debug``, of
``genesys.cloud.flex_schema_info`` run in-process by the action plugin, and of the same module
run as a module process (``GENESYSCLOUD_IN_PROCESS=false``), against an emulator in this
process, several times each, and reports wall times, the per-task cost ((10 tasks - 1 task) / 9)
and the OAuth tokens each run fetched.

    python bench/task_cost_bench.py [--runs 5] [--latency-ms 0] [--write docs/benchmark.md]

``--write`` replaces only this benchmark's section of the file (bench/report_section.py), so
other benchmarks' sections stay.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.join(REPO, "bench"))
from collection_link import ensure_link  # noqa: E402
from report_section import write_section  # noqa: E402

COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
HEADING = "## What a task costs (in-process action plugins)"
CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
VARIANTS = (
    ("debug", "ansible.builtin.debug", {"msg": "hello"}, {}),
    ("flex_schema_info, in-process", "genesys.cloud.flex_schema_info", {}, {}),
    ("flex_schema_info, module process", "genesys.cloud.flex_schema_info", {}, {"GENESYSCLOUD_IN_PROCESS": "false"}),
)


def playbook(path, action, args, count):
    tasks = [{"name": "task %d" % n, action: dict(args)} for n in range(count)]
    with open(path, "w") as handle:
        yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}], handle)


def run_once(path, url, extra_env):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
               GENESYSCLOUD_API_URL=url, GENESYSCLOUD_OAUTHCLIENT_ID=CLIENT_ID,
               GENESYSCLOUD_OAUTHCLIENT_SECRET=CLIENT_SECRET)
    env.update(extra_env)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), path, "-i", "localhost,",
               "-c", "local"]
    started = time.monotonic()
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit("ansible-playbook failed:\n%s\n%s" % (proc.stdout[-3000:], proc.stderr[-2000:]))
    return seconds


def measure(server, runs, workdir):
    """Every playbook once per round, round after round, so changing machine load hits all alike."""
    from tests.support.emulator_control import EmulatorControl

    control = EmulatorControl(server.url, CLIENT_ID, CLIENT_SECRET)
    rows = [dict(label=label, times={1: [], 10: []}, tokens=0) for label, _a, _r, _e in VARIANTS]
    paths = {}
    for index, (_label, action, args, _env) in enumerate(VARIANTS):
        for count in (1, 10):
            paths[index, count] = os.path.join(workdir, "tasks-%d-%d.yml" % (index, count))
            playbook(paths[index, count], action, args, count)
    for _round in range(runs):
        for index, (label, _action, _args, extra_env) in enumerate(VARIANTS):
            for count in (1, 10):
                control.clear_requests()
                seconds = run_once(paths[index, count], server.url, extra_env)
                rows[index]["times"][count].append(seconds)
                if count == 10:
                    rows[index]["tokens"] = max(rows[index]["tokens"], len(control.token_requests()))
                sys.stderr.write("%s x%d: %.2f s\n" % (label, count, seconds))
    return rows


def table(rows):
    debug10 = statistics.median(rows[0]["times"][10])
    lines = ["| tasks | 1 task (median) | 10 tasks (median, min-max) | per task | 10 tasks / 10 debug | tokens per run (10 tasks) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        times = row["times"]
        one, ten = statistics.median(times[1]), statistics.median(times[10])
        tokens = row["tokens"] if row["label"] != "debug" else "-"
        lines.append("| %s | %.2f s | %.2f s (%.2f-%.2f) | %.3f s | %.2f x | %s |" % (
            row["label"], one, ten, min(times[10]), max(times[10]), (ten - one) / 9.0, ten / debug10, tokens))
    return "\n".join(lines)


SECTION = "task-cost-bench"


def report(figures, rows):
    """The Markdown section (built by concatenation: prose may hold any character)."""
    return "\n".join([
        HEADING,
        "",
        "Written by `bench/task_cost_bench.py --write docs/benchmark.md` on {when}: ansible-core {core}, "
        "Python {python}, {cpus} CPUs, {runs} runs of each playbook, emulator latency {latency} ms.".format(**figures),
        "",
        "Each playbook is one play on `localhost` with `connection: local` and no facts, running 1 or 10 "
        "tasks of the same kind; the wall time is `ansible-playbook`'s, start to exit. *Per task* is "
        "(10 tasks - 1 task) / 9 of the medians. The playbooks run in rounds (each once per round) "
        "so that changes in the machine's load hit every kind alike. `flex_schema_info` reads every schema (one "
        "request on an empty org). *In-process* is the default: the action plugin runs the module's code in the "
        "worker Ansible forks for the task, with the run's shared token. *Module process* is the same task with "
        "`GENESYSCLOUD_IN_PROCESS=false`: AnsiballZ, a new interpreter and a login per task. Load average "
        "at the end: {load:.1f}; compare the rows of one table, not across machines or runs.".format(**figures),
        "",
        table(rows),
    ])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--write", help="the Markdown file whose section to replace")
    args = parser.parse_args(argv)
    ensure_link(COLLECTIONS_ROOT)
    sys.path.insert(0, REPO)
    from ansible import __version__ as core_version
    from genesys_emulator import start_in_thread

    server = start_in_thread(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, rate_limit=100000,
                             latency_ms=args.latency_ms)
    try:
        with tempfile.TemporaryDirectory(prefix="task-cost-bench-") as workdir:
            rows = measure(server, args.runs, workdir)
    finally:
        server.stop()
    section = report(dict(when=time.strftime("%Y-%m-%d"), core=core_version, python=sys.version.split()[0],
                          cpus=os.cpu_count(), runs=args.runs, latency=args.latency_ms, load=os.getloadavg()[0]),
                     rows)
    print(section)
    if args.write:
        write_section(args.write, SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
