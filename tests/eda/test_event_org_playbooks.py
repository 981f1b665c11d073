"""The playbooks the shipped rulebooks run refuse an event org that is not one inventory host (issue 26,
finding 8): a host pattern, a group or an unknown name fails the run before any play touches an org."""
import os
import sys

import pytest
import yaml

from tests.support.playbook import REPO, run_playbook

PLAYBOOK = os.path.join(REPO, "playbooks", "show_record_changes.yml")


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    path = tmp_path_factory.mktemp("inventory") / "hosts.yml"
    host = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    path.write_text(yaml.safe_dump({"genesys_orgs": {"hosts": {"acme": host, "globex": host}}}))
    return str(path)


@pytest.mark.parametrize("org", ["acme:globex", "all", "genesys_orgs", "!acme", "acme,globex", "glob*", "nobody"])
def test_an_event_org_that_is_not_one_inventory_host_stops_the_run_before_any_org(inventory, org):
    run = run_playbook(PLAYBOOK, inventory=inventory, extra_vars={"genesys_event_org": org, "genesys_schema": "s"})
    assert run.rc == 2, run
    assert "genesys_event_org must name one host of the inventory (one org), not a host pattern" in run.stdout
    assert "PLAY [Show changed custom-object records]" not in run.stdout
    assert [r["host"] for r in run.records] == ["localhost"]


def test_one_inventory_host_runs_for_that_org_only(inventory):
    run = run_playbook(PLAYBOOK, inventory=inventory, extra_vars={"genesys_event_org": "globex", "genesys_schema": "s",
                                                                  "genesys_deleted_ids": ["r-1"]})
    assert run.rc == 0, run
    assert run.task("Show the change", host="globex")["msg"]["deleted"] == ["r-1"]
    assert sorted(set(r["host"] for r in run.records)) == ["globex", "localhost"]
