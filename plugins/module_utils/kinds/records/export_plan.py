# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records of an export: each exported schema's records into the records file that already holds them,
in that file's format, matched by the key ``org.yml`` (or the base's) sets, else a key of their own.

The export's file access (no link followed, sizes capped) is the controller's: ``tools`` carries it
(``files``: plugin_utils/org_export_files.py, ``names``: org_export_names.py), so this module imports nothing of plugin_utils.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import ExportError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import export_settings
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records.export import read_records, records_meaning, render_records


def record_key(settings, schema_name):
    """The key a directory's org.yml sets for a schema's records (None when none)."""
    key = export_settings.configured(settings, schema_name).get("key")
    return key if isinstance(key, str) and key else None


def plan_records(plan, state, context, kind_name, schemas_name):
    """Add every exported record set of ``state`` to ``plan`` (an export plan)."""
    tools, settings, base = context["tools"], context["settings"], context["base"]
    bases = base.items if base is not None else {}
    schemas = dict((schema["name"], schema) for schema in state[schemas_name])
    for name, records in sorted(state[kind_name].items()):
        base_item = bases.get(kind_name, {}).get(name.lower())
        key = record_key(settings, name)
        if key is None and base_item is not None:
            key = base_item.data.get("key")
        if key is None and base is not None:
            key = record_key(base.settings, name)
        if key is None and (base_item is not None or name.lower() in plan.found[kind_name]):
            key = "id"  # a records file already there, with no key set, has meant "by id" so far: it still does
        key = key or export_settings.choose_key(schemas[name], records)
        if records:  # records the base holds and the org no longer has: base.mark_gone
            try:
                _add_records(plan, tools, kind_name, schemas[name], records, key, base_item)
            except ExportError as exc:
                plan.problems.append("the records of schema %s, %s" % (name, exc))


def _add_records(plan, tools, kind_name, schema, records, key, base_item=None):
    """A schema's records: into the records file that already holds them, in that file's format."""
    name = schema["name"]
    if base_item is None and tools.names.stem_file(kind_name, name) is None:
        plan.warnings.append("the records of schema %s are not exported: the org directory loader reads no "
                             "records file of that name (it skips README files); rename the schema to export "
                             "its records" % tools.names.shown(name))
        return
    plan.keys[name] = key
    types = dict((field["name"], field["type"]) for field in schema.get("fields") or [])
    ours = []  # the records' meaning, computed once and only when a file's text differs from ours
    if base_item is not None:
        if base_item.data.get("src"):
            if same_records(tools, base_item.data["src"], records, types, key, ours):
                return
        elif records_meaning(base_item.data.get("records"), types, key) == meaning_of(ours, records, types, key):
            return
    relative = plan.target(kind_name, name, tools.names.stem_file(kind_name, name), base_item)
    path = os.path.join(plan.directory, relative)
    if os.path.isfile(path) and same_records(tools, path, records, types, key, ours):
        return plan.add(relative, kind_name, name, None, keep=True)
    plan.add(relative, kind_name, name, records_text(tools, path, records, key))


def meaning_of(cache, records, types, key):
    if not cache:
        cache.append(records_meaning(records, types, key))
    return cache[0]


def records_text(tools, path, records, key):
    """``records`` as the text of the records file at ``path`` (its format, its options or column order)."""
    files = tools.files
    suffix = os.path.splitext(path)[1].lower()
    previous = files.safe_yaml(files.read_text(path, files.READ_BACK_LIMIT)) if suffix in files.YAML_SUFFIXES else None
    header = files.csv_header(path) if suffix == ".csv" else None
    try:
        return render_records(records, suffix, key, previous, header)
    except ExportError as exc:
        raise ExportError("records/%s: %s" % (os.path.basename(path), exc))


def same_records(tools, path, records, types, key, cache):
    """Whether the records file at ``path`` holds ``records``: the same text (quick), or the same meaning."""
    if tools.files.read_text(path, 1 << 30) == records_text(tools, path, records, key):
        return True
    return records_meaning(read_records(tools.files, path, types), types, key) == meaning_of(cache, records, types, key)
