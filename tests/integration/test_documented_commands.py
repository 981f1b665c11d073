"""Every command the README and docs/ tell a user to run is exercised here, at a small size.

The make targets run for real (``make demo``, ``make emulator``); a documented ansible-playbook
command line is checked with ``--syntax-check`` exactly as written (playbook, inventory, extra-vars
files), and its full run is covered by the demo or the playbook tests. A new ``make`` target or
playbook line in the docs fails :func:`test_every_documented_command_is_exercised` until it is
added to ``EXERCISED`` with the test that runs it.
"""
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)

# make target -> where it is exercised ("CI" means .ci/run runs it itself).
EXERCISED = {
    "demo": "tests/integration/test_documented_commands.py::test_make_demo",
    "demo-events": "tests/integration/test_eda_demo.py::test_make_demo_events",
    "java": "tests/integration/test_eda_demo.py::test_make_demo_events",
    "bench-eda": "tests/integration/test_eda_demo.py::test_make_bench_eda_writes_its_section",
    "test": "CI: .ci/run",
    "emulator": "tests/integration/test_documented_commands.py::test_make_emulator_serves_the_demo_client",
    "bench": "tests/integration/test_bench.py::test_bench_writes_its_section_and_keeps_the_others",
    "bench-org": "tests/integration/test_documented_commands.py::test_make_bench_org_writes_its_section",
    "bench-pool": "tests/integration/test_documented_commands.py::test_make_bench_pool_writes_its_section_from_its_log",
    "bench-datatable": "tests/integration/test_datatable_bench.py::test_the_data_table_bench_runs_at_the_floor_and_writes_its_section",
    "test-matrix": "CI: .ci/run",
    "docs-lint": "CI: a prerequisite of make test",
    "docs": "tests/docs/test_docs_site.py::test_every_module_role_plugin_and_guide_page_renders",
    "chromium": "tests/docs/test_docs_site.py::test_every_module_role_plugin_and_guide_page_renders",
    "release": "tests/release/test_release.py::test_galaxy_importer_imports_the_tarball_without_a_warning",
    "changelog-release": "tests/release/test_changelog.py::test_changelog_release_redoes_the_entry_with_a_late_fragment",
}

# The example inventory's vault password, as examples/inventory/README.md documents it.
EXAMPLE_VAULT_PASSWORD = "genesys-cloud-example-vault"

# Maintainer targets that rewrite pinned files from the package index: documented, never run by tests.
MAINTENANCE = {
    "constraints": "re-pins constraints.txt",
    "matrix-constraints": "re-pins tests/matrix/constraints-*.txt",
}


def documents():
    paths = [os.path.join(REPO, "README.md")] + sorted(glob.glob(os.path.join(REPO, "docs", "*.md")))
    paths += sorted(glob.glob(os.path.join(REPO, "roles", "*", "README.md")))
    paths += sorted(glob.glob(os.path.join(REPO, "examples", "**", "README.md"), recursive=True))
    paths += sorted(glob.glob(os.path.join(REPO, "playbooks", "*.yml")))
    return paths


def _text(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def documented_make_targets():
    targets = {}
    for path in documents():
        for target in re.findall(r"`make ([a-z][a-z0-9-]*)`|^\s+make ([a-z][a-z0-9-]*)", _text(path), re.M):
            name = target[0] or target[1]
            targets.setdefault(name, os.path.relpath(path, REPO))
    return targets


def documented_playbook_lines():
    """Every ``ansible-playbook ... playbooks/X.yml ...`` command line, continuation lines joined."""
    lines = []
    for path in documents():
        text = re.sub(r"\\\n[#\s]*", " ", _text(path))
        for match in re.finditer(r"ansible-playbook ([^\n`]*playbooks/\S+\.yml[^\n`]*)", text):
            lines.append((os.path.relpath(path, REPO), match.group(1).strip()))
    return lines


def make_test_prerequisites():
    """The targets ``make test`` runs first (``test: venv pytest sanity ...``)."""
    found = re.search(r"^test:([^\n]*)", _text(os.path.join(REPO, "Makefile")), re.M)
    return set(found.group(1).split()) if found else set()


def makefile_targets():
    return set(re.findall(r"^([a-z][a-z0-9-]*):", _text(os.path.join(REPO, "Makefile")), re.M))


def test_every_documented_command_is_exercised():
    targets = documented_make_targets()
    assert {"demo", "test"} <= set(targets)
    missing = dict((name, where) for name, where in targets.items() if name not in makefile_targets())
    assert not missing, "documented make targets that the Makefile lacks: %s" % missing
    untested = dict((name, where) for name, where in targets.items() if name not in EXERCISED and name not in MAINTENANCE)
    assert not untested, "documented make targets no test runs (add them to EXERCISED): %s" % untested
    for name, where in EXERCISED.items():
        if where.startswith("CI:"):
            assert "make %s" % name in _text(os.path.join(REPO, ".ci", "run")) or name in make_test_prerequisites(), name
            continue
        path, test = where.split("::")
        assert "def %s(" % test in _text(os.path.join(REPO, path)), where
    assert len(documented_playbook_lines()) >= 5


def _concrete(argument, tmp_path):
    """A documented command's placeholder made concrete (the user's own inventory or file)."""
    placeholders = {"inventory/hosts.yml": "examples/inventory/hosts.yml", "@my-schemas.yml": "@examples/schema_change.yml",
                    "@schemas.yml": "@examples/schema_change.yml"}
    return placeholders.get(argument, argument)


@pytest.mark.parametrize("where,line", documented_playbook_lines(), ids=lambda value: str(value)[:60])
def test_documented_playbook_line_is_valid_as_written(where, line, tmp_path):
    arguments = [_concrete(argument, tmp_path) for argument in shlex.split(line, comments=True) if argument != "..."]
    arguments = [argument for argument in arguments if argument != "--ask-vault-pass"]
    if any("vault" in argument for argument in arguments) or "examples/inventory/hosts.yml" in arguments:
        if "--vault-password-file" not in arguments:  # --ask-vault-pass: the example's documented script instead
            arguments += ["--vault-password-file", "examples/inventory/example-vault-env.sh"]
    for argument in arguments:
        if argument.startswith("@"):
            assert os.path.isfile(os.path.join(REPO, argument[1:])), "%s: %s names a missing file" % (where, argument)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"),
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
               GENESYS_EXAMPLE_VAULT_PASSWORD=EXAMPLE_VAULT_PASSWORD)
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "--syntax-check"] + arguments, cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, "%s: ansible-playbook %s\n%s%s" % (where, line, run.stdout, run.stderr)


def _make(*arguments, **kwargs):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.Popen(["make", "--no-print-directory"] + list(arguments), cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def test_make_bench_pool_writes_its_section_from_its_log(tmp_path):
    """``make bench-pool`` (its measuring takes half an hour at the real limit): the report from the committed log
    replaces only its own section, with every pool size of every run and issue 29's goals."""
    report = tmp_path / "benchmark.md"
    report.write_text("# Benchmarks\n\nAnother benchmark's section.\n")
    log = os.path.join(REPO, "bench", "results", "pool-bench-2026-12-06.jsonl")
    process = _make("bench-pool", "BENCH_POOL_ARGS=--from-log %s --write %s" % (log, report))
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output[-6000:]
    text = report.read_text()
    assert text.startswith("# Benchmarks\n\nAnother benchmark's section.\n")
    section = text.split("<!-- pool-bench:start -->")[1].split("<!-- pool-bench:end -->")[0]
    for tokens in ("| 1 |", "| 4 |", "| 8 |"):
        assert tokens in section
    assert "1,000,000" in section and "100,000" in section


def test_make_emulator_serves_the_demo_client():
    """``make emulator`` (on a free port here) answers the client the getting-started guide names."""
    process = _make("emulator", "EMULATOR_PORT=0", start_new_session=True)
    try:
        announced = None
        for line in process.stdout:
            if line.startswith("{"):
                announced = json.loads(line)
                break
        assert announced, "make emulator printed no address"
        body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "demo-client",
                                       "client_secret": "demo-secret"}).encode()
        with urllib.request.urlopen(announced["url"] + "/oauth/token", body, timeout=10) as answer:
            assert json.load(answer)["access_token"]
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)


def test_make_demo():
    """``make demo``: preview, apply, re-apply (changed=0), schema change, export — exit 0 and the summary."""
    process = _make("demo")
    output, _ = process.communicate(timeout=900)
    assert process.returncode == 0, output[-6000:]
    assert "PLAY RECAP says changed=0" in output
    assert re.search(r"records:\s+customerAccounts\.jsonl", output) or "records:" in output
    assert "Done in" in output


def test_make_bench_org_writes_its_section(tmp_path):
    """``make bench-org`` at a tiny size: both paths measured, its section replaced, the rest kept."""
    report = tmp_path / "benchmark.md"
    report.write_text("# Benchmarks\n\nAnother benchmark's section.\n")
    process = _make("bench-org", "BENCH_ORG_ARGS=--sizes 2 --records 3 --webhooks 1 --write %s" % report)
    output, _ = process.communicate(timeout=900)
    assert process.returncode == 0, output[-6000:]
    text = report.read_text()
    assert text.startswith("# Benchmarks\n\nAnother benchmark's section.\n")
    rows = [line for line in text.splitlines() if line.startswith("| 2 |")]
    assert [row.split(" | ")[1:3] for row in rows] == [
        [path, run] for path in ("org", "per-object") for run in ("preview", "first apply", "no-op")]
    for row in rows:
        requests_made, floor = int(row.split(" | ")[4]), int(row.split(" | ")[5])
        assert requests_made >= floor > 0, row
        assert row.split(" | ")[6:8] == ["3", "off"], row  # records per schema, rate limit
        if row.split(" | ")[1] == "org":
            assert requests_made <= floor * 1.1 + 1, row  # issue #9: the org path stays within 10 % of the floor
    assert text.count("<!-- org-bench:start -->") == 1 and text.rstrip().endswith("<!-- org-bench:end -->")
