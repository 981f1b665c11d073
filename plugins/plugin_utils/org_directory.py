# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An org-as-code directory: load it, check every file completely, order it.

An org-as-code directory holds ``schemas/*.yml``, ``records/<schema>.{yml,yaml,json,jsonl,csv}``,
``webhooks/*.yml`` and an optional ``org.yml`` with per-schema record settings (key, purge).
Items may also be given as variables (``schemas``, ``records``, ``webhooks`` of
``genesys.cloud.org``); a variable replaces the file of the same name.

Every item is checked against the rules of the module that applies it (its ``ARGUMENTS``, so unknown
keys, types and choices, and the resource-level checks: a schema's definition, a webhook's
endpoint and headers), record files are read to the end and checked against the schema they
target, and relationships must name a schema that the directory or the org has. Every problem
is collected with its file (and line or record), so one run lists everything to fix, and nothing
is sent before the directory is known to be complete and correct.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import os

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils import records_check as rec
from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.arguments import CONNECTION_OPTIONS
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import definition_problems, desired_field
from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import early_problems
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import load_module, validate_arguments

YAML_SUFFIXES = (".yml", ".yaml")
RECORD_SUFFIXES = YAML_SUFFIXES + (".json", ".jsonl", ".csv")
KINDS = ("schemas", "records", "webhooks")
MODULES = {"schemas": "flex_schema", "records": "custom_object_records", "webhooks": "webhook"}
NAME_KEYS = {"schemas": "name", "records": "schema", "webhooks": "name"}
# Options of the records module that make no sense for one set of a whole-org run.
NOT_IN_AN_ORG = ("changes_dest",)
ORG_SETTINGS_KEYS = ("records",)


class OrgDirectoryError(ValueError):
    """Every problem found in an org definition, reported at once, before anything is sent."""

    def __init__(self, problems):
        self.problems = list(problems)
        super(OrgDirectoryError, self).__init__(
            "the org definition is not valid, nothing was changed. Fix: " + "; ".join(self.problems))


class Item:
    """One schema, record set or webhook: where it was defined, what it says, its checked parameters."""

    def __init__(self, kind, where, data):
        self.kind = kind
        self.where = where
        self.data = data
        self.params = None
        self.no_log_values = set()
        self.desired_records = None  # record sets: the records as read (dicts), once checked

    @property
    def name(self):
        return str(self.data.get(NAME_KEYS[self.kind]))

    @property
    def absent(self):
        return self.data.get("state") == "absent"


# -- reading files -----------------------------------------------------------------------------
# libyaml's loader when PyYAML has it: ten times faster on an org of hundreds of files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LOADER)


def _files(directory, suffixes):
    if not os.path.isdir(directory):
        return []
    names = sorted(name for name in os.listdir(directory)
                   if name.endswith(suffixes) and not name.startswith("."))
    return [os.path.join(directory, name) for name in names]


def _stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def _yaml_problem(path, exc):
    mark = getattr(exc, "problem_mark", None)
    line = "line %d: " % (mark.line + 1) if mark is not None else ""
    return "%s: not valid YAML (%s%s)" % (path, line, getattr(exc, "problem", None) or exc)


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


def load_org_directory(directory):
    """Load an org-as-code directory into ``{schemas, records, webhooks}``: lists of :class:`Item` in file order."""
    directory = os.path.abspath(os.path.expanduser(directory))
    problems = []
    if not os.path.isdir(directory):
        raise OrgDirectoryError(["%s: no such directory" % directory])
    settings = {}
    settings_path = os.path.join(directory, "org.yml")
    if os.path.isfile(settings_path):
        try:
            settings = _read_yaml(settings_path) or {}
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(settings_path, exc))
        problems += settings_problems(settings_path, settings)
        if problems:
            settings = {}

    loaded = dict((kind, []) for kind in KINDS)
    for kind in ("schemas", "webhooks"):
        for path in _files(os.path.join(directory, kind), YAML_SUFFIXES):
            try:
                data = _read_yaml(path)
            except yaml.YAMLError as exc:
                problems.append(_yaml_problem(path, exc))
                continue
            if not isinstance(data, dict):
                problems.append("%s: must hold one mapping (a %s definition)" % (path, kind[:-1]))
                continue
            data.setdefault("name", _stem(path))
            loaded[kind].append(Item(kind, path, data))

    record_settings = settings.get("records") or {}
    for path in _files(os.path.join(directory, "records"), RECORD_SUFFIXES):
        try:
            data = dict(parse_record_file(path), schema=_stem(path))
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(path, exc))
            continue
        if "src" not in data and not isinstance(data.get("records"), list):
            problems.append("%s: must hold a list of records" % path)
            continue
        for option, value in (record_settings.get(data["schema"]) or {}).items():
            data.setdefault(option, value)
        loaded["records"].append(Item("records", path, data))
    if problems:
        raise OrgDirectoryError(problems)
    return loaded


def settings_problems(path, settings):
    if not isinstance(settings, dict):
        return ["%s: must hold a mapping (records: {<schema>: {key, purge}})" % path]
    problems = ["%s: unknown key %s%s" % (path, key, _did_you_mean(key, ORG_SETTINGS_KEYS))
                for key in settings if key not in ORG_SETTINGS_KEYS]
    records = settings.get("records") or {}
    if not isinstance(records, dict):
        return problems + ["%s: records: must map schema names to {key, purge}" % path]
    allowed = ("key", "purge", "state", "conflict_resolution", "batch_size", "concurrency", "max_problems")
    for schema, options in records.items():
        if not isinstance(options, dict):
            problems.append("%s: records.%s: must be a mapping (key, purge)" % (path, schema))
            continue
        problems += ["%s: records.%s: unknown key %s%s" % (path, schema, key, _did_you_mean(key, allowed))
                     for key in options if key not in allowed]
    return problems


def merge_org(loaded, schemas=None, records=None, webhooks=None):
    """A loaded directory plus items given as variables (variables win over files of the same name)."""
    merged = {}
    for kind, extra in (("schemas", schemas), ("records", records), ("webhooks", webhooks)):
        extra = [Item(kind, "%s[%d] (variable)" % (kind, index), item if isinstance(item, dict) else {"": item})
                 for index, item in enumerate(extra or [])]
        overridden = set(item.name.lower() for item in extra)
        kept = [item for item in (loaded or {}).get(kind) or [] if item.name.lower() not in overridden]
        merged[kind] = kept + extra
    return merged


# -- checking items ----------------------------------------------------------------------------
def _did_you_mean(key, allowed):
    close = difflib.get_close_matches(str(key), list(allowed), n=1)
    return " (did you mean %s?)" % close[0] if close else ""


def item_options(kind):
    """The keys an item of ``kind`` may hold: its module's options without the connection options."""
    spec = load_module(MODULES[kind]).ARGUMENTS["argument_spec"]
    return tuple(sorted(name for name in spec if name not in CONNECTION_OPTIONS and name not in NOT_IN_AN_ORG))


def check_item(item):
    """Problems of one item against its module's rules; fills ``item.params`` when there are none."""
    allowed = item_options(item.kind)
    problems = ["%s: unknown key %s%s" % (item.where, key, _did_you_mean(key, allowed))
                for key in item.data if key not in allowed]
    if problems:
        return problems
    spec = load_module(MODULES[item.kind]).ARGUMENTS["argument_spec"]
    problems = strict_type_problems(item.where, item.data, spec)
    if problems:
        return problems
    params, no_log_values, errors = validate_arguments(load_module(MODULES[item.kind]).ARGUMENTS, item.data)
    item.no_log_values = set(no_log_values)
    if errors:
        return ["%s: %s" % (item.where, error) for error in errors]
    if item.kind == "schemas" and params["state"] == "present":
        definition = dict(name=params["name"], description=params["description"], fields=params["fields"])
        problems = definition_problems(definition, params["purge_fields"])
    elif item.kind == "webhooks":
        problems = wh.validate(params)
    elif item.kind == "records":
        problems = list(_record_set_problems(params))
    if problems:
        return ["%s: %s" % (item.where, problem) for problem in problems]
    item.params = params
    return []


STRICT_TYPES = {"str": (str,), "path": (str,), "list": (list,), "dict": (dict,), "bool": (bool,),
                "int": (int,), "float": (int, float)}


def strict_type_problems(where, data, spec, prefix=""):
    """Values of the wrong YAML type, which Ansible would convert for a task (``name: yes`` to
    ``"True"``, ``event_types: a,b`` to a list): in a file they are a mistake, so they are refused."""
    problems = []
    for key, value in data.items():
        option = spec.get(key)
        if option is None or value is None:
            continue
        kind = option.get("type", "str")
        allowed = STRICT_TYPES.get(kind)
        if allowed and (not isinstance(value, allowed) or (kind in ("int", "float") and isinstance(value, bool))):
            problems.append("%s: %s%s: must be a %s, not %s %r%s" % (
                where, prefix, key, {"str": "string", "path": "string"}.get(kind, kind), type(value).__name__, value,
                " (write it in quotes)" if kind in ("str", "path") and not isinstance(value, (list, dict)) else ""))
            continue
        if option.get("options") and isinstance(value, dict):
            problems += strict_type_problems(where, value, option["options"], "%s%s." % (prefix, key))
        elif option.get("elements") and isinstance(value, list):
            element_type = STRICT_TYPES.get(option["elements"])
            for index, element in enumerate(value):
                if element_type and element is not None and not isinstance(element, element_type):
                    problems.append("%s: %s%s[%d]: must be a %s, not %s %r" % (
                        where, prefix, key, index, {"str": "string"}.get(option["elements"], option["elements"]),
                        type(element).__name__, element))
    return problems


def _record_set_problems(params):
    """The records module's own checks of its options (the key is checked with the schema, later)."""
    early = early_problems(dict(params, key="id"), {})
    return early


def duplicate_problems(org):
    problems = []
    for kind in KINDS:
        seen = {}
        for item in org[kind]:
            key = item.name.lower()
            if key in seen:
                problems.append("%s: %s %s is also defined in %s" % (item.where, kind[:-1], item.name, seen[key]))
            seen.setdefault(key, item.where)
    return problems


def relationship_targets(item):
    """The schema names a schema item's relationship fields point at (itself excluded)."""
    found = []
    for field in item.data.get("fields") or []:
        relationship = field.get("relationship") if isinstance(field, dict) else None
        if isinstance(relationship, dict) and relationship.get("schema"):
            target = str(relationship["schema"])
            if target.lower() != item.name.lower() and target not in found:
                found.append(target)
    return found


def order_schemas(schemas):
    """Schemas with every relationship target before the schemas that point at it (ties keep their order).

    A target outside the list (already in the org) is no constraint; a cycle cannot be created in
    any order, so it is an error.
    """
    by_name = dict((item.name.lower(), item) for item in schemas)
    ordered, state = [], {}

    def visit(item, path):
        key = item.name.lower()
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise OrgDirectoryError(["schemas: relationship cycle %s" % " -> ".join(path + [item.name])])
        state[key] = "visiting"
        for target in relationship_targets(item):
            if target.lower() in by_name:
                visit(by_name[target.lower()], path + [item.name])
        state[key] = "done"
        ordered.append(item)

    for item in schemas:
        visit(item, [])
    return ordered


def schema_levels(ordered):
    """Ordered schemas grouped into levels: a schema comes one level after the latest of its targets."""
    level_of, levels = {}, []
    for item in ordered:
        level = 1 + max([level_of[t.lower()] for t in relationship_targets(item) if t.lower() in level_of] or [-1])
        level_of[item.name.lower()] = level
        while len(levels) <= level:
            levels.append([])
        levels[level].append(item)
    return levels, level_of


def load_org(directory=None, schemas=None, records=None, webhooks=None):
    """Load, merge and check an org definition (no request): every problem at once, or the items.

    Returns ``{schemas, records, webhooks}`` of checked :class:`Item`; schemas in dependency order.
    Record files are read later, against the schema they target (:func:`check_records`).
    """
    loaded = load_org_directory(directory) if directory else {}
    org = merge_org(loaded, schemas, records, webhooks)
    problems = duplicate_problems(org)
    for kind in KINDS:
        for item in org[kind]:
            problems += check_item(item)
    directory_schemas = set(item.name.lower() for item in org["schemas"])
    for item in org["records"]:
        if item.params and item.params["src"] and not os.path.isfile(item.params["src"]):
            problems.append("%s: src: %s is not a file" % (item.where, item.params["src"]))
    if problems:
        raise OrgDirectoryError(problems)
    org["schemas"] = order_schemas(org["schemas"])
    org["directory_schemas"] = directory_schemas
    return org


# -- record files against their schema -------------------------------------------------------
def schema_fields(user_fields):
    """The API-shaped fields of a schema (``desired_field``), by name, as the records logic takes them."""
    return dict((field["name"], desired_field(field)) for field in user_fields or [])


def read_record_set(item, fields):
    """Every ``(where, record)`` of a record set, read to the end; raises ValueError/OSError when unreadable."""
    params = item.params
    if params["src"]:
        base = os.path.basename(params["src"])
        return [(where if where.startswith(base) else "%s %s" % (base, where), record)
                for where, record in rec.iter_source(params["src"], fields)]
    return [("records[%d]" % index, record) for index, record in enumerate(params["records"] or [])]


def check_records(item, fields):
    """Problems of a record set against the fields of the schema it targets (as it will be after the run).

    The records are kept on the item (``desired_records``) for the relationship checks of
    schemas that point at this one.
    """
    params = item.params
    where = item.where
    try:
        items = read_record_set(item, fields)
    except (IOError, OSError, ValueError) as exc:
        return ["%s: %s" % (params["src"] or where, exc)]
    key = params["key"]
    problems = []
    if key != "id" and not (key in fields and fields[key].get("unique")):
        problems.append("%s: key: %s is neither id nor a unique field of %s" % (where, key, params["schema"]))
        return problems
    entries, found = rec.resolve(items, params["schema"], fields, key, {}, params["state"])
    problems += found
    if params["state"] == "present":
        relationless = dict((name, field) for name, field in fields.items())
        problems += rec.validate(entries, relationless, {}, {})
    item.desired_records = [record for _where, record in items if isinstance(record, dict)]
    return ["%s: %s" % (where, problem) if not problem.startswith(where) else problem for problem in problems]
