"""Architect data tables (REAL_API.md §8): definitions, additive-only changes, limits, in-use deletes."""

import pytest

from emu_helpers import DATATABLES, assert_error, scoped_token, table_schema

SCHEMA_EXCEPTION = "flows.datatables.schema.exception"


def create(emu, name="storeRouting", schema=None, **extra):
    body = {"name": name, "schema": schema or table_schema(queue={"type": "string", "default": "q", "maxLength": 10},
                                                           open={"type": "boolean"})}
    body.update(extra)
    return emu.api("POST", DATATABLES, json=body)


def created(emu, *args, **kwargs):
    response = create(emu, *args, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def put(emu, table, **changes):
    body = {"name": table["name"], "description": table.get("description", ""), "schema": table["schema"]}
    body.update(changes)
    return emu.api("PUT", DATATABLES + "/" + table["id"], json=body)


def test_create_answers_200_with_the_expanded_table_and_server_filled_schema(emu):
    response = create(emu, description="Stores")
    assert response.status_code == 200, response.text
    table = response.json()
    assert list(table) == ["id", "name", "description", "division", "schema", "selfUri"]
    assert table["selfUri"] == DATATABLES + "/" + table["id"]
    assert table["division"]["name"] == "Home" and table["division"]["id"]
    schema = table["schema"]
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#" and schema["type"] == "object"
    assert schema["required"] == ["key"] and schema["additionalProperties"] is False
    key, queue, is_open = (schema["properties"][n] for n in ("key", "queue", "open"))
    assert key == {"$id": "/properties/key", "title": "Key", "type": "string", "displayOrder": 0,
                   "minLength": 1, "maxLength": 256}
    assert queue == {"$id": "/properties/queue", "type": "string", "displayOrder": 1, "maxLength": 10, "default": "q"}
    assert is_open["displayOrder"] == 2 and "default" not in is_open
    assert "ETag" not in response.headers


def test_names_are_unique_case_insensitively_and_limited_in_length(emu):
    created(emu, "storeRouting")
    assert_error(create(emu, "STOREROUTING"), 409, "duplicate.name")
    assert_error(create(emu, ""), 400, "bad.request")
    assert_error(create(emu, "x" * 257), 400, "bad.request")
    assert create(emu, "y" * 256).status_code == 200
    body = assert_error(create(emu, "other", description="d" * 513), 400, "bad.request")
    assert "description" in body["message"]


@pytest.mark.parametrize("schema, words", [
    (table_schema(when={"type": "date"}), "when.type"),
    (table_schema(**{"bad-name": {"type": "string"}}), "bad-name"),
    (table_schema(**{"x" * 65: {"type": "string"}}), "property names"),
    ({"required": ["key"], "additionalProperties": False, "properties": {"queue": {"type": "string"}}}, "key"),
    ({"required": ["key"], "additionalProperties": False, "properties": {"key": {"type": "integer"}}}, "key"),
    ({"required": ["key", "queue"], "additionalProperties": False,
      "properties": {"key": {"type": "string"}, "queue": {"type": "string"}}}, "required"),
    ({"required": ["key"], "properties": {"key": {"type": "string"}}}, "additionalProperties"),
    ({"required": ["key"], "additionalProperties": True, "properties": {"key": {"type": "string"}}},
     "additionalProperties"),
    (table_schema(n={"type": "integer", "default": "7"}), "n.default"),
    (table_schema(n={"type": "integer", "maxLength": 3}), "n.maxLength"),
    (table_schema(s={"type": "string", "minLength": 5, "maxLength": 2}), "minLength"),
    (table_schema(s={"type": "string", "unique": True}), "unique"),
    (table_schema(s={"type": "string", "$id": "/properties/other"}), "$id"),
    (dict(table_schema(), format="x"), "format"),
])
def test_invalid_schemas_are_400_bad_request_naming_the_problem(emu, schema, words):
    body = assert_error(create(emu, schema=schema), 400, "bad.request")
    assert words in body["message"], body["message"]
    assert emu.api("GET", DATATABLES).json()["total"] == 0


def test_key_longer_than_256_is_refused(emu):
    schema = table_schema()
    schema["properties"]["key"]["maxLength"] = 300
    assert "maxLength" in assert_error(create(emu, schema=schema), 400, "bad.request")["message"]


def test_property_and_table_limits_are_the_documented_ones_and_settable(emu):
    assert emu.control("GET", "/limits") == {"max_rows": 5000, "max_properties": 50, "max_tables": 200,
                                             "max_schemas": 100, "max_schema_properties": 50}
    fifty = table_schema(**{"p%d" % i: {"type": "string"} for i in range(50)})
    assert create(emu, "fifty", schema=fifty).status_code == 200
    fifty_one = table_schema(**{"p%d" % i: {"type": "string"} for i in range(51)})
    body = assert_error(create(emu, "fiftyOne", schema=fifty_one), 400, "flows.datatables.too.many.properties")
    assert "50" in body["message"]
    emu.control("POST", "/limits", json={"max_properties": 60, "max_tables": 2})
    assert create(emu, "fiftyOne", schema=fifty_one).status_code == 200
    assert_error(create(emu, "third"), 400, "flows.datatables.too.many.tables")
    assert emu.control("POST", "/reset", json={}) and emu.control("GET", "/limits")["max_tables"] == 200


def test_list_without_expand_has_only_id_name_division_selfuri(emu):
    table = created(emu, description="Stores")
    listed = emu.api("GET", DATATABLES).json()
    assert listed["total"] == 1 and listed["pageNumber"] == 1 and listed["pageSize"] == 25
    assert list(listed["entities"][0]) == ["id", "name", "division", "selfUri"]
    expanded = emu.api("GET", DATATABLES, params={"expand": "schema"}).json()["entities"][0]
    assert expanded["schema"] == table["schema"] and expanded["description"] == "Stores"
    one = emu.api("GET", DATATABLES + "/" + table["id"]).json()
    assert list(one) == ["id", "name", "division", "selfUri"]
    assert emu.api("GET", DATATABLES + "/" + table["id"], params={"expand": "schema"}).json() == table
    assert_error(emu.api("GET", DATATABLES, params={"expand": "rows"}), 400, "bad.request")


def test_list_filters_by_name_case_insensitively_with_wildcards_and_pages(emu):
    for name in ("storeRouting", "storeHours", "agentSkills"):
        created(emu, name)

    def names(**query):
        return [t["name"] for t in emu.api("GET", DATATABLES, params=query).json()["entities"]]

    assert names(name="STOREROUTING") == ["storeRouting"]
    assert names(name="store*") == ["storeRouting", "storeHours"]
    assert names(name="*s*ll*") == ["agentSkills"]
    assert names(name="store") == []
    page = emu.api("GET", DATATABLES, params={"pageSize": 2}).json()
    assert page["pageCount"] == 2 and "nextUri" in page
    assert emu.api("GET", page["nextUri"]).json()["entities"][0]["name"] == "agentSkills"
    assert_error(emu.api("GET", DATATABLES, params={"pageSize": 101}), 400, "invalid.page.size")
    assert emu.api("GET", DATATABLES, params={"pageSize": 100}).status_code == 200


def test_unknown_table_is_404_with_its_code(emu):
    for method in ("GET", "PUT", "DELETE"):
        response = emu.api(method, DATATABLES + "/no-such-table", json={"name": "x", "schema": table_schema()}
                           if method == "PUT" else None)
        assert_error(response, 404, "flows.datatables.table.not.found")


def test_put_may_add_properties_and_change_labels_defaults_and_order(emu):
    table = created(emu, description="before")
    emu.api("POST", DATATABLES + "/" + table["id"] + "/rows", json={"key": "s1"})
    schema = table_schema(queue={"type": "string", "default": "other", "maxLength": 10, "title": "Queue",
                                 "displayOrder": 5},
                          open={"type": "boolean", "displayOrder": 1},
                          size={"type": "integer", "default": 3}, ratio={"type": "number"})
    schema["properties"]["key"]["title"] = "Store code"
    response = put(emu, table, name="StoreRouting2", description="after", schema=schema)
    assert response.status_code == 200, response.text
    stored = response.json()
    assert stored["name"] == "StoreRouting2" and stored["description"] == "after"
    assert stored["schema"]["properties"]["queue"]["default"] == "other"
    assert stored["schema"]["properties"]["queue"]["displayOrder"] == 5
    assert stored["schema"]["properties"]["key"]["title"] == "Store code"
    row = emu.api("GET", DATATABLES + "/" + table["id"] + "/rows/s1", params={"showbrief": "false"}).json()
    # the stored row keeps its values and gains the new properties' defaults (else 0)
    assert row == {"key": "s1", "queue": "q", "open": False, "size": 3, "ratio": 0}


@pytest.mark.parametrize("with_rows", [False, True])
@pytest.mark.parametrize("change, words", [
    (lambda p: p.pop("queue"), "queue cannot be removed"),
    (lambda p: p.update(queue={"type": "integer"}), "queue cannot change its type"),
    (lambda p: p.update(queue2=dict(p.pop("queue"), **{"$id": "/properties/queue2"})), "queue cannot be removed"),
    (lambda p: p["queue"].update(maxLength=20), "queue cannot change its maxLength"),
    (lambda p: p["queue"].update(minLength=1), "queue cannot change its minLength"),
    (lambda p: p["key"].update(maxLength=100), "key cannot change its maxLength"),
])
def test_put_refuses_anything_but_additions_with_schema_exception(emu, with_rows, change, words):
    table = created(emu)
    if with_rows:
        emu.api("POST", DATATABLES + "/" + table["id"] + "/rows", json={"key": "s1"})
    schema = {k: v for k, v in table["schema"].items()}
    schema["properties"] = {n: dict(p) for n, p in table["schema"]["properties"].items()}
    change(schema["properties"])
    body = assert_error(put(emu, table, schema=schema), 400, SCHEMA_EXCEPTION)
    assert words in body["message"], body["message"]
    assert emu.api("GET", DATATABLES + "/" + table["id"], params={"expand": "schema"}).json() == table


@pytest.mark.parametrize("shape", [{"required": ["key", "queue"]}, {"additionalProperties": True}])
def test_put_changing_required_or_additional_properties_is_a_schema_exception(emu, shape):
    table = created(emu)
    assert_error(put(emu, table, schema=dict(table["schema"], **shape)), 400, SCHEMA_EXCEPTION)


def test_put_checks_body_limits_and_names(emu):
    table = created(emu)
    other = created(emu, "other")
    assert_error(put(emu, table, name="OTHER"), 409, "duplicate.name")
    assert_error(put(emu, other, schema=dict(table["schema"], properties=dict(
        table["schema"]["properties"], bad={"type": "date"}))), 400, "bad.request")
    emu.control("POST", "/limits", json={"max_properties": 2})
    grown = dict(table["schema"], properties=dict(table["schema"]["properties"], third={"type": "string"}))
    assert_error(put(emu, table, schema=grown), 400, "flows.datatables.too.many.properties")


def test_there_is_no_version_and_the_last_writer_wins(emu):
    table = created(emu)
    first = put(emu, table, description="first writer")
    second = put(emu, table, description="second writer")  # from the same read: no conflict
    assert first.status_code == 200 and second.status_code == 200
    assert "version" not in second.json() and "ETag" not in second.headers
    stored = emu.api("GET", DATATABLES + "/" + table["id"], params={"expand": "schema"}).json()
    assert stored["description"] == "second writer"


def test_delete_is_204_and_a_table_in_use_needs_force(emu):
    table = created(emu)
    assert emu.control("POST", "/datatables/in_use", json={"table": "STOREROUTING"}) == [table["id"]]
    body = assert_error(emu.api("DELETE", DATATABLES + "/" + table["id"]), 409, "flows.datatables.table.in.use")
    assert "force" in body["message"]
    assert_error(emu.api("DELETE", DATATABLES + "/" + table["id"], params={"force": "false"}), 409,
                 "flows.datatables.table.in.use")
    assert_error(emu.api("DELETE", DATATABLES + "/" + table["id"], params={"force": "maybe"}), 400, "bad.request")
    response = emu.api("DELETE", DATATABLES + "/" + table["id"], params={"force": "true"})
    assert response.status_code == 204 and response.content == b""
    assert_error(emu.api("GET", DATATABLES + "/" + table["id"]), 404, "flows.datatables.table.not.found")
    assert emu.control("GET", "/datatables/in_use") == []
    free = created(emu, "free")
    emu.control("POST", "/datatables/in_use", json={"table": free["id"]})
    emu.control("POST", "/datatables/in_use", json={"table": free["id"], "in_use": False})
    assert emu.api("DELETE", DATATABLES + "/" + free["id"]).status_code == 204


def test_in_use_control_validates_its_input(emu):
    response = emu.session.post(emu.url + "/_emulator/datatables/in_use", json={"table": "nothing"})
    assert_error(response, 404, "not.found")
    response = emu.session.post(emu.url + "/_emulator/datatables/in_use", json={"table": 1})
    assert_error(response, 400, "bad.request")


def test_scopes_architect_and_architect_readonly(emu):
    table = created(emu)
    read_only = scoped_token(emu, ["architect:readonly"], "reader")
    assert emu.api("GET", DATATABLES, token=read_only).status_code == 200
    assert emu.api("GET", DATATABLES + "/" + table["id"] + "/rows", token=read_only).status_code == 200
    body = assert_error(emu.api("POST", DATATABLES, token=read_only, json={"name": "x", "schema": table_schema()}),
                        403, "missing.scope")
    assert "architect" in body["message"] and body["details"] == [{"scope": "architect"}]
    assert_error(emu.api("DELETE", DATATABLES + "/" + table["id"], token=read_only), 403, "missing.scope")
    writer = scoped_token(emu, ["architect"], "writer")  # a write scope implies its read scope
    assert emu.api("GET", DATATABLES, token=writer).status_code == 200
    other = scoped_token(emu, ["workitems", "process-automation"], "others")
    body = assert_error(emu.api("GET", DATATABLES, token=other), 403, "missing.scope")
    assert "architect:readonly" in body["message"]


def test_a_new_table_may_404_on_its_first_reads_by_id_but_lists_show_it(emu):
    emu.control("POST", "/read_after_create", json={"reads": 2})
    table = created(emu)
    path = DATATABLES + "/" + table["id"]
    assert [t["id"] for t in emu.api("GET", DATATABLES).json()["entities"]] == [table["id"]]
    assert_error(emu.api("GET", path), 404, "flows.datatables.table.not.found")
    assert_error(emu.api("GET", path, params={"expand": "schema"}), 404, "flows.datatables.table.not.found")
    assert emu.api("GET", path).status_code == 200
    assert emu.control("GET", "/read_after_create") == {"reads": 2, "pending": {}}


def test_server_too_busy_can_be_injected_and_is_not_applied(emu):
    emu.control("POST", "/faults", json={"method": "POST", "path": "^/api/v2/flows/datatables$", "status": 503,
                                         "code": "flows.datatables.server.too.busy", "retry_after": 1})
    response = create(emu)
    assert_error(response, 503, "flows.datatables.server.too.busy")
    assert response.headers["Retry-After"] == "1"
    assert emu.api("GET", DATATABLES).json()["total"] == 0
    assert create(emu).status_code == 200


def test_tables_and_rows_are_in_the_state_document_and_a_reset_forgets_them(emu):
    table = created(emu)
    emu.api("POST", DATATABLES + "/" + table["id"] + "/rows", json={"key": "a"})
    doc = emu.control("GET", "/state")
    assert [t["name"] for t in doc["datatables"]] == ["storeRouting"]
    assert doc["datatable_rows"][table["id"]] == [{"key": "a", "queue": "q", "open": False}]
    emu.control("POST", "/reset", json={})
    emu._token = None  # a reset forgets tokens
    assert emu.api("GET", DATATABLES).json()["total"] == 0
    emu.control("PUT", "/state", json=doc)
    emu._token = None
    rows = emu.api("GET", DATATABLES + "/" + table["id"] + "/rows", params={"showbrief": "false"}).json()
    assert rows["entities"] == [{"key": "a", "queue": "q", "open": False}]
