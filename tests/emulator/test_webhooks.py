"""Webhooks: definitions, secrets, filters, and signed at-least-once deliveries to a local receiver."""

import hashlib
import hmac
import socket
import time

import pytest
import requests

from emu_helpers import CLIENT_ID, SCHEMAS, WEBHOOKS, assert_error, records_path, wait_for

import genesys_emulator

ALL_EVENTS = ["data.flex.schema.created", "data.flex.schema.updated", "data.flex.schema.deleted",
              "customobjects.records.changed"]


def _webhook(emu, **overrides):
    body = {"name": "compliance", "endpoint": "https://hooks.example.com/in", "eventTypes": ALL_EVENTS}
    body.update(overrides)
    return emu.api("POST", WEBHOOKS, json=body)


def _problems(body):
    return {(e["field"], e["code"]) for e in body["errors"]}


def test_create_get_list_and_secret_is_write_only(emu):
    response = _webhook(emu, headers={"X-Team": "data"}, secret="s3cret", filter="schemaName eq 'acc'")
    assert response.status_code == 201
    webhook = response.json()
    assert "secret" not in webhook and webhook["secretSet"] is True
    assert webhook["enabled"] is True and webhook["requestType"] == "POST"
    assert webhook["headers"] == {"X-Team": "data"} and webhook["filter"] == "schemaName eq 'acc'"
    assert webhook["selfUri"] == WEBHOOKS + "/" + webhook["id"]
    assert emu.api("GET", webhook["selfUri"]).json() == webhook
    listing = emu.api("GET", WEBHOOKS).json()
    assert listing["total"] == 1 and listing["entities"] == [webhook]


def test_put_is_full_replacement_and_secret_handling(emu):
    webhook = _webhook(emu, secret="s", headers={"A": "1"}, filter="schemaId eq 'x'").json()
    body = {"name": "renamed", "endpoint": "https://hooks.example.com/v2", "eventTypes": ALL_EVENTS[:1],
            "enabled": False}
    kept = emu.api("PUT", webhook["selfUri"], json=body).json()
    assert kept["secretSet"] is True and kept["headers"] == {} and "filter" not in kept
    assert kept["name"] == "renamed" and kept["enabled"] is False and kept["dateCreated"] == webhook["dateCreated"]
    removed = emu.api("PUT", webhook["selfUri"], json=dict(body, secret=None)).json()
    assert removed["secretSet"] is False
    assert emu.api("PUT", webhook["selfUri"], json=dict(body, secret="new")).json()["secretSet"] is True


def test_unknown_webhooks_are_not_found(emu):
    path = WEBHOOKS + "/00000000-0000-0000-0000-000000000000"
    assert_error(emu.api("GET", path), 404, "not.found")
    assert_error(emu.api("PUT", path, json={"name": "a", "endpoint": "https://x.example", "eventTypes": ALL_EVENTS}),
                 404, "not.found")
    assert_error(emu.api("DELETE", path), 404, "not.found")
    webhook = _webhook(emu).json()
    assert emu.api("DELETE", webhook["selfUri"]).status_code == 204
    assert_error(emu.api("GET", webhook["selfUri"]), 404, "not.found")


def test_duplicate_names_are_case_insensitive(emu):
    first = _webhook(emu).json()
    assert_error(_webhook(emu, name="COMPLIANCE"), 409, "duplicate.name")
    other = _webhook(emu, name="other").json()
    body = {"name": "Compliance", "endpoint": first["endpoint"], "eventTypes": ALL_EVENTS}
    assert_error(emu.api("PUT", other["selfUri"], json=body), 409, "duplicate.name")


def test_invalid_webhooks_report_every_problem(emu):
    body = assert_error(_webhook(emu, name="n" * 129, endpoint="http://hooks.example.com/in",
                                 eventTypes=["data.flex.schema.created", "record.exploded"],
                                 headers={"H%d" % i: "v" for i in range(21)}, requestType="GET", secret=""),
                        422, "invalid.webhook")
    assert _problems(body) == {("name", "invalid.name"), ("endpoint", "invalid.endpoint"),
                               ("eventTypes[1]", "invalid.event.type"), ("headers", "too.many.headers"),
                               ("requestType", "invalid.request.type"), ("secret", "invalid.secret")}
    assert _problems(assert_error(_webhook(emu, eventTypes=[]), 422, "invalid.webhook")) == {
        ("eventTypes", "invalid.event.types")}
    assert_error(_webhook(emu, eventTypes=ALL_EVENTS * 3), 422, "invalid.webhook")
    for endpoint in ("ftp://example.com/x", "/relative", "https://", "http://10.0.0.1/hook"):
        assert_error(_webhook(emu, endpoint=endpoint), 422, "invalid.webhook")
    assert _webhook(emu, name="n" * 128, endpoint="http://127.0.0.1:9/x", eventTypes=ALL_EVENTS * 2,
                    headers={"H%d" % i: "v" for i in range(20)}).status_code == 201
    assert_error(_webhook(emu, name=""), 422, "invalid.webhook")


@pytest.mark.parametrize("body", ['{"name": 1}', '{"eventTypes": "all"}', '{"headers": {"a": 1}}', "[]",
                                  '{"enabled": "yes"}', '{"id": "x", "owner": "me"}', "nope"])
def test_wrong_typed_webhook_bodies_are_bad_request(emu, body):
    assert_error(emu.api("POST", WEBHOOKS, data=body, headers={"Content-Type": "application/json"}), 400,
                 "bad.request")


@pytest.mark.parametrize("flt", ["schemaName eq 'acc'", "schemaId eq 'abc' and schemaName eq 'o''brien'",
                                 "schemaName eq ''"])
def test_valid_filters(emu, flt):
    assert _webhook(emu, filter=flt).json()["filter"] == flt


@pytest.mark.parametrize("flt", ["schemaName = 'acc'", "name eq 'acc'", "schemaName eq acc", "schemaName eq 'a'b'",
                                 "schemaName eq 'a' or schemaId eq 'b'", "schemaName eq 'a'  and schemaId eq 'b'",
                                 "schemaName eq 'a' and", " schemaName eq 'a'"])
def test_invalid_filters(emu, flt):
    body = assert_error(_webhook(emu, filter=flt), 422, "invalid.filter")
    assert ("filter", "invalid.filter") in _problems(body)


def test_http_endpoints_are_refused_when_not_allowed():
    server = genesys_emulator.start_in_thread(client_id="c", client_secret="s", allow_http_webhooks=False)
    try:
        token = requests.post(server.url + "/oauth/token", data={"grant_type": "client_credentials"},
                              auth=("c", "s")).json()["access_token"]
        response = requests.post(server.url + WEBHOOKS, headers={"Authorization": "Bearer " + token},
                                 json={"name": "w", "endpoint": "http://127.0.0.1:9/x", "eventTypes": ALL_EVENTS})
        assert_error(response, 422, "invalid.webhook")
    finally:
        server.stop()


def _deliveries(emu, predicate=lambda d: True):
    return [d for d in emu.control("GET", "/deliveries") if predicate(d)]


def test_signed_deliveries_for_every_event_type(emu, receiver):
    webhook = _webhook(emu, endpoint=receiver.url, secret="topsecret", headers={"X-Team": "data"}).json()
    schema = emu.create_schema("acc", [{"name": "a", "type": "string"}, {"name": "b", "type": "number"}])
    updated = emu.put_schema(schema, fields=[{"name": "a", "type": "string", "required": True},
                                             {"name": "c", "type": "boolean"}])
    assert updated.status_code == 200
    emu.upsert("acc", [{"id": "r1", "a": "x"}, {"id": "r2", "a": "y"}])
    emu.upsert("acc", [{"id": "r1", "a": "z"}, {"id": "r2", "a": "y"}])
    emu.api("DELETE", records_path("acc") + "/r2")
    emu.api("DELETE", SCHEMAS + "/" + schema["id"] + "?force=true")
    assert wait_for(lambda: len(receiver.events()) == 7), receiver.events()
    for delivery in receiver.events():
        expected = "sha256=" + hmac.new(b"topsecret", delivery["raw"], hashlib.sha256).hexdigest()
        assert delivery["headers"]["X-Genesys-Signature"] == expected
        assert delivery["headers"]["X-Team"] == "data"
        assert delivery["body"]["webhookId"] == webhook["id"] and delivery["path"] == "/hook"
        assert set(delivery["body"]) == {"id", "eventType", "timestamp", "webhookId", "actor", "data"}
        assert delivery["body"]["actor"] == {"type": "client", "id": CLIENT_ID}
        assert delivery["body"]["timestamp"].endswith("Z")
    schema_data = {d["body"]["eventType"]: d["body"]["data"] for d in receiver.events()
                   if d["body"]["eventType"].startswith("data.flex")}
    assert schema_data["data.flex.schema.created"] == {
        "schemaId": schema["id"], "schemaName": "acc", "version": 1,
        "changes": {"added": ["a", "b"], "removed": [], "modified": []}}
    assert schema_data["data.flex.schema.updated"]["version"] == 2
    assert schema_data["data.flex.schema.updated"]["changes"] == {"added": ["c"], "removed": ["b"], "modified": ["a"]}
    assert schema_data["data.flex.schema.deleted"]["schemaName"] == "acc"
    changes = sorted((tuple(d["body"]["data"]["created"]), tuple(d["body"]["data"]["updated"]),
                      tuple(d["body"]["data"]["deleted"]))
                     for d in receiver.events("customobjects.records.changed"))
    assert changes == sorted([(("r1", "r2"), (), ()), ((), ("r1",), ()), ((), (), ("r2",)), ((), (), ("r1",))])
    assert all(d["body"]["data"]["schemaName"] == "acc" for d in receiver.events("customobjects.records.changed"))
    log = _deliveries(emu)
    assert len(log) == 7 and all(d["status"] == 200 and d["error"] is None and d["attempt"] == 1 for d in log)
    assert {d["webhook_name"] for d in log} == {"compliance"}


def test_no_signature_without_secret_and_filters_select_events(emu, receiver):
    _webhook(emu, name="acc-only", endpoint=receiver.url, eventTypes=["data.flex.schema.created"],
             filter="schemaName eq 'acc'")
    _webhook(emu, name="other-only", endpoint=receiver.url, eventTypes=["data.flex.schema.created"],
             filter="schemaName eq 'other'")
    _webhook(emu, name="disabled", endpoint=receiver.url, eventTypes=["data.flex.schema.created"], enabled=False)
    _webhook(emu, name="updates", endpoint=receiver.url, eventTypes=["data.flex.schema.updated"])
    schema = emu.create_schema("acc", [])
    by_id = _webhook(emu, name="by-id", endpoint=receiver.url, eventTypes=["customobjects.records.changed"],
                     filter="schemaId eq '%s' and schemaName eq 'acc'" % schema["id"]).json()
    emu.create_schema("third", [])
    emu.api("POST", records_path("acc"), json={"records": [{"id": "x"}]})
    assert wait_for(lambda: len(receiver.events()) == 2)
    assert wait_for(lambda: len(_deliveries(emu)) == 2)
    time.sleep(0.1)  # room for a wrong delivery to show up
    assert len(receiver.events()) == 2
    names = sorted(d["webhook_name"] for d in _deliveries(emu))
    assert names == ["acc-only", "by-id"]
    assert all("X-Genesys-Signature" not in d["headers"] for d in receiver.events())
    assert receiver.events("customobjects.records.changed")[0]["body"]["webhookId"] == by_id["id"]


def test_the_actor_is_the_client_whose_token_made_the_change(emu, receiver):
    _webhook(emu, endpoint=receiver.url, eventTypes=["data.flex.schema.created", "data.flex.schema.updated"])
    emu.control("POST", "/clients", json={"client_id": "someone-else", "client_secret": "other-secret"})
    other = emu.get_token("someone-else", "other-secret")
    schema = emu.create_schema("acc", [])
    assert emu.api("PUT", SCHEMAS + "/" + schema["id"], token=other, headers={"If-Match": '"1"'},
                   json={"name": "acc", "fields": [{"name": "a", "type": "string"}]}).status_code == 200
    assert wait_for(lambda: len(receiver.events()) == 2)
    actors = {d["body"]["eventType"]: d["body"]["actor"] for d in receiver.events()}
    assert actors == {"data.flex.schema.created": {"type": "client", "id": CLIENT_ID},
                      "data.flex.schema.updated": {"type": "client", "id": "someone-else"}}


def test_failed_deliveries_are_retried_until_they_succeed(emu, receiver):
    receiver.statuses = [500, 503]
    _webhook(emu, endpoint=receiver.url, eventTypes=["data.flex.schema.created"], secret="k")
    emu.create_schema("acc", [])
    assert wait_for(lambda: len(_deliveries(emu)) == 3)
    log = _deliveries(emu)
    assert [(d["attempt"], d["status"]) for d in log] == [(1, 500), (2, 503), (3, 200)]
    assert [d["error"] for d in log] == ["HTTP 500", "HTTP 503", None]
    bodies = [d["raw"] for d in receiver.events()]
    assert len(bodies) == 3 and len(set(bodies)) == 1  # the same event (same id) each time
    assert len({d["event_id"] for d in log}) == 1


def test_connection_errors_are_retried_and_logged(emu):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _webhook(emu, endpoint="http://127.0.0.1:%d/gone" % port, eventTypes=["data.flex.schema.created"])
    emu.create_schema("acc", [])
    assert wait_for(lambda: len(_deliveries(emu)) == 5)
    log = _deliveries(emu)
    assert [d["attempt"] for d in log] == [1, 2, 3, 4, 5]
    assert all(d["status"] is None and d["error"] for d in log)
