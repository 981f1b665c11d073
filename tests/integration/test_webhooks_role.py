"""The genesys.cloud.webhooks role in real playbooks against the emulator."""
import pytest
import json

SECRET = "role-secret-4e2b"
HEADER_VALUE = "Token role-hdr-61fd"


def role_play(webhooks, **extra_vars):
    role_vars = dict(genesys_webhooks=webhooks)
    role_vars.update(extra_vars)
    return [{"name": "webhooks", "hosts": "localhost", "gather_facts": False,
             "roles": [{"role": "genesys.cloud.webhooks", "vars": role_vars}]}]


WEBHOOKS = [
    {"name": "compliance", "endpoint": "https://compliance.example.com/in",
     "event_types": ["data.flex.schema.updated", "data.flex.schema.deleted"],
     "filter": {"schema_name": "accounts"}, "headers": {"Authorization": HEADER_VALUE}, "secret": SECRET},
    {"name": "records-feed", "endpoint": "https://feed.example.com/in",
     "event_types": ["customobjects.records.changed"], "enabled": False},
]
APPLY = "genesys.cloud.webhooks : Apply each webhook"


@pytest.mark.matrix
def test_role_previews_applies_and_then_changes_nothing(emulator, playbook):
    preview = playbook(role_play(WEBHOOKS), check=True, diff=True)
    assert preview.rc == 0, preview
    assert [item["changed"] for item in preview.task(APPLY)["results"]] == [True, True]
    assert emulator.module_writes() == []

    applied = playbook(role_play(WEBHOOKS))
    assert applied.rc == 0, applied
    stored = dict((hook["name"], hook) for hook in emulator.webhooks())
    assert sorted(stored) == ["compliance", "records-feed"]
    assert stored["compliance"]["secretSet"] is True and stored["compliance"]["filter"] == "schemaName eq 'accounts'"
    assert stored["records-feed"]["enabled"] is False
    text = applied.stdout + applied.stderr + json.dumps(applied.records)
    assert SECRET not in text and HEADER_VALUE not in text

    emulator.clear_requests()
    removal = [dict(WEBHOOKS[0]), {"name": "records-feed", "state": "absent"}]
    again = playbook(role_play(WEBHOOKS[:1]) + role_play(removal))
    assert again.rc == 0, again
    results = [record["result"] for record in again.records if record["task"] == APPLY]
    assert [item["changed"] for item in results[0]["results"]] == [False]
    assert [item["changed"] for item in results[1]["results"]] == [False, True]
    assert [hook["name"] for hook in emulator.webhooks()] == ["compliance"]
    assert [entry["method"] for entry in emulator.module_writes()] == ["DELETE"]


def test_role_rejects_entries_that_break_its_argument_spec(emulator, playbook):
    run = playbook(role_play([{"endpoint": "https://x.example.com", "update_secret": "sometimes"}]))
    assert run.rc != 0
    assert "Validation of arguments failed" in run.stdout
    assert "name" in run.stdout and "update_secret" in run.stdout
    assert emulator.module_requests() == []
