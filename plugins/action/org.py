# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesys.cloud.org: a whole org definition in one controller-side task (docs: plugins/modules/org.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.utils.display import Display

from ansible_collections.genesys.cloud.plugins.plugin_utils.org_action import OrgAction

display = Display()


class ActionModule(OrgAction):
    """Runs :func:`org_run.run_org` with the run's one client."""

    def arguments(self):
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS
        return ORG_ARGUMENTS

    def work(self, params, client, check_mode, task_vars):
        from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import run_org
        host = task_vars.get("inventory_hostname", "")

        def progress(line):
            display.v("%s: %s" % (host, line))

        return run_org(client, params, check_mode, diff=bool(self._task.diff), progress=progress,
                       inventory_host=host or None)
