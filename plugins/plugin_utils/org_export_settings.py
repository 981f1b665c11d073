# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``org.yml`` an export writes: each exported record set's ``key`` and ``purge: true``.

With them the exported directory is the whole truth about the record sets it holds: a line removed
from a records file is a record the next run deletes (``purge``), and records are matched by a field
of their own rather than by server-made ids, so the directory also applies to another org.

The key is what ``org.yml`` (or the base's) already says; else a unique field of the schema that
every exported record has, the required one first (then the first in field order); else ``id``.
Options ``org.yml`` already sets are kept (``purge: false`` included: it is a choice); only missing
ones are added, as text inserted into the file so its comments and layout survive. A file whose
``records:`` cannot be extended that way (flow style, an entry lacking an option) is rewritten.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import yaml

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef

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


def settings_text(text, additions):
    """The text of ``org.yml`` (``text``: the current one, or None) with ``additions`` (from :func:`wanted`);
    None when nothing is to be added."""
    if not additions:
        return None
    if text is None:
        return HEADER + _dump({"records": additions})
    current = ef.safe_yaml(text)
    current = current if isinstance(current, dict) else {}
    expected = _expected(current, additions)
    candidate = _inserted(text, current, additions)
    if candidate is not None and ef.safe_yaml(candidate) == expected:
        return candidate
    return "---\n" + _dump(expected)


def _inserted(text, current, additions):
    """``text`` with the additions as text of its own (comments survive), or None where that cannot be done."""
    text = text if text.endswith("\n") or not text else text + "\n"
    records = current.get("records")
    if "records" not in current:
        return text + _dump({"records": additions})
    if not isinstance(records, dict) or any(name in records for name in additions):
        return None
    found = _RECORDS_LINE.search(text)
    if found is None:
        return None
    after = found.end() + 1
    indent = None
    for line in text[after:].splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            indent = line[:len(line) - len(line.lstrip(" "))]
            break
    if not indent:
        return None
    lines = _dump(additions).splitlines()
    return text[:after] + "".join(indent + line + "\n" for line in lines) + text[after:]
