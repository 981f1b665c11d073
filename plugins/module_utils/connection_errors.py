# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Messages for requests that could not be sent or could not connect: where, why, and what to check.

Never a credential: a proxy URL's ``user:password@`` is replaced by ``***@``, and an encoding
error in a credential names the option, not the character.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from urllib.parse import urlsplit

try:
    import requests
    # Raised before anything is sent: not a connection failure, and not retried.
    SETUP_ERRORS = (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                    requests.exceptions.MissingSchema, requests.exceptions.InvalidHeader,
                    requests.exceptions.URLRequired)
except ImportError:  # pragma: no cover - reported by the modules through missing_required_lib
    SETUP_ERRORS = ()

from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError, GenesysCloudError

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")


def _reason(exc):
    """The urllib3 error under a requests connection error (``NewConnectionError``, ``ProxyError`` ...)."""
    reason = exc.args[0] if exc.args else None
    return getattr(reason, "reason", reason)


def name_not_resolved(exc):
    reason = _reason(exc)
    return type(reason).__name__ == "NameResolutionError" or "Failed to resolve" in str(reason)


def _without_credentials(url):
    parts = urlsplit(url or "")
    if parts.username is None and parts.password is None:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()


def connect_error(exc, method, url, display_path, proxies, attempts, elapsed, connect_timeout):
    """A connection that could not be made: where it looked (URL, host, port, proxy), why, and what to check."""
    parts = urlsplit(url)
    where = "%s://%s%s" % (parts.scheme, parts.netloc, parts.path)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    reason = _reason(exc)
    proxy = _without_credentials((proxies or {}).get(parts.scheme) or (proxies or {}).get("all"))
    if isinstance(exc, requests.exceptions.ProxyError):
        why = "the proxy %s cannot be reached or refused the tunnel" % proxy
    elif name_not_resolved(exc):
        why = "the host name %s does not resolve" % parts.hostname
    elif isinstance(exc, requests.exceptions.ConnectTimeout) or "timed out" in str(reason):
        why = "no connection within connect_timeout (%g s)" % connect_timeout
    elif "refused" in str(reason).lower():
        why = "the connection was refused"
    else:
        why = "the connection could not be made (%s)" % type(reason or exc).__name__
    via = "through the proxy %s" % proxy if proxy else "directly (no proxy variable applies)"
    return GenesysCloudError(
        "cannot connect to %s (host %s, port %s) %s: %s; %d attempt(s) in %.1f s. Check region (or api_url / "
        "auth_url) names the org's API, that the host is reachable from here, and the proxy variables %s"
        % (where, parts.hostname, port, via, why, attempts, elapsed, ", ".join(PROXY_VARIABLES)),
        method=method, path=display_path)


def environment_error(exc, method, display_path, auth=None):
    """An error raised before a request left (never echoing a credential): credentials that cannot be
    sent, a CA bundle that is not a file, a proxy setting that cannot work."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if isinstance(exc, UnicodeError) or isinstance(exc, getattr(requests.exceptions, "InvalidHeader", ())):
        what = ("client_id and client_secret must be Latin-1 text without line breaks (they are sent as HTTP Basic "
                "authentication)" if auth is not None else
                "access_token must be ASCII text without line breaks (it is sent in the Authorization header)")
        return ConfigurationError("the request could not be sent: %s; fix the option or the environment variable "
                                  "it comes from" % what, method=method, path=display_path)
    if isinstance(exc, OSError) and bundle and ("CA" in str(exc) or bundle in str(exc)):
        return ConfigurationError(
            "the request could not be sent: REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE (%s) must name a readable CA "
            "bundle file (%s)" % (bundle[:200], exc.strerror or type(exc).__name__), method=method, path=display_path)
    return ConfigurationError("the request could not be sent (%s: %s); check the proxy variables (%s) and "
                              "REQUESTS_CA_BUNDLE" % (type(exc).__name__, str(exc)[:200], ", ".join(PROXY_VARIABLES)),
                              method=method, path=display_path)
