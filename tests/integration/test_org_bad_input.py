"""Generated bad org directories (Hypothesis): a key misspelled or a value of the wrong type in a random file.

Every case runs in-process against the emulator with purge and removals on, and must be refused
with zero writes and the org state byte-identical afterwards.
"""
import json
import os
import shutil
import sys
import tempfile

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS, client_for, run_org

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "bench"))

from generate_org import generate_org  # noqa: E402

WRONG_VALUES = [123, 4.5, True, "text", [], {}, ["a"], {"k": "v"}, None]


def base_org(root):
    """A generated org with purge and a removal in it: what a bad file must never get to run."""
    org = generate_org(os.path.join(root, "org"), schemas=3, records=4, webhooks=2)
    with open(os.path.join(org, "org.yml"), "w") as handle:
        yaml.safe_dump({"records": {"benchSchema000": {"purge": True}}}, handle)
    with open(os.path.join(org, "webhooks", "gone.yml"), "w") as handle:
        yaml.safe_dump({"name": "gone", "state": "absent"}, handle)
    return org


def yaml_files(org):
    return sorted(os.path.join(folder, name) for folder in ("schemas", "webhooks")
                  for name in os.listdir(os.path.join(org, folder)))


def paths_in(document, prefix=()):
    """Every (path to a mapping, key) in a document."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            found.append((prefix, key))
            found += paths_in(value, prefix + (key,))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths_in(value, prefix + (index,))
    return found


def at(document, path):
    for part in path:
        document = document[part]
    return document


def misspell(key, choice):
    text = str(key)
    moves = [text + "s", text[:-1] if len(text) > 1 else text + "x", text[1:] + text[0], text.upper() + "_",
             text[0] + text[2:] + text[1] if len(text) > 2 else text + "z"]
    new = moves[choice % len(moves)]
    return new if new != text else text + "_x"


@st.composite
def bad_changes(draw):
    kind = draw(st.sampled_from(["misspell", "wrong_type"]))
    return kind, draw(st.integers(0, 10 ** 6)), draw(st.integers(0, 10 ** 6)), draw(st.sampled_from(WRONG_VALUES))


def is_wrong(value, original):
    """A replacement that changes the type (so it must be refused)."""
    if original is None:
        return False
    if isinstance(original, bool) or isinstance(value, bool):
        return type(value) is not type(original)
    if isinstance(original, (int, float)) and isinstance(value, (int, float)):
        return False
    return type(value) is not type(original)


def apply_change(org, change):
    """Damage one file; return a description, or None when the drawn change would still be valid."""
    kind, file_choice, spot_choice, value = change
    files = yaml_files(org)
    relative = files[file_choice % len(files)]
    path = os.path.join(org, relative)
    with open(path) as handle:
        document = yaml.safe_load(handle)
    spots = paths_in(document)
    prefix, key = spots[spot_choice % len(spots)]
    parent = at(document, prefix)
    if kind == "misspell":
        if isinstance(parent, dict) and key == "name" and not prefix:
            return None  # the file name stands in for a missing top-level name
        parent[misspell(key, spot_choice)] = parent.pop(key)
    else:
        if not is_wrong(value, parent[key]):
            return None
        parent[key] = value
    with open(path, "w") as handle:
        yaml.safe_dump(document, handle)
    return "%s %s %s" % (kind, relative, "/".join(str(p) for p in prefix + (key,)))


def org_state(emulator):
    """The org's objects, byte for byte (the emulator's state without the access tokens it issued)."""
    state = emulator.state()
    state.pop("tokens", None)
    return json.dumps(state, sort_keys=True)


def run(emulator, org):
    args = dict(emulator.connection, org_dir=org)
    params, _no_log, errors = validate_arguments(ORG_ARGUMENTS, args)
    assert not errors
    return run_org(client_for(params, False), params, False)


def test_generated_bad_org_directories_are_refused_with_zero_writes(emulator):
    root = tempfile.mkdtemp(prefix="bad-org-")
    pristine = base_org(root)
    assert "failed" not in run(emulator, pristine)  # the org as the good directory makes it
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": "gone", "endpoint": "https://x.example/in", "eventTypes": ["customobjects.records.changed"]})
    emulator.upsert_records("benchSchema000", [{"id": "extra-1", "code": "zzz"}])  # purge would delete it
    state = org_state(emulator)
    cases = []

    @settings(max_examples=60, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(bad_changes())
    def case(change):
        work = os.path.join(root, "case")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work)
        described = apply_change(work, change)
        if described is None:
            return
        emulator.clear_requests()
        result = run(emulator, work)
        assert result.get("failed") is True, described
        assert "problems" in result and result["problems"], described
        assert emulator.module_writes() == [], described
        assert org_state(emulator) == state, described
        cases.append(described)

    case()
    shutil.rmtree(root, ignore_errors=True)
    assert len(cases) >= 50, cases


# -- the org directory variable (issue 18) ---------------------------------------------------------
PLAYBOOKS = os.path.join(REPO, "playbooks")


def preview(emulator, tmp_path, **extra_vars):
    from tests.support.playbook import run_playbook

    workdir = tmp_path / ("run-%d" % len(os.listdir(str(tmp_path))))
    workdir.mkdir()
    return run_playbook(os.path.join(PLAYBOOKS, "preview_org.yml"), env=emulator.env, extra_vars=extra_vars,
                        inventory="acme,", args=["-c", "local"], workdir=str(workdir))


def test_a_missing_nonexistent_or_empty_org_directory_fails_the_preview_naming_the_variable(emulator, tmp_path):
    missing = preview(emulator, tmp_path)
    assert missing.rc != 0
    assert "genesys_org_dir is not set for acme" in missing.task("genesys.cloud.org : Check that there is a definition to apply")["msg"]
    for value in ("", "   "):
        assert preview(emulator, tmp_path, genesys_org_dir=value).rc != 0
    nowhere = str(tmp_path / "no-such-org")
    gone = preview(emulator, tmp_path, genesys_org_dir=nowhere)
    assert gone.rc != 0
    assert ("org_dir (genesys_org_dir in the playbooks): %s: no such directory" % nowhere
            in gone.task("genesys.cloud.org : Apply the org definition")["msg"])
    empty = tmp_path / "empty-org"
    (empty / "schemas").mkdir(parents=True)
    (empty / "schemas" / ".gitkeep").write_text("")
    refused = preview(emulator, tmp_path, genesys_org_dir=str(empty))
    message = refused.task("genesys.cloud.org : Apply the org definition")["msg"]
    assert refused.rc != 0 and "holds no schema, webhook, workitem schema, trigger, data table, data table row or " \
        "record file" in message
    (empty / "org.yml").write_text("allow_empty: true\n")
    allowed = preview(emulator, tmp_path, genesys_org_dir=str(empty))
    assert allowed.rc == 0, allowed
    assert emulator.module_writes() == []
