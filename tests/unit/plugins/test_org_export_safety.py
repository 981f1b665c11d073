"""The export writes only its own regular files (issue 26 finding 5), names every object so the loader
reads it back as that object (finding 6), and writes an org.yml that makes the directory the whole truth
about its record sets (issue 27 item 1)."""
import json
import os
import random
import stat

import pytest
import yaml

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_names as names
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import export_settings as es
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_write as ew
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_directory import load_org, load_org_directory
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_scope import Scope
from tests.unit.plugins.test_org_export import export, hook, schema, state_of


def tree(directory):
    """Every entry under ``directory``: relative path -> file content (or the target of a link)."""
    found = {}
    for root, folders, files in os.walk(str(directory)):
        for name in folders + files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, str(directory))
            if os.path.islink(path):
                found[relative] = "-> " + os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    found[relative] = handle.read()
    return found


@pytest.fixture
def outside(tmp_path):
    """A folder beside the destination with a file in it; nothing the export does may change it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.yml").write_text("name: keep\nendpoint: https://keep.example\nevent_types: [a]\n")
    return folder


# -- finding 5: only its own regular files ---------------------------------------------------------------
@pytest.mark.parametrize("kind", ["schemas", "records", "webhooks"])
def test_a_kind_folder_that_is_a_link_is_refused_before_anything_is_read_or_written(tmp_path, outside, kind):
    dest = tmp_path / "dest"
    dest.mkdir()
    os.symlink(str(outside), str(dest / kind))
    before = tree(tmp_path)
    # No client: the refusal comes before the org is read.
    result = org_export.export_org(None, dict(dest=str(dest), headers=True, records=True))
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == ("the export was not written: %s is a symbolic link: an export writes and removes files "
                             "only inside dest, never through a link. Replace the link with a folder"
                             % os.path.join(str(dest), kind))
    assert tree(tmp_path) == before


def test_a_planted_temporary_file_link_is_never_written_through(tmp_path, outside):
    dest = tmp_path / "dest"
    (dest / "webhooks").mkdir(parents=True)
    # the names the export used for its temporary files, planted as links to a file and to a new path outside
    os.symlink(str(outside / "keep.yml"), str(dest / "webhooks" / ".audit.yml.tmp"))
    os.symlink(str(outside / "new.yml"), str(dest / "webhooks" / ".old.yml.tmp"))
    before = tree(outside)
    export(dest, state_of([], [hook("audit"), hook("old")], {}))
    assert tree(outside) == before and not (outside / "new.yml").exists()
    written = dest / "webhooks" / "audit.yml"
    assert not os.path.islink(str(written)) and yaml.safe_load(written.read_text())["name"] == "audit"
    assert sorted(os.listdir(str(dest / "webhooks"))) == [".audit.yml.tmp", ".old.yml.tmp", "audit.yml", "old.yml"]


def test_a_link_where_an_exported_file_belongs_is_refused_before_any_write(tmp_path, outside):
    dest = tmp_path / "dest"
    dest.mkdir()
    os.symlink(str(outside / "keep.yml"), str(dest / ef.MANIFEST))
    before = tree(tmp_path)
    plan = org_export.plan_export(state_of([schema("a")], [hook("old")], {}), str(dest), {}, True, None, Scope())
    with pytest.raises(ef.ExportError) as refused:
        org_export.apply_plan(plan, Scope(), {"a"})
    assert str(refused.value).startswith("%s: not a regular file (a symbolic link" % (dest / ef.MANIFEST))
    assert tree(tmp_path) == before  # not even schemas/a.yml, which sorts first


def test_a_link_under_an_objects_file_name_is_left_alone_and_the_object_written_beside_it(tmp_path, outside):
    dest = tmp_path / "dest"
    (dest / "webhooks").mkdir(parents=True)
    os.symlink(str(outside / "keep.yml"), str(dest / "webhooks" / "old.yml"))
    before = tree(outside)
    outcome = export(dest, state_of([], [hook("old")], {}))
    assert outcome["written"] == [ef.MANIFEST, "webhooks/old-%s.yml" % names.digest("old")]
    assert tree(outside) == before and os.path.islink(str(dest / "webhooks" / "old.yml"))


def test_removals_are_only_regular_manifest_files_that_still_define_their_object(tmp_path, outside):
    dest = tmp_path / "dest"
    export(dest, state_of([schema("a")], [hook("gone"), hook("mine"), hook("moved")], {}))
    # the manifest is a file of the folder like any other: a pull request may have planted entries in it
    manifest = yaml.safe_load((dest / ef.MANIFEST).read_text())
    manifest["files"].update({"webhooks/../../outside/keep.yml": "webhooks/keep",
                              "../outside/keep.yml": "webhooks/keep", "webhooks/link.yml": "webhooks/link"})
    (dest / ef.MANIFEST).write_text(json.dumps(manifest))
    os.symlink(str(outside / "keep.yml"), str(dest / "webhooks" / "link.yml"))
    # mine.yml now defines another webhook (someone reused the file): it is no longer the export's
    (dest / "webhooks" / "mine.yml").write_text("name: theirs\nendpoint: https://t.example\nevent_types: [a]\n")
    before = tree(outside)

    plan = org_export.plan_export(state_of([schema("a")], [], {}), str(dest), {}, True, None, Scope())
    outcome = org_export.apply_plan(plan, Scope(), {"a"})

    assert outcome["removed"] == ["webhooks/gone.yml", "webhooks/moved.yml"]
    assert tree(outside) == before and os.path.islink(str(dest / "webhooks" / "link.yml"))
    assert (dest / "webhooks" / "mine.yml").exists()
    assert plan.warnings == [
        "webhooks/link.yml: the manifest lists it for webhooks link, which the org no longer has, but it is no "
        "longer a file of the export (a link, or it defines something else): left alone",
        "webhooks/mine.yml: the manifest lists it for webhooks mine, which the org no longer has, but it is no "
        "longer a file of the export (a link, or it defines something else): left alone"]
    assert ef.read_manifest(str(dest)) == {"schemas/a.yml": "schemas/a"}


def test_dest_itself_may_be_a_link_to_a_folder(tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(str(tmp_path / "real"), str(tmp_path / "dest"))
    state = state_of([schema("a")], [], {"a": [{"code": "c1"}]})
    for _run in range(2):  # the second run finds org.yml and the manifest there, and changes nothing
        settings = org_export.destination_settings(str(tmp_path / "dest"), None)
        plan = org_export.plan_export(state, str(tmp_path / "dest"), settings, True, None, Scope())
        extra = org_export.settings_files(str(tmp_path / "dest"), settings, None, plan)
        outcome = org_export.apply_plan(plan, Scope(), {"a"}, extra=extra)
    assert outcome["written"] == [] and sorted(os.listdir(str(tmp_path / "real"))) == [
        ef.MANIFEST, "org.yml", "records", "schemas"]


def test_written_files_are_regular_with_the_mode_asked_for(tmp_path):
    ew.write_file(str(tmp_path), "webhooks/h.yml", "name: h\n", 0o600)
    info = os.lstat(str(tmp_path / "webhooks" / "h.yml"))
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert os.listdir(str(tmp_path / "webhooks")) == ["h.yml"]  # no temporary file left
    assert ew.remove_file(str(tmp_path), "webhooks/h.yml") is True
    assert ew.remove_file(str(tmp_path), "webhooks/../../etc/passwd") is False


def test_a_folder_swapped_for_a_link_after_the_check_is_not_written_through(tmp_path, outside):
    dest = tmp_path / "dest"
    dest.mkdir()
    os.symlink(str(outside), str(dest / "webhooks"))  # as if swapped between the check and the write
    before = tree(outside)
    with pytest.raises(ef.ExportError, match="not a folder the export may write in"):
        ew.write_file(str(dest), "webhooks/keep.yml", "name: mine\n", 0o644)
    assert ew.remove_file(str(dest), "webhooks/keep.yml") is False
    with pytest.raises(ef.ExportError, match="not a folder the export may write in"):
        ew.set_mode(str(dest), "webhooks/keep.yml", 0o777)
    assert tree(outside) == before and stat.S_IMODE(os.stat(str(outside / "keep.yml")).st_mode) != 0o777


def test_a_deeply_nested_yaml_file_in_the_destination_is_not_read():
    assert ef.safe_yaml("name: x\nfields: " + "[" * 5000 + "]" * 5000 + "\n") is None
    assert ef.safe_yaml("- " * 100 + "x\n") is None
    assert ef.safe_yaml("name: x\n") == {"name": "x"}


# -- finding 6: names round trip ------------------------------------------------------------------------
HOSTILE = ["README", "readme.notes", "...", ".", "..", ".hidden", "a/b", "../../etc/passwd", "a\\b", "a b", "a_b",
           "a+b", "CON", "nul.txt", "Lpt1", "-leading", "trailing.", " spaced ", "tab\tname", "new\nline",
           "Café ☕", "名前", "émoji😀", "x" * 128, "y" * 127 + "/", "schema-audit", "webhook-" + names.digest("..."),
           "Hook", "hook_", "UPPER", "upper.yml", "a:b", "a*b?", "%2e%2e", "\u202eevil", "README.md"]


def generated_names(count, seed=26):
    """Names drawn from the characters file systems and the loader treat specially."""
    pick = random.Random(seed)
    alphabet = "aZ09._- /\\:*?\"<>|\t.'=+@#%~éß名😀"
    found = []
    while len(found) < count:
        name = "".join(pick.choice(alphabet) for _ in range(pick.randint(1, 40)))
        if name.strip() and name.lower() not in set(n.lower() for n in found + HOSTILE):
            found.append(name)
    return found


def test_every_name_exports_to_a_file_the_loader_reads_back_as_that_object(tmp_path):
    hooks = HOSTILE + generated_names(150)
    schemas = [schema("README"), schema("readme_notes"), schema("con"), schema("Regions"), schema("x" * 64)]
    records = dict((s["name"], [{"code": "c1"}, {"code": "c2"}]) for s in schemas)
    webhooks = [dict(hook("h"), name=name, event_types=["data.flex.schema.created"]) for name in hooks]
    state = state_of(schemas, webhooks, records)
    plan = org_export.plan_export(state, str(tmp_path), {}, True, None, Scope())
    assert plan.problems == []
    org_export.apply_plan(plan, Scope(), state["names"], extra=org_export.settings_files(str(tmp_path), {}, None, plan))

    for relative in plan.entries:
        assert names.readable_stem(os.path.splitext(relative.split("/")[1])[0], ".yml") or relative.startswith(
            "records/"), relative
    loaded = load_org_directory(str(tmp_path))
    assert sorted(item.name for item in loaded["webhooks"]) == sorted(hooks)
    assert sorted(item.name for item in loaded["schemas"]) == sorted(s["name"] for s in schemas)
    # every record set has its file, but README's: the loader reads no records file of that name, which the
    # export says rather than writing one that would be skipped
    assert sorted(item.name for item in loaded["records"]) == sorted(s["name"] for s in schemas if s["name"] != "README")
    assert plan.warnings == ["the records of schema README are not exported: the org directory loader reads no "
                             "records file of that name (it skips README files); rename the schema to export its "
                             "records"]
    for folder in ("schemas", "webhooks"):  # also apart on a file system that ignores case
        files = os.listdir(str(tmp_path / folder))
        assert len(set(name.lower() for name in files)) == len(files)
    org = load_org(str(tmp_path))  # and every file passes the loader's checks
    assert len(org["webhooks"]) == len(hooks)

    again = org_export.plan_export(state, str(tmp_path), {}, True, None, Scope())
    assert all(entry["keep"] for entry in again.entries.values())  # a second export changes nothing


def test_file_stems_are_plain_names_or_a_digest_of_the_name():
    assert names.object_stem("webhooks", "schema-audit") == "schema-audit"
    assert names.object_stem("webhooks", "README") == "README-%s" % names.digest("README")
    assert names.object_stem("webhooks", "...") == "webhook-%s" % names.digest("...")
    assert names.object_stem("webhooks", "a b") != names.object_stem("webhooks", "a+b")
    assert len(names.object_stem("schemas", "x" * 128)) <= names.MAX_STEM
    assert names.stem_file("records", "README") is None and names.stem_file("records", "regions", ".csv") == "records/regions.csv"


# -- issue 27 item 1: org.yml with keys and purge ------------------------------------------------------
def test_an_export_writes_each_record_sets_key_and_purge(tmp_path):
    optional = {"name": "tags", "description": "", "fields": [
        {"name": "label", "type": "string", "unique": True}, {"name": "code", "type": "string", "unique": True,
                                                              "required": True}]}
    loose = {"name": "notes", "description": "", "fields": [{"name": "ref", "type": "string", "unique": True}]}
    state = state_of([schema("regions"), optional, loose], [], {
        "regions": [{"id": "r1", "code": "eu"}], "tags": [{"id": "t1", "code": "a", "label": "A"}],
        "notes": [{"id": "n1", "ref": "x"}, {"id": "n2"}]})
    plan = org_export.plan_export(state, str(tmp_path), {}, True, None, Scope())
    extra = org_export.settings_files(str(tmp_path), {}, None, plan)
    org_export.apply_plan(plan, Scope(), state["names"], extra=extra)
    settings = yaml.safe_load((tmp_path / "org.yml").read_text())
    # the required unique field; a unique field some record lacks is no key: then id
    assert settings == {"records": {"notes": {"key": "id", "purge": True}, "regions": {"key": "code", "purge": True},
                                    "tags": {"key": "code", "purge": True}}}
    assert (tmp_path / "records" / "regions.jsonl").read_text() == '{"code": "eu"}\n'
    assert '"id": "n1"' in (tmp_path / "records" / "notes.jsonl").read_text()


def test_an_existing_org_yml_keeps_its_comments_and_choices():
    text = ("---\n# acme\norganization: {name: acme}\nrecords:\n  # accounts by number\n    customerAccounts:\n"
            "        key: accountNumber\n")
    additions = es.wanted({"customerAccounts": "accountNumber", "regions": "code"}, {},
                          yaml.safe_load(text))
    assert additions == {"customerAccounts": {"purge": True}, "regions": {"key": "code", "purge": True}}
    only_new = es.wanted({"regions": "code"}, {}, yaml.safe_load(text))
    kept = es.settings_text(text, only_new, ef.safe_yaml)
    assert kept == ("---\n# acme\norganization: {name: acme}\nrecords:\n    regions:\n      key: code\n"
                    "      purge: true\n  # accounts by number\n    customerAccounts:\n        key: accountNumber\n")
    both = es.settings_text(text, additions, ef.safe_yaml)
    assert both == ("---\n# acme\norganization: {name: acme}\nrecords:\n    regions:\n      key: code\n"
                    "      purge: true\n  # accounts by number\n    customerAccounts:\n        key: accountNumber\n"
                    "        purge: true\n")
    flow = "records: {customerAccounts: {key: accountNumber}}  # flow style\n"
    assert yaml.safe_load(es.settings_text(flow, additions, ef.safe_yaml)) == {"records": {
        "customerAccounts": {"key": "accountNumber", "purge": True}, "regions": {"key": "code", "purge": True}}}
    appended = es.settings_text("# just a comment\norganization: {name: acme}\n", only_new, ef.safe_yaml)
    assert appended.startswith("# just a comment\n") and yaml.safe_load(appended)["records"] == {
        "regions": {"key": "code", "purge": True}}
    # an explicit purge: false is a choice the export keeps
    assert es.wanted({"regions": "code"}, {"records": {"regions": {"purge": False}}}, {}) == {
        "regions": {"key": "code"}}
    assert es.wanted({"regions": "code"}, {}, {"records": {"regions": {"key": "code", "purge": True}}}) == {}


def test_a_failure_after_a_write_names_what_was_written(tmp_path, outside):
    dest = tmp_path / "dest"
    dest.mkdir()
    plan = org_export.plan_export(state_of([schema("a")], [hook("h")], {}), str(dest), {}, True, None, Scope())
    os.symlink(str(outside), str(dest / "webhooks"))  # swapped after the export checked the folder
    with pytest.raises(ew.PartialExport) as stopped:
        org_export.apply_plan(plan, Scope(), {"a"})
    assert stopped.value.done == [("wrote", ef.MANIFEST), ("wrote", "schemas/a.yml")]
    assert str(stopped.value).startswith("writing stopped at webhooks/h.yml after 2 change(s) (wrote "
                                         ".genesys-export.json, wrote schemas/a.yml): ")
    assert sorted(os.listdir(str(outside))) == ["keep.yml"]
