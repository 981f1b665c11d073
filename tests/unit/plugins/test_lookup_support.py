"""What the lookups share: connection options as the modules read them (plugin_utils/session.py), and record queries."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.record_query import query_problems, read_records
from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.plugin_utils.session import (
    CONTROLLER_ENVIRONMENT,
    connection_settings,
    resolve_connection,
)

ENV = ("GENESYSCLOUD_REGION", "GENESYSCLOUD_API_URL", "GENESYSCLOUD_AUTH_URL", "GENESYSCLOUD_OAUTHCLIENT_ID",
       "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_ACCESS_TOKEN")


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_are_the_modules_defaults(clean_env):
    assert connection_settings({"client_id": "id", "client_secret": "secret"}) == {
        "region": "us-east-1", "api_url": None, "auth_url": None, "client_id": "id", "client_secret": "secret",
        "access_token": None, "validate_certs": True, "timeout": 30.0, "connect_timeout": 5.0, "max_retries": 5,
        "token_pool_size": 1}


def test_connection_settings_read_no_environment(clean_env):
    clean_env.setenv("GENESYSCLOUD_API_URL", "http://127.0.0.1:1")
    clean_env.setenv("GENESYSCLOUD_ACCESS_TOKEN", "env-token")
    settings = connection_settings({"client_id": "id", "client_secret": "secret", "timeout": "5"})
    assert settings["api_url"] is None and settings["access_token"] is None and settings["timeout"] == 5.0


def test_the_lookup_options_then_the_controller_environment(clean_env):
    environ = {"GENESYSCLOUD_REGION": "mx-central-1", "GENESYSCLOUD_OAUTHCLIENT_ID": "env-id",
               "GENESYSCLOUD_OAUTHCLIENT_SECRET": "env-secret", "GENESYSCLOUD_ACCESS_TOKEN": "env-token"}
    options, origins = resolve_connection({"client_id": "given-id", "timeout": "5"}, environ=environ)
    assert options["region"] == "mx-central-1" and origins["region"] == CONTROLLER_ENVIRONMENT
    assert options["client_id"] == "given-id" and options["client_secret"] == "env-secret"
    # Client credentials named by the lookup itself win over a token left in the environment.
    assert options["access_token"] is None and options["timeout"] == "5"


def test_an_unknown_region_is_refused_with_the_choices(clean_env):
    with pytest.raises(ConfigurationError) as caught:
        connection_settings({"region": "mars-north-1"})
    assert "mars-north-1" in str(caught.value) and "eusc-de-east-1" in str(caught.value)


SCHEMA = {"name": "accounts", "fields": [
    {"name": "number", "type": "string", "unique": True},
    {"name": "tier", "type": "string"},
    {"name": "balance", "type": "number"},
    {"name": "opened", "type": "date"},
]}
RECORDS = [
    {"id": "a", "number": "n1", "tier": "gold", "balance": 10, "opened": "2024-01-01T00:00:00Z"},
    {"id": "b", "number": "n2", "tier": "gold", "balance": 20.0},
    {"id": "c", "number": "n3", "balance": 10.0, "opened": "2024-01-01"},
]


class FakeClient:
    """Serves RECORDS to read_records and notes which reads it was asked for."""

    def __init__(self):
        self.calls = []

    def paginate(self, path, page_size):
        self.calls.append(("paginate", path, page_size))
        return iter(RECORDS)

    def get_or_none(self, path):
        self.calls.append(("get", path))
        return dict((r["id"], r) for r in RECORDS).get(path.rsplit("/", 1)[1])


def ids(records):
    return [record["id"] for record in records]


def test_key_values_filter_and_both():
    client = FakeClient()
    assert ids(read_records(client, SCHEMA, "number", ["n3", "n1", "nope"])) == ["a", "c"]
    assert ids(read_records(client, SCHEMA, where={"tier": "gold"})) == ["a", "b"]
    assert ids(read_records(client, SCHEMA, "number", ["n1", "n2"], {"balance": 20})) == ["b"]
    assert ids(read_records(client, SCHEMA)) == ["a", "b", "c"]
    assert client.calls[0] == ("paginate", "/api/v2/customobjects/accounts/records", 500)


def test_numbers_and_dates_compare_by_value_and_absent_fields_match_null():
    client = FakeClient()
    assert ids(read_records(client, SCHEMA, where={"balance": 10})) == ["a", "c"]
    assert ids(read_records(client, SCHEMA, where={"opened": "2024-01-01T01:00:00+01:00"})) == ["a"]
    assert ids(read_records(client, SCHEMA, where={"opened": "2024-01-01"})) == ["c"]
    assert ids(read_records(client, SCHEMA, where={"tier": None})) == ["c"]


def test_a_few_ids_are_read_one_by_one_without_paging():
    client = FakeClient()
    assert ids(read_records(client, SCHEMA, "id", ["c", "zz", "a"], page_size=7)) == ["a", "c"]
    assert [call[0] for call in client.calls] == ["get", "get", "get"]
    many = ["id%d" % n for n in range(26)] + ["b"]
    assert ids(read_records(client, SCHEMA, "id", many, page_size=7)) == ["b"]
    assert client.calls[-1] == ("paginate", "/api/v2/customobjects/accounts/records", 7)


def test_query_problems_name_the_option_and_what_would_work():
    assert query_problems(SCHEMA, "id", ["x"], {"tier": "gold", "id": "a"}) == []
    assert query_problems(SCHEMA, "tier", None, None) == []
    problems = query_problems(SCHEMA, "tier", ["gold"], {"colour": "red"})
    assert problems == [
        "key: tier is neither id nor a unique field of accounts (unique fields: number)",
        "filter: colour is not a field of accounts (fields: balance, number, opened, tier)"]
