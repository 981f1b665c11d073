"""Issue 26, finding 2, as a pull request's author would try it: real previews of templated directories by
``ansible-playbook`` with a vaulted variable, the connection in the variables and the environment, and the plan
files a CI job posts. Templates read only ``genesys_org_vars``; a vaulted value goes into a webhook's secret or a
header value only; it never appears in any output or plan file, and no refusal depends on its value.
"""
import json
import os
import subprocess
import sys

from tests.conftest import CLIENT_SECRET

TOKEN = "hook-t0ken-5c1e"
CANARY = "env-canary-6d2a"
PASSWORD = "org-template-secrets-test"
HOOK = ("name: %s\nendpoint: \"https://crm.example/in\"\nevent_types: [customobjects.records.changed]\n"
        "secret: \"{{ vault_hook_token }}\"\nheaders: {Authorization: \"Bearer {{ vault_hook_token }}\"}\n")


def write(root, files):
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    return str(root)


def quoted(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def schema(name, description):
    return "name: %s\ndescription: %s\n" % (name, quoted(description))


def vault_file(tmp_path):
    password = tmp_path / "vault-password"
    password.write_text(PASSWORD + "\n")
    out = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-vault"), "encrypt_string",
                          "--vault-password-file", str(password), "--name", "vault_hook_token", TOKEN],
                         capture_output=True, text=True, check=True).stdout
    # the canary in a file of its own: ansible-playbook's errors quote the playbook's lines, never a vars file's
    (tmp_path / "vault.yml").write_text(out + "canary: %s\n" % CANARY)
    return str(password), str(tmp_path / "vault.yml")


def preview(directory, plans, name, **options):
    task = {"name": name, "ignore_errors": True, "environment": {"GENESYS_CANARY": "{{ canary }}"},
            "genesys.cloud.org": dict(dict(org_dir=directory, preview=True, plan_json=plans + ".json",
                                           plan_markdown=plans + ".md"), **options)}
    return task


def seen(values, run, *paths):
    """Which of ``values`` appear in the run's output, its task results or the files at ``paths``."""
    text = run.stdout + run.stderr + json.dumps(run.records)
    for path in paths:
        if os.path.exists(path):
            with open(path) as handle:
                text += handle.read()
    return [value for value in values if value in text]


SECRETS = (TOKEN, ".".join(TOKEN), CLIENT_SECRET, ".".join(CLIENT_SECRET), CANARY)


def test_a_previewed_pull_request_reaches_no_secret_and_a_vaulted_value_works_as_a_webhook_secret(
        playbook, emulator, tmp_path):
    password, vaults = vault_file(tmp_path)
    oracle = "".join("  - {name: f%d, type: %s}\n" % (index, quoted(
        "{{ 'nope' if vault_hook_token[%d] == '%s' else 'string' }}" % (index, char)))
        for index, char in enumerate(TOKEN))
    leak = write(tmp_path / "leak", {"org.yml": "templated: true\n",
                                     "schemas/notes.yml": schema("notes", "Token {{ vault_hook_token }}")})
    hostile = write(tmp_path / "hostile", {
        "org.yml": "templated: true\n",
        "schemas/joined.yml": schema("joined", "{{ vault_hook_token | join('.') }}"),
        "schemas/client.yml": schema("client", "{{ genesys_client_secret | join('.') }}"),
        "schemas/environment.yml": schema("environment", "{{ environment }}"),
        "schemas/lookup.yml": schema("lookup", "{{ lookup('env', 'GENESYSCLOUD_OAUTHCLIENT_SECRET') }}"),
        "schemas/oracle.yml": "name: oracle\nfields:\n" + oracle})
    fine = write(tmp_path / "fine", {"org.yml": "templated: true\n",
                                     "schemas/stores.yml": schema("stores", "Stores of {{ region_label }}"),
                                     "webhooks/hook.yml": HOOK % "store-changes"})
    plans = dict((name, str(tmp_path / name / "plan")) for name in ("leak", "hostile", "fine"))
    run = playbook([{
        "name": "templated org directories", "hosts": "localhost", "gather_facts": False,
        "vars_files": [vaults],
        "vars": {
            # a connection variable as the roles take it, and what the inventory exposes to org files
            "genesys_client_secret": "{{ lookup('env', 'GENESYSCLOUD_OAUTHCLIENT_SECRET') }}",
            "genesys_org_vars": {"region_label": "EU", "vault_hook_token": "{{ vault_hook_token }}"}},
        "environment": {"GENESYS_PLAY_CANARY": "{{ canary }}"},
        "tasks": [preview(leak, plans["leak"], "leak"), preview(hostile, plans["hostile"], "hostile"),
                  preview(fine, plans["fine"], "fine"),
                  {"name": "apply", "genesys.cloud.org": {"org_dir": fine}}]}],
        args=["--vault-password-file", password, "-v", "--diff"])
    # a vaulted value in a description (rendered into both plan files before): refused by name of file and
    # field, nothing planned or written
    assert seen((TOKEN,), run, plans["leak"] + ".json", plans["leak"] + ".md") == []
    assert run.rc == 0, run
    refused = run.task("leak")
    assert run.status("leak") == "failed" and "notes.yml: line 2: description: reads the secret vault_hook_token: a vaulted " \
        "value may only be the value of a secret field" in refused["msg"]
    assert not os.path.exists(plans["leak"] + ".json") and not os.path.exists(plans["leak"] + ".md")

    # join(), a connection variable, the environment, a lookup, an oracle: each refused before rendering
    assert run.status("hostile") == "failed"
    problems = run.task("hostile")["problems"]
    assert any("joined.yml: line 2: description: reads the secret vault_hook_token" in p for p in problems)
    for name in ("genesys_client_secret", "environment", "lookup"):
        assert any("line 2: description: %s not exposed to org files" % name in p for p in problems), (name, problems)
    oracle_reasons = set(p.split(": ", 3)[-1] for p in problems if "/oracle.yml: " in p)
    assert len([p for p in problems if "/oracle.yml: " in p]) == len(TOKEN) and len(oracle_reasons) == 1

    # the vaulted value as the webhook's secret and header value: planned, applied, never shown
    assert run.status("fine") == "ok", run.task("fine").get("msg")
    assert "Stores of EU" in open(plans["fine"] + ".md").read()
    assert run.task("apply")["changed"] is True
    hooks = [hook for hook in emulator.webhooks() if hook["name"] == "store-changes"]
    assert len(hooks) == 1 and "Bearer " + TOKEN in json.dumps(emulator.state())

    files = [plans[name] + suffix for name in plans for suffix in (".json", ".md")]
    assert seen(SECRETS, run, *files) == []


def test_plan_files_are_written_from_the_censored_plan(emulator, tmp_path, monkeypatch):
    """A rendered secret is a no_log value of the run: wherever its text occurs (here pasted into a description
    by mistake), the result and both plan files show it masked."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar

    from ansible_collections.genesys.cloud.plugins.plugin_utils import org_template
    from tests.integration.test_org_run import org_run
    from tests.unit.plugins.test_org_template import VAULT_SECRET, VaultSecretsContext, inventory, vaulted

    monkeypatch.setattr(VaultSecretsContext, "_current", VaultSecretsContext(secrets=[("default", VAULT_SECRET)]))
    directory = write(tmp_path / "org", {"org.yml": "templated: true\n",
                                         "schemas/notes.yml": schema("notes", "Rotate %s every year" % TOKEN),
                                         "webhooks/hook.yml": HOOK % "store-changes"})
    variables = inventory({"vault_hook_token": vaulted(TOKEN),
                           "genesys_org_vars": {"vault_hook_token": "{{ vault_hook_token }}"}})
    plans = str(tmp_path / "plan")
    with org_template.rendering(Templar(loader=DataLoader(), variables=variables), variables):
        result = org_run(emulator, check=True, org_dir=directory, preview=True, plan_json=plans + ".json",
                         plan_markdown=plans + ".md")
    assert "failed" not in result, result.get("msg")
    files = dict((suffix, open(plans + suffix).read()) for suffix in (".json", ".md"))
    assert "Rotate ******** every year" in json.dumps(result["plan"])
    for suffix, text in files.items():
        assert TOKEN not in text and "Rotate ******** every year" in text, suffix
