# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rows of an Architect data table (REAL_API.md section 8, rows): options, source, read, plan, apply."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
