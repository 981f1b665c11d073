# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``org.yml`` an export writes: each exported record set's ``key`` and ``purge: true``.

With them the exported directory is the whole truth about the record sets it holds: a line removed
from a records file is a record the next run deletes (``purge``), and records are matched by a field
of their own rather than by server-made ids, so the directory also applies to another org.

The key is what ``org.yml`` (or the base's) already says; else ``id`` where a records file of the
set is already there (what that file has meant so far); else a unique field of the schema that every
exported record has, with a value of its own, the required one first (then the first in field
order); else ``id``.
Options ``org.yml`` already sets are kept (``purge: false`` included: it is a choice); only missing
ones are added, as text inserted into the file so its comments and layout survive. A file whose
``records:`` cannot be extended that way (flow style, an entry lacking an option) is rewritten.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    import yaml
except ImportError:  # pragma: no cover - only the controller writes YAML (export, overlays); modules never do
    yaml = None


HEADER = ("---\n# Org-level settings, written by genesys.cloud.org_export. records: each record set's key (the\n"
          "# field a record is matched by) and purge: true (a record no file lists is deleted).\n")
_RECORDS_LINE = re.compile(r"^records:[ \t]*(#.*)?$", re.M)


def configured(settings, schema_name):
    """The ``records.<schema>`` options an org.yml mapping sets (``{}`` when none)."""
    records = settings.get("records") if isinstance(settings, dict) else None
    options = records.get(schema_name) if isinstance(records, dict) else None
    return dict(options) if isinstance(options, dict) else {}


def choose_key(schema, records):
    """A unique field of ``schema`` that every one of ``records`` has (the required one first), else ``id``."""
    fields = [field for field in schema.get("fields") or [] if field.get("unique")]
    fields.sort(key=lambda field: not field.get("required"))
    for field in fields:
        name = field["name"]
        values = [record.get(name) for record in records]
        if all(value is not None and value != "" for value in values) and len(set(map(repr, values))) == len(values):
            return name
    return "id"


def wanted(keys, *settings):
    """``{schema: options to add}``: ``key`` and ``purge: true`` where none of ``settings`` sets them."""
    missing = {}
    for name, key in sorted(keys.items()):
        known = {}
        for layer in settings:
            known.update(configured(layer, name))
        add = dict((option, value) for option, value in (("key", key), ("purge", True)) if option not in known)
        if add:
            missing[name] = add
    return missing


def _dump(document):
    return yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True, width=1000)


def _expected(current, additions):
    records = dict(current.get("records") or {})
    for name, options in additions.items():
        records[name] = dict(records.get(name) or {}, **options)
    return dict(current, records=records)


def settings_text(text, additions, parse):
    """The text of ``org.yml`` (``text``: the current one, or None) with ``additions`` (from :func:`wanted`);
    None when nothing is to be added."""
    if not additions:
        return None
    if text is None:
        return HEADER + _dump({"records": additions})
    current = parse(text)
    current = current if isinstance(current, dict) else {}
    expected = _expected(current, additions)
    candidate = _inserted(text, current, additions)
    if candidate is not None and parse(candidate) == expected:
        return candidate
    return "---\n" + _dump(expected)


def _indent(line):
    return line[:len(line) - len(line.lstrip(" "))]


def _content(line):
    return line.strip() and not line.lstrip().startswith("#")


def _inserted(text, current, additions):
    """``text`` with the additions as text of its own (comments survive), or None where that cannot be done."""
    text = text if text.endswith("\n") or not text else text + "\n"
    records = current.get("records")
    if "records" not in current:
        return text + _dump({"records": additions})
    found = _RECORDS_LINE.search(text)
    if not isinstance(records, dict) or not records or found is None:
        return None
    lines = text[found.end() + 1:].splitlines(True)
    block = []  # (index, line) of the records mapping's lines
    for index, line in enumerate(lines):
        if _content(line) and not _indent(line):
            break
        block.append((index, line))
    contents = [(index, line) for index, line in block if _content(line)]
    if not contents or not _indent(contents[0][1]):
        return None
    entry_indent = _indent(contents[0][1])
    inserts = {}  # line index -> text to put before it
    new = dict((name, options) for name, options in additions.items() if name not in records)
    if new:
        inserts[0] = "".join(entry_indent + line + "\n" for line in _dump(new).splitlines())
    for name, options in additions.items():
        if name in new:
            continue
        if records[name] is not None and not isinstance(records[name], dict):
            return None
        entry = re.compile(r"^%s%s:[ \t]*(#.*)?\n?$" % (entry_indent, re.escape(name)))
        at = next((position for position, (_index, line) in enumerate(contents) if entry.match(line)), None)
        if at is None:
            return None
        children = []
        for index, line in contents[at + 1:]:
            if len(_indent(line)) <= len(entry_indent):
                break
            children.append((index, line))
        child = _indent(children[0][1]) if children else entry_indent + "  "
        # right after the entry's last option: the new options follow the ones already there
        before = (children[-1][0] if children else contents[at][0]) + 1
        inserts[before] = inserts.get(before, "") + "".join(child + line + "\n" for line in _dump(options).splitlines())
    out = [inserts.get(index, "") + line for index, line in enumerate(lines)]
    tail = inserts.get(len(lines), "")
    return text[:found.end() + 1] + "".join(out) + tail
