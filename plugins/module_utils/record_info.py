# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``custom_object_record_info`` task: its arguments and its run, over the one records query (record_query.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import SCHEMAS_PATH
from ansible_collections.genesys.cloud.plugins.module_utils.record_query import comparable, find_schema, read_records
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

ARGUMENTS = module_arguments(
    dict(
        schema=dict(type="str", required=True),
        ids=dict(type="list", elements="str"),
        field=dict(type="str"),
        values=dict(type="list", elements="raw"),
        include_records=dict(type="bool", default=True),
    ),
    mutually_exclusive=[("ids", "field")],
    required_together=[("field", "values")],
)


def schema_references(client, schema):
    """The names of the other schemas that ``schema``'s relationship fields point at."""
    names = []
    for field in schema["fields"]:
        target = (field.get("relationship") or {}).get("schemaId")
        if target and target != schema["id"]:
            name = client.get("%s/%s" % (SCHEMAS_PATH, target)).data["name"]
            if name not in names:
                names.append(name)
    return names


def run(module, client, trail):
    params = module.params
    schema = find_schema(client, params["schema"])
    fields = dict((field["name"], field) for field in schema["fields"])
    result = dict(changed=False, references=schema_references(client, schema), records=[], missing=[], count=0)
    if params["field"] and not fields.get(params["field"], {}).get("unique"):
        raise InputError(["field: %s is not a unique field of %s" % (params["field"], params["schema"])])
    if not params["include_records"]:
        return result
    key, asked = ("id", params["ids"]) if params["ids"] is not None else (params["field"] or "id", params["values"])
    result["records"] = read_records(client, schema, key, asked)
    if asked is not None:
        found = set(comparable(fields, key, record.get(key)) for record in result["records"])
        result["missing"] = [value for value in asked if comparable(fields, key, value) not in found]
    result["count"] = len(result["records"])
    return result
