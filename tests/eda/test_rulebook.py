"""genesys.cloud.webhook_events and genesys.cloud.not_from_clients under the real ansible-rulebook, with the
emulator delivering: one ansible-rulebook process for the whole module, its rules print a marker line
per firing, and each test reads those lines.

"Fires nothing" is proven with a sentinel: after the refused delivery was answered, a good delivery is
sent and its rule firing awaited; events are handled in arrival order, so a wrongly accepted delivery
would have fired first.
"""
import hashlib
import hmac
import json
import socket
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from processes import free_port
from tests.eda.rulebook_runner import Rulebook

SECRET = "eda-rulebook-secret-71c2"
AUTOMATION_CLIENT = "collection-tests"  # the client the collection's own runs use (tests/conftest.py)
FIRED = r"FIRED schema (\S+) endpoint=(\S*) actor=(\S+)"


def rulebook(port):
    return [{
        "name": "Genesys Cloud events in the tests",
        "hosts": "all",
        "sources": [{
            "genesys.cloud.webhook_events": {"port": port, "secret": SECRET, "max_body_bytes": 65536,
                                             "timestamp_tolerance": 300},
            "filters": [{"genesys.cloud.not_from_clients": {"client_ids": [AUTOMATION_CLIENT]}}],
        }],
        "rules": [
            {"name": "a schema changed",
             "condition": 'event.payload.eventType is match("data.flex.schema.")',
             "action": {"debug": {"msg": "FIRED schema {{ event.payload.id }} endpoint={{ event.meta.endpoint }} "
                                         "actor={{ event.payload.actor.id }}"}}},
            {"name": "records changed",
             "condition": 'event.payload.eventType == "customobjects.records.changed"',
             "action": {"debug": {"msg": "FIRED records {{ event.payload.id }} "
                                         "created={{ event.payload.data.created | join(',') }}"}}},
        ],
    }]


@pytest.fixture(scope="module")
def listener(tmp_path_factory):
    port = free_port()
    process = Rulebook(rulebook(port), str(tmp_path_factory.mktemp("rulebook")))
    try:
        process.wait_for(r"webhook_events listening on 127\.0\.0\.1:%d" % port, timeout=120)
        process.wait_for(r"Waiting for events", timeout=60)
        process.url = "http://127.0.0.1:%d" % port
        yield process
    finally:
        process.stop()


@pytest.fixture
def fast_retries(emulator):
    emulator.settings(delivery_backoff=0.05)
    return emulator


def now_stamp(delta=timedelta()):
    return (datetime.now(timezone.utc) + delta).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def delivery(event_id=None, delta=timedelta(), actor="a-person", **extra):
    body = {"id": event_id or str(uuid.uuid4()), "eventType": "data.flex.schema.updated", "timestamp": now_stamp(delta),
            "webhookId": "sent-by-the-test", "actor": {"type": "client", "id": actor},
            "data": {"schemaId": "s", "schemaName": "accounts", "version": 2,
                     "changes": {"added": ["x"], "removed": [], "modified": []}}}
    body.update(extra)
    return body


def post(listener, body, secret=SECRET, path="/direct", raw=None, headers=None):
    raw = raw if raw is not None else json.dumps(body).encode("utf-8")
    sent = {"Content-Type": "application/json"}
    if secret is not None:
        sent["X-Genesys-Signature"] = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    sent.update(headers or {})
    return requests.post(listener.url + path, data=raw, headers=sent, timeout=30)


def fired_ids(listener):
    return [match.group(1) for match in listener.matches(FIRED)]


def sentinel(listener):
    """Send a good delivery and wait until its rule fired: everything sent before it has been handled."""
    body = delivery()
    assert post(listener, body).status_code == 202
    listener.wait_for(r"FIRED schema %s " % body["id"], timeout=30)


def webhook(emulator, listener, path, secret=SECRET, event_types=None):
    body = {"name": "eda-" + path.strip("/").replace("/", "-"), "endpoint": listener.url + path,
            "eventTypes": event_types or ["data.flex.schema.created", "data.flex.schema.updated",
                                          "customobjects.records.changed"],
            "secret": secret}
    return emulator.api("POST", "/api/v2/platform/webhooks", json=body, expect=201).json()


def api_as(emulator, client_id, client_secret, method, path, **kwargs):
    token = requests.post(emulator.url + "/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(client_id, client_secret), timeout=30).json()["access_token"]
    headers = dict(kwargs.pop("headers", {}), Authorization="Bearer " + token)
    return requests.request(method, emulator.url + path, headers=headers, timeout=30, **kwargs)


def deliveries_settled(emulator, count, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = emulator.deliveries()
        if len(log) >= count:
            return log
        time.sleep(0.05)
    raise AssertionError("the emulator made %d of %d delivery attempts: %s" % (len(log), count, log))


def test_a_change_made_by_another_client_fires_the_rule_once(listener, fast_retries):
    emulator = fast_retries
    webhook(emulator, listener, "/orgs/acme")
    schema = emulator.create_schema("accounts", [{"name": "a", "type": "string"}])  # made by the test admin
    log = deliveries_settled(emulator, 1)
    assert [(d["status"], d["attempt"], d["error"]) for d in log] == [(202, 1, None)]
    event_id = log[0]["event_id"]
    (fired,) = listener.wait_for(FIRED.replace(r"(\S+)", "(%s)", 1) % event_id)
    assert fired.group(2) == "orgs/acme" and fired.group(3) == "test-admin"
    records = emulator.upsert_records("accounts", [{"id": "r1", "a": "x"}, {"id": "r2", "a": "y"}])
    assert records is not None
    listener.wait_for(r"FIRED records \S+ created=r1,r2")
    sentinel(listener)
    assert fired_ids(listener).count(event_id) == 1
    assert schema["name"] == "accounts"


def test_a_change_made_by_the_automation_client_is_dropped_by_the_filter(listener, fast_retries):
    emulator = fast_retries
    webhook(emulator, listener, "/orgs/acme", event_types=["data.flex.schema.created"])
    own = api_as(emulator, emulator.client_id, emulator.client_secret, "POST", "/api/v2/data/flex/schemas",
                 json={"name": "madeByAutomation", "fields": []})
    assert own.status_code == 201, own.text
    own_event = deliveries_settled(emulator, 1)[0]
    assert own_event["status"] == 202  # the source accepted it; the filter dropped it
    emulator.create_schema("madeByHand", [])
    by_hand = [d for d in deliveries_settled(emulator, 2) if d["event_id"] != own_event["event_id"]][0]
    listener.wait_for(r"FIRED schema %s " % by_hand["event_id"])
    sentinel(listener)
    assert own_event["event_id"] not in fired_ids(listener)
    assert listener.matches(r"not_from_clients: dropped event %s .* made by client %s"
                            % (own_event["event_id"], AUTOMATION_CLIENT))


def test_a_forged_signature_is_401_and_fires_nothing(listener, fast_retries):
    emulator = fast_retries
    webhook(emulator, listener, "/orgs/forged", secret="not-the-listeners-secret")
    emulator.create_schema("forged", [])
    log = deliveries_settled(emulator, 5)  # the emulator retries every attempt; each one is refused
    assert [(d["attempt"], d["status"]) for d in log] == [(1, 401), (2, 401), (3, 401), (4, 401), (5, 401)]
    assert len({d["event_id"] for d in log}) == 1
    sentinel(listener)
    assert log[0]["event_id"] not in fired_ids(listener)
    refusal = listener.matches(r"refused a delivery from \S+ on /orgs/forged with 401: X-Genesys-Signature")
    assert len(refusal) == 5
    assert "not-the-listeners-secret" not in listener.output() and SECRET not in listener.output()
    answer = post(listener, delivery(), secret=None)
    assert answer.status_code == 401 and "no X-Genesys-Signature" in answer.json()["error"]


def test_a_stale_timestamp_is_422_and_fires_nothing(listener):
    for delta in (timedelta(minutes=-10), timedelta(minutes=10)):
        body = delivery(delta=delta)
        answer = post(listener, body)
        assert answer.status_code == 422 and "timestamp_tolerance (300 s)" in answer.json()["error"]
        sentinel(listener)
        assert body["id"] not in fired_ids(listener)


def test_an_oversized_body_is_413_and_fires_nothing(listener):
    body = delivery(padding="x" * 70000)
    answer = post(listener, body)
    assert answer.status_code == 413 and "max_body_bytes (65536)" in answer.json()["error"]
    sentinel(listener)
    assert body["id"] not in fired_ids(listener)
    assert listener.matches(r"refused a delivery .* with 413: Content-Length \d+ is more than max_body_bytes")


def test_a_replayed_id_is_200_and_fires_once(listener):
    body = delivery()
    first, replay = post(listener, body), post(listener, body)
    assert (first.status_code, first.json()["status"]) == (202, "accepted")
    assert (replay.status_code, replay.json()["status"]) == (200, "duplicate")
    listener.wait_for(r"FIRED schema %s " % body["id"])
    sentinel(listener)
    assert fired_ids(listener).count(body["id"]) == 1


def test_bad_requests_get_their_documented_status(listener):
    assert post(listener, None, raw=b"{not json").status_code == 400
    assert post(listener, None, raw=b"{}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert requests.get(listener.url + "/direct", timeout=30).status_code == 405
    sentinel(listener)


def test_the_source_survives_a_client_that_disconnects_mid_body(listener):
    body = json.dumps(delivery()).encode("utf-8")
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", int(listener.url.rsplit(":", 1)[1])), timeout=10) as client:
            signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            client.sendall(b"POST /direct HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"X-Genesys-Signature: %s\r\n" % signature.encode()
                           + b"Content-Length: %d\r\n\r\n" % len(body) + body[:len(body) // 2])
    listener.wait_for(r"client \S+ disconnected after %d of %d body bytes; no event" % (len(body) // 2, len(body)),
                      count=3)
    sentinel(listener)
    assert json.loads(body)["id"] not in fired_ids(listener)
    assert listener.process.poll() is None
