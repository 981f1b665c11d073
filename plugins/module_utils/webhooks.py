# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Webhook logic as plain functions: validation, user shape <-> API shape, filters, comparison, masking.

The user shape is what ``genesys.cloud.webhook`` accepts (snake_case, ``filter`` as structured
terms); the API shape is contract section 6 (camelCase, ``filter`` as a string).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

try:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for sanity's compile test
    from urllib import urlencode  # type: ignore
    from urlparse import parse_qsl, urlsplit, urlunsplit  # type: ignore

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import MASK, make_diff, masked, unordered_equal
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError

WEBHOOKS_PATH = "/api/v2/platform/webhooks"
EVENT_TYPES = (
    "data.flex.schema.created",
    "data.flex.schema.updated",
    "data.flex.schema.deleted",
    "customobjects.records.changed",
)
# user key -> the contract's filter attribute, in the order terms are written
FILTER_ATTRIBUTES = (("schema_name", "schemaName"), ("schema_id", "schemaId"))
MAX_NAME_LENGTH = 128
MAX_EVENT_TYPES = 10
MAX_HEADERS = 20
# The server sets these on every delivery itself; a configured value would be overwritten.
RESERVED_HEADERS = ("content-type", "x-genesys-signature")
SECRET_PATHS = (("headers", "*"), ("secret",))

_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_FILTER_TERM = re.compile(r"(schemaId|schemaName) eq '((?:[^']|'')*)'")


# -- filters ------------------------------------------------------------------------------

def quote_filter_value(value):
    """A value as a filter literal: in single quotes, with each ``'`` doubled."""
    return "'%s'" % value.replace("'", "''")


def build_filter(terms):
    """The contract's filter string for ``{"schema_name": ..., "schema_id": ...}``; None for no terms.

    Values are always quoted, so a value holding ``'`` or `` and `` stays one value.
    """
    parts = []
    for user_key, attribute in FILTER_ATTRIBUTES:
        value = (terms or {}).get(user_key)
        if value is not None:
            parts.append("%s eq %s" % (attribute, quote_filter_value(value)))
    return " and ".join(parts) or None


def parse_filter(text):
    """``[(attribute, value), ...]`` from a filter string; raises ValueError when it is not the contract's syntax."""
    terms, position = [], 0
    if not text:
        return terms
    while True:
        match = _FILTER_TERM.match(text, position)
        if match is None:
            raise ValueError("unexpected text at offset %d of filter %r" % (position, text))
        terms.append((match.group(1), match.group(2).replace("''", "'")))
        position = match.end()
        if position == len(text):
            return terms
        if not text.startswith(" and ", position):
            raise ValueError("expected ' and ' at offset %d of filter %r" % (position, text))
        position += len(" and ")


def filter_terms(text):
    """The structured form (``{"schema_name": ...}``) of a stored filter, or None when it has none.

    Raises ValueError when the filter cannot be written as structured terms (unknown syntax, or
    one attribute compared with two different values).
    """
    if not text:
        return None
    by_attribute = dict((attribute, user_key) for user_key, attribute in FILTER_ATTRIBUTES)
    result = {}
    for attribute, value in parse_filter(text):
        key = by_attribute[attribute]
        if key in result and result[key] != value:
            raise ValueError("filter %r compares %s with two values" % (text, attribute))
        result[key] = value
    return result


# -- validation ---------------------------------------------------------------------------

def _is_loopback(host):
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Query parameter names (lower case, letters only) that carry a credential.
_SECRET_PARAM_WORDS = ("token", "secret", "passw", "pwd", "apikey", "accesskey", "auth", "signature", "credential",
                       "sessionid")
_SECRET_PARAMS = ("key", "code", "pass", "sig", "jwt")


def _secret_param(name):
    letters = re.sub("[^a-z]", "", name.lower())
    return letters in _SECRET_PARAMS or any(word in letters for word in _SECRET_PARAM_WORDS)


def endpoint_credentials(endpoint):
    """What in ``endpoint`` looks like a credential (``user:password@``, ``?token=...``); never the values."""
    try:
        parts = urlsplit(endpoint)
        found = ["user:password@ (userinfo)"] if parts.username is not None or parts.password is not None else []
    except ValueError:
        return []
    found.extend("the query parameter %r" % name
                 for name, dummy in parse_qsl(parts.query, keep_blank_values=True) if _secret_param(name))
    return found


def mask_endpoint(endpoint):
    """``endpoint`` with its userinfo and credential-like query values replaced by the mask (for display)."""
    if not endpoint or not endpoint_credentials(endpoint):
        return endpoint
    parts = urlsplit(endpoint)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if parts.username is not None or parts.password is not None:
        netloc = "%s@%s" % (MASK, netloc)
    query = urlencode([(name, MASK if _secret_param(name) else value)
                       for name, value in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def endpoint_problem(endpoint):
    """Why ``endpoint`` is not acceptable, or None. Plain http is allowed to loopback only (local testing).

    Credentials in the URL are refused (without echoing it): they would show in every diff, result,
    export and log; headers and the signing secret are the options made for them.
    """
    credentials = endpoint_credentials(endpoint)
    if credentials:
        return ("endpoint: must not carry credentials (found %s): they would be shown in diffs, results and "
                "exports. Send them with the headers option (for example headers: {Authorization: ...}), which "
                "is never shown, or sign deliveries with the secret option" % " and ".join(credentials))
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or not host or parts.scheme not in ("https", "http"):
        return "endpoint: must be an absolute https URL such as https://hooks.example.com/genesys, got %r" % endpoint
    if parts.scheme == "http" and not _is_loopback(host):
        return ("endpoint: must use https (plain http is accepted only to a loopback address such as "
                "127.0.0.1 for local testing), got %r" % endpoint)
    return None


def validate(params):
    """Every problem with the task's input, each prefixed by its option path (an empty list when fine)."""
    problems = []
    name = params.get("name")
    if name is None or not name.strip():
        problems.append("name: must not be empty")
    elif len(name) > MAX_NAME_LENGTH:
        problems.append("name: at most %d characters, got %d" % (MAX_NAME_LENGTH, len(name)))
    if params.get("state", "present") == "absent":
        return problems

    if params.get("endpoint") is not None:
        problem = endpoint_problem(params["endpoint"])
        if problem:
            problems.append(problem)
    event_types = params.get("event_types")
    if event_types is not None:
        if not 1 <= len(set(event_types)) <= MAX_EVENT_TYPES:
            problems.append("event_types: give 1 to %d event types" % MAX_EVENT_TYPES)
        for index, event_type in enumerate(event_types):
            if event_type not in EVENT_TYPES:
                problems.append("event_types[%d]: unknown event type %r; known types: %s"
                                % (index, event_type, ", ".join(EVENT_TYPES)))
    problems.extend(_header_problems(params.get("headers")))
    for user_key, dummy in FILTER_ATTRIBUTES:
        value = (params.get("filter") or {}).get(user_key)
        if value is not None and not value.strip():
            problems.append("filter.%s: must not be empty (leave it out to not filter on it)" % user_key)
    secret = params.get("secret")
    if secret is not None and secret == "":
        problems.append("secret: must not be empty")
    if params.get("update_secret") == "always" and secret is None:
        problems.append("update_secret: 'always' needs a secret to send")
    if params.get("update_secret") == "remove" and secret is not None:
        problems.append("secret: leave it out with update_secret 'remove', which removes the stored secret")
    return problems


def _header_problems(headers):
    problems = []
    if headers is None:
        return problems
    if len(headers) > MAX_HEADERS:
        problems.append("headers: at most %d headers, got %d" % (MAX_HEADERS, len(headers)))
    for key in sorted(headers, key=str):
        value = headers[key]
        if not _HEADER_NAME.match(str(key)):
            problems.append("headers.%s: not a valid HTTP header name" % key)
        elif str(key).lower() in RESERVED_HEADERS:
            problems.append("headers.%s: set by the server on every delivery, it cannot be configured" % key)
        if isinstance(value, (dict, list)) or value is None:
            problems.append("headers.%s: the value must be a string" % key)
        elif "\r" in str(value) or "\n" in str(value):
            problems.append("headers.%s: the value must not contain line breaks" % key)
    return problems


# -- shapes -------------------------------------------------------------------------------

def desired_from_params(params):
    """What the task asks for, in the user shape; options left out (None) mean "keep what is stored"."""
    desired = dict(name=params["name"], enabled=params.get("enabled", True))
    if params.get("endpoint") is not None:
        desired["endpoint"] = params["endpoint"]
    if params.get("event_types") is not None:
        desired["event_types"] = list(dict.fromkeys(params["event_types"]))
    if params.get("headers") is not None:
        desired["headers"] = dict((str(k), str(v)) for k, v in params["headers"].items())
    if params.get("filter") is not None:
        terms = dict((k, v) for k, v in params["filter"].items() if v is not None)
        desired["filter"] = terms or None
    return desired


def to_user(api_webhook):
    """The stored webhook in the user shape (what ``genesys.cloud.webhook`` accepts), without its id.

    A filter that cannot be written as structured terms is left out and reported in ``filter_expression``.
    """
    user = dict(
        name=api_webhook["name"],
        endpoint=api_webhook.get("endpoint"),
        event_types=list(api_webhook.get("eventTypes") or []),
        enabled=api_webhook.get("enabled", True),
        headers=dict(api_webhook.get("headers") or {}),
        filter=None,
    )
    try:
        user["filter"] = filter_terms(api_webhook.get("filter"))
    except ValueError:
        user["filter_expression"] = api_webhook.get("filter")
        del user["filter"]
    return user


def metadata(api_webhook):
    """The read-only facts about a stored webhook."""
    return dict(
        id=api_webhook.get("id"),
        name=api_webhook.get("name"),
        secret_set=bool(api_webhook.get("secretSet")),
        date_created=api_webhook.get("dateCreated"),
        date_modified=api_webhook.get("dateModified"),
    )


def to_api(user, secret=None, clear_secret=False):
    """The POST/PUT body for a webhook in the user shape; ``secret`` is only included when given.

    ``clear_secret`` sends ``"secret": null``, which removes the stored secret.
    """
    body = dict(
        name=user["name"],
        enabled=user.get("enabled", True),
        endpoint=user["endpoint"],
        eventTypes=list(user["event_types"]),
        requestType="POST",
        headers=dict(user.get("headers") or {}),
    )
    expression = build_filter(user.get("filter"))
    if expression is None and user.get("filter_expression"):
        expression = user["filter_expression"]
    if expression is not None:
        body["filter"] = expression
    if secret is not None:
        body["secret"] = secret
    elif clear_secret:
        body["secret"] = None
    return body


def merged(current_user, desired):
    """The full webhook after applying ``desired`` over what is stored (the PUT is a full replacement)."""
    result = dict(current_user)
    result.update(desired)
    if "filter" in desired:
        result.pop("filter_expression", None)
    return result


# -- comparison and planning -------------------------------------------------------------

def _same_terms(wanted, stored):
    return build_filter(wanted) == build_filter(stored)


COMPARATORS = dict(event_types=unordered_equal, filter=_same_terms)


def differing_options(desired, current_user):
    """Options of ``desired`` whose stored value differs (the secret is never compared: it cannot be read)."""
    differing = []
    for key in sorted(desired):
        wanted = desired[key]
        stored = current_user.get(key)
        if key == "filter" and "filter_expression" in current_user:
            differing.append(key)
            continue
        same = COMPARATORS.get(key, lambda a, b: a == b)
        if not same(wanted, stored):
            differing.append(key)
    return differing


def secret_action(params, current_api):
    """Whether to send the secret on this run: ``(send, reason)``.

    With ``update_secret=on_create`` the secret goes out when the webhook is created, or when the
    stored webhook has none at all; ``always`` sends it on every run (it cannot be compared, so
    such a run always reports a change).
    """
    secret = params.get("secret")
    if secret is None:
        return False, None
    if current_api is None:
        return True, "created with a secret"
    if params.get("update_secret") == "always":
        return True, "update_secret=always sends the secret on every run"
    if not current_api.get("secretSet"):
        return True, "the stored webhook has no secret yet"
    return False, None


def clears_secret(params, current_api):
    """True when ``update_secret=remove`` has a stored secret to remove (readable: ``secretSet``)."""
    return params.get("update_secret") == "remove" and bool(current_api and current_api.get("secretSet"))


def find_by_name(webhooks, name):
    """The one stored webhook named ``name`` (case-insensitively), or None.

    Raises when two stored webhooks share the name: updating either could be the wrong one.
    """
    found = [hook for hook in webhooks if hook.get("name", "").lower() == name.lower()]
    if len(found) > 1:
        raise GenesysCloudError(
            "%d stored webhooks are named %r (names compare case-insensitively): ids %s. "
            "Rename or delete all but one so that the name identifies a single webhook; nothing was changed."
            % (len(found), name, ", ".join(hook["id"] for hook in found)),
            code="ambiguous.name")
    return found[0] if found else None


# -- presentation -------------------------------------------------------------------------

def mask_headers(user):
    """A copy of a user-shaped webhook with every header value replaced by a mask."""
    return masked(user, [("headers", "*")])


def diff_view(user, api_webhook=None, secret_sent=False, secret_cleared=False):
    """A person-readable form for ``--diff``: the user shape plus whether a secret is stored."""
    if user is None:
        return None
    view = dict(user)
    view["endpoint"] = mask_endpoint(view.get("endpoint"))
    view["secret_set"] = (bool(api_webhook and api_webhook.get("secretSet")) or secret_sent) and not secret_cleared
    if secret_sent:
        view["secret"] = MASK
    return view


CHANGED_HIDDEN = MASK + " (changed, value hidden)"


def webhook_diff(before_view, after_view):
    """The diff with secrets masked; a header whose value changes says so instead of two equal masks."""
    diff = make_diff(before_view, after_view, secret_paths=SECRET_PATHS)
    before_headers = (before_view or {}).get("headers") or {}
    for name, value in ((after_view or {}).get("headers") or {}).items():
        if name in before_headers and before_headers[name] != value:
            diff["after"]["headers"][name] = CHANGED_HIDDEN
    return diff


def result_view(api_webhook):
    """The ``webhook`` return value: user shape, header values masked, plus id and secret_set."""
    if api_webhook is None:
        return {}
    view = mask_headers(to_user(api_webhook))
    view["endpoint"] = mask_endpoint(view.get("endpoint"))
    view["id"] = api_webhook.get("id")
    view["secret_set"] = bool(api_webhook.get("secretSet"))
    return view
