# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one run reads for every workitem schema it plans: the list (one request, deleted schemas included) and
the org's limits (one request; the documented ones when the endpoint does not answer)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.shape import SCHEMAS_PATH

#: REAL_API.md §9: 100 schemas an org, 50 fields a schema.
DEFAULT_LIMITS = dict(max_schemas=100, max_fields=50)


class SchemaRead:
    """Every stored schema (``schemas``: live ones; ``deleted``: soft-deleted ones) and the ``limits``."""

    def __init__(self, entities, limits=None):
        self.schemas = [s for s in entities if not s.get("deleted")]
        self.deleted = [s for s in entities if s.get("deleted")]
        self.limits = dict(DEFAULT_LIMITS, **(limits or {}))


def read_limits(client):
    body = client.get_or_none(SCHEMAS_PATH + "/limits") or {}
    limits = {}
    for key, api_key in (("max_schemas", "maxNumberOfSchemasPerOrg"), ("max_fields", "maxNumberOfFieldsPerSchema")):
        if isinstance(body.get(api_key), int) and not isinstance(body.get(api_key), bool):
            limits[key] = body[api_key]
    return limits


def read_workitem_schemas(client, limits=True):
    """One read for any number of schemas: ``GET .../schemas`` answers every schema in one list."""
    entities = client.get(SCHEMAS_PATH).data.get("entities") or []
    return SchemaRead(entities, read_limits(client) if limits else None)
