"""Plain-function tests of the trigger kind: shapes, input checks, workflow lookup, plan (no request), conflict body."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger import apply, plan, shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.read import TriggerRead

TOPIC = "v2.taskmanagement.workitems.{id}"
OTHER_TOPIC = "v2.taskmanagement.workitems.queues.{id}"
FLOW = {"id": "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f", "name": "Escalate", "type": "workflow",
        "publishedVersion": {"id": "1.0"}}
DRAFT = {"id": "1f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f", "name": "Draft", "type": "workflow", "publishedVersion": None}
STORED = {"id": "t1", "name": "claimEscalation", "topicName": TOPIC, "version": 2, "enabled": True,
          "target": {"type": "Workflow", "id": FLOW["id"], "workflowTargetSettings": {"dataFormat": "Json"}},
          "matchCriteria": [{"jsonPath": "$.priority", "operator": "GreaterThanOrEqual", "value": 5},
                            {"jsonPath": "$.type", "operator": "In", "values": ["a", "b"]}],
          "eventTTLSeconds": 60, "description": "urgent"}


def params(**overrides):
    base = dict(name="claimEscalation", topic=TOPIC, workflow="escalate", data_format=None, match_criteria=None,
                enabled=True, event_ttl_seconds=None, delay_by_seconds=None, description=None, state="present")
    base.update(overrides)
    return base


def read(*triggers):
    return TriggerRead(list(triggers), [TOPIC, OTHER_TOPIC], [FLOW, DRAFT])


def test_a_trigger_round_trips_between_the_users_shape_and_the_apis():
    user = shape.to_user(STORED)
    assert user["workflow"] == FLOW["id"] and user["data_format"] == "Json" and user["delay_by_seconds"] is None
    assert user["match_criteria"] == [{"json_path": "$.priority", "operator": "GreaterThanOrEqual", "value": 5},
                                      {"json_path": "$.type", "operator": "In", "values": ["a", "b"]}]
    body = shape.to_api(user)
    assert body == dict((k, v) for k, v in STORED.items() if k not in ("id", "version"))


def test_criteria_compare_as_a_set_and_numbers_by_value():
    first = [{"json_path": "$.a", "operator": "Equal", "value": 5}, {"json_path": "b", "operator": "In", "values": [1]}]
    second = [{"json_path": "b", "operator": "In", "values": [1.0]}, {"json_path": "$.a", "operator": "Equal", "value": 5.0}]
    assert shape.same("match_criteria", first, second)
    assert not shape.same("match_criteria", first, first[:1])


def test_bad_input_is_listed():
    problems = shape.trigger_problems(params(event_ttl_seconds=5, description="x" * 513, match_criteria=[
        {"json_path": "$..a", "operator": "Equal", "value": 1, "values": None},
        {"json_path": "$.a", "operator": "In", "value": 1, "values": None},
        {"json_path": "$.a", "operator": "Exists", "value": "yes", "values": None},
        {"json_path": "$.a", "operator": "Size", "value": -1, "values": None}]))
    assert problems == [
        "description must be at most 512 characters",
        "event_ttl_seconds must be 10 or more",
        "match_criteria[0]: json_path '$..a' is not a JSON path like $.a.b[0] (or bare a.b[0])",
        "match_criteria[1]: In takes values (a list of strings, numbers or booleans) and no value",
        "match_criteria[2]: Exists takes value true or false",
        "match_criteria[3]: Size takes a whole number >= 0",
    ]


def test_the_workflow_is_found_by_name_or_id_and_must_be_published():
    assert shape.resolve_workflow([FLOW, DRAFT], "ESCALATE") == (FLOW, None)
    assert shape.resolve_workflow([FLOW, DRAFT], FLOW["id"]) == (FLOW, None)
    assert "is not a workflow of this org" in shape.resolve_workflow([FLOW], "nope")[1]
    assert "Draft (%s) is not published" % DRAFT["id"] in shape.resolve_workflow([DRAFT], "draft")[1]
    twin = dict(FLOW, id="x2", name="escalate")
    assert shape.resolve_workflow([FLOW, twin], "Escalate") == (FLOW, None)  # the exact spelling decides
    assert "names 2 workflows" in shape.resolve_workflow([FLOW, dict(twin, name="ESCALATE")], "escalate")[1]
    with pytest.raises(InputError) as caught:
        plan.plan_trigger(params(workflow="Draft", topic="v2.nope"), read())
    assert "trigger claimEscalation" in str(caught.value) and "not published" in str(caught.value)
    assert "topic v2.nope is not offered by this org" in str(caught.value)


def test_create_update_none_replace_delete():
    created = plan.plan_trigger(params(match_criteria=[{"json_path": "$.a", "operator": "Exists", "value": True,
                                                        "values": None}]), read())
    assert created.action == "create" and created.after["workflow"] == FLOW["id"]
    assert created.after["match_criteria"] == [{"json_path": "$.a", "operator": "Exists", "value": True}]
    assert created.predicted()["version"] == 1
    assert created.result(False)["changes"] == ["enabled", "match_criteria", "name", "topic", "workflow"]

    assert plan.plan_trigger(params(), read(STORED)).action == "none"

    updated = plan.plan_trigger(params(delay_by_seconds=120, description="urgent"), read(STORED))
    assert updated.action == "update" and updated.version == 2
    assert sorted(updated.delta) == ["delay_by_seconds", "event_ttl_seconds"]
    assert updated.after["delay_by_seconds"] == 120 and updated.after["event_ttl_seconds"] is None
    assert updated.after["match_criteria"] == shape.to_user(STORED)["match_criteria"]  # left out: kept
    assert updated.predicted()["version"] == 3

    replaced = plan.plan_trigger(params(topic=OTHER_TOPIC), read(STORED))
    assert replaced.action == "replace" and replaced.result(True)["changes"] == ["topic"]
    diff = replaced.diff()
    assert "replace" in diff["before_header"] and "replace" in diff["after_header"]
    assert diff["before"]["topic"] == TOPIC and diff["after"]["topic"] == OTHER_TOPIC
    assert replaced.predicted()["id"] is None

    deleted = plan.plan_trigger(params(state="absent", workflow=None, topic=None), TriggerRead([STORED]))
    assert deleted.action == "delete" and deleted.predicted() == {}
    with pytest.raises(InputError) as caught:
        plan.plan_trigger(params(state="absent"), TriggerRead([STORED, dict(STORED, id="t2")]))
    assert "2 stored triggers are called claimEscalation (ids t1, t2)" in str(caught.value)


def test_after_a_conflict_only_this_tasks_options_are_applied():
    planned = plan.plan_trigger(params(enabled=False), read(STORED))
    fresh = dict(STORED, version=3, description="Bob's")
    body = apply.updated_body(fresh, planned.delta)
    assert body["version"] == 3 and body["enabled"] is False and body["description"] == "Bob's"
    assert apply.updated_body(dict(fresh, enabled=False), planned.delta) is None
