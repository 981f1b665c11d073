# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A trigger as ``triggers/NAME.yml`` of an org directory: the text the export writes (its workflow by name
when that name is the org's only workflow of the name, by id otherwise) and what a file means."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import plain, without_empty
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.shape import criteria_key, normal_criterion

EXPORT_KEYS = ("name", "topic", "workflow", "data_format", "match_criteria", "enabled", "event_ttl_seconds",
               "delay_by_seconds", "description")


def exported(user, workflows):
    """A trigger in the module's shape, its workflow named, without the server's id and version."""
    trigger = dict((key, user.get(key)) for key in EXPORT_KEYS)
    named = [flow for flow in workflows if flow.get("id") == trigger["workflow"]]
    if named and named[0].get("name"):
        same_name = [flow for flow in workflows if (flow.get("name") or "").lower() == named[0]["name"].lower()]
        if len(same_name) == 1:
            trigger["workflow"] = named[0]["name"]
    return trigger


def document(trigger):
    """What a trigger's file holds (before ``EXPORT_KEYS`` order it): only the options that are set."""
    return without_empty(plain(trigger))


def meaning(data, stem):
    """What applying a trigger file's mapping does (raises on a value of the wrong type)."""
    criteria = data.get("match_criteria")
    return dict(
        name=str(data.get("name", stem)), topic=data.get("topic"), workflow=data.get("workflow"),
        data_format=data.get("data_format") or "Json", enabled=data.get("enabled", True),
        event_ttl_seconds=data.get("event_ttl_seconds"), delay_by_seconds=data.get("delay_by_seconds"),
        description=data.get("description") or "", state=data.get("state", "present"),
        match_criteria=None if criteria is None else criteria_key([normal_criterion(c) for c in criteria]))
