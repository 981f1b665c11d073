# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paged lists: follow ``nextUri`` until the last page, or fetch the pages in parallel once their count is known."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import deque
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError

SCHEMA_PAGE_SIZE = 100
WEBHOOK_PAGE_SIZE = 100
RECORD_PAGE_SIZE = 500


def iterate_pages(get, path, params=None, page_size=25, first=None):
    """Yield each page's body, starting at page 1 (or ``first``, already read) and following ``nextUri``.

    ``get(path_or_uri, params)`` performs one GET and returns its decoded body.
    """
    query = dict(params or {})
    query.update(pageSize=page_size, pageNumber=1)
    body = first if first is not None else get(path, query)
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


def _checked(body, path):
    if not isinstance(body, dict) or not isinstance(body.get("entities"), list):
        raise GenesysCloudError("a list answer had no 'entities' array", method="GET", path=path)
    return body


def iterate_pages_concurrently(get, path, params=None, page_size=25, concurrency=4):
    """Like :func:`iterate_pages`, but pages 2..pageCount go out ``concurrency`` at a time, in page order.

    The first page says how many there are; pages are asked for by number and yielded in order,
    so at most ``concurrency`` pages wait in memory. Without a ``pageCount`` this follows ``nextUri``.
    """
    query = dict(params or {})
    query.update(pageSize=page_size, pageNumber=1)
    first = _checked(get(path, query), path)
    count = first.get("pageCount")
    if concurrency <= 1 or not isinstance(count, int) or isinstance(count, bool):
        yield from iterate_pages(get, path, params, page_size, first=first)
        return
    yield first

    def fetch(number):
        page_query = dict(query, pageNumber=number)
        return _checked(get(path, page_query), path)

    numbers = iter(range(2, count + 1))
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        waiting = deque(pool.submit(fetch, number) for _slot, number in zip(range(concurrency), numbers))
        while waiting:
            body = waiting.popleft().result()
            number = next(numbers, None)
            if number is not None:
                waiting.append(pool.submit(fetch, number))
            yield body
