# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport: retries with backoff, rate-limit pacing and request metrics.

Nothing here knows about schemas, records or webhooks; ``client.py`` builds on it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import random
import re
import threading
import time
from urllib.parse import urlencode, urlsplit

try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.utils import get_environ_proxies
    from urllib3.exceptions import NewConnectionError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the modules through missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.genesys.cloud.plugins.module_utils.connection_errors import (
    SETUP_ERRORS,
    connect_error,
    environment_error,
    name_not_resolved,
)
from ansible_collections.genesys.cloud.plugins.module_utils.errors import (
    AmbiguousWriteError,
    GenesysCloudError,
    error_from_response,
)
from ansible_collections.genesys.cloud.plugins.module_utils.pacing import RateLimitPacer  # noqa: F401 (re-exported)

RETRYABLE_STATUSES = frozenset((429, 502, 503, 504))
CORRELATION_HEADER = "inin-correlation-id"
# A connection that cannot be made is retried while the time spent stays under this many connect timeouts.
CONNECT_BUDGET_FACTOR = 1.5


class Metrics:
    """What the client did, returned by every module as ``metrics``."""

    FIELDS = ("requests", "token_requests", "retries", "waits", "wait_seconds", "rate_limited",
              "reauthentications", "conflicts", "recovered_writes")

    # Counted for each token of a pool (``tokens`` in :meth:`as_dict` when the pool has more than one).
    TOKEN_FIELDS = ("requests", "rate_limited", "reauthentications")

    def __init__(self, clock=time.monotonic, tokens=1):
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        for name in self.FIELDS:
            setattr(self, name, 0)
        self.per_token = [dict((name, 0) for name in self.TOKEN_FIELDS) for _member in range(tokens)]

    def add(self, name, amount=1, member=None):
        """Count ``amount`` of ``name``, and for token ``member`` of the pool when given."""
        with self._lock:
            setattr(self, name, getattr(self, name) + amount)
            if member is not None and name in self.TOKEN_FIELDS and member < len(self.per_token):
                self.per_token[member][name] += amount

    def as_dict(self):
        with self._lock:
            result = dict((name, getattr(self, name)) for name in self.FIELDS)
            if len(self.per_token) > 1:
                result["tokens"] = [dict(counts, token=member + 1) for member, counts in enumerate(self.per_token)]
        result["wait_seconds"] = round(result["wait_seconds"], 3)
        result["seconds"] = round(self._clock() - self._started, 3)
        return result

    def since(self, earlier):
        """What was spent after ``earlier`` (an :meth:`as_dict` snapshot): one task's share of a shared client."""
        spent = {}
        for name, value in self.as_dict().items():
            if name == "tokens":
                before = dict((item["token"], item) for item in earlier.get("tokens") or [])
                spent[name] = [dict((key, count - before.get(item["token"], {}).get(key, 0) if key != "token" else count)
                                    for key, count in item.items()) for item in value]
                continue
            spent[name] = value - earlier.get(name, 0)
            if isinstance(spent[name], float):
                spent[name] = round(spent[name], 3)
        return spent


class RetryPolicy:
    """Exponential backoff with full jitter, bounded in attempts and in total waiting time."""

    def __init__(self, max_retries=5, max_wait_seconds=120.0, base_delay=0.5, max_delay=30.0, rand=random.random):
        self.max_retries = max_retries
        self.max_wait_seconds = max_wait_seconds
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._rand = rand

    def delay(self, retry_number, retry_after=None):
        """Seconds to wait before retry ``retry_number`` (1-based).

        ``Retry-After`` is a floor: the server said when it will take the request again, so we
        never come back sooner; a little jitter on top keeps parallel workers from arriving together.
        """
        ceiling = min(self.max_delay, self.base_delay * (2 ** (retry_number - 1)))
        backoff = ceiling * (0.5 + self._rand() / 2.0)
        if retry_after is not None:
            return retry_after + min(backoff, 1.0) * self._rand() * 0.25
        return backoff


class Response:
    """The parts of an answer the rest of the collection uses."""

    def __init__(self, status, data, headers, correlation_id, elapsed, recovered=False):
        self.status = status
        self.data = data
        self.headers = headers
        self.correlation_id = correlation_id
        self.elapsed = elapsed
        self.recovered = recovered


def _retry_after(headers):
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _decode(resp):
    if not resp.content:
        return None
    try:
        return resp.json()
    except ValueError:
        return None


def _was_sent(exc):
    """True when a connection error may have happened after the request reached the server.

    A refused or timed-out connect, or a failed TLS handshake, never delivered the request; a
    connection dropped later may have delivered it.
    """
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError,
                        requests.exceptions.ProxyError)):
        return False
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return not isinstance(reason, NewConnectionError)


def _tls_reason(exc):
    """The OpenSSL reason of a TLS failure (``certificate verify failed: self-signed certificate``)."""
    text = str(exc)
    found = re.search(r"\[SSL[^\]]*\]\s*([^'\"()]+)", text)
    return found.group(1).strip() if found else text[-300:]


def tls_error(exc, method, path, verify):
    """A TLS failure is not transient: say why, and what fixes it, without retrying."""
    reason = _tls_reason(exc)
    if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in reason:
        fix = ("the server's certificate is not trusted by the CA bundle in use (%s). Fix: give the CA that signed "
               "it (a company proxy's, for example) in a bundle file named by REQUESTS_CA_BUNDLE, or, only for a "
               "test server, set validate_certs: false" % (verify if isinstance(verify, str) else "certifi's, or "
                                                           "REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE when set"))
    else:
        fix = "the TLS handshake failed; check that the URL is an https endpoint and the port is right"
    return GenesysCloudError("TLS failed: %s; %s (not retried)" % (reason, fix), method=method, path=path)


class _Retries:
    """One request's retries: how many so far, the time waited between them, the wait before the attempt under way.

    A connection never made, one that failed after the request was sent and a retryable status all
    count against the same budget (``max_retries`` and ``max_wait_seconds``).
    """

    def __init__(self, policy, metrics, wait):
        self._policy = policy
        self._metrics = metrics
        self._wait = wait
        self.count = 0
        self.waited = 0.0
        self.before_attempt = 0.0  # backoff and pacing before the attempt under way, for its trace

    def delay(self, retry_after=None):
        return self._policy.delay(self.count + 1, retry_after)

    def back_off(self, delay):
        """Count a retry and wait ``delay`` seconds before it."""
        self.count += 1
        self._metrics.add("retries")
        self.waited += delay
        self.before_attempt = delay
        self._wait(delay)

    def again(self, retry_after=None):
        """Wait before the next attempt and answer True; False when the retries or the waiting time are spent."""
        delay = self.delay(retry_after)
        if self.count >= self._policy.max_retries or self.waited + delay > self._policy.max_wait_seconds:
            return False
        self.back_off(delay)
        return True


class Transport:
    """Sends one logical request, retrying what the contract says is transient.

    ``replay_safe`` says whether the request may be sent again after it may have reached the
    server (GET, PUT under If-Match, DELETE, and POSTs whose ids the client chose). For other
    writes a ``recover`` callable looks the result up instead: it returns the created object, or
    None when the write did not happen and can be sent again.
    """

    def __init__(self, timeout=30, validate_certs=True, retry=None, metrics=None, pacer=None,
                 sleep=time.sleep, clock=time.monotonic, pool_size=10, connect_timeout=5.0, trace=None):
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        # Called with one dict per attempt (method, path with query, status or error, attempt, wait,
        # ms, correlation id); never a header, a body or a token. See trace.py for the text.
        self.trace = trace
        self.retry = retry or RetryPolicy()
        self.metrics = metrics or Metrics(clock)
        self.pacer = pacer or RateLimitPacer(clock=clock, sleep=sleep)
        self._sleep = sleep
        self._clock = clock
        self.session = requests.Session()
        # The environment is read once per host by _environment(), not by requests on every request.
        self.session.trust_env = False
        self.verify = validate_certs
        self.session.verify = validate_certs
        self._environments = {}
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.last_correlation_id = None

    def _environment(self, url):
        """``(proxies, verify)`` for ``url`` as requests takes them from the environment, worked out once per host.

        With ``trust_env`` on, requests reads the proxy variables and ~/.netrc again for every
        request (about a millisecond each), and a ~/.netrc entry for the API host would replace the
        bearer token. Here the proxies (NO_PROXY honoured) and the CA bundle are read once;
        ``validate_certs: false`` stays false even when REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set.
        """
        parts = urlsplit(url)
        host = (parts.scheme, parts.netloc)
        found = self._environments.get(host)
        if found is None:
            verify = self.verify
            if verify is True:
                verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            found = self._environments[host] = (get_environ_proxies(url), verify)
        return found

    def _trace(self, method, url, params, resp, failure, attempt, wait, attempt_started, member):
        parts = urlsplit(url)
        query = parts.query
        if params:
            extra = urlencode(sorted(params.items()) if isinstance(params, dict) else params, doseq=True)
            query = "%s&%s" % (query, extra) if query else extra
        self.trace(dict(method=method, host=parts.netloc, path=parts.path, query=query,
                        status=resp.status_code if resp is not None else None,
                        error=type(failure).__name__ if failure is not None else None, attempt=attempt,
                        wait=round(wait, 3), ms=int(round((self._clock() - attempt_started) * 1000)),
                        correlation_id=resp.headers.get(CORRELATION_HEADER) if resp is not None else None,
                        token=member + 1 if member is not None and self.pacer.members > 1 else None))

    def _wait(self, seconds):
        if seconds > 0:
            self.metrics.add("waits")
            self.metrics.add("wait_seconds", seconds)
            self._sleep(seconds)

    def _look_up(self, recover, ambiguous, started, headers, correlation_id):
        """After a write that may have been applied: the object ``recover()`` finds, or None when it may be sent again.

        Without ``recover`` the write is never sent again: ``ambiguous`` (an error) is raised.
        """
        if recover is None:
            raise ambiguous
        found = recover()
        if found is None:
            return None
        self.metrics.add("recovered_writes")
        return Response(200, found, headers, correlation_id, self._clock() - started, recovered=True)

    def send(self, method, url, display_path, headers_fn, params=None, json_body=None, data=None,
             auth=None, replay_safe=True, recover=None, on_unauthorized=None, paced=True, metric="requests"):
        """Send, retry and decode; raise :class:`GenesysCloudError` for anything but a 2xx.

        ``headers_fn(member)`` gives the headers of one attempt for token ``member`` of the pool (None
        when the request is not paced); ``on_unauthorized(member)`` renews that token after a 401.
        """
        body_bytes = json.dumps(json_body, separators=(",", ":")).encode("utf-8") if json_body is not None else data
        retries = _Retries(self.retry, self.metrics, self._wait)
        reauthenticated = False
        started = self._clock()
        while True:
            # The slot is reserved before the request is built: the ticket names the token of the pool to use.
            ticket = self.pacer.acquire() if paced else None
            member = ticket.member if ticket is not None else None
            if ticket is not None and ticket.waited:
                retries.before_attempt += ticket.waited
                self.metrics.add("waits")
                self.metrics.add("wait_seconds", ticket.waited)
            try:
                headers = headers_fn(member)
            except BaseException:
                if ticket is not None:
                    self.pacer.release(ticket, {})
                raise
            if json_body is not None:
                headers["Content-Type"] = "application/json"
            self.metrics.add(metric, member=member)
            answer_headers = {}
            answer_status = None
            failure = None
            attempt_started = self._clock()
            try:
                proxies, verify = self._environment(url)
                resp = self.session.request(method, url, params=params, data=body_bytes, headers=headers,
                                            auth=auth, timeout=(self.connect_timeout, self.timeout),
                                            allow_redirects=False, verify=verify, proxies=proxies)
                answer_headers, answer_status = resp.headers, resp.status_code
            except requests.exceptions.RequestException as exc:
                if isinstance(exc, SETUP_ERRORS):
                    raise environment_error(exc, method, display_path, auth)
                failure = exc
                resp = None
            except (OSError, ValueError) as exc:
                # Nothing was sent: a credential that cannot go in a header, a CA bundle that is not a
                # file, a proxy URL that cannot be parsed. Not retried.
                raise environment_error(exc, method, display_path, auth)
            finally:
                if ticket is not None:
                    self.pacer.release(ticket, answer_headers, answer_status)
            if self.trace is not None:
                self._trace(method, url, params, resp, failure, retries.count + 1, retries.before_attempt,
                            attempt_started, member)
            retries.before_attempt = 0.0

            if isinstance(failure, requests.exceptions.SSLError):
                raise tls_error(failure, method, display_path, self.verify)
            if resp is None and not _was_sent(failure):
                # Nothing reached the server: retried only while the whole attempt stays near the
                # connect timeout, so an unreachable API fails in seconds and says where it looked.
                delay = retries.delay()
                elapsed = self._clock() - started
                if (name_not_resolved(failure) or retries.count >= self.retry.max_retries
                        or elapsed + delay + self.connect_timeout > CONNECT_BUDGET_FACTOR * self.connect_timeout):
                    raise connect_error(failure, method, url, display_path, proxies, retries.count + 1, elapsed,
                                        self.connect_timeout)
                retries.back_off(delay)
                continue
            if resp is None:
                # The connection failed once the request may have reached the server.
                reason = "the connection failed (%s)" % type(failure).__name__
                if not replay_safe:
                    found = self._look_up(recover, AmbiguousWriteError(
                        "%s; the write may or may not have been applied, and it is not sent again so "
                        "that nothing is created twice. Check the resource and run again." % reason,
                        method=method, path=display_path), started, {}, None)
                    if found is not None:
                        return found
                if not retries.again():
                    raise GenesysCloudError("%s after %d attempts" % (reason, retries.count + 1),
                                            method=method, path=display_path)
                continue

            correlation_id = resp.headers.get(CORRELATION_HEADER)
            self.last_correlation_id = correlation_id or self.last_correlation_id
            body = _decode(resp)

            if resp.status_code == 401 and on_unauthorized is not None and not reauthenticated:
                # Only the token that was refused is renewed; the others of a pool keep theirs.
                reauthenticated = True
                self.metrics.add("reauthentications", member=member)
                on_unauthorized(member)
                continue

            if resp.status_code in RETRYABLE_STATUSES:
                if resp.status_code == 429:
                    self.metrics.add("rate_limited", member=member)
                    if member is not None and self.pacer.ready_elsewhere(member):
                        # Another token of the pool has budget now: no reason to wait for this one's window.
                        if retries.count >= self.retry.max_retries:
                            raise error_from_response(method, display_path, resp.status_code, body, correlation_id)
                        retries.back_off(0.0)
                        continue
                elif not replay_safe:
                    # A gateway error on a create may hide an applied write: look before sending again.
                    found = self._look_up(recover, AmbiguousWriteError(
                        "HTTP %s on a write that may have been applied; it is not sent again so that nothing "
                        "is created twice" % resp.status_code,
                        method=method, path=display_path, status=resp.status_code, correlation_id=correlation_id),
                        started, resp.headers, correlation_id)
                    if found is not None:
                        return found
                if not retries.again(_retry_after(resp.headers)):
                    error = error_from_response(method, display_path, resp.status_code, body, correlation_id)
                    error.message += " (gave up after %d attempts and %.1f s of waiting)" % (
                        retries.count + 1, retries.waited)
                    raise error
                continue

            if resp.status_code >= 400:
                raise error_from_response(method, display_path, resp.status_code, body, correlation_id)
            if resp.content and body is None:
                raise GenesysCloudError(
                    "the server answered %s with a body that is not JSON" % resp.status_code,
                    method=method, path=display_path, status=resp.status_code, correlation_id=correlation_id)
            return Response(resp.status_code, body, resp.headers, correlation_id, self._clock() - started)
