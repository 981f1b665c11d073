#!/usr/bin/env python3
"""``make demo-events``: a schema change made by someone else reaches a rule, on one machine.

1. starts a fresh emulator (the automation's client ``demo-client``, plus a second client, ``alice-console``,
   standing for a person in the admin UI);
2. starts ansible-rulebook with extensions/eda/rulebooks/schema_drift.yml: genesys.cloud.webhook_events
   listens on a free loopback port, genesys.cloud.not_from_clients drops demo-client's changes;
3. as the automation, registers the webhook (genesys.cloud.webhook, endpoint .../orgs/acme, signed) and
   applies the example org (playbooks/configure_org.yml): every delivery of those changes is dropped;
4. as alice, changes the description of customerAccounts through the API;
5. waits for the rule to fire and run the drift check (genesys.cloud.preview_org) for acme, whose plan
   shows alice's change as drift (one schema to update back); then stops everything (also on Ctrl-C or a failure, exit code 1).
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import requests
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from collection_link import ensure_link  # noqa: E402
from demo import CLIENT_ID, CLIENT_SECRET, StepFailed, banner, run_demo, start_emulator  # noqa: E402
from processes import WatchedProcess, free_port  # noqa: E402

BIN = os.path.dirname(sys.executable)
COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
WORKDIR = os.path.join(REPO, "build", "demo-events")
RULEBOOK = os.path.join(REPO, "extensions", "eda", "rulebooks", "schema_drift.yml")
ORG_DIR = os.path.join(REPO, "examples", "orgs", "acme")
OTHER_ID, OTHER_SECRET = "alice-console", "alice-console-secret"
WEBHOOK_SECRET = "demo-events-signing-secret"  # a demo value; keep real ones in a vault
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def write_inputs(url, port):
    """The inventory (one org, acme, on the emulator) and the listener's variables."""
    inventory = os.path.join(WORKDIR, "inventory")
    os.makedirs(inventory, exist_ok=True)
    hosts = {"genesys_orgs": {"hosts": {"acme": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "genesys_api_url": url, "genesys_client_id": CLIENT_ID, "genesys_client_secret": CLIENT_SECRET,
        "genesys_org_dir": ORG_DIR}}}}
    with open(os.path.join(inventory, "hosts.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(hosts, handle, sort_keys=False)
    variables = os.path.join(WORKDIR, "listener.yml")
    with open(variables, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"genesys_events_org": "acme", "genesys_events_port": port,
                        "genesys_webhook_secret": WEBHOOK_SECRET}, handle)
    return inventory, variables


def environment(url):
    return dict(os.environ,
                PATH=BIN + os.pathsep + os.environ.get("PATH", ""),  # ansible-rulebook needs ansible-galaxy
                ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT,
                ANSIBLE_LOCALHOST_WARNING="False",
                ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
                ANSIBLE_LOCAL_TEMP=os.path.join(WORKDIR, "tmp"),
                GENESYSCLOUD_API_URL=url,
                GENESYSCLOUD_OAUTHCLIENT_ID=CLIENT_ID,
                GENESYSCLOUD_OAUTHCLIENT_SECRET=CLIENT_SECRET,
                ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                PYTHONUNBUFFERED="1")


def echo_rulebook(line):
    """Playbook output and the collection's plugin lines, without ansible-rulebook's own log lines."""
    if "genesys.cloud." in line or (line.strip() and not STAMP.match(line)):
        print("  [rulebook] " + re.sub(r"^\S+ \S+ - ", "", line), flush=True)


class RulebookProcess(WatchedProcess):
    """ansible-rulebook, its output echoed (playbook output and the collection's plugin lines only)."""

    def __init__(self, inventory, variables, env):
        command = [os.path.join(BIN, "ansible-rulebook"), "-r", RULEBOOK, "-i", inventory, "--vars", variables, "-v"]
        print("$ GENESYSCLOUD_OAUTHCLIENT_ID=%s ansible-rulebook %s" % (CLIENT_ID, " ".join(
            os.path.relpath(a, REPO) if a.startswith(REPO) else a for a in command[1:])), flush=True)
        super().__init__(command, echo=echo_rulebook, cwd=WORKDIR, env=env)

    def not_printed(self, pattern, found, count, tail):
        return StepFailed("ansible-rulebook did not print %r (exit code %s)" % (pattern, self.process.poll()))

    def count(self, pattern):
        return len(self.matches(pattern))


def run_playbook(path, inventory, env, vars_file=None):
    command = [os.path.join(BIN, "ansible-playbook"), path, "-i", inventory]
    if vars_file:
        command += ["-e", "@" + vars_file]
    print("$ ansible-playbook " + " ".join(os.path.relpath(a, REPO) if a.startswith(REPO) else
                                           "@" + os.path.relpath(a[1:], REPO) if a.startswith("@" + REPO) else a
                                           for a in command[1:]), flush=True)
    result = subprocess.run(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in result.stdout.splitlines():
        if line.startswith(("TASK", "PLAY RECAP", "acme", "changed:", "fatal:")):
            print("  " + line, flush=True)
    if result.returncode != 0:
        print(result.stdout[-3000:])
        raise StepFailed("%s failed (exit code %d)" % (os.path.basename(path), result.returncode))


WEBHOOK_PLAY = """---
- name: Point a signed webhook at the Event-Driven Ansible listener
  hosts: acme
  gather_facts: false
  tasks:
    - name: The drift webhook of acme
      genesys.cloud.webhook:
        api_url: "{{ genesys_api_url }}"
        client_id: "{{ genesys_client_id }}"
        client_secret: "{{ genesys_client_secret }}"
        name: eda-schema-drift
        endpoint: "http://127.0.0.1:{{ genesys_events_port }}/orgs/{{ inventory_hostname }}"
        event_types: [data.flex.schema.created, data.flex.schema.updated, data.flex.schema.deleted]
        secret: "{{ genesys_webhook_secret }}"
"""


def change_as_alice(url):
    session = requests.Session()
    session.trust_env = False
    token = session.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                         auth=(OTHER_ID, OTHER_SECRET), timeout=30).json()["access_token"]
    session.headers["Authorization"] = "Bearer " + token
    schemas = session.get(url + "/api/v2/data/flex/schemas?pageSize=100", timeout=30).json()["entities"]
    schema = [s for s in schemas if s["name"] == "customerAccounts"][0]
    body = {"name": schema["name"], "description": "Edited by hand in the admin UI.", "fields": schema["fields"]}
    answer = session.put(url + "/api/v2/data/flex/schemas/" + schema["id"], json=body,
                         headers={"If-Match": '"%s"' % schema["version"]}, timeout=30)
    if answer.status_code != 200:
        raise StepFailed("alice's change was refused: %s %s" % (answer.status_code, answer.text[:300]))
    print("alice-console changed the description of customerAccounts (now version %d)" % answer.json()["version"])


def settled_deliveries(url, timeout=60.0):
    """The emulator's delivery log once no new attempt has appeared for a second."""
    last, quiet_since, deadline = None, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = requests.get(url + "/_emulator/deliveries", timeout=30).json()
        if last is not None and len(log) == len(last):
            if time.monotonic() - quiet_since > 1.0:
                return log
        else:
            quiet_since = time.monotonic()
        last = log
        time.sleep(0.2)
    return last


def steps(cleanup):
    started = time.monotonic()
    ensure_link(COLLECTIONS_ROOT)
    os.makedirs(os.path.join(WORKDIR, "tmp"), exist_ok=True)
    banner(1, "start a fresh emulator; the automation is demo-client, alice-console is a person")
    url = start_emulator(cleanup)
    requests.post(url + "/_emulator/clients", json={"client_id": OTHER_ID, "client_secret": OTHER_SECRET},
                  timeout=30).raise_for_status()
    print("emulator listening on %s" % url)
    port = free_port()
    inventory, variables = write_inputs(url, port)
    env = environment(url)

    banner(2, "start ansible-rulebook: genesys.cloud.webhook_events on port %d, demo-client's changes dropped" % port)
    rulebook = RulebookProcess(inventory, variables, env)
    cleanup.callback(rulebook.stop)
    rulebook.wait_for(r"webhook_events listening on", timeout=120)
    rulebook.wait_for(r"Waiting for events", timeout=60)

    banner(3, "as the automation: register the signed webhook, then apply the example org")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", dir=WORKDIR, delete=False) as handle:
        handle.write(WEBHOOK_PLAY)
    run_playbook(handle.name, inventory, env, variables)
    run_playbook(os.path.join(REPO, "playbooks", "configure_org.yml"), inventory, env)
    own = [d for d in settled_deliveries(url) if d["webhook_name"] == "eda-schema-drift"]
    dropped = rulebook.count(r"not_from_clients: dropped event")
    print("the automation's changes: %d deliveries, accepted by the source (202) and dropped by the filter: %d"
          % (len(own), dropped))
    if dropped < 1 or rulebook.count(r"Calling Ansible runner|ansible-playbook|PLAY \[") > 0:
        raise StepFailed("the automation's own changes were not all dropped")

    banner(4, "as alice-console: change the description of customerAccounts by hand")
    change_as_alice(url)

    banner(5, "the rule fires: the drift check (genesys.cloud.preview_org) runs for acme")
    rulebook.wait_for(r"PLAY RECAP", timeout=300)
    recap = rulebook.wait_for(r"^acme\s+:", timeout=30)[0].string
    if "failed=0" not in recap:
        raise StepFailed("the drift check failed: %s" % recap)
    if not rulebook.count(r"schemas: create 0, update 1, delete 0"):
        raise StepFailed("the drift check's plan does not show the one schema alice changed")
    print("\nA change made by another client reached the rule; demo-client's own changes did not. "
          "Done in %.0f s. See docs/event_driven.md." % (time.monotonic() - started))


def main():
    return run_demo("demo-events", steps)


if __name__ == "__main__":
    sys.exit(main())
