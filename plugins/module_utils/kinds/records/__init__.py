# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records kind: ``records/SCHEMA.{yml,yaml,json,jsonl,csv}`` of an org directory, over module_utils/records_resource.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
