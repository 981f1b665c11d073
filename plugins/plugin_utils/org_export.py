# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export an org as an org-as-code directory: stable ordering and formatting, no server bookkeeping.

Exporting the same state twice gives the same text, which is what lets an export round-trip byte
for byte. The ``genesys.cloud.org_export`` action reads the org with one client (every kind's list once,
then what the other kinds need of the selected objects, in parallel) and calls :func:`export_org`.
Every kind says what it exports and how (module_utils/kinds/: ``Kind.export_*``). What is exported:
:mod:`org_export_scope` (include / exclude, and each kind's own option); what the folder holds and
means: :mod:`org_export_files`; how it is changed (only the export's own regular files, never through
a link): :mod:`org_export_write`; the file name of each object (one the loader reads back as that
object): :mod:`org_export_names`; an overlay of a base directory: :mod:`org_export_base`. Files that
may hold secrets (as their kind says) are written 0600.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from concurrent.futures import ThreadPoolExecutor

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import yaml_text
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS, kind_of
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_names as names
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_write as ew
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_base import load_base
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_scope import (
    Scope, filter_option, select)


def export_files(state):
    """Every file of a plain export, ``{relative path: text}``, from what the _info modules returned."""
    files = {}
    for kind in KINDS:
        if kind.named_by_stem:
            for name, items in sorted((state.get(kind.name) or {}).items()):
                relative = names.stem_file(kind.name, name)
                if items and relative:
                    files[relative] = kind.export_plain(items)
            continue
        for item in state.get(kind.name) or []:
            files[names.object_file(kind.name, item["name"])] = kind.export_text(item, state.get("with_headers", True))
    return files


class Tools:
    """The export's file access, handed to the kinds' export hooks (a kind package imports no plugin_utils)."""

    files, names = ef, names


TOOLS = Tools()
# kinds other kinds' files belong to: read_org's ``names`` holds their exported objects
NEEDED = set(name for kind in KINDS for name in kind.depends_on)
READ_WORKERS = 8
EXPORT_ARGUMENTS = module_arguments(dict(
    dest=dict(type="path", required=True),
    headers=dict(type="bool", default=True),
    include=dict(type="dict"),  # {kind: patterns}: checked by org_export_scope.filter_option
    exclude=dict(type="dict"),
    base=dict(type="path"),
    **dict((kind.name, kind.export_option) for kind in KINDS if kind.export_option)
))


def read_org(client, scope):
    """The exported part of the org, in the shapes the _info modules return, read in parallel.

    ``{<kind>..., pulled_in, warnings, names}``: every kind's lists first, the patterns applied, then what the
    other kinds read for the selected objects (``names``: lower-case names of the exported objects they need).
    """
    with ThreadPoolExecutor(max_workers=READ_WORKERS) as pool:
        lists = [(kind, pool.submit(kind.export_read, client)) for kind in KINDS]
        stored = dict((kind.name, future.result()) for kind, future in lists if kind.export_filtered)
        state, pulled_in, warnings = select(scope, stored)
        state.update(pulled_in=pulled_in, warnings=warnings,
                     names=set(item["name"].lower() for kind in KINDS if kind.name in NEEDED for item in state[kind.name]))
        for wait in [kind.export_reads(client, pool, scope, state) for kind in KINDS]:
            wait()
        return state


class ExportPlan:
    """The files an export wants in its folder: ``{relative path: entry}`` with the object each stands for."""

    def __init__(self, directory, with_headers, base=None):
        self.directory = directory
        self.with_headers = with_headers
        self.base = base
        self.found = ef.scan(directory)
        self.entries = {}
        self.by_lower = {}  # a folder on a file system that ignores case holds one of two names
        self.problems = list(self.found["duplicates"])
        self.warnings = []
        self.keys = {}  # {schema: the key its exported records are matched by}
        self.reserved = {}  # kind -> lower-case plain names of exported objects

    def reserve(self, kind, objects):
        """Keep the plain file names of ``objects`` for them (no other object's file takes one)."""
        self.reserved[kind] = set((str(item["name"]) + ".yml").lower() for item in objects
                                  if names.readable_stem(str(item["name"]), ".yml"))

    def free_name(self, kind, name):
        """A file for a new object: its name when free, never a file of the folder or of another object."""
        own = (str(name) + ".yml").lower()
        taken = set(entry.lower() for entry in ef.entries(os.path.join(self.directory, kind)))
        taken |= set(relative.split("/", 1)[1] for relative in self.by_lower if relative.startswith(kind + "/"))
        taken |= self.reserved.get(kind, set()) - {own}
        return names.object_file(kind, name, taken=taken)

    def add(self, relative, kind, name, text, keep=False):
        """Want ``text`` at ``relative`` (``keep``: the file there already means the same; leave it)."""
        owner = "%s/%s" % (kind, name)
        other = self.entries.get(self.by_lower.get(relative.lower(), relative))
        if other is not None and other["owner"] != owner:
            self.problems.append("%s and %s %s would both be written to %s: rename one" % (
                other["owner"].replace("/", " ", 1), kind_of(kind).noun, names.shown(name), relative))
        self.by_lower[relative.lower()] = relative
        self.entries[relative] = dict(owner=owner, text=text, keep=keep)

    def target(self, kind, name, default, base_item=None):
        if base_item is not None:
            return "%s/%s" % (kind, os.path.basename(base_item.where))
        return self.found[kind].get(name.lower()) or default

    def definition(self, kind, name, text, meaning, export_keys, base_item=None):
        """A schema or webhook: into the file that already defines it, left alone when it means the same."""
        ours = yaml.safe_load(text)
        if base_item is not None and meaning(base_item.data, _stem(base_item.where)) == meaning(ours, name):
            return
        relative = self.target(kind, name, None, base_item) or self.free_name(kind, name)
        current = ef.safe_yaml(ef.read_text(os.path.join(self.directory, relative), ef.DEFINITION_LIMIT))
        if isinstance(current, dict) and meaning(current, _stem(relative)) == meaning(ours, name):
            return self.add(relative, kind, name, None, keep=True)
        if isinstance(current, dict):
            # The file's options that are no part of the object (purge_fields, secret, ...) stay.
            extra = dict((key, value) for key, value in current.items()
                         if key not in export_keys and key not in ("name", "state"))
            if extra:
                document = dict(ours)
                document.update(extra)
                text = yaml_text(document)
        self.add(relative, kind, name, text)


def _stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def plan_export(state, directory, settings, with_headers, base=None, scope=None):
    """The :class:`ExportPlan` of ``state`` (what :func:`read_org` returned) for ``directory``."""
    plan = ExportPlan(directory, with_headers, base)
    context = dict(with_headers=with_headers, base=base, settings=settings, tools=TOOLS)
    for kind in KINDS:
        kind.export_plan(plan, state, context)
    if base is not None:
        base.mark_gone(plan, state, scope)
    return plan


def _owner_in_scope(scope, owner, names):
    kind, _sep, name = owner.partition("/")
    return scope.covers(kind, name, names)


def apply_plan(plan, scope, names, check_mode=False, diff=False, extra=None):
    """Make the folder hold the plan: write what differs, remove the manifest's files whose object is
    gone, then the manifest. ``extra``: more ``{relative path: text}`` no manifest lists (org.yml).

    Returns ``{written, removed, diff}``; nothing is touched in check mode.
    """
    directory = plan.directory
    manifest = ef.read_manifest(directory)
    written, removed, diffs, chmods, listed = [], [], [], [], {}
    for relative, owner in sorted(manifest.items()):
        if relative in plan.entries:
            continue
        path = os.path.join(directory, relative)
        if not os.path.lexists(path):
            continue
        if not _owner_in_scope(scope, owner, names):
            listed[relative] = owner
            continue
        text = ef.read_text(path, 1 << 30) if ew.is_own_file(directory, relative) else None
        if not ew.still_defines(relative, owner, text):
            plan.warnings.append("%s: the manifest lists it for %s, which the org no longer has, but it is no "
                                 "longer a file of the export (a link, or it defines something else): left alone"
                                 % (relative, owner.replace("/", " ", 1)[:100]))
            continue
        removed.append(relative)
        if diff:
            diffs.append(ef.diff_entry(relative, text, None))
    writes = dict(extra or {})
    for relative, entry in sorted(plan.entries.items()):
        listed[relative] = entry["owner"]
        path = os.path.join(directory, relative)
        if entry["keep"]:
            mode = ef.file_mode(relative, ef.read_text(path, ef.DEFINITION_LIMIT))
            if ef.current_mode(path) != mode:
                chmods.append((relative, mode))
            continue
        writes[relative] = entry["text"]
    writes[ef.MANIFEST] = ef.manifest_text(listed)
    blocked = [os.path.join(directory, relative) for relative in sorted(writes)
               if os.path.lexists(os.path.join(directory, relative)) and not ew.is_own_file(directory, relative)]
    if blocked:  # before the first write: an export is written whole or not at all
        raise ef.ExportError("%s: not a regular file (a symbolic link, a folder, a pipe): the export never replaces "
                             "or follows one. Remove %s, or export to another folder" % (
                                 ", ".join(blocked[:10]), "them" if len(blocked) > 1 else "it"))
    steps = []  # (what, relative, text or None, mode), done in this order once everything is known
    for relative, text in sorted(writes.items()):
        path = os.path.join(directory, relative)
        before = ef.read_text(path, 1 << 30) if os.path.lexists(path) else None
        mode = ef.file_mode(relative, text)
        if before == text and ef.current_mode(path) == mode:
            continue
        written.append(relative)
        if diff and relative != ef.MANIFEST:
            diffs.append(ef.diff_entry(relative, before, text))
        steps.append(("write", relative, text, mode))
    written += [relative for relative, _mode in chmods]
    steps += [("mode", relative, None, mode) for relative, mode in chmods]
    steps += [("remove", relative, None, None) for relative in removed]
    if not check_mode:
        ew.carry_out(directory, steps)
    return dict(written=sorted(written), removed=removed, diff=diffs)


def destination_settings(directory, base):
    """The destination's org.yml (``{}`` when it has none); refuses folders an export would damage."""
    path = os.path.join(directory, "org.yml")
    if not os.path.lexists(path):
        return {}
    settings = ef.safe_yaml(ef.read_text(path, ef.DEFINITION_LIMIT))
    if not isinstance(settings, dict):
        raise ef.ExportError("%s is not a readable YAML mapping (no alias, at most 1 MiB), so the export cannot tell "
                             "how the folder is set up. Fix the file, or export to another folder" % path)
    if settings.get("templated"):
        raise ef.ExportError("%s says templated: true: an export writes literal values and would replace the "
                             "templates. Export to another folder and compare" % path)
    named = settings.get("base")
    if named and not base:
        raise ef.ExportError("%s names base %s: the folder is an overlay, and a full export into it would not merge "
                             "to the org. Give base: (the same folder), or export to another folder"
                             % (path, str(named)[:80]))
    if named and base and os.path.realpath(os.path.join(directory, str(named))) != os.path.realpath(base):
        raise ef.ExportError("%s names base %s, the task gives base %s: give the same folder, or export to another "
                             "folder" % (path, str(named)[:80], base))
    return settings


def settings_files(directory, settings, base, plan):
    """``{"org.yml": text}`` when the destination's org.yml changes: the base it overlays, and what each kind adds
    to it (``Kind.export_settings_text``: a record set's key and ``purge: true``, say)."""
    path = os.path.join(directory, "org.yml")
    current = ef.read_text(path, ef.DEFINITION_LIMIT) if os.path.lexists(path) else None
    text = base.settings_files(directory, settings).get("org.yml", current) if base else current
    for kind in KINDS:
        text = kind.export_settings_text(text, plan, base.settings if base else {}, settings, ef.safe_yaml)
    return {"org.yml": text} if text is not None and text != current else {}


def export_org(client, params, check_mode=False, diff=False):
    """Export the org behind ``client`` as ``params`` (``EXPORT_ARGUMENTS``) ask; the task result (file
    names and counts, no value; ``diff`` entries with header values and secrets masked)."""
    directory = os.path.abspath(os.path.expanduser(params["dest"]))
    with_headers = params["headers"]
    try:
        include, problems = filter_option("include", params.get("include"))
        exclude, more = filter_option("exclude", params.get("exclude"))
        if problems + more:
            raise ef.ExportError("; ".join(problems + more))
        scope = Scope(include, exclude, **dict((kind.name, kind.export_option_value(params.get(
            kind.name, kind.export_option.get("default")))) for kind in KINDS if kind.export_option))
        problems = ew.folder_problems(directory)
        if problems:
            raise ef.ExportError("; ".join(problems))
        base = None
        if params.get("base"):
            base = load_base(os.path.join(directory, os.path.expanduser(params["base"])), directory)
        settings = destination_settings(directory, base.directory if base else None)
        state = read_org(client, scope)
        problems = [problem for kind in KINDS for problem in kind.export_option_problems(scope, state)]
        if problems:
            raise ef.ExportError("; ".join(problems))
        plan = plan_export(state, directory, settings, with_headers, base, scope)
        if plan.problems:
            raise ef.ExportError("; ".join(plan.problems))
        extra = settings_files(directory, settings, base, plan)
        outcome = apply_plan(plan, scope, state["names"], check_mode, diff, extra)
    except ew.PartialExport as exc:
        return dict(failed=True, changed=True, msg="the export was written in part: %s" % exc,
                    written=[relative for what, relative in exc.done if what != "removed"],
                    removed=[relative for what, relative in exc.done if what == "removed"])
    except (ValueError, ef.ExportError) as exc:
        return dict(failed=True, changed=False, msg="the export was not written: %s" % exc)
    counts = dict((kind.name, kind.export_count(state.get(kind.name) or ({} if kind.named_by_stem else [])))
                  for kind in KINDS)
    result = dict(changed=bool(outcome["written"] or outcome["removed"]), dest=directory, counts=counts,
                  files=sorted(plan.entries), written=outcome["written"], removed=outcome["removed"],
                  dependencies=state["pulled_in"])
    warnings = state["warnings"] + plan.warnings
    if warnings:
        result["warnings"] = warnings
    if diff:
        result["diff"] = outcome["diff"]
    return result
