# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records exported: the text of a records file in each format the loader reads (.jsonl, .json, .yml/.yaml,
.csv), and what a record set means, comparable (values normalised by field type)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import YAML_SUFFIXES, shorten
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import (
    ExportError, canonical, plain, yaml_text)
from ansible_collections.genesys.cloud.plugins.module_utils.records_read import csv_text_cell, iter_source

SERVER_RECORD_KEYS = ("version", "dateCreated", "dateModified", "selfUri")
CAN_BE_EMPTY = YAML_SUFFIXES + (".json",)  # the formats the loader reads as an empty set (not .csv, .jsonl)


def export_records(records):
    """Records as the JSON-lines text of ``records/<schema>.jsonl``: ordered by id, keys sorted.

    Server bookkeeping is dropped; ids (server-made ones too) are kept so a re-apply matches them.
    """
    cleaned = [dict((key, value) for key, value in record.items() if key not in SERVER_RECORD_KEYS)
               for record in plain(records)]
    cleaned.sort(key=lambda record: str(record.get("id", "")))
    return "".join(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n" for record in cleaned)


def clean_records(records, key):
    """Records without server bookkeeping (and without ids when they are matched by another key), ordered."""
    drop = SERVER_RECORD_KEYS + (() if key == "id" else ("id",))
    cleaned = [dict((name, value) for name, value in record.items() if name not in drop and value is not None)
               for record in records]
    cleaned.sort(key=lambda record: canonical(record.get(key, "")) if not isinstance(record.get(key), str)
                 else record[key])
    return cleaned


def records_meaning(records, types, key):
    """A record set, comparable: values normalised by field type (numbers by value, dates by instant)."""
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        return None
    rows = [canonical(dict((name, rec.normalise(types.get(name), value)) for name, value in record.items()))
            for record in clean_records(records, key)]
    return sorted(rows)


def _csv_cell(value):
    """A value as a CSV cell the records reader gives back exactly: text that starts like a formula gets one
    ``'`` in front (``records_read.csv_text_cell``), numbers and booleans are plain. A NUL, which no CSV
    reader keeps, raises ValueError: such records are exported as .jsonl."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("holds a NUL character, which a CSV file cannot carry")
        return csv_text_cell(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text


def render_records(records, suffix, key, previous=None, header=None):
    """The text of a records file of ``suffix`` (.jsonl, .json, .yml/.yaml, .csv) holding ``records``.

    ``previous``: the YAML document of the file being replaced (its options, such as ``purge``, are
    kept); ``header``: the column order of the CSV file being replaced.
    """
    cleaned = clean_records(records, key)
    if suffix == ".jsonl":
        return "".join(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n" for record in cleaned)
    # The key leads, the other fields follow in name order: stable, and easy to scan.
    sorted_records = [dict(sorted(record.items(), key=lambda item: (item[0] != key, item[0]))) for record in cleaned]
    if suffix == ".json":
        return json.dumps(sorted_records, indent=2, ensure_ascii=False) + "\n"
    if suffix in YAML_SUFFIXES:
        if isinstance(previous, dict) and isinstance(previous.get("records"), list):
            return yaml_text(dict(previous, records=sorted_records))
        return yaml_text(sorted_records)
    columns = [column for column in header or [] if column]
    rest = sorted(set(name for record in cleaned for name in record) - set(columns))
    if "id" in rest:
        rest.remove("id")
        rest.insert(0, "id")
    columns += rest
    lines = [_csv_row(columns)]
    for record in cleaned:
        try:
            lines.append(_csv_row([_csv_cell(record.get(column)) for column in columns]))
        except ValueError as exc:
            field = next(column for column in columns if isinstance(record.get(column), str)
                         and "\x00" in record[column])
            raise ExportError("record %s: field %s %s; keep these records in a .jsonl, .json or .yml file "
                              "(rename the .csv file), which escape it" % (
                                  shorten(str(record.get(key, record.get("id"))), 60), field, exc))
    return "".join(lines)


_CSV_QUOTED = re.compile('[,"\r\n]')


def _csv_row(cells):
    """One CSV line ending in a newline: a cell holding a comma, a quote or a line break (``\\r`` too, which
    ``csv.writer`` leaves bare when lines end in ``\\n``) is quoted, its quotes doubled."""
    if cells == [""]:
        return '""\n'
    return ",".join('"%s"' % cell.replace('"', '""') if _CSV_QUOTED.search(cell) else cell for cell in cells) + "\n"


def read_records(files, path, types, limit=None):
    """The records of a records file as plain dicts; None when they cannot be read (then it is rewritten).

    ``files``: the export's file access (plugin_utils/org_export_files.py: no link followed, sizes capped)."""
    lowered = path.lower()
    if lowered.endswith(YAML_SUFFIXES):
        data = files.safe_yaml(files.read_text(path, limit or files.READ_BACK_LIMIT))
        if isinstance(data, dict):
            if data.get("state", "present") != "present":
                return None
            data = data.get("records")
        return data if isinstance(data, list) else None
    if os.path.islink(path):
        return None
    fields = dict((name, {"type": ftype}) for name, ftype in types.items())
    try:
        return [record for _where, record in iter_source(path, fields)]
    except (IOError, OSError, ValueError, KeyError):
        return None
