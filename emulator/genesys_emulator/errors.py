"""The contract's error body and the exception the request handlers raise to produce it."""

from flask import g, jsonify

#: Default error codes for statuses the contract (or a fault) produces without naming a code.
DEFAULT_CODES = {
    400: "bad.request",
    401: "bad.credentials",
    403: "missing.scope",
    404: "not.found",
    405: "method.not.allowed",
    409: "conflict",
    413: "payload.too.large",
    415: "unsupported.media.type",
    422: "invalid.request",
    428: "precondition.required",
    429: "too.many.requests",
    500: "internal.server.error",
    502: "bad.gateway",
    503: "service.unavailable",
    504: "gateway.timeout",
}


class ApiError(Exception):
    """An API failure answered with the contract's error body."""

    def __init__(self, status, code=None, message=None, details=None, errors=None, headers=None):
        super().__init__(message or code)
        self.status = status
        self.code = code or DEFAULT_CODES.get(status, "error")
        self.message = message or self.code
        self.details = list(details or [])
        self.errors = list(errors or [])
        self.headers = dict(headers or {})


def error_entry(code, message, field=None, index=None, record_id=None):
    """One entry of an error body's `errors` list; optional keys are left out when unset."""
    entry = {}
    if index is not None:
        entry["index"] = index
    if record_id is not None:
        entry["id"] = record_id
    if field is not None:
        entry["field"] = field
    entry["code"] = code
    entry["message"] = message
    return entry


def error_response(err):
    """Render an ApiError as a Flask response (contextId is this request's correlation id)."""
    body = {
        "message": err.message,
        "code": err.code,
        "status": err.status,
        "contextId": getattr(g, "correlation_id", ""),
        "details": err.details,
        "errors": err.errors,
    }
    response = jsonify(body)
    response.status_code = err.status
    for name, value in err.headers.items():
        response.headers[name] = value
    return response
