# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesys.cloud.org: a whole org definition in one controller-side task (docs: plugins/modules/org.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

display = Display()


class ActionModule(ActionBase):
    """Validates the task's arguments, builds one client and runs :func:`org_run.run_org` with it."""

    _supports_check_mode = True
    _supports_async = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        # Imported here: requests and jsonschema are only needed when the task runs.
        from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
        from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS, client_for, run_org

        params, no_log_values, errors = validate_arguments(ORG_ARGUMENTS, self._task.args)
        if errors:
            result.update(failed=True, changed=False, msg="; ".join(errors))
            return remove_values(result, no_log_values)
        check_mode = bool(self._task.check_mode)
        host = (task_vars or {}).get("inventory_hostname", "")

        def progress(line):
            display.v("%s: %s" % (host, line))

        try:
            client = client_for(params, check_mode)
        except GenesysCloudError as exc:
            result.update(exc.to_result(), failed=True, changed=False)
            return remove_values(result, no_log_values)
        result.update(run_org(client, params, check_mode, diff=bool(self._task.diff), progress=progress))
        return remove_values(result, no_log_values)
