"""Paging of the three lists, and per-token rate limiting with its headers."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from emu_helpers import SCHEMAS, WEBHOOKS, assert_error, records_path


def _query(uri):
    return {k: v[0] for k, v in parse_qs(urlsplit(uri).query).items()}


def test_schema_pages_in_creation_order_with_self_and_next_uris(emu):
    names = ["zeta", "alpha", "mid"]
    for name in names:
        emu.create_schema(name, [])
    first = emu.api("GET", SCHEMAS + "?pageSize=2").json()
    assert [s["name"] for s in first["entities"]] == ["zeta", "alpha"]
    assert (first["pageSize"], first["pageNumber"], first["total"], first["pageCount"]) == (2, 1, 3, 2)
    assert urlsplit(first["selfUri"]).path == SCHEMAS
    assert _query(first["selfUri"]) == {"pageSize": "2", "pageNumber": "1"}
    assert _query(first["nextUri"]) == {"pageSize": "2", "pageNumber": "2"}
    second = emu.api("GET", first["nextUri"]).json()
    assert [s["name"] for s in second["entities"]] == ["mid"]
    assert "nextUri" not in second
    beyond = emu.api("GET", SCHEMAS + "?pageSize=2&pageNumber=5").json()
    assert beyond["entities"] == [] and "nextUri" not in beyond


def test_default_page_size_is_25(emu):
    body = emu.api("GET", SCHEMAS).json()
    assert body["pageSize"] == 25 and body["pageNumber"] == 1 and body["total"] == 0
    assert "nextUri" not in body


def test_name_filter_is_exact_and_case_insensitive(emu):
    emu.create_schema("customerAccounts", [])
    emu.create_schema("customer", [])
    body = emu.api("GET", SCHEMAS + "?name=CUSTOMERACCOUNTS").json()
    assert [s["name"] for s in body["entities"]] == ["customerAccounts"]
    assert _query(body["selfUri"])["name"] == "CUSTOMERACCOUNTS"


@pytest.mark.parametrize("query", ["pageSize=101", "pageSize=0", "pageNumber=0", "pageSize=abc", "pageNumber=1.5"])
def test_out_of_range_or_non_integer_paging_is_invalid_page_size(emu, query):
    assert_error(emu.api("GET", SCHEMAS + "?" + query), 400, "invalid.page.size")


def test_webhooks_allow_100_and_records_500_per_page(emu):
    emu.create_schema("acc", [{"name": "n", "type": "number"}])
    assert emu.api("GET", WEBHOOKS + "?pageSize=100").status_code == 200
    assert_error(emu.api("GET", WEBHOOKS + "?pageSize=101"), 400, "invalid.page.size")
    assert emu.api("GET", records_path("acc") + "?pageSize=500").status_code == 200
    assert_error(emu.api("GET", records_path("acc") + "?pageSize=501"), 400, "invalid.page.size")


def test_records_page_by_id_ascending(emu):
    emu.create_schema("acc", [{"name": "n", "type": "number"}])
    ids = ["b-2", "a:1", "C.3", "a.0", "z_9"]
    assert emu.upsert("acc", [{"id": i, "n": k} for k, i in enumerate(ids)]).status_code == 200
    body = emu.api("GET", records_path("acc") + "?pageSize=3").json()
    page2 = emu.api("GET", body["nextUri"]).json()
    assert [r["id"] for r in body["entities"] + page2["entities"]] == sorted(ids)
    assert body["pageCount"] == 2 and "nextUri" not in page2


def test_rate_limit_headers_count_and_429(emu):
    emu.control("POST", "/settings", json={"rate_limit": 3})
    counts = []
    for _ in range(3):
        response = emu.api("GET", SCHEMAS)
        assert response.status_code == 200
        assert response.headers["inin-ratelimit-allowed"] == "3"
        assert 1 <= int(response.headers["inin-ratelimit-reset"]) <= 60
        counts.append(response.headers["inin-ratelimit-count"])
    assert counts == ["1", "2", "3"]
    limited = emu.api("GET", SCHEMAS)
    assert_error(limited, 429, "too.many.requests")
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["Retry-After"] == limited.headers["inin-ratelimit-reset"]
    assert limited.headers["inin-ratelimit-count"] == "3"  # a rejected request is not counted
    other = emu.api("GET", SCHEMAS, token=emu.get_token())  # token requests are not limited; own window
    assert other.status_code == 200 and other.headers["inin-ratelimit-count"] == "1"


def test_rate_limit_headers_on_error_responses_too(emu):
    for response in (emu.api("GET", SCHEMAS + "/nope"), emu.api("GET", "/api/v2/nothing/here"),
                     emu.session.get(emu.url + SCHEMAS)):
        assert {"inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"} <= set(response.headers)


def test_a_shorter_rate_window_setting_frees_the_token_sooner(emu):
    emu.control("POST", "/settings", json={"rate_limit": 2, "rate_window": 0.3})
    assert [emu.api("GET", SCHEMAS).status_code for _ in range(2)] == [200, 200]
    limited = emu.api("GET", SCHEMAS)
    assert_error(limited, 429, "too.many.requests")
    assert limited.headers["Retry-After"] == "1"
    time.sleep(0.35)
    assert emu.api("GET", SCHEMAS).headers["inin-ratelimit-count"] == "1"


def test_a_rate_reset_step_gives_the_reset_in_fractions_of_a_second(emu):
    emu.control("POST", "/settings", json={"rate_limit": 2, "rate_window": 0.4, "rate_reset_step": 0.001})
    first = emu.api("GET", SCHEMAS)
    assert 0.3 < float(first.headers["inin-ratelimit-reset"]) <= 0.4
    emu.api("GET", SCHEMAS)
    limited = emu.api("GET", SCHEMAS)
    assert_error(limited, 429, "too.many.requests")
    assert 0 < float(limited.headers["Retry-After"]) <= 0.4
    assert limited.headers["Retry-After"] == limited.headers["inin-ratelimit-reset"]
    time.sleep(float(limited.headers["Retry-After"]))
    assert emu.api("GET", SCHEMAS).status_code == 200
