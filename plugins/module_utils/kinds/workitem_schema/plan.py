# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan one workitem schema (pure: checked params + what was read -> :class:`SchemaPlan`, no request).

``fields`` is the whole list: a field left out is removed, a field listed is stored as written. What
the real service refuses, or what would lose data silently, is refused here, so check mode refuses it
too: a field's type change (its key is ``{name}_{type}``), more fields than a schema may have, a new
schema past the org's limit.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.versioned import VersionedPlan
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema import shape

KIND = "workitem_schema"


class SchemaPlan(VersionedPlan):
    """What one workitem schema task does (:class:`~..versioned.VersionedPlan`); its ``delta``: ``options``
    (description, enabled), ``set_fields`` (by name) and ``removed`` (field names)."""

    kind = KIND
    result_key = "workitem_schema"
    to_user = staticmethod(shape.to_user)

    def __init__(self, name, action, current=None, after=None, delta=None):
        VersionedPlan.__init__(self, name, action, current, after, delta or dict(options={}, set_fields={}, removed=[]))

    def changes(self):
        """The options and fields that change: ``{options, added, modified, removed}``."""
        before = dict((f["name"], f) for f in (self.before or {}).get("fields", []))
        set_fields = self.delta["set_fields"]
        return dict(options=sorted(self.delta["options"]),
                    added=[n for n in set_fields if n not in before],
                    modified=[n for n in set_fields if n in before],
                    removed=list(self.delta["removed"]))


def check_params(params):
    """Raise InputError listing every problem of the task's input (before any request)."""
    problems = shape.schema_problems(params)
    if problems:
        raise InputError(problems, what="workitem schema %s" % (params.get("name") or "")[:60])


def _refuse(name, problems):
    raise InputError(problems, what="workitem schema %s" % name)


def _retyped(name, current_fields, desired_fields):
    by_name = dict((f["name"].lower(), f) for f in current_fields)
    problems = []
    for field in desired_fields:
        old = by_name.get(field["name"].lower())
        if old is not None and old["type"] != field["type"]:
            problems.append(
                "field %s is a %s field and cannot become %s: its stored key is %s_%s and workitems may hold its "
                "values. Keep type %s, or add the new field under another name (and leave %s out to remove it)"
                % (field["name"], old["type"], field["type"], old["name"], old["type"], old["type"], field["name"]))
    return problems


def _field_limit(name, count, read):
    limit = read.limits["max_fields"]
    if count > limit:
        return ["it would have %d fields and a workitem schema may have at most %d. Remove fields, or split them "
                "over two schemas" % (count, limit)]
    return []


def plan_workitem_schema(params, read):
    """Plan one schema's checked ``params`` against a :class:`~.read.SchemaRead` (no request)."""
    name = params["name"]
    current = shape.find_live(read.schemas, name)
    if params["state"] == "absent":
        return SchemaPlan(name, "delete" if current else "none", current)
    desired_fields = [shape.normal_field(f) for f in params.get("fields") or []]
    if current is None:
        problems = _field_limit(name, len(desired_fields), read)
        if len(read.schemas) >= read.limits["max_schemas"]:
            problems.append("the org has %d live workitem schemas, the most it may have (%d). Delete one "
                            "(state: absent) or have the org's limit raised"
                            % (len(read.schemas), read.limits["max_schemas"]))
        if problems:
            _refuse(name, problems)
        after = dict(name=name, description=params.get("description") or "", enabled=params["enabled"],
                     fields=desired_fields)
        delta = dict(options=dict((k, after[k]) for k in ("description", "enabled")),
                     set_fields=dict((f["name"], f) for f in desired_fields), removed=[])
        return SchemaPlan(name, "create", None, after, delta)
    before = shape.to_user(current)
    options = {}
    if params.get("description") is not None and params["description"] != before["description"]:
        options["description"] = params["description"]
    if params["enabled"] != before["enabled"]:
        options["enabled"] = params["enabled"]
    set_fields, removed, fields = {}, [], before["fields"]
    if params.get("fields") is not None:
        problems = _retyped(name, before["fields"], desired_fields) + _field_limit(name, len(desired_fields), read)
        if problems:
            _refuse(name, problems)
        stored = dict((f["name"], f) for f in before["fields"])
        set_fields = dict((f["name"], f) for f in desired_fields if stored.get(f["name"]) != f)
        wanted = set(f["name"] for f in desired_fields)
        removed = [f["name"] for f in before["fields"] if f["name"] not in wanted]
        fields = desired_fields
    after = dict(before, fields=fields, **options)
    after.pop("id", None)
    after.pop("version", None)
    delta = dict(options=options, set_fields=set_fields, removed=removed)
    action = "update" if options or set_fields or removed else "none"
    return SchemaPlan(name, action, current, after, delta)
