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


def test_invalid_arguments_fail_before_any_request_in_ansible_modules_words(emulator):
    client = kept_client(emulator)
    result = run_module_in_process("flex_schema", dict(name="accounts", state="gone", fieldz=[]), client)

    # AnsibleModule reports the first problem (the bad choice); the unknown option comes last in its order
    assert result == {"failed": True, "changed": False,
                      "msg": "value of state must be one of: present, absent, got: gone"}
    assert emulator.module_requests() == []
    unknown = run_module_in_process("flex_schema", dict(name="accounts", fieldz=[]), client)
    assert unknown["msg"].startswith("Unsupported parameters for (genesys.cloud.flex_schema) module: fieldz. "
                                     "Supported parameters include: access_token, ")
    assert run_module_in_process("webhook_info", dict(nme="x"), client, module_label="webhook_info")["msg"].startswith(
        "Unsupported parameters for (webhook_info) module: nme. Supported")


# The same bad tasks, once in-process and once as a module process: AnsibleModule words the second.
BAD_TASKS = [
    ("unknown option", "genesys.cloud.flex_schema", {"name": "accounts", "fieldz": []}),
    ("two unknown options", "genesys.cloud.webhook_info", {"nme": "x", "filtr": "y"}),
    ("missing required option", "genesys.cloud.flex_schema", {"description": "no name"}),
    ("missing and unknown options", "genesys.cloud.custom_object_records", {"records": [], "sceham": "x"}),
    ("bad choice", "genesys.cloud.webhook", {"name": "w", "state": "gone"}),
    ("short name", "flex_schema", {"name": "accounts", "fieldz": []}),
]


def test_a_bad_task_reads_the_same_in_process_and_as_a_module_process(playbook, emulator):
    tasks = []
    for in_process in (True, False):
        for label, action, args in BAD_TASKS:
            tasks.append({"name": "%s (in-process %s)" % (label, in_process), action: args,
                          "vars": {"genesys_cloud_in_process": in_process}, "ignore_errors": True})
    plays = [{"name": "bad tasks", "hosts": "localhost", "gather_facts": False, "collections": ["genesys.cloud"],
              "tasks": tasks}]
    run = playbook(plays)

    assert run.rc == 0, run
    for label, action, _args in BAD_TASKS:
        in_process, module = run.task("%s (in-process True)" % label), run.task("%s (in-process False)" % label)
        assert run.status("%s (in-process True)" % label) == run.status("%s (in-process False)" % label) == "failed"
        assert in_process["msg"] == module["msg"], label
        assert "; " not in module["msg"], label
    assert run.task("unknown option (in-process True)")["msg"].startswith(
        "Unsupported parameters for (genesys.cloud.flex_schema) module: fieldz. Supported parameters include: ")
    assert run.task("short name (in-process True)")["msg"].startswith("Unsupported parameters for (flex_schema) module")
    assert run.task("two unknown options (in-process True)")["msg"].startswith(
        "Unsupported parameters for (genesys.cloud.webhook_info) module: filtr, nme. Supported")
    assert run.task("missing required option (in-process True)")["msg"] == "missing required arguments: name"
    assert run.task("missing and unknown options (in-process True)")["msg"] == "missing required arguments: schema"
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
