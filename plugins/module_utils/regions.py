# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Genesys Cloud regions and the API / login base URLs they map to."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for sanity's compile test
    from urlparse import urlsplit  # type: ignore

from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError

DEFAULT_REGION = "us-east-1"

# AWS region name -> Genesys Cloud domain, as the official SDKs and the Terraform provider map them
# (18 regions). Every domain serves the API at api.<domain> and tokens at login.<domain>.
REGION_DOMAINS = {
    "us-east-1": "mypurecloud.com",
    "us-east-2": "use2.us-gov-pure.cloud",
    "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud",
    "sa-east-1": "sae1.pure.cloud",
    "eu-west-1": "mypurecloud.ie",
    "eu-west-2": "euw2.pure.cloud",
    "eu-central-1": "mypurecloud.de",
    "eu-central-2": "euc2.pure.cloud",
    "me-central-1": "mec1.pure.cloud",
    "ap-south-1": "aps1.pure.cloud",
    "ap-northeast-1": "mypurecloud.jp",
    "ap-northeast-2": "apne2.pure.cloud",
    "ap-northeast-3": "apne3.pure.cloud",
    "ap-southeast-1": "apse1.pure.cloud",
    "ap-southeast-2": "mypurecloud.com.au",
    "mx-central-1": "mxc1.pure.cloud",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
}

REGIONS = sorted(REGION_DOMAINS)


# Paths the client appends itself: a base URL that already ends in one doubles it (and the login fails).
API_SUFFIXES = {"api_url": ("/api/v2", "/api"), "auth_url": ("/oauth/token", "/oauth")}


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _checked_base(url, option):
    """Return ``url`` without a trailing slash, refusing anything but https (or http to loopback)."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError("%s must not carry credentials (user:password@); use client_id and client_secret"
                                 % option)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            "%s must be an absolute http(s) URL such as https://api.mypurecloud.com, got %r" % (option, url))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            "%s uses plain http to %s: only https is allowed, except to a loopback address "
            "(127.0.0.1, ::1, localhost) such as the local emulator" % (option, parts.hostname))
    if parts.query or parts.fragment:
        raise ConfigurationError("%s must not carry a query or fragment, got %r" % (option, url))
    path = parts.path.rstrip("/").lower()
    for suffix in API_SUFFIXES.get(option, ()):
        if path.endswith(suffix):
            raise ConfigurationError(
                "%s must be the base URL without %s (the modules add it): use %r instead of %r"
                % (option, suffix, url.rstrip("/")[:-len(suffix)], url))
    return url.rstrip("/")


def resolve_base_urls(region=None, api_url=None, auth_url=None):
    """Work out ``(api_base, login_base)``.

    ``api_url`` and ``auth_url`` override the region. When only ``api_url`` is given, tokens
    come from the same base: that is how the emulator (and any proxy in front of both) works.
    """
    region = region or DEFAULT_REGION
    if region not in REGION_DOMAINS:
        raise ConfigurationError(
            "unknown region %r; valid regions are: %s" % (region, ", ".join(REGIONS)))
    domain = REGION_DOMAINS[region]
    if api_url:
        api_base = _checked_base(api_url, "api_url")
        login_base = _checked_base(auth_url, "auth_url") if auth_url else api_base
    else:
        api_base = "https://api.%s" % domain
        login_base = _checked_base(auth_url, "auth_url") if auth_url else "https://login.%s" % domain
    return api_base, login_base


def api_host(api_base):
    """The host part of the API base, used to name the org in audit entries."""
    return urlsplit(api_base).netloc
