"""Tasks on the controller run in-process through the action plugins: one token per run and org,
nothing secret on disk, module execution wherever the module would not run on the controller."""
import os

import pytest
import yaml

from tests.support.emulator_control import EmulatorControl
from tests.support.playbook import REPO, run_playbook

pytestmark = pytest.mark.matrix

SIGNING_SECRET = "signing-secret-0123456789"
FIELDS = [{"name": "accountNumber", "type": "string", "unique": True, "required": True},
          {"name": "tier", "type": "string", "options": ["gold", "silver"]}]
NO_ENV = dict((name, "") for name in ("GENESYSCLOUD_API_URL", "GENESYSCLOUD_OAUTHCLIENT_ID",
                                      "GENESYSCLOUD_OAUTHCLIENT_SECRET"))
CONNECTION_PLUGINS = os.path.join(REPO, "tests", "support", "connection")


def with_defaults(tasks, connection, hosts="localhost"):
    """One play whose genesys.cloud tasks get their credentials from module_defaults (task arguments)."""
    return [{"name": "test play", "hosts": hosts, "gather_facts": False,
             "module_defaults": {"group/genesys.cloud.all": connection}, "tasks": tasks}]


def org_tasks():
    return [
        {"name": "schema", "genesys.cloud.flex_schema": {"name": "accounts", "fields": FIELDS}},
        {"name": "read schemas", "genesys.cloud.flex_schema_info": {}},
        {"name": "read one schema", "genesys.cloud.flex_schema_info": {"name": "accounts"}},
        {"name": "records", "genesys.cloud.custom_object_records": {
            "schema": "accounts", "key": "accountNumber",
            "records": [{"accountNumber": "A-%d" % n, "tier": "gold"} for n in range(5)]}},
        {"name": "read records", "genesys.cloud.custom_object_record_info": {"schema": "accounts"}},
        {"name": "webhook", "genesys.cloud.webhook": {
            "name": "audit", "endpoint": "https://hooks.example.com/in", "secret": SIGNING_SECRET,
            "event_types": ["data.flex.schema.updated"]}},
        {"name": "hidden webhook read", "genesys.cloud.webhook_info": {"name": "audit"}, "no_log": True},
    ]


def temp_env(tmp_path):
    """Point Ansible's temporary directories into the test and keep every file a module run leaves."""
    local, remote = tmp_path / "local_tmp", tmp_path / "remote_tmp"
    local.mkdir()
    remote.mkdir()
    env = dict(NO_ENV, ANSIBLE_LOCAL_TEMP=str(local), ANSIBLE_REMOTE_TEMP=str(remote), ANSIBLE_KEEP_REMOTE_FILES="1")
    return env, [str(local), str(remote)]


def files_holding(folders, secrets, but=()):
    found = []
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            for name in names:
                if name in but:
                    continue
                with open(os.path.join(root, name), "rb") as handle:
                    content = handle.read()
                found += ["%s: %s" % (name, secret) for secret in secrets if secret.encode() in content]
    return found


def issued_tokens(emulator):
    return [token for token, info in emulator.state()["tokens"].items() if info["client_id"] == emulator.client_id]


def test_a_play_of_every_module_fetches_one_token_and_leaves_no_secret_anywhere(emulator, playbook, tmp_path):
    env, temp_dirs = temp_env(tmp_path)
    run = playbook(with_defaults(org_tasks(), emulator.connection), env=env, diff=True, args=["-vvv"])
    assert run.rc == 0, run

    assert len(emulator.token_requests()) == 1
    assert sum(record["result"]["metrics"]["token_requests"] for record in run.records
               if "metrics" in record["result"]) == 1
    assert [s["name"] for s in emulator.schemas()] == ["accounts"] and len(emulator.records("accounts")) == 5
    assert run.task("webhook")["webhook"]["secret_set"] is True
    # Every task ran in the worker: no module file was written, so nothing could hold a secret.
    tokens = issued_tokens(emulator)
    secrets = [emulator.client_secret, SIGNING_SECRET] + tokens
    assert len(tokens) == 1
    assert files_holding(temp_dirs, secrets) == []
    # Nor are they in the results the callbacks saw, or anywhere else (but the playbook that holds them).
    assert files_holding([str(tmp_path)], secrets, but=("playbook.yml",)) == []
    output = run.stdout + run.stderr
    assert [secret for secret in secrets if secret in output] == []
    hidden = run.task("hidden webhook read")
    assert "the output has been hidden" in output and "no_log: true" in hidden["censored"]
    assert set(hidden) - {"censored", "changed", "_ansible_no_log"} == set()
    # Option-level no_log: the invocation a module result carries is censored too.
    assert run.task("webhook")["invocation"]["module_args"]["client_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_opting_out_runs_module_processes_each_with_its_own_token(emulator, playbook, tmp_path):
    env, temp_dirs = temp_env(tmp_path)
    tasks = [{"name": "read %d" % n, "genesys.cloud.flex_schema_info": {}} for n in range(2)]
    run = playbook(with_defaults(tasks, emulator.connection), env=dict(env, GENESYSCLOUD_IN_PROCESS="false"))
    assert run.rc == 0, run
    assert len(emulator.token_requests()) == 2
    # A module process gets its arguments in a file: kept here, it holds the client secret (the
    # cost in-process execution avoids, and proof that the scan above finds what is there).
    assert files_holding(temp_dirs, [emulator.client_secret])

    by_variable = playbook(with_defaults(tasks, emulator.connection), extra_vars={"genesys_cloud_in_process": False})
    assert by_variable.rc == 0, by_variable
    assert len(emulator.token_requests()) == 4


def test_a_task_delegated_to_a_host_that_is_not_the_controller_runs_the_module_there(emulator, tmp_path):
    env, temp_dirs = temp_env(tmp_path)
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {
        "localhost": {"ansible_connection": "local"},
        "elsewhere": {"ansible_connection": "remote_local"}}}}))
    tasks = [{"name": "on the controller", "genesys.cloud.flex_schema_info": {}},
             {"name": "delegated", "genesys.cloud.flex_schema_info": {}, "delegate_to": "elsewhere"},
             {"name": "delegated again", "genesys.cloud.webhook_info": {}, "delegate_to": "elsewhere"},
             {"name": "delegated to localhost", "genesys.cloud.webhook_info": {}, "delegate_to": "localhost"}]
    run = run_playbook(with_defaults(tasks, emulator.connection), inventory=str(inventory), workdir=str(tmp_path),
                       env=dict(env, ANSIBLE_CONNECTION_PLUGINS=CONNECTION_PLUGINS))
    assert run.rc == 0, run
    # The controller's tasks share one token; each module process logs in on its own.
    assert [run.task(name)["metrics"]["token_requests"] for name in (
        "on the controller", "delegated", "delegated again", "delegated to localhost")] == [1, 1, 1, 0]
    assert len(emulator.token_requests()) == 3
    assert len(files_holding(temp_dirs, [emulator.client_secret])) == 2  # the two modules' argument files


def test_check_mode_writes_nothing_diff_shows_the_change_and_a_rerun_changes_nothing(emulator, playbook):
    tasks = org_tasks()[:1] + org_tasks()[5:6]
    preview = playbook(tasks, check=True, diff=True)
    assert preview.rc == 0, preview
    assert emulator.module_writes() == [] and emulator.schemas() == [] and emulator.webhooks() == []
    assert preview.task("schema")["changed"] is True and preview.task("webhook")["changed"] is True
    assert "+    \"name\": \"accounts\"" in preview.stdout and "--- before" in preview.stdout
    assert SIGNING_SECRET not in preview.stdout

    apply = playbook(tasks, diff=True)
    again = playbook(tasks, diff=True)
    assert apply.rc == 0 and again.rc == 0, (apply, again)
    assert [apply.task(n)["changed"] for n in ("schema", "webhook")] == [True, True]
    assert [again.task(n)["changed"] for n in ("schema", "webhook")] == [False, False]
    assert "changed=0" in again.stdout
    assert len(emulator.schemas()) == 1 and len(emulator.webhooks()) == 1


def test_the_task_environment_keyword_reaches_the_options_fallbacks(emulator, playbook):
    task = {"name": "read", "genesys.cloud.flex_schema_info": {}, "environment": emulator.env}
    run = playbook([task], env=NO_ENV)
    assert run.rc == 0, run
    assert run.task("read")["schemas"] == []


def test_invalid_arguments_and_missing_credentials_fail_like_the_module(emulator, playbook):
    run = playbook([
        {"name": "bad", "genesys.cloud.flex_schema": {"name": "x", "state": "gone"}, "ignore_errors": True},
        {"name": "no credentials", "genesys.cloud.flex_schema_info": {}, "ignore_errors": True}],
        env={"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": ""})
    assert run.status("bad") == "failed" and "state" in run.task("bad")["msg"]
    assert run.status("no credentials") == "failed" and "no credentials" in run.task("no credentials")["msg"]
    assert emulator.module_requests() == [] and emulator.token_requests() == []


# -- faults across tasks: the shared token and the client's safety still hold --------------------

def test_a_401_mid_run_costs_one_new_token_that_later_tasks_share(emulator, playbook):
    expire = {"name": "the org expires every token", "ansible.builtin.uri": {
        "url": emulator.url + "/_emulator/tokens/expire", "method": "POST", "body_format": "json", "body": {}}}
    tasks = [{"name": "before", "genesys.cloud.flex_schema_info": {}}, expire,
             {"name": "after", "genesys.cloud.webhook_info": {}},
             {"name": "later", "genesys.cloud.flex_schema_info": {}}]
    run = playbook(tasks)
    assert run.rc == 0, run
    assert len(emulator.token_requests()) == 2
    after, later = run.task("after")["metrics"], run.task("later")["metrics"]
    assert (after["reauthentications"], after["token_requests"]) == (1, 1)
    assert (later["reauthentications"], later["token_requests"]) == (0, 0)


@pytest.mark.slow
def test_a_429_is_waited_out_and_the_next_tasks_go_on(emulator, playbook):
    emulator.fault(path="^/api/v2/data/flex/schemas$", method="GET", status=429, retry_after=1, count=1)
    run = playbook(org_tasks()[:3])
    assert run.rc == 0, run
    assert run.task("schema")["metrics"]["rate_limited"] == 1 and run.task("schema")["metrics"]["wait_seconds"] >= 1
    assert [s["name"] for s in run.task("read schemas")["schemas"]] == ["accounts"]
    assert len(emulator.token_requests()) == 1


def test_a_connection_dropped_on_creates_yields_each_object_once(emulator, playbook):
    emulator.fault(method="POST", path="^/api/v2/data/flex/schemas$", action="drop_after", count=1)
    emulator.fault(method="POST", path="^/api/v2/platform/webhooks$", action="drop_after", count=1)
    tasks = org_tasks()[:1] + org_tasks()[5:6]
    run = playbook(tasks + [dict(task, name=task["name"] + " again") for task in tasks])
    assert run.rc == 0, run
    assert [s["name"] for s in emulator.schemas()] == ["accounts"]
    assert [w["name"] for w in emulator.webhooks()] == ["audit"]
    assert run.task("schema")["metrics"]["recovered_writes"] == 1
    assert run.task("webhook")["metrics"]["recovered_writes"] == 1
    assert run.task("schema again")["changed"] is False and run.task("webhook again")["changed"] is False
    assert len(emulator.token_requests()) == 1


def test_a_409_from_another_admin_keeps_their_change(emulator, playbook):
    emulator.create_schema("accounts", [{"name": "accountNumber", "type": "string"}])
    emulator.hook(method="GET", path="^/api/v2/data/flex/schemas$", count=1, action={
        "type": "schema_update", "schema": "accounts", "set_fields": [{"name": "fromBob", "type": "number"}]})
    run = playbook(org_tasks()[:2])
    assert run.rc == 0, run
    assert run.task("schema")["metrics"]["conflicts"] == 1
    names = [f["name"] for f in emulator.schema("accounts")["fields"]]
    assert names == ["accountNumber", "fromBob", "tier"]
    assert [f["name"] for f in run.task("read schemas")["schemas"][0]["fields"]] == names
    assert len(emulator.token_requests()) == 1


# -- three orgs at once ---------------------------------------------------------------------------

@pytest.fixture
def three_orgs():
    from genesys_emulator import start_in_thread

    servers = [start_in_thread(client_id="org%d-client" % n, client_secret="org%d-secret" % n, rate_limit=100000,
                               latency_ms=50)
               for n in range(3)]
    controls = [EmulatorControl(server.url, server.client_id, server.client_secret) for server in servers]
    for control in controls:
        control.reset()
    yield controls
    for server in servers:
        server.stop()


def test_three_orgs_with_three_forks_each_fetch_one_token_of_their_own(three_orgs, tmp_path):
    hosts = dict(("org%d" % n, {"ansible_connection": "local", "genesys": control.connection})
                 for n, control in enumerate(three_orgs))
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    tasks = org_tasks()[:3] + org_tasks()[5:6]
    plays = with_defaults(tasks, dict((name, "{{ genesys.%s }}" % name) for name in three_orgs[0].connection),
                          hosts="all")
    run = run_playbook(plays, inventory=str(inventory), workdir=str(tmp_path), env=NO_ENV, args=["--forks", "3"])
    assert run.rc == 0, run
    for n, control in enumerate(three_orgs):
        assert [entry["client_id"] for entry in control.token_requests()] == ["org%d-client" % n]
        assert [s["name"] for s in control.schemas()] == ["accounts"] and len(control.webhooks()) == 1
        assert run.task("schema", host="org%d" % n)["metrics"]["org"] == control.url.split("//")[1]
