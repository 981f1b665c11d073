"""Release notes and version_added agree: every plugin and option was added in a released version.

``changelogs/changelog.yaml`` is what antsibull-changelog released; galaxy.yml's version must be
released there (``make changelog-release``), every ``version_added`` must name a released version
no later than it, and a plugin is listed as new in exactly the release its ``version_added`` names.
"""
import ast
import os
import shutil
import subprocess
import sys

import pytest
import yaml
from packaging.version import Version

from tests.conftest import REPO

sys.path.insert(0, os.path.join(REPO, "scripts"))
import release  # noqa: E402

PLUGIN_TYPES = ("modules", "lookup", "filter", "callback", "inventory", "connection", "test")


def load(path):
    with open(os.path.join(REPO, path)) as handle:
        return yaml.safe_load(handle)


def released():
    return load("changelogs/changelog.yaml")["releases"]


def plugin_docs():
    """(type, name) -> DOCUMENTATION of every plugin with documentation in the collection."""
    docs = {}
    for kind in PLUGIN_TYPES:
        folder = os.path.join(REPO, "plugins", kind)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
            if not name.endswith(".py") or name.startswith("_"):
                continue
            with open(os.path.join(folder, name)) as handle:
                tree = ast.parse(handle.read())
            for node in tree.body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "DOCUMENTATION":
                    docs[(kind, name[:-3])] = yaml.safe_load(node.value.value)
    return docs


def fragment_docs():
    folder = os.path.join(REPO, "plugins", "doc_fragments")
    docs = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name)) as handle:
                tree = ast.parse(handle.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                        isinstance(node.value.value, str) and node.targets[0].id.isupper():
                    docs["%s.%s" % (name[:-3], node.targets[0].id.lower())] = yaml.safe_load(node.value.value)
    return docs


def version_added_entries(doc, where):
    """(where, version) for the plugin, each option (suboptions too), attribute and return value."""
    found = []
    if doc.get("version_added") is not None:
        found.append((where, str(doc["version_added"])))

    def walk(options, prefix):
        for name, spec in (options or {}).items():
            if not isinstance(spec, dict):
                continue
            if spec.get("version_added") is not None:
                found.append(("%s %s" % (prefix, name), str(spec["version_added"])))
            walk(spec.get("suboptions") or spec.get("options") or spec.get("contains"), "%s %s." % (prefix, name))

    walk(doc.get("options"), where + " option")
    walk(doc.get("attributes"), where + " attribute")
    return found


def role_entries():
    found = []
    for role in sorted(os.listdir(os.path.join(REPO, "roles"))):
        path = os.path.join("roles", role, "meta", "argument_specs.yml")
        if os.path.exists(os.path.join(REPO, path)):
            for entry, spec in (load(path).get("argument_specs") or {}).items():
                found += version_added_entries(spec, "role %s (%s)" % (role, entry))
    return found


def test_galaxy_version_is_released_with_a_summary():
    version = load("galaxy.yml")["version"]
    assert version in released(), "run 'make changelog-release'"
    assert released()[version]["changes"].get("release_summary")


def test_every_version_added_is_a_released_version_no_later_than_galaxy_yml():
    galaxy = Version(load("galaxy.yml")["version"])
    entries = []
    for (kind, name), doc in plugin_docs().items():
        entries += version_added_entries(doc, "%s %s" % (kind, name))
        if kind == "modules" or kind in ("lookup", "filter", "callback"):
            assert doc.get("version_added"), "%s %s has no version_added" % (kind, name)
    for name, doc in fragment_docs().items():
        entries += version_added_entries(doc, "doc fragment " + name)
    entries += role_entries()
    assert len(entries) >= 12
    wrong = ["%s: %s" % (where, version) for where, version in entries
             if version not in released() or Version(version) > galaxy]
    assert wrong == [], "version_added must name a release in changelogs/changelog.yaml: %s" % wrong


def test_each_plugin_is_new_in_the_release_its_version_added_names():
    listed = {}
    for version, entry in released().items():
        for module in entry.get("modules") or []:
            listed.setdefault(("modules", module["name"]), []).append(version)
        for kind, plugins in (entry.get("plugins") or {}).items():
            for plugin in plugins:
                listed.setdefault((kind, plugin["name"]), []).append(version)
    docs = plugin_docs()
    wrong = ["%s %s: version_added %s, new in %s" % (kind, name, doc.get("version_added"), listed.get((kind, name)))
             for (kind, name), doc in sorted(docs.items()) if listed.get((kind, name)) != [str(doc.get("version_added"))]]
    assert wrong == []
    assert sorted(set(listed) - set(docs)) == []  # no release lists a plugin the collection no longer has


@pytest.fixture
def repo_copy(tmp_path):
    """What antsibull-changelog reads, in a git checkout of its own."""
    copy = tmp_path / "repo"
    copy.mkdir()
    for path in ("galaxy.yml", "changelogs", "plugins", "meta", "roles", "CHANGELOG.rst"):
        source = os.path.join(REPO, path)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, str(copy / path))
    subprocess.run(["git", "init", "-q"], cwd=str(copy), check=True)
    return copy


@pytest.mark.slow
def test_changelog_release_redoes_the_entry_with_a_late_fragment(repo_copy, monkeypatch):
    """What the release manager runs after merging a branch: the late fragment lands in the release."""
    version = load("galaxy.yml")["version"]
    (repo_copy / "changelogs" / "fragments" / "99-late.yml").write_text(
        "---\nbugfixes:\n  - webhook - a late fix from a merged branch.\n")
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections"))
    assert release.changelog_release(str(repo_copy)) == version
    with open(str(repo_copy / "changelogs" / "changelog.yaml")) as handle:
        after = yaml.safe_load(handle)["releases"]
    entry = after[version]
    assert "99-late.yml" in entry["fragments"]
    assert "webhook - a late fix from a merged branch." in entry["changes"]["bugfixes"]
    # Nothing else moved: the earlier fragments, the plugins and the older releases are as released.
    before = released()
    assert sorted(entry["fragments"]) == sorted(before[version]["fragments"] + ["99-late.yml"])
    assert entry.get("modules") == before[version].get("modules")
    assert dict((v, e) for v, e in after.items() if v != version) == dict(
        (v, e) for v, e in before.items() if v != version)
    assert "a late fix from a merged branch" in (repo_copy / "CHANGELOG.rst").read_text()


def test_changelog_release_refuses_a_published_version(repo_copy):
    version = load("galaxy.yml")["version"]
    for command in (["git", "add", "-A"], ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit",
                                            "-qm", "release"], ["git", "tag", version]):
        subprocess.run(command, cwd=str(repo_copy), check=True)
    with pytest.raises(SystemExit) as refused:
        release.changelog_release(str(repo_copy))
    assert "is published" in str(refused.value)
