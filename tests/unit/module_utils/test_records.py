"""The plain functions of module_utils/records.py: loading, validation, comparison, planning, batching."""
import io
import json

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec

FIELDS = dict((f["name"], f) for f in [
    {"name": "code", "type": "string", "unique": True, "required": True, "maxLength": 8},
    {"name": "kind", "type": "string", "options": ["a", "b"]},
    {"name": "qty", "type": "number", "unique": True},
    {"name": "ok", "type": "boolean"},
    {"name": "due", "type": "date"},
])


def resolve(items, stored=None, key="code", state="present"):
    stored = dict((item["id"], item) for item in (stored or []))
    entries, problems = rec.resolve([("records[%d]" % i, r) for i, r in enumerate(items)], "things", FIELDS, key,
                                    stored, state)
    return entries, problems, stored


def test_json_array_is_streamed_in_small_chunks():
    text = json.dumps([{"id": "a", "note": "x, ] y"}, {"id": "b"}, [1, 2]], indent=2)
    assert list(rec.iter_json_array(io.StringIO(text), chunk_size=3)) == [{"id": "a", "note": "x, ] y"}, {"id": "b"},
                                                                            [1, 2]]
    with pytest.raises(ValueError):
        list(rec.iter_json_array(io.StringIO('{"id": 1}')))
    with pytest.raises(ValueError):
        list(rec.iter_json_array(io.StringIO('[{"id": 1}, {"id"')))


def test_csv_cells_are_converted_by_field_type(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,qty,ok,due,kind\nc1,7,TRUE,2024-01-01,\nc2,1.5,0,,a\nc3,x,maybe,,b\n")
    rows = list(rec.iter_source(str(path), FIELDS))
    assert rows[0] == ("t.csv line 2", {"code": "c1", "qty": 7, "ok": True, "due": "2024-01-01"})
    assert rows[1][1] == {"code": "c2", "qty": 1.5, "ok": False, "kind": "a"}
    assert rows[2][1]["qty"] == "x" and rows[2][1]["ok"] == "maybe"  # left for validation to report
    path.write_text("code,qty\nc1,nan\nc2,inf\nc3,1_000\nc4, -3 \nc5,+2\nc6,1e3\nc7,.5\nc8,-0\n")
    assert [record["qty"] for _where, record in rec.iter_source(str(path), FIELDS)] == [
        "nan", "inf", "1_000", -3, 2.0, 1000.0, 0.5, 0]  # Python's float() would take the first three
    with pytest.raises(ValueError):
        list(rec.iter_source(str(tmp_path / "t.txt"), FIELDS))


def test_values_normalise_by_type():
    assert rec.normalise("number", 3) == rec.normalise("number", 3.0)
    assert rec.normalise("date", "2024-01-01T12:00:00+02:00") == rec.normalise("date", "2024-01-01T10:00:00.000Z")
    assert rec.normalise("date", "2024-01-01") != rec.normalise("date", "2024-01-01T00:00:00Z")
    assert rec.normalise("boolean", True) is True and rec.normalise("number", True) is True


def test_ids_derived_for_new_records_are_stable_and_valid():
    one = rec.record_id_for("things", "code", "c1")
    assert one == rec.record_id_for("things", "code", "c1") != rec.record_id_for("other", "code", "c1")
    assert rec.record_id_for("things", "id", {"a": 1, "b": 2}) == rec.record_id_for("things", "id", {"b": 2, "a": 1})
    entries, problems, _ = resolve([{"code": "c1"}])
    assert problems == [] and entries[0].record_id == one and entries[0].key == "code=c1"


def test_key_on_a_unique_field_finds_stored_records_and_keeps_their_ids():
    entries, problems, _ = resolve([{"code": "c1", "qty": 2}, {"code": "c9", "id": "other"}],
                                   stored=[{"id": "keep-me", "code": "c1", "qty": 1, "version": 3}])
    assert problems == []
    assert entries[0].record_id == "keep-me" and entries[0].stored["qty"] == 1
    assert entries[1].record_id == "other" and entries[1].stored is None
    _, problems, _ = resolve([{"code": "c1", "id": "wrong"}], stored=[{"id": "keep-me", "code": "c1"}])
    assert problems == ["records[0] (code=c1): id: wrong differs from the stored record's id keep-me"]


def test_validation_lists_every_problem_with_key_and_field():
    items = [{"code": "c1", "qty": "x"}, {"code": "c2", "kind": "z", "extra": 1}, {"kind": "a"},
             {"code": "toolong-code"}, {"code": "c5", "due": "2024-13-01"}, {"code": "c6", "qty": 1},
             {"code": "c7", "qty": 1.0}, {"code": "c1"}, {"code": "c9", "ok": "yes"}]
    entries, problems, stored = resolve(items)
    problems += rec.validate(entries, FIELDS, stored, {})
    assert problems == [
        "records[2]: code: the key field is missing",
        "records[0] (code=c1): qty: 'x' is not of type 'number'",
        "records[1] (code=c2): (record): unknown field(s): extra",
        "records[1] (code=c2): kind: 'z' is not one of ['a', 'b']",
        "records[3] (code=toolong-code): code: 'toolong-code' is too long",
        "records[4] (code=c5): due: '2024-13-01' is not a date (YYYY-MM-DD or an RFC 3339 date-time)",
        "records[6] (code=c7): qty: the unique value 1.0 is also given to records[5] (code=c6)",
        "records[7] (code=c1): the key repeats records[0]",
        "records[8] (code=c9): ok: 'yes' is not of type 'boolean'",
    ]


def test_required_fields_are_checked_on_the_merged_record():
    stored = [{"id": "s1", "code": "c1", "qty": 5}]
    entries, _, by_id = resolve([{"id": "s1", "qty": 6}, {"id": "new", "qty": 7}], stored=stored, key="id")
    assert rec.validate(entries, FIELDS, by_id, {}) == [
        "records[1] (id=new): (record): 'code' is a required property"]


def test_relationship_targets_may_be_stored_or_in_the_input():
    fields = dict(FIELDS, parent={"name": "parent", "type": "relationship",
                                  "relationship": {"schemaId": "me", "fieldName": "code", "self": True}})
    entries, _, by_id = resolve([{"code": "c1", "parent": "c2"}, {"code": "c2", "parent": "s0"},
                                 {"code": "c3", "parent": "nope"}])
    problems = rec.validate(entries, fields, by_id, {"parent": {"s0"}})
    assert problems == ["records[2] (code=c3): parent: no target record has code 'nope'"]


def test_planning_sends_only_new_and_differing_fields():
    stored = [{"id": "s1", "code": "c1", "qty": 1, "due": "2024-01-01T00:00:00Z", "ok": True, "version": 2},
              {"id": "s2", "code": "c2", "qty": 2}]
    entries, _, _ = resolve([{"code": "c1", "qty": 1.0, "due": "2024-01-01T00:00:00.000Z", "ok": None},
                             {"code": "c2", "qty": 2}, {"code": "c3", "qty": 3, "kind": None}], stored=stored)
    plan = rec.plan_records(entries, FIELDS)
    assert [body for _e, body in plan["update"]] == [{"id": "s1", "ok": None}]
    assert [e.key for e, _b in plan["unchanged"]] == ["code=c2"]
    assert [body for _e, body in plan["create"]] == [{"id": entries[2].record_id, "code": "c3", "qty": 3}]
    only_new = rec.plan_records(entries, FIELDS, "create_only")
    assert len(only_new["create"]) == 1 and [e.key for e, _b in only_new["skipped"]] == ["code=c1"]
    only_stored = rec.plan_records(entries, FIELDS, "update_only")
    assert only_stored["update"][0][1]["conflictResolution"] == "updateOnly"
    assert [e.key for e, _b in only_stored["skipped"]] == ["code=c3"]


def test_batches_are_cut_by_count_and_by_size():
    writes = [(None, {"id": "r%d" % n, "text": "x" * 1000}) for n in range(10)]
    assert [len(b) for b in rec.cut_batches(writes, 4)] == [4, 4, 2]
    by_size = rec.cut_batches(writes, 100, max_bytes=3100)
    assert [len(b) for b in by_size] == [3, 3, 3, 1]
    for batch in by_size:
        assert len(json.dumps({"records": [b for _e, b in batch]}, separators=(",", ":"))) <= 3100
    assert rec.split_in_half([1, 2, 3]) == [[1], [2, 3]]


def test_dependency_levels_order_references_and_find_cycles():
    items = [{"id": "a", "boss": "b"}, {"id": "b", "boss": "c"}, {"id": "c"}, {"id": "d", "boss": "stored"}]
    same = (lambda item: item)
    levels, cycle = rec.dependency_levels(items, [("boss", "id")], same, same, {"boss": {"stored"}})
    assert [[i["id"] for i in level] for level in levels] == [["c", "d"], ["b"], ["a"]] and cycle == []
    looped = [{"id": "x", "boss": "y"}, {"id": "y", "boss": "x"}, {"id": "z"}]
    levels, cycle = rec.dependency_levels(looped, [("boss", "id")], same, same)
    assert [i["id"] for i in cycle] == ["x", "y"] and [i["id"] for i in levels[0]] == ["z"]
    assert rec.dependency_levels(items, [], same, same) == ([items], [])


def test_bounded_lists_say_how_many_there_were():
    assert rec.bounded(range(5), 2) == {"items": [0, 1], "total": 5, "truncated": True}


def read_all(tmp_path, name, content, fields=FIELDS):
    path = tmp_path / name
    path.write_bytes(content)
    return list(rec.iter_source(str(path), fields))


def refusal(tmp_path, name, content):
    with pytest.raises(rec.SourceError) as caught:
        read_all(tmp_path, name, content)
    return str(caught.value)


def test_json_items_name_their_index_and_line_whatever_the_chunk_size():
    text = '[\n  {"code": "a"},\n\n  {"code": "b",\n   "qty": 12345},   17\n]\n'
    for size in (1, 2, 3, 7, 64):
        assert list(rec.iter_json_array(io.StringIO(text), chunk_size=size, with_lines=True)) == [
            (2, {"code": "a"}), (4, {"code": "b", "qty": 12345}), (5, 17)]


@pytest.mark.parametrize("content, message", [
    (b"", "t.json: the file is empty"),
    (b"[", "t.json line 1: the JSON array is not complete, its closing ] is missing"),
    (b'[{"code": "a"},\n{"code": "b"}', "t.json line 2: the JSON array is not complete"),
    (b'[{"code": "a"}]\n\n,', "t.json line 3: text after the closing ]"),
    (b'[{"code": "a"},,{"code": "b"}]', "t.json line 1: a , where an item should be"),
    (b'[{"code": "a"} {"code": "b"}]', "t.json line 1: expected , or ] after an item"),
    (b'[\n{"code": "a", "code": "b"}]', "t.json line 2: not valid JSON: the key 'code' repeats in one object"),
    (b'[\n{"qty": NaN}]', "t.json line 2: not valid JSON: NaN is not valid JSON"),
    (b'[\n\n{"code": "\xff"}]', "t.json line 3: bytes that are not UTF-8 text"),
])
def test_json_sources_are_read_strictly(tmp_path, content, message):
    assert refusal(tmp_path, "t.json", content).startswith(message)


def test_a_json_file_holding_an_empty_array_is_a_deliberate_empty_list(tmp_path):
    assert read_all(tmp_path, "t.json", b"\xef\xbb\xbf [ ]\n") == []


def test_jsonl_lines_are_numbered_by_newlines_and_name_the_file(tmp_path):
    rows = read_all(tmp_path, "t.jsonl", b'{"code": "a", "note": "x\\ry"}\r\n\n{"code": "b"}\n')
    assert rows == [("t.jsonl line 1", {"code": "a", "note": "x\ry"}), ("t.jsonl line 3", {"code": "b"})]
    message = refusal(tmp_path, "t.jsonl", b'{"code": "a"}\n\n\n{"code": "b",\n{"code": "c"}\n')
    assert message.startswith("t.jsonl line 4: not valid JSON (column 15)")
    assert refusal(tmp_path, "t.jsonl", b"\n \n").startswith("t.jsonl: the file holds no records")


@pytest.mark.parametrize("content, message", [
    (b'code,qty\nc1,"1\nc2,2\n', "t.csv lines 2-3: not valid CSV"),
    (b'code,qty\nc1,"1\nc2,"2",\nc3,3\n', "t.csv lines 2-3: not valid CSV"),
    (b"code,qty\nc1,1\nc2,2,x\n", "t.csv line 3: 3 cells where the header (line 1) has 2"),
    (b"code,qty\nc1\n", "t.csv line 2: 1 cell where the header (line 1) has 2"),
    (b"code,qty,code\nc1,1,c2\n", "t.csv line 1 (the header): the column 'code' repeats (columns 1 and 3)"),
    (b"code,,qty\nc1,,1\n", "t.csv line 1 (the header): column 2 has no name"),
    (b"code,qty\n", "t.csv: the file holds a header row and no records"),
    (b"", "t.csv: the file is empty"),
    (b"code,qty\nc1,\x001\n", "t.csv line 2: a NUL byte"),
])
def test_csv_sources_are_read_strictly(tmp_path, content, message):
    assert refusal(tmp_path, "t.csv", content).startswith(message)


def test_csv_rows_name_the_line_they_start_on_and_quoted_cells_may_span_lines(tmp_path):
    rows = read_all(tmp_path, "t.csv", b'code,kind\nc1,"two\nlines"\n\nc2,a\n')
    assert rows == [("t.csv line 2", {"code": "c1", "kind": "two\nlines"}), ("t.csv line 5", {"code": "c2", "kind": "a"})]
