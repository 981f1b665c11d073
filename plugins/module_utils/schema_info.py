# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``flex_schema_info`` task: its arguments and its run (every schema read once, in the modules' shape)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR, SCHEMAS_PATH, Catalog, user_schema)
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments


def run(module, client, trail):
    if not HAS_JSONSCHEMA:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=str(JSONSCHEMA_IMPORT_ERROR))
    name = module.params["name"]
    # Every schema is read, also for one name: relationship targets are shown by their names.
    stored = list(client.paginate(SCHEMAS_PATH, page_size=100))
    catalog = Catalog(stored)
    found = [schema for schema in stored if name is None or schema["name"].lower() == name.lower()]
    return dict(
        changed=False,
        schemas=[user_schema(schema, catalog) for schema in found],
        metadata=[dict(name=schema["name"], id=schema["id"], version=schema.get("version"),
                       date_created=schema.get("dateCreated"), date_modified=schema.get("dateModified"))
                  for schema in found])


ARGUMENTS = module_arguments(dict(name=dict(type="str")))
