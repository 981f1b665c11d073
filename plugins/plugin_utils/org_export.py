# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export an org as an org-as-code directory: stable ordering and formatting, no server bookkeeping.

Exporting the same state twice gives the same text, which is what lets an export round-trip byte
for byte. The ``genesys.cloud.org_export`` action reads the org with one client (schemas and
webhooks listed once, every schema's records in parallel) and calls :func:`export_org`.
Files that may hold secrets (webhooks with header values) are written 0600.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import SCHEMAS_PATH, Catalog, user_schema
from ansible_collections.genesys.cloud.plugins.module_utils.paging import WEBHOOK_PAGE_SIZE

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


KINDS = ("schemas", "records", "webhooks")
PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644
READ_WORKERS = 8


def read_org(client):
    """``{schemas, webhooks, records}`` in the shapes the _info modules return, read in parallel."""
    with ThreadPoolExecutor(max_workers=READ_WORKERS) as pool:
        schemas = pool.submit(lambda: list(client.paginate(SCHEMAS_PATH, page_size=100)))
        hooks = pool.submit(lambda: list(client.paginate(wh.WEBHOOKS_PATH, page_size=WEBHOOK_PAGE_SIZE)))
        stored = schemas.result()
        pages = dict((schema["name"], pool.submit(
            lambda name: list(client.paginate("/api/v2/customobjects/%s/records" % name, page_size=500)),
            schema["name"])) for schema in stored)
        catalog = Catalog(stored)
        return dict(schemas=[user_schema(schema, catalog) for schema in stored],
                    webhooks=[wh.to_user(hook) for hook in hooks.result()],
                    records=dict((name, future.result()) for name, future in pages.items()))


def file_mode(relative_path, with_headers):
    """Webhook files may hold header values (often credentials): only the owner may read them."""
    return PRIVATE_MODE if relative_path.startswith("webhooks/") and with_headers else PUBLIC_MODE


def write_export(directory, files, with_headers, check_mode=False):
    """Make ``directory`` hold exactly ``files``: write what differs, fix modes, remove stale files.

    Returns ``{written, removed}`` (relative paths). Nothing is touched in check mode.
    """
    written, removed = [], []
    for kind in KINDS:
        folder = os.path.join(directory, kind)
        if not check_mode and not os.path.isdir(folder):
            os.makedirs(folder, 0o755)
        existing = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        for name in existing:
            relative = "%s/%s" % (kind, name)
            if relative not in files and os.path.isfile(os.path.join(folder, name)):
                removed.append(relative)
                if not check_mode:
                    os.remove(os.path.join(folder, name))
    for relative, text in sorted(files.items()):
        path = os.path.join(directory, relative)
        mode = file_mode(relative, with_headers)
        data = text.encode("utf-8")
        current = None
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                current = handle.read()
        same_mode = current is not None and stat.S_IMODE(os.stat(path).st_mode) == mode
        if current == data and same_mode:
            continue
        written.append(relative)
        if check_mode:
            continue
        temporary = path + ".tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    return dict(written=written, removed=removed)


def export_org(client, directory, with_headers=True, check_mode=False):
    """Export the org behind ``client`` to ``directory``; the task result (file names and counts, no values)."""
    state = read_org(client)
    state["with_headers"] = with_headers
    files = export_files(state)
    outcome = write_export(directory, files, with_headers, check_mode)
    counts = dict(schemas=len(state["schemas"]), webhooks=len(state["webhooks"]),
                  records=sum(len(records) for records in state["records"].values()))
    return dict(changed=bool(outcome["written"] or outcome["removed"]), dest=directory, counts=counts,
                files=sorted(files), written=outcome["written"], removed=outcome["removed"])
