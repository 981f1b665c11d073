# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The skeleton every module shares: declare the arguments, build the client, run, report.

A module declares ``ARGUMENTS = module_arguments(spec, **constraints)`` at the top level and
``run(module, client, trail)``, which returns the result dict; ``main()`` is
``run_module(new_module(ARGUMENTS), run)``. :func:`execute` is the part that does not depend on
AnsibleModule, so a controller-side plugin can run the same ``run`` over a client it keeps.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.genesys.cloud.plugins.module_utils.arguments import client_settings, connection_argument_spec
from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.trace import RESULT_KEY, TRACE_ENV, TraceCollector
from ansible_collections.genesys.cloud.plugins.module_utils.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


def module_arguments(argument_spec, **constraints):
    """The keyword arguments of AnsibleModule (and of ArgumentSpecValidator, but for
    ``supports_check_mode``): the module's options plus the connection options, and its constraints
    (``required_if``, ``mutually_exclusive`` ...)."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    arguments = dict(argument_spec=spec, supports_check_mode=True)
    arguments.update(constraints)
    return arguments


def new_module(arguments):
    return AnsibleModule(**arguments)


def client_from_module(module, **overrides):
    settings = client_settings(module.params)
    settings["read_only"] = module.check_mode
    settings.update(overrides)
    return GenesysCloudClient(**settings)


def _metrics(client, since=None):
    """The client's counters (those spent after ``since``), tagged with the org they were spent on
    (for the audit callback)."""
    metrics = client.metrics.since(since) if since else client.metrics.as_dict()
    metrics["org"] = client.org_host
    return metrics


def execute(module, run, client):
    """Run a module's ``run(module, client, trail)`` and return its result, a failure included.

    A failure is a result with ``failed: True`` and the error's ``msg`` and details. ``metrics``
    counts only what this call spent, so a client kept across tasks reports per task.
    """
    before = client.metrics.as_dict()
    trail = AuditTrail(client)
    try:
        result = run(module, client, trail)
    except GenesysCloudError as exc:
        result = exc.to_result()
        result["failed"] = True
    result.setdefault("changed", False)
    result["metrics"] = _metrics(client, since=before)
    result["audit"] = trail.entries
    return result


def _trace_collector(module):
    """The request trace of a module process (``-vvv`` or GENESYSCLOUD_TRACE), returned in its result as
    ``genesys_trace``; the collection's action plugin shows those lines and removes the key."""
    verbosity = getattr(module, "_verbosity", 0) or 0
    if verbosity < 3 and os.environ.get(TRACE_ENV, "").lower() not in ("1", "true", "yes", "on"):
        return None
    return TraceCollector(show_keys=verbosity >= 4)


def run_module(module, run, **client_overrides):
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
    collector = _trace_collector(module)
    try:
        client = client_from_module(module, trace=collector, **client_overrides)
    except GenesysCloudError as exc:
        module.fail_json(**exc.to_result())
    result = execute(module, run, client)
    if collector is not None:
        result[RESULT_KEY] = collector.result()
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)
