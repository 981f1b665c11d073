"""OAuth 2.0 client credentials: the token endpoint, bearer-token checks and scopes."""

import base64
import binascii
import secrets
import time

from flask import g, jsonify, request

from .errors import ApiError
from .state import ALL_SCOPES

#: A scope also grants the scopes listed here (the contract's "implies read").
IMPLIED = {
    "customobject:record:write": ("customobject:record:read",),
    "webhooks:write": ("webhooks:read",),
    "architect": ("architect:readonly",),
    "workitems": ("workitems:readonly",),
    "process-automation": ("process-automation:readonly",),
}


def _oauth_error(status, error, description=None):
    body = {"error": error}
    if description:
        body["error_description"] = description
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="oauth"'
    return response


def _client_credentials():
    """Client id and secret from HTTP Basic auth, else from the form fields."""
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, sep, client_secret = decoded.partition(":")
        return (client_id, client_secret) if sep else (None, None)
    return request.form.get("client_id"), request.form.get("client_secret")


def token_endpoint(state):
    """POST /oauth/token: issue a bearer token for a known client."""
    client_id, client_secret = _client_credentials()
    g.client_id = client_id  # logged even when the credentials are wrong
    with state.lock:
        client = state.clients.get(client_id) if client_id else None
        if client is None or not secrets.compare_digest(str(client["secret"]), str(client_secret or "")):
            return _oauth_error(401, "invalid_client", "Unknown client or wrong client secret.")
        grant_type = request.form.get("grant_type")
        if not grant_type:
            return _oauth_error(400, "invalid_request", "grant_type is required.")
        if grant_type != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type")
        granted = list(client["scopes"])
        requested = request.form.get("scope")
        if requested is not None and requested.strip():
            wanted = requested.split()
            refused = [s for s in wanted if s not in granted]
            if refused:
                return _oauth_error(400, "invalid_scope", "Not granted to this client: %s" % " ".join(refused))
            granted = list(dict.fromkeys(wanted))
        lifetime = int(state.settings["token_lifetime"])
        token = secrets.token_urlsafe(32)
        state.tokens[token] = {"client_id": client_id, "scopes": granted, "expires_at": time.time() + lifetime}
        state.save()
    response = jsonify({"access_token": token, "token_type": "bearer", "expires_in": lifetime})
    response.headers["Cache-Control"] = "no-store"
    return response


def bearer_token():
    header = request.headers.get("Authorization", "")
    if header[:7].lower() != "bearer ":
        return None
    return header[7:].strip() or None


def authenticate(state):
    """Resolve the request's bearer token into g.token / g.client_id / g.scopes, or raise 401."""
    token = bearer_token()
    if token is None:
        raise ApiError(401, "bad.credentials", "No bearer token was given.")
    with state.lock:
        info = state.tokens.get(token)
        if info is None:
            raise ApiError(401, "bad.credentials", "The bearer token is not known.")
        g.client_id = info["client_id"]
        if info["expires_at"] <= time.time():
            raise ApiError(401, "bad.credentials", "The bearer token has expired.")
        scopes = set(info["scopes"])
    for scope in list(scopes):
        scopes.update(IMPLIED.get(scope, ()))
    g.token = token
    g.scopes = scopes


def require_scope(scope):
    """403 missing.scope unless the request's token carries `scope` (directly or implied)."""
    if scope not in getattr(g, "scopes", set()):
        raise ApiError(403, "missing.scope", "This request needs the scope %s." % scope,
                       details=[{"scope": scope}])


def valid_scopes(scopes):
    return all(s in ALL_SCOPES for s in scopes)
