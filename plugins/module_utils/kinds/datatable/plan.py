# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan one data table (pure: no request): its checked options and every stored table -> a :class:`TablePlan`.

Tables are additive only and carry no version (REAL_API.md section 8): the service refuses to remove a
property or to change its type or length, always. Those are refused here, in the preview, before any
write, naming the table, the property and the way out. Options left out (a property's ``type``, ``title``,
``default`` or ``max_length``, the ``description``, ``key_title``, ``properties``) keep what is stored.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import (
    MAX_PROPERTIES, MAX_TABLES, table_label, value_problem)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import (
    DRAFT_04, find_table, properties_in_order, user_view)

WAY_OUT = ("%s: data tables are additive only, so keep the properties as they are stored, or create a new table "
           "(another name) with the properties you want, copy the rows (genesys.cloud.datatable_info with rows: true, "
           "then genesys.cloud.datatable_rows) and point the flows at it")


class TablePlan:
    """What one table task will do: ``action`` (create, update, delete, none), the stored table it was planned
    against (``current``: the whole table, as there is no version), the table to send (``after``), the
    ``changes`` it makes and the ``problems`` that stop it (the service would refuse them)."""

    def __init__(self, name, action, current=None, after=None, changes=None, problems=None, force=False):
        self.name, self.action, self.current, self.after = name, action, current, after
        self.changes = list(changes or [])
        self.problems = list(problems or [])
        self.force = force

    @property
    def changed(self):
        return self.action != "none"

    @property
    def planned_against(self):
        return self.current

    def diff(self):
        return dict(before=user_view(self.current), after={} if self.action == "delete" else user_view(self.after))

    def predicted(self):
        """The table as it will be stored (user shape); {} after a delete."""
        if self.action == "delete":
            return {}
        return user_view(self.current if self.action == "none" else self.after)

    def result(self, diff, stored=None):
        result = dict(changed=self.changed, changes=list(self.changes),
                      datatable=self.predicted() if stored is None else user_view(stored))
        if diff and self.changed:
            result["diff"] = self.diff()
        return result


def _new_property(prop, order):
    out = {"$id": "/properties/%s" % prop["name"], "type": prop.get("type") or "string", "displayOrder": order}
    if prop.get("title") is not None:
        out["title"] = prop["title"]
    if prop.get("default") is not None:
        out["default"] = prop["default"]
    if prop.get("max_length") is not None:
        out["maxLength"] = prop["max_length"]
    return out


def _changed_property(where, stored, prop, problems, changes):
    """The stored property with the task's ``title`` and ``default``; a new type or length is a problem."""
    name, out = prop["name"], dict(stored)
    if prop.get("type") is not None and prop["type"] != stored.get("type"):
        problems.append("%s: property %s is stored as %s and its type cannot change to %s"
                        % (where, name, stored.get("type"), prop["type"]))
    if prop.get("max_length") is not None and prop["max_length"] != stored.get("maxLength"):
        problems.append("%s: property %s has max_length %s and it cannot change to %d"
                        % (where, name, stored.get("maxLength", "(none)"), prop["max_length"]))
    for option, field in (("title", "title"), ("default", "default")):
        if prop.get(option) is not None and prop[option] != stored.get(field):
            out[field] = prop[option]
            changes.append("properties.%s.%s" % (name, option))
    return out


def _default_problems(where, props, problems):
    for name, prop in props.items():
        if name != "key" and "default" in prop:
            problem = value_problem(prop["type"], prop["default"], prop.get("maxLength"), prop.get("minLength"))
            if problem:
                problems.append("%s: property %s: default %s" % (where, name, problem))


def desired_schema(params, current, problems, changes):
    """The schema to send: the stored one (or a new one) with the task's properties; problems and changes appended."""
    where = table_label(params["name"])
    schema = copy.deepcopy((current or {}).get("schema")) or {
        "$schema": DRAFT_04, "type": "object", "required": ["key"], "additionalProperties": False,
        "properties": {"key": {"$id": "/properties/key", "type": "string", "displayOrder": 0}}}
    stored = properties_in_order(schema)
    problems_before = len(problems)
    stored_props = dict(stored)
    key = dict(schema["properties"].get("key") or {"$id": "/properties/key", "type": "string", "displayOrder": 0})
    if params.get("key_title") is not None and params["key_title"] != key.get("title"):
        key["title"] = params["key_title"]
        changes.append("key_title")
    listed = params.get("properties")
    if listed is None:
        listed = [dict(name=name) for name, _prop in stored]
    listed_names = set(prop["name"] for prop in listed)
    for name, _prop in stored:
        if name not in listed_names:
            problems.append("%s: property %s is stored but not in properties, and a property cannot be removed"
                            % (where, name))
    order = [prop["name"] for prop in listed]
    keep_order = order[:len(stored)] == [name for name, _prop in stored]
    if not keep_order and current is not None:
        changes.append("properties order")
    last = max([p.get("displayOrder", 0) for _n, p in stored] + [key.get("displayOrder", 0)])
    props = {"key": key}
    for position, prop in enumerate(listed, start=1):
        name = prop["name"]
        if name in stored_props:
            props[name] = _changed_property(where, stored_props[name], prop, problems, changes)
            if not keep_order:
                props[name]["displayOrder"] = position
        else:
            last += 1
            props[name] = _new_property(prop, last if keep_order else position)
            if current is not None:
                changes.append("properties.%s (added)" % name)
    for name, prop in stored:  # refused above; kept so that the plan shows only what the task changes
        props.setdefault(name, prop)
    if len(problems) > problems_before:
        problems.append(WAY_OUT % where)
    _default_problems(where, props, problems)
    limit = params.get("max_properties") or MAX_PROPERTIES
    if len(props) - 1 > limit:
        problems.append("%s: it would have %d properties besides key, and a table has at most %d (raise "
                        "max_properties if your org's limit was raised)" % (where, len(props) - 1, limit))
    schema["properties"] = props
    return schema


def plan_table(params, tables):
    """Plan one table's checked ``params`` against every stored table (``read.read_tables``); no request."""
    name = params["name"]
    current = find_table(tables, name)
    if params.get("state") == "absent":
        return TablePlan(name, "delete" if current else "none", current, changes=["state"] if current else [],
                         force=bool(params.get("force")))
    problems, changes = [], []
    schema = desired_schema(params, current, problems, changes)
    if current is None:
        limit = params.get("max_tables") or MAX_TABLES
        if len(tables) >= limit:
            problems.append("%s: the org has %d data tables and may have at most %d; delete one first (or raise "
                            "max_tables if your org's limit was raised)" % (table_label(name), len(tables), limit))
        after = dict(name=name, description=params.get("description") or "", schema=schema)
        return TablePlan(name, "create", None, after, ["state"], problems)
    after = dict((k, v) for k, v in current.items() if k not in ("selfUri",))
    after.update(schema=schema)
    if name != current.get("name"):
        after["name"] = name
        changes.insert(0, "name")
    if params.get("description") is not None and params["description"] != (current.get("description") or ""):
        after["description"] = params["description"]
        changes.insert(0, "description")
    return TablePlan(name, "update" if changes or problems else "none", current, after, changes, problems)
