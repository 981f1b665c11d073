"""Issue 18: a preview you can trust. The org run's Python entry against the emulator."""
import json
import os
import sys

from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS, client_for, run_org

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "bench"))

TIERS = ["silver", "gold", "platinum", "bronze"]


def org_run(emulator, check=False, diff=False, **options):
    args = dict(emulator.connection, max_retries=2)
    args.update(options)
    params, _no_log, errors = validate_arguments(ORG_ARGUMENTS, args)
    assert not errors, errors
    return run_org(client_for(params, check), params, check, diff=diff)


def loyalty_org(root, missing_target=True):
    """Two new schemas with a relationship, 104 CSV records, one webhook (the issue's loyalty org)."""
    for folder in ("schemas", "records", "webhooks"):
        os.makedirs(os.path.join(root, folder), exist_ok=True)

    def write(path, text):
        with open(os.path.join(root, path), "w") as handle:
            handle.write(text)

    write("schemas/loyaltyTiers.yml", "name: loyaltyTiers\nfields:\n  - {name: code, type: string, unique: true}\n"
          "  - {name: label, type: string}\n")
    write("schemas/loyaltyMembers.yml", "name: loyaltyMembers\nfields:\n  - {name: memberId, type: string, unique: true}\n"
          "  - {name: points, type: number}\n"
          "  - {name: tier, type: relationship, relationship: {schema: loyaltyTiers, field: code}}\n")
    write("org.yml", "records:\n  loyaltyTiers: {key: code}\n  loyaltyMembers: {key: memberId}\n")
    write("records/loyaltyTiers.csv", "code,label\n" + "".join("%s,%s\n" % (t, t.title()) for t in TIERS))
    rows = ["LM-%05d,%d,%s" % (i, 1000 + i, TIERS[i % 4]) for i in range(100)]
    if missing_target:
        rows[41] = "LM-00041,18056,golden"
    write("records/loyaltyMembers.csv", "memberId,points,tier\n" + "\n".join(rows) + "\n")
    write("webhooks/members.yml", "name: member-changes\nendpoint: https://hooks.example/loyalty\n"
          "event_types: [customobjects.records.changed]\n")
    return root


def test_the_loyalty_case_a_missing_target_among_new_records_fails_the_preview_and_the_apply_writes_nothing(
        emulator, tmp_path):
    org = loyalty_org(str(tmp_path / "loyalty"))
    plan_json = tmp_path / "plan.json"
    preview = org_run(emulator, check=True, org_dir=org, plan_json=str(plan_json))
    assert preview["failed"] is True
    assert "LM-00041" in preview["msg"] and "'golden'" in preview["msg"] and "loyaltyTiers" in preview["msg"]
    assert any("LM-00041" in problem for problem in preview["problems"])
    document = json.loads(plan_json.read_text())  # the plan of this run, refusals included
    assert document["refused"] is True and any("golden" in flag for flag in document["flags"])
    assert emulator.module_writes() == []

    emulator.clear_requests()
    applied = org_run(emulator, org_dir=org)
    assert applied["failed"] is True and "nothing was changed" in applied["msg"]
    assert "LM-00041" in applied["msg"] and "golden" in applied["msg"]
    assert emulator.module_writes() == [] and emulator.schemas() == []
    assert sorted(applied["problems"]) == sorted(preview["problems"])


def test_the_loyalty_org_without_the_bad_record_previews_clean_and_applies_at_the_floor(emulator, tmp_path):
    org = loyalty_org(str(tmp_path / "loyalty"), missing_target=False)
    preview = org_run(emulator, check=True, org_dir=org)
    assert "failed" not in preview, preview.get("msg")
    assert preview["summary"]["counts"]["records"]["create"] == 104
    emulator.clear_requests()
    applied = org_run(emulator, org_dir=org)
    assert "failed" not in applied, applied.get("msg")
    assert len(emulator.records("loyaltyMembers")) == 100 and len(emulator.records("loyaltyTiers")) == 4
    # the floor: org, schema list, webhook list; 2 schema creates, 2 record batches, 1 webhook; no read-back
    requests = emulator.module_requests()
    assert len(requests) == 3 + 2 + 2 + 1, [(r["method"], r["path"]) for r in requests]
