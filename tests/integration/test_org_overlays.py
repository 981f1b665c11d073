"""One definition, two orgs (issue 22): examples/orgs/environments (common/, dev/, prod/) applied to two emulators.

dev/ is the common base as it is; prod/ replaces a webhook (another endpoint), adds a schema,
replaces a records file and removes a webhook the base defines (``state: absent``). The base is
templated: each org gets its own endpoint and its own vaulted header value, which never appears in
the output, the plans or the audit entries.
"""
import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.support.emulator_control import EmulatorControl
from tests.support.playbook import run_playbook

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "examples", "orgs", "environments")
# The example inventory's password script, fed from the environment (examples/inventory/README.md).
VAULT_PASSWORD = os.path.join(REPO, "examples", "inventory", "example-vault-env.sh")
VAULT_ENV = {"GENESYS_EXAMPLE_VAULT_PASSWORD": "genesys-overlay-test-vault"}
TOKENS = {"dev": "dev-hook-token-7d1e0c", "prod": "prod-hook-token-93fa42"}
ORGS = ("dev", "prod")


@pytest.fixture
def two_orgs():
    from genesys_emulator import start_in_thread

    servers = dict((org, start_in_thread(client_id="%s-automation" % org, client_secret="%s-secret" % org,
                                         rate_limit=100000)) for org in ORGS)
    controls = dict((org, EmulatorControl(server.url, server.client_id, server.client_secret))
                    for org, server in servers.items())
    for control in controls.values():
        control.reset()
    yield servers, controls
    for server in servers.values():
        server.stop()


def vaulted(name, value):
    """``value`` encrypted as ansible-vault does for an inventory (the example inventory's password)."""
    out = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-vault"), "encrypt_string",
                          "--vault-password-file", VAULT_PASSWORD, "--name", name, value],
                         capture_output=True, text=True, check=True, env=dict(os.environ, **VAULT_ENV)).stdout
    return out


def write_inventory(tmp_path, servers):
    inventory = tmp_path / "inventory"
    for org in ORGS:
        folder = inventory / "host_vars" / org
        folder.mkdir(parents=True)
        (folder / "main.yml").write_text(yaml.safe_dump({
            "genesys_api_url": servers[org].url,
            "genesys_client_id": "%s-automation" % org,
            "genesys_client_secret": "%s-secret" % org,
            "genesys_org_dir": os.path.join(EXAMPLE, org),
            "webhook_base_url": "https://crm-%s.example" % org,
            "support_language": {"dev": "English", "prod": "English and German"}[org],
            # what the org files' templates may read (the connection variables above stay out of reach)
            "genesys_org_vars": {"webhook_base_url": "{{ webhook_base_url }}", "support_language": "{{ support_language }}",
                                 "vault_webhook_token": "{{ vault_webhook_token }}"},
        }))
        (folder / "vault.yml").write_text(vaulted("vault_webhook_token", TOKENS[org]))
    (inventory / "hosts.yml").write_text(yaml.safe_dump({"orgs": {
        "hosts": dict((org, None) for org in ORGS),
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}))
    return str(inventory / "hosts.yml")


def playbook(tmp_path, inventory, name, *args):
    workdir = tmp_path / ("%s-%d" % (name, len(os.listdir(str(tmp_path)))))
    workdir.mkdir()
    clean_env = dict((var, "") for var in ("GENESYSCLOUD_API_URL", "GENESYSCLOUD_OAUTHCLIENT_ID",
                                           "GENESYSCLOUD_OAUTHCLIENT_SECRET"))
    clean_env.update(VAULT_ENV)
    return run_playbook(os.path.join(REPO, "playbooks", name + ".yml"), env=clean_env, inventory=inventory,
                        workdir=str(workdir), args=["--vault-password-file", VAULT_PASSWORD, "--diff", "-v"] + list(args))


def no_token_in(text):
    return [token for token in TOKENS.values() if token in text]


def test_common_dev_and_prod_apply_to_two_orgs_each_as_its_merged_directory_says(two_orgs, tmp_path):
    servers, controls = two_orgs
    # prod has a debug-feed webhook from before; prod's overlay says state: absent for it
    controls["prod"].api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": "debug-feed", "endpoint": "https://crm-prod.example/hooks/debug",
        "eventTypes": ["data.flex.schema.updated"]})
    inventory = write_inventory(tmp_path, servers)

    preview = playbook(tmp_path, inventory, "preview_org", "-e", "genesys_plan_json=%s" % (
        tmp_path / "plan-{{ inventory_hostname }}.json"), "-e", "genesys_plan_markdown=%s" % (
        tmp_path / "plan-{{ inventory_hostname }}.md"))
    assert preview.rc == 0, preview
    plans = dict((org, (tmp_path / ("plan-%s.json" % org)).read_text() + (tmp_path / ("plan-%s.md" % org)).read_text())
                 for org in ORGS)
    # the plan names, for each object, the file it came from
    assert "common/webhooks/store-changes.yml" in plans["dev"]
    assert "prod/webhooks/store-changes.yml" in plans["prod"] and "prod/schemas/promotions.yml" in plans["prod"]
    assert "common/schemas/stores.yml" in plans["prod"] and "prod/records/stores.csv" in plans["prod"]
    assert "prod/webhooks/debug-feed.yml" in plans["prod"]

    first = playbook(tmp_path, inventory, "configure_org")
    assert first.rc == 0, first
    dev, prod = controls["dev"], controls["prod"]
    assert sorted(s["name"] for s in dev.schemas()) == ["stores", "tiers"]
    assert sorted(s["name"] for s in prod.schemas()) == ["promotions", "stores", "tiers"]
    assert sorted(r["storeCode"] for r in dev.records("stores")) == ["TEST-01", "TEST-02"]
    assert sorted(r["storeCode"] for r in prod.records("stores")) == ["BER-01", "NYC-01", "PAR-01"]
    assert len(dev.records("tiers")) == len(prod.records("tiers")) == 3
    assert dev.schema("tiers")["description"] == "Loyalty tiers (English support)."
    assert prod.schema("tiers")["description"] == "Loyalty tiers (English and German support)."
    hooks = dict((org, dict((hook["name"], hook) for hook in controls[org].webhooks())) for org in ORGS)
    assert sorted(hooks["dev"]) == ["debug-feed", "store-changes"] and sorted(hooks["prod"]) == ["store-changes"]
    assert hooks["dev"]["store-changes"]["endpoint"] == "https://crm-dev.example/hooks/stores"
    assert hooks["prod"]["store-changes"]["endpoint"] == "https://crm.prod.example/intake/stores"
    # the vaulted value was rendered into each org's header
    state = dict((org, json.dumps(controls[org].state())) for org in ORGS)
    assert "Bearer " + TOKENS["dev"] in state["dev"] and "Bearer " + TOKENS["prod"] in state["prod"]

    second = playbook(tmp_path, inventory, "configure_org")
    assert second.rc == 0, second
    for org in ORGS:
        assert "schemas: create 0, update 0, delete 0" in second.task("Report what changed", host=org)["msg"]
        assert second.status("Apply the org definition", host=org) == "ok", org

    # never in output, results (audit entries included) or plans
    for run in (preview, first, second):
        assert no_token_in(run.stdout + run.stderr) == []
        assert no_token_in(json.dumps(run.records)) == []
    assert no_token_in(plans["dev"] + plans["prod"]) == []
