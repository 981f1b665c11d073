"""docs/openapi.yaml against shared/contract/REAL_API.md, and the emulator serving each of its operations.

The conformance checks of test_openapi.py (401/403/429/502/503/504 on every operation, the
schemathesis fuzzing run, 405 for other methods) already run over every operation of the
document, these included; this module checks that the document covers the real contract,
nothing more, and that each operation answers its documented success on real resources.
"""

import re

import pytest
import requests
from oas_helpers import ROOT, document_operations, is_real, load_document, normalise

CONTRACT_CANDIDATES = [base / "shared" / "contract" / "REAL_API.md" for base in (ROOT.parent, ROOT, ROOT.parent.parent)]
CLIENT_ID, CLIENT_SECRET = "oas-real-client", "oas-real-secret"

# Operations REAL_API.md names in prose rather than as `METHOD path`: "a later `GET` answers
# 200 with deleted" (a schema by id), "`/versions/{n}` returns one", and a trigger by id
# (read-after-create applies to reads by id of tables, schemas and triggers).
NAMED_IN_PROSE = {("GET", "/api/v2/taskmanagement/workitems/schemas/{}"),
                  ("GET", "/api/v2/taskmanagement/workitems/schemas/{}/versions/{}"),
                  ("GET", "/api/v2/processautomation/triggers/{}")}


def contract_text():
    for candidate in CONTRACT_CANDIDATES:
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    pytest.skip("shared/contract/REAL_API.md is not beside the repository")


def real_contract_operations(text):
    """`METHOD /api/v2/...` spans, `METHOD .../tail` spans (relative to the section's heading path,
    whose last segment starts the tail), and a bare `METHOD` (the heading path itself)."""
    found, base = set(), None
    for line in text.splitlines():
        heading = re.match(r"^#+ .*`(/api/v2/[^`]*)`", line)
        if heading:
            base = heading.group(1).rstrip("/")
            continue
        if line.startswith("#"):
            base = None
        for method, rest in re.findall(r"`(GET|POST|PUT|DELETE)\b([^`]*)`(?![A-Za-z])", line):
            rest = re.split(r"[?\s]", rest.strip(), maxsplit=1)[0]
            if rest.startswith("/api/v2/"):
                found.add((method, rest))
            elif rest.startswith(".../") and base:
                first = rest[4:].split("/")[0]
                found.add((method, base[:base.rindex("/" + first)] + "/" + rest[4:]))
            elif not rest and base:
                found.add((method, base))
    return {(m, normalise(p)) for m, p in found}


def test_the_document_covers_the_real_contract_and_nothing_more():
    contract = real_contract_operations(contract_text())
    assert ("PUT", "/api/v2/flows/datatables/{}/rows/{}") in contract  # the parser saw the rows section
    assert ("POST", "/api/v2/flows/datatables/{}/import/csv/jobs") in contract  # and the bare `POST`
    assert ("GET", "/api/v2/flows") in contract
    contract = {(m, p) for m, p in contract if p != "/api/v2/organizations/me"} | NAMED_IN_PROSE
    documented = {(m, normalise(p)) for m, p in document_operations(load_document()) if is_real(p)}
    assert len(contract) == 28, sorted(contract)
    assert contract - documented == set(), "in REAL_API.md but not in docs/openapi.yaml"
    assert documented - contract == set(), "in docs/openapi.yaml but not in REAL_API.md"


def test_real_operations_need_the_real_scopes():
    doc = load_document()
    for method, path in document_operations(doc):
        if not is_real(path):
            continue
        scopes = {s for requirement in doc["paths"][path][method.lower()]["security"] for s in requirement["oauth"]}
        family = {"datatables": "architect", "flows": "architect", "taskmanagement": "workitems",
                  "processautomation": "process-automation"}[re.findall(r"[a-z]+", path)[3 if "/flows/" in path
                                                                                         else 2]]
        assert family in scopes, (method, path, scopes)  # the write scope always serves
        if method == "GET" or path.endswith("/test"):
            assert family + ":readonly" in scopes, (method, path, scopes)
        else:
            assert scopes == {family}, (method, path, scopes)


@pytest.fixture(scope="module")
def emulator():
    genesys_emulator = pytest.importorskip("genesys_emulator")
    emu = genesys_emulator.start_in_thread(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, rate_limit=1000000)
    yield emu
    emu.stop()


def test_every_real_operation_is_served(emulator):
    doc = load_document()
    session = requests.Session()
    session.trust_env = False
    token = session.post(emulator.url + "/oauth/token", data={"grant_type": "client_credentials"},
                         auth=(CLIENT_ID, CLIENT_SECRET), timeout=10).json()["access_token"]
    session.headers["Authorization"] = "Bearer " + token

    def api(method, path, **kwargs):
        return session.request(method, emulator.url + path, timeout=10, **kwargs)

    def example(method, path):
        return doc["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]["example"]

    workflow = session.post(emulator.url + "/_emulator/workflows", json={"name": "Escalate",
                                                                         "id": "5c4e7e3a-1d2b-4c5d-8e9f-0a1b2c3d4e5f"},
                            timeout=10).json()
    ids = {}
    tables, schemas, triggers = "/api/v2/flows/datatables", "/api/v2/taskmanagement/workitems/schemas", \
        "/api/v2/processautomation/triggers"

    def create(path, kind, body):
        response = api("POST", path, json=body)
        ids[kind] = response.json().get("id") if response.status_code == 200 else "missing"
        return response

    def t(suffix=""):
        return tables + "/" + ids.get("table", "missing") + suffix

    def s(suffix=""):
        return schemas + "/" + ids.get("schema", "missing") + suffix

    def tr(suffix=""):
        return triggers + "/" + ids.get("trigger", "missing") + suffix

    def import_job():
        response = api("POST", t("/import/csv/jobs"), json=example("POST", tables + "/{tableId}/import/csv/jobs"))
        ids["job"] = response.json().get("id", "missing")
        return response

    row = example("POST", tables + "/{tableId}/rows")
    calls = [
        ("POST", tables, lambda: create(tables, "table", example("POST", tables))),
        ("GET", tables, lambda: api("GET", tables, params={"expand": "schema", "name": "store*"})),
        ("GET", tables + "/{tableId}", lambda: api("GET", t(), params={"expand": "schema"})),
        ("PUT", tables + "/{tableId}", lambda: api("PUT", t(), json=example("PUT", tables + "/{tableId}"))),
        ("POST", tables + "/{tableId}/rows", lambda: api("POST", t("/rows"), json=row)),
        ("GET", tables + "/{tableId}/rows", lambda: api("GET", t("/rows"), params={"showbrief": "false"})),
        ("GET", tables + "/{tableId}/rows/{rowKey}", lambda: api("GET", t("/rows/" + row["key"]))),
        ("PUT", tables + "/{tableId}/rows/{rowKey}", lambda: api("PUT", t("/rows/" + row["key"]), json=row)),
        ("DELETE", tables + "/{tableId}/rows/{rowKey}", lambda: api("DELETE", t("/rows/" + row["key"]))),
        ("POST", tables + "/{tableId}/import/csv/jobs", import_job),
        ("GET", tables + "/{tableId}/import/jobs/{jobId}", lambda: api("GET", t("/import/jobs/" + ids["job"]))),
        ("GET", "/api/v2/flows", lambda: api("GET", "/api/v2/flows", params={"type": "workflow"})),
        ("POST", schemas, lambda: create(schemas, "schema", example("POST", schemas))),
        ("GET", schemas, lambda: api("GET", schemas)),
        ("GET", schemas + "/limits", lambda: api("GET", schemas + "/limits")),
        ("GET", schemas + "/{workitemSchemaId}", lambda: api("GET", s())),
        ("PUT", schemas + "/{workitemSchemaId}", lambda: api("PUT", s(), json=example(
            "PUT", schemas + "/{workitemSchemaId}"))),
        ("GET", schemas + "/{workitemSchemaId}/versions", lambda: api("GET", s("/versions"))),
        ("GET", schemas + "/{workitemSchemaId}/versions/{versionNumber}", lambda: api("GET", s("/versions/2"))),
        ("POST", triggers, lambda: create(triggers, "trigger", example("POST", triggers))),
        ("GET", triggers, lambda: api("GET", triggers, params={"pageSize": "10"})),
        ("GET", triggers + "/topics", lambda: api("GET", triggers + "/topics")),
        ("GET", triggers + "/{triggerId}", lambda: api("GET", tr())),
        ("PUT", triggers + "/{triggerId}", lambda: api("PUT", tr(), json=example("PUT", triggers + "/{triggerId}"))),
        ("POST", triggers + "/{triggerId}/test", lambda: api("POST", tr("/test"), json=example(
            "POST", triggers + "/{triggerId}/test"))),
        ("DELETE", triggers + "/{triggerId}", lambda: api("DELETE", tr())),
        ("DELETE", schemas + "/{workitemSchemaId}", lambda: api("DELETE", s())),
        ("DELETE", tables + "/{tableId}", lambda: api("DELETE", t())),
    ]
    assert sorted((m, p) for m, p, _ in calls) == [(m, p) for m, p in document_operations(doc) if is_real(p)]
    assert workflow["id"] == example("POST", triggers)["target"]["id"]
    problems = []
    for method, path, call in calls:
        response = call()
        success = sorted(code for code in doc["paths"][path][method.lower()]["responses"] if code.startswith("2"))
        if str(response.status_code) not in success:
            problems.append("%s %s -> %d (documented %s): %s" % (method, path, response.status_code, success,
                                                                 response.text[:300]))
    assert not problems, "\n".join(problems)
