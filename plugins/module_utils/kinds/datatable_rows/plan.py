# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan a table's rows (pure: no request): the wanted rows (filled), the stored rows -> a :class:`RowsPlan`.

Both sides are compared as the service stores them (every property, defaults filled), so a re-run plans
nothing. Only rows that differ are written; ``purge`` deletes the stored rows no input names, and only a
plan made from an input read completely and without a problem may carry deletions (the caller checks).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import table_label
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.source import fill_row

KEY_LIMIT = 100  # keys listed in a result, per action
DIFF_LIMIT = 50  # rows shown in a diff


class RowsPlan:
    """The writes of one table's rows: ``create`` (rows), ``update`` (``(stored, wanted)`` pairs), ``delete``
    (stored rows), the ``unchanged`` keys, the table it was planned against and the ``problems`` that stop it."""

    def __init__(self, table, create, update, delete, unchanged, problems):
        self.table = table
        self.create, self.update, self.delete, self.unchanged = create, update, delete, unchanged
        self.problems = list(problems)

    @property
    def name(self):
        return self.table["name"]

    @property
    def planned_against(self):
        return self.table

    @property
    def changed(self):
        return bool(self.create or self.update or self.delete)

    @property
    def action(self):
        return "update" if self.changed else "none"

    def counts(self):
        return dict(created=len(self.create), updated=len(self.update), deleted=len(self.delete),
                    unchanged=len(self.unchanged))

    def keys(self):
        return dict(created=[row["key"] for row in self.create[:KEY_LIMIT]],
                    updated=[after["key"] for _before, after in self.update[:KEY_LIMIT]],
                    deleted=[row["key"] for row in self.delete[:KEY_LIMIT]])

    def diff(self):
        """Rows before and after, by key (the first DIFF_LIMIT changed rows)."""
        before, after, shown = {}, {}, 0
        for old, new in ([(None, row) for row in self.create] + list(self.update)
                         + [(row, None) for row in self.delete]):
            if shown == DIFF_LIMIT:
                break
            key = (new or old)["key"]
            if old is not None:
                before[key] = old
            if new is not None:
                after[key] = new
            shown += 1
        total = len(self.create) + len(self.update) + len(self.delete)
        diff = dict(before=before, after=after)
        if total > shown:
            diff["after_header"] = "%s: the first %d of %d changed rows" % (table_label(self.name), shown, total)
        return diff

    def result(self, diff):
        result = dict(changed=self.changed, datatable=dict(id=self.table["id"], name=self.table["name"]),
                      row_keys=self.keys())
        result.update(self.counts())
        if diff and self.changed:
            result["diff"] = self.diff()
        return result


def plan_rows(table, props, wanted, stored, purge=False, max_rows=5000):
    """Plan the rows ``wanted`` (``{key: filled row}``) against the ``stored`` rows (``{key: row}``).

    ``props`` None: the table does not exist yet (a preview of a run that creates it first)."""
    create, update, unchanged = [], [], []
    for key, row in wanted.items():
        current = stored.get(key)
        if current is None:
            create.append(row)
        elif fill_row(props, current) != row:
            update.append((current, row))
        else:
            unchanged.append(key)
    delete = [row for key, row in stored.items() if key not in wanted] if purge else []
    problems = []
    total = len(stored) + len(create) - len(delete)
    if total > max_rows:
        problems.append("%s would hold %d rows (%d stored, %d new%s) and a table holds at most %d; remove rows "
                        "(purge: true deletes those the input does not name), or raise max_rows if your org's limit "
                        "was raised" % (table_label(table["name"]), total, len(stored), len(create),
                                        ", %d deleted" % len(delete) if delete else "", max_rows))
    return RowsPlan(table, create, update, delete, unchanged, problems)
