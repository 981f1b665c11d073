"""Modules run in-process over a kept client (what controller-side plugins do), against the emulator."""
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import run_module_in_process

FIELDS = [{"name": "accountNumber", "type": "string", "unique": True, "required": True},
          {"name": "tier", "type": "string", "options": ["gold", "silver"]}]


def kept_client(emulator, read_only=False):
    settings = dict(emulator.connection)
    settings["read_only"] = read_only
    return GenesysCloudClient(**settings)


def test_same_run_as_the_module_create_then_unchanged_with_one_token(emulator):
    client = kept_client(emulator)
    first = run_module_in_process("flex_schema", dict(name="accounts", fields=FIELDS), client)
    second = run_module_in_process("flex_schema", dict(name="accounts", fields=FIELDS), client)

    assert first["changed"] is True and "failed" not in first
    assert [field["name"] for field in emulator.schema("accounts")["fields"]] == ["accountNumber", "tier"]
    assert second["changed"] is False
    assert len(emulator.token_requests()) == 1
    # metrics are per task even though the client is shared: the second task fetched no token
    assert first["metrics"]["token_requests"] == 1 and second["metrics"]["token_requests"] == 0
    assert second["metrics"]["requests"] >= 1 and second["audit"] == []


def test_check_mode_writes_nothing_and_predicts_the_change(emulator):
    client = kept_client(emulator, read_only=True)
    result = run_module_in_process("flex_schema", dict(name="accounts", fields=FIELDS), client,
                                   check_mode=True, diff=True)

    assert result["changed"] is True
    assert "diff" in result
    assert emulator.module_writes() == []
    assert emulator.schemas() == []


def test_invalid_arguments_fail_before_any_request_and_list_every_problem(emulator):
    client = kept_client(emulator)
    result = run_module_in_process("flex_schema", dict(name="accounts", state="gone", fieldz=[]), client)

    assert result["failed"] is True
    assert "state" in result["msg"] and "fieldz" in result["msg"]
    assert emulator.module_requests() == []


def test_no_log_values_are_censored_from_the_result(emulator):
    client = kept_client(emulator)
    result = run_module_in_process("webhook", dict(
        name="audit", endpoint="https://hooks.example.com/in", event_types=["data.flex.schema.updated"],
        secret="s3cret-signing-key-value", headers={"X-Api-Key": "header-secret-value"}), client, diff=True)

    assert result["changed"] is True and "failed" not in result, result
    text = repr(result)
    assert "s3cret-signing-key-value" not in text and "header-secret-value" not in text


def test_api_errors_become_a_failed_result_with_metrics(emulator):
    client = kept_client(emulator)
    emulator.fault(path="^/api/v2/data/flex/schemas", method="GET", status=500, count=50)
    result = run_module_in_process("flex_schema_info", dict(max_retries=0), client)

    assert result["failed"] is True and result["status"] == 500
    assert result["metrics"]["requests"] >= 1
