"""Where a task's connection settings come from: one order for every action, lookup and org run (issue 19, 1)."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.plugin_utils.session import (
    CONTROLLER_ENVIRONMENT,
    MODULE_DEFAULTS,
    TASK,
    TASK_ENVIRONMENT,
    describe_origins,
    resolve_connection,
)

ORG_A = {"GENESYSCLOUD_API_URL": "http://127.0.0.1:1001", "GENESYSCLOUD_OAUTHCLIENT_ID": "a-id",
         "GENESYSCLOUD_OAUTHCLIENT_SECRET": "a-secret"}
ORG_B = {"GENESYSCLOUD_API_URL": "http://127.0.0.1:1002", "GENESYSCLOUD_OAUTHCLIENT_ID": "b-id",
         "GENESYSCLOUD_OAUTHCLIENT_SECRET": "b-secret"}


def test_the_task_environment_beats_the_controller_environment():
    options, origins = resolve_connection({"name": "x"}, task_environment=ORG_B, environ=ORG_A)
    assert (options["api_url"], options["client_id"], options["client_secret"]) == (
        "http://127.0.0.1:1002", "b-id", "b-secret")
    assert set(origins.values()) == {TASK_ENVIRONMENT}
    assert options["region"] == "us-east-1" and options["timeout"] == 30.0  # the spec's defaults


def test_task_options_beat_module_defaults_and_both_environments():
    options, origins = resolve_connection(
        {"api_url": "http://127.0.0.1:9", "timeout": 7}, defaults={"timeout": 7, "max_retries": 1},
        task_environment=ORG_B, environ=ORG_A)
    assert options["api_url"] == "http://127.0.0.1:9" and origins["api_url"] == TASK
    assert origins["timeout"] == MODULE_DEFAULTS and options["client_id"] == "b-id"


def test_an_empty_variable_counts_as_unset():
    options, origins = resolve_connection({}, task_environment={"GENESYSCLOUD_API_URL": ""}, environ=ORG_A)
    assert options["api_url"] == "http://127.0.0.1:1001" and origins["api_url"] == CONTROLLER_ENVIRONMENT


@pytest.mark.parametrize("token_place", ["task_environment", "environ", "defaults"])
def test_client_credentials_on_the_task_win_over_a_token_from_a_lower_place(token_place):
    token = {"GENESYSCLOUD_ACCESS_TOKEN": "stale-token"}
    args = {"client_id": "c", "client_secret": "s"}
    where = {"task_environment": dict(task_environment=token), "environ": dict(environ=token),
             "defaults": dict(defaults={"access_token": "stale-token"})}[token_place]
    if token_place == "defaults":
        args["access_token"] = "stale-token"  # module_defaults are merged into the task's arguments
    options, origins = resolve_connection(args, **where)
    assert options["access_token"] is None and "access_token" not in origins
    assert (options["client_id"], options["client_secret"]) == ("c", "s")


def test_a_token_on_the_task_wins_over_client_credentials_from_the_environment():
    options, origins = resolve_connection({"access_token": "t"}, task_environment=ORG_B, environ=ORG_A)
    assert options["access_token"] == "t" and options["client_id"] is None and options["client_secret"] is None
    assert options["api_url"] == "http://127.0.0.1:1002"


def test_in_one_environment_client_credentials_win_over_a_token():
    options, _ = resolve_connection({}, environ=dict(ORG_A, GENESYSCLOUD_ACCESS_TOKEN="t"))
    assert options["access_token"] is None and options["client_id"] == "a-id"


@pytest.mark.parametrize("args, defaults, where", [
    ({"client_id": "c", "client_secret": "s", "access_token": "t"}, None, "the task's options"),
    ({"client_id": "c", "client_secret": "s", "access_token": "t"},
     {"client_id": "c", "client_secret": "s", "access_token": "t"}, "module_defaults"),
])
def test_both_kinds_of_credentials_in_one_place_of_the_task_is_an_error(args, defaults, where):
    with pytest.raises(ConfigurationError) as caught:
        resolve_connection(args, defaults=defaults, environ={})
    assert str(caught.value).startswith(where + " give both client_id/client_secret and access_token")


def test_where_each_setting_came_from_names_options_never_values():
    _, origins = resolve_connection({"client_id": "c"}, environ=ORG_A)
    text = describe_origins(origins)
    assert text == ("client_id from the task's options; api_url, client_secret from the controller's environment")
    assert "a-secret" not in text
