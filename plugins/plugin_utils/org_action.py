# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the two whole-org actions (``org``, ``org_export``) share: check the task's arguments,
build the run's one client, hand both to ``work`` and censor no_log values from the result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase


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

        params, no_log_values, errors = validate_arguments(self.arguments(), self._task.args)
        if errors:
            result.update(failed=True, changed=False, msg="; ".join(errors))
            return remove_values(result, no_log_values)
        check_mode = bool(self._task.check_mode)
        try:
            client = client_for(dict(params, preview=True) if self.read_only else params, check_mode or self.read_only)
            with rendering(self._host_templar(task_vars or {}), task_vars or {}):
                result.update(self.work(params, client, check_mode, task_vars or {}))
        except GenesysCloudError as exc:
            result.update(exc.to_result(), failed=True, changed=False)
        return remove_values(result, no_log_values)
