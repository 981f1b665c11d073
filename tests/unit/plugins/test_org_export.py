"""The export's selection (org_export_scope), its folder handling (org_export_files) and planning
(org_export), as plain functions over a state like the one read_org returns."""
import os
import shutil
import stat

import pytest
import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records.export_scope import records_option, records_problems
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema import export as schema_export
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import export as records_export
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import NAMES
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_scope import (
    Scope, filter_option, select)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ACME = os.path.join(REPO, "examples", "orgs", "acme")


def select_of(scope, schemas, webhooks):
    """``(schemas, webhooks, pulled_in, warnings)`` of org_export_scope.select."""
    chosen, pulled_in, warnings = select(scope, {"schemas": schemas, "webhooks": webhooks})
    return chosen["schemas"], chosen["webhooks"], pulled_in, warnings


def schema(name, *targets):
    fields = [{"name": "code", "type": "string", "required": True, "unique": True}]
    fields += [{"name": "to_" + t, "type": "relationship", "required": False, "unique": False,
                "relationship": {"schema": t, "field": "code"}} for t in targets]
    return {"name": name, "description": "", "fields": fields}


def hook(name, headers=None):
    return {"name": name, "endpoint": "https://hooks.example/" + name, "event_types": ["b.changed", "a.changed"],
            "enabled": True, "headers": headers or {}, "filter": None}


def state_of(schemas, webhooks, records, scope=None):
    scope = scope or Scope()
    exported, hooks, pulled_in, warnings = select_of(scope, schemas, webhooks)
    names = set(s["name"].lower() for s in exported)
    others = dict((name, []) for name in NAMES if name not in ("schemas", "records", "webhooks"))  # none of those
    return dict(others, schemas=exported, webhooks=hooks, pulled_in=pulled_in, warnings=warnings, names=names,
                records=dict((n, r) for n, r in records.items() if n.lower() in names and scope.covers("records", n, names)))


def export(directory, state, scope=None, check_mode=False, diff=False, with_headers=True, settings=None):
    plan = org_export.plan_export(state, str(directory), settings or {}, with_headers, None, scope or Scope())
    assert plan.problems == []
    return org_export.apply_plan(plan, scope or Scope(), state["names"], check_mode, diff)


# -- selection ---------------------------------------------------------------------------------------
def test_include_names_kinds_and_patterns_match_without_case():
    schemas = [schema("regions"), schema("Customers", "regions"), schema("tiers")]
    webhooks = [hook("audit"), hook("test-one")]
    exported, hooks, pulled, warnings = select_of(Scope(include={"schemas": ["REG*"]}), schemas, webhooks)
    assert [s["name"] for s in exported] == ["regions"] and hooks == [] and pulled == {} and warnings == []
    exported, hooks, _, _ = select_of(Scope(exclude={"webhooks": ["test-*"]}), schemas, webhooks)
    assert len(exported) == 3 and [h["name"] for h in hooks] == ["audit"]
    _, _, _, warnings = select_of(Scope(include={"schemas": ["regoins"]}), schemas, webhooks)
    assert warnings == ["include.schemas: regoins matches no schema of the org"]


def test_filter_options_name_unknown_kinds_and_bad_patterns():
    assert filter_option("include", {"schemas": "reg*", "webhooks": None}) == ({"schemas": ["reg*"]}, [])
    _, problems = filter_option("include", {"schema": ["a"], "webhooks": ["", 3]})
    assert problems == ["include: unknown kind schema (did you mean schemas?); the kinds are schemas, webhooks, "
                        "workitem_schemas, triggers and datatables",
                        "include.webhooks[0]: must be a name pattern (a non-empty string)",
                        "include.webhooks[1]: must be a name pattern (a non-empty string)"]
    assert filter_option("exclude", ["a"])[1] == [
        "exclude: must map kinds (schemas, webhooks, workitem_schemas, triggers, datatables) to lists of name patterns, not list"]


def test_relationship_targets_are_pulled_in_transitively_unless_excluded():
    schemas = [schema("a", "b"), schema("b", "c"), schema("c"), schema("d")]
    exported, _, pulled, warnings = select_of(Scope(include={"schemas": ["a"]}), schemas, [])
    assert [s["name"] for s in exported] == ["a", "b", "c"]
    assert pulled == {"b": ["a"], "c": ["b"]} and warnings == []
    exported, _, pulled, warnings = select_of(Scope(include={"schemas": ["a"]}, exclude={"schemas": ["b"]}), schemas, [])
    assert [s["name"] for s in exported] == ["a"] and pulled == {}
    assert warnings == ["schema a relates to schema b, which exclude leaves out: the export applies only to an org "
                        "that has b"]


def test_the_records_option_takes_booleans_lists_and_comma_separated_names():
    assert records_option(True) is True and records_option("no") is False and records_option("yes") is True
    assert records_option(["regions", " tiers "]) == ["regions", "tiers"]
    assert records_option("regions,tiers") == ["regions", "tiers"]
    with pytest.raises(ValueError, match=r"records\[1\]: must be a schema name"):
        records_option(["regions", 3])
    with pytest.raises(ValueError, match="must be true, false or a list"):
        records_option({"regions": True})
    assert records_problems(["regoins"], [schema("regions")]) == [
        "records: regoins names no exported schema (exported: regions)"]


# -- formats and meaning ---------------------------------------------------------------------------
RECORDS = [{"id": "r2", "code": "eu", "hours": 8, "vip": True, "since": "2020-01-02", "version": 3},
           {"id": "r1", "code": "us, east", "hours": 2.5, "vip": False}]
TYPES = {"code": "string", "hours": "number", "vip": "boolean", "since": "date"}


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".yml", ".yaml"])
def test_records_written_in_any_format_read_back_to_the_same_meaning(tmp_path, suffix):
    path = tmp_path / ("regions" + suffix)
    path.write_text(records_export.render_records(RECORDS, suffix, "id"))
    assert records_export.records_meaning(records_export.read_records(ef, str(path), TYPES), TYPES, "id") == records_export.records_meaning(
        RECORDS, TYPES, "id")
    changed = [dict(RECORDS[0], hours=9), RECORDS[1]]
    assert records_export.records_meaning(records_export.read_records(ef, str(path), TYPES), TYPES, "id") != records_export.records_meaning(
        changed, TYPES, "id")


def test_a_csv_file_keeps_its_column_order_and_a_yaml_file_its_options(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("vip,code,id\n")
    text = records_export.render_records(RECORDS, ".csv", "id", header=ef.csv_header(str(path)))
    assert text.splitlines()[0] == "vip,code,id,hours,since"
    assert text.splitlines()[1] == 'false,"us, east",r1,2.5,'
    kept = records_export.render_records(RECORDS, ".yml", "id", previous={"purge": True, "records": []})
    assert yaml.safe_load(kept)["purge"] is True and len(yaml.safe_load(kept)["records"]) == 2


def test_records_matched_by_another_key_are_written_without_ids():
    text = records_export.render_records(RECORDS, ".json", "code")
    assert '"id"' not in text and text.index('"eu"') < text.index('"us, east"')


def test_a_commented_schema_file_means_the_same_as_its_export():
    with open(os.path.join(ACME, "schemas", "regions.yml")) as handle:
        text = handle.read()
    assert text.startswith("---\n# ")
    mine = schema_export.schema_meaning(yaml.safe_load(text), "regions")
    exported = schema_export.export_schema(dict(yaml.safe_load(text)))
    assert schema_export.schema_meaning(yaml.safe_load(exported), "regions") == mine
    changed = yaml.safe_load(text)
    changed["fields"][0]["max_length"] = 17
    assert schema_export.schema_meaning(changed, "regions") != mine


def test_yaml_aliases_symlinks_and_large_files_are_never_read(tmp_path):
    assert ef.safe_yaml("a: &x [1]\nb: *x\n") is None
    outside = tmp_path / "outside.yml"
    outside.write_text("name: AWS_KEY=AKIAEXAMPLE\n")
    (tmp_path / "schemas").mkdir()
    os.symlink(str(outside), str(tmp_path / "schemas" / "link.yml"))
    assert ef.read_text(str(tmp_path / "schemas" / "link.yml"), 1 << 20) is None
    assert ef.scan(str(tmp_path))["schemas"] == {}
    (tmp_path / "schemas" / "big.yml").write_text("name: big\n" + "#" * (ef.DEFINITION_LIMIT + 1))
    assert ef.read_text(str(tmp_path / "schemas" / "big.yml"), ef.DEFINITION_LIMIT) is None


# -- the folder ---------------------------------------------------------------------------------------
def test_other_files_stay_and_only_manifest_files_of_gone_objects_are_removed(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / ".gitkeep").write_text("")
    (tmp_path / "README.md").write_text("# our org\n")
    state = state_of([schema("regions"), schema("tiers")], [hook("audit", {"X-Key": "k"}), hook("old")],
                     {"regions": [{"id": "r1", "code": "eu"}]})
    first = export(tmp_path, state)
    assert first["removed"] == [] and ef.MANIFEST in first["written"]
    assert stat.S_IMODE(os.stat(str(tmp_path / "webhooks" / "audit.yml")).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(tmp_path / "webhooks" / "old.yml")).st_mode) == 0o644
    (tmp_path / "webhooks" / "mine.yml").write_text("name: mine\nendpoint: https://x.example\nevent_types: [a]\n")

    again = state_of([schema("regions")], [hook("audit", {"X-Key": "k"})], {})
    second = export(tmp_path, again)
    assert sorted(second["removed"]) == ["records/regions.jsonl", "schemas/tiers.yml", "webhooks/old.yml"]
    assert sorted(os.listdir(str(tmp_path / "records"))) == [".gitkeep"]
    assert (tmp_path / "README.md").exists() and (tmp_path / "webhooks" / "mine.yml").exists()
    assert export(tmp_path, again) == {"written": [], "removed": [], "diff": []}


def test_a_file_that_already_defines_an_object_is_updated_in_place_or_left_alone(tmp_path):
    shutil.copytree(ACME, str(tmp_path / "acme"))
    directory = tmp_path / "acme"
    (directory / "schemas" / "regions.yml").rename(directory / "schemas" / "areas.yml")
    loaded = dict((name, yaml.safe_load((directory / "schemas" / (name + ".yml")).read_text()))
                  for name in ("serviceTiers",))
    loaded["regions"] = yaml.safe_load((directory / "schemas" / "areas.yml").read_text())
    loaded["regions"]["fields"].append({"name": "hotline", "type": "string"})
    state = state_of([loaded["regions"], loaded["serviceTiers"]], [], {})
    before = (directory / "schemas" / "serviceTiers.yml").read_text()
    outcome = export(directory, state, diff=True)
    assert "schemas/areas.yml" in outcome["written"] and not (directory / "schemas" / "regions.yml").exists()
    assert "hotline" in (directory / "schemas" / "areas.yml").read_text()
    assert (directory / "schemas" / "serviceTiers.yml").read_text() == before  # comments and all
    assert [entry["after_header"] for entry in outcome["diff"]] == ["schemas/areas.yml"]


def test_check_mode_writes_nothing_and_the_diff_masks_header_values(tmp_path):
    state = state_of([], [hook("audit", {"Authorization": "Bearer s3cr3t-value"})], {})
    outcome = export(tmp_path, state, check_mode=True, diff=True)
    assert outcome["written"] == [ef.MANIFEST, "webhooks/audit.yml"] and os.listdir(str(tmp_path)) == []
    shown = str(outcome["diff"])
    assert "Authorization" in shown and "s3cr3t-value" not in shown


def test_a_folder_that_is_templated_or_an_overlay_is_refused(tmp_path):
    (tmp_path / "org.yml").write_text("templated: true\n")
    with pytest.raises(ef.ExportError, match="templated: true"):
        org_export.destination_settings(str(tmp_path), None)
    (tmp_path / "org.yml").write_text("base: ../common\n")
    with pytest.raises(ef.ExportError, match="names base ../common"):
        org_export.destination_settings(str(tmp_path), None)
    (tmp_path / "org.yml").write_text("a: &x 1\nb: *x\n")
    with pytest.raises(ef.ExportError, match="not a readable YAML mapping"):
        org_export.destination_settings(str(tmp_path), None)


def test_an_overlay_marks_what_the_org_no_longer_has_and_names_its_base(tmp_path):
    from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_base import load_base

    common, prod = tmp_path / "common", tmp_path / "prod"
    for folder in ("schemas", "records", "webhooks"):
        (common / folder).mkdir(parents=True)
    (common / "schemas" / "a.yml").write_text(yaml.safe_dump(schema("a")))
    (common / "schemas" / "b-file.yml").write_text(yaml.safe_dump(schema("b")))
    (common / "records" / "a.json").write_text('[{"id": "x1", "code": "one"}]')
    (common / "records" / "b.csv").write_text("id,code\nb1,two\n")
    (common / "webhooks" / "h.yml").write_text(yaml.safe_dump(hook("h")))
    (common / "org.yml").write_text("records: {a: {purge: true}}\n")
    base = load_base(os.path.join(str(prod), "../common"), str(prod))
    state = state_of([schema("a"), schema("c")], [], {"a": [], "c": [{"id": "c1", "code": "three"}]})
    plan = org_export.plan_export(state, str(prod), {}, True, base, Scope())
    texts = dict((path, entry["text"]) for path, entry in plan.entries.items())
    assert sorted(texts) == ["records/a.json", "records/c.jsonl", "schemas/b-file.yml", "schemas/c.yml",
                             "webhooks/h.yml"]
    assert yaml.safe_load(texts["schemas/b-file.yml"]) == {"name": "b", "state": "absent"}
    assert yaml.safe_load(texts["webhooks/h.yml"]) == {"name": "h", "state": "absent"}
    assert texts["records/a.json"] == "[]\n"
    assert plan.warnings == ["the base's records/b.csv holds records of b, which the org no longer has; an overlay "
                             "cannot empty a .csv file: remove the records from the base, or turn it into .json"]
    settings = base.settings_files(str(prod), {})
    assert yaml.safe_load(settings["org.yml"]) == {"base": "../common", "records": {"a": {"purge": True}}}
    # Narrowed to webhooks, the overlay leaves the base's schemas and records alone.
    narrow = Scope(include={"webhooks": ["*"]})
    plan = org_export.plan_export(state_of([schema("a"), schema("c")], [], {}, narrow), str(prod), {}, True, base,
                                  narrow)
    assert sorted(plan.entries) == ["webhooks/h.yml"]


def test_an_existing_org_yml_gains_the_base_and_keeps_its_comments(tmp_path):
    from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_base import Base

    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "org.yml").write_text("---\n# prod pins its org\norganization: {name: acme-prod}\n")
    base = Base(str(tmp_path / "common"), dict(schemas={}, webhooks={}, records={}), {})
    text = base.settings_files(str(tmp_path / "prod"), {"organization": {"name": "acme-prod"}})["org.yml"]
    assert text == "---\nbase: ../common\n# prod pins its org\norganization: {name: acme-prod}\n"
    assert base.settings_files(str(tmp_path / "prod"), {"base": "../common"}) == {}
