"""The test-control interface: faults, hooks, settings, clients, logs, state and reset; the CLI."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from emu_helpers import SCHEMAS, assert_error, records_path

import genesys_emulator

EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(genesys_emulator.__file__)))


def _names(emu):
    return [s["name"] for s in emu.api("GET", SCHEMAS).json()["entities"]]


def test_status_fault_answers_without_applying(emu):
    emu.control("POST", "/faults", json={"method": "POST", "path": "^/api/v2/data/flex/schemas$", "count": 2,
                                         "action": "status", "status": 503, "retry_after": 2})
    assert emu.control("GET", "/faults")[0]["count"] == 2
    first = emu.api("POST", SCHEMAS, json={"name": "a", "fields": []})
    assert_error(first, 503, "service.unavailable")
    assert first.headers["Retry-After"] == "2"
    assert "inin-ratelimit-count" in first.headers
    assert emu.api("GET", SCHEMAS).status_code == 200  # GET does not match the fault
    assert emu.control("GET", "/faults")[0]["count"] == 1
    assert_error(emu.api("POST", SCHEMAS, json={"name": "a", "fields": []}), 503, "service.unavailable")
    assert emu.control("GET", "/faults") == []
    assert emu.api("POST", SCHEMAS, json={"name": "a", "fields": []}).status_code == 201
    assert _names(emu) == ["a"]


@pytest.mark.parametrize("status,code", [(502, "bad.gateway"), (504, "gateway.timeout"),
                                         (500, "internal.server.error"), (429, "too.many.requests")])
def test_status_fault_default_codes(emu, status, code):
    assert emu.token  # before the fault, which matches any request
    emu.control("POST", "/faults", json={"status": status})
    response = emu.api("GET", SCHEMAS)
    assert_error(response, status, code)
    assert "Retry-After" not in response.headers


def test_status_fault_with_custom_code_on_the_token_endpoint(emu):
    emu.control("POST", "/faults", json={"path": "^/oauth/token", "status": 503, "code": "login.down"})
    response = emu.session.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"},
                                auth=("x", "y"))
    assert_error(response, 503, "login.down")
    assert emu.get_token()


def test_faults_match_in_order_and_can_be_cleared(emu):
    assert emu.token
    emu.control("POST", "/faults", json={"status": 502})
    emu.control("POST", "/faults", json={"status": 504})
    assert_error(emu.api("GET", SCHEMAS), 502, "bad.gateway")
    emu.control("DELETE", "/faults")
    assert emu.api("GET", SCHEMAS).status_code == 200


def test_drop_before_does_not_apply_the_request(emu):
    emu.control("POST", "/faults", json={"method": "POST", "action": "drop_before"})
    with pytest.raises(requests.ConnectionError):
        emu.api("POST", SCHEMAS, json={"name": "a", "fields": []})
    assert _names(emu) == []
    entry = [e for e in emu.control("GET", "/requests") if e["method"] == "POST"][0]
    assert entry["fault"] == "drop_before" and entry["status"] is None


def test_drop_after_applies_the_request_first(emu):
    emu.control("POST", "/faults", json={"method": "POST", "path": "/records$", "action": "drop_after"})
    emu.create_schema("acc", [{"name": "n", "type": "number"}])
    with pytest.raises(requests.ConnectionError):
        emu.upsert("acc", [{"id": "a", "n": 1}])
    assert emu.api("GET", records_path("acc") + "/a").json()["n"] == 1
    entry = [e for e in emu.control("GET", "/requests") if e["path"].endswith("/records")][0]
    assert entry["fault"] == "drop_after" and entry["status"] == 200


@pytest.mark.parametrize("spec", [{"action": "explode"}, {"status": 200}, {"action": "status"}, {"count": 0},
                                  {"path": "(", "status": 500}, {"status": 503, "retry_after": "soon"}])
def test_invalid_fault_specs_are_rejected(emu, spec):
    response = emu.session.post(emu.url + "/_emulator/faults", json=spec)
    assert_error(response, 400, "bad.request")


def test_schema_update_hook_makes_the_next_put_stale(emu):
    schema = emu.create_schema("acc", [{"name": "a", "type": "string"}])
    emu.control("POST", "/hooks", json={"path": "^/api/v2/data/flex/schemas/[^/]+$", "action": {
        "type": "schema_update", "schema": "acc", "description": "changed by Bob",
        "set_fields": [{"name": "b", "type": "number"}]}})
    read = emu.api("GET", SCHEMAS + "/" + schema["id"])
    assert read.json()["version"] == 1  # the answer predates the hook
    body = assert_error(emu.put_schema(read.json(), description="mine"), 409, "version.mismatch")
    assert "2" in body["message"]
    current = emu.api("GET", SCHEMAS + "/" + schema["id"]).json()
    assert current["version"] == 2 and current["description"] == "changed by Bob"
    assert [f["name"] for f in current["fields"]] == ["a", "b"]
    hook = emu.control("GET", "/hooks")[0]
    assert hook["fired"] == 1 and hook["count"] == 0 and hook["error"] is None


def test_invalid_hook_action_is_recorded_and_changes_nothing(emu):
    schema = emu.create_schema("acc", [{"name": "a", "type": "string"}])
    emu.upsert("acc", [{"id": "r", "a": "text"}])
    emu.control("POST", "/hooks", json={"method": "*", "path": "/records", "action": {
        "type": "schema_update", "schema": "acc", "set_fields": [{"name": "a", "type": "number"}]}})
    emu.api("GET", records_path("acc"))
    hook = emu.control("GET", "/hooks")[0]
    assert hook["error"]["code"] == "type.change.incompatible"
    assert emu.api("GET", SCHEMAS + "/" + schema["id"]).json()["version"] == 1


def test_record_upsert_and_schema_delete_hooks(emu):
    emu.create_schema("acc", [{"name": "a", "type": "string"}])
    emu.control("POST", "/hooks", json={"path": "^/api/v2/data/flex/schemas$", "action": {
        "type": "record_upsert", "schema": "acc", "records": [{"id": "bob", "a": "from Bob"}]}})
    emu.control("POST", "/hooks", json={"path": "/records/bob$",
                                        "action": {"type": "schema_delete", "schema": "acc"}})
    emu.api("GET", SCHEMAS)
    assert emu.api("GET", records_path("acc") + "/bob").json()["a"] == "from Bob"
    assert _names(emu) == []
    assert emu.control("DELETE", "/hooks") == []


def test_hooks_do_not_fire_on_failed_requests(emu):
    emu.create_schema("acc", [])
    emu.control("POST", "/hooks", json={"path": "/schemas/", "action": {"type": "schema_delete", "schema": "acc"}})
    emu.api("GET", SCHEMAS + "/unknown")
    assert _names(emu) == ["acc"]


def test_settings_get_set_and_validation(emu, emu_server):
    assert emu.control("GET", "/settings") == {"token_lifetime": 3600, "rate_limit": 300, "rate_window": 60,
                                               "latency_ms": 0, "delivery_backoff": 0.05, "rate_reset_step": 1}
    assert emu.control("POST", "/settings", json={"rate_limit": 50})["rate_limit"] == 50
    assert_error(emu.session.post(emu.url + "/_emulator/settings", json={"colour": 1}), 400, "bad.request")
    assert_error(emu.session.post(emu.url + "/_emulator/settings", json={"rate_limit": 0}), 400, "bad.request")
    emu.control("POST", "/reset", json={})
    assert emu.control("GET", "/settings")["rate_limit"] == 300


def test_latency_is_added_to_api_requests(emu):
    emu.control("POST", "/settings", json={"latency_ms": 150})
    started = time.monotonic()
    emu.api("GET", SCHEMAS)
    assert time.monotonic() - started >= 0.15


def test_clients_can_be_added_and_reset_forgets_them(emu):
    emu.control("POST", "/clients", json={"client_id": "bob", "client_secret": "pw", "scopes": ["webhooks:read"]})
    token = emu.get_token("bob", "pw")
    assert_error(emu.api("GET", SCHEMAS, token=token), 403, "missing.scope")
    assert_error(emu.session.post(emu.url + "/_emulator/clients", json={"client_id": "x"}), 400, "bad.request")
    emu.control("POST", "/reset", json={})
    assert emu.session.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"},
                            auth=("bob", "pw")).status_code == 401


def test_request_log_records_api_and_token_requests(emu):
    emu.control("DELETE", "/requests")
    token = emu.get_token()
    schema = emu.create_schema("acc", [])
    emu.api("GET", SCHEMAS + "?pageSize=5", token=token)
    emu.put_schema(schema, description="x")
    emu.control("GET", "/settings")  # control requests are not logged
    log = emu.control("GET", "/requests")
    assert [(e["method"], e["path"]) for e in log][-4:] == [
        ("POST", "/oauth/token"), ("POST", SCHEMAS), ("GET", SCHEMAS), ("PUT", SCHEMAS + "/" + schema["id"])]
    token_entry, post, get, put = log[-4:]
    assert token_entry["client_id"] == "emu-test-client" and token_entry["status"] == 200
    assert post["status"] == 201 and post["body_bytes"] > 0 and post["fault"] is None
    assert get["query"] == "pageSize=5" and get["client_id"] == "emu-test-client"
    assert put["if_match"] == '"1"' and put["status"] == 200
    assert len({e["correlation_id"] for e in log}) == len(log)
    assert [e["seq"] for e in log] == sorted(e["seq"] for e in log)
    assert all(e["time"].endswith("Z") and e["duration_ms"] >= 0 for e in log)
    emu.control("DELETE", "/requests")
    assert emu.control("GET", "/requests") == []


def test_state_dump_and_load_round_trip(emu):
    emu.create_schema("acc", [{"name": "a", "type": "string"}])
    emu.upsert("acc", [{"id": "r1", "a": "x"}])
    emu.api("POST", "/api/v2/platform/webhooks", json={"name": "w", "endpoint": "https://example.com/h",
                                                       "eventTypes": ["data.flex.schema.created"], "secret": "s"})
    document = emu.control("GET", "/state")
    token = emu.token
    emu.control("POST", "/reset", json={})
    fresh = emu.get_token()
    assert emu.api("GET", SCHEMAS, token=fresh).json()["total"] == 0
    loaded = emu.control("PUT", "/state", json=document)
    assert loaded == document
    assert emu.api("GET", records_path("acc") + "/r1", token=token).json()["a"] == "x"
    assert emu.api("GET", "/api/v2/platform/webhooks").json()["entities"][0]["secretSet"] is True
    assert_error(emu.session.put(emu.url + "/_emulator/state", json={"schemas": [{"no": "id"}]}), 400, "bad.request")


def test_reset_forgets_everything(emu):
    emu.create_schema("acc", [])
    emu.control("POST", "/faults", json={"status": 500, "path": "^/nothing"})
    emu.control("POST", "/reset", json={})
    assert emu.control("GET", "/faults") == [] and emu.control("GET", "/deliveries") == []
    assert_error(emu.api("GET", SCHEMAS), 401, "bad.credentials")  # tokens are forgotten too


def test_state_file_survives_a_restart(tmp_path):
    state_file = str(tmp_path / "state.json")
    first = genesys_emulator.start_in_thread(client_id="c", client_secret="s", state_file=state_file)
    try:
        token = requests.post(first.url + "/oauth/token", data={"grant_type": "client_credentials"},
                              auth=("c", "s")).json()["access_token"]
        created = requests.post(first.url + SCHEMAS, json={"name": "kept", "fields": []},
                                headers={"Authorization": "Bearer " + token})
        assert created.status_code == 201
        assert json.load(open(state_file))["schemas"][0]["name"] == "kept"  # saved after the change
    finally:
        first.stop()
    second = genesys_emulator.start_in_thread(client_id="c", client_secret="s", state_file=state_file)
    try:
        listing = requests.get(second.url + SCHEMAS, headers={"Authorization": "Bearer " + token})
        assert [s["name"] for s in listing.json()["entities"]] == ["kept"]
    finally:
        second.stop()


def test_cli_prints_its_address_and_saves_state_on_sigterm(tmp_path):
    state_file = tmp_path / "cli-state.json"
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, "-m", "genesys_emulator", "--port", "0", "--client-id", "cli",
                                "--state-file", str(state_file), "--rate-limit", "7"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        info = json.loads(process.stdout.readline())
        assert info["client_id"] == "cli" and info["client_secret"] and info["url"].startswith("http://127.0.0.1:")
        token = requests.post(info["url"] + "/oauth/token", data={"grant_type": "client_credentials"},
                              auth=("cli", info["client_secret"])).json()["access_token"]
        response = requests.get(info["url"] + SCHEMAS, headers={"Authorization": "Bearer " + token})
        assert response.headers["inin-ratelimit-allowed"] == "7"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert token in json.loads(state_file.read_text())["tokens"]


def test_a_fault_after_n_requests_and_the_record_ids_of_each_batch_in_the_log(emu):
    emu.create_schema("things", [{"name": "label", "type": "string"}])
    emu.control("POST", "/faults", json={"method": "POST", "path": "/records$", "after": 2, "status": 500})
    emu.control("DELETE", "/requests")
    answers = [emu.api("POST", records_path("things"), json={"records": [{"id": "t%d" % n}, {"id": "u%d" % n}]})
               for n in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 500, 200]
    log = [e for e in emu.control("GET", "/requests") if e["method"] == "POST"]
    # The faulted request never reached the records: it names none.
    assert [e.get("record_ids") for e in log] == [["t0", "u0"], ["t1", "u1"], None, ["t3", "u3"]]
    removed = emu.api("POST", records_path("things") + "/bulk/remove", json={"ids": ["t0"]})
    assert removed.status_code == 200 and emu.control("GET", "/requests")[-1]["record_ids"] == ["t0"]
    assert_error(_raw_control(emu, "/faults", {"after": -1, "status": 500}), 400, "bad.request")


def test_seed_loads_a_jsonl_file_strictly(emu, tmp_path):
    emu.create_schema("things", [{"name": "label", "type": "string", "unique": True}])
    src = tmp_path / "seed.jsonl"
    src.write_text("".join('{"id": "s%03d", "label": "l%d"}\n' % (n, n) for n in range(250)))
    assert emu.control("POST", "/seed", json={"schema": "things", "src": str(src)}) == {"seeded": 250}
    assert emu.api("GET", records_path("things") + "?pageSize=1").json()["total"] == 250
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1", "label": "l3"}\n')  # l3 is taken: validated like an API batch
    assert_error(_raw_control(emu, "/seed", {"schema": "things", "src": str(bad)}), 400, "batch.validation.failed")
    assert_error(_raw_control(emu, "/seed", {"schema": "things", "src": str(tmp_path / "none.jsonl")}), 400,
                 "bad.request")


def _raw_control(emu, path, body):
    return emu.session.post(emu.url + "/_emulator" + path, json=body, timeout=10)
