"""docs/openapi.yaml against the contract and against the emulator.

1. The document is a valid OpenAPI 3.0 document.
2. Every operation of the document is routed by the emulator (and answers its documented
   success status on a real resource), and every endpoint of the contract
   (shared/contract/API.md) is in the document, and nothing else is (the operations of
   shared/contract/REAL_API.md: test_openapi_real.py).
3. The emulator's answers conform to the document (documented status codes, response
   schemas, content types and headers), checked with schemathesis 4.x
   (`schemathesis.openapi.from_dict`, `APIOperation.Case` + `case.validate_response`, and
   `case.call_and_validate(base_url=...)`): first 401/403/429/502/503/504 on every
   operation, then a bounded fuzzing run (examples, coverage and fuzzing phases,
   15 examples per operation, no deadline).

Safety: generated webhooks must never make the emulator deliver anywhere but this machine.
The schemathesis run gets a copy of the document whose webhook `endpoint` only allows
`http://127.0.0.1:9/...` (nothing listens there), and every request body is checked once more
before it is sent (an endpoint that is not that gets replaced by one the emulator rejects).
"""

import base64
import copy
import re

import pytest
import requests
from oas_helpers import METHODS, ROOT, document_operations, is_real, load_document
from oas_helpers import normalise as _normalise
from oas_real_fuzz import RealTargets

CONTRACT_CANDIDATES = [base / "shared" / "contract" / "API.md" for base in (ROOT.parent, ROOT, ROOT.parent.parent)]
CLIENT_ID = "oas-test-client"
CLIENT_SECRET = "oas-test-secret"

SAFE_ENDPOINT_RE = re.compile(r"^http://127\.0\.0\.1:9(/[A-Za-z0-9._~-]*)?$")
SAFE_ENDPOINT_PATTERN = r"^http://127\.0\.0\.1:9/[a-z0-9]{0,12}$"
SAFE_ENDPOINT = "http://127.0.0.1:9/hook"
REJECTED_ENDPOINT = "not-a-url"  # the emulator answers 422 for it, without storing anything

SEED_SCHEMA = {
    "name": "customerAccounts",
    "description": "Customer accounts",
    "fields": [
        {"name": "accountName", "type": "string", "required": True, "maxLength": 200},
        {"name": "tier", "type": "string", "options": ["gold", "silver", "bronze"]},
        {"name": "balance", "type": "number"},
        {"name": "active", "type": "boolean"},
        {"name": "openedOn", "type": "date"},
    ],
}
SEED_RECORDS = [
    {"id": "acct-0001", "accountName": "Acme", "tier": "gold", "balance": 1250.5, "active": True,
     "openedOn": "2023-04-01"},
    {"id": "acct-0002", "accountName": "Globex", "tier": "silver"},
]


# ---------------------------------------------------------------------------------------------
# 1. The document is valid OpenAPI 3.0
# ---------------------------------------------------------------------------------------------

def test_document_is_valid_openapi_3():
    """openapi-spec-validator when it is installed; the OpenAPI 3.0 meta-schema (the copy
    schemathesis ships) through jsonschema in any case."""
    doc = load_document()
    assert str(doc.get("openapi", "")).startswith("3.0"), doc.get("openapi")
    validated = False
    try:
        from openapi_spec_validator import validate
    except ImportError:
        validate = None
    if validate is not None:
        validate(doc)
        validated = True
    try:
        import jsonschema
        from schemathesis.specs.openapi.definitions import OPENAPI_30
    except ImportError:
        OPENAPI_30 = None
    if OPENAPI_30 is not None:
        errors = sorted(jsonschema.Draft4Validator(OPENAPI_30).iter_errors(doc), key=str)
        assert not errors, "\n".join("%s: %s" % (list(e.absolute_path), e.message) for e in errors[:20])
        validated = True
    # Structural checks that hold whatever validated the document.
    assert doc["info"]["title"] and doc["info"]["version"]
    for path, item in doc["paths"].items():
        assert path.startswith("/"), path
        for method, op in item.items():
            if method in METHODS:
                assert op["responses"] and op["operationId"], (method, path)
                for name in re.findall(r"\{(\w+)\}", path):
                    params = [_resolve(doc, prm) for prm in item.get("parameters", []) + op.get("parameters", [])]
                    assert any(prm["in"] == "path" and prm["name"] == name for prm in params), (method, path, name)
    assert validated, "neither openapi-spec-validator nor jsonschema + schemathesis is installed"


def _resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_document_describes_the_contract_conventions():
    """The cross-cutting parts the contract asks for are written down, not left implicit."""
    doc = load_document()
    servers = [s["url"] for s in doc["servers"]]
    assert "https://api.{domain}" in servers and "http://127.0.0.1:{port}" in servers
    flow = doc["components"]["securitySchemes"]["oauth"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/oauth/token"
    assert set(flow["scopes"]) == {"data:flex:read", "data:flex:schema:write", "customobject:record:read",
                                   "customobject:record:write", "webhooks:read", "webhooks:write",
                                   "architect", "architect:readonly", "workitems", "workitems:readonly",
                                   "process-automation", "process-automation:readonly"}
    for method, path in document_operations(doc):
        op = doc["paths"][path][method.lower()]
        responses = {code: _resolve(doc, r) for code, r in op["responses"].items()}
        for code, response in responses.items():
            assert "inin-correlation-id" in response.get("headers", {}), (method, path, code)
        if not path.startswith("/api/v2"):
            continue
        assert op.get("security"), (method, path)
        scoped = any(requirement.get("oauth") for requirement in op["security"])
        for code in ("401", "403", "429", "502", "503", "504") if scoped else ("401", "429", "502", "503", "504"):
            assert code in responses, (method, path, code)
        for code, response in responses.items():
            for header in ("inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"):
                assert header in response.get("headers", {}), (method, path, code, header)
        assert _resolve(doc, responses["429"]["headers"]["Retry-After"])["required"] is True
        if "requestBody" in op:
            for code in ("400", "413", "415"):
                assert code in responses, (method, path, code)
    etag_ops = [("GET", "/api/v2/data/flex/schemas/{schemaId}", "200"), ("POST", "/api/v2/data/flex/schemas", "201"),
                ("PUT", "/api/v2/data/flex/schemas/{schemaId}", "200")]
    for method, path, code in etag_ops:
        headers = _resolve(doc, doc["paths"][path][method.lower()]["responses"][code])["headers"]
        assert headers["ETag"]["$ref"].endswith("/ETag"), (method, path)
    put = doc["paths"]["/api/v2/data/flex/schemas/{schemaId}"]["put"]
    assert {"409", "422", "428"} <= set(put["responses"])


# ---------------------------------------------------------------------------------------------
# 2. Contract ⇔ document, and document ⇒ emulator routes
# ---------------------------------------------------------------------------------------------

def contract_operations(text):
    """Every METHOD + path the contract names: `METHOD /sub/path` spans under a section whose
    heading gives the base path, plus the token endpoint `POST {login}/oauth/token`."""
    found = set()
    base = None
    for line in text.splitlines():
        heading = re.match(r"^#+ .*`(/api/v2/[^`]*)`", line)
        if heading:
            base = heading.group(1).rstrip("/")
            continue
        if line.startswith("#"):
            base = None
        for method, rest in re.findall(r"`(GET|POST|PUT|DELETE|PATCH)\b([^`]*)`", line):
            rest = rest.strip()
            if rest.startswith("{login}"):
                found.add((method, rest[len("{login}"):].split("?")[0]))
                continue
            if base is None:
                continue
            sub = re.split(r"[?\[ ]", rest, maxsplit=1)[0] if rest.startswith("/") else ""
            found.add((method, base + sub))
    return {(m, _normalise(p)) for m, p in found}


def _contract_text():
    for candidate in CONTRACT_CANDIDATES:
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    pytest.skip("shared/contract/API.md is not beside the repository")


def test_contract_endpoints_match_the_document():
    contract = contract_operations(_contract_text())
    # The parser must see the whole contract, not a fragment of it.
    assert ("POST", "/oauth/token") in contract
    assert ("POST", "/api/v2/customobjects/{}/records/bulk/remove") in contract
    assert len(contract) == 17, sorted(contract)
    documented = {(m, _normalise(p)) for m, p in document_operations(load_document()) if not is_real(p)}
    assert contract - documented == set(), "in the contract but not in docs/openapi.yaml"
    assert documented - contract == set(), "in docs/openapi.yaml but not in the contract"


# --- the emulator ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def emulator():
    genesys_emulator = pytest.importorskip("genesys_emulator")
    emu = genesys_emulator.start_in_thread(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, rate_limit=1000000,
                                           delivery_backoff=0.01)
    try:
        yield emu
    finally:
        emu.stop()


def reset(emu):
    response = requests.post(emu.url + "/_emulator/reset", json={}, timeout=10)
    assert response.status_code == 200, response.text


def get_token(emu):
    response = requests.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"},
                             auth=(emu.client_id, emu.client_secret), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


class Api:
    def __init__(self, emu, token):
        self.base = emu.url
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["Authorization"] = "Bearer " + token

    def __call__(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.base + path, **kwargs)


def seed(api):
    """The data the document's examples name: schema customerAccounts with two records."""
    response = api("POST", "/api/v2/data/flex/schemas", json=SEED_SCHEMA)
    assert response.status_code == 201, response.text
    schema = response.json()
    response = api("POST", "/api/v2/customobjects/customerAccounts/records", json={"records": SEED_RECORDS})
    assert response.status_code == 200, response.text
    return schema


def test_every_documented_operation_is_served(emulator):
    """Each operation of the document, on real resources, answers its documented success."""
    doc = load_document()
    reset(emulator)
    token = get_token(emulator)
    api = Api(emulator, token)
    schema = seed(api)
    sid = schema["id"]
    records = "/api/v2/customobjects/customerAccounts/records"
    webhook_body = {"name": "routing-check", "enabled": False, "endpoint": SAFE_ENDPOINT,
                    "eventTypes": ["data.flex.schema.updated"]}
    created = {}

    def create_webhook():
        response = api("POST", "/api/v2/platform/webhooks", json=webhook_body)
        created["webhook"] = response.json()["id"] if response.status_code == 201 else None
        return response

    def webhook_id():
        return created.get("webhook") or "00000000-0000-4000-8000-000000000000"

    def delete_record():
        api("POST", records, json={"records": [{"id": "to-delete", "accountName": "Gone"}]})
        return api("DELETE", records + "/to-delete")

    # In order: the deletes come last, after the reads and writes they would spoil.
    calls = [
        ("POST", "/oauth/token", lambda: requests.post(
            emulator.url + "/oauth/token", data={"grant_type": "client_credentials"},
            auth=(emulator.client_id, emulator.client_secret), timeout=10)),
        ("GET", "/api/v2/data/flex/schemas", lambda: api("GET", "/api/v2/data/flex/schemas",
                                                         params={"name": "customerAccounts"})),
        ("POST", "/api/v2/data/flex/schemas", lambda: api("POST", "/api/v2/data/flex/schemas", json={
            "name": "disposable", "fields": [{"name": "code", "type": "string", "unique": True}]})),
        ("GET", "/api/v2/data/flex/schemas/{schemaId}", lambda: api("GET", "/api/v2/data/flex/schemas/" + sid)),
        ("PUT", "/api/v2/data/flex/schemas/{schemaId}", lambda: api(
            "PUT", "/api/v2/data/flex/schemas/" + sid, headers={"If-Match": '"1"'},
            json=dict(SEED_SCHEMA, description="changed", version=1))),
        ("GET", "/api/v2/customobjects/{schemaName}/records", lambda: api("GET", records, params={"pageSize": 500})),
        ("POST", "/api/v2/customobjects/{schemaName}/records", lambda: api("POST", records, json={
            "records": [{"id": "acct-0003", "accountName": "Initech"}]})),
        ("GET", "/api/v2/customobjects/{schemaName}/records/{recordId}", lambda: api("GET", records + "/acct-0001")),
        ("DELETE", "/api/v2/customobjects/{schemaName}/records/{recordId}", delete_record),
        ("POST", "/api/v2/customobjects/{schemaName}/records/bulk/remove", lambda: api(
            "POST", records + "/bulk/remove", json={"ids": ["acct-0003", "never-stored"]})),
        ("GET", "/api/v2/organizations/me", lambda: api("GET", "/api/v2/organizations/me")),
        ("GET", "/api/v2/platform/webhooks", lambda: api("GET", "/api/v2/platform/webhooks")),
        ("POST", "/api/v2/platform/webhooks", create_webhook),
        ("GET", "/api/v2/platform/webhooks/{webhookId}", lambda: api("GET", "/api/v2/platform/webhooks/"
                                                                     + webhook_id())),
        ("PUT", "/api/v2/platform/webhooks/{webhookId}", lambda: api(
            "PUT", "/api/v2/platform/webhooks/" + webhook_id(), json=dict(webhook_body, name="routing-check-2"))),
        ("DELETE", "/api/v2/platform/webhooks/{webhookId}", lambda: api("DELETE", "/api/v2/platform/webhooks/"
                                                                        + webhook_id())),
        ("DELETE", "/api/v2/data/flex/schemas/{schemaId}", lambda: api(
            "DELETE", "/api/v2/data/flex/schemas/" + sid, params={"force": "true"})),
    ]
    assert sorted((m, p) for m, p, _ in calls) == [(m, p) for m, p in document_operations(doc) if not is_real(p)], \
        "a documented operation is not exercised (REAL_API.md ones: test_openapi_real.py)"
    problems = []
    for method, path, call in calls:
        response = call()
        documented = doc["paths"][path][method.lower()]["responses"]
        success = sorted(code for code in documented if code.startswith("2"))
        if response.status_code in (404, 405) or str(response.status_code) not in success:
            problems.append("%s %s -> %d (documented success %s): %s"
                            % (method, path, response.status_code, success, response.text[:300]))
        if "inin-correlation-id" not in response.headers:
            problems.append("%s %s: no inin-correlation-id" % (method, path))
    assert not problems, "\n".join(problems)


def test_unknown_methods_are_405_not_404(emulator):
    """The routes exist for each documented path: a method it lacks is 405 (with Allow), not 404."""
    doc = load_document()
    token = get_token(emulator)
    api = Api(emulator, token)
    samples = {"{%s}" % name: value for name, value in SAMPLE_PATH_PARAMETERS.items()}
    for path, item in doc["paths"].items():
        concrete = path
        for name, value in samples.items():
            concrete = concrete.replace(name, value)
        response = api("PATCH", concrete)
        assert response.status_code == 405, (path, response.status_code, response.text[:200])
        allowed = {m.strip().upper() for m in response.headers.get("Allow", "").split(",")}
        documented = {m.upper() for m in item if m in METHODS}
        assert documented <= allowed, (path, allowed, documented)


# ---------------------------------------------------------------------------------------------
# 3. Schemathesis: the emulator's answers conform to the document
# ---------------------------------------------------------------------------------------------

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402  (schemathesis brings hypothesis)
from schemathesis import checks as st_checks  # noqa: E402

MAX_EXAMPLES = 15
CONFORMANCE_CHECKS = [st_checks.status_code_conformance, st_checks.content_type_conformance,
                      st_checks.response_headers_conformance, st_checks.response_schema_conformance]
SAMPLE_PATH_PARAMETERS = {"schemaId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "schemaName": "customerAccounts",
                          "recordId": "acct-0001", "webhookId": "0f8fad5b-d9cb-469f-a165-70867728950e",
                          "tableId": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "rowKey": "S001",
                          "jobId": "16fd2706-8baf-433b-82eb-8c7fada847da",
                          "workitemSchemaId": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "versionNumber": "1",
                          "triggerId": "9b2f6a1e-0c1d-4e5f-8a9b-1c2d3e4f5a6b"}
ALL_SCOPES = ("data:flex:read", "data:flex:schema:write", "customobject:record:read", "customobject:record:write",
              "webhooks:read", "webhooks:write")


def _example_case(schema, method, path):
    """A schemathesis Case for one operation, filled from the document's examples."""
    operation = schema[path][method]
    raw = operation.definition.raw
    kwargs = {}
    names = re.findall(r"\{(\w+)\}", path)
    if names:
        kwargs["path_parameters"] = {name: SAMPLE_PATH_PARAMETERS[name] for name in names}
    if "requestBody" in raw:
        content = raw["requestBody"]["content"]
        media_type = next(iter(content))
        kwargs["body"] = copy.deepcopy(content[media_type]["example"])
        kwargs["media_type"] = media_type
    if method == "PUT" and path.endswith("{schemaId}"):
        kwargs["headers"] = {"If-Match": '"1"'}
    return operation.Case(**kwargs)


def _control(emu, method, path, **kwargs):
    response = requests.request(method, emu.url + "/_emulator" + path, timeout=10, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def _client_token(emu, client_id, scopes):
    _control(emu, "POST", "/clients", json={"client_id": client_id, "client_secret": "s3cret", "scopes": scopes})
    response = requests.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"},
                             auth=(client_id, "s3cret"), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_error_statuses_conform_to_the_document(emulator):
    """401, 403, 429 and injected 502/503/504 on every API operation (and the token endpoint's
    400/401/503) answer as documented: status listed, Error body, required headers."""
    schema = schemathesis.openapi.from_dict(fuzzing_document())
    doc = load_document()
    reset(emulator)
    failures = []

    def check(label, case, response):
        try:
            case.validate_response(response, checks=CONFORMANCE_CHECKS)
        except AssertionError as exc:  # schemathesis' FailureGroup is an AssertionError
            failures.append("%s: %s" % (label, str(exc)[:1500]))
        except Exception as exc:  # noqa: BLE001 - report every operation, not only the first
            failures.append("%s: %r" % (label, exc))

    # The token endpoint.
    case = _example_case(schema, "POST", "/oauth/token")
    basic = {"Authorization": "Basic " + base64.b64encode(b"%s:%s" % (
        emulator.client_id.encode(), emulator.client_secret.encode())).decode()}
    wrong = {"Authorization": "Basic " + base64.b64encode(b"nobody:wrong").decode()}
    for label, headers, body, expected in [
            ("token 200", basic, {"grant_type": "client_credentials"}, 200),
            ("token 401", wrong, {"grant_type": "client_credentials"}, 401),
            ("token 400 grant", basic, {"grant_type": "password"}, 400),
            ("token 400 scope", basic, {"grant_type": "client_credentials", "scope": "no:such:scope"}, 400)]:
        case.body = body
        response = case.call(base_url=emulator.url, headers=headers, timeout=10)
        assert response.status_code == expected, (label, response.text)
        check(label, case, response)
    _control(emulator, "POST", "/faults", json={"path": "^/oauth/token$", "status": 503, "retry_after": 1})
    case.body = {"grant_type": "client_credentials"}
    response = case.call(base_url=emulator.url, headers=basic, timeout=10)
    assert response.status_code == 503 and response.headers.get("retry-after") == ["1"], response.text
    check("token 503", case, response)

    api_operations = [(m, p) for m, p in document_operations(doc) if p.startswith("/api/v2")]
    full_token = get_token(emulator)
    for method, path in api_operations:
        case = _example_case(schema, method, path)
        label = "%s %s" % (method, path)
        # 401: no token, then an unknown one.
        for token in (None, "not-a-token"):
            headers = {"Authorization": "Bearer " + token} if token else {}
            response = case.call(base_url=emulator.url, headers=headers, timeout=10)
            assert response.status_code == 401, (label, response.text)
            check(label + " 401", case, response)
        # 403: a token whose only scope is one this operation does not accept.
        accepted = {scope for requirement in doc["paths"][path][method.lower()]["security"]
                    for scope in requirement.get("oauth", [])}
        if not accepted:  # any valid token (GET /api/v2/organizations/me): no 403 to provoke
            response = case.call(base_url=emulator.url, timeout=10, headers={
                "Authorization": "Bearer " + _client_token(emulator, "limited", ["webhooks:read"])})
            assert response.status_code == 200, (label, response.text)
        else:
            other = next(scope for scope in ALL_SCOPES if scope not in accepted
                         and not scope.startswith(tuple(a.split(":")[0] for a in accepted)))
            response = case.call(base_url=emulator.url, timeout=10, headers={
                "Authorization": "Bearer " + _client_token(emulator, "limited", [other])})
            assert response.status_code == 403, (label, other, response.text)
            assert any(scope in response.json()["message"] for scope in accepted), response.text
            check(label + " 403", case, response)
        # 502/503/504, injected before the request is applied.
        concrete = path
        for name, value in SAMPLE_PATH_PARAMETERS.items():
            concrete = concrete.replace("{%s}" % name, value)
        for status in (502, 503, 504):
            _control(emulator, "POST", "/faults", json={"method": method, "path": "^%s$" % re.escape(concrete),
                                                        "status": status, "retry_after": 2})
            response = case.call(base_url=emulator.url, timeout=10,
                                 headers={"Authorization": "Bearer " + full_token})
            assert response.status_code == status, (label, response.text)
            check("%s %d" % (label, status), case, response)

    # 429: a window of 1 request per token; the second request of a fresh token is refused.
    _control(emulator, "POST", "/settings", json={"rate_limit": 1})
    try:
        for method, path in api_operations:
            case = _example_case(schema, method, path)
            headers = {"Authorization": "Bearer " + get_token(emulator)}
            requests.get(emulator.url + "/api/v2/platform/webhooks", headers=headers, timeout=10)
            response = case.call(base_url=emulator.url, headers=headers, timeout=10)
            assert response.status_code == 429, (method, path, response.text)
            assert int(response.headers["retry-after"][0]) >= 1  # schemathesis' Response: lower-case, lists
            check("%s %s 429" % (method, path), case, response)
    finally:
        reset(emulator)
    assert not failures, "\n\n".join(failures)


# ---------------------------------------------------------------------------------------------
# 3b. Schemathesis fuzzing
# ---------------------------------------------------------------------------------------------

def fuzzing_document():
    """A copy of the document that only lets webhooks point at a dead loopback port."""
    doc = copy.deepcopy(load_document())
    webhook_input = doc["components"]["schemas"]["WebhookInput"]["properties"]
    webhook_input["endpoint"] = {"type": "string", "pattern": SAFE_ENDPOINT_PATTERN}
    for path, method in (("/api/v2/platform/webhooks", "post"), ("/api/v2/platform/webhooks/{webhookId}", "put")):
        media = doc["paths"][path][method]["requestBody"]["content"]["application/json"]
        media["example"] = dict(media["example"], endpoint=SAFE_ENDPOINT)
    return doc


def make_body_safe(case):
    """Belt and braces: no generated body may carry a webhook endpoint that is not loopback."""
    body = getattr(case, "body", None)
    if case.operation.path.startswith("/api/v2/platform/webhooks") and isinstance(body, dict) \
            and "endpoint" in body:
        if not (isinstance(body["endpoint"], str) and SAFE_ENDPOINT_RE.match(body["endpoint"])):
            body["endpoint"] = REJECTED_ENDPOINT


class FuzzTarget:
    """Real resources for the fuzzer: the seed schema and webhook to read, and disposable
    schemas, webhooks and records to update and delete (the seed must survive the run)."""

    def __init__(self, emu):
        self.serial = 0
        reset(emu)
        self.token = get_token(emu)
        self.api = Api(emu, self.token)
        self.schema_id = seed(self.api)["id"]
        self.webhook_id = self.new_webhook()
        self.real = RealTargets(self.api, emu.url)  # data tables, workitem schemas, triggers (REAL_API.md)

    def _next(self):
        self.serial += 1
        return self.serial

    def new_schema(self):
        response = self.api("POST", "/api/v2/data/flex/schemas", json={
            "name": "disposable%d" % self._next(), "fields": [{"name": "code", "type": "string"}]})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def new_webhook(self):
        response = self.api("POST", "/api/v2/platform/webhooks", json={
            "name": "disposable-%d" % self._next(), "enabled": False, "endpoint": SAFE_ENDPOINT,
            "eventTypes": ["customobjects.records.changed"]})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def new_record(self):
        record_id = "disposable-%d" % self._next()
        response = self.api("POST", "/api/v2/customobjects/customerAccounts/records",
                            json={"records": [{"id": record_id, "accountName": "Disposable"}]})
        assert response.status_code == 200, response.text
        return record_id

    def aim(self, case):
        """Point a valid-shaped case at real resources (the generator only knows random ids)."""
        params = case.path_parameters
        method = case.operation.method.upper()
        if "schemaName" in params:
            params["schemaName"] = "customerAccounts"
        if "recordId" in params:
            params["recordId"] = self.new_record() if method == "DELETE" else "acct-0001"
        if "schemaId" in params:
            params["schemaId"] = self.schema_id if method == "GET" else self.new_schema()
            if method == "PUT":
                case.headers["If-Match"] = '"1"'
                if isinstance(case.body, dict) and "version" in case.body:
                    case.body["version"] = 1
        if "webhookId" in params:
            params["webhookId"] = self.webhook_id if method == "GET" else self.new_webhook()
        self.real.aim(case)


@pytest.fixture(scope="module")
def fuzz_target(emulator):
    return FuzzTarget(emulator)


def is_positive(case):
    meta = case.meta
    return meta is None or not meta.generation.mode.is_negative


# The fuzzing run. Loaded at import time (the document needs no server); the emulator's URL is
# given to each call (`call_and_validate(base_url=...)`).
#
# Why not `@schema.parametrize()` or `schemathesis.pytest.from_fixture`: with the project's
# pins (pytest 9.2.0, pytest-xdist 3.8.0, schemathesis 4.32.5) and pytest.ini's `-n 2`,
# `parametrize()` collapses into one item under xdist that runs only the first operation and
# does not report failing subtests (the test passes while an operation fails), and the lazy
# loader touches `Function._nodeid`, which pytest 9 no longer has. So each operation is a
# plain pytest parameter, and its Hypothesis test is built with the same per-operation
# builder that `parametrize()` uses (examples, coverage and fuzzing phases, all checks).
from schemathesis.generation.feedback import FeedbackSources  # noqa: E402
from schemathesis.pytest._test_builder import build_operation_test  # noqa: E402

api_schema = schemathesis.openapi.from_dict(fuzzing_document())
api_schema.config.generation.update(max_examples=MAX_EXAMPLES)
api_schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
# The contract answers a PUT without its required If-Match with 428 precondition.required.
api_schema.config.checks.missing_required_header.expected_statuses = ["400", "401", "403", "415", "422", "428"]
FUZZ_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))

# Valid-shaped requests meet real state (unknown ids, taken names, version mismatches), so a
# documented 404/409/422/428 for them is right: positive_data_acceptance does not apply.
EXCLUDED_CHECKS = [st_checks.positive_data_acceptance]


@pytest.mark.parametrize("label", ["%s %s" % op for op in document_operations(load_document())])
def test_emulator_conforms_to_the_document(label, emulator, fuzz_target):
    method, path = label.split(" ", 1)
    operation = api_schema[path][method]
    if path == "/oauth/token":
        credentials = base64.b64encode(("%s:%s" % (emulator.client_id, emulator.client_secret)).encode()).decode()
        headers = {"Authorization": "Basic " + credentials}
    else:
        headers = {"Authorization": "Bearer " + fuzz_target.token}
    calls = []

    def check_case(case):
        calls.append(1)
        make_body_safe(case)
        if case.path_parameters and is_positive(case) and fuzz_target._next() % 2:
            fuzz_target.aim(case)
        case.call_and_validate(base_url=emulator.url, headers=headers, excluded_checks=EXCLUDED_CHECKS,
                               timeout=10)

    test = build_operation_test(config=api_schema.config, operation=operation, test_func=check_case,
                                given_kwargs={}, feedback=FeedbackSources(), explicit_settings=FUZZ_SETTINGS)
    test()
    # An operation without parameters or body (GET /api/v2/organizations/me) has few distinct requests.
    parameterless = not re.search(r"\{", path) and "requestBody" not in operation.definition.raw \
        and not operation.definition.raw.get("parameters")
    assert len(calls) >= (1 if parameterless else MAX_EXAMPLES), "schemathesis made only %d requests" % len(calls)


def test_fuzzing_left_no_outside_webhook(emulator):
    """Whatever the fuzzer created, every stored webhook points at this machine only."""
    with emulator.app_state.lock:
        endpoints = [w["endpoint"] for w in emulator.app_state.webhooks.values()]
    assert all(SAFE_ENDPOINT_RE.match(e) for e in endpoints), endpoints
