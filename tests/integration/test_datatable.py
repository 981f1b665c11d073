"""genesys.cloud.datatable and datatable_info in real playbooks against the emulator (REAL_API.md section 8)."""
import pytest

DATATABLES = "/api/v2/flows/datatables"
PROPERTIES = [
    {"name": "queue", "title": "Queue", "max_length": 100},
    {"name": "open", "type": "boolean", "title": "Open", "default": True},
    {"name": "priority", "type": "integer", "default": 5},
]


def table_task(name="set table", **options):
    args = dict(name="storeRouting", description="Stores", key_title="Store code", properties=PROPERTIES)
    args.update(options)
    return {"name": name, "genesys.cloud.datatable": args, "register": "out", "ignore_errors": True}


def stored_tables(emulator):
    listed = emulator.api("GET", DATATABLES, params={"expand": "schema", "pageSize": 100}, expect=200).json()
    return dict((t["name"], t) for t in listed["entities"])


def add_rows(emulator, table_id, *rows):
    for row in rows:
        emulator.api("POST", "%s/%s/rows" % (DATATABLES, table_id), json=row, expect=200)


@pytest.mark.matrix
def test_lifecycle_check_apply_repeat_info_delete(emulator, playbook):
    preview = playbook([table_task()], check=True, diff=True)
    result = preview.task("set table")
    assert preview.rc == 0 and result["changed"] is True
    assert emulator.module_writes() == [] and stored_tables(emulator) == {}
    assert result["diff"]["before"] == {} and result["diff"]["after"]["key_title"] == "Store code"

    applied = playbook([table_task()], diff=True)
    result = applied.task("set table")
    assert applied.rc == 0 and result["changed"] is True
    stored = stored_tables(emulator)["storeRouting"]
    props = stored["schema"]["properties"]
    assert list(props) == ["key", "queue", "open", "priority"]
    assert props["key"]["title"] == "Store code" and props["queue"]["maxLength"] == 100
    assert props["open"]["default"] is True and props["priority"]["type"] == "integer"
    assert result["datatable"]["id"] == stored["id"]
    assert [p["name"] for p in result["datatable"]["properties"]] == ["queue", "open", "priority"]
    [entry] = result["audit"]
    assert entry["action"] == "create" and entry["resource"] == "datatable" and entry["id"] == stored["id"]

    emulator.clear_requests()
    again = playbook([table_task(), {"name": "read", "genesys.cloud.datatable_info": {"name": ["STOREROUTING", "nope"]},
                                     "register": "info"}])
    assert again.rc == 0 and again.task("set table")["changed"] is False
    assert emulator.module_writes() == []
    info = again.task("read")
    assert info["missing"] == ["nope"] and len(info["datatables"]) == 1
    assert info["datatables"][0]["properties"] == result["datatable"]["properties"]

    gone = playbook([table_task(state="absent")], diff=True)
    assert gone.task("set table")["changed"] is True and gone.task("set table")["datatable"] == {}
    assert stored_tables(emulator) == {}
    assert playbook([table_task(state="absent")]).task("set table")["changed"] is False


def test_a_property_is_added_and_filled_in_stored_rows_and_nothing_else_changes(emulator, playbook):
    playbook([table_task()])
    table = stored_tables(emulator)["storeRouting"]
    add_rows(emulator, table["id"], {"key": "S1", "queue": "q"})
    emulator.clear_requests()
    added = PROPERTIES + [{"name": "region", "default": "north"}]
    run = playbook([table_task(properties=added, description=None, key_title=None)], diff=True)
    result = run.task("set table")
    assert result["changed"] is True and result["changes"] == ["properties.region (added)"]
    [put] = emulator.module_writes()
    assert put["method"] == "PUT"
    row = emulator.api("GET", "%s/%s/rows/S1?showbrief=false" % (DATATABLES, table["id"]), expect=200).json()
    assert row["region"] == "north" and row["open"] is True
    assert stored_tables(emulator)["storeRouting"]["description"] == "Stores"


def test_removing_or_retyping_a_property_is_refused_in_check_mode_before_any_write(emulator, playbook):
    playbook([table_task()])
    emulator.clear_requests()
    for check in (True, False):
        run = playbook([table_task(properties=[{"name": "queue"}, {"name": "open", "type": "string"}])], check=check)
        result = run.task("set table")
        assert run.status("set table") == "failed"
        assert "property open is stored as boolean and its type cannot change to string" in result["msg"]
        assert "property priority is stored but not in properties" in result["msg"]
        assert "create a new table" in result["msg"] and "storeRouting" in result["msg"]
    assert emulator.module_writes() == []


def test_limits_are_refused_before_any_write_and_can_be_raised(emulator, playbook):
    emulator._ctl("POST", "/limits", {"max_tables": 1})
    playbook([table_task()])
    emulator.clear_requests()
    refused = playbook([{"name": "other", "genesys.cloud.datatable": {"name": "other", "max_tables": 1},
                         "ignore_errors": True}])
    assert "the org has 1 data tables and may have at most 1" in refused.task("other")["msg"]
    many = [{"name": "p%d" % i} for i in range(51)]
    refused = playbook([{"name": "wide", "genesys.cloud.datatable": {"name": "wide", "properties": many},
                         "ignore_errors": True}], check=True)
    assert "it would have 51 properties besides key, and a table has at most 50" in refused.task("wide")["msg"]
    assert emulator.module_writes() == []


def test_a_table_in_use_is_deleted_only_with_force(emulator, playbook):
    playbook([table_task()])
    emulator._ctl("POST", "/datatables/in_use", {"table": "storeRouting"})
    refused = playbook([table_task(state="absent")])
    result = refused.task("set table")
    assert refused.status("set table") == "failed" and result["code"] == "flows.datatables.table.in.use"
    assert "is used by a flow" in result["msg"] and "force: true" in result["msg"]
    assert "storeRouting" in stored_tables(emulator)
    forced = playbook([table_task(state="absent", force=True)])
    assert forced.task("set table")["changed"] is True and stored_tables(emulator) == {}


def test_info_reads_full_rows_with_showbrief_false(emulator, playbook):
    playbook([table_task()])
    table = stored_tables(emulator)["storeRouting"]
    add_rows(emulator, table["id"], {"key": "S2"}, {"key": "S1", "queue": "q", "priority": 1})
    emulator.clear_requests()
    run = playbook([{"name": "read", "genesys.cloud.datatable_info": {"rows": True}, "register": "info"}])
    [listed] = run.task("read")["datatables"]
    assert listed["rows"] == [{"key": "S1", "queue": "q", "open": True, "priority": 1},
                              {"key": "S2", "queue": "", "open": True, "priority": 5}]
    reads = [r for r in emulator.module_requests("GET") if "/rows" in r["path"]]
    assert reads and all("showbrief=false" in r["query"] for r in reads), reads
