# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paged lists: follow ``nextUri`` until the last page."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError

SCHEMA_PAGE_SIZE = 100
WEBHOOK_PAGE_SIZE = 100
RECORD_PAGE_SIZE = 500


def iterate_pages(get, path, params=None, page_size=25):
    """Yield each page's body, starting at page 1 and following ``nextUri``.

    ``get(path_or_uri, params)`` performs one GET and returns its decoded body.
    """
    query = dict(params or {})
    query.update(pageSize=page_size, pageNumber=1)
    body = get(path, query)
    seen = set()
    while True:
        if not isinstance(body, dict) or not isinstance(body.get("entities"), list):
            raise GenesysCloudError("a list answer had no 'entities' array", method="GET", path=path)
        yield body
        next_uri = body.get("nextUri")
        if not next_uri:
            return
        if next_uri in seen:
            raise GenesysCloudError("the server sent the same nextUri twice (%s)" % next_uri, method="GET", path=path)
        seen.add(next_uri)
        body = get(next_uri, None)


def iterate_entities(get, path, params=None, page_size=25):
    for page in iterate_pages(get, path, params, page_size):
        yield from page["entities"]
