"""Plain-function tests of the flex schema logic: validation, normalisation, intent, safety, shapes."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    SELF_ID,
    Catalog,
    SchemaChangeRefused,
    apply_intent,
    build_intent,
    check_definition,
    definition_problems,
    desired_field,
    plan_update,
    readable_schema,
    resolve_relationships,
    summarise_changes,
    type_change_verdict,
    user_schema,
)

ACCOUNTS_ID = "11111111-1111-1111-1111-111111111111"
PEOPLE_ID = "22222222-2222-2222-2222-222222222222"


def api_field(name, kind="string", **extra):
    field = {"name": name, "type": kind, "required": False, "unique": False}
    field.update(extra)
    return field


def stored(name="accounts", fields=None, schema_id=ACCOUNTS_ID, description="", version=1):
    return {"id": schema_id, "name": name, "description": description, "version": version,
            "fields": fields if fields is not None else [], "dateCreated": "2026-01-01T00:00:00.000Z"}


PEOPLE = stored("people", [api_field("email", unique=True)], schema_id=PEOPLE_ID)


def intent_for(user_fields, current, purge=False, description=None, catalog=None):
    fields = [desired_field(field) for field in user_fields]
    problems = resolve_relationships(fields, catalog or Catalog([PEOPLE, current]), current["name"], current["id"])
    assert problems == []
    return build_intent(current["name"], fields, description, current["fields"], purge)


# -- validation ----------------------------------------------------------------------------------

def test_a_good_definition_has_no_problems():
    definition = {"name": "accounts", "description": "d", "fields": [
        {"name": "code", "type": "string", "unique": True, "max_length": 10, "options": ["a", "b"]},
        {"name": "owner", "type": "relationship", "relationship": {"schema": "people", "field": "email"}},
        {"name": "score", "type": "number", "maxLength": None, "required": None}]}
    assert definition_problems(definition) == []


def test_every_problem_is_reported_at_once_with_its_path():
    definition = {"name": "9accounts", "description": "x" * 513, "fields": [
        {"name": "id", "type": "string"},
        {"name": "count", "type": "number", "options": ["1"], "max_length": 3, "unique": False},
        {"name": "flag", "type": "boolean", "unique": True},
        {"name": "link", "type": "relationship"},
        {"name": "plain", "type": "string", "relationship": {"schema": "people"}},
        {"name": "Plain", "type": "text"},
        {"name": "COUNT", "type": "date", "colour": "red"},
        {"name": "both", "type": "relationship", "relationship": {"schema": "people", "schema_id": "x"}},
        {"type": "string"}]}
    problems = definition_problems(definition)
    text = "\n".join(problems)
    for expected in ("name: '9accounts' is not a valid name", "description: ", "fields[0].name: id is a reserved name",
                     "fields[1].options: only string fields take options",
                     "fields[1].max_length: only string fields take max_length",
                     "fields[2].unique: only string and number fields can be unique",
                     "fields[3].relationship: a relationship field needs",
                     "fields[4].relationship: only relationship fields take a relationship",
                     "fields[5].type: 'text' is not one of",
                     "fields[6]: Additional properties are not allowed ('colour' was unexpected)",
                     "fields[7].relationship: name the target schema with exactly one",
                     "fields[8]: 'name' is a required property"):
        assert expected in text, expected
    # fields[5] and fields[6] are broken structurally, so their duplicate names are not double-reported.
    assert not any(problem.startswith("fields[5].name") for problem in problems)


def test_duplicate_names_are_compared_without_case():
    problems = definition_problems({"name": "a", "fields": [{"name": "Code", "type": "string"},
                                                            {"name": "code", "type": "number"}]})
    assert problems == ["fields[1].name: code is already defined at fields[0] (names are compared without case)"]


def test_more_than_100_fields_is_refused():
    fields = [{"name": "f%d" % n, "type": "string"} for n in range(101)]
    assert any(problem.startswith("fields: ") for problem in definition_problems({"name": "a", "fields": fields}))


def test_purge_without_fields_is_refused_and_check_definition_raises_with_every_problem():
    with pytest.raises(InputError) as caught:
        check_definition({"name": "a b", "fields": None}, purge_fields=True)
    assert len(caught.value.problems) == 2
    assert "nothing was changed" in str(caught.value)


# -- normalisation and relationships -------------------------------------------------------------

def test_desired_field_fills_server_defaults_and_accepts_camel_case():
    assert desired_field({"name": "code", "type": "string", "maxLength": 5}) == {
        "name": "code", "type": "string", "required": False, "unique": False, "maxLength": 5}


def test_relationships_resolve_by_name_and_to_the_schema_itself():
    catalog = Catalog([PEOPLE])
    fields = [desired_field({"name": "owner", "type": "relationship", "relationship": {"schema": "PEOPLE"}}),
              desired_field({"name": "parent", "type": "relationship", "relationship": {"schema": "accounts"}}),
              desired_field({"name": "ghost", "type": "relationship", "relationship": {"schema": "nobody"}}),
              desired_field({"name": "byid", "type": "relationship", "relationship": {"schema_id": "nope"}})]
    problems = resolve_relationships(fields, catalog, "accounts", None)
    assert fields[0]["relationship"] == {"schemaId": PEOPLE_ID, "fieldName": "id"}
    assert fields[1]["relationship"] == {"schemaId": SELF_ID, "fieldName": "id"}
    assert len(problems) == 2
    assert problems[0].startswith("fields[2].relationship.schema: no schema named nobody")
    assert problems[1].startswith("fields[3].relationship.schema_id: no schema has id nope")


def test_relationship_must_target_id_or_a_unique_field():
    current = stored(fields=[])
    catalog = Catalog([PEOPLE, current])
    intent = intent_for([{"name": "owner", "type": "relationship", "relationship": {"schema": "people",
                                                                                     "field": "name"}}],
                        current, catalog=catalog)
    with pytest.raises(SchemaChangeRefused) as caught:
        plan_update(intent, current, catalog)
    assert "fields[0].relationship.field: name is not id or a unique field of schema people" in str(caught.value)


# -- intent and planning -------------------------------------------------------------------------

def test_merge_keeps_unlisted_fields_and_purge_removes_them():
    current = stored(fields=[api_field("a"), api_field("b"), api_field("c")])
    merged = apply_intent(intent_for([{"name": "b", "type": "string", "required": True}], current), current["fields"])
    assert [(f["name"], f["required"]) for f in merged] == [("a", False), ("b", True), ("c", False)]
    intent = intent_for([{"name": "b", "type": "string"}, {"name": "d", "type": "number"}], current, purge=True)
    assert intent["remove"] == ["a", "c"]
    assert [f["name"] for f in apply_intent(intent, current["fields"])] == ["b", "d"]


def test_re_applying_the_intent_keeps_a_field_another_admin_added():
    first_read = stored(fields=[api_field("a"), api_field("old")])
    intent = intent_for([{"name": "a", "type": "string", "required": True}, {"name": "mine", "type": "date"}],
                        first_read, purge=True)
    fresh = stored(fields=[api_field("a"), api_field("old"), api_field("fromBob", "number")], version=2)
    body, changes = plan_update(intent, fresh, Catalog([fresh]))
    assert [f["name"] for f in body["fields"]] == ["a", "fromBob", "mine"]
    assert changes["added"] == ["mine"] and changes["removed"] == ["old"] and changes["modified"] == ["a"]


def test_the_same_definition_plans_no_change_whatever_the_order_or_defaults():
    current = stored(fields=[api_field("code", unique=True, options=["x", "y"], maxLength=4),
                             api_field("owner", "relationship", relationship={"schemaId": PEOPLE_ID,
                                                                              "fieldName": "id"})],
                     description="kept")
    user = [{"name": "owner", "type": "relationship", "relationship": {"schema": "people"}},
            {"name": "code", "type": "string", "unique": True, "options": ["y", "x"], "max_length": 4}]
    body, changes = plan_update(intent_for(user, current), current, Catalog([PEOPLE, current]))
    assert body is None
    assert changes == {"added": [], "removed": [], "modified": [], "type_changes": [],
                       "description_changed": False}


def test_description_change_alone_is_a_change():
    current = stored(fields=[api_field("a")], description="old")
    body, changes = plan_update(intent_for([], current, description="new"), current, Catalog([current]))
    assert body == {"name": "accounts", "description": "new", "fields": current["fields"]}
    assert changes["description_changed"] is True


@pytest.mark.parametrize("old,new,verdict", [
    ("string", "string", "unchanged"), ("string", "date", "safe"), ("number", "boolean", "safe"),
    ("boolean", "number", "safe"), ("string", "number", "unsafe"), ("date", "string", "unsafe"),
    ("string", "relationship", "forbidden"), ("relationship", "string", "forbidden")])
def test_type_change_matrix(old, new, verdict):
    assert type_change_verdict(old, new) == verdict


def test_unsafe_type_change_is_refused_unless_allowed_and_forbidden_always():
    current = stored(fields=[api_field("n", "string"), api_field("r", "string")])
    user = [{"name": "n", "type": "number"}]
    with pytest.raises(SchemaChangeRefused) as caught:
        plan_update(intent_for(user, current), current, Catalog([current]))
    assert "fields[0].type: changing n from string to number is outside the safe type changes" in str(caught.value)
    assert caught.value.to_result()["changes"]["type_changes"] == [
        {"field": "n", "from": "string", "to": "number", "safe": False, "verdict": "unsafe"}]
    body, _ = plan_update(intent_for(user, current), current, Catalog([current]), allow_unsafe=True)
    assert body["fields"][0]["type"] == "number"
    forbidden = [{"name": "r", "type": "relationship", "relationship": {"schema": "people"}}]
    with pytest.raises(SchemaChangeRefused) as caught:
        plan_update(intent_for(forbidden, current), current, Catalog([PEOPLE, current]), allow_unsafe=True)
    assert "cannot change from string to relationship" in str(caught.value)


def test_safety_is_judged_on_the_fresh_schema():
    first_read = stored(fields=[api_field("n", "number")])
    intent = intent_for([{"name": "n", "type": "boolean"}], first_read)
    assert plan_update(intent, first_read, Catalog([first_read]))[0] is not None
    fresh = stored(fields=[api_field("n", "string")], version=2)  # someone made it a string meanwhile
    with pytest.raises(SchemaChangeRefused):
        plan_update(intent, fresh, Catalog([fresh]))


def test_merged_schema_over_the_limit_is_refused():
    current = stored(fields=[api_field("f%d" % n) for n in range(100)])
    with pytest.raises(SchemaChangeRefused) as caught:
        plan_update(intent_for([{"name": "extra", "type": "string"}], current), current, Catalog([current]))
    assert "would have 101 fields" in str(caught.value)


def test_summary_of_changes():
    before = [api_field("a"), api_field("b", "number"), api_field("gone")]
    after = [api_field("a", required=True), api_field("b", "boolean"), api_field("new", "date")]
    changes = summarise_changes(before, after)
    assert changes["added"] == ["new"] and changes["removed"] == ["gone"]
    assert changes["modified"] == ["a", "b"]
    assert changes["type_changes"] == [{"field": "b", "from": "number", "to": "boolean", "safe": True,
                                        "verdict": "safe"}]


# -- shapes ----------------------------------------------------------------------------------------

def test_user_shape_feeds_back_as_the_same_definition():
    current = stored(fields=[api_field("code", unique=True, maxLength=4, options=["a"]),
                             api_field("owner", "relationship", relationship={"schemaId": PEOPLE_ID,
                                                                              "fieldName": "email"}),
                             api_field("lost", "relationship", relationship={"schemaId": "gone-id",
                                                                             "fieldName": "id"})])
    catalog = Catalog([PEOPLE, current])
    shaped = user_schema(current, catalog)
    assert shaped["fields"][0] == {"name": "code", "type": "string", "required": False, "unique": True,
                                   "options": ["a"], "max_length": 4}
    assert shaped["fields"][1]["relationship"] == {"schema": "people", "field": "email"}
    assert shaped["fields"][2]["relationship"] == {"schema_id": "gone-id", "field": "id"}
    assert definition_problems(shaped) == []
    catalog.by_id["gone-id"] = stored("gone", schema_id="gone-id")
    body, _ = plan_update(intent_for(shaped["fields"], current, purge=True, catalog=catalog), current, catalog)
    assert body is None


def test_readable_form_keys_fields_by_name_and_hides_defaults():
    current = stored(fields=[api_field("code", unique=True),
                             api_field("owner", "relationship", relationship={"schemaId": PEOPLE_ID,
                                                                              "fieldName": "id"})])
    assert readable_schema(current, Catalog([PEOPLE])) == {
        "name": "accounts", "description": "",
        "fields": {"code": {"type": "string", "unique": True},
                   "owner": {"type": "relationship", "relationship": {"schema": "people", "field": "id"}}}}
    assert readable_schema(None, Catalog([])) == {}


def test_check_mode_may_assume_a_missing_target_is_created_earlier():
    catalog = Catalog([], own_name="accounts")
    fields = [desired_field({"name": "owner", "type": "relationship", "relationship": {"schema": "people",
                                                                                        "field": "email"}})]
    pending = []
    assert resolve_relationships(fields, catalog, "accounts", None, pending) == []
    assert pending == ["people"]
    intent = build_intent("accounts", fields, None, [], False)
    body, changes = plan_update(intent, {"id": SELF_ID, "name": "accounts", "fields": []}, catalog)
    assert changes["added"] == ["owner"]
    assert readable_schema(dict(body, id=None), catalog)["fields"]["owner"]["relationship"] == {
        "schema": "people", "field": "email"}
