"""Credentials never travel in a webhook URL, and header values never show (issue 10, items 5 and 8)."""
import json

import pytest

from tests.support.inprocess import run_module

MASK = "********"
EVENTS = ["data.flex.schema.updated"]


def hook(emulator, **options):
    args = dict(emulator.connection, name="compliance", endpoint="https://hooks.example.com/in", event_types=EVENTS)
    args.update(options)
    return args


@pytest.mark.parametrize("endpoint, found, secret", [
    ("https://alice:pa55w0rd@hooks.example.com/in", "user:password@", "pa55w0rd"),
    ("https://hooks.example.com/in?token=tok-123&team=a", "the query parameter 'token'", "tok-123"),
    ("https://hooks.example.com/in?api_key=k-456", "the query parameter 'api_key'", "k-456"),
    ("https://hooks.example.com/in?X-Amz-Signature=s-789", "the query parameter 'X-Amz-Signature'", "s-789"),
])
def test_credentials_in_the_endpoint_are_refused_without_echoing_them(emulator, endpoint, found, secret):
    emulator.clear_requests()
    result = run_module("webhook", hook(emulator, endpoint=endpoint), diff=True)
    assert result.get("failed")
    assert "endpoint: must not carry credentials (found %s" % found in result["msg"]
    assert "headers option" in result["msg"] and "secret option" in result["msg"]
    assert secret not in json.dumps(result)
    assert emulator.requests() == [] and emulator.webhooks() == []


def test_an_endpoint_with_plain_query_parameters_is_accepted(emulator):
    result = run_module("webhook", hook(emulator, endpoint="https://hooks.example.com/in?team=a&source=genesys"))
    assert result["changed"] and result["webhook"]["endpoint"] == "https://hooks.example.com/in?team=a&source=genesys"


def test_credentials_stored_by_someone_else_are_masked_in_results_diffs_and_info(emulator):
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": "compliance", "endpoint": "https://bob:hunter2@hooks.example.com/in?access_token=at-1&team=a",
        "eventTypes": EVENTS, "requestType": "POST", "enabled": True, "headers": {"Authorization": "Bearer hv-1"}})
    info = run_module("webhook_info", dict(emulator.connection))
    revealed = run_module("webhook_info", dict(emulator.connection, reveal_headers=True))
    preview = run_module("webhook", hook(emulator), check_mode=True, diff=True)
    text = json.dumps([info, revealed, preview])
    assert "hunter2" not in text and "at-1" not in text and "Bearer hv-1" not in json.dumps([info, preview])
    assert info["webhooks"][0]["endpoint"] == "https://%s@hooks.example.com/in?access_token=%s&team=a" % (MASK, MASK)
    assert preview["diff"]["before"]["endpoint"] == info["webhooks"][0]["endpoint"]
    assert preview["diff"]["after"]["endpoint"] == "https://hooks.example.com/in"


def test_a_changed_header_value_says_changed_without_showing_either_value(emulator, playbook):
    run_module("webhook", hook(emulator, headers={"Authorization": "Bearer old-1", "X-Team": "same"}))
    run = playbook([{"name": "rotate", "genesys.cloud.webhook": dict(
        name="compliance", endpoint="https://hooks.example.com/in", event_types=EVENTS,
        headers={"Authorization": "Bearer new-2", "X-Team": "same", "X-New": "n-3"})}], check=True, diff=True)
    diff = run.task("rotate")["diff"]
    assert diff["before"]["headers"] == {"Authorization": MASK, "X-Team": MASK}
    assert diff["after"]["headers"] == {"Authorization": MASK + " (changed, value hidden)", "X-Team": MASK,
                                        "X-New": MASK}
    text = run.stdout + run.stderr + json.dumps(run.records)
    assert "old-1" not in text and "new-2" not in text and "n-3" not in text
