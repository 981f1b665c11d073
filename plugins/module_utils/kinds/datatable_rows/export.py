# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A table's rows exported: ``datatable_rows/<table>.jsonl`` (or the file of any rows format already there, in
its format), left alone when it holds the same rows as the service fills them; ``org.yml`` gains
``datatable_rows: {<table>: {purge: true}}`` where neither it nor the base's says ``purge``.

The file access is the export's (``tools``: no link followed, sizes capped); the rendering and reading back
are the records export's (a row is a record whose key field is ``key``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.source import fill_row
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import ExportError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records.export import read_records, render_records

HEADER = "---\n# Org-level settings, written by genesys.cloud.org_export.\n"


def api_properties(view):
    """A table as ``datatable_info`` returns it -> its properties as the rows logic takes them (API shape)."""
    props = {"key": {"type": "string"}}
    for prop in view.get("properties") or []:
        props[prop["name"]] = dict((key, value) for key, value in (("type", prop.get("type") or "string"),
                                                                   ("default", prop.get("default"))) if value is not None)
    return props


def _filled(props, rows):
    return dict((row["key"], fill_row(props, row)) for row in rows if isinstance(row, dict) and "key" in row)


def plan_rows_files(plan, state, context, kind_name, tables_name):
    """Add every exported table's rows to ``plan`` (an export plan), each into the file that already holds them."""
    tools, base = context["tools"], context["base"]
    bases = (base.items if base is not None else {}).get(kind_name) or {}
    views = dict((view["name"], view) for view in state.get(tables_name) or [])
    for name, rows in sorted((state.get(kind_name) or {}).items()):
        if not rows:
            continue
        props = api_properties(views[name])
        types = dict((prop, "number" if spec["type"] in ("integer", "number") else spec["type"])
                     for prop, spec in props.items())
        wanted = _filled(props, rows)
        base_item = bases.get(name.lower())
        if base_item is not None and base_item.data.get("src"):
            held = read_records(tools.files, base_item.data["src"], types)
            if held is not None and _filled(props, held) == wanted:
                continue
        default = tools.names.stem_file(kind_name, name)
        if default is None and base_item is None:
            plan.warnings.append("the rows of data table %s are not exported: the loader reads no rows file of that "
                                 "name; rename the table to export its rows" % tools.names.shown(name))
            continue
        relative = plan.target(kind_name, name, default, base_item)
        path = os.path.join(plan.directory, relative)
        if os.path.isfile(path):
            held = read_records(tools.files, path, types)
            if held is not None and _filled(props, held) == wanted:
                plan.add(relative, kind_name, name, None, keep=True)
                continue
        suffix = os.path.splitext(relative)[1].lower()
        try:
            plan.add(relative, kind_name, name, render_records(
                list(rows), suffix, "key", header=tools.files.csv_header(path) if suffix == ".csv" else None))
        except ExportError as exc:
            plan.problems.append("the rows of data table %s, %s" % (name, exc))


def wanted_settings(names, *layers):
    """``{table: {purge: true}}`` for the exported tables none of ``layers`` (org.yml mappings) says purge for."""
    missing = {}
    for name in sorted(names):
        known = {}
        for layer in layers:
            section = layer.get("datatable_rows") if isinstance(layer, dict) else None
            known.update((section or {}).get(name) or {} if isinstance(section, dict) else {})
        if "purge" not in known:
            missing[name] = {"purge": True}
    return missing


def settings_text(text, additions, parse, dump):
    """``org.yml``'s text with ``datatable_rows`` additions: appended when it has no such section, else rewritten."""
    if not additions:
        return text
    if text is None:
        return HEADER + dump({"datatable_rows": additions})
    current = parse(text)
    current = current if isinstance(current, dict) else {}
    if "datatable_rows" not in current:
        return (text if text.endswith("\n") or not text else text + "\n") + dump({"datatable_rows": additions})
    section = dict(current.get("datatable_rows") or {})
    for name, options in additions.items():
        section[name] = dict(section.get(name) or {}, **options)
    return "---\n" + dump(dict(current, datatable_rows=section))
