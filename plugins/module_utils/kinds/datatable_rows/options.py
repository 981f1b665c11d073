# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of one table's rows, shared by ``genesys.cloud.datatable_rows`` and (later) the org run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

MAX_ROWS = 5000  # a table's documented limit; an org's may have been raised (max_rows)

ARGUMENTS = module_arguments(
    dict(
        datatable=dict(type="str", required=True),
        rows=dict(type="list", elements="raw"),
        src=dict(type="path"),
        purge=dict(type="bool", default=False),
        max_rows=dict(type="int", default=MAX_ROWS),
        concurrency=dict(type="int", default=8),
        max_problems=dict(type="int", default=100),
    ),
    mutually_exclusive=[("rows", "src")],
    required_one_of=[("rows", "src")],
)


def check_params(params):
    """Problems of the options alone (no request)."""
    problems = []
    for option in ("max_rows", "concurrency", "max_problems"):
        if params[option] < 1:
            problems.append("%s: must be at least 1" % option)
    if params["concurrency"] > 32:
        problems.append("concurrency: at most 32 (the rate limit, not threads, bounds the speed)")
    return problems


def client_options(params):
    """Client settings this task needs beyond the connection options: a connection for every writer, and
    ``concurrency`` writers per token of the pool (``client.workers_for``, at most 32)."""
    writers = params["concurrency"] * max(1, params.get("token_pool_size") or 1)
    return dict(pool_size=max(10, min(writers, 32) + 2))
