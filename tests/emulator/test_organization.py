"""GET /api/v2/organizations/me (contract section 7): each emulator is one org, named by its control API."""
import json
import subprocess
import sys

import requests

from emu_helpers import assert_error


def test_any_valid_token_reads_the_org_and_the_control_api_renames_it(emu):
    me = emu.api("GET", "/api/v2/organizations/me")
    assert me.status_code == 200, me.text
    body = me.json()
    assert set(body) == {"id", "name", "thirdPartyOrgName", "domain", "selfUri"}
    assert body["selfUri"] == "/api/v2/organizations/%s" % body["id"]

    renamed = emu.control("POST", "/organization", json={"name": "Loyalty EU"})
    assert renamed["name"] == "Loyalty EU" and renamed["id"] == body["id"]
    assert emu.api("GET", "/api/v2/organizations/me").json()["name"] == "Loyalty EU"

    # a client with one unrelated scope still reads it: no scope is needed
    emu.control("POST", "/clients", json={"client_id": "narrow", "client_secret": "s", "scopes": ["webhooks:read"]})
    narrow = emu.get_token("narrow", "s")
    assert emu.api("GET", "/api/v2/organizations/me", token=narrow).json()["name"] == "Loyalty EU"
    assert_error(emu.api("GET", "/api/v2/organizations/me", token="not-a-token"), 401, "bad.credentials")
    refused = emu.session.post(emu.url + "/_emulator/organization", json={"name": ""}, timeout=10)
    assert_error(refused, 400, "bad.request")


def test_the_start_options_name_the_org():
    process = subprocess.Popen([sys.executable, "-m", "genesys_emulator", "--port", "0", "--org-name", "Acme EU",
                                "--org-id", "6a1f0c2e-7d4b-4e8a-9c3f-2b5d8e1a4f70"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = json.loads(process.stdout.readline())["url"]
        assert requests.get(url + "/_emulator/organization", timeout=10).json() == {
            "id": "6a1f0c2e-7d4b-4e8a-9c3f-2b5d8e1a4f70", "name": "Acme EU"}
    finally:
        process.terminate()
        process.wait(10)
