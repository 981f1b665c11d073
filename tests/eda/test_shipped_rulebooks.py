"""The rulebooks shipped in extensions/eda/rulebooks, run as a user runs them: ansible-rulebook with an
inventory of orgs, the listener's variables in a file and the automation's client id in the environment.
(schema_drift.yml runs end to end in `make demo-events`, tests/integration/test_eda_demo.py.)"""
import os
import re
import sys

import yaml

from processes import free_port
from tests.eda.rulebook_runner import REPO, Rulebook

SECRET = "shipped-rulebook-secret-0d4e"


def test_records_changed_runs_the_playbook_with_the_ids_and_ignores_the_automation(emulator, tmp_path):
    emulator.settings(delivery_backoff=0.05)
    port = free_port()
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    (inventory / "hosts.yml").write_text(yaml.safe_dump({"genesys_orgs": {"hosts": {"acme": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "genesys_api_url": emulator.url, "genesys_client_id": emulator.client_id,
        "genesys_client_secret": emulator.client_secret},
        # a second org: the old rulebook took the org from the (unsigned) request path, which named it
        "globex": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    listener_vars = tmp_path / "listener.yml"
    listener_vars.write_text(yaml.safe_dump({"genesys_events_org": "acme", "genesys_events_port": port,
                                             "genesys_webhook_secret": SECRET}))
    emulator.create_schema("accounts", [{"name": "name", "type": "string"}])
    emulator.api("POST", "/api/v2/platform/webhooks", expect=201, json={
        "name": "eda-records", "endpoint": "http://127.0.0.1:%d/orgs/globex" % port,
        "eventTypes": ["customobjects.records.changed"], "filter": "schemaName eq 'accounts'", "secret": SECRET})
    rulebook = Rulebook(os.path.join(REPO, "extensions", "eda", "rulebooks", "records_changed.yml"), str(tmp_path),
                        env={"GENESYSCLOUD_OAUTHCLIENT_ID": emulator.client_id, "ANSIBLE_NOCOLOR": "1",
                             "ANSIBLE_FORCE_COLOR": "0"},
                        inventory=str(inventory), args=["--vars", str(listener_vars)])
    try:
        rulebook.wait_for(r"webhook_events listening on 127\.0\.0\.1:%d" % port, timeout=120)
        rulebook.wait_for(r"Waiting for events", timeout=60)
        # the automation's own change (the collection's client) is dropped by the filter ...
        token = emulator.http.post(emulator.url + "/oauth/token", data={"grant_type": "client_credentials"},
                                   auth=(emulator.client_id, emulator.client_secret), timeout=30).json()["access_token"]
        own = emulator.http.post(emulator.url + "/api/v2/customobjects/accounts/records", timeout=30,
                                 headers={"Authorization": "Bearer " + token},
                                 json={"records": [{"id": "own-1", "name": "by the automation"}]})
        assert own.status_code == 200, own.text
        rulebook.wait_for(r"not_from_clients: dropped event \S+ \(customobjects\.records\.changed\) made by client %s"
                          % emulator.client_id)
        # ... a person's change runs the playbook with the ids, which reads the records back
        emulator.upsert_records("accounts", [{"id": "acc-1", "name": "Acme"}, {"id": "acc-2", "name": "Globex"}])
        rulebook.wait_for(r"^acme\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0", timeout=180)
        output = rulebook.output()
        assert "PLAY [Show changed custom-object records]" in output
        shown = output[output.index("TASK [Show the change]"):]
        assert '"created": [' in shown and '"acc-1"' in shown and '"acc-2"' in shown
        assert '"name": "Globex"' in shown
        assert output.count("PLAY [Show changed custom-object records]") == 1  # own-1 ran nothing
        # the org is the listener's (genesys_events_org), whatever path the delivery came to
        assert not re.search(r"^globex\s+:", output, re.M)
        assert "own-1" not in shown
    finally:
        rulebook.stop()


def test_the_shipped_rulebooks_take_the_org_from_configuration_and_pass_only_signed_values():
    """The request path and headers are chosen by whoever reaches the port: no rule may read them."""
    folder = os.path.join(REPO, "extensions", "eda", "rulebooks")
    for name in sorted(os.listdir(folder)):
        for ruleset in yaml.safe_load(open(os.path.join(folder, name), encoding="utf-8")):
            source = ruleset["sources"][0]["genesys.cloud.webhook_events"]
            assert source["org"] == "{{ genesys_events_org }}", name
            for rule in ruleset["rules"]:
                assert "event.meta.endpoint" not in rule["condition"] and "headers" not in rule["condition"], name
                extra_vars = rule["action"]["run_playbook"]["extra_vars"]
                assert extra_vars.pop("genesys_event_org") == "{{ event.meta.org }}", name
                for value in extra_vars.values():
                    assert re.fullmatch(r"\{\{ event\.payload\.[\w.]+ \}\}", value), (name, value)
