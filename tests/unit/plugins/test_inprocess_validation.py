"""Argument validation in process (plugin_utils/inprocess.py): one validator per ARGUMENTS dict, reused, with the
results (parameters, no_log values, errors) of a validator built afresh for every call."""
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils import inprocess
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import load_module, validate_arguments


def fresh(arguments, args):
    constraints = dict((key, value) for key, value in arguments.items() if key != "supports_check_mode")
    validation = ArgumentSpecValidator(**constraints).validate(dict(args))
    return validation.validated_parameters, validation._no_log_values, validation.error_messages


CASES = [
    ("webhook", {"name": "w", "endpoint": "https://h.example.com", "event_types": ["a"], "secret": "s3cret"}),
    ("webhook", {"name": "w", "state": "present", "enabled": "maybe", "filter": {"schema_nam": "x"}}),
    ("custom_object_records", {"schema": "a", "records": [{"id": 1}], "src": "/x.csv", "batch_size": "ten"}),
    ("custom_object_records", {"schema": "a"}),
    ("flex_schema", {"name": "s", "fields": [{"name": "a", "type": "string"}, "x"], "state": "gone"}),
    ("flex_schema", {"name": "s", "description": "d", "purge_fields": True}),
]


def test_a_reused_validator_gives_what_a_fresh_one_gives_case_after_case():
    for _round in range(2):
        for module, args in CASES:
            arguments = load_module(module).ARGUMENTS
            assert validate_arguments(arguments, args) == fresh(arguments, args), (module, args)
    assert inprocess.argument_validator(load_module("webhook").ARGUMENTS) is \
        inprocess.argument_validator(load_module("webhook").ARGUMENTS)


def test_two_argument_specs_do_not_share_a_validator():
    first = module_arguments(dict(name=dict(type="str", required=True)))
    second = module_arguments(dict(name=dict(type="int", required=True)), required_one_of=[("name", "client_id")])
    assert inprocess.argument_validator(first) is not inprocess.argument_validator(second)
    assert validate_arguments(first, {"name": "x"})[2] == []
    assert validate_arguments(second, {"name": "x"})[2] == fresh(second, {"name": "x"})[2] != []
    assert validate_arguments(first, {})[2] == ["missing required arguments: name"]


def test_environment_fallbacks_are_read_at_each_call(monkeypatch):
    arguments = load_module("webhook").ARGUMENTS
    args = {"name": "w", "endpoint": "https://h.example.com", "event_types": ["a"]}
    monkeypatch.delenv("GENESYSCLOUD_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "first-secret")
    params, no_log_values, _errors = validate_arguments(arguments, args)
    assert params["client_secret"] == "first-secret" and "first-secret" in no_log_values
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "second-secret")
    params, no_log_values, _errors = validate_arguments(arguments, args)
    assert params["client_secret"] == "second-secret" and no_log_values == {"second-secret"}


def test_the_caller_s_arguments_are_never_changed_and_the_cache_stays_small():
    args = {"name": "s", "fields": [{"name": "a", "type": "string"}]}
    params, _no_log, _errors = validate_arguments(load_module("flex_schema").ARGUMENTS, args)
    params["fields"][0]["name"] = "changed"
    assert args == {"name": "s", "fields": [{"name": "a", "type": "string"}]}
    for _index in range(3 * inprocess.MAX_VALIDATORS):
        validate_arguments(module_arguments(dict(name=dict(type="str"))), {"name": "x"})
    assert len(inprocess._VALIDATORS) <= inprocess.MAX_VALIDATORS
