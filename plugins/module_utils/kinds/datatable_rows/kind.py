# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rows of Architect data tables in an org run: ``datatable_rows/NAME.csv|.jsonl|.json`` (streamed), with
``org.yml`` ``datatable_rows: {NAME: {purge: true}}``; the ``genesys.cloud.datatable_rows`` read, plan and apply.

Depends on the data table kind (imports it): a table's rows are planned against the properties the table has
after the run (the table kind's plan, planned first) and apply after it; a table created by the run gets its
id from that table's applied step. Rows have no version: a saved plan's basis is a digest of the rows read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.kind import KIND as TABLES
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import table_label
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import find_table
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows import export, options
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.apply import apply_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.plan import plan_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.read import read_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.source import wanted_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.task import (
    check_full_rows, table_properties)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import (
    ACTIONS, STREAM_SUFFIXES, Kind, did_you_mean, shorten)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import plain

try:
    import yaml
except ImportError:  # pragma: no cover - only the controller writes YAML (export); modules never do
    yaml = None

MIB = 1024 * 1024
ROW_SETTINGS = ("purge", "max_rows", "concurrency", "max_problems")
UNTOUCHED_SHOWN = 10
COUNT_KEYS = ("created", "updated", "deleted")


def rows_digest(rows):
    """The rows a run read of one table, hashed (rows carry no version)."""
    text = json.dumps([rows[key] for key in sorted(rows)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _future_table(plan, name):
    """``(table, props, problem)``: the table ``name`` as it is after the run (``id`` None when the run
    creates it), its properties (API shape), or why the rows cannot be planned."""
    step = plan.first_step(TABLES.name, name, "apply")
    if step is not None:
        if step.refused or step.plan is None:
            return None, None, "not planned: %s is refused (fix it first)" % table_label(name)
        table = step.plan.current if step.plan.action == "none" else step.plan.after
        return dict(table, id=(step.plan.current or {}).get("id")), table_properties(table), None
    try:
        stored = find_table(plan.read.objects[TABLES.name], name)
    except GenesysCloudError as exc:
        return None, None, exc.message
    if stored is None:
        return None, None, None  # named in reference_problems
    return stored, table_properties(stored), None


class DatatableRowsKind(Kind):
    name = "datatable_rows"
    noun = "data table row"
    change_kind = "datatable_rows"
    label = "rows of data table"
    of_label = "the rows of data table"
    module = "datatable_rows"
    arguments = options.ARGUMENTS
    name_key = "datatable"
    suffixes = STREAM_SUFFIXES
    file_limits = {"datatable_rows": (256 * MIB, "a data table rows file")}
    basis_what = "rows read"
    basis_digests = True
    example = "datatable_rows/<table>.csv|json|jsonl"
    settings_key = "datatable_rows"  # org.yml: per-table options of the rows (purge, ...)
    depends_on = (TABLES.name,)

    # -- directory -----------------------------------------------------------------------------------
    def streamed(self, path):
        return True

    def stream_data(self, path, stem):
        return {"src": path, self.name_key: stem}

    def settings_problems(self, path, value):
        value = value or {}
        if not isinstance(value, dict):
            return ["%s: datatable_rows: must map data table names to {purge, max_rows}" % path]
        problems = []
        for table, settings in value.items():
            if not isinstance(settings, dict):
                problems.append("%s: datatable_rows.%s: must be a mapping (purge, max_rows)" % (path, shorten(table)))
                continue
            problems += ["%s: datatable_rows.%s: unknown key %s%s" % (path, shorten(table), shorten(key),
                                                                      did_you_mean(key, ROW_SETTINGS))
                         for key in settings if key not in ROW_SETTINGS]
        return problems

    def merge_settings(self, data, settings):
        for option, value in ((settings.get(self.settings_key) or {}).get(data[self.name_key]) or {}).items():
            data.setdefault(option, value)
        return data

    def reads(self, org):
        """Like the table kind: only a definition with tables or rows reads anything of data tables."""
        return bool(org[self.name] or org.get("datatables"))

    def item_problems(self, params):
        return options.check_params(params)

    def directory_problems(self, directory, loaded, settings):
        """``org.yml`` settings of rows no file holds (a misspelt name would silently not purge)."""
        names = set(item.name for item in loaded[self.name])
        problems = ["%s: datatable_rows.%s: no file datatable_rows/%s.csv|json|jsonl holds its rows (the names must "
                    "match exactly)" % (os.path.join(directory, "org.yml"), shorten(table), shorten(table))
                    for table in (settings.get(self.settings_key) or {}) if table not in names]
        tables = dict((item.name.lower(), item.name) for item in loaded[TABLES.name])
        for item in loaded[self.name]:
            exact = tables.get(item.name.lower())
            if exact is not None and exact != item.name:
                problems.append("%s: the file name must match its data table's name exactly: table %s, file %s; "
                                "rename the file" % (item.where, shorten(exact), os.path.basename(item.where)))
        return problems

    def variable_problems(self, item, log):
        src = item.params and item.params.get("src")
        if not src:
            return []
        if not os.path.isfile(src):
            return ["%s: src: %s is not a file" % (item.where, shorten(src))]
        log.streamed(src, self.name, label="src %s" % src)
        return []

    # -- read ----------------------------------------------------------------------------------------
    def submit_reads(self, client, pool, org, read, unmanaged):
        """The full rows of every stored table the run has rows for."""
        futures = {}
        for item in org[self.name]:
            try:
                table = find_table(read.objects[TABLES.name], item.name)
            except GenesysCloudError:
                continue  # two tables share the name: the table's plan says so
            if table is not None:
                futures[item.name] = pool.submit(read_rows, client, table["id"])

        def wait():
            read.rows = dict((name, future.result()) for name, future in futures.items())
        read.rows = {}
        return wait

    def read_note(self, read):
        return "the rows of %d data tables" % len(read.rows) if read.rows else None

    def reference_problems(self, org, read):
        known = set(item.name.lower() for item in org[TABLES.name] if not item.absent)
        known |= set(str(table.get("name", "")).lower() for table in read.objects[TABLES.name])
        gone = set(item.name.lower() for item in org[TABLES.name] if item.absent)
        problems = []
        for item in org[self.name]:
            if item.name.lower() in gone:
                problems.append("%s: the rows name %s, which the definition removes (state: absent); remove the "
                                "rows file too" % (item.where, table_label(item.name)))
            elif item.name.lower() not in known:
                problems.append("%s: %s is neither in the org nor in the directory (datatables/%s.yml)"
                                % (item.where, table_label(item.name), shorten(item.name)))
        return problems

    # -- plan ----------------------------------------------------------------------------------------
    def plan_step(self, plan, step):
        table, props, problem = _future_table(plan, step.name)
        if problem:
            step.problems = [problem]
            return
        if table is None:
            return  # the table is unknown: its problem is listed already
        params = step.item.params
        wanted = wanted_rows(params, table["name"], props)
        if wanted.problem_count:
            step.problems = wanted.summary()
            return
        stored = plan.read.rows.get(step.name, {}) if table.get("id") else {}
        try:
            check_full_rows(table, props, stored)
        except GenesysCloudError as exc:
            step.problems = [exc.message]
            return
        step.plan = plan_rows(table, props, wanted.rows, stored, purge=params["purge"], max_rows=params["max_rows"])
        step.problems = list(step.plan.problems)
        step.untouched = [] if params["purge"] else sorted(key for key in stored if key not in wanted.rows)

    def step_action(self, step):
        plan = step.plan
        if not plan.changed:
            return "none"
        return "delete" if plan.delete and not (plan.create or plan.update) else "update"

    def unmanaged_after_plan(self, plan):
        """Stored rows of the tables without purge that no file names: how many and the first keys."""
        return [dict(kind=self.name, name=step.name, rows=len(step.untouched), keys=step.untouched[:UNTOUCHED_SHOWN])
                for step in plan.steps if step.kind == self.name and step.plan is not None
                and getattr(step, "untouched", None)]

    def unmanaged_text(self, found):
        more = found["rows"] - len(found["keys"])
        return "%d row%s of %s that no file names (no purge): %s%s" % (
            found["rows"], "" if found["rows"] == 1 else "s", table_label(found["name"]), ", ".join(found["keys"]),
            " and %d more" % more if more > 0 else "")

    # -- apply ---------------------------------------------------------------------------------------
    def start_apply(self, plan):
        return plan

    def apply_step(self, client, trail, step, shared, diff):
        rows_plan = step.plan
        if rows_plan.table.get("id") is None:  # created by this run: its id is the applied table's
            table_step = shared.first_step(TABLES.name, step.name, "apply")
            rows_plan.table = dict(rows_plan.table, id=table_step.applied["datatable"]["id"])
        apply_rows(client, trail, rows_plan, concurrency=step.item.params["concurrency"])
        return rows_plan.result(diff)

    def describe(self, result):
        return "created %d, updated %d, deleted %d" % tuple(result.get(key) or 0 for key in COUNT_KEYS)

    # -- report --------------------------------------------------------------------------------------
    def counted(self, step, applied):
        source = step.applied if applied else step.plan.counts()
        return dict((action, source.get(key) or 0) for action, key in zip(ACTIONS, COUNT_KEYS))

    def details(self, plan, step):
        return dict(("rows_%s" % key, keys) for key, keys in step.plan.keys().items() if keys)

    def saved_values(self, step, digest):
        rows_plan = step.plan
        return {"rows created": digest(rows_plan.create), "rows updated": digest([row for _b, row in rows_plan.update]),
                "rows deleted": digest([row["key"] for row in rows_plan.delete])}

    def basis(self, read):
        return dict((name, rows_digest(rows)) for name, rows in read.rows.items())

    # -- export --------------------------------------------------------------------------------------
    named_by_stem = True

    def export_covers(self, scope, name, exported):
        return scope.selects(TABLES.name, name)

    def export_reads(self, client, pool, scope, state):
        """The full rows of every exported table."""
        futures = dict((view["name"], pool.submit(read_rows, client, view["id"])) for view in state[TABLES.name])

        def wait():
            state[self.name] = dict((name, list(future.result().values())) for name, future in futures.items())
        return wait

    def export_plan(self, plan, state, context):
        export.plan_rows_files(plan, state, context, self.name, TABLES.name)

    def export_plain(self, items):
        return export.render_records(plain(items), ".jsonl", "key")

    def export_settings_text(self, text, plan, base_settings, settings, parse):
        """``purge: true`` for each exported table's rows where neither ``org.yml`` nor the base's says purge."""
        owners = set(entry["owner"] for entry in plan.entries.values())
        exported = [owner.split("/", 1)[1] for owner in owners if owner.startswith(self.name + "/")]
        return export.settings_text(text, export.wanted_settings(exported, base_settings, settings), parse, _dump)

    def export_count(self, value):
        return sum(len(rows) for rows in value.values())

    def export_gone(self, plan, relative, item, tools):
        """An empty ``.json`` for rows the base holds of a table the org no longer has (other formats: a warning)."""
        if relative.lower().endswith(".json"):
            plan.add(relative, self.name, item.name, "[]\n")
        else:
            plan.warnings.append("the base's %s holds rows of data table %s, which the org no longer has; an "
                                 "overlay cannot empty that file: remove it from the base, or turn it into .json"
                                 % (relative, item.name))


def _dump(document):
    return yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True, width=1000)


KIND = DatatableRowsKind()
