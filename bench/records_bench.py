#!/usr/bin/env python3
"""Benchmark of genesys.cloud.custom_object_records against the emulator at a realistic pace.

The emulator runs as a subprocess with 20 ms of latency per request and the real rate limit
(300 requests a minute per token). Every measured run is a child process that executes the
module's own ``run()`` (module_utils/records_resource.py: the code ``ansible-playbook`` runs, minus
Ansible's wrapper) with
the shared client, reading its records from a ``.jsonl`` file (``src``); the child reports the
client's metrics and its peak memory (``ru_maxrss``).

    python bench/records_bench.py [--sizes 1000,10000,100000] [--write docs/benchmark.md]
"""
import argparse
import csv
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import processes  # noqa: E402  (scripts/processes.py)
from collection_link import ensure_link  # noqa: E402  (scripts/collection_link.py)
from report_section import write_section  # noqa: E402  (bench/report_section.py)

COLLECTIONS = os.path.join(REPO, "build", "collections")
CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
SCHEMA = "benchAccounts"
FIELDS = [{"name": "accountNumber", "type": "string", "unique": True, "required": True},
          {"name": "customerName", "type": "string", "maxLength": 100},
          {"name": "status", "type": "string", "options": ["active", "closed"]},
          {"name": "balance", "type": "number"}, {"name": "vip", "type": "boolean"},
          {"name": "opened", "type": "date"}]
RATE_LIMIT = 300
CEILING = RATE_LIMIT / 60.0 * 100  # records per second when every request writes 100 records


# -- child: one run of the module code, or of the seed's way -----------------------------------
class BenchModule:
    """The bits of AnsibleModule that ``run()`` uses."""

    def __init__(self, params):
        self.params = params
        self.check_mode = False
        self._diff = False

    def warn(self, message):
        sys.stderr.write("warning: %s\n" % message)

    @staticmethod
    def progress(line):
        """What a controller-side action plugin shows as a display line."""
        sys.stderr.write("progress: %s\n" % line)


def child(args):
    sys.path.insert(0, COLLECTIONS)
    from ansible_collections.genesys.cloud.plugins.module_utils.audit import AuditTrail
    from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
    from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
    from ansible_collections.genesys.cloud.plugins.module_utils.record_query import records_path
    from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import run

    client = GenesysCloudClient(api_url=args.url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                pool_size=args.concurrency + 2, max_retry_seconds=600, token_pool_size=args.token_pool_size)
    started = time.monotonic()
    if args.child == "module":
        params = dict(schema=SCHEMA, records=None, src=args.src, key="accountNumber", state="present", purge=False,
                      conflict_resolution="upsert", batch_size=100, concurrency=args.concurrency, changes_dest=None,
                      max_problems=100)
        try:
            result = run(BenchModule(params), client, AuditTrail(client))
        except GenesysCloudError as exc:  # the interrupted load: report what was written before
            print(json.dumps(dict(failed=str(exc)[:300], metrics=client.metrics.as_dict())))
            return 3
        written = result["created"] + result["updated"]
    else:
        result = {}  # the seed's way: no read, every record sent every time, one batch after the other
        batch, written = [], 0
        with open(args.src) as handle:
            for line in handle:
                record = json.loads(line)
                record["id"] = record["accountNumber"]
                batch.append(record)
                if len(batch) == 100:
                    client.request("POST", records_path(SCHEMA), json={"records": batch}, replay_safe=True)
                    written, batch = written + len(batch), []
        if batch:
            client.request("POST", records_path(SCHEMA), json={"records": batch}, replay_safe=True)
            written += len(batch)
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps(dict(seconds=seconds, written=written, metrics=client.metrics.as_dict(),
                          cpu_seconds=usage.ru_utime + usage.ru_stime,
                          peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                          helper_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
                          helper=bool(args.child == "module" and result.get("stats", {}).get("helper")))))


# -- parent: the emulator, the data, the table ---------------------------------------------------
def start_emulator():
    return processes.start_emulator("--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                                    "--rate-limit", str(RATE_LIMIT), "--latency-ms", "20", stderr=subprocess.DEVNULL)


def control(url, method, path, body=None):
    import requests
    resp = requests.request(method, url + "/_emulator" + path, json=body, timeout=600)
    resp.raise_for_status()
    return resp.json() if resp.content else None


def fresh_org(url):
    import requests
    control(url, "POST", "/reset", {})
    token = requests.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(CLIENT_ID, CLIENT_SECRET), timeout=30).json()["access_token"]
    requests.post(url + "/api/v2/data/flex/schemas", json={"name": SCHEMA, "fields": FIELDS},
                  headers={"Authorization": "Bearer " + token}, timeout=30).raise_for_status()


def write_records(path, count, changed_every=None, with_ids=False):
    """The bench's accounts as .jsonl or .csv (by the file name); ``with_ids`` adds the ids the module derives."""
    record_id_for = None
    if with_ids:
        sys.path.insert(0, COLLECTIONS)
        from ansible_collections.genesys.cloud.plugins.module_utils.records import record_id_for
    names = [field["name"] for field in FIELDS]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle) if path.endswith(".csv") else None
        if writer:
            writer.writerow(names)
        for n in range(count):
            balance = n * 3 + (1 if changed_every and n % changed_every == 0 else 0)
            record = {"accountNumber": "acc-%07d" % n, "customerName": "Customer %d" % n,
                      "status": "active" if n % 7 else "closed", "balance": balance,
                      "vip": n % 5 == 0, "opened": "2024-%02d-%02d" % (n % 12 + 1, n % 28 + 1)}
            if writer:
                writer.writerow([str(record[name]).lower() if name == "vip" else record[name] for name in names])
                continue
            if record_id_for:
                record["id"] = record_id_for(SCHEMA, "accountNumber", record["accountNumber"])
            handle.write(json.dumps(record) + "\n")


def measure(url, mode, src, concurrency=4, may_fail=False, token_pool_size=1):
    command = [sys.executable, os.path.abspath(__file__), "--child", mode, "--url", url, "--src", src,
               "--concurrency", str(concurrency), "--token-pool-size", str(token_pool_size)]
    started = time.monotonic()
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode != 0 and not (may_fail and out.returncode == 3):
        raise SystemExit("benchmark child failed:\n%s" % out.stderr[-3000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.monotonic() - started
    return result


def module_rows(url, count, runs, log):
    """``runs``: (label, source file, records that differ); one row each, every run a fresh child."""
    rows, reads = [], math.ceil(count / 500.0)
    for label, src, writes in runs:
        got = measure(url, "module", src)
        minimum = (reads if label != "first load" else 1) + math.ceil(writes / 100.0)
        rows.append(dict(size=count, run=label, how="module, " + src.rsplit(".", 1)[1], minimum=minimum, **got))
        log(rows[-1])
    return rows


def bench_size(url, count, workdir, log):
    full, changed = os.path.join(workdir, "full-%d.jsonl" % count), os.path.join(workdir, "changed-%d.jsonl" % count)
    full_csv, changed_csv = full[:-len("jsonl")] + "csv", changed[:-len("jsonl")] + "csv"
    for path, every in ((full, None), (changed, 100), (full_csv, None), (changed_csv, 100)):
        write_records(path, count, changed_every=every)
    n_changed = len(range(0, count, 100))
    fresh_org(url)
    rows = module_rows(url, count, [("first load", full, count), ("no-op re-run", full, 0),
                                    ("1 % changed", changed, n_changed), ("no-op re-run", changed_csv, 0),
                                    ("1 % changed", full_csv, n_changed)], log)
    fresh_org(url)
    for label in ("first load", "re-run"):
        got = measure(url, "seed", full)
        rows.append(dict(size=count, run=label, how="seed's way", minimum=math.ceil(count / 100.0), **got))
        log(rows[-1])
    return rows


def bench_seeded(url, count, workdir, log):
    """A large org seeded straight into the emulator (no API load), then no-op and 1 % changed runs."""
    seed = os.path.join(workdir, "seed-%d.jsonl" % count)
    write_records(seed, count, with_ids=True)
    paths = {}
    for name, every in (("full", None), ("changed", 100)):
        for ext in ("jsonl", "csv"):
            paths[name, ext] = os.path.join(workdir, "%s-%d.%s" % (name, count, ext))
            write_records(paths[name, ext], count, changed_every=every)
    fresh_org(url)
    started = time.monotonic()
    control(url, "POST", "/seed", {"schema": SCHEMA, "src": seed})
    sys.stderr.write("seeded %d records in %.0f s\n" % (count, time.monotonic() - started))
    n_changed = len(range(0, count, 100))
    rows = module_rows(url, count, [("no-op (seeded)", paths["full", "jsonl"], 0),
                                    ("1 % changed (seeded)", paths["changed", "jsonl"], n_changed),
                                    ("no-op (seeded)", paths["changed", "csv"], 0),
                                    ("1 % changed (seeded)", paths["full", "csv"], n_changed)], log)
    return rows


def bench_resume(url, count, workdir, log):
    """A first load that breaks after half its batches (every later write answered 500), then the re-run.

    The re-run must write exactly the records the broken load did not: checked against the ids the
    emulator's request log shows for the re-run's writes.
    """
    full = os.path.join(workdir, "resume-%d.jsonl" % count)
    write_records(full, count)
    batches = math.ceil(count / 100.0)
    fresh_org(url)
    control(url, "POST", "/faults", {"method": "POST", "path": "/records$", "after": max(1, batches // 2),
                                     "status": 500, "count": batches})
    broken = measure(url, "module", full, may_fail=True)
    control(url, "DELETE", "/faults")
    control(url, "DELETE", "/requests")
    stored_before = stored_total(url)
    got = measure(url, "module", full)
    sent = [rid for entry in control(url, "GET", "/requests")
            if entry["method"] == "POST" and entry["path"].endswith("/records") for rid in entry["record_ids"]]
    missing = count - stored_before
    exact = len(sent) == len(set(sent)) == missing and stored_total(url) == count
    sys.stderr.write("interrupted load: %s\n" % broken.get("failed", "")[:200])
    row = dict(size=count, run="re-run after a load broken at %s stored (%s)" % (
        "{:,}".format(stored_before), "wrote exactly the missing" if exact else "NOT exactly the missing"),
        how="module, jsonl", minimum=math.ceil(stored_before / 500.0) + math.ceil(missing / 100.0), **got)
    log(row)
    if not exact:
        raise SystemExit("the re-run did not write exactly the missing records: %d sent, %d missing"
                         % (len(sent), missing))
    return [row]


def stored_total(url):
    import requests
    token = requests.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(CLIENT_ID, CLIENT_SECRET), timeout=30).json()["access_token"]
    sys.path.insert(0, COLLECTIONS)
    from ansible_collections.genesys.cloud.plugins.module_utils.record_query import records_path
    return requests.get(url + records_path(SCHEMA) + "?pageSize=1", timeout=30,
                        headers={"Authorization": "Bearer " + token}).json()["total"]


def log_row(row):
    sys.stderr.write("%s %s %s: %d requests, %.1f s, %.0f MB\n" % (
        row["size"], row["run"], row["how"], row["metrics"]["requests"], row["seconds"], total_mb(row)))


def total_mb(row):
    """The run's peak memory: the module's process plus, when it ran, the helper that read the source."""
    return row["peak_mb"] + (row.get("helper_mb", 0) if row.get("helper") else 0)


def memory_text(row):
    if not row.get("helper"):
        return "%.0f MB" % row["peak_mb"]
    return "%.0f MB (%.0f + %.0f helper)" % (total_mb(row), row["peak_mb"], row["helper_mb"])


def table(rows):
    lines = ["| records | run | how | requests (minimum) | 429s retried | writes | wall time | records/s written "
             "(ceiling %d) | peak memory |" % CEILING, "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        metrics = row["metrics"]
        rate = row["written"] / row["seconds"] if row["written"] else 0
        lines.append("| %s | %s | %s | %d (%d) | %d | %d | %.1f s | %s | %s |" % (
            "{:,}".format(row["size"]), row["run"], row["how"], metrics["requests"], row["minimum"],
            metrics["rate_limited"], row["written"], row["seconds"],
            "%.0f (%.0f %%)" % (rate, 100.0 * rate / CEILING) if rate else "-", memory_text(row)))
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="sizes loaded through the API")
    parser.add_argument("--seeded-sizes", default="1000000", help="sizes seeded straight into the emulator")
    parser.add_argument("--resume-size", type=int, default=100000, help="size of the interrupted load (0: none)")
    parser.add_argument("--write", help="write the Markdown report to this file")
    parser.add_argument("--child", choices=["module", "seed"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--token-pool-size", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    ensure_link(COLLECTIONS)
    proc, url = start_emulator()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="records-bench-") as workdir:
            for size in [int(s) for s in args.sizes.split(",") if s]:
                rows += bench_size(url, size, workdir, log_row)
            if args.resume_size:
                rows += bench_resume(url, args.resume_size, workdir, log_row)
            for size in [int(s) for s in args.seeded_sizes.split(",") if s]:
                rows += bench_seeded(url, size, workdir, log_row)
    finally:
        processes.stop(proc)
    section = render_report(rows, time.strftime("%Y-%m-%d"), "%s (API), %s (seeded), interrupted load %s" % (
        args.sizes, args.seeded_sizes or "none", args.resume_size or "none"))
    print(table(rows))
    if args.write:
        write_section(args.write, SECTION, section)


SECTION = "records-bench"


def render_report(rows, when, sizes):
    """The Markdown section. Built by plain concatenation: prose may hold any character (100 %, {, $)."""
    return "\n".join([
        "## custom_object_records",
        "",
        "Written by `make bench` (`bench/records_bench.py --write docs/benchmark.md`) on " + when + ", sizes "
        + sizes + ".",
        "",
        HOW_IT_RUNS.strip("\n"),
        "",
        table(rows),
        "",
        goals(rows),
        "",
    ])


def goals(rows):
    """The figures issue 12 set, checked against this run's rows (a goal without rows is left out)."""
    def pick(size, run, module=True):
        return [row for row in rows if row["size"] == size and row["run"].startswith(run)
                and row["how"].startswith("module") == module]

    lines = ["Goals (issue 12), checked on this run:", "", "| goal | measured | met |", "| --- | --- | --- |"]

    def add(goal, chosen, measure, limit, higher_is_better=False):
        if chosen:
            values = [measure(row) for row in chosen]
            worst = min(values) if higher_is_better else max(values)
            met = worst >= limit if higher_is_better else worst <= limit
            lines.append("| %s | %s | %s |" % (goal, ", ".join(
                "%s %s" % (row["how"].split(", ")[-1], fmt) for row, fmt in zip(chosen, (
                    "%.1f" % value for value in values))), "yes" if met else "**no**"))

    for size, limit in ((1000000, 250), (100000, 150)):
        add("peak memory at %s records, no-op and 1 %% changed (MB, at most %d)" % ("{:,}".format(size), limit),
            [row for row in pick(size, "no-op") + pick(size, "1 %")], total_mb, limit)
    add("no-op of 100,000 records (s, at most 3)", pick(100000, "no-op"), lambda row: row["seconds"], 3.0)
    for row in pick(100000, "first load"):
        share = 100.0 * row["written"] / row["seconds"] / CEILING
        lines.append("| first load of 100,000 records (%% of the ceiling, at least 95, no 429 retried) | %s %.1f, "
                     "%d 429s | %s |" % (row["how"].split(", ")[-1], share, row["metrics"]["rate_limited"],
                                         "yes" if share >= 95 and not row["metrics"]["rate_limited"] else "**no**"))
    exact = [row for row in rows if row["run"].startswith("re-run after a load broken")]
    if exact:
        lines.append("| re-run of an interrupted load writes exactly the missing records | %s | %s |" % (
            exact[0]["run"].split("(")[-1].rstrip(")"), "yes" if "NOT" not in exact[0]["run"] else "**no**"))
    return "\n".join(lines)


HOW_IT_RUNS = """
How it runs:

- The emulator runs as a separate process with 20 ms of latency per request and the real rate limit of
  300 requests a minute per token.
- Each run is a child process executing the module's own `run()` from
  `plugins/module_utils/records_resource.py` with the shared client (the code `ansible-playbook` runs,
  without Ansible's process wrapper), `key: accountNumber` (a unique field), `src` a `.jsonl` or a `.csv`
  file (*how*), `batch_size: 100`, `concurrency: 4` (for the page reads as for the writes). Peak memory is
  the child's `ru_maxrss` (the whole Python process, imports included: about 40 MB with nothing loaded)
  plus, where a helper process read the source on the other core while the pages came in (a `src` of
  2 MiB or more; see `plugins/module_utils/records_helper.py`), the helper's `ru_maxrss`: an upper bound,
  since Linux counts in it the memory of the process that started the helper until the helper became a
  new Python (the helper alone peaks at about 20 MB).
- Sizes loaded through the API run a first load, a no-op re-run and a 1 % changed run from `.jsonl`, then a
  no-op and a 1 % changed run from `.csv`. The *seeded* sizes start from an org whose records were loaded
  straight into the emulator (`POST /_emulator/seed`, validated like API batches), then run the same
  no-op and 1 % changed runs.
- *Re-run after a load broken at ...*: a first load whose writes all fail (HTTP 500, not retried) after
  half of its batches, so the run stops with part of the records stored; the row is the re-run with the
  same input, and says whether the ids its write requests named (from the emulator's request log) are
  exactly the records that were missing. The bench fails if they are not.
- Each child gets its own token, so each run starts with a fresh rate-limit window, as separate
  `ansible-playbook` runs would.
- *Minimum* is `ceil(N/500)` reads + `ceil(changed/100)` writes (a first load into an empty org needs one
  read to learn it is empty). Every module run also makes one schema lookup, counted in *requests*.
- *The seed's way* is the tutorial's algorithm (no read, every record sent every time, one batch after the
  other) over the same client, so it gets the same retries and pacing.
- *records/s written* is written records over wall time; the ceiling is 300 requests a minute times
  100 records a request = 500 records/s. Below about 30,000 changed records a run never reaches the rate
  limit, so the 1,000 and 10,000 rows are bound by latency rather than by the limit. A run can pass
  100 % of the ceiling because the window starts empty: the first 300 requests of a fresh token go out
  at once, and only after that does the limit set the pace.
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
