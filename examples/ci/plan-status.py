#!/usr/bin/env python3
"""Turn the plans a preview saved (PLAN_DIR/<org>.json) into a CI exit code, from their data, never their text.

    plan-status.py [--drift] PLAN_DIR

Exit 0 when no org's plan has a change, 2 when one has (each org is named), 1 when there is no plan or a
plan cannot be read. With --drift, a plan also counts when it refuses a change (the org differs from its
directory in a way the directory cannot apply) or lists objects the directory does not name.
Uses the plan's fields `changed` (any create, update or delete), `refused` and `unmanaged`.
"""
import glob
import json
import os
import sys


def status(folder, drift):
    """(exit code, lines to print)."""
    paths = sorted(glob.glob(os.path.join(folder, "*.json")))
    if not paths:
        return 1, ["plan-status: no plan in %s: the preview wrote none (is the inventory empty?)" % folder]
    lines, pending = [], 0
    for path in paths:
        name = os.path.basename(path)[:-5]
        try:
            with open(path, encoding="utf-8") as handle:
                plan = json.load(handle)
        except (OSError, ValueError, RecursionError) as exc:
            return 1, ["plan-status: %s cannot be read as a plan: %s" % (path, str(exc)[:200])]
        if not isinstance(plan, dict) or not isinstance(plan.get("changed"), bool) \
                or not isinstance(plan.get("unmanaged", []), list):
            return 1, ["plan-status: %s is not a plan (no boolean 'changed')" % path]
        found = []
        if plan["changed"]:
            found.append("changes pending")
        if drift and plan.get("refused"):
            found.append("a change the directory cannot apply (refused)")
        if drift and plan.get("unmanaged"):
            found.append("%d object(s) not managed here" % len(plan["unmanaged"]))
        pending += bool(found)
        lines.append("%s: %s" % (name, ", ".join(found) if found else "no changes"))
    return (2 if pending else 0), lines


def main(argv):
    drift = "--drift" in argv
    folders = [arg for arg in argv if arg != "--drift"]
    if len(folders) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 1
    code, lines = status(folders[0], drift)
    print("\n".join(lines), file=sys.stderr if code == 1 else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
