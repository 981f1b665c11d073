# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``genesys.cloud.workitem_schema`` task: check, read, plan, then preview or apply."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.apply import apply_plan
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.options import ARGUMENTS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.plan import (
    check_params,
    plan_workitem_schema,
)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.read import read_workitem_schemas

__all__ = ("ARGUMENTS", "run")


def run(module, client, trail):
    params = module.params
    check_params(params)
    plan = plan_workitem_schema(params, read_workitem_schemas(client, limits=params["state"] == "present"))
    if module.check_mode or not plan.changed:
        return plan.result(module._diff)
    return plan.result(module._diff, apply_plan(client, trail, plan))
