"""Process-automation triggers (REAL_API.md §10) and the workflow lookup they depend on."""

import pytest

from emu_helpers import TRIGGERS, assert_error, scoped_token

TOPIC = "v2.taskmanagement.workitems.{id}"
OTHER_TOPIC = "v2.taskmanagement.workitems.queues.{id}"


@pytest.fixture
def workflow(emu):
    return emu.control("POST", "/workflows", json={"name": "Claim escalation"})


def body(workflow, **changes):
    sent = {"name": "claimEscalation", "topicName": TOPIC, "enabled": True,
            "target": {"type": "Workflow", "id": workflow["id"]},
            "matchCriteria": [{"jsonPath": "$.priority", "operator": "GreaterThanOrEqual", "value": 5}],
            "eventTTLSeconds": 60, "description": "Escalate"}
    sent.update(changes)
    return sent


def create(emu, workflow, **changes):
    response = emu.api("POST", TRIGGERS, json=body(workflow, **changes))
    assert response.status_code == 200, response.text
    return response.json()


def put(emu, trigger, version=None, **changes):
    sent = {k: v for k, v in trigger.items() if k not in ("id", "selfUri", "dateCreated", "dateModified")}
    if version is not None:
        sent["version"] = version
    sent.update(changes)
    return emu.api("PUT", TRIGGERS + "/" + trigger["id"], json=sent)


def test_workflows_are_found_by_type_and_name(emu, workflow):
    emu.control("POST", "/workflows", json={"name": "Draft flow", "published": False})
    found = emu.api("GET", "/api/v2/flows", params={"type": "workflow", "name": "claim*"}).json()
    assert found["entities"] == [{"id": workflow["id"], "name": "Claim escalation", "type": "workflow",
                                  "publishedVersion": {"id": "1.0"}}]
    drafts = emu.api("GET", "/api/v2/flows", params={"type": "workflow", "name": "Draft flow"}).json()["entities"]
    assert drafts[0]["publishedVersion"] is None
    assert emu.api("GET", "/api/v2/flows", params={"type": "inboundcall"}).json()["entities"] == []
    assert len(emu.control("GET", "/workflows")) == 2


def test_create_answers_200_with_version_1_and_server_filled_target(emu, workflow):
    trigger = create(emu, workflow)
    assert trigger["version"] == 1 and trigger["selfUri"] == TRIGGERS + "/" + trigger["id"]
    assert trigger["target"] == {"type": "Workflow", "id": workflow["id"],
                                 "workflowTargetSettings": {"dataFormat": "Json"}}
    assert emu.api("GET", TRIGGERS + "/" + trigger["id"]).json() == trigger


@pytest.mark.parametrize("changes, words", [
    ({"name": ""}, "name"), ({"name": "n" * 257}, "name"), ({"enabled": None}, "enabled"),
    ({"topicName": "v2.users.{id}.presence"}, "topicName"),
    ({"target": {"type": "Queue", "id": "x"}}, "target.type"),
    ({"target": {"type": "Workflow", "id": "00000000-0000-4000-8000-000000000000"}}, "target.id"),
    ({"target": {"type": "Workflow", "workflowTargetSettings": {"dataFormat": "Xml"}}}, "dataFormat"),
    ({"matchCriteria": [{"jsonPath": "$.a", "operator": "Like", "value": 1}]}, "operator"),
    ({"matchCriteria": [{"jsonPath": "$.a", "operator": "In", "value": 1}]}, "In takes values"),
    ({"matchCriteria": [{"jsonPath": "$.a", "operator": "Equal", "values": [1]}]}, "Equal takes value"),
    ({"matchCriteria": [{"jsonPath": "$..a", "operator": "Equal", "value": 1}]}, "jsonPath"),
    ({"matchCriteria": [{"jsonPath": "$.a", "operator": "Exists", "value": "yes"}]}, "Exists"),
    ({"matchCriteria": [{"jsonPath": "$.a", "operator": "Size", "value": -1}]}, "Size"),
    ({"eventTTLSeconds": 9}, "eventTTLSeconds"),
    ({"eventTTLSeconds": None, "delayBySeconds": 59}, "delayBySeconds"),
    ({"eventTTLSeconds": None, "delayBySeconds": 901}, "delayBySeconds"),
    ({"delayBySeconds": 60}, "exclusive"),
    ({"description": "d" * 513}, "description"),
    ({"colour": "red"}, "unknown property colour"),
])
def test_invalid_triggers_are_400_naming_the_problem(emu, workflow, changes, words):
    sent = body(workflow, **changes)
    if "target" in changes and "id" not in changes["target"]:
        sent["target"] = dict(changes["target"], id=workflow["id"])
    sent = {k: v for k, v in sent.items() if v is not None}
    message = assert_error(emu.api("POST", TRIGGERS, json=sent), 400, "bad.request")["message"]
    assert words in message, message
    assert emu.api("GET", TRIGGERS).json()["entities"] == []


def test_the_workflow_must_be_published(emu):
    draft = emu.control("POST", "/workflows", json={"name": "Draft", "published": False})
    message = assert_error(emu.api("POST", TRIGGERS, json=body(draft)), 400, "bad.request")["message"]
    assert "not published" in message
    emu.control("POST", "/workflows", json={"id": draft["id"], "name": "Draft", "published": True})
    assert emu.api("POST", TRIGGERS, json=body(draft)).status_code == 200


def test_bounds_that_are_allowed(emu, workflow):
    create(emu, workflow, eventTTLSeconds=10)
    for delay in (60, 900):
        sent = body(workflow, delayBySeconds=delay)
        del sent["eventTTLSeconds"]
        assert emu.api("POST", TRIGGERS, json=sent).json()["delayBySeconds"] == delay
    bare = create(emu, workflow, matchCriteria=[{"jsonPath": "priority", "operator": "Equal", "value": 1}])
    assert bare["matchCriteria"][0]["jsonPath"] == "priority"


def test_put_with_the_version_read_stores_the_next_version(emu, workflow):
    trigger = create(emu, workflow)
    response = put(emu, trigger, enabled=False)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2 and response.json()["enabled"] is False
    without_version = emu.api("PUT", TRIGGERS + "/" + trigger["id"], json=body(workflow))
    assert "version" in assert_error(without_version, 400, "bad.request")["message"]


@pytest.mark.parametrize("status", [409, 400])
def test_a_stale_version_is_refused_with_the_chosen_answer(emu, workflow, status):
    emu.control("POST", "/stale_version", json={"kind": "trigger", "name": "claimEscalation", "status": status})
    trigger = create(emu, workflow)
    assert put(emu, trigger, description="theirs").status_code == 200
    error = assert_error(put(emu, trigger, enabled=False), status, "version.mismatch" if status == 409 else "bad.request")
    assert "does not match the current version" in error["message"]
    assert emu.api("GET", TRIGGERS + "/" + trigger["id"]).json()["enabled"] is True


def test_the_topic_never_changes(emu, workflow):
    trigger = create(emu, workflow)
    message = assert_error(put(emu, trigger, topicName=OTHER_TOPIC), 400, "bad.request")["message"]
    assert "topicName" in message and "new trigger" in message
    assert emu.api("GET", TRIGGERS + "/" + trigger["id"]).json()["topicName"] == TOPIC


def test_delete_is_204_and_then_404(emu, workflow):
    trigger = create(emu, workflow)
    response = emu.api("DELETE", TRIGGERS + "/" + trigger["id"])
    assert response.status_code == 204 and response.content == b""
    assert_error(emu.api("GET", TRIGGERS + "/" + trigger["id"]), 404, "not.found")
    assert_error(emu.api("DELETE", TRIGGERS + "/" + trigger["id"]), 404, "not.found")


def test_lists_page_by_cursor_and_filter(emu, workflow):
    made = [create(emu, workflow, name="t%d" % i, enabled=i % 2 == 0) for i in range(5)]
    first = emu.api("GET", TRIGGERS, params={"pageSize": "2"}).json()
    assert [t["name"] for t in first["entities"]] == ["t0", "t1"] and "previousUri" not in first
    second = emu.api("GET", first["nextUri"]).json()
    assert [t["name"] for t in second["entities"]] == ["t2", "t3"] and "previousUri" in second
    back = emu.api("GET", second["previousUri"]).json()
    assert [t["name"] for t in back["entities"]] == ["t0", "t1"]
    last = emu.api("GET", second["nextUri"]).json()
    assert [t["name"] for t in last["entities"]] == ["t4"] and "nextUri" not in last
    enabled = emu.api("GET", TRIGGERS, params={"enabled": "true"}).json()["entities"]
    assert [t["name"] for t in enabled] == ["t0", "t2", "t4"]
    assert emu.api("GET", TRIGGERS, params={"topicName": OTHER_TOPIC}).json()["entities"] == []
    assert len(emu.api("GET", TRIGGERS, params={"topicName": TOPIC}).json()["entities"]) == 5
    for bad in ({"pageSize": "201"}, {"pageSize": "0"}, {"pageSize": "x"}):
        assert_error(emu.api("GET", TRIGGERS, params=bad), 400, "invalid.page.size")
    assert emu.api("GET", TRIGGERS, params={"pageSize": "200"}).status_code == 200
    assert_error(emu.api("GET", TRIGGERS, params={"after": "garbage!"}), 400, "bad.request")
    assert_error(emu.api("GET", TRIGGERS, params={"after": "x", "before": "y"}), 400, "bad.request")
    assert made


def test_topics_are_plain_strings_paged_by_cursor_and_settable(emu, workflow):
    page = emu.api("GET", TRIGGERS + "/topics", params={"pageSize": "1"}).json()
    assert page["entities"] == [TOPIC] and "nextUri" in page
    assert emu.api("GET", page["nextUri"]).json()["entities"] == [OTHER_TOPIC]
    emu.control("POST", "/topics", json={"topics": ["v2.custom.{id}"]})
    assert emu.api("GET", TRIGGERS + "/topics").json() == {"entities": ["v2.custom.{id}"]}
    assert_error(emu.api("POST", TRIGGERS, json=body(workflow)), 400, "bad.request")


@pytest.mark.parametrize("criterion, event, expected", [
    ({"jsonPath": "$.priority", "operator": "GreaterThanOrEqual", "value": 5}, {"priority": 5}, True),
    ({"jsonPath": "$.priority", "operator": "GreaterThan", "value": 5}, {"priority": 5}, False),
    ({"jsonPath": "$.priority", "operator": "LessThan", "value": 5}, {"priority": 4.5}, True),
    ({"jsonPath": "$.priority", "operator": "LessThanOrEqual", "value": 5}, {"priority": "4"}, False),
    ({"jsonPath": "$.a.b[1]", "operator": "Equal", "value": "y"}, {"a": {"b": ["x", "y"]}}, True),
    ({"jsonPath": "a.b[1]", "operator": "Equal", "value": "y"}, {"a": {"b": ["x", "y"]}}, True),
    ({"jsonPath": "$.a", "operator": "NotEqual", "value": 1}, {"a": 2}, True),
    ({"jsonPath": "$.a", "operator": "NotEqual", "value": 1}, {}, False),
    ({"jsonPath": "$.state", "operator": "In", "values": ["open", "new"]}, {"state": "new"}, True),
    ({"jsonPath": "$.state", "operator": "NotIn", "values": ["open", "new"]}, {"state": "closed"}, True),
    ({"jsonPath": "$.tags", "operator": "All", "values": ["a", "b"]}, {"tags": ["b", "c", "a"]}, True),
    ({"jsonPath": "$.tags", "operator": "All", "values": ["a", "d"]}, {"tags": ["b", "a"]}, False),
    ({"jsonPath": "$.text", "operator": "Contains", "value": "urgent"}, {"text": "very urgent"}, True),
    ({"jsonPath": "$.tags", "operator": "Contains", "value": "vip"}, {"tags": ["vip"]}, True),
    ({"jsonPath": "$.x", "operator": "Exists", "value": True}, {"x": None}, True),
    ({"jsonPath": "$.x", "operator": "Exists", "value": False}, {"y": 1}, True),
    ({"jsonPath": "$.tags", "operator": "Size", "value": 2}, {"tags": [1, 2]}, True),
])
def test_the_test_endpoint_evaluates_match_criteria(emu, workflow, criterion, event, expected):
    trigger = create(emu, workflow, matchCriteria=[criterion])
    response = emu.api("POST", TRIGGERS + "/" + trigger["id"] + "/test", json=event)
    assert response.status_code == 200, response.text
    assert response.json()["triggerMatches"] is expected
    assert response.json()["matchCriteria"][0]["matches"] is expected


def test_every_criterion_must_match(emu, workflow):
    trigger = create(emu, workflow, matchCriteria=[
        {"jsonPath": "$.priority", "operator": "GreaterThan", "value": 1},
        {"jsonPath": "$.state", "operator": "Equal", "value": "open"}])
    result = emu.api("POST", TRIGGERS + "/" + trigger["id"] + "/test", json={"priority": 3, "state": "closed"}).json()
    assert result["triggerMatches"] is False and [c["matches"] for c in result["matchCriteria"]] == [True, False]
    assert_error(emu.api("POST", TRIGGERS + "/nope/test", json={}), 404, "not.found")


def test_scopes_process_automation_and_readonly(emu, workflow):
    trigger = create(emu, workflow)
    reader = scoped_token(emu, ["process-automation:readonly"], "reader")
    assert emu.api("GET", TRIGGERS, token=reader).status_code == 200
    assert emu.api("GET", TRIGGERS + "/topics", token=reader).status_code == 200
    error = assert_error(emu.api("POST", TRIGGERS, token=reader, json=body(workflow)), 403, "missing.scope")
    assert error["details"] == [{"scope": "process-automation"}]
    writer = scoped_token(emu, ["process-automation"], "writer")
    assert emu.api("GET", TRIGGERS + "/" + trigger["id"], token=writer).status_code == 200
    assert "architect:readonly" in assert_error(emu.api("GET", "/api/v2/flows", token=writer), 403,
                                                "missing.scope")["message"]


def test_a_new_trigger_may_404_on_its_first_reads_by_id(emu, workflow):
    emu.control("POST", "/read_after_create", json={"reads": 3})
    trigger = create(emu, workflow)
    assert [t["id"] for t in emu.api("GET", TRIGGERS).json()["entities"]] == [trigger["id"]]
    for _ in range(3):
        assert_error(emu.api("GET", TRIGGERS + "/" + trigger["id"]), 404, "not.found")
    assert emu.api("GET", TRIGGERS + "/" + trigger["id"]).status_code == 200
    emu.control("POST", "/read_after_create", json={"reads": 0})
    assert emu.api("GET", TRIGGERS + "/" + create(emu, workflow)["id"]).status_code == 200


def test_controls_validate_their_input(emu):
    for path, bad in (("/workflows", {"name": ""}), ("/workflows", {"name": "x", "published": "yes"}),
                      ("/topics", {"topics": "x"}), ("/read_after_create", {"reads": -1}),
                      ("/limits", {"max_rows": -1}), ("/limits", {"max_cats": 1})):
        assert_error(emu.session.post(emu.url + "/_emulator" + path, json=bad), 400, "bad.request")
