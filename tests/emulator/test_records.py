"""Custom-object records: bulk upsert semantics, validation, atomic batches, deletes, concurrency."""

import re
import threading

import pytest

from emu_helpers import SCHEMAS, assert_error, records_path

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
FIELDS = [
    {"name": "email", "type": "string", "unique": True, "maxLength": 20},
    {"name": "tier", "type": "string", "options": ["gold", "silver"]},
    {"name": "balance", "type": "number"},
    {"name": "active", "type": "boolean"},
    {"name": "openedOn", "type": "date"},
    {"name": "name", "type": "string", "required": True},
]
ACC = records_path("acc")


@pytest.fixture
def acc(emu):
    return emu.create_schema("acc", FIELDS)


def _problems(body):
    return [(e["index"], e.get("id"), e.get("field"), e["code"]) for e in body["errors"]]


def _total(emu, path=ACC):
    return emu.api("GET", path).json()["total"]


def test_upsert_creates_with_given_and_generated_ids(emu, acc):
    response = emu.upsert("acc", [{"id": "a-1", "name": "A", "email": "a@x", "balance": 1.5, "active": True,
                                   "openedOn": "2024-01-31", "tier": "gold"},
                                  {"name": "B", "openedOn": "2024-01-31T08:00:00.000+02:00"}])
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 0, 0)
    assert body["records"][0] == {"id": "a-1", "version": 1, "result": "created"}
    assert UUID_RE.match(body["records"][1]["id"]) and body["records"][1]["result"] == "created"
    record = emu.api("GET", ACC + "/a-1").json()
    assert record == {"id": "a-1", "email": "a@x", "tier": "gold", "balance": 1.5, "active": True,
                      "openedOn": "2024-01-31", "name": "A", "version": 1,
                      "dateCreated": record["dateCreated"], "dateModified": record["dateModified"]}
    assert TS_RE.match(record["dateCreated"]) and record["dateCreated"] == record["dateModified"]
    generated = emu.api("GET", ACC + "/" + body["records"][1]["id"]).json()
    assert "email" not in generated and "balance" not in generated  # a field without a value is absent


def test_update_merges_clears_nulls_and_counts_unchanged(emu, acc):
    emu.upsert("acc", [{"id": "a", "name": "A", "tier": "gold", "balance": 3}, {"id": "b", "name": "B"}])
    response = emu.upsert("acc", [{"id": "a", "tier": None, "balance": 4}, {"id": "b", "name": "B"},
                                  {"id": "c", "name": "C"}])
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 1, 1)
    assert [(r["id"], r["version"], r["result"]) for r in body["records"]] == [
        ("a", 2, "updated"), ("b", 1, "unchanged"), ("c", 1, "created")]
    record = emu.api("GET", ACC + "/a").json()
    assert record["name"] == "A" and record["balance"] == 4 and "tier" not in record


def test_replaying_a_batch_with_ids_leaves_the_same_state(emu, acc):
    batch = [{"id": "a", "name": "A", "balance": 1}, {"id": "b", "name": "B", "email": "b@x"}]
    emu.upsert("acc", batch)
    before = emu.api("GET", ACC).json()["entities"]
    again = emu.upsert("acc", batch).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert emu.api("GET", ACC).json()["entities"] == before


def test_conflict_resolution_modes(emu, acc):
    emu.upsert("acc", [{"id": "a", "name": "A"}])
    ok = emu.upsert("acc", [{"id": "a", "name": "A2", "conflictResolution": "updateOnly"},
                            {"id": "n", "name": "N", "conflictResolution": "createOnly"},
                            {"name": "G", "conflictResolution": "createOnly"}])
    assert [r["result"] for r in ok.json()["records"]] == ["updated", "created", "created"]
    body = assert_error(emu.upsert("acc", [{"id": "a", "name": "x", "conflictResolution": "createOnly"},
                                           {"id": "zz", "name": "x", "conflictResolution": "updateOnly"},
                                           {"name": "x", "conflictResolution": "updateOnly"},
                                           {"id": "q", "name": "x", "conflictResolution": "merge"}]),
                        400, "batch.validation.failed")
    assert _problems(body) == [(0, "a", None, "record.exists"), (1, "zz", None, "record.not.found"),
                               (2, None, None, "record.id.required"),
                               (3, "q", "conflictResolution", "invalid.conflict.resolution")]


def test_every_validation_problem_is_reported_and_nothing_is_written(emu, acc):
    emu.upsert("acc", [{"id": "stored", "name": "S", "email": "taken@x"}])
    batch = [
        {"id": "ok", "name": "fine"},
        {"id": "bad id!", "name": "x"},
        {"id": "ok", "name": "again"},
        {"id": "u", "name": "x", "colour": "red"},
        {"id": "t", "name": "x", "balance": True, "active": "yes", "openedOn": "2024-02-30"},
        {"id": "m", "name": "x", "email": "much-too-long-for-twenty@x"},
        {"id": "o", "name": "x", "tier": "bronze"},
        {"id": "r"},
        {"id": "dup1", "name": "x", "email": "taken@x"},
        {"id": "dup2", "name": "x", "email": "same@x"},
        {"id": "dup3", "name": "x", "email": "same@x"},
        {"id": "clear", "name": None},
    ]
    body = assert_error(emu.upsert("acc", batch), 400, "batch.validation.failed")
    assert _problems(body) == [
        (1, None, "id", "invalid.id"),
        (2, "ok", "id", "duplicate.id.in.batch"),
        (3, "u", "colour", "unknown.field"),
        (4, "t", "balance", "invalid.type"), (4, "t", "active", "invalid.type"), (4, "t", "openedOn", "invalid.type"),
        (5, "m", "email", "max.length.exceeded"),
        (6, "o", "tier", "invalid.option"),
        (7, "r", "name", "required.field.missing"),
        (8, "dup1", "email", "unique.constraint.violation"),
        (9, "dup2", "email", "unique.constraint.violation"),
        (10, "dup3", "email", "unique.constraint.violation"),
        (11, "clear", "name", "required.field.missing"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert _total(emu) == 1  # atomic: not even record 0 was written


def test_unique_values_can_move_between_records_in_one_batch(emu, acc):
    emu.upsert("acc", [{"id": "a", "name": "A", "email": "one@x"}, {"id": "b", "name": "B", "email": "two@x"}])
    response = emu.upsert("acc", [{"id": "a", "email": "three@x"}, {"id": "b", "email": "one@x"}])
    assert response.status_code == 200, response.text


def test_relationship_targets_must_exist_and_earlier_batch_records_count(emu):
    target = emu.create_schema("target", [{"name": "code", "type": "string", "unique": True}])
    emu.upsert("target", [{"id": "t1", "code": "C1"}])
    emu.create_schema("src", [{"name": "byId", "type": "relationship",
                               "relationship": {"schemaId": target["id"], "fieldName": "id"}},
                              {"name": "byCode", "type": "relationship",
                               "relationship": {"schemaId": target["id"], "fieldName": "code"}}])
    assert emu.upsert("src", [{"id": "s1", "byId": "t1", "byCode": "C1"}]).status_code == 200
    body = assert_error(emu.upsert("src", [{"id": "s2", "byId": "t9", "byCode": "C9"}]), 400,
                        "batch.validation.failed")
    assert _problems(body) == [(0, "s2", "byId", "relationship.target.missing"),
                               (0, "s2", "byCode", "relationship.target.missing")]
    # a self-referencing schema: a parent created earlier in the batch counts, a later one does not
    node = emu.create_schema("node", [{"name": "label", "type": "string"}])
    node_fields = node["fields"] + [{"name": "parent", "type": "relationship",
                                     "relationship": {"schemaId": node["id"], "fieldName": "id"}}]
    assert emu.put_schema(node, fields=node_fields).status_code == 200
    assert emu.upsert("node", [{"id": "root"}, {"id": "child", "parent": "root"}]).status_code == 200
    body = assert_error(emu.upsert("node", [{"id": "orphan", "parent": "later"}, {"id": "later"}]), 400,
                        "batch.validation.failed")
    assert _problems(body) == [(0, "orphan", "parent", "relationship.target.missing")]


@pytest.mark.parametrize("count", [0, 101])
def test_batch_size_limits(emu, acc, count):
    assert_error(emu.upsert("acc", [{"name": "x"}] * count), 400, "batch.too.large")


def test_body_over_2_mib_is_payload_too_large(emu, acc):
    assert_error(emu.upsert("acc", [{"id": "big", "name": "x" * (2 * 1024 * 1024)}]), 413, "payload.too.large")
    assert _total(emu) == 0


@pytest.mark.parametrize("body", ["[]", '{"records": {}}', '{"records": [1]}', '{"records": [], "x": 1}', "{"])
def test_malformed_batches_are_bad_request(emu, acc, body):
    assert_error(emu.api("POST", ACC, data=body, headers={"Content-Type": "application/json"}), 400, "bad.request")


def test_unknown_schema_name_and_record_are_not_found(emu, acc):
    assert_error(emu.upsert("ACC", [{"name": "x"}]), 404, "not.found")  # the path name is case-sensitive
    assert_error(emu.api("GET", records_path("nope")), 404, "not.found")
    assert_error(emu.api("GET", ACC + "/missing"), 404, "not.found")
    assert_error(emu.api("DELETE", ACC + "/missing"), 404, "not.found")
    assert_error(emu.api("GET", ACC + "/bad%20id"), 400, "invalid.id")


def _linked(emu):
    target = emu.create_schema("target", [{"name": "n", "type": "number", "unique": True}])
    emu.create_schema("src", [{"name": "ref", "type": "relationship",
                               "relationship": {"schemaId": target["id"], "fieldName": "n"}}])
    emu.upsert("target", [{"id": "t1", "n": 1}, {"id": "t2", "n": 2}, {"id": "t3", "n": 3}])
    assert emu.upsert("src", [{"id": "s1", "ref": "1"}]).status_code == 200


def test_delete_single_record(emu):
    _linked(emu)
    body = assert_error(emu.api("DELETE", records_path("target") + "/t1"), 409, "record.in.use")
    assert body["details"] == ["src/s1"]
    assert emu.api("DELETE", records_path("target") + "/t2").status_code == 204
    assert_error(emu.api("GET", records_path("target") + "/t2"), 404, "not.found")


def test_bulk_remove_is_atomic(emu):
    _linked(emu)
    remove = records_path("target") + "/bulk/remove"
    body = assert_error(emu.api("POST", remove, json={"ids": ["t2", "t1"]}), 409, "record.in.use")
    assert body["details"] == ["t1"]
    assert _total(emu, records_path("target")) == 3
    response = emu.api("POST", remove, json={"ids": ["t2", "ghost", "t3"]})
    assert response.status_code == 200
    assert response.json() == {"deleted": 2, "missing": ["ghost"]}
    assert _total(emu, records_path("target")) == 1
    assert_error(emu.api("POST", remove, json={"ids": []}), 400, "batch.too.large")
    assert_error(emu.api("POST", remove, json={"ids": ["x"] * 101}), 400, "batch.too.large")
    assert_error(emu.api("POST", remove, json={"ids": [1]}), 400, "bad.request")
    assert_error(emu.api("POST", remove, json={"ids": ["no way"]}), 400, "invalid.id")
    ok = emu.api("POST", records_path("src") + "/bulk/remove", json={"ids": ["s1"]})
    assert ok.json() == {"deleted": 1, "missing": []}
    assert emu.api("DELETE", records_path("target") + "/t1").status_code == 204


def test_concurrent_batches_stay_correct(emu, acc):
    errors, results = [], []

    def writer(worker):
        for round_ in range(3):
            batch = [{"id": "w%d-%d-%d" % (worker, round_, i), "name": "x"} for i in range(20)]
            batch.append({"id": "race-%d-%d" % (worker, round_), "name": "r", "email": "race%d@x" % round_})
            response = emu.upsert("acc", batch)
            (results if response.status_code == 200 else errors).append(response)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # per round only one worker may own race<round>@x: one batch per round wins, the others fail whole
    assert len(results) == 3 and len(errors) == 15
    assert all(r.json()["errors"][0]["code"] == "unique.constraint.violation" for r in errors)
    listing = emu.api("GET", ACC + "?pageSize=500").json()
    assert listing["total"] == 3 * 21
    emails = [r["email"] for r in listing["entities"] if "email" in r]
    assert sorted(emails) == ["race0@x", "race1@x", "race2@x"]
    assert emu.api("GET", SCHEMAS).json()["total"] == 1


# -- the maintained indexes (unique values, relationship targets, sorted ids) stay consistent ----

def _assert_indexes_match_stored(emu):
    """Every index the emulator built equals one rebuilt from scratch from the stored records."""
    from genesys_emulator.indexes import RecordIndex

    state = emu.server.app_state
    with state.lock:
        for schema_id, index in state.indexes.items():
            if index.records is not state.records.get(schema_id):
                continue  # stale: replaced on next use
            fresh = RecordIndex(index.records)
            for kind, name in list(index._fields):
                assert index._field_index(kind, name) == fresh._field_index(kind, name), (schema_id, kind, name)
            if index._sorted is not None:
                assert index._sorted == fresh.sorted_ids(), schema_id


def _batch_errors(response):
    body = assert_error(response, 400, "batch.validation.failed")
    return [(e["index"], e["id"], e["field"], e["code"], e["message"]) for e in body["errors"]]


def _ids(emu, path=ACC):
    return [r["id"] for r in emu.api("GET", path + "?pageSize=500").json()["entities"]]


def test_index_follows_a_unique_value_moved_between_records_in_one_batch(emu, acc):
    emu.upsert("acc", [{"id": "a", "name": "A", "email": "x@x"}, {"id": "b", "name": "B", "email": "y@x"}])
    swapped = emu.upsert("acc", [{"id": "a", "email": "y@x"}, {"id": "b", "email": "x@x"}])
    assert swapped.status_code == 200, swapped.text
    _assert_indexes_match_stored(emu)
    assert _batch_errors(emu.upsert("acc", [{"id": "c", "name": "C", "email": "x@x"}])) == [
        (0, "c", "email", "unique.constraint.violation", "email 'x@x' is also used by b.")]
    assert _batch_errors(emu.upsert("acc", [{"id": "c", "name": "C", "email": "y@x"}])) == [
        (0, "c", "email", "unique.constraint.violation", "email 'y@x' is also used by a.")]
    # a chain inside one batch: b gives x away, a takes it, a new record takes a's old value
    chain = emu.upsert("acc", [{"id": "b", "email": "z@x"}, {"id": "a", "email": "x@x"},
                               {"id": "c", "name": "C", "email": "y@x"}])
    assert chain.status_code == 200, chain.text
    _assert_indexes_match_stored(emu)
    assert _ids(emu) == ["a", "b", "c"]


def test_index_after_a_value_is_cleared_with_null_and_reused(emu, acc):
    emu.upsert("acc", [{"id": "a", "name": "A", "email": "x@x"}])
    assert emu.upsert("acc", [{"id": "a", "email": None}]).status_code == 200
    assert emu.upsert("acc", [{"id": "b", "name": "B", "email": "x@x"}]).status_code == 200
    _assert_indexes_match_stored(emu)
    assert _batch_errors(emu.upsert("acc", [{"id": "a", "email": "x@x"}])) == [
        (0, "a", "email", "unique.constraint.violation", "email 'x@x' is also used by b.")]
    # cleared and taken over in the same batch
    assert emu.upsert("acc", [{"id": "b", "email": None}, {"id": "a", "email": "x@x"}]).status_code == 200
    _assert_indexes_match_stored(emu)
    assert _batch_errors(emu.upsert("acc", [{"id": "c", "name": "C", "email": "x@x"}]))[0][4] == \
        "email 'x@x' is also used by a."


def test_index_after_a_schema_update_makes_a_field_unique_or_converts_it(emu):
    schema = emu.create_schema("codes", [{"name": "code", "type": "string"},
                                         {"name": "label", "type": "string", "unique": True}])
    path = records_path("codes")
    assert emu.upsert("codes", [{"id": "a", "code": "1", "label": "p"}, {"id": "b", "code": "2.0"}]).status_code == 200
    assert emu.upsert("codes", [{"id": "c", "code": "1"}]).status_code == 200  # not unique yet
    assert emu.api("POST", path + "/bulk/remove", json={"ids": ["c"]}).status_code == 200
    response = emu.put_schema(schema, fields=[{"name": "code", "type": "number", "unique": True},
                                              {"name": "label", "type": "string"}])
    assert response.status_code == 200, response.text
    _assert_indexes_match_stored(emu)
    assert _batch_errors(emu.upsert("codes", [{"id": "d", "code": 2}])) == [
        (0, "d", "code", "unique.constraint.violation", "code 2 is also used by b.")]
    assert _batch_errors(emu.upsert("codes", [{"id": "d", "code": 1.0}]))[0][4] == "code 1 is also used by a."
    assert emu.upsert("codes", [{"id": "d", "label": "p"}]).status_code == 200  # label is no longer unique
    # dropping the field forgets its values
    response = emu.put_schema(response.json(), fields=[{"name": "label", "type": "string"}])
    assert response.status_code == 200, response.text
    response = emu.put_schema(response.json(), fields=[{"name": "label", "type": "string"},
                                                       {"name": "code", "type": "number", "unique": True}])
    assert response.status_code == 200, response.text
    assert emu.upsert("codes", [{"id": "e", "code": 1}]).status_code == 200
    _assert_indexes_match_stored(emu)
    assert _ids(emu, path) == ["a", "b", "d", "e"]


def test_index_after_bulk_remove_delete_and_forced_schema_delete(emu, acc):
    target = emu.create_schema("target", [{"name": "code", "type": "string", "unique": True}])
    emu.create_schema("refs", [{"name": "to", "type": "relationship",
                                "relationship": {"schemaId": target["id"], "fieldName": "code"}}])
    emu.upsert("acc", [{"id": "a", "name": "A", "email": "x@x"}, {"id": "b", "name": "B", "email": "y@x"},
                       {"id": "c", "name": "C", "email": "z@x"}])
    emu.upsert("target", [{"id": "t1", "code": "k1"}, {"id": "t2", "code": "k2"}])
    assert emu.upsert("refs", [{"id": "r1", "to": "k1"}]).status_code == 200
    assert emu.api("POST", ACC + "/bulk/remove", json={"ids": ["a", "c", "a"]}).status_code == 200
    assert emu.api("DELETE", records_path("target") + "/t2").status_code == 204
    _assert_indexes_match_stored(emu)
    assert emu.upsert("acc", [{"id": "d", "name": "D", "email": "x@x"},
                              {"id": "e", "name": "E", "email": "z@x"}]).status_code == 200
    assert _batch_errors(emu.upsert("acc", [{"id": "f", "name": "F", "email": "y@x"}]))[0][4] == \
        "email 'y@x' is also used by b."
    assert _batch_errors(emu.upsert("refs", [{"id": "r2", "to": "k2"}]))[0][3] == "relationship.target.missing"
    assert emu.upsert("target", [{"id": "t3", "code": "k2"}]).status_code == 200
    assert emu.upsert("refs", [{"id": "r2", "to": "k2"}]).status_code == 200
    assert _ids(emu) == ["b", "d", "e"]
    _assert_indexes_match_stored(emu)
    # a forced schema delete and a new schema of the same name start from nothing
    assert emu.api("DELETE", SCHEMAS + "/" + acc["id"] + "?force=true").status_code == 204
    emu.create_schema("acc", FIELDS)
    assert emu.upsert("acc", [{"id": "z", "name": "Z", "email": "y@x"}]).status_code == 200
    assert _ids(emu) == ["z"]
    _assert_indexes_match_stored(emu)


def test_index_after_state_save_and_load(emu, acc):
    emu.upsert("acc", [{"id": "b", "name": "B", "email": "x@x"}, {"id": "a", "name": "A", "email": "y@x"}])
    saved = emu.control("GET", "/state")
    emu.upsert("acc", [{"id": "c", "name": "C", "email": "z@x"}, {"id": "a", "email": None}])
    assert _ids(emu) == ["a", "b", "c"]
    emu.control("PUT", "/state", json=saved)  # back to a and b, a holding y@x again
    _assert_indexes_match_stored(emu)
    assert _ids(emu) == ["a", "b"]
    assert emu.upsert("acc", [{"id": "d", "name": "D", "email": "z@x"}]).status_code == 200
    assert _batch_errors(emu.upsert("acc", [{"id": "e", "name": "E", "email": "y@x"}]))[0][4] == \
        "email 'y@x' is also used by a."
    emu.control("POST", "/reset", json={})
    emu.control("PUT", "/state", json=saved)
    assert _ids(emu) == ["a", "b"]
    assert _batch_errors(emu.upsert("acc", [{"id": "e", "name": "E", "email": "x@x"}]))[0][4] == \
        "email 'x@x' is also used by b."
    _assert_indexes_match_stored(emu)


def test_a_record_with_an_invalid_option_and_a_unique_clash_lists_both(emu, acc):
    emu.upsert("acc", [{"id": "stored", "name": "S", "email": "taken@x"}])
    body = assert_error(emu.upsert("acc", [
        {"id": "both", "name": "x", "tier": "bronze", "email": "taken@x"},
        {"id": "pair1", "name": "x", "tier": "bronze", "email": "same@x"},
        {"id": "pair2", "name": "x", "email": "same@x"},
        {"id": "stored", "name": "S2", "tier": "bronze"},  # rewrites itself: its value still clashes with "both"
    ]), 400, "batch.validation.failed")
    assert _problems(body) == [(0, "both", "tier", "invalid.option"), (0, "both", "email", "unique.constraint.violation"),
                               (1, "pair1", "tier", "invalid.option"), (1, "pair1", "email", "unique.constraint.violation"),
                               (2, "pair2", "email", "unique.constraint.violation"),
                               (3, "stored", "tier", "invalid.option"),
                               (3, "stored", "email", "unique.constraint.violation")]
    assert [r["id"] for r in emu.api("GET", ACC + "?pageSize=500").json()["entities"]] == ["stored"]
