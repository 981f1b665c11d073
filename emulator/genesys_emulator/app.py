"""The Flask app: routing, correlation ids, latency, faults, auth, rate limits, hooks and the request log.

A request to the API goes through, in order: latency, a queued fault, bearer-token check,
rate limit, then the route (scope check, body, work). Faults, 401s and 429s therefore never
apply the request. After the route, hooks run (as another administrator), the request is
logged, and a `drop_after` fault closes the connection instead of answering.
"""

import logging
import re
import socket
import time
import uuid

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from . import api, control, datatable_rows, datatables, realcontrol, triggers, workitems
from .auth import authenticate, token_endpoint
from .errors import ApiError, error_response
from .ratelimit import RateLimiter
from .util import now_ts

log = logging.getLogger("genesys_emulator")


def _kind(path):
    if path.startswith("/api/"):
        return "api"
    if path == "/oauth/token":
        return "token"
    if path.startswith("/_emulator"):
        return "control"
    if path.startswith("/uploads/"):
        return "upload"  # a data-table import's upload URL: logged and faultable, no bearer token
    return "other"


def drop_connection():
    """Close the client connection without an answer (the client sees a dropped connection)."""
    sock = request.environ.get("werkzeug.socket")
    if sock is None:
        return
    for step in (lambda: sock.shutdown(socket.SHUT_RDWR), sock.close):
        try:
            step()
        except OSError:
            pass


def _take(entries, method, path):
    """The first queued entry matching the request; its count goes down and it leaves at zero."""
    for entry in entries:
        if entry["method"] in ("*", method) and re.search(entry["path"], path):
            if entry.get("after", 0) > 0:  # lets this many matching requests through first
                entry["after"] -= 1
                continue
            entry["count"] -= 1
            if entry["count"] <= 0:
                entries.remove(entry)
            return entry
    return None


def create_app(state):
    app = Flask("genesys_emulator")
    app.json.sort_keys = False
    app.extensions["genesys_emulator"] = state
    limiter = RateLimiter()
    app.extensions["genesys_emulator.ratelimiter"] = limiter
    app.register_blueprint(api.bp)
    app.register_blueprint(control.bp)
    for blueprint in (datatables.bp, datatable_rows.bp, datatable_rows.upload_bp, workitems.bp, triggers.bp,
                      triggers.flows_bp, realcontrol.bp):
        app.register_blueprint(blueprint)
    app.add_url_rule("/oauth/token", "oauth_token", lambda: token_endpoint(state), methods=["POST"])

    @app.before_request
    def before():
        g.correlation_id = str(uuid.uuid4())
        g.started = time.monotonic()
        g.started_ts = now_ts()
        g.kind = _kind(request.path)
        g.fault = None
        g.client_id = None
        g.token = None
        g.rate = None
        if g.kind not in ("api", "token", "upload"):
            return None
        request.get_data(cache=True)  # read the whole body first, so a drop happens after the client sent it
        if g.kind == "api" and state.settings["latency_ms"]:
            time.sleep(float(state.settings["latency_ms"]) / 1000.0)
        with state.lock:
            fault = _take(state.faults, request.method, request.path)
        if fault is not None:
            g.fault = fault["action"]
            if fault["action"] == "status":
                headers = {"Retry-After": str(fault["retry_after"])} if fault.get("retry_after") is not None else {}
                raise ApiError(fault["status"], fault.get("code"), "Injected fault.", headers=headers)
            if fault["action"] == "drop_before":
                unsent = app.response_class(status=500)  # never reaches the client
                _log_request(state, unsent)  # logged before the drop, so the client can read it at once
                drop_connection()
                return unsent
        if g.kind == "api":
            authenticate(state)
            allowed, count, reset = limiter.hit(g.token, int(state.settings["rate_limit"]),
                                                float(state.settings["rate_window"]), state.settings["rate_reset_step"])
            g.rate = (count, reset)
            if not allowed:
                raise ApiError(429, "too.many.requests", "Rate limit of %s requests per %s s exceeded."
                               % (state.settings["rate_limit"], state.settings["rate_window"]),
                               headers={"Retry-After": str(reset)})
        return None

    @app.after_request
    def after(response):
        response.headers["inin-correlation-id"] = g.get("correlation_id", "")
        kind = g.get("kind")
        if kind == "api":
            count, reset = g.rate if g.rate else limiter.peek(g.token, float(state.settings["rate_window"]),
                                                              state.settings["rate_reset_step"])
            response.headers["inin-ratelimit-count"] = str(count)
            response.headers["inin-ratelimit-allowed"] = str(state.settings["rate_limit"])
            response.headers["inin-ratelimit-reset"] = str(reset)
        if kind in ("api", "token", "upload"):
            if g.fault != "drop_before" and 200 <= response.status_code < 300:
                control.fire_hooks(state, request.method, request.path)
            if g.fault != "drop_before":
                _log_request(state, response)
            if g.fault == "drop_after":
                drop_connection()
        return response

    @app.errorhandler(ApiError)
    def api_error(err):
        return error_response(err)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        headers = {}
        if exc.code == 405:
            headers["Allow"] = ", ".join(sorted(exc.valid_methods or []))
        message = "No such resource: %s %s" % (request.method, request.path) if exc.code == 404 else exc.description
        return error_response(ApiError(exc.code or 500, None, message, headers=headers))

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(ApiError(500, "internal.server.error", "Unexpected error: %s" % exc))

    return app


def _log_request(state, response):
    with state.lock:
        state.request_log.append({
            "seq": state.next_seq,
            "time": g.started_ts,
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode("utf-8", "replace"),
            "status": None if g.fault == "drop_before" else response.status_code,
            "client_id": g.client_id,
            "correlation_id": g.correlation_id,
            "if_match": request.headers.get("If-Match"),
            "fault": g.fault,
            "body_bytes": len(request.get_data(cache=True)),
            "duration_ms": round((time.monotonic() - g.started) * 1000.0, 1),
        })
        if g.get("record_ids") is not None:
            state.request_log[-1]["record_ids"] = g.record_ids
        state.next_seq += 1
