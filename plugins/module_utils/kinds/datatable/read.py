# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading data tables, and their shape as the modules take and return it.

One read serves any number of tables: :func:`read_tables` lists every table of the org with its schema
(``expand=schema``, 100 a page), and :func:`find_table` picks one by name as the service compares names
(case-insensitively).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError, InputError

DATATABLES_PATH = "/api/v2/flows/datatables"
PAGE_SIZE = 100
DRAFT_04 = "http://json-schema.org/draft-04/schema#"
FILL = {"string": "", "integer": 0, "number": 0, "boolean": False}


def table_path(table_id):
    return "%s/%s" % (DATATABLES_PATH, table_id)


def read_tables(client):
    """Every data table of the org, each with its ``schema`` and ``description``.

    A table listed without its schema (``expand`` ignored) would plan every property as new: refused.
    """
    tables = list(client.paginate(DATATABLES_PATH, params={"expand": "schema"}, page_size=PAGE_SIZE))
    for table in tables:
        if not isinstance(table.get("schema"), dict) or not isinstance(table["schema"].get("properties"), dict):
            raise GenesysCloudError("the service listed data table %s without its schema although expand=schema was "
                                    "asked for; nothing was planned" % str(table.get("name"))[:256],
                                    method="GET", path=DATATABLES_PATH)
    return tables


def find_table(tables, name):
    """The table named ``name`` (case-insensitive), or None; two matches are an error naming both ids."""
    found = [table for table in tables if str(table.get("name", "")).lower() == name.lower()]
    if len(found) > 1:
        raise InputError(["name: %d data tables are named %s (ids %s); rename all but one"
                          % (len(found), name, ", ".join(t["id"] for t in found))])
    return found[0] if found else None


def properties_in_order(schema):
    """``(name, definition)`` of every property but ``key``, in display order."""
    props = (schema or {}).get("properties") or {}
    ordered = sorted(((p.get("displayOrder", 0), position, name) for position, (name, p) in enumerate(props.items())
                      if name != "key"))
    return [(name, props[name]) for _order, _position, name in ordered]


def fill_value(prop):
    """What the service stores for a property a row leaves out: its default, else "", 0 or false."""
    return prop["default"] if "default" in prop else FILL.get(prop.get("type"), "")


def property_view(name, prop):
    return dict(name=name, type=prop.get("type"), title=prop.get("title"), default=prop.get("default"),
                max_length=prop.get("maxLength"))


def user_view(table):
    """A stored (or planned) table in the shape the module takes, plus its id; {} for no table."""
    if not table:
        return {}
    schema = table.get("schema") or {}
    key = (schema.get("properties") or {}).get("key") or {}
    return dict(id=table.get("id"), name=table.get("name"), description=table.get("description") or "",
                key_title=key.get("title"),
                properties=[property_view(name, prop) for name, prop in properties_in_order(schema)])
