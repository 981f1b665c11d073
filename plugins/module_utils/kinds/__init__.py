# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One package per kind of object (its options, read, plan and apply); the org machinery will iterate over them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
