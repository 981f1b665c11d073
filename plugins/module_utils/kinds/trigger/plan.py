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

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff
from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger import shape

KIND = "trigger"
EXCLUSIVE = dict(event_ttl_seconds="delay_by_seconds", delay_by_seconds="event_ttl_seconds")


def without_ids(user):
    """A user-shaped object without the server's ``id`` and ``version`` (what a diff shows)."""
    return dict((k, v) for k, v in user.items() if k not in ("id", "version")) if user else None


class TriggerPlan:
    """What one trigger task does: ``action`` (create, update, replace, delete, none), ``before`` and ``after``
    in the user's shape, the ``version`` it was planned against, the stored trigger (``current``) and the
    options this task changes (``delta``: option -> value), which apply re-applies after a conflict."""

    kind = KIND

    def __init__(self, name, action, current=None, after=None, delta=None):
        self.name, self.action, self.current, self.after = name, action, current, after
        self.delta = dict(delta or {})
        self.before = shape.to_user(current) if current else None

    @property
    def version(self):
        return (self.current or {}).get("version")

    @property
    def id(self):
        return (self.current or {}).get("id")

    @property
    def changed(self):
        return self.action != "none"

    def predicted(self):
        if self.action == "delete":
            return {}
        if self.action == "none":
            return self.before
        if self.action == "update":
            return dict(self.after, id=self.id, version=self.version + 1)
        return dict(self.after, id=None, version=1)

    def diff(self):
        diff = make_diff(without_ids(self.before), None if self.action == "delete" else without_ids(self.after))
        if self.action == "replace":
            diff["before_header"] = "trigger %s (%s): replace, delete this one" % (self.name, self.id)
            diff["after_header"] = "trigger %s: replace, create this one (the topic of a trigger cannot change)" \
                % self.name
        return diff

    def result(self, diff, stored=None):
        trigger = self.predicted() if stored is None else (shape.to_user(stored) if stored else {})
        result = dict(changed=self.changed, action=self.action, trigger=trigger, changes=sorted(self.delta))
        if diff and self.changed:
            result["diff"] = self.diff()
        return result


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
