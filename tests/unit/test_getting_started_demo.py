"""docs/getting_started.md describes `make demo` (scripts/demo.py) step by step: the same steps, in order."""
import ast
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def demo_steps():
    """``[(number, [playbooks the step runs])]`` from the ``banner`` and ``run_playbook`` calls of demo.py's ``steps``."""
    with open(os.path.join(REPO, "scripts", "demo.py")) as handle:
        tree = ast.parse(handle.read())
    (function,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "steps"]
    calls = sorted((node for node in ast.walk(function) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)),
                   key=lambda node: (node.lineno, node.col_offset))
    steps = []
    for call in calls:
        if call.func.id == "banner":
            steps.append((call.args[0].value, []))
        elif call.func.id == "run_playbook":
            steps[-1][1].append(call.args[0].value)
    return steps


def documented_steps():
    """``[(number, text)]`` of the numbered list in section 1 of docs/getting_started.md."""
    with open(os.path.join(REPO, "docs", "getting_started.md")) as handle:
        section = handle.read().split("\n## 1. ", 1)[1].split("\n## ", 1)[0]
    items = re.findall(r"^(\d+)\. (.*(?:\n {3}.*)*)", section, re.M)
    return section, [(int(number), text) for number, text in items]


def test_getting_started_lists_every_step_of_the_demo_with_the_playbook_it_runs():
    steps = demo_steps()
    section, documented = documented_steps()
    assert [number for number, _playbooks in steps] == list(range(1, len(steps) + 1))
    assert [number for number, _text in documented] == [number for number, _playbooks in steps]
    assert "runs %s steps" % NUMBER_WORDS[len(steps)] in section
    for (number, playbooks), (_number, text) in zip(steps, documented):
        for playbook in playbooks:
            assert "playbooks/%s" % playbook in text, (number, playbook)
