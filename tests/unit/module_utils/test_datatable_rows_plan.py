"""Plain-function tests of the data-table rows kind: reading and checking input, filling defaults, plans."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.plan import plan_rows
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.source import fill_row, wanted_rows

PROPS = {
    "key": {"type": "string", "minLength": 1, "maxLength": 256},
    "queue": {"type": "string", "maxLength": 5},
    "open": {"type": "boolean", "default": True},
    "priority": {"type": "integer"},
    "weight": {"type": "number", "default": 1.5},
}
TABLE = {"id": "t1", "name": "storeRouting"}


def params(rows=None, src=None, max_problems=100):
    return dict(rows=rows, src=src, max_problems=max_problems)


def test_rows_are_filled_as_the_service_fills_them():
    assert fill_row(PROPS, {"key": "a"}) == {"key": "a", "queue": "", "open": True, "priority": 0, "weight": 1.5}
    assert fill_row(PROPS, {"key": "a", "priority": 2.0})["priority"] == 2


def test_every_bad_row_is_reported_together_with_a_cap():
    rows = [{"key": "a", "queue": "toolong"}, {"queue": "x"}, "text", {"key": "b", "colour": "red", "open": "yes"},
            {"key": "c"}, {"key": "c"}]
    wanted = wanted_rows(params(rows), "storeRouting", PROPS)
    assert wanted.problem_count == 5 and list(wanted.rows) == ["c"]
    text = "\n".join(wanted.summary())
    assert "rows[0]: queue is 7 characters long, over its max_length 5" in text
    assert "rows[1]: key is missing" in text and "rows[2]: a row is a mapping" in text
    assert "rows[3]: 'colour' is not a property" in text and "open 'yes' is not of type boolean" in text
    assert "rows[5]: key 'c' is given twice (first at rows[4])" in text
    capped = wanted_rows(params(rows, max_problems=2), "storeRouting", PROPS)
    assert capped.summary()[-1] == "... and 3 more bad rows (raise max_problems to see them)"


def test_a_csv_source_is_converted_by_the_property_types(tmp_path):
    src = tmp_path / "rows.csv"
    src.write_text("key,queue,open,priority,weight\na,q1,false,3,\nb,,TRUE,,2.5\n")
    wanted = wanted_rows(params(src=str(src)), "storeRouting", PROPS)
    assert wanted.problem_count == 0
    assert wanted.rows["a"] == {"key": "a", "queue": "q1", "open": False, "priority": 3, "weight": 1.5}
    assert wanted.rows["b"] == {"key": "b", "queue": "", "open": True, "priority": 0, "weight": 2.5}


@pytest.mark.parametrize("name,text,expected", [
    ("rows.jsonl", '{"key": "a"}\n{"key": 1}\n', 'rows.jsonl line 2: key 1 is not a string (quote it in YAML: key: "1")'),
    ("rows.jsonl", '{"key": "a"}\n{"open": true}\n', "rows.jsonl line 2: key is missing"),
    ("rows.json", '[{"key": "a"}, {"key": "b", "priority": 1.5}]', "rows.json[1] line 1: priority 1.5 is not of type integer"),
    ("rows.json", '[{"key": "a"},', "src: rows.json"),
])
def test_json_sources_name_the_line_of_a_bad_row(tmp_path, name, text, expected):
    src = tmp_path / name
    src.write_text(text)
    wanted = wanted_rows(params(src=str(src)), "storeRouting", PROPS)
    assert wanted.problem_count == 1 and wanted.summary()[0].startswith(expected), wanted.summary()


def test_a_plan_compares_filled_rows_so_server_defaults_plan_nothing():
    stored = {"a": {"key": "a", "queue": "", "open": True, "priority": 0, "weight": 1.5},
              "b": {"key": "b", "queue": "x", "open": True, "priority": 1, "weight": 1.5},
              "z": {"key": "z", "queue": "", "open": False, "priority": 0, "weight": 1.5}}
    wanted = wanted_rows(params([{"key": "a"}, {"key": "b", "queue": "y", "priority": 1}, {"key": "c"}]),
                         "storeRouting", PROPS).rows
    plan = plan_rows(TABLE, PROPS, wanted, stored)
    assert plan.counts() == dict(created=1, updated=1, deleted=0, unchanged=1)
    assert plan.keys() == dict(created=["c"], updated=["b"], deleted=[])
    assert plan.diff()["before"] == {"b": stored["b"]} and plan.diff()["after"]["b"]["queue"] == "y"
    purge = plan_rows(TABLE, PROPS, wanted, stored, purge=True)
    assert [row["key"] for row in purge.delete] == ["z"] and purge.diff()["before"]["z"] == stored["z"]


def test_the_row_limit_counts_stored_new_and_purged_rows():
    stored = {"a": {"key": "a"}, "b": {"key": "b"}}
    wanted = {"c": fill_row(PROPS, {"key": "c"})}
    plan = plan_rows(TABLE, PROPS, wanted, stored, max_rows=2)
    assert "would hold 3 rows (2 stored, 1 new) and a table holds at most 2" in plan.problems[0]
    assert plan_rows(TABLE, PROPS, wanted, stored, purge=True, max_rows=2).problems == []


def test_rows_read_as_keys_only_are_refused_rather_than_planned_as_updates():
    from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
    from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.task import check_full_rows

    check_full_rows(TABLE, PROPS, {"a": fill_row(PROPS, {"key": "a"})})
    check_full_rows(TABLE, {"key": PROPS["key"]}, {"a": {"key": "a"}})  # a table of keys only
    with pytest.raises(GenesysCloudError, match="returned its rows as keys only"):
        check_full_rows(TABLE, PROPS, {"a": {"key": "a"}, "b": {"key": "b"}})
