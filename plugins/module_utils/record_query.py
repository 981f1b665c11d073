# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding a schema by name, the records path, and reading the records that match keys and filters.

One case rule for schema names: the service keeps names unique case-insensitively and its
``name=`` filter ignores case, but a records path takes the exact, case-sensitive name. So a schema
is looked up ignoring case, and records of it are addressed only under its exact name: a records
task (or lookup, or file) that spells the name in another case is refused with both spellings.

Values are compared the way the records module compares them (numbers by value, dates by the
instant they name), so ``{"amount": 1}`` finds a record holding ``1.0``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.genesys.cloud.plugins.module_utils.api_paths import (  # noqa: F401 pylint: disable=unused-import
    SCHEMAS_PATH, record_path, records_path)
from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.paging import RECORD_PAGE_SIZE, SCHEMA_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.records import normalise

# The contract's record ids (API.md, records): anything else is refused before a request.
RECORD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Up to this many ids are read one GET each; more are found by paging through the records.
SINGLE_READ_LIMIT = 25


# What a value given for a field of each type must be (None always is fine in a filter: it matches absent).
EXPECTED = {
    "number": ("a number", lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)),
    "boolean": ("true or false", lambda value: isinstance(value, bool)),
    "date": ("a date (YYYY-MM-DD) or an RFC 3339 date-time string",
             lambda value: isinstance(value, str) and normalise("date", value) != value),
}
TEXT = ("a string", lambda value: isinstance(value, str))


def _type_problem(option, name, ftype, value):
    what, check = EXPECTED.get(ftype, TEXT)
    if value is None or check(value):
        return None
    shown = repr(value)
    return "%s: %s is a %s field and takes %s, got %s %s" % (
        option, name, ftype, what, type(value).__name__, shown if len(shown) <= 40 else shown[:40] + "...")


def find_schema(client, name, required=True, exact=True):
    """The stored schema named ``name``, compared ignoring case as the service does.

    With ``exact`` (records), a schema whose name differs in case is refused naming both; without
    it (managing the schema itself) it is returned. None when there is none and not ``required``.
    """
    for schema in client.paginate(SCHEMAS_PATH, {"name": name}, page_size=SCHEMA_PAGE_SIZE):
        if schema["name"].lower() != name.lower():
            continue
        if exact and schema["name"] != name:
            raise InputError(["schema: %s is not the name of a flex schema; its name is %s (records are addressed "
                              "by the exact, case-sensitive name: write %s)" % (name, schema["name"], schema["name"])])
        return schema
    if not required:
        return None
    raise InputError(["schema: no flex schema is named %s" % name])


def query_problems(schema, key, values, where):
    """What is wrong with a query against ``schema`` (the stored schema), every problem at once."""
    fields = dict((field["name"], field) for field in schema["fields"])
    problems = []
    if values is not None and key != "id" and not fields.get(key, {}).get("unique"):
        problems.append("key: %s is neither id nor a unique field of %s (unique fields: %s)" % (
            key, schema["name"], ", ".join(sorted(n for n, f in fields.items() if f.get("unique"))) or "none"))
    for name in sorted(where or {}):
        if name != "id" and name not in fields:
            problems.append("filter: %s is not a field of %s (fields: %s)" % (
                name, schema["name"], ", ".join(sorted(fields))))
            continue
        problems.append(_type_problem("filter", name, fields.get(name, {}).get("type", "string"), where[name]))
    if values is not None and (key == "id" or key in fields):
        key_type = fields.get(key, {}).get("type", "string")
        seen = set()
        for value in values:
            problem = _type_problem("values", key, key_type, value) if value is not None else (
                "values: %s values cannot be null" % key)
            if not problem and key == "id" and not RECORD_ID.match(value):
                shown = value if len(value) <= 40 else value[:40] + "..."
                problem = "values: %r is not a record id (ids match %s)" % (shown, RECORD_ID.pattern)
            if problem and problem not in seen:
                seen.add(problem)
                problems.append(problem)
    return [problem for problem in problems if problem]


def comparable(fields, name, value):
    return value if name == "id" else normalise(fields[name]["type"], value)


def read_records(client, schema, key="id", values=None, where=None, page_size=RECORD_PAGE_SIZE):
    """The records of ``schema`` whose ``key`` holds one of ``values`` (all when None) and whose
    fields equal every item of ``where``, ordered by id; check :func:`query_problems` first."""
    fields = dict((field["name"], field) for field in schema["fields"])
    wanted = None if values is None else set(comparable(fields, key, value) for value in values)
    conditions = [(name, comparable(fields, name, value)) for name, value in sorted((where or {}).items())]
    if key == "id" and values is not None and len(values) <= SINGLE_READ_LIMIT:
        found = [client.get_or_none(record_path(schema["name"], str(record_id))) for record_id in sorted(wanted)]
        candidates = [record for record in found if record]
    else:
        candidates = client.paginate(records_path(schema["name"]), page_size=page_size)
    matched = []
    for record in candidates:
        if wanted is not None and comparable(fields, key, record.get(key)) not in wanted:
            continue
        if all(comparable(fields, name, record.get(name)) == value for name, value in conditions):
            matched.append(record)
    return matched
