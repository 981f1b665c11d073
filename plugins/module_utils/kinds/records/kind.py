# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom-object records in an org run: one record set per schema, after the schemas (it depends on them).

A set is planned against the fields its schema will have after the run (the flex schema kind's plans)
and the relationship values its targets hold after the run; it applies after its schema, level by level,
and is removed before it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os

from ansible_collections.genesys.cloud.plugins.module_utils import records_resource as resource
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import (
    ACTIONS, STREAM_SUFFIXES, YAML_SUFFIXES, Kind, short)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema import order as schema_order
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema.kind import KIND as SCHEMAS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema.kind import future_fields
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import (
    export, export_plan, export_scope, export_settings, files, record_set)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records.report import NAMED, details, saved_values
from ansible_collections.genesys.cloud.plugins.module_utils.records_plan import DIFF_SAMPLE

MIB = 1024 * 1024


class RecordsKind(Kind):
    name = "records"
    noun = "record"
    change_kind = "records"
    label = "records of"
    of_label = "the records of"
    module = "custom_object_records"
    arguments = resource.ARGUMENTS
    name_key = "schema"
    not_in_an_org = ("changes_dest",)
    suffixes = YAML_SUFFIXES + STREAM_SUFFIXES
    file_limits = {"records_yaml": (8 * MIB, "a YAML records file", " or use .csv/.json/.jsonl, which are streamed"),
                   "records_stream": (1024 * MIB, "a records file")}
    basis_what = "records read"
    basis_digests = True
    example = "records/<schema>.csv|json|jsonl|yml"
    settings_key = "records"  # org.yml: per-schema options of the record sets
    named_by_stem = True
    depends_on = (SCHEMAS.name,)

    # -- directory -----------------------------------------------------------------------------------
    def file_kind(self, path):
        return "records_stream" if self.streamed(path) else "records_yaml"

    def streamed(self, path):
        return not path.lower().endswith(YAML_SUFFIXES)

    def stream_data(self, path, stem):
        return {"src": path, "schema": stem}

    def file_data(self, path, data, stem):
        return files.file_data(path, data, stem)

    def settings_problems(self, path, value):
        return files.settings_problems(path, value)

    def merge_settings(self, data, settings):
        for option, value in ((settings.get(self.settings_key) or {}).get(data[self.name_key]) or {}).items():
            data.setdefault(option, value)
        return data

    def item_problems(self, params):
        """The records module's own checks of its options (the key is checked with the schema, later)."""
        return resource.early_problems(dict(params, key="id"), {})

    def directory_problems(self, directory, loaded, settings):
        return files.name_problems(directory, loaded, settings.get(self.settings_key) or {}, SCHEMAS.name)

    def variable_problems(self, item, log):
        """A set given as a variable names its ``src``: it must be a file (a directory's were checked when listed)."""
        src = item.params and item.params["src"]
        if not src:
            return []
        if not os.path.isfile(src):
            return ["%s: src: %s is not a file" % (item.where, files.shorten(src))]
        log.streamed(src, "records_stream", label="src %s" % src)  # the records logic streams any src
        return []

    # -- order ---------------------------------------------------------------------------------------
    def levels(self, org):
        return schema_order.level_function(org[SCHEMAS.name])

    def apply_items(self, org):
        level = self.levels(org)
        return sorted(org[self.name], key=lambda item: level(item.name))

    # -- read ----------------------------------------------------------------------------------------
    def submit_reads(self, client, pool, org, read, unmanaged):
        """The stored records of every schema the run compares with or checks relationships against."""
        futures = dict((name, pool.submit(_read_pages, client, name)) for name in _record_reads(org, read.catalog))

        def wait():
            read.pages = dict((name, future.result()) for name, future in futures.items())
        read.pages = {}
        return wait

    def read_note(self, read):
        return "the records of %d schemas" % len(read.pages)

    def reference_problems(self, org, read):
        """Record files whose schema is nowhere, or is named in another case."""
        schemas = org[SCHEMAS.name]
        stored = read.objects[SCHEMAS.name]
        known = set(item.name.lower() for item in schemas if not item.absent) | set(s["name"].lower() for s in stored)
        exact = set(item.name for item in schemas if not item.absent) | set(s["name"] for s in stored)
        problems = []
        for item in org[self.name]:
            if item.absent:
                continue
            if item.name.lower() not in known:
                problems.append("%s: schema %s is neither in the org nor in the directory" % (item.where, item.name))
            elif item.name not in exact:
                named = sorted(name for name in exact if name.lower() == item.name.lower())
                problems.append("%s: the records name schema %s, which is spelt %s: name the file (or schema:) "
                                "exactly as the schema" % (item.where, item.name, " or ".join(named)))
        return problems

    # -- plan ----------------------------------------------------------------------------------------
    def plan_step(self, plan, step):
        if step.direction == "remove":
            clone = copy.copy(step.item)
            clone.params = dict(step.item.params, state="absent")
            step.item = clone
        fields = future_fields(plan, step.name)
        if fields is None:
            return  # the schema is unknown: its problem is listed already
        read = plan.read
        planned = dict(plan.first_steps(self.name))
        if planned.get(step.name) is step:
            del planned[step.name]

        def targets(schema, field):
            other = planned.get(schema)
            if other is not None and other.plan is not None:
                return other.plan.values_after(field)
            values = set()
            for page in read.pages.get(schema, []):
                values.update(str(item[field]) for item in page if item.get(field) is not None)
            return values

        refused_targets = sorted(set(
            field["relationship"]["schemaName"] for field in fields.values()
            if field.get("relationship") and field["relationship"]["schemaName"] in planned
            and planned[field["relationship"]["schemaName"]].refused))
        if refused_targets:  # checking against a refused set would refuse every record again, one by one
            step.plan = record_set.RecordSetPlan(step.item, step.name, problems=[
                "not checked: its relationships point at the records of %s, which are refused (fix those first)"
                % ", ".join(refused_targets)])
        else:
            step.plan = record_set.plan_record_set(step.item, step.name, fields, read.pages.get(step.name, []),
                                                   targets, untouched=plan.report_unmanaged)
        step.problems = list(step.plan.problems)

    def step_action(self, step):
        counts = step.plan.counts
        if not step.plan.changed:
            return "none"
        return "delete" if counts["delete"] and not (counts["create"] or counts["update"]) else "update"

    def unmanaged_after_plan(self, plan):
        """Stored records of the sets without purge that no file names, per set: how many and the first keys.

        Known from the pages the plan read anyway; ``delete_unmanaged`` leaves them (``purge: true`` deletes them)."""
        return [dict(kind=self.name, name=step.name, records=step.plan.untouched, keys=list(step.plan.untouched_keys))
                for step in plan.steps if step.kind == self.name and step.direction == "apply"
                and step.plan is not None and step.plan.untouched]

    def unmanaged_text(self, found):
        keys = found.get("keys") or []
        more = found["records"] - len(keys)
        return "%d record%s of %s that no file names (no purge): %s%s" % (
            found["records"], "" if found["records"] == 1 else "s", found["name"], ", ".join(keys),
            " and %d more" % more if more > 0 else "")

    # -- apply ---------------------------------------------------------------------------------------
    def apply_step(self, client, trail, step, shared, diff):
        return record_set.apply_record_set(client, trail, step.plan)

    def describe(self, result):
        return "created %d, updated %d, deleted %d" % (result.get("created") or 0, result.get("updated") or 0,
                                                       result.get("deleted") or 0)

    # -- report --------------------------------------------------------------------------------------
    def counted(self, step, applied):
        source = step.applied if applied else dict(
            created=step.plan.counts["create"], updated=step.plan.counts["update"], deleted=step.plan.counts["delete"])
        return dict((action, source.get(key) or 0) for action, key in zip(ACTIONS, ("created", "updated", "deleted")))

    def summary_note(self, plan, steps, check_mode):
        """One line naming the sets of schemas this run creates (all their records are created), if any."""
        if not check_mode:
            return None
        existing = set(schema["name"].lower() for schema in plan.read.objects[SCHEMAS.name])
        new_sets = ["%s (%d)" % (step.name, step.plan.counts["create"]) for step in steps
                    if step.name.lower() not in existing and step.direction == "apply"]
        if not new_sets:
            return None
        return "records of schemas this run creates, all to create: %s%s" % (
            ", ".join(new_sets[:NAMED]), " and %d more" % (len(new_sets) - NAMED) if len(new_sets) > NAMED else "")

    def step_result(self, plan, step, diff, budget):
        planned = step.plan.plan
        return resource.preview_result(planned, diff, budget.sample(DIFF_SAMPLE, planned.samples) if diff else DIFF_SAMPLE)

    def details(self, plan, step):
        return details(step)

    def detail_text(self, key, value):
        if key != "changed_records":
            return None
        return ", ".join("%s (%s)" % (item["key"], ", ".join(
            "%s %s -> %s" % (f["field"], short(f["before"]), short(f["after"])) for f in item["fields"]))
            for item in value)

    def saved_values(self, step, digest):
        return saved_values(step, digest)

    # -- export --------------------------------------------------------------------------------------
    export_option = dict(type="raw", default=True)

    def export_option_value(self, value):
        return export_scope.records_option(value)

    def export_option_problems(self, scope, state):
        return export_scope.records_problems(scope.options.get(self.name, True), state[SCHEMAS.name])

    def export_covers(self, scope, name, exported):
        return export_scope.covers(scope.options.get(self.name, True), scope.selects(SCHEMAS.name, name), name, exported)

    def export_reads(self, client, pool, scope, state):
        """The records of every exported schema the export's ``records`` option covers."""
        names = state["names"]
        futures = dict((schema["name"], pool.submit(_read_all, client, schema["name"]))
                       for schema in state[SCHEMAS.name] if self.export_covers(scope, schema["name"], names))

        def wait():
            state[self.name] = dict((name, future.result()) for name, future in futures.items())
        return wait

    def export_plan(self, plan, state, context):
        export_plan.plan_records(plan, state, context, self.name, SCHEMAS.name)

    def export_plain(self, items):
        return export.export_records(items)

    def export_settings_text(self, text, plan, base_settings, settings, parse):
        """Each exported set's key and ``purge: true`` where neither ``org.yml`` nor the base's says them."""
        additions = export_settings.wanted(plan.keys, base_settings, settings)
        return export_settings.settings_text(text, additions, parse) if additions else text

    def export_count(self, value):
        return sum(len(records) for records in value.values())

    def export_gone(self, plan, relative, item, tools):
        """An empty set for records the base holds and the org no longer has (a format that may be empty)."""
        suffix = os.path.splitext(relative)[1].lower()
        if suffix in export.CAN_BE_EMPTY:
            plan.add(relative, self.name, item.name, export.render_records([], suffix, "id"))
        else:
            plan.warnings.append("the base's %s holds records of %s, which the org no longer has; an overlay "
                                 "cannot empty a %s file: remove the records from the base, or turn it into "
                                 ".json" % (relative, item.name, suffix))

    def basis(self, read):
        return dict((name, record_set.pages_digest(pages)) for name, pages in read.pages.items())


def _read_pages(client, name):
    return [page["entities"] for page in client.paginate_pages(record_set.records_path(name), page_size=500)]


def _read_all(client, name):
    return list(client.paginate(record_set.records_path(name), page_size=500))


def _record_reads(org, catalog):
    """Stored schemas (exact names) whose records the run compares with or checks relationships against."""
    wanted = set()
    for item in org[KIND.name]:
        schema = catalog.find(item.name)
        if schema is None or schema["name"] != item.name:
            continue
        wanted.add(schema["name"])
        for field in schema["fields"]:
            target = catalog.by_id.get((field.get("relationship") or {}).get("schemaId"))
            if target is not None:
                wanted.add(target["name"])
    names = set(item.name for item in org[KIND.name])
    for item in org[SCHEMAS.name]:
        if item.name in names:
            for target in schema_order.relationship_targets(item):
                schema = catalog.find(target)
                if schema is not None:
                    wanted.add(schema["name"])
    return sorted(wanted)


KIND = RecordsKind()
