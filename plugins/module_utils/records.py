# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom-object record values: the schema as JSON Schema, dates, the validator, comparison, write bodies, batches.

Nothing here sends a request or reads a file: readers live in records_read.py, the planner in
records_plan.py, the contract (read, plan, apply) in records_resource.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import functools
import hashlib
import importlib.util
import json
import math
import re
import uuid
from json.encoder import encode_basestring_ascii

# jsonschema is imported when a record needs its messages (RecordValidator.iter_errors): a run whose
# records are all valid, and the records helper process, do without its import time and memory.
HAS_JSONSCHEMA = importlib.util.find_spec("jsonschema") is not None

MAX_BATCH_BYTES = 2 * 1024 * 1024
BATCH_ENVELOPE_BYTES = len('{"records":[]}')
RECORD_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
METADATA = ("version", "dateCreated", "dateModified")
ID_NAMESPACE = uuid.UUID("5d0c8a5e-5f57-4a55-9b8e-6f1e0c2a7d31")
try:  # uuid5 hashes the namespace, then the name: the namespace part is hashed once here
    _ID_HASH = hashlib.sha1(ID_NAMESPACE.bytes, usedforsecurity=False)
except TypeError:  # Python < 3.9
    _ID_HASH = hashlib.sha1(ID_NAMESPACE.bytes)
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
KEY_LIMIT = 1000  # the most keys per outcome a result lists
PREFIX = 80  # the most characters of a user's value a message repeats


def short(value, limit=PREFIX):
    """``str(value)`` cut to ``limit`` characters, for names and ids in messages."""
    text = "%s" % (value,)
    return text if len(text) <= limit else text[:limit] + "... (%d characters)" % len(text)


def problem_value(value, limit=PREFIX):
    """``repr(value)`` cut to ``limit`` characters, for messages: a 5 MB value is never echoed whole."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "... (%d characters)" % len(text)


# -- the schema as JSON Schema, and value normalisation ---------------------------------------
def json_schema_for(fields):
    """A JSON Schema that one record (as it will be stored) must satisfy."""
    properties = {"id": {"type": "string", "pattern": RECORD_ID_PATTERN}}
    for field in fields.values():
        ftype = field["type"]
        prop = {"type": {"number": "number", "boolean": "boolean"}.get(ftype, "string")}
        if ftype == "string":
            if field.get("maxLength") is not None:
                prop["maxLength"] = field["maxLength"]
            if field.get("options") is not None:
                prop["enum"] = list(field["options"])
        elif ftype == "date":
            prop["format"] = "genesys-date"
        properties[field["name"]] = prop
    required = sorted(name for name, field in fields.items() if field.get("required"))
    return {"type": "object", "properties": properties, "additionalProperties": False, "required": required}


def is_date(value):
    if not isinstance(value, str):
        return True  # the type check reports it
    return _parse_date(value) is not None


@functools.lru_cache(maxsize=4096)
def _parse_date(value):
    """The canonical form of a date or date-time string, or None; cached, as a data set repeats its dates."""
    try:
        if _DATE.match(value):
            return datetime.date.fromisoformat(value).isoformat()
        if _DATETIME.match(value):
            text = value.upper().replace("Z", "+00:00")
            if "." in text:  # fromisoformat on Python < 3.11 wants exactly 3 or 6 fraction digits
                head, rest = text.split(".", 1)
                digits = re.match(r"\d+", rest).group(0)
                text = "%s.%s%s" % (head, (digits + "000000")[:6], rest[len(digits):])
            moment = datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc)
            return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return None
    return None


class RecordValidator:
    """The checks one schema's records get: a quick pass for the common valid record, JSON Schema for the rest.

    jsonschema costs about half a millisecond a record, so it only runs on records the quick pass
    refuses, to word the message. :meth:`quick` accepts only records the JSON Schema accepts too
    (a property test pins that), with one check per field chosen when the schema is read.
    """

    def __init__(self, fields):
        self.fields = fields
        self._checks = dict((name, _value_check(field)) for name, field in fields.items())
        self._checks["id"] = _is_record_id
        self._required = frozenset(name for name, field in fields.items() if field.get("required"))
        self._numbers = [name for name, field in fields.items() if field["type"] == "number"]
        self._booleans = [name for name, field in fields.items() if field["type"] == "boolean"]
        self._schema = None

    def quick(self, record):
        """True when ``record`` (field -> value, optionally with its id) is plainly valid."""
        checks = self._checks
        for name, value in record.items():
            check = checks.get(name)
            if check is None or not check(value):
                return False
        return self._required <= record.keys()

    def equal_to_valid(self, record):
        """:meth:`quick` for a record whose values equal (``==``) those of a stored record.

        The service keeps stored records valid under the current schema (it refuses a schema
        update that a stored value would break), and equal values have equal types except that
        ``True == 1`` and ``False == 0``: only a boolean given for a number, or the reverse, can
        make such a record invalid.
        """
        for name in self._numbers:
            value = record.get(name)
            if value is True or value is False:
                return False
        for name in self._booleans:
            value = record.get(name)
            if value is not None and value is not True and value is not False:
                return False
        return True

    def iter_errors(self, record):
        if self._schema is None:
            import jsonschema

            checker = jsonschema.FormatChecker(formats=())
            checker.checks("genesys-date")(is_date)
            self._schema = jsonschema.Draft7Validator(json_schema_for(self.fields), format_checker=checker)
        return self._schema.iter_errors(record)


def record_validator(fields):
    return RecordValidator(fields)


_RECORD_ID = re.compile(RECORD_ID_PATTERN)


def _is_record_id(value):
    return isinstance(value, str) and _RECORD_ID.match(value) is not None


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_boolean(value):
    return value is True or value is False


def _is_date(value):
    return isinstance(value, str) and _parse_date(value) is not None


def _is_text(value):
    return isinstance(value, str)


def _value_check(field):
    """One predicate for a field's values, with its limits bound in."""
    ftype = field["type"]
    if ftype == "number":
        return _is_number
    if ftype == "boolean":
        return _is_boolean
    if ftype == "date":
        return _is_date
    if ftype != "string" or (field.get("maxLength") is None and field.get("options") is None):
        return _is_text
    longest = field.get("maxLength")
    options = frozenset(field["options"]) if field.get("options") is not None else None

    def check(value):
        return (isinstance(value, str) and (longest is None or len(value) <= longest)
                and (options is None or value in options))
    return check


def normalise(ftype, value):
    """The comparable form of a value: numbers by value, dates by the instant they name."""
    if ftype == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if ftype == "date" and isinstance(value, str):
        return _parse_date(value) or value
    return value


def compact_json(value):
    """``json.dumps(value, separators=(",", ":"))`` with one shared encoder (dumps makes one a call)."""
    return _COMPACT_JSON.encode(value)


def record_id_for(schema_name, key, key_value):
    """The id a new record without one gets: the same for the same input, so a replay reuses it."""
    if key == "id":
        seed = json.dumps(key_value, sort_keys=True, separators=(",", ":"), default=str)
    elif isinstance(key_value, str):
        seed = "%s=%s" % (key, encode_basestring_ascii(key_value))  # what json.dumps makes of text
    else:
        seed = "%s=%s" % (key, json.dumps(key_value, default=str))
    return _uuid5("%s\0%s" % (schema_name, seed))


def _uuid5(name):
    """``str(uuid.uuid5(ID_NAMESPACE, name))``, without a UUID object: a new set derives one id a record."""
    digest = _ID_HASH.copy()
    digest.update(name.encode("utf-8"))
    raw = bytearray(digest.digest()[:16])
    raw[6] = raw[6] & 0x0F | 0x50  # version 5
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    text = raw.hex()
    return "%s-%s-%s-%s-%s" % (text[:8], text[8:12], text[12:16], text[16:20], text[20:])


# -- validation and planning ------------------------------------------------------------------
class Desired:
    """One desired record: where it came from, its key, its id, and the fields the user gave."""

    __slots__ = ("where", "key", "record_id", "values", "stored")

    def __init__(self, where, key, record_id, values, stored):
        self.where, self.key, self.record_id, self.values, self.stored = where, key, record_id, values, stored


def key_label(key, value):
    """``key=value``, naming a record in results and messages (a value past 200 characters is cut)."""
    text = "%s" % (value,)
    return "%s=%s" % (key, text if len(text) <= 200 else text[:200] + "...")


def _stored_values(stored):
    return dict((k, v) for k, v in stored.items() if k != "id" and k not in METADATA)


def _merged(entry):
    merged = _stored_values(entry.stored) if entry.stored else {}
    for name, value in entry.values.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    merged["id"] = entry.record_id
    return merged


def _message(error, merged, fields):
    """jsonschema's message in our words, never repeating more than a short prefix of the value."""
    kind, shown = error.validator, problem_value(error.instance)
    if kind == "additionalProperties":
        return "unknown field(s): %s" % ", ".join(sorted(set(merged) - set(fields) - {"id"}))
    if kind == "format":
        return "%s is not a date (YYYY-MM-DD or an RFC 3339 date-time)" % shown
    if len(shown) <= PREFIX:
        return error.message
    if kind == "maxLength":
        return "%s is longer than %d characters (%d)" % (shown, error.validator_value, len(error.instance))
    if kind == "enum":
        return "%s is not one of the options %s" % (shown, problem_value(error.validator_value, 200))
    if kind == "type":
        return "%s is not of type %s" % (shown, error.validator_value)
    if kind == "pattern":
        return "%s does not match %s" % (shown, error.validator_value)
    if kind == "required":
        return error.message
    return "%s: %s" % (shown, kind)


def record_problems(validator, where, merged, fields, check_size=True):
    """The problems of one record as it will be stored (``merged``), each naming ``where`` and the field.

    The one place the records' validation messages are worded (the planner and the directory check
    both come here); a value is never repeated beyond a short prefix.
    """
    problems = []
    errors = [] if validator.quick(merged) else validator.iter_errors(merged)
    for error in sorted(errors, key=lambda e: list(e.path)):
        path = ".".join(str(p) for p in error.path) or "(record)"
        problems.append("%s: %s: %s" % (where, path, _message(error, merged, fields)))
    for name, value in merged.items():  # JSON Schema takes infinity for a number; the service does not
        if isinstance(value, float) and not math.isfinite(value) and fields.get(name, {}).get("type") == "number":
            problems.append("%s: %s: %s is not a finite number" % (where, name, value))
    if check_size and len(_COMPACT_JSON.encode(merged)) + BATCH_ENVELOPE_BYTES > MAX_BATCH_BYTES:
        problems.append("%s: the record alone is larger than a 2 MiB request" % where)
    return problems


def differing_fields(entry, fields):
    """The fields of ``entry`` whose value differs from the stored record, as the update body sends them."""
    stored = entry.stored or {}
    changes = {}
    for name, value in entry.values.items():
        ftype = fields[name]["type"] if name in fields else None
        if normalise(ftype, value) != normalise(ftype, stored.get(name)):
            changes[name] = value
    return changes


def plan_entry(entry, fields, conflict_resolution="upsert"):
    """``(outcome, body)`` of one desired record: create, update, unchanged or skipped, and the write's body."""
    if entry.stored is None:
        if conflict_resolution == "update_only":
            return "skipped", None
        body = dict((k, v) for k, v in entry.values.items() if v is not None)
        body["id"] = entry.record_id
        return "create", body
    changes = differing_fields(entry, fields)
    if not changes:
        return "unchanged", None
    if conflict_resolution == "create_only":
        return "skipped", None
    changes["id"] = entry.record_id
    if conflict_resolution == "update_only":
        changes["conflictResolution"] = "updateOnly"
    return "update", changes


def merged_record(entry):
    return _merged(entry)


def body_size(body):
    return len(_COMPACT_JSON.encode(body))


def iter_batches(writes, batch_size, max_bytes=MAX_BATCH_BYTES):
    """Batches of at most ``batch_size`` records and ``max_bytes`` bytes, as a stream: any iterable of ``(entry, body)`` in, one batch at a time out."""
    current, size = [], BATCH_ENVELOPE_BYTES
    for item in writes:
        item_size = body_size(item[1]) + (1 if current else 0)
        if current and (len(current) >= batch_size or size + item_size > max_bytes):
            yield current
            current, size, item_size = [], BATCH_ENVELOPE_BYTES, item_size - 1
        current.append(item)
        size += item_size
    if current:
        yield current


def chunks(items, size):
    """Lists of at most ``size`` items from any iterable."""
    current = []
    for item in items:
        current.append(item)
        if len(current) == size:
            yield current
            current = []
    if current:
        yield current


def split_in_half(batch):
    middle = len(batch) // 2
    return [batch[:middle], batch[middle:]]


def bounded(items, limit):
    """A list cut to ``limit`` items for the result, and the total it came from."""
    items = list(items)
    return dict(items=items[:limit], total=len(items), truncated=len(items) > limit)
