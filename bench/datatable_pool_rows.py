#!/usr/bin/env python3
"""Data-table rows for ``bench/pool_bench.py`` (pools of tokens): 5,000 rows (a table's limit), first load and no-op.

The parent side makes the table and the rows file; each measured run is a child process (``--child``)
running ``genesys.cloud.datatable_rows``' own ``run()`` with the shared client, a pool of
``--token-pool-size`` tokens and ``concurrency: 8`` (the module's default) per token. The child prints
its figures as one JSON line, as ``records_bench.py``'s child does.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import records_bench as rb  # bench/records_bench.py: the emulator, its control API, the bench's client

TABLE = "benchStores"
ROWS = 5000
CONCURRENCY = 8
PROPERTIES = {"key": {"type": "string", "title": "Key"}, "city": {"type": "string", "maxLength": 40},
              "size": {"type": "integer"}, "ratio": {"type": "number"}, "open": {"type": "boolean"}}


def write_rows(path, count=ROWS):
    """The bench's rows as ``.jsonl``: every property set, so a second run finds nothing to change."""
    with open(path, "w") as handle:
        for n in range(count):
            handle.write(json.dumps({"key": "store-%05d" % n, "city": "City %d" % (n % 97), "size": n,
                                     "ratio": n / 4.0 + 0.25, "open": n % 3 == 0}) + "\n")


def fresh_table(url):
    """An org with one empty data table (the emulator reset first: new tokens, fresh windows)."""
    import requests
    rb.control(url, "POST", "/reset", {})
    token = requests.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(rb.CLIENT_ID, rb.CLIENT_SECRET), timeout=30).json()["access_token"]
    schema = {"required": ["key"], "additionalProperties": False, "properties": PROPERTIES}
    requests.post(url + "/api/v2/flows/datatables", json={"name": TABLE, "schema": schema},
                  headers={"Authorization": "Bearer " + token}, timeout=30).raise_for_status()


def measure(url, src, token_pool_size):
    """One run in a child process; its figures (``seconds``, ``metrics``, ``written``, CPU, memory)."""
    command = [sys.executable, os.path.abspath(__file__), "--child", "--url", url, "--src", src,
               "--token-pool-size", str(token_pool_size)]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit("data-table benchmark child failed:\n%s" % out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(args):
    sys.path.insert(0, rb.COLLECTIONS)
    from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
    from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
    from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.task import client_options, run

    params = dict(datatable=TABLE, rows=None, src=args.src, purge=False, max_rows=ROWS, concurrency=CONCURRENCY,
                  max_problems=100, token_pool_size=args.token_pool_size)
    client = GenesysCloudClient(api_url=args.url, client_id=rb.CLIENT_ID, client_secret=rb.CLIENT_SECRET,
                                max_retry_seconds=600, token_pool_size=args.token_pool_size, **client_options(params))
    started = time.monotonic()
    result = run(rb.BenchModule(params), client, AuditTrail(client))
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps(dict(seconds=seconds, written=result["created"] + result["updated"] + result["deleted"],
                          metrics=client.metrics.as_dict(), cpu_seconds=usage.ru_utime + usage.ru_stime,
                          peak_mb=usage.ru_maxrss / 1024.0, helper_mb=0.0, helper=False)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", action="store_true", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--src", required=True)
    parser.add_argument("--token-pool-size", type=int, default=1)
    sys.exit(child(parser.parse_args()))
