# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A workitem schema as ``workitem_schemas/NAME.yml`` of an org directory: the text the export writes and
what a file means (to leave a file alone that already says the same)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import (
    canonical, ordered, plain, without_empty, yaml_text)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.shape import normal_field

EXPORT_KEYS = ("name", "description", "enabled", "fields")
FIELD_KEYS = ("name", "type", "title", "description")


def exported(user):
    """A schema in the module's shape without the server's id and version."""
    return dict((key, user[key]) for key in EXPORT_KEYS if key in user)


def export_text(schema):
    document = dict(schema)
    document["fields"] = [ordered(without_empty(plain(normal_field(field))), FIELD_KEYS)
                          for field in schema.get("fields") or []]
    if not document.get("description"):
        document.pop("description", None)
    return yaml_text(ordered(document, EXPORT_KEYS))


def meaning(data, stem):
    """What applying a schema file does, comparable (None: not a schema definition)."""
    if not isinstance(data, dict):
        return None
    try:
        fields = data.get("fields")
        return canonical(dict(
            name=str(data.get("name", stem)), description=data.get("description") or "",
            enabled=data.get("enabled", True), state=data.get("state", "present"),
            fields=None if fields is None else [normal_field(field) for field in fields]))
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
