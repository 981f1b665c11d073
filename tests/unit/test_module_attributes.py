"""What `ansible-doc` shows for each module's attributes: action group membership, check and diff mode."""
import json
import os
import subprocess
import sys

import yaml

from tests.conftest import COLLECTIONS_ROOT, REPO

# custom_object_records.py belongs to the records rework (branch i17-records), which adds
# `- genesys.cloud.attributes` to its extends_documentation_fragment; drop it from here then.
PENDING_ACTION_GROUP = set()
INFO_MODULES = ("custom_object_record_info", "datatable_info", "flex_schema_info", "webhook_info", "workitem_schema_info",
                "trigger_info")


def module_docs():
    with open(os.path.join(REPO, "meta", "runtime.yml")) as handle:
        names = yaml.safe_load(handle)["action_groups"]["all"]
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "--json", "-t", "module"]
                         + ["genesys.cloud.%s" % name for name in names], capture_output=True, text=True,
                         env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT), check=True)
    return dict((name.split(".")[-1], entry["doc"]) for name, entry in json.loads(run.stdout).items())


def test_every_module_of_the_action_group_documents_its_membership():
    docs = module_docs()
    assert len(docs) >= 8
    with_attribute = sorted(name for name, doc in docs.items()
                            if (doc.get("attributes") or {}).get("action_group", {}).get("membership")
                            == ["genesys.cloud.all"])
    assert sorted(set(docs) - set(with_attribute)) == sorted(PENDING_ACTION_GROUP)


def test_modules_that_only_read_say_diff_mode_does_not_apply():
    docs = module_docs()
    for name in INFO_MODULES:
        attributes = docs[name]["attributes"]
        assert attributes["check_mode"]["support"] == "full", name
        assert attributes["diff_mode"]["support"] == "N/A", name
    assert docs["webhook"]["attributes"]["diff_mode"]["support"] == "full"
