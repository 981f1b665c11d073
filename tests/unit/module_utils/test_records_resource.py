"""The records contract: plan_records is a pure function of the spec, the schema and the stored pages."""
import json

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import plan_records, preview_result

SCHEMA = {"id": "s-1", "name": "members", "fields": [
    {"name": "code", "type": "string", "unique": True, "required": True},
    {"name": "points", "type": "number"},
    {"name": "tier", "type": "relationship", "relationship": {"schemaId": "s-2", "fieldName": "name"}},
    {"name": "sponsor", "type": "relationship", "relationship": {"schemaId": "s-1", "fieldName": "code"}},
]}
STORED = [[{"id": "m1", "code": "A", "points": 1, "version": 1}, {"id": "m2", "code": "B", "points": 2, "version": 1}],
          [{"id": "m3", "code": "C", "points": 3, "tier": "gold", "version": 4}]]


def spec(records, **options):
    return dict(dict(schema="members", records=records, key="code"), **options)


def test_a_plan_counts_samples_and_says_what_it_was_planned_against():
    desired = [{"code": "A", "points": 1}, {"code": "B", "points": 20}, {"code": "D", "points": 4}]
    with plan_records(spec(desired, purge=True), SCHEMA, STORED) as plan:
        assert plan.problems == [] and plan.warnings == []
        assert plan.counts == dict(create=1, update=1, unchanged=1, skipped=0, delete=1)
        summary = plan.to_dict()
        assert json.loads(json.dumps(summary)) == summary
        assert summary["changes"]["update"] == [
            {"key": "code=B", "id": "m2", "fields": {"points": {"before": 2, "after": 20}}}]
        assert [change["key"] for change in summary["changes"]["create"]] == ["code=D"]
        assert summary["changes"]["delete"] == [{"key": "code=C", "id": "m3", "before": {
            "code": "C", "points": 3, "tier": "gold"}}]
        assert summary["planned_against"]["records"] == 3 and summary["planned_against"]["pages"] == 2
        digest = summary["planned_against"]["digest"]
        assert [body["id"] for _entry, body in plan.writes()] == ["m2", _id_of(plan, "D")]
        assert [item["id"] for item in plan.deletes()] == ["m3"]
        assert plan.values_left("code") == {"A", "B", "D"} and plan.values_left("points") == {"1", "20", "4"}
    # pages as the API answers them give the same plan; another stored version another digest
    api_pages = [dict(entities=page, total=3) for page in STORED]
    with plan_records(spec(desired, purge=True), SCHEMA, api_pages) as same:
        assert same.planned_against["digest"] == digest
    changed = [STORED[0], [dict(STORED[1][0], version=5)]]
    with plan_records(spec(desired, purge=True), SCHEMA, changed) as moved:
        assert moved.planned_against["digest"] != digest


def _id_of(plan, code):
    return [entry.record_id for entry, _body in plan.writes() if entry.values.get("code") == code][0]


def test_relationship_targets_come_from_the_caller_once_per_field_and_after_the_run():
    asked = []

    def targets(relationship):
        asked.append(relationship["schemaId"])
        return "tiers", {"gold", "silver"}  # the values the tiers schema holds after the run

    desired = [{"code": "A", "tier": "gold"}, {"code": "E", "tier": "golden"}, {"code": "F", "tier": "silver",
                                                                                "sponsor": "E"}]
    with plan_records(spec(desired), SCHEMA, STORED, targets=targets) as plan:
        assert plan.problems == ["records[1] (code=E): tier: no tiers record has name 'golden'"]
        assert asked == ["s-2"]  # the self-reference (sponsor) is the plan's own business
        levels = [[entry.key for entry, _body in level] for level in plan.write_levels()]
        assert levels == [["code=A", "code=E"], ["code=F"]]


def test_a_self_reference_to_a_record_nobody_holds_is_refused():
    with plan_records(spec([{"code": "Z", "sponsor": "nobody"}]), SCHEMA, STORED) as plan:
        assert plan.problems == ["records[0] (code=Z): sponsor: no members record has code 'nobody'"]


def test_a_schema_that_does_not_exist_yet_plans_every_record_as_new():
    desired = [{"code": "A", "anything": 1}, {"code": "B"}]
    with plan_records(spec(desired), None, []) as plan:
        assert plan.problems == [] and plan.counts["create"] == 2
        assert "does not exist" in plan.warnings[0]
        result = preview_result(plan)
        assert result["planned"]["create"] == ["code=A", "code=B"] and result["record_keys"]["created"]["total"] == 2


def test_options_are_checked_before_anything_is_read():
    def pages():
        raise AssertionError("read")
        yield []  # pragma: no cover

    with pytest.raises(InputError) as caught:
        plan_records(spec([], key="points", batch_size=0), SCHEMA, pages())
    assert caught.value.problems == ["key: points is neither id nor a unique field of members",
                                     "batch_size: must be 1 to 100, not 0"]


def test_the_source_is_read_by_the_plan_and_its_problems_name_the_file(tmp_path):
    src = tmp_path / "members.csv"
    src.write_text("code,points\nA,1\nB,1e999\n")
    with pytest.raises(InputError) as caught:
        plan_records(spec(None, src=str(src)), SCHEMA, STORED)
    assert caught.value.problems == ["src: members.csv line 3: column points: the number 1e999 is not finite "
                                     "(the service refuses infinity and NaN; numbers stop near 1.8e308)"]


def test_a_changes_file_that_cannot_be_written_is_refused_before_anything_is_read(tmp_path):
    for path, problem in ((tmp_path / "missing" / "c.jsonl", "the folder %s does not exist" % (tmp_path / "missing")),
                          (tmp_path, "%s is a directory" % tmp_path)):
        with pytest.raises(InputError) as caught:
            plan_records(spec([{"code": "A"}], changes_dest=str(path)), SCHEMA, STORED)
        assert caught.value.problems[0].startswith("changes_dest: " + problem)


class Schemas:
    """A client that answers the schema list the way the service does: the name filter ignores case."""

    def __init__(self, *names):
        self.names = names

    def paginate(self, path, params=None, page_size=25):
        assert path == "/api/v2/data/flex/schemas" and page_size == 100
        return [{"id": "id-" + name, "name": name} for name in self.names if name.lower() == params["name"].lower()]


def test_a_schema_is_found_ignoring_case_but_records_take_its_exact_name():
    from ansible_collections.genesys.cloud.plugins.module_utils.record_query import find_schema, records_path

    assert find_schema(Schemas("things"), "things")["id"] == "id-things"
    assert find_schema(Schemas("things"), "Things", exact=False)["name"] == "things"
    with pytest.raises(InputError) as caught:
        find_schema(Schemas("things"), "Things")
    assert caught.value.problems == ["schema: Things is not the name of a flex schema; its name is things (records "
                                     "are addressed by the exact, case-sensitive name: write things)"]
    assert find_schema(Schemas(), "things", required=False) is None
    assert records_path("a b/c?d") == "/api/v2/customobjects/a%20b%2Fc%3Fd/records"


def test_a_preview_diff_shows_the_sample_it_is_given_and_at_most_1000_keys():
    desired = [{"code": "N%04d" % number} for number in range(1005)] + [{"code": "B", "points": 20}]
    with plan_records(spec(desired), SCHEMA, STORED) as plan:
        diff = preview_result(plan, diff=True, sample=2)["diff"]
        assert sorted(diff["after"]["records"]) == ["code=B (update)", "code=N0000 (create)", "code=N0001 (create)"]
        assert diff["before"]["records"]["code=B (update)"]["points"] == 2
        created = diff["after"]["keys"]["create"]
        assert len(created) == 1001 and created[-1] == "... and 5 more" and diff["after"]["keys"]["update"] == ["code=B"]
        counts_only = preview_result(plan, diff=True, sample=0)["diff"]
        assert counts_only["before"] == "" and counts_only["after"] == "1005 to create, 1 to update, 0 to delete\n"
    with plan_records(spec([{"code": "A", "points": 1}]), SCHEMA, STORED) as unchanged:
        for sample in (0, 20):  # a set that does not change has no diff at all (no empty block)
            assert "diff" not in preview_result(unchanged, diff=True, sample=sample)


def test_without_purge_the_stored_records_the_input_leaves_alone_are_counted_and_named_by_their_key():
    stored = STORED + [[{"id": "m4", "points": 9, "version": 1}]]  # a stored record without a key value
    desired = [{"code": "A", "points": 1}, {"code": "B", "points": 20}]
    with plan_records(spec(desired), SCHEMA, stored, untouched=True) as plan:
        assert plan.untouched == 2 and sorted(plan.untouched_keys()) == ["code=C", "id=m4"]
        assert plan.counts["delete"] == 0
    with plan_records(spec(desired), SCHEMA, stored) as plan:  # not asked for: nothing is tracked
        assert plan.untouched == 0 and plan.untouched_keys() == []
    with plan_records(spec(desired, purge=True), SCHEMA, stored, untouched=True) as plan:  # purge deletes them
        assert plan.untouched == 0 and sorted(plan.keys("delete")) == ["code=C", "id=m4"]
