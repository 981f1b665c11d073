"""Preview = apply, generated (issue 18 item 1): Hypothesis over small orgs and changes, against the emulator.

Each example seeds the emulator with a small stored org (maybe), writes an org directory that changes
it (new or changed schemas, records that point at records of the same run, unique values, purges,
unsafe type changes, webhooks), then runs the org run's Python entry with a real client: the preview,
then the apply. The property:

- no refusal in the preview => the apply succeeds, and a second preview of the same directory plans
  nothing (the org ends as defined);
- any refusal => the apply writes nothing and names the same problems.
"""
import os
import shutil
import tempfile

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS, client_for, run_org

EXAMPLES = 200
CODES = ["a", "b", "c", "d"]
BADGES = ["x", "y", "z", "w", "v"]


def run(emulator, org_dir, check):
    params, _no_log, errors = validate_arguments(ORG_ARGUMENTS, dict(emulator.connection, org_dir=org_dir,
                                                                     max_retries=1))
    assert not errors, errors
    return run_org(client_for(params, check), params, check)


@st.composite
def scenarios(draw):
    stored = draw(st.booleans())
    scenario = dict(
        stored=stored,
        stored_tiers=draw(st.lists(st.sampled_from(CODES), max_size=3, unique=True)) if stored else [],
        stored_members=draw(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(BADGES)), max_size=3,
                                     unique_by=(lambda m: m[0], lambda m: m[1]))) if stored else [],
        tiers=draw(st.lists(st.sampled_from(CODES), max_size=4, unique=True)),
        members=draw(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(CODES + ["zz", None]),
                                        st.sampled_from(BADGES + [None]), st.integers(-5, 5)),
                              max_size=5)),
        purge_members=draw(st.booleans()),
        points_type=draw(st.sampled_from(["number", "number", "number", "string"])),
        self_ref=draw(st.booleans()),
        hooks=draw(st.lists(st.sampled_from(["h1", "h2"]), max_size=2, unique=True)),
        stored_hooks=draw(st.lists(st.sampled_from(["h1", "h2"]), max_size=2, unique=True)) if stored else [],
        hook_enabled=draw(st.booleans()),
    )
    return scenario


def seed(emulator, scenario):
    if not scenario["stored"]:
        return
    emulator.create_schema("tiers", [{"name": "code", "type": "string", "unique": True}])
    tiers_id = [s for s in emulator.schemas() if s["name"] == "tiers"][0]["id"]
    emulator.create_schema("members", [
        {"name": "memberId", "type": "string", "unique": True}, {"name": "points", "type": "number"},
        {"name": "badge", "type": "string", "unique": True},
        {"name": "tier", "type": "relationship", "relationship": {"schemaId": tiers_id, "fieldName": "code"}}])
    if scenario["stored_tiers"]:
        emulator.upsert_records("tiers", [{"id": "t-" + code, "code": code} for code in scenario["stored_tiers"]])
    if scenario["stored_members"]:
        emulator.upsert_records("members", [{"id": "m-%d" % number, "memberId": "M%d" % number, "badge": badge,
                                             "points": number} for number, badge in scenario["stored_members"]])
    for name in scenario["stored_hooks"]:
        emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
            "name": name, "endpoint": "https://hooks.example/%s" % name, "enabled": True,
            "eventTypes": ["customobjects.records.changed"]})


def write_org(root, scenario):
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("schemas", "records", "webhooks"):
        os.makedirs(os.path.join(root, folder))

    def dump(path, document):
        with open(os.path.join(root, path), "w") as handle:
            yaml.safe_dump(document, handle)

    dump("schemas/tiers.yml", {"name": "tiers", "fields": [{"name": "code", "type": "string", "unique": True}]})
    fields = [{"name": "memberId", "type": "string", "unique": True},
              {"name": "points", "type": scenario["points_type"]},
              {"name": "badge", "type": "string", "unique": True},
              {"name": "tier", "type": "relationship", "relationship": {"schema": "tiers", "field": "code"}}]
    if scenario["self_ref"]:
        fields.append({"name": "sponsor", "type": "relationship",
                       "relationship": {"schema": "members", "field": "memberId"}})
    dump("schemas/members.yml", {"name": "members", "fields": fields})
    dump("org.yml", {"records": {"tiers": {"key": "code"},
                                 "members": {"key": "memberId", "purge": scenario["purge_members"]}}})
    dump("records/tiers.yml", [{"code": code} for code in scenario["tiers"]])
    members = []
    for index, (number, tier, badge, points) in enumerate(scenario["members"]):
        record = {"memberId": "M%d" % number, "points": points if scenario["points_type"] == "number" else str(points)}
        if tier is not None:
            record["tier"] = tier
        if badge is not None:
            record["badge"] = badge
        if scenario["self_ref"] and index:
            record["sponsor"] = "M%d" % scenario["members"][index - 1][0]
        members.append(record)
    dump("records/members.yml", members)
    for name in scenario["hooks"]:
        dump("webhooks/%s.yml" % name, {"name": name, "endpoint": "https://hooks.example/%s" % name,
                                       "enabled": scenario["hook_enabled"],
                                       "event_types": ["customobjects.records.changed"]})


def test_a_preview_without_refusals_applies_and_any_refusal_writes_nothing(emulator):
    root = tempfile.mkdtemp(prefix="preview-apply-")
    seen = dict(clean=0, refused=0)

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(scenarios())
    def case(scenario):
        emulator.reset()
        seed(emulator, scenario)
        org_dir = os.path.join(root, "org")
        write_org(org_dir, scenario)
        emulator.clear_requests()
        preview = run(emulator, org_dir, check=True)
        assert emulator.module_writes() == [], scenario
        applied = run(emulator, org_dir, check=False)
        if preview.get("failed"):
            seen["refused"] += 1
            assert preview.get("problems"), (scenario, preview["msg"])
            assert applied.get("failed") is True, scenario
            assert emulator.module_writes() == [], (scenario, applied.get("msg"))
            assert sorted(applied["problems"]) == sorted(preview["problems"]), scenario
            return
        seen["clean"] += 1
        assert not applied.get("failed"), (scenario, preview["summary"]["lines"], applied.get("msg"))
        again = run(emulator, org_dir, check=True)
        assert not again.get("failed") and again["changed"] is False, (scenario, again["summary"]["lines"])
        stored = dict((r["memberId"], r) for r in emulator.records("members"))
        for number, _tier, _badge, _points in scenario["members"]:
            assert "M%d" % number in stored, scenario

    case()
    shutil.rmtree(root, ignore_errors=True)
    # both sides of the property were exercised
    assert seen["clean"] >= 20 and seen["refused"] >= 20, seen
