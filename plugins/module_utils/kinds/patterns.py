# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The name patterns of the export's options (``include`` / ``exclude``, a kind's own option): shell-style
(``*``, ``?``, ``[abc]``), matched without regard to case as the org directory compares names."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

SHOWN = 80


def shown(value):
    """``value`` as text, cut to ``SHOWN`` characters for a message (a pattern may come from anyone)."""
    text = str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."


def matches(name, pattern):
    return fnmatch.fnmatchcase(str(name).lower(), str(pattern).lower())
