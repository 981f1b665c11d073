# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``genesys.cloud.datatable_info`` task (its ``ARGUMENTS`` and ``run``): tables by name or all, rows if asked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import read_tables, user_view
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.read import read_rows
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

ARGUMENTS = module_arguments(dict(
    name=dict(type="list", elements="str"),
    rows=dict(type="bool", default=False),
))


def run(module, client, trail):
    """``genesys.cloud.datatable_info``: tables by name (or all), optionally with their full rows."""
    wanted = module.params["name"]
    tables = read_tables(client)
    if wanted is not None:
        names = set(name.lower() for name in wanted)
        tables = [table for table in tables if table.get("name", "").lower() in names]
    listed = []
    for table in tables:
        view = user_view(table)
        if module.params["rows"]:
            view["rows"] = list(read_rows(client, table["id"]).values())
        listed.append(view)
    found = set(table.get("name", "").lower() for table in tables)
    return dict(changed=False, datatables=listed,
                missing=[name for name in (wanted or []) if name.lower() not in found])
