# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON from strangers, with a nesting limit: an error naming the line instead of a RecursionError.

``json.loads`` recurses once per level of nesting: a document of a few thousand ``[`` raises a raw
RecursionError (and a shallower one makes every later walk over the value deep). :func:`loads` parses,
then checks the depth; past ``max_depth`` it finds the line where the limit is crossed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

MAX_DEPTH = 64
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


class JSONNestingError(ValueError):
    def __init__(self, line, max_depth):
        self.line, self.max_depth = line, max_depth
        super(JSONNestingError, self).__init__("line %d: nested deeper than %d levels" % (line, max_depth))


def depth_exceeded_at(text, max_depth=MAX_DEPTH):
    """The line (1-based) where ``text`` nests deeper than ``max_depth`` arrays and objects; None if it does not."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        depth += 1 if token in "[{" else -1
        if depth > max_depth:
            return text.count("\n", 0, match.start()) + 1
    return None


def _too_deep(value, max_depth):
    level = [value]
    for _depth in range(max_depth):
        level = [child for item in level
                 for child in (item.values() if isinstance(item, dict) else item if isinstance(item, list) else ())
                 if isinstance(child, (dict, list))]
        if not level:
            return False
    return True


def loads(text, max_depth=MAX_DEPTH):
    """``json.loads(text)``; JSONNestingError (a ValueError naming the line) past ``max_depth`` levels."""
    try:
        value = json.loads(text)
    except RecursionError:
        value = None
    else:
        if not _too_deep(value, max_depth):
            return value
    raise JSONNestingError(depth_exceeded_at(text, max_depth) or 1, max_depth)
