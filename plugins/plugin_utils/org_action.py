# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the two whole-org actions (``org``, ``org_export``) share: check the task's arguments,
build the run's one client, hand both to ``work`` and censor no_log values from the result.

A failed result's ``msg`` is one string of at most ``org_report.MSG_LIMIT`` characters (``problems`` and the
plan files keep every problem); a failed preview or drift check prints its plan (``plan_text``) once, as text.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.genesys.cloud.plugins.plugin_utils.censor import censor

display = Display()


class OrgAction(ActionBase):
    """Subclasses set ``arguments()`` (the AnsibleModule-style spec) and ``work(params, client,
    check_mode, task_vars)``, which returns the result; ``read_only`` forces a read-only client."""

    _supports_check_mode = True
    _supports_async = False
    _requires_connection = False
    read_only = False

    def arguments(self):
        raise NotImplementedError

    def work(self, params, client, check_mode, task_vars):
        raise NotImplementedError

    def _host_templar(self, task_vars):
        """The task's own templar over the host's variables (``templated: true`` org directories)."""
        if hasattr(self._templar, "copy_with_new_env") and hasattr(self._templar, "evaluate_expression"):
            return self._templar.copy_with_new_env(available_variables=task_vars)  # ansible-core 2.19+
        self._templar.available_variables = task_vars
        return self._templar

    def run(self, tmp=None, task_vars=None):
        result = super(OrgAction, self).run(tmp, task_vars)
        # Imported here: requests and jsonschema are only needed when the task runs.
        from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
        from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_template import rendering
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import client_for

        from ansible_collections.genesys.cloud.plugins.plugin_utils.session import describe_origins
        from ansible_collections.genesys.cloud.plugins.plugin_utils.task_connection import (
            applied_environment,
            task_connection,
            trace_sink,
        )

        # The connection comes from the task, module_defaults, the task's environment, the
        # controller's environment, in that order: the same place every action resolves it.
        name = self._task.action.split(".")[-1]
        try:
            options, origins, environment = task_connection(self, name)
        except GenesysCloudError as exc:
            result.update(failed=True, changed=False, msg="genesys.cloud.%s: %s" % (name, exc))
            return result
        label = (task_vars or {}).get("inventory_hostname") or "localhost"
        display.vvv("genesys.cloud.%s connection settings: %s" % (name, describe_origins(origins)), host=label)
        params, no_log_values, errors = validate_arguments(self.arguments(), dict(self._task.args, **options))
        if errors:
            result.update(failed=True, changed=False, msg="; ".join(errors))
            return censor(result, no_log_values)
        check_mode = bool(self._task.check_mode)
        with applied_environment(environment):
            try:
                client = client_for(dict(params, preview=True) if self.read_only else params,
                                    check_mode or self.read_only)
                client.trace = trace_sink(task_vars, label, environment)
                with rendering(self._host_templar(task_vars or {}), task_vars or {}):
                    result.update(self.work(params, client, check_mode, task_vars or {}))
            except GenesysCloudError as exc:
                result.update(exc.to_result(), failed=True, changed=False)
        return self._readable(censor(result, no_log_values), label)

    @staticmethod
    def _readable(result, label):
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_report import failure_message

        if result.get("failed") and "msg" in result:
            result["msg"] = failure_message(result["msg"], result.get("problems"))
        if result.get("plan_text"):
            display.display("%s:\n%s" % (label, result["plan_text"].rstrip("\n")))
        return result
