# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One flex schema as a resource contract: read, plan (a value), apply.

- read: :func:`read_catalog` (every stored schema, one list), :func:`stored_record_count` and
  :func:`holders_of` (record reads a delete or a ``--diff`` of a risky change needs);
- plan: :func:`plan_schema` ``(params, catalog) -> SchemaPlan``, a pure function: what is created,
  updated, deleted or refused, before and after, the version planned against; no request;
- apply: :func:`apply_plan` ``(client, trail, plan, catalog)`` sends exactly the plan's write (an update
  re-checks its change on the schema as stored when another admin moved it: optimistic locking).

``genesys.cloud.flex_schema`` is :func:`run` (check, read, plan, apply); the whole-org run
(plugin_utils/org_plan.py) reads once, plans every schema into one org plan and applies it later.
A planning catalog may hold schemas the same plan creates, under ``PENDING_PREFIX + name`` ids; the
apply swaps them for the ids the create answers gave.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR, PENDING_PREFIX, SCHEMAS_PATH, SELF_ID, Catalog, SchemaChangeRefused,
    blank_schema, build_intent, check_definition, desired_field, no_changes, plan_update, readable_schema,
    resolve_relationships, user_paths_of_server_errors, user_schema)
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

ARGUMENTS = module_arguments(dict(
    name=dict(type="str", required=True),
    description=dict(type="str"),
    fields=dict(type="list", elements="dict"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    purge_fields=dict(type="bool", default=False),
    allow_unsafe_type_changes=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
))


def records_path(name):
    return "/api/v2/customobjects/%s/records" % name


# -- read ----------------------------------------------------------------------------------------
def read_catalog(client, own_name=None):
    return Catalog(list(client.paginate(SCHEMAS_PATH, page_size=100)), own_name=own_name)


def find_by_name(client, name):
    for schema in client.paginate(SCHEMAS_PATH, {"name": name}, page_size=100):
        if schema["name"].lower() == name.lower():
            return schema
    return None


def stored_record_count(client, name):
    return client.request("GET", records_path(name), params={"pageSize": 1, "pageNumber": 1}).data.get("total", 0)


def holders_of(client, name, field_names):
    """How many stored records hold a value in each of ``field_names`` (read only for a --diff that needs it)."""
    counts = dict.fromkeys(field_names, 0)
    for record in client.paginate(records_path(name), page_size=500):
        for field_name in field_names:
            if record.get(field_name) is not None:
                counts[field_name] += 1
    return counts


def risky_fields(changes):
    """Removed fields and unsafe type changes: the ones whose stored values may be lost or refused."""
    unsafe = dict((change["field"], change) for change in changes["type_changes"] if change["verdict"] != "safe")
    return list(changes["removed"]), unsafe


# -- plan ----------------------------------------------------------------------------------------
class SchemaPlan:
    """What one schema task will do: ``action`` (create, update, delete, none, refused), the stored
    schema it was planned against (``before``, with its ``version``), the predicted ``after`` (API
    shape), the change summary, the problems that refuse it and the warnings to give."""

    def __init__(self, name, params):
        self.name = name
        self.params = params
        self.action = "none"
        self.before = None
        self.after = None
        self.changes = no_changes()
        self.intent = None
        self.problems = []
        self.warnings = []
        self.pending = []
        self.held = 0
        self.holders = {}
        self.users = []
        self.what = "the definition of flex schema %r" % name

    @property
    def version(self):
        return (self.before or {}).get("version")

    @property
    def changed(self):
        return self.action in ("create", "update", "delete")

    def refusal(self):
        return SchemaChangeRefused(self.problems, self.changes, what=self.what)

    def risky(self):
        removed, unsafe = risky_fields(self.changes)
        return removed + list(unsafe)

    def result(self, catalog, diff, after=None):
        """The task result of this plan (``after``: the schema as the apply stored it)."""
        after = self.after if after is None else after
        if self.action == "refused":
            result = self.refusal().to_result()
            result.update(failed=True, changed=False)
            return result
        if self.action == "delete":
            after = None
        result = outcome(diff, catalog, self.action, self.before, after, self.changes)
        if self.action == "delete":
            result["records_deleted"] = self.held if self.params["force"] else 0
            if diff and self.held:
                result["diff"]["before"]["records"] = self.held
                result["diff"]["after"]["records"] = (
                    "0 (force: true deletes the %d stored records with the schema)" % self.held
                    if self.params["force"] else self.held)
        elif self.action == "update" and diff:
            mark_risks(result["diff"], self.changes, self.holders)
        return result


def plan_schema(params, catalog, held=0, allow_pending=True):
    """Plan one schema's validated ``params`` against ``catalog`` (no request): a :class:`SchemaPlan`.

    ``held`` is the number of records the stored schema holds (what a delete removes with it).
    A relationship to a schema the catalog does not know plans against it as created earlier in the
    run (``plan.pending``); without ``allow_pending`` it is a problem.
    """
    name = params["name"]
    catalog = catalog.for_schema(name)
    current = catalog.find(name)
    plan = SchemaPlan(name, params)
    plan.before = current
    if current is not None and current["name"] != name:
        plan.warnings.append(
            "flex schema %r is stored as %r: names compare case-insensitively, so this task manages the stored "
            "schema and keeps its name (a schema is never renamed by case alone, its records path "
            "/api/v2/customobjects/%s would change for every consumer). Write name: %s to silence this warning."
            % (name, current["name"], current["name"], current["name"]))
        plan.name = name = current["name"]
    if params["state"] != "present":
        return _plan_delete(plan, current, catalog, held)
    fields = [desired_field(field) for field in params["fields"] or []]
    pending = [] if allow_pending else None
    problems = resolve_relationships(fields, catalog, name, current["id"] if current else None, pending)
    plan.pending = sorted(set(pending or []))
    plan.intent = build_intent(name, fields, params["description"], current["fields"] if current else [],
                               params["purge_fields"])
    body = None
    try:
        body, plan.changes = plan_update(plan.intent, current or blank_schema(name), catalog,
                                         params["allow_unsafe_type_changes"])
    except SchemaChangeRefused as exc:
        if not problems:  # the change itself is refused (the definition is fine): say so
            plan.what = "the change to flex schema %s" % (current or {}).get("name", name)
        problems += exc.problems
        plan.changes = exc.changes
    if problems:
        plan.action, plan.problems = "refused", problems
    elif current is None:
        plan.action = "create"
        plan.after = dict(blank_schema(name), **(body or {"name": name, "description": "", "fields": []}))
    elif body is not None:
        plan.action, plan.after = "update", dict(current, **body)
    else:
        plan.after = current
    return plan


def _plan_delete(plan, current, catalog, held):
    if current is None:
        return plan
    plan.action, plan.held = "delete", held
    plan.changes = dict(no_changes(), removed=[field["name"] for field in current["fields"]])
    plan.users = sorted(schema["name"] for schema in catalog.by_id.values() if schema["id"] != current["id"] and any(
        (field.get("relationship") or {}).get("schemaId") == current["id"] for field in schema["fields"]))
    if plan.users:
        plan.warnings.append("flex schema %s is the target of relationship fields in %s; deleting it will fail until "
                             "those fields are removed" % (current["name"], ", ".join(plan.users)))
    if held and not plan.params["force"]:
        plan.warnings.append("flex schema %s holds %d records; deleting it will fail unless force: true deletes them "
                             "with it" % (current["name"], held))
    if held and plan.params["force"]:
        plan.warnings.append("force: true deletes the %d stored records of flex schema %s with it"
                             % (held, current["name"]))
    return plan


def planned_schema(plan):
    """The schema as a later plan of the same run sees it (``PENDING_PREFIX + name`` until created)."""
    if plan.action not in ("create", "update"):
        return None
    after = copy.deepcopy(plan.after)
    if plan.action == "create":
        pending_id = PENDING_PREFIX + plan.name
        for field in after["fields"]:
            if (field.get("relationship") or {}).get("schemaId") == SELF_ID:
                field["relationship"]["schemaId"] = pending_id
        after["id"] = pending_id
    return after


# -- result shapes -------------------------------------------------------------------------------
def outcome(diff, catalog, action, before, after, changes):
    result = dict(changed=action != "none", action=action, changes=changes,
                  schema=user_schema(after, catalog) if after else {},
                  id=(after or before or {}).get("id"), version=(after or {}).get("version"))
    if result["id"] == SELF_ID or str(result["id"]).startswith(PENDING_PREFIX):
        result["id"] = None
    if diff:
        result["diff"] = make_diff(readable_schema(before, catalog), readable_schema(after, catalog))
    return result


def mark_risks(diff, changes, counts):
    """Say in the diff which changes touch stored data: a removed field's values go, an unsafe type change converts."""
    removed, unsafe = risky_fields(changes)
    after_fields = diff["after"].setdefault("fields", {})
    for field_name in removed:
        held = counts.get(field_name, 0)
        after_fields[field_name] = ("(REMOVED: the values of %d stored record%s are deleted)"
                                    % (held, "" if held == 1 else "s") if held else "(removed: no record holds a value)")
    for field_name, change in unsafe.items():
        shown = after_fields.get(field_name)
        if isinstance(shown, dict):
            held = counts.get(field_name, 0)
            shown["warning"] = ("UNSAFE type change from %s to %s: %d stored record%s hold a value the server must "
                                "convert, or it refuses the change"
                                % (change["from"], change["to"], held, "" if held == 1 else "s"))


# -- apply ---------------------------------------------------------------------------------------
def _live_intent(plan, catalog):
    """The plan's intent with targets created earlier in the run given the ids their create answers gave."""
    intent = copy.deepcopy(plan.intent)
    for field in intent["set"]:
        relationship = field.get("relationship") or {}
        target = relationship.get("schemaId") or ""
        if target.startswith(PENDING_PREFIX):
            stored = catalog.find(target[len(PENDING_PREFIX):])
            if stored is None:
                raise GenesysCloudError("flex schema %s: its relationship target %s was not created"
                                        % (plan.name, target[len(PENDING_PREFIX):]))
            relationship["schemaId"] = stored["id"]
    return intent


def apply_plan(client, trail, plan, catalog, diff=False):
    """Send the plan's write; return the task result. ``catalog`` learns what was written (from the answers)."""
    if plan.action == "refused":
        raise plan.refusal()
    if plan.action == "none":
        return plan.result(catalog, diff)
    if plan.action == "delete":
        return _delete(client, trail, plan, catalog, diff)
    catalog = catalog.for_schema(plan.name)
    intent = _live_intent(plan, catalog)
    if plan.action == "create":
        stored = _create(client, trail, plan, intent, catalog)
        return plan.result(catalog, diff, after=stored)
    return _update(client, trail, plan, intent, catalog, diff)


def _create(client, trail, plan, intent, catalog):
    allow = plan.params["allow_unsafe_type_changes"]
    body = plan_update(intent, blank_schema(plan.name), catalog, allow)[0] or {
        "name": plan.name, "description": "", "fields": []}
    # A relationship to the schema itself needs the schema's id: add such fields once it exists.
    later = [field for field in body["fields"] if (field.get("relationship") or {}).get("schemaId") == SELF_ID]
    first = dict(body, fields=[field for field in body["fields"] if field not in later])
    try:
        with trail.change("flex_schema", "create", name=plan.name) as info:
            stored = client.create(SCHEMAS_PATH, first, lookup=lambda: find_by_name(client, plan.name)).data
            info["id"] = stored["id"]
    except GenesysCloudError as exc:
        exc.errors = user_paths_of_server_errors(exc.errors, first["fields"], intent)
        raise
    catalog.remember(stored)
    if later:
        for field in intent["set"]:
            if (field.get("relationship") or {}).get("schemaId") == SELF_ID:
                field["relationship"]["schemaId"] = stored["id"]
        with trail.change("flex_schema", "update", name=plan.name, resource_id=stored["id"]):
            stored = client.update_versioned(
                "%s/%s" % (SCHEMAS_PATH, stored["id"]),
                lambda fresh: plan_update(intent, fresh, catalog, allow)[0], current=stored)[0]
        catalog.remember(stored)
    return stored


def _update(client, trail, plan, intent, catalog, diff):
    allow = plan.params["allow_unsafe_type_changes"]
    last = {}

    def compute(fresh):
        """The body to PUT on ``fresh``: the plan's intent, the safety checks run on ``fresh`` itself."""
        body, changes = plan_update(intent, fresh, catalog, allow)
        last.update(before=fresh, changes=changes, body=body)
        return body

    current = plan.before
    try:
        with trail.change("flex_schema", "update", name=plan.name, resource_id=current["id"]) as info:
            stored, changed = client.update_versioned("%s/%s" % (SCHEMAS_PATH, current["id"]), compute,
                                                      current=current)
            info["version"] = stored.get("version")
    except GenesysCloudError as exc:
        if last.get("body"):
            exc.errors = user_paths_of_server_errors(exc.errors, last["body"]["fields"], intent)
        raise
    catalog.remember(stored)
    if not changed:
        return outcome(diff, catalog, "none", stored, stored, no_changes())
    result = outcome(diff, catalog, "update", last["before"], stored, last["changes"])
    if diff:
        mark_risks(result["diff"], last["changes"], plan.holders)
    return result


def _delete(client, trail, plan, catalog, diff):
    current = plan.before
    params = {"force": "true"} if plan.params["force"] else None
    try:
        with trail.change("flex_schema", "delete", name=current["name"], resource_id=current["id"]):
            client.request("DELETE", "%s/%s" % (SCHEMAS_PATH, current["id"]), params=params)
    except GenesysCloudError as exc:
        if exc.code == "schema.in.use":
            exc.message += " Remove the relationship fields that target %s first%s." % (
                current["name"], " (in %s)" % ", ".join(plan.users) if plan.users else "")
        elif exc.code == "schema.has.records":
            exc.message += " Set force: true to delete the schema together with its records."
        raise
    result = plan.result(catalog, diff)
    catalog.forget(current)
    result["id"] = current["id"]
    return result


# -- the module: read, plan, apply ---------------------------------------------------------------
def run_schema(module, client, trail, catalog):
    """What ``genesys.cloud.flex_schema`` does with its validated ``module.params`` and the org's catalog."""
    params = module.params
    current = catalog.for_schema(params["name"]).find(params["name"])
    held = stored_record_count(client, current["name"]) if current is not None and params["state"] != "present" \
        else 0
    plan = plan_schema(params, catalog, held, allow_pending=module.check_mode)
    for warning in plan.warnings:
        module.warn(warning)
    if plan.action == "refused":
        raise plan.refusal()
    for target in plan.pending:
        module.warn("flex schema %s does not exist; this preview assumes an earlier task creates it (applying "
                    "fails otherwise)" % target)
    if module._diff and plan.action == "update" and plan.risky():
        plan.holders = holders_of(client, plan.name, plan.risky())
    if module.check_mode:
        return plan.result(catalog, module._diff)
    return apply_plan(client, trail, plan, catalog, module._diff)


def run(module, client, trail):
    """The ``genesys.cloud.flex_schema`` task: check the definition, read the catalog, plan, preview or apply."""
    if not HAS_JSONSCHEMA:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=str(JSONSCHEMA_IMPORT_ERROR))
    params = module.params
    present = params["state"] == "present"
    check_definition(dict(name=params["name"], description=params["description"],
                          fields=params["fields"] if present else None),
                     params["purge_fields"] and present)
    return run_schema(module, client, trail, read_catalog(client, own_name=params["name"]))
