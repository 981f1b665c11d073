"""custom_object_records under faults, with relationships and with file sources."""
import json

import pytest

RECORDS = "^/api/v2/customobjects/items/records$"


@pytest.fixture
def items(emulator):
    return emulator.create_schema("items", [{"name": "label", "type": "string", "unique": True},
                                            {"name": "qty", "type": "number"},
                                            {"name": "ok", "type": "boolean"},
                                            {"name": "due", "type": "date"}])


def items_task(name, records=None, **options):
    args = {"schema": "items"}
    if records is not None:
        args["records"] = records
    args.update(options)
    return {"name": name, "genesys.cloud.custom_object_records": args, "ignore_errors": True}


def labels(emulator):
    return sorted(item["label"] for item in emulator.records("items"))


def test_503_and_a_dropped_create_never_duplicate_records_without_ids(emulator, playbook, items):
    # No ids given: the module derives them from the content, so a replay reuses them.
    desired = [{"label": "item-%03d" % n, "qty": n} for n in range(300)]
    emulator.fault(method="POST", path=RECORDS, status=503, count=1)
    emulator.fault(method="POST", path=RECORDS, action="drop_after", count=1)
    run = playbook([items_task("load", desired, concurrency=1), items_task("again", desired)])
    load, again = run.task("load"), run.task("again")
    assert run.status("load") == "ok", load.get("msg")
    assert load["metrics"]["retries"] == 2
    assert labels(emulator) == ["item-%03d" % n for n in range(300)]
    # The dropped batch was applied, then replayed: its records count as unchanged the second time.
    assert load["created"] + load["unchanged"] == 300 and load["created"] >= 200
    assert not again["changed"] and again["unchanged"] == 300
    assert [e["status"] for e in emulator.module_requests(method="POST")][:2] == [503, 200]


@pytest.mark.slow
def test_429s_are_waited_out(emulator, playbook, items):
    emulator.fault(method="POST", path=RECORDS, status=429, retry_after=1, count=2)
    result = playbook([items_task("load", [{"id": "a", "label": "a"}, {"id": "b", "label": "b"}])]).task("load")
    assert result["created"] == 2
    assert result["metrics"]["rate_limited"] == 2 and result["metrics"]["wait_seconds"] >= 2.0
    assert labels(emulator) == ["a", "b"]


def test_a_413_splits_the_batch_instead_of_failing(emulator, playbook, items):
    emulator.fault(method="POST", path=RECORDS, status=413, code="payload.too.large", count=1)
    desired = [{"id": "r%02d" % n, "label": "r%02d" % n} for n in range(10)]
    result = playbook([items_task("load", desired)]).task("load")
    assert result["created"] == 10 and len(emulator.records("items")) == 10
    outcomes = sorted((entry["outcome"], entry["size"]) for entry in result["audit"])
    assert outcomes == [("split", 10), ("success", 5), ("success", 5)]


def test_a_batch_the_server_rejects_is_reported_and_earlier_batches_are_listed(emulator, playbook, items):
    # Another administrator takes a label between our read and our writes.
    emulator.hook(method="GET", path="^/api/v2/customobjects/items/records$", count=1,
                  action={"type": "record_upsert", "schema": "items", "records": [{"id": "bob", "label": "x-3"}]})
    desired = [{"id": "x%d" % n, "label": "x-%d" % n} for n in range(6)]
    run = playbook([items_task("load", desired, batch_size=2, concurrency=1)])
    result = run.task("load")
    assert run.status("load") == "failed"
    assert result["code"] == "batch.validation.failed" and result["correlation_id"]
    assert "x3 label" in result["msg"] and "unique.constraint.violation" in result["msg"]
    assert "Already written: 2 created, 0 updated, 0 deleted in 1 batches; 2 records were not sent" in result["msg"]
    assert result["created"] == 2 and result["rejected_keys"] == ["id=x2", "id=x3"]
    assert result["errors"][0]["key"] == "id=x3"
    assert sorted(item["id"] for item in emulator.records("items")) == ["bob", "x0", "x1"]
    assert [e["outcome"] for e in result["audit"]] == ["success", "failed"]


def test_relationships_are_checked_and_written_in_reference_order(emulator, playbook):
    regions = emulator.create_schema("regions", [{"name": "code", "type": "string", "unique": True}])
    emulator.upsert_records("regions", [{"id": "r1", "code": "EU"}])
    emulator.create_schema("staff", [{"name": "region", "type": "relationship",
                                      "relationship": {"schemaId": regions["id"], "fieldName": "code"}}])
    staff = emulator.schema("staff")
    emulator.update_schema(staff, fields=staff["fields"] + [
        {"name": "manager", "type": "relationship", "relationship": {"schemaId": staff["id"], "fieldName": "id"}}])
    # Each record reports to the next one: written one per batch, four at a time, only the right order works.
    chain = [{"id": "s%d" % n, "region": "EU", "manager": "s%d" % (n + 1)} for n in range(5)] + [{"id": "s5"}]
    bad = [{"id": "t1", "region": "US", "manager": "nobody"}]
    run = playbook([
        {"name": "bad", "ignore_errors": True,
         "genesys.cloud.custom_object_records": {"schema": "staff", "records": bad}},
        {"name": "load", "genesys.cloud.custom_object_records": {
            "schema": "staff", "records": chain, "batch_size": 1, "concurrency": 4}},
        {"name": "info", "genesys.cloud.custom_object_record_info": {"schema": "staff", "include_records": False}},
        {"name": "purge", "genesys.cloud.custom_object_records": {
            "schema": "staff", "records": [{"id": "s5"}], "purge": True, "batch_size": 1}}])
    message = run.task("bad")["msg"]
    assert "records[0] (id=t1): region: no regions record has code 'US'" in message
    assert "records[0] (id=t1): manager: no staff record has id 'nobody'" in message
    assert run.task("load")["created"] == 6
    assert run.task("info")["references"] == ["regions"] and run.task("info")["records"] == []
    # Deleting also follows the references: the records that point at others go first.
    assert run.task("purge")["deleted"] == 5
    assert [item["id"] for item in emulator.records("staff")] == ["s5"]


def test_csv_jsonl_and_json_sources_load_converted_values(emulator, playbook, items, tmp_path):
    csv_file = tmp_path / "items.csv"
    csv_file.write_text("id,label,qty,ok,due\nc1,from csv,12,true,2024-05-01\nc2,second,2.5,no,\n")
    jsonl_file = tmp_path / "items.jsonl"
    jsonl_file.write_text('{"id": "j1", "label": "from jsonl", "qty": 3}\n\n{"id": "j2", "label": "j2"}\n')
    json_file = tmp_path / "items.json"
    json_file.write_text(json.dumps([{"id": "a1", "label": "from json", "ok": False}]))
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("id,label,qty\nb1,bad,twelve\n")
    run = playbook([items_task("csv", src=str(csv_file)), items_task("jsonl", src=str(jsonl_file)),
                    items_task("json", src=str(json_file)), items_task("csv again", src=str(csv_file)),
                    items_task("bad csv", src=str(bad_csv))])
    assert [run.task(n)["created"] for n in ("csv", "jsonl", "json")] == [2, 2, 1]
    assert not run.task("csv again")["changed"]
    stored = dict((item["id"], item) for item in emulator.records("items"))
    assert stored["c1"]["qty"] == 12 and stored["c1"]["ok"] is True and stored["c1"]["due"] == "2024-05-01"
    assert stored["c2"]["qty"] == 2.5 and stored["c2"]["ok"] is False and "due" not in stored["c2"]
    assert stored["j1"]["qty"] == 3 and stored["a1"]["ok"] is False
    assert "bad.csv line 2 (id=b1): qty: 'twelve' is not of type 'number'" in run.task("bad csv")["msg"]
    assert "b1" not in stored


def test_an_interrupted_load_rerun_writes_exactly_the_records_that_were_missing(emulator, playbook, items, tmp_path):
    src = tmp_path / "items.jsonl"
    src.write_text("".join(json.dumps({"label": "item-%04d" % n, "qty": n}) + "\n" for n in range(1200)))
    # The connection to the org breaks for good after 4 batches (a 500 is not retried).
    emulator.fault(method="POST", path=RECORDS, after=4, status=500, count=1000)
    first = playbook([items_task("load", src=str(src), key="label", concurrency=2)])
    assert first.status("load") == "failed"
    written_first = set(item["id"] for item in emulator.records("items"))
    assert 400 <= len(written_first) < 1200 and first.task("load")["created"] == len(written_first)
    emulator.http.delete(emulator.url + "/_emulator/faults", timeout=10).raise_for_status()
    emulator.clear_requests()

    again = playbook([items_task("load", src=str(src), key="label", concurrency=2)]).task("load")
    sent = [rid for entry in emulator.module_requests(method="POST") for rid in entry["record_ids"]]
    stored = set(item["id"] for item in emulator.records("items"))
    assert len(stored) == 1200 and labels(emulator) == ["item-%04d" % n for n in range(1200)]
    assert sorted(sent) == sorted(stored - written_first)  # each missing record once, nothing else
    assert again["created"] == 1200 - len(written_first) and again["unchanged"] == len(written_first)
    assert again["stats"]["read"] == len(written_first) and again["stats"]["written"] == len(sent)


def test_a_large_source_is_read_by_a_helper_process_with_the_same_outcome(emulator, playbook, items, tmp_path):
    """A src of 2 MiB or more is read on another core while the pages come in (records_helper.py)."""
    count = 16000
    seeded = tmp_path / "seed.jsonl"
    seeded.write_text("".join(json.dumps({"id": "i%05d" % n, "label": "item-%05d-%s" % (n, "x" * 100), "qty": n,
                                          "ok": n % 3 == 0, "due": "2024-02-%02d" % (n % 28 + 1)}) + "\n"
                              for n in range(count)))
    emulator.http.post(emulator.url + "/_emulator/seed", json={"schema": "items", "src": str(seeded)},
                       timeout=120).raise_for_status()
    desired = [{"label": "item-%05d-%s" % (n, "x" * 100), "qty": n + (1 if n % 1000 == 0 else 0),
                "ok": n % 3 == 0, "due": "2024-02-%02d" % (n % 28 + 1)} for n in range(count)]
    desired[5]["qty"] = "five"               # a problem: nothing may be written
    desired.append(dict(desired[7]))         # the key repeats
    src = tmp_path / "items.jsonl"
    src.write_text("".join(json.dumps(record) + "\n" for record in desired))
    assert src.stat().st_size >= 2 * 1024 * 1024
    emulator.clear_requests()
    broken = playbook([items_task("load", src=str(src), key="label")])
    refused = broken.task("load")
    assert broken.status("load") == "failed" and emulator.module_writes() == []
    assert "items.jsonl line 6 (label=item-00005-%s): qty: 'five' is not of type 'number'" % ("x" * 100) in refused["msg"]
    assert "items.jsonl line %d (label=item-00007-%s): the key repeats items.jsonl line 8" % (count + 1, "x" * 100) \
        in refused["msg"]

    del desired[-1]
    desired[5]["qty"] = 5
    src.write_text("".join(json.dumps(record) + "\n" for record in desired[:-1]))  # the last one left out
    preview = playbook([items_task("preview", src=str(src), key="label", purge=True)], check=True, diff=True)
    planned = preview.task("preview")
    assert emulator.module_writes() == [] and planned["stats"]["helper"] is True
    assert planned["updated"] == 16 and planned["deleted"] == 1 and planned["unchanged"] == count - 17
    assert planned["planned"]["delete"] == ["label=item-%05d-%s" % (count - 1, "x" * 100)]
    src.write_text("".join(json.dumps(record) + "\n" for record in desired))
    as_module = dict(items_task("again as a module process", src=str(src), key="label"),
                     vars={"genesys_cloud_in_process": False})  # AnsiballZ: the helper imports from its zip
    run = playbook([items_task("load", src=str(src), key="label"), items_task("again", src=str(src), key="label"),
                    as_module])
    load, again, module = run.task("load"), run.task("again"), run.task("again as a module process")
    assert load["stats"]["helper"] is True and again["stats"]["helper"] is True and module["stats"]["helper"] is True
    assert not module["changed"] and module["unchanged"] == count
    assert load["updated"] == 16 and load["unchanged"] == count - 16 and load["created"] == 0
    assert not again["changed"] and again["unchanged"] == count
    stored = dict((item["id"], item) for item in emulator.records("items"))
    assert stored["i01000"]["qty"] == 1001 and stored["i00999"]["qty"] == 999 and len(stored) == count
    small = playbook([items_task("small", [desired[0]], key="label")]).task("small")
    assert small["stats"]["helper"] is False and small["unchanged"] == 1
