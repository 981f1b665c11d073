"""The floors (docs/developing.md): modules are docs and a call, resources live in module_utils, no
plugin_utils/module_utils file over 500 lines, nothing outside plugins/modules/ imports a module plugin."""
import glob
import os

from ansible_collections.genesys.cloud.plugins.plugin_utils import inprocess

from tests.unit.test_records_layout import code_lines

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_schema_and_webhook_modules_are_docs_an_argument_spec_and_a_call():
    for name in ("flex_schema", "webhook"):
        lines = code_lines(os.path.join(REPO, "plugins", "modules", name + ".py"))
        assert len(lines) <= 120, (name, len(lines))
        assert not any(line.startswith("def ") and not line.startswith("def main(") for line in lines), name
        task = inprocess.load_module(name)
        assert task.__name__.endswith("_apply") and callable(task.run) and "argument_spec" in task.ARGUMENTS


def test_no_shared_file_is_over_500_lines():
    paths = glob.glob(os.path.join(REPO, "plugins", "module_utils", "kinds", "**", "*.py"), recursive=True)
    assert len(paths) > 3  # the kind packages are checked too
    for folder in ("module_utils", "plugin_utils"):
        paths += glob.glob(os.path.join(REPO, "plugins", folder, "**", "*.py"), recursive=True)
    for path in paths:
        with open(path) as handle:
            assert len(handle.read().splitlines()) <= 500, path


def test_the_kind_packages_import_nothing_of_the_controller_or_a_module():
    """module_utils/kinds/ is module_utils: no plugin_utils, no module plugin (the sanity import test's rule)."""
    for path in glob.glob(os.path.join(REPO, "plugins", "module_utils", "kinds", "**", "*.py"), recursive=True):
        with open(path) as handle:
            imports = [line for line in handle.read().splitlines() if line.lstrip().startswith(("from ", "import "))]
        assert not [line for line in imports if "plugin_utils" in line or "plugins.modules" in line], path


def test_the_org_run_imports_no_module_plugin_and_has_no_stand_in_client():
    for path in glob.glob(os.path.join(REPO, "plugins", "plugin_utils", "org_*.py")) + \
            glob.glob(os.path.join(REPO, "plugins", "module_utils", "*.py")) + \
            glob.glob(os.path.join(REPO, "plugins", "module_utils", "kinds", "**", "*.py"), recursive=True):
        with open(path) as handle:
            source = handle.read()
        assert "plugins.modules" not in source, path
        if os.path.basename(path) != "org_directory.py":  # the loader (branch i19-dir) checks items by their specs
            assert "load_module(" not in source, path
        assert "OrgView" not in source and "remember_prediction" not in source, path


def test_every_module_is_docs_and_a_call_and_no_plugin_imports_a_module_file():
    for path in glob.glob(os.path.join(REPO, "plugins", "modules", "*.py")):
        lines = code_lines(path)
        assert len(lines) <= 120, (path, len(lines))
        assert not any(line.startswith(("def ", "class ")) and not line.startswith("def main(") for line in lines), path
    for path in glob.glob(os.path.join(REPO, "plugins", "*", "*.py")):
        if os.sep + "modules" + os.sep in path:
            continue
        with open(path) as handle:
            assert "plugins.modules" not in handle.read(), path
    for name in inprocess.TASKS:
        task = inprocess.load_module(name)
        assert ".module_utils." in task.__name__ and callable(task.run) and "argument_spec" in task.ARGUMENTS, name


def test_the_kind_packages_import_without_the_controllers_libraries():
    """The sanity import test imports module_utils with ansible-core's module side only: no PyYAML, Jinja2."""
    import subprocess
    import sys
    names = sorted("ansible_collections.genesys.cloud." + os.path.relpath(path, REPO)[:-3].replace(os.sep, ".")
                   .replace(".__init__", "")
                   for path in glob.glob(os.path.join(REPO, "plugins", "module_utils", "kinds", "**", "*.py"),
                                         recursive=True))
    code = ("import importlib, sys\nfor blocked in ('yaml', 'jinja2', 'cryptography'):\n    sys.modules[blocked] = None\n"
            "for name in %r:\n    importlib.import_module(name)\n" % (names,))
    collections = os.path.join(REPO, "build", "collections")
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=collections),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
