# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The skeleton every module shares: build the module and its client, run, report.

A module is ``main()`` calling ``run_module(new_module(spec), run)``, where
``run(module, client, trail)`` returns the result dict. Errors of the client become
``fail_json`` output with the request metrics and audit entries gathered so far.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.genesys.cloud.plugins.module_utils.arguments import client_settings, connection_argument_spec
from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


def new_module(argument_spec, **kwargs):
    spec = connection_argument_spec()
    spec.update(argument_spec)
    kwargs.setdefault("supports_check_mode", True)
    return AnsibleModule(argument_spec=spec, **kwargs)


def client_from_module(module, **overrides):
    settings = client_settings(module.params)
    settings["read_only"] = module.check_mode
    settings.update(overrides)
    return GenesysCloudClient(**settings)


def _metrics(client):
    """The client's counters, tagged with the org they were spent on (for the audit callback)."""
    metrics = client.metrics.as_dict()
    metrics["org"] = client.org_host
    return metrics


def run_module(module, run, **client_overrides):
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
    try:
        client = client_from_module(module, **client_overrides)
    except GenesysCloudError as exc:
        module.fail_json(**exc.to_result())
    trail = AuditTrail(client)
    try:
        result = run(module, client, trail)
    except GenesysCloudError as exc:
        module.fail_json(metrics=_metrics(client), audit=trail.entries, **exc.to_result())
    result.setdefault("changed", False)
    result["metrics"] = _metrics(client)
    result["audit"] = trail.entries
    module.exit_json(**result)
