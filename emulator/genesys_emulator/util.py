"""Small helpers shared by the handlers: timestamps, ids, value formats and strict JSON bodies."""

import json
import math
import re
import uuid
from datetime import date, datetime, timezone

from flask import request

from .errors import ApiError, error_entry

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
RECORD_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
MAX_BODY_BYTES = 2 * 1024 * 1024


def now_ts():
    """The current time as RFC 3339 UTC with milliseconds and a Z."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)


def new_id():
    return str(uuid.uuid4())


def is_date(value):
    """True for `YYYY-MM-DD` or an RFC 3339 date-time string that names a real instant."""
    if not isinstance(value, str):
        return False
    try:
        if _DATE_RE.match(value):
            date.fromisoformat(value)
            return True
        if _DATETIME_RE.match(value):
            datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            return True
    except ValueError:
        return False
    return False


def is_number(value):
    """JSON numbers only: booleans are not numbers, and NaN/infinity are not allowed."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def parse_number(text):
    """Parse a string that spells a number, or return None."""
    if not isinstance(text, str) or not _NUMBER_RE.match(text):
        return None
    if re.match(r"^-?\d+$", text):
        return int(text)
    value = float(text)
    return canonical_number(value) if math.isfinite(value) else None


def canonical_number(value):
    """Integral floats become ints so that 1 and 1.0 compare and print alike."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return value


def number_to_string(value):
    return json.dumps(canonical_number(value))


def read_json_body(required=True):
    """The request body as JSON, strictly: a body over 2 MiB is 413, anything not JSON is 400."""
    data = request.get_data(cache=True)
    if len(data) > MAX_BODY_BYTES:
        raise ApiError(413, "payload.too.large",
                       "The request body is %d bytes; at most %d are allowed." % (len(data), MAX_BODY_BYTES))
    mimetype = request.mimetype
    if data and mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(415, "unsupported.media.type", "Bodies must be application/json, not %s." % mimetype)
    if not data:
        if required:
            raise ApiError(400, "bad.request", "A JSON body is required.")
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "bad.request", "The body is not valid JSON: %s" % exc)


def require_object(body, what="The body"):
    if not isinstance(body, dict):
        raise ApiError(400, "bad.request", "%s must be a JSON object." % what)
    return body


def reject_unknown_keys(obj, allowed, prefix=""):
    """Unknown properties are a client error (400), reported all at once."""
    unknown = sorted(k for k in obj if k not in allowed)
    if unknown:
        raise ApiError(400, "bad.request", "Unknown properties: %s." % ", ".join(prefix + k for k in unknown),
                       errors=[error_entry("unknown.property", "Unknown property.", field=prefix + k)
                               for k in unknown])
