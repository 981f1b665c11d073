"""Webhooks: definition validation, the filter language, and the delivery worker.

Deliveries are at least once: a background pool POSTs each event to each matching webhook,
retrying non-2xx answers and connection errors with exponential backoff, and logs every attempt.
Every retry of a delivery sends the same bytes (same event `id`, same signature); every delivery names
its `actor`, the OAuth client whose token made the change (contract section 6).
"""

import hashlib
import hmac
import ipaddress
import json
import queue
import re
import threading
from urllib.parse import urlsplit

import requests
from flask import g, has_app_context

from .errors import ApiError, error_entry
from .util import new_id, now_ts, reject_unknown_keys, require_object

EVENT_TYPES = ("data.flex.schema.created", "data.flex.schema.updated", "data.flex.schema.deleted",
               "customobjects.records.changed")
FILTER_ATTRS = ("schemaId", "schemaName")
MAX_HEADERS = 20
MAX_EVENT_TYPES = 10
MAX_ATTEMPTS = 5
BASE_BACKOFF = 0.2
DELIVERY_TIMEOUT = 5.0
KEYS = {"name", "enabled", "endpoint", "eventTypes", "requestType", "headers", "filter", "secret"}
READ_ONLY_KEYS = {"id", "secretSet", "dateCreated", "dateModified", "selfUri"}
_TERM_RE = re.compile(r"(%s) eq '((?:[^']|'')*)'" % "|".join(FILTER_ATTRS))
_HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def parse_filter(text):
    """`<attr> eq '<value>'` terms joined by ` and `; returns [(attr, value)] or raises ValueError."""
    terms, pos = [], 0
    while True:
        match = _TERM_RE.match(text, pos)
        if match is None:
            raise ValueError("expected <attr> eq '<value>' at offset %d (attrs: %s)" % (pos, ", ".join(FILTER_ATTRS)))
        terms.append((match.group(1), match.group(2).replace("''", "'")))
        pos = match.end()
        if pos == len(text):
            return terms
        if not text.startswith(" and ", pos):
            raise ValueError("expected ' and ' at offset %d" % pos)
        pos += len(" and ")


def filter_matches(text, attrs):
    return not text or all(attrs.get(attr) == value for attr, value in parse_filter(text))


def _is_loopback(host):
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webhook_view(webhook):
    body = {k: v for k, v in webhook.items() if k != "secret"}
    body["headers"] = dict(webhook["headers"])
    body["eventTypes"] = list(webhook["eventTypes"])
    body["secretSet"] = webhook.get("secret") is not None
    body["selfUri"] = "/api/v2/platform/webhooks/%s" % webhook["id"]
    return body


def _check_types(body):
    problems = []

    def expect(key, kinds, what, nullable=False):
        if key in body and not (isinstance(body[key], kinds) or (nullable and body[key] is None)):
            problems.append(error_entry("invalid.type", "Must be %s." % what, field=key))

    expect("name", str, "a string")
    expect("enabled", bool, "a boolean")
    expect("endpoint", str, "a string")
    expect("requestType", str, "a string")
    expect("filter", str, "a string", nullable=True)
    expect("secret", str, "a string", nullable=True)
    expect("eventTypes", list, "an array of strings")
    expect("headers", dict, "an object of strings", nullable=True)
    if isinstance(body.get("eventTypes"), list) and not all(isinstance(e, str) for e in body["eventTypes"]):
        problems.append(error_entry("invalid.type", "Must be an array of strings.", field="eventTypes"))
    if isinstance(body.get("headers"), dict) and not all(isinstance(v, str) for v in body["headers"].values()):
        problems.append(error_entry("invalid.type", "Header values must be strings.", field="headers"))
    if problems:
        raise ApiError(400, "bad.request", "The webhook body is malformed.", errors=problems)


def parse_webhook(body, state, existing=None):
    """Validate a POST body, or a PUT full replacement of `existing`; returns the stored form's fields."""
    require_object(body)
    reject_unknown_keys(body, KEYS | READ_ONLY_KEYS)
    _check_types(body)
    problems = []
    name = body.get("name")
    if name is None:
        problems.append(error_entry("required", "A webhook needs a name.", field="name"))
    elif not 1 <= len(name) <= 128:
        problems.append(error_entry("invalid.name", "Names are 1 to 128 characters.", field="name"))
    endpoint = body.get("endpoint")
    if endpoint is None:
        problems.append(error_entry("required", "A webhook needs an endpoint.", field="endpoint"))
    else:
        parts = urlsplit(endpoint)
        https_ok = parts.scheme == "https" and bool(parts.hostname)
        http_ok = parts.scheme == "http" and state.allow_http_webhooks and _is_loopback(parts.hostname)
        if not (https_ok or http_ok):
            allowed = "an absolute https URL" + (" or http to a loopback address" if state.allow_http_webhooks else "")
            problems.append(error_entry("invalid.endpoint", "The endpoint must be %s." % allowed, field="endpoint"))
    event_types = body.get("eventTypes")
    if event_types is None:
        problems.append(error_entry("required", "A webhook needs eventTypes.", field="eventTypes"))
    elif not 1 <= len(event_types) <= MAX_EVENT_TYPES:
        problems.append(error_entry("invalid.event.types", "1 to %d event types." % MAX_EVENT_TYPES,
                                    field="eventTypes"))
    for i, event_type in enumerate(event_types or []):
        if event_type not in EVENT_TYPES:
            problems.append(error_entry("invalid.event.type", "Unknown event type %r; use %s."
                                        % (event_type, ", ".join(EVENT_TYPES)), field="eventTypes[%d]" % i))
    request_type = body.get("requestType", "POST")
    if request_type != "POST":
        problems.append(error_entry("invalid.request.type", "requestType must be POST.", field="requestType"))
    headers = body.get("headers") or {}
    if len(headers) > MAX_HEADERS:
        problems.append(error_entry("too.many.headers", "At most %d headers." % MAX_HEADERS, field="headers"))
    for key, value in headers.items():
        if not _HEADER_NAME_RE.match(key) or "\r" in value or "\n" in value:
            problems.append(error_entry("invalid.header", "Not a valid HTTP header.", field="headers.%s" % key))
    flt = body.get("filter") or None
    filter_problem = False
    if flt is not None:
        try:
            parse_filter(flt)
        except ValueError as exc:
            filter_problem = True
            problems.append(error_entry("invalid.filter", "Invalid filter: %s." % exc, field="filter"))
    secret = body["secret"] if "secret" in body else (existing or {}).get("secret")
    if secret == "":
        problems.append(error_entry("invalid.secret", "A secret cannot be empty; use null to remove it.",
                                    field="secret"))
    if problems:
        code = "invalid.filter" if filter_problem else "invalid.webhook"
        raise ApiError(422, code, "The webhook is invalid (%d problems)." % len(problems), errors=problems)
    other = next((w for w in state.webhooks.values()
                  if w["name"].lower() == name.lower() and w["id"] != (existing or {}).get("id")), None)
    if other is not None:
        raise ApiError(409, "duplicate.name", "A webhook named %s already exists." % other["name"])
    fields = {"name": name, "enabled": body.get("enabled", True), "endpoint": endpoint,
              "eventTypes": list(event_types), "requestType": "POST", "headers": dict(headers), "secret": secret}
    if flt is not None:
        fields["filter"] = flt
    return fields


def create_webhook(state, body):
    fields = parse_webhook(body, state)
    now = now_ts()
    webhook = {"id": new_id(), **fields, "dateCreated": now, "dateModified": now}
    state.webhooks[webhook["id"]] = webhook
    state.save()
    return webhook


def get_webhook(state, webhook_id):
    webhook = state.webhooks.get(webhook_id)
    if webhook is None:
        raise ApiError(404, "not.found", "No webhook has id %s." % webhook_id)
    return webhook


def replace_webhook(state, webhook, body):
    fields = parse_webhook(body, state, existing=webhook)
    webhook.pop("filter", None)
    webhook.update(fields, dateModified=now_ts())
    state.save()
    return webhook


def current_actor():
    """Who is making the change being emitted: the OAuth client whose token the current request carries.

    Changes made outside an API request (the control interface's seed and hooks) have no client: they are
    reported as `{"type": "system", "id": null}`.
    """
    client_id = getattr(g, "client_id", None) if has_app_context() else None
    if client_id:
        return {"type": "client", "id": client_id}
    return {"type": "system", "id": None}


def sign(secret, raw_body):
    return "sha256=" + hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()


class Dispatcher:
    """Matches events to webhooks and delivers them from a small pool of worker threads."""

    def __init__(self, state, workers=4):
        self.state = state
        self.queue = queue.Queue()
        self.stopping = threading.Event()
        self.generation = 0
        self.threads = [threading.Thread(target=self._work, name="webhook-delivery-%d" % i, daemon=True)
                        for i in range(workers)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=2)

    def clear(self):
        """Forget queued and in-flight deliveries (after a reset)."""
        self.generation += 1
        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                return

    def emit(self, event_type, data, attrs):
        """Queue a delivery per matching enabled webhook (called with state.lock held)."""
        event_id, timestamp, actor = new_id(), now_ts(), current_actor()
        for webhook in self.state.webhooks.values():
            if not webhook["enabled"] or event_type not in webhook["eventTypes"]:
                continue
            if not filter_matches(webhook.get("filter"), attrs):
                continue
            raw = json.dumps({"id": event_id, "eventType": event_type, "timestamp": timestamp,
                              "webhookId": webhook["id"], "actor": actor, "data": data}).encode("utf-8")
            headers = dict(webhook["headers"])
            headers["Content-Type"] = "application/json"
            if webhook.get("secret"):
                headers["X-Genesys-Signature"] = sign(webhook["secret"], raw)
            self.queue.put({"webhook_id": webhook["id"], "webhook_name": webhook["name"], "event_id": event_id,
                            "event_type": event_type, "endpoint": webhook["endpoint"], "headers": headers,
                            "body": raw, "generation": self.generation})

    def _work(self):
        session = requests.Session()
        session.trust_env = False  # never route deliveries through an environment proxy
        while not self.stopping.is_set():
            try:
                job = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self._deliver(session, job)

    def _deliver(self, session, job):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self.stopping.is_set() or job["generation"] != self.generation:
                return
            status, error = None, None
            try:
                response = session.post(job["endpoint"], data=job["body"], headers=job["headers"],
                                        timeout=DELIVERY_TIMEOUT, allow_redirects=False)
                status = response.status_code
                if not 200 <= status < 300:
                    error = "HTTP %d" % status
            except requests.RequestException as exc:
                error = "%s: %s" % (type(exc).__name__, exc)
            with self.state.lock:
                if job["generation"] != self.generation:
                    return
                self.state.delivery_log.append({
                    "webhook_id": job["webhook_id"], "webhook_name": job["webhook_name"],
                    "event_id": job["event_id"], "event_type": job["event_type"], "attempt": attempt,
                    "status": status, "error": error, "time": now_ts()})
                backoff = float(self.state.settings["delivery_backoff"])
            if error is None:
                return
            if attempt < MAX_ATTEMPTS:
                self.stopping.wait(BASE_BACKOFF * (2 ** (attempt - 1)) * backoff)
