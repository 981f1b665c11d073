# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The webhook kind: ``webhooks/NAME.yml`` of an org directory, over module_utils/webhook_apply.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
