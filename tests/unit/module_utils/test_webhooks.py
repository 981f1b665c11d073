"""Plain-function tests of the webhook logic: filters, validation, shapes, comparison, masking."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.diffing import MASK
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError

STORED = {
    "id": "a1", "name": "compliance", "enabled": True, "endpoint": "https://h.example.com/in",
    "eventTypes": ["data.flex.schema.updated", "data.flex.schema.deleted"], "requestType": "POST",
    "headers": {"Authorization": "Bearer t"}, "filter": "schemaName eq 'accounts'", "secretSet": True,
    "dateCreated": "2026-01-01T00:00:00.000Z", "dateModified": "2026-01-01T00:00:00.000Z",
}


def params(**overrides):
    base = dict(name="compliance", endpoint="https://h.example.com/in", event_types=["data.flex.schema.updated"],
                enabled=True, headers=None, filter=None, secret=None, update_secret="on_create", state="present")
    base.update(overrides)
    return base


@pytest.mark.parametrize("terms, expected", [
    ({"schema_name": "accounts"}, "schemaName eq 'accounts'"),
    ({"schema_id": "x-1", "schema_name": "a"}, "schemaName eq 'a' and schemaId eq 'x-1'"),
    ({"schema_name": "O'Brien"}, "schemaName eq 'O''Brien'"),
    ({"schema_name": "a' and schemaId eq 'b"}, "schemaName eq 'a'' and schemaId eq ''b'"),
    ({}, None),
    ({"schema_name": None}, None),
    (None, None),
])
def test_build_filter_quotes_every_value(terms, expected):
    assert wh.build_filter(terms) == expected


@pytest.mark.parametrize("value", ["O'Brien", "a' and schemaId eq 'b", "''", "x and y", "'"])
def test_filter_round_trips_whatever_the_value_holds(value):
    text = wh.build_filter({"schema_name": value, "schema_id": "id"})
    assert wh.parse_filter(text) == [("schemaName", value), ("schemaId", "id")]
    assert wh.filter_terms(text) == {"schema_name": value, "schema_id": "id"}


@pytest.mark.parametrize("text", ["schemaName = 'a'", "schemaName eq 'a' or schemaId eq 'b'", "name eq 'a'",
                                  "schemaName eq 'a", "schemaName eq 'a' and"])
def test_parse_filter_refuses_other_syntax(text):
    with pytest.raises(ValueError):
        wh.parse_filter(text)


def test_filter_terms_refuse_one_attribute_with_two_values():
    assert wh.filter_terms("schemaName eq 'a' and schemaName eq 'a'") == {"schema_name": "a"}
    with pytest.raises(ValueError):
        wh.filter_terms("schemaName eq 'a' and schemaName eq 'b'")


@pytest.mark.parametrize("endpoint, ok", [
    ("https://h.example.com/in", True),
    ("http://127.0.0.1:8080/in", True),
    ("http://localhost/in", True),
    ("http://[::1]:9/x", True),
    ("http://h.example.com/in", False),
    ("ftp://h.example.com/in", False),
    ("https:///in", False),
    ("h.example.com/in", False),
])
def test_endpoint_must_be_https_or_http_to_loopback(endpoint, ok):
    assert (wh.endpoint_problem(endpoint) is None) == ok


def test_validate_lists_every_problem_with_its_path():
    problems = wh.validate(params(
        name="x" * 129, endpoint="http://h.example.com", event_types=["data.flex.schema.updated", "nope"],
        headers={"Bad Name": "v", "Content-Type": "text/plain", "X-Ok": "a\nb"},
        filter={"schema_name": " ", "schema_id": None}, secret="", update_secret="always"))
    assert problems == [
        "name: at most 128 characters, got 129",
        "endpoint: must use https (plain http is accepted only to a loopback address such as 127.0.0.1 for "
        "local testing), got 'http://h.example.com'",
        "event_types[1]: unknown event type 'nope'; known types: " + ", ".join(wh.EVENT_TYPES),
        "headers.Bad Name: not a valid HTTP header name",
        "headers.Content-Type: set by the server on every delivery, it cannot be configured",
        "headers.X-Ok: the value must not contain line breaks",
        "filter.schema_name: must not be empty (leave it out to not filter on it)",
        "secret: must not be empty",
    ]


def test_validate_limits_and_absent():
    assert wh.validate(params(event_types=[])) == ["event_types: give 1 to 10 event types"]
    many = dict(("X-H%d" % i, "v") for i in range(21))
    assert wh.validate(params(headers=many)) == ["headers: at most 20 headers, got 21"]
    assert wh.validate(params(update_secret="always")) == ["update_secret: 'always' needs a secret to send"]
    assert wh.validate(params(state="absent", endpoint="ftp://x", event_types=["nope"])) == []
    assert wh.validate(params(name="  ")) == ["name: must not be empty"]
    assert wh.validate(params()) == []


def test_user_and_api_shapes_round_trip():
    user = wh.to_user(STORED)
    assert user == {"name": "compliance", "endpoint": "https://h.example.com/in",
                    "event_types": ["data.flex.schema.updated", "data.flex.schema.deleted"], "enabled": True,
                    "headers": {"Authorization": "Bearer t"}, "filter": {"schema_name": "accounts"}}
    body = wh.to_api(user)
    assert body == {"name": "compliance", "enabled": True, "endpoint": "https://h.example.com/in",
                    "eventTypes": ["data.flex.schema.updated", "data.flex.schema.deleted"], "requestType": "POST",
                    "headers": {"Authorization": "Bearer t"}, "filter": "schemaName eq 'accounts'"}
    assert "secret" not in body and wh.to_api(user, secret="s")["secret"] == "s"
    assert "filter" not in wh.to_api(dict(user, filter=None))


def test_a_filter_that_terms_cannot_express_is_kept_verbatim_until_replaced():
    odd = dict(STORED, filter="schemaName eq 'a' and schemaName eq 'b'")
    user = wh.to_user(odd)
    assert "filter" not in user and user["filter_expression"] == odd["filter"]
    assert wh.to_api(user)["filter"] == odd["filter"]
    assert wh.differing_options({"name": "compliance"}, user) == []
    assert wh.differing_options({"filter": {"schema_name": "a"}}, user) == ["filter"]
    after = wh.merged(user, {"filter": {"schema_name": "a"}})
    assert wh.to_api(after)["filter"] == "schemaName eq 'a'"


def test_desired_from_params_keeps_left_out_options_out():
    desired = wh.desired_from_params(params(event_types=["data.flex.schema.updated"] * 2))
    assert desired == {"name": "compliance", "enabled": True, "endpoint": "https://h.example.com/in",
                       "event_types": ["data.flex.schema.updated"]}
    cleared = wh.desired_from_params(params(headers={"X-Num": 5}, filter={"schema_name": None, "schema_id": None}))
    assert cleared["headers"] == {"X-Num": "5"} and cleared["filter"] is None


def test_differing_options_compare_everything_given_but_the_secret():
    user = wh.to_user(STORED)
    same = {"name": "compliance", "enabled": True, "endpoint": "https://h.example.com/in",
            "event_types": ["data.flex.schema.deleted", "data.flex.schema.updated"],
            "headers": {"Authorization": "Bearer t"}, "filter": {"schema_name": "accounts"}}
    assert wh.differing_options(same, user) == []
    changed = dict(same, name="Compliance", enabled=False, headers={"Authorization": "Bearer u"},
                   filter=None, event_types=["data.flex.schema.updated"])
    assert wh.differing_options(changed, user) == ["enabled", "event_types", "filter", "headers", "name"]


@pytest.mark.parametrize("secret, mode, stored, expected", [
    (None, "always", STORED, False),
    ("s", "on_create", None, True),
    ("s", "on_create", STORED, False),
    ("s", "on_create", dict(STORED, secretSet=False), True),
    ("s", "always", STORED, True),
])
def test_secret_action(secret, mode, stored, expected):
    send, reason = wh.secret_action({"secret": secret, "update_secret": mode}, stored)
    assert send is expected and (reason is not None) == expected


def test_find_by_name_is_case_insensitive_and_refuses_a_shared_name():
    hooks = [dict(STORED, id="a1"), dict(STORED, id="b2", name="other")]
    assert wh.find_by_name(hooks, "COMPLIANCE")["id"] == "a1"
    assert wh.find_by_name(hooks, "missing") is None
    with pytest.raises(GenesysCloudError) as caught:
        wh.find_by_name(hooks + [dict(STORED, id="c3", name="Compliance")], "compliance")
    assert "ids a1, c3" in str(caught.value)


def test_views_mask_header_values_and_the_secret():
    view = wh.result_view(STORED)
    assert view["headers"] == {"Authorization": MASK} and view["id"] == "a1" and view["secret_set"] is True
    assert STORED["headers"] == {"Authorization": "Bearer t"}
    before = wh.diff_view(wh.to_user(STORED), STORED)
    after = wh.diff_view(dict(wh.to_user(STORED), enabled=False), STORED, secret_sent=True)
    diff = wh.webhook_diff(before, after)
    assert diff["before"]["headers"] == {"Authorization": MASK} and "secret" not in diff["before"]
    assert diff["after"]["secret"] == MASK and diff["after"]["enabled"] is False
    assert wh.webhook_diff(None, after)["before"] == {}
    assert wh.result_view(None) == {}
    assert wh.metadata(STORED) == {"id": "a1", "name": "compliance", "secret_set": True,
                                   "date_created": STORED["dateCreated"], "date_modified": STORED["dateModified"]}
