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
        # the first line names the inventory host and the org by its name and id (each emulator is one org)
        me = control.organization()
        assert summary[0] == "%s: %s (%s)" % (org, me["name"], me["id"])
        assert "schemas: create 4, update 0, delete 0" in summary
        # Only this org's own client (besides the test's admin) asked this emulator for a token.
        clients = set(entry["client_id"] for entry in control.token_requests())
        assert clients == {"%s-automation" % org}


@pytest.fixture
def two_orgs():
    """Org A and org B: two emulators, each accepting only its own client."""
    from genesys_emulator import start_in_thread

    servers = dict((org, start_in_thread(client_id="%s-client" % org, client_secret="%s-secret" % org,
                                         rate_limit=100000)) for org in ("a", "b"))
    controls = dict((org, EmulatorControl(server.url, server.client_id, server.client_secret))
                    for org, server in servers.items())
    for control in controls.values():
        control.reset()
    yield controls
    for server in servers.values():
        server.stop()


def small_org(tmp_path, schema):
    folder = tmp_path / ("org-" + schema)
    (folder / "schemas").mkdir(parents=True)
    (folder / "org.yml").write_text("---\n{}\n")
    (folder / "schemas" / (schema + ".yml")).write_text(yaml.safe_dump({"name": schema, "fields": [
        {"name": "code", "type": "string", "unique": True, "required": True}]}))
    return str(folder)


def test_the_play_environment_decides_where_every_task_writes_even_the_org_run(two_orgs, tmp_path):
    """The shell points at org A, the play's environment: at org B: every task, the org run included, writes to B."""
    org_a, org_b = two_orgs["a"], two_orgs["b"]
    plays = [{
        "name": "org B through the play's environment", "hosts": "localhost", "gather_facts": False,
        "environment": org_b.env,
        "tasks": [
            {"name": "one schema", "genesys.cloud.flex_schema": {
                "name": "single", "fields": [{"name": "code", "type": "string"}]}},
            {"name": "whole org", "genesys.cloud.org": {"org_dir": small_org(tmp_path, "fromDirectory")}},
            {"name": "export", "genesys.cloud.org_export": {"dest": str(tmp_path / "exported")}},
            # A lookup never sees the task's environment (Ansible applies it to modules): it takes its options.
            {"name": "lookup", "ansible.builtin.debug": {
                "msg": "{{ query('genesys.cloud.flex_schema', api_url='%s', client_id='b-client', "
                       "client_secret='b-secret') | map(attribute='name') | list }}" % org_b.url}},
        ]}]
    run = run_playbook(plays, env=org_a.env, workdir=str(tmp_path / "run"))
    assert run.rc == 0, run
    assert sorted(schema["name"] for schema in org_b.schemas()) == ["fromDirectory", "single"]
    assert org_a.schemas() == [] and org_a.token_requests() == []
    assert os.path.exists(str(tmp_path / "exported" / "schemas" / "fromDirectory.yml"))
    assert run.task("lookup")["msg"] == ["single", "fromDirectory"]
    # One token for org B's client, shared by the module task, the org run and the export.
    assert [entry["client_id"] for entry in org_b.token_requests()] == ["b-client"]


def test_without_credentials_in_the_shell_the_org_run_uses_the_play_environment(two_orgs, tmp_path):
    org_b = two_orgs["b"]
    blank = dict((name, "") for name in org_b.env)
    plays = [{"name": "org B", "hosts": "localhost", "gather_facts": False, "environment": org_b.env, "tasks": [
        {"name": "whole org", "genesys.cloud.org": {"org_dir": small_org(tmp_path, "onlyB")}}]}]
    run = run_playbook(plays, env=blank, workdir=str(tmp_path / "run"))
    assert run.rc == 0, run
    assert [schema["name"] for schema in org_b.schemas()] == ["onlyB"]


def test_client_credentials_on_the_task_win_over_a_token_left_in_the_environment(two_orgs, tmp_path):
    org_a = two_orgs["a"]
    org_a.add_client("deployer", "deployer-secret")
    stale = org_a.http.post(org_a.url + "/oauth/token", data={"grant_type": "client_credentials"},
                            auth=(org_a.client_id, org_a.client_secret), timeout=30).json()["access_token"]
    env = dict(org_a.env, GENESYSCLOUD_ACCESS_TOKEN=stale)
    tasks = [
        {"name": "as the deployer", "genesys.cloud.flex_schema": {
            "name": "deployed", "client_id": "deployer", "client_secret": "deployer-secret",
            "fields": [{"name": "code", "type": "string"}]}},
        {"name": "whole org as the deployer", "genesys.cloud.org": {
            "org_dir": small_org(tmp_path, "deployedToo"), "client_id": "deployer",
            "client_secret": "deployer-secret"}},
        {"name": "both on the task", "genesys.cloud.flex_schema_info": {
            "client_id": "deployer", "client_secret": "deployer-secret", "access_token": stale},
         "ignore_errors": True},
    ]
    run = run_playbook([{"name": "p", "hosts": "localhost", "gather_facts": False, "tasks": tasks}], env=env,
                       workdir=str(tmp_path / "run"))
    assert run.rc == 0, run
    writers = set(entry.get("client_id") for entry in org_a.requests()
                  if entry["method"] == "POST" and entry["path"].startswith("/api/v2/data/flex/schemas"))
    assert writers == {"deployer"}
    assert sorted(schema["name"] for schema in org_a.schemas()) == ["deployed", "deployedToo"]
    both = run.task("both on the task")
    assert run.status("both on the task") == "failed"
    assert "give both client_id/client_secret and access_token" in both["msg"] and stale not in both["msg"]
