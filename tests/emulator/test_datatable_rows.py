"""Data-table rows and the CSV import job (REAL_API.md §8, "Rows" and "Bulk")."""

import pytest
import requests

from emu_helpers import DATATABLES, assert_error, table_schema, wait_for

SYNTAX = "flows.datatables.syntax.error"


@pytest.fixture
def table(emu):
    schema = table_schema(queue={"type": "string", "default": "general", "maxLength": 8},
                          size={"type": "integer"}, ratio={"type": "number", "default": 0.5},
                          open={"type": "boolean"}, note={"type": "string"})
    response = emu.api("POST", DATATABLES, json={"name": "stores", "schema": schema})
    assert response.status_code == 200, response.text
    return response.json()


def rows_path(table, key=None):
    return DATATABLES + "/" + table["id"] + "/rows" + ("/" + key if key is not None else "")


def post_row(emu, table, row):
    return emu.api("POST", rows_path(table), json=row)


def full_rows(emu, table, **params):
    params.setdefault("showbrief", "false")
    return emu.api("GET", rows_path(table), params=params).json()["entities"]


def test_post_fills_every_left_out_property_and_returns_the_stored_row(emu, table):
    response = post_row(emu, table, {"key": "s1", "size": 4})
    assert response.status_code == 200, response.text
    assert response.json() == {"key": "s1", "queue": "general", "size": 4, "ratio": 0.5, "open": False, "note": ""}
    assert full_rows(emu, table) == [response.json()]


def test_reads_are_brief_unless_showbrief_is_false(emu, table):
    for key in ("b", "a", "c"):
        post_row(emu, table, {"key": key, "note": key.upper()})
    listed = emu.api("GET", rows_path(table)).json()
    assert listed["entities"] == [{"key": "a"}, {"key": "b"}, {"key": "c"}]  # keys only, by key ascending
    assert listed["total"] == 3
    assert emu.api("GET", rows_path(table), params={"showbrief": "true"}).json()["entities"][0] == {"key": "a"}
    assert [r["note"] for r in full_rows(emu, table)] == ["A", "B", "C"]
    assert [r["key"] for r in full_rows(emu, table, sortOrder="descending")] == ["c", "b", "a"]
    assert emu.api("GET", rows_path(table, "b")).json() == {"key": "b"}
    full = emu.api("GET", rows_path(table, "b"), params={"showbrief": "false"}).json()
    assert full["note"] == "B" and full["queue"] == "general"
    assert_error(emu.api("GET", rows_path(table), params={"showbrief": "yes"}), 400, "bad.request")
    assert_error(emu.api("GET", rows_path(table), params={"sortOrder": "up"}), 400, "bad.request")


def test_rows_page_by_at_most_100(emu, table):
    for i in range(5):
        post_row(emu, table, {"key": "k%d" % i})
    page = emu.api("GET", rows_path(table), params={"pageSize": 2, "pageNumber": 3}).json()
    assert page["entities"] == [{"key": "k4"}] and page["pageCount"] == 3 and "nextUri" not in page
    assert_error(emu.api("GET", rows_path(table), params={"pageSize": 101}), 400, "invalid.page.size")
    assert_error(emu.api("GET", rows_path(table), params={"pageNumber": 0}), 400, "invalid.page.size")


def test_a_taken_key_is_409(emu, table):
    post_row(emu, table, {"key": "s1"})
    assert_error(post_row(emu, table, {"key": "s1", "size": 2}), 409, "flows.datatables.row.exists")
    assert full_rows(emu, table)[0]["size"] == 0


@pytest.mark.parametrize("row, words", [
    ({"key": "s1", "size": "4"}, "size must be of type integer"),
    ({"key": "s1", "size": 1.5}, "size must be of type integer"),
    ({"key": "s1", "size": True}, "size must be of type integer"),
    ({"key": "s1", "ratio": "x"}, "ratio must be of type number"),
    ({"key": "s1", "open": "true"}, "open must be of type boolean"),
    ({"key": "s1", "note": None}, "note must be of type string"),
    ({"key": "s1", "queue": "123456789"}, "queue is longer than its maxLength 8"),
    ({"key": "s1", "colour": "red"}, "unknown property colour"),
    ({"key": "k" * 257}, "key is longer than its maxLength 256"),
    ({"key": ""}, "key is shorter than its minLength 1"),
    ({"key": 7}, "key must be of type string"),
    ({"size": 1}, "key is required"),
])
def test_bad_rows_are_400_syntax_errors_naming_the_property(emu, table, row, words):
    body = assert_error(post_row(emu, table, row), 400, SYNTAX)
    assert words in body["message"], body["message"]
    assert full_rows(emu, table) == []


@pytest.mark.parametrize("key", ["with space", "a/b", "ünï", "50%"])
def test_any_key_is_addressable_percent_encoded(emu, table, key):
    from urllib.parse import quote
    assert post_row(emu, table, {"key": key}).status_code == 200
    path = rows_path(table, quote(key, safe=""))
    assert emu.api("GET", path).json() == {"key": key}
    assert emu.api("PUT", path, json={"key": key, "size": 1}).json()["size"] == 1
    assert emu.api("DELETE", path).status_code == 204


def test_an_integral_number_is_an_integer(emu, table):
    assert post_row(emu, table, {"key": "s1", "size": 2.0}).json()["size"] == 2


def test_an_integral_default_of_an_integer_property_fills_as_an_integer(emu):
    schema = table_schema(n={"type": "integer", "default": 3.0})
    table = emu.api("POST", DATATABLES, json={"name": "ints", "schema": schema}).json()
    assert table["schema"]["properties"]["n"]["default"] == 3
    response = emu.api("POST", DATATABLES + "/" + table["id"] + "/rows", json={"key": "a"})
    assert response.text.replace(" ", "").find('"n":3}') >= 0, response.text


def test_at_most_max_rows_rows(emu, table):
    emu.control("POST", "/limits", json={"max_rows": 2})
    post_row(emu, table, {"key": "a"})
    post_row(emu, table, {"key": "b"})
    body = assert_error(post_row(emu, table, {"key": "c"}), 400, "flows.datatables.too.many.rows")
    assert "2 rows" in body["message"]
    assert emu.api("DELETE", rows_path(table, "a")).status_code == 204
    assert post_row(emu, table, {"key": "c"}).status_code == 200


def test_put_replaces_the_row_and_fills_what_it_leaves_out(emu, table):
    post_row(emu, table, {"key": "s1", "size": 4, "note": "old", "queue": "vip"})
    response = emu.api("PUT", rows_path(table, "s1"), json={"key": "s1", "open": True})
    assert response.status_code == 200, response.text
    assert response.json() == {"key": "s1", "queue": "general", "size": 0, "ratio": 0.5, "open": True, "note": ""}
    assert full_rows(emu, table) == [response.json()]


def test_put_needs_the_paths_key_in_the_body_and_a_stored_row(emu, table):
    post_row(emu, table, {"key": "s1"})
    assert "key" in assert_error(emu.api("PUT", rows_path(table, "s1"), json={"key": "s2"}), 400,
                                 "bad.request")["message"]
    assert_error(emu.api("PUT", rows_path(table, "s1"), json={"size": 1}), 400, "bad.request")
    assert_error(emu.api("PUT", rows_path(table, "s1"), json={"key": "s1", "size": "x"}), 400, SYNTAX)
    assert_error(emu.api("PUT", rows_path(table, "nope"), json={"key": "nope"}), 404,
                 "flows.datatables.row.not.found")


def test_delete_is_204_and_an_unknown_key_404(emu, table):
    post_row(emu, table, {"key": "s1"})
    response = emu.api("DELETE", rows_path(table, "s1"))
    assert response.status_code == 204 and response.content == b""
    assert_error(emu.api("DELETE", rows_path(table, "s1")), 404, "flows.datatables.row.not.found")
    assert_error(emu.api("GET", rows_path(table, "s1")), 404, "flows.datatables.row.not.found")


def test_rows_of_an_unknown_table_are_404(emu):
    assert_error(emu.api("GET", DATATABLES + "/nope/rows"), 404, "flows.datatables.table.not.found")
    assert_error(emu.api("POST", DATATABLES + "/nope/rows", json={"key": "a"}), 404,
                 "flows.datatables.table.not.found")


# -- the CSV import job ----------------------------------------------------------------------------

def start_job(emu, table, mode="Append"):
    response = emu.api("POST", DATATABLES + "/" + table["id"] + "/import/csv/jobs", json={"importMode": mode})
    assert response.status_code == 200, response.text
    return response.json()


def upload(job, text, headers=None):
    return requests.put(job["uploadURI"], data=text.encode("utf-8"),
                        headers=job["uploadHeaders"] if headers is None else headers, timeout=10)


def job_path(table, job):
    return DATATABLES + "/" + table["id"] + "/import/jobs/" + job["id"]


def finished(emu, table, job):
    """Read the job until it is no longer Processing (it is Processing at least once after the upload)."""
    seen = []

    def done():
        body = emu.api("GET", job_path(table, job)).json()
        seen.append(body["status"])
        return body if body["status"] in ("Succeeded", "Failed") else None

    body = wait_for(done)
    assert seen[0] == "Processing", seen
    return body


def test_a_job_waits_for_an_upload_to_a_url_with_random_headers(emu, table):
    job = start_job(emu, table)
    assert job["status"] == "WaitingForUpload" and job["importMode"] == "Append"
    assert job["uploadURI"].startswith(emu.url + "/") and "/api/v2/" not in job["uploadURI"]
    [(name, value)] = job["uploadHeaders"].items()
    assert name.lower() not in ("authorization", "content-type") and value
    assert start_job(emu, table)["uploadHeaders"] != job["uploadHeaders"]
    assert emu.api("GET", job_path(table, job)).json()["status"] == "WaitingForUpload"


def test_an_upload_needs_exactly_its_headers_and_no_authorization(emu, table):
    job = start_job(emu, table)
    assert_error(upload(job, "key\na\n", headers={}), 403, "forbidden")
    with_auth = dict(job["uploadHeaders"], Authorization="Bearer " + emu.token)
    assert_error(upload(job, "key\na\n", headers=with_auth), 400, "bad.request")
    assert upload(job, "key\na\n").status_code == 200
    assert_error(upload(job, "key\nb\n"), 409, "conflict")
    assert finished(emu, table, job)["status"] == "Succeeded"


def test_append_writes_rows_with_defaults_for_empty_cells(emu, table):
    post_row(emu, table, {"key": "a", "note": "keep?"})
    job = start_job(emu, table)
    assert upload(job, "key,size,open,note\na,1,true,\nb,,FALSE,hello\n").status_code == 200
    done = finished(emu, table, job)
    assert done["status"] == "Succeeded" and done["countRecordsUpdated"] == 2
    assert done["countRecordsFailed"] == 0 and done["countRecordsDeleted"] == 0
    assert "errorInformation" not in done and done["dateCompleted"]
    assert full_rows(emu, table) == [
        {"key": "a", "queue": "general", "size": 1, "ratio": 0.5, "open": True, "note": ""},
        {"key": "b", "queue": "general", "size": 0, "ratio": 0.5, "open": False, "note": "hello"}]


def test_replace_all_deletes_every_row_first(emu, table):
    for key in ("old1", "old2"):
        post_row(emu, table, {"key": key})
    job = start_job(emu, table, "ReplaceAll")
    upload(job, "key,ratio\nnew,2.5\n")
    done = finished(emu, table, job)
    assert (done["status"], done["countRecordsDeleted"], done["countRecordsUpdated"]) == ("Succeeded", 2, 1)
    assert [r["key"] for r in full_rows(emu, table)] == ["new"]


def test_rows_fail_one_by_one_and_the_good_rows_stay(emu, table):
    emu.control("POST", "/limits", json={"max_rows": 3})
    job = start_job(emu, table)
    upload(job, "key,size,queue\ngood1,1,\nbad1,x,\ngood2,2,\nbad2,3,waytoolongvalue\ngood3,3,\nover,4,\n")
    done = finished(emu, table, job)
    assert done["status"] == "Failed"
    assert (done["countRecordsUpdated"], done["countRecordsFailed"]) == (3, 3)
    info = done["errorInformation"]
    assert info["code"] == "flows.datatables.import.rows.failed"
    assert set(info) == {"message", "code", "status", "contextId", "details", "errors"}
    assert len(info["errors"]) == 3 and "line 3" in info["errors"][0]["message"]
    assert [r["key"] for r in full_rows(emu, table)] == ["good1", "good2", "good3"]


@pytest.mark.parametrize("text", ["size,key\n1,a\n", "key,colour\na,red\n", "key,size,size\na,1,2\n", ""])
def test_a_bad_header_row_fails_the_whole_job_and_writes_nothing(emu, table, text):
    post_row(emu, table, {"key": "kept"})
    job = start_job(emu, table, "ReplaceAll")
    upload(job, text)
    done = finished(emu, table, job)
    assert done["status"] == "Failed" and done["errorInformation"]["code"] == "flows.datatables.import.invalid.header"
    assert done["countRecordsUpdated"] == 0 and done["countRecordsDeleted"] == 0
    assert [r["key"] for r in full_rows(emu, table)] == ["kept"]


def test_job_requests_are_validated(emu, table):
    path = DATATABLES + "/" + table["id"] + "/import/csv/jobs"
    assert_error(emu.api("POST", path, json={"importMode": "Merge"}), 400, "bad.request")
    assert_error(emu.api("POST", path, json={}), 400, "bad.request")
    assert_error(emu.api("POST", DATATABLES + "/nope/import/csv/jobs", json={"importMode": "Append"}), 404,
                 "flows.datatables.table.not.found")
    assert_error(emu.api("GET", DATATABLES + "/" + table["id"] + "/import/jobs/nope"), 404, "not.found")
    assert_error(requests.put(emu.url + "/uploads/datatables/nope", data=b"key\n", timeout=10), 404, "not.found")


def test_uploads_are_logged_without_a_client(emu, table):
    job = start_job(emu, table)
    upload(job, "key\na\n")
    entry = [e for e in emu.control("GET", "/requests") if e["path"].startswith("/uploads/")][-1]
    assert entry["method"] == "PUT" and entry["status"] == 200 and entry["client_id"] is None
