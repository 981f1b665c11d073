# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records part of an org plan, over the records resource contract (module_utils/records_resource.py).

:func:`plan_record_set` and :func:`apply_record_set` are the only two calls the org run makes for
records (through the records kind, kind.py). The source is parsed once, by the records planner
(bounded memory). Relationship values are checked against the values the target field holds *after*
the run: stored records the run keeps plus the records this plan writes (``targets``), so records
that point at records created by the same run are checked by the preview exactly as the apply
needs them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import (
    apply_records, capped, plan_records)

KEY_SAMPLE = 20


def records_path(name):
    return "/api/v2/customobjects/%s/records" % name


def pages_digest(pages):
    """What a run read of a schema's records: ids and versions of every stored record, hashed."""
    digest = hashlib.sha256()
    for page in pages:
        for item in page:
            digest.update(("%s\0%s\0%s\n" % (item.get("id"), item.get("version"), item.get("dateModified")))
                          .encode("utf-8"))
    return digest.hexdigest()


class RecordSetPlan:
    """One schema's records in the org plan: the records contract's plan, with what the org run reports."""

    def __init__(self, item, schema, plan=None, problems=None):
        self.item, self.name, self.params = item, schema, item.params
        self.plan = plan
        self.problems = list(problems or [])
        if plan is not None:
            self.problems += list(plan.problems)
            self.counts = dict(plan.counts)
            self.keys = dict((outcome, plan.keys(outcome)) for outcome in ("create", "update", "delete", "skipped"))
            self.samples = plan.samples
            self.untouched, self.untouched_keys = plan.untouched, plan.untouched_keys()
        else:
            self.untouched, self.untouched_keys = 0, []
            self.counts = dict(create=0, update=0, delete=0, unchanged=0, skipped=0)
            self.keys = dict(create=[], update=[], delete=[], skipped=[])
            self.samples = dict(create=[], update=[], delete=[])
        self.problems = capped(self.problems, self.params["max_problems"])

    @property
    def changed(self):
        return bool(self.counts["create"] or self.counts["update"] or self.counts["delete"])

    def values_after(self, field):
        """The values ``field`` holds in this schema's records once the plan is applied."""
        return self.plan.values_left(field) if self.plan is not None else set()

    def close(self):
        if self.plan is not None:
            self.plan.close()


def plan_record_set(item, schema, fields, stored_pages, targets, untouched=False):
    """Plan ``item`` (a checked record set) against the schema ``schema`` will be after the run (``fields``:
    API shape, by name; each relationship names its target schema, ``schemaName``) and the stored pages.

    ``targets(schema, field)`` gives the values a field of another schema holds after the run; ``untouched``:
    count the stored records a set without purge leaves alone (``RecordSetPlan.untouched``). No request.
    """
    def values(relationship):
        return relationship["schemaName"], targets(relationship["schemaName"], relationship["fieldName"])

    spec = dict(item.params, schema=schema, changes_dest=None)
    try:
        plan = plan_records(spec, dict(name=schema, fields=list(fields.values())), stored_pages, values,
                            untouched=untouched)
    except InputError as exc:
        return RecordSetPlan(item, schema, problems=exc.problems)
    return RecordSetPlan(item, schema, plan)


def apply_record_set(client, trail, plan, progress=None):
    """Write the plan's records (creates and updates, then deletes); the records module's result.

    Raises the writer's error (it says what earlier batches wrote) when a batch is refused.
    """
    return apply_records(client, plan.plan, trail, progress)
