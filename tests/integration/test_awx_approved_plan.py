"""Issue 27 item 3: approve the plan, apply the plan, in AWX too.

Through ansible-runner (what AWX runs a job with), on the AWX project kit: the preview job publishes
each org's sealed plan as the artifact ``genesys_apply_plan`` (``set_stats``); the workflow hands a
job's artifacts to the next job as extra variables, so Configure applies exactly the approved plan,
and refuses, with zero writes, a plan the org moved away from in between.
"""
import os

from tests.integration.test_execution_environment import BIN, awx_project, injected_env, runner_env


def run_job(emulator, tmp_path, playbook, extravars):
    import ansible_runner

    credential = injected_env({"client_id": emulator.client_id, "client_secret": emulator.client_secret,
                               "region": "us-east-1", "api_url": emulator.url})
    private = tmp_path / playbook.replace(".yml", "")
    private.mkdir()
    return ansible_runner.run(private_data_dir=str(awx_project(private)), playbook=playbook,
                              envvars=runner_env(credential), extravars=extravars, quiet=True)


def artifacts_of(result):
    stats = [event for event in result.events if event["event"] == "playbook_on_stats"]
    return stats[-1]["event_data"]["artifact_data"]


def approved_plan(emulator, tmp_path):
    preview = run_job(emulator, tmp_path, "preview_org.yml", {"genesys_org_hosts": "acme"})
    assert (preview.status, preview.rc) == ("successful", 0), preview.stdout.read()[-3000:]
    plans = artifacts_of(preview)["genesys_apply_plan"]
    assert list(plans) == ["acme"] and plans["acme"].startswith("genesys-plan:")
    assert "{{" not in plans["acme"] and "{%" not in plans["acme"]  # never read as a template by the next job
    assert emulator.module_writes() == []
    return plans


def test_configure_applies_the_plan_the_preview_published(emulator, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    plans = approved_plan(emulator, tmp_path)

    configure = run_job(emulator, tmp_path, "configure_org.yml", {"genesys_org_hosts": "acme",
                                                                  "genesys_apply_plan": plans})
    assert (configure.status, configure.rc) == ("successful", 0), configure.stdout.read()[-3000:]
    assert len(emulator.schemas()) == 4 and len(emulator.records("customerAccounts")) == 24
    assert sorted(hook["name"] for hook in emulator.webhooks()) == ["account-changes", "schema-audit"]


def test_configure_refuses_a_plan_made_stale_after_the_approval_with_zero_writes(emulator, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    plans = approved_plan(emulator, tmp_path)
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": "account-changes", "endpoint": "https://elsewhere.example/in",
        "eventTypes": ["customobjects.records.changed"]})  # someone changed the org after the approval
    emulator.clear_requests()

    configure = run_job(emulator, tmp_path, "configure_org.yml", {"genesys_org_hosts": "acme",
                                                                  "genesys_apply_plan": plans})
    output = configure.stdout.read()
    assert configure.status == "failed" and configure.rc != 0, output[-3000:]
    assert "webhook account-changes was created since the plan was made" in output
    assert emulator.module_writes() == [] and emulator.schemas() == []
