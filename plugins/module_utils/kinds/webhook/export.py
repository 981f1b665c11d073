# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A webhook exported: the text of ``webhooks/<name>.yml`` (never a secret; header values only when asked),
what such a file means, whether it is private (0600) and how a diff shows it (values masked)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.diffing import MASK
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import (
    canonical, ordered, plain, without_empty, yaml_text)

WEBHOOK_EXPORT_KEYS = ("name", "endpoint", "event_types", "enabled", "headers", "filter")


def export_webhook(webhook, with_headers=True):
    """A webhook as webhook_info returns it (never with a secret), as the YAML text of ``webhooks/<name>.yml``.

    Without ``with_headers`` the headers are left out (a re-apply then leaves stored headers alone).
    """
    webhook = without_empty(plain(webhook))
    document = dict((k, v) for k, v in webhook.items()
                    if k in WEBHOOK_EXPORT_KEYS and (with_headers or k != "headers"))
    if "event_types" in document:
        document["event_types"] = sorted(document["event_types"])
    return yaml_text(ordered(document, WEBHOOK_EXPORT_KEYS))


def export_keys(with_headers):
    return WEBHOOK_EXPORT_KEYS if with_headers else tuple(k for k in WEBHOOK_EXPORT_KEYS if k != "headers")


def webhook_meaning(data, stem, with_headers):
    """What applying a webhook file does, comparable; headers only count when the export writes them."""
    if not isinstance(data, dict):
        return None
    try:
        terms = data.get("filter")
        meaning = dict(name=str(data.get("name", stem)), endpoint=data.get("endpoint"),
                       event_types=sorted(set(str(event) for event in data.get("event_types") or [])),
                       enabled=data.get("enabled", True), state=data.get("state", "present"),
                       filter=wh.build_filter(terms) if isinstance(terms, dict) else terms)
        if with_headers:
            meaning["headers"] = dict((str(k), str(v)) for k, v in (data.get("headers") or {}).items())
        return canonical(meaning)
    except (AttributeError, TypeError, ValueError):
        return None


def private(data):
    """Whether a webhook file's content is for its owner only (header values or a secret)."""
    return isinstance(data, dict) and bool(data.get("headers") or data.get("secret"))


def masked(data):
    """A webhook file's content with header values, the secret and the endpoint's credentials masked."""
    data = dict(data)
    if isinstance(data.get("headers"), dict):
        data["headers"] = dict((name, MASK) for name in data["headers"])
    if data.get("secret") is not None:
        data["secret"] = MASK
    if isinstance(data.get("endpoint"), str):
        data["endpoint"] = wh.mask_endpoint(data["endpoint"])
    return data
