# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin behind every genesys.cloud module: run it on the controller when it would run there anyway.

A task whose module would run on the controller through the ``local`` connection (``hosts:
localhost``, ``connection: local``, ``delegate_to: localhost``) runs in the worker Ansible already
forked for it: no AnsiballZ file, no new interpreter, and the OAuth token comes from the store
every task of the run shares (``token_store.py``). Anything else runs the module as usual
(``_execute_module``): see :func:`module_execution_reason`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import HAS_JSONSCHEMA
from ansible_collections.genesys.cloud.plugins.module_utils.trace import RESULT_KEY, TRACE_ENV
from ansible_collections.genesys.cloud.plugins.module_utils.transport import HAS_REQUESTS
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import run_module_in_process
from ansible_collections.genesys.cloud.plugins.plugin_utils.session import (
    MODULE_DEFAULTS,
    TASK,
    TASK_ENVIRONMENT,
    client_for,
    describe_origins,
)
from ansible_collections.genesys.cloud.plugins.plugin_utils.task_connection import (
    applied_environment,
    task_connection,
    trace_sink,
)

display = Display()

OPT_OUT_ENV = "GENESYSCLOUD_IN_PROCESS"
OPT_OUT_VAR = "genesys_cloud_in_process"
LOCAL_CONNECTIONS = ("local", "ansible.builtin.local", "ansible.legacy.local")


def module_execution_reason(connection, become=False, async_val=0, opt_in=True, libraries=True):
    """Why a task must run as a module process (a short reason), or None when it can run in-process.

    ``connection`` is the transport of the task's connection (the delegated host's for
    ``delegate_to``): only ``local`` runs the module on the controller. ``become`` would run it as
    another user, ``async`` in the background; ``opt_in`` is False when the user opted out;
    ``libraries`` is False when requests or jsonschema are missing from the controller's Python.
    """
    if not opt_in:
        return "in-process execution is turned off (%s / %s)" % (OPT_OUT_VAR, OPT_OUT_ENV)
    if connection not in LOCAL_CONNECTIONS:
        return "the task runs over the %r connection, not on the controller" % connection
    if become:
        return "become runs the module as another user"
    if async_val:
        return "async runs the module in the background"
    if not libraries:
        return "requests or jsonschema is missing from the controller's Python"
    return None


def _opt_in(task_vars):
    value = (task_vars or {}).get(OPT_OUT_VAR)
    if value is None:
        value = os.environ.get(OPT_OUT_ENV, "true")
    return boolean(value, strict=False)


# The task's environment around an in-process run (kept under this name for its callers).
_environment = applied_environment


def _with_trace_variable(environment):
    """The task's ``environment`` (a dict or a list of dicts) with GENESYSCLOUD_TRACE set for the module process."""
    extra = {TRACE_ENV: "true"}
    if isinstance(environment, list):
        return list(environment) + [extra]
    if isinstance(environment, dict):
        return [environment, extra]
    return [extra]


def module_process_args(args, options, origins):
    """The arguments a module process gets: what the action resolved for credentials, made explicit.

    A module process reads its own environment for unset options; when the task, module_defaults or
    the task's environment give client credentials, an ``access_token`` from the host's environment
    must not win over them, so it is passed as explicitly unset (and the other way round for a
    token given on the task).
    """
    args = dict(args)
    # The task's environment reaches the module process too: client credentials from it also win there.
    if options.get("access_token") is None and origins.get("client_id") in (TASK, MODULE_DEFAULTS, TASK_ENVIRONMENT):
        args["access_token"] = None
    if options.get("access_token") is not None and origins.get("access_token") in (TASK, MODULE_DEFAULTS):
        args["client_id"] = args["client_secret"] = None
    return args


class GenesysCloudAction(ActionBase):
    """Set ``module_name`` (the module of this collection the action stands for) in a subclass."""

    module_name = None
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        reason = module_execution_reason(
            getattr(self._connection, "transport", None), become=self._play_context.become,
            async_val=self._task.async_val, opt_in=_opt_in(task_vars), libraries=HAS_REQUESTS and HAS_JSONSCHEMA)
        try:
            options, origins, environment = task_connection(self, self.module_name)
        except GenesysCloudError as exc:
            result = super(GenesysCloudAction, self).run(tmp, task_vars)
            result.update(failed=True, changed=False, msg="genesys.cloud.%s: %s" % (self.module_name, exc))
            return result
        label = (task_vars or {}).get("inventory_hostname") or "localhost"
        display.vvv("genesys.cloud.%s connection settings: %s" % (self.module_name, describe_origins(origins)),
                    host=label)
        sink = trace_sink(task_vars, label, environment)
        if reason:
            display.vvv("genesys.cloud.%s runs as a module: %s" % (self.module_name, reason))
            return self._run_module(tmp, task_vars, module_process_args(self._task.args, options, origins), sink)
        result = super(GenesysCloudAction, self).run(tmp, task_vars)
        args = dict(self._task.args)
        args.update(options)

        def client(params, check_mode, **overrides):
            return client_for(params, check_mode, trace=sink, **overrides)

        with _environment(environment):
            result.update(run_module_in_process(
                self.module_name, args, client, check_mode=bool(self._task.check_mode),
                diff=bool(self._task.diff), progress=display.display, module_label=self._task.action))
        return result

    def _run_module(self, tmp, task_vars, args, sink=None):
        """What ansible.builtin.normal does: the module in its own process where the task runs."""
        result = super(GenesysCloudAction, self).run(tmp, task_vars)
        if sink is not None and sink.verbosity < 3:
            self._task.environment = _with_trace_variable(self._task.environment)
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(module_args=args, task_vars=task_vars,
                                                         wrap_async=wrap_async))
        for line in result.pop(RESULT_KEY, None) or []:
            if sink is not None:
                sink.line(line)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
