"""genesys.cloud.datatable_rows in real playbooks against the emulator (REAL_API.md section 8, rows)."""
import pytest

DATATABLES = "/api/v2/flows/datatables"
TABLE = {"name": "storeRouting", "key_title": "Store code", "properties": [
    {"name": "queue", "max_length": 20},
    {"name": "open", "type": "boolean", "default": True},
    {"name": "priority", "type": "integer", "default": 5},
]}
ROWS = [{"key": "S1", "queue": "one"}, {"key": "S2", "queue": "two", "open": False}, {"key": "S3", "priority": 1}]


def rows_task(name="set rows", **options):
    args = dict(datatable="storeRouting", rows=ROWS)
    args.update(options)
    if "src" in args:
        del args["rows"]
    return {"name": name, "genesys.cloud.datatable_rows": args, "register": "out", "ignore_errors": True}


def table_id(emulator):
    listed = emulator.api("GET", DATATABLES, params={"name": "storeRouting"}, expect=200).json()["entities"]
    return listed[0]["id"]


def stored_rows(emulator):
    path = "%s/%s/rows" % (DATATABLES, table_id(emulator))
    body = emulator.api("GET", path, params={"showbrief": "false", "pageSize": 100}, expect=200).json()
    return dict((row["key"], row) for row in body["entities"])


@pytest.fixture
def table(emulator, playbook):
    run = playbook([{"name": "table", "genesys.cloud.datatable": TABLE}])
    assert run.rc == 0, run
    emulator.clear_requests()
    return table_id(emulator)


@pytest.mark.matrix
def test_check_apply_repeat_with_server_filled_defaults(emulator, playbook, table):
    preview = playbook([rows_task()], check=True, diff=True)
    result = preview.task("set rows")
    assert (result["changed"], result["created"], result["updated"], result["unchanged"]) == (True, 3, 0, 0)
    assert result["row_keys"]["created"] == ["S1", "S2", "S3"]
    assert result["diff"]["after"]["S3"] == {"key": "S3", "queue": "", "open": True, "priority": 1}
    assert emulator.module_writes() == [] and stored_rows(emulator) == {}

    applied = playbook([rows_task()])
    result = applied.task("set rows")
    assert (result["changed"], result["created"]) == (True, 3)
    writes = emulator.module_writes()
    assert len(writes) == 3 and all(w["method"] == "POST" for w in writes)
    assert stored_rows(emulator)["S1"] == {"key": "S1", "queue": "one", "open": True, "priority": 5}
    [entry] = result["audit"]
    assert (entry["resource"], entry["created"], entry["size"], entry["requests"]) == ("datatable_rows", 3, 3, 3)
    assert (entry["first_key"], entry["last_key"], entry["outcome"]) == ("S1", "S3", "success")

    emulator.clear_requests()
    again = playbook([rows_task()])
    result = again.task("set rows")
    assert (result["changed"], result["unchanged"], result["audit"]) == (False, 3, [])
    assert emulator.module_writes() == []
    reads = [r for r in emulator.module_requests("GET") if r["path"].endswith("/rows")]
    assert len(reads) == 1 and "showbrief=false" in reads[0]["query"] and "pageSize=100" in reads[0]["query"]


def test_only_changed_rows_are_written_and_purge_deletes_one_row(emulator, playbook, table):
    playbook([rows_task()])
    emulator.clear_requests()
    changed = [{"key": "S1", "queue": "one"}, {"key": "S2", "queue": "two", "open": True}]
    run = playbook([rows_task(rows=changed, purge=True)], diff=True)
    result = run.task("set rows")
    assert (result["created"], result["updated"], result["deleted"], result["unchanged"]) == (0, 1, 1, 1)
    assert result["row_keys"] == {"created": [], "updated": ["S2"], "deleted": ["S3"]}
    assert result["diff"]["before"]["S3"]["priority"] == 1 and "S3" not in result["diff"]["after"]
    writes = sorted((w["method"], w["path"].rsplit("/", 1)[-1]) for w in emulator.module_writes())
    assert writes == [("DELETE", "S3"), ("PUT", "S2")]
    assert sorted(stored_rows(emulator)) == ["S1", "S2"] and stored_rows(emulator)["S2"]["open"] is True


def test_bad_rows_are_reported_together_before_any_write(emulator, playbook, table, tmp_path):
    playbook([rows_task()])
    emulator.clear_requests()
    bad = [{"key": "S4", "queue": "x" * 21}, {"queue": "no key"}, {"key": "S5", "colour": "red"},
           {"key": "S6", "priority": "high"}, {"key": "S1"}, {"key": "S1"}]
    run = playbook([rows_task(rows=bad, purge=True)])
    result = run.task("set rows")
    assert run.status("set rows") == "failed" and result["bad_rows"] == 5
    assert "nothing was changed" in result["msg"]
    problems = result["problems"]
    assert problems[0].startswith("rows[0]: queue is 21 characters long, over its max_length 20")
    assert problems[1].startswith("rows[1]: key is missing")
    assert problems[2].startswith("rows[2]: 'colour' is not a property")
    assert problems[3].startswith("rows[3]: priority 'high' is not of type integer")
    assert problems[4].startswith("rows[5]: key 'S1' is given twice (first at rows[4])")
    assert emulator.module_writes() == [] and sorted(stored_rows(emulator)) == ["S1", "S2", "S3"]

    broken = tmp_path / "rows.jsonl"
    broken.write_text('{"key": "S1"}\n{"key": "S2", "open": tru\n')
    run = playbook([rows_task(src=str(broken), purge=True)])
    assert run.status("set rows") == "failed" and "rows.jsonl line 2: not valid JSON" in run.task("set rows")["msg"]
    assert emulator.module_writes() == [] and sorted(stored_rows(emulator)) == ["S1", "S2", "S3"]


def test_a_csv_source_loads_and_a_rerun_writes_nothing(emulator, playbook, table, tmp_path):
    src = tmp_path / "stores.csv"
    src.write_text("key,queue,open,priority\nS1,one,true,\nS2,two,false,2\nS3,,,\n")
    first = playbook([rows_task(src=str(src))])
    assert first.task("set rows")["created"] == 3
    assert stored_rows(emulator)["S2"] == {"key": "S2", "queue": "two", "open": False, "priority": 2}
    assert stored_rows(emulator)["S3"] == {"key": "S3", "queue": "", "open": True, "priority": 5}
    emulator.clear_requests()
    again = playbook([rows_task(src=str(src))])
    assert again.task("set rows")["changed"] is False and emulator.module_writes() == []


def test_the_row_limit_is_refused_before_any_write_and_can_be_raised(emulator, playbook, table):
    emulator._ctl("POST", "/limits", {"max_rows": 3})
    playbook([rows_task()])
    emulator.clear_requests()
    more = ROWS + [{"key": "S4"}]
    refused = playbook([rows_task(rows=more, max_rows=3)])
    assert refused.status("set rows") == "failed"
    assert "would hold 4 rows (3 stored, 1 new) and a table holds at most 3" in refused.task("set rows")["msg"]
    assert emulator.module_writes() == []
    emulator._ctl("POST", "/limits", {"max_rows": 4})
    raised = playbook([rows_task(rows=more, max_rows=4)])
    assert raised.task("set rows")["created"] == 1 and len(stored_rows(emulator)) == 4


def test_rows_of_a_missing_table_are_refused_and_previewed_as_created_after_the_table(emulator, playbook):
    run = playbook([rows_task(datatable="nope")])
    assert run.status("set rows") == "failed"
    assert "no data table named nope" in run.task("set rows")["msg"]
    table = {"name": "table", "genesys.cloud.datatable": TABLE}
    preview = playbook([table, rows_task()], check=True)
    result = preview.task("set rows")
    assert preview.rc == 0 and (result["changed"], result["created"]) == (True, 3)
    assert "data table storeRouting does not exist; this preview assumes an earlier task creates it" in \
        result["warnings"][0]
    assert emulator.module_writes() == []


def test_a_table_rows_keys_with_url_characters_round_trip(emulator, playbook, table):
    rows = [{"key": "a b?c#d"}, {"key": "e%f"}, {"key": "g/h"}]
    assert playbook([rows_task(rows=rows)]).task("set rows")["created"] == 3
    assert sorted(stored_rows(emulator)) == ["a b?c#d", "e%f", "g/h"]
    emulator.clear_requests()
    run = playbook([rows_task(rows=[{"key": "a b?c#d", "queue": "x"}], purge=True)])
    assert (run.task("set rows")["updated"], run.task("set rows")["deleted"]) == (1, 2)
    assert stored_rows(emulator) == {"a b?c#d": {"key": "a b?c#d", "queue": "x", "open": True, "priority": 5}}


def test_a_lost_answer_to_a_row_create_is_looked_up_not_sent_twice(emulator, playbook, table):
    emulator.fault(method="POST", path="^/api/v2/flows/datatables/[^/]+/rows$", action="drop_after", count=1)
    run = playbook([rows_task()])
    result = run.task("set rows")
    assert (result["changed"], result["created"]) == (True, 3)
    assert result["metrics"]["recovered_writes"] == 1
    assert len([w for w in emulator.module_writes() if w["method"] == "POST"]) == 3
    assert sorted(stored_rows(emulator)) == ["S1", "S2", "S3"]


def test_a_failed_row_write_stops_the_run_and_says_what_was_written(emulator, playbook, table):
    playbook([rows_task()])
    emulator.fault(method="PUT", path="/rows/S2$", status=400, code="flows.datatables.syntax.error")
    changed = [{"key": "S1", "queue": "new"}, {"key": "S2", "queue": "new"}, {"key": "S3", "queue": "new"}]
    run = playbook([rows_task(rows=changed, concurrency=1)])
    result = run.task("set rows")
    assert run.status("set rows") == "failed" and result["code"] == "flows.datatables.syntax.error"
    assert "data table 'storeRouting': writing row S2 failed" in result["msg"]
    assert "Written before it stopped: 0 created, 1 updated, 0 deleted; 1 rows failed, 1 not sent" in result["msg"]
    assert (result["updated"], result["failed_keys"]) == (1, ["S2"])
    assert [entry["outcome"] for entry in result["audit"]] == ["failed"]
    again = playbook([rows_task(rows=changed)])
    assert (again.task("set rows")["updated"], again.task("set rows")["unchanged"]) == (2, 1)


def test_the_modules_run_as_module_processes_too(emulator, playbook, table):
    env = {"GENESYSCLOUD_IN_PROCESS": "false"}
    run = playbook([rows_task(), {"name": "info", "genesys.cloud.datatable_info": {"rows": True}, "register": "info"}],
                   env=env)
    assert run.task("set rows")["created"] == 3, run
    assert [row["key"] for row in run.task("info")["datatables"][0]["rows"]] == ["S1", "S2", "S3"]
    assert len(emulator.token_requests()) == 2  # a process a task, each with its own token (in-process shares one)
