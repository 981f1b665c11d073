"""org_export as a user runs it (playbooks/export_org.yml against the emulator): it writes only its own
files, keeps formats and comments, previews with --check --diff, exports what include/exclude/records
select, and writes an overlay of a base directory whose merge equals the full export."""
import json
import os
import shutil

import yaml

from tests.integration.test_org import ACME, org_playbook, recap_changed
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema import export as schema_export
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import export as records_export
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.webhook import export as webhook_export
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef

EXPORT_TASK = "genesys.cloud.org : Export the org"
MANIFEST = ".genesys-export.json"


def export(emulator, tmp_path, target, check=False, diff=False, **options):
    extra = dict(("genesys_export_" + key, value) for key, value in options.items())
    return org_playbook(emulator, tmp_path, "export_org", check=check, diff=diff, genesys_export_dir=str(target),
                        **extra)


def snapshot(directory):
    """Every file under ``directory`` (relative path -> bytes and mode)."""
    found = {}
    for root, _dirs, names in os.walk(str(directory)):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, str(directory))] = (handle.read(), os.stat(path).st_mode)
    return found


def change_the_org(playbook, tasks):
    run = playbook(tasks)
    assert run.rc == 0, run


def test_an_export_into_a_working_copy_keeps_other_files_formats_and_comments(emulator, playbook, tmp_path):
    assert org_playbook(emulator, tmp_path, "configure_org", ACME).rc == 0
    copy = tmp_path / "acme"
    shutil.copytree(ACME, str(copy))
    (copy / "README.md").write_text("# The acme org\n")
    (copy / "records" / ".gitkeep").write_text("")
    (copy / "webhooks" / "README.md").write_text("Webhook secrets come from Vault.\n")
    original = snapshot(copy)

    first = export(emulator, tmp_path, copy)
    assert first.rc == 0, first
    result = first.task(EXPORT_TASK)
    # Every file already means what the org holds: none is rewritten, only the manifest is new (and the
    # webhook file with a header value is made readable by its owner only). org.yml gains each record
    # set's key and purge: true, its comments kept; the sets it named no key for keep meaning "by id".
    assert result["written"] == [MANIFEST, "org.yml", "webhooks/schema-audit.yml"] and result["removed"] == []
    assert os.stat(str(copy / "webhooks" / "schema-audit.yml")).st_mode & 0o777 == 0o600
    assert "records/customerAccounts.json" in result["files"] and "records/regions.csv" in result["files"]
    now = snapshot(copy)
    assert all(now[path][0] == content for path, (content, _mode) in original.items() if path != "org.yml")
    settings = (copy / "org.yml").read_text()
    assert all(line in settings.splitlines() for line in original["org.yml"][0].decode().splitlines())
    assert yaml.safe_load(settings)["records"] == {
        "customerAccounts": {"key": "accountNumber", "purge": True}, "regions": {"key": "id", "purge": True},
        "serviceTiers": {"key": "id", "purge": True}, "supportContacts": {"key": "id", "purge": True}}
    assert export(emulator, tmp_path, copy).task(EXPORT_TASK)["changed"] is False

    change_the_org(playbook, [
        {"genesys.cloud.webhook": {"name": "schema-audit", "state": "absent"}},
        {"genesys.cloud.flex_schema": {"name": "regions", "fields": [{"name": "hotline", "type": "string"}]}},
        {"genesys.cloud.custom_object_records": {"schema": "customerAccounts", "key": "accountNumber", "records": [
            {"accountNumber": "AC-10001", "companyName": "Northwind Traders GmbH", "region": "emea-de"}]}},
    ])
    before = snapshot(copy)
    preview = export(emulator, tmp_path, copy, check=True, diff=True)
    assert preview.rc == 0, preview
    assert snapshot(copy) == before  # check mode writes nothing
    shown = preview.task(EXPORT_TASK)
    expected = ["records/customerAccounts.json", "schemas/regions.yml", "webhooks/schema-audit.yml"]
    assert sorted(shown["written"] + shown["removed"]) == sorted(expected + [MANIFEST])
    for path in expected:
        assert "--- before: %s" % path in preview.stdout, preview.stdout
    assert "Northwind Traders GmbH" in preview.stdout and "hotline" in preview.stdout
    assert "genesys-cloud" not in preview.stdout  # the audit webhook's header value is masked

    applied = export(emulator, tmp_path, copy)
    assert applied.rc == 0, applied
    assert applied.task(EXPORT_TASK)["removed"] == ["webhooks/schema-audit.yml"]
    for kept in ("README.md", "records/.gitkeep", "webhooks/README.md", "org.yml"):
        assert (copy / kept).exists(), kept
    assert not (copy / "webhooks" / "schema-audit.yml").exists()
    # The records file keeps its format (a JSON array, no ids: org.yml matches accounts by number).
    assert sorted(os.listdir(str(copy / "records"))) == sorted(
        [".gitkeep", "customerAccounts.json", "regions.csv", "serviceTiers.yml", "supportContacts.jsonl"])
    accounts = json.loads((copy / "records" / "customerAccounts.json").read_text())
    assert len(accounts) == 24 and all("id" not in record for record in accounts)
    assert [a["companyName"] for a in accounts if a["accountNumber"] == "AC-10001"] == ["Northwind Traders GmbH"]
    # Comments survive where the object did not change; the changed schema is rewritten.
    assert (copy / "schemas" / "customerAccounts.yml").read_bytes() == original["schemas/customerAccounts.yml"][0]
    assert "hotline" in (copy / "schemas" / "regions.yml").read_text()
    assert (copy / "records" / "regions.csv").read_bytes() == original["records/regions.csv"][0]

    emulator.clear_requests()
    again = org_playbook(emulator, tmp_path, "configure_org", copy)
    assert again.rc == 0, again
    assert recap_changed(again) == 0 and emulator.module_writes() == []


def test_include_of_one_schema_exports_that_schema_and_its_records_only(emulator, tmp_path):
    assert org_playbook(emulator, tmp_path, "configure_org", ACME).rc == 0
    only = tmp_path / "regions-only"
    run = export(emulator, tmp_path, only, include={"schemas": ["Regions"]})
    assert run.rc == 0, run
    assert sorted(snapshot(only)) == [MANIFEST, "org.yml", "records/regions.jsonl", "schemas/regions.yml"]
    assert sum(1 for _ in open(str(only / "records" / "regions.jsonl"))) == 6
    # a fresh export matches records by their schema's required unique field, and says purge
    assert yaml.safe_load((only / "org.yml").read_text()) == {"records": {"regions": {"key": "code", "purge": True}}}
    assert '"id"' not in (only / "records" / "regions.jsonl").read_text()
    assert run.task(EXPORT_TASK)["counts"] == {"schemas": 1, "records": 6, "webhooks": 0, "workitem_schemas": 0,
                                               "triggers": 0, "datatables": 0, "datatable_rows": 0}
    emulator.clear_requests()
    back = org_playbook(emulator, tmp_path, "configure_org", only)
    assert back.rc == 0 and recap_changed(back) == 0 and emulator.module_writes() == []

    # A schema's relationship targets come along (and are listed); exclude wins, with a warning.
    accounts = tmp_path / "accounts"
    run = export(emulator, tmp_path, accounts, include={"schemas": ["customerAccounts"]}, records="false")
    result = run.task(EXPORT_TASK)
    assert result["dependencies"] == {"regions": ["customerAccounts"], "serviceTiers": ["customerAccounts"]}
    assert sorted(os.listdir(str(accounts / "schemas"))) == ["customerAccounts.yml", "regions.yml",
                                                              "serviceTiers.yml"]
    assert not (accounts / "records").exists()
    run = export(emulator, tmp_path, tmp_path / "no-regions", include={"schemas": ["customerAccounts"]},
                 exclude={"schemas": ["regions"]}, records=["customerAccounts"])
    assert run.rc == 0, run
    assert any("exclude leaves out" in w for w in run.task(EXPORT_TASK).get("warnings") or []), run
    assert sorted(os.listdir(str(tmp_path / "no-regions" / "records"))) == ["customerAccounts.jsonl"]

    # A records name that matches no exported schema is an error, before anything is written.
    wrong = tmp_path / "wrong"
    run = export(emulator, tmp_path, wrong, include={"schemas": ["regions"]}, records=["regoins"])
    assert run.rc != 0
    assert "records: regoins names no exported schema (exported: regions)" in run.task(EXPORT_TASK)["msg"]
    assert not wrong.exists()

    # Narrowing an export later keeps the files of objects it no longer covers.
    run = export(emulator, tmp_path, only, include={"webhooks": ["*"]})
    assert run.rc == 0 and run.task(EXPORT_TASK)["removed"] == []
    assert (only / "schemas" / "regions.yml").exists() and len(os.listdir(str(only / "webhooks"))) == 2


def meanings(directory, types):
    """``{kind: {name: meaning}}`` of an org directory's files, by the documented rule (no base)."""
    found = dict(schemas={}, webhooks={}, records={})
    for kind in ("schemas", "webhooks"):
        folder = os.path.join(directory, kind)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            data = yaml.safe_load(open(os.path.join(folder, name)))
            stem = os.path.splitext(name)[0]
            found[kind][data.get("name", stem)] = (schema_export.schema_meaning(data, stem) if kind == "schemas" else
                                                   webhook_export.webhook_meaning(data, stem, True))
    folder = os.path.join(directory, "records")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        stem = os.path.splitext(name)[0]
        stored = records_export.read_records(ef, os.path.join(folder, name), types[stem])
        found["records"][stem] = records_export.records_meaning(stored, types[stem], "id")
    return found


def merged_by_the_documented_rule(base, overlay, into):
    """base + overlay as org.yml ``base:`` defines it: the overlay's files replace the base's files of the
    same name, ``state: absent`` removes the object, records files replace whole."""
    shutil.copytree(str(base), str(into))
    for kind in ("schemas", "records", "webhooks"):
        folder = overlay / kind
        for name in os.listdir(str(folder)) if folder.is_dir() else []:
            shutil.copy(str(folder / name), str(into / kind / name))
            data = yaml.safe_load((into / kind / name).read_text()) if name.endswith(".yml") else None
            if isinstance(data, dict) and data.get("state") == "absent":
                os.remove(str(into / kind / name))
            elif kind == "records" and data == []:
                os.remove(str(into / kind / name))
    return into


def merged_by_the_loader(overlay, types):
    """The overlay as the org directory loader merges it with its base, or None when this branch's loader has
    no overlays yet (org.yml base: arrives with branch i19-dir; the documented rule is checked either way)."""
    from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od

    try:
        loaded = od.load_org_directory(str(overlay))
    except od.OrgDirectoryError as exc:
        if "unknown key base" in str(exc):
            return None
        raise
    found = dict(schemas={}, webhooks={}, records={})
    for item in loaded["schemas"] + loaded["webhooks"]:
        if not item.absent:
            found[item.kind][item.name] = (schema_export.schema_meaning(item.data, item.name) if item.kind == "schemas" else
                                           webhook_export.webhook_meaning(item.data, item.name, True))
    for item in loaded["records"]:
        records = records_export.read_records(ef, item.data["src"], types[item.name]) if item.data.get("src") else item.data["records"]
        found["records"][item.name] = records_export.records_meaning(records, types[item.name], "id")
    return found


def test_an_overlay_of_a_base_holds_only_what_differs_and_merges_to_the_full_export(emulator, playbook, tmp_path):
    assert org_playbook(emulator, tmp_path, "configure_org", ACME).rc == 0
    common = tmp_path / "orgs" / "common"
    assert export(emulator, tmp_path, common).rc == 0

    change_the_org(playbook, [
        {"genesys.cloud.webhook": {"name": "schema-audit", "state": "absent"}},
        {"genesys.cloud.webhook": {"name": "account-changes", "endpoint": "https://crm.prod.example/hooks",
                                   "event_types": ["customobjects.records.changed"]}},
        {"genesys.cloud.flex_schema": {"name": "promotions", "fields": [
            {"name": "code", "type": "string", "unique": True}]}},
        {"genesys.cloud.custom_object_records": {"schema": "promotions", "records": [{"id": "p1", "code": "spring"}]}},
        {"genesys.cloud.custom_object_records": {"schema": "serviceTiers", "records": [
            {"id": "tier-basic", "code": "basic", "displayName": "Basic Plus", "responseHours": 48,
             "phoneSupport": False}]}},
    ])
    prod = tmp_path / "orgs" / "prod"
    run = export(emulator, tmp_path, prod, base="../common")
    assert run.rc == 0, run
    assert sorted(snapshot(prod)) == [MANIFEST, "org.yml", "records/promotions.jsonl", "records/serviceTiers.jsonl",
                                      "schemas/promotions.yml", "webhooks/account-changes.yml",
                                      "webhooks/schema-audit.yml"]
    assert yaml.safe_load((prod / "org.yml").read_text()) == {"base": "../common", "records": {
        "customerAccounts": {"key": "accountNumber", "purge": True}, "promotions": {"key": "code", "purge": True},
        "regions": {"key": "code", "purge": True}, "serviceTiers": {"key": "code", "purge": True},
        "supportContacts": {"key": "email", "purge": True}}}
    assert yaml.safe_load((prod / "webhooks" / "schema-audit.yml").read_text()) == {
        "name": "schema-audit", "state": "absent"}
    assert export(emulator, tmp_path, prod, base="../common").task(EXPORT_TASK)["changed"] is False

    full = tmp_path / "full"
    assert export(emulator, tmp_path, full).rc == 0
    types = dict((os.path.splitext(name)[0], dict((f["name"], f["type"]) for f in yaml.safe_load(
        (full / "schemas" / name).read_text())["fields"])) for name in os.listdir(str(full / "schemas")))
    merged = merged_by_the_documented_rule(common, prod, tmp_path / "merged")
    assert meanings(str(merged), types) == meanings(str(full), types)
    by_the_loader = merged_by_the_loader(prod, types)
    assert by_the_loader is None or by_the_loader == meanings(str(full), types)
    if by_the_loader is not None:
        # Applied back, the overlay (merged with its base by the org run) changes nothing.
        emulator.clear_requests()
        back = org_playbook(emulator, tmp_path, "configure_org", prod)
        assert back.rc == 0, back
        assert recap_changed(back) == 0 and emulator.module_writes() == []

    # Once the org is back to what the base says, the overlay files go (they were the export's own).
    change_the_org(playbook, [
        {"genesys.cloud.webhook": {"name": "account-changes", "endpoint": "https://crm.acme.example/hooks/genesys/"
                                   "accounts", "event_types": ["customobjects.records.changed"]}}])
    run = export(emulator, tmp_path, prod, base="../common")
    assert run.task(EXPORT_TASK)["removed"] == ["webhooks/account-changes.yml"]

    # A full export into the overlay is refused: it would not merge to the org.
    refused = export(emulator, tmp_path, prod)
    assert refused.rc != 0 and "names base ../common" in refused.task(EXPORT_TASK)["msg"]
