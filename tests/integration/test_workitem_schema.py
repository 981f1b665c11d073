"""genesys.cloud.workitem_schema and workitem_schema_info in real playbooks against the emulator (REAL_API.md §9)."""
import importlib

import pytest
import yaml

SCHEMAS_PATH = "/api/v2/taskmanagement/workitems/schemas"
FIELDS = [
    {"name": "policy", "type": "identifier", "title": "Policy number", "min_length": 1, "max_length": 100},
    {"name": "severity", "type": "enum", "values": ["low", "high"]},
    {"name": "amount", "type": "number", "minimum": 0},
    {"name": "labels", "type": "tag", "maximum": 5, "max_length": 30},
]


def schema_task(name="set schema", schema="claimDetails", **options):
    args = dict(name=schema)
    args.update(options)
    return {"name": name, "genesys.cloud.workitem_schema": args, "register": "out"}


def stored(emulator, include_deleted=False):
    body = emulator.api("GET", SCHEMAS_PATH, expect=200).json()
    return [s for s in body["entities"] if include_deleted or not s["deleted"]]


def stored_one(emulator, name="claimDetails"):
    [schema] = [s for s in stored(emulator) if s["name"] == name]
    return schema


def create_as_admin(emulator, name, properties, description=""):
    body = {"name": name, "jsonSchema": {"description": description, "properties": properties}}
    return emulator.api("POST", SCHEMAS_PATH, json=body, expect=200).json()


@pytest.mark.matrix
def test_lifecycle_check_apply_repeat_info_delete(emulator, playbook):
    task = schema_task(description="What a claim carries", fields=FIELDS)

    preview = playbook([task], check=True, diff=True)
    result = preview.task("set schema")
    assert preview.rc == 0 and result["changed"] is True and result["action"] == "create"
    assert emulator.module_writes() == [] and stored(emulator) == []
    assert result["diff"]["before"] == {}
    assert [f["name"] for f in result["diff"]["after"]["fields"]] == ["policy", "severity", "amount", "labels"]

    applied = playbook([task], diff=True)
    result = applied.task("set schema")
    assert applied.rc == 0 and result["changed"] is True
    schema = stored_one(emulator)
    properties = schema["jsonSchema"]["properties"]
    assert list(properties) == ["policy_identifier", "severity_enum", "amount_number", "labels_tag"]
    assert properties["policy_identifier"] == {"allOf": [{"$ref": "#/definitions/identifier"}],
                                               "title": "Policy number", "minLength": 1, "maxLength": 100}
    assert properties["severity_enum"]["enum"] == ["low", "high"]
    assert properties["labels_tag"]["maxItems"] == 5 and properties["labels_tag"]["items"]["maxLength"] == 30
    assert schema["jsonSchema"]["description"] == "What a claim carries" and schema["version"] == 1
    assert result["workitem_schema"]["id"] == schema["id"] and result["workitem_schema"]["version"] == 1
    [entry] = result["audit"]
    assert entry["action"] == "create" and entry["resource"] == "workitem_schema" and entry["id"] == schema["id"]

    emulator.clear_requests()
    again = playbook([task, {"name": "read", "genesys.cloud.workitem_schema_info": {"name": ["CLAIMDETAILS", "nope"]},
                             "register": "info"}])
    assert again.rc == 0 and again.task("set schema")["changed"] is False
    assert again.task("set schema")["metrics"]["requests"] == 2  # the list and the limits
    assert emulator.module_writes() == []
    info = again.task("read")
    assert info["missing"] == ["nope"]
    [listed] = info["workitem_schemas"]
    assert listed["fields"][0] == {"name": "policy", "type": "identifier", "title": "Policy number",
                                   "min_length": 1, "max_length": 100}
    assert listed["fields"][2] == {"name": "amount", "type": "number", "title": "amount", "minimum": 0}
    assert listed["version"] == 1 and listed["deleted"] is False

    # An update: one field changed, one removed, the description kept (left out).
    changed_fields = [dict(FIELDS[0], max_length=50)] + FIELDS[1:3]
    update = playbook([schema_task(fields=changed_fields)], diff=True)
    result = update.task("set schema")
    assert update.rc == 0 and result["action"] == "update"
    assert result["changes"] == {"options": [], "added": [], "modified": ["policy"], "removed": ["labels"]}
    schema = stored_one(emulator)
    assert list(schema["jsonSchema"]["properties"]) == ["policy_identifier", "severity_enum", "amount_number"]
    assert schema["jsonSchema"]["description"] == "What a claim carries" and schema["version"] == 2
    assert [w["method"] for w in emulator.module_writes()] == ["PUT"]

    emulator.clear_requests()
    gone = playbook([schema_task(state="absent"), schema_task("again", state="absent")])
    assert gone.rc == 0 and gone.task("set schema")["changed"] is True
    assert gone.task("again")["changed"] is False and gone.task("set schema")["workitem_schema"] == {}
    assert [w["method"] for w in emulator.module_writes()] == ["DELETE"]
    [deleted] = stored(emulator, include_deleted=True)
    assert deleted["deleted"] is True


@pytest.mark.parametrize("stale_status", [409, 400])
def test_a_concurrent_edit_is_kept_and_only_this_tasks_change_is_reapplied(emulator, playbook, stale_status):
    emulator._ctl("POST", "/stale_version", {"kind": "workitem_schema", "status": stale_status})
    create_as_admin(emulator, "claimDetails", {
        "policy_identifier": {"allOf": [{"$ref": "#/definitions/identifier"}], "title": "policy"},
        "old_text": {"allOf": [{"$ref": "#/definitions/text"}], "title": "old"}}, description="first")
    # Someone else disables the schema and changes its description right after the module's read.
    emulator.hook(method="GET", path="^%s$" % SCHEMAS_PATH, count=1, action={
        "type": "workitem_schema_update", "name": "claimDetails", "description": "Bob's description",
        "enabled": False})
    run = playbook([schema_task(fields=[{"name": "policy", "type": "identifier"},
                                        {"name": "mine", "type": "date"}])], diff=True)
    result = run.task("set schema")
    assert run.rc == 0, run
    assert result["changed"] is True and result["metrics"]["conflicts"] == 1
    assert result["changes"] == {"options": [], "added": ["mine"], "modified": [], "removed": ["old"]}
    schema = stored_one(emulator)
    assert sorted(schema["jsonSchema"]["properties"]) == ["mine_date", "policy_identifier"]
    assert schema["jsonSchema"]["description"] == "Bob's description"  # not this task's business
    # enabled did not differ when the task planned (true wanted, true stored), so Bob's false stays (a re-run sets it)
    assert schema["enabled"] is False and schema["version"] == 3
    writes = emulator.module_writes()
    assert [(w["method"], w["status"]) for w in writes] == [("PUT", stale_status), ("PUT", 200)]
    assert result["workitem_schema"]["version"] == 3


def test_a_type_change_and_the_limits_are_refused_before_any_write(emulator, playbook):
    create_as_admin(emulator, "claimDetails", {
        "amount_number": {"allOf": [{"$ref": "#/definitions/number"}], "title": "amount"}})
    emulator._ctl("POST", "/limits", {"max_schema_properties": 2, "max_schemas": 1})
    run = playbook([
        dict(schema_task("retype preview", fields=[{"name": "amount", "type": "text"}]), check_mode=True,
             ignore_errors=True),
        dict(schema_task("retype", fields=[{"name": "amount", "type": "text"}]), ignore_errors=True),
        dict(schema_task("too many fields", fields=[{"name": "a", "type": "date"}, {"name": "b", "type": "date"},
                                                    {"name": "c", "type": "date"}]), ignore_errors=True),
        dict(schema_task("too many schemas", schema="another"), check_mode=True, ignore_errors=True),
    ], check=False)
    for title in ("retype preview", "retype"):
        message = run.task(title)["msg"]
        assert run.status(title) == "failed"
        assert "workitem schema claimDetails" in message and "field amount is a number field and cannot become text" \
            in message and "add the new field under another name" in message
    assert "at most 2" in run.task("too many fields")["msg"]
    assert "workitem schema another" in run.task("too many schemas")["msg"]
    assert "the most it may have (1)" in run.task("too many schemas")["msg"]
    assert emulator.module_writes() == []
    assert stored_one(emulator)["version"] == 1


def test_a_soft_deleted_schema_is_absent_and_its_name_can_be_used_again(emulator, playbook):
    old = create_as_admin(emulator, "claimDetails", {})
    emulator.api("DELETE", "%s/%s" % (SCHEMAS_PATH, old["id"]), expect=204)
    run = playbook([
        dict(schema_task("absent preview", state="absent"), check_mode=True),
        schema_task("absent", state="absent"),
        dict(schema_task("create preview", fields=[{"name": "note", "type": "text"}]), check_mode=True),
        schema_task("create", fields=[{"name": "note", "type": "text"}]),
        {"name": "list", "genesys.cloud.workitem_schema_info": {"include_deleted": True}, "register": "info"},
    ])
    assert run.rc == 0, run
    assert run.task("absent preview")["changed"] is False and run.task("absent")["changed"] is False
    assert run.task("create preview")["action"] == "create"
    created = run.task("create")["workitem_schema"]
    assert created["id"] != old["id"] and created["version"] == 1
    listed = run.task("list")["workitem_schemas"]
    assert [(s["id"], s["deleted"]) for s in listed] == [(created["id"], False), (old["id"], True)]
    assert [w["method"] for w in emulator.module_writes()] == ["POST"]


def test_bad_fields_are_refused_naming_each_problem(emulator, playbook):
    run = playbook([schema_task(fields=[{"name": "1st", "type": "text"},
                                        {"name": "size", "type": "checkbox", "max_length": 3},
                                        {"name": "level", "type": "enum"}])], check=True)
    result = run.task("set schema")
    assert run.status("set schema") == "failed"
    assert "fields[0] (1st): a field name starts with a letter" in result["msg"]
    assert "fields[1] (size): max_length does not apply to a checkbox field" in result["msg"]
    assert "fields[2] (level): an enum field needs values" in result["msg"]
    assert emulator.module_requests() == []


def module_examples(name):
    """The tasks of a module's EXAMPLES."""
    module = importlib.import_module("ansible_collections.genesys.cloud.plugins.modules." + name)
    return yaml.safe_load(module.EXAMPLES)


def test_the_examples_run_against_the_emulator(emulator, playbook):
    run = playbook(module_examples("workitem_schema")[:2] + module_examples("workitem_schema_info")
                   + module_examples("workitem_schema")[2:])
    assert run.rc == 0, run
    assert run.task("Describe insurance claims for workitems")["changed"] is True
    assert run.task("Stop new workitems from using the schema, keeping its fields")["workitem_schema"]["enabled"] is False
    [listed] = run.task("Read one schema by name")["workitem_schemas"]
    assert [f["name"] for f in listed["fields"]] == ["policy", "severity", "amount", "labels"]
    assert stored(emulator) == [] and len(stored(emulator, include_deleted=True)) == 1
