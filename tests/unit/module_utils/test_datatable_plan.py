"""Plain-function tests of the data-table kind: option checks and plans (no request)."""
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import check_params
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.plan import plan_table
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import user_view

STORED = {
    "id": "t1", "name": "storeRouting", "description": "stores", "division": {"id": "d1", "name": "Home"},
    "selfUri": "/api/v2/flows/datatables/t1",
    "schema": {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["key"],
               "additionalProperties": False, "properties": {
                   "key": {"$id": "/properties/key", "title": "Store", "type": "string", "displayOrder": 0,
                           "minLength": 1, "maxLength": 256},
                   "open": {"$id": "/properties/open", "title": "Open", "type": "boolean", "displayOrder": 2,
                            "default": False},
                   "queue": {"$id": "/properties/queue", "title": "Queue", "type": "string", "displayOrder": 1,
                             "maxLength": 100}}},
}


def params(**overrides):
    base = dict(name="storeRouting", description=None, key_title=None, properties=None, state="present",
                force=False, max_properties=50, max_tables=200)
    base.update(overrides)
    return base


def prop(name, **options):
    base = dict(name=name, type=None, title=None, default=None, max_length=None)
    base.update(options)
    return base


def test_user_view_lists_properties_in_display_order():
    view = user_view(STORED)
    assert [p["name"] for p in view["properties"]] == ["queue", "open"]
    assert view["key_title"] == "Store" and view["properties"][0]["max_length"] == 100


def test_a_table_as_stored_plans_nothing_and_options_left_out_keep_what_is_stored():
    assert plan_table(params(), [STORED]).action == "none"
    plan = plan_table(params(properties=[prop("queue"), prop("open", type="boolean")]), [STORED])
    assert plan.action == "none" and plan.changes == [] and plan.problems == []
    renamed = plan_table(params(name="StoreRouting"), [STORED])  # the same table (names ignore case), renamed
    assert renamed.action == "update" and renamed.changes == ["name"] and renamed.after["name"] == "StoreRouting"


def test_a_new_table_is_created_with_key_first_and_properties_in_order():
    plan = plan_table(params(name="new", key_title="Code", description="d",
                             properties=[prop("b", type="integer", default=3), prop("a", max_length=5)]), [STORED])
    assert plan.action == "create" and plan.problems == []
    props = plan.after["schema"]["properties"]
    assert list(props) == ["key", "b", "a"]
    assert props["key"]["title"] == "Code" and props["b"] == {"$id": "/properties/b", "type": "integer",
                                                              "displayOrder": 1, "default": 3}
    assert props["a"]["type"] == "string" and props["a"]["maxLength"] == 5 and props["a"]["displayOrder"] == 2
    assert plan.after["schema"]["required"] == ["key"] and plan.after["schema"]["additionalProperties"] is False


def test_an_added_property_keeps_the_stored_order_and_comes_last():
    plan = plan_table(params(properties=[prop("queue"), prop("open"), prop("region", default="north")]), [STORED])
    assert plan.action == "update" and plan.changes == ["properties.region (added)"]
    props = plan.after["schema"]["properties"]
    assert props["region"]["displayOrder"] == 3 and props["open"]["displayOrder"] == 2
    assert "selfUri" not in plan.after and plan.after["id"] == "t1"
    assert plan.planned_against is STORED


def test_title_default_description_and_order_changes():
    plan = plan_table(params(description="new", key_title="Code",
                             properties=[prop("open", default=True), prop("queue", title="Q")]), [STORED])
    assert plan.action == "update" and plan.problems == []
    assert plan.changes == ["description", "key_title", "properties order", "properties.open.default",
                            "properties.queue.title"]
    props = plan.after["schema"]["properties"]
    assert props["open"]["displayOrder"] == 1 and props["queue"]["displayOrder"] == 2
    assert plan.diff()["after"]["properties"][0]["name"] == "open"


def test_removing_retyping_or_resizing_a_property_is_refused_naming_table_property_and_way_out():
    plan = plan_table(params(properties=[prop("queue", max_length=200), prop("extra")]), [STORED])
    text = " | ".join(plan.problems)
    assert "property open is stored but not in properties" in text
    assert "property queue has max_length 100 and it cannot change to 200" in text
    assert "create a new table" in text and "storeRouting" in text
    plan = plan_table(params(properties=[prop("queue"), prop("open", type="string")]), [STORED])
    assert len(plan.problems) == 2 and "stored as boolean" in plan.problems[0]
    assert plan.problems[1].startswith("data table 'storeRouting': data tables are additive only")


def test_defaults_must_be_of_the_property_type_and_fit_its_length():
    plan = plan_table(params(properties=[prop("queue", default="x" * 101), prop("open", default="yes")]), [STORED])
    assert len(plan.problems) == 2
    assert "queue: default is 101 characters long" in plan.problems[0]
    assert "open: default 'yes' is not of type boolean" in plan.problems[1]


def test_limits_of_properties_and_tables_are_refused_and_can_be_raised():
    many = [prop("queue"), prop("open")] + [prop("p%d" % i) for i in range(3)]
    assert "at most 4" in plan_table(params(properties=many, max_properties=4), [STORED]).problems[0]
    assert plan_table(params(properties=many, max_properties=5), [STORED]).problems == []
    assert "may have at most 1" in plan_table(params(name="other", max_tables=1), [STORED]).problems[0]
    assert plan_table(params(name="other", max_tables=2), [STORED]).problems == []


def test_absent_plans_a_delete_with_force_or_nothing():
    plan = plan_table(params(state="absent", force=True), [STORED])
    assert (plan.action, plan.force, plan.predicted()) == ("delete", True, {})
    assert plan.diff()["after"] == {} and plan.diff()["before"]["name"] == "storeRouting"
    assert plan_table(params(state="absent"), []).action == "none"


def test_option_checks_name_every_bad_property():
    problems = check_params(params(properties=[prop("key"), prop("bad name"), prop("n", type="integer", max_length=3),
                                               prop("Dup"), prop("dup")]))
    assert len(problems) == 4
    assert "key is the table's key column" in problems[0]
    assert "letters, digits or _" in problems[1]
    assert "max_length is for string properties only" in problems[2]
    assert "listed twice" in problems[3]


class ListingClient:
    def __init__(self, entities):
        self.entities = entities

    def paginate(self, path, params=None, page_size=25):
        assert params == {"expand": "schema"} and page_size == 100
        return iter(self.entities)


def test_a_listing_without_schemas_is_refused_rather_than_planned_as_new_properties():
    import pytest
    from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
    from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import read_tables

    assert read_tables(ListingClient([STORED])) == [STORED]
    with pytest.raises(GenesysCloudError, match="listed data table storeRouting without its schema"):
        read_tables(ListingClient([{"id": "t1", "name": "storeRouting"}]))
