#!/usr/bin/env python3
"""A 5,000-row Architect data table through the whole-org run (issue 28 item 6): first load, no-op, 1 % changed.

An org directory of one table (``datatables/bench.yml``, four properties) and its rows
(``datatable_rows/bench.csv``, ``purge: true``) is applied in this process (``run_org``, one client, as the
org action runs it) against the emulator (20 ms latency per request), three times: into an empty org, again
unchanged, then with 1 % of the rows changed. For each run: wall time, API requests by kind (row pages read,
row writes, the rest) from the emulator's request log, and the floor the issue sets (``ceil(rows/100)``
reads + one write per changed row).

The real rate limit (300 requests a minute per token) would make the first load take about 17 minutes; the
runs are measured at a raised limit and the time at the real limit is stated from the request count
(requests / 300 a minute: the pacer's rate, the latency hidden by the parallel writers).

    python bench/datatable_bench.py [--rows 5000] [--rate-limit 6000] [--write docs/benchmark.md]
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, REPO)
COLLECTIONS = os.path.join(REPO, "build", "collections")
CLIENT_ID, CLIENT_SECRET = "bench-table-client", "bench-table-secret"
LATENCY_MS = 20
REAL_LIMIT = 300
SECTION = "datatable-bench"
TABLE = {"name": "bench", "key_title": "Store code", "properties": [
    {"name": "queue", "type": "string", "max_length": 40}, {"name": "open", "type": "boolean", "default": True},
    {"name": "priority", "type": "integer", "default": 5}, {"name": "weight", "type": "number"}]}

import processes  # noqa: E402  (scripts/processes.py)
from collection_link import ensure_link  # noqa: E402  (scripts/collection_link.py)
from report_section import write_section  # noqa: E402


def write_org(root, rows, changed_every=None):
    """The bench directory: the table, its rows as CSV (every ``changed_every``-th row's queue changed)."""
    os.makedirs(os.path.join(root, "datatables"), exist_ok=True)
    os.makedirs(os.path.join(root, "datatable_rows"), exist_ok=True)
    with open(os.path.join(root, "datatables", "bench.yml"), "w") as handle:
        yaml.safe_dump(TABLE, handle, sort_keys=False)
    with open(os.path.join(root, "org.yml"), "w") as handle:
        yaml.safe_dump({"datatable_rows": {"bench": {"purge": True}}}, handle)
    with open(os.path.join(root, "datatable_rows", "bench.csv"), "w") as handle:
        handle.write("key,queue,open,priority,weight\n")
        for number in range(rows):
            queue = "queue-%d" % (number % 37)
            if changed_every and number % changed_every == 0:
                queue += "-changed"
            handle.write("S%05d,%s,%s,%d,%s\n" % (number, queue, "true" if number % 3 else "false", number % 10,
                                                   number / 4.0))


def request_counts(control):
    """``(row pages read, row writes, other api requests)`` in the emulator's log since the last clear."""
    entries = control.requests()
    entries = entries["requests"] if isinstance(entries, dict) else entries
    api = [entry for entry in entries if entry["path"].startswith("/api/v2")]
    pages = sum(1 for entry in api if entry["method"] == "GET" and entry["path"].endswith("/rows"))
    writes = sum(1 for entry in api if entry["method"] in ("POST", "PUT", "DELETE") and "/rows" in entry["path"])
    return pages, writes, len(api) - pages - writes


def run(url, org_dir, check=False):
    from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import validate_arguments
    from ansible_collections.genesys.cloud.plugins.plugin_utils.org_run import ORG_ARGUMENTS, client_for, run_org

    params, _no_log, errors = validate_arguments(ORG_ARGUMENTS, dict(
        api_url=url, auth_url=url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, org_dir=org_dir))
    assert not errors, errors
    started = time.monotonic()
    result = run_org(client_for(params, check), params, check)
    if result.get("failed"):
        raise SystemExit("the org run failed: %s" % result.get("msg"))
    return time.monotonic() - started, result


def measure(url, rows, rate_limit, workdir):
    from tests.support.emulator_control import EmulatorControl

    control = EmulatorControl(url, CLIENT_ID, CLIENT_SECRET)
    org_dir = os.path.join(workdir, "org")
    changed = int(math.ceil(rows / 100.0))
    report = []
    for label, changed_every, expected_writes in (("first load", None, rows), ("no-op", None, 0),
                                                  ("1 % changed", 100, changed)):
        write_org(org_dir, rows, changed_every)
        control.clear_requests()
        seconds, result = run(url, org_dir)
        pages, writes, other = request_counts(control)
        floor_pages = 0 if label == "first load" else int(math.ceil(rows / 100.0))
        report.append(dict(label=label, seconds=seconds, pages=pages, writes=writes, other=other,
                           floor=floor_pages + expected_writes, changed=result["changed"],
                           real_minutes=(pages + writes + other) / float(REAL_LIMIT)))
        print("%-12s %6.1f s  %d row pages, %d row writes, %d other" % (label, seconds, pages, writes, other),
              file=sys.stderr)
    return report


def section(rows, rate_limit, report):
    lines = ["## A %s-row data table (org run)" % "{:,}".format(rows), "",
             "`python bench/datatable_bench.py --rows %d --rate-limit %d`: one table of four properties and its rows "
             "(`datatable_rows/bench.csv`, `purge: true`) applied by the whole-org run in-process, against the emulator "
             "with %d ms latency a request and the rate limit raised to %d a minute. The floor is `ceil(rows/100)` "
             "row pages read (none on a first load: the table is new) + one write per changed row; `other` is the "
             "org, the kinds' lists and the table's own write. The real limit (%d a minute per token) column is "
             "the run's requests at that pace." % (rows, rate_limit, LATENCY_MS, rate_limit, REAL_LIMIT), "",
             "| run | rows read (pages) | row writes | other requests | floor (pages + writes) | at the floor | "
             "measured | at the real limit |",
             "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |"]
    for row in report:
        at_floor = row["pages"] + row["writes"] <= row["floor"]
        lines.append("| %s | %d | %d | %d | %d | %s | %.1f s | %.1f min |" % (
            row["label"], row["pages"], row["writes"], row["other"], row["floor"], "yes" if at_floor else "**no**",
            row["seconds"], row["real_minutes"]))
    lines += ["", "Rows are read in full (`showbrief=false`), 100 a page, pages in parallel; only changed rows are "
              "written, one request each (the service has no batch row write), up to 8 in flight under the pacer."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rate-limit", type=int, default=6000)
    parser.add_argument("--write", help="replace this bench's section of a Markdown file (docs/benchmark.md)")
    args = parser.parse_args()
    ensure_link(COLLECTIONS)
    sys.path.insert(0, COLLECTIONS)
    workdir = tempfile.mkdtemp(prefix="genesys-datatable-bench-")
    process, url = processes.start_emulator("--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                                            "--rate-limit", str(args.rate_limit), "--latency-ms", str(LATENCY_MS),
                                            stderr=subprocess.DEVNULL)
    try:
        report = measure(url, args.rows, args.rate_limit, workdir)
    finally:
        processes.stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    text = section(args.rows, args.rate_limit, report)
    print(text)
    if args.write:
        write_section(args.write, SECTION, text)


if __name__ == "__main__":
    main()
