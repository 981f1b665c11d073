# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client every module uses: authenticated requests, paging, safe creates, versioned updates."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.genesys.cloud.plugins.module_utils import paging
from ansible_collections.genesys.cloud.plugins.module_utils.arguments import (
    DEFAULT_CONNECT_TIMEOUT,
    check_limits,
    check_pool_size,
)
from ansible_collections.genesys.cloud.plugins.module_utils.auth import TokenManager
from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError, GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.regions import api_host, resolve_base_urls
from ansible_collections.genesys.cloud.plugins.module_utils.transport import (
    HAS_REQUESTS,
    Metrics,
    RateLimitPacer,
    RetryPolicy,
    Transport,
)

VERSION_CONFLICT = "version.mismatch"
# What a stale version in the body may also be answered with (REAL_API.md §9: 400 with this text).
STALE_VERSION_TEXT = "does not match the current version"
POOL_CONNECTIONS_PER_TOKEN = 4  # kept-alive connections per token of a pool
MAX_WORKERS = 32  # requests a caller keeps in flight at most, whatever the pool
USER_AGENT = "genesys.cloud-ansible"


def etag_for(version):
    return '"%s"' % version


def is_version_conflict(exc, version_in_body=False):
    """A stale version: 409 ``version.mismatch``; for a version sent in the body also the 400 that says so."""
    if exc.status == 409 and exc.code == VERSION_CONFLICT:
        return True
    return version_in_body and exc.status == 400 and STALE_VERSION_TEXT in (exc.message or "")


class GenesysCloudClient:
    """One org's API: ``request``, ``get``, ``paginate``, ``create`` and ``update_versioned``.

    ``read_only`` (set in check mode) makes any write raise before it is sent: a module bug then
    fails loudly instead of changing an org that the user only asked to preview.
    ``token_cache`` shares tokens across processes (see :class:`TokenManager`).
    ``token_pool_size`` tokens of the same client serve the requests, each paced by its own
    rate-limit headers (``pacing.py``); ``workers`` is how many requests the client's callers should
    keep in flight to use them (see :meth:`workers_for`).
    """

    def __init__(self, region=None, api_url=None, auth_url=None, client_id=None, client_secret=None,
                 access_token=None, validate_certs=True, timeout=30, max_retries=5, max_retry_seconds=120.0,
                 read_only=False, sleep=time.sleep, clock=time.monotonic, pool_size=10, token_cache=None,
                 connect_timeout=DEFAULT_CONNECT_TIMEOUT, trace=None, token_pool_size=1):
        if not HAS_REQUESTS:
            raise ConfigurationError("the Python library 'requests' is required")
        check_limits(timeout, max_retries, connect_timeout)
        token_pool_size = 1 if access_token else check_pool_size(token_pool_size)
        self.api_base, self.login_base = resolve_base_urls(region, api_url, auth_url)
        self.org_host = api_host(self.api_base)
        self.read_only = read_only
        self.token_pool_size = token_pool_size
        self.metrics = Metrics(clock, tokens=token_pool_size)
        self.transport = Transport(
            timeout=timeout, validate_certs=validate_certs, metrics=self.metrics,
            retry=RetryPolicy(max_retries=max_retries, max_wait_seconds=max_retry_seconds),
            pacer=RateLimitPacer(clock=clock, sleep=sleep, members=token_pool_size), sleep=sleep, clock=clock,
            pool_size=max(pool_size, POOL_CONNECTIONS_PER_TOKEN * token_pool_size),
            connect_timeout=connect_timeout, trace=trace)
        self.pool = [TokenManager(self.transport, self.login_base, client_id, client_secret, access_token, clock,
                                  cache=token_cache, org=self.api_base, member=member)
                     for member in range(token_pool_size)]
        self.tokens = self.pool[0]

    def workers_for(self, concurrency):
        """How many requests to keep in flight for a caller that asked for ``concurrency`` with one token.

        A pool of N tokens allows N times the requests a minute, so a caller sized for one token gets
        N times its workers (at most ``MAX_WORKERS``). With one token, or when one at a time was asked
        for, exactly what it asked for.
        """
        concurrency = max(1, int(concurrency or 1))
        if self.token_pool_size == 1 or concurrency == 1:
            return concurrency
        return min(MAX_WORKERS, concurrency * self.token_pool_size)

    @property
    def trace(self):
        """Called with one dict per request attempt (see ``transport.Transport``), or None."""
        return self.transport.trace

    @trace.setter
    def trace(self, sink):
        self.transport.trace = sink

    @property
    def last_correlation_id(self):
        return self.transport.last_correlation_id

    def _url(self, path):
        return path if path.startswith("http") else self.api_base + path

    def request(self, method, path, params=None, json=None, headers=None, replay_safe=None, recover=None):
        """Send one API request and return a :class:`Response`; raise :class:`GenesysCloudError` on failure.

        ``replay_safe`` defaults to True for every method but POST. A POST that is not replay
        safe is only sent again after ``recover()`` confirmed it was not applied.
        """
        if self.read_only and method != "GET":
            raise GenesysCloudError("refusing to send a write in check mode (this is a bug in the module)",
                                    method=method, path=path)
        if replay_safe is None:
            replay_safe = method != "POST"
        used = {}

        def request_headers(member):
            token = self.pool[member or 0].token()
            used[member or 0] = token
            merged = {"Accept": "application/json", "Authorization": "Bearer " + token, "User-Agent": USER_AGENT}
            merged.update(headers or {})
            return merged

        def reauthenticate(member):
            # Only the refused token is renewed; the other tokens of the pool stay as they are.
            self.pool[member or 0].invalidate(used.get(member or 0))

        return self.transport.send(
            method, self._url(path), path.split("?")[0], request_headers, params=params, json_body=json,
            replay_safe=replay_safe, recover=recover,
            on_unauthorized=reauthenticate if self.tokens.can_refresh else None)

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def get_or_none(self, path, params=None):
        """GET that answers None for a 404 instead of raising."""
        try:
            return self.get(path, params).data
        except GenesysCloudError as exc:
            if exc.status == 404:
                return None
            raise

    def paginate(self, path, params=None, page_size=25):
        """Yield every entity of a paged list, following ``nextUri``."""
        return paging.iterate_entities(lambda p, q: self.get(p, q).data, path, params, page_size)

    def paginate_pages(self, path, params=None, page_size=25, concurrency=1):
        """Yield every page body of a paged list, ``concurrency`` pages in flight per token (shared pacing and retries)."""
        return paging.iterate_pages_concurrently(lambda p, q: self.get(p, q).data, path, params, page_size,
                                                 self.workers_for(concurrency))

    def create(self, path, body, lookup=None, replay_safe=False):
        """POST a new object without ever creating it twice.

        ``lookup()`` finds the object the POST would have created (by its name, say) and is used
        when the POST failed in a way that may hide a success. Without one the POST is not replayed.
        """
        return self.request("POST", path, json=body, replay_safe=replay_safe, recover=lookup)

    def update_versioned(self, path, compute, current=None, max_conflicts=3, version_in_body=False):
        """PUT under optimistic locking and re-apply the caller's intent on conflict.

        ``compute(current)`` turns the object as read into the body to PUT, or None when the
        object already is as wanted. It is called again with the freshly read object after every
        409 ``version.mismatch``, so a change someone else made in between is kept as long as
        ``compute`` only touches what its caller means to change.
        ``version_in_body``: the body carries the version read (no ``If-Match``), and a 400 saying the
        version does not match is a conflict too (workitem schemas, triggers).

        Returns ``(object, changed)``.
        """
        if current is None:
            current = self.get(path).data
        conflicts = 0
        sent = False
        while True:
            body = compute(current)
            if body is None:
                # After a conflict, "nothing left to do" may mean our own earlier PUT landed before
                # its answer was lost: the object did change during this call.
                return current, sent
            sent = True
            try:
                headers = None if version_in_body else {"If-Match": etag_for(current["version"])}
                resp = self.request("PUT", path, json=body, headers=headers)
                return resp.data, True
            except GenesysCloudError as exc:
                conflict = is_version_conflict(exc, version_in_body)
                if not conflict or conflicts >= max_conflicts:
                    if conflict:
                        exc.message += " (still conflicting after %d re-reads)" % conflicts
                    raise
                conflicts += 1
                self.metrics.add("conflicts")
                current = self.get(path).data
