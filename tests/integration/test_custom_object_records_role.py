"""The custom_object_data role loads referenced schemas first and deletes in the reverse order."""
import pytest



@pytest.mark.matrix
def test_role_orders_schemas_by_reference(emulator, playbook):
    regions = emulator.create_schema("regions", [{"name": "code", "type": "string", "unique": True}])
    emulator.create_schema("offices", [{"name": "city", "type": "string", "unique": True},
                                       {"name": "region", "type": "relationship",
                                        "relationship": {"schemaId": regions["id"], "fieldName": "code"}}])
    data = [{"schema": "offices", "key": "city", "records": [{"city": "Dublin", "region": "EU"}]},
            {"schema": "regions", "key": "code", "records": [{"code": "EU"}]}]
    role = [{"name": "load", "hosts": "localhost", "gather_facts": False,
             "roles": [{"role": "genesys.cloud.custom_object_data", "vars": {"genesys_custom_object_data": data}}]}]
    run = playbook(role)
    assert run.rc == 0, run
    assert [item["code"] for item in emulator.records("regions")] == ["EU"]
    assert [item["city"] for item in emulator.records("offices")] == ["Dublin"]
    again = playbook(role)
    assert again.rc == 0 and "changed=0" in again.stdout
    removal = [{"schema": "regions", "key": "code", "state": "absent", "records": [{"code": "EU"}]},
               {"schema": "offices", "key": "city", "state": "absent", "records": [{"city": "Dublin"}]}]
    role[0]["roles"][0]["vars"]["genesys_custom_object_data"] = removal
    gone = playbook(role)
    assert gone.rc == 0, gone
    assert emulator.records("regions") == [] and emulator.records("offices") == []
