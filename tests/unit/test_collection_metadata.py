"""The collection's metadata stays consistent with its content."""
import ast
import os
import subprocess
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = os.path.join(REPO, "plugins", "modules")


def module_files():
    return sorted(name for name in os.listdir(MODULES) if name.endswith(".py")) if os.path.isdir(MODULES) else []


def test_action_group_lists_every_module():
    result = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "update_action_group.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    with open(os.path.join(REPO, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    assert sorted(runtime["action_groups"]["all"] or []) == [name[:-3] for name in module_files()]


def test_galaxy_metadata():
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)
    assert (galaxy["namespace"], galaxy["name"]) == ("genesys", "cloud")
    assert galaxy["version"].count(".") == 2
    assert "emulator" in galaxy["build_ignore"] and "tests/output" in galaxy["build_ignore"]


def test_every_module_uses_the_auth_fragment_and_the_shared_runner():
    for name in module_files():
        with open(os.path.join(MODULES, name)) as handle:
            source = handle.read()
        tree = ast.parse(source)
        docs = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and getattr(node.targets[0], "id", None) == "DOCUMENTATION"]
        assert docs, name
        fragments = yaml.safe_load(docs[0]).get("extends_documentation_fragment") or []
        assert "genesys.cloud.auth" in fragments, name
        if "def main" not in source:
            # Documentation of an action plugin that runs on the controller (org, org_export).
            assert os.path.exists(os.path.join(REPO, "plugins", "action", name)), name
            continue
        assert "module_utils.runner import" in source, name


def test_runtime_requirements_are_only_requests_and_jsonschema():
    with open(os.path.join(REPO, "requirements.txt")) as handle:
        names = [line.split(">=")[0].split("==")[0].strip() for line in handle
                 if line.strip() and not line.startswith("#")]
    assert names == ["requests", "jsonschema"]


def test_plugins_never_import_the_emulator():
    for folder, _dirs, files in os.walk(os.path.join(REPO, "plugins")):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name)) as handle:
                    assert "genesys_emulator" not in handle.read(), os.path.join(folder, name)
