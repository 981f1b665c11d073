#!/usr/bin/env python3
"""Write meta/runtime.yml's action group ``all`` from the modules in plugins/modules.

``--check`` exits 1 when the file is out of date (the test suite runs it that way).
"""
import os
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(REPO, "meta", "runtime.yml")


def module_names():
    folder = os.path.join(REPO, "plugins", "modules")
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and not name.startswith("_"))


def render(modules):
    lines = ["---", "requires_ansible: '>=2.16.0'", "action_groups:", "  all:"]
    lines += ["    - %s" % name for name in modules] if modules else ["    []"]
    return "\n".join(lines) + "\n"


def main(argv):
    wanted = render(module_names())
    with open(RUNTIME) as handle:
        current = handle.read()
    if "--check" in argv:
        if yaml.safe_load(current) != yaml.safe_load(wanted):
            print("meta/runtime.yml is out of date: run scripts/update_action_group.py")
            return 1
        return 0
    if current != wanted:
        with open(RUNTIME, "w") as handle:
            handle.write(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
