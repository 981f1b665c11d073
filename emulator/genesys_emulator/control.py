"""The unauthenticated test-control interface under /_emulator (see docs/emulator.md)."""

import json
import os
import re
import time

from flask import Blueprint, current_app, jsonify, request

from . import records as rec
from . import schemas as sch
from .auth import valid_scopes
from .errors import ApiError
from .realcontrol import REAL_HOOK_ACTIONS, run_real_action
from .state import ALL_SCOPES
from .util import read_json_body

bp = Blueprint("control", __name__, url_prefix="/_emulator")

FAULT_ACTIONS = ("status", "drop_before", "drop_after")
HOOK_ACTIONS = ("schema_update", "schema_delete", "record_upsert") + REAL_HOOK_ACTIONS
SETTINGS = {"token_lifetime": (int, 1), "rate_limit": (int, 1), "rate_window": ((int, float), 0.001),
            "latency_ms": ((int, float), 0), "delivery_backoff": ((int, float), 0),
            "rate_reset_step": ((int, float), 0.001)}


def _state():
    return current_app.extensions["genesys_emulator"]


def _body():
    body = read_json_body(required=False)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, "bad.request", "The body must be a JSON object.")
    return body


def _matcher(body, default_method):
    """The method/path/count part shared by faults and hooks, validated."""
    method = body.get("method", default_method)
    path = body.get("path", "")
    count = body.get("count", 1)
    if not isinstance(method, str) or not isinstance(path, str):
        raise ApiError(400, "bad.request", "method and path must be strings.")
    try:
        re.compile(path)
    except re.error as exc:
        raise ApiError(400, "bad.request", "path is not a regular expression: %s" % exc)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ApiError(400, "bad.request", "count must be a positive integer.")
    return {"method": method.upper(), "path": path, "count": count}


@bp.post("/reset")
def reset():
    state = _state()
    state.reset()
    current_app.extensions["genesys_emulator.ratelimiter"].clear()
    return jsonify({"reset": True})


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    state = _state()
    if request.method == "POST":
        body = _body()
        for key, value in body.items():
            if key not in SETTINGS:
                raise ApiError(400, "bad.request", "Unknown setting %s." % key)
            kinds, minimum = SETTINGS[key]
            if isinstance(value, bool) or not isinstance(value, kinds) or value < minimum:
                raise ApiError(400, "bad.request", "%s must be a number >= %s." % (key, minimum))
        with state.lock:
            state.settings.update(body)
    with state.lock:
        return jsonify(state.settings)


@bp.route("/organization", methods=["GET", "POST"])
def organization():
    """The org this emulator is: ``POST {"name": ..., "id": ...}`` renames it (or gives it another id)."""
    state = _state()
    if request.method == "POST":
        body = _body()
        for key, value in body.items():
            if key not in ("name", "id") or not isinstance(value, str) or not value:
                raise ApiError(400, "bad.request", "organization takes name and id, non-empty strings.")
        with state.lock:
            state.organization.update(body)
    with state.lock:
        return jsonify(state.organization)


@bp.post("/clients")
def add_client():
    body = _body()
    client_id, secret = body.get("client_id"), body.get("client_secret")
    scopes = body.get("scopes", list(ALL_SCOPES))
    if not (isinstance(client_id, str) and client_id and isinstance(secret, str) and secret):
        raise ApiError(400, "bad.request", "client_id and client_secret are required strings.")
    if not isinstance(scopes, list) or not valid_scopes(scopes):
        raise ApiError(400, "bad.request", "scopes must be a list drawn from %s." % ", ".join(ALL_SCOPES))
    state = _state()
    with state.lock:
        state.clients[client_id] = {"secret": secret, "scopes": list(scopes)}
        state.save()
    return jsonify({"client_id": client_id, "scopes": scopes})


@bp.post("/tokens/expire")
def expire_tokens():
    state = _state()
    with state.lock:
        for info in state.tokens.values():
            info["expires_at"] = min(info["expires_at"], time.time() - 1)
        count = len(state.tokens)
        state.save()
    return jsonify({"expired": count})


@bp.route("/faults", methods=["GET", "POST", "DELETE"])
def faults():
    state = _state()
    if request.method == "DELETE":
        with state.lock:
            state.faults.clear()
        return jsonify([])
    if request.method == "POST":
        body = _body()
        fault = _matcher(body, "*")
        action = body.get("action", "status")
        if action not in FAULT_ACTIONS:
            raise ApiError(400, "bad.request", "action must be one of %s." % ", ".join(FAULT_ACTIONS))
        fault["action"] = action
        after = body.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise ApiError(400, "bad.request", "after must be a whole number >= 0.")
        if after:
            fault["after"] = after
        if action == "status":
            status = body.get("status")
            if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
                raise ApiError(400, "bad.request", "A status fault needs a status between 400 and 599.")
            fault["status"] = status
            if body.get("retry_after") is not None:
                if isinstance(body["retry_after"], bool) or not isinstance(body["retry_after"], int):
                    raise ApiError(400, "bad.request", "retry_after is whole seconds.")
                fault["retry_after"] = body["retry_after"]
            if body.get("code") is not None:
                fault["code"] = str(body["code"])
        fault["id"] = state.control_id()
        with state.lock:
            state.faults.append(fault)
        return jsonify({"id": fault["id"]})
    with state.lock:
        return jsonify([dict(f) for f in state.faults])


@bp.route("/hooks", methods=["GET", "POST", "DELETE"])
def hooks():
    state = _state()
    if request.method == "DELETE":
        with state.lock:
            state.hooks.clear()
        return jsonify([])
    if request.method == "POST":
        body = _body()
        hook = _matcher(body, "GET")
        action = body.get("action")
        if not isinstance(action, dict) or action.get("type") not in HOOK_ACTIONS:
            raise ApiError(400, "bad.request", "action.type must be one of %s." % ", ".join(HOOK_ACTIONS))
        if action["type"] not in REAL_HOOK_ACTIONS and not isinstance(action.get("schema"), str):
            raise ApiError(400, "bad.request", "action.schema names a schema.")
        hook.update(action=action, fired=0, error=None, id=state.control_id())
        with state.lock:
            state.hooks.append(hook)
        return jsonify({"id": hook["id"]})
    with state.lock:
        return jsonify([dict(h) for h in state.hooks])


def fire_hooks(state, method, path):
    """Run every hook matching a request that was just answered with a 2xx."""
    with state.lock:
        for hook in state.hooks:
            if hook["count"] <= 0 or hook["method"] not in ("*", method) or not re.search(hook["path"], path):
                continue
            hook["count"] -= 1
            hook["fired"] += 1
            try:
                run_action(state, hook["action"])
            except ApiError as err:
                hook["error"] = {"status": err.status, "code": err.code, "message": err.message, "errors": err.errors}
            except (KeyError, TypeError, ValueError) as exc:
                hook["error"] = {"status": 400, "code": "bad.request", "message": "Malformed hook action: %r" % exc}


def run_action(state, action):
    """Apply a hook action as another administrator would (the caller holds state.lock)."""
    if action["type"] in REAL_HOOK_ACTIONS:
        return run_real_action(state, action)
    schema = state.schema_by_name(action["schema"], case_insensitive=True)
    if schema is None:
        raise ApiError(404, "not.found", "No schema is named %s." % action["schema"])
    kind = action["type"]
    if kind == "schema_update":
        fields = {f["name"]: dict(f) for f in schema["fields"]}
        for name in action.get("remove_fields", []):
            fields.pop(name, None)
        for field in action.get("set_fields", []):
            fields[field["name"]] = field
        body = {"name": schema["name"], "description": action.get("description", schema["description"]),
                "fields": list(fields.values())}
        sch.update_schema(state, schema, body)
    elif kind == "schema_delete":
        sch.delete_schema(state, schema, force=action.get("force", True))
    elif kind == "record_upsert":
        rec.upsert(state, schema, {"records": action.get("records", [])})


@bp.route("/requests", methods=["GET", "DELETE"])
def requests_log():
    state = _state()
    with state.lock:
        if request.method == "DELETE":
            state.request_log.clear()
        return jsonify(list(state.request_log))


@bp.get("/deliveries")
def deliveries():
    state = _state()
    with state.lock:
        return jsonify(list(state.delivery_log))


@bp.route("/state", methods=["GET", "PUT"])
def state_document():
    state = _state()
    if request.method == "PUT":
        try:
            state.load(read_json_body())
        except ValueError as exc:
            raise ApiError(400, "bad.request", str(exc))
    return jsonify(state.dump())


@bp.post("/seed")
def seed():
    """Load records from a .jsonl file on the emulator's host, validated like API batches of 100.

    For benchmarks that need a large org without paying for its load through the API (no latency,
    no rate limit, no request log). Each line is one record with its id; batches are written in
    order, so an invalid record stops the seed with the earlier batches stored.
    """
    body = _body()
    name, path = body.get("schema"), body.get("src")
    if not isinstance(name, str) or not isinstance(path, str) or not os.path.isfile(path):
        raise ApiError(400, "bad.request", "seed needs schema (a name) and src (a .jsonl file on this host).")
    state = _state()
    seeded, batch = 0, []
    with state.lock, open(path, encoding="utf-8") as handle:
        schema = rec.find_schema(state, name)
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                batch.append(json.loads(line))
            except ValueError:
                raise ApiError(400, "bad.request", "%s line %d is not JSON; %d records were seeded."
                               % (path, number, seeded))
            if len(batch) == rec.MAX_BATCH:
                rec.upsert(state, schema, {"records": batch})
                seeded, batch = seeded + len(batch), []
        if batch:
            rec.upsert(state, schema, {"records": batch})
            seeded += len(batch)
    return jsonify({"seeded": seeded})
