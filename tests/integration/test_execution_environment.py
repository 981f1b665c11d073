"""AWX readiness: ansible-builder makes a build context; ansible-runner runs configure_org against the emulator."""
import glob
import os
import re
import subprocess
import sys

import yaml

from tests.support import awx_kit as kit

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def test_ansible_builder_creates_a_build_context_with_the_requirements(tmp_path):
    context = tmp_path / "context"
    proc = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f",
                           os.path.join(REPO, "execution-environment.yml"), "--context", str(context)],
                          capture_output=True, text=True, cwd=str(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    build = context / "_build"
    assert (context / "Dockerfile").is_file() or (context / "Containerfile").is_file()
    python_requirements = (build / "requirements.txt").read_text()
    assert "requests" in python_requirements and "jsonschema" in python_requirements
    assert "ca-certificates" in (build / "bindep.txt").read_text()
    galaxy = yaml.safe_load((build / "requirements.yml").read_text())
    assert [c["name"] for c in galaxy["collections"]] == ["genesys.cloud"]
    containerfile = ((context / "Containerfile") if (context / "Containerfile").is_file() else (context / "Dockerfile")).read_text()
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core==%s ' % newest_tested_core() in containerfile


def newest_tested_core():
    """The ansible-core release of the newest tests/matrix/constraints-<minor>.txt."""
    paths = glob.glob(os.path.join(REPO, "tests", "matrix", "constraints-*.txt"))
    newest = max(paths, key=lambda path: tuple(int(p) for p in re.search(r"(\d+)\.(\d+)\.txt$", path).groups()))
    with open(newest) as handle:
        return re.search(r"^ansible-core==(\S+)$", handle.read(), re.M).group(1)


def test_the_ee_builds_on_a_pinned_ansible_ee_image_with_the_newest_tested_core():
    with open(os.path.join(REPO, "execution-environment.yml")) as handle:
        definition = yaml.safe_load(handle)
    image = definition["images"]["base_image"]["name"]
    name, _, tag = image.rpartition(":")
    assert name.startswith(("ghcr.io/ansible-community/community-ee-", "registry.redhat.io/ansible-automation-platform"))
    assert re.match(r"^\d+\.\d+\.\d+-\d+$", tag), "%s: pin a release tag, not a moving one" % image
    assert definition["dependencies"]["ansible_core"]["package_pip"] == "ansible-core==%s" % newest_tested_core()
    with open(os.path.join(REPO, "bindep.txt")) as handle:
        bindep = [line.split()[0] for line in handle if line.strip() and not line.startswith("#")]
    assert bindep == ["ca-certificates"]  # no Python pin forced into every EE that includes the collection


def test_an_ee_that_includes_the_installed_collection_gets_its_requirements(tmp_path):
    """ansible-builder introspect reads meta/execution-environment.yml of the installed collection."""
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path), REPO],
                   check=True, capture_output=True)
    (tarball,) = glob.glob(str(tmp_path / "genesys-cloud-*.tar.gz"))
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-p", str(tmp_path / "collections"),
                    tarball], check=True, capture_output=True, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path)))
    out = subprocess.run([os.path.join(BIN, "ansible-builder"), "introspect", "--sanitize", str(tmp_path / "collections")],
                         check=True, capture_output=True, text=True).stdout
    found = yaml.safe_load(out.split("\n", 1)[1])
    assert found["python"] == ["requests>=2.25  # from collection genesys.cloud",
                               "jsonschema>=4.0  # from collection genesys.cloud"]
    assert found["system"] == ["ca-certificates [platform:rpm platform:dpkg]  # from collection genesys.cloud"]


def credential_type():
    return kit.credential_type()


def injected_env(inputs):
    """The environment AWX injects for a credential of the type: inputs left out render as ''."""
    import jinja2

    fields = [field["id"] for field in credential_type()["inputs"]["fields"]]
    values = dict((name, inputs.get(name, "")) for name in fields)
    return dict((name, jinja2.Template(template).render(**values))
                for name, template in credential_type()["injectors"]["env"].items())


def test_the_credential_type_injects_what_the_modules_read():
    fields = dict((field["id"], field) for field in credential_type()["inputs"]["fields"])
    assert fields["client_secret"]["secret"] is True and fields["access_token"]["secret"] is True
    assert credential_type()["inputs"]["required"] == ["region"]  # client id + secret, or an access token
    # The names the genesys.cloud.auth doc fragment documents as environment fallbacks.
    assert credential_type()["injectors"]["env"] == {
        "GENESYSCLOUD_OAUTHCLIENT_ID": "{{ client_id }}",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": "{{ client_secret }}",
        "GENESYSCLOUD_REGION": "{{ region }}",
        "GENESYSCLOUD_API_URL": "{{ api_url }}",
        "GENESYSCLOUD_AUTH_URL": "{{ auth_url }}",
        "GENESYSCLOUD_ACCESS_TOKEN": "{{ access_token }}",
    }
    with open(os.path.join(REPO, "plugins", "doc_fragments", "auth.py")) as handle:
        fragment = handle.read()
    for name in credential_type()["injectors"]["env"]:
        assert "E(%s)" % name in fragment, name


def awx_project(tmp_path):
    """A runner private data dir whose project is examples/awx_project, with the acme org beside it."""
    import shutil

    private = tmp_path / "runner"
    shutil.copytree(os.path.join(REPO, "examples", "awx_project"), str(private / "project"))
    shutil.copytree(os.path.join(REPO, "examples", "orgs", "acme"), str(private / "project" / "orgs" / "acme"))
    (private / "inventory").mkdir()
    (private / "inventory" / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"acme": {
        "ansible_connection": "local", "genesys_org_dir": "orgs/acme"}}}}))
    return private


def runner_env(credential_env):
    # AWX installs collections/requirements.yml from Galaxy; here the collection comes from the checkout.
    env = dict(credential_env, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    return env


def test_the_awx_project_previews_with_an_access_token_and_its_stats_artifact_holds_the_plan(emulator, tmp_path,
                                                                                             monkeypatch):
    import ansible_runner

    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    survey = kit.survey_defaults(kit.job_template("preview_org.yml")["survey_spec"])
    token = emulator.http.post(emulator.url + "/oauth/token", data={"grant_type": "client_credentials"},
                               auth=(emulator.client_id, emulator.client_secret)).json()["access_token"]
    emulator.clear_requests()
    credential = injected_env({"region": "us-east-1", "api_url": emulator.url, "access_token": token})
    result = ansible_runner.run(private_data_dir=str(awx_project(tmp_path)), playbook="preview_org.yml",
                                envvars=runner_env(credential), extravars=survey, quiet=True)
    assert (result.status, result.rc) == ("successful", 0), result.stdout.read()[-3000:]
    stats = [event for event in result.events if event["event"] == "playbook_on_stats"]
    artifacts = stats[-1]["event_data"]["artifact_data"]  # what AWX stores as the job's artifacts
    first = artifacts["genesys_plan_summary"]["acme"][0]  # the org by inventory host, name and id
    assert re.match(r"^acme: .+ \([0-9a-f-]{36}\) \(check mode: nothing was written\)$", first), first
    assert "schemas: create 4, update 0, delete 0" in artifacts["genesys_plan_summary"]["acme"]
    markdown = artifacts["genesys_plan_markdown_text"]["acme"]
    assert markdown.startswith("#") and "customerAccounts" in markdown and "supportContacts" in markdown
    assert emulator.schemas() == [] and emulator.webhooks() == []
    assert not emulator.token_requests()  # the token came from the credential


def test_the_awx_project_configures_an_org_with_the_client_credentials_the_credential_injects(emulator, tmp_path,
                                                                                            monkeypatch):
    import ansible_runner

    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    credential = injected_env({"client_id": emulator.client_id, "client_secret": emulator.client_secret,
                               "region": "us-east-1", "api_url": emulator.url})
    result = ansible_runner.run(private_data_dir=str(awx_project(tmp_path)), playbook="configure_org.yml",
                                envvars=runner_env(credential), extravars={"genesys_org_hosts": "acme"}, quiet=True)
    assert (result.status, result.rc) == ("successful", 0), result.stdout.read()[-3000:]
    assert result.stats["changed"].get("acme", 0) > 0 and not result.stats["failures"]
    assert len(emulator.schemas()) == 4
    assert len(emulator.records("customerAccounts")) == 24
    assert sorted(hook["name"] for hook in emulator.webhooks()) == ["account-changes", "schema-audit"]
