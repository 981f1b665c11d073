# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""no_log values out of a task result, at the cost of one scan when none of them is there.

``remove_values`` copies the whole result node by node (with ansible-core's data tags), which costs
seconds for the result of a large org run even when no secret occurs in it, the usual case. The
result is plain JSON data, so one serialisation tells whether any value occurs at all (in a key or a
value, raw or JSON-escaped); only then does ``remove_values`` censor it, exactly as before.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.module_utils.common.parameters import remove_values


def _occurs(value, text):
    value = "%s" % (value,)
    return value in text or json.dumps(value, ensure_ascii=False)[1:-1] in text


def censor(result, no_log_values):
    """``result`` with every no_log value masked (``remove_values``); ``result`` itself when none occurs."""
    if not no_log_values:
        return result
    try:
        text = json.dumps(result, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):  # not plain JSON data: censor node by node
        return remove_values(result, no_log_values)
    if any(_occurs(value, text) for value in no_log_values):
        return remove_values(result, no_log_values)
    return result
