"""Three orgs in one play: the example inventory (host vars, vaulted secrets) against three emulators."""
import os
import shutil

import pytest
import yaml

from tests.support.emulator_control import EmulatorControl
from tests.support.playbook import run_playbook

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORGS = ("acme", "globex", "initech")


@pytest.fixture
def three_orgs():
    """One emulator per org, each accepting only that org's client id and (vaulted) secret."""
    from genesys_emulator import start_in_thread

    servers = dict((org, start_in_thread(client_id="%s-automation" % org, client_secret="%s-example-secret" % org,
                                         rate_limit=100000)) for org in ORGS)
    orgs = dict((org, (server, EmulatorControl(server.url, server.client_id, server.client_secret)))
                for org, server in servers.items())
    for _, control in orgs.values():
        control.reset()  # also registers the test's admin client that reads the state back
    yield orgs
    for server in servers.values():
        server.stop()


def test_three_orgs_are_configured_in_one_run_each_with_its_own_vaulted_credentials(three_orgs, tmp_path):
    shutil.copytree(os.path.join(REPO, "examples"), str(tmp_path / "examples"))
    inventory = tmp_path / "examples" / "inventory"
    for org, (server, _) in three_orgs.items():
        # Point each org at its emulator; all else (client id, vaulted secret, org directory) is the example's.
        with open(str(inventory / "host_vars" / org / "test_emulator.yml"), "w") as handle:
            yaml.safe_dump({"genesys_api_url": server.url}, handle)
    clean_env = dict((name, "") for name in ("GENESYSCLOUD_API_URL", "GENESYSCLOUD_OAUTHCLIENT_ID",
                                              "GENESYSCLOUD_OAUTHCLIENT_SECRET"))
    # The unattended way examples/inventory/README.md documents: its script prints this variable.
    clean_env["GENESYS_EXAMPLE_VAULT_PASSWORD"] = "genesys-cloud-example-vault"
    run = run_playbook(os.path.join(REPO, "playbooks", "configure_org.yml"), env=clean_env,
                       inventory=str(inventory / "hosts.yml"), workdir=str(tmp_path),
                       args=["--forks", "3", "--vault-password-file", str(inventory / "example-vault-env.sh")])
    assert run.rc == 0, run
    for org, (_, control) in three_orgs.items():
        assert sorted(schema["name"] for schema in control.schemas()) == [
            "customerAccounts", "regions", "serviceTiers", "supportContacts"], org
        assert len(control.records("supportContacts")) == 32, org
        assert len(control.webhooks()) == 2, org
        summary = run.task("Report what changed", host=org)["msg"]
        assert summary[0] == org and "schemas: create 4, update 0, delete 0" in summary
        # Only this org's own client (besides the test's admin) asked this emulator for a token.
        clients = set(entry["client_id"] for entry in control.token_requests())
        assert clients == {"%s-automation" % org}
