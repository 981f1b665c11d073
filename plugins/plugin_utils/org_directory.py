# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An org-as-code directory: load it, check every file completely, order it.

An org-as-code directory holds one folder per kind (module_utils/kinds/registry.py: the kind's ``name``,
its file extensions and how a file becomes an item) and an optional ``org.yml`` with settings (a kind's
own ones among them). ``org.yml`` may also name a base directory this one overlays, say ``templated: true``,
``allow_empty: true`` and pin the ``organization`` (``org_tree``: the chain of bases and the merge;
``org_files``: the files read as untrusted input; ``org_template``: templated values).
Items may also be given as variables (one per kind, named as the kind, of ``genesys.cloud.org``); a
variable replaces the file of the same name.

Every item is checked against the rules of the module that applies it (its ``ARGUMENTS``, so unknown
keys, types and choices) and its kind's own checks; every problem is collected with its file (and line
or record), so one run lists everything to fix, and nothing is sent before the directory is known to be
complete and correct.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.genesys.cloud.plugins.module_utils.arguments import CONNECTION_OPTIONS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS as REGISTERED, NAMES, kind_of
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_tree
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import load_module, validate_arguments

KINDS = NAMES
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
    """One object of a kind: where it was defined, what it says, its checked parameters."""

    def __init__(self, kind, where, data):
        self.kind = kind
        self.where = where
        self.data = data
        self.params = None
        self.no_log_values = set()

    @property
    def name(self):
        return str(self.data.get(kind_of(self.kind).name_key))

    @property
    def absent(self):
        return self.data.get("state") == "absent"


# -- reading the directory (org_tree: bases and overlay; org_files: the untrusted files) ------
def load_org_directory(directory, root=None):
    """Load an org-as-code directory and its bases into ``{kind: [item]}`` (every kind of the registry): lists of
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
    for kind in REGISTERED:
        for path, data, secrets in entries[kind.name]:
            item = Item(kind.name, path, kind.merge_settings(data, settings))
            item.no_log_values = set(secrets)
            loaded[kind.name].append(item)
    for kind in REGISTERED:
        problems += kind.directory_problems(directory, loaded, settings)
    if not problems and not any(loaded[kind] for kind in KINDS) and not settings.get("allow_empty"):
        problems.append("org_dir (genesys_org_dir in the playbooks): %s holds no %s file (%s); check the path, or "
                        "say allow_empty: true in its org.yml to apply an empty definition on purpose"
                        % (directory, _either([kind.noun for kind in _by_files()]),
                           ", ".join(kind.example for kind in _by_files())))
    loaded["settings"] = settings
    return loaded, problems


def _by_files():
    """The kinds as a message lists their files: those of one YAML file an object first (stable otherwise)."""
    return sorted(REGISTERED, key=lambda kind: len(kind.suffixes))


def _either(words):
    return words[0] if len(words) == 1 else "%s or %s" % (", ".join(words[:-1]), words[-1])


def settings_problems(path, settings):
    return org_tree.settings_problems(path, settings)


def merge_org(loaded, **variables):
    """A loaded directory plus items given as variables, one per kind (variables win over files of the same name)."""
    merged = {}
    for kind in KINDS:
        extra = variables.get(kind)
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
    return load_module(kind_of(kind).module).ARGUMENTS["argument_spec"]


def item_options(kind):
    """The keys an item of ``kind`` may hold: its module's options without the connection options."""
    spec = item_spec(kind)
    return tuple(sorted(name for name in spec if name not in CONNECTION_OPTIONS
                        and name not in kind_of(kind).not_in_an_org))


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
    arguments = load_module(kind_of(item.kind).module).ARGUMENTS
    problems = strict_type_problems(item.where, item.data, arguments["argument_spec"])
    if problems:
        return problems
    params, no_log_values, errors = validate_arguments(arguments, item.data)
    item.no_log_values = set(item.no_log_values) | set(no_log_values)
    if errors:
        return ["%s: %s" % (item.where, error) for error in errors]
    problems = kind_of(item.kind).item_problems(params)
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


def duplicate_problems(org):
    problems = []
    for kind in KINDS:
        seen = {}
        for item in org[kind]:
            key = item.name.lower()
            if key in seen:
                problems.append("%s: %s %s is also defined in %s" % (item.where, kind_of(kind).noun, item.name,
                                                                     seen[key]))
            seen.setdefault(key, item.where)
    return problems


def load_org(directory=None, root=None, **variables):
    """Load, merge and check an org definition (no request): every problem at once, or the items.

    Every problem in one run: the files that cannot be read and the fields of those that can, together.
    ``variables``: items given as variables, by kind name. Returns ``{kind: [checked Item]}``, each kind's
    items in its order (``Kind.ordered``: schemas in dependency order, say); ``organization``: the org
    ``org.yml`` pins the run to (``{id}`` or ``{name}``), or None; ``settings``: the merged ``org.yml``
    (``bases``: the base directories read; ``root``: the org root, ``root`` names another); ``files``: the
    ``org_files.ReadLog`` of every file read (``src`` of items given as variables included).
    """
    if directory is not None and not str(directory).strip():
        directory = None
    if directory is None and not any(variables.get(kind) for kind in KINDS):
        raise OrgDirectoryError(["org_dir: not set, and no %s given: there is nothing to apply (playbooks: set "
                                 "genesys_org_dir to the org's directory)" % _either(list(KINDS))])
    loaded, problems = read_org_directory(directory, root) if directory else ({"files": of.ReadLog(None)}, [])
    org = merge_org(loaded, **variables)
    problems += duplicate_problems(org)
    for kind in KINDS:
        for item in org[kind]:
            problems += check_item(item)
    for kind in REGISTERED:
        for item in org[kind.name]:
            if item.params and item.where.endswith("(variable)"):  # a directory's files were checked when listed
                problems += kind.variable_problems(item, loaded["files"])
    if problems:
        raise OrgDirectoryError(problems)
    org["files"] = loaded["files"]
    for kind in REGISTERED:
        org[kind.name], ordering = kind.ordered(org[kind.name])
        problems += ordering
    if problems:
        raise OrgDirectoryError(problems)
    org["settings"] = loaded.get("settings") or {}
    org["organization"] = org["settings"].get("organization")
    return org
