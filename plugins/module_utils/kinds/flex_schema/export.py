# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A flex schema exported: the text of ``schemas/<name>.yml``, what such a file means, the schemas it needs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import desired_field
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import (
    canonical, ordered, plain, without_empty, yaml_text)

FIELD_KEY_ORDER = ("name", "type", "required", "unique", "options", "max_length", "relationship")
SCHEMA_EXPORT_KEYS = ("name", "description", "fields")


def export_schema(schema):
    """A schema as flex_schema_info returns it, as the YAML text of ``schemas/<name>.yml``."""
    schema = without_empty(plain(schema))
    fields = [ordered(field, FIELD_KEY_ORDER) for field in schema.get("fields") or []]
    document = ordered(dict(schema, fields=fields), ("name", "description", "fields"))
    return yaml_text(dict((k, v) for k, v in document.items() if k in SCHEMA_EXPORT_KEYS))


def schema_meaning(data, stem):
    """What applying a schema file does, comparable (None when it is not a readable definition)."""
    if not isinstance(data, dict):
        return None
    try:
        fields = sorted((desired_field(field) for field in data.get("fields") or []), key=lambda f: str(f["name"]))
        return canonical(dict(name=str(data.get("name", stem)), description=data.get("description") or "",
                              fields=fields, state=data.get("state", "present")))
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def relationship_targets(schema):
    """Schema names the user-shaped ``schema``'s relationship fields point at (itself excluded)."""
    found = []
    for field in schema.get("fields") or []:
        target = (field.get("relationship") or {}).get("schema")
        if target and target.lower() != schema["name"].lower() and target not in found:
            found.append(target)
    return found
