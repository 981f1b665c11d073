"""The /api/v2 routes: thin handlers over the schema, record and webhook logic.

Authentication and rate limiting already happened in app.py; each handler checks its scope,
reads its body (outside the lock: a slow client must not stall the others), then does its
work under the state lock.
"""

import json
import re

from flask import Blueprint, current_app, g, jsonify, request

from . import records as rec
from . import schemas as sch
from . import webhooks as wh
from .auth import require_scope
from .errors import ApiError
from .paging import page
from .util import read_json_body, require_object

bp = Blueprint("api", __name__, url_prefix="/api/v2")

SCHEMAS = "/data/flex/schemas"
RECORDS = "/customobjects/<schema_name>/records"
WEBHOOKS = "/platform/webhooks"
_IF_MATCH_RE = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def _state():
    return current_app.extensions["genesys_emulator"]


def _with_etag(body, version, status=200):
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = '"%d"' % version
    return response


def _created(body, location):
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def _no_content():
    return current_app.response_class(status=204)


def _flag(name):
    raw = request.args.get(name)
    if raw is None or raw.lower() == "false":
        return False
    if raw.lower() == "true":
        return True
    raise ApiError(400, "bad.request", "%s must be true or false." % name)


# -- the organization -------------------------------------------------------------------------
@bp.get("/organizations/me")
def organization_me():
    """The org the token's client belongs to (any valid token, no scope): each emulator is one org."""
    state = _state()
    with state.lock:
        org = dict(state.organization)
    short = re.sub(r"[^a-z0-9]+", "", org["name"].lower()) or "org"
    return jsonify({"id": org["id"], "name": org["name"], "thirdPartyOrgName": short,
                    "domain": "%s.example" % short, "selfUri": "/api/v2/organizations/%s" % org["id"]})


# -- flex schemas -----------------------------------------------------------------------------

@bp.get(SCHEMAS)
def list_schemas():
    require_scope("data:flex:read")
    name = request.args.get("name")
    state = _state()
    with state.lock:
        items = [sch.schema_view(s) for s in state.schemas.values()
                 if name is None or s["name"].lower() == name.lower()]
    return jsonify(page(items, 100, {"name": name} if name is not None else None))


@bp.post(SCHEMAS)
def create_schema():
    require_scope("data:flex:schema:write")
    body = read_json_body()
    state = _state()
    with state.lock:
        schema = sch.create_schema(state, body)
        view = sch.schema_view(schema)
    response = _with_etag(view, 1, status=201)
    response.headers["Location"] = view["selfUri"]
    return response


@bp.get(SCHEMAS + "/<schema_id>")
def get_schema(schema_id):
    require_scope("data:flex:read")
    state = _state()
    with state.lock:
        schema = sch.get_schema(state, schema_id)
        return _with_etag(sch.schema_view(schema), schema["version"])


@bp.put(SCHEMAS + "/<schema_id>")
def update_schema(schema_id):
    require_scope("data:flex:schema:write")
    if_match = request.headers.get("If-Match")
    if if_match is None:
        raise ApiError(428, "precondition.required", 'Send If-Match: "<version>" with the version you read.')
    match = _IF_MATCH_RE.match(if_match)
    if match is None:
        raise ApiError(400, "bad.request", 'If-Match must be "<version>", not %s.' % if_match)
    expected = int(match.group(1))
    body = require_object(read_json_body())
    version = body.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ApiError(400, "bad.request", "version must be an integer.")
    if version is not None and version != expected:
        raise ApiError(400, "version.conflict", "The body's version %r differs from If-Match %s."
                       % (version, if_match))
    state = _state()
    with state.lock:
        schema = sch.get_schema(state, schema_id)
        if schema["version"] != expected:
            raise ApiError(409, "version.mismatch", "The schema is at version %d, not %d: it changed since it was read."
                           % (schema["version"], expected), details=[{"currentVersion": schema["version"]}])
        schema = sch.update_schema(state, schema, body)
        return _with_etag(sch.schema_view(schema), schema["version"])


@bp.delete(SCHEMAS + "/<schema_id>")
def delete_schema(schema_id):
    require_scope("data:flex:schema:write")
    force = _flag("force")
    state = _state()
    with state.lock:
        sch.delete_schema(state, sch.get_schema(state, schema_id), force=force)
    return _no_content()


# -- custom-object records --------------------------------------------------------------------

@bp.get(RECORDS)
def list_records(schema_name):
    require_scope("customobject:record:read")
    state = _state()
    with state.lock:
        schema = rec.find_schema(state, schema_name)
        index = state.index_of(schema["id"])
        # ids in sorted order from the maintained index; only the requested page is rendered,
        # each record from the JSON text the index keeps of it
        body = page(index.sorted_ids(), 500, render=lambda rid: index.view_text(rid, schema, rec.record_view))
    entities = body.pop("entities")
    text = '{"entities":[%s],%s' % (",".join(entities), json.dumps(body, separators=(",", ":"))[1:])
    return current_app.response_class(text + "\n", mimetype="application/json")


def _ids_sent(body, member):
    """The record ids a bulk body names, for the request log (None when the body is not a bulk body)."""
    items = body.get(member) if isinstance(body, dict) else None
    if not isinstance(items, list):
        return None
    return [item.get("id") if isinstance(item, dict) else item for item in items]


@bp.post(RECORDS)
def upsert_records(schema_name):
    require_scope("customobject:record:write")
    body = read_json_body()
    g.record_ids = _ids_sent(body, "records")
    state = _state()
    with state.lock:
        return jsonify(rec.upsert(state, rec.find_schema(state, schema_name), body))


@bp.get(RECORDS + "/<record_id>")
def get_record(schema_name, record_id):
    require_scope("customobject:record:read")
    state = _state()
    with state.lock:
        schema = rec.find_schema(state, schema_name)
        rec.check_record_id(record_id)
        record = state.records_of(schema["id"]).get(record_id)
        if record is None:
            raise ApiError(404, "not.found", "No %s record has id %s." % (schema_name, record_id))
        return jsonify(rec.record_view(schema, record))


@bp.delete(RECORDS + "/<record_id>")
def delete_record(schema_name, record_id):
    require_scope("customobject:record:write")
    state = _state()
    with state.lock:
        rec.delete_one(state, rec.find_schema(state, schema_name), record_id)
    return _no_content()


@bp.post(RECORDS + "/bulk/remove")
def bulk_remove(schema_name):
    require_scope("customobject:record:write")
    body = read_json_body()
    g.record_ids = _ids_sent(body, "ids")
    state = _state()
    with state.lock:
        return jsonify(rec.bulk_remove(state, rec.find_schema(state, schema_name), body))


# -- webhooks ---------------------------------------------------------------------------------

@bp.get(WEBHOOKS)
def list_webhooks():
    require_scope("webhooks:read")
    state = _state()
    with state.lock:
        items = [wh.webhook_view(w) for w in state.webhooks.values()]
    return jsonify(page(items, 100))


@bp.post(WEBHOOKS)
def create_webhook():
    require_scope("webhooks:write")
    body = read_json_body()
    state = _state()
    with state.lock:
        view = wh.webhook_view(wh.create_webhook(state, body))
    return _created(view, view["selfUri"])


@bp.get(WEBHOOKS + "/<webhook_id>")
def get_webhook(webhook_id):
    require_scope("webhooks:read")
    state = _state()
    with state.lock:
        return jsonify(wh.webhook_view(wh.get_webhook(state, webhook_id)))


@bp.put(WEBHOOKS + "/<webhook_id>")
def replace_webhook(webhook_id):
    require_scope("webhooks:write")
    body = read_json_body()
    state = _state()
    with state.lock:
        webhook = wh.get_webhook(state, webhook_id)
        return jsonify(wh.webhook_view(wh.replace_webhook(state, webhook, body)))


@bp.delete(WEBHOOKS + "/<webhook_id>")
def delete_webhook(webhook_id):
    require_scope("webhooks:write")
    state = _state()
    with state.lock:
        wh.get_webhook(state, webhook_id)
        del state.webhooks[webhook_id]
        state.save()
    return _no_content()
