"""The connection options every module shares, seen through a real module run."""
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INFO_MODULE = "genesys.cloud.flex_schema_info"

pytestmark = pytest.mark.skipif(not os.path.exists(os.path.join(REPO, "plugins", "modules", "flex_schema_info.py")),
                                reason="flex_schema_info has not landed yet")

NO_CREDENTIALS_ENV = {
    "GENESYSCLOUD_OAUTHCLIENT_ID": "",
    "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
    "GENESYSCLOUD_ACCESS_TOKEN": "",
}


def test_environment_variables_are_enough(emulator, playbook):
    run = playbook([{"name": "read", INFO_MODULE: {}}])
    assert run.rc == 0, run
    result = run.task("read")
    assert result["metrics"]["token_requests"] == 1 and result["metrics"]["requests"] >= 1


@pytest.mark.matrix
def test_module_defaults_through_the_action_group(emulator, playbook):
    plays = [{"name": "group defaults", "hosts": "localhost", "gather_facts": False,
              "module_defaults": {"group/genesys.cloud.all": emulator.connection},
              "tasks": [{"name": "read", INFO_MODULE: {}}]}]
    run = playbook(plays, env={"GENESYSCLOUD_API_URL": "", **NO_CREDENTIALS_ENV})
    assert run.rc == 0, run


def test_missing_credentials_name_the_options_and_variables(emulator, playbook):
    run = playbook([{"name": "read", INFO_MODULE: {}}], env=NO_CREDENTIALS_ENV)
    assert run.rc != 0
    message = run.task("read")["msg"]
    for word in ("client_id", "client_secret", "GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET",
                 "access_token", "GENESYSCLOUD_ACCESS_TOKEN"):
        assert word in message
    assert emulator.requests() == []


def test_unknown_region_lists_the_valid_ones(emulator, playbook):
    run = playbook([{"name": "read", INFO_MODULE: {"region": "mars-north-1"}}])
    assert run.rc != 0
    message = run.task("read")["msg"]
    assert "mars-north-1" in message and "eu-west-1" in message and "ap-southeast-2" in message


def test_plain_http_to_a_remote_host_is_refused(emulator, playbook):
    run = playbook([{"name": "read", INFO_MODULE: {"api_url": "http://api.example.com"}}])
    assert run.rc != 0
    assert "only https is allowed" in run.task("read")["msg"]


def test_secrets_never_reach_the_output(emulator, playbook):
    run = playbook([{"name": "read", INFO_MODULE: {"client_secret": emulator.client_secret}}], args=["-vvv"])
    assert run.rc == 0, run
    assert emulator.client_secret not in run.stdout + run.stderr


def test_refused_secret_is_a_clear_error_without_the_secret(emulator, playbook):
    run = playbook([{"name": "read", INFO_MODULE: {"client_secret": "not-the-right-one"}}])
    assert run.rc != 0
    result = run.task("read")
    assert "authentication failed" in result["msg"] and "not-the-right-one" not in run.stdout
