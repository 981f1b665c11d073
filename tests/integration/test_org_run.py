"""The whole-org run (plugin_utils/org_run.py) in-process against the emulator: requests, tokens, faults."""
import json
import os
import re
import sys

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.genesys.cloud.plugins.filter.plan_markdown import plan_markdown as plan_markdown_filter
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_report
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS, client_for, run_org

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "bench"))

from generate_org import generate_org, schema_name  # noqa: E402

ACME = os.path.join(REPO, "examples", "orgs", "acme")


def org_run(emulator, check=False, diff=False, **options):
    args = dict(emulator.connection, max_retries=5)
    args.update(options)
    params, _no_log, errors = validate_arguments(ORG_ARGUMENTS, args)
    assert not errors, errors
    return run_org(client_for(params, check), params, check, diff=diff)


def counts(result):
    return result["summary"]["counts"]


def test_a_no_op_costs_the_lists_and_one_page_per_schema_with_one_token(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=6, records=20, webhooks=3)
    first = org_run(emulator, org_dir=org)
    assert "failed" not in first, first.get("msg")
    assert counts(first)["schemas"]["create"] == 6 and counts(first)["records"]["create"] == 120
    assert len(emulator.records(schema_name(5))) == 20
    emulator.clear_requests()

    again = org_run(emulator, org_dir=org)

    assert again["changed"] is False and emulator.module_writes() == []
    reads = emulator.module_requests()
    floor = 2 + 2 * 6  # schema list, webhook list, and per schema one lookup and one page of 500
    assert len(reads) <= floor
    # the run-wide token store (one per ansible-playbook run) served the second run the first one's token
    assert first["metrics"]["token_requests"] == 1 and again["metrics"]["token_requests"] == 0
    assert emulator.token_requests() == []


def test_a_preview_sends_only_reads_and_says_what_would_change(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=3, records=5, webhooks=1)
    preview = org_run(emulator, check=True, diff=True, org_dir=org)
    assert preview["changed"] is True and preview["check_mode"] is True
    assert emulator.module_writes() == [] and emulator.schemas() == []
    assert counts(preview)["records"]["create"] == 15
    assert len(preview["diff"]) == 3 + 3 + 1


def test_a_big_preview_shows_a_bounded_diff_and_leaves_the_details_to_the_plan(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=14, records=20, webhooks=0)
    preview = org_run(emulator, check=True, diff=True, org_dir=org)
    assert emulator.module_writes() == []
    record_diffs = [entry for entry in preview["diff"] if "records" in entry.get("after_header", "")]
    shown = [entry["after"]["records"] for entry in record_diffs if isinstance(entry["after"], dict)]
    # 20 a set until the run's 200 records are shown; then each set's counts
    assert [len(records) for records in shown] == [20] * 10
    counted = [entry for entry in record_diffs if not isinstance(entry["after"], dict)]
    assert [entry["after"] for entry in counted] == ["20 to create, 0 to update, 0 to delete\n"] * 4
    assert counted[0]["after_header"] == "%s records (not shown)" % schema_name(10)
    assert preview["summary"]["notes"] == ["records of schemas this run creates, all to create: %s and 9 more" % (
        ", ".join("%s (20)" % schema_name(number) for number in range(5)))]
    # every key is still in the plan, and a previewed object's result does not repeat the plan
    last = [change for change in preview["plan"]["changes"] if change["kind"] == "records"][-1]
    assert len(last["details"]["create_keys"]) == 20
    entries = dict(((entry["kind"], entry["name"]), entry["result"]) for entry in preview["objects"])
    assert entries["schemas", schema_name(0)] == dict(changed=True, action="create", id=None, version=None)
    assert entries["records", schema_name(13)] == dict(changed=True, created=20, updated=0, deleted=0, unchanged=0,
                                                       skipped=0)


def test_a_preview_of_many_objects_shows_the_first_diffs_and_counts_the_rest(emulator, tmp_path, monkeypatch):
    monkeypatch.setattr(org_report, "DIFF_OBJECTS", 5)
    org = generate_org(str(tmp_path / "org"), schemas=4, records=2, webhooks=2)
    preview = org_run(emulator, check=True, diff=True, org_dir=org)
    shown = preview["diff"]
    assert len(shown) == 6 and [entry.get("after_header") for entry in shown][-1] == "objects not shown"
    assert [entry["after"]["name"] for entry in shown[:4]] == [schema_name(number) for number in range(4)]
    assert shown[-1]["after"] == "5 more objects change (an org run's diff shows 5); the plan lists every change\n"
    assert len(preview["plan"]["changes"]) == 10  # the plan has them all
    assert "diff" not in org_run(emulator, check=True, org_dir=org)  # and without --diff there is none


def test_a_401_mid_run_logs_in_again_and_finishes(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=3, records=5, webhooks=2)
    emulator.fault(method="POST", path="^/api/v2/customobjects/", status=401, count=1)
    result = org_run(emulator, org_dir=org)
    assert "failed" not in result, result.get("msg")
    assert [len(emulator.records(schema_name(i))) for i in range(3)] == [5, 5, 5]
    assert len(emulator.webhooks()) == 2


def test_a_429_is_waited_out_and_nothing_is_lost(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=3, records=5, webhooks=2)
    emulator.fault(method="POST", path="^/api/v2/data/flex/schemas", status=429, retry_after=1, count=1)
    result = org_run(emulator, org_dir=org)
    assert "failed" not in result, result.get("msg")
    assert sorted(s["name"] for s in emulator.schemas()) == [schema_name(i) for i in range(3)]
    assert result["metrics"]["rate_limited"] >= 1


def test_a_dropped_connection_on_a_create_creates_nothing_twice(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=2, records=5, webhooks=2)
    emulator.fault(method="POST", path="^/api/v2/data/flex/schemas$", action="drop_after", count=1)
    emulator.fault(method="POST", path="^/api/v2/platform/webhooks$", action="drop_after", count=1)
    emulator.fault(method="POST", path="^/api/v2/customobjects/", action="drop_after", count=1)
    result = org_run(emulator, org_dir=org)
    assert "failed" not in result, result.get("msg")
    assert sorted(s["name"] for s in emulator.schemas()) == [schema_name(0), schema_name(1)]
    assert sorted(h["name"] for h in emulator.webhooks()) == ["bench-hook-00", "bench-hook-01"]
    assert [len(emulator.records(schema_name(i))) for i in range(2)] == [5, 5]
    again = org_run(emulator, org_dir=org)
    assert again["changed"] is False


def test_a_409_from_another_admin_keeps_their_change_and_applies_ours(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=2, records=3, webhooks=0)
    assert "failed" not in org_run(emulator, org_dir=org)
    path = tmp_path / "org" / "schemas" / (schema_name(1) + ".yml")
    definition = yaml.safe_load(path.read_text())
    definition["fields"].append({"name": "note", "type": "string"})
    path.write_text(yaml.safe_dump(definition))
    # Right after the run lists the schemas, someone else adds a field: our PUT meets a 409.
    emulator.hook(method="GET", path="^/api/v2/data/flex/schemas$", count=1, action={
        "type": "schema_update", "schema": schema_name(1), "set_fields": [{"name": "theirs", "type": "string"}]})

    result = org_run(emulator, org_dir=org)

    assert "failed" not in result, result.get("msg")
    names = [f["name"] for f in emulator.schema(schema_name(1))["fields"]]
    assert "theirs" in names and "note" in names
    assert result["metrics"]["conflicts"] == 1


def test_a_failure_mid_run_says_what_was_written_and_never_that_nothing_was(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=2, records=3, webhooks=1)
    emulator.fault(method="POST", path="^/api/v2/customobjects/", status=400, count=5, code="bad.request")
    result = org_run(emulator, org_dir=org, max_retries=0)
    assert result["failed"] is True
    assert "nothing was changed" not in result["msg"]
    assert "Already written before it: schema %s (create)" % schema_name(0) in result["msg"]
    assert emulator.webhooks() == []  # the run stopped before the webhooks


def test_a_refused_change_stops_the_run_before_any_write(emulator, tmp_path):
    assert "failed" not in org_run(emulator, org_dir=ACME)
    copy = tmp_path / "acme"
    os.system("cp -r %s %s" % (ACME, copy))
    tiers = yaml.safe_load((copy / "schemas" / "serviceTiers.yml").read_text())
    tiers["fields"][2]["type"] = "string"  # number -> string is not a safe change
    (copy / "schemas" / "serviceTiers.yml").write_text(yaml.safe_dump(tiers))
    (copy / "webhooks" / "new.yml").write_text("name: new\nendpoint: https://x.example/in\n"
                                               "event_types: [customobjects.records.changed]\n")
    emulator.clear_requests()
    result = org_run(emulator, org_dir=str(copy))
    assert result["failed"] is True and "nothing was changed" in result["msg"]
    assert "responseHours" in result["msg"]
    assert emulator.module_writes() == []


def test_the_plan_artifact_and_the_drift_check(emulator, tmp_path):
    org = generate_org(str(tmp_path / "org"), schemas=2, records=3, webhooks=1)
    plan_json, plan_md = tmp_path / "out" / "plan.json", tmp_path / "out" / "plan.md"
    drift = org_run(emulator, check=True, org_dir=org, fail_on_changes=True, plan_json=str(plan_json),
                    plan_markdown=str(plan_md), return_plan_markdown=True)
    assert drift["failed"] is True and "differs from its definition" in drift["msg"]
    document = json.loads(plan_json.read_text())
    assert document["counts"]["schemas"]["create"] == 2 and document["changed"] is True
    assert [(c["kind"], c["name"], c["action"]) for c in document["changes"]][:2] == [
        ("schema", schema_name(0), "create"), ("schema", schema_name(1), "create")]
    markdown = plan_md.read_text()
    assert "| schemas | 2 | 0 | 0 |" in markdown and "| create | schema | %s |" % schema_name(0) in markdown
    assert emulator.module_writes() == []

    # the plan_markdown filter renders the returned plan, and the saved one, as the file has it
    assert plan_markdown_filter(drift["plan"]) == markdown == plan_markdown_filter(document) == drift["plan_markdown_text"]
    assert plan_markdown_filter(document, title="Tonight").startswith("## Tonight\n")
    for damaged, says in ((["not", "a", "plan"], "got list"), (dict(document, format=1), "format 1"),
                          (dict(document, changes=[{"kind": "schema"}]), "the plan is damaged (KeyError")):
        with pytest.raises(AnsibleFilterError, match=re.escape(says)):
            plan_markdown_filter(damaged)

    assert "failed" not in org_run(emulator, org_dir=org)
    clean = org_run(emulator, check=True, org_dir=org, fail_on_changes=True, plan_markdown=str(plan_md))
    assert "failed" not in clean and clean["changed"] is False
    assert "No changes" in plan_md.read_text()


def test_header_values_and_secrets_never_reach_the_result_or_the_plan(emulator, tmp_path):
    hook = {"name": "signed", "endpoint": "https://hooks.example/in", "event_types": ["customobjects.records.changed"],
            "secret": "very-secret-signing-key-42", "headers": {"X-Api-Key": "header-secret-value-7"}}
    plan_json = tmp_path / "plan.json"
    result = org_run(emulator, diff=True, webhooks=[hook], plan_json=str(plan_json))
    assert "failed" not in result, result.get("msg")
    text = json.dumps(result) + plan_json.read_text()
    assert "very-secret-signing-key-42" not in text and "header-secret-value-7" not in text
