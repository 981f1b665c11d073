#!/usr/bin/env python3
"""``make demo``: the example org applied to a fresh local emulator, step by step.

Starts the emulator, previews examples/orgs/acme (check mode with diffs), applies it, applies it
again (nothing may change), previews, applies and re-applies a schema change (examples/schema_change.yml),
exports the org to build/demo-export/, prints a summary and stops the emulator, also on Ctrl-C or
when a step fails (then the exit code is not 0).
"""
import contextlib
import json
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from collection_link import ensure_link  # noqa: E402
import processes  # noqa: E402

BIN = os.path.dirname(sys.executable)
COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
ORG_DIR = os.path.join(REPO, "examples", "orgs", "acme")
EXPORT_ROOT = os.path.join(REPO, "build", "demo-export")
SCHEMA_CHANGE = os.path.join(REPO, "examples", "schema_change.yml")
CLIENT_ID, CLIENT_SECRET = "demo-client", "demo-secret"
RECAP_LINE = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


class StepFailed(Exception):
    pass


def banner(number, title):
    line = "=" * 78
    print("\n%s\n  Step %d: %s\n%s" % (line, number, title, line), flush=True)


def start_emulator(cleanup):
    """The URL of a fresh emulator (the demo's client), stopped by ``cleanup`` (an ExitStack)."""
    try:
        process, url = processes.start_emulator("--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET)
    except processes.NotStarted as exc:
        raise StepFailed(str(exc))
    cleanup.callback(processes.stop, process)
    return url


def run_demo(name, steps):
    """The exit code of ``steps(cleanup)``: 0, 1 when a step failed, 130 on Ctrl-C.

    ``cleanup`` is an ExitStack: what the steps register on it is stopped in every case, the latest first.
    """
    with contextlib.ExitStack() as cleanup:
        try:
            steps(cleanup)
            return 0
        except StepFailed as exc:
            print("\n%s failed: %s" % (name, exc), file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("\n%s interrupted" % name, file=sys.stderr)
            return 130


def run_playbook(name, url, extra_args=()):
    env = dict(os.environ,
               ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
               ANSIBLE_FORCE_COLOR=os.environ.get("ANSIBLE_FORCE_COLOR", "1" if sys.stdout.isatty() else "0"),
               GENESYSCLOUD_API_URL=url,
               GENESYSCLOUD_OAUTHCLIENT_ID=CLIENT_ID,
               GENESYSCLOUD_OAUTHCLIENT_SECRET=CLIENT_SECRET,
               PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    command = [os.path.join(BIN, "ansible-playbook"), os.path.join(REPO, "playbooks", name),
               "-i", "acme,", "-c", "local", "-e", json.dumps({"genesys_org_dir": ORG_DIR})] + list(extra_args)
    print("$ " + " ".join(command[1:]), flush=True)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=REPO)
    output = []
    for line in process.stdout:
        sys.stdout.write(line)
        output.append(line)
    process.wait()
    text = "".join(output)
    if process.returncode != 0:
        raise StepFailed("%s failed (exit code %d)" % (name, process.returncode))
    return recap(text)


def recap(text):
    """``{host: {"ok", "changed", "unreachable", "failed"}}`` from the PLAY RECAP (colour codes removed)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return dict((match.group(1), dict(ok=int(match.group(2)), changed=int(match.group(3)),
                                      unreachable=int(match.group(4)), failed=int(match.group(5))))
                for match in RECAP_LINE.finditer(plain))


def count_lines(path):
    with open(path, encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


def summary(export_dir, started):
    print("Exported to %s:" % os.path.relpath(export_dir, REPO))
    for kind in ("schemas", "records", "webhooks"):
        directory = os.path.join(export_dir, kind)
        names = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
        if kind == "records":
            names = ["%s (%d records)" % (name, count_lines(os.path.join(directory, name))) for name in names]
        print("  %-9s %s" % (kind + ":", ", ".join(names) or "-"))
    print("Done in %.0f s. Next: docs/getting_started.md shows how to point this at your own org." % (
        time.monotonic() - started))


def steps(cleanup):
    started = time.monotonic()
    ensure_link(COLLECTIONS_ROOT)
    banner(1, "start a fresh local emulator (an empty org)")
    url = start_emulator(cleanup)
    print("emulator listening on %s" % url)

    banner(2, "preview the example org: check mode with diffs, nothing is written")
    run_playbook("preview_org.yml", url)

    banner(3, "apply the example org")
    first = run_playbook("configure_org.yml", url)
    print("changed tasks: %d" % sum(host["changed"] for host in first.values()))

    banner(4, "apply it again: nothing may change")
    second = run_playbook("configure_org.yml", url)
    changed = sum(host["changed"] for host in second.values())
    if changed:
        raise StepFailed("the second apply reported changed=%d; it must be 0" % changed)
    print("PLAY RECAP says changed=0: the org already is as the directory describes.")

    change = ["-e", "@" + SCHEMA_CHANGE]
    banner(5, "preview a schema change (a new field on customerAccounts): check mode, diff, nothing written")
    run_playbook("preview_schema_changes.yml", url, change)

    banner(6, "apply the schema change")
    applied = run_playbook("apply_schema_changes.yml", url, change)
    if not sum(host["changed"] for host in applied.values()):
        raise StepFailed("applying the schema change reported no change")

    banner(7, "apply the schema change again: nothing may change")
    again = run_playbook("apply_schema_changes.yml", url, change)
    if sum(host["changed"] for host in again.values()):
        raise StepFailed("re-applying the schema change reported a change; it must be 0")
    print("PLAY RECAP says changed=0: the schema already has the new field.")

    banner(8, "export the org as code")
    run_playbook("export_org.yml", url, ["-e", json.dumps({"genesys_export_root": EXPORT_ROOT})])

    banner(9, "summary")
    summary(os.path.join(EXPORT_ROOT, "acme"), started)


def main():
    return run_demo("demo", steps)


if __name__ == "__main__":
    sys.exit(main())
