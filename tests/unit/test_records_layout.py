"""Records code lives in module_utils by concern: small files, modules that are docs and a call."""
import ast
import glob
import os

from ansible_collections.genesys.cloud.plugins.plugin_utils import inprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECORDS_FILES = sorted(glob.glob(os.path.join(REPO, "plugins", "module_utils", "record*.py")))
MODULES = ("custom_object_records", "custom_object_record_info")


def code_lines(path):
    """Lines of code of a module file: not blank, not a comment, not inside DOCUMENTATION/EXAMPLES/RETURN."""
    with open(path) as handle:
        source = handle.read()
    docs = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("DOCUMENTATION", "EXAMPLES",
                                                                                   "RETURN"):
            docs.update(range(node.lineno, node.end_lineno + 1))
    return [line for number, line in enumerate(source.splitlines(), 1)
            if number not in docs and line.strip() and not line.strip().startswith("#")]


def test_no_records_file_is_over_500_lines():
    assert len(RECORDS_FILES) >= 10
    for path in RECORDS_FILES:
        with open(path) as handle:
            assert len(handle.read().splitlines()) <= 500, path


def test_the_records_modules_are_docs_an_argument_spec_and_a_call():
    for name in MODULES:
        lines = code_lines(os.path.join(REPO, "plugins", "modules", name + ".py"))
        assert len(lines) <= 120, (name, len(lines))
        assert not any(line.startswith("def ") and not line.startswith("def main(") for line in lines), name


def test_the_controller_runs_the_records_tasks_from_module_utils():
    for name in MODULES:
        task = inprocess.load_module(name)
        assert task.__name__.startswith("ansible_collections.genesys.cloud.plugins.module_utils."), task.__name__
        assert callable(task.run) and "argument_spec" in task.ARGUMENTS


def test_nothing_of_records_imports_a_module_plugin():
    paths = RECORDS_FILES + [os.path.join(REPO, "plugins", "plugin_utils", "org_directory.py"),
                             os.path.join(REPO, "plugins", "lookup", "custom_object_records.py")]
    for path in paths:
        with open(path) as handle:
            source = handle.read()
        assert "plugins.modules" not in source and 'load_module("custom_object_records")' not in source, path
