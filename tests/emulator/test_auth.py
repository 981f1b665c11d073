"""OAuth client credentials, bearer tokens, token expiry and scopes."""

import base64
import time

from emu_helpers import CLIENT_ID, CLIENT_SECRET, SCHEMAS, WEBHOOKS, assert_error, records_path


def _token_request(emu, data, auth=None, headers=None):
    return emu.session.post(emu.url + "/oauth/token", data=data, auth=auth, headers=headers)


def test_token_with_basic_auth(emu):
    response = _token_request(emu, {"grant_type": "client_credentials"}, auth=(CLIENT_ID, CLIENT_SECRET))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert response.headers["inin-correlation-id"]


def test_token_with_form_fields(emu):
    response = _token_request(emu, {"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                    "client_secret": CLIENT_SECRET})
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert emu.api("GET", SCHEMAS, token=token).status_code == 200


def test_bad_client_credentials_are_invalid_client(emu):
    for auth in ((CLIENT_ID, "wrong"), ("nobody", CLIENT_SECRET)):
        response = _token_request(emu, {"grant_type": "client_credentials"}, auth=auth)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert response.json()["error_description"]
    garbled = {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}
    assert _token_request(emu, {"grant_type": "client_credentials"}, headers=garbled).status_code == 401
    assert _token_request(emu, {"grant_type": "client_credentials"}).status_code == 401


def test_other_grant_types_are_unsupported(emu):
    response = _token_request(emu, {"grant_type": "password"}, auth=(CLIENT_ID, CLIENT_SECRET))
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}
    missing = _token_request(emu, {}, auth=(CLIENT_ID, CLIENT_SECRET))
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"


def test_scope_not_granted_is_invalid_scope(emu):
    emu.control("POST", "/clients", json={"client_id": "reader", "client_secret": "s", "scopes": ["data:flex:read"]})
    response = _token_request(emu, {"grant_type": "client_credentials", "scope": "data:flex:schema:write"},
                              auth=("reader", "s"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_missing_unknown_and_malformed_tokens_are_bad_credentials(emu):
    missing = emu.session.get(emu.url + SCHEMAS)
    body = assert_error(missing, 401, "bad.credentials")
    assert body["message"]
    assert_error(emu.api("GET", SCHEMAS, token="not-a-token"), 401, "bad.credentials")
    assert_error(emu.session.get(emu.url + SCHEMAS, headers={"Authorization": "Basic abc"}), 401, "bad.credentials")


def test_expired_tokens_are_bad_credentials_and_a_new_token_works(emu):
    old = emu.token
    assert emu.api("GET", SCHEMAS).status_code == 200
    assert emu.control("POST", "/tokens/expire", json={})["expired"] >= 1
    assert_error(emu.api("GET", SCHEMAS, token=old), 401, "bad.credentials")
    assert emu.api("GET", SCHEMAS, token=emu.get_token()).status_code == 200


def test_token_lifetime_setting_applies_to_new_tokens(emu):
    emu.control("POST", "/settings", json={"token_lifetime": 1})
    response = _token_request(emu, {"grant_type": "client_credentials"}, auth=(CLIENT_ID, CLIENT_SECRET))
    assert response.json()["expires_in"] == 1
    token = response.json()["access_token"]
    assert emu.api("GET", SCHEMAS, token=token).status_code == 200
    time.sleep(1.05)
    assert_error(emu.api("GET", SCHEMAS, token=token), 401, "bad.credentials")


def test_token_without_the_needed_scope_is_missing_scope(emu):
    token = emu.get_token(scope="data:flex:read")
    assert emu.api("GET", SCHEMAS, token=token).status_code == 200
    body = assert_error(emu.api("POST", SCHEMAS, token=token, json={"name": "a", "fields": []}), 403, "missing.scope")
    assert "data:flex:schema:write" in body["message"]
    body = assert_error(emu.api("GET", WEBHOOKS, token=token), 403, "missing.scope")
    assert "webhooks:read" in body["message"]


def test_token_without_scope_carries_every_granted_scope(emu):
    emu.control("POST", "/clients", json={"client_id": "limited", "client_secret": "s",
                                          "scopes": ["data:flex:read", "webhooks:write"]})
    token = emu.get_token("limited", "s")
    assert emu.api("GET", SCHEMAS, token=token).status_code == 200
    assert emu.api("GET", WEBHOOKS, token=token).status_code == 200  # write implies read
    body = assert_error(emu.api("GET", records_path("x"), token=token), 403, "missing.scope")
    assert "customobject:record:read" in body["message"]


def test_write_scopes_imply_read_for_records_but_schema_write_does_not(emu):
    emu.create_schema("acc", [{"name": "n", "type": "string"}])
    record_writer = emu.get_token(scope="customobject:record:write")
    assert emu.api("GET", records_path("acc"), token=record_writer).status_code == 200
    schema_writer = emu.get_token(scope="data:flex:schema:write")
    body = assert_error(emu.api("GET", SCHEMAS, token=schema_writer), 403, "missing.scope")
    assert "data:flex:read" in body["message"]


def test_every_response_has_a_correlation_id(emu):
    responses = [emu.api("GET", SCHEMAS), emu.api("GET", "/api/v2/unknown"), emu.session.get(emu.url + "/nowhere"),
                 _token_request(emu, {"grant_type": "client_credentials"}, auth=(CLIENT_ID, "bad"))]
    ids = [r.headers["inin-correlation-id"] for r in responses]
    assert all(len(i) == 36 for i in ids)
    assert len(set(ids)) == len(ids)
