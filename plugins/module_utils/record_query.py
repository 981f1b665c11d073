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

from urllib.parse import quote

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import SCHEMAS_PATH
from ansible_collections.genesys.cloud.plugins.module_utils.paging import RECORD_PAGE_SIZE, SCHEMA_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.records import normalise

# Up to this many ids are read one GET each; more are found by paging through the records.
SINGLE_READ_LIMIT = 25


def records_path(schema_name):
    """The records collection of a schema (its exact name, URL-escaped)."""
    return "/api/v2/customobjects/%s/records" % quote(schema_name, safe="")


def record_path(schema_name, record_id):
    return "%s/%s" % (records_path(schema_name), quote(record_id, safe=""))


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
    return problems


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
