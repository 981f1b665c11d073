# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``genesys.cloud.trigger`` task: check, read, plan, then preview or apply."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.apply import apply_plan
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.options import ARGUMENTS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.plan import check_params, plan_trigger
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.read import read_triggers

__all__ = ("ARGUMENTS", "run")


def run(module, client, trail):
    params = module.params
    check_params(params)
    refs = [params["workflow"]] if params["state"] == "present" else []
    plan = plan_trigger(params, read_triggers(client, refs))
    if module.check_mode or not plan.changed:
        return plan.result(module._diff)
    return plan.result(module._diff, apply_plan(client, trail, plan))
