"""The contract's checklist: every status and error code it names is asserted by a test.

Statuses (shared/contract/API.md, plus 405 for wrong methods):
  200, 201, 204 (success); 400, 401, 403, 404, 405, 409, 413, 415, 422, 428, 429; 500, 502, 503, 504
  (injected faults).

Error codes of the API error body:
  general      bad.credentials, missing.scope, not.found, invalid.page.size, too.many.requests,
               bad.request, method.not.allowed, unsupported.media.type
  schemas      duplicate.name, invalid.schema, precondition.required, version.mismatch,
               version.conflict, type.change.forbidden, type.change.incompatible,
               required.field.missing, unique.constraint.violation, invalid.option,
               max.length.exceeded, schema.in.use, schema.has.records
  records      batch.too.large, payload.too.large, batch.validation.failed, record.exists,
               record.not.found, record.id.required, unknown.field, invalid.type,
               relationship.target.missing, duplicate.id.in.batch, record.in.use, invalid.id,
               invalid.conflict.resolution
  webhooks     invalid.filter, invalid.webhook
  faults       service.unavailable, bad.gateway, gateway.timeout, internal.server.error

OAuth errors of the token endpoint: invalid_client, unsupported_grant_type, invalid_request, invalid_scope.

Control interface: each fault action (status, drop_before, drop_after), hooks (schema_update,
schema_delete, record_upsert), token expiry, settings, clients, request log, delivery log,
state dump/load and state file, reset, the CLI (test_faults_control.py); signed deliveries,
retries of failures and connection errors (test_webhooks.py).

The test below reads this docstring and checks that each code appears as a string literal,
and each status as an asserted number, in the other test modules.
"""

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))


def _sources():
    text = ""
    for name in sorted(os.listdir(HERE)):
        if name.startswith("test_") and name.endswith(".py") and name not in ("test_checklist.py", "test_openapi.py"):
            with open(os.path.join(HERE, name), encoding="utf-8") as handle:
                text += handle.read()
    return text


def _listed(section_start, section_end):
    doc = __doc__[__doc__.index(section_start):__doc__.index(section_end)]
    return doc


def test_every_listed_error_code_is_asserted():
    sources = _sources()
    codes_text = _listed("Error codes", "Control interface")
    codes = set(re.findall(r"\b[a-z]+(?:[._][a-z]+)+\b", codes_text))
    assert len(codes) > 40
    missing = sorted(code for code in codes if '"%s"' % code not in sources)
    assert not missing, "codes never asserted: %s" % missing


def test_every_listed_status_is_asserted():
    sources = _sources()
    statuses = re.findall(r"\b[1-5]\d\d\b", _listed("Statuses", "Error codes"))
    missing = [s for s in statuses if not re.search(r"(==|,|\() ?%s\b" % s, sources)]
    assert not missing, "statuses never asserted: %s" % missing
