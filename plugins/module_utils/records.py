# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom-object records as plain functions: load, validate, compare, plan, order and batch.

Nothing here sends a request; ``custom_object_records`` reads the org, hands what it read to
:func:`plan_records`, and writes the batches this module cuts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import datetime
import io
import json
import re
import uuid

try:
    import jsonschema
    HAS_JSONSCHEMA = True
except ImportError:  # pragma: no cover - reported by the modules through missing_required_lib
    HAS_JSONSCHEMA = False

MAX_BATCH_BYTES = 2 * 1024 * 1024
BATCH_ENVELOPE_BYTES = len('{"records":[]}')
RECORD_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
METADATA = ("version", "dateCreated", "dateModified")
ID_NAMESPACE = uuid.UUID("5d0c8a5e-5f57-4a55-9b8e-6f1e0c2a7d31")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


# -- reading the desired records --------------------------------------------------------------
def iter_json_array(handle, chunk_size=1 << 16):
    """Yield the items of a JSON array file one by one without holding the whole text."""
    decoder = json.JSONDecoder()
    buffer, pos, started = "", 0, False
    while True:
        while True:
            while pos < len(buffer) and buffer[pos] in " \t\r\n,":
                pos += 1
            if not started and pos < len(buffer):
                if buffer[pos] != "[":
                    raise ValueError("the file does not hold a JSON array")
                started, pos = True, pos + 1
                continue
            if pos < len(buffer) and buffer[pos] == "]":
                return
            try:
                item, end = decoder.raw_decode(buffer, pos)
            except ValueError:
                break
            yield item
            pos = end
        chunk = handle.read(chunk_size)
        if not chunk:
            if buffer[pos:].strip():
                raise ValueError("the JSON array is not complete")
            return
        buffer, pos = buffer[pos:] + chunk, 0


def convert_csv_value(ftype, text):
    """A CSV cell as the field's JSON type; a cell that does not convert stays text (and fails validation)."""
    if ftype == "number":
        try:
            number = float(text)
            return int(number) if number.is_integer() and re.match(r"^-?\d+$", text.strip()) else number
        except ValueError:
            return text
    if ftype == "boolean":
        lowered = text.strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    return text


def iter_source(path, fields):
    """Yield ``(where, record)`` from a .json (array), .jsonl or .csv file, streaming.

    CSV cells are converted by the schema's field types; an empty cell means "not given".
    """
    lowered = path.lower()
    name = path.rsplit("/", 1)[-1]
    if lowered.endswith(".csv"):
        with io.open(path, "r", encoding="utf-8-sig", newline="") as handle:
            for row_number, row in enumerate(csv.DictReader(handle), start=2):
                record = {}
                for column, text in row.items():
                    if column is None or text is None or text == "":
                        continue
                    field = fields.get(column)
                    record[column] = convert_csv_value(field["type"], text) if field else text
                yield "%s line %d" % (name, row_number), record
    elif lowered.endswith(".jsonl"):
        with io.open(path, "r", encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, start=1):
                if line.strip():
                    yield "%s line %d" % (name, line_number), json.loads(line)
    elif lowered.endswith(".json"):
        with io.open(path, "r", encoding="utf-8") as handle:
            for index, item in enumerate(iter_json_array(handle)):
                yield "%s[%d]" % (name, index), item
    else:
        raise ValueError("src must end in .json, .jsonl or .csv")


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


def _parse_date(value):
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


def record_validator(fields):
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("genesys-date")(is_date)
    return jsonschema.Draft7Validator(json_schema_for(fields), format_checker=checker)


_RECORD_ID = re.compile(RECORD_ID_PATTERN)
_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "relationship": lambda v: isinstance(v, str),
    "date": lambda v: isinstance(v, str) and _parse_date(v) is not None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def plainly_valid(merged, fields):
    """A quick check that accepts only records the JSON Schema accepts too.

    jsonschema costs about half a millisecond a record; this lets it run only on records that have a
    problem, to word the message, which keeps 100,000 valid records cheap.
    """
    for name, value in merged.items():
        if name == "id":
            if not (isinstance(value, str) and _RECORD_ID.match(value)):
                return False
            continue
        field = fields.get(name)
        if field is None or not _TYPE_CHECKS[field["type"]](value):
            return False
        if field["type"] == "string" and (
                (field.get("maxLength") is not None and len(value) > field["maxLength"])
                or (field.get("options") is not None and value not in field["options"])):
            return False
    return all(name in merged for name, field in fields.items() if field.get("required"))


def normalise(ftype, value):
    """The comparable form of a value: numbers by value, dates by the instant they name."""
    if ftype == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if ftype == "date" and isinstance(value, str):
        return _parse_date(value) or value
    return value


def record_id_for(schema_name, key, key_value):
    """The id a new record without one gets: the same for the same input, so a replay reuses it."""
    if key == "id":
        seed = json.dumps(key_value, sort_keys=True, separators=(",", ":"), default=str)
    else:
        seed = "%s=%s" % (key, json.dumps(key_value, default=str))
    return str(uuid.uuid5(ID_NAMESPACE, "%s\0%s" % (schema_name, seed)))


# -- validation and planning ------------------------------------------------------------------
class Desired:
    """One desired record: where it came from, its key, its id, and the fields the user gave."""

    __slots__ = ("where", "key", "record_id", "values", "stored")

    def __init__(self, where, key, record_id, values, stored):
        self.where, self.key, self.record_id, self.values, self.stored = where, key, record_id, values, stored


def key_label(key, value):
    return "%s=%s" % (key, value)


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


def resolve(items, schema_name, fields, key, stored_by_id, state="present"):
    """Turn ``(where, record)`` pairs into :class:`Desired` entries matched with what is stored.

    Returns ``(entries, problems)``; every problem names the record and the field.
    """
    problems, entries = [], []
    by_key = stored_by_id
    if key != "id":
        by_key = {}
        for stored in stored_by_id.values():
            if stored.get(key) is not None:
                by_key[normalise(fields[key]["type"], stored[key])] = stored
    for where, record in items:
        if not isinstance(record, dict):
            problems.append("%s: a record must be a mapping, not %s" % (where, type(record).__name__))
            continue
        values = dict((k, v) for k, v in record.items() if k != "id" and k not in METADATA)
        given_id = record.get("id")
        key_value = given_id if key == "id" else record.get(key)
        if key_value is None and (key != "id" or state == "absent"):
            problems.append("%s: %s: the key field is missing" % (where, key))
            continue
        if key_value is None:
            record_id = record_id_for(schema_name, key, dict((k, v) for k, v in values.items() if v is not None))
            label = "id=%s (derived)" % record_id
            stored = stored_by_id.get(record_id)
        else:
            lookup = key_value if key == "id" else normalise(fields[key]["type"], key_value)
            stored = by_key.get(lookup) if isinstance(lookup, (str, int, float)) else None
            label = key_label(key, key_value)
            record_id = stored["id"] if stored else given_id or record_id_for(schema_name, key, key_value)
            if key != "id" and given_id is not None and stored and given_id != stored["id"]:
                problems.append("%s (%s): id: %s differs from the stored record's id %s"
                                % (where, label, given_id, stored["id"]))
        entries.append(Desired(where, label, record_id, values, stored))
    return entries, problems


def validate(entries, fields, stored_by_id, relationship_targets):
    """Every problem of the desired records, before anything is written.

    ``relationship_targets`` maps a relationship field to the set of values its target field holds
    in stored records of the target schema; for a field with ``relationship.self`` set (the schema
    points at itself) the values this input gives count too.
    """
    validator = record_validator(fields)
    problems, seen_keys, unique_owner = [], {}, {}
    unique = [name for name, field in fields.items() if field.get("unique")]
    for entry in entries:
        where = "%s (%s)" % (entry.where, entry.key)
        if entry.key in seen_keys:
            problems.append("%s: the key repeats %s" % (where, seen_keys[entry.key]))
        seen_keys.setdefault(entry.key, entry.where)
        merged = _merged(entry)
        problems.extend(record_problems(validator, where, merged, fields))
        for name in unique:
            value = merged.get(name)
            if value is None:
                continue
            owner = unique_owner.setdefault((name, normalise(fields[name]["type"], value)), entry)
            if owner is not entry and owner.record_id != entry.record_id:
                problems.append("%s: %s: the unique value %r is also given to %s (%s)"
                                % (where, name, value, owner.where, owner.key))
    problems.extend(unique_clashes_with_stored(entries, fields, stored_by_id))
    for name, targets in relationship_targets.items():
        relationship = fields[name]["relationship"]
        if relationship.get("self"):
            targets = set(targets)
            held = (_merged(e).get(relationship["fieldName"]) for e in entries)
            targets.update(str(value) for value in held if value is not None)
        for entry in entries:
            value = entry.values.get(name)
            if value is not None and isinstance(value, str) and value not in targets:
                problems.append("%s (%s): %s: no %s record has %s %r" % (
                    entry.where, entry.key, name, relationship.get("schemaName", "target"),
                    relationship["fieldName"], value))
    return problems


def record_problems(validator, where, merged, fields, check_size=True):
    """The problems of one record as it will be stored (``merged``), each naming ``where`` and the field."""
    problems = []
    errors = [] if plainly_valid(merged, fields) else validator.iter_errors(merged)
    for error in sorted(errors, key=lambda e: list(e.path)):
        path = ".".join(str(p) for p in error.path) or "(record)"
        message = error.message
        if error.validator == "additionalProperties":
            message = "unknown field(s): %s" % ", ".join(sorted(set(merged) - set(fields) - {"id"}))
        elif error.validator == "format":
            message = "%r is not a date (YYYY-MM-DD or an RFC 3339 date-time)" % error.instance
        problems.append("%s: %s: %s" % (where, path, message))
    if check_size and len(json.dumps(merged, separators=(",", ":"))) + BATCH_ENVELOPE_BYTES > MAX_BATCH_BYTES:
        problems.append("%s: the record alone is larger than a 2 MiB request" % where)
    return problems


def unique_clashes_with_stored(entries, fields, stored_by_id):
    """Problems where a desired unique value is held by a stored record this input leaves alone."""
    unique = [name for name, field in fields.items() if field.get("unique")]
    if not unique:
        return []
    touched = set(entry.record_id for entry in entries)
    holders = {}
    for stored in stored_by_id.values():
        if stored["id"] in touched:
            continue
        for name in unique:
            if stored.get(name) is not None:
                holders[(name, normalise(fields[name]["type"], stored[name]))] = stored["id"]
    problems = []
    for entry in entries:
        for name in unique:
            value = entry.values.get(name)
            holder = holders.get((name, normalise(fields[name]["type"], value))) if value is not None else None
            if holder is not None:
                problems.append("%s (%s): %s: the unique value %r is already used by stored record %s"
                                % (entry.where, entry.key, name, value, holder))
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


def plan_records(entries, fields, conflict_resolution="upsert"):
    """Sort desired records into create, update, unchanged and skipped; build each write's body."""
    plan = dict(create=[], update=[], unchanged=[], skipped=[])
    for entry in entries:
        if entry.stored is None:
            if conflict_resolution == "update_only":
                plan["skipped"].append((entry, None))
                continue
            body = dict((k, v) for k, v in entry.values.items() if v is not None)
            body["id"] = entry.record_id
            plan["create"].append((entry, body))
            continue
        changes = differing_fields(entry, fields)
        if not changes:
            plan["unchanged"].append((entry, None))
        elif conflict_resolution == "create_only":
            plan["skipped"].append((entry, None))
        else:
            changes["id"] = entry.record_id
            if conflict_resolution == "update_only":
                changes["conflictResolution"] = "updateOnly"
            plan["update"].append((entry, changes))
    return plan


def merged_record(entry):
    return _merged(entry)


# -- ordering and batching --------------------------------------------------------------------
def dependency_levels(items, self_references, provides, refers, already_there=None):
    """Group ``items`` so that one referring to another item comes in a later level.

    ``self_references`` is ``[(field, target_field)]`` for relationship fields that point at the
    same schema; ``provides(item)`` / ``refers(item)`` give the values an item holds / points at;
    ``already_there[field]`` the values that need no ordering (stored before the run).
    Returns ``(levels, cycle)`` where ``cycle`` lists the items that could not be ordered.
    """
    if not self_references:
        return ([items] if items else []), []
    already_there = already_there or {}
    provider = {}
    for position, item in enumerate(items):
        held = provides(item)
        for _field, target in self_references:
            if held.get(target) is not None:
                provider[(target, str(held[target]))] = position
    needs = []
    for position, item in enumerate(items):
        wanted, pointing = set(), refers(item)
        for field, target in self_references:
            value = pointing.get(field)
            if isinstance(value, str) and value not in already_there.get(field, ()):
                other = provider.get((target, value))
                if other is not None and other != position:
                    wanted.add(other)
        needs.append(wanted)
    placed, levels = set(), []
    remaining = set(range(len(items)))
    while remaining:
        ready = sorted(p for p in remaining if needs[p] <= placed)
        if not ready:
            return levels, [items[p] for p in sorted(remaining)]
        placed.update(ready)
        levels.append([items[p] for p in ready])
        remaining.difference_update(ready)
    return levels, []


def body_size(body):
    return len(json.dumps(body, separators=(",", ":")))


def cut_batches(writes, batch_size, max_bytes=MAX_BATCH_BYTES):
    """Split ``[(entry, body)]`` into batches of at most ``batch_size`` records and ``max_bytes`` bytes."""
    return list(iter_batches(writes, batch_size, max_bytes))


def iter_batches(writes, batch_size, max_bytes=MAX_BATCH_BYTES):
    """:func:`cut_batches` as a stream: any iterable of ``(entry, body)`` in, one batch at a time out."""
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
