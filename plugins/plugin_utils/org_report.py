# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an org run tells: the summary (counts, flags, notes, lines) and the plan artifact (JSON, Markdown).

Neither ever holds a value that may be secret: webhooks are described by the names of the options
that change, records by their keys and counts, schemas by field names and type changes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

PLAN_FORMAT = 1
KEY_SAMPLE = 20
ACTIONS = ("create", "update", "delete")


def _refused(result):
    return bool(result.get("failed"))


def _refusal(kind, name, result):
    problems = result.get("problems") or [result.get("msg")]
    unsafe = any("allow_unsafe_type_changes" in str(problem) for problem in problems)
    return "%s %s %s: %s" % ("UNSAFE" if unsafe else "REFUSED", kind, name, "; ".join(str(p) for p in problems))


def _verdict_flags(name, result):
    return ["UNSAFE schema change %s.%s: %s -> %s (%s)"
            % (name, change.get("field"), change.get("from"), change.get("to"), change["verdict"])
            for change in (result.get("changes") or {}).get("type_changes") or []
            if change.get("verdict") in ("unsafe", "forbidden")]


def step_action(step):
    """``create``, ``update``, ``delete``, ``none`` or ``refused`` for schemas and webhooks; records count apart."""
    result = step.result or {}
    if _refused(result):
        return "refused"
    if step.kind == "schemas":
        return result.get("action") or "none"
    if not result.get("changed"):
        return "none"
    if step.direction == "remove" or (step.kind == "records" and result.get("deleted") and not (
            result.get("created") or result.get("updated"))):
        return "delete"
    if step.kind == "webhooks":
        return "update" if step.name.lower() in step.existing else "create"
    return "update"


def summarize(run):
    """``{counts, flags, notes, lines, changed}`` of an org run (planned, or applied so far)."""
    counts = dict((kind, dict((action, 0) for action in ACTIONS)) for kind in ("schemas", "records", "webhooks"))
    flags, notes = [], []
    for step in run.steps:
        step.existing = run.existing_webhooks
        result = step.result or {}
        kind_name = {"schemas": "schema change", "records": "records of", "webhooks": "webhook"}[step.kind]
        if step.kind == "schemas":
            flags += _verdict_flags(step.name, result)
        if _refused(result):
            flags.append(_refusal(kind_name, step.name, result))
            continue
        if step.kind == "records":
            for action, key in (("create", "created"), ("update", "updated"), ("delete", "deleted")):
                counts["records"][action] += result.get(key) or 0
            if run.check_mode and step.name.lower() not in run.existing_schemas and step.direction == "apply":
                notes.append("records of %s: %d to create (the schema is created in this run)"
                             % (step.name, result.get("created") or 0))
            continue
        action = step_action(step)
        if action in ACTIONS:
            counts[step.kind][action] += 1
        if step.kind == "schemas" and run.check_mode and step.direction == "apply":
            pending = [target for target in run.targets(step.item) if target.lower() not in run.existing_schemas]
            if pending:
                notes.append("schema %s: previewed as if %s (created in this run) existed"
                             % (step.name, ", ".join(pending)))
    lines = ["%s: %s" % (kind, ", ".join("%s %d" % (action, counts[kind][action]) for action in ACTIONS))
             for kind in ("schemas", "records", "webhooks")]
    return {"counts": counts, "flags": flags, "notes": notes, "lines": lines + flags + notes,
            "changed": any(n for kind in counts.values() for n in kind.values())}


def step_details(step):
    """What changes in one object, without values that may be secret."""
    result = step.result or {}
    if _refused(result):
        return {"problems": [str(p) for p in (result.get("problems") or [result.get("msg")])]}
    if step.kind == "schemas":
        changes = result.get("changes") or {}
        keys = ("added", "removed", "modified", "type_changes", "description_changed")
        return dict((key, changes.get(key)) for key in keys if changes.get(key))
    if step.kind == "records":
        planned = result.get("planned") or {}
        details = dict((key, result.get(key) or 0) for key in ("created", "updated", "deleted", "unchanged"))
        for action in ACTIONS:
            keys = planned.get(action) or []
            if keys:
                details["%s_keys" % action] = keys[:KEY_SAMPLE]
        return details
    return {"options": [str(option) for option in result.get("changes") or []]}


def plan_document(run, summary):
    """The plan as a JSON-ready document: what ``plan_json`` writes."""
    changes = []
    for step in run.steps:
        action = step_action(step)
        if action == "none":
            continue
        changes.append(dict(kind=step.kind[:-1] if step.kind != "records" else "records", name=step.name,
                            action=action, source=step.item.where, details=step_details(step)))
    return dict(format=PLAN_FORMAT, org=run.client.org_host, check_mode=run.check_mode, changed=summary["changed"],
                counts=summary["counts"], flags=summary["flags"], notes=summary["notes"], changes=changes)


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def plan_markdown(document, title=None):
    """The plan as Markdown, ready to post on a pull request."""
    counts = document["counts"]
    lines = ["## %s" % (title or "Genesys Cloud plan for %s" % document["org"]), ""]
    if not document["changed"] and not document["flags"]:
        lines += ["No changes: the org matches the definition.", ""]
    lines += ["| kind | create | update | delete |", "| --- | ---: | ---: | ---: |"]
    lines += ["| %s | %d | %d | %d |" % (kind, counts[kind]["create"], counts[kind]["update"], counts[kind]["delete"])
              for kind in ("schemas", "records", "webhooks")]
    lines.append("")
    if document["flags"]:
        lines += ["### Needs attention", ""] + ["- :warning: %s" % _cell(flag) for flag in document["flags"]] + [""]
    if document["changes"]:
        lines += ["### Changes", "", "| action | kind | name | details |", "| --- | --- | --- | --- |"]
        for change in document["changes"]:
            lines.append("| %s | %s | %s | %s |"
                         % (change["action"], change["kind"], _cell(change["name"]),
                            _cell(_details_text(change["details"]))))
        lines.append("")
    if document["notes"]:
        lines += ["### Notes", ""] + ["- %s" % _cell(note) for note in document["notes"]] + [""]
    return "\n".join(lines)


def _details_text(details):
    parts = []
    for key, value in details.items():
        if isinstance(value, list):
            value = ", ".join(_change_text(item) for item in value)
        parts.append("%s: %s" % (key.replace("_", " "), value))
    return "; ".join(parts)


def _change_text(item):
    if isinstance(item, dict) and "field" in item:
        return "%s %s -> %s (%s)" % (item["field"], item.get("from"), item.get("to"), item.get("verdict"))
    return str(item)


def plan_json(document):
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
