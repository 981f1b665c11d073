"""RecordPlan: the same plan, problems and streams whether its maps stay in memory or spill to SQLite."""
import os

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils import records_plan as rp
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


@pytest.mark.parametrize("spill_after", [1, rp.SPILL_AFTER])
def test_the_plan_is_the_same_in_memory_and_spilled(spill_after):
    plan = plan_of(DESIRED, spill_after, purge=True)
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
        directory = plan.scratch.directory
        plan.close()
    assert not os.path.exists(directory)


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
