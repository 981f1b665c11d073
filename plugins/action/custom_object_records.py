# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs genesys.cloud.custom_object_records on the controller when its task would run there (see plugin_utils/action_base.py).

A load stopped by SIGINT/SIGTERM (module_utils/records_writer.StopOnSignal) returns what it wrote.
When ansible-playbook itself was signalled, it forwarded the signal to this worker and exited at
once, so nobody is left to print that result: the report then goes to the playbook's own stderr,
kept here when the controller imports this plugin (before Ansible detaches its workers from stdio).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os

from ansible_collections.genesys.cloud.plugins.plugin_utils.action_base import GenesysCloudAction

try:
    _PLAYBOOK_STDERR = os.dup(2)  # not inherited by programs the controller starts (PEP 446), only by forks
except OSError:
    _PLAYBOOK_STDERR = None


def _playbook_gone():
    parent = multiprocessing.parent_process()
    return parent is not None and not parent.is_alive()


def report_interruption(result, stderr=None):
    """Write what an interrupted load wrote to the playbook's stderr; True when it did."""
    stderr = _PLAYBOOK_STDERR if stderr is None else stderr
    if stderr is None:
        return False
    line = "genesys.cloud.custom_object_records: %s\n" % result.get("msg", "interrupted")
    try:
        os.write(stderr, line.encode("utf-8", "replace"))
    except OSError:
        return False
    return True


class ActionModule(GenesysCloudAction):
    module_name = "custom_object_records"

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        if result.get("interrupted") and _playbook_gone():
            report_interruption(result)
            os._exit(1)  # as Ansible's own worker does on a forwarded signal, after the clean-up and the report
        return result
