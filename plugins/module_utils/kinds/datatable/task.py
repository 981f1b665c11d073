# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``genesys.cloud.datatable`` task: check, read, plan, then preview or apply (its ``ARGUMENTS`` and ``run``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.apply import apply_plan
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import (
    ARGUMENTS, check_params)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.plan import plan_table
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import read_tables

__all__ = ("ARGUMENTS", "run")


def run(module, client, trail):
    """``genesys.cloud.datatable``: what the service would refuse fails here, in check mode too, before any write."""
    params = module.params
    problems = check_params(params)
    if problems:
        raise InputError(problems)
    plan = plan_table(params, read_tables(client))
    if plan.problems:
        raise InputError(plan.problems)
    if module.check_mode or not plan.changed:
        return plan.result(module._diff)
    stored = apply_plan(client, trail, plan)
    return plan.result(module._diff, stored=stored if stored is not None else {})
