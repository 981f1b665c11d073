"""Hostile org directories (issue 19): what a pull request's author could put in the directory a preview reads.

Generated directories (Hypothesis) combine one to three hazards (symbolic links out of the
directory, alias bombs, deep nesting, huge files and values, odd encodings and extensions,
devices, ``src:`` in a records file, bases outside or in a cycle) on a copy of the example org, with
purge on. Every one must be refused before the first request, in bounded time, with a short
output holding no byte of the file outside the directory. The headline cases also run as real
``preview_org.yml`` playbooks.
"""
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS, client_for, run_org
from tests.support.playbook import ansible_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACME = os.path.join(REPO, "examples", "orgs", "acme")
SECRET = "AWS_KEY=AKIAIOSFODNN7EXAMPLE\nDB_PASSWORD=hunter2-from-outside-the-org\n"
BOMB = "".join("%s: &%s [%s]\n" % (name, name, ", ".join([("*%s" % previous) if previous else '"lol"'] * 9))
               for name, previous in zip("abcdef", [None] + list("abcde"))) + "records: [*f, *f, *f, *f, *f, *f]\n"


def no_secret_in(text):
    """No 8-character piece of the outside file appears in ``text``."""
    pieces = set(SECRET[i:i + 8] for i in range(len(SECRET) - 7) if "\n" not in SECRET[i:i + 8])
    return [piece for piece in pieces if piece in text]


@pytest.fixture
def outside(tmp_path):
    """A credentials file and a folder next to (not inside) the org directory."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "creds.env").write_text(SECRET)
    (folder / "records").mkdir()
    (folder / "records" / "regions.csv").write_text(SECRET)
    (folder / "schemas").mkdir()
    (folder / "schemas" / "stolen.yml").write_text("name: stolen\ndescription: %s\n" % json.dumps(SECRET))
    return folder


def pristine_org(root):
    org = os.path.join(str(root), "pristine")
    shutil.copytree(ACME, org)
    with open(os.path.join(org, "org.yml"), "w") as handle:
        yaml.safe_dump({"records": {"customerAccounts": {"key": "accountNumber"}, "regions": {"purge": True}}}, handle)
    return org


# -- the hazards: each changes a copy of the org; ``target`` picks a folder or file -----------------------
def link_file_out(org, outside, target):
    folder = ("schemas", "records", "webhooks")[target % 3]
    name = {"schemas": "stolen.yml", "records": "things.csv", "webhooks": "hook.YML"}[folder]
    os.symlink(str(outside / "creds.env"), os.path.join(org, folder, name))


def link_existing_file_out(org, outside, target):
    path = os.path.join(org, "records", "regions.csv")
    os.remove(path)
    os.symlink(str(outside / "records" / "regions.csv"), path)


def link_folder_out(org, outside, target):
    folder = ("schemas", "records")[target % 2]
    shutil.rmtree(os.path.join(org, folder))
    os.symlink(str(outside / folder), os.path.join(org, folder))


def link_org_yml_out(org, outside, target):
    os.remove(os.path.join(org, "org.yml"))
    os.symlink(str(outside / "creds.env"), os.path.join(org, "org.yml"))


def broken_link(org, outside, target):
    os.symlink(os.path.join(str(outside), "no-such-file"), os.path.join(org, "schemas", "gone.yml"))


def alias_bomb(org, outside, target):
    path = [("records", "bomb.yml"), ("schemas", "bomb.yml"), ("webhooks", "bomb.yml"), ("", "org.yml")][target % 4]
    with open(os.path.join(org, *path), "w") as handle:
        handle.write(BOMB)


def deep_nesting(org, outside, target):
    depth = (100, 5000, 200000)[target % 3]
    with open(os.path.join(org, "webhooks", "deep.yml"), "w") as handle:
        handle.write("name: deep\nfilter: " + "[" * depth + "]" * depth + "\n")


def huge_file(org, outside, target):
    folder, limit = [("schemas", 1 << 20), ("webhooks", 256 << 10), ("records", 8 << 20)][target % 3]
    with open(os.path.join(org, folder, "huge.yml"), "w") as handle:
        handle.write("# padding\n" * (limit // 10 + 1) + "name: huge\n")


def huge_value(org, outside, target):
    if target % 2:
        with open(os.path.join(org, "schemas", "wide.yml"), "w") as handle:
            handle.write("name: wide\nfields: %s\n" % ("k" * 500000))
    else:
        with open(os.path.join(org, "records", "regions.csv"), "a") as handle:
            handle.write("region-x,%s,X,UTC,en\n" % ("9" * (5 << 20)))


def latin1(org, outside, target):
    with open(os.path.join(org, "schemas", "regions.yml"), "rb") as handle:
        data = handle.read()
    with open(os.path.join(org, "schemas", "regions.yml"), "wb") as handle:
        handle.write(data.replace(b"Regions the", "R\u00e9gions the".encode("latin-1")))


def utf16(org, outside, target):
    path = os.path.join(org, "webhooks", "account-changes.yml")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-16"))


def unknown_extension(org, outside, target):
    folder, name = [("records", "things.xlsx"), ("schemas", "notes.txt"), ("webhooks", "hook.yml.bak"),
                    ("records", "regions.csv~")][target % 4]
    with open(os.path.join(org, folder, name), "w") as handle:
        handle.write("name: x\n")


def directory_as_file(org, outside, target):
    os.mkdir(os.path.join(org, ("schemas", "webhooks", "records")[target % 3], "folder.yml"))


def fifo(org, outside, target):
    os.mkfifo(os.path.join(org, "schemas", "pipe.yml"))


def src_in_records(org, outside, target):
    with open(os.path.join(org, "records", "regions.yml"), "w") as handle:
        yaml.safe_dump({"src": str(outside / "creds.env")}, handle)
    os.remove(os.path.join(org, "records", "regions.csv"))


def base_elsewhere(org, outside, target):
    with open(os.path.join(org, "org.yml"), "w") as handle:
        if target % 2:
            handle.write("base: %s\n" % outside)  # absolute
        else:
            handle.write("base: .\n")  # itself: a cycle


def case_mismatch(org, outside, target):
    os.rename(os.path.join(org, "records", "regions.csv"), os.path.join(org, "records", "Regions.csv"))


def non_finite(org, outside, target):
    os.remove(os.path.join(org, "records", "regions.csv"))
    with open(os.path.join(org, "records", "regions.yml"), "w") as handle:
        handle.write("- {id: region-x, code: x, displayName: X, timezone: UTC, supportLanguage: en, extra: .inf}\n")


HAZARDS = [link_file_out, link_existing_file_out, link_folder_out, link_org_yml_out, broken_link, alias_bomb,
           deep_nesting, huge_file, huge_value, latin1, utf16, unknown_extension, directory_as_file, fifo,
           src_in_records, base_elsewhere, case_mismatch, non_finite]


def run(emulator, org):
    params, _no_log, errors = validate_arguments(ORG_ARGUMENTS, dict(emulator.connection, org_dir=org))
    assert not errors
    return run_org(client_for(params, False), params, False)


def org_state(emulator):
    state = emulator.state()
    state.pop("tokens", None)
    return json.dumps(state, sort_keys=True)


def test_generated_hostile_directories_are_refused_before_any_write(emulator, tmp_path, outside):
    pristine = pristine_org(tmp_path)
    assert "failed" not in run(emulator, pristine)
    state = org_state(emulator)
    seen = set()

    @settings(max_examples=45, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(HAZARDS), st.integers(0, 11)), min_size=1, max_size=3,
                    unique_by=lambda pair: pair[0]))
    def case(hazards):
        work = str(tmp_path / "case")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work, symlinks=True)
        applied = []
        for hazard, target in hazards:
            try:
                hazard(work, outside, target)
            except OSError:
                continue  # an earlier hazard removed or replaced the file this one changes
            applied.append((hazard, target))
        if not applied:
            return
        described = ", ".join("%s(%d)" % (hazard.__name__, target) for hazard, target in applied)
        emulator.clear_requests()
        started = time.monotonic()
        result = run(emulator, work)
        seconds = time.monotonic() - started
        # Objects the plan leaves as they are report the org as stored: their size follows the org, not the input.
        output = json.dumps(dict(result, objects=[entry for entry in result.get("objects", [])
                                                  if entry.get("action") != "none"]))
        assert result.get("failed") is True, described
        assert emulator.module_writes() == [], described  # record files are read against the org: reads only
        assert no_secret_in(output) == [], described
        assert len(output) < 10000, (described, len(output))
        assert seconds < 5, (described, seconds)
        seen.update(hazard.__name__ for hazard, _ in applied)

    case()
    assert org_state(emulator) == state
    assert seen == set(hazard.__name__ for hazard in HAZARDS)


@pytest.mark.parametrize("hazard, expected", [
    (link_file_out, "a symbolic link to a place outside the org directory"),
    (link_folder_out, "schemas: a symbolic link to a place outside the org directory"),
    (link_org_yml_out, "org.yml: a symbolic link to a place outside"),
    (broken_link, "gone.yml: a broken symbolic link"),
    (alias_bomb, "bomb.yml: line 2: a YAML alias (*name); aliases are not allowed"),
    (deep_nesting, "deep.yml: line 2: nested more than 64 levels deep"),
    (huge_file, "huge.yml: 1048591 bytes, more than the limit of 1048576 for a schema file; split it"),
    (latin1, "regions.yml: line 4: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    (utf16, "account-changes.yml: line 1: not UTF-8 text (byte 0xff)"),
    (unknown_extension, "things.xlsx: not an org file (records/ holds only .yml, .yaml, .json, .jsonl, .csv files"),
    (directory_as_file, "folder.yml: a directory where a file belongs"),
    (fifo, "pipe.yml: not a regular file"),
    (src_in_records, "regions.yml: src: not allowed in a records file"),
    (base_elsewhere, "org.yml: base: the chain of bases comes back to"),
    (case_mismatch, "Regions.csv: the file name must match its schema's name exactly: schema regions, file Regions.csv"),
    (non_finite, "regions.yml: records[0].extra: inf is not a finite number"),
])
def test_each_hazard_is_named_with_its_file_and_the_fix(tmp_path, outside, hazard, expected):
    org = pristine_org(tmp_path)
    hazard(org, outside, 0)
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(org)
    assert expected in str(caught.value), caught.value.problems
    assert no_secret_in(str(caught.value)) == []
    assert "Errno" not in str(caught.value) and "codec" not in str(caught.value)


def test_a_five_megabyte_value_is_echoed_as_a_short_prefix(emulator, tmp_path, outside):
    org = pristine_org(tmp_path)
    huge_value(org, outside, 1)  # a 500,000-character value of the wrong type in a schema file
    result = run(emulator, org)
    assert result["failed"] and "fields: must be a list, not str 'kkkk" in result["msg"], result["msg"]
    assert "... (500002 characters in all)" in result["msg"] and "k" * 81 not in result["msg"]
    assert len(result["msg"]) < 2000
    huge_value(org, outside, 0)  # and a 5 MB cell in a records file
    result = run(emulator, org)
    assert result["failed"] and len(json.dumps(result)) < 10000


def test_the_alias_bomb_is_refused_in_bounded_time_and_memory(tmp_path, outside):
    org = pristine_org(tmp_path)
    alias_bomb(org, outside, 0)
    assert len(BOMB.splitlines()) == 7 and len(BOMB) < 450
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(org)
    seconds = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "bomb.yml: line 2: a YAML alias" in str(caught.value)
    assert seconds < 5 and peak < 200 * 1024 * 1024, (seconds, peak)
    assert len(str(caught.value)) < 10000


# -- real previews --------------------------------------------------------------------------------------
MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
                  "seconds": time.monotonic() - started,
                  "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def preview(emulator, tmp_path, org):
    """``preview_org.yml`` on ``org`` in a process of its own: rc, output, wall time and peak memory (RSS)."""
    workdir = tmp_path / ("preview-%d" % len(os.listdir(str(tmp_path))))
    workdir.mkdir()
    command = [sys.executable, "-c", MEASURE, os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               os.path.join(REPO, "playbooks", "preview_org.yml"), "-i", "acme,", "-c", "local",
               "-e", json.dumps({"genesys_org_dir": str(org)})]
    env = ansible_env(dict(emulator.env, RESULT_RECORDER_FILE=str(workdir / "results.jsonl")))
    proc = subprocess.run(command, env=env, capture_output=True, text=True, cwd=str(workdir), timeout=300)
    return json.loads(proc.stdout)


def test_a_preview_of_a_link_to_a_credentials_file_is_refused_and_shows_no_byte_of_it(emulator, tmp_path, outside):
    org = pristine_org(tmp_path)
    link_file_out(org, outside, 1)  # records/things.csv -> ../outside/creds.env
    emulator.clear_requests()
    ran = preview(emulator, tmp_path, org)
    output = ran["stdout"] + ran["stderr"]
    assert ran["rc"] != 0, output
    assert "records/things.csv: a symbolic link to a place outside the org directory" in output
    assert no_secret_in(output) == [] and "creds.env" not in output
    assert emulator.module_writes() == []


def test_a_preview_of_the_alias_bomb_is_refused_with_bounded_memory_and_output(emulator, tmp_path, outside):
    org = pristine_org(tmp_path)
    alias_bomb(org, outside, 0)
    emulator.clear_requests()
    ran = preview(emulator, tmp_path, org)
    output = ran["stdout"] + ran["stderr"]
    assert ran["rc"] != 0 and "a YAML alias (*name)" in output, output
    assert len(output.encode()) < 10 * 1024, len(output)
    assert ran["peak_kb"] < 200 * 1024, ran["peak_kb"]
    # the whole ansible-playbook run, start-up included, on a shared machine; the load itself is timed above
    assert ran["seconds"] < 60, ran["seconds"]
    assert emulator.module_writes() == []
