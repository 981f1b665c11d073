"""module_utils/kinds/registry.py: every kind the org run and the export iterate over is consistent with its module,
and the registry's order is a dependency order."""
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import BY_NAME, KINDS
from ansible_collections.genesys.cloud.plugins.plugin_utils import inprocess
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export import EXPORT_ARGUMENTS
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS


def test_each_kind_checks_items_against_its_own_module_options():
    for kind in KINDS:
        assert inprocess.load_module(kind.module).ARGUMENTS is kind.arguments, kind.name
        assert kind.name_key in kind.arguments["argument_spec"], kind.name
        assert set(kind.not_in_an_org) <= set(kind.arguments["argument_spec"]), kind.name


def test_names_are_unique_and_a_kind_comes_after_the_kinds_it_depends_on():
    assert len(BY_NAME) == len(KINDS) == len(set(kind.change_kind for kind in KINDS))
    seen = set()
    for kind in KINDS:
        assert set(kind.depends_on) <= seen, (kind.name, kind.depends_on)
        seen.add(kind.name)


def test_the_org_and_export_options_come_from_the_registry():
    for kind in KINDS:
        assert ORG_ARGUMENTS["argument_spec"][kind.name] == dict(type="list", elements="dict", default=[])
        for name, spec in kind.run_options.items():
            assert ORG_ARGUMENTS["argument_spec"][name] is spec
        if kind.export_option:
            assert EXPORT_ARGUMENTS["argument_spec"][kind.name] is kind.export_option
    assert [kind.name for kind in KINDS] == ["schemas", "records", "webhooks", "workitem_schemas", "triggers", "datatables",
                                           "datatable_rows"]
