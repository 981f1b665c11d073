"""Measure record upsert and paging latency with many stored records (a script, not a test).

    .venv/bin/python emulator/tools/measure_records.py [--records 100000] [--repeat 5]

Runs the emulator's Flask app in-process (Flask test client: no sockets, no rate limit) on a
state loaded with --records records in schema `acc` (two unique fields), then times:
  - upsert of 100 new records into `acc` (unique checks),
  - upsert of 100 updates to `acc` that move unique values between records,
  - upsert of 100 records into `ord`, each with two relationship values pointing at `acc`,
  - GET pages of `acc` (first, middle and last page),
  - bulk remove of 100 `acc` records.
Prints, in seconds, the first run of each (which pays for building indexes lazily) and the median
and max of the other runs.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from genesys_emulator.app import create_app  # noqa: E402
from genesys_emulator.state import State  # noqa: E402

TS = "2024-01-01T00:00:00.000Z"


def _state_doc(count):
    acc = {"id": "acc-schema", "name": "acc", "description": "", "version": 1, "dateCreated": TS, "dateModified": TS,
           "fields": [{"name": "email", "type": "string", "required": False, "unique": True},
                      {"name": "num", "type": "number", "required": False, "unique": True},
                      {"name": "name", "type": "string", "required": True, "unique": False}]}
    ord_ = {"id": "ord-schema", "name": "ord", "description": "", "version": 1, "dateCreated": TS,
            "dateModified": TS,
            "fields": [{"name": "acct", "type": "relationship", "required": False, "unique": False,
                        "relationship": {"schemaId": "acc-schema", "fieldName": "email"}},
                       {"name": "accId", "type": "relationship", "required": False, "unique": False,
                        "relationship": {"schemaId": "acc-schema", "fieldName": "id"}}]}
    records = [{"id": "r%07d" % i, "values": {"email": "u%d@x" % i, "num": i, "name": "N%d" % i},
                "version": 1, "dateCreated": TS, "dateModified": TS} for i in range(count)]
    return {"format": 1, "schemas": [acc, ord_], "records": {"acc-schema": records}}


def _timed(fn):
    start = time.perf_counter()
    response = fn()
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    state = State("cid", "secret", rate_limit=10 ** 9)
    app = create_app(state)
    client = app.test_client()
    start = time.perf_counter()
    state.load(_state_doc(args.records))
    print("loaded %d records in %.2f s" % (args.records, time.perf_counter() - start))
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        headers={"Authorization": "Basic Y2lkOnNlY3JldA=="}).get_json()["access_token"]
    auth = {"Authorization": "Bearer " + token}
    base = "/api/v2/customobjects/%s/records"
    n = args.records
    timings = {}

    def run(label, fn):
        timings.setdefault(label, []).append(_timed(fn))

    for rep in range(args.repeat):
        new = [{"id": "new-%d-%d" % (rep, i), "email": "new%d-%d@x" % (rep, i), "num": -(rep * 1000 + i) - 1,
                "name": "x"} for i in range(100)]
        run("upsert 100 new (acc)", lambda: client.post(base % "acc", json={"records": new}, headers=auth))
        # record r[k] takes r[k+1]'s email while r[k+1] clears it: values move inside one batch
        moved = []
        for i in range(50):
            k = (rep * 100 + 2 * i) % max(n - 1, 1)
            moved.append({"id": "r%07d" % k, "email": "u%d@x" % (k + 1)})
            moved.append({"id": "r%07d" % (k + 1), "email": None})
        run("upsert 100 moving unique values (acc)",
            lambda: client.post(base % "acc", json={"records": moved}, headers=auth))
        refs = [{"id": "o-%d-%d" % (rep, i), "acct": "new%d-%d@x" % (rep, i), "accId": "r%07d" % ((rep * 7 + i) % n)}
                for i in range(100)]
        run("upsert 100 with 2 relationships (ord)",
            lambda: client.post(base % "ord", json={"records": refs}, headers=auth))
        for label, query in (("page 1 (pageSize 25)", "pageSize=25&pageNumber=1"),
                             ("middle page (pageSize 500)", "pageSize=500&pageNumber=%d" % max(n // 1000, 1)),
                             ("last page (pageSize 500)", "pageSize=500&pageNumber=%d" % max((n + 499) // 500, 1))):
            run(label, lambda: client.get(base % "acc" + "?" + query, headers=auth))
        gone = ["r%07d" % (n - 1 - rep * 100 - i) for i in range(100)]
        run("bulk remove 100 (acc)",
            lambda: client.post(base % "acc" + "/bulk/remove", json={"ids": gone}, headers=auth))
    print("%-42s %9s %9s %9s" % ("operation (%d stored records)" % n, "first s", "median s", "max s"))
    for label, values in timings.items():
        rest = values[1:] or values
        print("%-42s %9.4f %9.4f %9.4f" % (label, values[0], statistics.median(rest), max(rest)))


if __name__ == "__main__":
    main()
