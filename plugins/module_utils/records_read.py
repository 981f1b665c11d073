# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records sources (``src``): JSON arrays, JSON lines and CSV, streamed, strict, with the file and line of every problem.

A source is read completely and correctly or not at all: every reader raises :class:`SourceError`
(with the line) on anything it cannot read, and the caller consumes the whole stream before it
writes. That is what keeps ``purge`` safe: an empty, truncated or garbled file never reads as "no
records". Values the service would refuse whatever the schema says (a number that is not finite:
``1e309``, ``inf``, ``nan``) are refused here, naming the line, and so is JSON nested deeper than
``MAX_DEPTH`` (no record needs more; without the limit a hostile file stops the reader with a
RecursionError). A CSV file reports every bad row in one error (the first ``MAX_ROW_PROBLEMS``, then
how many more).

CSV text cells that a spreadsheet would take for a formula are written by the export with one ``'``
in front (:func:`csv_text_cell`: a text starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage
return, or ``'`` itself); the reader removes one leading ``'`` from a text cell when the character
after it is one of those seven, so a value read back is the value written, exactly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import codecs
import csv
import io
import json
import math
import re

from ansible_collections.genesys.cloud.plugins.module_utils.records import MAX_BATCH_BYTES, problem_value

MAX_ITEM_CHARS = 2 * MAX_BATCH_BYTES  # no valid record is larger: stop buffering a broken item here
MAX_DEPTH = 64  # JSON nesting: a record is one object of values and lists; the org directory's YAML limit too
MAX_ROW_PROBLEMS = 20
FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r", "'"))
EMPTY_HINT = "to delete every stored record on purpose, give records: [] or a .json file that holds []"


class SourceError(ValueError):
    """A source file that cannot be read completely and correctly; the message names the line.

    ``problems``: each problem on its own (a CSV file's bad rows), the message joins them.
    """

    def __init__(self, message, problems=None, total=None):
        super(SourceError, self).__init__(message)
        self.problems = list(problems) if problems else [message]
        self.total = len(self.problems) if total is None else total


def joined(problems, total=None):
    """Problems as one message: the first ``MAX_ROW_PROBLEMS``, then how many more."""
    total = len(problems) if total is None else total
    shown = problems[:MAX_ROW_PROBLEMS]
    more = "; and %d more problems (%d in all)" % (total - len(shown), total) if total > len(shown) else ""
    return "; ".join(shown) + more


def csv_text_cell(value):
    """A text value as a CSV cell that stays data: one ``'`` in front when it starts like a formula."""
    return "'" + value if value[:1] in FORMULA_START else value


def _csv_text(text):
    """The value of a CSV text cell (the reverse of :func:`csv_text_cell`)."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def _too_deep(text, start=0, end=None):
    """Whether JSON ``text[start:end]`` nests deeper than ``MAX_DEPTH`` (brackets inside strings are skipped)."""
    end = len(text) if end is None else end
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_DEPTH:
        return False  # the common case, at C speed
    depth, in_string, escaped = 0, False, False
    for char in text[start:end]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


DEPTH_PROBLEM = ("nested more than %d levels deep; a record is an object of values and lists, write it flat"
                 % MAX_DEPTH)


class NonFiniteNumber(ValueError):
    """A number the service refuses whatever the field: it is not finite once read (``1e309``, ``inf``, ``nan``)."""

    def __init__(self, text):
        super(NonFiniteNumber, self).__init__(
            "the number %s is not finite (the service refuses infinity and NaN; numbers stop near 1.8e308)"
            % problem_value(text.strip()).strip("'"))


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise NonFiniteNumber(text)
    return value


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
    """JSON as the standard has it (no NaN/Infinity, no key given twice in one object), and no number that
    overflows to infinity (``1e309``)."""
    return json.JSONDecoder(parse_constant=_no_constants, parse_float=_finite_float,
                            object_pairs_hook=_no_repeated_keys)


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
            except NonFiniteNumber as exc:
                fail(pos, str(exc))
            except RecursionError:
                fail(pos, DEPTH_PROBLEM)
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
            if _too_deep(buffer, pos, end):
                fail(pos, DEPTH_PROBLEM)
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


def _text_lines(handle, bad_lines=None):
    """``(line_number, text)`` for each line of a binary file, decoded as UTF-8 (a leading BOM dropped).

    A line that is not UTF-8 or holds a NUL raises :class:`SourceError`; with ``bad_lines`` (a dict) it
    is noted there instead (``{line: problem}``) and given on, cleaned, so a reader can report every one.
    """
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = "line %d: bytes that are not UTF-8 text (%r); save the file as UTF-8" % (
                number, raw[int(exc.start):int(exc.end)])
            if bad_lines is None:
                raise SourceError(problem)
            bad_lines[number] = problem
            text = raw.decode("utf-8", "replace")
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        if "\x00" in text:
            problem = "line %d: a NUL byte; is this a text file?" % number
            if bad_lines is None:
                raise SourceError(problem)
            bad_lines.setdefault(number, problem)
            text = text.replace("\x00", "")
        yield number, text


_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")
_CSV_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
_CSV_INTEGER = re.compile(r"\s*-?\d+\s*")


_CSV_NOT_FINITE = re.compile(r"\s*[+-]?(inf|infinity|nan)\s*", re.IGNORECASE)


def _csv_number(text):
    if text.isascii() and text.isdigit():
        return int(text)
    if not _CSV_NUMBER.fullmatch(text):
        if _CSV_NOT_FINITE.fullmatch(text):
            raise NonFiniteNumber(text)
        return text  # not a number (inf, nan and 1_000 included): stays text and fails validation
    return int(text) if _CSV_INTEGER.fullmatch(text) else _finite_float(text)


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
        if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(text):  # the count first: no call per line
            raise SourceError("line %d: %s" % (number, DEPTH_PROBLEM))
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
            except NonFiniteNumber as exc:
                raise SourceError("line %d: %s" % (number, exc))
            except ValueError as exc:
                column = " (column %d)" % (exc.pos + 1) if isinstance(exc, json.JSONDecodeError) else ""
                hint = "" if text.endswith("\n") else " (the last line may be truncated)"
                raise SourceError("line %d: not valid JSON%s: %s%s; a .jsonl file holds one record per line"
                                  % (number, column, _json_problem(exc), hint))
        count += 1
        yield number, record
    if not count:
        raise SourceError("the file holds no records; " + EMPTY_HINT)


class _Problems:
    """A CSV file's row problems: the first ``MAX_ROW_PROBLEMS`` kept, all counted."""

    def __init__(self):
        self.kept, self.total = [], 0

    def add(self, problem):
        self.total += 1
        if len(self.kept) < MAX_ROW_PROBLEMS:
            self.kept.append(problem)


def _span(first, end):
    return "line %d" % first if first == end else "lines %d-%d" % (first, end)


def _check_header(row, first):
    problems = []
    for position, column in enumerate(row):
        if not column.strip():
            problems.append("column %d has no name" % (position + 1))
        elif row.index(column) != position:
            problems.append("the column %r repeats (columns %d and %d)" % (column, row.index(column) + 1, position + 1))
    if problems:
        raise SourceError("line %d (the header): %s" % (first, "; ".join(problems)))


def _iter_csv(handle, fields):
    """Records of a CSV file; every bad row is reported, together, once the file is read to its end."""
    bad_lines, problems = {}, _Problems()
    reader = csv.reader((text for _number, text in _text_lines(handle, bad_lines)), strict=True)
    header, header_line, count, last = None, 0, 0, 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add("%s: not valid CSV: %s (a quote that opens a cell must close it, right before a comma or "
                         "the end of the line; a quote inside a quoted cell is written twice)"
                         % (_span(last + 1, max(reader.line_num, last + 1)), exc))
            last = reader.line_num
            continue
        first, end = last + 1, reader.line_num
        last = end
        flawed = [bad_lines.pop(number) for number in range(first, end + 1) if number in bad_lines]
        if flawed and header is None:
            raise SourceError(flawed[0] + " (the header)")
        for problem in flawed:
            problems.add(problem)
        if not row or flawed:
            continue
        if header is None:
            header, header_line = row, first
            _check_header(row, first)
            converted = [(column, _CSV_CONVERTERS[fields[column]["type"]]) for column in header
                         if column in fields and fields[column]["type"] in _CSV_CONVERTERS]
            text_columns = [column for column in header if column not in dict(converted)]
            continue
        if len(row) != len(header):
            more = ("; a quoted cell runs over %s: is a quote not closed?" % _span(first, end)) if first != end else ""
            problems.add("%s: %d cell%s where the header (line %d) has %d%s" % (
                _span(first, end), len(row), "" if len(row) == 1 else "s", header_line, len(header), more))
            continue
        record = {column: text for column, text in zip(header, row) if text}
        for column in text_columns:
            text = record.get(column)
            if text is not None and text[0] == "'":
                record[column] = _csv_text(text)
        good = True
        for column, convert in converted:
            text = record.get(column)
            if text is not None:
                try:
                    record[column] = convert(text)
                except NonFiniteNumber as exc:
                    problems.add("line %d: column %s: %s" % (first, column, exc))
                    good = False
        if good:
            count += 1
            yield first, record
    for _number, problem in sorted(bad_lines.items()):
        problems.add(problem)
    if problems.total:
        raise SourceError(joined(problems.kept, problems.total), problems.kept, problems.total)
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
            located = ["%s%s %s" % (name, "" if text.startswith("line") else ":", text) for text in exc.problems]
            raise SourceError(joined(located, exc.total), located, exc.total)
