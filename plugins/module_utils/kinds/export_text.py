# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the kinds' exports write text: stable ordering and formatting, so the same state gives the same bytes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

try:
    import yaml
except ImportError:  # pragma: no cover - only the controller writes YAML (export, overlays); modules never do
    yaml = None


class ExportError(ValueError):
    """The export cannot go ahead; nothing was written."""


def plain(data):
    """Plain dicts, lists and scalars (Ansible hands filters tagged or unsafe subclasses)."""
    return json.loads(json.dumps(data))


def without_empty(data):
    """Drop None values and empty containers recursively, so exports list only what is set."""
    if isinstance(data, dict):
        cleaned = dict((key, without_empty(value)) for key, value in data.items())
        return dict((key, value) for key, value in cleaned.items() if value is not None and value != {} and value != [])
    if isinstance(data, list):
        return [without_empty(item) for item in data]
    return data


def ordered(data, first):
    """``data`` with the keys in ``first`` leading in that order, the rest sorted: stable and readable."""
    keys = [key for key in first if key in data] + sorted(key for key in data if key not in first)
    return dict((key, data[key]) for key in keys)


def yaml_text(document):
    text = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True, width=100)
    return "---\n" + text


def canonical(value):
    return json.dumps(value, sort_keys=True, default=str)
