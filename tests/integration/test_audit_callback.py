"""The genesys.cloud.audit callback enabled in a real playbook run against the emulator."""
import pytest
import json
import os

ENABLED = {"ANSIBLE_CALLBACKS_ENABLED": "result_recorder,genesys.cloud.audit"}
ENDPOINT = "https://compliance.example.com/in"
SECRET = "audit-test-secret-93c1"


def hook(task_name, name, **options):
    args = dict(name=name, endpoint=ENDPOINT, event_types=["data.flex.schema.updated"])
    args.update(options)
    return {"name": task_name, "genesys.cloud.webhook": args}


def read_lines(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.matrix
def test_changes_are_logged_one_json_line_each_and_summarised_per_org(emulator, playbook, tmp_path):
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201,
                 json={"name": "retired", "endpoint": ENDPOINT, "eventTypes": ["data.flex.schema.deleted"]})
    workdir = tmp_path / "with-cfg"
    workdir.mkdir()
    log_file = tmp_path / "audit" / "trail.jsonl"
    (workdir / "ansible.cfg").write_text("[genesys_cloud_audit]\nlog_file = %s\n" % log_file)
    tasks = [
        hook("create", "compliance", secret=SECRET),
        hook("update", "compliance", enabled=False),
        hook("unchanged", "compliance", enabled=False),
        {"name": "read", "genesys.cloud.webhook_info": {}},
        {"name": "delete", "genesys.cloud.webhook": {"name": "retired", "state": "absent"}},
    ]
    run = playbook(tasks, env=ENABLED, workdir=str(workdir))
    assert run.rc == 0, run

    lines = read_lines(str(log_file))
    assert [(line["action"], line["name"]) for line in lines] == [
        ("create", "compliance"), ("update", "compliance"), ("delete", "retired")]
    org = emulator.url.split("://")[1]
    for line, task in zip(lines, ("create", "update", "delete")):
        assert line["org"] == org and line["resource"] == "webhook" and line["outcome"] == "success"
        assert line["id"] and line["correlation_id"] and line["requests"] >= 1 and line["latency_ms"] >= 0
        assert line["ansible"]["task"] == task and line["ansible"]["host"] == "localhost"
    hook_id = [h for h in emulator.webhooks() if h["name"] == "compliance"][0]["id"]
    assert lines[0]["id"] == hook_id
    assert SECRET not in log_file.read_text()

    summary = run.stdout[run.stdout.index("GENESYS CLOUD AUDIT"):]
    requests = sum(run.task(name)["metrics"]["requests"] for name in ("create", "update", "unchanged", "read", "delete"))
    assert "%s: 1 created, 1 updated, 1 deleted, 0 failed; %d requests, 0 retries" % (org, requests) in summary
    assert "created: webhook compliance" in summary and "deleted: webhook retired" in summary
    assert "3 change(s) appended to %s" % log_file in summary

    again = playbook(tasks[2:4], env=ENABLED, workdir=str(workdir))
    assert again.rc == 0 and len(read_lines(str(log_file))) == 3  # appended to, and only for changes
    assert "%s: 0 created, 0 updated, 0 deleted, 0 failed" % org in again.stdout


def test_failures_are_logged_and_the_summary_can_be_turned_off(emulator, playbook, tmp_path):
    log_file = tmp_path / "trail.jsonl"
    emulator.fault(method="POST", path="^/api/v2/platform/webhooks$", status=503, count=20)
    env = dict(ENABLED, GENESYSCLOUD_AUDIT_LOG=str(log_file), GENESYSCLOUD_AUDIT_SUMMARY="false")
    task = hook("create", "compliance")
    task["genesys.cloud.webhook"]["max_retries"] = 1
    run = playbook([task], env=env)
    assert run.rc != 0
    [line] = read_lines(str(log_file))
    assert line["action"] == "create" and line["outcome"] == "failed" and line["error"] == "service.unavailable"
    assert "GENESYS CLOUD AUDIT" not in run.stdout
    assert emulator.webhooks() == []


def test_the_trace_file_option_gets_every_request_without_secrets(emulator, playbook, tmp_path):
    trace_file = tmp_path / "trace" / "requests.log"
    (tmp_path / "trace").mkdir()
    env = dict(ENABLED, GENESYSCLOUD_AUDIT_TRACE_FILE=str(trace_file), GENESYSCLOUD_AUDIT_LOG=str(tmp_path / "a.jsonl"))
    run = playbook([hook("create", "compliance", secret=SECRET), {"name": "read", "genesys.cloud.webhook_info": {}}],
                   env=env)
    assert run.rc == 0, run
    text = trace_file.read_text()
    assert oct(trace_file.stat().st_mode & 0o777) == "0o600"
    lines = text.splitlines()
    assert any(" localhost genesys.cloud request: POST " in line and "/api/v2/platform/webhooks -> 20" in line
               for line in lines), text
    assert len([line for line in lines if "/oauth/token -> 200" in line]) == 1
    assert SECRET not in text and emulator.client_secret not in text and "Bearer" not in text
    assert "genesys.cloud request" not in run.stdout  # the file only: no -vvv, no genesys_trace
