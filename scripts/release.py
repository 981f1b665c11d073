#!/usr/bin/env python3
"""Build the release tarball of the collection: ``release.py [OUTPUT_DIR]`` prints its path.

``release.py --changelog`` (``make changelog-release``) (re)writes the changelog entry of galaxy.yml's
version: it drops that version's entry from changelogs/changelog.yaml, if any, and runs
``antsibull-changelog release --reload-plugins``, which collects every fragment in
changelogs/fragments that no earlier release lists (fragments are kept, ``keep_fragments: true``)
and every plugin whose ``version_added`` is that version. Run it again after merging a branch
with new fragments. It refuses when git has a tag for that version (published: make a new one).

The tarball is built from a copy of what the collection ships (galaxy.yml ``build_ignore``),
in which README.md is the repository README without what only a clone of the repository has:
the developer set-up section (``make demo``, ``make test``) and the list items that point at
developer docs or at ``make`` targets. Refuses to build when galaxy.yml's version has no
release in changelogs/changelog.yaml or CHANGELOG.rst does not describe it.
"""
import os
import re
import subprocess
import sys

import yaml

from collection_files import REPO, copy_collection

STAGE = os.path.join(REPO, "build", "release", "ansible_collections", "genesys", "cloud")
# Sections of README.md that only make sense in a clone of the repository.
DEVELOPER_SECTIONS = ("Set-up",)
DEVELOPER_WORDS = re.compile(r"`make |scripts/|emulator/|requirements-dev|constraints\.txt|docs/(developing|emulator|benchmark|getting_started)\.md")


def collection_readme(text):
    """README.md for people who install the collection (see the module docstring)."""
    out, skipping_section, skipping_item = [], False, False
    for line in text.splitlines():
        if line.startswith("## "):
            skipping_section = line[3:].startswith(DEVELOPER_SECTIONS)
            skipping_item = False
        if skipping_section:
            continue
        if line.startswith("- "):
            skipping_item = bool(DEVELOPER_WORDS.search(line))
        elif not line.startswith("  "):
            skipping_item = False
        if skipping_item:
            continue
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def check_release_notes(version):
    with open(os.path.join(REPO, "changelogs", "changelog.yaml")) as handle:
        releases = yaml.safe_load(handle).get("releases") or {}
    if version not in releases:
        sys.exit("galaxy.yml says version %s, but changelogs/changelog.yaml has no such release: run "
                 "'antsibull-changelog release --version %s' first" % (version, version))
    with open(os.path.join(REPO, "CHANGELOG.rst")) as handle:
        if "\nv%s\n" % version not in handle.read():
            sys.exit("CHANGELOG.rst does not describe %s: run 'antsibull-changelog generate'" % version)


def changelog_release(repo=REPO):
    with open(os.path.join(repo, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    tags = subprocess.run(["git", "tag", "--list", version, "v" + version], cwd=repo, check=True,
                          capture_output=True, text=True).stdout.split()
    if tags:
        sys.exit("git tag %s exists: %s is published, so its changelog stays; raise galaxy.yml's version"
                 % (tags[0], version))
    path = os.path.join(repo, "changelogs", "changelog.yaml")
    with open(path) as handle:
        changes = yaml.safe_load(handle)
    if version in (changes.get("releases") or {}):
        del changes["releases"][version]
        with open(path, "w") as handle:
            yaml.safe_dump(changes, handle, default_flow_style=False, sort_keys=True)
        print("dropped the %s entry of changelogs/changelog.yaml" % version, file=sys.stderr)
    tool = os.path.join(os.path.dirname(sys.executable), "antsibull-changelog")
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    subprocess.run([tool, "release", "--reload-plugins", "--version", version], cwd=repo, check=True, env=env)
    return version


def build(output_dir):
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    check_release_notes(version)
    copy_collection(STAGE)
    with open(os.path.join(REPO, "README.md")) as handle:
        readme = collection_readme(handle.read())
    with open(os.path.join(STAGE, "README.md"), "w") as handle:
        handle.write(readme)
    os.makedirs(output_dir, exist_ok=True)
    galaxy = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")
    subprocess.run([galaxy, "collection", "build", "--force", "--output-path", output_dir, STAGE],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(output_dir, "genesys-cloud-%s.tar.gz" % version)


if __name__ == "__main__":
    if sys.argv[1:] == ["--changelog"]:
        print("changelog of %s written: changelogs/changelog.yaml, CHANGELOG.rst" % changelog_release())
        sys.exit(0)
    print(build(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build", "release"))))
