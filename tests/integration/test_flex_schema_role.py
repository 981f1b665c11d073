"""The genesys.cloud.flex_schemas role and the preview playbook against the emulator."""
import pytest
import os

from tests.support.playbook import REPO, run_playbook

ROLE = "genesys.cloud.flex_schemas : "
# Given in the wrong order on purpose: orders -> customers -> regions.
RELATED = [
    {"name": "orders", "fields": [
        {"name": "number", "type": "string", "unique": True},
        {"name": "customer", "type": "relationship", "relationship": {"schema": "customers", "field": "code"}}]},
    {"name": "customers", "description": "Customers", "fields": [
        {"name": "code", "type": "string", "unique": True},
        {"name": "region", "type": "relationship", "relationship": {"schema": "regions"}}]},
    {"name": "regions", "fields": [{"name": "label", "type": "string"}]},
]


def role_task(definitions, title="apply"):
    return {"name": title, "ansible.builtin.include_role": {"name": "genesys.cloud.flex_schemas"},
            "vars": {"genesys_flex_schemas": definitions}}


def applied_names(run):
    return [(item["item"]["name"], item["action"]) for item in run.task(ROLE + "Apply the flex schemas")["results"]]


@pytest.mark.matrix
def test_role_orders_related_schemas_both_ways_and_is_idempotent(emulator, playbook):
    preview = playbook([role_task(RELATED)], check=True, diff=True)
    assert preview.rc == 0, preview
    assert applied_names(preview) == [("regions", "create"), ("customers", "create"), ("orders", "create")]
    assert emulator.module_writes() == [] and emulator.schemas() == []

    applied = playbook([role_task(RELATED)])
    assert applied.rc == 0, applied
    assert [s["name"] for s in emulator.schemas()] == ["regions", "customers", "orders"]
    stored = dict((s["name"], s) for s in emulator.schemas())
    assert stored["orders"]["fields"][1]["relationship"] == {"schemaId": stored["customers"]["id"],
                                                             "fieldName": "code"}

    emulator.clear_requests()
    again = playbook([role_task(RELATED)], check=False, diff=True)
    assert again.rc == 0, again
    assert [item["changed"] for item in again.task(ROLE + "Apply the flex schemas")["results"]] == [False] * 3
    assert emulator.module_writes() == []

    # Deletion items name only the schemas; the stored relationships put dependents first.
    removal = [{"name": name, "state": "absent"} for name in ("regions", "customers", "orders")]
    removed = playbook([role_task(removal)])
    assert removed.rc == 0, removed
    assert applied_names(removed) == [("orders", "delete"), ("customers", "delete"), ("regions", "delete")]
    deleted = [entry["path"].rsplit("/", 1)[1] for entry in emulator.module_writes()]
    assert deleted == [stored["orders"]["id"], stored["customers"]["id"], stored["regions"]["id"]]
    assert emulator.schemas() == []


def test_role_reports_a_relationship_cycle_before_any_write(emulator, playbook):
    cycle = [{"name": "alpha", "fields": [{"name": "b", "type": "relationship", "relationship": {"schema": "beta"}}]},
             {"name": "beta", "fields": [{"name": "a", "type": "relationship", "relationship": {"schema": "alpha"}}]}]
    run = playbook([role_task(cycle)])
    assert run.rc != 0
    assert "alpha -> beta -> alpha" in run.task(ROLE + "Order the schemas by their relationships")["msg"]
    assert emulator.module_writes() == [] and emulator.schemas() == []


def test_preview_playbook_summarises_creates_updates_deletes_and_unsafe_changes(emulator, tmp_path):
    emulator.create_schema("accounts", [{"name": "code", "type": "string"}, {"name": "score", "type": "string"}])
    emulator.create_schema("legacy", [{"name": "x", "type": "string"}])
    emulator.create_schema("stable", [{"name": "x", "type": "string"}])
    emulator.create_schema("risky", [{"name": "amount", "type": "string"}])
    definitions = [
        {"name": "accounts", "fields": [{"name": "code", "type": "string", "unique": True},
                                        {"name": "opened", "type": "date"}], "purge_fields": True},
        {"name": "newcomers", "fields": [{"name": "x", "type": "string"}]},
        {"name": "legacy", "state": "absent"},
        {"name": "stable", "fields": [{"name": "x", "type": "string"}]},
        {"name": "risky", "fields": [{"name": "amount", "type": "number"}]},
    ]
    emulator.clear_requests()
    run = run_playbook(os.path.join(REPO, "playbooks", "preview_schema_changes.yml"), env=emulator.env,
                       extra_vars={"genesys_flex_schemas": definitions}, workdir=str(tmp_path))
    assert run.rc == 0, run
    summary = run.task("Show the summary")["schema_preview"]
    assert summary["create"] == ["newcomers"] and summary["delete"] == ["legacy"]
    assert summary["update"] == ["accounts: added [opened], removed [score], modified [code]"]
    assert summary["unchanged"] == ["stable"]
    assert summary["unsafe"] == ["risky.amount: string -> number (unsafe, refused)"]
    assert len(summary["errors"]) == 1 and summary["errors"][0].startswith("risky: the change to flex schema risky")
    assert "--- before" in run.stdout and "+++ after" in run.stdout  # the diffs are shown
    assert emulator.module_writes() == []
    assert sorted(s["name"] for s in emulator.schemas()) == ["accounts", "legacy", "risky", "stable"]


@pytest.mark.matrix
def test_preview_then_apply_a_clean_change_and_reapply_without_change(emulator, tmp_path):
    """A preview with nothing unsafe and no error still summarises (empty lists, not a template error)."""
    emulator.create_schema("accounts", [{"name": "code", "type": "string"}])
    definitions = {"genesys_flex_schemas": [{"name": "accounts", "fields": [{"name": "language", "type": "string",
                                                                             "options": ["en", "fr"]}]}]}
    preview = run_playbook(os.path.join(REPO, "playbooks", "preview_schema_changes.yml"), env=emulator.env,
                           extra_vars=definitions, workdir=str(tmp_path / "preview"))
    assert preview.rc == 0, preview
    summary = preview.task("Show the summary")["schema_preview"]
    assert summary == {"create": [], "update": ["accounts: added [language], removed [], modified []"],
                       "delete": [], "unchanged": [], "unsafe": [], "errors": []}
    assert emulator.module_writes() == []

    apply_path = os.path.join(REPO, "playbooks", "apply_schema_changes.yml")
    applied = run_playbook(apply_path, env=emulator.env, extra_vars=definitions, workdir=str(tmp_path / "apply"))
    assert applied.rc == 0, applied
    assert [f["name"] for f in emulator.schema("accounts")["fields"]] == ["code", "language"]
    writes = len(emulator.module_writes())
    again = run_playbook(apply_path, env=emulator.env, extra_vars=definitions, workdir=str(tmp_path / "again"))
    assert again.rc == 0, again
    assert all(r["result"].get("changed") is False for r in again.records if r["task"].endswith("Apply the flex schemas"))
    assert len(emulator.module_writes()) == writes
