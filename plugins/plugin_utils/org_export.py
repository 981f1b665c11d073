# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export an org as an org-as-code directory: stable ordering and formatting, no server bookkeeping.

Exporting the same state twice gives the same text, which is what lets an export round-trip byte
for byte. The ``genesys.cloud.org_export`` action reads the org with one client (schemas and
webhooks listed once, the records of every exported schema in parallel) and calls :func:`export_org`.
What is exported: :mod:`org_export_scope` (include / exclude / records); what the folder holds and
means: :mod:`org_export_files`; how it is changed (only the export's own regular files, never through
a link): :mod:`org_export_write`; the file name of each object (one the loader reads back as that
object): :mod:`org_export_names`; ``org.yml`` (each record set's key and ``purge: true``):
:mod:`org_export_settings`; an overlay of a base directory: :mod:`org_export_base`. Files that may
hold secrets (webhooks with header values) are written 0600.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from concurrent.futures import ThreadPoolExecutor

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import SCHEMAS_PATH, Catalog, user_schema
from ansible_collections.genesys.cloud.plugins.module_utils.paging import WEBHOOK_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import yaml_text
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema import export as schema_export
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import export as records_export
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.webhook import export as webhook_export
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_names as names
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_settings as es
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_write as ew
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_base import load_base
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_scope import (
    Scope, filter_option, records_option, records_problems, select)

def export_files(state):
    """Every file of a plain export, ``{relative path: text}``, from what the _info modules returned."""
    files = {}
    for schema in state.get("schemas") or []:
        files[names.object_file("schemas", schema["name"])] = schema_export.export_schema(schema)
    for schema_name, records in sorted((state.get("records") or {}).items()):
        relative = names.records_file(schema_name)
        if records and relative:
            files[relative] = records_export.export_records(records)
    for webhook in state.get("webhooks") or []:
        files[names.object_file("webhooks", webhook["name"])] = webhook_export.export_webhook(webhook, state.get("with_headers", True))
    return files


READ_WORKERS = 8
EXPORT_ARGUMENTS = module_arguments(dict(
    dest=dict(type="path", required=True),
    headers=dict(type="bool", default=True),
    include=dict(type="dict"),  # {schemas, webhooks}: checked by org_export_scope.filter_option
    exclude=dict(type="dict"),
    records=dict(type="raw", default=True),
    base=dict(type="path"),
))


def read_org(client, scope):
    """The exported part of the org, in the shapes the _info modules return, read in parallel.

    ``{schemas, webhooks, records, pulled_in, warnings}``: only the records of exported schemas
    that ``records`` selects are read.
    """
    with ThreadPoolExecutor(max_workers=READ_WORKERS) as pool:
        schemas = pool.submit(lambda: list(client.paginate(SCHEMAS_PATH, page_size=100)))
        hooks = pool.submit(lambda: list(client.paginate(wh.WEBHOOKS_PATH, page_size=WEBHOOK_PAGE_SIZE)))
        stored = schemas.result()
        catalog = Catalog(stored)
        exported, webhooks, pulled_in, warnings = select(
            scope, [user_schema(schema, catalog) for schema in stored], [wh.to_user(hook) for hook in hooks.result()])
        names = set(schema["name"].lower() for schema in exported)
        pages = dict((schema["name"], pool.submit(
            lambda name: list(client.paginate("/api/v2/customobjects/%s/records" % name, page_size=500)),
            schema["name"])) for schema in exported if scope.covers_records(schema["name"], names))
        return dict(schemas=exported, webhooks=webhooks, pulled_in=pulled_in, warnings=warnings, names=names,
                    records=dict((name, future.result()) for name, future in pages.items()))


def record_key(settings, schema_name):
    """The key a directory's org.yml sets for a schema's records (None when none)."""
    key = es.configured(settings, schema_name).get("key")
    return key if isinstance(key, str) and key else None


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
        self.reserved = dict(schemas=set(), webhooks=set())  # lower-case plain names of exported objects

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
                other["owner"].replace("/", " ", 1), kind[:-1], names.shown(name), relative))
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

    def records(self, schema, records, key, base_item=None):
        """A schema's records: into the records file that already holds them, in that file's format."""
        name = schema["name"]
        if base_item is None and names.records_file(name) is None:
            self.warnings.append("the records of schema %s are not exported: the org directory loader reads no "
                                 "records file of that name (it skips README files); rename the schema to export "
                                 "its records" % names.shown(name))
            return
        self.keys[name] = key
        types = dict((field["name"], field["type"]) for field in schema.get("fields") or [])
        ours = []  # the records' meaning, computed once and only when a file's text differs from ours
        if base_item is not None:
            if base_item.data.get("src"):
                if same_records(base_item.data["src"], records, types, key, ours):
                    return
            elif records_export.records_meaning(base_item.data.get("records"), types, key) == meaning_of(ours, records, types, key):
                return
        relative = self.target("records", name, names.records_file(name), base_item)
        path = os.path.join(self.directory, relative)
        if os.path.isfile(path) and same_records(path, records, types, key, ours):
            return self.add(relative, "records", name, None, keep=True)
        self.add(relative, "records", name, records_text(path, records, key))


def meaning_of(cache, records, types, key):
    if not cache:
        cache.append(records_export.records_meaning(records, types, key))
    return cache[0]


def records_text(path, records, key):
    """``records`` as the text of the records file at ``path`` (its format, its options or column order)."""
    suffix = os.path.splitext(path)[1].lower()
    previous = ef.safe_yaml(ef.read_text(path, ef.RECORDS_YAML_LIMIT)) if suffix in ef.YAML_SUFFIXES else None
    header = ef.csv_header(path) if suffix == ".csv" else None
    try:
        return records_export.render_records(records, suffix, key, previous, header)
    except ef.ExportError as exc:
        raise ef.ExportError("records/%s: %s" % (os.path.basename(path), exc))


def same_records(path, records, types, key, cache):
    """Whether the records file at ``path`` holds ``records``: the same text (quick), or the same meaning."""
    if ef.read_text(path, 1 << 30) == records_text(path, records, key):
        return True
    return records_export.records_meaning(ef.read_records(path, types), types, key) == meaning_of(cache, records, types, key)


def _stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def plan_export(state, directory, settings, with_headers, base=None, scope=None):
    """The :class:`ExportPlan` of ``state`` (what :func:`read_org` returned) for ``directory``."""
    plan = ExportPlan(directory, with_headers, base)
    plan.reserve("schemas", state["schemas"])
    plan.reserve("webhooks", state["webhooks"])
    bases = base.items if base is not None else dict(schemas={}, webhooks={}, records={})
    for schema in state["schemas"]:
        plan.definition("schemas", schema["name"], schema_export.export_schema(schema), schema_export.schema_meaning, schema_export.SCHEMA_EXPORT_KEYS,
                        bases["schemas"].get(schema["name"].lower()))
    hook_keys = webhook_export.export_keys(with_headers)
    for hook in state["webhooks"]:
        plan.definition("webhooks", hook["name"], webhook_export.export_webhook(hook, with_headers),
                        lambda data, stem: webhook_export.webhook_meaning(data, stem, with_headers), hook_keys,
                        bases["webhooks"].get(hook["name"].lower()))
    schemas = dict((schema["name"], schema) for schema in state["schemas"])
    for name, records in sorted(state["records"].items()):
        base_item = bases["records"].get(name.lower())
        key = record_key(settings, name)
        if key is None and base_item is not None:
            key = base_item.data.get("key")
        if key is None and base is not None:
            key = record_key(base.settings, name)
        if key is None and (base_item is not None or name.lower() in plan.found["records"]):
            key = "id"  # a records file already there, with no key set, has meant "by id" so far: it still does
        key = key or es.choose_key(schemas[name], records)
        if records:  # records the base holds and the org no longer has: base.mark_gone
            try:
                plan.records(schemas[name], records, key, base_item)
            except ef.ExportError as exc:
                plan.problems.append("the records of schema %s, %s" % (name, exc))
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
    """``{"org.yml": text}`` when the destination's org.yml changes: the base it overlays, and each exported
    record set's key and ``purge: true`` where neither it nor the base's says them already."""
    path = os.path.join(directory, "org.yml")
    current = ef.read_text(path, ef.DEFINITION_LIMIT) if os.path.lexists(path) else None
    text = base.settings_files(directory, settings).get("org.yml", current) if base else current
    additions = es.wanted(plan.keys, base.settings if base else {}, settings)
    if additions:
        text = es.settings_text(text, additions)
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
        scope = Scope(include, exclude, records_option(params.get("records", True)))
        problems = ew.folder_problems(directory)
        if problems:
            raise ef.ExportError("; ".join(problems))
        base = None
        if params.get("base"):
            base = load_base(os.path.join(directory, os.path.expanduser(params["base"])), directory)
        settings = destination_settings(directory, base.directory if base else None)
        state = read_org(client, scope)
        problems = records_problems(scope, state["schemas"])
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
    counts = dict(schemas=len(state["schemas"]), webhooks=len(state["webhooks"]),
                  records=sum(len(records) for records in state["records"].values()))
    result = dict(changed=bool(outcome["written"] or outcome["removed"]), dest=directory, counts=counts,
                  files=sorted(plan.entries), written=outcome["written"], removed=outcome["removed"],
                  dependencies=state["pulled_in"])
    warnings = state["warnings"] + plan.warnings
    if warnings:
        result["warnings"] = warnings
    if diff:
        result["diff"] = outcome["diff"]
    return result
