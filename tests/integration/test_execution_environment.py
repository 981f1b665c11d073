"""AWX readiness: ansible-builder makes a build context; ansible-runner runs configure_org against the emulator."""
import os
import subprocess
import sys

import yaml

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


def test_the_credential_type_injects_what_the_modules_read():
    with open(os.path.join(REPO, "extensions", "awx", "credential_type.yml")) as handle:
        credential_type = yaml.safe_load(handle)
    fields = dict((field["id"], field) for field in credential_type["inputs"]["fields"])
    assert fields["client_secret"]["secret"] is True
    assert set(credential_type["inputs"]["required"]) == {"client_id", "client_secret", "region"}
    # The names the genesys.cloud.auth doc fragment documents as environment fallbacks.
    assert credential_type["injectors"]["env"] == {
        "GENESYSCLOUD_OAUTHCLIENT_ID": "{{ client_id }}",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": "{{ client_secret }}",
        "GENESYSCLOUD_REGION": "{{ region }}",
        "GENESYSCLOUD_API_URL": "{{ api_url }}",
    }


def test_ansible_runner_runs_configure_org_against_the_emulator(emulator, tmp_path, monkeypatch):
    import ansible_runner

    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    private = tmp_path / "runner"
    (private / "inventory").mkdir(parents=True)
    (private / "inventory" / "hosts").write_text("acme ansible_connection=local\n")
    envvars = dict(emulator.env, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"),
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    result = ansible_runner.run(
        private_data_dir=str(private), playbook=os.path.join(REPO, "playbooks", "configure_org.yml"),
        envvars=envvars, extravars={"genesys_org_dir": os.path.join(REPO, "examples", "orgs", "acme")},
        quiet=True)
    assert (result.status, result.rc) == ("successful", 0), result.stdout.read()[-3000:]
    assert result.stats["changed"].get("acme", 0) > 0 and not result.stats["failures"]
    assert len(emulator.schemas()) == 4
    assert len(emulator.records("customerAccounts")) == 24
    assert sorted(hook["name"] for hook in emulator.webhooks()) == ["account-changes", "schema-audit"]
