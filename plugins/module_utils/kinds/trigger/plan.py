# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan one trigger (pure: checked params + what was read -> :class:`TriggerPlan`, no request).

A trigger's topic never changes on the server (REAL_API.md §10), so a new topic is a ``replace``: the
stored trigger is deleted and a new one created. Options the task leaves out (``match_criteria``,
``description``, ``event_ttl_seconds`` ...) keep their stored values; ``event_ttl_seconds`` and
``delay_by_seconds`` exclude each other, so setting one drops the other.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger import shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.versioned import VersionedPlan

KIND = "trigger"
EXCLUSIVE = dict(event_ttl_seconds="delay_by_seconds", delay_by_seconds="event_ttl_seconds")


class TriggerPlan(VersionedPlan):
    """What one trigger task does (:class:`~..versioned.VersionedPlan`): a ``replace`` deletes the stored trigger
    and creates a new one; ``delta`` maps the options this task changes to their values."""

    kind = KIND
    result_key = "trigger"
    to_user = staticmethod(shape.to_user)

    def __init__(self, name, action, current=None, after=None, delta=None):
        VersionedPlan.__init__(self, name, action, current, after, dict(delta or {}))

    def changes(self):
        return sorted(self.delta)

    def diff(self):
        diff = VersionedPlan.diff(self)
        if self.action == "replace":
            diff["before_header"] = "trigger %s (%s): replace, delete this one" % (self.name, self.id)
            diff["after_header"] = "trigger %s: replace, create this one (the topic of a trigger cannot change)" \
                % self.name
        return diff


def check_params(params):
    """Raise InputError listing every problem of the task's input that needs no read."""
    problems = shape.trigger_problems(params)
    if problems:
        raise InputError(problems, what="trigger %s" % (params.get("name") or "")[:60])


def _desired_options(params, workflow):
    given = dict((option, params.get(option)) for option in shape.USER_KEYS
                 if option != "workflow" and params.get(option) is not None)
    given["workflow"] = workflow["id"]
    if "match_criteria" in given:
        given["match_criteria"] = [shape.normal_criterion(c) for c in given["match_criteria"]]
    for option, other in EXCLUSIVE.items():
        if params.get(option) is not None:
            given[other] = None
    return given


def plan_trigger(params, read):
    """Plan one trigger's checked ``params`` against a :class:`~.read.TriggerRead` (no request)."""
    name = params["name"]
    found = shape.find_by_name(read.triggers, name)
    if len(found) > 1:
        raise InputError(["%d stored triggers are called %s (ids %s); delete all but one, or rename them"
                          % (len(found), name, ", ".join(t["id"] for t in found))], what="trigger %s" % name)
    current = found[0] if found else None
    if params["state"] == "absent":
        return TriggerPlan(name, "delete" if current else "none", current)
    problems = []
    workflow, problem = shape.resolve_workflow(read.workflows, params["workflow"])
    if problem:
        problems.append(problem)
    if read.topics is not None and params["topic"] not in read.topics:
        problems.append("topic %s is not offered by this org (GET %s lists %d topics, e.g. %s)"
                        % (params["topic"][:120], shape.TOPICS_PATH, len(read.topics), ", ".join(read.topics[:3])))
    if problems:
        raise InputError(problems, what="trigger %s" % name)
    given = _desired_options(params, workflow)
    base = dict(name=name, data_format="Json", match_criteria=[], enabled=True, event_ttl_seconds=None,
                delay_by_seconds=None, description="")
    if current is None:
        after = dict(base, **given)
        return TriggerPlan(name, "create", None, after, dict((k, v) for k, v in given.items() if v is not None))
    before = shape.to_user(current)
    delta = dict((option, value) for option, value in given.items()
                 if not shape.same(option, value, before.get(option)))
    after = dict((k, v) for k, v in before.items() if k not in ("id", "version"))
    after.update(delta)
    if not delta:
        return TriggerPlan(name, "none", current, after)
    return TriggerPlan(name, "replace" if "topic" in delta else "update", current, after, delta)
