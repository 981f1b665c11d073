# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task-management workitem schemas in an org run: ``workitem_schemas/NAME.yml`` (the options of
genesys.cloud.workitem_schema), planned and applied by that module's own plan and apply.

The run reads the schema list once (soft-deleted schemas are not the org's: never unmanaged, never planned
against) and, when a schema is to be present, the org's limits. Schemas the run creates count against the
org's limit as they are planned. An update that meets a stale version is re-read and re-applied as the
module does (``apply.updated_body``: only the run's own change).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import ModuleKind
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema import export, shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.apply import apply_plan
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.options import ARGUMENTS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.plan import plan_workitem_schema
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.read import (
    SchemaRead,
    read_limits,
    read_workitem_schemas,
)

REMOVAL_PARAMS = dict(state="absent", description=None, enabled=True, fields=None)


class WorkitemSchemaKind(ModuleKind):
    name = "workitem_schemas"
    noun = "workitem schema"
    change_kind = "workitem_schema"
    label = "workitem schema"
    of_label = "workitem schema"
    module = "workitem_schema"
    arguments = ARGUMENTS
    file_limits = {"workitem_schemas": (256 * 1024, "a workitem schema file")}
    ignorable = True
    ignore_example = "legacy-*"
    example = "workitem_schemas/*.yml"
    export_filtered = True
    exporter = export
    apply_plan = staticmethod(apply_plan)

    def item_problems(self, params):
        return shape.schema_problems(params)

    # -- read ----------------------------------------------------------------------------------------
    def read_objects(self, client):
        return read_workitem_schemas(client, limits=False).schemas

    def submit_reads(self, client, pool, org, read, unmanaged):
        read.workitem_limits = None
        if not any(not item.absent for item in org[self.name]):
            return lambda: None
        future = pool.submit(read_limits, client)

        def wait():
            read.workitem_limits = future.result()
        return wait

    def read_note(self, read):
        return "%d workitem schemas" % len(read.objects[self.name])

    # -- plan ----------------------------------------------------------------------------------------
    def start_plan(self, plan):
        # the schemas as planned so far: a create counts against the org's limit for the plans after it
        plan.workitem_schemas = SchemaRead(list(plan.read.objects[self.name]),
                                           getattr(plan.read, "workitem_limits", None))

    def plan_step(self, plan, step):
        params = dict(step.item.params) if step.item is not None else dict(REMOVAL_PARAMS, name=step.name)
        if step.direction == "remove":
            params["state"] = "absent"
        try:
            step.plan = plan_workitem_schema(params, plan.workitem_schemas)
        except InputError as exc:
            step.problems = list(exc.problems)
            return
        if step.plan.action == "create":
            plan.workitem_schemas.schemas.append(dict(name=step.name))

    # -- report and saved plans --------------------------------------------------------------------
    def details(self, plan, step):
        changes = step.plan.changes()
        return dict(schema_options=changes["options"], fields_added=changes["added"],
                    fields_changed=changes["modified"], fields_removed=changes["removed"])

    def saved_values(self, step, digest):
        plan = step.plan
        if plan.action == "delete":
            return {"id": digest(plan.id)}
        delta = plan.delta
        values = dict(("option %s" % key, digest(value)) for key, value in delta["options"].items())
        values.update(("field %s" % key, digest(value)) for key, value in delta["set_fields"].items())
        if delta["removed"]:
            values["fields removed"] = digest(sorted(delta["removed"]))
        return values

    def basis(self, read):
        return dict((schema.get("name"), str(schema.get("version"))) for schema in read.objects[self.name])

    # -- export --------------------------------------------------------------------------------------
    def export_read(self, client):
        return [export.exported(shape.to_user(schema)) for schema in self.read_objects(client)]


KIND = WorkitemSchemaKind()
