# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send exactly one :class:`~.plan.TablePlan`: one POST, PUT or DELETE, or nothing.

A plan with problems is never sent (the caller raises them first). A create that failed in transit is
looked up by name before it is sent again (tables have server-made ids); a DELETE that finds nothing is done.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError, InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import table_label
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import (
    DATATABLES_PATH, find_table, read_tables, table_path)

IN_USE = "flows.datatables.table.in.use"


def apply_plan(client, trail, plan):
    """Send the plan's write; return the table as stored after it (None after a delete)."""
    if plan.problems:
        raise InputError(plan.problems)
    if plan.action == "none":
        return plan.current
    if plan.action == "delete":
        _delete(client, trail, plan)
        return None
    if plan.action == "create":
        with trail.change("datatable", "create", name=plan.name) as info:
            resp = client.create(DATATABLES_PATH, plan.after,
                                 lookup=lambda: find_table(read_tables(client), plan.name))
            info.update(id=resp.data.get("id"), correlation_id=resp.correlation_id)
        return resp.data
    with trail.change("datatable", "update", name=plan.name, resource_id=plan.current["id"]) as info:
        info["fields"] = list(plan.changes)
        resp = client.request("PUT", table_path(plan.current["id"]), json=plan.after)
        info["correlation_id"] = resp.correlation_id
    return resp.data


def _delete(client, trail, plan):
    current = plan.current
    with trail.change("datatable", "delete", name=current["name"], resource_id=current["id"]) as info:
        try:
            resp = client.request("DELETE", table_path(current["id"]), params={"force": "true" if plan.force else "false"})
            info["correlation_id"] = resp.correlation_id
        except GenesysCloudError as exc:
            if exc.status == 404:  # gone already: an earlier attempt landed, or someone else removed it
                return
            if exc.status == 409 and exc.code == IN_USE:
                exc.message = ("%s is used by a flow, so the service keeps it; remove it from the flows first, or "
                               "set force: true to delete it anyway (the flows then fail where they read it). %s"
                               % (table_label(current["name"]), exc.message))
            raise
