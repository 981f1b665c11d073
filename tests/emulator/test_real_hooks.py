"""Hooks that let another administrator change a data table, row, workitem schema or trigger
between a client's read and its write (the races REAL_API.md's clients must survive)."""

import pytest

from emu_helpers import DATATABLES, TRIGGERS, WORKITEM_SCHEMAS, assert_error, table_schema


def hook(emu, path, action, method="GET"):
    return emu.control("POST", "/hooks", json={"method": method, "path": path, "action": action})["id"]


def hook_state(emu, hook_id):
    return next(h for h in emu.control("GET", "/hooks") if h["id"] == hook_id)


@pytest.mark.parametrize("status", [409, 400])
def test_a_schema_edited_between_read_and_write_is_a_stale_version_then_a_retry_succeeds(emu, status):
    emu.control("POST", "/stale_version", json={"kind": "workitem_schema", "status": status})
    created = emu.api("POST", WORKITEM_SCHEMAS, json={"name": "claims", "jsonSchema": {"properties": {}}}).json()
    path = WORKITEM_SCHEMAS + "/" + created["id"]
    hook_id = hook(emu, "^%s$" % path, {"type": "workitem_schema_update", "name": "CLAIMS", "enabled": False})
    read = emu.api("GET", path).json()
    assert read["version"] == 1  # the answer reflects the state before the hook
    mine = {"name": "claims", "enabled": True, "version": read["version"],
            "jsonSchema": dict(read["jsonSchema"], description="mine")}
    error = assert_error(emu.api("PUT", path, json=mine), status, "version.mismatch" if status == 409 else "bad.request")
    assert "does not match the current version 2" in error["message"]
    again = emu.api("GET", path).json()
    assert (again["version"], again["enabled"]) == (2, False)
    retry = emu.api("PUT", path, json=dict(mine, version=again["version"], enabled=again["enabled"]))
    assert retry.status_code == 200 and retry.json()["version"] == 3
    assert retry.json()["enabled"] is False and retry.json()["jsonSchema"]["description"] == "mine"
    assert hook_state(emu, hook_id)["fired"] == 1 and hook_state(emu, hook_id)["error"] is None


def test_a_trigger_edited_between_read_and_write_is_stale(emu):
    emu.control("POST", "/stale_version", json={"kind": "trigger", "status": 409})
    workflow = emu.control("POST", "/workflows", json={"name": "wf"})
    created = emu.api("POST", TRIGGERS, json={"name": "esc", "topicName": "v2.taskmanagement.workitems.{id}",
                                              "enabled": True, "target": {"type": "Workflow", "id": workflow["id"]}})
    trigger = created.json()
    path = TRIGGERS + "/" + trigger["id"]
    hook(emu, "^%s$" % path, {"type": "trigger_update", "name": "esc", "description": "theirs"})
    read = emu.api("GET", path).json()
    body = {k: v for k, v in read.items() if k not in ("id", "selfUri", "dateCreated", "dateModified")}
    assert_error(emu.api("PUT", path, json=dict(body, enabled=False)), 409, "version.mismatch")
    assert emu.api("GET", path).json()["description"] == "theirs"


def test_a_table_edited_between_read_and_write_is_overwritten_without_a_conflict(emu):
    table = emu.api("POST", DATATABLES, json={"name": "stores", "schema": table_schema()}).json()
    path = DATATABLES + "/" + table["id"]
    hook(emu, "^%s$" % path, {"type": "datatable_update", "name": "stores", "description": "theirs"})
    read = emu.api("GET", path, params={"expand": "schema"}).json()
    assert emu.api("GET", path, params={"expand": "schema"}).json()["description"] == "theirs"
    response = emu.api("PUT", path, json={"name": "stores", "description": "mine", "schema": read["schema"]})
    assert response.status_code == 200 and response.json()["description"] == "mine"  # the last writer wins


def test_another_administrator_writes_a_row(emu):
    table = emu.api("POST", DATATABLES, json={"name": "stores", "schema": table_schema(
        n={"type": "integer", "default": 7})}).json()
    rows = DATATABLES + "/" + table["id"] + "/rows"
    hook_id = hook(emu, "^%s$" % rows, {"type": "datatable_row_put", "name": "stores", "row": {"key": "theirs"}})
    assert emu.api("GET", rows).json()["entities"] == []
    assert emu.api("GET", rows, params={"showbrief": "false"}).json()["entities"] == [{"key": "theirs", "n": 7}]
    bad = hook(emu, "^%s$" % rows, {"type": "datatable_row_put", "name": "stores", "row": {"key": "x", "n": "y"}})
    emu.api("GET", rows)
    assert hook_state(emu, bad)["error"]["code"] == "flows.datatables.syntax.error"
    assert hook_state(emu, hook_id)["error"] is None


def test_a_hook_naming_nothing_records_its_error(emu):
    hook_id = hook(emu, "^/api/v2/flows/datatables$", {"type": "trigger_update", "name": "nothing"})
    emu.api("GET", DATATABLES)
    assert hook_state(emu, hook_id)["error"]["status"] == 404


def test_rows_can_be_seeded_without_the_api(emu, tmp_path):
    table = emu.api("POST", DATATABLES, json={"name": "stores", "schema": table_schema(
        n={"type": "integer"})}).json()
    rows = DATATABLES + "/" + table["id"] + "/rows"
    assert emu.control("POST", "/datatables/rows", json={"table": "stores", "rows": [{"key": "a", "n": 1}]}) == {
        "seeded": 1}
    src = tmp_path / "rows.jsonl"
    src.write_text("".join('{"key": "k%04d", "n": %d}\n' % (i, i) for i in range(5000)), encoding="utf-8")
    emu.control("DELETE", "/requests")
    with pytest.raises(AssertionError):  # 5,001 rows: past the limit
        emu.control("POST", "/datatables/rows", json={"table": table["id"], "src": str(src)})
    assert emu.control("GET", "/requests") == []
    assert emu.api("GET", rows).json()["total"] == 5000  # the rows before the refused one stay
    response = emu.session.post(emu.url + "/_emulator/datatables/rows",
                                json={"table": "stores", "rows": [{"key": "b", "n": "x"}]})
    assert "rows[0]" in assert_error(response, 400, "flows.datatables.syntax.error")["message"]
    assert_error(emu.session.post(emu.url + "/_emulator/datatables/rows", json={"table": "stores"}), 400,
                 "bad.request")
