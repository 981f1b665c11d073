"""custom_object_records and custom_object_record_info in real playbooks against the emulator."""
import json

import pytest

ACCOUNT_FIELDS = [
    {"name": "accountNumber", "type": "string", "unique": True, "required": True, "maxLength": 12},
    {"name": "customerName", "type": "string"},
    {"name": "status", "type": "string", "options": ["active", "closed"]},
    {"name": "balance", "type": "number"},
    {"name": "vip", "type": "boolean"},
    {"name": "opened", "type": "date"},
]


def account(n, **changes):
    record = {"accountNumber": "acc-%03d" % n, "customerName": "Customer %d" % n, "status": "active",
              "balance": n * 10, "vip": n % 2 == 0, "opened": "2024-01-%02d" % (n % 28 + 1)}
    record.update(changes)
    return record


def records_task(name, records=None, **options):
    args = {"schema": "accounts", "key": "accountNumber"}
    if records is not None:
        args["records"] = records
    args.update(options)
    return {"name": name, "genesys.cloud.custom_object_records": args, "ignore_errors": True}


def by_number(emulator):
    return dict((item["accountNumber"], item) for item in emulator.records("accounts"))


@pytest.fixture
def accounts(emulator):
    return emulator.create_schema("accounts", ACCOUNT_FIELDS)


@pytest.mark.matrix
def test_check_then_load_then_no_op_then_info(emulator, playbook, accounts):
    desired = [account(n) for n in range(1, 251)]
    check = playbook([records_task("plan", desired)], check=True, diff=True).task("plan")
    assert emulator.module_writes() == []
    assert check["changed"] and check["created"] == 250 and check["updated"] == 0
    assert len(check["planned"]["create"]) == 250 and check["planned"]["create"][0] == "accountNumber=acc-001"
    assert len(check["diff"]["after"]["records"]) == 20
    assert set(check["diff"]["before"]["records"].values()) == {"(not stored)"}

    run = playbook([records_task("load", desired), records_task("again", desired),
                    {"name": "read", "genesys.cloud.custom_object_record_info": {
                        "schema": "accounts", "field": "accountNumber", "values": ["acc-007", "acc-999"]}}])
    load, again, read = run.task("load"), run.task("again"), run.task("read")
    assert load["changed"] and load["created"] == 250 and load["record_keys"]["created"]["total"] == 250
    stored = by_number(emulator)
    assert len(stored) == 250 and stored["acc-007"]["balance"] == 70 and stored["acc-008"]["vip"] is True
    # 1 schema lookup + 1 page of records + ceil(250/100) writes.
    assert load["metrics"]["requests"] == 5
    assert sorted(entry["size"] for entry in load["audit"]) == [50, 100, 100]
    assert all(entry["correlation_id"] and entry["outcome"] == "success" for entry in load["audit"])
    assert not again["changed"] and again["unchanged"] == 250 and again["metrics"]["requests"] == 2
    assert len(emulator.module_writes()) == 3
    assert read["count"] == 1 and read["records"][0]["customerName"] == "Customer 7"
    assert read["missing"] == ["acc-999"]


def test_partial_change_purge_and_absent(emulator, playbook, accounts, tmp_path):
    seeded = [dict(account(n), id="seed-%d" % n) for n in range(1, 11)]
    seeded[4]["opened"] = "2024-01-06T10:00:00Z"
    emulator.upsert_records("accounts", seeded)
    changed = [account(n) for n in range(1, 11)]
    changed[2] = account(3, balance=31.5)          # a value change
    changed[4] = account(5, opened="2024-01-06T12:00:00.000+02:00")  # the same instant spelled otherwise
    changed[5] = dict(account(6), status=None)     # null clears the field
    diff_run = playbook([records_task("change", changed[:8], purge=True)], check=True, diff=True)
    planned = diff_run.task("change")
    assert emulator.module_writes() == []
    assert planned["planned"]["update"] == ["accountNumber=acc-003", "accountNumber=acc-006"]
    assert sorted(planned["planned"]["delete"]) == ["accountNumber=acc-009", "accountNumber=acc-010"]
    assert planned["diff"]["before"]["records"]["accountNumber=acc-003 (update)"]["balance"] == 30
    # a deleted record is named by its key, as the others are (its id only where it holds no key value)
    assert planned["diff"]["after"]["records"]["accountNumber=acc-009 (delete)"] == "(deleted)"
    assert not any("seed-" in label for label in planned["diff"]["after"]["records"])

    run = playbook([records_task("change", changed[:8], purge=True, changes_dest=str(tmp_path / "changes.jsonl")),
                    records_task("remove", [{"accountNumber": "acc-001"}, {"accountNumber": "acc-404"}],
                                 state="absent")])
    change, remove = run.task("change"), run.task("remove")
    assert (change["updated"], change["deleted"], change["unchanged"]) == (2, 2, 6)
    stored = by_number(emulator)
    assert stored["acc-003"]["balance"] == 31.5 and "status" not in stored["acc-006"]
    assert stored["acc-003"]["id"] == "seed-3"  # found by the unique field, kept its id
    assert remove["deleted"] == 1 and remove["unchanged"] == 1
    assert sorted(stored) == ["acc-%03d" % n for n in range(2, 9)]
    lines = [json.loads(line) for line in open(str(tmp_path / "changes.jsonl"))]
    assert sorted((line["action"], line["id"]) for line in lines) == [
        ("deleted", "seed-10"), ("deleted", "seed-9"), ("updated", "seed-3"), ("updated", "seed-6")]
    assert lines[0]["schema"] == "accounts" and "record" in lines[0]


def test_every_validation_problem_is_reported_and_nothing_is_written(emulator, playbook, accounts):
    bad = [
        account(1, balance="lots"),                 # wrong type
        account(2, status="frozen"),                # not an option
        account(3, customerName=7),                 # wrong type
        {"customerName": "no key"},                 # key missing
        dict(account(4), colour="red"),             # unknown field
        account(5, opened="2024-02-30"),            # not a date
        account(6, accountNumber="acc-toolong-0006"),  # too long
        account(1),                                 # key repeats
    ]
    bad += [account(n) for n in range(10, 16)]
    run = playbook([records_task("bad", bad, batch_size=2)])
    result = run.task("bad")
    assert run.status("bad") == "failed"
    message = result["msg"]
    for expected in ("records[0] (accountNumber=acc-001): balance: 'lots' is not of type 'number'",
                     "records[1] (accountNumber=acc-002): status: 'frozen' is not one of ['active', 'closed']",
                     "records[2] (accountNumber=acc-003): customerName: 7 is not of type 'string'",
                     "records[3]: accountNumber: the key field is missing",
                     "records[4] (accountNumber=acc-004): (record): unknown field(s): colour",
                     "records[5] (accountNumber=acc-005): opened: '2024-02-30' is not a date",
                     "records[6] (accountNumber=acc-toolong-0006): accountNumber: 'acc-toolong-0006' is too long",
                     "records[7] (accountNumber=acc-001): the key repeats records[0]"):
        assert expected in message, message
    assert len(result["problems"]) == 8
    assert emulator.module_writes() == []


def test_unique_values_repeating_across_batches_are_caught_before_writing(emulator, playbook):
    emulator.create_schema("people", [{"name": "email", "type": "string", "unique": True},
                                      {"name": "name", "type": "string"}])
    people = [{"id": "p%d" % n, "email": "p%d@example.com" % n, "name": "P%d" % n} for n in range(6)]
    people[5]["email"] = "p0@example.com"   # same as the first record, three batches apart
    emulator.upsert_records("people", [{"id": "stored", "email": "taken@example.com"}])
    people.append({"id": "p6", "email": "taken@example.com"})  # held by a stored record the input leaves alone
    run = playbook([{"name": "load", "ignore_errors": True, "genesys.cloud.custom_object_records": {
        "schema": "people", "records": people, "batch_size": 2}}])
    result = run.task("load")
    assert run.status("load") == "failed"
    assert result["problems"] == [
        "records[5] (id=p5): email: the unique value 'p0@example.com' is also given to records[0] (id=p0)",
        "records[6] (id=p6): email: the unique value 'taken@example.com' is already used by stored record stored"]
    assert emulator.module_writes() == [] and len(emulator.records("people")) == 1


def test_unknown_schema_and_bad_options_fail_before_any_write(emulator, playbook, accounts):
    run = playbook([
        {"name": "no schema", "ignore_errors": True,
         "genesys.cloud.custom_object_records": {"schema": "nothere", "records": [{"id": "x"}]}},
        records_task("bad options", [account(1)], key="customerName", batch_size=500)])
    assert "no flex schema is named nothere" in run.task("no schema")["msg"]
    message = run.task("bad options")["msg"]
    assert "key: customerName is neither id nor a unique field" in message
    assert "batch_size: must be 1 to 100, not 500" in message
    assert emulator.module_writes() == []


def test_check_mode_on_a_schema_the_run_would_create_reports_every_record_as_a_create(emulator, playbook, tmp_path):
    desired = [account(n) for n in range(1, 31)]
    csv_path = tmp_path / "later.csv"
    csv_path.write_text("code,name\nEU,Europe\nUS,United States\n")
    preview = playbook([
        {"name": "plan", "genesys.cloud.custom_object_records": {
            "schema": "accountsLater", "key": "accountNumber", "records": desired}},
        {"name": "plan csv", "genesys.cloud.custom_object_records": {
            "schema": "regionsLater", "key": "code", "src": str(csv_path)}},
        {"name": "plan absent", "genesys.cloud.custom_object_records": {
            "schema": "accountsLater", "state": "absent", "records": [{"id": "a1"}]}},
    ], check=True, diff=True)
    assert preview.rc == 0, preview
    assert emulator.module_writes() == []
    plan = preview.task("plan")
    assert plan["changed"] and (plan["created"], plan["updated"], plan["deleted"]) == (30, 0, 0)
    assert plan["planned"]["create"][:2] == ["accountNumber=acc-001", "accountNumber=acc-002"]
    assert plan["record_keys"]["created"]["total"] == 30 and len(plan["planned"]["create"]) == 30
    assert len(plan["diff"]["after"]["records"]) == 20
    assert set(plan["diff"]["before"]["records"].values()) == {"(not stored)"}
    assert "flex schema accountsLater does not exist" in plan["warnings"][0]
    csv_plan = preview.task("plan csv")
    assert csv_plan["created"] == 2 and csv_plan["planned"]["create"] == ["code=EU", "code=US"]
    absent = preview.task("plan absent")
    assert not absent["changed"] and absent["deleted"] == 0 and absent["unchanged"] == 1

    # A real run still fails with the clear message.
    run = playbook([records_task("apply", desired[:1], schema="accountsLater")])
    assert "no flex schema is named accountsLater" in run.task("apply")["msg"]
    assert emulator.module_writes() == []
