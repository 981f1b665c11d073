"""Task-management workitem schemas (REAL_API.md §9): versions in the body, stale answers, soft delete."""

import pytest

from emu_helpers import WORKITEM_SCHEMAS, assert_error, scoped_token

POLICY = {"allOf": [{"$ref": "#/definitions/identifier"}], "title": "Policy", "minLength": 1, "maxLength": 100}
SEVERITY = {"allOf": [{"$ref": "#/definitions/enum"}], "title": "Severity", "enum": ["low", "high"],
            "_enumProperties": {"low": {"title": "Low", "_disabled": False},
                                "high": {"title": "High", "_disabled": False}}}


def body(name="claimDetails", **properties):
    props = {"policy_identifier": POLICY, "severity_enum": SEVERITY} if not properties else properties
    return {"name": name, "enabled": True, "jsonSchema": {"description": "Claims", "properties": props}}


def create(emu, name="claimDetails", **properties):
    response = emu.api("POST", WORKITEM_SCHEMAS, json=body(name, **properties))
    assert response.status_code == 200, response.text
    return response.json()


def put(emu, schema, version=None, **changes):
    sent = {"name": schema["name"], "enabled": schema["enabled"], "jsonSchema": schema["jsonSchema"],
            "version": schema["version"] if version is None else version}
    sent.update(changes)
    return emu.api("PUT", WORKITEM_SCHEMAS + "/" + schema["id"], json=sent)


def test_create_answers_200_with_version_1(emu):
    schema = create(emu)
    assert schema["version"] == 1 and schema["enabled"] is True and schema["appliesTo"] == ["WORKITEM"]
    assert schema["deleted"] is False and schema["createdBy"]["id"] and schema["dateCreated"].endswith("Z")
    assert schema["selfUri"] == WORKITEM_SCHEMAS + "/" + schema["id"]
    js = schema["jsonSchema"]
    assert js["$schema"] == "http://json-schema.org/draft-04/schema#" and js["title"] == "claimDetails"
    assert js["properties"] == {"policy_identifier": POLICY, "severity_enum": SEVERITY}
    assert emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"]).json() == schema


def test_enum_properties_are_filled_for_values_without_them(emu):
    schema = create(emu, level_enum={"allOf": [{"$ref": "#/definitions/enum"}], "enum": ["a", "b"],
                                     "_enumProperties": {"b": {"title": "Bee"}}})
    assert schema["jsonSchema"]["properties"]["level_enum"]["_enumProperties"] == {
        "a": {"title": "a", "_disabled": False}, "b": {"title": "Bee", "_disabled": False}}


@pytest.mark.parametrize("core, constraints", [
    ("text", {"minLength": 0, "maxLength": 10}), ("longtext", {"maxLength": 5000}), ("url", {}),
    ("identifier", {"minLength": 2}), ("date", {}), ("datetime", {}), ("integer", {"minimum": 1, "maximum": 9}),
    ("number", {"minimum": 0.5}), ("checkbox", {}),
    ("tag", {"items": {"type": "string", "maxLength": 20}, "minItems": 0, "maxItems": 5, "uniqueItems": True}),
    ("enum", {"enum": ["x"]}),
])
def test_every_core_type_with_its_constraints(emu, core, constraints):
    prop = dict({"allOf": [{"$ref": "#/definitions/%s" % core}], "title": core}, **constraints)
    schema = create(emu, **{"field_%s" % core: prop})
    assert schema["jsonSchema"]["properties"]["field_%s" % core]["allOf"] == prop["allOf"]


@pytest.mark.parametrize("key, prop, words", [
    ("policy_text", dict(POLICY), "core type is identifier"),
    ("policy", dict(POLICY), "core type is identifier"),
    ("policy_identifier", {"allOf": [{"$ref": "#/definitions/money"}]}, "allOf"),
    ("policy_identifier", {"title": "no allOf"}, "allOf"),
    ("n_integer", {"allOf": [{"$ref": "#/definitions/integer"}], "maxLength": 3}, "maxLength not allowed"),
    ("n_integer", {"allOf": [{"$ref": "#/definitions/integer"}], "minimum": 1.5}, "minimum must be a whole number"),
    ("n_number", {"allOf": [{"$ref": "#/definitions/number"}], "minimum": 5, "maximum": 1}, "greater than"),
    ("s_text", {"allOf": [{"$ref": "#/definitions/text"}], "minLength": -1}, ">= 0"),
    ("e_enum", {"allOf": [{"$ref": "#/definitions/enum"}]}, "enum must be"),
    ("e_enum", {"allOf": [{"$ref": "#/definitions/enum"}], "enum": ["a", "a"]}, "distinct"),
    ("e_enum", {"allOf": [{"$ref": "#/definitions/enum"}], "enum": ["a"], "_enumProperties": {"z": {}}},
     "not one of enum"),
    ("t_tag", {"allOf": [{"$ref": "#/definitions/tag"}], "items": {"type": "integer"}}, "items"),
    ("c_checkbox", {"allOf": [{"$ref": "#/definitions/checkbox"}], "default": True}, "default not allowed"),
])
def test_invalid_properties_are_400_naming_them(emu, key, prop, words):
    response = emu.api("POST", WORKITEM_SCHEMAS, json=body(**{key: prop}))
    message = assert_error(response, 400, "bad.request")["message"]
    assert key in message and words in message, message
    assert emu.api("GET", WORKITEM_SCHEMAS).json() == {"entities": []}


@pytest.mark.parametrize("name, status", [("", 400), ("n" * 51, 400), ("n" * 50, 200)])
def test_names_are_1_to_50_characters(emu, name, status):
    assert emu.api("POST", WORKITEM_SCHEMAS, json=body(name)).status_code == status


def test_names_are_unique_case_insensitively(emu):
    create(emu)
    assert_error(emu.api("POST", WORKITEM_SCHEMAS, json=body("CLAIMDETAILS")), 409, "duplicate.name")


def test_body_shape_is_strict(emu):
    for bad in ({"name": "x"}, dict(body(), appliesTo=["CASE"]), dict(body(), enabled="yes"), dict(body(), owner=1),
                dict(body(), jsonSchema={"properties": [], "type": "object"})):
        assert_error(emu.api("POST", WORKITEM_SCHEMAS, json=bad), 400, "bad.request")


def test_limits_are_documented_settable_and_told(emu):
    limits = emu.api("GET", WORKITEM_SCHEMAS + "/limits").json()
    assert limits["maxNumberOfSchemasPerOrg"] == 100 and limits["maxNumberOfFieldsPerSchema"] == 50
    emu.control("POST", "/limits", json={"max_schemas": 1, "max_schema_properties": 1})
    assert emu.api("GET", WORKITEM_SCHEMAS + "/limits").json()["maxNumberOfSchemasPerOrg"] == 1
    message = assert_error(emu.api("POST", WORKITEM_SCHEMAS, json=body()), 400, "bad.request")["message"]
    assert "at most 1 properties" in message
    first = create(emu, one_text={"allOf": [{"$ref": "#/definitions/text"}]})
    message = assert_error(emu.api("POST", WORKITEM_SCHEMAS, json=body("second", one_text={
        "allOf": [{"$ref": "#/definitions/text"}]})), 400, "bad.request")["message"]
    assert "at most 1 workitem schemas" in message
    assert emu.api("DELETE", WORKITEM_SCHEMAS + "/" + first["id"]).status_code == 204  # deleted ones do not count
    create(emu, "second", one_text={"allOf": [{"$ref": "#/definitions/text"}]})


def test_put_with_the_version_read_stores_the_next_version_and_keeps_every_version(emu):
    schema = create(emu)
    response = put(emu, schema, enabled=False)
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["version"] == 2 and second["enabled"] is False and second["id"] == schema["id"]
    versions = emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"] + "/versions").json()["entities"]
    assert [(v["version"], v["enabled"]) for v in versions] == [(1, True), (2, False)]
    assert emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"] + "/versions/1").json()["enabled"] is True
    assert_error(emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"] + "/versions/3"), 404, "not.found")
    assert_error(emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"] + "/versions/two"), 400, "bad.request")


def test_put_without_a_version_is_400(emu):
    schema = create(emu)
    sent = {"name": schema["name"], "jsonSchema": schema["jsonSchema"]}
    assert "version" in assert_error(emu.api("PUT", WORKITEM_SCHEMAS + "/" + schema["id"], json=sent), 400,
                                     "bad.request")["message"]


@pytest.mark.parametrize("status", [409, 400])
def test_a_stale_version_is_refused_with_the_chosen_answer(emu, status):
    emu.control("POST", "/stale_version", json={"kind": "workitem_schema", "name": "claimDetails", "status": status})
    schema = create(emu)
    assert put(emu, schema, enabled=False).status_code == 200  # someone else's edit
    response = put(emu, schema, version=1, jsonSchema=dict(schema["jsonSchema"], description="mine"))
    error = assert_error(response, status, "version.mismatch" if status == 409 else "bad.request")
    assert "does not match the current version" in error["message"]
    current = emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"]).json()
    assert current["version"] == 2 and current["jsonSchema"]["description"] == "Claims"
    # the careful client re-reads and re-applies only its own change
    retried = put(emu, current, jsonSchema=dict(current["jsonSchema"], description="mine"))
    assert retried.status_code == 200 and retried.json()["enabled"] is False and retried.json()["version"] == 3


def test_the_stale_answer_defaults_by_name_and_both_answers_occur(emu):
    statuses = {}
    for i in range(12):
        schema = create(emu, "race%d" % i)
        put(emu, schema)
        statuses[schema["name"]] = put(emu, schema).status_code
    assert set(statuses.values()) == {400, 409}
    again = {name: put(emu, emu.api("GET", WORKITEM_SCHEMAS).json()["entities"][int(name[4:])], version=1).status_code
             for name in statuses}
    assert again == statuses  # the same name always gets the same answer
    emu.control("POST", "/stale_version", json={"kind": "workitem_schema", "status": 409})
    schema = emu.api("GET", WORKITEM_SCHEMAS).json()["entities"][0]
    assert put(emu, schema, version=1).status_code == 409


def test_stale_version_control_validates_its_input(emu):
    for bad in ({"kind": "table", "status": 409}, {"kind": "trigger", "status": 418}, {"kind": "trigger", "x": 1}):
        assert_error(emu.session.post(emu.url + "/_emulator/stale_version", json=bad), 400, "bad.request")


def test_delete_is_soft(emu):
    schema = create(emu)
    response = emu.api("DELETE", WORKITEM_SCHEMAS + "/" + schema["id"])
    assert response.status_code == 204 and response.content == b""
    read = emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"])
    assert read.status_code == 200 and read.json()["deleted"] is True
    listed = emu.api("GET", WORKITEM_SCHEMAS).json()
    assert list(listed) == ["entities"] and [s["deleted"] for s in listed["entities"]] == [True]
    assert_error(emu.api("DELETE", WORKITEM_SCHEMAS + "/" + schema["id"]), 404, "not.found")
    assert_error(put(emu, schema), 404, "not.found")
    again = create(emu)  # the emulator frees the name at once
    assert again["id"] != schema["id"]
    assert len(emu.api("GET", WORKITEM_SCHEMAS).json()["entities"]) == 2


def test_changing_a_core_type_or_removing_a_property_is_allowed(emu):
    schema = create(emu)
    js = dict(schema["jsonSchema"], properties={"policy_text": {"allOf": [{"$ref": "#/definitions/text"}]}})
    response = put(emu, schema, jsonSchema=js)
    assert response.status_code == 200 and list(response.json()["jsonSchema"]["properties"]) == ["policy_text"]


def test_unknown_schema_is_404(emu):
    assert_error(emu.api("GET", WORKITEM_SCHEMAS + "/nope"), 404, "not.found")
    assert_error(emu.api("GET", WORKITEM_SCHEMAS + "/nope/versions"), 404, "not.found")
    assert_error(emu.api("DELETE", WORKITEM_SCHEMAS + "/nope"), 404, "not.found")


def test_scopes_workitems_and_workitems_readonly(emu):
    schema = create(emu)
    reader = scoped_token(emu, ["workitems:readonly"], "reader")
    assert emu.api("GET", WORKITEM_SCHEMAS, token=reader).status_code == 200
    assert emu.api("GET", WORKITEM_SCHEMAS + "/limits", token=reader).status_code == 200
    error = assert_error(emu.api("DELETE", WORKITEM_SCHEMAS + "/" + schema["id"], token=reader), 403, "missing.scope")
    assert error["details"] == [{"scope": "workitems"}]
    writer = scoped_token(emu, ["workitems"], "writer")
    assert emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"], token=writer).status_code == 200
    other = scoped_token(emu, ["architect"], "other")
    assert "workitems:readonly" in assert_error(emu.api("GET", WORKITEM_SCHEMAS, token=other), 403,
                                                "missing.scope")["message"]


def test_a_new_schema_may_404_on_its_first_reads_by_id(emu):
    emu.control("POST", "/read_after_create", json={"reads": 1})
    schema = create(emu)
    assert [s["id"] for s in emu.api("GET", WORKITEM_SCHEMAS).json()["entities"]] == [schema["id"]]
    assert_error(emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"]), 404, "not.found")
    assert emu.api("GET", WORKITEM_SCHEMAS + "/" + schema["id"]).status_code == 200
