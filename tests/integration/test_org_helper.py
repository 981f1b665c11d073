"""The org role's helpers (roles/org/files/org_as_code.py, org_export.py) as plain functions."""
import io
import json
import os
import sys

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "roles", "org", "files"))

import org_as_code  # noqa: E402
import org_export  # noqa: E402

ACME = os.path.join(REPO, "examples", "orgs", "acme")


def schema(name, *targets):
    return {"name": name, "fields": [{"name": "to_%s" % t, "type": "relationship", "relationship": {"schema": t}}
                                     for t in targets]}


def names(items):
    return [item["name"] for item in items]


def test_the_example_org_loads_every_file_with_its_format():
    org = org_as_code.load_org_directory(ACME)
    assert names(org["schemas"]) == ["customerAccounts", "regions", "serviceTiers", "supportContacts"]
    by_schema = dict((item["schema"], item) for item in org["records"])
    # JSON, JSON lines and CSV are streamed by the records module; YAML is read here.
    assert by_schema["regions"]["src"].endswith("records/regions.csv")
    assert by_schema["supportContacts"]["src"].endswith("records/supportContacts.jsonl")
    assert by_schema["customerAccounts"]["key"] == "accountNumber"  # from org.yml
    assert [r["id"] for r in by_schema["serviceTiers"]["records"]][:2] == ["tier-basic", "tier-standard"]
    assert names(org["webhooks"]) == ["account-changes", "schema-audit"]


def test_relationship_targets_come_first_and_removals_run_in_reverse():
    org = {"schemas": [schema("contacts", "accounts"), schema("accounts", "regions", "tiers"), schema("regions"),
                       schema("tiers"), dict(schema("legacy", "regions"), state="absent"),
                       dict(schema("old_contacts", "legacy"), state="absent")],
           "records": [{"schema": "contacts", "records": []}, {"schema": "regions", "records": []},
                       {"schema": "legacy", "records": [{"id": "x"}], "state": "absent"},
                       {"schema": "old_contacts", "records": [{"id": "y"}], "state": "absent"}],
           "webhooks": [{"name": "keep"}, {"name": "gone", "state": "absent"}]}
    plan = org_as_code.plan_org(org)
    assert names(plan["apply"]["schemas"]) == ["regions", "tiers", "accounts", "contacts"]
    assert [r["schema"] for r in plan["apply"]["records"]] == ["regions", "contacts"]
    assert names(plan["remove"]["schemas"]) == ["old_contacts", "legacy"]
    assert [r["schema"] for r in plan["remove"]["records"]] == ["old_contacts", "legacy"]
    assert names(plan["apply"]["webhooks"]) == ["keep"] and names(plan["remove"]["webhooks"]) == ["gone"]


def test_a_self_relationship_and_a_target_outside_the_directory_are_no_constraint():
    plan = org_as_code.plan_org({"schemas": [schema("employees", "employees", "departments_in_org")]})
    assert names(plan["apply"]["schemas"]) == ["employees"]


def test_a_relationship_cycle_is_reported_with_its_path():
    with pytest.raises(org_as_code.OrgDirectoryError) as caught:
        org_as_code.plan_org({"schemas": [schema("a", "b"), schema("b", "c"), schema("c", "a")]})
    assert "relationship cycle a -> b -> c -> a" in str(caught.value)


def test_every_problem_is_listed_at_once(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "records").mkdir()
    (tmp_path / "schemas" / "broken.yml").write_text("name: [unclosed\n")
    (tmp_path / "schemas" / "list.yml").write_text("- a\n- b\n")
    (tmp_path / "records" / "things.yml").write_text("records: nope\n")
    with pytest.raises(org_as_code.OrgDirectoryError) as caught:
        org_as_code.load_org_directory(str(tmp_path))
    problems = caught.value.problems
    assert len(problems) == 3
    assert any("broken.yml: not valid YAML" in p for p in problems)
    assert any("list.yml: must hold one mapping" in p for p in problems)
    assert any("things.yml: must hold a list of records" in p for p in problems)


def test_duplicate_names_and_record_sets_without_records_are_refused():
    problems = org_as_code.validate_org({"schemas": [{"name": "A"}, {"name": "a"}, {}],
                                         "records": [{"schema": "a"}], "webhooks": []})
    assert problems == ["schemas[1]: name a is also used by schemas[0]", "schemas[2]: needs a name",
                        "records[0] (a): needs records or src"]


def test_variables_replace_directory_items_of_the_same_name():
    loaded = {"schemas": [{"name": "regions", "description": "file"}, {"name": "tiers"}],
              "records": [{"schema": "regions", "src": "x.csv"}], "webhooks": []}
    merged = org_as_code.merge_org(loaded, schemas=[{"name": "Regions", "description": "var"}],
                                   records=[{"schema": "regions", "records": []}])
    assert merged["schemas"] == [{"name": "tiers"}, {"name": "Regions", "description": "var"}]
    assert merged["records"] == [{"schema": "regions", "records": []}]


def test_export_format_is_stable_ordered_and_without_server_bookkeeping():
    state = {
        "schemas": [{"name": "regions", "description": None, "fields": [
            {"unique": True, "type": "string", "name": "code", "required": True, "options": None}]}],
        "records": {"regions": [{"id": "r2", "code": "eu", "version": 3, "dateCreated": "t", "dateModified": "t"},
                                {"id": "r1", "code": "us", "version": 1}], "empty": []},
        "webhooks": [{"name": "audit / all", "endpoint": "https://a.example", "event_types": ["b", "a"],
                      "enabled": True, "headers": {"X": "y"}}],
        "with_headers": False,
    }
    files = org_export.export_files(state)
    assert sorted(files) == ["records/regions.jsonl", "schemas/regions.yml", "webhooks/audit_all.yml"]
    assert files["schemas/regions.yml"] == ("---\nname: regions\nfields:\n- name: code\n  type: string\n"
                                            "  required: true\n  unique: true\n")
    assert files["records/regions.jsonl"] == '{"code": "us", "id": "r1"}\n{"code": "eu", "id": "r2"}\n'
    assert yaml.safe_load(files["webhooks/audit_all.yml"]) == {
        "name": "audit / all", "endpoint": "https://a.example", "event_types": ["a", "b"], "enabled": True}
    assert org_export.export_files(state) == files


def test_the_command_line_answers_json_and_fails_with_the_problems():
    out = io.StringIO()
    assert org_as_code.main(["x", "plan"], io.StringIO(json.dumps({"dir": ACME})), out) == 0
    plan = json.loads(out.getvalue())
    assert names(plan["apply"]["schemas"]) == ["regions", "serviceTiers", "customerAccounts", "supportContacts"]
    assert plan["counts"] == {"schemas": 4, "records": 4, "webhooks": 2}
    out = io.StringIO()
    assert org_as_code.main(["x", "plan"], io.StringIO(json.dumps({"dir": "/nonexistent/org"})), out) == 1
    answer = json.loads(out.getvalue())
    assert answer["failed"] and "/nonexistent/org: no such directory" in answer["msg"]


def test_the_summary_counts_per_kind_and_flags_refusals_and_pending_items():
    summary = org_as_code.summarize({
        "existing_schemas": ["regions"], "existing_webhooks": ["Audit"],
        "schemas": [
            {"item": {"name": "regions"}, "action": "update", "changes": {"type_changes": []}},
            {"item": {"name": "tiers"}, "failed": False, "code": None, "msg": "refused",
             "problems": ["fields[2].type: ... set allow_unsafe_type_changes: true ..."]},
            {"item": {"name": "accounts", "depends_on": ["plans"]}, "skipped": True},
            {"item": {"name": "old"}, "action": "delete"},
        ],
        "records": [{"item": {"schema": "regions"}, "created": 2, "updated": 1, "deleted": 0},
                    {"item": {"schema": "accounts", "count": 24}, "skipped": True}],
        "webhooks": [{"changed": True}, {"changed": False}, {"changed": True}],
        "webhooks_applied": ["audit", "crm"], "webhooks_removed": ["legacy"],
    })
    assert summary["counts"] == {"schemas": {"create": 1, "update": 1, "delete": 1},
                                 "records": {"create": 26, "update": 1, "delete": 0},
                                 "webhooks": {"create": 0, "update": 1, "delete": 1}}
    assert summary["lines"][0] == "schemas: create 1, update 1, delete 1"
    assert summary["flags"] == ["UNSAFE schema change tiers: fields[2].type: ... set allow_unsafe_type_changes: true ..."]
    assert any("schema accounts: previewed from its definition (it refers to plans" in n for n in summary["notes"])
    assert summary["changed"] is True


def test_the_plan_hands_the_resource_roles_only_their_options_in_order():
    org = {"schemas": [dict(schema("accounts", "regions"), owner="team-a"), schema("regions"),
                       dict(schema("legacy"), state="absent", force=True)],
           "records": [{"schema": "accounts", "records": [], "key": "code", "state": "present"},
                       {"schema": "legacy", "records": [{"id": "x"}], "state": "absent"}],
           "webhooks": [{"name": "keep", "endpoint": "https://a.example", "secret": "s"},
                        {"name": "gone", "state": "absent"}]}
    roles = org_as_code.plan_org(org)["roles"]
    assert names(roles["apply"]["schemas"]) == ["regions", "accounts"]
    assert all(set(item) <= {"name", "fields"} for item in roles["apply"]["schemas"])  # no depends_on, owner
    assert roles["remove"]["schemas"] == [{"name": "legacy", "fields": [], "state": "absent", "force": True}]
    assert roles["apply"]["records"] == [{"schema": "accounts", "records": [], "key": "code"}]  # no count
    assert roles["remove"]["records"] == [{"schema": "legacy", "records": [{"id": "x"}], "state": "absent"}]
    assert roles["apply"]["webhooks"] == [{"name": "keep", "endpoint": "https://a.example", "secret": "s"}]
    assert roles["remove"]["webhooks"] == [{"name": "gone", "state": "absent"}]


def test_the_summary_reads_the_results_the_resource_roles_register():
    accounts = schema("accounts", "regions")
    summary = org_as_code.summarize({
        "existing_schemas": [], "existing_webhooks": [], "check_mode": True,
        "schemas": [{"item": schema("regions"), "action": "create", "changes": {"type_changes": []}},
                    {"item": accounts, "action": "create", "changes": {"type_changes": []}}],
        "records": [{"custom_object_data_item": {"schema": "regions", "records": []}, "created": 6,
                     "updated": 0, "deleted": 0}],
        "webhooks": [{"webhooks_index": 0, "changed": True}],
        "webhooks_applied": ["audit"], "webhooks_removed": [],
    })
    assert summary["lines"][:3] == ["schemas: create 2, update 0, delete 0", "records: create 6, update 0, delete 0",
                                    "webhooks: create 1, update 0, delete 0"]
    assert summary["notes"] == ["schema accounts: previewed as if regions (created in this run) existed",
                                "records of regions: 6 to create (the schema is created in this run)"]
