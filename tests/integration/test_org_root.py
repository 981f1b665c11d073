"""Issue 26 findings 1 and 3, issue 27 item 7: an org run reads only inside its org root, opens only the
regular files it loads, hashes exactly those, names the file that made a saved plan stale, and lists file
and field problems in one run.

The layout of every test: a git work tree ``repo/`` (the org root) holding ``orgs/acme`` (a copy of the
example org) and ``orgs/common``; beside it, outside the root, ``outside/`` with a canary file.
"""
import json
import os
import shutil
import threading

import pytest

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_saved
from tests.integration.test_org_run import org_run

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACME = os.path.join(REPO, "examples", "orgs", "acme")
CANARY = "CANARY-7f3a91-outside-the-root-do-not-print"
GIT_CANARY = "GITCRED-c0ffee-extraheader-do-not-print"


def leaked(text):
    return [secret for secret in (CANARY, GIT_CANARY, CANARY[:12], GIT_CANARY[:12]) if secret in text]


@pytest.fixture
def layout(tmp_path):
    """``(repo, org, outside)``: the org root, the org directory in it, a folder outside it with the canary."""
    outside = tmp_path / "outside"
    (outside / "schemas").mkdir(parents=True)
    (outside / "secret.csv").write_text("%s,x\n%s,y\n" % (CANARY, CANARY))
    (outside / "schemas" / "stolen.yml").write_text("name: stolen\ndescription: %s\n" % CANARY)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic %s\n" % GIT_CANARY)
    org = repo / "orgs" / "acme"
    shutil.copytree(ACME, str(org))
    (repo / "orgs" / "common" / "schemas").mkdir(parents=True)
    (repo / "orgs" / "common" / "schemas" / "extra.yml").write_text("name: extra\n")
    return repo, org, outside


def set_base(org, base):
    (org / "org.yml").write_text("records:\n  customerAccounts: {key: accountNumber}\nbase: %s\n" % json.dumps(base))


def refusal(org, **options):
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(str(org), **options)
    text = str(caught.value) + "\n".join(caught.value.problems)
    assert leaked(text) == [], text
    return text


# -- finding 1: bases ------------------------------------------------------------------------------------
@pytest.mark.parametrize("base", ["..", "../..", "../../..", "../../../..", "../../../../../../../.."])
def test_a_base_that_holds_the_directory_or_lies_outside_the_root_is_refused_and_nothing_of_it_read(layout, base):
    repo, org, outside = layout
    set_base(org, base)
    os.remove(str(org / "records" / "regions.csv"))
    os.symlink(str(outside / "secret.csv"), str(org / "records" / "regions.csv"))  # readable on main via the base
    text = refusal(org)
    assert "org.yml: base: %s " % base in text, text
    assert ("is the org directory or a folder that holds it" in text) or ("lies outside the org root" in text), text
    assert "records/regions.csv: a symbolic link to a place outside the org directory" in text


def test_a_base_through_a_link_that_leads_out_is_refused_naming_the_base(layout):
    repo, org, outside = layout
    os.symlink(str(outside), str(repo / "orgs" / "shared"))
    set_base(org, "../shared")
    text = refusal(org)
    assert "org.yml: base: ../shared lies outside the org root" in text and str(repo) in text, text
    assert "stolen" not in text
    os.remove(str(repo / "orgs" / "shared"))
    os.symlink("/", str(repo / "orgs" / "shared"))  # a link to /
    assert "org.yml: base: ../shared lies outside the org root" in refusal(org)


def test_the_directory_itself_as_its_base_is_refused(layout):
    repo, org, outside = layout
    set_base(org, ".")
    assert "org.yml: base: the chain of bases comes back to" in refusal(org)


def test_a_base_inside_the_root_is_read_and_the_root_option_names_another(layout, tmp_path):
    repo, org, outside = layout
    set_base(org, "../common")
    loaded = od.load_org(str(org))
    assert "extra" in [item.name for item in loaded["schemas"]]
    assert loaded["settings"]["root"] == os.path.realpath(str(repo))
    # outside the git work tree: refused by default, read when the root is widened on purpose
    shutil.copytree(str(repo / "orgs" / "common"), str(tmp_path / "shared"))
    set_base(org, "../../../shared")
    assert "org.yml: base: ../../../shared lies outside the org root" in refusal(org)
    loaded = od.load_org(str(org), root=str(tmp_path))
    assert "extra" in [item.name for item in loaded["schemas"]]
    # an org directory outside the root given
    text = refusal(org, root=str(outside))
    assert "root (genesys_org_root in the playbooks): the org directory %s is not inside %s" % (org, outside) in text


def test_without_a_git_work_tree_the_root_is_the_parent_of_the_directory(layout):
    repo, org, outside = layout
    shutil.rmtree(str(repo / ".git"))
    set_base(org, "../common")
    assert od.load_org(str(org))["settings"]["root"] == os.path.realpath(str(repo / "orgs"))
    set_base(org, "../..")
    assert "lies outside the org root" in refusal(org)


def test_a_link_into_the_git_folder_is_refused_even_inside_the_root(layout):
    repo, org, outside = layout
    (org / "org.yml").unlink()
    os.symlink("../../.git/config", str(org / "org.yml"))
    os.symlink(str(repo / ".git" / "config"), str(org / "schemas" / "git.yml"))
    text = refusal(org)
    assert "acme/org.yml: a symbolic link to a place outside" in text and "git.yml: a symbolic link" in text


# -- finding 3: only the files the load reads are opened, hashed, and they name a stale plan ---------------
def in_thread(function, seconds=20):
    """``function()`` in a thread; fails (instead of hanging the suite) when it takes longer than ``seconds``."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as exc:  # noqa: B902 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "still running after %d s (a FIFO or /dev/zero opened?)" % seconds
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_a_fifo_or_a_link_to_dev_zero_beside_the_org_files_never_hangs_a_preview_that_saves_a_plan(
        emulator, layout, tmp_path):
    repo, org, outside = layout
    os.mkfifo(str(org / "pipe"))
    os.mkfifo(str(org / "schemas" / ".hidden.yml"))
    os.symlink("/dev/zero", str(org / "zero.yml"))
    os.mkdir(str(org / "docs"))
    os.symlink("/dev/zero", str(org / "docs" / "zero"))
    plan = tmp_path / "plan.json"
    result = in_thread(lambda: org_run(emulator, check=True, org_dir=str(org), plan_json=str(plan)))
    assert "failed" not in result, result.get("msg")
    files = json.loads(plan.read_text())["basis"]["files"]
    assert sorted(files) == sorted(
        ["org.yml"] + ["%s/%s" % (kind, name) for kind in ("schemas", "records", "webhooks")
                       for name in os.listdir(os.path.join(ACME, kind))])


def test_a_fifo_or_device_where_an_org_file_belongs_is_refused_at_once(layout):
    repo, org, outside = layout
    os.mkfifo(str(org / "schemas" / "pipe.yml"))
    os.symlink("/dev/zero", str(org / "webhooks" / "zero.yml"))
    os.symlink("/dev/null", str(org / "records" / "null.csv"))
    text = in_thread(lambda: refusal(org))
    assert "schemas/pipe.yml: not a regular file" in text
    assert "webhooks/zero.yml: a symbolic link to a place outside" in text
    assert "records/null.csv: a symbolic link to a place outside" in text


def test_a_stale_plan_names_the_file_that_changed_and_files_the_load_never_reads_do_not_matter(emulator, layout, tmp_path):
    repo, org, outside = layout
    plan = tmp_path / "plan.json"
    assert "failed" not in org_run(emulator, check=True, org_dir=str(org), plan_json=str(plan))
    (org / "NOTES.txt").write_text("not an org file: never read, never part of the plan's basis\n")
    (org / "schemas" / ".draft.yml.swp").write_text("an editor's swap file\n")
    applied = org_run(emulator, check=True, org_dir=str(org), apply_plan=str(plan))
    assert "failed" not in applied, applied.get("msg")
    with open(str(org / "schemas" / "regions.yml"), "a") as handle:
        handle.write("# a comment-only edit\n")
    emulator.clear_requests()
    refused = org_run(emulator, org_dir=str(org), apply_plan=str(plan))
    assert refused["failed"] is True and emulator.module_writes() == []
    assert "the org definition changed since the plan was made: schemas/regions.yml changed" in refused["msg"]
    (org / "schemas" / "zzz.yml").write_text("name: zzz\n")
    os.remove(str(org / "webhooks" / "schema-audit.yml"))
    refused = org_run(emulator, org_dir=str(org), apply_plan=str(plan))
    assert "schemas/regions.yml changed (and 2 more files)" in refused["msg"], refused["msg"]


def test_the_stale_plan_names_an_added_and_a_removed_file():
    before = {"org.yml": "a", "schemas/x.yml": "b"}
    assert org_saved.definition_moved(before, {"org.yml": "a"}) == (
        "the org definition changed since the plan was made: schemas/x.yml was removed")
    assert org_saved.definition_moved(before, dict(before, **{"records/x.csv": "c"})) == (
        "the org definition changed since the plan was made: records/x.csv was added")
    assert "items given as variables" in org_saved.definition_moved(before, dict(before))


# -- issue 27 item 7: every problem in one run ----------------------------------------------------------
def test_file_level_and_field_level_problems_are_listed_in_one_run(layout):
    repo, org, outside = layout
    (org / "schemas" / "broken.yml").write_text("name: [unclosed\n")  # a file that cannot be read
    (org / "webhooks" / "typo.yml").write_text(
        "name: typo\nendpoint: https://x.example/in\nevent_typez: [customobjects.records.changed]\n")  # a field
    (org / "notes.txt").write_text("beside the folders: not read\n")
    (org / "records" / "stray.xlsx").write_text("x")  # a file-level problem of the listing
    text = refusal(org)
    assert "schemas/broken.yml: not valid YAML" in text
    assert "records/stray.xlsx: not an org file" in text
    assert "webhooks/typo.yml: unknown key event_typez (did you mean event_types?)" in text
