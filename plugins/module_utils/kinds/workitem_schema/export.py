# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A workitem schema as ``workitem_schemas/NAME.yml`` of an org directory: the text the export writes and
what a file means (to leave a file alone that already says the same)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import ordered, plain, without_empty
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.shape import normal_field

EXPORT_KEYS = ("name", "description", "enabled", "fields")
FIELD_KEYS = ("name", "type", "title", "description")


def exported(user):
    """A schema in the module's shape without the server's id and version."""
    return dict((key, user[key]) for key in EXPORT_KEYS if key in user)


def document(schema):
    """What a schema's file holds (before ``EXPORT_KEYS`` order it): each field with only what is set."""
    content = dict(schema)
    content["fields"] = [ordered(without_empty(plain(normal_field(field))), FIELD_KEYS)
                         for field in schema.get("fields") or []]
    return content


def meaning(data, stem):
    """What applying a schema file's mapping does (raises on a value of the wrong type)."""
    fields = data.get("fields")
    return dict(
        name=str(data.get("name", stem)), description=data.get("description") or "",
        enabled=data.get("enabled", True), state=data.get("state", "present"),
        fields=None if fields is None else [normal_field(field) for field in fields])
