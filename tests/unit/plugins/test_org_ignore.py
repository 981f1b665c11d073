"""``ignore:`` in org.yml: its shape is checked with the directory, and an overlay's list of a kind replaces the base's."""
import os

import pytest

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_ignore


def write(root, files):
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    return str(root)


SCHEMA = "name: regions\nfields:\n  - {name: code, type: string, unique: true}\n"


def problems_of(directory):
    with pytest.raises(od.OrgDirectoryError) as caught:
        od.load_org(directory)
    return caught.value.problems


@pytest.mark.parametrize("ignore, expected", [
    ('["eda-*"]', 'ignore: must map a kind (schemas, webhooks, workitem_schemas, triggers, datatables) to a list of name patterns'),
    ('{webhook: ["eda-*"]}', "ignore: unknown kind 'webhook' (did you mean webhooks?); ignore takes schemas, "
                             "webhooks, workitem_schemas, triggers and datatables"),
    ('{records: ["x"]}', "ignore: unknown kind 'records'; ignore takes schemas, webhooks, workitem_schemas, "
                         "triggers and datatables"),
    ('{webhooks: eda-*}', "ignore.webhooks: must be a list of name patterns"),
    ('{schemas: ["tmp_*", 3, ""]}', "ignore.schemas[1]: must be a name pattern"),
])
def test_a_bad_ignore_is_refused_naming_org_yml_and_the_key(tmp_path, ignore, expected):
    org = write(tmp_path, {"org.yml": "ignore: %s\n" % ignore, "schemas/regions.yml": SCHEMA})
    problems = problems_of(org)
    assert problems[0].startswith("%s: %s" % (os.path.join(org, "org.yml"), expected)), problems
    # every bad pattern is named (3 and "" here), nothing else
    assert len(problems) == (2 if expected.startswith("ignore.schemas") else 1), problems


def test_an_overlay_replaces_the_base_list_of_each_kind_it_names_and_keeps_the_others(tmp_path):
    write(tmp_path, {"common/org.yml": 'ignore: {webhooks: ["eda-*"], schemas: ["tmp_*"]}\n',
                     "common/schemas/regions.yml": SCHEMA,
                     "prod/org.yml": 'base: ../common\nignore: {schemas: ["scratch*"]}\n',
                     "test/org.yml": 'base: ../common\nignore: {webhooks: []}\n'})
    assert od.load_org(str(tmp_path / "common"))["settings"]["ignore"] == {"webhooks": ["eda-*"], "schemas": ["tmp_*"]}
    assert od.load_org(str(tmp_path / "prod"))["settings"]["ignore"] == {"webhooks": ["eda-*"], "schemas": ["scratch*"]}
    assert od.load_org(str(tmp_path / "test"))["settings"]["ignore"] == {"webhooks": [], "schemas": ["tmp_*"]}


def test_patterns_are_shell_style_and_case_sensitive():
    ignore = {"webhooks": ["eda-*", "rule-?"], "schemas": ["tmp_[ab]*"]}
    assert org_ignore.pattern_for(ignore, "webhooks", "eda-orders") == "eda-*"
    assert org_ignore.pattern_for(ignore, "webhooks", "rule-7") == "rule-?"
    assert org_ignore.pattern_for(ignore, "webhooks", "EDA-orders") is None
    assert org_ignore.pattern_for(ignore, "schemas", "tmp_b1") == "tmp_[ab]*"
    assert org_ignore.pattern_for(ignore, "schemas", "tmp_c1") is None
    assert org_ignore.pattern_for(ignore, "schemas", "eda-orders") is None
