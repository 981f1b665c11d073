# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``genesys.cloud.datatable_rows`` task (its ``ARGUMENTS``, ``client_options`` and ``run``).

Read the table and its full rows, read and check the whole input, plan, then preview or write. Nothing is
written, and nothing purged, unless every row of the input was read and is valid for the table.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError, InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import table_label
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import find_table, read_tables
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.apply import apply_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.options import (
    ARGUMENTS, check_params, client_options)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.plan import plan_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.read import read_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.source import wanted_rows

__all__ = ("ARGUMENTS", "client_options", "run")


def table_properties(table):
    return dict((table.get("schema") or {}).get("properties") or {})


def check_full_rows(table, props, stored):
    """Rows read as keys only (``showbrief`` ignored) would plan an update of every row: refuse them instead."""
    if len(props) > 1 and stored and all(set(row) == {"key"} for row in stored.values()):
        raise GenesysCloudError("%s: the service returned its rows as keys only although showbrief=false was asked "
                                "for; nothing was written, as every row would compare as changed"
                                % table_label(table["name"]))


def run(module, client, trail):
    """``genesys.cloud.datatable_rows``: nothing is written unless the whole input was read and every row is valid."""
    params = module.params
    problems = check_params(params)
    if problems:
        raise InputError(problems)
    table = find_table(read_tables(client), params["datatable"])
    if table is None and not module.check_mode:
        raise InputError(["datatable: the org has no data table named %s; create it first with "
                          "genesys.cloud.datatable" % params["datatable"][:256]])
    if table is None:
        module.warn("data table %s does not exist; this preview assumes an earlier task creates it, so every row "
                    "would be created, and only their keys were checked (applying fails otherwise)"
                    % params["datatable"][:256])
        table, props = dict(id=None, name=params["datatable"]), None
    else:
        props = table_properties(table)
    wanted = wanted_rows(params, table["name"], props)
    if wanted.problem_count:
        raise InputError(wanted.summary(), what="the input of %s (%d bad rows)" % (table_label(table["name"]),
                                                                                   wanted.problem_count),
                         result_extra=dict(bad_rows=wanted.problem_count))
    stored = {} if props is None else read_rows(client, table["id"], concurrency=min(params["concurrency"], 8))  # per token
    if props is not None:
        check_full_rows(table, props, stored)
    plan = plan_rows(table, props, wanted.rows, stored, purge=params["purge"], max_rows=params["max_rows"])
    if plan.problems:
        raise InputError(plan.problems, what=table_label(table["name"]))
    if not module.check_mode:
        apply_rows(client, trail, plan, concurrency=params["concurrency"])
    return plan.result(module._diff)
