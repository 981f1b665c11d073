"""The org directory (plugin_utils/org_directory.py) and export format (org_export.py) as plain functions."""
import os

import pytest
import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema import order as schema_order
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import files as record_files
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ACME = os.path.join(REPO, "examples", "orgs", "acme")


def schema(name, *targets, **extra):
    data = {"name": name, "fields": [{"name": "to_%s" % t, "type": "relationship", "relationship": {"schema": t}}
                                     for t in targets]}
    data.update(extra)
    return data


def names(items):
    return [item.name for item in items]


def test_the_example_org_loads_every_file_with_its_format():
    org = od.load_org(ACME)
    assert names(org["schemas"]) == ["regions", "serviceTiers", "customerAccounts", "supportContacts"]
    by_schema = dict((item.name, item) for item in org["records"])
    assert by_schema["regions"].params["src"].endswith("records/regions.csv")
    assert by_schema["supportContacts"].params["src"].endswith("records/supportContacts.jsonl")
    assert by_schema["customerAccounts"].params["key"] == "accountNumber"  # from org.yml
    assert [r["id"] for r in by_schema["serviceTiers"].params["records"]][:2] == ["tier-basic", "tier-standard"]
    assert names(org["webhooks"]) == ["account-changes", "schema-audit"]


def test_relationship_targets_come_first_in_levels_and_a_target_outside_is_no_constraint():
    org = od.load_org(schemas=[schema("contacts", "accounts"), schema("accounts", "regions", "tiers"),
                               schema("regions"), schema("tiers"), schema("employees", "employees", "elsewhere")])
    assert names(org["schemas"]) == ["regions", "tiers", "accounts", "contacts", "employees"]
    levels, _ = schema_order.schema_levels(org["schemas"])
    assert [names(level) for level in levels] == [["regions", "tiers", "employees"], ["accounts"], ["contacts"]]


def test_a_relationship_cycle_is_reported_with_its_path():
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(schemas=[schema("a", "b"), schema("b", "c"), schema("c", "a")])
    assert "relationship cycle a -> b -> c -> a" in str(caught.value)


def test_every_problem_of_every_file_is_listed_at_once(tmp_path):
    for folder in ("schemas", "records", "webhooks"):
        (tmp_path / folder).mkdir()
    (tmp_path / "schemas" / "broken.yml").write_text("name: [unclosed\n")
    (tmp_path / "schemas" / "list.yml").write_text("- a\n- b\n")
    (tmp_path / "schemas" / "typo.yml").write_text("name: typo\nfeilds: []\n")
    (tmp_path / "schemas" / "bad.yml").write_text("name: bad\nfields: [{name: x, type: text}]\npurge_fields: maybe\n")
    (tmp_path / "records" / "things.yml").write_text("records: nope\n")
    (tmp_path / "webhooks" / "hook.yml").write_text("name: hook\nendpoint: ftp://x\nevent_types: [nope]\n")
    (tmp_path / "org.yml").write_text("recrods: {}\n")
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(str(tmp_path))
    text = "\n".join(caught.value.problems)
    assert "broken.yml: not valid YAML" in text
    assert "list.yml: must hold one mapping" in text
    assert "things.yml: must hold a list of records" in text
    assert "org.yml: unknown key recrods (did you mean records?)" in text
    # load errors stop before the item checks; fix them and the item problems come all at once
    for name in ("broken.yml", "list.yml"):
        (tmp_path / "schemas" / name).unlink()
    (tmp_path / "records" / "things.yml").unlink()
    (tmp_path / "org.yml").unlink()
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(str(tmp_path))
    text = "\n".join(caught.value.problems)
    assert "typo.yml: unknown key feilds (did you mean fields?)" in text
    assert "bad.yml: " in text and "purge_fields" in text
    assert "hook.yml: " in text and "endpoint" in text


def test_duplicate_names_are_refused_and_variables_replace_files():
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(schemas=[{"name": "A"}, {"name": "a"}])
    assert caught.value.problems == ["schemas[1] (variable): schema a is also defined in schemas[0] (variable)"]
    loaded = {"schemas": [od.Item("schemas", "f1", {"name": "regions", "description": "file"}),
                          od.Item("schemas", "f2", {"name": "tiers"})], "records": [], "webhooks": []}
    merged = od.merge_org(loaded, schemas=[{"name": "Regions", "description": "var"}])
    assert [(i.name, i.data.get("description")) for i in merged["schemas"]] == [("tiers", None), ("Regions", "var")]


def test_a_record_file_is_checked_against_its_schema_with_the_file_and_line(tmp_path):
    path = tmp_path / "regions.jsonl"
    path.write_text('{"id": "r1", "code": "eu"}\n{"id": "r2", "code": 7, "colour": "red"}\n')
    item = od.Item("records", str(path), {"schema": "regions", "src": str(path)})
    assert od.check_item(item) == []
    problems = record_files.check_records(item, record_files.schema_fields([{"name": "code", "type": "string"}]))
    assert len(problems) == 2 and all("regions.jsonl line 2" in p for p in problems), problems
    path.write_text('{"id": "r1", "code": "eu"}\n{"id": "r2", "co')
    assert "regions.jsonl" in record_files.check_records(item, record_files.schema_fields([{"name": "code", "type": "string"}]))[0]


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
    # a name that is no plain file name gets a digest of itself: two such names never share a file
    assert sorted(files) == ["records/regions.jsonl", "schemas/regions.yml", "webhooks/audit_all-c8f582296be1.yml"]
    assert files["schemas/regions.yml"] == ("---\nname: regions\nfields:\n- name: code\n  type: string\n"
                                            "  required: true\n  unique: true\n")
    assert files["records/regions.jsonl"] == '{"code": "us", "id": "r1"}\n{"code": "eu", "id": "r2"}\n'
    assert yaml.safe_load(files["webhooks/audit_all-c8f582296be1.yml"]) == {
        "name": "audit / all", "endpoint": "https://a.example", "event_types": ["a", "b"], "enabled": True}
    assert org_export.export_files(state) == files

