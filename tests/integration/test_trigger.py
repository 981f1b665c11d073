"""genesys.cloud.trigger and trigger_info in real playbooks against the emulator (REAL_API.md §10)."""
import importlib

import pytest
import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger import apply, plan, read

TRIGGERS_PATH = "/api/v2/processautomation/triggers"
TOPIC = "v2.taskmanagement.workitems.{id}"
QUEUE_TOPIC = "v2.taskmanagement.workitems.queues.{id}"
CRITERIA = [{"json_path": "$.priority", "operator": "GreaterThanOrEqual", "value": 5},
            {"json_path": "$.typeName", "operator": "In", "values": ["claim", "complaint"]}]


def trigger_task(name="set trigger", trigger="claimEscalation", **options):
    args = dict(name=trigger, topic=TOPIC, workflow="Escalate claim")
    args.update(options)
    return {"name": name, "genesys.cloud.trigger": args, "register": "out"}


def workflow(emulator, name="Escalate claim", published=True):
    return emulator._ctl("POST", "/workflows", {"name": name, "published": published})


def stored(emulator):
    return emulator.api("GET", TRIGGERS_PATH + "?pageSize=200", expect=200).json()["entities"]


@pytest.mark.matrix
def test_lifecycle_check_apply_repeat_info_delete(emulator, playbook):
    flow = workflow(emulator)
    task = trigger_task(match_criteria=CRITERIA, event_ttl_seconds=60, description="urgent claims")

    preview = playbook([task], check=True, diff=True)
    result = preview.task("set trigger")
    assert preview.rc == 0 and result["changed"] is True and result["action"] == "create"
    assert emulator.module_writes() == [] and stored(emulator) == []
    assert result["diff"]["after"]["workflow"] == flow["id"] and result["diff"]["after"]["topic"] == TOPIC

    applied = playbook([task])
    result = applied.task("set trigger")
    assert applied.rc == 0 and result["changed"] is True
    [trigger] = stored(emulator)
    assert trigger["topicName"] == TOPIC and trigger["target"] == {
        "type": "Workflow", "id": flow["id"], "workflowTargetSettings": {"dataFormat": "Json"}}
    assert trigger["matchCriteria"] == [{"jsonPath": "$.priority", "operator": "GreaterThanOrEqual", "value": 5},
                                        {"jsonPath": "$.typeName", "operator": "In", "values": ["claim", "complaint"]}]
    assert trigger["eventTTLSeconds"] == 60 and trigger["enabled"] is True and trigger["version"] == 1
    assert result["trigger"]["id"] == trigger["id"] and result["audit"][0]["resource"] == "trigger"

    emulator.clear_requests()
    reordered = trigger_task(match_criteria=CRITERIA[::-1], workflow=flow["id"], event_ttl_seconds=60,
                             description="urgent claims")
    again = playbook([reordered, {"name": "read", "genesys.cloud.trigger_info": {"name": ["claimEscalation", "x"]},
                                  "register": "info"}])
    assert again.rc == 0 and again.task("set trigger")["changed"] is False
    assert again.task("set trigger")["metrics"]["requests"] == 3  # triggers, topics, the workflow list
    assert emulator.module_writes() == []
    info = again.task("read")
    assert info["missing"] == ["x"]
    [listed] = info["triggers"]
    assert listed["workflow"] == flow["id"] and listed["event_ttl_seconds"] == 60 and listed["version"] == 1
    assert listed["match_criteria"] == CRITERIA

    # An update: delay instead of the TTL (they exclude each other); criteria and description kept.
    update = playbook([trigger_task(delay_by_seconds=120, enabled=False)], diff=True)
    result = update.task("set trigger")
    assert update.rc == 0 and result["action"] == "update"
    assert result["changes"] == ["delay_by_seconds", "enabled", "event_ttl_seconds"]
    [trigger] = stored(emulator)
    assert trigger["delayBySeconds"] == 120 and "eventTTLSeconds" not in trigger and trigger["enabled"] is False
    assert trigger["description"] == "urgent claims" and len(trigger["matchCriteria"]) == 2 and trigger["version"] == 2

    emulator.clear_requests()
    gone = playbook([trigger_task(state="absent"), trigger_task("again", state="absent")])
    assert gone.rc == 0 and gone.task("set trigger")["changed"] is True and gone.task("again")["changed"] is False
    assert [w["method"] for w in emulator.module_writes()] == ["DELETE"] and stored(emulator) == []


def test_a_new_topic_is_a_replacement(emulator, playbook):
    workflow(emulator)
    # A new trigger answers 404 by id for a while: the replacement must still find (and delete) it.
    emulator._ctl("POST", "/read_after_create", {"reads": 2})
    playbook([trigger_task(match_criteria=CRITERIA[:1], description="keep me")])
    [old] = stored(emulator)
    emulator.clear_requests()
    preview = playbook([trigger_task(topic=QUEUE_TOPIC)], check=True, diff=True)
    result = preview.task("set trigger")
    assert preview.rc == 0 and result["action"] == "replace" and result["changes"] == ["topic"]
    assert "replace" in result["diff"]["before_header"] and "replace" in result["diff"]["after_header"]
    assert result["diff"]["before"]["topic"] == TOPIC and result["diff"]["after"]["topic"] == QUEUE_TOPIC
    assert emulator.module_writes() == []

    applied = playbook([trigger_task(topic=QUEUE_TOPIC), trigger_task("again", topic=QUEUE_TOPIC)])
    assert applied.rc == 0 and applied.task("set trigger")["action"] == "replace"
    assert applied.task("again")["changed"] is False
    [new] = stored(emulator)
    assert new["id"] != old["id"] and new["topicName"] == QUEUE_TOPIC
    assert new["description"] == "keep me" and new["matchCriteria"] == old["matchCriteria"]
    assert [(w["method"], w["status"]) for w in emulator.module_writes()] == [("DELETE", 204), ("POST", 200)]
    assert [e["action"] for e in applied.task("set trigger")["audit"]] == ["delete", "create"]


@pytest.mark.parametrize("stale_status", [409, 400])
def test_a_stale_version_is_retried_with_only_this_tasks_change(emulator, playbook, stale_status):
    flow = workflow(emulator)
    emulator._ctl("POST", "/stale_version", {"kind": "trigger", "status": stale_status})
    body = {"name": "claimEscalation", "topicName": TOPIC, "enabled": True, "description": "first",
            "target": {"type": "Workflow", "id": flow["id"]}}
    emulator.api("POST", TRIGGERS_PATH, json=body, expect=200)
    # Someone else changes the description right after the module's read: its PUT is stale.
    emulator.hook(method="GET", path="^%s$" % TRIGGERS_PATH, count=1, action={
        "type": "trigger_update", "name": "claimEscalation", "description": "Bob's"})
    run = playbook([trigger_task(workflow=flow["id"], enabled=False)])
    result = run.task("set trigger")
    assert run.rc == 0, run
    assert result["metrics"]["conflicts"] == 1 and result["changes"] == ["enabled"]
    [trigger] = stored(emulator)
    assert trigger["version"] == 3 and trigger["enabled"] is False and trigger["description"] == "Bob's"
    assert [(w["method"], w["status"]) for w in emulator.module_writes()] == [("PUT", stale_status), ("PUT", 200)]


def test_a_replacement_builds_the_new_trigger_from_a_fresh_read(emulator):
    """A plan made against version 1 meets version 2 (Bob's description): the new trigger carries it."""
    flow = workflow(emulator)
    body = {"name": "claimEscalation", "topicName": TOPIC, "enabled": True, "description": "first",
            "target": {"type": "Workflow", "id": flow["id"]}}
    created = emulator.api("POST", TRIGGERS_PATH, json=body, expect=200).json()
    planned = plan.plan_trigger(dict(name="claimEscalation", topic=QUEUE_TOPIC, workflow=flow["id"], enabled=True,
                                     state="present"),
                                read.TriggerRead([created], [TOPIC, QUEUE_TOPIC], [flow]))
    assert planned.action == "replace" and planned.version == 1
    emulator.api("PUT", "%s/%s" % (TRIGGERS_PATH, created["id"]), expect=200,
                 json=dict(body, description="Bob's", version=1))
    client = GenesysCloudClient(**emulator.connection)
    new = apply.apply_plan(client, AuditTrail(client), planned)
    assert new["topicName"] == QUEUE_TOPIC and new["description"] == "Bob's" and new["id"] != created["id"]
    assert [t["id"] for t in stored(emulator)] == [new["id"]]


def test_an_unknown_or_unpublished_workflow_or_topic_is_refused_before_any_write(emulator, playbook):
    workflow(emulator, "Draft flow", published=False)
    run = playbook([
        dict(trigger_task("unknown", workflow="No such flow"), ignore_errors=True),
        dict(trigger_task("unpublished", workflow="Draft flow"), ignore_errors=True),
        dict(trigger_task("bad topic", workflow="Draft flow", topic="v2.nope"), check_mode=True, ignore_errors=True),
        dict(trigger_task("bad criteria", match_criteria=[{"json_path": "$..x", "operator": "In", "value": 1}]),
             ignore_errors=True),
    ])
    unknown = run.task("unknown")["msg"]
    assert run.status("unknown") == "failed"
    assert "trigger claimEscalation" in unknown and "workflow 'No such flow' is not a workflow of this org" in unknown
    unpublished = run.task("unpublished")["msg"]
    assert "workflow Draft flow" in unpublished and "is not published" in unpublished and "Publish it" in unpublished
    bad_topic = run.task("bad topic")["msg"]
    assert "topic v2.nope is not offered by this org" in bad_topic and "is not published" in bad_topic
    bad = run.task("bad criteria")["msg"]
    assert "match_criteria[0]: json_path '$..x' is not a JSON path" in bad
    assert "match_criteria[0]: In takes values" in bad
    assert emulator.module_writes() == [] and stored(emulator) == []


def test_the_examples_run_against_the_emulator(emulator, playbook):
    workflow(emulator)
    tasks = [yaml.safe_load(importlib.import_module("ansible_collections.genesys.cloud.plugins.modules." + name).EXAMPLES)
             for name in ("trigger", "trigger_info")]
    run = playbook(tasks[0][:2] + tasks[1] + tasks[0][2:])
    assert run.rc == 0, run
    assert run.task("Escalate urgent claim workitems")["changed"] is True
    assert run.task("Pause the trigger, keeping everything else")["changes"] == ["enabled"]
    assert run.task("Disable every listed trigger, feeding the listing back into the module")["changed"] is False
    assert stored(emulator) == []
