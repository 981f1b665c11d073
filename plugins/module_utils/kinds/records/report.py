# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a record set's plan says in the plan document (its details) and in a saved plan (keyed digests)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import ACTIONS

KEY_SAMPLE = 20  # the most keys (and changed records) a set's details name per outcome
NAMED = 5  # the most record sets one note names
# A record set with more changes than this is listed as one digest per outcome (create, update, delete)
# rather than a digest per record: the plan stays small, and the difference is named by outcome.
RECORDS_LISTED = 1000


def details(step):
    records_plan = step.plan
    found = dict((key, records_plan.counts[key]) for key in ("create", "update", "delete", "unchanged"))
    changed = [dict(key=item["key"], fields=[dict(field=name, before=values["before"], after=values["after"])
                                             for name, values in sorted(item["fields"].items())])
               for item in records_plan.plan.changes()["update"][:KEY_SAMPLE]]
    if changed:
        found["changed_records"] = changed
        if records_plan.counts["update"] > len(changed):
            found["more_changed_records"] = records_plan.counts["update"] - len(changed)
    for action in ACTIONS:
        keys = records_plan.keys[action]
        if keys:
            found["%s_keys" % action] = keys[:KEY_SAMPLE]
    return found


def _record_changes(records_plan):
    """``(outcome, key label, value)`` of every record the plan writes or deletes, in plan order."""
    for entry, body in records_plan.writes():
        yield ("create" if entry.stored is None else "update"), entry.key, body
    for item in records_plan.deletes():
        yield "delete", records_plan.key_of(item), item.get("id")


def saved_values(step, digest):
    records_plan = step.plan.plan
    if records_plan is None:
        return {}
    counts = step.plan.counts
    total = counts["create"] + counts["update"] + counts["delete"]
    if total <= RECORDS_LISTED:
        values = {}
        for outcome, key, value in _record_changes(records_plan):
            values["%s %s" % (outcome, key)] = digest(value)
        return values
    streams = dict((outcome, digest.stream()) for outcome in ACTIONS)
    for outcome, key, value in _record_changes(records_plan):
        streams[outcome].update(("%s\0%s\n" % (key, digest(value))).encode("utf-8"))
    return dict(("%s (%d records)" % (outcome, counts[outcome]), stream.hexdigest()[:32])
                for outcome, stream in streams.items() if counts[outcome])
