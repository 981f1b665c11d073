# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom-object records as plain functions: load, validate, compare, plan, order and batch.

Nothing here sends a request; ``custom_object_records`` reads the org, hands what it read to
:func:`plan_records`, and writes the batches this module cuts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import codecs
import csv
import datetime
import functools
import importlib.util
import io
import json
import re
import uuid

# jsonschema is imported when a record needs its messages (RecordValidator.iter_errors): a run whose
# records are all valid, and the records helper process, do without its import time and memory.
HAS_JSONSCHEMA = importlib.util.find_spec("jsonschema") is not None

MAX_BATCH_BYTES = 2 * 1024 * 1024
BATCH_ENVELOPE_BYTES = len('{"records":[]}')
RECORD_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
METADATA = ("version", "dateCreated", "dateModified")
ID_NAMESPACE = uuid.UUID("5d0c8a5e-5f57-4a55-9b8e-6f1e0c2a7d31")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


# -- reading the desired records --------------------------------------------------------------
# A source is read completely and correctly or not at all: every reader raises SourceError (with the
# line) on anything it cannot read, and the caller consumes the whole stream before it writes.
# That is what keeps ``purge`` safe: an empty, truncated or garbled file never reads as "no records".
MAX_ITEM_CHARS = 2 * MAX_BATCH_BYTES  # no valid record is larger: stop buffering a broken item here
EMPTY_HINT = "to delete every stored record on purpose, give records: [] or a .json file that holds []"


class SourceError(ValueError):
    """A source file that cannot be read completely and correctly; the message names the line."""


def _no_constants(name):
    raise ValueError("%s is not valid JSON" % name)


def _no_repeated_keys(pairs):
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError("the key %r repeats in one object" % key)
            seen.add(key)
    return obj


def strict_json_decoder():
    """JSON as the standard has it: no NaN/Infinity, no key given twice in one object."""
    return json.JSONDecoder(parse_constant=_no_constants, object_pairs_hook=_no_repeated_keys)


def _json_problem(exc):
    """The reason of a decode error without json's own (buffer-relative) line and column."""
    return exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)


def iter_json_array(handle, chunk_size=1 << 16, with_lines=False):
    """Yield the items of a JSON array file one by one without holding the whole text.

    Strict: the file must hold exactly one array (``[`` ... ``]``, items separated by single commas,
    nothing but white space after the closing bracket). An empty file, a missing ``]`` or any other
    defect raises :class:`SourceError` naming the line, after the items before it were yielded, so a
    caller must read to the end before acting on what it got. With ``with_lines`` yield
    ``(line, item)``, the line where the item starts.
    """
    decoder = strict_json_decoder()
    buffer, pos, eof = "", 0, False
    line, counted = 1, 0  # the line of buffer[counted]
    state = "start"  # start -> first (after "[") -> next (after ",") / more (after an item) -> done

    def line_at(position):
        return line + buffer.count("\n", counted, position)

    def fail(position, text):
        raise SourceError("line %d: %s" % (line_at(position), text))

    while True:
        while pos < len(buffer) and buffer[pos] in " \t\r\n":
            pos += 1
        if pos == len(buffer):
            if eof:
                break
            chunk = handle.read(chunk_size)
            line += buffer.count("\n", counted, pos)
            buffer, pos, counted, eof = buffer[pos:] + chunk, 0, 0, not chunk
            continue
        char = buffer[pos]
        if state == "start":
            if char == "\ufeff" and line == 1 and pos == 0:
                pos += 1
                continue
            if char != "[":
                fail(pos, "the file does not hold a JSON array (it starts with %r); write the records as "
                          "[{...}, {...}]" % buffer[pos:pos + 20])
            state, pos = "first", pos + 1
        elif state == "done":
            fail(pos, "text after the closing ] of the array: %r" % buffer[pos:pos + 40])
        elif state == "more":
            if char == ",":
                state, pos = "next", pos + 1
            elif char == "]":
                state, pos = "done", pos + 1
            else:
                fail(pos, "expected , or ] after an item, found %r" % buffer[pos:pos + 20])
        elif char == "]" and state == "first":
            state, pos = "done", pos + 1
        elif char in ",]":
            fail(pos, "a %s where an item should be (an empty item or a trailing comma)" % char)
        else:
            try:
                item, end = decoder.raw_decode(buffer, pos)
            except ValueError as exc:
                if not eof and len(buffer) - pos < MAX_ITEM_CHARS:
                    chunk = handle.read(chunk_size)
                    buffer, eof = buffer + chunk, not chunk
                    continue
                at = exc.pos if isinstance(exc, json.JSONDecodeError) else pos
                cut = eof and (at >= len(buffer.rstrip()) or _json_problem(exc).startswith("Unterminated"))
                fail(at, "not valid JSON: %s%s" % (_json_problem(exc), " (is the file cut short?)" if cut else ""))
            if end == len(buffer) and not eof:  # a number may go on in the next chunk
                chunk = handle.read(chunk_size)
                buffer, eof = buffer + chunk, not chunk
                continue
            item_line = line_at(pos)
            line, counted = item_line, pos
            yield (item_line, item) if with_lines else item
            state, pos = "more", end
    if state == "start":
        raise SourceError("the file is empty (it holds no JSON array, not even []); " + EMPTY_HINT)
    if state != "done":
        raise SourceError("line %d: the JSON array is not complete, its closing ] is missing (the file may be "
                          "truncated)" % line_at(len(buffer)))


class _Utf8Chunks:
    """``read(size)`` over a binary file that decodes UTF-8 (a leading BOM dropped), naming the line of a bad byte."""

    def __init__(self, handle):
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.lines = 0

    def read(self, size):
        data = self.handle.read(size)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise SourceError("line %d: bytes that are not UTF-8 text (%r); save the file as UTF-8"
                              % (self.lines + data[:max(int(exc.start), 0)].count(b"\n") + 1,
                                 exc.object[int(exc.start):int(exc.end)]))
        self.lines += data.count(b"\n")
        return text


def _text_lines(handle):
    """``(line_number, text)`` for each line of a binary file, decoded as UTF-8 (a leading BOM dropped)."""
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError("line %d: bytes that are not UTF-8 text (%r); save the file as UTF-8"
                              % (number, raw[int(exc.start):int(exc.end)]))
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        if "\x00" in text:
            raise SourceError("line %d: a NUL byte; is this a text file?" % number)
        yield number, text


_CSV_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
_CSV_INTEGER = re.compile(r"\s*-?\d+\s*")


def _csv_number(text):
    if text.isascii() and text.isdigit():
        return int(text)
    if not _CSV_NUMBER.fullmatch(text):
        return text  # not a number (inf, nan and 1_000 included): stays text and fails validation
    return int(text) if _CSV_INTEGER.fullmatch(text) else float(text)


def _csv_boolean(text):
    lowered = text.strip().lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else text


_CSV_CONVERTERS = {"number": _csv_number, "boolean": _csv_boolean}


def convert_csv_value(ftype, text):
    """A CSV cell as the field's JSON type; a cell that does not convert stays text (and fails validation)."""
    convert = _CSV_CONVERTERS.get(ftype)
    return convert(text) if convert else text


def _iter_jsonl(handle):
    decoder, count = strict_json_decoder(), 0
    scan = decoder.scan_once  # the C scanner without decode()'s white-space handling: the common line is quicker
    for number, text in _text_lines(handle):
        try:
            record, end = scan(text, 0)
            if end != len(text) and text[end:] != "\n":
                raise ValueError
        except (StopIteration, ValueError):
            record = None
        if record is None:
            if not text.strip():
                continue
            try:
                record = decoder.decode(text)
            except ValueError as exc:
                column = " (column %d)" % (exc.pos + 1) if isinstance(exc, json.JSONDecodeError) else ""
                hint = "" if text.endswith("\n") else " (the last line may be truncated)"
                raise SourceError("line %d: not valid JSON%s: %s%s; a .jsonl file holds one record per line"
                                  % (number, column, _json_problem(exc), hint))
        count += 1
        yield number, record
    if not count:
        raise SourceError("the file holds no records; " + EMPTY_HINT)


def _iter_csv(handle, fields):
    reader = csv.reader((text for _number, text in _text_lines(handle)), strict=True)
    header, header_line, count, last = None, 0, 0, 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            span = "line %d" % reader.line_num if reader.line_num <= last + 1 else "lines %d-%d" % (
                last + 1, reader.line_num)
            raise SourceError("%s: not valid CSV: %s (a quote that opens a cell must close it, right before a "
                              "comma or the end of the line; a quote inside a quoted cell is written twice)"
                              % (span, exc))
        first, end = last + 1, reader.line_num
        last = end
        if not row:
            continue
        if header is None:
            header, header_line = row, first
            problems = []
            for position, column in enumerate(row):
                if not column.strip():
                    problems.append("column %d has no name" % (position + 1))
                elif row.index(column) != position:
                    problems.append("the column %r repeats (columns %d and %d)"
                                    % (column, row.index(column) + 1, position + 1))
            if problems:
                raise SourceError("line %d (the header): %s" % (first, "; ".join(problems)))
            converted = [(column, _CSV_CONVERTERS[fields[column]["type"]]) for column in header
                         if column in fields and fields[column]["type"] in _CSV_CONVERTERS]
            continue
        if len(row) != len(header):
            span = "line %d" % first if first == end else "lines %d-%d" % (first, end)
            more = ("; a quoted cell runs over %s: is a quote not closed?" % span) if first != end else ""
            raise SourceError("%s: %d cell%s where the header (line %d) has %d%s"
                              % (span, len(row), "" if len(row) == 1 else "s", header_line, len(header), more))
        record = {column: text for column, text in zip(header, row) if text}
        for column, convert in converted:
            text = record.get(column)
            if text is not None:
                record[column] = convert(text)
        count += 1
        yield first, record
    if header is None:
        raise SourceError("the file is empty (not even a header row); " + EMPTY_HINT)
    if not count:
        raise SourceError("the file holds a header row and no records; " + EMPTY_HINT)


def _located_records(name, lowered, handle, fields):
    if lowered.endswith(".csv"):
        for number, record in _iter_csv(handle, fields):
            yield "%s line %d" % (name, number), record
    elif lowered.endswith(".jsonl"):
        for number, record in _iter_jsonl(handle):
            yield "%s line %d" % (name, number), record
    else:
        for index, (number, record) in enumerate(iter_json_array(_Utf8Chunks(handle), with_lines=True)):
            yield "%s[%d] line %d" % (name, index, number), record


def iter_source(path, fields):
    """Yield ``(where, record)`` from a .json (array), .jsonl or .csv file, streaming.

    ``where`` names the file and the line a record starts on. CSV cells are converted by the
    schema's field types; an empty cell means "not given". Anything that cannot be read completely
    and correctly raises :class:`SourceError` naming the file and line (possibly after earlier
    records were yielded: read the whole stream before writing).
    """
    lowered = path.lower()
    name = path.rsplit("/", 1)[-1]
    if not lowered.endswith((".csv", ".jsonl", ".json")):
        raise SourceError("src must end in .json, .jsonl or .csv, not %s" % name)
    with io.open(path, "rb") as handle:
        try:
            yield from _located_records(name, lowered, handle, fields)
        except SourceError as exc:
            text = str(exc)
            raise SourceError("%s%s %s" % (name, "" if text.startswith("line") else ":", text))


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
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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
    errors = [] if validator.quick(merged) else validator.iter_errors(merged)
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
