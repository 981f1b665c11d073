"""Plain-function tests of the workitem schema kind: shapes, input checks, plan (no request), the conflict body."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.client import is_version_conflict
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError, InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema import apply, plan, shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.read import SchemaRead


def prop(kind, **extra):
    return dict({"allOf": [{"$ref": "#/definitions/%s" % kind}]}, **extra)


STORED = {"id": "s1", "name": "claimDetails", "version": 4, "enabled": True, "appliesTo": ["WORKITEM"], "deleted": False,
          "jsonSchema": {"$schema": shape.DRAFT_04, "title": "claimDetails", "description": "claims",
                         "properties": {"policy_identifier": prop("identifier", title="Policy", maxLength=100),
                                        "amount_number": prop("number", title="amount", minimum=0),
                                        "note_text": prop("text", title="note")}}}
DELETED = dict(STORED, id="s0", deleted=True, version=9)


def params(**overrides):
    base = dict(name="claimDetails", description=None, enabled=True, fields=None, state="present")
    base.update(overrides)
    return base


def field(name, kind, **extra):
    base = dict(name=name, type=kind, title=None, description=None, min_length=None, max_length=None, minimum=None,
                maximum=None, values=None)
    base.update(extra)
    return base


def read(*schemas, **limits):
    return SchemaRead(list(schemas), limits)


def test_fields_round_trip_between_the_users_shape_and_the_apis():
    fields = [shape.normal_field(field("policy", "identifier", title="Policy", min_length=1, max_length=100)),
              shape.normal_field(field("level", "enum", values=["low", "high"])),
              shape.normal_field(field("count", "integer", minimum=0.0, maximum=10.0)),
              shape.normal_field(field("labels", "tag", minimum=1, maximum=5, max_length=30)),
              shape.normal_field(field("due", "date", description="when"))]
    properties = dict(shape.to_property(f) for f in fields)
    assert properties["level_enum"]["_enumProperties"] == {"low": {"title": "low", "_disabled": False},
                                                           "high": {"title": "high", "_disabled": False}}
    assert properties["count_integer"] == prop("integer", title="count", minimum=0, maximum=10)
    assert isinstance(properties["count_integer"]["minimum"], int)
    assert properties["labels_tag"] == prop("tag", title="labels", minItems=1, maxItems=5,
                                            items={"type": "string", "maxLength": 30})
    assert [shape.to_field(k, p) for k, p in properties.items()] == fields


def test_bad_input_is_listed_naming_each_field():
    problems = shape.schema_problems(params(name="x" * 51, fields=[
        field("ok", "text", minimum=1), field("ok", "integer", minimum=1.5), field("n", "number", minimum=3, maximum=1),
        field("_bad", "text"), field("e", "enum", values=["a", "a"])]))
    assert problems == [
        "name must be 1 to 50 characters (it has 51)",
        "fields[0] (ok): minimum does not apply to a text field (it takes min_length, max_length)",
        "fields[1] (ok): minimum must be a whole number for type integer",
        "fields[1] (ok): the name is already used by fields[0]",
        "fields[2] (n): minimum is greater than maximum",
        "fields[3] (_bad): a field name starts with a letter and has only letters, digits and _, at most 95 "
        "characters for a text field",
        "fields[4] (e): an enum field needs values, one or more distinct non-empty strings",
    ]
    with pytest.raises(InputError) as caught:
        plan.check_params(params(fields=[field("x", "checkbox", max_length=2)]))
    assert "workitem schema claimDetails" in str(caught.value)


def test_create_update_none_delete_and_a_soft_deleted_schema_is_absent():
    created = plan.plan_workitem_schema(params(fields=[field("a", "date")]), read(DELETED))
    assert created.action == "create" and created.version is None
    assert created.after == {"name": "claimDetails", "description": "", "enabled": True,
                             "fields": [{"name": "a", "type": "date", "title": "a"}]}
    assert created.predicted()["version"] == 1
    assert plan.plan_workitem_schema(params(state="absent"), read(DELETED)).action == "none"
    deleting = plan.plan_workitem_schema(params(state="absent"), read(DELETED, STORED))
    assert deleting.action == "delete" and deleting.id == "s1" and deleting.predicted() == {}
    assert deleting.diff()["after"] == {}

    kept = plan.plan_workitem_schema(params(name="CLAIMDETAILS"), read(STORED))
    assert kept.action == "none" and kept.changes()["removed"] == [] and kept.result(True).get("diff") is None

    updating = plan.plan_workitem_schema(params(description="new", fields=[
        field("policy", "identifier", title="Policy", max_length=50), field("amount", "number", minimum=0),
        field("due", "date")]), read(STORED))
    assert updating.action == "update" and updating.version == 4
    assert updating.changes() == {"options": ["description"], "added": ["due"], "modified": ["policy"],
                                  "removed": ["note"]}
    assert updating.predicted()["version"] == 5 and updating.predicted()["description"] == "new"
    assert "id" not in updating.diff()["before"] and [f["name"] for f in updating.diff()["after"]["fields"]] == [
        "policy", "amount", "due"]


def test_what_the_service_refuses_is_refused_by_the_plan():
    with pytest.raises(InputError) as caught:
        plan.plan_workitem_schema(params(fields=[field("amount", "integer")]), read(STORED))
    assert "field amount is a number field and cannot become integer" in str(caught.value)
    assert "Keep type number, or add the new field under another name" in str(caught.value)
    with pytest.raises(InputError) as caught:
        plan.plan_workitem_schema(params(fields=[field("a", "date"), field("b", "date")]), read(STORED, max_fields=1))
    assert "it would have 2 fields and a workitem schema may have at most 1" in str(caught.value)
    with pytest.raises(InputError) as caught:
        plan.plan_workitem_schema(params(name="other"), read(STORED, DELETED, max_schemas=1))
    assert "workitem schema other" in str(caught.value) and "the org has 1 live workitem schemas" in str(caught.value)


def test_after_a_conflict_only_this_tasks_change_is_applied_to_the_fresh_schema():
    planned = plan.plan_workitem_schema(params(fields=[
        field("policy", "identifier", title="Policy", max_length=100), field("amount", "number", minimum=5)]),
        read(STORED))
    assert planned.changes() == {"options": [], "added": [], "modified": ["amount"], "removed": ["note"]}
    fresh = dict(STORED, version=5, jsonSchema=dict(STORED["jsonSchema"], description="Bob's", properties=dict(
        STORED["jsonSchema"]["properties"], bob_checkbox=prop("checkbox", title="bob"))))
    body = apply.updated_body(fresh, planned.delta)
    assert body["version"] == 5 and body["jsonSchema"]["description"] == "Bob's"
    assert sorted(body["jsonSchema"]["properties"]) == ["amount_number", "bob_checkbox", "policy_identifier"]
    assert body["jsonSchema"]["properties"]["amount_number"]["minimum"] == 5
    done = dict(fresh, jsonSchema=body["jsonSchema"])
    assert apply.updated_body(done, planned.delta) is None  # our earlier PUT landed
    retyped = dict(fresh, jsonSchema=dict(fresh["jsonSchema"], properties={"amount_text": prop("text", title="a")}))
    with pytest.raises(GenesysCloudError) as caught:
        apply.updated_body(retyped, planned.delta)
    assert "field amount of workitem schema claimDetails changed its type to text" in str(caught.value)
    with pytest.raises(GenesysCloudError) as caught:
        apply.updated_body(dict(fresh, deleted=True), planned.delta)
    assert "was deleted by someone else" in str(caught.value)


def test_both_stale_answers_are_conflicts_only_for_a_version_in_the_body():
    stale_400 = GenesysCloudError("The version 1 does not match the current version 2.", status=400, code="bad.request")
    assert is_version_conflict(stale_400, version_in_body=True)
    assert not is_version_conflict(stale_400)
    assert is_version_conflict(GenesysCloudError("x", status=409, code="version.mismatch"))
    assert not is_version_conflict(GenesysCloudError("bad name", status=400, code="bad.request"), version_in_body=True)
