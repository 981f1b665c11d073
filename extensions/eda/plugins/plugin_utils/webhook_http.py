"""Helpers of the genesys.cloud.webhook_events event source: its options, the HTTP head, the signature,
the timestamp window, the replay memory, a JSON nesting limit and the byte budget of bodies in flight.

ansible-rulebook runs an event source file with runpy.run_path, so a source cannot import a sibling
module by name; webhook_events.py loads this file by its path (next to it in the collection) instead.
Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import OrderedDict
from datetime import datetime, timezone

SIGNATURE_HEADER = "x-genesys-signature"
SIGNATURE_PREFIX = "sha256="
SIGNATURE_FORM = re.compile(r"sha256=[0-9a-fA-F]{64}")
MAX_HEADER_BYTES = 65536
MAX_HEADER_COUNT = 100
MAX_JSON_DEPTH = 32
ORG_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
ORG_PATH_PREFIX = "/orgs/"
DEFAULTS = {
    "host": "127.0.0.1",
    "allow_unsigned": False,
    "max_body_bytes": 1048576,
    "max_pending_bytes": 16777216,
    "max_connections": 64,
    "timestamp_tolerance": 300,
    "replay_memory": 20000,
    "read_timeout": 30.0,
}
KNOWN_OPTIONS = ("host", "port", "secret", "org", "orgs", "allow_unsigned", "certfile", "keyfile", "password",
                 "max_body_bytes", "max_pending_bytes", "max_connections", "timestamp_tolerance", "replay_memory",
                 "read_timeout")


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


def _org_name(option, name):
    if not isinstance(name, str) or not ORG_NAME.fullmatch(name):
        raise ValueError("webhook_events: option '%s' must name one inventory host (letters, digits, '_', '.', '-'; "
                         "no host pattern), got %s" % (option, shorten(name)))
    return name


def _orgs(value):
    """The checked `orgs` option: {inventory host: its webhook's secret}, each secret its own."""
    if not isinstance(value, dict) or not value:
        raise ValueError("webhook_events: option 'orgs' must map each org (an inventory host) to the secret of "
                         "its webhook, e.g. {acme: \"{{ acme_webhook_secret }}\"}")
    owners = {}
    for name, secret in value.items():
        _org_name("orgs", name)
        if not isinstance(secret, str) or not secret:
            raise ValueError("webhook_events: option 'orgs': the secret of %s must be a non-empty string" % name)
        if secret in owners:
            raise ValueError("webhook_events: option 'orgs': %s and %s have the same secret; give each org's "
                             "webhook its own, or a delivery signed for one could be sent to the other's path"
                             % (owners[secret], name))
        owners[secret] = name
    return dict(value)


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
    for name in ("max_body_bytes", "max_pending_bytes", "max_connections", "timestamp_tolerance", "replay_memory"):
        options[name] = _number(name, options[name], int, 1)
    if options["max_pending_bytes"] < options["max_body_bytes"]:
        raise ValueError("webhook_events: option 'max_pending_bytes' (%d) must be at least max_body_bytes (%d)"
                         % (options["max_pending_bytes"], options["max_body_bytes"]))
    options["read_timeout"] = _number("read_timeout", options["read_timeout"], float, 0.1)
    for name in ("host", "secret", "certfile", "keyfile", "password"):
        if name in options and not isinstance(options[name], str):
            raise ValueError("webhook_events: option '%s' must be a string" % name)
    if "org" in options:
        _org_name("org", options["org"])
    if "orgs" in options:
        for other in ("org", "secret"):
            if other in options:
                raise ValueError("webhook_events: give either 'orgs' (one path and secret per org) or '%s', not both"
                                 % other)
        options["orgs"] = _orgs(options["orgs"])
    else:
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


# -- signature, timestamp, replay memory ------------------------------------------------------

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


def signature_problem(header):
    """Why a signature header cannot be a signature (None when it has the right form); needs no body."""
    if not header:
        return "no X-Genesys-Signature header (the webhook has no secret, or is not ours)"
    if not SIGNATURE_FORM.fullmatch(header.strip()):
        return "X-Genesys-Signature %s is not sha256=<64 hex digits>" % shorten(header, 16)
    return None


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


def load_json(raw, max_depth=MAX_JSON_DEPTH):
    """The JSON value of `raw`; ValueError (with a short reason) when it is not JSON or nests too deep."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError("it nests arrays or objects deeper than %d levels" % max_depth) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(shorten(str(exc), 60)) from None
    level = [value]
    for _depth in range(max_depth):  # one pass per level: the last one must find no container left
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return value
    raise ValueError("it nests arrays or objects deeper than %d levels" % max_depth)


# -- HTTP ------------------------------------------------------------------------------------

class BadRequest(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def parse_head(head):
    """`(method, target, version, headers, raw_names)` from the request head; raises BadRequest.

    `headers` maps lower-case names to values, `raw_names` lower-case names to the names as sent.
    """
    text = head.decode("latin-1")  # decodes every byte
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


def content_length(text, maximum):
    """The body size a Content-Length value declares; BadRequest 400 (not ASCII digits) or 413 (over maximum)."""
    if not text or not text.isascii() or not text.isdigit():
        raise BadRequest(400, "Content-Length %s is not a number of bytes" % shorten(text))
    if len(text.lstrip("0")) > len(str(maximum)) or int(text) > maximum:
        raise BadRequest(413, "Content-Length %s is more than max_body_bytes (%d)" % (shorten(text, 20), maximum))
    return int(text)


class ByteBudget:
    """The bytes that the bodies being received may hold together; a body is read only once reserved."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.reserved = 0

    def reserve(self, size):
        if self.reserved + size > self.capacity:
            return False
        self.reserved += size
        return True

    def release(self, size):
        self.reserved -= size
