# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record files of an org directory: how a file becomes a record set, ``org.yml``'s ``records:`` settings,
and a set's records checked against the schema they target."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os

from ansible_collections.genesys.cloud.plugins.module_utils import records_check as rec
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import desired_field
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import did_you_mean, shorten

# the options ``org.yml`` may set for the records of one schema
RECORD_SETTINGS = ("key", "purge", "state", "conflict_resolution", "batch_size", "concurrency", "max_problems")


def settings_problems(path, records):
    """Problems of the ``records:`` mapping of one ``org.yml`` (schema name -> its record settings)."""
    records = records or {}
    if not isinstance(records, dict):
        return ["%s: records: must map schema names to {key, purge}" % path]
    problems = []
    for schema, options in records.items():
        if not isinstance(options, dict):
            problems.append("%s: records.%s: must be a mapping (key, purge)" % (path, shorten(schema)))
            continue
        problems += ["%s: records.%s: unknown key %s%s" % (path, shorten(schema), shorten(key),
                                                           did_you_mean(key, RECORD_SETTINGS))
                     for key in options if key not in RECORD_SETTINGS]
    return problems


def non_finite_problems(path, records):
    """Numbers the server would refuse (``.inf``, ``.nan`` in YAML), by record."""
    problems = []
    for index, record in enumerate(records):
        if isinstance(record, dict):
            for field, value in record.items():
                if isinstance(value, float) and not math.isfinite(value):
                    problems.append("%s: records[%d].%s: %s is not a finite number; the API accepts only finite "
                                    "numbers" % (path, index, shorten(field), value))
    return problems


def file_data(path, data, stem):
    """``(data, problems)`` of a parsed YAML records file: a list of records or ``{key?, purge?, state?, records}``."""
    data = dict(data) if isinstance(data, dict) else {"records": data}
    if "src" in data:
        return None, ["%s: src: not allowed in a records file (it could read files outside the org directory); "
                      "put the records in this file or in records/%s.csv|json|jsonl" % (path, stem)]
    if not isinstance(data.get("records"), list):
        return None, ["%s: must hold a list of records" % path]
    problems = non_finite_problems(path, data["records"])
    data["schema"] = stem
    return data, problems


def name_problems(directory, loaded, record_settings, schemas_key):
    """A records file or ``org.yml`` records entry whose name matches a schema only when case is ignored."""
    schemas = dict((item.name.lower(), item.name) for item in loaded[schemas_key])
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
                            "exactly)" % (os.path.join(directory, "org.yml"), shorten(schema), exact))
    return problems


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
        return [shorten("%s: %s" % (params["src"] or where, problem), 600) for problem in found] + more
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
    return [shorten("%s: %s" % (where, problem) if not problem.startswith(where) else problem, 600)
            for problem in problems]
