# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The export format of an org-as-code directory: stable ordering and formatting, no server bookkeeping.

Used by org_as_code.py (``export`` command). Exporting the same state twice gives the same text,
which is what lets an export round-trip byte for byte.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import yaml

FIELD_KEY_ORDER = ("name", "type", "required", "unique", "options", "max_length", "relationship")
SCHEMA_EXPORT_KEYS = ("name", "description", "fields")
WEBHOOK_EXPORT_KEYS = ("name", "endpoint", "event_types", "enabled", "headers", "filter")
SERVER_RECORD_KEYS = ("version", "dateCreated", "dateModified", "selfUri")
SAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _plain(data):
    """Plain dicts, lists and scalars (Ansible hands filters tagged or unsafe subclasses)."""
    return json.loads(json.dumps(data))


def _without_empty(data):
    """Drop None values and empty containers recursively, so exports list only what is set."""
    if isinstance(data, dict):
        cleaned = dict((key, _without_empty(value)) for key, value in data.items())
        return dict((key, value) for key, value in cleaned.items() if value is not None and value != {} and value != [])
    if isinstance(data, list):
        return [_without_empty(item) for item in data]
    return data


def _ordered(data, first):
    """``data`` with the keys in ``first`` leading in that order, the rest sorted: stable and readable."""
    keys = [key for key in first if key in data] + sorted(key for key in data if key not in first)
    return dict((key, data[key]) for key in keys)


def export_schema(schema):
    """A schema as flex_schema_info returns it, as the YAML text of ``schemas/<name>.yml``."""
    schema = _without_empty(_plain(schema))
    fields = [_ordered(field, FIELD_KEY_ORDER) for field in schema.get("fields") or []]
    document = _ordered(dict(schema, fields=fields), ("name", "description", "fields"))
    return _yaml_text(dict((k, v) for k, v in document.items() if k in SCHEMA_EXPORT_KEYS))


def export_webhook(webhook, with_headers=True):
    """A webhook as webhook_info returns it (never with a secret), as the YAML text of ``webhooks/<name>.yml``.

    Without ``with_headers`` the headers are left out (a re-apply then leaves stored headers alone).
    """
    webhook = _without_empty(_plain(webhook))
    document = dict((k, v) for k, v in webhook.items()
                    if k in WEBHOOK_EXPORT_KEYS and (with_headers or k != "headers"))
    if "event_types" in document:
        document["event_types"] = sorted(document["event_types"])
    return _yaml_text(_ordered(document, WEBHOOK_EXPORT_KEYS))


def export_records(records):
    """Records as the JSON-lines text of ``records/<schema>.jsonl``: ordered by id, keys sorted.

    Server bookkeeping is dropped; ids (server-made ones too) are kept so a re-apply matches them.
    """
    cleaned = [dict((key, value) for key, value in record.items() if key not in SERVER_RECORD_KEYS)
               for record in _plain(records)]
    cleaned.sort(key=lambda record: str(record.get("id", "")))
    return "".join(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n" for record in cleaned)


def _yaml_text(document):
    text = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True, width=100)
    return "---\n" + text


def file_name(name, suffix=".yml"):
    """A file name for a schema or webhook name that is safe on every file system."""
    return SAFE_FILE_NAME.sub("_", str(name)).strip("._") + suffix


def export_files(state):
    """Every file of an export, ``{relative path: text}``, from what the _info modules returned."""
    files = {}
    for schema in state.get("schemas") or []:
        files["schemas/" + file_name(schema["name"])] = export_schema(schema)
    for schema_name, records in sorted((state.get("records") or {}).items()):
        if records:
            files["records/" + file_name(schema_name, ".jsonl")] = export_records(records)
    for webhook in state.get("webhooks") or []:
        files["webhooks/" + file_name(webhook["name"])] = export_webhook(webhook, state.get("with_headers", True))
    return files
