"""Base and overlay directories, templated values, the org pin and the directory checks (org_tree, org_template)."""
import os

import pytest

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_template

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXAMPLE = os.path.join(REPO, "examples", "orgs", "environments")


class FakeTemplar:
    """Resolves a host variable as the task's templar would: a template over other variables is rendered."""

    def __init__(self, variables):
        self.variables = variables

    def template(self, value):
        if isinstance(value, str) and value.startswith("{{ ") and value.endswith(" }}"):
            return self.template(self.variables[value[3:-3]])
        return value


def write(root, files):
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    return str(root)


def load(directory, **exposed):
    """``directory`` loaded by the org task of a host whose ``genesys_org_vars`` are ``exposed``."""
    variables = dict(genesys_org_vars=exposed)
    with org_template.rendering(FakeTemplar(variables), variables):
        return od.load_org(directory)


def problems_of(directory, **variables):
    with pytest.raises(od.OrgDirectoryError) as caught:
        load(directory, **variables)
    return "\n".join(caught.value.problems)


HOOK = "name: hook\nendpoint: %s\nevent_types: [customobjects.records.changed]\n"
VARIABLES = dict(webhook_base_url="https://crm.example", vault_webhook_token="t0ken", support_language="en")


def test_an_overlay_replaces_adds_and_removes_and_each_item_names_its_file():
    org = load(os.path.join(EXAMPLE, "prod"), **VARIABLES)
    where = dict(((kind, item.name), os.path.relpath(item.where, EXAMPLE)) for kind in od.KINDS for item in org[kind])
    assert where == {
        ("schemas", "stores"): "common/schemas/stores.yml", ("schemas", "tiers"): "common/schemas/tiers.yml",
        ("schemas", "promotions"): "prod/schemas/promotions.yml",
        ("records", "stores"): "prod/records/stores.csv", ("records", "tiers"): "common/records/tiers.yml",
        ("webhooks", "store-changes"): "prod/webhooks/store-changes.yml",
        ("webhooks", "debug-feed"): "prod/webhooks/debug-feed.yml"}
    hooks = dict((item.name, item) for item in org["webhooks"])
    assert hooks["debug-feed"].absent
    assert hooks["store-changes"].params["endpoint"] == "https://crm.prod.example/intake/stores"
    # org.yml settings merge per schema: the base's key applies to the overlay's records file
    assert dict((item.name, item.params["key"]) for item in org["records"]) == {"stores": "storeCode", "tiers": "code"}
    assert org["settings"]["bases"] == [os.path.join(EXAMPLE, "prod", "..", "common").replace("prod/../", "")]


def test_a_chain_of_bases_a_cycle_and_a_missing_base(tmp_path):
    write(tmp_path, {"a/org.yml": "base: ../b\n", "a/schemas/x.yml": "name: x\ndescription: from a\n",
                     "b/org.yml": "base: ../c\n", "b/schemas/y.yml": "name: y\n",
                     "c/schemas/x.yml": "name: x\ndescription: from c\n", "c/schemas/z.yml": "name: z\n"})
    org = od.load_org(str(tmp_path / "a"))
    assert sorted((item.name, item.params["description"] or "") for item in org["schemas"]) == [
        ("x", "from a"), ("y", ""), ("z", "")]
    write(tmp_path, {"c/org.yml": "base: ../a\n"})
    assert "base: the chain of bases comes back to" in "\n".join(pytest.raises(
        od.OrgDirectoryError, od.load_org, str(tmp_path / "a")).value.problems)
    write(tmp_path, {"c/org.yml": "base: ../nowhere\n"})
    assert "nowhere is not a directory" in str(pytest.raises(od.OrgDirectoryError, od.load_org, str(tmp_path / "a")).value)


def test_a_link_into_a_base_is_read_and_a_link_beside_it_is_not(tmp_path):
    write(tmp_path, {"common/schemas/x.yml": "description: named by its file\n", "other/schemas/secret.yml": "a: 1\n",
                     "org/org.yml": "base: ../common\n", "org/schemas/keep.yml": "name: keep\n"})
    os.symlink(str(tmp_path / "common" / "schemas" / "x.yml"), str(tmp_path / "org" / "schemas" / "y.yml"))
    assert sorted(item.name for item in od.load_org(str(tmp_path / "org"))["schemas"]) == ["keep", "x", "y"]
    os.symlink(str(tmp_path / "other" / "schemas" / "secret.yml"), str(tmp_path / "org" / "schemas" / "z.yml"))
    text = str(pytest.raises(od.OrgDirectoryError, od.load_org, str(tmp_path / "org")).value)
    assert "z.yml: a symbolic link to a place outside the org directory (and its bases)" in text
    assert "other" not in text.replace(str(tmp_path), "")


def test_the_organization_pin_is_checked_and_exposed(tmp_path):
    pinned = write(tmp_path / "a", {"org.yml": "organization: {id: 7C8A1D2E-0000-4000-8000-000000000001}\n",
                                    "schemas/x.yml": "name: x\n"})
    assert od.load_org(pinned)["organization"] == {"id": "7C8A1D2E-0000-4000-8000-000000000001"}
    by_name = write(tmp_path / "b", {"org.yml": "organization: {name: Acme Prod}\n", "schemas/x.yml": "name: x\n"})
    assert od.load_org(by_name)["organization"] == {"name": "Acme Prod"}
    assert od.load_org(os.path.join(REPO, "examples", "orgs", "acme"))["organization"] is None
    bad = write(tmp_path / "c", {"org.yml": "organization: {id: 42, region: x}\n", "schemas/x.yml": "name: x\n"})
    assert "organization: must be {id: <org id>} or {name: <org name>}" in str(
        pytest.raises(od.OrgDirectoryError, od.load_org, bad).value)
    bad = write(tmp_path / "d", {"org.yml": "organization: {id: not-a-uuid}\n", "schemas/x.yml": "name: x\n"})
    assert "organization.id: must be an org id" in str(pytest.raises(od.OrgDirectoryError, od.load_org, bad).value)


def test_an_empty_or_missing_directory_or_no_definition_at_all_is_an_error_unless_allowed(tmp_path):
    assert "org_dir (genesys_org_dir in the playbooks): %s: no such directory" % (tmp_path / "nope") in str(
        pytest.raises(od.OrgDirectoryError, od.load_org, str(tmp_path / "nope")).value)
    empty = write(tmp_path / "empty", {"schemas/.gitkeep": "", "records/README.md": "data\n"})
    text = str(pytest.raises(od.OrgDirectoryError, od.load_org, empty).value)
    assert ("org_dir (genesys_org_dir in the playbooks): %s holds no schema, webhook, workitem schema, trigger, "
            "data table, data table row or record file" % empty) in text and "allow_empty: true" in text
    allowed = write(tmp_path / "allowed", {"org.yml": "allow_empty: true\n"})
    assert od.load_org(allowed)["schemas"] == []
    assert ("org_dir: not set, and no schemas, records, webhooks, workitem_schemas, triggers, datatables or "
            "datatable_rows given") in str(
        pytest.raises(od.OrgDirectoryError, od.load_org, "").value)


def test_upper_case_extensions_are_read_and_a_records_file_named_in_another_case_is_refused(tmp_path):
    directory = write(tmp_path, {"schemas/things.YAML": "name: things\nfields: [{name: n, type: number}]\n",
                                 "records/things.CSV": "id,n\na,1\n", "webhooks/hook.Yml": HOOK % "https://x.example/in"})
    org = od.load_org(directory)
    assert [item.name for item in org["records"]] == ["things"]
    assert [item.name for item in org["webhooks"]] == ["hook"]
    os.rename(os.path.join(directory, "records", "things.CSV"), os.path.join(directory, "records", "Things.csv"))
    write(tmp_path, {"org.yml": "records: {THINGS: {key: id}}\n"})
    text = str(pytest.raises(od.OrgDirectoryError, od.load_org, directory).value)
    assert "Things.csv: the file name must match its schema's name exactly: schema things, file Things.csv" in text
    assert "org.yml: records.THINGS: names a schema whose records file is Things" in text
