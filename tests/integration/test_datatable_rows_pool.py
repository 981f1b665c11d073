"""genesys.cloud.datatable_rows with a pool of tokens (issue 29): its row writes sized and spread by the pool.

The emulator's window is shortened (``rate_window``, ``rate_reset_step``), so a load that needs several
windows of every token runs in a few seconds.
"""
import threading

from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.options import client_options
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.task import run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import execute

DATATABLES = "/api/v2/flows/datatables"
ROWS = 120


class RowsModule:
    """What the task's ``run`` needs of an AnsibleModule."""

    check_mode = False
    _diff = False

    def __init__(self, **params):
        self.params = dict(rows=None, src=None, purge=False, max_rows=5000, concurrency=8, max_problems=100)
        self.params.update(params)

    def warn(self, message):
        raise AssertionError("unexpected warning: %s" % message)


class InFlight:
    """Counts the client's requests in flight at once (the most seen), as a user sees the run's parallelism."""

    def __init__(self, client):
        self.lock, self.now, self.most = threading.Lock(), 0, 0
        send = client.request

        def counted(*args, **kwargs):
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
            try:
                return send(*args, **kwargs)
            finally:
                with self.lock:
                    self.now -= 1

        client.request = counted


def make_table(emulator):
    schema = {"required": ["key"], "additionalProperties": False,
              "properties": {"key": {"type": "string", "title": "Key"}, "city": {"type": "string"}}}
    return emulator.api("POST", DATATABLES, json={"name": "stores", "schema": schema}, expect=200).json()["id"]


def stored_keys(emulator, table_id):
    keys = []
    for page in (1, 2):
        body = emulator.api("GET", "%s/%s/rows" % (DATATABLES, table_id),
                            params={"pageSize": 100, "pageNumber": page}, expect=200).json()
        keys += [row["key"] for row in body["entities"]]
    return keys


def test_a_load_with_a_pool_of_n_writes_through_n_tokens_with_concurrency_per_token_and_no_429(emulator):
    """Four tokens of 10 requests a window, ``concurrency: 2``: up to 8 writes in flight (2 a token; one token's
    2 before), every token taken and counted in the result's metrics, and the pacer keeps each under its limit."""
    table_id = make_table(emulator)
    emulator.clear_requests()
    emulator.settings(rate_limit=10, rate_window=1, rate_reset_step=0.001, latency_ms=20)
    params = dict(datatable="stores", rows=[{"key": "s%03d" % n, "city": "c%d" % n} for n in range(ROWS)],
                  concurrency=2, token_pool_size=4)
    client = GenesysCloudClient(token_pool_size=4, max_retry_seconds=30, **dict(emulator.connection,
                                                                                **client_options(params)))
    flight = InFlight(client)
    result = execute(RowsModule(**params), run, client)
    assert (result.get("failed"), result["changed"], result["created"]) == (None, True, ROWS)
    assert sorted(stored_keys(emulator, table_id)) == ["s%03d" % n for n in range(ROWS)]
    statuses = [entry["status"] for entry in emulator.module_requests()]
    assert 429 not in statuses and len(statuses) == ROWS + 2  # the tables, one page of rows, a write a row
    metrics = result["metrics"]
    assert metrics["rate_limited"] == 0 and metrics["token_requests"] == 4 == len(emulator.token_requests())
    per_token = [(item["token"], item["rate_limited"]) for item in metrics["tokens"]]
    assert per_token == [(1, 0), (2, 0), (3, 0), (4, 0)]
    assert all(item["requests"] > 0 for item in metrics["tokens"])
    assert sum(item["requests"] for item in metrics["tokens"]) == ROWS + 2
    assert 2 < flight.most <= 8  # one token's concurrency would be 2


def test_one_token_keeps_the_concurrency_asked_for(emulator):
    make_table(emulator)
    emulator.settings(latency_ms=20)
    params = dict(datatable="stores", rows=[{"key": "s%03d" % n} for n in range(40)], concurrency=3)
    client = GenesysCloudClient(**dict(emulator.connection, **client_options(params)))
    flight = InFlight(client)
    result = execute(RowsModule(**params), run, client)
    assert result["created"] == 40 and "tokens" not in result["metrics"]
    assert flight.most == 3
    assert client_options(dict(concurrency=8, token_pool_size=8)) == {"pool_size": 34}  # 32 writers at most
