"""Shared helpers of the emulator contract tests (imported by conftest.py and the test modules)."""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

try:
    import genesys_emulator  # noqa: F401
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "emulator"))

CLIENT_ID = "emu-test-client"
CLIENT_SECRET = "emu-test-secret"
SCHEMAS = "/api/v2/data/flex/schemas"
WEBHOOKS = "/api/v2/platform/webhooks"
ERROR_KEYS = {"message", "code", "status", "contextId", "details", "errors"}


def records_path(schema_name):
    return "/api/v2/customobjects/%s/records" % schema_name


def assert_error(response, status, code):
    """The contract's error body, with contextId equal to the correlation id header."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["contextId"] == response.headers["inin-correlation-id"]
    assert isinstance(body["details"], list) and isinstance(body["errors"], list)
    return body


def wait_for(predicate, timeout=5.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Emu:
    """A thin client for one test: a cached token, API calls and control calls."""

    def __init__(self, server):
        self.server = server
        self.url = server.url
        self.session = requests.Session()
        self.session.trust_env = False
        self._token = None

    def get_token(self, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, scope=None):
        data = {"grant_type": "client_credentials"}
        if scope is not None:
            data["scope"] = scope
        response = self.session.post(self.url + "/oauth/token", data=data, auth=(client_id, client_secret))
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    @property
    def token(self):
        if self._token is None:
            self._token = self.get_token()
        return self._token

    def api(self, method, path, token=None, headers=None, **kwargs):
        headers = dict(headers or {})
        headers.setdefault("Authorization", "Bearer " + (token or self.token))
        return self.session.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def control(self, method, path, **kwargs):
        response = self.session.request(method, self.url + "/_emulator" + path, timeout=10, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    # shortcuts for the objects most tests need

    def create_schema(self, name, fields, description=None):
        body = {"name": name, "fields": fields}
        if description is not None:
            body["description"] = description
        response = self.api("POST", SCHEMAS, json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def upsert(self, schema_name, records):
        return self.api("POST", records_path(schema_name), json={"records": records})

    def put_schema(self, schema, version=None, **changes):
        body = {"name": schema["name"], "description": schema["description"], "fields": schema["fields"]}
        body.update(changes)
        version = schema["version"] if version is None else version
        return self.api("PUT", SCHEMAS + "/" + schema["id"], json=body, headers={"If-Match": '"%d"' % version})


class Receiver:
    """Records webhook deliveries; `statuses` scripts the answers (then 200 for ever)."""

    def __init__(self):
        self.deliveries = []
        self.statuses = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.deliveries.append({"headers": dict(self.headers), "raw": raw,
                                                "body": json.loads(raw), "path": self.path})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def events(self, event_type=None):
        with self.lock:
            return [d for d in self.deliveries if event_type is None or d["body"]["eventType"] == event_type]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# -- the real objects (shared/contract/REAL_API.md) --------------------------------------------

DATATABLES = "/api/v2/flows/datatables"
WORKITEM_SCHEMAS = "/api/v2/taskmanagement/workitems/schemas"
TRIGGERS = "/api/v2/processautomation/triggers"


def table_schema(**properties):
    """A valid data-table schema: `key` plus the given properties (name -> definition)."""
    props = {"key": {"type": "string", "title": "Key"}}
    props.update(properties)
    return {"required": ["key"], "additionalProperties": False, "properties": props}


def scoped_token(emu, scopes, client_id="scoped-client"):
    """A token of a client granted only `scopes` (a list)."""
    emu.control("POST", "/clients", json={"client_id": client_id, "client_secret": "scoped-secret", "scopes": scopes})
    return emu.get_token(client_id, "scoped-secret")
