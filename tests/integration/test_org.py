"""The org as code end to end: apply the example org, re-apply, preview a modified copy, export round trip."""
import pytest
import filecmp
import os
import shutil

import yaml

from tests.support.playbook import run_playbook

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACME = os.path.join(REPO, "examples", "orgs", "acme")
PLAYBOOKS = os.path.join(REPO, "playbooks")
EXPECTED_RECORDS = {"regions": 6, "serviceTiers": 4, "customerAccounts": 24, "supportContacts": 32}


def org_playbook(emulator, tmp_path, name, org_dir=None, check=False, diff=False, **extra_vars):
    if org_dir is not None:
        extra_vars["genesys_org_dir"] = str(org_dir)
    workdir = tmp_path / ("%s-%d" % (name, len(os.listdir(tmp_path))))
    workdir.mkdir()
    return run_playbook(os.path.join(PLAYBOOKS, name + ".yml"), env=emulator.env, check=check, diff=diff,
                        extra_vars=extra_vars, inventory="acme,", args=["-c", "local"], workdir=str(workdir))


def recap_changed(run):
    line = [text for text in run.stdout.splitlines() if text.startswith("acme ")][-1]
    return int(line.split("changed=")[1].split()[0])


def plan_lines(run):
    return run.task("Show the plan" if "Show the plan" in [r["task"] for r in run.records] else
                    "Report what changed")["msg"]


def export(emulator, tmp_path, target):
    run = org_playbook(emulator, tmp_path, "export_org", genesys_export_dir=str(target))
    assert run.rc == 0, run
    return run


def same_tree(left, right):
    comparison = filecmp.dircmp(str(left), str(right))
    pending = [comparison]
    while pending:
        current = pending.pop()
        if current.left_only or current.right_only or current.diff_files or current.funny_files:
            return False
        # dircmp compares by stat signature; make it byte for byte.
        _, mismatch, errors = filecmp.cmpfiles(current.left, current.right, current.common_files, shallow=False)
        if mismatch or errors:
            return False
        pending.extend(current.subdirs.values())
    return True


@pytest.mark.matrix
def test_the_example_org_applies_to_an_empty_org_and_a_second_apply_changes_nothing(emulator, tmp_path):
    first = org_playbook(emulator, tmp_path, "configure_org", ACME)
    assert first.rc == 0, first
    schemas = dict((schema["name"], schema) for schema in emulator.schemas())
    assert sorted(schemas) == sorted(EXPECTED_RECORDS)
    region = [f for f in schemas["customerAccounts"]["fields"] if f["name"] == "region"][0]
    assert region["relationship"] == {"schemaId": schemas["regions"]["id"], "fieldName": "code"}
    for name, count in EXPECTED_RECORDS.items():
        assert len(emulator.records(name)) == count, name
    typed = [r for r in emulator.records("customerAccounts") if r["accountNumber"] == "AC-10001"][0]
    assert typed["vip"] is True and isinstance(typed["annualRevenue"], int)
    hooks = dict((hook["name"], hook) for hook in emulator.webhooks())
    assert sorted(hooks) == ["account-changes", "schema-audit"]
    assert hooks["account-changes"]["filter"] == "schemaName eq 'customerAccounts'"

    emulator.clear_requests()
    second = org_playbook(emulator, tmp_path, "configure_org", ACME)
    assert second.rc == 0, second
    assert recap_changed(second) == 0
    assert emulator.module_writes() == []


def modified_copy(tmp_path):
    """The example org with one change of each kind, and one unsafe type change."""
    copy = tmp_path / "acme-modified"
    shutil.copytree(ACME, str(copy))
    path = copy / "schemas" / "regions.yml"
    regions = yaml.safe_load(path.read_text())
    regions["fields"].append({"name": "hotline", "type": "string"})
    path.write_text(yaml.safe_dump(regions))
    path = copy / "schemas" / "serviceTiers.yml"
    tiers = yaml.safe_load(path.read_text())
    tiers["fields"][2]["type"] = "string"  # responseHours number -> string: not a safe change
    path.write_text(yaml.safe_dump(tiers))
    path = copy / "records" / "serviceTiers.yml"
    records = yaml.safe_load(path.read_text())
    records[2]["displayName"] = "Premium Plus"
    path.write_text(yaml.safe_dump(records))
    (copy / "webhooks" / "schema-audit.yml").write_text(
        (copy / "webhooks" / "schema-audit.yml").read_text() + "state: absent\n")
    (copy / "webhooks" / "outage.yml").write_text(
        "name: outage-notices\nendpoint: https://status.acme.example/hooks\n"
        "event_types: [customobjects.records.changed]\nfilter: {schema_name: regions}\n")
    return copy


@pytest.mark.matrix
def test_preview_of_a_modified_copy_shows_accurate_diffs_and_writes_nothing(emulator, tmp_path):
    assert org_playbook(emulator, tmp_path, "configure_org", ACME).rc == 0
    before = emulator.state()
    emulator.clear_requests()

    preview = org_playbook(emulator, tmp_path, "preview_org", modified_copy(tmp_path), genesys_fail_on_refused=False)

    assert preview.rc == 0, preview
    assert emulator.module_writes() == []
    assert emulator.state()["schemas"] == before["schemas"]
    item_results = [item for r in preview.records for item in r["result"].get("results") or [r["result"]]]
    diffs = [item["diff"] for item in item_results if item.get("diff")]
    text = yaml.safe_dump(diffs)
    assert "hotline" in text and "Premium Plus" in text and "outage-notices" in text
    summary = preview.task("Show the plan")["msg"]
    joined = "\n".join(summary)
    assert "schemas: create 0, update 1, delete 0" in joined
    assert "webhooks: create 1, update 0, delete 1" in joined
    assert "records: create 0, update 1, delete 0" in joined
    assert "UNSAFE schema change serviceTiers" in joined and "responseHours from number to string" in joined


@pytest.mark.matrix
def test_export_round_trips_through_an_empty_org(emulator, tmp_path):
    assert org_playbook(emulator, tmp_path, "configure_org", ACME).rc == 0
    first_export = tmp_path / "export-1"
    export(emulator, tmp_path, first_export)
    assert sorted(os.listdir(str(first_export / "records"))) == sorted(n + ".jsonl" for n in EXPECTED_RECORDS)
    assert sum(1 for _ in open(str(first_export / "records" / "customerAccounts.jsonl"))) == 24

    # Applying the export to the org it came from changes nothing.
    emulator.clear_requests()
    again = org_playbook(emulator, tmp_path, "configure_org", first_export)
    assert again.rc == 0, again
    assert recap_changed(again) == 0 and emulator.module_writes() == []

    # Exporting an unchanged org again rewrites no file.
    rerun = export(emulator, tmp_path, first_export)
    assert recap_changed(rerun) == 0

    # Applied to an empty org and exported again, the export is byte-identical.
    emulator.reset()
    assert emulator.schemas() == []
    assert org_playbook(emulator, tmp_path, "configure_org", first_export).rc == 0
    second_export = tmp_path / "export-2"
    export(emulator, tmp_path, second_export)
    assert same_tree(first_export, second_export)


def test_a_broken_directory_fails_before_any_request_listing_every_problem(emulator, tmp_path):
    broken = tmp_path / "broken"
    (broken / "schemas").mkdir(parents=True)
    (broken / "schemas" / "a.yml").write_text(
        "name: a\nfields: [{name: b, type: relationship, relationship: {schema: b}}]\n")
    (broken / "schemas" / "b.yml").write_text(
        "name: b\nfields: [{name: a, type: relationship, relationship: {schema: a}}]\n")
    (broken / "schemas" / "c.yml").write_text("name: [c\n")
    run = org_playbook(emulator, tmp_path, "configure_org", broken)
    assert run.rc != 0
    message = run.task("genesys.cloud.org : Apply the org definition")["msg"]
    assert "c.yml: not valid YAML" in message
    assert emulator.module_requests() == []


def test_items_given_as_variables_apply_and_a_webhook_secret_never_shows(emulator, tmp_path):
    secret = "very-secret-signing-key-42"
    plays = [{
        "name": "variables only", "hosts": "localhost", "gather_facts": False,
        "tasks": [{"name": "Apply", "ansible.builtin.include_role": {"name": "genesys.cloud.org"},
                   "vars": {"org_schemas": [{"name": "regions", "fields": [
                                {"name": "code", "type": "string", "unique": True}]}],
                            "org_records": [{"schema": "regions", "records": [{"id": "r1", "code": "eu"}]}],
                            "org_webhooks": [{"name": "signed", "endpoint": "https://hooks.example/in",
                                              "event_types": ["customobjects.records.changed"],
                                              "secret": secret}]}}],
    }]
    run = run_playbook(plays, env=emulator.env, workdir=str(tmp_path), args=["-v"])
    assert run.rc == 0, run
    assert [r["code"] for r in emulator.records("regions")] == ["eu"]
    assert emulator.webhooks()[0]["secretSet"] is True
    assert secret not in run.stdout + run.stderr
    assert secret not in str(run.records)
