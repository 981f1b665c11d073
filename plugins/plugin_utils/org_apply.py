# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply an org plan (plugin_utils/org_plan.py) exactly, in dependency order, with the run's one client.

The kinds in registry order (module_utils/kinds/registry.py), each kind's objects level by level (a kind's
``levels``: relationship targets first, say; the objects of one level in parallel), then removals in the
reverse order. Every step applies its own plan with its kind's ``apply``; what a kind's applies share (a live
catalog that learns the ids of created objects from the create answers) is made once; nothing is read
back. The first failure stops the run; :func:`written` says what was already written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS, kind_of

WRITE_WORKERS = 4


def batches(plan):
    """The changing steps in groups that may run in parallel, in the order the groups must run."""
    order = [(kind, "apply") for kind in KINDS] + [(kind, "remove") for kind in reversed(KINDS)]
    groups = []
    for kind, direction in order:
        level = kind.levels(plan.org)
        chosen = [step for step in plan.steps if step.kind == kind.name and step.direction == direction and step.changed]
        by_level = {}
        for step in chosen:
            by_level.setdefault(level(step.name), []).append(step)
        for number in sorted(by_level, reverse=direction == "remove"):
            groups.append(by_level[number])
    return groups


def apply_step(client, step, shared, diff, progress=None):
    """Apply one step's plan; its result (a failure included) with the step's audit entries."""
    trail = AuditTrail(client)
    kind = kind_of(step.kind)
    try:
        result = kind.apply_step(client, trail, step, shared.get(kind.name), diff)
    except GenesysCloudError as exc:
        result = exc.to_result()
        result["failed"] = True
    except Exception as exc:  # not the API's answer (a bug, a full disk): the run still reports what it wrote
        result = dict(failed=True, changed=False, msg="%s: %s" % (type(exc).__name__, exc))
    result["audit"] = trail.entries
    if progress is not None:
        progress("%s: %s" % (step.label, describe(step.kind, result)))
    return result


def apply_org(client, plan, diff=False, progress=None):
    """Apply ``plan`` group by group; return the failed step (None when everything was written)."""
    if plan.refused:
        raise ValueError("a refused plan is never applied (this is a bug)")
    shared = dict((kind.name, kind.start_apply(plan)) for kind in KINDS)
    with ThreadPoolExecutor(max_workers=client.workers_for(WRITE_WORKERS)) as pool:  # more with a pool of tokens
        for group in batches(plan):
            futures = [(step, pool.submit(apply_step, client, step, shared, diff, progress)) for step in group]
            for step, future in futures:
                step.applied = future.result()
            failed = [step for step in group if step.applied.get("failed")]
            if failed:
                return failed[0]
    return None


def describe(kind, result):
    if result.get("failed"):
        return "failed"
    return kind_of(kind).describe(result)


def written(plan):
    """Objects changed so far, for messages."""
    return ["%s (%s)" % (step.label, describe(step.kind, step.applied)) for step in plan.steps
            if step.applied is not None and not step.applied.get("failed") and step.applied.get("changed")]
