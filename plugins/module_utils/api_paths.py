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


def path_segment(value):
    """``value`` as one URL path segment: ``/``, ``?``, ``#``, ``%`` and dots escaped, so that no
    value (``abc?pageSize=1``, ``../..``) can change which resource a request names."""
    return quote(str(value), safe="").replace(".", "%2E")


def schema_path(schema_id):
    return "%s/%s" % (SCHEMAS_PATH, path_segment(schema_id))


def records_path(schema_name):
    """The records collection of a schema (its exact name: record paths are case-sensitive)."""
    return "/api/v2/customobjects/%s/records" % path_segment(schema_name)


def record_path(schema_name, record_id):
    return "%s/%s" % (records_path(schema_name), path_segment(record_id))
