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

Every controller-side plugin (the module actions, ``org`` and ``org_export``, the lookups) works out
its connection settings with :func:`resolve_connection`, in one order, option by option: the task's
own options, then ``module_defaults``, then the task's ``environment:``, then the controller's
environment (an empty variable counts as unset). Credentials are one unit: client credentials
(``client_id``/``client_secret``) and an ``access_token`` from different places are resolved by
that order (the higher place wins, and on a tie the client credentials win), and both given on the
task itself (or both in ``module_defaults``) is an error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.genesys.cloud.plugins.module_utils.arguments import (
    CONNECTION_OPTIONS,
    client_settings,
    connection_argument_spec,
)
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.plugin_utils.token_store import shared_store


TASK = "the task's options"
MODULE_DEFAULTS = "module_defaults"
TASK_ENVIRONMENT = "the task's environment"
CONTROLLER_ENVIRONMENT = "the controller's environment"
LAYERS = (TASK, MODULE_DEFAULTS, TASK_ENVIRONMENT, CONTROLLER_ENVIRONMENT)
CLIENT_CREDENTIALS = ("client_id", "client_secret")


def environment_variables():
    """``{option: [environment variable, ...]}`` of the connection options, from their argument spec."""
    found = {}
    for option, spec in connection_argument_spec().items():
        fallback = spec.get("fallback") or ()
        if len(fallback) > 1:
            found[option] = list(fallback[1])
    return found


def _from_environment(environment):
    values = {}
    for option, names in environment_variables().items():
        for name in names:
            value = (environment or {}).get(name)
            if value not in (None, ""):
                values[option] = value
                break
    return values


def resolve_connection(args, defaults=None, task_environment=None, environ=None):
    """``(options, origins)``: every connection option with its value (None when unset) and where it came from.

    ``args`` are the task's arguments as the action sees them (``module_defaults`` merged in);
    ``defaults`` what ``module_defaults`` gave (a key of ``args`` equal to its default there counts
    as coming from module_defaults); ``task_environment`` the task's ``environment:``; ``environ``
    the controller's environment. Only the connection options of ``args`` are looked at. Raises
    ConfigurationError when the task (or module_defaults) gives both client credentials and a token.
    """
    defaults = defaults or {}
    given = dict((name, value) for name, value in (args or {}).items()
                 if name in CONNECTION_OPTIONS and value is not None)
    from_defaults = dict((name, value) for name, value in given.items()
                         if name in defaults and defaults[name] == value)
    layers = (
        (TASK, dict((name, value) for name, value in given.items() if name not in from_defaults)),
        (MODULE_DEFAULTS, from_defaults),
        (TASK_ENVIRONMENT, _from_environment(task_environment)),
        (CONTROLLER_ENVIRONMENT, _from_environment(environ)),
    )
    options, origins = {}, {}
    for option in CONNECTION_OPTIONS:
        options[option] = None
        for layer, values in layers:
            if option in values:
                options[option], origins[option] = values[option], layer
                break
    if options["access_token"] is not None and any(options[name] is not None for name in CLIENT_CREDENTIALS):
        token_rank = LAYERS.index(origins["access_token"])
        client_rank = min(LAYERS.index(origins[name]) for name in CLIENT_CREDENTIALS if name in origins)
        if token_rank == client_rank and LAYERS[token_rank] in (TASK, MODULE_DEFAULTS):
            raise ConfigurationError(
                "%s give both client_id/client_secret and access_token: give one of them (client "
                "credentials, which the collection refreshes, or a token)" % LAYERS[token_rank])
        dropped = ("access_token",) if client_rank <= token_rank else CLIENT_CREDENTIALS
        for name in dropped:
            options[name] = None
            origins.pop(name, None)
    for option, spec in connection_argument_spec().items():
        if options[option] is None and spec.get("default") is not None:
            options[option] = spec["default"]
    return options, origins


def describe_origins(origins):
    """``api_url from the task's environment; client_id from ...`` (never a value), for -vvv."""
    by_layer = {}
    for option in CONNECTION_OPTIONS:
        if option in origins:
            by_layer.setdefault(origins[option], []).append(option)
    return "; ".join("%s from %s" % (", ".join(names), layer) for layer, names in
                     sorted(by_layer.items(), key=lambda item: LAYERS.index(item[0]))) or "nothing set: defaults only"


def connection_settings(options):
    """The connection options of ``options`` (other keys are ignored), already resolved (see
    :func:`resolve_connection`), validated as a module would: types, choices, defaults; no
    environment variable is read here. Raises ConfigurationError listing every problem."""
    spec = connection_argument_spec()
    for option in spec.values():
        option.pop("fallback", None)
    wanted = dict((name, value) for name, value in (options or {}).items()
                  if name in CONNECTION_OPTIONS and value is not None)
    validation = ArgumentSpecValidator(spec).validate(wanted)
    if validation.error_messages:
        raise ConfigurationError("; ".join(validation.error_messages))
    return client_settings(validation.validated_parameters)


def client_for(options, check_mode=False, **overrides):
    """A ``GenesysCloudClient`` for resolved ``options`` that shares the run's token for its org.

    ``check_mode`` makes the client refuse writes. ``overrides`` go to the client as they are
    (``pool_size``, ``trace`` ...). Raises ``GenesysCloudError`` (``ConfigurationError``)
    for missing or invalid options.
    """
    settings = connection_settings(options)
    settings.update(overrides)
    settings["read_only"] = check_mode
    return GenesysCloudClient(token_cache=shared_store(), **settings)


def lookup_client(options, environ=None, **overrides):
    """The read-only client of a lookup: its options, then the controller's environment."""
    resolved, _origins = resolve_connection(options, environ=os.environ if environ is None else environ)
    return client_for(resolved, check_mode=True, **overrides)
