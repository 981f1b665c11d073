# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a workitem schema, shared by ``genesys.cloud.workitem_schema`` and (later) the org run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

FIELD_TYPES = ("text", "longtext", "url", "identifier", "enum", "date", "datetime", "integer", "number", "checkbox",
               "tag")

FIELD_OPTIONS = dict(
    name=dict(type="str", required=True),
    type=dict(type="str", required=True, choices=list(FIELD_TYPES)),
    title=dict(type="str"),
    description=dict(type="str"),
    min_length=dict(type="int"),
    max_length=dict(type="int"),
    minimum=dict(type="float"),
    maximum=dict(type="float"),
    values=dict(type="list", elements="str"),
)

OPTIONS = dict(
    name=dict(type="str", required=True),
    description=dict(type="str"),
    enabled=dict(type="bool", default=True),
    fields=dict(type="list", elements="dict", options=FIELD_OPTIONS),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

ARGUMENTS = module_arguments(OPTIONS)

INFO_ARGUMENTS = module_arguments(dict(
    name=dict(type="list", elements="str"),
    include_deleted=dict(type="bool", default=False),
))
