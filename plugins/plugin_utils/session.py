# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A client for controller-side plugins (actions, lookups) that shares the run's OAuth token.

``client_for(options)`` takes the connection options of the ``genesys.cloud.auth`` doc fragment
(``region``, ``api_url``, ``client_id``, ``client_secret``, ``access_token`` ...; unset ones
come from the same environment variables and defaults as in a module) and returns a
``GenesysCloudClient`` whose token comes from, and goes to, the store every task of this
``ansible-playbook`` run shares (``token_store.py``). A play of many tasks against one org thus
logs in once. Tokens live in that store and in the client only: never in a file, a fact or a result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.genesys.cloud.plugins.module_utils.arguments import (
    CONNECTION_OPTIONS,
    client_settings,
    connection_argument_spec,
)
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.plugin_utils.token_store import shared_store


def connection_settings(options):
    """The connection options of ``options`` (other keys are ignored) validated as a module would:
    types, choices, defaults and environment fallbacks. Raises ConfigurationError listing every problem."""
    wanted = dict((name, value) for name, value in (options or {}).items()
                  if name in CONNECTION_OPTIONS and value is not None)
    validation = ArgumentSpecValidator(connection_argument_spec()).validate(wanted)
    if validation.error_messages:
        raise ConfigurationError("; ".join(validation.error_messages))
    return client_settings(validation.validated_parameters)


def client_for(options, check_mode=False, **overrides):
    """A ``GenesysCloudClient`` for ``options`` that shares the run's token for its org.

    ``check_mode`` makes the client refuse writes. ``overrides`` go to the client as they are
    (``pool_size``, ``max_retry_seconds`` ...). Raises ``GenesysCloudError`` (``ConfigurationError``)
    for missing or invalid options.
    """
    settings = connection_settings(options)
    settings.update(overrides)
    settings["read_only"] = check_mode
    return GenesysCloudClient(token_cache=shared_store(), **settings)
