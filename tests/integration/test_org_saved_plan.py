"""Issue 26 (findings 4 and 7): the saved plan is the applied plan, and a failure after a write says so.

The org run's Python entry against the emulator. Each mutation of what a saved plan was made from (a
base file, an option, a hand edit of the plan) is refused with zero writes: the emulator's log of
mutating requests stays empty.
"""
import functools
import json
import os

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_report
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_run as org_run_module
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_saved
from tests.integration.test_org_run import org_run as run_org_in_process

org_run = functools.partial(run_org_in_process, max_retries=2)


def write(root, path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def overlay_org(tmp_path):
    """``prod`` overlays ``common`` (a schema, its records, a webhook); returns the path of ``prod``."""
    common, prod = str(tmp_path / "orgs" / "common"), str(tmp_path / "orgs" / "prod")
    write(common, "schemas/regions.yml", "name: regions\nfields:\n  - {name: code, type: string, unique: true}\n"
          "  - {name: label, type: string}\n")
    write(common, "records/regions.yml", "- {code: eu, label: Europe}\n- {code: us, label: Americas}\n")
    write(common, "org.yml", "records:\n  regions: {key: code}\n")
    write(prod, "org.yml", "base: ../common\nrecords:\n  regions: {key: code}\n")
    write(prod, "webhooks/audit.yml", "name: audit\nendpoint: https://hooks.example/audit\n"
          "event_types: [customobjects.records.changed]\n")
    return prod


def previewed(emulator, tmp_path, org, **options):
    saved = tmp_path / "plan.json"
    preview = org_run(emulator, check=True, org_dir=org, plan_json=str(saved), **options)
    assert "failed" not in preview, preview.get("msg")
    emulator.clear_requests()
    return saved


def refused_without_writes(emulator, result):
    assert result["failed"] is True and result["changed"] is False, result
    assert "nothing was changed" in result["msg"]
    assert emulator.module_writes() == []
    return result["msg"]


def resealed(path, change):
    """The plan file edited by someone who also recomputes its digest (the digest is no signature)."""
    document = json.loads(path.read_text())
    change(document)
    document.pop("digest", None)
    if hasattr(org_saved, "content_digest"):  # (a plan of a release before plans had a digest has none)
        document["digest"] = org_saved.content_digest(document)
    path.write_text(json.dumps(document))


def test_a_base_file_changed_after_the_preview_refuses_the_saved_plan_with_zero_writes(emulator, tmp_path):
    org = overlay_org(tmp_path)
    saved = previewed(emulator, tmp_path, org)
    base_records = tmp_path / "orgs" / "common" / "records" / "regions.yml"
    base_records.write_text("- {code: eu, label: Europe}\n- {code: us, label: United States}\n")

    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "the org definition changed since the plan was made: ../common/records/regions.yml changed" in message
    assert "make a fresh plan" in message.lower()
    assert emulator.schemas() == [] and emulator.webhooks() == []


def test_a_base_schema_changed_after_the_preview_is_named_as_the_first_difference(emulator, tmp_path):
    org = overlay_org(tmp_path)
    saved = previewed(emulator, tmp_path, org)
    with open(str(tmp_path / "orgs" / "common" / "schemas" / "regions.yml"), "a") as handle:
        handle.write("  - {name: hotline, type: string}\n")

    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "regions" in message


def hand_made(emulator):
    for name in ("legacyA", "legacyB"):
        emulator.create_schema(name, [{"name": "code", "type": "string"}])
        emulator.upsert_records(name, [{"id": name + "-1", "code": "x"}])


def test_a_plan_showing_delete_0_never_deletes_with_delete_unmanaged_added_at_apply_time(emulator, tmp_path):
    org = overlay_org(tmp_path)
    assert "failed" not in org_run(emulator, org_dir=org)
    hand_made(emulator)
    saved = previewed(emulator, tmp_path, org)
    assert json.loads(saved.read_text())["counts"]["schemas"]["delete"] == 0

    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved),
                                                       delete_unmanaged=True))
    assert "delete_unmanaged is true in this run, the plan was made with false" in message
    assert sorted(s["name"] for s in emulator.schemas()) == ["legacyA", "legacyB", "regions"]

    # the same saved plan, applied as reviewed: nothing to do, nothing deleted
    applied = org_run(emulator, org_dir=org, apply_plan=str(saved))
    assert "failed" not in applied, applied.get("msg")
    assert emulator.module_writes() == [] and len(emulator.schemas()) == 3


def test_a_plan_that_deletes_applies_only_with_the_option_it_was_made_with(emulator, tmp_path):
    org = overlay_org(tmp_path)
    assert "failed" not in org_run(emulator, org_dir=org)
    hand_made(emulator)
    saved = previewed(emulator, tmp_path, org, delete_unmanaged=True)
    assert json.loads(saved.read_text())["counts"]["schemas"]["delete"] == 2

    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "delete_unmanaged is false in this run, the plan was made with true" in message
    applied = org_run(emulator, org_dir=org, apply_plan=str(saved), delete_unmanaged=True)
    assert "failed" not in applied, applied.get("msg")
    assert [s["name"] for s in emulator.schemas()] == ["regions"]


def test_a_hand_edited_plan_is_named_as_such_and_refused(emulator, tmp_path):
    org = overlay_org(tmp_path)
    assert "failed" not in org_run(emulator, org_dir=org)
    hand_made(emulator)
    saved = previewed(emulator, tmp_path, org)
    document = json.loads(saved.read_text())
    document["changes"].append(dict(kind="schema", name="legacyA", action="delete", source="(not managed here)",
                                    details={}))
    document["counts"]["schemas"]["delete"] = 1
    saved.write_text(json.dumps(document, indent=2))

    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "edited by hand after it was saved" in message
    assert len(emulator.schemas()) == 3


def test_an_added_delete_with_a_recomputed_digest_is_refused_as_a_difference(emulator, tmp_path):
    org = overlay_org(tmp_path)
    assert "failed" not in org_run(emulator, org_dir=org)
    hand_made(emulator)
    saved = previewed(emulator, tmp_path, org)
    resealed(saved, lambda d: d["saved"]["actions"].append(
        dict(kind="schema", name="legacyA", action="delete", values={})))

    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "the saved plan deletes schema legacyA; this run would not" in message
    assert len(emulator.schemas()) == 3


def test_a_plan_of_an_unknown_format_is_refused(emulator, tmp_path):
    org = overlay_org(tmp_path)
    saved = previewed(emulator, tmp_path, org)
    resealed(saved, lambda d: d.update(format=999))

    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "has format 999" in message and "make a fresh plan" in message.lower()

    resealed(saved, lambda d: (d.update(format=org_report.PLAN_FORMAT), d.pop("saved", None)))
    emulator.clear_requests()
    message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "written by an earlier release" in message


def test_a_version_saved_as_text_is_the_same_version(emulator, tmp_path):
    org = overlay_org(tmp_path)
    assert "failed" not in org_run(emulator, org_dir=org)
    with open(os.path.join(org, "webhooks", "audit.yml"), "a") as handle:
        handle.write("enabled: false\n")
    saved = previewed(emulator, tmp_path, org)
    version = emulator.schema("regions")["version"]
    resealed(saved, lambda d: d["basis"]["schemas"].update(regions=str(version)))

    applied = org_run(emulator, org_dir=org, apply_plan=str(saved))
    assert "failed" not in applied, applied.get("msg")
    assert emulator.webhooks()[0]["enabled"] is False


def test_a_saved_plan_nested_too_deep_or_too_large_is_refused_naming_the_line(emulator, tmp_path, monkeypatch):
    org = overlay_org(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text('{\n"basis": {},\n"changes": ' + "[" * 100000 + "]" * 100000 + "\n}\n")
    emulator.clear_requests()
    result = org_run(emulator, org_dir=org, apply_plan=str(deep))
    assert result["failed"] is True and emulator.module_requests() == []
    assert "%s line 3: the JSON nests deeper than 64 levels" % deep in result["msg"]

    monkeypatch.setattr(org_saved, "MAX_PLAN_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"basis": {}, "changes": ["x" * 2000]}))
    result = org_run(emulator, org_dir=org, apply_plan=str(big))
    assert result["failed"] is True and "larger than 1000 bytes" in result["msg"]
    assert emulator.module_requests() == []


def test_the_preview_artifact_applies_and_a_stale_one_is_refused(emulator, tmp_path):
    org = overlay_org(tmp_path)
    preview = org_run(emulator, check=True, org_dir=org, return_plan_artifact=True)
    artifact = preview["plan_artifact"]
    assert artifact.startswith("genesys-plan:") and "{" not in artifact
    emulator.clear_requests()

    other = org_run(emulator, org_dir=org, apply_plan={"other-org": artifact})
    assert other["failed"] is True and "none for" in other["msg"] and emulator.module_requests() == []

    emulator.create_schema("regions", [{"name": "code", "type": "string"}])  # someone got there first
    emulator.clear_requests()
    refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=artifact))

    fresh = org_run(emulator, check=True, org_dir=org, return_plan_artifact=True)["plan_artifact"]
    applied = org_run(emulator, org_dir=org, apply_plan=fresh)
    assert "failed" not in applied, applied.get("msg")
    assert len(emulator.records("regions")) == 2 and [h["name"] for h in emulator.webhooks()] == ["audit"]


def test_plan_files_are_written_from_the_censored_plan(emulator, tmp_path):
    org = overlay_org(tmp_path)
    secret = "hunter2-webhook-secret-4f1c"
    write(org, "webhooks/audit.yml", "name: audit\nendpoint: https://hooks.example/audit\n"
          "event_types: [customobjects.records.changed]\nsecret: %s\n" % secret)
    write(org, "schemas/notes.yml", "name: notes\ndescription: %s\nfields:\n  - {name: text, type: string}\n" % secret)
    plan_json, plan_markdown = tmp_path / "plan.json", tmp_path / "plan.md"
    preview = org_run(emulator, check=True, org_dir=org, plan_json=str(plan_json), plan_markdown=str(plan_markdown),
                      return_plan_artifact=True)
    assert "failed" not in preview, preview.get("msg")
    assert secret not in json.dumps(preview)
    assert secret not in plan_json.read_text() and secret not in plan_markdown.read_text()
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in plan_json.read_text()
    # the sealed, censored plan is the one an apply accepts
    emulator.clear_requests()
    applied = org_run(emulator, org_dir=org, apply_plan=str(plan_json))
    assert "failed" not in applied, applied.get("msg")


def test_plan_paths_that_cannot_be_created_are_refused_before_any_request(emulator, tmp_path):
    org = overlay_org(tmp_path)
    emulator.clear_requests()
    for option, path in (("plan_json", str(tmp_path / ("p" * 300 + ".json"))),
                         ("plan_markdown", "/proc/genesys-plan/plan.md")):
        result = org_run(emulator, org_dir=org, **{option: path})
        assert result["failed"] is True and result["changed"] is False
        assert "the plan cannot be written, nothing was read or changed" in result["msg"] and option in result["msg"]
        assert emulator.module_requests() == []
    assert sorted(os.listdir(str(tmp_path))) == ["orgs"]  # the probe left nothing behind


def test_a_plan_file_that_fails_after_the_apply_reports_what_was_written(emulator, tmp_path, monkeypatch):
    org = overlay_org(tmp_path)

    def full_disk(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(org_run_module, "_write_text", full_disk)
    result = org_run(emulator, org_dir=org, plan_json=str(tmp_path / "plan.json"))
    assert result["failed"] is True and result["changed"] is True
    assert "plan_json" in result["msg"] and "No space left on device" in result["msg"]
    assert {(e["resource"], e["action"], e["outcome"]) for e in result["audit"]} >= {
        ("flex_schema", "create", "success"), ("webhook", "create", "success")}
    assert len(emulator.schemas()) == 1


def test_an_unexpected_error_after_the_first_write_reports_changed_and_its_audit(emulator, tmp_path, monkeypatch):
    from ansible_collections.genesys.cloud.plugins.module_utils.kinds.webhook.kind import KIND

    org = overlay_org(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("the webhook writer broke")

    monkeypatch.setattr(KIND, "apply_step", broken)
    result = org_run(emulator, org_dir=org)
    assert result["failed"] is True and result["changed"] is True
    assert "the webhook writer broke" in result["msg"] and "Already written before it: schema regions" in result["msg"]
    assert any(e["resource"] == "flex_schema" and e["outcome"] == "success" for e in result["audit"])
    assert len(emulator.schemas()) == 1 and emulator.webhooks() == []


class _PlainTemplar:
    """The task's templar, for variables that are plain data already."""

    def template(self, value):
        return value


def test_a_template_value_changed_after_the_preview_refuses_the_saved_plan_with_zero_writes(emulator, tmp_path):
    from ansible_collections.genesys.cloud.plugins.plugin_utils.org_template import rendering

    org = overlay_org(tmp_path)
    write(org, "org.yml", "base: ../common\ntemplated: true\nrecords:\n  regions: {key: code}\n")
    write(org, "webhooks/audit.yml", "name: audit\nendpoint: \"https://{{ hook_host }}/audit\"\n"
          "event_types: [customobjects.records.changed]\n")

    def variables(host):  # the inventory's values for this org (genesys_org_vars, and as plain host variables)
        return {"hook_host": host, "genesys_org_vars": {"hook_host": host}}

    with rendering(_PlainTemplar(), variables("hooks.example")):
        saved = previewed(emulator, tmp_path, org)
    with rendering(_PlainTemplar(), variables("exfil.example")):
        message = refused_without_writes(emulator, org_run(emulator, org_dir=org, apply_plan=str(saved)))
    assert "webhook audit: option endpoint differs from the saved plan" in message
    with rendering(_PlainTemplar(), variables("hooks.example")):
        applied = org_run(emulator, org_dir=org, apply_plan=str(saved))
    assert "failed" not in applied, applied.get("msg")
    assert emulator.webhooks()[0]["endpoint"] == "https://hooks.example/audit"


def test_an_error_while_reporting_after_the_writes_still_reports_them(emulator, tmp_path, monkeypatch):
    org = overlay_org(tmp_path)

    def broken(*args, **kwargs):
        raise KeyError("summary")

    monkeypatch.setattr(org_run_module, "org_result", broken)
    result = org_run(emulator, org_dir=org)
    assert result["failed"] is True and result["changed"] is True
    assert "Already written: schema regions (create)" in result["msg"]
    outcomes = {(e["resource"], e["outcome"]) for e in result["audit"]}
    assert outcomes >= {("flex_schema", "success"), ("webhook", "success")}


def test_an_artifact_that_is_no_plan_is_refused_before_any_request(emulator, tmp_path):
    import base64
    import zlib

    org = overlay_org(tmp_path)
    bomb = "genesys-plan:" + base64.b64encode(zlib.compress(b"[" * (80 * 1024 * 1024), 9)).decode("ascii")
    emulator.clear_requests()
    for value, expected in (("genesys-plan:%%%", "is not a plan artifact"),
                            (bomb, "holds more than 67108864 bytes"),
                            (["a", "list"], "not a list")):
        result = org_run(emulator, org_dir=org, apply_plan=value)
        assert result["failed"] is True and expected in result["msg"], result["msg"]
    assert emulator.module_requests() == []
