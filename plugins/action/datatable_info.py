# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs genesys.cloud.datatable_info on the controller when its task would run there (see plugin_utils/action_base.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.plugin_utils.action_base import GenesysCloudAction


class ActionModule(GenesysCloudAction):
    module_name = "datatable_info"
