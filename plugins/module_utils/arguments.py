# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every module takes (documented by the genesys.cloud.auth doc fragment)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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
        max_retries=dict(type="int", default=5),
    )


CONNECTION_OPTIONS = tuple(connection_argument_spec())


def client_settings(params):
    """The keyword arguments of GenesysCloudClient from a module's parameters."""
    return dict((name, params.get(name)) for name in CONNECTION_OPTIONS)


def check_limits(timeout, max_retries):
    """Refuse a ``timeout`` or ``max_retries`` that cannot work, before any request.

    Called by the client itself, so every module and plugin that builds one gets the same check.
    """
    problems = []
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        problems.append("timeout must be a number of seconds greater than 0 (such as 30), got %r" % (timeout,))
    if max_retries is not None and (isinstance(max_retries, bool) or not isinstance(max_retries, int)
                                    or max_retries < 0):
        problems.append("max_retries must be 0 (no retry) or more, got %r" % (max_retries,))
    if problems:
        raise ConfigurationError("; ".join(problems))
