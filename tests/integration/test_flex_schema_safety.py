"""genesys.cloud.flex_schema when things go wrong: conflicts, unsafe changes, server refusals, bad input."""

LIST_PATH = "^/api/v2/data/flex/schemas$"


def field_map(schema):
    return dict((field["name"], field) for field in schema["fields"])


def schema_task(title, name, fields, **options):
    args = dict(name=name, fields=fields)
    args.update(options)
    return {"name": title, "genesys.cloud.flex_schema": args, "ignore_errors": True}


def test_a_409_re_applies_only_this_tasks_intent_and_keeps_the_other_change(emulator, playbook):
    emulator.create_schema("accounts", [{"name": "code", "type": "string"}, {"name": "note", "type": "string"}])
    emulator.create_schema("leads", [{"name": "code", "type": "string"}, {"name": "old", "type": "string"}])
    # Another administrator changes the schema right after the module listed the schemas.
    emulator.hook(method="GET", path=LIST_PATH, count=1, action={
        "type": "schema_update", "schema": "accounts",
        "set_fields": [{"name": "fromBob", "type": "number"},
                       {"name": "note", "type": "string", "maxLength": 50}]})
    run = playbook([schema_task("merge", "accounts", [{"name": "code", "type": "string", "required": True},
                                                      {"name": "mine", "type": "date"}])], diff=True)
    assert run.rc == 0, run
    accounts = emulator.schema("accounts")
    assert [f["name"] for f in accounts["fields"]] == ["code", "note", "fromBob", "mine"]
    assert field_map(accounts)["code"]["required"] is True
    assert field_map(accounts)["note"]["maxLength"] == 50  # Bob's change to a field this task does not mention
    assert accounts["version"] == 3
    merge = run.task("merge")
    assert merge["changed"] is True and merge["metrics"]["conflicts"] == 1
    assert merge["changes"]["added"] == ["mine"] and merge["changes"]["modified"] == ["code"]
    assert "fromBob" in merge["diff"]["before"]["fields"]  # before = the fresh schema the write replaced
    assert [f["name"] for f in merge["schema"]["fields"]] == ["code", "note", "fromBob", "mine"]

    # Purge removes what it meant to remove at its first read; a field Bob adds later is not its business.
    emulator.hook(method="GET", path=LIST_PATH, count=1, action={
        "type": "schema_update", "schema": "leads", "set_fields": [{"name": "fromBob", "type": "boolean"}]})
    run = playbook([schema_task("purge", "leads", [{"name": "code", "type": "string", "unique": True}],
                                purge_fields=True)])
    assert run.rc == 0, run
    assert [f["name"] for f in emulator.schema("leads")["fields"]] == ["code", "fromBob"]
    assert run.task("purge")["changes"]["removed"] == ["old"]
    assert [(w["method"], w["status"], w["if_match"]) for w in emulator.module_writes()] == [
        ("PUT", 409, '"1"'), ("PUT", 200, '"2"'), ("PUT", 409, '"1"'), ("PUT", 200, '"2"')]


def test_unsafe_type_change_is_refused_before_any_write_and_the_server_guards_the_data(emulator, playbook):
    emulator.create_schema("accounts", [{"name": "status", "type": "string"}, {"name": "flag", "type": "number"},
                                        {"name": "opened", "type": "string"}])
    emulator.upsert_records("accounts", [{"id": "r1", "status": "12", "flag": 1, "opened": "2026-01-02"},
                                         {"id": "r2", "status": "open", "flag": 0, "opened": "2026-02-03"},
                                         {"id": "r3", "status": "closed", "flag": 2}])
    run = playbook([
        dict(schema_task("preview unsafe", "accounts", [{"name": "status", "type": "number"}]), check_mode=True),
        schema_task("unsafe", "accounts", [{"name": "opened", "type": "date"}, {"name": "status", "type": "number"}]),
        schema_task("allowed but incompatible", "accounts", [{"name": "status", "type": "number"}],
                    allow_unsafe_type_changes=True),
        schema_task("safe but incompatible", "accounts", [{"name": "flag", "type": "boolean"}]),
        schema_task("safe", "accounts", [{"name": "opened", "type": "date"}]),
    ])
    for title in ("preview unsafe", "unsafe"):
        result = run.task(title)
        assert run.status(title) == "failed"
        assert "changing status from string to number is outside the safe type changes" in result["msg"]
        assert "allow_unsafe_type_changes" in result["msg"]
        assert {"field": "status", "from": "string", "to": "number", "safe": False,
                "verdict": "unsafe"} in result["changes"]["type_changes"]
    assert "fields[1].type" in run.task("unsafe")["msg"]  # the path of the task's own input
    verdicts = dict((c["field"], c["verdict"]) for c in run.task("unsafe")["changes"]["type_changes"])
    assert verdicts == {"status": "unsafe", "opened": "safe"}

    incompatible = run.task("allowed but incompatible")
    assert incompatible["code"] == "type.change.incompatible"
    assert "r2, r3" in incompatible["msg"] and incompatible["correlation_id"] in incompatible["msg"]
    assert incompatible["details"] == ["r2", "r3"]
    assert run.task("safe but incompatible")["code"] == "type.change.incompatible"
    assert "r3" in run.task("safe but incompatible")["msg"]

    assert run.status("safe") == "ok" and run.task("safe")["changes"]["type_changes"] == [
        {"field": "opened", "from": "string", "to": "date", "safe": True, "verdict": "safe"}]
    # Only the two server-checked changes and the safe one reached the server.
    assert [w["status"] for w in emulator.module_writes()] == [422, 422, 200]
    stored = emulator.schema("accounts")
    assert field_map(stored)["status"]["type"] == "string" and field_map(stored)["flag"]["type"] == "number"
    assert field_map(stored)["opened"]["type"] == "date"


def test_bad_input_fails_with_every_problem_and_nothing_is_written(emulator, playbook):
    emulator.create_schema("people", [{"name": "email", "type": "string", "unique": True},
                                      {"name": "nick", "type": "string"}])
    emulator.create_schema("wide", [{"name": "f%d" % n, "type": "string"} for n in range(99)])
    emulator.clear_requests()
    run = playbook([
        schema_task("static", "accounts", [
            {"name": "id", "type": "string"},
            {"name": "count", "type": "number", "options": ["1"], "unique": True},
            {"name": "flag", "type": "boolean", "unique": True, "max_length": 3},
            {"name": "link", "type": "relationship"},
            {"name": "kind", "type": "text"},
            {"name": "Count", "type": "string"},
            {"name": "2bad", "type": "string", "colour": "red"}]),
        schema_task("bad name", "my accounts", []),
        schema_task("purge without fields", "accounts", None, purge_fields=True),
        schema_task("dangling", "accounts", [
            {"name": "owner", "type": "relationship", "relationship": {"schema": "nobody"}},
            {"name": "friend", "type": "relationship", "relationship": {"schema": "people", "field": "nick"}}]),
        schema_task("too wide", "wide", [{"name": "x1", "type": "string"}, {"name": "x2", "type": "string"}]),
    ])
    static = run.task("static")["msg"]
    for expected in ("fields[0].name: id is a reserved name",
                     "fields[1].options: only string fields take options",
                     "fields[2].unique: only string and number fields can be unique",
                     "fields[2].max_length: only string fields take max_length",
                     "fields[3].relationship: a relationship field needs relationship",
                     "fields[4].type: 'text' is not one of",
                     "fields[5].name: Count is already defined at fields[1]",
                     "fields[6].name: '2bad' is not a valid name",
                     "fields[6]: Additional properties are not allowed ('colour' was unexpected)"):
        assert expected in static, expected
    assert static.startswith("the definition of flex schema 'accounts' is not valid, nothing was changed")
    assert run.task("static")["metrics"]["requests"] == 0  # refused before any request
    assert len(run.task("static")["problems"]) == 9
    assert "name: 'my accounts' is not a valid name" in run.task("bad name")["msg"]
    assert "purge_fields needs the complete list of fields" in run.task("purge without fields")["msg"]
    dangling = run.task("dangling")["msg"]
    assert "fields[0].relationship.schema: no schema named nobody exists" in dangling
    assert "fields[1].relationship.field: nick is not id or a unique field of schema people" in dangling
    assert "would have 101 fields, more than the limit of 100" in run.task("too wide")["msg"]
    assert all(run.status(title) == "failed" for title in
               ("static", "bad name", "purge without fields", "dangling", "too wide"))
    assert emulator.module_writes() == []
    assert sorted(s["name"] for s in emulator.schemas()) == ["people", "wide"]


def test_a_refused_change_keeps_its_type_changes_when_other_problems_are_reported_too(emulator, playbook):
    emulator.create_schema("accounts", [{"name": "status", "type": "string"}, {"name": "opened", "type": "string"}])
    emulator.clear_requests()
    run = playbook([schema_task("unsafe and dangling", "accounts", [
        {"name": "status", "type": "number"}, {"name": "opened", "type": "date"},
        {"name": "owner", "type": "relationship", "relationship": {"schema": "nobody"}}])])
    result = run.task("unsafe and dangling")
    assert run.status("unsafe and dangling") == "failed"
    assert "no schema named nobody exists" in result["msg"]
    assert "changing status from string to number is outside the safe type changes" in result["msg"]
    assert len(result["problems"]) == 2
    verdicts = dict((c["field"], c["verdict"]) for c in result["changes"]["type_changes"])
    assert verdicts == {"status": "unsafe", "opened": "safe"}
    assert emulator.module_writes() == []
