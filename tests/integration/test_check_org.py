"""playbooks/check_org.yml against the emulator: what a user runs on their own org to settle what
REAL_API.md leaves unknown. Read-only by default; with genesys_check_writes it writes only into its
scratch table and schema, measures the answers the emulator is told to give, and removes them."""
import json
import os

import pytest

from tests.conftest import REPO
from tests.support.playbook import run_playbook

PLAYBOOK = os.path.join(REPO, "playbooks", "check_org.yml")
TABLES = "/api/v2/flows/datatables"
SCHEMAS = "/api/v2/taskmanagement/workitems/schemas"
UNKNOWNS = ["read_after_create", "schema_stale_version", "trigger_stale_version", "datatable_removal_on_empty_table",
            "row_exists_code", "server_filled_defaults", "deleted_schema_name", "schema_change_with_workitems",
            "datatable_limits", "workitem_schema_limits", "trigger_topics", "published_workflows"]


def table_body(name):
    return {"name": name, "schema": {
        "$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["key"],
        "additionalProperties": False,
        "properties": {"key": {"title": "Key", "type": "string"}, "queue": {"title": "Queue", "type": "string"}}}}


def schema_body(name):
    return {"name": name, "enabled": True, "jsonSchema": {"properties": {
        "policy_identifier": {"allOf": [{"$ref": "#/definitions/identifier"}], "title": "Policy"}}}}


@pytest.fixture
def others(emulator):
    """The user's own objects, one of them named with the scratch prefix: check_org must leave them all alone."""
    created = {"tables": [], "schemas": []}
    for name in ("storeRouting", "ansible-check-mine"):
        created["tables"].append(emulator.api("POST", TABLES, json=table_body(name), expect=200).json())
    emulator.api("POST", TABLES + "/%s/rows" % created["tables"][0]["id"], json={"key": "S1", "queue": "q"}, expect=200)
    for name in ("claimDetails", "ansible-check-schemas"):
        created["schemas"].append(emulator.api("POST", SCHEMAS, json=schema_body(name), expect=200).json())
    emulator._ctl("POST", "/workflows", {"name": "Escalate claim", "published": True})
    emulator._ctl("POST", "/workflows", {"name": "Draft", "published": False})
    return created


def snapshot(emulator):
    state = emulator.state()
    return {key: state.get(key) for key in ("datatables", "datatable_rows", "workitem_schemas", "triggers")}


def check_org(emulator, tmp_path, check=False, **extra):
    report = tmp_path / ("report%d.json" % len(list(tmp_path.glob("report*.json"))))
    extra_vars = dict(extra, genesys_check_report=str(report))
    run = run_playbook(PLAYBOOK, env=emulator.env, extra_vars=extra_vars, workdir=str(tmp_path / report.stem),
                       check=check)
    assert run.rc == 0, run
    findings = json.loads(report.read_text())
    assert [item["id"] for item in findings["unknowns"]] == UNKNOWNS
    lines = [result["msg"] for result in run.task("Show one line per unknown")["results"]]
    assert lines == ["unknown: %s — found: %s" % (item["unknown"], item["found"]) for item in findings["unknowns"]]
    return findings, dict((item["id"], item) for item in findings["unknowns"])


def writes_outside(emulator, others):
    """Mutating requests that name one of the user's own objects by id."""
    own_ids = [item["id"] for item in others["tables"] + others["schemas"]]
    return [entry for entry in emulator.module_writes() if any(own in entry["path"] for own in own_ids)]


@pytest.mark.parametrize("check", [False, True], ids=["run", "check-mode"])
def test_a_read_only_run_writes_nothing_and_reports_every_unknown(emulator, others, tmp_path, check):
    before = snapshot(emulator)
    emulator.clear_requests()
    report, found = check_org(emulator, tmp_path, check=check)
    assert emulator.module_writes() == []
    assert snapshot(emulator) == before
    assert report["writes"] is False and report["org"] == emulator.url.split("//")[1]
    for name in ("read_after_create", "schema_stale_version", "datatable_removal_on_empty_table", "row_exists_code",
                 "server_filled_defaults", "deleted_schema_name"):
        assert found[name]["found"].startswith("not measured: a read-only run"), name
        assert found[name]["settled"] is False
    assert found["datatable_limits"]["found"].startswith("2 tables (limit 200), the widest with 1 properties")
    assert found["workitem_schema_limits"]["found"] == "100 schemas an org, 50 fields a schema; 2 live schemas, 0 deleted ones kept"
    assert found["workitem_schema_limits"]["settled"] is True
    assert found["trigger_topics"]["found"].startswith("6 topics (for example v2.")
    assert found["published_workflows"]["found"] == "2 workflows, 1 published"


def test_a_writes_run_measures_the_answers_it_is_given_and_removes_its_scratch_objects(emulator, others, tmp_path):
    emulator._ctl("POST", "/read_after_create", {"reads": 2})
    emulator._ctl("POST", "/stale_version", {"kind": "workitem_schema", "status": 400})
    before = snapshot(emulator)
    emulator.clear_requests()
    report, found = check_org(emulator, tmp_path, genesys_check_writes=True)
    assert report["scratch"] == {"table": "ansible-check-table", "schema": "ansible-check-schema", "kept": False}
    assert found["read_after_create"] == dict(
        found["read_after_create"], settled=True,
        found="a new data table answered 2 404s to reads by id before 200, a new workitem schema 2")
    assert found["schema_stale_version"]["found"] == "400 whose message says the version does not match the current version"
    assert found["datatable_removal_on_empty_table"]["found"] == (
        "refused on an empty table too: 400 flows.datatables.schema.exception")
    assert found["row_exists_code"]["found"] == "409 flows.datatables.row.exists"
    assert found["server_filled_defaults"]["found"] == (
        'a row given as {"key": "check"} was stored as {"count": 0, "key": "check", "label": "n/a", "open": false, '
        '"spare": ""}; writing it again changed nothing')
    assert found["deleted_schema_name"]["found"] == "a deleted schema reads 200 with deleted: true; its name was free at once"

    # Only its scratch objects were written, and none is left; the user's objects are as they were.
    assert writes_outside(emulator, others) == []
    after = snapshot(emulator)
    assert after["datatables"] == before["datatables"] and after["datatable_rows"] == before["datatable_rows"]
    live = [schema for schema in after["workitem_schemas"] if not schema.get("deleted")]
    assert live == [schema for schema in before["workitem_schemas"]]
    scratch = [schema["name"] for schema in after["workitem_schemas"] if schema.get("deleted")]
    assert scratch == ["ansible-check-schema", "ansible-check-schema"]  # soft-deleted: the measured one and the reused name


def test_a_kept_run_reports_409_and_the_cleanup_run_removes_only_the_scratch_objects(emulator, others, tmp_path):
    emulator._ctl("POST", "/stale_version", {"kind": "workitem_schema", "status": 409})
    report, found = check_org(emulator, tmp_path, genesys_check_writes=True, genesys_check_keep=True,
                              genesys_check_scratch_prefix="zz_probe-")
    assert found["schema_stale_version"]["found"] == "409 version.mismatch"
    assert found["read_after_create"]["found"] == (
        "a new data table answered 0 404s to reads by id before 200, a new workitem schema 0")
    assert report["scratch"] == {"table": "zz_probe-table", "schema": "zz_probe-schema", "kept": True}
    tables = [table["name"] for table in emulator.all_pages(TABLES)]
    assert sorted(tables) == ["ansible-check-mine", "storeRouting", "zz_probe-table"]

    emulator.clear_requests()
    check_org(emulator, tmp_path, genesys_check_cleanup=True, genesys_check_scratch_prefix="zz_probe-")
    deletes = emulator.module_writes()
    assert [entry["method"] for entry in deletes] == ["DELETE", "DELETE"]
    assert writes_outside(emulator, others) == []
    assert sorted(table["name"] for table in emulator.all_pages(TABLES)) == ["ansible-check-mine", "storeRouting"]


@pytest.mark.parametrize("prefix", ["", "a", "acme", "x" * 41, "ab*-", "-ab-"])
def test_a_prefix_that_could_name_other_objects_is_refused_before_anything(emulator, tmp_path, prefix):
    emulator.clear_requests()
    run = run_playbook(PLAYBOOK, env=emulator.env, workdir=str(tmp_path),
                       extra_vars={"genesys_check_writes": True, "genesys_check_scratch_prefix": prefix})
    assert run.rc != 0 and "genesys_check_scratch_prefix must be 3 to 40" in run.stdout
    assert emulator.module_requests() == []


def test_an_access_token_from_the_environment_serves_the_reads_and_never_shows(emulator, others, tmp_path):
    token = emulator.http.post(emulator.url + "/oauth/token", data={"grant_type": "client_credentials"},
                               auth=(emulator.client_id, emulator.client_secret), timeout=30).json()["access_token"]
    emulator.clear_requests()
    env = {"GENESYSCLOUD_API_URL": emulator.url, "GENESYSCLOUD_ACCESS_TOKEN": token,
           "GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": ""}
    report = tmp_path / "report.json"
    run = run_playbook(PLAYBOOK, env=env, workdir=str(tmp_path), extra_vars={"genesys_check_report": str(report)})
    assert run.rc == 0, run
    assert emulator.token_requests() == [] and emulator.module_writes() == []
    found = dict((item["id"], item) for item in json.loads(report.read_text())["unknowns"])
    assert found["published_workflows"]["found"] == "2 workflows, 1 published"
    assert token not in run.stdout + run.stderr + json.dumps(run.records)


def test_measuring_writes_in_check_mode_is_refused_before_anything(emulator, tmp_path):
    emulator.clear_requests()
    run = run_playbook(PLAYBOOK, env=emulator.env, workdir=str(tmp_path), check=True,
                       extra_vars={"genesys_check_writes": True})
    assert run.rc != 0 and "genesys_check_writes=true measures what the org answers to real writes" in run.stdout
    assert emulator.module_requests() == []
