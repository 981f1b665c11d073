"""The AWX project kit (examples/awx_project) holds together, as far as a machine without a controller can tell.

Its controller objects (controller/genesys_cloud.yml, the variables of infra.controller_configuration)
name only what the kit defines; each job template runs a playbook of the kit, whose survey asks only
for variables that playbook reads; the workflow runs preview, an approval node, then configure; the
kit is in Git and in the release; and the workflow, walked node by node as AWX runs it (each job
through ansible-runner, the preview's artifacts handed to the jobs after it), configures the org.
"""
import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO
from tests.integration.test_execution_environment import BIN, injected_env
from tests.support import awx_kit as kit

sys.path.insert(0, os.path.join(REPO, "scripts"))
from collection_files import shipped_files  # noqa: E402

SURVEY_TYPES = ("text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect")


def kit_files():
    return sorted(os.path.relpath(os.path.join(top, name), kit.KIT)
                  for top, _dirs, names in os.walk(kit.KIT) for name in names)


def read_yaml(relative):
    return kit.read_yaml(os.path.join(kit.KIT, relative))


def variables_read_by(kit_playbook):
    """The genesys_* variables the collection playbook behind a kit playbook reads."""
    (play,) = read_yaml(kit_playbook)
    collection_playbook = play["ansible.builtin.import_playbook"]
    assert collection_playbook.startswith("genesys.cloud."), kit_playbook
    path = os.path.join(REPO, "playbooks", collection_playbook.split(".")[-1] + ".yml")
    with open(path) as handle:
        return set(re.findall(r"\bgenesys_\w+", handle.read()))


def surveys():
    """(owner, survey_spec, the kit playbooks its answers go to) for every survey of the kit."""
    data = kit.controller_data()
    playbooks = dict((template["name"], template["playbook"]) for template in data["controller_templates"])
    found = [(template["name"], template["survey_spec"], [template["playbook"]])
             for template in data["controller_templates"] if template.get("survey_enabled")]
    for workflow in data["controller_workflows"]:
        ran = [playbooks[node["unified_job_template"]] for node in workflow["simplified_workflow_nodes"]
               if "unified_job_template" in node]
        found.append((workflow["name"], workflow["survey_spec"], ran))
    return found


def test_every_file_of_the_kit_parses_and_the_readme_names_it():
    with open(os.path.join(kit.KIT, "README.md")) as handle:
        readme = handle.read()
    for relative in kit_files():
        if relative.endswith(".yml"):
            assert read_yaml(relative), relative
        if relative != "README.md":
            assert "`%s`" % relative in readme or "`%s`" % os.path.basename(relative) in readme, relative


def test_the_requirements_install_this_release_and_are_in_git_and_in_the_tarball():
    requirements = read_yaml("collections/requirements.yml")
    (collection,) = requirements["collections"]
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    assert collection == {"name": "genesys.cloud", "version": ">=%s" % version}
    relative = "examples/awx_project/collections/requirements.yml"
    ignored = subprocess.run(["git", "check-ignore", "-q", relative], cwd=REPO)
    assert ignored.returncode == 1, "%s is ignored by git" % relative
    shipped = set(shipped_files())
    assert ["examples/awx_project/" + name for name in kit_files()] == sorted(
        name for name in shipped if name.startswith("examples/awx_project/"))


def test_the_job_templates_name_only_objects_and_playbooks_of_the_kit():
    data = kit.controller_data()
    names = dict((kind, [item["name"] for item in data["controller_" + kind]]) for kind in (
        "credential_types", "credentials", "execution_environments", "projects", "inventories"))
    for credential in data["controller_credentials"]:
        assert credential["credential_type"] in names["credential_types"]
        fields = [field["id"] for field in kit.credential_type()["inputs"]["fields"]]
        assert set(credential["inputs"]) <= set(fields), credential["name"]
    for host in data["controller_hosts"]:
        assert host["inventory"] in names["inventories"]
        assert host["variables"]["ansible_connection"] == "local" and host["variables"]["genesys_org_dir"]
    assert [project["default_environment"] for project in data["controller_projects"]] == names["execution_environments"]
    for template in data["controller_templates"]:
        assert template["project"] in names["projects"] and template["inventory"] in names["inventories"]
        assert template["execution_environment"] in names["execution_environments"]
        assert set(template["credentials"]) <= set(names["credentials"])
        assert os.path.isfile(os.path.join(kit.KIT, template["playbook"])), template["playbook"]
    assert sorted(template["playbook"] for template in data["controller_templates"]) == [
        "configure_org.yml", "preview_org.yml"]


def test_each_survey_asks_only_what_its_playbooks_read_and_every_required_answer_has_a_default():
    for owner, survey, playbooks in surveys():
        assert survey["name"] and survey["spec"], owner
        for question in survey["spec"]:
            assert question["type"] in SURVEY_TYPES, (owner, question["variable"])
            assert question["question_name"] and question["required"] in (True, False)
            # A job started by a workflow node is asked nothing: its required answers are the defaults.
            assert "default" in question, (owner, question["variable"])
            if question["type"] == "multiplechoice":
                assert question["default"] in question["choices"], (owner, question["variable"])
            for playbook in playbooks:
                assert question["variable"] in variables_read_by(playbook), (owner, question["variable"], playbook)
            # The plan a configure applies comes from the preview's artifact, never from a person's answer.
            assert question["variable"] != "genesys_apply_plan"


def test_preview_and_configure_have_their_own_surveys():
    preview = kit.job_template("preview_org.yml")["survey_spec"]
    configure = kit.job_template("configure_org.yml")["survey_spec"]
    preview_asks = [question["variable"] for question in preview["spec"]]
    configure_asks = [question["variable"] for question in configure["spec"]]
    assert preview_asks == ["genesys_org_hosts", "genesys_fail_on_changes", "genesys_fail_on_unmanaged"]
    assert configure_asks == ["genesys_org_hosts"]
    assert preview["name"] != configure["name"]


def test_the_workflow_is_preview_then_an_approval_then_configure():
    (workflow,) = kit.controller_data()["controller_workflows"]
    nodes = dict((node["identifier"], node) for node in workflow["simplified_workflow_nodes"])
    targets = [target for node in nodes.values() for key in ("success_nodes", "failure_nodes", "always_nodes")
               for target in node.get(key, [])]
    assert set(targets) <= set(nodes)
    (root,) = [name for name in nodes if name not in targets]
    path = [root]
    while nodes[path[-1]].get("success_nodes"):
        (following,) = nodes[path[-1]]["success_nodes"]
        path.append(following)
    assert path == list(nodes)  # one line, every node on it, only success edges
    templates = dict((template["name"], template["playbook"]) for template in kit.controller_data()["controller_templates"])
    steps = [templates.get(nodes[name].get("unified_job_template")) or "approval" for name in path]
    assert steps == ["preview_org.yml", "approval", "configure_org.yml"]
    approval = nodes[path[1]]["approval_node"]
    assert approval["name"] and approval["timeout"] > 0
    assert "genesys_apply_plan" in variables_read_by("configure_org.yml")


def test_the_setup_playbook_applies_the_data_file_with_infra_controller_configuration():
    (play,) = read_yaml("controller/configure_controller.yml")
    assert play["vars_files"] == ["genesys_cloud.yml"] and play["hosts"] == "localhost"
    roles = [task["ansible.builtin.include_role"]["name"] for task in play["tasks"]]
    assert roles == ["infra.controller_configuration.dispatch"]
    required = [item["name"] for item in read_yaml("controller/requirements.yml")["collections"]]
    assert "infra.controller_configuration" in required


def runner_project(tmp_path):
    """A runner private data dir: the kit as the project, the example org beside it, the kit's inventory."""
    import shutil

    private = tmp_path / "runner"
    shutil.copytree(kit.KIT, str(private / "project"))
    shutil.copytree(os.path.join(REPO, "examples", "orgs", "acme"), str(private / "project" / "orgs" / "acme"))
    hosts = dict((host["name"], dict(host["variables"])) for host in kit.controller_data()["controller_hosts"])
    (private / "inventory").mkdir()
    (private / "inventory" / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    return private


@pytest.mark.slow
def test_the_workflow_walked_as_awx_runs_it_configures_the_org(emulator, tmp_path, monkeypatch):
    """Each job node through ansible-runner with what AWX gives it: the survey defaults of its job template,
    the workflow's survey answers, the artifacts of the jobs before it, the credential's environment."""
    import ansible_runner

    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    data = kit.controller_data()
    (workflow,) = data["controller_workflows"]
    templates = dict((template["name"], template) for template in data["controller_templates"])
    credential = injected_env({"client_id": emulator.client_id, "client_secret": emulator.client_secret,
                               "region": "us-east-1", "api_url": emulator.url})
    env = dict(credential, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    answers = dict(kit.survey_defaults(workflow["survey_spec"]), genesys_org_hosts="acme")
    artifacts, ran = {}, []
    for node in workflow["simplified_workflow_nodes"]:
        if "approval_node" in node:
            ran.append("approved")  # a person reads the preview's artifacts and approves
            assert "acme" in artifacts["genesys_plan_markdown_text"] and emulator.module_writes() == []
            continue
        template = templates[node["unified_job_template"]]
        extravars = dict(kit.survey_defaults(template["survey_spec"]), **artifacts)
        extravars.update(answers)
        result = ansible_runner.run(private_data_dir=str(runner_project(tmp_path / node["identifier"])),
                                    playbook=template["playbook"], envvars=env, extravars=extravars, quiet=True)
        assert (result.status, result.rc) == ("successful", 0), result.stdout.read()[-3000:]
        stats = [event for event in result.events if event["event"] == "playbook_on_stats"]
        artifacts.update(stats[-1]["event_data"].get("artifact_data") or {})
        ran.append(template["playbook"])

    assert ran == ["preview_org.yml", "approved", "configure_org.yml"]
    assert len(emulator.schemas()) == 4 and len(emulator.records("customerAccounts")) == 24
    assert sorted(hook["name"] for hook in emulator.webhooks()) == ["account-changes", "schema-audit"]
