# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an org run tells, from its plan (plugin_utils/org_plan.py): the summary, each object's result,
and the plan artifact (JSON, Markdown) with field-level changes.

Nothing here ever holds a value that may be secret: webhook header values, secrets and endpoints'
credentials are shown as "changed, value hidden" or masked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import ACTIONS, Kind, short
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import BY_NAME, KINDS, NAMES, kind_of

PLAN_FORMAT = 2
DIFF_OBJECTS = 200  # the most objects one org run's diff shows
DIFF_ITEMS = 200  # the most records one org run's diff shows, over all its record sets
MSG_LIMIT = 4096  # the longest ``msg`` of a failed org task; ``problems`` and the plan files hold every problem


class DiffBudget:
    """What an org run's ``--diff`` may still show. A big org would otherwise print (and Ansible carry through
    every callback) a diff per object and twenty records per set, for thousands of them: past the budget a
    set's diff is its counts, past the object budget one line says how many more objects change, and the
    plan lists every change."""

    def __init__(self, objects=None, items=None):
        self.objects = DIFF_OBJECTS if objects is None else objects
        self.objects_left, self.hidden = self.objects, 0
        self.items_left = DIFF_ITEMS if items is None else items

    def open(self):
        return self.objects_left > 0

    def sample(self, most, samples):
        """Items per outcome a set shows (at most ``most``; ``samples``: its items by outcome); what it shows is
        taken from the budget."""
        sample = min(most, max(self.items_left, 0))
        self.items_left -= sum(min(sample, len(samples[outcome])) for outcome in ACTIONS)
        return sample

    def admit(self, result, diff):
        """Whether the diff of an object's ``result`` goes into the run's diff; one that changes takes a place."""
        shown = result.get("diff") if diff else None
        if not diff or not (shown.get("before") != shown.get("after") if shown else result.get("changed")):
            return False  # nothing to show, or a diff without a change: the run's diff lists only what changes
        if shown and self.objects_left > 0:
            self.objects_left -= 1
            return True
        if self.objects_left <= 0:
            self.hidden += 1
        return False

    def rest(self):
        """The run's last diff entry when some objects' diffs were left out, else None."""
        if not self.hidden:
            return None
        return dict(before="", after="%d more objects change (an org run's diff shows %d); the plan lists every "
                                     "change\n" % (self.hidden, self.objects),
                    after_header="objects not shown")


def failure_message(msg, problems=None, limit=MSG_LIMIT):
    """``msg`` of a failed task as one string of at most ``limit`` characters.

    A longer message (a list of problems joined by ``; ``) is cut after its last whole problem that fits,
    and ends saying how many problems are left out: of ``problems`` (the task's full list) where given,
    else of the ``; ``-separated parts of the message.
    """
    msg = str(msg)
    if len(msg) <= limit:
        return msg
    problems = [str(problem) for problem in problems or []]
    room = limit - 160
    kept = msg[:room]
    cut = kept.rfind("; ")
    if cut > room // 2:
        kept = kept[:cut]
    left = sum(1 for problem in problems if problem not in kept)
    if left:
        more = "%d more problem%s (%d in all; the task's problems and the plan files list every one)" % (
            left, "" if left == 1 else "s", len(problems))
    else:
        left = msg[len(kept):].strip("; ").count("; ") + 1
        more = "%d more (the plan files list everything)" % left
    return (kept + "; ... and " + more)[:limit]


def org_label(organization, host):
    """``name (id)`` of the org, or its API host when the org could not be named."""
    if organization and organization.get("id"):
        return "%s (%s)" % (organization.get("name") or "unnamed org", organization["id"])
    return host


def summarize(plan, check_mode, applied=False):
    """``{counts, flags, notes, unmanaged, lines, changed}`` of a plan (as planned, or as applied so far)."""
    counts = dict((kind.name, dict((action, 0) for action in ACTIONS)) for kind in KINDS)
    flags, notes = list(plan.problems), []
    counted = dict((kind.name, []) for kind in KINDS)
    for step in plan.steps:
        kind = kind_of(step.kind)
        flags += kind.flags(step)
        if step.refused:
            flags.append(plan.refusal_line(step))
            continue
        if step.plan is None or (applied and step.applied is None):
            continue
        for action, number in kind.counted(step, applied).items():
            counts[step.kind][action] += number
        counted[step.kind].append(step)
    for kind in KINDS:  # one line each, however many objects
        note = kind.summary_note(plan, counted[kind.name], check_mode)
        if note:
            notes.append(note)
    if plan.ignored:  # one line, however many
        notes.append("%d object%s ignored by org.yml" % (len(plan.ignored), "" if len(plan.ignored) == 1 else "s"))
    unmanaged = ["not managed here: %s" % unmanaged_text(found) for found in plan.unmanaged]
    lines = ["%s: %s" % (kind.name, ", ".join("%s %d" % (action, counts[kind.name][action]) for action in ACTIONS))
             for kind in KINDS if kind.reads(plan.org) or any(counts[kind.name].values())]  # kinds the run uses
    return {"counts": counts, "flags": flags, "notes": notes, "unmanaged": unmanaged,
            "lines": lines + flags + notes + unmanaged,
            "changed": any(n for kind in counts.values() for n in kind.values())}


# -- each object's result ------------------------------------------------------------------------
def step_result(plan, step, diff, budget=None):
    """The object's result as planned (check mode) or applied; ``budget`` bounds what its diff shows."""
    if step.applied is not None:
        return step.applied
    if step.refused:
        return dict(failed=True, changed=False, msg="; ".join(str(p) for p in step.problems),
                    problems=list(step.problems))
    if step.plan is None:
        return dict(changed=False)
    return kind_of(step.kind).step_result(plan, step, diff, budget or DiffBudget())


# -- field-level details for the artifact ---------------------------------------------------------
def step_details(plan, step):
    if step.refused:
        return {"problems": [str(p) for p in step.problems]}
    return kind_of(step.kind).details(plan, step)


def plan_document(plan, summary, check_mode, host, inventory_host=None, basis=None):
    """The plan as a JSON-ready document: what ``plan_json`` writes (and ``apply_plan`` reads)."""
    changes = []
    for step in plan.steps:
        if step.action == "none":
            continue
        changes.append(dict(kind=kind_of(step.kind).change_kind, name=step.name,
                            action=step.action, source=step.where, details=step_details(plan, step)))
    organization = plan.read.organization or {}
    document = dict(format=PLAN_FORMAT, org=org_label(organization, host), api_host=host,
                    organization=dict(id=organization.get("id"), name=organization.get("name")),
                    inventory_host=inventory_host, check_mode=check_mode, changed=summary["changed"],
                    refused=plan.refused, counts=summary["counts"], flags=summary["flags"], notes=summary["notes"],
                    unmanaged=plan.unmanaged, changes=changes,
                    ignored=[dict(kind=found["kind"], name=found["name"]) for found in plan.ignored])
    if basis is not None:
        document["basis"] = basis
    return document


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def plan_markdown(document, title=None):
    """The plan as Markdown, ready to post on a pull request."""
    counts = document["counts"]
    lines = ["## %s" % (title or "Genesys Cloud plan for %s" % document["org"]), ""]
    if document.get("inventory_host"):
        lines += ["Inventory host: `%s`, API host: `%s`" % (document["inventory_host"], document.get("api_host")), ""]
    if not document["changed"] and not document["flags"]:
        lines += ["No changes: the org matches the definition.", ""]
    lines += ["| kind | create | update | delete |", "| --- | ---: | ---: | ---: |"]
    lines += ["| %s | %d | %d | %d |" % (kind, counts[kind]["create"], counts[kind]["update"], counts[kind]["delete"])
              for kind in NAMES if kind in counts]
    lines.append("")
    if document["flags"]:
        lines += ["### Needs attention", ""] + ["- :warning: %s" % _cell(flag) for flag in document["flags"]] + [""]
    if document["changes"]:
        lines += ["### Changes", "", "| action | kind | name | details |", "| --- | --- | --- | --- |"]
        for change in document["changes"]:
            cells = (change["action"], change["kind"], _cell(change["name"]), _cell(details_text(change["details"])))
            lines.append("| %s | %s | %s | %s |" % cells)
        lines.append("")
    if document.get("unmanaged"):
        lines += ["### Not managed here", ""]
        lines += ["- %s" % _cell(unmanaged_text(found)) for found in document["unmanaged"]]
        lines.append("")
    if document["notes"]:
        lines += ["### Notes", ""] + ["- %s" % _cell(note) for note in document["notes"]] + [""]
    return "\n".join(lines)


def unmanaged_text(found):
    """One object the definition does not manage, as its kind words it (``schema x (3 records)``, say)."""
    return (BY_NAME.get(found.get("kind")) or Kind()).unmanaged_text(found)


def details_text(details):
    parts = []
    for key, value in sorted(details.items()):  # the same text from a result and from its JSON file
        shown = [text for text in (kind.detail_text(key, value) for kind in KINDS) if text is not None]
        if shown:
            value = shown[0]
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, dict):
            value = "%s -> %s" % (short(value.get("before")), short(value.get("after")))
        if value in ("", [], None):
            continue
        parts.append("%s: %s" % (key.replace("_", " "), value))
    return "; ".join(parts)


def plan_text(document):
    """The plan for a terminal: what a failed drift check prints."""
    return plan_markdown(document).replace("### ", "").replace("## ", "")


def plan_json(document):
    return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"
