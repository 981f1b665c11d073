from ansible_collections.genesys.cloud.plugins.module_utils.errors import (
    GenesysCloudError,
    InputError,
    error_from_response,
)


def test_contract_error_body_becomes_a_readable_message():
    body = {"message": "The schema is invalid", "code": "invalid.schema", "status": 422, "contextId": "c-1",
            "errors": [{"field": "fields[3].type", "code": "invalid.type", "message": "unknown type 'text'"}],
            "details": []}
    error = error_from_response("POST", "/api/v2/data/flex/schemas", 422, body, "c-1")
    text = str(error)
    assert text.startswith("POST /api/v2/data/flex/schemas failed: HTTP 422 invalid.schema: The schema is invalid")
    assert "fields[3].type: unknown type 'text' (invalid.type)" in text
    assert text.endswith("(correlation id c-1)")
    result = error.to_result()
    assert result["code"] == "invalid.schema" and result["correlation_id"] == "c-1"
    assert result["errors"][0]["field"] == "fields[3].type"


def test_non_json_answer_names_status_and_correlation_id():
    error = error_from_response("GET", "/api/v2/platform/webhooks", 502, None, "c-2")
    assert error.status == 502
    assert "unexpected body" in str(error) and "c-2" in str(error)


def test_record_errors_name_index_id_and_field():
    error = GenesysCloudError("batch failed", errors=[{"index": 4, "id": "acc-5", "field": "email",
                                                       "code": "unique.constraint.violation", "message": "repeats"}])
    assert "record 4 id acc-5 email: repeats (unique.constraint.violation)" in str(error)


def test_input_error_lists_every_problem_and_says_nothing_changed():
    error = InputError(["fields[0].name: bad", "fields[2].type: unknown"])
    assert "nothing was changed" in str(error)
    assert error.to_result()["problems"] == ["fields[0].name: bad", "fields[2].type: unknown"]


def test_result_extra_keys_join_the_failure_result_without_overriding_the_message():
    error = InputError(["x: bad"], result_extra={"changes": {"added": ["x"]}, "msg": "not this"})
    result = error.to_result()
    assert result["changes"] == {"added": ["x"]}
    assert result["msg"].startswith("the task's input is not valid")
