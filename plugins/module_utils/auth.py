# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OAuth client-credentials tokens: fetched once, cached, refreshed shortly before they expire."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError, GenesysCloudError

TOKEN_PATH = "/oauth/token"
MAX_REFRESH_MARGIN = 60.0


class TokenManager:
    """Hands out a bearer token, fetching a new one when the cached one is about to expire.

    With a fixed ``access_token`` there is nothing to refresh: a 401 then is final.

    ``cache`` (optional) shares tokens with other processes of the same run (controller-side
    plugins pass the store of ``plugin_utils/token_store.py``). It is asked before a token is
    fetched, told about every fetched token and about every token a 401 rejected. Its interface:
    ``key(login_url, client_id, client_secret, org, member)`` (``org``: the API base), ``single_flight(key)``
    (a context manager held while fetching, so concurrent workers of one org fetch one token), ``get(key)`` ->
    ``(token, refresh_at)`` or None, ``put(key, token, refresh_at)``, ``discard(key, token)``.
    ``refresh_at`` is on ``clock`` (the default, CLOCK_MONOTONIC, is system-wide).

    ``member`` numbers the token within a pool of tokens for the same client (``token_pool_size``):
    each member is its own login, cached under its own key (``key(..., member=n)``), so every task of
    a run uses the same N tokens and a 401 renews only the member that was refused.
    """

    def __init__(self, transport, login_base, client_id=None, client_secret=None, access_token=None,
                 clock=time.monotonic, cache=None, org=None, member=0):
        if not access_token and not (client_id and client_secret):
            raise ConfigurationError(
                "no credentials: set client_id and client_secret (or the environment variables "
                "GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET), or access_token "
                "(GENESYSCLOUD_ACCESS_TOKEN)")
        self._transport = transport
        self._url = login_base + TOKEN_PATH
        self._client_id = client_id
        self._client_secret = client_secret
        self._fixed_token = access_token
        self._clock = clock
        self._lock = threading.Lock()
        self._token = None
        self._refresh_at = 0.0
        self._cache = cache if not access_token else None
        # The key names the org (its API base) as well as the login URL and the client: two orgs of
        # one region share a login URL, and a token is never handed to another org's requests.
        self._cache_key = self._cache.key(self._url, client_id, client_secret, org, member) if self._cache else None

    @property
    def can_refresh(self):
        return not self._fixed_token

    def token(self):
        if self._fixed_token:
            return self._fixed_token
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                if self._cache is None:
                    self._fetch()
                else:
                    self._from_cache()
            return self._token

    def invalidate(self, rejected_token=None):
        """Forget the cached token (after a 401), unless another thread already replaced it.

        The shared cache forgets it too, unless another process already replaced it: the next
        :meth:`token` of any process then fetches one new token for all of them.
        """
        with self._lock:
            if rejected_token is None or rejected_token == self._token:
                self._token = None
            if self._cache is not None:
                self._cache.discard(self._cache_key, rejected_token)

    def _from_cache(self):
        with self._cache.single_flight(self._cache_key):
            found = self._cache.get(self._cache_key)
            if found is not None and self._clock() < found[1]:
                self._token, self._refresh_at = found
                return
            self._fetch()
            self._cache.put(self._cache_key, self._token, self._refresh_at)

    def _fetch(self):
        try:
            resp = self._transport.send(
                "POST", self._url, TOKEN_PATH, headers_fn=lambda _member: {"Accept": "application/json"},
                data={"grant_type": "client_credentials"}, auth=(self._client_id, self._client_secret),
                replay_safe=True, paced=False, metric="token_requests")
        except GenesysCloudError as exc:
            if exc.status in (400, 401):
                raise GenesysCloudError(
                    "authentication failed: the login service refused the client id and secret (%s). "
                    "Check client_id/client_secret and the region or auth_url." % (exc.code or exc.status),
                    method="POST", path=TOKEN_PATH, status=exc.status, code=exc.code,
                    correlation_id=exc.correlation_id)
            raise
        data = resp.data if isinstance(resp.data, dict) else {}
        token = data.get("access_token")
        try:
            lifetime = float(data.get("expires_in"))
        except (TypeError, ValueError):
            lifetime = None
        if not token or lifetime is None:
            raise GenesysCloudError(
                "the login service answered without an access_token and expires_in",
                method="POST", path=TOKEN_PATH, status=resp.status, correlation_id=resp.correlation_id)
        self._token = token
        # Refresh a little before expiry: a tenth of the lifetime, at most a minute.
        self._refresh_at = self._clock() + lifetime - min(MAX_REFRESH_MARGIN, lifetime / 10.0)
