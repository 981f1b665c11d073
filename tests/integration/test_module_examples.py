"""Every EXAMPLES block of the collection's modules, lookups and filters runs as written against the emulator.

The examples are what a user copies first (``ansible-doc`` and the docs site show them), so each one
must run. They are read from the plugin files (the ``EXAMPLES`` string constant, found with ``ast``:
no plugin is imported), and run in order as the tasks of one play on ``localhost`` per run below,
each run against a fresh emulator: an example may set up a later one of its run (the flex_schema
examples define the schema whose records the custom_object_records examples load). Every task must
succeed (not fail, not be skipped).

What a user brings that no example makes is given here as they would: the secrets their vault holds
(extra variables) and the files next to their playbook (a CSV export, the collection's example org
directory).
"""
import ast
import glob
import os
import shutil

import yaml

from tests.conftest import CLIENT_ID, CLIENT_SECRET, REPO

PLUGIN_FILES = ("plugins/modules/*.py", "plugins/lookup/*.py", "plugins/filter/*.py")

# The order the examples run in; each run starts from an empty org.
RUNS = {
    "schemas and records": (
        "plugins/modules/flex_schema.py",
        "plugins/modules/flex_schema_info.py",
        "plugins/filter/schema_order.py",
        "plugins/lookup/flex_schema.py",
        "plugins/modules/custom_object_records.py",
        "plugins/modules/custom_object_record_info.py",
        "plugins/lookup/custom_object_records.py",
    ),
    "webhooks": (
        "plugins/modules/webhook.py",
        "plugins/modules/webhook_info.py",
    ),
    "org as code": (
        "plugins/modules/org.py",
        "plugins/filter/plan_markdown.py",
        "plugins/modules/org_export.py",
    ),
    "data tables": (
        "plugins/modules/datatable.py",
        "plugins/modules/datatable_rows.py",
        "plugins/modules/datatable_info.py",
    ),
    # (path, first, last): a slice of a file's examples, where the _info examples read what the first ones made
    # and the last ones change or delete it
    "workitem schemas": (
        ("plugins/modules/workitem_schema.py", 0, 2),
        "plugins/modules/workitem_schema_info.py",
        ("plugins/modules/workitem_schema.py", 2, None),
    ),
    "triggers": (
        ("plugins/modules/trigger.py", 0, 2),
        "plugins/modules/trigger_info.py",
        ("plugins/modules/trigger.py", 2, None),
    ),
}

# What an org holds before a run's examples, that no module of this collection manages (a published workflow).
def _published_workflow(emulator):
    emulator._ctl("POST", "/workflows", {"name": "Escalate claim", "published": True})


SETUP = {"triggers": _published_workflow}

# Variables the examples expect from the user's vault (never from another example).
USER_VARIABLES = {
    "compliance_token": "example-bearer-token",
    "compliance_signing_secret": "example-signing-secret-1",
    "new_signing_secret": "example-signing-secret-2",
    "vault_client_id": CLIENT_ID,
    "vault_client_secret": CLIENT_SECRET,
    # "another org": GENESYSCLOUD_API_URL (the emulator) overrides the examples' region, so it is the same one
    "vault_other_org_client_id": CLIENT_ID,
    "vault_other_org_client_secret": CLIENT_SECRET,
}

# Files next to the playbook: a CSV export of accounts, and the collection's example org.
USER_FILES = {
    "data/accounts.csv": (
        "accountNumber,customerName,status,tier\n"
        "acc-001,Acme Corp,active,gold\n"
        "acc-002,Globex Inc,active,silver\n"
        "acc-003,Initech,closed,bronze\n"
        "acc-004,Umbrella Ltd,active,gold\n"
    ),
}
USER_DIRECTORIES = {
    "orgs/acme": "examples/orgs/acme",
    "orgs/common": "examples/orgs/acme",  # the shared definition an org's export is an overlay of
}


def examples_of(relative_path):
    """The tasks of a plugin file's ``EXAMPLES`` string (None when it has none), without importing it."""
    with open(os.path.join(REPO, relative_path)) as handle:
        tree = ast.parse(handle.read(), relative_path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets):
            tasks = yaml.safe_load(node.value.value)
            assert isinstance(tasks, list) and tasks, "%s: EXAMPLES must be a YAML list of tasks" % relative_path
            return tasks
    return None


def plugin_files():
    return sorted(os.path.relpath(path, REPO) for pattern in PLUGIN_FILES
                  for path in glob.glob(os.path.join(REPO, pattern)) if not path.endswith("__init__.py"))


def test_every_module_has_examples_and_every_example_is_run():
    with_examples = [path for path in plugin_files() if examples_of(path) is not None]
    modules = [path for path in plugin_files() if path.startswith("plugins/modules/")]
    assert [path for path in modules if path not in with_examples] == []
    ran = [entry for run in RUNS.values() for entry in run]
    assert sorted(set(_path(entry) for entry in ran)) == with_examples, "every plugin's EXAMPLES must run in RUNS"
    for path in with_examples:  # each example exactly once: a file in one run, whole or in slices that add up
        slices = [entry for entry in ran if _path(entry) == path]
        count = len(examples_of(path))
        covered = sorted(index for entry in slices for index in range(count)[_slice(entry)])
        assert covered == list(range(count)), path


def _path(entry):
    return entry if isinstance(entry, str) else entry[0]


def _slice(entry):
    return slice(None) if isinstance(entry, str) else slice(entry[1], entry[2])


def test_every_example_task_has_a_name_and_uses_a_module_by_its_full_name():
    for path in plugin_files():
        for task in examples_of(path) or []:
            assert task.get("name"), "%s: an example task without a name" % path
            actions = [key for key in task if "." in key]
            assert len(actions) == 1 and actions[0].startswith(("genesys.cloud.", "ansible.builtin.")), (path, task)


def project(workdir):
    """A directory as a user's playbook has beside it (USER_FILES, USER_DIRECTORIES)."""
    for relative, text in USER_FILES.items():
        target = os.path.join(workdir, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as handle:
            handle.write(text)
    for relative, source in USER_DIRECTORIES.items():
        shutil.copytree(os.path.join(REPO, source), os.path.join(workdir, relative))
    return workdir


def example_tasks(run_name):
    """The tasks of one run, each named after its plugin and place so that its result can be found."""
    tasks = []
    for entry in RUNS[run_name]:
        path = _path(entry)
        plugin = os.path.splitext(path[len("plugins/"):])[0]  # modules/flex_schema, lookup/flex_schema
        numbered = list(enumerate(examples_of(path), 1))
        for number, task in numbered[_slice(entry)]:
            task = dict(task)
            task["name"] = "%s example %d: %s" % (plugin, number, task["name"])
            tasks.append(task)
    return tasks


def run_examples(run_name, playbook, tmp_path, emulator=None):
    if run_name in SETUP:
        SETUP[run_name](emulator)
    tasks = example_tasks(run_name)
    workdir = project(str(tmp_path / "project"))
    run = playbook(tasks, workdir=workdir, extra_vars=USER_VARIABLES)
    outcomes = [(record["task"], record["status"]) for record in run.records]
    failures = ["%s: %s" % (record["task"], record["result"].get("msg")) for record in run.records
                if record["status"] != "ok"]
    assert outcomes == [(task["name"], "ok") for task in tasks], (failures, run)
    assert run.rc == 0, run
    return run, workdir


def test_the_schema_and_record_examples_run(playbook, emulator, tmp_path):
    run, workdir = run_examples("schemas and records", playbook, tmp_path)
    assert sorted(schema["name"] for schema in emulator.schemas()) == ["customerAccounts", "regions", "stores"]
    assert [field["name"] for field in emulator.schema("customerAccounts")["fields"]] == [
        "accountNumber", "customerName", "status", "tier"]
    ordered = run.task("filter/schema_order example 4: Order deletions by the relationships stored in the org "
                       "(stores before regions)")["ansible_facts"]["ordered"]
    assert [schema["name"] for schema in ordered] == ["stores", "regions"]
    accounts = dict((record["accountNumber"], record) for record in emulator.records("customerAccounts"))
    assert sorted(accounts) == ["acc-001", "acc-002"]
    assert accounts["acc-002"]["tier"] == "silver"  # the CSV's value replaced the first example's
    gold = run.task("lookup/custom_object_records example 2: Every gold account, as a list")["ansible_facts"]
    assert [record["accountNumber"] for record in gold["gold_accounts"]] == ["acc-001"]
    assert os.path.exists(os.path.join(workdir, "data", "accounts-changes.jsonl"))


def test_the_webhook_examples_run(playbook, emulator, tmp_path):
    run_examples("webhooks", playbook, tmp_path)
    hooks = dict((hook["name"], hook) for hook in emulator.webhooks())
    assert "compliance-accounts" not in hooks
    assert hooks and not any(hook["enabled"] for hook in hooks.values())


def test_the_org_examples_run(playbook, emulator, tmp_path):
    run, workdir = run_examples("org as code", playbook, tmp_path)
    assert sorted(schema["name"] for schema in emulator.schemas()) == [
        "customerAccounts", "regions", "serviceTiers", "supportContacts"]
    assert os.path.exists(os.path.join(workdir, "plan.json")) and os.path.exists(os.path.join(workdir, "plan.md"))
    rendered = run.task("filter/plan_markdown example 3: Render a plan saved by plan_json")["msg"]
    assert rendered.startswith("## Tonight") and "No changes" in rendered
    exports = os.path.join(workdir, "exports")
    assert sorted(os.listdir(os.path.join(exports, "acme-regions", "schemas"))) == ["regions.yml"]
    assert not os.path.exists(os.path.join(exports, "acme-config", "records"))
    assert os.path.exists(os.path.join(exports, "acme-public", "webhooks", "account-changes.yml"))
    with open(os.path.join(workdir, "orgs", "prod", "org.yml")) as handle:
        assert yaml.safe_load(handle)["base"] == "../common"
    assert not os.path.exists(os.path.join(workdir, "orgs", "prod", "schemas"))  # nothing differs from the base


def test_the_data_table_examples_run(playbook, emulator, tmp_path):
    run_examples("data tables", playbook, tmp_path)
    tables = emulator.api("GET", "/api/v2/flows/datatables?pageSize=100", expect=200).json()["entities"]
    assert tables, "the data-table examples leave their table"


def test_the_workitem_schema_examples_run(playbook, emulator, tmp_path):
    run, _workdir = run_examples("workitem schemas", playbook, tmp_path)
    assert run.task("modules/workitem_schema example 1: Describe insurance claims for workitems")["changed"] is True


def test_the_trigger_examples_run(playbook, emulator, tmp_path):
    run, _workdir = run_examples("triggers", playbook, tmp_path, emulator)
    assert run.task("modules/trigger example 1: Escalate urgent claim workitems")["changed"] is True
