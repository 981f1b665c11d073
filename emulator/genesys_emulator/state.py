"""The emulator's in-memory state, its one lock, and its JSON form (the --state-file format).

Every read or change of the API data happens under `State.lock`, so concurrent requests
(and the webhook worker, and control hooks) always see a consistent state.
"""

import json
import os
import tempfile
import threading
import uuid

from .indexes import RecordIndex
from .realstate import dump_real, parse_real, reset_real

ALL_SCOPES = (
    "data:flex:read",
    "data:flex:schema:write",
    "customobject:record:read",
    "customobject:record:write",
    "webhooks:read",
    "webhooks:write",
    "architect",
    "architect:readonly",
    "workitems",
    "workitems:readonly",
    "process-automation",
    "process-automation:readonly",
)
STATE_FORMAT = 1


class State:
    """Schemas, records, webhooks, OAuth clients and tokens, plus the test-control data."""

    def __init__(self, client_id, client_secret, scopes=None, rate_limit=300, rate_window=60, token_lifetime=3600,
                 latency_ms=0, allow_http_webhooks=True, delivery_backoff=1.0, state_file=None, org_name=None,
                 org_id=None):
        self.lock = threading.RLock()
        # Each emulator is one org (GET /api/v2/organizations/me); its name is settable (control API, --org-name).
        self.organization = {"id": org_id or str(uuid.uuid4()), "name": org_name or "Emulated Org"}
        self.state_file = state_file
        self.allow_http_webhooks = allow_http_webhooks
        self.initial_clients = {client_id: {"secret": client_secret, "scopes": list(scopes or ALL_SCOPES)}}
        self.initial_settings = {
            "token_lifetime": token_lifetime,
            "rate_limit": rate_limit,
            "rate_window": rate_window,
            "latency_ms": latency_ms,
            "delivery_backoff": delivery_backoff,
            "rate_reset_step": 1,  # inin-ratelimit-reset / Retry-After rounded up to this (the contract: whole seconds)
        }
        self.dispatcher = None  # set by the server: delivers webhook events
        self.reset()

    def reset(self):
        """Back to the start-up state (what POST /_emulator/reset does)."""
        with self.lock:
            self.schemas = {}   # id -> schema (insertion order is creation order)
            self.records = {}   # schema id -> {record id -> stored record}
            self.indexes = {}   # schema id -> RecordIndex over its records (see indexes.py)
            self.webhooks = {}  # id -> webhook, including its secret
            self.tokens = {}    # access token -> {"client_id", "scopes", "expires_at"}
            self.clients = {cid: dict(c, scopes=list(c["scopes"])) for cid, c in self.initial_clients.items()}
            self.settings = dict(self.initial_settings)
            self.faults = []
            self.hooks = []
            self.request_log = []
            self.delivery_log = []
            self.next_seq = 1
            self.next_control_id = 1
            reset_real(self)  # data tables, workitem schemas, triggers (REAL_API.md)
        if self.dispatcher is not None:
            self.dispatcher.clear()

    # -- lookups --------------------------------------------------------------------------

    def schema_by_name(self, name, case_insensitive=False):
        for schema in self.schemas.values():
            if schema["name"] == name or (case_insensitive and schema["name"].lower() == name.lower()):
                return schema
        return None

    def records_of(self, schema_id):
        return self.records.setdefault(schema_id, {})

    def index_of(self, schema_id):
        """The schema's record index (built lazily; rebuilt when its stored-record dict was replaced)."""
        records = self.records_of(schema_id)
        index = self.indexes.get(schema_id)
        if index is None or index.records is not records:
            index = self.indexes[schema_id] = RecordIndex(records)
        return index

    def drop_index(self, schema_id):
        """Forget a schema's index after its stored data was rewritten wholesale (rebuilt on next use)."""
        self.indexes.pop(schema_id, None)

    def control_id(self):
        with self.lock:
            value = self.next_control_id
            self.next_control_id += 1
            return value

    # -- events ---------------------------------------------------------------------------

    def emit(self, event_type, data, attrs):
        """Hand an event to the webhook dispatcher (if one runs); `attrs` feed webhook filters."""
        if self.dispatcher is not None:
            self.dispatcher.emit(event_type, data, attrs)

    # -- persistence ----------------------------------------------------------------------

    def dump(self):
        with self.lock:
            return json.loads(json.dumps({
                "format": STATE_FORMAT,
                "schemas": list(self.schemas.values()),
                "records": {sid: sorted(recs.values(), key=lambda r: r["id"])
                            for sid, recs in self.records.items() if recs},
                "webhooks": list(self.webhooks.values()),
                "clients": self.clients,
                "tokens": self.tokens,
                **dump_real(self),
            }))

    def load(self, doc):
        """Replace the data with a state document; raises ValueError when it is malformed."""
        if not isinstance(doc, dict):
            raise ValueError("a state document is a JSON object")
        try:
            schemas = {s["id"]: s for s in doc.get("schemas", [])}
            records = {sid: {r["id"]: r for r in recs} for sid, recs in doc.get("records", {}).items()}
            webhooks = {w["id"]: w for w in doc.get("webhooks", [])}
            clients = dict(doc.get("clients") or self.clients)
            tokens = dict(doc.get("tokens", {}))
            real = parse_real(doc)
        except (TypeError, KeyError, AttributeError) as exc:
            raise ValueError("malformed state document: %r" % exc)
        with self.lock:
            self.schemas, self.records, self.webhooks = schemas, records, webhooks
            self.indexes = {}
            self.clients, self.tokens = clients, tokens
            for name, value in real.items():
                setattr(self, name, value)
            self.save()

    def load_file(self):
        if self.state_file and os.path.exists(self.state_file):
            with open(self.state_file, encoding="utf-8") as handle:
                self.load(json.load(handle))

    def save(self):
        """Write the state file (atomically) when one is configured; called after each change."""
        if not self.state_file:
            return
        with self.lock:
            doc = self.dump()
            directory = os.path.dirname(os.path.abspath(self.state_file))
            fd, tmp = tempfile.mkstemp(prefix=".emulator-state-", dir=directory)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle, indent=1, sort_keys=True)
            os.replace(tmp, self.state_file)
