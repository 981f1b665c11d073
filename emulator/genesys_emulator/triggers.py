"""Process-automation triggers: `/api/v2/processautomation/triggers` (REAL_API.md §10), and the
workflow lookup `GET /api/v2/flows?type=workflow` they depend on.

A trigger names a topic (fixed for its life) and a published workflow; `matchCriteria` decide
which events start it. It carries `version` like a workitem schema (a stale one: 409 or 400).
Lists page by cursor (`after` / `before`).
"""

import base64
import binascii
import re
from urllib.parse import urlencode

from flask import Blueprint, jsonify, request

from .auth import require_scope
from .datatables import name_matcher
from .errors import ApiError
from .paging import page
from .realstate import (app_state, bad_request, check_text, created, is_int, no_content, not_yet_readable,
                        raise_stale, use_object_ids)
from .util import canonical_number, is_number, new_id, now_ts, read_json_body

bp = Blueprint("triggers", __name__, url_prefix="/api/v2/processautomation/triggers")
use_object_ids(bp)
flows_bp = Blueprint("flows", __name__, url_prefix="/api/v2/flows")

OPERATORS = ("GreaterThanOrEqual", "LessThanOrEqual", "Equal", "NotEqual", "LessThan", "GreaterThan", "NotIn",
             "In", "Contains", "All", "Exists", "Size")
LIST_OPERATORS = ("In", "NotIn", "All")
DATA_FORMATS = ("Json", "TopLevelPrimitives")
TRIGGER_KEYS = {"name", "topicName", "target", "matchCriteria", "enabled", "eventTTLSeconds", "delayBySeconds",
                "description", "version"}
READ_ONLY_KEYS = {"id", "selfUri", "dateCreated", "dateModified"}
MAX_NAME, MAX_DESCRIPTION, MAX_PAGE = 256, 512, 200
# A JSON path: `$`, `$.a.b[0]`, or bare `a.b[0]`.
_STEP = r"(?:[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])"
JSON_PATH_RE = re.compile(r"^(?:\$(?:\.%s|\[[0-9]+\])*|%s(?:\.%s|\[[0-9]+\])*)$" % (_STEP, _STEP, _STEP))


def trigger_not_found(trigger_id):
    return ApiError(404, "not.found", "No trigger has id %s." % trigger_id)


def get_trigger(state, trigger_id):
    trigger = state.triggers.get(trigger_id)
    if trigger is None:
        raise trigger_not_found(trigger_id)
    return trigger


def trigger_view(trigger):
    body = {"id": trigger["id"]}
    body.update((k, v) for k, v in trigger.items() if k != "id")
    body["target"] = dict(trigger["target"], workflowTargetSettings=dict(trigger["target"]["workflowTargetSettings"]))
    body["matchCriteria"] = [dict(c) for c in trigger["matchCriteria"]]
    body["selfUri"] = "/api/v2/processautomation/triggers/%s" % trigger["id"]
    return body


# -- validation ------------------------------------------------------------------------------------

def _criterion(i, raw, problems):
    at = "matchCriteria[%d]" % i
    if not isinstance(raw, dict):
        problems.append("%s must be an object" % at)
        return None
    unknown = sorted(k for k in raw if k not in ("jsonPath", "operator", "value", "values"))
    if unknown:
        problems.append("%s: unknown keys %s" % (at, ", ".join(unknown)))
    path, operator = raw.get("jsonPath"), raw.get("operator")
    if not isinstance(path, str) or not JSON_PATH_RE.match(path):
        problems.append("%s.jsonPath must be a JSON path like $.a.b[0] (or bare: a.b[0])" % at)
    if operator not in OPERATORS:
        problems.append("%s.operator must be one of %s" % (at, ", ".join(OPERATORS)))
        return None
    scalar = (str, int, float, bool)
    if operator in LIST_OPERATORS:
        values = raw.get("values")
        if "value" in raw or not isinstance(values, list) or not values \
                or not all(isinstance(v, scalar) and v is not None for v in values):
            problems.append("%s: %s takes values (a non-empty list) and no value" % (at, operator))
        return {"jsonPath": path, "operator": operator, "values": values}
    value = raw.get("value")
    if "values" in raw or "value" not in raw or not isinstance(value, scalar):
        problems.append("%s: %s takes value (a string, number or boolean) and no values" % (at, operator))
    elif operator == "Exists" and not isinstance(value, bool):
        problems.append("%s: Exists takes a boolean value" % at)
    elif operator == "Size" and not (is_int(value) and value >= 0):
        problems.append("%s: Size takes a whole number >= 0" % at)
    return {"jsonPath": path, "operator": operator, "value": value}


def parse_trigger(state, body):
    """Validate a POST or PUT body; returns the stored fields or raises 400 naming every problem."""
    if not isinstance(body, dict):
        raise ApiError(400, "bad.request", "The body must be a JSON object.")
    problems = ["unknown property %s" % k for k in sorted(body) if k not in TRIGGER_KEYS | READ_ONLY_KEYS]
    name = check_text(problems, body, "name", 1, MAX_NAME)
    if "version" in body and not is_int(body["version"]):
        problems.append("version must be a whole number")
    description = check_text(problems, body, "description", 0, MAX_DESCRIPTION, required=False)
    topic = body.get("topicName")
    if not isinstance(topic, str) or topic not in state.topics:
        problems.append("topicName must be a topic this org offers (GET .../triggers/topics)")
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        problems.append("enabled is required (a boolean)")
    target = _target(state, body.get("target"), problems)
    criteria = body.get("matchCriteria", [])
    if not isinstance(criteria, list):
        problems.append("matchCriteria must be a list")
        criteria = []
    criteria = [_criterion(i, c, problems) for i, c in enumerate(criteria)]
    ttl, delay = body.get("eventTTLSeconds"), body.get("delayBySeconds")
    if ttl is not None and delay is not None:
        problems.append("eventTTLSeconds and delayBySeconds are exclusive")
    if ttl is not None and not (is_int(ttl) and ttl >= 10):
        problems.append("eventTTLSeconds must be a whole number >= 10")
    if delay is not None and not (is_int(delay) and 60 <= delay <= 900):
        problems.append("delayBySeconds must be a whole number from 60 to 900")
    bad_request(problems)
    fields = {"name": name, "topicName": topic, "target": target, "matchCriteria": criteria, "enabled": enabled}
    if ttl is not None:
        fields["eventTTLSeconds"] = ttl
    if delay is not None:
        fields["delayBySeconds"] = delay
    if description is not None:
        fields["description"] = description
    return fields


def _target(state, raw, problems):
    if not isinstance(raw, dict):
        problems.append("target is required (an object)")
        return None
    unknown = sorted(k for k in raw if k not in ("type", "id", "workflowTargetSettings"))
    if unknown:
        problems.append("target: unknown keys %s" % ", ".join(unknown))
    if raw.get("type") != "Workflow":
        problems.append("target.type must be Workflow")
    workflow = state.workflows.get(raw.get("id")) if isinstance(raw.get("id"), str) else None
    if workflow is None:
        problems.append("target.id must be the id of a workflow (GET /api/v2/flows?type=workflow)")
    elif not workflow.get("publishedVersion"):
        problems.append("target.id names workflow %s, which is not published" % workflow["name"])
    settings = raw.get("workflowTargetSettings", {"dataFormat": "Json"})
    if not isinstance(settings, dict) or set(settings) - {"dataFormat"} \
            or settings.get("dataFormat", "Json") not in DATA_FORMATS:
        problems.append("target.workflowTargetSettings is {\"dataFormat\": %s}" % " | ".join(DATA_FORMATS))
        settings = {}
    return {"type": "Workflow", "id": raw.get("id"),
            "workflowTargetSettings": {"dataFormat": settings.get("dataFormat", "Json")}}


# -- cursor paging ---------------------------------------------------------------------------------

def _cursor(identity):
    return base64.urlsafe_b64encode(identity.encode("utf-8")).decode("ascii").rstrip("=")


def _uncursor(cursor):
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad.request", "Not a cursor: %r." % cursor[:40])


def cursor_page(items, identity, extra_query=None):
    """`{"entities", "nextUri"?, "previousUri"?}` for `pageSize` (1..200) and `after` / `before`."""
    raw = request.args.get("pageSize", "25")
    if not re.match(r"^[0-9]{1,3}$", raw) or not 1 <= int(raw) <= MAX_PAGE:
        raise ApiError(400, "invalid.page.size", "pageSize must be a whole number from 1 to %d." % MAX_PAGE)
    size = int(raw)
    after, before = request.args.get("after"), request.args.get("before")
    if after is not None and before is not None:
        raise ApiError(400, "bad.request", "Give after or before, not both.")
    ids = [identity(item) for item in items]

    def position(cursor):
        target = _uncursor(cursor)
        if target not in ids:
            raise ApiError(400, "bad.request", "The cursor names nothing in this list (it may have been deleted).")
        return ids.index(target)

    start = position(after) + 1 if after is not None else 0
    if before is not None:
        end = position(before)
        start = max(0, end - size)
    else:
        end = start + size
    entities = items[start:end]

    def uri(key, at):
        query = dict(extra_query or {})
        query.update({"pageSize": size, key: _cursor(ids[at])})
        return "%s?%s" % (request.path, urlencode(query))

    body = {"entities": entities}
    if end < len(items) and entities:
        body["nextUri"] = uri("after", end - 1)
    if start > 0 and entities:
        body["previousUri"] = uri("before", start)
    return body


# -- match criteria (POST .../test) ----------------------------------------------------------------

_ABSENT = object()


def resolve(event, path):
    steps = re.findall(r"\[([0-9]+)\]|([^.\[\]$]+)", path)
    value = event
    for index, key in steps:
        if key:
            value = value.get(key, _ABSENT) if isinstance(value, dict) else _ABSENT
        else:
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else _ABSENT
        if value is _ABSENT:
            break
    return value


def _same(a, b):
    if is_number(a) and is_number(b):
        return canonical_number(a) == canonical_number(b)
    return type(a) is type(b) and a == b


def matches(criterion, event):
    value, operator = resolve(event, criterion["jsonPath"]), criterion["operator"]
    if operator == "Exists":
        return (value is not _ABSENT) == criterion["value"]
    if value is _ABSENT:
        return False
    expected = criterion.get("value")
    if operator in ("Equal", "NotEqual"):
        return _same(value, expected) == (operator == "Equal")
    if operator in ("In", "NotIn"):
        return any(_same(value, v) for v in criterion["values"]) == (operator == "In")
    if operator == "All":
        return isinstance(value, list) and all(any(_same(item, v) for item in value) for v in criterion["values"])
    if operator == "Contains":
        if isinstance(value, str) and isinstance(expected, str):
            return expected in value
        return isinstance(value, list) and any(_same(item, expected) for item in value)
    if operator == "Size":
        return isinstance(value, (list, str, dict)) and len(value) == expected
    comparable = (is_number(value) and is_number(expected)) or (isinstance(value, str) and isinstance(expected, str))
    if not comparable:
        return False
    return {"GreaterThan": value > expected, "GreaterThanOrEqual": value >= expected,
            "LessThan": value < expected, "LessThanOrEqual": value <= expected}[operator]


# -- routes ----------------------------------------------------------------------------------------

@bp.get("")
def list_triggers():
    require_scope("process-automation:readonly")
    topic, enabled = request.args.get("topicName"), request.args.get("enabled")
    if enabled is not None and enabled not in ("true", "false"):
        raise ApiError(400, "bad.request", "enabled must be true or false.")
    state = app_state()
    with state.lock:
        items = [trigger_view(t) for t in state.triggers.values()
                 if (topic is None or t["topicName"] == topic) and (enabled is None or t["enabled"] == (enabled == "true"))]
    query = {key: request.args[key] for key in ("topicName", "enabled") if key in request.args}
    return jsonify(cursor_page(items, lambda t: t["id"], query))


@bp.get("/topics")
def list_topics():
    require_scope("process-automation:readonly")
    state = app_state()
    with state.lock:
        topics = list(state.topics)
    return jsonify(cursor_page(topics, lambda t: t))


@bp.post("")
def create_trigger():
    require_scope("process-automation")
    body = read_json_body()
    state = app_state()
    with state.lock:
        fields = parse_trigger(state, body)
        trigger = dict(fields, id=new_id(), version=1, dateCreated=now_ts())
        state.triggers[trigger["id"]] = trigger
        created(state, trigger["id"])
        state.save()
        return jsonify(trigger_view(trigger))


@bp.get("/<oid:trigger_id>")
def read_trigger(trigger_id):
    require_scope("process-automation:readonly")
    state = app_state()
    with state.lock:
        trigger = get_trigger(state, trigger_id)
        if not_yet_readable(state, trigger_id):
            raise trigger_not_found(trigger_id)
        return jsonify(trigger_view(trigger))


@bp.put("/<oid:trigger_id>")
def replace_trigger(trigger_id):
    require_scope("process-automation")
    body = read_json_body()
    state = app_state()
    with state.lock:
        trigger = get_trigger(state, trigger_id)
        sent = body.get("version") if isinstance(body, dict) else None
        if not is_int(sent):
            raise ApiError(400, "bad.request", "version is required: the version you read.")
        fields = parse_trigger(state, body)
        if sent != trigger["version"]:
            raise_stale(state, "trigger", trigger["name"], sent, trigger["version"])
        if fields["topicName"] != trigger["topicName"]:
            raise ApiError(400, "bad.request", "The topicName of a trigger cannot change (it is %s); create a new "
                                               "trigger for another topic." % trigger["topicName"])
        replaced = dict(fields, id=trigger_id, version=trigger["version"] + 1, dateCreated=trigger["dateCreated"],
                        dateModified=now_ts())
        state.triggers[trigger_id] = replaced
        state.save()
        return jsonify(trigger_view(replaced))


@bp.delete("/<oid:trigger_id>")
def delete_trigger(trigger_id):
    require_scope("process-automation")
    state = app_state()
    with state.lock:
        get_trigger(state, trigger_id)
        del state.triggers[trigger_id]
        state.unread.pop(trigger_id, None)
        state.save()
    return no_content()


@bp.post("/<oid:trigger_id>/test")
def test_trigger(trigger_id):
    require_scope("process-automation:readonly")
    event = read_json_body()
    if not isinstance(event, dict):
        raise ApiError(400, "bad.request", "The body is an event: a JSON object.")
    state = app_state()
    with state.lock:
        trigger = get_trigger(state, trigger_id)
        results = [dict(c, matches=matches(c, event)) for c in trigger["matchCriteria"]]
    return jsonify({"triggerMatches": all(r["matches"] for r in results), "matchCriteria": results})


@flows_bp.get("")
def list_flows():
    """The org's flows; the emulator has workflows only (added by the /_emulator/workflows control)."""
    require_scope("architect:readonly")
    kind, pattern = request.args.get("type"), request.args.get("name")
    matches_name = name_matcher(pattern) if pattern is not None else (lambda _: True)
    state = app_state()
    with state.lock:
        items = [dict(w) for w in state.workflows.values()
                 if kind in (None, "workflow") and matches_name(w["name"])]
    query = {key: request.args[key] for key in ("type", "name") if key in request.args}
    return jsonify(page(items, 100, query or None))
