"""Data tables and their rows in an org directory (issue 28 item 2): ``datatables/NAME.yml`` and
``datatable_rows/NAME.csv|jsonl|json`` through preview, apply, re-run, refusal, purge, export, saved plans,
unmanaged objects and ``ignore:``, in-process against the emulator (and once as a real playbook)."""
import json
import os

import yaml

from tests.integration.test_org import org_playbook
from tests.integration.test_org_export_truth import export
from tests.integration.test_org_run import counts, org_run

DATATABLES = "/api/v2/flows/datatables"
TABLE = {"name": "storeRouting", "description": "Where each store's calls go", "key_title": "Store code",
         "properties": [{"name": "queue", "type": "string", "max_length": 20},
                        {"name": "open", "type": "boolean", "default": True},
                        {"name": "priority", "type": "integer", "default": 5}]}
CSV = "key,queue,open,priority\nS1,one,true,1\nS2,two,false,2\nS3,three,true,3\n"


def write_org(root, table=TABLE, rows=CSV, settings=None):
    (root / "datatables").mkdir(parents=True, exist_ok=True)
    (root / "datatables" / "storeRouting.yml").write_text(yaml.safe_dump(table, sort_keys=False))
    if rows is not None:
        (root / "datatable_rows").mkdir(exist_ok=True)
        (root / "datatable_rows" / "storeRouting.csv").write_text(rows)
    (root / "org.yml").write_text(yaml.safe_dump(settings or {"datatable_rows": {"storeRouting": {"purge": True}}}))
    return str(root)


def tables(emulator):
    return dict((table["name"], table) for table in emulator.api(
        "GET", DATATABLES, params={"expand": "schema", "pageSize": 100}, expect=200).json()["entities"])


def stored_rows(emulator, name="storeRouting"):
    path = "%s/%s/rows" % (DATATABLES, tables(emulator)[name]["id"])
    body = emulator.api("GET", path, params={"showbrief": "false", "pageSize": 100}, expect=200).json()
    return dict((row["key"], row) for row in body["entities"])


def ok(result):
    assert "failed" not in result, result.get("msg")
    return result


def test_check_apply_and_a_rerun_that_writes_nothing(emulator, tmp_path):
    org = write_org(tmp_path / "org", rows="key,queue\nS1,one\nS2,two\nS3,three\n")  # defaults filled by the server

    preview = ok(org_run(emulator, check=True, diff=True, org_dir=org))
    assert preview["changed"] is True and emulator.module_writes() == [] and tables(emulator) == {}
    assert counts(preview)["datatables"]["create"] == 1 and counts(preview)["datatable_rows"]["create"] == 3

    applied = ok(org_run(emulator, org_dir=org))
    assert applied["changed"] is True
    assert stored_rows(emulator)["S2"] == {"key": "S2", "queue": "two", "open": True, "priority": 5}
    assert tables(emulator)["storeRouting"]["description"] == TABLE["description"]
    emulator.clear_requests()

    again = ok(org_run(emulator, org_dir=org))
    assert again["changed"] is False and emulator.module_writes() == []
    # the floor: the org, the table list, one page of rows
    assert len([r for r in emulator.module_requests() if "/datatables" in r["path"]]) == 2


def test_a_removed_property_is_refused_in_the_preview_naming_the_table_and_the_way_out(emulator, tmp_path):
    org = write_org(tmp_path / "org")
    ok(org_run(emulator, org_dir=org))
    fewer = dict(TABLE, properties=TABLE["properties"][:2])
    write_org(tmp_path / "org", table=fewer)
    emulator.clear_requests()

    result = org_run(emulator, check=True, org_dir=org)

    assert result.get("failed") is True and emulator.module_writes() == []
    assert "data table 'storeRouting': property priority is stored but not in properties" in result["msg"]
    assert "create a new table" in result["msg"]


def test_a_purge_deletes_the_one_row_the_file_no_longer_names(emulator, tmp_path):
    org = write_org(tmp_path / "org")
    ok(org_run(emulator, org_dir=org))
    write_org(tmp_path / "org", rows="key,queue,open,priority\nS1,one,true,1\nS3,three,true,3\n")
    emulator.clear_requests()

    preview = ok(org_run(emulator, check=True, org_dir=org))
    assert counts(preview)["datatable_rows"] == {"delete": 1, "create": 0, "update": 0}
    assert emulator.module_writes() == []
    ok(org_run(emulator, org_dir=org))

    assert sorted(stored_rows(emulator)) == ["S1", "S3"]
    [write] = emulator.module_writes()
    assert write["method"] == "DELETE" and write["path"].endswith("/rows/S2")


def test_without_purge_rows_no_file_names_stay_and_are_reported(emulator, tmp_path):
    org = write_org(tmp_path / "org")
    ok(org_run(emulator, org_dir=org))
    write_org(tmp_path / "org", rows="key,queue,open,priority\nS1,one,true,1\n", settings={"ignore": {}})

    preview = ok(org_run(emulator, check=True, org_dir=org))

    assert preview["changed"] is False
    assert "not managed here: 2 rows of data table 'storeRouting' that no file names (no purge): S2, S3" in \
        preview["summary"]["lines"]


def test_an_export_previews_unchanged(emulator, tmp_path):
    ok(org_run(emulator, org_dir=write_org(tmp_path / "org")))
    exported = tmp_path / "exported"
    export(emulator, exported)
    written = yaml.safe_load((exported / "datatables" / "storeRouting.yml").read_text())
    assert written["properties"][1] == {"name": "open", "type": "boolean", "default": True}
    rows = [json.loads(line) for line in (exported / "datatable_rows" / "storeRouting.jsonl").read_text().splitlines()]
    assert rows[1] == {"key": "S2", "queue": "two", "open": False, "priority": 2}
    assert yaml.safe_load((exported / "org.yml").read_text())["datatable_rows"] == {"storeRouting": {"purge": True}}
    emulator.clear_requests()

    preview = ok(org_run(emulator, check=True, org_dir=str(exported), fail_on_unmanaged=True))

    assert preview["changed"] is False, preview["summary"]
    assert emulator.module_writes() == []


def test_a_saved_plan_is_applied_and_refused_once_a_row_changed_underneath(emulator, tmp_path):
    org = write_org(tmp_path / "org")
    saved = tmp_path / "plan.json"
    ok(org_run(emulator, check=True, org_dir=org, plan_json=str(saved)))
    assert any(change["kind"] == "datatable_rows" for change in json.loads(saved.read_text())["changes"])
    applied = ok(org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert applied["changed"] is True and sorted(stored_rows(emulator)) == ["S1", "S2", "S3"]

    write_org(tmp_path / "org", rows=CSV.replace("two", "deux"))
    ok(org_run(emulator, check=True, org_dir=org, plan_json=str(saved)))
    table_id = tables(emulator)["storeRouting"]["id"]
    emulator.api("PUT", "%s/%s/rows/S3" % (DATATABLES, table_id),
                 json={"key": "S3", "queue": "changed", "open": True, "priority": 3}, expect=200)
    emulator.clear_requests()

    refused = org_run(emulator, org_dir=org, apply_plan=str(saved))

    assert refused.get("failed") is True and emulator.module_writes() == []
    assert "storeRouting" in refused["msg"] and "rows read" in refused["msg"]


def test_a_table_not_in_the_directory_is_unmanaged_unless_ignored(emulator, tmp_path):
    ok(org_run(emulator, org_dir=write_org(tmp_path / "org")))
    emulator.api("POST", DATATABLES, expect=200, json={"name": "legacyHours", "schema": {
        "$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["key"],
        "additionalProperties": False, "properties": {"key": {"type": "string", "$id": "/properties/key"}}}})
    org = write_org(tmp_path / "org")

    drift = org_run(emulator, check=True, org_dir=org, fail_on_unmanaged=True)
    assert drift.get("failed") is True and "data table legacyHours" in drift["msg"]

    write_org(tmp_path / "org", settings={"datatable_rows": {"storeRouting": {"purge": True}},
                                           "ignore": {"datatables": ["legacy*"]}})
    quiet = ok(org_run(emulator, check=True, org_dir=org, fail_on_unmanaged=True))
    assert quiet["changed"] is False and quiet["plan"]["ignored"][0]["name"] == "legacyHours"

    write_org(tmp_path / "org")
    ok(org_run(emulator, org_dir=org, delete_unmanaged=True))
    assert sorted(tables(emulator)) == ["storeRouting"]


def test_an_overlay_replaces_the_rows_of_its_base_and_keeps_its_table(emulator, tmp_path):
    base = write_org(tmp_path / "base")
    overlay = tmp_path / "prod"
    (overlay / "datatable_rows").mkdir(parents=True)
    (overlay / "datatable_rows" / "storeRouting.jsonl").write_text('{"key": "P1", "queue": "prod"}\n')
    (overlay / "org.yml").write_text("base: ../base\n")

    ok(org_run(emulator, org_dir=str(overlay)))

    assert stored_rows(emulator) == {"P1": {"key": "P1", "queue": "prod", "open": True, "priority": 5}}
    assert tables(emulator)["storeRouting"]["description"] == TABLE["description"] and base


def test_a_playbook_configures_the_tables_of_a_directory(emulator, tmp_path):
    org = write_org(tmp_path / "org")
    run = org_playbook(emulator, tmp_path, "configure_org", org)
    assert run.rc == 0, run
    assert stored_rows(emulator)["S2"] == {"key": "S2", "queue": "two", "open": False, "priority": 2}


def test_a_bad_row_or_a_rows_file_of_no_table_is_refused_before_any_write(emulator, tmp_path):
    org = write_org(tmp_path / "org", rows="key,queue,open,priority\nS1,one,true,1\nS2,two,maybe,2\n")
    (tmp_path / "org" / "datatable_rows" / "nowhere.jsonl").write_text('{"key": "A"}\n')

    result = org_run(emulator, check=True, org_dir=org)

    assert result.get("failed") is True and emulator.module_writes() == []
    assert "datatable_rows/nowhere.jsonl: data table 'nowhere' is neither in the org nor in the directory" in result["msg"]
    assert "storeRouting.csv" in result["msg"] and "line 3" in result["msg"] and "open" in result["msg"]


def test_a_rows_file_named_like_its_table_in_another_case_is_refused(emulator, tmp_path):
    org = write_org(tmp_path / "org", settings={"ignore": {}})
    os.rename(str(tmp_path / "org" / "datatable_rows" / "storeRouting.csv"),
              str(tmp_path / "org" / "datatable_rows" / "storerouting.csv"))

    result = org_run(emulator, check=True, org_dir=org)

    assert result.get("failed") is True and emulator.module_writes() == []
    assert "storerouting.csv: the file name must match its data table's name exactly: table storeRouting" in result["msg"]
