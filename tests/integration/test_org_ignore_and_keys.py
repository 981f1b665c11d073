"""Issue 27 items 4, 6 and 1 (unmanaged records), through the playbooks a user runs against the emulator:
objects ignored on purpose, records named by their key, no diff for sets that do not change, and the stored
records of a set without purge that no file names."""
import json
import os

from ansible_collections.genesys.cloud.plugins.plugin_utils.org_report import MSG_LIMIT
from tests.integration.test_org import org_playbook, plan_lines
from tests.integration.test_org_readable_failures import FAIL_TASK, ORG_TASK
from tests.integration.test_org_run import org_run

HOOK = "name: %s\nendpoint: https://hooks.example/%s\nevent_types: [customobjects.records.changed]\n"


def write(root, files):
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    return str(root)


def schema(name):
    return "name: %s\nfields:\n  - {name: code, type: string, unique: true}\n  - {name: label, type: string}\n" % name


def ignoring_org(root):
    return write(root, {
        "org.yml": '# the event-driven rulebook makes its own webhooks; scratch schemas come and go\n'
                   'ignore: {webhooks: ["eda-*"], schemas: ["tmp_*"]}\n',
        "schemas/regions.yml": schema("regions"),
        "records/regions.yml": "- {id: r1, code: eu, label: Europe}\n",
        "webhooks/audit.yml": HOOK % ("audit", "audit")})


def made_by_hand(emulator, name, endpoint="https://eda.example/in"):
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": name, "endpoint": endpoint, "eventTypes": ["customobjects.records.changed"]})


def test_ignored_objects_are_not_reported_not_deleted_pass_the_drift_check_and_are_counted_in_one_line(
        emulator, tmp_path):
    org = ignoring_org(tmp_path / "org")
    assert org_playbook(emulator, tmp_path, "configure_org", org).rc == 0
    made_by_hand(emulator, "eda-orders")
    emulator.create_schema("tmp_scratch", [{"name": "code", "type": "string"}])
    emulator.upsert_records("tmp_scratch", [{"id": "t1", "code": "x"}])
    emulator.clear_requests()

    drift = org_playbook(emulator, tmp_path, "preview_org", org, genesys_fail_on_changes=True,
                         genesys_fail_on_unmanaged=True)

    assert drift.rc == 0, drift
    lines = plan_lines(drift)
    assert "2 objects ignored by org.yml" in lines
    assert not any("not managed here" in line or "eda-orders" in line or "tmp_scratch" in line for line in lines)
    # an ignored schema's records are not even counted
    assert not [r for r in emulator.module_requests() if "tmp_scratch" in r["path"]]

    cleaned = org_playbook(emulator, tmp_path, "configure_org", org, genesys_delete_unmanaged=True)

    assert cleaned.rc == 0, cleaned
    assert emulator.module_writes() == []
    assert sorted(h["name"] for h in emulator.webhooks()) == ["audit", "eda-orders"]
    assert sorted(s["name"] for s in emulator.schemas()) == ["regions", "tmp_scratch"]
    assert len(emulator.records("tmp_scratch")) == 1

    made_by_hand(emulator, "rogue", "https://exfil.example/in")
    drift = org_playbook(emulator, tmp_path, "preview_org", org, genesys_fail_on_unmanaged=True)
    assert drift.rc == 2, drift
    msg = drift.task(FAIL_TASK)["msg"]
    assert msg == "the org holds objects its definition does not manage: not managed here: webhook rogue"


def test_an_ignore_pattern_that_matches_an_object_the_directory_defines_refuses_the_run_naming_both(
        emulator, tmp_path):
    org = ignoring_org(tmp_path / "org")
    write(org, {"webhooks/eda.yml": HOOK % ("eda-main", "eda")})

    result = org_run(emulator, org_dir=org)

    assert result["failed"] is True and emulator.module_writes() == []
    assert ("org.yml: ignore.webhooks: the pattern eda-* matches webhook eda-main, which %s defines"
            % os.path.join(org, "webhooks", "eda.yml")) in result["msg"]


def keyed_org(root):
    """Three record sets keyed by code: regions (no purge), tiers (purge), colors (left as stored)."""
    return write(root, {
        "org.yml": "records:\n  regions: {key: code}\n  tiers: {key: code, purge: true}\n  colors: {key: code}\n",
        "schemas/regions.yml": schema("regions"), "schemas/tiers.yml": schema("tiers"),
        "schemas/colors.yml": schema("colors"),
        "records/regions.yml": "- {code: S1, label: One}\n- {code: S2, label: Two}\n- {code: S3, label: Three}\n",
        "records/tiers.yml": "- {code: T1, label: Bronze}\n- {code: T2, label: Silver}\n- {code: T3, label: Gold}\n",
        "records/colors.yml": "- {code: C1, label: Red}\n"})


def test_records_are_named_by_their_key_sets_that_do_not_change_show_no_diff_and_unnamed_records_are_unmanaged(
        emulator, tmp_path):
    org = keyed_org(tmp_path / "org")
    assert org_playbook(emulator, tmp_path, "configure_org", org).rc == 0
    ids = dict((r["code"], r["id"]) for name in ("regions", "tiers") for r in emulator.records(name))
    write(org, {"records/regions.yml": "- {code: S1, label: One}\n- {code: S2, label: Deux}\n",
                "records/tiers.yml": "- {code: T1, label: Bronze}\n- {code: T2, label: Silver}\n"})
    emulator.upsert_records("regions", [{"id": "hand-made-1", "label": "no code"}])
    plan_md = tmp_path / "plan.md"
    emulator.clear_requests()

    preview = org_playbook(emulator, tmp_path, "preview_org", org, genesys_plan_markdown=str(plan_md),
                           genesys_plan_json=str(tmp_path / "plan.json"))

    assert preview.rc == 0, preview
    result = preview.task(ORG_TASK)
    # the request floor: org, the lists of the three listed kinds, one page of records per set; nothing more for the unmanaged records
    reads = [r["path"] for r in emulator.module_requests()]
    assert len(reads) == 4 + 3 and emulator.module_writes() == [], reads
    # diffs: one per set that changes, every record named by its key (a UUID only where a record has no key value)
    diffs = result["diff"]
    assert len(diffs) == 2, diffs
    labels = [label for entry in diffs for side in ("before", "after") for label in entry[side]["records"]]
    assert sorted(set(labels)) == ["code=S2 (update)", "code=T3 (delete)"]
    assert [entry["after_header"].split()[0] for entry in diffs] == ["regions", "tiers"]  # each names its set
    names = json.dumps(labels) + plan_md.read_text() + json.dumps(result["plan"]) + json.dumps(plan_lines(preview))
    assert not [code for code in ("S2", "S3", "T3") if ids[code] in names], "a record is named by its server id"
    assert "C1" not in json.dumps(diffs) and '"create": []' not in preview.stdout
    changes = dict((c["name"], c["details"]) for c in result["plan"]["changes"])
    assert sorted(changes) == ["regions", "tiers"]
    assert changes["regions"]["update_keys"] == ["code=S2"] and changes["tiers"]["delete_keys"] == ["code=T3"]
    assert "code=S2 (label Two -> Deux)" in plan_md.read_text()
    # the stored records of the set without purge that no file names: reported, by key
    line = "not managed here: 2 records of regions that no file names (no purge): code=S3, id=hand-made-1"
    assert line in plan_lines(preview)
    assert "- " + line[len("not managed here: "):] in plan_md.read_text()

    drift = org_playbook(emulator, tmp_path, "preview_org", org, genesys_fail_on_unmanaged=True)

    assert drift.rc == 2, drift
    msg = drift.task(FAIL_TASK)["msg"]
    assert msg == "the org holds objects its definition does not manage: %s" % line and len(msg) <= MSG_LIMIT
