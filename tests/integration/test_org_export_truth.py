"""An export is the whole truth about the org (issue 27 item 1) and loses nothing (issue 26 finding 6):
the export, in-process against the emulator, then the whole-org preview of what it wrote."""
import json
import os

import yaml

from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export import EXPORT_ARGUMENTS, export_org
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import client_for
from tests.integration.test_org_run import ACME, org_run
from tests.unit.plugins.test_org_export_safety import generated_names


def export(emulator, dest, **options):
    args = dict(emulator.connection, dest=str(dest))
    args.update(options)
    params, _no_log, errors = validate_arguments(EXPORT_ARGUMENTS, args)
    assert not errors, errors
    result = export_org(client_for(params, True), params)
    assert "failed" not in result, result.get("msg")
    return result


def counts(result):
    return result["summary"]["counts"]


def changes(result):
    """Every planned change of a preview: (kind, name, action), the unchanged left out."""
    planned = []
    for entry in result["plan"]["objects"] if isinstance(result.get("plan"), dict) else result.get("plan") or []:
        if entry.get("action") not in (None, "none", "unchanged"):
            planned.append((entry.get("kind"), entry.get("name"), entry.get("action")))
    return planned


def test_a_record_line_removed_from_an_export_is_a_planned_delete(emulator, tmp_path):
    applied = org_run(emulator, org_dir=ACME)
    assert "failed" not in applied, applied.get("msg")
    exported = tmp_path / "exported"
    export(emulator, exported)
    quiet = org_run(emulator, check=True, org_dir=str(exported), fail_on_unmanaged=True)
    assert "failed" not in quiet, quiet.get("msg")
    assert quiet["changed"] is False, quiet["summary"]

    key = yaml.safe_load((exported / "org.yml").read_text())["records"]["supportContacts"]["key"]
    path = exported / "records" / "supportContacts.jsonl"  # no record points at a contact
    lines = path.read_text().splitlines(True)
    gone = json.loads(lines.pop(2))
    path.write_text("".join(lines))
    emulator.clear_requests()

    preview = org_run(emulator, check=True, diff=True, org_dir=str(exported))

    assert "failed" not in preview, preview.get("msg")
    assert emulator.module_writes() == []
    assert counts(preview)["records"] == dict(counts(quiet)["records"], delete=1)
    assert counts(preview)["schemas"] == counts(quiet)["schemas"]
    assert counts(preview)["webhooks"] == counts(quiet)["webhooks"]
    assert "%s=%s" % (key, gone[key]) in json.dumps(preview["plan"])

    org_run(emulator, org_dir=str(exported))
    assert sorted(record[key] for record in emulator.records("supportContacts")) == sorted(
        json.loads(line)[key] for line in lines)


HOSTILE = ["README", "readme.notes", "...", ".hidden", "a/b", "../../x", "CON", "Café ☕", "x" * 128, "a b", "a_b",
           "-dash", "new\nline"]


def test_webhooks_of_any_name_export_and_preview_as_managed(emulator, tmp_path):
    hostile = HOSTILE + generated_names(30, seed=27)
    for name in hostile:
        emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
            "name": name, "endpoint": "https://hooks.example/%d" % len(name), "enabled": True,
            "eventTypes": ["data.flex.schema.created"]})
    exported = tmp_path / "exported"
    export(emulator, exported)
    assert len(os.listdir(str(exported / "webhooks"))) == len(hostile)

    preview = org_run(emulator, check=True, org_dir=str(exported), fail_on_unmanaged=True)

    assert "failed" not in preview, preview.get("msg")
    assert preview["changed"] is False and preview["summary"]["unmanaged"] == []
    deleting = org_run(emulator, org_dir=str(exported), delete_unmanaged=True)
    assert "failed" not in deleting, deleting.get("msg")
    assert sorted(hook["name"] for hook in emulator.webhooks()) == sorted(hostile)
