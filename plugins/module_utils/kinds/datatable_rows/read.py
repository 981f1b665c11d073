# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a table's rows: full rows (``showbrief=false``: the service's default gives keys only), 100 a page."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover (Python 2 is not supported by the collection's client)
    from urllib import quote

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import table_path

PAGE_SIZE = 100


def rows_path(table_id):
    return table_path(table_id) + "/rows"


def row_path(table_id, key):
    return "%s/%s" % (rows_path(table_id), quote(key, safe=""))


def read_rows(client, table_id, concurrency=4):
    """Every stored row of the table, ``{key: row}``, in key order; pages are fetched ``concurrency`` at a time per
    token of the client's pool (``client.paginate_pages``)."""
    rows = {}
    for page in client.paginate_pages(rows_path(table_id), params={"showbrief": "false"}, page_size=PAGE_SIZE,
                                      concurrency=concurrency):
        for row in page["entities"]:
            rows[row["key"]] = row
    return rows
