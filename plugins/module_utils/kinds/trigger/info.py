# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``genesys.cloud.trigger_info`` task: the triggers in the module's shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger import shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.options import (
    INFO_ARGUMENTS as ARGUMENTS,
)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.read import read_triggers

__all__ = ("ARGUMENTS", "run")


def run(module, client, trail):
    wanted = module.params["name"]
    stored = read_triggers(client).triggers
    if wanted is not None:
        stored = [t for t in stored if t.get("name") in set(wanted)]
    found = set(t.get("name") for t in stored)
    return dict(changed=False, triggers=[shape.to_user(t) for t in stored],
                missing=[name for name in (wanted or []) if name not in found])
