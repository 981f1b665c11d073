"""The release tarball (what `make release` builds): its contents, and galaxy-importer's verdict.

`make release` builds the tarball and runs this file against it (RELEASE_TARBALL); in the full
suite the tarball is built here. galaxy-importer runs offline in its own pinned virtual
environment, build/importer-venv (created on first use from importer-requirements.txt).
"""
import json
import os
import re
import subprocess
import sys
import tarfile
import venv

import pytest
import yaml

from tests.conftest import REPO

sys.path.insert(0, os.path.join(REPO, "scripts"))
import release  # noqa: E402

IMPORTER_VENV = os.path.join(REPO, "build", "importer-venv")
IMPORTER_REQUIREMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "importer-requirements.txt")
DEVELOPER_FILES = ("constraints.txt", "requirements-dev.txt", "Makefile", "pytest.ini", "docs/developing.md",
                   "docs/emulator.md", "docs/benchmark.md", "docs/getting_started.md", "docs/openapi.yaml")
DEVELOPER_DIRS = ("emulator/", "scripts/", "bench/", "tests/unit/", "tests/integration/", "tests/support/",
                  "tests/matrix/", "tests/release/", ".ci/", ".venv/", "build/", "collections/")
# What would send someone who installed the collection to things only a clone of the repository has.
DEVELOPER_INSTRUCTIONS = re.compile(
    r"make (demo|test|emulator|bench|release|docs|venv)\b|scripts/|emulator/|genesys_emulator|requirements-dev|"
    r"constraints\.txt|(?<!main/)docs/(developing|emulator|benchmark|getting_started)\.md")


def galaxy_version():
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        return yaml.safe_load(handle)["version"]


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    given = os.environ.get("RELEASE_TARBALL")
    if given:
        return given
    return release.build(str(tmp_path_factory.mktemp("release")))


@pytest.fixture(scope="module")
def shipped(tarball):
    with tarfile.open(tarball) as archive:
        return dict((member.name, archive.extractfile(member).read().decode("utf-8", "replace"))
                    for member in archive.getmembers() if member.isfile())


def test_the_release_is_the_version_galaxy_yml_names_with_its_changelog(tarball, shipped):
    version = galaxy_version()
    with open(os.path.join(REPO, "changelogs", "changelog.yaml")) as handle:
        assert version in yaml.safe_load(handle)["releases"]
    assert os.path.basename(tarball) == "genesys-cloud-%s.tar.gz" % version
    assert json.loads(shipped["MANIFEST.json"])["collection_info"]["version"] == version
    changelog = shipped["CHANGELOG.rst"]
    assert "\nv%s\n" % version in changelog and "genesys.cloud.flex_schema_info" in changelog
    assert "changelogs/changelog.yaml" in shipped


# Names and contents secret scanners flag: a shipped file must match neither.
SECRET_NAMES = re.compile(r"(password|passwd|secret|token|credential)s?(\.txt|\.json|\.ya?ml|\.env)?$|\.(pem|key|p12|pfx)$|"
                          r"(^|/)(id_rsa|id_ed25519|\.env|\.netrc|\.vault_pass)", re.I)
SECRET_CONTENT = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----|aws_secret_access_key\s*=|gh[pousr]_[A-Za-z0-9]{30,}")


def test_the_tarball_ships_a_root_license_and_nothing_that_looks_like_a_secret(shipped):
    with open(os.path.join(REPO, "LICENSES", "GPL-3.0-or-later.txt")) as handle:
        assert shipped["LICENSE"] == handle.read()
    assert [name for name in sorted(shipped) if SECRET_NAMES.search(os.path.basename(name))] == []
    assert [name for name, text in sorted(shipped.items()) if SECRET_CONTENT.search(text)] == []
    # The example vault files are encrypted with a password a user types or an env-var script prints.
    assert "examples/inventory/example-vault-env.sh" in shipped
    assert "GENESYS_EXAMPLE_VAULT_PASSWORD" in shipped["examples/inventory/README.md"]


def test_the_secret_checks_catch_a_password_file_and_a_private_key():
    assert SECRET_NAMES.search("vault-password.txt") and SECRET_NAMES.search("client_secret.yml")
    assert SECRET_NAMES.search("server.pem") and not SECRET_NAMES.search("example-vault-env.sh")
    assert SECRET_CONTENT.search("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")


def test_the_shipped_readme_says_how_to_install_from_galaxy_and_how_to_start(shipped):
    readme = shipped["README.md"]
    assert "ansible-galaxy collection install genesys.cloud" in readme
    assert "requirements.yml" in readme and "## Getting started" in readme
    assert "ansible-galaxy collection build" not in readme
    for section in ("## Communication", "## Support", "## Contributing", "## Code of Conduct", "## Release notes"):
        assert section in readme, section


@pytest.mark.slow
def test_ansible_lint_production_passes_on_the_extracted_tarball(tarball, tmp_path):
    """As a user's CI lints an installed collection: without the repository's .ansible-lint or .yamllint."""
    root = tmp_path / "ansible_collections" / "genesys" / "cloud"
    root.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(str(root), filter="data")
    assert not (root / ".ansible-lint").exists() and not (root / ".yamllint").exists()
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path),
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-lint"), "--offline", "--profile",
                          "production", "--nocolor"], cwd=str(root), env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "Passed" in run.stdout + run.stderr


def test_no_developer_pins_sources_or_docs_are_shipped(shipped):
    names = sorted(shipped)
    assert not [name for name in names if name in DEVELOPER_FILES or name.startswith(DEVELOPER_DIRS)]
    assert [name for name in names if name.startswith("tests/")] == ["tests/config.yml"]
    for needed in ("README.md", "requirements.txt", "meta/runtime.yml", "plugins/lookup/custom_object_records.py",
                   "docs/org_as_code.md", "roles/org/README.md", "playbooks/configure_org.yml"):
        assert needed in shipped, needed
    # The AWX project kit, whole: its collection requirements and its controller configuration as code too.
    for needed in ("collections/requirements.yml", "preview_org.yml", "configure_org.yml", "controller/genesys_cloud.yml",
                   "controller/configure_controller.yml", "README.md"):
        assert "examples/awx_project/" + needed in shipped, needed


def test_no_shipped_text_tells_a_user_to_use_what_only_the_repository_has(shipped):
    offending = ["%s: %s" % (name, match.group(0)) for name, text in sorted(shipped.items())
                 for match in DEVELOPER_INSTRUCTIONS.finditer(text)]
    assert offending == []
    readme = shipped["README.md"]
    assert "## What is in the box" in readme and "genesys.cloud.audit" in readme and "Set-up" not in readme


def test_collection_readme_drops_developer_sections_and_items():
    text = ("# t\n\nIntro.\n\n## Set-up: two commands\n\n    make demo\n\n## Docs\n\n- [Guide](docs/records.md).\n"
            "- [Getting started](docs/getting_started.md): from `make demo`\n  to your org.\n- [Audit](docs/audit.md).\n"
            "\n## License\n\nGPL.\n")
    assert release.collection_readme(text) == (
        "# t\n\nIntro.\n\n## Docs\n\n- [Guide](docs/records.md).\n- [Audit](docs/audit.md).\n\n## License\n\nGPL.\n")


def importer_python():
    python = os.path.join(IMPORTER_VENV, "bin", "python")
    if not os.path.exists(os.path.join(IMPORTER_VENV, ".installed")):
        venv.create(IMPORTER_VENV, with_pip=True, clear=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", IMPORTER_REQUIREMENTS], check=True)
        open(os.path.join(IMPORTER_VENV, ".installed"), "w").close()
    return python


@pytest.mark.slow
def test_galaxy_importer_imports_the_tarball_without_a_warning(tarball, tmp_path):
    python = importer_python()
    env = dict(os.environ, PATH=os.path.dirname(python) + os.pathsep + os.environ["PATH"])
    for name in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_CALLBACK_PLUGINS", "ANSIBLE_CALLBACKS_ENABLED"):
        env.pop(name, None)
    run = subprocess.run([python, "-m", "galaxy_importer.main", os.path.abspath(tarball)], cwd=str(tmp_path),
                         env=env, capture_output=True, text=True, timeout=900)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Importer processing completed successfully" in output
    assert [line for line in output.splitlines() if "WARNING" in line or "ERROR" in line] == [], output
    result = json.loads((tmp_path / "importer_result.json").read_text())
    names = sorted(item["name"] for item in result["contents"])
    for expected in ("flex_schema", "custom_object_records", "audit", "org", "schema_order"):
        assert expected in names
