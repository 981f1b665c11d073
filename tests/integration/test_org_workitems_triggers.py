"""Workitem schemas and triggers in an org directory (issue 28 item 2): the org run in-process against the
emulator (preview, apply, re-run, replacement, references, export, saved plans, unmanaged objects), and one
real playbook run."""
import json
import os

import pytest

from tests.integration.test_org import org_playbook, recap_changed
from tests.integration.test_org_export_truth import export
from tests.integration.test_org_run import org_run

SCHEMAS_PATH = "/api/v2/taskmanagement/workitems/schemas"
TRIGGERS_PATH = "/api/v2/processautomation/triggers"
TOPIC = "v2.taskmanagement.workitems.{id}"
QUEUE_TOPIC = "v2.taskmanagement.workitems.queues.{id}"
CLAIM = ("name: claim\ndescription: An insurance claim\nfields:\n  - {name: policy, type: identifier}\n"
         "  - {name: amount, type: number, minimum: 0}\n  - {name: channel, type: enum, values: [web, phone]}\n")
ESCALATION = ("name: escalation\ntopic: %s\nworkflow: Escalate claim\nmatch_criteria:\n"
              "  - {json_path: $.priority, operator: GreaterThanOrEqual, value: 5}\n" % TOPIC)


def write(root, path, text):
    path = os.path.join(str(root), path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def workflow(emulator, name="Escalate claim", published=True):
    return emulator._ctl("POST", "/workflows", {"name": name, "published": published})


def make_org(tmp_path, emulator, org_yml=None):
    org = tmp_path / "org"
    write(org, "workitem_schemas/claim.yml", CLAIM)
    write(org, "triggers/escalation.yml", ESCALATION)
    if org_yml is not None:
        write(org, "org.yml", org_yml)
    return str(org)


def schemas(emulator, deleted=False):
    found = emulator.api("GET", SCHEMAS_PATH, expect=200).json()["entities"]
    return [schema for schema in found if deleted or not schema.get("deleted")]


def triggers(emulator):
    return emulator.api("GET", TRIGGERS_PATH + "?pageSize=200", expect=200).json()["entities"]


def ok(result):
    assert "failed" not in result, result.get("msg")
    return result


def counts(result):
    return result["summary"]["counts"]


def planned(result):
    return [(change["kind"], change["name"], change["action"]) for change in result["plan"]["changes"]]


def test_preview_apply_and_a_rerun_that_writes_nothing(emulator, tmp_path):
    flow = workflow(emulator)
    org = make_org(tmp_path, emulator)

    preview = ok(org_run(emulator, check=True, diff=True, org_dir=org))
    assert emulator.module_writes() == [] and schemas(emulator) == [] and triggers(emulator) == []
    assert preview["changed"] is True
    assert counts(preview)["workitem_schemas"]["create"] == 1 and counts(preview)["triggers"]["create"] == 1
    assert planned(preview) == [("workitem_schema", "claim", "create"), ("trigger", "escalation", "create")]
    assert "workitem_schemas: create 1, update 0, delete 0" in preview["summary"]["lines"]

    applied = ok(org_run(emulator, org_dir=org))
    assert applied["changed"] is True
    (schema,) = schemas(emulator)
    assert schema["name"] == "claim" and sorted(schema["jsonSchema"]["properties"]) == [
        "amount_number", "channel_enum", "policy_identifier"]
    (trigger,) = triggers(emulator)
    assert trigger["name"] == "escalation" and trigger["topicName"] == TOPIC
    assert trigger["target"]["id"] == flow["id"]

    emulator.clear_requests()
    again = ok(org_run(emulator, org_dir=org))
    assert again["changed"] is False and emulator.module_writes() == []
    assert counts(again)["workitem_schemas"] == dict(create=0, update=0, delete=0)


@pytest.mark.parametrize("stale_status", [409, 400])
def test_a_schema_changed_by_someone_else_during_the_run_is_reread_and_only_the_runs_change_applied(
        emulator, tmp_path, stale_status):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    ok(org_run(emulator, org_dir=org))
    write(org, "workitem_schemas/claim.yml", CLAIM + "  - {name: opened, type: date}\n")
    emulator._ctl("POST", "/stale_version", {"kind": "workitem_schema", "status": stale_status})
    # someone else changes the description right after the run's read of the list
    emulator.hook(method="GET", path="^%s$" % SCHEMAS_PATH, count=1, action={
        "type": "workitem_schema_update", "name": "claim", "description": "Bob's description"})
    emulator.clear_requests()

    applied = ok(org_run(emulator, org_dir=org))

    assert applied["changed"] is True
    writes = [(w["method"], w["status"]) for w in emulator.module_writes()]
    assert writes == [("PUT", stale_status), ("PUT", 200)]
    (schema,) = schemas(emulator)
    assert "opened_date" in schema["jsonSchema"]["properties"] and len(schema["jsonSchema"]["properties"]) == 4
    # the file sets the description, and the re-read applies only the run's own change (a field): Bob's stays
    assert schema["jsonSchema"]["description"] == "Bob's description" and schema["version"] == 3


def test_a_new_topic_is_planned_as_a_replacement(emulator, tmp_path):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    ok(org_run(emulator, org_dir=org))
    (old,) = triggers(emulator)
    write(org, "triggers/escalation.yml", ESCALATION.replace(TOPIC, QUEUE_TOPIC))

    emulator.clear_requests()
    preview = ok(org_run(emulator, check=True, diff=True, org_dir=org))
    assert emulator.module_writes() == []
    assert planned(preview) == [("trigger", "escalation", "replace")]
    assert counts(preview)["triggers"] == dict(create=1, update=0, delete=1)
    assert "replace" in json.dumps(preview["diff"])

    ok(org_run(emulator, org_dir=org))
    (new,) = triggers(emulator)
    assert new["topicName"] == QUEUE_TOPIC and new["id"] != old["id"]


def test_an_unknown_or_unpublished_workflow_is_refused_before_any_write(emulator, tmp_path):
    workflow(emulator, "Draft flow", published=False)
    org = make_org(tmp_path, emulator)
    write(org, "triggers/draft.yml", "name: draft\ntopic: %s\nworkflow: Draft flow\n" % TOPIC)

    for check in (True, False):
        result = org_run(emulator, check=check, org_dir=org)
        assert result["failed"] is True
        assert emulator.module_writes() == [] and schemas(emulator) == []
        msg = result["msg"]
        assert "triggers/escalation.yml" in msg and "workflow 'Escalate claim' is not a workflow of this org" in msg
        assert "triggers/draft.yml" in msg and "workflow Draft flow" in msg and "is not published" in msg
        assert msg.count("Escalate claim") == 1  # said once: a reference problem, not also a refused step


def test_an_overlay_removes_a_trigger_of_its_base_and_changes_a_schema(emulator, tmp_path):
    workflow(emulator)
    base = make_org(tmp_path, emulator)
    ok(org_run(emulator, org_dir=base))
    prod = tmp_path / "prod"
    write(prod, "org.yml", "base: ../org\n")
    write(prod, "triggers/escalation.yml", "name: escalation\nstate: absent\n")
    write(prod, "workitem_schemas/claim.yml", CLAIM.replace("An insurance claim", "A claim"))
    emulator.clear_requests()

    preview = ok(org_run(emulator, check=True, org_dir=str(prod)))
    assert planned(preview) == [("workitem_schema", "claim", "update"), ("trigger", "escalation", "delete")]
    assert emulator.module_writes() == []
    ok(org_run(emulator, org_dir=str(prod)))
    assert triggers(emulator) == [] and schemas(emulator)[0]["jsonSchema"]["description"] == "A claim"


def test_an_export_previews_unchanged(emulator, tmp_path):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    ok(org_run(emulator, org_dir=org))
    dest = tmp_path / "exported"

    exported = export(emulator, dest)
    assert exported["counts"]["workitem_schemas"] == 1 and exported["counts"]["triggers"] == 1
    assert "workflow: Escalate claim" in (dest / "triggers" / "escalation.yml").read_text()
    emulator.clear_requests()
    preview = ok(org_run(emulator, check=True, org_dir=str(dest)))
    assert preview["changed"] is False and planned(preview) == [] and emulator.module_writes() == []


def test_a_saved_plan_is_applied_as_previewed(emulator, tmp_path):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    saved = tmp_path / "plan.json"
    ok(org_run(emulator, check=True, org_dir=org, plan_json=str(saved)))
    assert emulator.module_writes() == []

    applied = ok(org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert applied["changed"] is True and len(schemas(emulator)) == 1 and len(triggers(emulator)) == 1


def test_a_saved_plan_is_refused_when_a_schema_changed_since_the_preview(emulator, tmp_path):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    ok(org_run(emulator, org_dir=org))
    write(org, "workitem_schemas/claim.yml", CLAIM.replace("An insurance claim", "A claim"))
    saved = tmp_path / "plan.json"
    ok(org_run(emulator, check=True, org_dir=org, plan_json=str(saved)))
    (schema,) = schemas(emulator)
    body = dict((key, schema[key]) for key in ("name", "enabled", "appliesTo", "jsonSchema", "version"))
    body["enabled"] = False
    emulator.api("PUT", "%s/%s" % (SCHEMAS_PATH, schema["id"]), expect=200, json=body)
    emulator.clear_requests()

    refused = org_run(emulator, org_dir=org, apply_plan=str(saved))
    assert refused["failed"] is True and emulator.module_writes() == []
    assert "no longer matches the org" in refused["msg"] and "claim" in refused["msg"]


def test_unmanaged_schemas_are_listed_ignored_and_soft_deleted_ones_left_out(emulator, tmp_path):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    ok(org_run(emulator, org_dir=org))
    for name in ("legacy-orders", "gone"):
        emulator.api("POST", SCHEMAS_PATH, expect=200, json={
            "name": name, "enabled": True, "appliesTo": ["WORKITEM"],
            "jsonSchema": {"title": name, "type": "object", "properties": {}}})
    gone = [schema for schema in schemas(emulator) if schema["name"] == "gone"][0]
    emulator.api("DELETE", "%s/%s" % (SCHEMAS_PATH, gone["id"]), expect=204)
    assert [schema["name"] for schema in schemas(emulator, deleted=True) if schema["deleted"]] == ["gone"]

    listed = ok(org_run(emulator, check=True, org_dir=org))
    assert [(found["kind"], found["name"]) for found in listed["plan"]["unmanaged"]] == [
        ("workitem_schemas", "legacy-orders")]
    assert "not managed here: workitem schema legacy-orders" in listed["summary"]["lines"]

    emulator.clear_requests()
    deleting = ok(org_run(emulator, check=True, org_dir=org, delete_unmanaged=True))
    assert planned(deleting) == [("workitem_schema", "legacy-orders", "delete")] and emulator.module_writes() == []

    write(org, "org.yml", "ignore:\n  workitem_schemas: [legacy-*]\n")
    ignored = ok(org_run(emulator, check=True, org_dir=org))
    assert ignored["plan"]["unmanaged"] == []
    assert ignored["plan"]["ignored"] == [dict(kind="workitem_schemas", name="legacy-orders")]


def test_a_playbook_applies_the_directory(emulator, tmp_path):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    run = org_playbook(emulator, tmp_path, "configure_org", org)
    assert run.rc == 0, run.stdout[-2000:]
    assert [schema["name"] for schema in schemas(emulator)] == ["claim"]
    assert [trigger["name"] for trigger in triggers(emulator)] == ["escalation"]
    again = org_playbook(emulator, tmp_path, "configure_org", org)
    assert again.rc == 0 and recap_changed(again) == 0


def test_a_directory_without_the_folders_reads_neither_list(emulator, tmp_path):
    org = tmp_path / "org"
    write(org, "webhooks/audit.yml", "name: audit\nendpoint: https://hooks.example/audit\n"
          "event_types: [customobjects.records.changed]\n")
    emulator.api("POST", SCHEMAS_PATH, expect=200, json={
        "name": "elsewhere", "enabled": True, "appliesTo": ["WORKITEM"],
        "jsonSchema": {"title": "elsewhere", "type": "object", "properties": {}}})
    emulator.clear_requests()

    preview = ok(org_run(emulator, check=True, org_dir=str(org)))
    paths = [request["path"] for request in emulator.module_requests()]
    assert not [path for path in paths if "taskmanagement" in path or "processautomation" in path], paths
    assert preview["plan"]["unmanaged"] == []
    # the summary does not list kinds the definition leaves alone
    assert [line for line in preview["summary"]["lines"] if line.startswith(("workitem_schemas:", "triggers:"))] == []


def test_a_field_type_change_is_refused_before_any_write_naming_the_schema(emulator, tmp_path):
    workflow(emulator)
    org = make_org(tmp_path, emulator)
    ok(org_run(emulator, org_dir=org))
    write(org, "workitem_schemas/claim.yml", CLAIM.replace("{name: policy, type: identifier}", "{name: policy, type: text}"))
    emulator.clear_requests()

    refused = org_run(emulator, org_dir=org)
    assert refused["failed"] is True and emulator.module_writes() == []
    assert "REFUSED workitem schema claim: field policy is a identifier field and cannot become text" in refused["msg"]
