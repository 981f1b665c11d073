"""genesys.cloud.webhook_events: an ansible-rulebook event source for Genesys Cloud webhook deliveries.

The listener is built on asyncio streams from the standard library, so it runs in ansible-rulebook's own
event loop (events go straight onto its asyncio queue, no thread hand-off) and needs no package that
ansible-rulebook does not already bring. It speaks just enough HTTP/1.1 for webhook senders: POST with a
Content-Length body, persistent connections, no chunked bodies.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import ssl
import time
from collections import OrderedDict
from datetime import datetime, timezone

DOCUMENTATION = r"""
---
author:
  - genesys.cloud contributors
short_description: Receive Genesys Cloud webhook deliveries as events
description:
  - An ansible-rulebook event source that listens over HTTP or HTTPS for the deliveries of one or
    more Genesys Cloud webhooks (schema and custom-object record changes), on any path.
  - Each delivery is checked before it becomes an event, in this order. A body larger than
    O(max_body_bytes) is refused with 413 before it is read. The C(X-Genesys-Signature) header must be
    C(sha256=) and the hex HMAC-SHA256 of the raw body under O(secret), compared in constant time;
    otherwise 401. A body that is not a JSON object with a string C(id) and an RFC 3339 C(timestamp)
    gets 400. A C(timestamp) further than O(timestamp_tolerance) seconds from the listener's clock
    gets 422. A delivery whose C(id) was already accepted (a retry) gets 200 and no second event.
  - An accepted delivery is answered 202 and becomes one event. C(event.payload) is the delivery
    body (C(id), C(eventType), C(timestamp), C(webhookId), C(actor), C(data)). C(event.meta.endpoint) is
    the request path without the leading slash and query, and C(event.meta.headers) the request
    headers without C(X-Genesys-Signature).
  - Every refused delivery is logged at warning level with its reason; values sent by the client are
    shortened, and the secret is never logged.
  - Other answers. Methods other than POST get 405, a request without C(Content-Length) (or with
    C(Transfer-Encoding)) 411, a non-JSON C(Content-Type) 415, headers over 64 KiB 431.
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
        webhook), used to verify C(X-Genesys-Signature).
      - Required unless O(allow_unsigned=true). Keep it in a vault and pass it as a variable.
    type: str
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
      - The key is the pair (C(webhookId), C(id)), so one event delivered to two webhooks is two events.
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
    at this listener and giving it the same O(secret).
  - Only the Python standard library is used; the plugin runs wherever ansible-rulebook runs.
  - Combine with the P(genesys.cloud.not_from_clients#event_filter) event filter to ignore changes
    made by the automation's own OAuth client.
"""

EXAMPLES = r"""
- name: React to Genesys Cloud schema changes
  hosts: all
  sources:
    - genesys.cloud.webhook_events:
        host: 0.0.0.0
        port: 8443
        certfile: /etc/eda/tls/listener.pem
        keyfile: /etc/eda/tls/listener.key
        secret: "{{ genesys_webhook_secret }}"
      filters:
        - genesys.cloud.not_from_clients:
            client_ids_env: GENESYSCLOUD_OAUTHCLIENT_ID
  rules:
    - name: Show every schema change
      condition: event.payload.eventType is match("data.flex.schema.")
      action:
        debug:
          msg: "{{ event.payload.data.schemaName }} changed ({{ event.meta.endpoint }})"
"""

LOGGER = logging.getLogger("genesys.cloud.webhook_events")

SIGNATURE_HEADER = "x-genesys-signature"
SIGNATURE_PREFIX = "sha256="
MAX_HEADER_BYTES = 65536
MAX_HEADER_COUNT = 100
DEFAULTS = {
    "host": "127.0.0.1",
    "allow_unsigned": False,
    "max_body_bytes": 1048576,
    "timestamp_tolerance": 300,
    "replay_memory": 20000,
    "read_timeout": 30.0,
}
REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
           405: "Method Not Allowed", 408: "Request Timeout", 411: "Length Required",
           413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
           431: "Request Header Fields Too Large", 500: "Internal Server Error"}
KNOWN_OPTIONS = ("host", "port", "secret", "allow_unsigned", "certfile", "keyfile", "password",
                 "max_body_bytes", "timestamp_tolerance", "replay_memory", "read_timeout")


def shorten(value, limit=40):
    """A printable, short form of a client-sent value for logs and answers."""
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[:limit] + "..."


# -- options --------------------------------------------------------------------------------

def _bool(name, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
        return value.strip().lower() in ("true", "yes", "on", "1")
    raise ValueError("webhook_events: option '%s' must be true or false, got %s" % (name, shorten(value)))


def _number(name, value, kind, minimum):
    if isinstance(value, bool):
        raise ValueError("webhook_events: option '%s' must be a number, got %s" % (name, shorten(value)))
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError("webhook_events: option '%s' must be a number, got %s" % (name, shorten(value))) from None
    if number < minimum:
        raise ValueError("webhook_events: option '%s' must be at least %s, got %s" % (name, minimum, number))
    return number


def parse_options(args):
    """The checked options from the rulebook's source arguments; raises ValueError naming the option."""
    args = dict(args or {})
    args.pop("eda_feedback_queue", None)  # added by ansible-rulebook, not a user option
    unknown = sorted(k for k in args if k not in KNOWN_OPTIONS)
    if unknown:
        raise ValueError("webhook_events: unknown option(s) %s; the options are %s"
                         % (", ".join(shorten(k) for k in unknown), ", ".join(KNOWN_OPTIONS)))
    options = dict(DEFAULTS)
    options.update({k: v for k, v in args.items() if v is not None})
    if "port" not in options:
        raise ValueError("webhook_events: option 'port' is required (the TCP port to listen on)")
    options["port"] = _number("port", options["port"], int, 0)
    if options["port"] > 65535:
        raise ValueError("webhook_events: option 'port' must be at most 65535, got %d" % options["port"])
    options["allow_unsigned"] = _bool("allow_unsigned", options["allow_unsigned"])
    options["max_body_bytes"] = _number("max_body_bytes", options["max_body_bytes"], int, 1)
    options["timestamp_tolerance"] = _number("timestamp_tolerance", options["timestamp_tolerance"], int, 1)
    options["replay_memory"] = _number("replay_memory", options["replay_memory"], int, 1)
    options["read_timeout"] = _number("read_timeout", options["read_timeout"], float, 0.1)
    for name in ("host", "secret", "certfile", "keyfile", "password"):
        if name in options and not isinstance(options[name], str):
            raise ValueError("webhook_events: option '%s' must be a string" % name)
    secret = options.get("secret")
    if secret == "":
        raise ValueError("webhook_events: option 'secret' is empty; give the webhook's secret "
                         "(or leave it out and set allow_unsigned: true, for local tests only)")
    if secret is None and not options["allow_unsigned"]:
        raise ValueError("webhook_events: option 'secret' is required: give the webhook's signing secret "
                         "(or set allow_unsigned: true, for local tests only)")
    if "keyfile" in options and "certfile" not in options:
        raise ValueError("webhook_events: option 'keyfile' needs 'certfile' (the certificate it belongs to)")
    return options


# -- the checks on one delivery ---------------------------------------------------------------

def expected_signature(secret, raw_body):
    """`sha256=<hex HMAC-SHA256(secret, raw body)>`, as the service computes it."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return SIGNATURE_PREFIX + hmac.new(key, raw_body, hashlib.sha256).hexdigest()


def signature_matches(secret, raw_body, header):
    """True when `header` is the body's signature under `secret` (constant-time compare)."""
    if not isinstance(header, str) or not header:
        return False
    try:
        given = header.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(given, expected_signature(secret, raw_body).encode("ascii"))


def parse_timestamp(text):
    """Seconds since the epoch from an RFC 3339 timestamp with a zone (`...Z` or `+hh:mm`)."""
    if not isinstance(text, str) or not 10 < len(text) < 40:
        raise ValueError("not an RFC 3339 timestamp")
    value = text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not an RFC 3339 timestamp") from None
    if moment.tzinfo is None:
        raise ValueError("the timestamp has no time zone")
    return moment.astimezone(timezone.utc).timestamp()


def within_window(stamp, now, tolerance):
    """True when `stamp` is at most `tolerance` seconds before or after `now`."""
    return abs(now - stamp) <= tolerance


class RecentIds:
    """The ids of recently accepted deliveries, bounded in count; each is kept until it expires."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.entries = OrderedDict()  # key -> expiry (seconds since the epoch)
        self.evicted_early = 0

    def __len__(self):
        return len(self.entries)

    def seen(self, key):
        return key in self.entries

    def remember(self, key, expires, now):
        while self.entries:
            first_key, first_expiry = next(iter(self.entries.items()))
            if first_expiry > now and len(self.entries) < self.capacity:
                break
            if first_expiry > now:
                self.evicted_early += 1
            del self.entries[first_key]
        self.entries[key] = expires


class Refused(Exception):
    """A delivery answered with a 4xx status and no event."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Verifier:
    """Turns one received delivery (raw body, headers) into an event, a duplicate, or a refusal."""

    def __init__(self, options, clock=time.time):
        self.secret = options.get("secret")
        self.tolerance = options["timestamp_tolerance"]
        self.max_body = options["max_body_bytes"]
        self.recent = RecentIds(options["replay_memory"])
        self.clock = clock

    def check(self, raw_body, headers):
        """`(payload, is_new)` for an acceptable delivery; raises Refused otherwise.

        `headers` maps lower-case header names to values.
        """
        if len(raw_body) > self.max_body:
            raise Refused(413, "the body has %d bytes, more than max_body_bytes (%d)" % (len(raw_body), self.max_body))
        if self.secret is not None:
            header = headers.get(SIGNATURE_HEADER)
            if not header:
                raise Refused(401, "no X-Genesys-Signature header (the webhook has no secret, or is not ours)")
            if not signature_matches(self.secret, raw_body, header):
                raise Refused(401, "X-Genesys-Signature %s does not match the body (wrong secret or altered body)"
                              % shorten(header, 16))
        try:
            payload = json.loads(raw_body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise Refused(400, "the body is not JSON (%s)" % shorten(str(exc), 60)) from None
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
        key = (payload.get("webhookId"), delivery_id)
        if self.recent.seen(key):
            return payload, False
        self.recent.remember(key, max(now, stamp) + self.tolerance, now)
        return payload, True


# -- HTTP --------------------------------------------------------------------------------------

class BadRequest(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def parse_head(head):
    """`(method, target, version, headers, raw_names)` from the request head; raises BadRequest.

    `headers` maps lower-case names to values, `raw_names` lower-case names to the names as sent.
    """
    try:
        text = head.decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        raise BadRequest(400, "undecodable request head") from None
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(400, "malformed request line %s" % shorten(lines[0]))
    headers, raw_names = {}, {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise BadRequest(400, "malformed header line %s" % shorten(line))
        key = name.lower()
        if key in headers and key in ("content-length", "transfer-encoding"):
            raise BadRequest(400, "repeated %s header" % name)
        headers[key] = value.strip()
        raw_names[key] = name
        if len(headers) > MAX_HEADER_COUNT:
            raise BadRequest(431, "more than %d headers" % MAX_HEADER_COUNT)
    return parts[0], parts[1], parts[2], headers, raw_names


class Listener:
    """Serves the webhook endpoint(s) and puts one event per accepted delivery on the queue."""

    def __init__(self, queue, options, clock=time.time):
        self.queue = queue
        self.options = options
        self.verifier = Verifier(options, clock=clock)
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
        try:
            while await self._one_request(reader, writer, peer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        except Exception:  # pylint: disable=broad-except  # one bad connection never stops the source
            LOGGER.exception("webhook_events: unexpected error on the connection from %s", peer)
        finally:
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
        try:
            method, target, version, headers, raw_names = parse_head(head[:-4])
        except BadRequest as exc:
            await self._refuse(writer, peer, "", exc.status, exc.reason)
            return False
        path = target.split("?", 1)[0]
        keep_alive = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
        if method != "POST":
            await self._refuse(writer, peer, path, 405, "method %s (only POST)" % shorten(method, 10),
                               extra=[("Allow", "POST")])
            return False
        if "transfer-encoding" in headers or "content-length" not in headers:
            await self._refuse(writer, peer, path, 411, "no Content-Length (chunked bodies are not accepted)")
            return False
        length_text = headers["content-length"]
        if not length_text.isdigit():
            await self._refuse(writer, peer, path, 400, "Content-Length %s is not a number" % shorten(length_text))
            return False
        length = int(length_text)
        if length > self.options["max_body_bytes"]:
            await self._refuse(writer, peer, path, 413, "Content-Length %d is more than max_body_bytes (%d)"
                               % (length, self.options["max_body_bytes"]))
            return False
        content_type = headers.get("content-type", "application/json").split(";", 1)[0].strip().lower()
        if content_type != "application/json" and not content_type.endswith("+json"):
            await self._refuse(writer, peer, path, 415, "Content-Type %s (expected application/json)"
                               % shorten(content_type))
            return False
        if headers.get("expect", "").lower() == "100-continue":  # curl and others wait for this before the body
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
        try:
            raw_body = await asyncio.wait_for(reader.readexactly(length), timeout)
        except asyncio.IncompleteReadError as exc:
            self._disconnected(peer, "after %d of %d body bytes" % (len(exc.partial), length))
            return False
        except asyncio.TimeoutError:
            self._disconnected(peer, "silent for %s s in the middle of the body" % timeout, timed_out=True)
            return False
        try:
            payload, is_new = self.verifier.check(raw_body, headers)
        except Refused as exc:
            await self._refuse(writer, peer, path, exc.status, exc.reason, keep_alive=keep_alive)
            return keep_alive
        if not is_new:
            self.stats["duplicates"] += 1
            LOGGER.info("webhook_events: delivery %s on /%s is a repeat; answered 200, no second event",
                        shorten(payload["id"]), shorten(path.lstrip("/")))
            await self._answer(writer, 200, {"status": "duplicate", "id": payload["id"]}, keep_alive)
            return keep_alive
        meta_headers = dict((raw_names[k], v) for k, v in headers.items() if k != SIGNATURE_HEADER)
        await self.queue.put({"payload": payload, "meta": {"endpoint": path.lstrip("/"), "headers": meta_headers}})
        self.stats["accepted"] += 1
        LOGGER.debug("webhook_events: accepted %s %s", shorten(payload.get("eventType")), shorten(payload["id"]))
        await self._answer(writer, 202, {"status": "accepted", "id": payload["id"]}, keep_alive)
        return keep_alive

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
    if options.get("secret") is None:
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
    import sys

    class _PrintQueue:
        async def put(self, event):
            print(json.dumps(event), flush=True)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}")))
