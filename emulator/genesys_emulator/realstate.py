"""State and shared helpers of the real-object endpoints (shared/contract/REAL_API.md).

Architect data tables, task-management workitem schemas and process-automation triggers keep
their data on the same `State` (and under its one lock) as the seed objects; `reset_real`
(called by `State.reset`) gives them their start-up values. The test controls of these objects
(limits, tables in use, read-after-create 404s, published workflows, stale-version answers)
live in realcontrol.py; the helpers the handlers share live here.
"""

import zlib

from flask import current_app, request
from werkzeug.routing import BaseConverter

from .errors import ApiError

#: The documented limits (REAL_API.md), settable through /_emulator/limits.
DEFAULT_LIMITS = {
    "max_rows": 5000,            # rows a data table
    "max_properties": 50,        # properties a data table, besides `key`
    "max_tables": 200,           # data tables an org
    "max_schemas": 100,          # workitem schemas an org (deleted ones do not count)
    "max_schema_properties": 50,  # properties a workitem schema
}

#: The process-automation topics an org offers until a control replaces them.
DEFAULT_TOPICS = (
    "v2.taskmanagement.workitems.{id}",
    "v2.taskmanagement.workitems.queues.{id}",
    "v2.detail.events.conversation.{id}.customer.start",
    "v2.detail.events.conversation.{id}.customer.end",
    "v2.detail.events.conversation.{id}.acw",
    "v2.detail.events.conversation.{id}.user.end",
)

#: The division every data table lands in unless it names one (each emulator is one org).
HOME_DIVISION_ID = "9e8a5b0c-6d8f-4b1e-9d3c-6a0f3b8e1c2d"

STALE_KINDS = ("workitem_schema", "trigger")
STALE_STATUSES = (409, 400)
STALE_MESSAGE = "The version %s does not match the current version %d."


def reset_real(state):
    """The start-up values of every real-object collection (the caller holds state.lock)."""
    state.datatables = {}      # id -> {"id", "name", "description", "division", "schema"}
    state.datatable_rows = {}  # table id -> {key -> stored row}
    state.import_jobs = {}     # job id -> job (with its table id and upload secret)
    state.tables_in_use = set()
    state.workitem_schemas = {}  # id -> {"id", "name", "deleted", "versions": [schema, ...]}
    state.triggers = {}        # id -> trigger
    state.workflows = {}       # id -> {"id", "name", "type": "workflow", "publishedVersion"}
    state.topics = list(DEFAULT_TOPICS)
    state.limits = dict(DEFAULT_LIMITS)
    state.read_after_create = 0  # reads by id that answer 404 after each create
    state.unread = {}            # object id -> 404s still to give
    state.stale_answers = {kind: {"default": None, "names": {}} for kind in STALE_KINDS}


def dump_real(state):
    return {"datatables": list(state.datatables.values()),
            "datatable_rows": {tid: sorted(rows.values(), key=lambda r: r["key"])
                               for tid, rows in state.datatable_rows.items()},
            "workitem_schemas": list(state.workitem_schemas.values()),
            "triggers": list(state.triggers.values()),
            "workflows": list(state.workflows.values())}


def parse_real(doc):
    """The real-object attributes of a state document (KeyError/TypeError/AttributeError when malformed)."""
    tables = {t["id"]: t for t in doc.get("datatables", [])}
    rows = {tid: {r["key"]: r for r in stored} for tid, stored in doc.get("datatable_rows", {}).items()}
    for tid in tables:
        rows.setdefault(tid, {})
    return {"datatables": tables, "datatable_rows": rows,
            "workitem_schemas": {s["id"]: s for s in doc.get("workitem_schemas", [])},
            "triggers": {t["id"]: t for t in doc.get("triggers", [])},
            "workflows": {w["id"]: w for w in doc.get("workflows", [])},
            "import_jobs": {}, "tables_in_use": set(), "unread": {}}


# -- helpers the handlers share --------------------------------------------------------------

class ObjectIdConverter(BaseConverter):
    """A path segment naming an object, other than the collection's fixed sub-paths (`limits`,
    `topics`): so `/schemas/limits` is only the limits endpoint, with only its own methods."""

    regex = r"(?!limits$|topics$)[^/]+"


def use_object_ids(blueprint):
    """Make `<oid:...>` available to the blueprint's routes."""
    blueprint.record_once(lambda setup: setup.app.url_map.converters.setdefault("oid", ObjectIdConverter))


def app_state():
    return current_app.extensions["genesys_emulator"]


def no_content():
    return current_app.response_class(status=204)


def flag(name, default):
    """A true/false query parameter (anything else is 400 bad.request)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise ApiError(400, "bad.request", "%s must be true or false, not %r." % (name, raw[:40]))


def created(state, object_id):
    """Note a new object: its next `read_after_create` reads by id answer 404."""
    if state.read_after_create:
        state.unread[object_id] = state.read_after_create


def not_yet_readable(state, object_id):
    """True (and one 404 used up) while a newly created object is still invisible to reads by id."""
    left = state.unread.get(object_id, 0)
    if left <= 0:
        return False
    if left == 1:
        del state.unread[object_id]
    else:
        state.unread[object_id] = left - 1
    return True


def stale_status(state, kind, name):
    """409 or 400 for a stale version of the workitem schema or trigger called `name`.

    A control may fix the answer for one name or for all; otherwise it is decided by the name
    (a CRC of its lower-cased form), so that both answers occur and a given name always gets
    the same one.
    """
    answers = state.stale_answers[kind]
    status = answers["names"].get(name.lower()) or answers["default"]
    if status is None:
        status = STALE_STATUSES[zlib.crc32(name.lower().encode("utf-8")) % 2]
    return status


def raise_stale(state, kind, name, sent, current):
    status = stale_status(state, kind, name)
    message = STALE_MESSAGE % (sent, current)
    if status == 409:
        raise ApiError(409, "version.mismatch", message, details=[{"currentVersion": current}])
    raise ApiError(400, "bad.request", message, details=[{"currentVersion": current}])


def check_text(problems, body, key, low, high, required=True):
    """Append a problem unless body[key] is a string of low..high characters (absent: only if optional)."""
    value = body.get(key)
    if value is None:
        if required:
            problems.append("%s is required" % key)
        return None
    if not isinstance(value, str):
        problems.append("%s must be a string" % key)
        return None
    if not low <= len(value) <= high:
        problems.append("%s must be %d to %d characters (it has %d)" % (key, low, high, len(value)))
    return value


def bad_request(problems, code="bad.request"):
    if problems:
        raise ApiError(400, code, "; ".join(problems) + ".",
                       errors=[{"code": code, "message": p} for p in problems])


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)
