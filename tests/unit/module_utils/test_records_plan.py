"""RecordPlan: the same plan, problems and streams whether its maps stay in memory or spill to SQLite."""
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.module_utils import records_digest
from ansible_collections.genesys.cloud.plugins.module_utils import records_plan as rp
from ansible_collections.genesys.cloud.plugins.module_utils.records_store import Scratch
from ansible_collections.genesys.cloud.plugins.module_utils.progress import Progress

FIELDS = dict((f["name"], f) for f in [
    {"name": "code", "type": "string", "unique": True, "required": True, "maxLength": 8},
    {"name": "email", "type": "string", "unique": True},
    {"name": "qty", "type": "number"},
    {"name": "due", "type": "date"},
    {"name": "region", "type": "relationship", "relationship": {"schemaId": "other", "fieldName": "code"}},
])
STORED = [{"id": "s%d" % n, "code": "c%d" % n, "qty": n, "email": "e%d@x" % n, "due": "2024-01-0%dT00:00:00Z" % n,
           "version": 1} for n in range(1, 6)] + [{"id": "nokey", "qty": 1}]


def plan_of(desired, spill_after, **options):
    options.setdefault("key", "code")
    plan = rp.RecordPlan("things", FIELDS, options.pop("key"), spill_after=spill_after, **options)
    plan.add_stored(STORED[:3])
    plan.add_stored(STORED[3:])
    plan.add_desired(("records[%d]" % n, record) for n, record in enumerate(desired))
    plan.finish()
    return plan


DESIRED = [
    {"code": "c1", "qty": 1.0, "email": "e1@x", "due": "2024-01-01T02:00:00+02:00"},  # same, spelled otherwise
    {"code": "c2", "qty": 22},                                          # update, the rest left as stored
    {"code": "c3", "qty": 3, "email": "e3@x", "due": "2024-01-03T00:00:00Z"},  # identical: unchanged
    {"code": "new1", "email": "e4@x"},                                  # e4 held by stored c4, left alone
    {"code": "new2", "email": "mine@x", "region": "EU"},
    {"code": "new3", "email": "mine@x", "region": "US"},                # repeats new2's unique value
    {"code": "c2"},                                                     # the key repeats
    {"code": "toolongcode"},
    ["not", "a", "record"],
]


@pytest.mark.parametrize("spill_after, memory_limit", [(1, rp.MEMORY_LIMIT), (rp.SPILL_AFTER, rp.MEMORY_LIMIT),
                                                     (rp.SPILL_AFTER, 1), (1, 1)])
def test_the_plan_is_the_same_in_memory_and_spilled(spill_after, memory_limit, tmp_path):
    plan = plan_of(DESIRED, spill_after, purge=True, directory=str(tmp_path), memory_limit=memory_limit)
    on_disk = os.listdir(str(tmp_path))
    assert bool(on_disk) == (spill_after == 1 or memory_limit == 1)  # a small set never touches the disk
    held = plan.new_set()
    held.put("EU", 1)
    plan.check_references("region", held, "regions")
    try:
        assert plan.problems == [
            "records[5] (code=new3): email: the unique value 'mine@x' is also given to records[4] (code=new2)",
            "records[6] (code=c2): the key repeats records[1]",
            "records[7] (code=toolongcode): code: 'toolongcode' is too long",
            "records[8]: a record must be a mapping, not list",
            "records[3] (code=new1): email: the unique value 'e4@x' is already used by stored record s4",
            "records[5] (code=new3): region: no regions record has code 'US'",
        ]
        assert plan.counts == dict(create=4, update=1, unchanged=3, skipped=0, delete=3)
        writes = list(plan.writes())
        assert [(entry.key, body) for entry, body in writes][:2] == [
            ("code=c2", {"id": "s2", "qty": 22}), ("code=new1", {"code": "new1", "email": "e4@x",
                                                                 "id": writes[1][0].record_id})]
        merged = writes[0][0]  # what the change log gets: the stored record with the update applied
        assert dict(merged.stored, **merged.values)["email"] == "e2@x" and merged.values["qty"] == 22
        assert sorted(item["id"] for item in plan.deletes()) == ["nokey", "s4", "s5"]
        assert plan.keys("create") == ["code=new1", "code=new2", "code=new3", "code=toolongcode"]
        assert [entry.key for entry, _body in plan.samples["update"]] == ["code=c2"]
    finally:
        plan.close()
    assert os.listdir(str(tmp_path)) == []


def test_state_absent_and_update_only():
    plan = plan_of([{"code": "c1"}, {"code": "c1"}, {"code": "gone"}], 1, state="absent")
    assert plan.problems == [] and plan.counts["delete"] == 1 and plan.counts["unchanged"] == 1
    assert [item["id"] for item in plan.deletes()] == ["s1"]
    only = plan_of([{"code": "c1", "qty": 9}, {"code": "zz"}], 1, conflict_resolution="update_only")
    assert only.keys("skipped") == ["code=zz"] and [body for _e, body in only.writes()] == [
        {"id": "s1", "qty": 9, "conflictResolution": "updateOnly"}]


def test_progress_reports_at_most_every_interval_with_rate_and_time_left():
    now, lines = [0.0], []
    progress = Progress(lines.append, label="things records", interval=10.0, clock=lambda: now[0])
    progress.expect("read", 1000)
    for _ in range(10):
        now[0] += 2.0
        progress.add("read", 50)
    assert lines == ["things records: read 250 of 1,000, compared 0, written 0; 31 read/s, about 24 s left "
                     "(10 s elapsed)",
                     "things records: read 500 of 1,000, compared 0, written 0; 27 read/s, about 18 s left "
                     "(20 s elapsed)"]
    progress.add("written", 100)
    now[0] += 4.0
    progress.add("written", 100)
    assert progress.stats() == dict(read=500, compared=0, written=200, seconds=24.0, rate=50.0)
    assert Progress("not callable").stats()["read"] == 0


# -- a large source digested by the helper process -----------------------------------------------
TEXT_KEYED = dict((f["name"], f) for f in [
    {"name": "code", "type": "string", "unique": True, "required": True, "maxLength": 8},
    {"name": "qty", "type": "number"},
    {"name": "vip", "type": "boolean"},
    {"name": "due", "type": "date"},
])
TEXT_STORED = [{"id": "s%d" % n, "code": "c%d" % n, "qty": n, "vip": n % 2 == 0, "due": "2024-01-0%d" % n,
                "version": 2, "dateCreated": "2026-01-01T00:00:00.000Z", "dateModified": "2026-01-01T00:00:00.000Z"}
               for n in range(1, 8)]  # s7 is not in the input: purge deletes it
TEXT_DESIRED = [
    {"code": "c1", "qty": 1, "vip": False, "due": "2024-01-01"},   # as stored
    {"code": "c2", "qty": 22, "vip": True, "due": "2024-01-02"},   # differs
    {"code": "c9", "qty": 9},                                     # new
    {"code": "c3", "qty": 3, "vip": False, "due": "2024-01-03"},   # as stored
    {"code": "c3", "qty": 3, "vip": False, "due": "2024-01-03"},   # the key repeats (first one was as stored)
    {"code": "c2", "qty": 2},                                     # repeats a key whose first record differs
    {"code": "c4", "qty": 4.0, "vip": True, "due": "2024-01-04"},  # 4.0 for 4: the same value, compared by field
    {"code": "c5", "qty": True, "vip": False, "due": "2024-01-05"},  # True for a number: a problem
    {"code": "c6", "qty": 6, "vip": True, "due": "2024-01-06", "extra": 1},  # an unknown field
    {"qty": 5},                                                   # no key
    ["not", "a", "record"],
    {"code": "c1x", "qty": None},                                 # a null: a new record without qty
]


def digested_plan(desired, spill_after, portable, purge=False):
    from ansible_collections.genesys.cloud.plugins.module_utils import records_helper

    plan = rp.RecordPlan("things", TEXT_KEYED, "code", purge=purge, spill_after=spill_after, portable=portable)
    plan.add_stored(TEXT_STORED[:4])
    plan.add_stored(TEXT_STORED[4:])
    items = [("records[%d]" % n, record) for n, record in enumerate(desired)]
    if portable:
        entries = list(records_helper.digest_entries(items, "code", TEXT_KEYED))
        plan.add_desired_digested(iter(entries), lambda: iter(items))
    else:
        plan.add_desired(iter(items))
    plan.finish()
    return plan


@pytest.mark.parametrize("spill_after", [1, rp.SPILL_AFTER])
def test_a_source_digested_elsewhere_gives_the_plan_of_the_general_way(spill_after):
    general, digested = (digested_plan(TEXT_DESIRED, spill_after, portable, purge=True) for portable in (False, True))
    try:
        assert digested.problems == general.problems == [
            "records[4] (code=c3): the key repeats records[3]",
            "records[5] (code=c2): the key repeats records[1]",
            "records[7] (code=c5): qty: True is not of type 'number'",
            "records[8] (code=c6): (record): unknown field(s): extra",
            "records[9]: code: the key field is missing",
            "records[10]: a record must be a mapping, not list",
        ]
        assert digested.counts == general.counts == dict(create=2, update=3, unchanged=5, skipped=0, delete=1)
        for outcome in ("create", "update"):
            assert digested.keys(outcome) == general.keys(outcome)
        assert [body for _e, body in digested.writes()] == [body for _e, body in general.writes()]
        assert [item["id"] for item in digested.deletes()] == [item["id"] for item in general.deletes()] == ["s7"]
    finally:
        general.close()
        digested.close()


def test_portable_digests_are_the_same_in_the_helper_process(tmp_path):
    from ansible_collections.genesys.cloud.plugins.module_utils import records_helper
    from ansible_collections.genesys.cloud.plugins.module_utils import records_read as rec

    src = tmp_path / "things.jsonl"
    src.write_text("".join(json.dumps(record) + "\n" for record in TEXT_DESIRED))
    scratch = Scratch(str(tmp_path))
    helper = records_helper.SourceDigests(str(src), "code", TEXT_KEYED, scratch)
    try:
        assert helper.ready()
        from_helper = list(helper.entries())
        assert oct(os.stat(os.path.join(scratch.directory, "digests")).st_mode & 0o777) == "0o600"
    finally:
        helper.close()
        scratch.close()
    here = list(records_helper.digest_entries(rec.iter_source(str(src), TEXT_KEYED), "code", TEXT_KEYED))
    assert from_helper == here
    stored = dict((item["code"], records_digest.Portable(TEXT_KEYED)(records_digest.without_metadata(item)))
                  for item in TEXT_STORED)
    assert from_helper[0] == ("things.jsonl line 1", "c1", stored["c1"])  # as stored: the same digest
    assert [entry[2] is None for entry in from_helper[6:8]] == [False, True]  # 4.0 digests (differently); True not
    assert from_helper[6][2] != stored["c4"]


def test_the_helper_reports_a_broken_source_as_the_module_would_and_a_changed_one(tmp_path):
    from ansible_collections.genesys.cloud.plugins.module_utils import records_helper
    from ansible_collections.genesys.cloud.plugins.module_utils import records_read as rec

    src = tmp_path / "things.jsonl"
    src.write_text('{"code": "c1"}\n{"code": "c2"\n')
    with pytest.raises(rec.SourceError) as here:
        list(rec.iter_source(str(src), TEXT_KEYED))
    scratch = Scratch(str(tmp_path))
    try:
        helper = records_helper.SourceDigests(str(src), "code", TEXT_KEYED, scratch)
        try:
            assert helper.ready()
            with pytest.raises(rec.SourceError) as there:
                list(helper.entries())
        finally:
            helper.close()
        assert str(there.value) == str(here.value) and "line 2" in str(here.value)

        src.write_text('{"code": "c1"}\n')
        scratch.close()
        scratch = Scratch(str(tmp_path))
        helper = records_helper.SourceDigests(str(src), "code", TEXT_KEYED, scratch)
        assert helper.ready()
        src.write_text('{"code": "c1", "qty": 2}\n')
        with pytest.raises(rec.SourceError, match="changed while this run read it"):
            list(helper.entries())
    finally:
        scratch.close()


def test_no_helper_where_a_process_cannot_be_forked(tmp_path, monkeypatch):
    from ansible_collections.genesys.cloud.plugins.module_utils import records_helper

    def no_fork():
        raise OSError("no more processes")

    src = tmp_path / "things.jsonl"
    src.write_text('{"code": "c1"}\n')
    monkeypatch.setattr(records_helper.os, "fork", no_fork)
    scratch = Scratch(str(tmp_path))
    helper = records_helper.SourceDigests(str(src), "code", TEXT_KEYED, scratch)
    assert helper.ready() is False
    helper.close()
    scratch.close()


def test_the_scratch_files_are_private_and_removed_on_close(tmp_path):
    scratch = Scratch(str(tmp_path))
    assert os.listdir(str(tmp_path)) == []  # nothing on disk until something moves there
    scratch.table("k TEXT")
    assert oct(os.stat(scratch.directory).st_mode & 0o777) == "0o700"
    assert oct(os.stat(os.path.join(scratch.directory, "index.sqlite")).st_mode & 0o777) == "0o600"
    scratch.close()
    scratch.close()  # twice is fine (a signal's clean-up may come first)
    assert os.listdir(str(tmp_path)) == []
    with pytest.raises(ValueError):  # and nothing comes back on disk after it
        scratch.table("k TEXT")
    assert os.listdir(str(tmp_path)) == []


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(
    st.fixed_dictionaries({"code": st.sampled_from(["c1", "c2", "c3", "c8", 7])}, optional={
        "qty": st.one_of(st.none(), st.integers(0, 3), st.sampled_from([1.0, 2.5, True])),
        "vip": st.one_of(st.booleans(), st.just(1)),
        "due": st.sampled_from(["2024-01-01", "2024-01-02", "soon"]),
        "extra": st.just(1), "id": st.sampled_from(["s1", "s2", "zz"])}),
    st.just(["not a record"]), st.just({"qty": 1})), max_size=12), st.booleans())
def test_any_input_digested_elsewhere_is_planned_as_the_general_way_plans_it(desired, purge):
    general, digested = (digested_plan(desired, 1, portable, purge=purge) for portable in (False, True))
    try:
        assert digested.problems == general.problems
        assert digested.counts == general.counts
        assert [body for _e, body in digested.writes()] == [body for _e, body in general.writes()]
        assert sorted(item["id"] for item in digested.deletes()) == sorted(item["id"] for item in general.deletes())
    finally:
        general.close()
        digested.close()


def test_a_number_key_spelled_twice_is_the_same_key():
    fields = {"n": {"name": "n", "type": "number", "unique": True}, "label": {"name": "label", "type": "string"}}
    plan = rp.RecordPlan("numbers", fields, "n")
    try:
        plan.add_stored([{"id": "s1", "n": 1, "label": "one", "version": 1}])
        plan.add_desired([("records[0]", {"n": 1, "label": "one"}), ("records[1]", {"n": 1.0, "label": "uno"})])
        plan.finish()
        assert plan.problems == ["records[1] (n=1.0): the key repeats records[0]"]
    finally:
        plan.close()


# -- memory first, then a private file -----------------------------------------------------------
MANY_STORED = [[{"id": "s%d" % n, "code": "c%d" % n, "qty": n, "vip": n % 2 == 0, "version": 1}
                for n in range(page * 50, page * 50 + 50)] for page in range(6)]
MANY_DESIRED = ([{"code": "c%d" % n, "qty": n + (n % 7 == 0), "vip": n % 2 == 0} for n in range(0, 300, 2)]
                + [{"code": "new%d" % n, "qty": n} for n in range(120)] + [{"code": "c4", "qty": 4, "vip": True}])


def many_plan(directory, memory_limit):
    plan = rp.RecordPlan("things", TEXT_KEYED, "code", purge=True, directory=directory, memory_limit=memory_limit)
    for page in MANY_STORED:
        plan.add_stored(page)
    plan.add_desired(("records[%d]" % n, record) for n, record in enumerate(MANY_DESIRED))
    plan.finish()
    return plan


def plan_seen(plan):
    return dict(problems=plan.problems, counts=plan.counts, digest=plan.pages.digest(),
                keys=[plan.keys(outcome) for outcome in ("create", "update", "skipped")],
                writes=[(entry.key, entry.stored, body) for entry, body in plan.writes()],
                deletes=[item["id"] for item in plan.deletes()], stored=list(plan.pages.all_records()))


@pytest.mark.parametrize("memory_limit", [1, 3000, 20000])  # at once, while the pages come, with the plan rows
def test_a_set_past_the_memory_limit_moves_to_a_private_file_and_plans_as_in_memory(memory_limit, tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    in_memory = many_plan(str(small), rp.MEMORY_LIMIT)
    spilled = many_plan(str(large), memory_limit)
    try:
        assert os.listdir(str(small)) == []  # never on disk
        [folder] = os.listdir(str(large))
        assert oct(os.stat(str(large / folder)).st_mode & 0o777) == "0o700"
        assert oct(os.stat(str(large / folder / "index.sqlite")).st_mode & 0o777) == "0o600"
        seen = plan_seen(in_memory)
        assert seen["counts"] == dict(create=120, update=22, unchanged=129, skipped=0, delete=150)
        assert seen["problems"] == ["records[270] (code=c4): the key repeats records[2]"]
        assert plan_seen(spilled) == seen
    finally:
        in_memory.close()
        spilled.close()
    assert os.listdir(str(large)) == []
