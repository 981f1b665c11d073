# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one run reads for every trigger it plans: the triggers (cursor pages of 200), and for triggers to
create or update the topics the org offers and the workflows they name (``GET /api/v2/flows?type=workflow``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.shape import (
    FLOWS_PATH,
    TOPICS_PATH,
    TRIGGERS_PATH,
    UUID_RE,
)

TRIGGER_PAGE_SIZE = 200
FLOW_PAGE_SIZE = 100


class TriggerRead:
    """``triggers`` (every stored one), ``topics`` (None: not read) and ``workflows`` (those read)."""

    def __init__(self, triggers, topics=None, workflows=None):
        self.triggers, self.topics, self.workflows = list(triggers), topics, list(workflows or [])


def read_workflows(client, refs):
    """The workflows ``refs`` (names or ids) may name: one name is looked up by the name filter, anything
    else lists every workflow once."""
    refs = sorted(set(r for r in refs if r))
    if not refs:
        return []
    params = {"type": "workflow"}
    if len(refs) == 1 and not UUID_RE.match(refs[0]):
        params["name"] = refs[0]
    return list(client.paginate(FLOWS_PATH, params=params, page_size=FLOW_PAGE_SIZE))


def read_topics(client):
    """The topics the org offers triggers on."""
    return list(client.paginate(TOPICS_PATH, page_size=TRIGGER_PAGE_SIZE))


def read_triggers(client, workflow_refs=()):
    """One read of the triggers; the topics and workflows only when some trigger is to be present."""
    triggers = list(client.paginate(TRIGGERS_PATH, page_size=TRIGGER_PAGE_SIZE))
    if not any(workflow_refs):
        return TriggerRead(triggers)
    return TriggerRead(triggers, read_topics(client), read_workflows(client, workflow_refs))
