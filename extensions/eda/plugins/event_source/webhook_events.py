"""genesys.cloud.webhook_events: an ansible-rulebook event source for Genesys Cloud webhook deliveries.

The listener is built on asyncio streams from the standard library, so it runs in ansible-rulebook's own
event loop (events go straight onto its asyncio queue, no thread hand-off) and needs no package that
ansible-rulebook does not already bring. It speaks just enough HTTP/1.1 for webhook senders: POST with a
Content-Length body, persistent connections, no chunked bodies.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import os
import ssl
import sys
import time

DOCUMENTATION = r"""
---
author:
  - genesys.cloud contributors
short_description: Receive Genesys Cloud webhook deliveries as events
description:
  - An ansible-rulebook event source that listens over HTTP or HTTPS for the deliveries of one or
    more Genesys Cloud webhooks (schema and custom-object record changes).
  - B(Which org a delivery belongs to comes from this configuration, never from the request.) Either one
    listener per org (O(org) and O(secret)), or one listener for several orgs with one path and one secret
    per org (O(orgs)); the webhook of org C(acme) posts to C(/orgs/acme), and only a body signed with
    C(acme)'s secret is accepted there. C(event.meta.org) is that configured name; pass it (and values of
    C(event.payload), which the signature covers) to playbooks, never C(event.meta.endpoint) or
    C(event.meta.headers), which anyone who can reach the port chooses.
  - "Each request is checked before its body is read: the method (405), C(Content-Length) (411 when missing,
    400 when not ASCII digits, 413 over O(max_body_bytes)), C(Content-Type) (415), the path (404 in O(orgs)
    mode), and the presence and form of the C(X-Genesys-Signature) header (401). A body is read only when
    its size fits the bytes left of O(max_pending_bytes), shared by every body being received (else 503
    with C(Retry-After)); more than O(max_connections) open connections get 503 as well."
  - Then the body. C(X-Genesys-Signature) must be C(sha256=) and the hex HMAC-SHA256 of the raw body under
    the org's secret, compared in constant time; otherwise 401. A body that is not a JSON object with a
    string C(id) and an RFC 3339 C(timestamp), or that nests arrays and objects deeper than 32 levels, gets
    400. A C(timestamp) further than O(timestamp_tolerance) seconds from the listener's clock gets 422. A
    delivery whose C(id) was already accepted (a retry) gets 200 and no second event.
  - An accepted delivery is answered 202 and becomes one event. C(event.payload) is the delivery
    body (C(id), C(eventType), C(timestamp), C(webhookId), C(actor), C(data)). C(event.meta.org) is the
    org (when O(org) or O(orgs) is set), C(event.meta.endpoint) the request path without the leading
    slash and query, and C(event.meta.headers) the request headers without C(X-Genesys-Signature).
  - Every refused delivery is logged at warning level with its reason; values sent by the client are
    shortened, and no secret is ever logged.
options:
  host:
    description:
      - The address to listen on. Use V(0.0.0.0) to listen on every interface.
    type: str
    default: 127.0.0.1
  port:
    description:
      - The TCP port to listen on.
    type: int
    required: true
  secret:
    description:
      - The webhook's signing secret (the O(genesys.cloud.webhook#module:secret) given to the
        webhook), used to verify C(X-Genesys-Signature) on every path.
      - Required unless O(orgs) is set or O(allow_unsigned=true). Keep it in a vault and pass it as a variable.
    type: str
  org:
    description:
      - The org (its inventory host name) every delivery to this listener belongs to; it becomes
        C(event.meta.org). One listener (port) per org, each with its O(secret).
      - A plain name (letters, digits, C(_), C(.), C(-)), never a host pattern.
    type: str
  orgs:
    description:
      - One listener for several orgs. Maps each org (its inventory host name) to the signing secret of
        its webhook; that webhook's endpoint is C(https://<listener>/orgs/<org>). A delivery is accepted
        only on the path of an org listed here (else 404) and only when signed with that org's secret, so
        C(event.meta.org) names the org whose secret signed it. Each org needs its own secret.
      - Excludes O(org) and O(secret).
    type: dict
  allow_unsigned:
    description:
      - Accept deliveries without checking any signature when no O(secret) is set.
      - B(For local tests only); anyone who can reach the port can then fire your rules.
      - When O(secret) is set, signatures are checked whatever this says.
    type: bool
    default: false
  certfile:
    description:
      - A PEM certificate (chain) file. With it the listener speaks HTTPS only.
    type: str
  keyfile:
    description:
      - The PEM private key of O(certfile), when that file does not hold the key itself.
    type: str
  password:
    description:
      - The password of O(keyfile), if it is encrypted.
    type: str
  max_body_bytes:
    description:
      - The largest body accepted, in bytes; a larger one is answered 413 without being read.
    type: int
    default: 1048576
  max_pending_bytes:
    description:
      - The bytes that all bodies being received may hold together (at least O(max_body_bytes)). A request
        whose declared size does not fit what is left is answered 503 with C(Retry-After) before its body is
        read; the sender retries. This bounds what slow or hostile clients can make the listener hold.
    type: int
    default: 16777216
  max_connections:
    description:
      - The most connections open at once; one more is answered 503 and closed. Each open connection buffers
        at most about 384 KiB outside O(max_pending_bytes), so together they bound the listener's memory.
    type: int
    default: 64
  timestamp_tolerance:
    description:
      - How far, in seconds, a delivery's C(timestamp) may be from the listener's clock (either way)
        before it is refused as stale (422). Together with the memory of recent ids this refuses replays.
    type: int
    default: 300
  replay_memory:
    description:
      - How many recently accepted delivery ids the listener remembers to answer a repeat (a retry of
        an event it already turned into an event) with 200 and no second event. An id is forgotten
        once its timestamp is outside O(timestamp_tolerance), or, when more than this many ids
        arrive within that window, oldest first.
      - The key is the org with the pair (C(webhookId), C(id)), so one event delivered to two webhooks is two
        events.
    type: int
    default: 20000
  read_timeout:
    description:
      - Seconds to wait for the next request on an open connection and for a request body to arrive
        completely; a slower client is disconnected.
    type: float
    default: 30
notes:
  - Register the webhook with M(genesys.cloud.webhook), pointing its O(genesys.cloud.webhook#module:endpoint)
    at this listener and giving it the same secret.
  - Only the Python standard library is used; the plugin runs wherever ansible-rulebook runs. Its helpers
    live in the collection's C(extensions/eda/plugins/plugin_utils/webhook_http.py), loaded by path.
  - Combine with the P(genesys.cloud.not_from_clients#event_filter) event filter to ignore changes
    made by the automation's own OAuth client.
"""

EXAMPLES = r"""
- name: React to Genesys Cloud schema changes of the org acme
  hosts: all
  sources:
    - genesys.cloud.webhook_events:
        host: 0.0.0.0
        port: 8443
        certfile: /etc/eda/tls/listener.pem
        keyfile: /etc/eda/tls/listener.key
        org: acme
        secret: "{{ acme_webhook_secret }}"
      filters:
        - genesys.cloud.not_from_clients:
            client_ids_env: GENESYSCLOUD_OAUTHCLIENT_ID
  rules:
    - name: Show every schema change
      condition: event.payload.eventType is match("data.flex.schema.")
      action:
        debug:
          msg: "{{ event.payload.data.schemaName }} changed in {{ event.meta.org }}"

- name: One listener for two orgs, one path and one secret each
  hosts: all
  sources:
    - genesys.cloud.webhook_events:
        port: 5000
        orgs:
          acme: "{{ acme_webhook_secret }}"      # its webhook posts to /orgs/acme
          globex: "{{ globex_webhook_secret }}"  # and this one to /orgs/globex
  rules:
    - name: Check the org whose schema changed
      condition: event.payload.eventType is match("data.flex.schema.")
      action:
        run_playbook:
          name: genesys.cloud.preview_org
          extra_vars:
            genesys_event_org: "{{ event.meta.org }}"
"""

LOGGER = logging.getLogger("genesys.cloud.webhook_events")
REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
           405: "Method Not Allowed", 408: "Request Timeout", 411: "Length Required",
           413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
           431: "Request Header Fields Too Large", 500: "Internal Server Error", 503: "Service Unavailable"}
READ_CHUNK = 65536


def _load_helpers():
    """plugin_utils/webhook_http.py of this collection: ansible-rulebook runs a source with runpy.run_path,
    which gives it no package to import a sibling from, so the file is loaded by its path."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "plugin_utils", "webhook_http.py")
    spec = importlib.util.spec_from_file_location("genesys_cloud_eda_webhook_http", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_HTTP = _load_helpers()
BadRequest, ByteBudget, RecentIds = _HTTP.BadRequest, _HTTP.ByteBudget, _HTTP.RecentIds
content_length, expected_signature, load_json = _HTTP.content_length, _HTTP.expected_signature, _HTTP.load_json
parse_head, parse_options, parse_timestamp = _HTTP.parse_head, _HTTP.parse_options, _HTTP.parse_timestamp
shorten, signature_matches, signature_problem = _HTTP.shorten, _HTTP.signature_matches, _HTTP.signature_problem
within_window = _HTTP.within_window
SIGNATURE_HEADER, MAX_HEADER_BYTES, ORG_PATH_PREFIX = _HTTP.SIGNATURE_HEADER, _HTTP.MAX_HEADER_BYTES, _HTTP.ORG_PATH_PREFIX


class Refused(Exception):
    """A delivery answered with a 4xx (or 503) status and no event."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Verifier:
    """Turns one received delivery (raw body, headers) into an event, a duplicate, or a refusal."""

    def __init__(self, options, clock=time.time):
        self.org = options.get("org")
        self.secret = options.get("secret")
        self.orgs = options.get("orgs")
        self.tolerance = options["timestamp_tolerance"]
        self.max_body = options["max_body_bytes"]
        self.recent = RecentIds(options["replay_memory"])
        self.clock = clock

    def route(self, path):
        """`(org, secret)` for a request path, from the configuration only; Refused 404 for a path no org has."""
        if self.orgs is None:
            return self.org, self.secret
        name = path[len(ORG_PATH_PREFIX):] if path.startswith(ORG_PATH_PREFIX) else None
        if name not in self.orgs:
            raise Refused(404, "no org listens on this path (the path of an org is /orgs/<org>)")
        return name, self.orgs[name]

    def check(self, raw_body, headers, route=None):
        """`(payload, is_new)` for an acceptable delivery; raises Refused otherwise.

        `headers` maps lower-case header names to values; `route` is `(org, secret)` (default: the
        listener's own org and secret).
        """
        org, secret = route if route is not None else (self.org, self.secret)
        if len(raw_body) > self.max_body:
            raise Refused(413, "the body has %d bytes, more than max_body_bytes (%d)" % (len(raw_body), self.max_body))
        if secret is not None:
            header = headers.get(SIGNATURE_HEADER)
            if not header:
                raise Refused(401, "no X-Genesys-Signature header (the webhook has no secret, or is not ours)")
            if not signature_matches(secret, raw_body, header):
                raise Refused(401, "X-Genesys-Signature %s does not match the body (wrong secret or altered body)"
                              % shorten(header, 16))
        try:
            payload = load_json(raw_body)
        except ValueError as exc:
            raise Refused(400, "the body is not JSON (%s)" % exc) from None
        if not isinstance(payload, dict):
            raise Refused(400, "the body is JSON but not an object")
        delivery_id = payload.get("id")
        if not isinstance(delivery_id, str) or not delivery_id:
            raise Refused(400, "the body has no string 'id'")
        try:
            stamp = parse_timestamp(payload.get("timestamp"))
        except ValueError as exc:
            raise Refused(400, "'timestamp' %s: %s" % (shorten(payload.get("timestamp")), exc)) from None
        now = self.clock()
        if not within_window(stamp, now, self.tolerance):
            raise Refused(422, "'timestamp' %s is %.0f s away from this listener's clock, more than "
                               "timestamp_tolerance (%d s)" % (shorten(payload["timestamp"]), now - stamp,
                                                               self.tolerance))
        key = (org, payload.get("webhookId"), delivery_id)
        if self.recent.seen(key):
            return payload, False
        self.recent.remember(key, max(now, stamp) + self.tolerance, now)
        return payload, True


class Listener:
    """Serves the webhook endpoint(s) and puts one event per accepted delivery on the queue."""

    def __init__(self, queue, options, clock=time.time):
        self.queue = queue
        self.options = options
        self.verifier = Verifier(options, clock=clock)
        self.budget = ByteBudget(options["max_pending_bytes"])
        self.connections = 0
        self.stats = {"accepted": 0, "duplicates": 0, "refused": 0, "disconnected": 0}
        self.server = None

    def ssl_context(self):
        if not self.options.get("certfile"):
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(self.options["certfile"], self.options.get("keyfile"),
                                    self.options.get("password"))
        except (OSError, ssl.SSLError) as exc:
            raise ValueError("webhook_events: cannot load certfile %s / keyfile %s: %s"
                             % (self.options["certfile"], self.options.get("keyfile"), exc)) from None
        return context

    async def start(self):
        self.server = await asyncio.start_server(self.handle, self.options["host"], self.options["port"],
                                                 ssl=self.ssl_context(), limit=MAX_HEADER_BYTES)
        where = ", ".join("%s:%s" % s.getsockname()[:2] for s in self.server.sockets)
        LOGGER.info("genesys.cloud.webhook_events listening on %s (%s)", where,
                    "HTTPS" if self.options.get("certfile") else "HTTP")
        return self.server

    async def handle(self, reader, writer):
        peer = writer.get_extra_info("peername")
        peer = "%s:%s" % peer[:2] if isinstance(peer, tuple) else str(peer)
        self.connections += 1
        try:
            if self.connections > self.options["max_connections"]:
                await self._refuse(writer, peer, "", 503, "more than max_connections (%d) connections are open"
                                   % self.options["max_connections"], extra=[("Retry-After", "1")])
                return
            while await self._one_request(reader, writer, peer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        except Exception:  # pylint: disable=broad-except  # one bad connection never stops the source
            LOGGER.exception("webhook_events: unexpected error on the connection from %s", peer)
        finally:
            self.connections -= 1
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, ssl.SSLError, OSError):
                pass

    async def _one_request(self, reader, writer, peer):
        """Serve one request; True when the connection stays open for another."""
        timeout = self.options["read_timeout"]
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        except asyncio.IncompleteReadError as exc:
            if exc.partial.strip():
                self._disconnected(peer, "in the middle of the request head")
            return False
        except asyncio.LimitOverrunError:
            await self._refuse(writer, peer, "", 431, "request head larger than %d bytes" % MAX_HEADER_BYTES)
            return False
        except asyncio.TimeoutError:
            return False
        path = ""
        try:  # everything that needs no body is checked before a byte of it is read
            method, target, version, headers, raw_names = parse_head(head[:-4])
            path = target.split("?", 1)[0]
            if method != "POST":
                raise Refused(405, "method %s (only POST)" % shorten(method, 10))
            if "transfer-encoding" in headers or "content-length" not in headers:
                raise Refused(411, "no Content-Length (chunked bodies are not accepted)")
            length = content_length(headers["content-length"], self.options["max_body_bytes"])
            content_type = headers.get("content-type", "application/json").split(";", 1)[0].strip().lower()
            if content_type != "application/json" and not content_type.endswith("+json"):
                raise Refused(415, "Content-Type %s (expected application/json)" % shorten(content_type))
            route = self.verifier.route(path)
            problem = route[1] is not None and signature_problem(headers.get(SIGNATURE_HEADER))
            if problem:
                raise Refused(401, problem)
            if not self.budget.reserve(length):
                raise Refused(503, "busy: %d bytes of bodies are being received, max_pending_bytes is %d"
                              % (self.budget.reserved, self.budget.capacity))
        except (BadRequest, Refused) as exc:
            extra = [("Allow", "POST")] if exc.status == 405 else [("Retry-After", "1")] if exc.status == 503 else []
            await self._refuse(writer, peer, path, exc.status, exc.reason, extra=extra)
            return False
        keep_alive = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
        try:
            if headers.get("expect", "").lower() == "100-continue":  # curl and others wait for this before the body
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                await writer.drain()
            try:
                raw_body = await asyncio.wait_for(self._read_body(reader, length), timeout)
            except asyncio.IncompleteReadError as exc:
                self._disconnected(peer, "after %d of %d body bytes" % (len(exc.partial), length))
                return False
            except asyncio.TimeoutError:
                self._disconnected(peer, "silent for %s s in the middle of the body" % timeout, timed_out=True)
                return False
            try:
                payload, is_new = self.verifier.check(raw_body, headers, route)
            except Refused as exc:
                await self._refuse(writer, peer, path, exc.status, exc.reason, keep_alive=keep_alive)
                return keep_alive
        finally:
            self.budget.release(length)
        if not is_new:
            self.stats["duplicates"] += 1
            LOGGER.info("webhook_events: delivery %s on /%s is a repeat; answered 200, no second event",
                        shorten(payload["id"]), shorten(path.lstrip("/")))
            await self._answer(writer, 200, {"status": "duplicate", "id": payload["id"]}, keep_alive)
            return keep_alive
        meta = {"endpoint": path.lstrip("/"),
                "headers": dict((raw_names[k], v) for k, v in headers.items() if k != SIGNATURE_HEADER)}
        if route[0] is not None:
            meta["org"] = route[0]
        await self.queue.put({"payload": payload, "meta": meta})
        self.stats["accepted"] += 1
        LOGGER.debug("webhook_events: accepted %s %s", shorten(payload.get("eventType")), shorten(payload["id"]))
        await self._answer(writer, 202, {"status": "accepted", "id": payload["id"]}, keep_alive)
        return keep_alive

    @staticmethod
    async def _read_body(reader, length):
        """The body, read in chunks so the stream's own buffer stays small (the budget covers `length`)."""
        body = bytearray()
        while len(body) < length:
            chunk = await reader.read(min(READ_CHUNK, length - len(body)))
            if not chunk:
                raise asyncio.IncompleteReadError(bytes(body), length)
            body += chunk
        return body

    def _disconnected(self, peer, when, timed_out=False):
        self.stats["disconnected"] += 1
        LOGGER.warning("webhook_events: the client %s %s %s; no event", peer,
                       "was disconnected," if timed_out else "disconnected", when)

    async def _refuse(self, writer, peer, path, status, reason, keep_alive=False, extra=()):
        self.stats["refused"] += 1
        LOGGER.warning("webhook_events: refused a delivery from %s on /%s with %d: %s", peer,
                       shorten(path.lstrip("/")), status, reason)
        await self._answer(writer, status, {"status": "refused", "error": reason}, keep_alive, extra)

    @staticmethod
    async def _answer(writer, status, body, keep_alive, extra=()):
        data = json.dumps(body).encode("utf-8")
        lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Error")), "Content-Type: application/json",
                 "Content-Length: %d" % len(data), "Connection: %s" % ("keep-alive" if keep_alive else "close")]
        lines.extend("%s: %s" % pair for pair in extra)
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)
        await writer.drain()


async def main(queue, args):
    """ansible-rulebook entry point: listen until cancelled, one event per accepted delivery."""
    options = parse_options(args)
    if options.get("secret") is None and options.get("orgs") is None:
        LOGGER.warning("webhook_events: allow_unsigned is true and no secret is set: deliveries are NOT "
                       "verified (for local tests only)")
    listener = Listener(queue, options)
    server = await listener.start()
    try:
        async with server:
            await server.serve_forever()
    finally:
        LOGGER.info("webhook_events: stopping (%s)", ", ".join("%s=%d" % kv for kv in listener.stats.items()))


if __name__ == "__main__":
    # Run outside ansible-rulebook: print each event, e.g.
    #   python webhook_events.py '{"port": 18101, "allow_unsigned": true}'
    class _PrintQueue:
        async def put(self, event):
            print(json.dumps(event), flush=True)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}")))
