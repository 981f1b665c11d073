# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Flex schemas in an org run: ``schemas/NAME.yml``, planned in relationship order against a planning catalog.

Schemas are planned first (``plan_phase`` 0), in dependency order, against a catalog that holds what
earlier plans create or change (ids ``PENDING_PREFIX + name`` until the create answers give the real
ones), so the kinds planned later (records) see the fields every schema will have after the run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

from ansible_collections.genesys.cloud.plugins.module_utils import flex_schema_apply as resource
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    PENDING_PREFIX, SCHEMAS_PATH, SELF_ID, Catalog, definition_problems, readable_schema, user_schema)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import Kind, short
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema import export, order

REMOVAL_PARAMS = dict(state="absent", force=True, purge_fields=False, description=None, fields=None,
                      allow_unsafe_type_changes=False)


def copied(value):
    """A deep copy of JSON data (several times faster than copy.deepcopy)."""
    return json.loads(json.dumps(value))


class FlexSchemaKind(Kind):
    name = "schemas"
    noun = "schema"
    change_kind = "schema"
    label = "schema"
    of_label = "schema"
    module = "flex_schema"
    arguments = resource.ARGUMENTS
    file_limits = {"schemas": (1024 * 1024, "a schema file")}
    ignorable = True
    ignore_example = "tmp_*"
    plan_phase = 0
    basis_what = "version"
    example = "schemas/*.yml"
    run_options = {"allow_unsafe_type_changes": dict(type="bool", default=False)}

    def item_problems(self, params):
        if params["state"] != "present":
            return []
        definition = dict(name=params["name"], description=params["description"], fields=params["fields"])
        return definition_problems(definition, params["purge_fields"])

    def ordered(self, items):
        try:
            return order.order_schemas(items), []
        except order.RelationshipCycle as exc:
            return list(items), [str(exc)]

    def levels(self, org):
        return order.level_function(org[self.name])

    def apply_items(self, org):
        levels, _level_of = order.schema_levels(list(org[self.name]))
        return [item for level in levels for item in level]

    # -- read ----------------------------------------------------------------------------------------
    def read_objects(self, client):
        return list(client.paginate(SCHEMAS_PATH, page_size=100))

    def after_list(self, read):
        read.catalog = Catalog(read.objects[self.name])
        read.counts = {}

    def submit_reads(self, client, pool, org, read, unmanaged):
        """The record count of every schema a plan may delete (``unmanaged``: stored names not managed here)."""
        counted = set(item.name for item in org[self.name] if item.absent) | set(unmanaged)
        futures = dict((name, pool.submit(_count, client, read.catalog, name)) for name in sorted(counted))

        def wait():
            read.counts = dict((name, future.result()) for name, future in futures.items())
        return wait

    def read_note(self, read):
        return "%d schemas" % len(read.objects[self.name])

    def reference_problems(self, org, read):
        """Relationships to a schema that neither the definition nor the org has."""
        known = set(item.name.lower() for item in org[self.name] if not item.absent)
        known |= set(schema["name"].lower() for schema in read.objects[self.name])
        problems = []
        for item in org[self.name]:
            if item.absent:
                continue
            for index, field in enumerate(item.params["fields"] or []):
                target = (field.get("relationship") or {}).get("schema")
                if target and target.lower() not in known and target.lower() != item.name.lower():
                    problems.append("%s: fields[%d].relationship.schema: no schema named %s in the org or the "
                                    "directory" % (item.where, index, target))
        return problems

    # -- plan ----------------------------------------------------------------------------------------
    def start_plan(self, plan):
        plan.catalog = Catalog(copied(plan.read.objects[self.name]))

    def plan_step(self, plan, step):
        params = dict(step.item.params) if step.item is not None else dict(REMOVAL_PARAMS, name=step.name)
        if step.direction == "remove":
            params["state"] = "absent"
        if step.item is not None and "allow_unsafe_type_changes" not in step.item.data:
            params["allow_unsafe_type_changes"] = plan.options.get("allow_unsafe_type_changes", False)
        step.plan = resource.plan_schema(params, plan.catalog, plan.read.counts.get(step.name, 0))
        if step.plan.action == "refused":
            step.problems = list(step.plan.problems)
            return
        predicted = resource.planned_schema(step.plan)
        if predicted is not None:
            plan.catalog.remember(predicted)

    def refusal_label(self, step):
        return "schema change %s" % step.name

    def unsafe(self, step):
        return any("allow_unsafe_type_changes" in str(problem) for problem in step.problems)

    def unmanaged_entry(self, stored, read):
        return dict(kind=self.name, name=stored["name"], id=stored["id"], records=read.counts.get(stored["name"]))

    # -- apply ---------------------------------------------------------------------------------------
    def start_apply(self, plan):
        return Catalog(copy.deepcopy(plan.read.objects[self.name]))

    def apply_step(self, client, trail, step, shared, diff):
        return resource.apply_plan(client, trail, step.plan, shared, diff)

    def describe(self, result):
        return result.get("action") or "none"

    # -- report --------------------------------------------------------------------------------------
    def flags(self, step):
        if step.plan is None:
            return []
        return ["UNSAFE schema change %s.%s: %s -> %s (%s)"
                % (step.name, change.get("field"), change.get("from"), change.get("to"), change["verdict"])
                for change in step.plan.changes.get("type_changes") or []
                if change.get("verdict") in ("unsafe", "forbidden")]

    def counted(self, step, applied):
        action = step.applied.get("action") if applied else step.action
        return {action: 1} if action in ("create", "update", "delete") else {}

    def step_result(self, plan, step, diff, budget):
        result = step.plan.result(plan.catalog, diff)
        if step.plan.warnings:
            result["warnings"] = list(step.plan.warnings)
        return result

    def details(self, plan, step):
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
            details["fields"].append(dict(field=name, change="changed", before=before.get(name),
                                          after=after.get(name)))
        if changes.get("type_changes"):
            details["type_changes"] = changes["type_changes"]
        if changes.get("description_changed"):
            details["description"] = dict(before=(step.plan.before or {}).get("description"),
                                          after=(step.plan.after or {}).get("description"))
        if step.plan.action == "delete":
            details["records"] = step.plan.held
        return details

    def detail_text(self, key, value):
        if key == "fields" and isinstance(value, list):
            return ", ".join("%s %s%s" % (item["field"], item["change"], _field_change(item)) for item in value)
        if key == "type_changes":
            return ", ".join("%s %s -> %s (%s)" % (c["field"], c.get("from"), c.get("to"), c.get("verdict"))
                             for c in value)
        return None

    # -- export --------------------------------------------------------------------------------------
    export_filtered = True

    def export_covers(self, scope, name, exported):
        return scope.selects(self.name, name) or name.lower() in exported

    def export_read(self, client):
        stored = self.read_objects(client)
        catalog = Catalog(stored)
        return [user_schema(schema, catalog) for schema in stored]

    def export_select(self, scope, objects):
        """The selected schemas and the relationship targets they need (unless ``exclude`` names one)."""
        warnings = []
        by_name = dict((schema["name"].lower(), schema) for schema in objects)
        chosen = [schema for schema in objects if scope.selects(self.name, schema["name"])]
        names = set(schema["name"].lower() for schema in chosen)
        pulled_in, pending = {}, list(chosen)
        while pending:
            schema = pending.pop(0)
            for target in export.relationship_targets(schema):
                key = target.lower()
                if key in names or key not in by_name:
                    continue
                if scope.excluded(self.name, target):
                    warnings.append("schema %s relates to schema %s, which exclude leaves out: the export applies "
                                    "only to an org that has %s" % (schema["name"], target, target))
                    continue
                names.add(key)
                pulled_in.setdefault(by_name[key]["name"], []).append(schema["name"])
                pending.append(by_name[key])
        return [schema for schema in objects if schema["name"].lower() in names], pulled_in, warnings

    def export_text(self, item, with_headers):
        return export.export_schema(item)

    def export_meaning(self, data, stem, with_headers):
        return export.schema_meaning(data, stem)

    def export_keys(self, with_headers):
        return export.SCHEMA_EXPORT_KEYS

    # -- saved plans ---------------------------------------------------------------------------------
    def saved_values(self, step, digest):
        plan = step.plan
        if plan.action == "delete":
            return {"id": digest((plan.before or {}).get("id")), "records deleted with it": digest(
                plan.held if plan.params.get("force") else 0)}
        after = plan.after or {}
        values = dict(("option %s" % key, digest(value)) for key, value in after.items()
                      if key not in ("fields", "version", "id", "dateCreated", "dateModified", "modifiedBy",
                                     "createdBy"))
        for field in after.get("fields") or []:
            values["field %s" % field.get("name")] = digest(field)
        return values

    def basis(self, read):
        return dict((s["name"], _text(s.get("version"))) for s in read.objects[self.name])


def _field_change(item):
    if item["change"] != "changed":
        return ""
    return " (%s -> %s)" % (short(item["before"]), short(item["after"]))


def _text(value):
    return None if value is None else str(value)


def _count(client, catalog, name):
    stored = catalog.find(name)
    return resource.stored_record_count(client, stored["name"]) if stored is not None else 0


def future_fields(plan, name):
    """The fields (API shape, by name) schema ``name`` has after the run, each relationship naming its
    target schema (``schemaName``); None when the schema is unknown."""
    step = plan.first_step(KIND.name, name, "apply")
    if step is not None and not step.refused:
        fields = step.plan.after["fields"]
    else:  # not in the definition, or refused (its records are shown against the schema as stored)
        stored = plan.read.catalog.find(name)
        if stored is None or stored["name"] != name:
            return None
        fields = stored["fields"]
    result = {}
    for field in copied(fields):
        relationship = field.get("relationship")
        if relationship:
            target = relationship.get("schemaId") or ""
            if target == SELF_ID or target == PENDING_PREFIX + name:
                relationship["schemaName"] = name
                relationship.pop("schemaId", None)
            elif target.startswith(PENDING_PREFIX):
                relationship["schemaName"] = target[len(PENDING_PREFIX):]
                relationship.pop("schemaId", None)
            else:
                relationship["schemaName"] = (plan.catalog.name_of(target) or plan.read.catalog.name_of(target)
                                              or target)
        result[field["name"]] = field
    return result


KIND = FlexSchemaKind()
