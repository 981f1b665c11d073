# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An org-as-code directory: load it, check every file completely, order it.

An org-as-code directory holds ``schemas/*.yml``, ``records/<schema>.{yml,yaml,json,jsonl,csv}``,
``webhooks/*.yml`` and an optional ``org.yml`` with per-schema record settings (key, purge).
``org.yml`` may also name a base directory this one overlays, say ``templated: true``, ``allow_empty: true``
and pin the ``organization`` (``org_tree``: the chain of bases and the merge; ``org_files``: the files
read as untrusted input; ``org_template``: templated values).
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

import os

from ansible_collections.genesys.cloud.plugins.module_utils import records_check as rec
from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.arguments import CONNECTION_OPTIONS
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import definition_problems, desired_field
from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import early_problems
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_tree
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import load_module, validate_arguments

YAML_SUFFIXES = of.YAML_SUFFIXES
RECORD_SUFFIXES = YAML_SUFFIXES + of.STREAM_SUFFIXES
KINDS = org_tree.KINDS
MODULES = {"schemas": "flex_schema", "records": "custom_object_records", "webhooks": "webhook"}
NAME_KEYS = {"schemas": "name", "records": "schema", "webhooks": "name"}
# Options of the records module that make no sense for one set of a whole-org run.
NOT_IN_AN_ORG = ("changes_dest",)
ORG_SETTINGS_KEYS = org_tree.ORG_SETTINGS_KEYS
MAX_PROBLEMS = 100


class OrgDirectoryError(ValueError):
    """Every problem found in an org definition, reported at once, before anything is sent."""

    def __init__(self, problems):
        problems = [of.shorten(problem, 600) for problem in problems]
        if len(problems) > MAX_PROBLEMS:
            problems = problems[:MAX_PROBLEMS] + ["... and %d more problems" % (len(problems) - MAX_PROBLEMS)]
        self.problems = problems
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


# -- reading the directory (org_tree: bases and overlay; org_files: the untrusted files) ------
def parse_record_file(path):
    """A record set from one file: YAML is read here, the other formats are streamed by the records module.

    A YAML file holds either a list of records or ``{key?, purge?, state?, records: [...]}``.
    """
    if not path.lower().endswith(YAML_SUFFIXES):
        return {"src": path}
    try:
        content = of.read_yaml(path, "records_yaml")
    except of.FileProblem as exc:
        raise OrgDirectoryError([str(exc)])
    if isinstance(content, dict):
        return dict(content)
    return {"records": content}


def load_org_directory(directory, root=None):
    """Load an org-as-code directory and its bases into ``{schemas, records, webhooks}``: lists of
    :class:`Item` in file order (a base's first), plus ``settings`` (the merged ``org.yml``) and ``files``
    (the ``org_files.ReadLog`` of every file read). Raises :class:`OrgDirectoryError` with every problem."""
    loaded, problems = read_org_directory(directory, root)
    if problems:
        raise OrgDirectoryError(problems)
    return loaded


def read_org_directory(directory, root=None):
    """``(loaded, problems)``: :func:`load_org_directory` that returns its problems, with what could be read."""
    directory = os.path.abspath(os.path.expanduser(directory))
    loaded = dict((kind, []) for kind in KINDS)
    loaded["files"] = of.ReadLog(directory)
    loaded["settings"] = {}
    if not os.path.isdir(directory):
        return loaded, ["org_dir (genesys_org_dir in the playbooks): %s: %s" % (
            directory, "not a directory" if os.path.exists(directory) else "no such directory")]
    entries, settings, problems = org_tree.load_tree(directory, root, loaded["files"])
    record_settings = settings.get("records") or {}
    for kind in KINDS:
        for path, data, secrets in entries[kind]:
            if kind == "records":
                for option, value in (record_settings.get(data["schema"]) or {}).items():
                    data.setdefault(option, value)
            item = Item(kind, path, data)
            item.no_log_values = set(secrets)
            loaded[kind].append(item)
    problems += record_name_problems(directory, loaded, record_settings)
    if not problems and not any(loaded[kind] for kind in KINDS) and not settings.get("allow_empty"):
        problems.append("org_dir (genesys_org_dir in the playbooks): %s holds no schema, webhook or record file (schemas/*.yml, webhooks/*.yml, "
                        "records/<schema>.csv|json|jsonl|yml); check the path, or say allow_empty: true in its "
                        "org.yml to apply an empty definition on purpose" % directory)
    loaded["settings"] = settings
    return loaded, problems


def record_name_problems(directory, loaded, record_settings):
    """A records file or ``org.yml`` records entry whose name matches a schema only when case is ignored."""
    schemas = dict((item.name.lower(), item.name) for item in loaded["schemas"])
    problems = []
    for item in loaded["records"]:
        exact = schemas.get(item.name.lower())
        if exact is not None and exact != item.name:
            problems.append("%s: the file name must match its schema's name exactly: schema %s, file %s; "
                            "rename the file" % (item.where, exact, os.path.basename(item.where)))
    files = dict((item.name.lower(), item.name) for item in loaded["records"])
    for schema in record_settings:
        exact = files.get(str(schema).lower())
        if exact is not None and exact != schema:
            problems.append("%s: records.%s: names a schema whose records file is %s (the names must match "
                            "exactly)" % (os.path.join(directory, "org.yml"), of.shorten(schema), exact))
    return problems


def settings_problems(path, settings):
    return org_tree.settings_problems(path, settings)


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
    return org_tree.did_you_mean(key, allowed)


def item_spec(kind):
    """The argument spec of the module of ``kind`` (the options an item of that kind is checked against)."""
    return load_module(MODULES[kind]).ARGUMENTS["argument_spec"]


def item_options(kind):
    """The keys an item of ``kind`` may hold: its module's options without the connection options."""
    spec = item_spec(kind)
    return tuple(sorted(name for name in spec if name not in CONNECTION_OPTIONS and name not in NOT_IN_AN_ORG))


_ALLOWED = {}


def allowed_keys(kind):
    """:func:`item_options` of ``kind`` as a set, computed once (it is asked for every item of an org)."""
    if kind not in _ALLOWED:
        _ALLOWED[kind] = frozenset(item_options(kind))
    return _ALLOWED[kind]


def check_item(item):
    """Problems of one item against its module's rules; fills ``item.params`` when there are none."""
    allowed = allowed_keys(item.kind)
    problems = ["%s: unknown key %s%s" % (item.where, of.shorten(key), _did_you_mean(key, item_options(item.kind)))
                for key in item.data if key not in allowed]
    if problems:
        return problems
    arguments = load_module(MODULES[item.kind]).ARGUMENTS
    problems = strict_type_problems(item.where, item.data, arguments["argument_spec"])
    if problems:
        return problems
    params, no_log_values, errors = validate_arguments(arguments, item.data)
    item.no_log_values = set(item.no_log_values) | set(no_log_values)
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
            problems.append("%s: %s%s: must be a %s, not %s %s%s" % (
                where, prefix, key, {"str": "string", "path": "string"}.get(kind, kind), type(value).__name__, of.shorten(repr(value)),
                " (write it in quotes)" if kind in ("str", "path") and not isinstance(value, (list, dict)) else ""))
            continue
        if option.get("options") and isinstance(value, dict):
            problems += strict_type_problems(where, value, option["options"], "%s%s." % (prefix, key))
        elif option.get("elements") and isinstance(value, list):
            element_type = STRICT_TYPES.get(option["elements"])
            for index, element in enumerate(value):
                if element_type and element is not None and not isinstance(element, element_type):
                    problems.append("%s: %s%s[%d]: must be a %s, not %s %s" % (
                        where, prefix, key, index, {"str": "string"}.get(option["elements"], option["elements"]),
                        type(element).__name__, of.shorten(repr(element))))
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


def load_org(directory=None, schemas=None, records=None, webhooks=None, root=None):
    """Load, merge and check an org definition (no request): every problem at once, or the items.

    Every problem in one run: the files that cannot be read and the fields of those that can, together.
    Returns ``{schemas, records, webhooks}`` of checked :class:`Item`; schemas in dependency order;
    ``organization``: the org ``org.yml`` pins the run to (``{id}`` or ``{name}``), or None;
    ``settings``: the merged ``org.yml`` (``bases``: the base directories read; ``root``: the org root,
    ``root`` names another); ``files``: the ``org_files.ReadLog`` of every file read (``src`` of items
    given as variables included). Record files are read later, against the schema they target
    (:func:`check_records`).
    """
    if directory is not None and not str(directory).strip():
        directory = None
    if directory is None and not (schemas or records or webhooks):
        raise OrgDirectoryError(["org_dir: not set, and no schemas, records or webhooks given: there is nothing "
                                 "to apply (playbooks: set genesys_org_dir to the org's directory)"])
    loaded, problems = read_org_directory(directory, root) if directory else ({"files": of.ReadLog(None)}, [])
    org = merge_org(loaded, schemas, records, webhooks)
    problems += duplicate_problems(org)
    for kind in KINDS:
        for item in org[kind]:
            problems += check_item(item)
    directory_schemas = set(item.name.lower() for item in org["schemas"])
    for item in org["records"]:
        src = item.params and item.params["src"]
        if src and item.where.endswith("(variable)"):  # a directory's record files were checked when listed
            if not os.path.isfile(src):
                problems.append("%s: src: %s is not a file" % (item.where, of.shorten(src)))
            else:
                loaded["files"].streamed(src, label="src %s" % src)
    if problems:
        raise OrgDirectoryError(problems)
    org["files"] = loaded["files"]
    org["schemas"] = order_schemas(org["schemas"])
    org["directory_schemas"] = directory_schemas
    org["settings"] = loaded.get("settings") or {}
    org["organization"] = org["settings"].get("organization")
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
        found = getattr(exc, "problems", None) or [str(exc)]  # a CSV file's bad rows, each on its own
        more = ["%s: and %d more problems" % (params["src"], exc.total - len(found))] if getattr(
            exc, "total", 0) > len(found) else []
        return [of.shorten("%s: %s" % (params["src"] or where, problem), 600) for problem in found] + more
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
    # a record file's values are untrusted: no message may echo one whole (a 5 MB cell, say)
    return [of.shorten("%s: %s" % (where, problem) if not problem.startswith(where) else problem, 600)
            for problem in problems]
