"""Signed webhook deliveries end to end: webhook registered by the module, schemas changed by flex_schema,
events received by a local receiver that checks every signature."""
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAS_FLEX_SCHEMA = os.path.exists(os.path.join(REPO, "plugins", "modules", "flex_schema.py"))
needs_flex_schema = pytest.mark.skipif(not HAS_FLEX_SCHEMA, reason="genesys.cloud.flex_schema has not landed yet")

SECRET = "delivery-secret-2c7e"


class Receiver:
    """A loopback HTTP endpoint that records each POST (path, headers, raw body) and can fail on purpose."""

    def __init__(self, failures=0):
        self.received = []
        self.answers = []
        self.failures_left = failures
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    status = 200
                    if receiver.failures_left > 0:
                        receiver.failures_left -= 1
                        status = 500
                    receiver.answers.append(status)
                    if status == 200:
                        receiver.received.append({"path": self.path, "headers": dict(self.headers), "raw": raw})
                    receiver.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.server.server_address[1], path)

    def wait_for(self, count, timeout=15.0):
        """Block until ``count`` deliveries were accepted (or the timeout passes); returns them."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.received) < count and time.monotonic() < deadline:
                self.arrived.wait(deadline - time.monotonic())
            return list(self.received)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    started = []

    def start(failures=0):
        started.append(Receiver(failures))
        return started[-1]

    yield start
    for one in started:
        one.stop()


def signature_ok(delivery, secret):
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), delivery["raw"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(delivery["headers"].get("X-Genesys-Signature", ""), expected)


def logged_attempts(emulator, count, timeout=5.0):
    """The emulator's delivery log once it holds ``count`` attempts (it logs just after the answer)."""
    deadline = time.monotonic() + timeout
    while True:
        attempts = emulator.deliveries()
        if len(attempts) >= count or time.monotonic() > deadline:
            return attempts
        time.sleep(0.05)


def webhook_task(name, endpoint, **options):
    args = dict(name=name, endpoint=endpoint, event_types=["data.flex.schema.updated"])
    args.update(options)
    return {"name": "register " + name, "genesys.cloud.webhook": args}


LABEL = {"name": "label", "type": "string"}


@needs_flex_schema
def test_only_matching_events_arrive_signed_with_the_new_version_and_changes(emulator, playbook, receiver):
    endpoint = receiver()
    emulator.create_schema("accounts", [LABEL])
    emulator.create_schema("invoices", [LABEL])
    registered = playbook([
        webhook_task("accounts-audit", endpoint.url("/filtered"), secret=SECRET,
                     headers={"X-Tenant": "acme"}, filter={"schema_name": "accounts"}),
        webhook_task("every-schema", endpoint.url("/all")),
    ])
    assert registered.rc == 0, registered

    changed = playbook([
        {"name": "change accounts", "genesys.cloud.flex_schema": {
            "name": "accounts", "fields": [dict(LABEL, max_length=80), {"name": "tier", "type": "number"}]}},
        {"name": "change invoices", "genesys.cloud.flex_schema": {
            "name": "invoices", "fields": [LABEL, {"name": "total", "type": "number"}]}},
    ])
    assert changed.rc == 0, changed
    assert changed.task("change accounts")["changed"] and changed.task("change invoices")["changed"]

    # The catch-all webhook gets both updates; by then the filtered one has had every chance to get its.
    deliveries = endpoint.wait_for(3)
    by_path = {}
    for delivery in deliveries:
        by_path.setdefault(delivery["path"], []).append(json.loads(delivery["raw"]))
    assert sorted(event["data"]["schemaName"] for event in by_path["/all"]) == ["accounts", "invoices"]

    [filtered] = [d for d in deliveries if d["path"] == "/filtered"]
    assert signature_ok(filtered, SECRET)
    assert not signature_ok(dict(filtered, raw=filtered["raw"] + b" "), SECRET)
    assert filtered["headers"]["X-Tenant"] == "acme"
    event = json.loads(filtered["raw"])
    accounts = emulator.schema("accounts")
    assert event["eventType"] == "data.flex.schema.updated"
    assert event["webhookId"] == [h["id"] for h in emulator.webhooks() if h["name"] == "accounts-audit"][0]
    assert event["data"]["schemaId"] == accounts["id"] and event["data"]["version"] == accounts["version"] == 2
    assert event["data"]["changes"] == {"added": ["tier"], "removed": [], "modified": ["label"]}
    assert all("X-Genesys-Signature" not in d["headers"] for d in deliveries if d["path"] == "/all")

    filtered_attempts = [d for d in logged_attempts(emulator, 3) if d["webhook_name"] == "accounts-audit"]
    assert [(d["event_type"], d["status"]) for d in filtered_attempts] == [("data.flex.schema.updated", 200)]


def test_a_receiver_that_fails_twice_still_gets_the_event(emulator, playbook, receiver):
    emulator.settings(delivery_backoff=0.25)
    endpoint = receiver(failures=2)
    schema = emulator.create_schema("accounts", [LABEL])
    registered = playbook([webhook_task("accounts-audit", endpoint.url("/hook"), secret=SECRET,
                                        filter={"schema_id": schema["id"]})])
    assert registered.rc == 0, registered

    emulator.update_schema(schema, description="changed by the compliance team")
    [delivery] = endpoint.wait_for(1)
    assert endpoint.answers == [500, 500, 200]
    assert signature_ok(delivery, SECRET)
    event = json.loads(delivery["raw"])
    assert event["data"]["schemaId"] == schema["id"] and event["data"]["version"] == 2
    attempts = [(d["attempt"], d["status"]) for d in logged_attempts(emulator, 3)]
    assert attempts == [(1, 500), (2, 500), (3, 200)]
    assert len(set(d["event_id"] for d in emulator.deliveries())) == 1
