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
