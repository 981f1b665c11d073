"""The shared client against the emulator: tokens, retries, safe creates, locking, pacing, paging."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.errors import AmbiguousWriteError, GenesysCloudError

SCHEMAS = "/api/v2/data/flex/schemas"


class RecordingSleep:
    """Records the waits the client asks for instead of sleeping them (where real time does not matter)."""

    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


def make_client(emulator, **overrides):
    settings = dict(emulator.connection)
    settings.update(overrides)
    return GenesysCloudClient(**settings)


def find_schema(client, name):
    for schema in client.paginate(SCHEMAS, {"name": name}, page_size=100):
        return schema
    return None


def test_token_is_fetched_once_and_reused(emulator):
    client = make_client(emulator)
    for _ in range(5):
        client.get(SCHEMAS)
    assert len(emulator.token_requests()) == 1
    assert client.metrics.as_dict()["token_requests"] == 1


def test_expired_token_mid_run_is_recovered_with_exactly_one_new_token(emulator):
    client = make_client(emulator)
    client.get(SCHEMAS)
    emulator.expire_tokens()
    assert client.get(SCHEMAS).status == 200
    assert len(emulator.token_requests()) == 2
    statuses = [entry["status"] for entry in emulator.module_requests()]
    assert statuses == [200, 401, 200]
    assert client.metrics.reauthentications == 1


def test_a_second_401_is_an_error(emulator):
    client = make_client(emulator)
    emulator.fault(path="^/api/v2/", status=401, count=2)
    with pytest.raises(GenesysCloudError) as caught:
        client.get(SCHEMAS)
    assert caught.value.status == 401
    assert len(emulator.token_requests()) == 2


def test_refused_credentials_name_the_options_and_never_the_secret(emulator):
    client = make_client(emulator, client_secret="wrong-secret-value")
    with pytest.raises(GenesysCloudError) as caught:
        client.get(SCHEMAS)
    message = str(caught.value)
    assert "client_id/client_secret" in message and "invalid_client" in message
    assert "wrong-secret-value" not in message


def test_missing_scope_is_reported_with_the_scope(emulator):
    emulator.add_client("reader", "reader-secret", scopes=["data:flex:read"])
    client = make_client(emulator, client_id="reader", client_secret="reader-secret")
    with pytest.raises(GenesysCloudError) as caught:
        client.get("/api/v2/platform/webhooks")
    assert caught.value.status == 403 and caught.value.code == "missing.scope"
    assert "webhooks:read" in str(caught.value)


@pytest.mark.slow
def test_three_429s_in_a_row_are_waited_out_per_retry_after(emulator):
    client = make_client(emulator)
    emulator.fault(path="^/api/v2/data/flex/schemas$", status=429, retry_after=1, count=3)
    assert client.get(SCHEMAS).status == 200
    metrics = client.metrics.as_dict()
    assert metrics["rate_limited"] == 3 and metrics["retries"] == 3
    assert metrics["wait_seconds"] >= 3.0
    assert [entry["status"] for entry in emulator.module_requests()] == [429, 429, 429, 200]


def test_503s_are_retried_with_growing_backoff(emulator):
    sleep = RecordingSleep()
    client = make_client(emulator, sleep=sleep)
    emulator.fault(path="^/api/v2/", status=503, count=3)
    assert client.get(SCHEMAS).status == 200
    assert client.metrics.retries == 3
    assert len(sleep.waits) == 3 and sleep.waits[2] > sleep.waits[0]


def test_retries_are_bounded_and_the_error_says_so(emulator):
    client = make_client(emulator, sleep=RecordingSleep(), max_retries=2)
    emulator.fault(path="^/api/v2/", status=503, count=10)
    with pytest.raises(GenesysCloudError) as caught:
        client.get(SCHEMAS)
    assert caught.value.status == 503
    assert "gave up after 3 attempts" in str(caught.value)
    assert caught.value.correlation_id
    assert len(emulator.module_requests()) == 3


def test_dropped_connection_before_a_get_is_retried(emulator):
    client = make_client(emulator, sleep=RecordingSleep())
    emulator.fault(path="^/api/v2/", action="drop_before", count=1)
    assert client.get(SCHEMAS).status == 200
    assert client.metrics.retries == 1


@pytest.mark.parametrize("action", ["drop_after", "drop_before"])
def test_dropped_connection_on_a_create_never_yields_two_objects(emulator, action):
    client = make_client(emulator, sleep=RecordingSleep())
    emulator.fault(method="POST", path="^/api/v2/data/flex/schemas$", action=action, count=1)
    body = {"name": "accounts", "fields": [{"name": "label", "type": "string"}]}
    created = client.create(SCHEMAS, body, lookup=lambda: find_schema(client, "accounts"))
    assert created.data["name"] == "accounts"
    assert created.recovered == (action == "drop_after")
    assert [schema["name"] for schema in emulator.schemas()] == ["accounts"]


def test_a_create_without_a_lookup_is_not_replayed_after_a_drop(emulator):
    client = make_client(emulator, sleep=RecordingSleep())
    emulator.fault(method="POST", path="^/api/v2/data/flex/schemas$", action="drop_after", count=1)
    with pytest.raises(AmbiguousWriteError) as caught:
        client.create(SCHEMAS, {"name": "accounts", "fields": []})
    assert "may or may not have been applied" in str(caught.value)
    assert len(emulator.module_requests(method="POST")) == 1
    assert len(emulator.schemas()) == 1


def test_a_gateway_error_on_a_create_looks_before_sending_again(emulator):
    client = make_client(emulator, sleep=RecordingSleep())
    emulator.fault(method="POST", path="^/api/v2/data/flex/schemas$", status=504, count=1)
    lookups = []

    def lookup():
        lookups.append(1)
        return find_schema(client, "accounts")

    created = client.create(SCHEMAS, {"name": "accounts", "fields": []}, lookup=lookup)
    assert created.status == 201 and lookups == [1]
    assert len(emulator.schemas()) == 1


def test_a_409_hands_back_the_fresh_object_and_keeps_the_other_change(emulator):
    schema = emulator.create_schema("accounts", [{"name": "label", "type": "string"}])
    path = "%s/%s" % (SCHEMAS, schema["id"])
    client = make_client(emulator)
    current = client.get(path).data
    # Another administrator adds a field between our read and our write.
    emulator.update_schema(current, fields=current["fields"] + [{"name": "fromBob", "type": "number"}])
    seen_versions = []

    def add_mine(fresh):
        seen_versions.append(fresh["version"])
        names = [field["name"] for field in fresh["fields"]]
        if "mine" in names:
            return None
        return {"name": fresh["name"], "description": fresh.get("description", ""),
                "fields": fresh["fields"] + [{"name": "mine", "type": "boolean"}]}

    updated, changed = client.update_versioned(path, add_mine, current=current)
    assert changed and seen_versions == [1, 2]
    assert [field["name"] for field in updated["fields"]] == ["label", "fromBob", "mine"]
    assert updated["version"] == 3
    assert client.metrics.conflicts == 1
    assert [entry["status"] for entry in emulator.module_requests(method="PUT")] == [409, 200]


def test_update_versioned_gives_up_after_bounded_conflicts(emulator):
    schema = emulator.create_schema("accounts", [{"name": "label", "type": "string"}])
    path = "%s/%s" % (SCHEMAS, schema["id"])
    client = make_client(emulator)
    # Another administrator changes the schema after every read we make.
    emulator.hook(method="GET", path="^%s$" % path, count=10,
                  action={"type": "schema_update", "schema": "accounts", "description": "busy"})

    def compute(fresh):
        return {"name": fresh["name"], "description": "mine", "fields": fresh["fields"]}

    with pytest.raises(GenesysCloudError) as caught:
        client.update_versioned(path, compute, max_conflicts=2)
    assert caught.value.code == "version.mismatch"
    assert "still conflicting after 2 re-reads" in str(caught.value)


@pytest.mark.slow
def test_a_run_near_the_rate_limit_slows_down_and_never_sees_a_429(emulator):
    emulator.settings(rate_limit=8, rate_window=3)
    client = make_client(emulator)
    for _ in range(20):
        client.get(SCHEMAS)
    statuses = [entry["status"] for entry in emulator.module_requests()]
    assert statuses == [200] * 20
    metrics = client.metrics.as_dict()
    assert metrics["rate_limited"] == 0 and metrics["waits"] >= 2


def test_paging_reads_every_record_in_order(emulator):
    emulator.create_schema("items", [{"name": "label", "type": "string"}])
    ids = ["item-%03d" % n for n in range(120)]
    for start in range(0, 120, 100):
        emulator.upsert_records("items", [{"id": i, "label": i} for i in ids[start:start + 100]])
    client = make_client(emulator)
    seen = [record["id"] for record in client.paginate("/api/v2/customobjects/items/records", page_size=50)]
    assert seen == ids
    assert len(emulator.module_requests(method="GET")) == 3


def test_check_mode_client_refuses_writes_before_sending(emulator):
    client = make_client(emulator, read_only=True)
    with pytest.raises(GenesysCloudError):
        client.create(SCHEMAS, {"name": "x", "fields": []})
    assert emulator.module_requests() == []
