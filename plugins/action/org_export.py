# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesys.cloud.org_export: write an org as an org-as-code directory (docs: plugins/modules/org_export.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Reads the org with one client and writes the export directory on the control node."""

    _supports_check_mode = True
    _supports_async = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
        from ansible_collections.genesys.cloud.plugins.module_utils.runner import _metrics
        from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export import export_org
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import EXPORT_ARGUMENTS, client_for

        params, no_log_values, errors = validate_arguments(EXPORT_ARGUMENTS, self._task.args)
        if errors:
            result.update(failed=True, changed=False, msg="; ".join(errors))
            return remove_values(result, no_log_values)
        check_mode = bool(self._task.check_mode)
        try:
            client = client_for(dict(params, preview=True), True)
            result.update(export_org(client, params["dest"], params["headers"], check_mode))
            result.update(metrics=_metrics(client), audit=[])
        except GenesysCloudError as exc:
            result.update(exc.to_result(), failed=True, changed=False)
        except (IOError, OSError) as exc:
            result.update(failed=True, changed=False, msg="writing the export to %s failed: %s" % (params["dest"], exc))
        return remove_values(result, no_log_values)
