# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An org directory and the chain of base directories its ``org.yml`` names, merged into one definition.

``org.yml`` may say ``base: ../common`` (relative to the directory that holds it; a base may have
a base of its own, a cycle is refused). Items are merged by kind and name, the base first: an
object the overlay defines replaces the base's whole (``state: absent`` in the overlay removes
an object the base defines); files of a kind replace whole; a kind's settings of ``org.yml`` (its
``settings_key``) merge per object and option, the overlay's winning. Each item keeps the file it came from.
Only the directory and its bases are read (see ``org_files``).

Every read stays inside the *org root*: the git work tree that holds the org directory (the nearest
folder, the directory itself included, with a ``.git``), else the directory's parent; the ``root`` option
(``genesys_org_root`` in the playbooks) names another. A base outside the root (by its path or through a
symbolic link on its way), the directory itself, or a folder holding the directory or another base of
the chain is refused before anything is read from it, naming the base as written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.genesys.cloud.plugins.module_utils.kinds import descriptor
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS as REGISTERED, NAMES, kind_of
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_ignore
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_template

KINDS = NAMES
KIND_SETTINGS = tuple(kind for kind in REGISTERED if kind.settings_key)
ORG_SETTINGS_KEYS = tuple(kind.settings_key for kind in KIND_SETTINGS) + (
    "base", "templated", "allow_empty", "organization", "ignore")
MAX_BASES = 8
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


did_you_mean = descriptor.did_you_mean


def settings_problems(path, settings):
    """Problems of one ``org.yml`` (a mapping of the keys in ``ORG_SETTINGS_KEYS``)."""
    if not isinstance(settings, dict):
        return ["%s: must hold a mapping (%s)" % (path, ", ".join(key for key in ORG_SETTINGS_KEYS if key != "ignore"))]
    problems = ["%s: unknown key %s%s" % (path, of.shorten(key), did_you_mean(key, ORG_SETTINGS_KEYS))
                for key in settings if key not in ORG_SETTINGS_KEYS]
    for key in ("templated", "allow_empty"):
        if key in settings and not isinstance(settings[key], bool):
            problems.append("%s: %s: must be true or false, not %s" % (path, key, of.shorten(settings[key])))
    base = settings.get("base")
    if base is not None and (not isinstance(base, str) or not base.strip() or os.path.isabs(base)
                             or base.startswith("~")):
        problems.append("%s: base: must be a directory path relative to the directory of org.yml "
                        "(e.g. ../common), not %s" % (path, of.shorten(base)))
    problems += organization_problems(path, settings.get("organization"))
    problems += org_ignore.ignore_problems(path, settings.get("ignore"))
    for kind in KIND_SETTINGS:
        problems += kind.settings_problems(path, settings.get(kind.settings_key))
    return problems


def organization_problems(path, pin):
    """``organization: {id: <uuid>}`` or ``{name: <name>}`` (the org a run must be logged in to)."""
    if pin is None:
        return []
    if not isinstance(pin, dict) or not pin or set(pin) - {"id", "name"}:
        return ["%s: organization: must be {id: <org id>} or {name: <org name>}" % path]
    problems = []
    if "id" in pin and not (isinstance(pin["id"], str) and UUID.match(pin["id"])):
        problems.append("%s: organization.id: must be an org id (a UUID such as "
                        "7c8a1d2e-0000-4000-8000-000000000001), not %s" % (path, of.shorten(pin["id"])))
    if "name" in pin and not (isinstance(pin["name"], str) and pin["name"].strip() and len(pin["name"]) <= 200):
        problems.append("%s: organization.name: must be the org's name (text of at most 200 characters), not %s"
                        % (path, of.shorten(pin["name"])))
    return problems


def read_settings(directory, roots, log=None):
    """``(settings, problems)`` of the ``org.yml`` in ``directory`` (``{}`` when there is none)."""
    path = os.path.join(directory, "org.yml")
    if not os.path.lexists(path):
        return {}, []
    problem = of.entry_problem(path, roots)
    if problem:
        return {}, [problem]
    try:
        settings = of.read_yaml(path, "org.yml", roots, log)
    except of.FileProblem as exc:
        return {}, [str(exc)]
    settings = {} if settings is None else settings
    problems = settings_problems(path, settings)
    return (settings, problems) if not problems else ({}, problems)


ROOT_NAMES = "the org root (the git work tree that holds the org directory, else its parent; genesys_org_root names another)"


def find_root(directory, root=None):
    """``(real root, problem)``: the org root of ``directory`` (a real path), or the problem with ``root``."""
    real = os.path.realpath(directory)
    if root is not None and str(root).strip():
        given = os.path.realpath(os.path.abspath(os.path.expanduser(str(root))))
        if not os.path.isdir(given):
            return None, "root (genesys_org_root in the playbooks): %s is not a directory" % root
        if not of.inside(real, [given]):
            return None, ("root (genesys_org_root in the playbooks): the org directory %s is not inside %s; "
                          "the org root must hold the org directory and its bases" % (directory, root))
        return given, None
    current = real
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current, None
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.dirname(real), None
        current = parent


def base_problem(named_by, base, real, root, chain_reals):
    """Why the base ``base`` (named in ``named_by``, at real path ``real``) may not be read, or None."""
    if not of.inside(real, [root]) or of.in_git_folder(os.path.relpath(real, root)):
        return ("%s: base: %s lies outside %s, %s; a base must be a directory inside it, reached without a "
                "symbolic link that leads out" % (named_by, of.shorten(base), ROOT_NAMES, root))
    if any(of.inside(held, [real]) for held in chain_reals):
        return ("%s: base: %s is the org directory or a folder that holds it (or another base of the chain); "
                "a base is a directory of its own beside it, such as ../common" % (named_by, of.shorten(base)))
    return None


def directory_chain(directory, root, log=None):
    """``[(directory, settings)]`` from the deepest base to ``directory``, and the problems found."""
    chain, seen, problems = [], [], []
    current, named_by, named = directory, None, None
    while True:
        if "\x00" in current or len(current) > 4096:
            problems.append("%s: base: %s is not a directory path (a NUL byte, or too long)" % (named_by, of.shorten(repr(named)[1:-1])))
            break
        real = os.path.realpath(current)
        if real in seen:
            problems.append("%s: base: the chain of bases comes back to %s (a cycle: %s)" % (
                named_by, current, " -> ".join([entry[0] for entry in chain] + [current])))
            break
        refused = base_problem(named_by, named, real, root, seen) if named_by else None
        if refused:
            problems.append(refused)
            break
        if not os.path.isdir(current):
            problems.append("%s: base: %s is not a directory (a base is relative to the directory of org.yml)"
                            % (named_by, current))
            break
        if len(chain) > MAX_BASES:
            problems.append("%s: base: more than %d bases in a chain" % (named_by, MAX_BASES))
            break
        seen.append(real)
        settings, found = read_settings(current, [real], log)
        problems += found
        chain.append((current, None if found else settings))  # None: its org.yml cannot be read
        if found or not settings.get("base"):
            break
        named_by, named = os.path.join(current, "org.yml"), settings["base"]
        current = os.path.normpath(os.path.join(current, named))
    chain.reverse()
    return chain, problems


def _stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def read_directory(directory, settings, roots, render, log=None):
    """``({kind: [(path, data, secrets)]}, problems)`` of one directory's files (no merging).

    ``secrets`` are the values rendered from secret variables (templated directories only).
    """
    found = dict((kind, []) for kind in KINDS)
    problems = []
    for kind in REGISTERED:
        paths, listed = of.list_folder(os.path.join(directory, kind.name), kind.name, roots)
        problems += listed
        for path in paths:
            try:
                if kind.streamed(path):
                    handle, _size = of.open_regular(path, kind.file_kind(path), roots)  # a plain file: the stream never waits
                    handle.close()
                    if log is not None:
                        log.streamed(path, kind.file_kind(path), roots)
                    found[kind.name].append((path, kind.stream_data(path, _stem(path)), set()))
                    continue
                data = of.read_yaml(path, kind.file_kind(path), roots, log)
            except of.FileProblem as exc:
                problems.append(str(exc))
                continue
            data, refused = kind.file_data(path, data, _stem(path))
            problems += refused
            if data is None:
                continue
            secrets = set()
            if settings.get("templated") and render is not None:
                data, secrets, rendered_problems = render(path, data)
                if rendered_problems:  # its fields are checked once it renders
                    problems += rendered_problems
                    continue
            found[kind.name].append((path, data, secrets))
    return found, problems


def load_tree(directory, root=None, log=None):
    """The merged definition of ``directory`` and its bases, read inside the org root (``root``: another).

    Returns ``(items, settings, problems)``: ``items`` maps each kind to ``[(path, data, secrets)]`` in
    file order (a base's first); ``settings`` is the merged ``org.yml`` (``records`` per schema,
    ``allow_empty``, ``organization``, ``bases``: the base directories used, ``root``: the org root).
    ``log`` (an ``org_files.ReadLog``) records every file read.
    """
    real_root, problem = find_root(directory, root)
    if problem:
        return dict((kind, []) for kind in KINDS), dict(
            [("bases", [])] + [(kind.settings_key, {}) for kind in KIND_SETTINGS]), [problem]
    chain, problems = directory_chain(directory, real_root, log)  # on problems: still read what can be
    roots = [os.path.realpath(entry[0]) for entry in chain]
    merged = dict((kind, []) for kind in KINDS)
    kind_settings = dict((kind.settings_key, {}) for kind in KIND_SETTINGS)
    settings = {"bases": [entry[0] for entry in chain[:-1]], "root": real_root}
    for path, own in chain:
        # A directory whose org.yml cannot be read, or is templated with no renderer, is still read for the
        # problems of its files; its items (unrendered, without their settings) are not checked field by field.
        unchecked = own is None
        own = own or {}
        render = None
        if own.get("templated"):
            render = org_template.renderer(os.path.join(path, "org.yml"))
            if isinstance(render, str):
                problems.append(render)
                render, unchecked = None, True
        found, read_problems = read_directory(path, own, roots, render, log)
        problems += read_problems
        if unchecked:
            continue
        for kind in KINDS:
            name_key = kind_of(kind).name_key
            # only the bases' items are replaced: two files of one directory naming one object stay two
            # (and are reported as a duplicate)
            index = dict((str(entry[1].get(name_key)).lower(), n) for n, entry in enumerate(merged[kind]))
            for entry in found[kind]:
                position = index.pop(str(entry[1].get(name_key)).lower(), None)
                if position is None:
                    merged[kind].append(entry)
                else:
                    merged[kind][position] = entry
        for key, merged_settings in kind_settings.items():
            for name, options in (own.get(key) or {}).items():
                merged_settings.setdefault(name, {}).update(options)
        for key in ("allow_empty", "organization"):
            if key in own:
                settings[key] = own[key]
    settings.update(kind_settings)
    settings["ignore"] = org_ignore.merged([own for _path, own in chain])
    return merged, settings, problems
