# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesys.cloud.org_export: write an org as an org-as-code directory (docs: plugins/modules/org_export.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.plugin_utils.org_action import OrgAction


class ActionModule(OrgAction):
    """Reads the org with one read-only client and writes the export directory on the control node."""

    read_only = True

    def arguments(self):
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export import EXPORT_ARGUMENTS
        return EXPORT_ARGUMENTS

    def work(self, params, client, check_mode, task_vars):
        from ansible_collections.genesys.cloud.plugins.module_utils.runner import _metrics
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export import export_org
        try:
            result = export_org(client, params, check_mode, bool(self._task.diff))
        except (IOError, OSError) as exc:
            return dict(failed=True, changed=False, msg="writing the export to %s failed: %s" % (params["dest"], exc))
        result.update(metrics=_metrics(client), audit=[])
        return result
