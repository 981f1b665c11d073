"""genesys.cloud.webhook and webhook_info in real playbooks against the emulator."""
import pytest
import json

MASK = "********"
HEADER_VALUE = "Bearer hdr-token-7f3a9c"
SECRET = "signing-secret-0b1d5e"
ENDPOINT = "https://compliance.example.com/genesys/events"


def hook_task(name="set webhook", **options):
    args = dict(name="compliance", endpoint=ENDPOINT, event_types=["data.flex.schema.updated"])
    args.update(options)
    return {"name": name, "genesys.cloud.webhook": args, "register": "out"}


def stored_secrets(emulator):
    """The secrets the emulator holds (the API never returns them; the state dump does)."""
    return dict((hook["name"], hook.get("secret")) for hook in emulator.state()["webhooks"])


def assert_no_leak(run, *values):
    text = run.stdout + run.stderr + json.dumps(run.records)
    for value in values:
        assert value not in text


@pytest.mark.matrix
def test_lifecycle_check_apply_repeat_info_delete(emulator, playbook):
    task = hook_task(headers={"Authorization": HEADER_VALUE}, filter={"schema_name": "customerAccounts"},
                     secret=SECRET)

    preview = playbook([task], check=True, diff=True)
    result = preview.task("set webhook")
    assert preview.rc == 0 and result["changed"] is True
    assert emulator.module_writes() == [] and emulator.webhooks() == []
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["headers"] == {"Authorization": MASK}
    assert result["diff"]["after"]["secret"] == MASK
    assert_no_leak(preview, HEADER_VALUE, SECRET)

    applied = playbook([task], diff=True)
    result = applied.task("set webhook")
    assert applied.rc == 0 and result["changed"] is True
    [stored] = emulator.webhooks()
    assert stored["endpoint"] == ENDPOINT and stored["eventTypes"] == ["data.flex.schema.updated"]
    assert stored["filter"] == "schemaName eq 'customerAccounts'"
    assert stored["headers"] == {"Authorization": HEADER_VALUE} and stored["secretSet"] is True
    assert stored_secrets(emulator) == {"compliance": SECRET}
    assert result["webhook"]["id"] == stored["id"] and result["webhook"]["headers"] == {"Authorization": MASK}
    [entry] = result["audit"]
    assert entry["action"] == "create" and entry["outcome"] == "success" and entry["id"] == stored["id"]
    assert entry["requests"] >= 1 and entry["correlation_id"]
    assert_no_leak(applied, HEADER_VALUE, SECRET)

    emulator.clear_requests()
    again = playbook([task, {"name": "read", "genesys.cloud.webhook_info": {"name": ["COMPLIANCE"]},
                             "register": "info"}])
    assert again.rc == 0
    assert again.task("set webhook")["changed"] is False and again.task("set webhook")["audit"] == []
    assert emulator.module_writes() == []
    info = again.task("read")
    assert info["webhooks"] == [{
        "name": "compliance", "endpoint": ENDPOINT, "event_types": ["data.flex.schema.updated"],
        "enabled": True, "headers": {"Authorization": MASK}, "filter": {"schema_name": "customerAccounts"}}]
    assert info["metadata"][0]["id"] == stored["id"] and info["metadata"][0]["secret_set"] is True
    assert info["missing"] == []

    remove = {"name": "remove", "genesys.cloud.webhook": {"name": "compliance", "state": "absent"}}
    preview = playbook([remove], check=True)
    assert preview.task("remove")["changed"] is True and emulator.module_writes() == []
    assert len(emulator.webhooks()) == 1

    removed = playbook([remove, dict(remove, name="remove again")])
    assert removed.task("remove")["changed"] is True and removed.task("remove")["audit"][0]["action"] == "delete"
    assert removed.task("remove again")["changed"] is False
    assert emulator.webhooks() == []


def test_update_changes_only_what_differs_and_the_diff_masks_headers(emulator, playbook):
    created = playbook([hook_task(headers={"Authorization": HEADER_VALUE, "X-Team": "compliance-team"},
                                  filter={"schema_name": "accounts"})])
    assert created.rc == 0
    hook_id = emulator.webhooks()[0]["id"]
    emulator.clear_requests()

    change = hook_task(event_types=["data.flex.schema.deleted", "data.flex.schema.updated"], enabled=False)
    preview = playbook([change], check=True, diff=True)
    result = preview.task("set webhook")
    assert result["changed"] is True and sorted(result["changes"]) == ["enabled", "event_types"]
    assert emulator.module_writes() == []
    assert result["diff"]["before"]["enabled"] is True and result["diff"]["after"]["enabled"] is False
    assert result["diff"]["before"]["headers"] == {"Authorization": MASK, "X-Team": MASK}
    assert result["diff"]["after"]["filter"] == {"schema_name": "accounts"}  # left out: kept
    assert_no_leak(preview, HEADER_VALUE)

    applied = playbook([change, dict(change, name="repeat")])
    assert applied.task("set webhook")["changed"] is True and applied.task("repeat")["changed"] is False
    [stored] = emulator.webhooks()
    assert stored["id"] == hook_id and stored["enabled"] is False
    assert sorted(stored["eventTypes"]) == ["data.flex.schema.deleted", "data.flex.schema.updated"]
    assert stored["headers"]["X-Team"] == "compliance-team" and stored["filter"] == "schemaName eq 'accounts'"
    [entry] = applied.task("set webhook")["audit"]
    assert entry["action"] == "update" and sorted(entry["fields"]) == ["enabled", "event_types"]
    assert len(emulator.module_writes()) == 1

    cleared = playbook([hook_task(headers={}, filter={})])
    assert cleared.task("set webhook")["changed"] is True
    [stored] = emulator.webhooks()
    assert stored["headers"] == {} and "filter" not in stored
    assert stored["enabled"] is True  # the default is compared too


def test_secret_on_create_is_sent_once_and_always_is_sent_every_run(emulator, playbook):
    first = playbook([hook_task(secret=SECRET)])
    assert first.task("set webhook")["changed"] is True
    emulator.clear_requests()

    rotated = hook_task(secret="rotated-secret-55aa")
    on_create = playbook([rotated])
    assert on_create.task("set webhook")["changed"] is False
    assert emulator.module_writes() == [] and stored_secrets(emulator) == {"compliance": SECRET}

    always = dict(rotated, **{"genesys.cloud.webhook": dict(rotated["genesys.cloud.webhook"], update_secret="always")})
    preview = playbook([always], check=True, diff=True)
    assert preview.task("set webhook")["changes"] == ["secret"] and emulator.module_writes() == []
    assert preview.task("set webhook")["diff"]["after"]["secret"] == MASK

    applied = playbook([always, dict(always, name="again")])
    assert applied.task("set webhook")["changed"] is True and applied.task("again")["changed"] is True
    assert stored_secrets(emulator) == {"compliance": "rotated-secret-55aa"}
    assert len(emulator.module_writes()) == 2
    assert_no_leak(applied, "rotated-secret-55aa", SECRET)


def test_a_webhook_without_a_secret_gets_one_with_on_create(emulator, playbook):
    assert playbook([hook_task()]).rc == 0
    assert emulator.webhooks()[0]["secretSet"] is False
    run = playbook([hook_task(secret=SECRET), hook_task(name="repeat", secret=SECRET)])
    assert run.task("set webhook")["changes"] == ["secret"] and run.task("repeat")["changed"] is False
    assert stored_secrets(emulator) == {"compliance": SECRET}


def test_update_secret_remove_clears_the_stored_secret_once(emulator, playbook):
    assert playbook([hook_task(secret=SECRET)]).rc == 0
    emulator.clear_requests()
    remove = hook_task(update_secret="remove")

    preview = playbook([remove], check=True, diff=True)
    result = preview.task("set webhook")
    assert result["changed"] is True and result["changes"] == ["secret"]
    assert result["diff"]["before"]["secret_set"] is True and result["diff"]["after"]["secret_set"] is False
    assert emulator.module_writes() == [] and stored_secrets(emulator) == {"compliance": SECRET}

    run = playbook([remove, dict(remove, name="repeat")])
    assert run.task("set webhook")["changed"] is True and run.task("set webhook")["webhook"]["secret_set"] is False
    assert run.task("repeat")["changed"] is False
    assert stored_secrets(emulator) == {"compliance": None} and emulator.webhooks()[0]["secretSet"] is False
    assert len(emulator.module_writes()) == 1

    both = playbook([hook_task(secret=SECRET, update_secret="remove")])
    assert both.rc != 0 and "update_secret 'remove'" in both.task("set webhook")["msg"]
    assert len(emulator.module_writes()) == 1


def test_filter_values_are_quoted_so_a_quote_cannot_change_the_filter(emulator, playbook):
    tricky = "O'Brien' or schemaId eq 'x"
    task = hook_task(filter={"schema_name": tricky, "schema_id": "7d1c"})
    run = playbook([task, dict(task, name="repeat"),
                    {"name": "read", "genesys.cloud.webhook_info": {}, "register": "info"}])
    assert run.rc == 0, run
    [stored] = emulator.webhooks()
    assert stored["filter"] == "schemaName eq 'O''Brien'' or schemaId eq ''x' and schemaId eq '7d1c'"
    assert run.task("repeat")["changed"] is False
    assert run.task("read")["webhooks"][0]["filter"] == {"schema_name": tricky, "schema_id": "7d1c"}


def test_bad_input_fails_before_any_request_listing_every_problem(emulator, playbook):
    task = hook_task(endpoint="http://hooks.example.com/in", event_types=["data.flex.schema.updated", "schema.renamed"],
                     headers={"Bad Header": "x", "X-Genesys-Signature": "forged"})
    run = playbook([task])
    result = run.task("set webhook")
    assert run.rc != 0 and run.status("set webhook") == "failed"
    message = result["msg"]
    for expected in ("endpoint: must use https", "event_types[1]: unknown event type 'schema.renamed'",
                     "headers.Bad Header: not a valid HTTP header name", "headers.X-Genesys-Signature: set by the server"):
        assert expected in message
    assert len(result["problems"]) == 4
    assert emulator.module_requests() == [] and emulator.token_requests() == []


def test_two_stored_webhooks_sharing_a_name_are_refused_naming_both(emulator, playbook):
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201,
                 json={"name": "Compliance", "endpoint": ENDPOINT, "eventTypes": ["data.flex.schema.updated"]})
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201,
                 json={"name": "other", "endpoint": ENDPOINT, "eventTypes": ["data.flex.schema.updated"]})
    state = emulator.state()
    state["webhooks"][1]["name"] = "COMPLIANCE"  # the API refuses this; an older org may still hold it
    emulator.load_state(state)
    ids = [hook["id"] for hook in state["webhooks"]]
    emulator.clear_requests()

    run = playbook([hook_task(enabled=False)])
    result = run.task("set webhook")
    assert run.rc != 0
    assert "2 stored webhooks are named 'compliance'" in result["msg"]
    assert ids[0] in result["msg"] and ids[1] in result["msg"]
    assert emulator.module_writes() == []


def test_server_errors_surface_with_code_and_correlation_id(emulator, playbook):
    emulator.fault(method="POST", path="^/api/v2/platform/webhooks$", status=422, code="invalid.webhook")
    run = playbook([hook_task()])
    result = run.task("set webhook")
    assert run.rc != 0
    assert "HTTP 422 invalid.webhook" in result["msg"] and "correlation id" in result["msg"]
    assert result["audit"][0]["outcome"] == "failed" and result["audit"][0]["error"] == "invalid.webhook"


def test_a_create_whose_answer_is_lost_is_not_sent_twice(emulator, playbook):
    emulator.fault(method="POST", path="^/api/v2/platform/webhooks$", action="drop_after")
    run = playbook([hook_task()])
    assert run.rc == 0, run
    assert len(emulator.webhooks()) == 1
    assert run.task("set webhook")["metrics"]["recovered_writes"] == 1
    assert len(emulator.module_requests(method="POST")) == 1
