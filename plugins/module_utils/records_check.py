# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checking a record set without a client, for an org directory's check: the one planner, no second copy.

:func:`resolve` and :func:`validate` keep the shape the directory check calls (``resolve`` then,
for ``state=present``, ``validate`` on what it returned); both run :class:`records_plan.RecordPlan`
over the records and the stored records given, so the messages are the planner's own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.records_plan import RecordPlan
from ansible_collections.genesys.cloud.plugins.module_utils.records_read import SourceError, iter_source  # noqa: F401 pylint: disable=unused-import


class CheckedRecords:
    """A record set waiting to be checked: ``(where, record)`` items against ``fields``."""

    def __init__(self, items, schema_name, fields, key, stored_by_id, state):
        self.items, self.schema_name, self.fields, self.key = items, schema_name, fields, key
        self.stored, self.state = list(stored_by_id.values()), state

    def problems(self):
        plan = RecordPlan(self.schema_name, self.fields, self.key, self.state)
        try:
            if self.stored:
                plan.add_stored(self.stored)
            plan.add_desired(self.items)
            plan.finish()
            return list(plan.problems)
        finally:
            plan.close()


def resolve(items, schema_name, fields, key, stored_by_id, state="present"):
    """``(checked, problems)``: with ``state=absent`` the problems are all there is to know; with
    ``present`` they come from :func:`validate`."""
    checked = CheckedRecords(items, schema_name, fields, key, stored_by_id, state)
    return checked, (checked.problems() if state == "absent" else [])


def validate(checked, fields, stored_by_id, relationship_targets):
    """Every problem of a record set from :func:`resolve` (relationship targets are the org run's concern)."""
    return checked.problems()
