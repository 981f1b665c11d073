# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every module takes (documented by the genesys.cloud.auth doc fragment)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

from ansible.module_utils.basic import env_fallback

from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.module_utils.regions import DEFAULT_REGION, REGIONS


def connection_argument_spec():
    return dict(
        region=dict(type="str", default=DEFAULT_REGION, choices=REGIONS,
                    fallback=(env_fallback, ["GENESYSCLOUD_REGION"])),
        api_url=dict(type="str", fallback=(env_fallback, ["GENESYSCLOUD_API_URL"])),
        auth_url=dict(type="str", fallback=(env_fallback, ["GENESYSCLOUD_AUTH_URL"])),
        client_id=dict(type="str", fallback=(env_fallback, ["GENESYSCLOUD_OAUTHCLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["GENESYSCLOUD_OAUTHCLIENT_SECRET"])),
        access_token=dict(type="str", no_log=True, fallback=(env_fallback, ["GENESYSCLOUD_ACCESS_TOKEN"])),
        validate_certs=dict(type="bool", default=True),
        timeout=dict(type="float", default=30.0),
        connect_timeout=dict(type="float", default=DEFAULT_CONNECT_TIMEOUT),
        max_retries=dict(type="int", default=5),
        token_pool_size=dict(type="int", default=1, no_log=False,  # a count of tokens, not a secret
                             fallback=(env_fallback, ["GENESYSCLOUD_TOKEN_POOL_SIZE"])),
    )


DEFAULT_CONNECT_TIMEOUT = 5.0
MAX_TOKEN_POOL_SIZE = 20  # as the Terraform provider's token_pool_size


CONNECTION_OPTIONS = tuple(connection_argument_spec())


def client_settings(params):
    """The keyword arguments of GenesysCloudClient from a module's parameters."""
    return dict((name, params.get(name)) for name in CONNECTION_OPTIONS)


def _seconds_problem(option, value, example):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        finite = "" if not isinstance(value, float) or math.isfinite(value) else " (not a finite number)"
        return "%s must be a number of seconds greater than 0 (such as %s), got %s%s" % (
            option, example, repr(value)[:40], finite)
    return None


def check_limits(timeout, max_retries, connect_timeout=None):
    """Refuse a ``timeout``, ``connect_timeout`` or ``max_retries`` that cannot work, before any request
    (``nan`` and ``inf`` included: a float option accepts them).

    Called by the client itself, so every module and plugin that builds one gets the same check.
    """
    problems = [problem for problem in (_seconds_problem("timeout", timeout, 30),
                                        _seconds_problem("connect_timeout", connect_timeout, 5)) if problem]
    if max_retries is not None and (isinstance(max_retries, bool) or not isinstance(max_retries, int)
                                    or max_retries < 0):
        problems.append("max_retries must be 0 (no retry) or more, got %r" % (max_retries,))
    if problems:
        raise ConfigurationError("; ".join(problems))


def check_pool_size(size):
    """``token_pool_size`` as a number of tokens from 1 to 20, or a :class:`ConfigurationError` saying so."""
    if size is None:
        return 1
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_TOKEN_POOL_SIZE:
        raise ConfigurationError(
            "token_pool_size must be a whole number of tokens from 1 to %d (GENESYSCLOUD_TOKEN_POOL_SIZE), got %s"
            % (MAX_TOKEN_POOL_SIZE, repr(size)[:20]))
    return size
