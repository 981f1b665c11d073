"""Generated broken sources with purge: true against the emulator: every one refused, nothing written (issue 10).

Each example is a valid .json/.jsonl/.csv source of a few records broken by one mutation that
makes it unreadable (truncated, garbage after the end, a broken line, an unclosed quote, a row with
more or fewer cells, undecodable bytes...). The module runs in-process (see tests/support/inprocess.py)
so that a few hundred cases take seconds; test_bad_input.py keeps real-playbook tests of the headline cases.
"""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.inprocess import run_module

EXAMPLES = 50  # per format: 150 generated cases per run
CASES = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
STORED = [{"id": "s%d" % n, "label": "stored%d" % n, "qty": n} for n in range(5)]
ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"

records_strategy = st.lists(
    st.fixed_dictionaries({"id": st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
                           "label": st.text(alphabet=ALNUM, min_size=1, max_size=8),
                           "qty": st.integers(-1000, 1000)}),
    min_size=1, max_size=5, unique_by=lambda record: record["id"])


@pytest.fixture
def org(emulator):
    emulator.create_schema("items", [{"name": "label", "type": "string", "unique": True},
                                     {"name": "qty", "type": "number"}])
    emulator.upsert_records("items", STORED)
    return emulator


def org_state(emulator):
    """The org's data (schemas, records, webhooks) as bytes; tokens are left out, every run gets one."""
    state = emulator.state()
    return json.dumps(dict((key, state[key]) for key in ("schemas", "records", "webhooks")), sort_keys=True).encode()


def insert_bytes(data, draw):
    position = draw(st.integers(0, len(data)))
    return data[:position] + draw(st.sampled_from([b"\xff", b"\xc3(", b"\xe2\x82", b"\x80"])) + data[position:]


def assert_refused(org, path, content, before):
    path.write_bytes(content)
    org.clear_requests()
    result = run_module("custom_object_records", dict(org.connection, schema="items", src=str(path), purge=True))
    assert result.get("failed"), "accepted %r: %s" % (content, result)
    assert result["msg"].startswith("the task's input is not valid, nothing was changed. Fix: src: %s" % path.name), \
        result["msg"]
    assert org.module_writes() == []
    assert org_state(org) == before


# -- .json --------------------------------------------------------------------------------------
@st.composite
def broken_json(draw):
    records = draw(records_strategy)
    text = json.dumps(records, indent=draw(st.sampled_from([None, 1, 2])))
    how = draw(st.sampled_from(["truncate", "no closing bracket", "garbage after", "bad bytes", "empty",
                                "trailing comma", "double comma", "nan", "repeated key", "not an array"]))
    if how == "truncate":
        return text[:draw(st.integers(0, len(text) - 1))].encode()
    if how == "no closing bracket":
        return text.rstrip()[:-1].encode() + draw(st.sampled_from([b"", b"\n", b"  "]))
    if how == "garbage after":
        return (text + draw(st.sampled_from(["", "\n", " "])) + draw(st.sampled_from(
            ["]", ",", "x", "{}", "[]", '"a"', "0", ",{}"]))).encode()
    if how == "bad bytes":
        return insert_bytes(text.encode(), draw)
    if how == "empty":
        return draw(st.sampled_from([b"", b"\n", b" \n\t", b"\xef\xbb\xbf"]))
    if how == "trailing comma":
        return (text.rstrip()[:-1].rstrip() + ",]").encode()
    if how == "double comma":
        return text.replace("[", "[,", 1).encode() if len(records) == 1 else text.replace("},", "},,", 1).encode()
    if how == "nan":
        return text.replace('"qty": ', '"qty": NaN, "x": ', 1).encode()
    if how == "repeated key":
        return text.replace("{", '{"id": "dup", ', 1).encode()
    return json.dumps(records[0]).encode()


@CASES
@given(content=broken_json())
def test_broken_json_sources_are_refused_with_purge(org, tmp_path, content):
    assert_refused(org, tmp_path / "src.json", content, org_state(org))


# -- .jsonl -------------------------------------------------------------------------------------
@st.composite
def broken_jsonl(draw):
    lines = [json.dumps(record) for record in draw(records_strategy)]
    how = draw(st.sampled_from(["cut line", "garbage line", "bad bytes", "empty", "two on a line", "nul"]))
    at = draw(st.integers(0, len(lines) - 1))
    if how == "cut line":
        lines[at] = lines[at][:draw(st.integers(1, len(lines[at]) - 1))]
    elif how == "garbage line":
        lines.insert(at, draw(st.sampled_from(["not json", "{", "]", "{'id': 'a'}", '{"id": "a"}}', "[1,"])))
    elif how == "bad bytes":
        return b"\n".join(line.encode() for line in lines[:at]) + b"\n" + insert_bytes(lines[at].encode(), draw)
    elif how == "empty":
        return draw(st.sampled_from([b"", b"\n", b"\n \n", b"\xef\xbb\xbf\n"]))
    elif how == "two on a line":
        lines[at] = lines[at] + " " + lines[at]
    else:
        lines[at] = lines[at] + "\x00"
    return ("\n".join(lines) + draw(st.sampled_from(["", "\n"]))).encode()


@CASES
@given(content=broken_jsonl())
def test_broken_jsonl_sources_are_refused_with_purge(org, tmp_path, content):
    assert_refused(org, tmp_path / "src.jsonl", content, org_state(org))


# -- .csv ---------------------------------------------------------------------------------------
@st.composite
def broken_csv(draw):
    header = ["id", "label", "qty"]
    rows = [[record["id"], record["label"], str(record["qty"])] for record in draw(records_strategy)]
    how = draw(st.sampled_from(["open quote", "quote after quote", "extra cell", "missing cell", "repeated column",
                                "empty", "header only", "bad bytes", "nul"]))
    at, cell = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, 2))
    if how == "open quote":
        rows[at][cell] = '"' + rows[at][cell]
    elif how == "quote after quote":
        rows[at][cell] = '"%s"%s' % (rows[at][cell], draw(st.sampled_from(["x", " ", '"x'])))
    elif how == "extra cell":
        rows[at].append(draw(st.sampled_from(["", "x", "1"])))
    elif how == "missing cell":
        rows[at] = rows[at][:draw(st.integers(1, 2))]
    elif how == "repeated column":
        header.append(draw(st.sampled_from(header)))
        rows = [row + ["y"] for row in rows]
    elif how == "empty":
        return draw(st.sampled_from([b"", b"\n", b"\r\n\r\n"]))
    elif how == "header only":
        rows = []
    elif how == "nul":
        rows[at][cell] += "\x00"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(",".join(row) for row in [header] + rows) + newline
    if how == "bad bytes":
        lines = text.encode().split(b"\n")
        lines[at + 1] = insert_bytes(lines[at + 1], draw)
        return b"\n".join(lines)
    return text.encode()


@CASES
@given(content=broken_csv())
def test_broken_csv_sources_are_refused_with_purge(org, tmp_path, content):
    assert_refused(org, tmp_path / "src.csv", content, org_state(org))
