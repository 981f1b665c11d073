"""When a genesys.cloud task runs in-process and when it runs as a module process."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.plugin_utils import action_base
from ansible_collections.genesys.cloud.plugins.plugin_utils.action_base import module_execution_reason
from ansible_collections.genesys.cloud.plugins.plugin_utils.session import client_for


@pytest.mark.parametrize("connection", ["local", "ansible.builtin.local"])
def test_a_local_task_runs_in_process(connection):
    assert module_execution_reason(connection) is None


@pytest.mark.parametrize("connection, options, words", [
    ("ssh", {}, "'ssh' connection"),
    ("ansible.netcommon.httpapi", {}, "'ansible.netcommon.httpapi' connection"),
    ("local", {"become": True}, "become"),
    ("local", {"async_val": 30}, "async"),
    ("local", {"opt_in": False}, "turned off (genesys_cloud_in_process / GENESYSCLOUD_IN_PROCESS)"),
    ("local", {"libraries": False}, "requests or jsonschema"),
])
def test_everything_else_runs_the_module(connection, options, words):
    assert words in module_execution_reason(connection, **options)


@pytest.mark.parametrize("task_vars, env, expected", [
    ({}, None, True),
    ({}, "false", False),
    ({}, "0", False),
    ({"genesys_cloud_in_process": False}, None, False),
    ({"genesys_cloud_in_process": True}, "false", True),  # the variable wins over the environment
])
def test_opt_out_by_variable_or_environment(monkeypatch, task_vars, env, expected):
    if env is None:
        monkeypatch.delenv(action_base.OPT_OUT_ENV, raising=False)
    else:
        monkeypatch.setenv(action_base.OPT_OUT_ENV, env)
    assert action_base._opt_in(task_vars) is expected


def test_the_task_environment_is_applied_for_the_run_and_restored(monkeypatch):
    monkeypatch.setenv("GENESYSCLOUD_REGION", "eu-west-1")
    monkeypatch.delenv("GENESYSCLOUD_API_URL", raising=False)
    with action_base._environment({"GENESYSCLOUD_API_URL": "http://127.0.0.1:1", "GENESYSCLOUD_REGION": "ap-south-1"}):
        assert action_base.os.environ["GENESYSCLOUD_API_URL"] == "http://127.0.0.1:1"
    assert "GENESYSCLOUD_API_URL" not in action_base.os.environ
    assert action_base.os.environ["GENESYSCLOUD_REGION"] == "eu-west-1"


def test_a_module_process_gets_the_credentials_the_action_chose():
    options = {"access_token": None, "client_id": "c", "client_secret": "s"}
    args = action_base.module_process_args({"client_id": "c", "client_secret": "s", "name": "x"}, options,
                                           {"client_id": action_base.TASK, "client_secret": action_base.TASK})
    # An explicit null: the module process must not fall back to a GENESYSCLOUD_ACCESS_TOKEN of its environment.
    assert "access_token" in args and args["access_token"] is None and args["name"] == "x"
    untouched = action_base.module_process_args({"name": "x"}, dict.fromkeys(options), {})
    assert untouched == {"name": "x"}


def test_client_for_validates_like_a_module_and_shares_the_store(monkeypatch):
    for name in ("GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    client = client_for(dict(region="eu-west-1", client_id="c", client_secret="s", name="ignored"), check_mode=True)
    assert client.read_only is True and client.api_base == "https://api.mypurecloud.ie"
    assert client.tokens._cache is not None
    with pytest.raises(ConfigurationError, match="region"):
        client_for(dict(region="mars", client_id="c", client_secret="s"))
    with pytest.raises(ConfigurationError, match="no credentials"):
        client_for(dict(region="eu-west-1"))
