# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paged lists: follow ``nextUri`` until the last page, or fetch the pages in parallel once their count is known."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

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
    """Like :func:`iterate_pages`, but pages 2..pageCount are fetched by ``concurrency`` threads, yielded in order.

    The first page says how many there are. Each thread takes the next page number as soon as it
    is free, so ``concurrency`` requests stay in flight while the caller works on a page; at most
    ``2 * concurrency`` fetched pages wait for the caller. Without a ``pageCount`` this follows
    ``nextUri``. The first failure is raised to the caller, and closing the iterator stops the threads.
    """
    query = dict(params or {})
    query.update(pageSize=page_size, pageNumber=1)
    first = _checked(get(path, query), path)
    count = first.get("pageCount")
    if concurrency <= 1 or not isinstance(count, int) or isinstance(count, bool):
        yield from iterate_pages(get, path, params, page_size, first=first)
        return
    yield first
    if count < 2:
        return
    fetcher = _PageFetcher(lambda number: _checked(get(path, dict(query, pageNumber=number)), path),
                           count, concurrency)
    try:
        for number in range(2, count + 1):
            yield fetcher.take(number)
    finally:
        fetcher.stop()


class _PageFetcher:
    """Threads that fetch pages 2..count, each taking the next number, at most ``window`` pages ahead of the caller."""

    def __init__(self, fetch, count, concurrency):
        self._fetch, self._count, self._window = fetch, count, 2 * concurrency
        self._cond = threading.Condition()
        self._next, self._wanted, self._done, self._error, self._stopped = 2, 2, {}, None, False
        self._threads = [threading.Thread(target=self._work, name="genesys-pages-%d" % n, daemon=True)
                         for n in range(min(concurrency, count - 1))]
        for thread in self._threads:
            thread.start()

    def _work(self):
        while True:
            with self._cond:
                while (not self._stopped and self._error is None and self._next <= self._count
                       and self._next >= self._wanted + self._window):
                    self._cond.wait()
                if self._stopped or self._error is not None or self._next > self._count:
                    return
                number, self._next = self._next, self._next + 1
            try:
                body = self._fetch(number)
            except BaseException as exc:  # handed to the caller by take()
                with self._cond:
                    self._error = self._error or exc
                    self._cond.notify_all()
                return
            with self._cond:
                self._done[number] = body
                self._cond.notify_all()

    def take(self, number):
        """Page ``number`` once fetched (pages are taken in order)."""
        with self._cond:
            self._wanted = number
            self._cond.notify_all()
            while number not in self._done and self._error is None:
                self._cond.wait()
            if number not in self._done:
                raise self._error
            return self._done.pop(number)

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()
