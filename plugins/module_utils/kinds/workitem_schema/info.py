# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``genesys.cloud.workitem_schema_info`` task: the schemas in the module's shape (one request)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema import shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.options import (
    INFO_ARGUMENTS as ARGUMENTS,
)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.read import read_workitem_schemas

__all__ = ("ARGUMENTS", "run")


def run(module, client, trail):
    wanted = module.params["name"]
    read = read_workitem_schemas(client, limits=False)
    stored = read.schemas + (read.deleted if module.params["include_deleted"] else [])
    if wanted is not None:
        names = set(name.lower() for name in wanted)
        stored = [s for s in stored if (s.get("name") or "").lower() in names]
    listed = [dict(shape.to_user(s), deleted=bool(s.get("deleted"))) for s in stored]
    found = set(s["name"].lower() for s in listed if not s["deleted"])
    return dict(changed=False, workitem_schemas=listed,
                missing=[name for name in (wanted or []) if name.lower() not in found])
