# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a process-automation trigger, shared by ``genesys.cloud.trigger`` and (later) the org run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

OPERATORS = ("GreaterThanOrEqual", "LessThanOrEqual", "Equal", "NotEqual", "LessThan", "GreaterThan", "NotIn",
             "In", "Contains", "All", "Exists", "Size")
LIST_OPERATORS = ("In", "NotIn", "All")
DATA_FORMATS = ("Json", "TopLevelPrimitives")

CRITERION_OPTIONS = dict(
    json_path=dict(type="str", required=True),
    operator=dict(type="str", required=True, choices=list(OPERATORS)),
    value=dict(type="raw"),
    values=dict(type="list", elements="raw"),
)

OPTIONS = dict(
    name=dict(type="str", required=True),
    topic=dict(type="str"),
    workflow=dict(type="str"),
    data_format=dict(type="str", choices=list(DATA_FORMATS)),
    match_criteria=dict(type="list", elements="dict", options=CRITERION_OPTIONS),
    enabled=dict(type="bool", default=True),
    event_ttl_seconds=dict(type="int"),
    delay_by_seconds=dict(type="int"),
    description=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

ARGUMENTS = module_arguments(OPTIONS, required_if=[("state", "present", ("topic", "workflow"))],
                             mutually_exclusive=[("event_ttl_seconds", "delay_by_seconds")])

INFO_ARGUMENTS = module_arguments(dict(name=dict(type="list", elements="str")))
