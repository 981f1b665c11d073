"""Bad input never loses data: a source that cannot be read completely and correctly is refused
before anything is written, even with ``purge: true`` (issue 10)."""
import pytest

from tests.support.inprocess import run_module

STORED = [{"id": "a1", "label": "alpha", "qty": 1}, {"id": "b2", "label": "beta", "qty": 2},
          {"id": "c3", "label": "gamma", "qty": 3}]


@pytest.fixture
def items(emulator):
    emulator.create_schema("items", [{"name": "label", "type": "string", "unique": True},
                                     {"name": "qty", "type": "number"}])
    emulator.upsert_records("items", STORED)
    return emulator


def stored(emulator):
    return sorted(emulator.records("items"), key=lambda record: record["id"])


def purge_from(emulator, path, **options):
    args = dict(emulator.connection, schema="items", src=str(path), purge=True)
    args.update(options)
    return run_module("custom_object_records", args)


def assert_refused_untouched(emulator, before, result, *texts):
    assert result.get("failed") or result.get("msg", "").startswith("the task's input is not valid"), result
    for text in texts:
        assert text in result["msg"], result["msg"]
    assert "nothing was changed" in result["msg"]
    assert emulator.module_writes() == []
    assert stored(emulator) == before


@pytest.mark.parametrize("name, content, texts", [
    ("empty.json", b"", ["src: empty.json: the file is empty", "records: []"]),
    ("cut.json", b'[{"id": "a1", "label": "alpha"},\n {"id": "b2", "label": "beta"}\n',
     ["cut.json line 3: the JSON array is not complete, its closing ] is missing"]),
    ("cut_item.json", b'[{"id": "a1", "label": "alpha"},\n {"id": "b2", "lab',
     ["cut_item.json line 2: not valid JSON"]),
    ("garbage.json", b'[{"id": "a1", "label": "alpha"}]\n]', ["garbage.json line 2: text after the closing ]"]),
    ("comma.json", b'[{"id": "a1", "label": "alpha"},]', ["comma.json line 1: a ] where an item should be"]),
    ("object.json", b'{"id": "a1", "label": "alpha"}', ["object.json line 1: the file does not hold a JSON array"]),
    ("latin1.json", b'[{"id": "a1", "label": "alpha"},\n {"id": "b2", "label": "b\xe9ta"}]',
     ["latin1.json line 2: bytes that are not UTF-8 text"]),
    ("empty.jsonl", b"\n\n", ["empty.jsonl: the file holds no records"]),
    ("broken.jsonl", b'{"id": "a1", "label": "alpha"}\n\n{"id": "b2", "label": "beta"\n{"id": "c3"}\n',
     ["src: broken.jsonl line 3: not valid JSON"]),
    ("cut.jsonl", b'{"id": "a1", "label": "alpha"}\n{"id": "b2", "la',
     ["cut.jsonl line 2: not valid JSON", "truncated"]),
    ("empty.csv", b"", ["empty.csv: the file is empty"]),
    ("header.csv", b"id,label\n", ["header.csv: the file holds a header row and no records"]),
    ("quote.csv", b'id,label\na1,"alpha\nb2,beta\nc3,gamma\n', ["quote.csv lines 2-4: not valid CSV"]),
    ("wide.csv", b"id,label\na1,alpha\nb2,beta,2\n", ["wide.csv line 3: 3 cells where the header (line 1) has 2"]),
    ("narrow.csv", b"id,label,qty\na1,alpha,1\nb2\n", ["narrow.csv line 3: 1 cell where the header (line 1) has 3"]),
    ("repeat.csv", b"id,label,label\na1,alpha,x\n", ["repeat.csv line 1 (the header): the column 'label' repeats"]),
])
def test_a_source_not_read_completely_is_refused_and_nothing_is_deleted(items, tmp_path, name, content, texts):
    before = stored(items)
    path = tmp_path / name
    path.write_bytes(content)
    items.clear_requests()
    assert_refused_untouched(items, before, purge_from(items, path), *texts)


def test_an_empty_json_file_in_a_real_playbook_deletes_nothing(items, playbook, tmp_path):
    before = stored(items)
    (tmp_path / "empty.json").write_bytes(b"")
    items.clear_requests()
    run = playbook([{"name": "purge", "genesys.cloud.custom_object_records": {
        "schema": "items", "src": str(tmp_path / "empty.json"), "purge": True}, "ignore_errors": True}])
    assert run.status("purge") == "failed"
    assert_refused_untouched(items, before, run.task("purge"), "empty.json: the file is empty")


def test_a_deliberate_empty_list_with_purge_deletes_every_record_and_says_so(items, tmp_path):
    (tmp_path / "none.json").write_text("[]\n")
    preview = run_module("custom_object_records", dict(items.connection, schema="items", records=[], purge=True),
                         check_mode=True)
    assert preview["changed"] and preview["deleted"] == 3
    assert preview["msg"] == "purge with an empty record list: every stored record is deleted (3 records would be)"
    assert len(stored(items)) == 3
    result = purge_from(items, tmp_path / "none.json")
    assert result["changed"] and result["deleted"] == 3
    assert result["msg"] == "purge with an empty record list: every stored record is deleted (3 records)"
    assert stored(items) == []


def test_a_purge_that_lists_records_has_no_purge_all_message(items):
    result = run_module("custom_object_records", dict(items.connection, schema="items", records=STORED[:1],
                                                      purge=True))
    assert result["deleted"] == 2 and "msg" not in result


def test_a_record_diff_keeps_a_deleted_and_a_created_record_apart(items):
    result = run_module("custom_object_records", dict(items.connection, schema="items", purge=True, records=[
        {"id": "a1", "label": "alpha", "qty": 1}, {"id": "b2", "label": "beta", "qty": 20},
        {"id": "d4", "label": "delta"}]), check_mode=True, diff=True)
    before, after = result["diff"]["before"]["records"], result["diff"]["after"]["records"]
    assert before["id=c3 (delete)"] == {"id": "c3", "label": "gamma", "qty": 3}
    assert after["id=c3 (delete)"] == "(deleted)"
    assert before["id=d4 (create)"] == "(not stored)" and after["id=d4 (create)"]["label"] == "delta"
    assert before["id=b2 (update)"]["qty"] == 2 and after["id=b2 (update)"]["qty"] == 20
    assert sorted(before) == sorted(after) == ["id=b2 (update)", "id=c3 (delete)", "id=d4 (create)"]
