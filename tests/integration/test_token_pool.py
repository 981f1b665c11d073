"""Pacing at the rate limit and pools of tokens, against the emulator's per-token limiter.

The emulator's window is shortened (``rate_window``) and its reset given in thousandths of a second
(``rate_reset_step``), so a load that crosses several windows takes a fraction of a second and the
race for the last request of a window can be run many times.
"""
import threading

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import DEFAULTS, run
from ansible_collections.genesys.cloud.plugins.plugin_utils import token_store
from ansible_collections.genesys.cloud.plugins.plugin_utils.session import client_for

SCHEMAS = "/api/v2/data/flex/schemas"
RECORDS = 2600


class TaskModule:
    """What ``records_resource.run`` needs of an AnsibleModule."""

    check_mode = False
    _diff = False

    def __init__(self, **params):
        self.params = dict(DEFAULTS, **params)

    def warn(self, message):
        raise AssertionError("unexpected warning: %s" % message)


def pool_client(emulator, size=1, **overrides):
    settings = dict(emulator.connection, token_pool_size=size, max_retry_seconds=30)
    settings.update(overrides)
    return GenesysCloudClient(**settings)


def statuses(emulator):
    return [entry["status"] for entry in emulator.module_requests()]


@pytest.mark.slow
def test_a_2600_record_load_at_25_a_window_never_sees_a_429_in_50_runs(emulator):
    """The issue's load (25 requests a window, four writers) run 50 times: each run writes all 2,600 records
    (26 batches after 6 page reads: two windows), so every run races for the last slot of a window. The
    old pacer let a late answer give back a spent slot and got a 429 in about one run of fifteen here
    (2 of 30 runs, 2 of 15 with a 1 s window), as one of seven at 25 a minute."""
    emulator.create_schema("items", [{"name": "label", "type": "string"}])
    emulator.settings(rate_limit=25, rate_window=0.7, rate_reset_step=0.001)
    limited = []
    for number in range(50):
        client = pool_client(emulator)  # a new token: a new window, as a new ansible-playbook run
        records = [{"id": "item-%04d" % n, "label": "run %d" % number} for n in range(RECORDS)]
        result = run(TaskModule(schema="items", records=records, concurrency=4), client, AuditTrail(client))
        assert result["updated"] + result["created"] == RECORDS
        limited.append(client.metrics.as_dict()["rate_limited"])
    assert limited == [0] * 50
    assert 429 not in statuses(emulator)
    assert emulator.records("items")[0]["label"] == "run 49"


def test_parallel_readers_at_the_limit_never_see_a_429(emulator):
    """Sixteen threads read through one token whose window holds 7 requests: the pacer admits exactly what is left."""
    emulator.settings(rate_limit=7, rate_window=0.25, rate_reset_step=0.001)
    client = pool_client(emulator)
    errors = []

    def reader():
        try:
            for _ in range(6):
                client.get(SCHEMAS)
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses(emulator) == [200] * 96
    assert client.metrics.as_dict()["rate_limited"] == 0


def test_a_pool_of_n_takes_n_tokens_and_spreads_the_requests_over_them(emulator):
    emulator.settings(rate_limit=5, rate_window=30)
    client = pool_client(emulator, size=4)
    for _ in range(16):
        client.get(SCHEMAS)
    assert len(emulator.token_requests()) == 4
    metrics = client.metrics.as_dict()
    assert metrics["token_requests"] == 4 and metrics["rate_limited"] == 0 and metrics["waits"] == 0
    # Each token keeps its reserve of one: four requests each, and the window never filled.
    assert [(item["token"], item["requests"], item["rate_limited"]) for item in metrics["tokens"]] == [
        (1, 4, 0), (2, 4, 0), (3, 4, 0), (4, 4, 0)]
    assert statuses(emulator) == [200] * 16


def test_a_small_task_with_a_pool_takes_one_token(emulator):
    client = pool_client(emulator, size=8)
    for _ in range(3):
        client.get(SCHEMAS)
    assert len(emulator.token_requests()) == 1


def test_a_401_on_one_token_renews_only_that_token(emulator):
    emulator.settings(rate_limit=3, rate_window=1, rate_reset_step=0.001)
    client = pool_client(emulator, size=2)
    for _ in range(4):  # two requests on each token (reserve one)
        client.get(SCHEMAS)
    first, second = client.pool[0].token(), client.pool[1].token()
    # The first token is revoked on the server (as an expired or revoked token would be).
    state = emulator.state()
    del state["tokens"][first]
    emulator.load_state(state)
    emulator.clear_requests()
    emulator.settings(rate_limit=300)
    client.get(SCHEMAS)  # goes to token 1 (lowest-numbered with budget): 401, renewed, sent again
    assert [entry["status"] for entry in emulator.module_requests()] == [401, 200]
    assert len(emulator.token_requests()) == 1
    assert client.pool[0].token() != first and client.pool[1].token() == second
    tokens = client.metrics.as_dict()["tokens"]
    assert [item["reauthentications"] for item in tokens] == [1, 0]


def test_the_tasks_and_lookups_of_a_run_share_the_pool_logging_in_once_per_token(emulator, monkeypatch):
    monkeypatch.setattr(token_store, "STORE", token_store.SharedTokenStore())
    emulator.settings(rate_limit=3, rate_window=30)
    options = dict(emulator.connection, token_pool_size=3)
    first = client_for(options)
    for _ in range(6):  # two requests on each of three tokens
        first.get(SCHEMAS)
    assert len(emulator.token_requests()) == 3
    emulator.settings(rate_limit=300)
    for _ in range(3):  # later tasks and lookups of the run: the same three tokens, no login
        later = client_for(options, check_mode=True)
        later.get(SCHEMAS)
    assert len(emulator.token_requests()) == 3


def test_the_pool_size_comes_from_the_environment_and_is_checked(emulator, monkeypatch):
    from ansible_collections.genesys.cloud.plugins.plugin_utils.session import lookup_client

    monkeypatch.setenv("GENESYSCLOUD_TOKEN_POOL_SIZE", "6")
    assert lookup_client(emulator.connection).token_pool_size == 6
    monkeypatch.setenv("GENESYSCLOUD_TOKEN_POOL_SIZE", "21")
    with pytest.raises(ConfigurationError) as caught:
        lookup_client(emulator.connection)
    assert "token_pool_size must be a whole number of tokens from 1 to 20" in str(caught.value)
    assert "GENESYSCLOUD_TOKEN_POOL_SIZE" in str(caught.value)


@pytest.mark.matrix
def test_a_playbook_with_a_pool_logs_in_once_per_token_and_its_lookups_take_none(emulator, playbook):
    emulator.create_schema("items", [{"name": "label", "type": "string"}])
    emulator.settings(rate_limit=3)  # two requests a token (one is kept in reserve)
    tasks = [
        {"name": "load", "genesys.cloud.custom_object_records": {
            "schema": "items", "records": [{"id": "i%03d" % n, "label": "x"} for n in range(250)]}},
        {"name": "look", "ansible.builtin.set_fact": {
            "found": "{{ lookup('genesys.cloud.flex_schema', 'items') }}"}},
    ]
    run = playbook(tasks, env={"GENESYSCLOUD_TOKEN_POOL_SIZE": "3"})
    assert run.rc == 0, run
    load = run.task("load")
    assert load["created"] == 250
    # One schema lookup, one page read and three writes: two requests on each of the first two tokens, one on the third.
    assert [(item["token"], item["requests"]) for item in load["metrics"]["tokens"]] == [(1, 2), (2, 2), (3, 1)]
    assert run.task("look")["ansible_facts"]["found"]["name"] == "items"
    assert len(emulator.token_requests()) == 3  # the lookup used the run's first token: no login
    assert 429 not in [entry["status"] for entry in emulator.module_requests()]


def test_the_trace_names_the_token_of_the_pool_by_its_number_only(emulator):
    from ansible_collections.genesys.cloud.plugins.module_utils.trace import TraceCollector

    emulator.settings(rate_limit=3, rate_window=30)
    client = pool_client(emulator, size=2)
    client.trace = collector = TraceCollector()
    for _ in range(3):
        client.get(SCHEMAS)
    lines = collector.result()  # the two logins are traced too, without a token number
    assert [line.rsplit(", ", 1)[1] for line in lines if "/api/v2/" in line] == [
        "token 1 of the pool", "token 1 of the pool", "token 2 of the pool"]
    for token in (client.pool[0].token(), client.pool[1].token()):
        assert not any(token in line for line in lines)


def test_parallel_work_is_sized_by_the_pool_but_one_at_a_time_stays_so(emulator):
    assert [pool_client(emulator, size=size).workers_for(4) for size in (1, 4, 8, 20)] == [4, 16, 32, 32]
    assert pool_client(emulator, size=8).workers_for(1) == 1
    assert pool_client(emulator, size=8, client_id=None, client_secret=None,
                       access_token="fixed").token_pool_size == 1  # one fixed token: no pool
