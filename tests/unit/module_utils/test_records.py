"""Readers (records_read.py), values and validation (records.py), and the one planner's checks (records_plan.py)."""
import io
import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils import records_read as rd
from ansible_collections.genesys.cloud.plugins.module_utils.records_plan import (
    MEMORY_LIMIT, RecordPlan, dependency_levels)

FIELDS = dict((f["name"], f) for f in [
    {"name": "code", "type": "string", "unique": True, "required": True, "maxLength": 8},
    {"name": "kind", "type": "string", "options": ["a", "b"]},
    {"name": "qty", "type": "number", "unique": True},
    {"name": "ok", "type": "boolean"},
    {"name": "due", "type": "date"},
])


def planned(items, stored=None, key="code", fields=FIELDS, **options):
    """A finished RecordPlan over ``items`` (no client: a pure function of its inputs); the caller closes it."""
    plan = RecordPlan("things", fields, key, **options)
    if stored:
        plan.add_stored(stored)
    plan.add_desired(("records[%d]" % i, r) for i, r in enumerate(items))
    plan.finish()
    return plan


def problems_of(items, stored=None, key="code", fields=FIELDS, **options):
    plan = planned(items, stored, key, fields, **options)
    try:
        return plan.problems
    finally:
        plan.close()


def test_json_array_is_streamed_in_small_chunks():
    text = json.dumps([{"id": "a", "note": "x, ] y"}, {"id": "b"}, [1, 2]], indent=2)
    assert list(rd.iter_json_array(io.StringIO(text), chunk_size=3)) == [{"id": "a", "note": "x, ] y"}, {"id": "b"},
                                                                            [1, 2]]
    with pytest.raises(ValueError):
        list(rd.iter_json_array(io.StringIO('{"id": 1}')))
    with pytest.raises(ValueError):
        list(rd.iter_json_array(io.StringIO('[{"id": 1}, {"id"')))


def test_csv_cells_are_converted_by_field_type(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,qty,ok,due,kind\nc1,7,TRUE,2024-01-01,\nc2,1.5,0,,a\nc3,x,maybe,,b\n")
    rows = list(rd.iter_source(str(path), FIELDS))
    assert rows[0] == ("t.csv line 2", {"code": "c1", "qty": 7, "ok": True, "due": "2024-01-01"})
    assert rows[1][1] == {"code": "c2", "qty": 1.5, "ok": False, "kind": "a"}
    assert rows[2][1]["qty"] == "x" and rows[2][1]["ok"] == "maybe"  # left for validation to report
    path.write_text("code,qty\nc3,1_000\nc4, -3 \nc5,+2\nc6,1e3\nc7,.5\nc8,-0\n")
    assert [record["qty"] for _where, record in rd.iter_source(str(path), FIELDS)] == [
        "1_000", -3, 2.0, 1000.0, 0.5, 0]  # Python's float() would take 1_000
    with pytest.raises(ValueError):
        list(rd.iter_source(str(tmp_path / "t.txt"), FIELDS))


def test_values_normalise_by_type():
    assert rec.normalise("number", 3) == rec.normalise("number", 3.0)
    assert rec.normalise("date", "2024-01-01T12:00:00+02:00") == rec.normalise("date", "2024-01-01T10:00:00.000Z")
    assert rec.normalise("date", "2024-01-01") != rec.normalise("date", "2024-01-01T00:00:00Z")
    assert rec.normalise("boolean", True) is True and rec.normalise("number", True) is True


def test_ids_derived_for_new_records_are_stable_and_valid():
    one = rec.record_id_for("things", "code", "c1")
    assert one == rec.record_id_for("things", "code", "c1") != rec.record_id_for("other", "code", "c1")
    assert rec.record_id_for("things", "id", {"a": 1, "b": 2}) == rec.record_id_for("things", "id", {"b": 2, "a": 1})
    plan = planned([{"code": "c1"}])
    try:
        assert plan.problems == [] and [(e.record_id, e.key) for e, _b in plan.writes()] == [(one, "code=c1")]
    finally:
        plan.close()


def test_derived_ids_do_not_change_between_versions():
    # records created by earlier runs keep being found by these ids
    assert [rec.record_id_for("things", "code", "c1"), rec.record_id_for("things", "code", "\u00e9\U0001F600\""),
            rec.record_id_for("things", "n", 1.5), rec.record_id_for("things", "id", {"a": 1})] == [
        "42b7fd03-4b68-547b-bf28-f756570bb364", "e82624eb-d9b5-59ed-83ed-1c40a99ae3d1",
        "d4bd99a2-47e5-5ab8-98fd-00c0e045ab3a", "f2308294-2516-50d6-8816-9432bf254550"]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(), st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans()))
def test_a_derived_id_is_the_uuid5_of_the_schema_and_the_key_value(schema, value):
    seed = "%s\0code=%s" % (schema, json.dumps(value, default=str))
    assert rec.record_id_for(schema, "code", value) == str(uuid.uuid5(rec.ID_NAMESPACE, seed))


def test_key_on_a_unique_field_finds_stored_records_and_keeps_their_ids():
    plan = planned([{"code": "c1", "qty": 2}, {"code": "c9", "id": "other"}],
                   stored=[{"id": "keep-me", "code": "c1", "qty": 1, "version": 3}])
    try:
        assert plan.problems == []
        (first, body), (second, _body) = list(plan.writes())
        assert first.record_id == "keep-me" and first.stored["qty"] == 1 and body == {"id": "keep-me", "qty": 2}
        assert second.record_id == "other" and second.stored is None
    finally:
        plan.close()
    assert problems_of([{"code": "c1", "id": "wrong"}], stored=[{"id": "keep-me", "code": "c1"}]) == [
        "records[0] (code=c1): id: wrong differs from the stored record's id keep-me"]


def test_validation_lists_every_problem_with_key_and_field():
    items = [{"code": "c1", "qty": "x"}, {"code": "c2", "kind": "z", "extra": 1}, {"kind": "a"},
             {"code": "toolong-code"}, {"code": "c5", "due": "2024-13-01"}, {"code": "c6", "qty": 1},
             {"code": "c7", "qty": 1.0}, {"code": "c1"}, {"code": "c9", "ok": "yes"}]
    assert problems_of(items) == [
        "records[0] (code=c1): qty: 'x' is not of type 'number'",
        "records[1] (code=c2): (record): unknown field(s): extra",
        "records[1] (code=c2): kind: 'z' is not one of ['a', 'b']",
        "records[2]: code: the key field is missing",
        "records[3] (code=toolong-code): code: 'toolong-code' is too long",
        "records[4] (code=c5): due: '2024-13-01' is not a date (YYYY-MM-DD or an RFC 3339 date-time)",
        "records[6] (code=c7): qty: the unique value 1.0 is also given to records[5] (code=c6)",
        "records[7] (code=c1): the key repeats records[0]",
        "records[8] (code=c9): ok: 'yes' is not of type 'boolean'",
    ]


def test_messages_repeat_only_a_short_prefix_of_a_huge_value():
    huge = "9" * 5000000
    problems = problems_of([{"code": "c1", "kind": huge}, {"code": "c2", "qty": float("inf")}])
    assert len(problems) == 3 and all(len(problem) < 300 for problem in problems), problems
    assert "is not one of the options" in problems[0] and "(5000002 characters)" in problems[0]
    assert problems[1:] == ["records[0] (code=c1): the record alone is larger than a 2 MiB request",
                            "records[1] (code=c2): qty: inf is not a finite number"]


def test_required_fields_are_checked_on_the_merged_record():
    stored = [{"id": "s1", "code": "c1", "qty": 5}]
    assert problems_of([{"id": "s1", "qty": 6}, {"id": "new", "qty": 7}], stored=stored, key="id") == [
        "records[1] (id=new): (record): 'code' is a required property"]


SELF = dict(FIELDS, parent={"name": "parent", "type": "relationship",
                            "relationship": {"schemaId": "me", "fieldName": "code"}})


def test_relationship_targets_of_the_schema_itself_may_be_stored_or_in_the_input():
    plan = planned([{"code": "c1", "parent": "c2"}, {"code": "c2", "parent": "s0"}, {"code": "c3", "parent": "nope"}],
                   stored=[{"id": "x0", "code": "s0"}], fields=SELF, self_refs=[("parent", "code")])
    try:
        assert plan.problems == ["records[2] (code=c3): parent: no things record has code 'nope'"]
    finally:
        plan.close()


@pytest.mark.parametrize("spill_after, memory_limit", [(1, MEMORY_LIMIT), (150000, MEMORY_LIMIT), (150000, 1)])
def test_self_references_order_the_writes_in_levels_and_the_deletes_in_reverse(spill_after, memory_limit):
    stored = [{"id": "x0", "code": "s0"}, {"id": "x1", "code": "s1", "parent": "s0"},
              {"id": "x2", "code": "s2", "parent": "s1"}]
    plan = planned([{"code": "c1", "parent": "c2"}, {"code": "c2", "parent": "c3"}, {"code": "c3", "parent": "s0"},
                    {"code": "s0"}], stored=stored, fields=SELF, self_refs=[("parent", "code")], purge=True,
                   spill_after=spill_after, memory_limit=memory_limit)
    try:
        assert plan.problems == []
        assert [[entry.key for entry, _body in level] for level in plan.write_levels()] == [
            ["code=c3"], ["code=c2"], ["code=c1"]]
        assert [[item["id"] for item in level] for level in plan.delete_levels()] == [["x2"], ["x1"]]
    finally:
        plan.close()
    # a record that stays may not point at one that goes; a cycle cannot be written
    assert problems_of([{"code": "s2"}], stored=stored, fields=SELF, self_refs=[("parent", "code")],
                       state="absent") == []
    assert problems_of([{"code": "s0"}], stored=stored, fields=SELF, self_refs=[("parent", "code")],
                       state="absent", spill_after=spill_after, memory_limit=memory_limit) == [
        "record x1: parent: still points at 's0', which would be deleted"]
    # an update that moves the record off the value that goes is fine
    assert problems_of([{"code": "s1", "parent": "s2"}], stored=stored, fields=SELF, self_refs=[("parent", "code")],
                       purge=True, spill_after=spill_after) == [
        "records[0] (code=s1): parent: no things record has code 's2'"]
    assert problems_of([{"code": "a", "parent": "b"}, {"code": "b", "parent": "a"}], fields=SELF,
                       self_refs=[("parent", "code")]) == [
        "records[0] (code=a): its references form a cycle and cannot be written in any order",
        "records[1] (code=b): its references form a cycle and cannot be written in any order"]


def test_planning_sends_only_new_and_differing_fields():
    stored = [{"id": "s1", "code": "c1", "qty": 1, "due": "2024-01-01T00:00:00Z", "ok": True, "version": 2},
              {"id": "s2", "code": "c2", "qty": 2}]
    items = [{"code": "c1", "qty": 1.0, "due": "2024-01-01T00:00:00.000Z", "ok": None},
             {"code": "c2", "qty": 2}, {"code": "c3", "qty": 3, "kind": None}]
    plan = planned(items, stored)
    try:
        writes = list(plan.writes())
        assert [body for _e, body in writes] == [{"id": "s1", "ok": None},
                                                 {"id": writes[1][0].record_id, "code": "c3", "qty": 3}]
        assert plan.counts == dict(create=1, update=1, unchanged=1, skipped=0, delete=0)
    finally:
        plan.close()
    only_new = planned(items, stored, conflict_resolution="create_only")
    only_stored = planned(items, stored, conflict_resolution="update_only")
    try:
        assert only_new.counts["create"] == 1 and only_new.keys("skipped") == ["code=c1"]
        assert [body for _e, body in only_stored.writes()][0]["conflictResolution"] == "updateOnly"
        assert only_stored.keys("skipped") == ["code=c3"]
    finally:
        only_new.close()
        only_stored.close()


def test_batches_are_cut_by_count_and_by_size():
    writes = [(None, {"id": "r%d" % n, "text": "x" * 1000}) for n in range(10)]
    assert [len(b) for b in rec.iter_batches(writes, 4)] == [4, 4, 2]
    by_size = list(rec.iter_batches(writes, 100, max_bytes=3100))
    assert [len(b) for b in by_size] == [3, 3, 3, 1]
    for batch in by_size:
        assert len(json.dumps({"records": [b for _e, b in batch]}, separators=(",", ":"))) <= 3100
    assert rec.split_in_half([1, 2, 3]) == [[1], [2, 3]]


def test_dependency_levels_order_references_and_find_cycles():
    items = [{"id": "a", "boss": "b"}, {"id": "b", "boss": "c"}, {"id": "c"}, {"id": "d", "boss": "stored"}]
    same = (lambda item: item)
    levels, cycle = dependency_levels(items, [("boss", "id")], same, same, lambda field, value: value == "stored")
    assert [[i["id"] for i in level] for level in levels] == [["c", "d"], ["b"], ["a"]] and cycle == []
    looped = [{"id": "x", "boss": "y"}, {"id": "y", "boss": "x"}, {"id": "z"}]
    levels, cycle = dependency_levels(looped, [("boss", "id")], same, same)
    assert [i["id"] for i in cycle] == ["x", "y"] and [i["id"] for i in levels[0]] == ["z"]
    assert dependency_levels(items, [], same, same) == ([items], [])


def test_bounded_lists_say_how_many_there_were():
    assert rec.bounded(range(5), 2) == {"items": [0, 1], "total": 5, "truncated": True}


def read_all(tmp_path, name, content, fields=FIELDS):
    path = tmp_path / name
    path.write_bytes(content)
    return list(rd.iter_source(str(path), fields))


def refusal(tmp_path, name, content):
    with pytest.raises(rd.SourceError) as caught:
        read_all(tmp_path, name, content)
    return str(caught.value)


def test_json_items_name_their_index_and_line_whatever_the_chunk_size():
    text = '[\n  {"code": "a"},\n\n  {"code": "b",\n   "qty": 12345},   17\n]\n'
    for size in (1, 2, 3, 7, 64):
        assert list(rd.iter_json_array(io.StringIO(text), chunk_size=size, with_lines=True)) == [
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
    (b'[\n{"qty": 1e309}]', "t.json line 2: the number 1e309 is not finite"),
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
    (b"code,qty\nc1,1e309\n", "t.csv line 2: column qty: the number 1e309 is not finite"),
    (b"code,qty\nc1,1\nc2, -Inf\n", "t.csv line 3: column qty: the number -Inf is not finite"),
    (b"code,qty\nc1,nan\n", "t.csv line 2: column qty: the number nan is not finite"),
])
def test_csv_sources_are_read_strictly(tmp_path, content, message):
    assert refusal(tmp_path, "t.csv", content).startswith(message)


def test_csv_rows_name_the_line_they_start_on_and_quoted_cells_may_span_lines(tmp_path):
    rows = read_all(tmp_path, "t.csv", b'code,kind\nc1,"two\nlines"\n\nc2,a\n')
    assert rows == [("t.csv line 2", {"code": "c1", "kind": "two\nlines"}), ("t.csv line 5", {"code": "c2", "kind": "a"})]


def test_jsonl_refuses_a_number_that_overflows(tmp_path):
    assert refusal(tmp_path, "t.jsonl", b'{"code": "a"}\n{"code": "b", "qty": -1e400}\n').startswith(
        "t.jsonl line 2: the number -1e400 is not finite")
