"""genesys.cloud.flex_schema and flex_schema_info in real playbooks: the life of a schema."""
import pytest


ACCOUNT_FIELDS = [
    {"name": "accountNumber", "type": "string", "required": True, "unique": True, "max_length": 32},
    {"name": "tier", "type": "string", "options": ["gold", "silver"]},
    {"name": "balance", "type": "number"},
]


def schema_task(title="set schema", **options):
    args = dict(name="accounts", description="Customer accounts", fields=ACCOUNT_FIELDS)
    args.update(options)
    return {"name": title, "genesys.cloud.flex_schema": args, "register": "out"}


def field_map(schema):
    return dict((field["name"], field) for field in schema["fields"])


@pytest.mark.matrix
def test_create_check_apply_repeat_and_feed_info_back(emulator, playbook):
    preview = playbook([schema_task()], check=True, diff=True)
    result = preview.task("set schema")
    assert preview.rc == 0, preview
    assert result["changed"] is True and result["action"] == "create"
    assert emulator.module_writes() == [] and emulator.schemas() == []
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["fields"]["accountNumber"] == {
        "type": "string", "required": True, "unique": True, "max_length": 32}
    assert result["changes"]["added"] == ["accountNumber", "tier", "balance"]

    applied = playbook([schema_task()], diff=True)
    result = applied.task("set schema")
    assert applied.rc == 0, applied
    [stored] = emulator.schemas()
    assert stored["name"] == "accounts" and stored["description"] == "Customer accounts"
    assert field_map(stored)["accountNumber"] == {"name": "accountNumber", "type": "string", "required": True,
                                                  "unique": True, "maxLength": 32}
    assert result["id"] == stored["id"] and result["version"] == 1
    assert result["schema"]["fields"][1] == {"name": "tier", "type": "string", "required": False,
                                             "unique": False, "options": ["gold", "silver"]}
    [entry] = result["audit"]
    assert entry["action"] == "create" and entry["outcome"] == "success" and entry["id"] == stored["id"]
    assert result["metrics"]["requests"] >= 2

    # Same definition in another order and in camelCase; then the info output fed back in whole.
    emulator.clear_requests()
    reordered = [dict(ACCOUNT_FIELDS[2]), dict(ACCOUNT_FIELDS[1], options=["silver", "gold"]),
                 {"name": "accountNumber", "type": "string", "required": True, "unique": True, "maxLength": 32}]
    again = playbook([
        schema_task(fields=reordered),
        {"name": "read", "genesys.cloud.flex_schema_info": {"name": "ACCOUNTS"}, "register": "info"},
        {"name": "feed back", "genesys.cloud.flex_schema": {
            "name": "{{ info.schemas[0].name }}", "description": "{{ info.schemas[0].description }}",
            "fields": "{{ info.schemas[0].fields }}", "purge_fields": True}},
    ], diff=True)
    assert again.rc == 0, again
    assert again.task("set schema")["changed"] is False and again.task("set schema")["action"] == "none"
    assert again.task("feed back")["changed"] is False
    info = again.task("read")
    assert info["schemas"][0]["fields"][0]["max_length"] == 32
    assert info["metadata"] == [{"name": "accounts", "id": stored["id"], "version": 1,
                                 "date_created": stored["dateCreated"], "date_modified": stored["dateModified"]}]
    assert emulator.module_writes() == []
    assert emulator.schema("accounts")["version"] == 1


@pytest.mark.matrix
def test_merge_update_purge_and_delete(emulator, playbook):
    emulator.create_schema("accounts", [
        {"name": "accountNumber", "type": "string", "unique": True},
        {"name": "legacyCode", "type": "string"},
        {"name": "balance", "type": "number"}], description="before")

    # Merge: add one, change one, leave the rest alone; check mode first.
    merge = schema_task(description=None, fields=[
        {"name": "accountNumber", "type": "string", "unique": True, "required": True},
        {"name": "openedOn", "type": "date"}])
    preview = playbook([merge], check=True, diff=True)
    result = preview.task("set schema")
    assert preview.rc == 0, preview
    assert result["changes"]["added"] == ["openedOn"] and result["changes"]["modified"] == ["accountNumber"]
    assert result["changes"]["removed"] == []
    assert result["diff"]["before"]["fields"]["accountNumber"] == {"type": "string", "unique": True}
    assert result["diff"]["after"]["fields"]["accountNumber"] == {"type": "string", "unique": True,
                                                                  "required": True}
    assert "legacyCode" in result["diff"]["after"]["fields"]
    assert emulator.module_writes() == [] and emulator.schema("accounts")["version"] == 1

    applied = playbook([merge])
    assert applied.rc == 0, applied
    stored = emulator.schema("accounts")
    assert [f["name"] for f in stored["fields"]] == ["accountNumber", "legacyCode", "balance", "openedOn"]
    assert field_map(stored)["accountNumber"]["required"] is True
    assert stored["description"] == "before" and stored["version"] == 2
    [put] = emulator.module_writes()
    assert put["method"] == "PUT" and put["if_match"] == '"1"'

    # Purge: only the listed fields stay (check mode shows the removals, then apply, then repeat).
    purge = schema_task(purge_fields=True, fields=[
        {"name": "accountNumber", "type": "string", "unique": True, "required": True},
        {"name": "balance", "type": "number"}])
    preview = playbook([purge], check=True)
    assert preview.task("set schema")["changes"]["removed"] == ["legacyCode", "openedOn"]
    assert emulator.schema("accounts")["version"] == 2
    applied = playbook([purge, dict(purge, name="again")])
    assert applied.rc == 0, applied
    assert applied.task("set schema")["changed"] is True and applied.task("again")["changed"] is False
    stored = emulator.schema("accounts")
    assert [f["name"] for f in stored["fields"]] == ["accountNumber", "balance"]
    assert stored["description"] == "Customer accounts"

    # Delete: check mode, apply, repeat.
    delete = {"name": "delete", "genesys.cloud.flex_schema": {"name": "accounts", "state": "absent"}}
    emulator.clear_requests()
    preview = playbook([delete], check=True, diff=True)
    result = preview.task("delete")
    assert result["changed"] is True and result["action"] == "delete" and result["diff"]["after"] == {}
    assert emulator.module_writes() == []
    done = playbook([delete, dict(delete, name="delete again")])
    assert done.rc == 0, done
    assert done.task("delete")["changed"] is True and done.task("delete again")["changed"] is False
    assert emulator.schemas() == []
    assert done.task("delete")["audit"][0]["action"] == "delete"


def test_delete_with_records_needs_force_and_a_target_cannot_be_deleted(emulator, playbook):
    people = emulator.create_schema("people", [{"name": "email", "type": "string", "unique": True}])
    emulator.create_schema("accounts", [{"name": "owner", "type": "relationship",
                                         "relationship": {"schemaId": people["id"], "fieldName": "email"}}])
    emulator.create_schema("notes", [{"name": "text", "type": "string"}])
    emulator.upsert_records("notes", [{"id": "n1", "text": "a"}, {"id": "n2", "text": "b"}])
    run = playbook([
        {"name": "delete notes", "genesys.cloud.flex_schema": {"name": "notes", "state": "absent"},
         "ignore_errors": True},
        {"name": "delete people", "genesys.cloud.flex_schema": {"name": "people", "state": "absent"},
         "ignore_errors": True},
    ])
    notes = run.task("delete notes")
    assert run.status("delete notes") == "failed" and notes["code"] == "schema.has.records"
    assert "Set force: true" in notes["msg"] and "n1, n2" in notes["msg"]
    assert notes["correlation_id"] and notes["correlation_id"] in notes["msg"]
    assert notes["audit"][0]["outcome"] == "failed"
    people_result = run.task("delete people")
    assert run.status("delete people") == "failed" and people_result["code"] == "schema.in.use" and "(in accounts)" in people_result["msg"]
    assert sorted(s["name"] for s in emulator.schemas()) == ["accounts", "notes", "people"]

    preview = playbook([{"name": "delete people", "genesys.cloud.flex_schema": {
        "name": "people", "state": "absent"}}], check=True)
    assert "target of relationship fields in accounts" in preview.task("delete people")["warnings"][0]

    forced = playbook([{"name": "delete notes", "genesys.cloud.flex_schema": {
        "name": "notes", "state": "absent", "force": True}}])
    assert forced.rc == 0, forced
    assert [entry["query"] for entry in emulator.module_writes()][-1] == "force=true"
    assert sorted(s["name"] for s in emulator.schemas()) == ["accounts", "people"]


def test_relationships_by_name_including_to_itself(emulator, playbook):
    emulator.create_schema("people", [{"name": "email", "type": "string", "unique": True}])
    fields = [{"name": "code", "type": "string", "unique": True},
              {"name": "owner", "type": "relationship", "relationship": {"schema": "people", "field": "email"}},
              {"name": "parent", "type": "relationship", "relationship": {"schema": "accounts", "field": "code"}}]
    run = playbook([schema_task(fields=fields), dict(schema_task(fields=fields), name="again")], diff=True)
    assert run.rc == 0, run
    stored = emulator.schema("accounts")
    people = emulator.schema("people")
    assert field_map(stored)["owner"]["relationship"] == {"schemaId": people["id"], "fieldName": "email"}
    assert field_map(stored)["parent"]["relationship"] == {"schemaId": stored["id"], "fieldName": "code"}
    result = run.task("set schema")
    assert result["schema"]["fields"][2]["relationship"] == {"schema": "accounts", "field": "code"}
    assert result["diff"]["after"]["fields"]["owner"]["relationship"] == {"schema": "people", "field": "email"}
    assert [entry["action"] for entry in result["audit"]] == ["create", "update"]
    assert run.task("again")["changed"] is False
