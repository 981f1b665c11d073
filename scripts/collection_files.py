#!/usr/bin/env python3
"""What the collection ships: the files git knows, minus galaxy.yml's ``build_ignore``.

Used to build real ``ansible_collections/genesys/cloud`` trees (ansible-test refuses a symlink)
and the release tarball.
"""
import fnmatch
import os
import shutil
import subprocess

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shipped_files(repo=REPO):
    with open(os.path.join(repo, "galaxy.yml")) as handle:
        ignored = yaml.safe_load(handle).get("build_ignore", [])
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=repo, check=True,
                            capture_output=True, text=True).stdout.splitlines()
    for path in listed:
        if not os.path.isfile(os.path.join(repo, path)):
            continue
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        if any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in ignored):
            continue
        yield path


def copy_collection(dest, extras=(), repo=REPO):
    """Copy the shipped files (and ``extras``, files or directories) to ``dest``, replacing it."""
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    for path in shipped_files(repo):
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(repo, path), target)
    for extra in extras:
        source = os.path.join(repo, extra)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(dest, extra), dirs_exist_ok=True)
        elif os.path.isfile(source):
            os.makedirs(os.path.dirname(os.path.join(dest, extra)), exist_ok=True)
            shutil.copy2(source, os.path.join(dest, extra))
    return dest
