"""flex_schema: a case-only name difference, server errors mapped to the task's paths, limits stated (issue 10)."""
import json

from tests.support.inprocess import run_module

FIELDS = [{"name": "label", "type": "string"}, {"name": "qty", "type": "number"}, {"name": "note", "type": "string"}]


def schema_args(emulator, **options):
    args = dict(emulator.connection, name="items")
    args.update(options)
    return args


def test_a_name_that_differs_only_in_case_keeps_the_stored_name_and_warns(emulator, playbook):
    emulator.create_schema("accounts", [{"name": "label", "type": "string"}])
    before = emulator.schema("accounts")
    emulator.clear_requests()
    run = playbook([{"name": "upper", "genesys.cloud.flex_schema": {
        "name": "ACCOUNTS", "fields": [{"name": "label", "type": "string"}]}}], diff=True)
    result = run.task("upper")
    assert result["changed"] is False and result["action"] == "none"
    assert result["schema"]["name"] == "accounts"
    assert any("'ACCOUNTS' is stored as 'accounts'" in text and "never renamed" in text
               for text in result["warnings"]), result.get("warnings")
    assert emulator.module_writes() == [] and emulator.schema("accounts") == before


def test_a_case_only_name_with_a_real_change_updates_without_renaming(emulator):
    emulator.create_schema("accounts", [{"name": "label", "type": "string"}])
    result = run_module("flex_schema", dict(emulator.connection, name="Accounts",
                                            fields=[{"name": "tier", "type": "string"}]))
    assert result["changed"] and result["changes"]["added"] == ["tier"]
    assert [schema["name"] for schema in emulator.schemas()] == ["accounts"]


def test_a_server_422_names_the_field_as_the_task_wrote_it(emulator):
    emulator.create_schema("items", FIELDS)
    emulator.upsert_records("items", [{"id": "r1", "note": "not a number"}])
    result = run_module("flex_schema", schema_args(emulator, fields=[{"name": "note", "type": "number"}],
                                                   allow_unsafe_type_changes=True))
    assert result.get("failed") and result["status"] == 422
    assert "fields[0].type (field note)" in result["msg"], result["msg"]
    assert "fields[2]" not in result["msg"]


def test_a_long_field_name_and_too_many_fields_state_the_limit_without_echoing_the_input(emulator):
    long_name = "f" + "x" * 199
    result = run_module("flex_schema", schema_args(emulator, fields=[{"name": long_name, "type": "string"}]))
    assert "fields[0].name: 'fxxxxxxx" in result["msg"] and "at most 64 characters in all (got 200)" in result["msg"]
    assert long_name not in json.dumps(dict(result, invocation=None))
    many = [{"name": "field%03d" % n, "type": "string"} for n in range(101)]
    result = run_module("flex_schema", schema_args(emulator, fields=many))
    assert "fields: at most 100 items, got 101" in result["msg"]
    assert "field050" not in result["msg"] and len(result["msg"]) < 500
    assert emulator.module_writes() == []


def test_a_forced_delete_says_how_many_records_go_with_the_schema(emulator):
    emulator.create_schema("items", FIELDS)
    emulator.upsert_records("items", [{"id": "r%d" % n, "label": "l%d" % n} for n in range(3)])
    preview = run_module("flex_schema", schema_args(emulator, state="absent", force=True), check_mode=True, diff=True)
    assert preview["changed"] and preview["records_deleted"] == 3
    assert preview["diff"]["before"]["records"] == 3
    assert "force: true deletes the 3 stored records" in preview["diff"]["after"]["records"]
    assert len(emulator.records("items")) == 3
    applied = run_module("flex_schema", schema_args(emulator, state="absent", force=True))
    assert applied["records_deleted"] == 3 and emulator.schemas() == []


def test_the_diff_marks_a_removed_field_with_data_and_an_unsafe_type_change(emulator):
    emulator.create_schema("items", FIELDS)
    emulator.upsert_records("items", [{"id": "r1", "label": "1", "note": "x"}, {"id": "r2", "label": "2"}])
    result = run_module("flex_schema", schema_args(emulator, purge_fields=True, allow_unsafe_type_changes=True, fields=[
        {"name": "label", "type": "number"}, {"name": "qty", "type": "number"}]), check_mode=True, diff=True)
    fields = result["diff"]["after"]["fields"]
    assert fields["note"] == "(REMOVED: the values of 1 stored record are deleted)"
    assert fields["label"]["warning"].startswith("UNSAFE type change from string to number: 2 stored records")
    assert "warning" not in fields["qty"]
