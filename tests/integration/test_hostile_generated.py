"""Generated hostile org directories (issue 26 item 9): links, FIFOs and devices, bases, names, nesting, templates.

The world of every case: a git work tree ``repo/`` (the org root) whose ``.git/config`` holds a
credential, the org directory ``repo/orgs/<case>`` (a copy of a small valid org), a valid base
``repo/orgs/common``, and beside the work tree, outside the root, ``outside/`` with a canary file. Each
case applies one to three hazards and loads the directory with the loader itself (as the org task does,
templates rendered): it is refused with a message naming what to fix, or it loads; either way within
10 s and 200 MB, and no byte of the canary (or of the git credential) appears in any message, loaded
value or the list of files the plan's basis names. Two real ``preview_org.yml`` runs check the same
promise end to end, plan files included.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_saved
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_template
from tests.integration.test_hostile_directories import MEASURE
from tests.support.playbook import ansible_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CANARY = "CANARY=9d41e7-planted-outside-the-org-root\n"
GIT_CANARY = "AUTHORIZATION: basic R0lUSFVCLVRPS0VOLWNhbmFyeQ=="
SECONDS = 10
MEGABYTES = 200
KINDS = ("schemas", "records", "webhooks")
ORG = {
    "org.yml": "records:\n  regions: {key: code}\n",
    "schemas/regions.yml": "name: regions\nfields:\n  - {name: code, type: string, unique: true}\n"
                           "  - {name: label, type: string}\n",
    "records/regions.csv": "code,label\neu,Europe\nus,Americas\n",
    "webhooks/audit.yml": "name: audit\nendpoint: https://hooks.example/audit\n"
                          "event_types: [customobjects.records.changed]\n",
}


def leaked(text):
    """Pieces of the canary or the git credential (8 characters or more) found in ``text``."""
    found = []
    for secret in (CANARY.strip(), GIT_CANARY):
        found += [secret[i:i + 10] for i in range(len(secret) - 9) if secret[i:i + 10] in text]
    return found


def write(path, text):
    """Write ``path``; a FIFO, socket or link an earlier hazard left there is replaced (opening it could block)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path) and (os.path.islink(path) or not os.path.isfile(path)) and not os.path.isdir(path):
        os.remove(path)
    with open(path, "w") as handle:
        handle.write(text)


class World:
    def __init__(self, top):
        self.top = top
        self.outside = os.path.join(top, "outside")
        self.canary = os.path.join(self.outside, "canary.csv")
        write(self.canary, CANARY)
        write(os.path.join(self.outside, "schemas", "stolen.yml"), "name: stolen\ndescription: %s" % json.dumps(CANARY))
        self.repo = os.path.join(top, "repo")
        write(os.path.join(self.repo, ".git", "config"), "[http]\n\textraheader = %s\n" % GIT_CANARY)
        write(os.path.join(self.repo, "orgs", "common", "schemas", "shared.yml"), "name: shared\n")
        self.pristine = os.path.join(top, "pristine")
        for name, text in ORG.items():
            write(os.path.join(self.pristine, name), text)

    def fresh(self, name):
        org = os.path.join(self.repo, "orgs", name)
        shutil.rmtree(org, ignore_errors=True)
        shutil.copytree(self.pristine, org, symlinks=True)
        return org


# -- the hazards: ``hazard(world, org, n)`` changes the org; ``n`` picks a variant ---------------------------------
def pick(options, n):
    return options[n % len(options)]


def kind_file(org, n, suffix=".yml"):
    kind = pick(KINDS, n)
    return os.path.join(org, kind, "hazard%d%s" % (n, suffix if kind != "records" else pick((".yml", ".csv", ".json"), n)))


def link_out(world, org, n):
    target = pick([world.canary, os.path.join(world.outside, "schemas", "stolen.yml"),
                   os.path.relpath(world.canary, os.path.join(org, "schemas"))], n)
    os.symlink(target, kind_file(org, n))


def link_folder_out(world, org, n):
    kind = pick(KINDS, n)
    shutil.rmtree(os.path.join(org, kind))
    os.symlink(pick([os.path.join(world.outside, "schemas"), world.outside, "/", "/dev"], n), os.path.join(org, kind))


def link_to_device(world, org, n):
    device = pick(["/dev/zero", "/dev/urandom", "/dev/null", "/dev/stdin"], n)
    where = pick([kind_file(org, n), os.path.join(org, "zero"), os.path.join(org, "schemas", ".hidden.yml")], n // 4)
    os.symlink(device, where)


def link_loop(world, org, n):
    folder = os.path.join(org, pick(KINDS, n))
    os.symlink("loop-b.yml", os.path.join(folder, "loop-a.yml"))
    os.symlink(pick(["loop-a.yml", "loop-b.yml"], n), os.path.join(folder, "loop-b.yml"))


def link_chain_out(world, org, n):
    """A link to a link inside the directory that leads out: resolved once, to its end."""
    os.symlink(world.canary, os.path.join(org, "inner-link"))
    os.symlink(os.path.join("..", "inner-link"), kind_file(org, n))


def link_into_git(world, org, n):
    config = os.path.join(world.repo, ".git", "config")
    if n % 2:
        os.remove(os.path.join(org, "org.yml"))
        os.symlink(config, os.path.join(org, "org.yml"))
    else:
        os.symlink(config, kind_file(org, n))


def link_inside(world, org, n):
    """A link that stays inside the directory or its base: read (here, an overlay file that is the base's)."""
    write(os.path.join(org, "org.yml"), "base: ../common\nrecords:\n  regions: {key: code}\n")
    target = pick([os.path.join("..", "..", "common", "schemas", "shared.yml"),
                   os.path.join(world.repo, "orgs", "common", "schemas", "shared.yml")], n)
    os.symlink(target, os.path.join(org, "schemas", "shared.yml"))


def fifo(world, org, n):
    where = pick([kind_file(org, n), os.path.join(org, "pipe"), os.path.join(org, "schemas", ".pipe.yml"),
                  os.path.join(org, "org.yml")], n)
    if os.path.exists(where):
        os.remove(where)
    os.mkfifo(where)


def unix_socket(world, org, n):
    where = kind_file(org, n)
    if len(where.encode()) > 100:
        where = os.path.join(org, "schemas", "s.yml")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(where)
    finally:
        server.close()  # the socket file stays


def base(world, org, n):
    options = ["..", "../..", "../../..", "../../../..", "../../../outside", ".", "/etc", "~/x", "",
               "../common", "../common/../../orgs/common", "../nowhere", "..\u0000x", "x" * 5000, 42, ["../common"]]
    value = pick(options, n)
    write(os.path.join(org, "org.yml"), "base: %s\n" % json.dumps(value))


def base_through_link(world, org, n):
    os.symlink(pick([world.outside, "/", os.path.join(world.repo, ".git"), os.path.join(world.repo, "orgs", "common")], n),
               os.path.join(org, "..", "linked-%s-%d" % (os.path.basename(org), n)))
    write(os.path.join(org, "org.yml"), "base: ../linked-%s-%d\n" % (os.path.basename(org), n))


def base_chain(world, org, n):
    """A chain of bases: a cycle, one too long, or one whose last base leaves the root."""
    orgs = os.path.dirname(org)
    names = ["%s-b%d" % (os.path.basename(org), i) for i in range(12)]
    length = pick([2, 3, 11], n)
    write(os.path.join(org, "org.yml"), "base: ../%s\n" % names[0])
    for i in range(length):
        following = pick(["../%s" % names[i + 1] if i + 1 < length else "../%s" % names[0], "../../../outside"], n // 3) \
            if i + 1 == length else "../%s" % names[i + 1]
        write(os.path.join(orgs, names[i], "org.yml"), "base: %s\n" % following)


def names(world, org, n):
    name = pick(["sch\u00e9ma.yml", "\u65e5\u672c.yml", "e\u0301.yml", "a\nb.yml", "{{ x }}.yml", "x" * 250 + ".yml",
                 "README.yml", "...yml", "-.yml", " .yml", "back\\slash.yml", "tab\t.yml", "..", "CON.yml"], n)
    if name == "..":
        return
    write(os.path.join(org, pick(KINDS, n), name), "name: %s\n" % json.dumps("named%d" % n))


def undecodable_name(world, org, n):
    path = os.fsencode(os.path.join(org, pick(KINDS, n))) + b"/" + pick([b"\xff.yml", b"caf\xe9.yml", b"\xc3.csv"], n)
    if not os.path.lexists(path):
        with open(path, "w") as handle:
            handle.write("name: x\n")


def nesting(world, org, n):
    variant = n % 5
    if variant == 0:  # folders in a kind folder, deep
        deep = os.path.join(org, "schemas", *["d%d.yml" % i for i in range(30)])
        os.makedirs(deep)
        write(os.path.join(deep, "x.yml"), "name: deep\n")
    elif variant == 1:  # a kind folder that is a file
        shutil.rmtree(os.path.join(org, "webhooks"))
        write(os.path.join(org, "webhooks"), "name: not a folder\n")
    elif variant == 2:  # org.yml a folder
        os.remove(os.path.join(org, "org.yml"))
        os.mkdir(os.path.join(org, "org.yml"))
    elif variant == 3:  # deep YAML
        depth = pick([70, 3000, 100000], n)
        write(kind_file(org, n), "name: deep\ndescription: " + "[" * depth + "]" * depth + "\n")
    else:  # deep JSON records
        write(os.path.join(org, "records", "regions.json"), "[" * 50000 + "]" * 50000)
        os.remove(os.path.join(org, "records", "regions.csv"))


def templates(world, org, n):
    value = pick([
        "{{ region_label }}", "{{ lookup('file', %s) }}" % json.dumps(world.canary),
        "{%% include %s %%}" % json.dumps(world.canary), "{{ ''.__class__.__mro__ }}",
        "{{ range(10**9) | list | length }}", "{{ 'x' * 10**9 }}", "{{ undefined_name }}",
        "{{ region_label ~ (region_label * 100000) }}", "{%% import %s as x %%}" % json.dumps(world.canary),
        "{{ self.__init__.__globals__ }}"], n)
    write(os.path.join(org, "org.yml"), "templated: true\nrecords:\n  regions: {key: code}\n")
    write(os.path.join(org, "schemas", "templated.yml"), "name: templated\ndescription: %s\n" % json.dumps(value))


HAZARDS = [link_out, link_folder_out, link_to_device, link_loop, link_chain_out, link_into_git, link_inside,
           fifo, unix_socket, base, base_through_link, base_chain, names, undecodable_name, nesting, templates]


class FakeTemplar:
    """The org task's templar for the load: variables are plain values (no template over another)."""

    def template(self, value):
        return value


VARIABLES = {"region_label": "eu", "genesys_org_vars": {"region_label": "eu"}}


def load(org):
    """What the org task's load gives: ``("refused", problems)`` or ``("loaded", items and basis files)``."""
    with org_template.rendering(FakeTemplar(), VARIABLES):
        try:
            loaded = od.load_org(org)
        except od.OrgDirectoryError as exc:
            return "refused", exc
    files = org_saved.definition_files(loaded)
    org_saved.definition_hash({}, loaded)
    return "loaded", dict(files=files, items=[(item.where, item.data) for kind in KINDS for item in loaded[kind]])


def bounded(function, *args):
    """``function(*args)`` in a thread: its result, its wall time and its peak of traced memory (bytes)."""
    outcome = {}
    tracemalloc.start()
    started = time.monotonic()

    def target():
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # noqa: B902 - reported by the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(SECONDS)
    seconds = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not thread.is_alive(), "still running after %d s" % SECONDS
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"], seconds, peak


def check_case(world, hazards, number):
    org = world.fresh("case%d" % number)
    applied = []
    # a kind folder replaced by a link to elsewhere comes last: no later hazard writes through it
    for hazard, n in sorted(hazards, key=lambda pair: pair[0] is link_folder_out):
        try:
            hazard(world, org, n)
        except OSError:
            continue  # an earlier hazard removed or replaced what this one changes
        applied.append("%s(%d)" % (hazard.__name__, n))
    described = ", ".join(applied)
    (outcome, value), seconds, peak = bounded(load, org)
    assert seconds < SECONDS and peak < MEGABYTES << 20, (described, seconds, peak)
    if outcome == "refused":
        text = str(value) + "\n" + "\n".join(value.problems)
        assert value.problems and all(problem.strip() for problem in value.problems), described
        assert "Traceback" not in text and "Errno" not in text, (described, text)
        text.encode("utf-8")  # printable: no lone surrogate of an undecodable file name
    else:
        text = json.dumps(value, default=str, ensure_ascii=False)
    assert leaked(text) == [], (described, leaked(text), text[:2000])
    shutil.rmtree(org, ignore_errors=True)
    return outcome


@pytest.fixture
def world(tmp_path):
    return World(str(tmp_path))


@pytest.mark.parametrize("hazard", HAZARDS, ids=[hazard.__name__ for hazard in HAZARDS])
def test_every_variant_of_each_hazard_refuses_or_loads_bounded_and_shows_nothing_outside_the_root(world, hazard):
    outcomes = set()
    for n in range(16):
        outcomes.add(check_case(world, [(hazard, n)], n))
    if hazard is link_inside:
        assert outcomes == {"loaded"}


def test_generated_combinations_of_hazards_refuse_or_load_bounded_and_show_nothing_outside_the_root(world):
    seen = set()
    count = [0]

    @settings(max_examples=40, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(HAZARDS), st.integers(0, 15)), min_size=2, max_size=3,
                    unique_by=lambda pair: pair[0]))
    def case(hazards):
        count[0] += 1
        check_case(world, hazards, count[0])
        seen.update(hazard.__name__ for hazard, _ in hazards)

    case()
    assert len(seen) >= len(HAZARDS) - 2, sorted(set(hazard.__name__ for hazard in HAZARDS) - seen)


# -- real previews ------------------------------------------------------------------------------------------------
def preview(emulator, world, org, workdir, **extra_vars):
    """``preview_org.yml`` on ``org`` in a process of its own, with both plan files; bounded in time."""
    os.makedirs(workdir)
    plans = dict(genesys_plan_json=os.path.join(workdir, "plan.json"), genesys_plan_markdown=os.path.join(workdir, "plan.md"))
    command = [sys.executable, "-c", MEASURE, os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               os.path.join(REPO, "playbooks", "preview_org.yml"), "-i", "acme,", "-c", "local",
               "-e", json.dumps(dict(plans, genesys_org_dir=org, **extra_vars))]
    env = ansible_env(dict(emulator.env, RESULT_RECORDER_FILE=os.path.join(workdir, "results.jsonl")))
    ran = json.loads(subprocess.run(command, env=env, capture_output=True, text=True, cwd=workdir, timeout=240).stdout)
    assert ran["peak_kb"] < MEGABYTES * 1024, ran["peak_kb"]
    written = ""
    for name in os.listdir(workdir):
        with open(os.path.join(workdir, name), encoding="utf-8", errors="replace") as handle:
            written += handle.read()
    return ran, written


def test_a_preview_of_a_base_above_the_directory_and_a_link_out_is_refused_showing_nothing_outside(
        emulator, world, tmp_path):
    org = world.fresh("acme")
    base(world, org, 2)  # base: ../../.. (above the work tree): on main it made every link inside it readable
    os.remove(os.path.join(org, "records", "regions.csv"))
    os.symlink(world.canary, os.path.join(org, "records", "regions.csv"))
    os.mkfifo(os.path.join(org, "pipe"))
    emulator.clear_requests()
    ran, written = preview(emulator, world, org, str(tmp_path / "run"))
    output = ran["stdout"] + ran["stderr"]
    assert ran["rc"] != 0, output
    assert "org.yml: base: ../../.. lies outside the org root" in output, output
    assert "records/regions.csv: a symbolic link to a place outside the org directory" in output
    assert leaked(output + written) == [] and "canary" not in output
    assert emulator.module_writes() == []


def test_a_preview_with_a_widened_root_reads_a_base_outside_the_work_tree_and_never_opens_a_fifo(
        emulator, world, tmp_path):
    shutil.copytree(os.path.join(world.repo, "orgs", "common"), os.path.join(world.top, "shared"))
    org = world.fresh("acme")
    write(os.path.join(org, "org.yml"), "base: ../../../shared\nrecords:\n  regions: {key: code}\n")
    os.mkfifo(os.path.join(org, "pipe"))
    os.symlink("/dev/zero", os.path.join(org, "zero"))
    os.symlink(world.canary, os.path.join(org, "notes.csv"))  # beside the folders: never read
    ran, written = preview(emulator, world, org, str(tmp_path / "run"), genesys_org_root=world.top)
    output = ran["stdout"] + ran["stderr"]
    assert ran["rc"] == 0, output
    plan = json.loads((tmp_path / "run" / "plan.json").read_text())
    assert "shared" in json.dumps(plan["changes"]), plan["changes"]  # the base outside the work tree was read
    assert sorted(plan["basis"]["files"]) == ["../../../shared/schemas/shared.yml", "org.yml", "records/regions.csv",
                                              "schemas/regions.yml", "webhooks/audit.yml"]
    assert leaked(output + written) == []
    assert emulator.module_writes() == []
