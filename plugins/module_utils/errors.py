# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one error type the client raises, and how it becomes ``fail_json`` output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class GenesysCloudError(Exception):
    """A request that did not succeed, or a setting that cannot work.

    Carries everything a user needs to act on it or to quote it to support: the request
    (method and path, never headers or bodies, so no secret can leak), the status, the
    contract's error code and message, the field-level problems and the correlation id.
    """

    def __init__(self, message, method=None, path=None, status=None, code=None,
                 errors=None, details=None, correlation_id=None, result_extra=None):
        super(GenesysCloudError, self).__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.errors = list(errors or [])
        self.details = list(details or [])
        self.correlation_id = correlation_id
        # Keys a module adds to its failure result (a change summary, what was already written).
        self.result_extra = dict(result_extra or {})

    def __str__(self):
        parts = []
        if self.method and self.path:
            parts.append("%s %s failed" % (self.method, self.path))
        if self.status is not None:
            parts.append("HTTP %s%s" % (self.status, " %s" % self.code if self.code else ""))
        text = ": ".join(parts + [self.message]) if parts else self.message
        problems = [describe_field_error(item) for item in self.errors]
        if problems:
            text += " Problems: " + "; ".join(problems) + "."
        if self.details:
            text += " Details: %s." % ", ".join(str(item) for item in self.details)
        if self.correlation_id:
            text += " (correlation id %s)" % self.correlation_id
        return text

    def to_result(self):
        """Keyword arguments for ``module.fail_json``."""
        result = dict(self.result_extra)
        result.update(
            msg=str(self),
            status=self.status,
            code=self.code,
            errors=self.errors,
            details=self.details,
            correlation_id=self.correlation_id,
        )
        return result


class ConfigurationError(GenesysCloudError):
    """Settings that cannot work (credentials, region, URLs); raised before any request."""


class InputError(GenesysCloudError):
    """The task's own input is wrong; raised before any write, listing every problem at once."""

    def __init__(self, problems, what="the task's input", result_extra=None):
        self.problems = list(problems)
        super(InputError, self).__init__(
            "%s is not valid, nothing was changed. Fix: %s" % (what, "; ".join(self.problems)),
            result_extra=result_extra)

    def to_result(self):
        result = super(InputError, self).to_result()
        result["problems"] = self.problems
        return result


class AmbiguousWriteError(GenesysCloudError):
    """A write failed in transit and may or may not have been applied.

    Raised instead of replaying a create blindly when no way of looking the result up was given.
    """


def describe_field_error(item):
    """``fields[3].type: invalid type (invalid.type)`` from a contract ``errors`` item."""
    if not isinstance(item, dict):
        return str(item)
    where = []
    if item.get("index") is not None:
        where.append("record %s" % item["index"])
    if item.get("key") is not None:
        where.append("key %s" % item["key"])
    if item.get("id") is not None:
        where.append("id %s" % item["id"])
    if item.get("field"):
        where.append(str(item["field"]))
    prefix = " ".join(where)
    body = item.get("message") or ""
    if item.get("code"):
        body = "%s (%s)" % (body, item["code"]) if body else item["code"]
    return "%s: %s" % (prefix, body) if prefix else body


def error_from_response(method, path, status, body, correlation_id):
    """Build the error for a non-2xx answer, whatever its body looks like."""
    if isinstance(body, dict) and ("message" in body or "code" in body or "error" in body):
        message = body.get("message") or body.get("error_description") or body.get("error") or "request failed"
        return GenesysCloudError(
            message,
            method=method,
            path=path,
            status=status,
            code=body.get("code") or body.get("error"),
            errors=body.get("errors") if isinstance(body.get("errors"), list) else None,
            details=body.get("details") if isinstance(body.get("details"), list) else None,
            correlation_id=correlation_id,
        )
    return GenesysCloudError(
        "the server answered with an unexpected body (not a contract error document)",
        method=method, path=path, status=status, correlation_id=correlation_id)
