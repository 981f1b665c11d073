# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API paths, written once (contract sections 4 and 5); names in paths are URL-escaped.

Nothing is imported here, so any module (the records planner, the records helper process) can use
the paths without loading what the schema code needs (jsonschema).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import quote

SCHEMAS_PATH = "/api/v2/data/flex/schemas"


def schema_path(schema_id):
    return "%s/%s" % (SCHEMAS_PATH, quote(schema_id, safe=""))


def records_path(schema_name):
    """The records collection of a schema (its exact name: record paths are case-sensitive)."""
    return "/api/v2/customobjects/%s/records" % quote(schema_name, safe="")


def record_path(schema_name, record_id):
    return "%s/%s" % (records_path(schema_name), quote(record_id, safe=""))
