# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Process-automation triggers in an org run: ``triggers/NAME.yml`` (the options of genesys.cloud.trigger),
planned and applied by that module's own plan and apply.

A trigger names a workflow, which the org run references and never manages: a trigger naming a workflow the
org does not have, or one that is not published, is a reference problem of the preview (nothing is written).
A new topic is a replacement (the topic of a stored trigger never changes): the plan says ``replace``, the
summary counts a delete and a create.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import ModuleKind
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger import export, shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.apply import apply_plan
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.options import ARGUMENTS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.plan import plan_trigger
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.read import (
    TriggerRead,
    read_topics,
    read_triggers,
    read_workflows,
)


def _present(org, name):
    return [item for item in org[name] if not item.absent]


class TriggerKind(ModuleKind):
    name = "triggers"
    noun = "trigger"
    change_kind = "trigger"
    label = "trigger"
    of_label = "trigger"
    module = "trigger"
    arguments = ARGUMENTS
    file_limits = {"triggers": (256 * 1024, "a trigger file")}
    ignorable = True
    ignore_example = "nightly-*"
    example = "triggers/*.yml"
    export_filtered = True
    exporter = export
    apply_plan = staticmethod(apply_plan)

    def item_problems(self, params):
        return shape.trigger_problems(params)

    # -- read ----------------------------------------------------------------------------------------
    def read_objects(self, client):
        return read_triggers(client).triggers

    def submit_reads(self, client, pool, org, read, unmanaged):
        """The topics and the workflows the directory's triggers name (only when one is to be present)."""
        refs = [item.params["workflow"] for item in _present(org, self.name)]
        read.trigger_read = TriggerRead(read.objects[self.name])
        if not refs:
            return lambda: None
        topics, workflows = pool.submit(read_topics, client), pool.submit(read_workflows, client, refs)

        def wait():
            read.trigger_read = TriggerRead(read.objects[self.name], topics.result(), workflows.result())
        return wait

    def read_note(self, read):
        return "%d triggers" % len(read.objects[self.name])

    def _workflow_problem(self, read, item):
        return shape.resolve_workflow(read.trigger_read.workflows, item.params["workflow"])[1]

    def reference_problems(self, org, read):
        """A trigger naming a workflow the org does not have, or has unpublished, or more than once."""
        problems = []
        for item in _present(org, self.name):
            problem = self._workflow_problem(read, item)
            if problem:
                problems.append("%s: %s" % (item.where, problem))
        return problems

    # -- plan ----------------------------------------------------------------------------------------
    def plan_step(self, plan, step):
        if step.item is not None and not step.item.absent:
            params = dict(step.item.params)
        else:
            params = dict(name=step.name, state="absent")
        if step.direction == "remove":
            params["state"] = "absent"
        try:
            step.plan = plan_trigger(params, plan.read.trigger_read)
        except InputError as exc:
            # a workflow problem is the plan's reference problem already: said once
            said = self._workflow_problem(plan.read, step.item) if params["state"] == "present" else None
            step.problems = [problem for problem in exc.problems if problem != said]

    def describe(self, result):
        if result.get("action") == "replace":
            return "replaced"
        return ModuleKind.describe(self, result)

    # -- report and saved plans --------------------------------------------------------------------
    def counted(self, step, applied):
        if step.action == "replace" and (not applied or step.applied.get("changed")):
            return {"delete": 1, "create": 1}
        return ModuleKind.counted(self, step, applied)

    def details(self, plan, step):
        return dict(trigger_options=sorted(step.plan.delta))

    def saved_values(self, step, digest):
        plan = step.plan
        values = dict(("option %s" % key, digest(value)) for key, value in plan.delta.items())
        if plan.action in ("delete", "replace"):
            values["id"] = digest(plan.id)
        return values

    def basis(self, read):
        versions = {}
        for trigger in read.objects[self.name]:
            versions.setdefault(trigger.get("name"), []).append("%s:%s" % (trigger.get("id"), trigger.get("version")))
        return dict((name, ",".join(sorted(found))) for name, found in versions.items())

    # -- export --------------------------------------------------------------------------------------
    def export_read(self, client):
        triggers = self.read_objects(client)
        workflows = read_workflows(client, [(t.get("target") or {}).get("id") for t in triggers])
        return [export.exported(shape.to_user(trigger), workflows) for trigger in triggers]


KIND = TriggerKind()
