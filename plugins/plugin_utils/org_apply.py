# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply an org plan (plugin_utils/org_plan.py) exactly, in dependency order, with the run's one client.

Schemas level by level (relationship targets first, independent schemas of a level in parallel),
records schema by schema in the same levels, webhooks in parallel, then removals in the reverse
order. Every step applies its own plan with its resource's ``apply``; ids of created schemas come
from the create answers (the live catalog learns them), nothing is read back. The first failure
stops the run; :func:`written` says what was already written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import Catalog
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema_apply import apply_plan as apply_schema
from ansible_collections.genesys.cloud.plugins.module_utils.webhook_apply import apply_plan as apply_webhook
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_records import apply_record_set

WRITE_WORKERS = 4
ORDER = (("schemas", "apply"), ("records", "apply"), ("webhooks", "apply"),
         ("webhooks", "remove"), ("records", "remove"), ("schemas", "remove"))


def batches(plan):
    """The changing steps in groups that may run in parallel, in the order the groups must run."""
    levels, level_of = od.schema_levels(list(plan.org["schemas"]))
    groups = []
    for kind, direction in ORDER:
        chosen = [step for step in plan.steps if step.kind == kind and step.direction == direction and step.changed]
        by_level = {}
        for step in chosen:
            level = 0 if kind == "webhooks" else level_of.get(step.name.lower(), len(levels))
            by_level.setdefault(level, []).append(step)
        for level in sorted(by_level, reverse=direction == "remove"):
            groups.append(by_level[level])
    return groups


def apply_step(client, step, catalog, diff, progress=None):
    """Apply one step's plan; its result (a failure included) with the step's audit entries."""
    trail = AuditTrail(client)
    try:
        if step.kind == "schemas":
            result = apply_schema(client, trail, step.plan, catalog, diff)
        elif step.kind == "webhooks":
            result = apply_webhook(client, trail, step.plan, diff)
        else:
            result = apply_record_set(client, trail, step.plan)
    except GenesysCloudError as exc:
        result = exc.to_result()
        result["failed"] = True
    result["audit"] = trail.entries
    if progress is not None:
        progress("%s: %s" % (step.label, describe(step.kind, result)))
    return result


def apply_org(client, plan, diff=False, progress=None):
    """Apply ``plan`` group by group; return the failed step (None when everything was written)."""
    if plan.refused:
        raise ValueError("a refused plan is never applied (this is a bug)")
    catalog = Catalog(copy.deepcopy(plan.read.schemas))
    with ThreadPoolExecutor(max_workers=client.workers_for(WRITE_WORKERS)) as pool:  # more with a pool of tokens
        for group in batches(plan):
            futures = [(step, pool.submit(apply_step, client, step, catalog, diff, progress)) for step in group]
            for step, future in futures:
                step.applied = future.result()
            failed = [step for step in group if step.applied.get("failed")]
            if failed:
                return failed[0]
    return None


def describe(kind, result):
    if result.get("failed"):
        return "failed"
    if kind == "records":
        return "created %d, updated %d, deleted %d" % (result.get("created") or 0, result.get("updated") or 0,
                                                       result.get("deleted") or 0)
    if kind == "schemas":
        return result.get("action") or "none"
    return "changed" if result.get("changed") else "unchanged"


def written(plan):
    """Objects changed so far, for messages."""
    return ["%s (%s)" % (step.label, describe(step.kind, step.applied)) for step in plan.steps
            if step.applied is not None and not step.applied.get("failed") and step.applied.get("changed")]
