"""Flex schemas: definitions, optimistic locking, data-dependent update checks, deletes."""

import re

import pytest

from emu_helpers import SCHEMAS, assert_error, records_path

TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _codes(body):
    return {(e.get("field"), e["code"]) for e in body["errors"]}


def test_create_returns_the_schema_with_version_1_and_etag(emu):
    response = emu.api("POST", SCHEMAS, json={
        "name": "customerAccounts", "description": "Accounts",
        "fields": [{"name": "email", "type": "string", "unique": True, "maxLength": 200},
                   {"name": "tier", "type": "string", "options": ["gold", "silver"]},
                   {"name": "balance", "type": "number"}]})
    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    schema = response.json()
    assert UUID_RE.match(schema["id"])
    assert schema["version"] == 1 and schema["description"] == "Accounts"
    assert schema["selfUri"] == SCHEMAS + "/" + schema["id"]
    assert TS_RE.match(schema["dateCreated"]) and TS_RE.match(schema["dateModified"])
    assert schema["fields"] == [
        {"name": "email", "type": "string", "required": False, "unique": True, "maxLength": 200},
        {"name": "tier", "type": "string", "required": False, "unique": False, "options": ["gold", "silver"]},
        {"name": "balance", "type": "number", "required": False, "unique": False}]
    got = emu.api("GET", schema["selfUri"])
    assert got.status_code == 200 and got.headers["ETag"] == '"1"' and got.json() == schema


def test_duplicate_name_is_case_insensitive(emu):
    emu.create_schema("customerAccounts", [])
    assert_error(emu.api("POST", SCHEMAS, json={"name": "CustomerACCOUNTS", "fields": []}), 409, "duplicate.name")


def test_invalid_definition_reports_every_problem_at_once(emu):
    target = emu.create_schema("target", [{"name": "code", "type": "string", "unique": True},
                                          {"name": "label", "type": "string"}])
    fields = [
        {"name": "a", "type": "integer"},
        {"name": "b", "type": "relationship"},
        {"name": "c", "type": "relationship", "relationship": {"schemaId": "0" * 36, "fieldName": "id"}},
        {"name": "a", "type": "string"},
        {"name": "id", "type": "string"},
        {"name": "d", "type": "number", "options": ["x"]},
        {"name": "e", "type": "boolean", "maxLength": 5},
        {"name": "f", "type": "boolean", "unique": True},
        {"name": "9bad", "type": "string"},
        {"name": "g", "type": "string", "maxLength": 0},
        {"name": "h", "type": "string", "maxLength": 10001},
        {"name": "i", "type": "relationship", "relationship": {"schemaId": target["id"], "fieldName": "label"}},
        {"name": "j", "type": "date", "unique": True},
        {"name": "k", "type": "string", "relationship": {"schemaId": target["id"], "fieldName": "id"}},
        {"name": "Version", "type": "number"},
    ]
    body = assert_error(emu.api("POST", SCHEMAS, json={"name": "_bad", "description": "x" * 513, "fields": fields}),
                        422, "invalid.schema")
    assert _codes(body) >= {
        ("name", "invalid.name"), ("description", "description.too.long"),
        ("fields[0].type", "unknown.type"), ("fields[1].relationship", "relationship.missing"),
        ("fields[2].relationship.schemaId", "relationship.target.not.found"),
        ("fields[3].name", "duplicate.field.name"), ("fields[4].name", "reserved.name"),
        ("fields[5].options", "options.not.allowed"), ("fields[6].maxLength", "maxlength.not.allowed"),
        ("fields[7].unique", "unique.not.allowed"), ("fields[8].name", "invalid.name"),
        ("fields[9].maxLength", "invalid.max.length"), ("fields[10].maxLength", "invalid.max.length"),
        ("fields[11].relationship.fieldName", "invalid.relationship.field"),
        ("fields[12].unique", "unique.not.allowed"), ("fields[13].relationship", "relationship.not.allowed"),
        ("fields[14].name", "reserved.name"),
    }


def test_more_than_100_fields_is_invalid(emu):
    fields = [{"name": "f%d" % i, "type": "string"} for i in range(101)]
    body = assert_error(emu.api("POST", SCHEMAS, json={"name": "wide", "fields": fields}), 422, "invalid.schema")
    assert ("fields", "too.many.fields") in _codes(body)
    assert emu.api("POST", SCHEMAS, json={"name": "wide", "fields": fields[:100]}).status_code == 201


def test_relationships_to_id_or_a_unique_field_are_valid(emu):
    target = emu.create_schema("target", [{"name": "code", "type": "string", "unique": True}])
    for field_name in ("id", "code"):
        relationship = {"schemaId": target["id"], "fieldName": field_name}
        schema = emu.create_schema("src_" + field_name,
                                   [{"name": "ref", "type": "relationship", "relationship": relationship}])
        assert schema["fields"][0]["relationship"] == {"schemaId": target["id"], "fieldName": field_name}


@pytest.mark.parametrize("body", [
    "not json", "[1, 2]", '{"name": 5, "fields": []}', '{"name": "a", "fields": {}}',
    '{"name": "a", "fields": [{"name": "x", "type": "string", "required": "yes"}]}',
    '{"name": "a", "fields": [{"name": "x", "type": "string", "colour": "red"}]}',
    '{"name": "a", "fields": [], "owner": "me"}',
])
def test_malformed_or_wrong_typed_bodies_are_bad_request(emu, body):
    response = emu.api("POST", SCHEMAS, data=body, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "bad.request")


def test_non_json_content_type_is_unsupported_media_type(emu):
    response = emu.api("POST", SCHEMAS, data="name=a", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(response, 415, "unsupported.media.type")


def test_unknown_schema_is_not_found(emu):
    assert_error(emu.api("GET", SCHEMAS + "/00000000-0000-0000-0000-000000000000"), 404, "not.found")
    assert_error(emu.api("PUT", SCHEMAS + "/nope", json={"name": "a", "fields": []}, headers={"If-Match": '"1"'}),
                 404, "not.found")
    assert_error(emu.api("DELETE", SCHEMAS + "/nope"), 404, "not.found")


def test_update_needs_if_match_and_the_current_version(emu):
    schema = emu.create_schema("acc", [{"name": "a", "type": "string"}])
    path = SCHEMAS + "/" + schema["id"]
    body = {"name": "acc", "description": "", "fields": schema["fields"]}
    assert_error(emu.api("PUT", path, json=body), 428, "precondition.required")
    assert_error(emu.api("PUT", path, json=dict(body, version=2), headers={"If-Match": '"1"'}), 400,
                 "version.conflict")
    ok = emu.api("PUT", path, json=dict(body, version=1, description="v2"), headers={"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    assert ok.json()["version"] == 2 and ok.json()["description"] == "v2"
    assert ok.json()["dateCreated"] == schema["dateCreated"]
    stale = assert_error(emu.api("PUT", path, json=body, headers={"If-Match": '"1"'}), 409, "version.mismatch")
    assert "2" in stale["message"]
    assert emu.api("GET", path).headers["ETag"] == '"2"'
    assert_error(emu.api("PUT", path, json=body, headers={"If-Match": "yesterday"}), 400, "bad.request")


def test_update_validates_the_definition_and_name(emu):
    emu.create_schema("taken", [])
    schema = emu.create_schema("acc", [])
    assert_error(emu.put_schema(schema, fields=[{"name": "x", "type": "blob"}]), 422, "invalid.schema")
    assert_error(emu.put_schema(schema, name="TAKEN"), 409, "duplicate.name")


def _seeded(emu, fields, records):
    schema = emu.create_schema("acc", fields)
    response = emu.upsert("acc", records)
    assert response.status_code == 200, response.text
    return schema


def test_type_change_to_or_from_relationship_is_forbidden(emu):
    target = emu.create_schema("target", [])
    schema = _seeded(emu, [{"name": "s", "type": "string"}, {"name": "d", "type": "date"}],
                     [{"id": "r1", "s": "x", "d": "2024-01-01"}])
    relationship = {"name": "s", "type": "relationship", "relationship": {"schemaId": target["id"], "fieldName": "id"}}
    body = assert_error(emu.put_schema(schema, fields=[relationship, schema["fields"][1]]), 422,
                        "type.change.forbidden")
    assert body["details"] == ["r1"]
    assert_error(emu.put_schema(schema, fields=[schema["fields"][0], {"name": "d", "type": "number"}]), 422,
                 "type.change.forbidden")


def test_incompatible_values_list_up_to_10_record_ids(emu):
    records = [{"id": "r%02d" % i, "s": "word%d" % i} for i in range(12)] + [{"id": "ok", "s": "12.5"}]
    schema = _seeded(emu, [{"name": "s", "type": "string"}], records)
    body = assert_error(emu.put_schema(schema, fields=[{"name": "s", "type": "number"}]), 422,
                        "type.change.incompatible")
    assert body["details"] == ["r%02d" % i for i in range(10)]
    assert all(e["field"] == "fields[0].type" for e in body["errors"])
    assert emu.api("GET", records_path("acc") + "/r00").json()["s"] == "word0"  # untouched


def test_successful_type_changes_convert_stored_values(emu):
    fields = [{"name": "num", "type": "string"}, {"name": "day", "type": "string"}, {"name": "flag", "type": "string"},
              {"name": "n2s", "type": "number"}, {"name": "b2s", "type": "boolean"}, {"name": "d2s", "type": "date"},
              {"name": "n2b", "type": "number"}, {"name": "b2n", "type": "boolean"}]
    schema = _seeded(emu, fields, [{"id": "r1", "num": "42", "day": "2024-02-29", "flag": "true", "n2s": 2.5,
                                    "b2s": False, "d2s": "2024-01-01T10:00:00Z", "n2b": 1, "b2n": True}])
    new = [{"name": "num", "type": "number"}, {"name": "day", "type": "date"}, {"name": "flag", "type": "boolean"},
           {"name": "n2s", "type": "string"}, {"name": "b2s", "type": "string"}, {"name": "d2s", "type": "string"},
           {"name": "n2b", "type": "boolean"}, {"name": "b2n", "type": "number"}]
    response = emu.put_schema(schema, fields=new)
    assert response.status_code == 200, response.text
    record = emu.api("GET", records_path("acc") + "/r1").json()
    assert {k: record[k] for k in (f["name"] for f in new)} == {
        "num": 42, "day": "2024-02-29", "flag": True, "n2s": "2.5", "b2s": "false", "d2s": "2024-01-01T10:00:00Z",
        "n2b": True, "b2n": 1}


def test_number_to_boolean_needs_0_or_1(emu):
    schema = _seeded(emu, [{"name": "n", "type": "number"}], [{"id": "a", "n": 0}, {"id": "b", "n": 2}])
    body = assert_error(emu.put_schema(schema, fields=[{"name": "n", "type": "boolean"}]), 422,
                        "type.change.incompatible")
    assert body["details"] == ["b"]


def test_required_unique_options_and_max_length_check_stored_data(emu):
    schema = _seeded(emu, [{"name": "s", "type": "string"}, {"name": "t", "type": "string"}],
                     [{"id": "a", "s": "gold", "t": "same"}, {"id": "b", "t": "same"}, {"id": "c", "s": "platinum"}])
    body = assert_error(emu.put_schema(schema, fields=[{"name": "s", "type": "string", "required": True},
                                                       schema["fields"][1]]), 422, "required.field.missing")
    assert body["details"] == ["b"]
    body = assert_error(emu.put_schema(schema, fields=[schema["fields"][0],
                                                       {"name": "t", "type": "string", "unique": True}]),
                        422, "unique.constraint.violation")
    assert body["details"] == ["a", "b"]
    body = assert_error(emu.put_schema(schema, fields=[{"name": "s", "type": "string", "options": ["gold", "silver"]},
                                                       schema["fields"][1]]), 422, "invalid.option")
    assert body["details"] == ["c"]
    body = assert_error(emu.put_schema(schema, fields=[{"name": "s", "type": "string", "maxLength": 5},
                                                       schema["fields"][1]]), 422, "max.length.exceeded")
    assert body["details"] == ["c"]
    body = assert_error(emu.put_schema(schema, fields=schema["fields"] + [
        {"name": "new", "type": "number", "required": True}]), 422, "required.field.missing")
    assert body["details"] == ["a", "b", "c"]


def test_removing_a_field_drops_its_values(emu):
    schema = _seeded(emu, [{"name": "keep", "type": "string"}, {"name": "drop", "type": "string"}],
                     [{"id": "a", "keep": "k", "drop": "d"}])
    assert emu.put_schema(schema, fields=[schema["fields"][0]]).status_code == 200
    record = emu.api("GET", records_path("acc") + "/a").json()
    assert record["keep"] == "k" and "drop" not in record
    readded = emu.put_schema(emu.api("GET", SCHEMAS + "/" + schema["id"]).json(),
                             fields=schema["fields"])
    assert readded.status_code == 200
    assert "drop" not in emu.api("GET", records_path("acc") + "/a").json()


def test_rename_keeps_records_reachable_under_the_new_name(emu):
    schema = _seeded(emu, [{"name": "s", "type": "string"}], [{"id": "a", "s": "x"}])
    assert emu.put_schema(schema, name="renamed").status_code == 200
    assert emu.api("GET", records_path("renamed") + "/a").json()["s"] == "x"
    assert_error(emu.api("GET", records_path("acc") + "/a"), 404, "not.found")


def test_delete_checks_relationships_and_records(emu):
    target = _seeded(emu, [{"name": "s", "type": "string"}], [{"id": "a", "s": "x"}])
    source = emu.create_schema("source", [
        {"name": "ref", "type": "relationship", "relationship": {"schemaId": target["id"], "fieldName": "id"}}])
    assert_error(emu.api("DELETE", SCHEMAS + "/" + target["id"]), 409, "schema.in.use")
    assert emu.api("DELETE", SCHEMAS + "/" + source["id"]).status_code == 204
    assert_error(emu.api("DELETE", SCHEMAS + "/" + target["id"]), 409, "schema.has.records")
    assert_error(emu.api("DELETE", SCHEMAS + "/" + target["id"] + "?force=maybe"), 400, "bad.request")
    assert emu.api("DELETE", SCHEMAS + "/" + target["id"] + "?force=true").status_code == 204
    assert_error(emu.api("GET", SCHEMAS + "/" + target["id"]), 404, "not.found")
    assert_error(emu.api("GET", records_path("acc")), 404, "not.found")
    emu.create_schema("acc", [])  # the name is free again, with no records
    assert emu.api("GET", records_path("acc")).json()["total"] == 0


def test_unknown_paths_and_wrong_methods(emu):
    assert_error(emu.api("GET", "/api/v2/data/flex/nothing"), 404, "not.found")
    response = emu.api("PATCH", SCHEMAS)
    assert_error(response, 405, "method.not.allowed")
    assert "POST" in response.headers["Allow"]
