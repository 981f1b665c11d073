# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Comparison and diff helpers shared by the resource modules.

Comparisons look only at what the user gave (a key left out means "don't care"), so a module
never fights over a setting its task does not mention.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

MASK = "********"


def unordered_equal(wanted, stored):
    """Lists compared as sets of their items (for event types, options and the like)."""
    if wanted is None or stored is None:
        return wanted == stored
    return sorted(wanted, key=repr) == sorted(stored, key=repr)


def masked(data, secret_paths):
    """A deep copy of ``data`` with the values at ``secret_paths`` replaced by a mask.

    A path is a tuple of keys; ``"*"`` stands for every key of a dict (header values, say).
    Missing keys are left alone, so a mask never invents a value.
    """
    if data is None:
        return None
    result = copy.deepcopy(data)
    for path in secret_paths:
        _mask_path(result, tuple(path))
    return result


def _mask_path(node, path):
    if not path or not isinstance(node, dict):
        return
    head, rest = path[0], path[1:]
    keys = list(node) if head == "*" else [head]
    for key in keys:
        if key not in node or node[key] is None:
            continue
        if rest:
            _mask_path(node[key], rest)
        else:
            node[key] = MASK


def make_diff(before, after, secret_paths=()):
    """The ``diff`` return value Ansible shows with ``--diff``, secrets masked on both sides."""
    return dict(before=masked(before, secret_paths) or {}, after=masked(after, secret_paths) or {})
