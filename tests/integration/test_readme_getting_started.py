"""README's "Getting started" commands, run as written (FQCN playbooks) against the emulator."""
import os
import re
import shlex
import shutil
import subprocess

from tests.conftest import REPO
from tests.support.playbook import ANSIBLE_BIN, ansible_env


def getting_started_commands():
    with open(os.path.join(REPO, "README.md")) as handle:
        text = handle.read()
    section = text.split("\n## Getting started\n", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.strip().startswith("ansible-playbook ")]


def run(command, cwd, env):
    arguments = shlex.split(command)
    arguments[0] = os.path.join(ANSIBLE_BIN, "ansible-playbook")
    return subprocess.run(arguments, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_getting_started_exports_previews_and_applies_an_org(emulator, tmp_path):
    commands = getting_started_commands()
    assert [re.search(r"genesys\.cloud\.(\w+)", command).group(1) for command in commands] == [
        "export_org", "preview_org", "configure_org"]
    env = ansible_env(emulator.env)
    export, preview, configure = commands

    exported = run(export, str(tmp_path), env)
    assert exported.returncode == 0, exported.stdout[-3000:] + exported.stderr
    assert (tmp_path / "orgs" / "myorg").is_dir()

    # "Edit orgs/myorg/": here, the example org's definition.
    shutil.rmtree(str(tmp_path / "orgs" / "myorg"))
    shutil.copytree(os.path.join(REPO, "examples", "orgs", "acme"), str(tmp_path / "orgs" / "myorg"))
    previewed = run(preview, str(tmp_path), env)
    assert previewed.returncode == 0, previewed.stdout[-3000:] + previewed.stderr
    assert "schemas: create 4" in previewed.stdout
    assert emulator.schemas() == []

    configured = run(configure, str(tmp_path), env)
    assert configured.returncode == 0, configured.stdout[-3000:] + configured.stderr
    assert sorted(schema["name"] for schema in emulator.schemas()) == [
        "customerAccounts", "regions", "serviceTiers", "supportContacts"]
    assert sorted(hook["name"] for hook in emulator.webhooks()) == ["account-changes", "schema-audit"]
