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

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import readable_schema
from ansible_collections.genesys.cloud.plugins.module_utils.records_plan import DIFF_SAMPLE
from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import preview_result

PLAN_FORMAT = 2
KEY_SAMPLE = 20
ACTIONS = ("create", "update", "delete")
HIDDEN = "changed, value hidden"
NAMED = 5  # the most record sets one note names
DIFF_OBJECTS = 200  # the most objects one org run's diff shows
DIFF_RECORDS = 200  # the most records one org run's diff shows, over all its record sets
MSG_LIMIT = 4096  # the longest ``msg`` of a failed org task; ``problems`` and the plan files hold every problem


class DiffBudget:
    """What an org run's ``--diff`` may still show. A big org would otherwise print (and Ansible carry through
    every callback) a diff per object and twenty records per set, for thousands of them: past the budget a
    set's diff is its counts, past the object budget one line says how many more objects change, and the
    plan lists every change."""

    def __init__(self, objects=None, records=None):
        self.objects = DIFF_OBJECTS if objects is None else objects
        self.objects_left, self.hidden = self.objects, 0
        self.records_left = DIFF_RECORDS if records is None else records

    def open(self):
        return self.objects_left > 0

    def sample(self, records_plan):
        """Records per outcome this set shows; what it shows is taken from the budget."""
        sample = min(DIFF_SAMPLE, max(self.records_left, 0))
        self.records_left -= sum(min(sample, len(records_plan.samples[outcome])) for outcome in ACTIONS)
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


def _verdict_flags(step):
    return ["UNSAFE schema change %s.%s: %s -> %s (%s)"
            % (step.name, change.get("field"), change.get("from"), change.get("to"), change["verdict"])
            for change in step.plan.changes.get("type_changes") or [] if change.get("verdict") in ("unsafe", "forbidden")]


def summarize(plan, check_mode, applied=False):
    """``{counts, flags, notes, unmanaged, lines, changed}`` of a plan (as planned, or as applied so far)."""
    counts = dict((kind, dict((action, 0) for action in ACTIONS)) for kind in ("schemas", "records", "webhooks"))
    flags, notes, new_sets = list(plan.problems), [], []
    existing = set(schema["name"].lower() for schema in plan.read.schemas)
    for step in plan.steps:
        if step.kind == "schemas" and step.plan is not None:
            flags += _verdict_flags(step)
        if step.refused:
            flags.append(plan.refusal_line(step))
            continue
        if step.plan is None or (applied and step.applied is None):
            continue
        if step.kind == "records":
            source = step.applied if applied else dict(
                created=step.plan.counts["create"], updated=step.plan.counts["update"],
                deleted=step.plan.counts["delete"])
            for action, key in (("create", "created"), ("update", "updated"), ("delete", "deleted")):
                counts["records"][action] += source.get(key) or 0
            if check_mode and step.name.lower() not in existing and step.direction == "apply":
                new_sets.append("%s (%d)" % (step.name, step.plan.counts["create"]))
            continue
        action = (step.applied.get("action") if step.kind == "schemas" else
                  step.action if step.applied.get("changed") else "none") if applied else step.action
        if action in ACTIONS:
            counts[step.kind][action] += 1
    if new_sets:  # one line, however many schemas the run creates
        notes.append("records of schemas this run creates, all to create: %s%s" % (
            ", ".join(new_sets[:NAMED]), " and %d more" % (len(new_sets) - NAMED) if len(new_sets) > NAMED else ""))
    if plan.ignored:  # one line, however many
        notes.append("%d object%s ignored by org.yml" % (len(plan.ignored), "" if len(plan.ignored) == 1 else "s"))
    unmanaged = ["not managed here: %s" % unmanaged_text(found) for found in plan.unmanaged]
    lines = ["%s: %s" % (kind, ", ".join("%s %d" % (action, counts[kind][action]) for action in ACTIONS))
             for kind in ("schemas", "records", "webhooks")]
    return {"counts": counts, "flags": flags, "notes": notes, "unmanaged": unmanaged,
            "lines": lines + flags + notes + unmanaged,
            "changed": any(n for kind in counts.values() for n in kind.values())}


# -- each object's result ------------------------------------------------------------------------
def step_result(plan, step, diff, budget=None):
    """The object's result as planned (check mode) or applied; ``budget`` bounds the records its diff shows."""
    if step.applied is not None:
        return step.applied
    if step.refused:
        return dict(failed=True, changed=False, msg="; ".join(str(p) for p in step.problems),
                    problems=list(step.problems))
    if step.plan is None:
        return dict(changed=False)
    if step.kind == "schemas":
        result = step.plan.result(plan.catalog, diff)
        if step.plan.warnings:
            result["warnings"] = list(step.plan.warnings)
        return result
    if step.kind == "webhooks":
        return step.plan.result(diff)
    records_plan = step.plan.plan
    return preview_result(records_plan, diff, (budget or DiffBudget()).sample(records_plan) if diff else DIFF_SAMPLE)


# -- field-level details for the artifact ---------------------------------------------------------
def schema_details(plan, step):
    catalog = plan.catalog
    before = readable_schema(step.plan.before, catalog).get("fields", {}) if step.plan.before else {}
    after = readable_schema(step.plan.after, catalog).get("fields", {}) if step.plan.after else {}
    changes = step.plan.changes
    details = dict(fields=[])
    for name in changes.get("added") or []:
        details["fields"].append(dict(field=name, change="added", before=None, after=after.get(name)))
    for name in changes.get("removed") or []:
        details["fields"].append(dict(field=name, change="removed", before=before.get(name), after=None))
    for name in changes.get("modified") or []:
        details["fields"].append(dict(field=name, change="changed", before=before.get(name), after=after.get(name)))
    if changes.get("type_changes"):
        details["type_changes"] = changes["type_changes"]
    if changes.get("description_changed"):
        details["description"] = dict(before=(step.plan.before or {}).get("description"),
                                      after=(step.plan.after or {}).get("description"))
    if step.plan.action == "delete":
        details["records"] = step.plan.held
    return details


def _shown_option(option, value):
    if option in ("secret",):
        return None
    if option == "endpoint":
        return wh.mask_endpoint(value)
    return value


def webhook_details(step):
    before = wh.to_user(step.plan.current) if step.plan.current else {}
    after = step.plan.after or {}
    options = []
    for option in step.plan.changes:
        if option in ("secret", "headers"):
            entry = dict(option=option, before=HIDDEN if option == "headers" and before.get("headers") else None,
                         after=HIDDEN)
            if option == "headers":
                names = sorted(set((before.get("headers") or {})) | set((after.get("headers") or {})))
                entry["names"] = names
            options.append(entry)
            continue
        options.append(dict(option=option, before=_shown_option(option, before.get(option)),
                            after=None if step.plan.action == "delete" else _shown_option(option, after.get(option))))
    return dict(options=options)


def records_details(step):
    records_plan = step.plan
    details = dict((key, records_plan.counts[key]) for key in ("create", "update", "delete", "unchanged"))
    changed = [dict(key=item["key"], fields=[dict(field=name, before=values["before"], after=values["after"])
                                             for name, values in sorted(item["fields"].items())])
               for item in records_plan.plan.changes()["update"][:KEY_SAMPLE]]
    if changed:
        details["changed_records"] = changed
        if records_plan.counts["update"] > len(changed):
            details["more_changed_records"] = records_plan.counts["update"] - len(changed)
    for action in ACTIONS:
        keys = records_plan.keys[action]
        if keys:
            details["%s_keys" % action] = keys[:KEY_SAMPLE]
    return details


def step_details(plan, step):
    if step.refused:
        return {"problems": [str(p) for p in step.problems]}
    if step.kind == "schemas":
        return schema_details(plan, step)
    if step.kind == "webhooks":
        return webhook_details(step)
    return records_details(step)


def plan_document(plan, summary, check_mode, host, inventory_host=None, basis=None):
    """The plan as a JSON-ready document: what ``plan_json`` writes (and ``apply_plan`` reads)."""
    changes = []
    for step in plan.steps:
        if step.action == "none":
            continue
        changes.append(dict(kind=step.kind[:-1] if step.kind != "records" else "records", name=step.name,
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
              for kind in ("schemas", "records", "webhooks")]
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


def _short(value):
    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _held(found):
    return " (%d records)" % found["records"] if found.get("records") is not None else ""


def unmanaged_text(found):
    """One object the definition does not manage: ``schema x (3 records)``, ``webhook y``, or the stored records
    of a set without purge that no file names, by key."""
    if found["kind"] != "records":
        return "%s %s%s" % (found["kind"][:-1], found["name"], _held(found))
    keys = found.get("keys") or []
    more = found["records"] - len(keys)
    return "%d record%s of %s that no file names (no purge): %s%s" % (
        found["records"], "" if found["records"] == 1 else "s", found["name"], ", ".join(keys),
        " and %d more" % more if more > 0 else "")


def _field_change(item):
    if item["change"] != "changed":
        return ""
    return " (%s -> %s)" % (_short(item["before"]), _short(item["after"]))


def details_text(details):
    parts = []
    for key, value in sorted(details.items()):  # the same text from a result and from its JSON file
        if key == "fields" and isinstance(value, list):
            value = ", ".join("%s %s%s" % (item["field"], item["change"], _field_change(item)) for item in value)
        elif key == "options":
            value = ", ".join("%s: %s -> %s" % (item["option"], _short(item["before"]), _short(item["after"]))
                              for item in value)
        elif key == "changed_records":
            value = ", ".join("%s (%s)" % (item["key"], ", ".join(
                "%s %s -> %s" % (f["field"], _short(f["before"]), _short(f["after"])) for f in item["fields"]))
                for item in value)
        elif key == "type_changes":
            value = ", ".join("%s %s -> %s (%s)" % (c["field"], c.get("from"), c.get("to"), c.get("verdict"))
                              for c in value)
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, dict):
            value = "%s -> %s" % (_short(value.get("before")), _short(value.get("after")))
        if value in ("", [], None):
            continue
        parts.append("%s: %s" % (key.replace("_", " "), value))
    return "; ".join(parts)


def plan_text(document):
    """The plan for a terminal: what a failed drift check prints."""
    return plan_markdown(document).replace("### ", "").replace("## ", "")


def plan_json(document):
    return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"
