"""The flex_schema and custom_object_records lookups against the emulator: in-process and in playbooks."""
import glob
import os
import tempfile
import time

import pytest
from ansible.errors import AnsibleError
from ansible.plugins.loader import init_plugin_loader, lookup_loader
from ansible.utils.collection_loader import AnsibleCollectionConfig

from ansible_collections.genesys.cloud.plugins.module_utils import transport
from tests.conftest import COLLECTIONS_ROOT

RECORDS = "^/api/v2/customobjects/accounts/records$"
ACCOUNT_FIELDS = [
    {"name": "number", "type": "string", "unique": True, "required": True},
    {"name": "tier", "type": "string", "options": ["gold", "silver"]},
    {"name": "balance", "type": "number"},
]


@pytest.fixture(scope="module")
def lookups():
    if AnsibleCollectionConfig.collection_finder is None:
        init_plugin_loader([COLLECTIONS_ROOT])
    return lookup_loader.get("genesys.cloud.flex_schema"), lookup_loader.get("genesys.cloud.custom_object_records")


@pytest.fixture
def org(emulator):
    regions = emulator.create_schema("regions", [{"name": "code", "type": "string", "unique": True}])
    emulator.create_schema("accounts", ACCOUNT_FIELDS + [
        {"name": "region", "type": "relationship", "relationship": {"schemaId": regions["id"], "fieldName": "code"}}],
        description="Customer accounts")
    emulator.upsert_records("regions", [{"id": "r-eu", "code": "eu"}])
    emulator.upsert_records("accounts", [
        {"id": "a%d" % n, "number": "n%d" % n, "tier": "gold" if n % 2 else "silver", "balance": n * 10,
         "region": "eu"} for n in range(1, 6)])
    emulator.clear_requests()
    return emulator


def record_reads(emulator):
    return [entry for entry in emulator.module_requests(method="GET") if "/records" in entry["path"]]


def test_flex_schema_lookup_reads_all_or_named_schemas_in_the_info_module_shape(org, lookups):
    schema_lookup = lookups[0]
    everything = schema_lookup.run([], {}, **org.connection)
    assert [schema["name"] for schema in everything] == ["regions", "accounts"]
    accounts = schema_lookup.run(["ACCOUNTS"], {}, **org.connection)
    assert accounts == [everything[1]]
    assert accounts[0]["description"] == "Customer accounts"
    assert accounts[0]["fields"][-1] == {"name": "region", "type": "relationship", "required": False,
                                         "unique": False, "relationship": {"schema": "regions", "field": "code"}}
    with pytest.raises(AnsibleError) as caught:
        schema_lookup.run(["accounts", "nope"], {}, **org.connection)
    assert "no flex schema is named nope (the org has: regions, accounts)" in str(caught.value)
    assert org.module_writes() == []


def test_records_lookup_pages_under_one_client_and_filters(org, lookups):
    records_lookup = lookups[1]
    found = records_lookup.run(["accounts"], {}, page_size=2, **org.connection)
    assert [record["id"] for record in found] == ["a1", "a2", "a3", "a4", "a5"]
    assert len(record_reads(org)) == 3 and len(org.token_requests()) == 1
    assert [r["id"] for r in records_lookup.run(["accounts"], {}, key="number", values=["n4", "n2", "n9"],
                                                 **org.connection)] == ["a2", "a4"]
    assert [r["id"] for r in records_lookup.run(["accounts"], {}, filter={"tier": "gold", "balance": 30.0},
                                                 **org.connection)] == ["a3"]
    org.clear_requests()
    assert [r["number"] for r in records_lookup.run(["accounts"], {}, values=["a5", "zz"], **org.connection)] == ["n5"]
    assert [entry["path"] for entry in record_reads(org)] == [
        "/api/v2/customobjects/accounts/records/a5", "/api/v2/customobjects/accounts/records/zz"]
    assert org.module_writes() == []


def test_records_lookup_reports_bad_options_before_reading_records(org, lookups):
    records_lookup = lookups[1]
    with pytest.raises(AnsibleError) as caught:
        records_lookup.run(["accounts"], {}, key="tier", values=["gold"], filter={"colour": "red"}, **org.connection)
    message = str(caught.value)
    assert "key: tier is neither id nor a unique field of accounts (unique fields: number)" in message
    assert "filter: colour is not a field of accounts" in message
    with pytest.raises(AnsibleError) as caught:
        records_lookup.run(["nope"], {}, **org.connection)
    assert "no flex schema is named nope" in str(caught.value)
    with pytest.raises(AnsibleError) as caught:
        records_lookup.run(["accounts", "regions"], {}, **org.connection)
    assert "exactly one schema name, got 2 terms" in str(caught.value)
    assert record_reads(org) == []


def test_lookups_wait_out_a_429(org, lookups):
    org.fault(method="GET", path=RECORDS, status=429, retry_after=1, count=1)
    org.fault(method="GET", path="^/api/v2/data/flex/schemas$", status=429, retry_after=1, count=1)
    assert len(lookups[0].run([], {}, **org.connection)) == 2
    assert len(lookups[1].run(["accounts"], {}, **org.connection)) == 5
    assert [entry["status"] for entry in record_reads(org)] == [429, 200]


def test_a_token_that_expires_between_pages_is_renewed_once(org, lookups, monkeypatch):
    real_send = transport.Transport.send
    pages = []

    def send_then_expire(self, method, url, *args, **kwargs):
        response = real_send(self, method, url, *args, **kwargs)
        if "/records" in url:
            pages.append(url)
            if len(pages) == 1:
                org.expire_tokens()  # every token the emulator handed out is now expired
        return response

    monkeypatch.setattr(transport.Transport, "send", send_then_expire)
    found = lookups[1].run(["accounts"], {}, page_size=2, **org.connection)
    assert [record["id"] for record in found] == ["a1", "a2", "a3", "a4", "a5"]
    assert [entry["status"] for entry in record_reads(org)] == [200, 401, 200, 200]
    assert len(org.token_requests()) == 2


def test_an_expired_access_token_is_a_clear_error(org, lookups):
    token = org.http.post(org.url + "/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(org.client_id, org.client_secret), timeout=30).json()["access_token"]
    assert len(lookups[0].run([], {}, api_url=org.url, access_token=token)) == 2
    org.expire_tokens()
    with pytest.raises(AnsibleError) as caught:
        lookups[0].run([], {}, api_url=org.url, access_token=token)
    assert "genesys.cloud.flex_schema lookup: GET /api/v2/data/flex/schemas failed: HTTP 401" in str(caught.value)


@pytest.mark.matrix
def test_lookups_in_a_check_mode_playbook_use_the_environment_and_write_nothing(org, playbook):
    tasks = [
        {"name": "info", "genesys.cloud.flex_schema_info": {}},
        {"name": "schemas", "ansible.builtin.set_fact": {
            "names": "{{ query('genesys.cloud.flex_schema') | map(attribute='name') | list }}",
            "accounts_schema": "{{ lookup('genesys.cloud.flex_schema', 'accounts') }}"}},
        {"name": "records", "ansible.builtin.set_fact": {
            "gold": "{{ query('genesys.cloud.custom_object_records', 'accounts', filter={'tier': 'gold'}) }}",
            "one": "{{ lookup('genesys.cloud.custom_object_records', 'accounts', key='number', values=['n2']) }}"}},
        {"name": "conditional", "ansible.builtin.debug": {"msg": "n3 is there"},
         "when": "query('genesys.cloud.custom_object_records', 'accounts', key='number', values=['n3']) | length > 0"},
        {"name": "missing", "ansible.builtin.debug": {"msg": "{{ lookup('genesys.cloud.flex_schema', 'nope') }}"},
         "ignore_errors": True},
    ]
    run = playbook(tasks, check=True)
    assert run.rc == 0, run
    facts = run.task("schemas")["ansible_facts"]
    assert facts["names"] == ["regions", "accounts"] and facts["accounts_schema"]["name"] == "accounts"
    facts = run.task("records")["ansible_facts"]
    assert [record["number"] for record in facts["gold"]] == ["n1", "n3", "n5"]
    assert facts["one"]["id"] == "a2" and facts["one"]["balance"] == 20
    assert run.task("conditional")["msg"] == "n3 is there"
    missing = run.task("missing")
    assert run.status("missing") == "failed" and "no flex schema is named nope" in missing["msg"]
    assert org.module_writes() == []
    # The lookups use the token the run's first genesys.cloud task fetched (plugin_utils/session.py).
    assert len(org.token_requests()) == 1


def test_lookup_options_are_checked_and_values_never_change_the_request(org, playbook):
    """Issue 19, 5: unknown options, typed filters and escaped values, through a real playbook."""
    tasks = [
        {"name": "misspelt values", "ansible.builtin.debug": {
            "msg": "{{ query('genesys.cloud.custom_object_records', 'accounts', value=['a1']) }}"},
         "ignore_errors": True},
        {"name": "misspelt filter", "ansible.builtin.debug": {
            "msg": "{{ query('genesys.cloud.custom_object_records', 'accounts', filtre={'tier': 'gold'}) }}"},
         "ignore_errors": True},
        {"name": "string for a number", "ansible.builtin.debug": {
            "msg": "{{ query('genesys.cloud.custom_object_records', 'accounts', filter={'balance': 'abc'}) }}"},
         "ignore_errors": True},
        {"name": "not ids", "ansible.builtin.debug": {
            "msg": "{{ query('genesys.cloud.custom_object_records', 'accounts', "
                   "values=['a1?pageSize=1', '../../..']) }}"}, "ignore_errors": True},
        {"name": "hostile ids", "ansible.builtin.set_fact": {
            "found": "{{ query('genesys.cloud.custom_object_records', 'accounts', values=['..', '.', 'a2']) }}"}},
    ]
    run = playbook(tasks)
    assert run.rc == 0, run
    misspelt = run.task("misspelt values")["msg"]
    assert run.status("misspelt values") == "failed"
    assert "unknown option(s) value (did you mean values?)" in misspelt and "Its options are:" in misspelt
    assert "filtre (did you mean filter?)" in run.task("misspelt filter")["msg"]
    typed = run.task("string for a number")["msg"]
    assert "filter: balance is a number field and takes a number, got str 'abc'" in typed, typed
    not_ids = run.task("not ids")["msg"]
    assert "values: 'a1?pageSize=1' is not a record id (ids match ^[A-Za-z0-9._:-]{1,128}$)" in not_ids
    assert "values: '../../..' is not a record id" in not_ids
    assert [record["id"] for record in run.task("hostile ids")["ansible_facts"]["found"]] == ["a2"]
    reads = [entry for entry in org.module_requests(method="GET") if "/records" in entry["path"]]
    # Each value is one record id in the path: no query slipped in, no path left the records collection.
    assert all(entry["query"] == "" for entry in reads), reads
    assert all(entry["path"].startswith("/api/v2/customobjects/accounts/records/") for entry in reads), reads
    assert sorted(entry["path"].rsplit("/records/", 1)[1] for entry in reads) == [".", "..", "a2"], reads


def test_a_play_of_lookups_only_logs_in_once_and_leaves_no_broker(org, playbook):
    """Issue 19, 5: no genesys.cloud task loads the shared store in the main process; the token broker shares it."""
    read = "{{ query('genesys.cloud.flex_schema') | length }}"
    tasks = [{"name": "read %d" % number, "ansible.builtin.debug": {"msg": read}} for number in range(4)]
    tasks.append({"name": "records", "ansible.builtin.debug": {
        "msg": "{{ query('genesys.cloud.custom_object_records', 'accounts', values=['a1']) | length }}"}})
    run = playbook(tasks)
    assert run.rc == 0, run
    assert [int(run.task("read %d" % number)["msg"]) for number in range(4)] == [2] * 4
    assert len(org.token_requests()) == 1

    def orphans():
        """Broker sockets whose ansible-playbook process is gone (other runs may be going on meanwhile)."""
        folder = os.path.join(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir(), "genesys-cloud-%d" % os.getuid())
        found = []
        for path in glob.glob(os.path.join(folder, "tokens-*.sock")):
            try:
                os.kill(int(path.rsplit("-", 1)[1].split(".")[0]), 0)
            except OSError:
                found.append(path)
        return found

    deadline = time.monotonic() + 5
    while orphans() and time.monotonic() < deadline:
        time.sleep(0.2)  # a broker notices within a second that its run has ended
    assert orphans() == []
