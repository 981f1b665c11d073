# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helper of the genesys.cloud.org role: load an org-as-code directory, order it, format an export.

An org-as-code directory holds ``schemas/*.yml``, ``records/<schema>.{yml,yaml,json,jsonl,csv}``,
``webhooks/*.yml`` and an optional ``org.yml`` with per-schema record settings (key, purge).

The role runs it on the control node (collection roles cannot carry filter plugins):

    python org_as_code.py plan       < {"dir", "schemas", "records", "webhooks"}   -> plan JSON
    python org_as_code.py summary    < {"existing_schemas", "existing_webhooks", "check_mode", "schemas", "records",
                                        "webhooks", "webhooks_applied", "webhooks_removed"}
                                     (registered loop results) -> {"counts", "flags", "notes", "lines"}
    python org_as_code.py export     < {"schemas", "webhooks", "records": {schema: [...]}, "with_headers"}
                                     -> {"files": {relative path: text}}

Problems are printed as ``{"failed": true, "msg", "problems"}`` with exit code 1. Everything here
is a plain function so it can be tested without Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import yaml

from org_export import export_files  # a module next to this file (the script's directory is on sys.path)

YAML_SUFFIXES = (".yml", ".yaml")
RECORD_SUFFIXES = YAML_SUFFIXES + (".json", ".jsonl", ".csv")


class OrgDirectoryError(ValueError):
    """Every problem found in an org definition, reported at once."""

    def __init__(self, problems):
        self.problems = list(problems)
        super(OrgDirectoryError, self).__init__(
            "the org definition is not valid, nothing was changed. Fix: " + "; ".join(self.problems))


def _read_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _files(directory, suffixes):
    if not os.path.isdir(directory):
        return []
    names = sorted(name for name in os.listdir(directory)
                   if name.endswith(suffixes) and not name.startswith("."))
    return [os.path.join(directory, name) for name in names]


def _stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def parse_record_file(path):
    """A record set from one file: YAML is read here, the other formats are streamed by the records module.

    A YAML file holds either a list of records or ``{key?, purge?, state?, records: [...]}``.
    """
    if not path.endswith(YAML_SUFFIXES):
        return {"src": path}
    content = _read_yaml(path)
    if isinstance(content, dict):
        return dict(content)
    return {"records": content}


def count_records(record_set):
    """How many records a set lists (for previews of schemas that do not exist yet); None if unknown."""
    if record_set.get("records") is not None:
        return len(record_set["records"])
    path = record_set.get("src") or ""
    try:
        with open(path, encoding="utf-8") as handle:
            if path.endswith(".jsonl"):
                return sum(1 for line in handle if line.strip())
            if path.endswith(".csv"):
                return max(sum(1 for line in handle if line.strip()) - 1, 0)
            if path.endswith(".json"):
                return len(json.load(handle))
    except (OSError, ValueError):
        return None
    return None


def load_org_directory(directory):
    """Load an org-as-code directory into ``{schemas, records, webhooks}`` (lists in file-name order)."""
    directory = os.path.abspath(os.path.expanduser(directory))
    problems = []
    if not os.path.isdir(directory):
        raise OrgDirectoryError(["%s: no such directory" % directory])
    settings = {}
    settings_path = os.path.join(directory, "org.yml")
    if os.path.isfile(settings_path):
        settings = _read_yaml(settings_path) or {}

    schemas, webhooks, record_sets = [], [], []
    for kind, target in (("schemas", schemas), ("webhooks", webhooks)):
        for path in _files(os.path.join(directory, kind), YAML_SUFFIXES):
            try:
                item = _read_yaml(path)
            except yaml.YAMLError as exc:
                problems.append("%s: not valid YAML (%s)" % (path, exc))
                continue
            if not isinstance(item, dict):
                problems.append("%s: must hold one mapping (a %s definition)" % (path, kind[:-1]))
                continue
            item.setdefault("name", _stem(path))
            target.append(item)

    record_settings = settings.get("records") or {}
    for path in _files(os.path.join(directory, "records"), RECORD_SUFFIXES):
        try:
            record_set = dict(parse_record_file(path), schema=_stem(path))
        except yaml.YAMLError as exc:
            problems.append("%s: not valid YAML (%s)" % (path, exc))
            continue
        if "src" not in record_set and not isinstance(record_set.get("records"), list):
            problems.append("%s: must hold a list of records" % path)
            continue
        for option, value in (record_settings.get(record_set["schema"]) or {}).items():
            record_set.setdefault(option, value)
        record_sets.append(record_set)
    if problems:
        raise OrgDirectoryError(problems)
    return {"schemas": schemas, "records": record_sets, "webhooks": webhooks}


def _targets(schema):
    found = []
    for field in schema.get("fields") or []:
        relationship = field.get("relationship") if isinstance(field, dict) else None
        if isinstance(relationship, dict) and relationship.get("schema"):
            found.append(relationship["schema"])
    return found


def order_schemas(schemas):
    """Schemas with every relationship target before the schemas that point at it.

    Ties keep the given order; a target outside the list (already in the org) is no constraint.
    A cycle cannot be created in any order, so it is an error.
    """
    by_name = dict((schema["name"].lower(), schema) for schema in schemas)
    ordered, state = [], {}

    def visit(schema, path):
        key = schema["name"].lower()
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise OrgDirectoryError(["schemas: relationship cycle %s" % " -> ".join(path + [schema["name"]])])
        state[key] = "visiting"
        for target in _targets(schema):
            if target.lower() != key and target.lower() in by_name:
                visit(by_name[target.lower()], path + [schema["name"]])
        state[key] = "done"
        ordered.append(schema)

    for schema in schemas:
        visit(schema, [])
    return ordered


def validate_org(org):
    """Problems an org definition has before anything is sent; [] when none."""
    problems = []
    seen = {}
    for kind in ("schemas", "webhooks"):
        for index, item in enumerate(org.get(kind) or []):
            if not isinstance(item, dict) or not item.get("name"):
                problems.append("%s[%d]: needs a name" % (kind, index))
                continue
            key = (kind, str(item["name"]).lower())
            if key in seen:
                problems.append("%s[%d]: name %s is also used by %s[%d]" % (kind, index, item["name"], kind, seen[key]))
            seen[key] = index
    for index, record_set in enumerate(org.get("records") or []):
        if not isinstance(record_set, dict) or not record_set.get("schema"):
            problems.append("records[%d]: needs a schema" % index)
        elif record_set.get("records") is None and not record_set.get("src") and record_set.get("state") != "absent":
            problems.append("records[%d] (%s): needs records or src" % (index, record_set["schema"]))
    return problems


def plan_org(org):
    """The order the resource roles run in: what to apply (targets first), then what to remove (reverse).

    Returns ``{apply: {schemas, records, webhooks}, remove: {webhooks, records, schemas}, roles}``, where
    ``roles`` holds the same lists as the resource roles take them (see :func:`role_input`).
    """
    problems = validate_org(org)
    if problems:
        raise OrgDirectoryError(problems)
    schemas = order_schemas(list(org.get("schemas") or []))
    rank = dict((schema["name"].lower(), index) for index, schema in enumerate(schemas))
    record_sets = sorted(org.get("records") or [], key=lambda item: rank.get(str(item["schema"]).lower(), len(rank)))

    def absent(item):
        return item.get("state") == "absent"

    schemas = [dict(schema, depends_on=sorted(set(t for t in _targets(schema) if t.lower() != schema["name"].lower())))
               for schema in schemas]
    record_sets = [dict(record_set, count=count_records(record_set)) for record_set in record_sets]

    plan = {
        "apply": {
            "schemas": [s for s in schemas if not absent(s)],
            "records": [r for r in record_sets if not absent(r)],
            "webhooks": [w for w in org.get("webhooks") or [] if not absent(w)],
        },
        "remove": {
            "webhooks": [w for w in org.get("webhooks") or [] if absent(w)],
            "records": [r for r in reversed(record_sets) if absent(r)],
            "schemas": [s for s in reversed(schemas) if absent(s)],
        },
    }
    plan["roles"] = role_input(plan)
    return plan


# The options each resource role takes per item; the plan's own keys (depends_on, count) and anything
# else an org file may hold are left out, as the modules never saw them either.
ROLE_OPTIONS = {
    "schemas": ("name", "description", "fields", "state", "purge_fields", "allow_unsafe_type_changes", "force"),
    "records": ("schema", "records", "src", "key", "purge", "state", "conflict_resolution"),
    "webhooks": ("name", "endpoint", "event_types", "enabled", "headers", "filter", "secret", "update_secret",
                 "state"),
}


def role_items(kind, items, state):
    """Items as the genesys.cloud.flex_schemas / custom_object_data / webhooks roles take them.

    Items to apply carry no ``state`` (the roles' default, present), so a role keeps their order;
    items to remove carry ``state: absent``.
    """
    options = ROLE_OPTIONS[kind]
    cleaned = []
    for item in items:
        entry = dict((option, item[option]) for option in options if option in item and option != "state")
        if state == "absent":
            entry["state"] = "absent"
        cleaned.append(entry)
    return cleaned


def role_input(plan):
    """``{apply: {kind: items}, remove: {kind: items}}`` for the resource roles, in the plan's order."""
    return dict((direction, dict((kind, role_items(kind, plan[direction][kind],
                                                   "present" if direction == "apply" else "absent"))
                                 for kind in ROLE_OPTIONS))
                for direction in ("apply", "remove"))


def merge_org(loaded, schemas=None, records=None, webhooks=None):
    """A loaded directory plus items given as variables (variables win over files of the same name)."""
    merged = {}
    for kind, extra, key in (("schemas", schemas, "name"), ("records", records, "schema"),
                             ("webhooks", webhooks, "name")):
        extra = list(extra or [])
        overridden = set(str(item.get(key)).lower() for item in extra if isinstance(item, dict))
        kept = [item for item in (loaded or {}).get(kind) or [] if str(item.get(key)).lower() not in overridden]
        merged[kind] = kept + extra
    return merged


def _verdict_flags(schema_name, result):
    flags = []
    for change in (result.get("changes") or {}).get("type_changes") or []:
        if change.get("verdict") in ("unsafe", "forbidden"):
            flags.append("UNSAFE schema change %s.%s: %s -> %s (%s)" % (
                schema_name, change.get("field"), change.get("from"), change.get("to"), change["verdict"]))
    return flags


def _refused(result):
    """A module failure, also when the role let it pass (check mode): every failure carries ``code``."""
    return bool(result.get("failed") or ("msg" in result and "code" in result))


def _refusal(kind, name, result):
    problems = result.get("problems") or [result.get("msg")]
    unsafe = any("allow_unsafe_type_changes" in str(problem) for problem in problems)
    return "%s %s %s: %s" % ("UNSAFE" if unsafe else "REFUSED", kind, name, "; ".join(str(p) for p in problems))


def _loop_item(result, *names):
    """The loop item of a registered result (the resource roles name their loop variables)."""
    for name in names:
        if isinstance(result.get(name), dict):
            return result[name]
    return {}


def summarize(request):
    """Counts per kind (create / update / delete) and flags from the registered loop results.

    The results are those the resource roles register (``flex_schemas_results``,
    ``custom_object_data_results``, ``webhooks_results``; plain ``item`` loops work too). With
    ``check_mode``, items that depend on something this run creates are previewed by the modules as
    if it existed; they are noted. Results marked ``skipped`` (not previewed) are counted from their
    definition (``depends_on``, ``count``).
    """
    existing = set(name.lower() for name in request.get("existing_schemas") or [])
    existing_hooks = set(name.lower() for name in request.get("existing_webhooks") or [])
    check_mode = bool(request.get("check_mode"))
    counts = dict((kind, {"create": 0, "update": 0, "delete": 0}) for kind in ("schemas", "records", "webhooks"))
    flags, notes = [], []

    for result in request.get("schemas") or []:
        item = _loop_item(result, "item")
        name = item["name"]
        flags += _verdict_flags(name, result)
        if result.get("skipped"):
            counts["schemas"]["update" if name.lower() in existing else "create"] += 1
            notes.append("schema %s: previewed from its definition (it refers to %s, created in this run)"
                         % (name, ", ".join(item.get("depends_on") or [])))
            continue
        if _refused(result):
            flags.append(_refusal("schema change", name, result))
        elif result.get("action") in ("create", "update", "delete"):
            counts["schemas"][result["action"]] += 1
        pending = sorted(set(target for target in _targets(item)
                             if target.lower() != name.lower() and target.lower() not in existing))
        if check_mode and pending and item.get("state", "present") != "absent":
            notes.append("schema %s: previewed as if %s (created in this run) existed" % (name, ", ".join(pending)))

    for result in request.get("records") or []:
        item = _loop_item(result, "custom_object_data_item", "item")
        schema = item["schema"]
        if result.get("skipped"):
            counts["records"]["create"] += item.get("count") or 0
            notes.append("records of %s: %s to create (the schema is created in this run)"
                         % (schema, item.get("count", "all")))
        elif _refused(result):
            flags.append(_refusal("records of", schema, result))
        else:
            for action, key in (("create", "created"), ("update", "updated"), ("delete", "deleted")):
                counts["records"][action] += result.get(key) or 0
            if check_mode and schema.lower() not in existing and item.get("state", "present") != "absent":
                notes.append("records of %s: %s to create (the schema is created in this run)"
                             % (schema, result.get("created") or 0))

    # Webhook loops run by index (no secret in the loop item): names come in the same order.
    webhook_names = [(name, "present") for name in request.get("webhooks_applied") or []]
    webhook_names += [(name, "absent") for name in request.get("webhooks_removed") or []]
    for (name, state), result in zip(webhook_names, request.get("webhooks") or []):
        if _refused(result):
            flags.append(_refusal("webhook", name, result))
        elif result.get("changed"):
            if state == "absent":
                action = "delete"
            else:
                action = "update" if name.lower() in existing_hooks else "create"
            counts["webhooks"][action] += 1

    lines = ["%s: %s" % (kind, ", ".join("%s %d" % (action, counts[kind][action])
                                         for action in ("create", "update", "delete")))
             for kind in ("schemas", "records", "webhooks")]
    return {"counts": counts, "flags": flags, "notes": notes, "lines": lines + flags + notes,
            "changed": any(n for kind in counts.values() for n in kind.values())}


def plan_from_request(request):
    """The plan of a directory (``dir``, may be empty) merged with the items given as variables."""
    loaded = load_org_directory(request["dir"]) if request.get("dir") else {}
    merged = merge_org(loaded, request.get("schemas"), request.get("records"), request.get("webhooks"))
    plan = plan_org(merged)
    plan["counts"] = dict((kind, len(merged[kind])) for kind in ("schemas", "records", "webhooks"))
    return plan


def main(argv, stdin, stdout):
    command = argv[1] if len(argv) > 1 else ""
    try:
        request = json.loads(stdin.read() or "{}")
        if command == "plan":
            answer = plan_from_request(request)
        elif command == "summary":
            answer = summarize(request)
        elif command == "export":
            answer = {"files": export_files(request)}
        else:
            raise OrgDirectoryError(["unknown command %r (use plan or export)" % command])
    except OrgDirectoryError as exc:
        stdout.write(json.dumps({"failed": True, "msg": str(exc), "problems": exc.problems}))
        return 1
    stdout.write(json.dumps(answer, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv, sys.stdin, sys.stdout))
