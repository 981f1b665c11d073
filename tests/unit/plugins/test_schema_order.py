"""The schema_order filter: relationship targets first when applying, dependents first when deleting."""
import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.genesys.cloud.plugins.filter.schema_order import FilterModule, schema_order


def schema(name, *targets, **extra):
    fields = [{"name": "to_%s" % target, "type": "relationship", "relationship": {"schema": target}}
              for target in targets]
    definition = {"name": name, "fields": fields}
    definition.update(extra)
    return definition


def names(definitions):
    return [definition["name"] for definition in definitions]


def test_filter_is_registered():
    assert FilterModule().filters()["schema_order"] is schema_order


def test_targets_come_first_and_input_order_is_kept_otherwise():
    given = [schema("orders", "accounts", "products"), schema("accounts", "people"), schema("notes"),
             schema("products"), schema("people")]
    assert names(schema_order(given)) == ["people", "accounts", "products", "orders", "notes"]


def test_deletes_come_last_with_dependents_first():
    given = [schema("people", state="absent"), schema("orders", "accounts", state="absent"),
             schema("accounts", "people", state="absent"), schema("kept")]
    assert names(schema_order(given)) == ["kept", "orders", "accounts", "people"]


def test_deletes_use_the_stored_relationships_when_the_definition_lists_no_fields():
    given = [{"name": "people", "state": "absent"}, {"name": "accounts", "state": "absent"}]
    stored = [schema("people"), schema("Accounts", "people")]
    assert names(schema_order(given)) == ["people", "accounts"]
    assert names(schema_order(given, stored)) == ["accounts", "people"]


def test_self_references_and_unknown_targets_do_not_constrain():
    given = [schema("tree", "tree", "elsewhere"), schema("leaf", "TREE")]
    assert names(schema_order(given)) == ["tree", "leaf"]


def test_a_cycle_is_named():
    given = [schema("a", "b"), schema("b", "c"), schema("c", "a"), schema("d")]
    with pytest.raises(AnsibleFilterError) as caught:
        schema_order(given)
    assert "a -> b -> c -> a" in str(caught.value)


def test_bad_input_is_reported():
    with pytest.raises(AnsibleFilterError, match="item 1 has no name"):
        schema_order([schema("a"), {"fields": []}])
    with pytest.raises(AnsibleFilterError, match="expects a list"):
        schema_order({"name": "a"})
