import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import (
    MASK,
    make_diff,
    unordered_equal,
)
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.paging import iterate_entities


def test_unordered_equal_ignores_order():
    assert unordered_equal(["b", "a"], ["a", "b"]) and not unordered_equal(["a"], ["a", "b"])


def test_diff_masks_secrets_on_both_sides_without_inventing_values():
    before = {"name": "w", "headers": {"X-Token": "old"}}
    after = {"name": "w", "headers": {"X-Token": "new", "X-Other": "v"}, "secret": "s3"}
    diff = make_diff(before, after, secret_paths=[("headers", "*"), ("secret",)])
    assert diff["before"] == {"name": "w", "headers": {"X-Token": MASK}}
    assert diff["after"] == {"name": "w", "headers": {"X-Token": MASK, "X-Other": MASK}, "secret": MASK}
    assert after["secret"] == "s3"  # the input is not modified


def test_paging_follows_next_uri_until_the_last_page():
    pages = {
        "/things": {"entities": [1, 2], "nextUri": "/things?pageSize=2&pageNumber=2"},
        "/things?pageSize=2&pageNumber=2": {"entities": [3], "nextUri": None},
    }
    calls = []

    def get(path, params):
        calls.append((path, params))
        return pages[path]

    assert list(iterate_entities(get, "/things", page_size=2)) == [1, 2, 3]
    assert calls[0] == ("/things", {"pageSize": 2, "pageNumber": 1})


def test_paging_refuses_a_loop():
    def get(path, params):
        return {"entities": [], "nextUri": "/things?pageNumber=2"}

    with pytest.raises(GenesysCloudError):
        list(iterate_entities(get, "/things"))


def test_concurrent_pages_come_in_order_each_read_once():
    from ansible_collections.genesys.cloud.plugins.module_utils import paging as concurrent_paging

    asked = []

    def get(path, query):
        asked.append(query["pageNumber"])
        number = query["pageNumber"]
        return {"entities": [number], "pageCount": 11, "total": 11}

    pages = list(concurrent_paging.iterate_pages_concurrently(get, "/x", page_size=1, concurrency=4))
    assert [page["entities"][0] for page in pages] == list(range(1, 12))
    assert sorted(asked) == list(range(1, 12))
