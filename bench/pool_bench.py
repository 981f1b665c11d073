#!/usr/bin/env python3
"""``make bench-pool``: the big runs at the real rate limit with pools of 1, 4 and 8 tokens (``token_pool_size``).

One emulator (a separate process, 20 ms of latency per request, 300 requests a minute per token, as
the records benchmark) serves every row:

- records: a first load of 100,000 records into an empty schema, then, on 1,000,000 records seeded
  straight into the emulator, a no-op run and a 1 % changed run; each run is a child process running
  the module's own ``run()`` (``records_bench.py --child``) with ``concurrency: 4`` per token;
- org: the first apply of a generated org of 200 schemas (50 records each, a relationship to the
  previous schema, 10 webhooks) with ``ansible-playbook playbooks/configure_org.yml``
  (``org_bench.py``), the pool set by ``GENESYSCLOUD_TOKEN_POOL_SIZE``;
- datatable: 5,000 data-table rows (one request a row), a first load into an empty table, then a no-op
  run, each a child process running ``datatable_rows``' own ``run()`` (``datatable_pool_rows.py``) with
  ``concurrency: 8`` per token.

Each run starts with new tokens (a new client, or a new ``ansible-playbook`` run), so with fresh
windows. Rows are printed as they come and kept in ``--log`` (JSON lines), so a long suite that is
stopped keeps what it measured.

    python bench/pool_bench.py [--pools 8,4,1] [--parts org,first-load,seeded,datatable] [--log FILE]
                               [--write docs/benchmark.md]
    python bench/pool_bench.py --parts datatable --pools 8,4,1 --log FILE   # the data-table rows only
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datatable_pool_rows as datatable_bench  # noqa: E402  (bench/datatable_pool_rows.py)
import org_bench  # noqa: E402  (bench/org_bench.py)
import records_bench as rb  # noqa: E402  (bench/records_bench.py)
from generate_org import generate_org  # noqa: E402
from report_section import write_section  # noqa: E402

SECTION = "pool-bench"
SEEDED = 1000000
FIRST_LOAD = 100000
SCHEMAS = 200
# Issue 29's targets for a pool of 8 at the real limit (seconds, MB).
TARGETS = {"no-op": 60.0, "first load": 30.0, "rows first load": 180.0}
MEMORY_LIMIT_MB = 250.0


EMULATOR = {}  # "pid": the emulator process, whose CPU seconds each row reports


def emulator_cpu():
    """User and system CPU seconds the emulator process has used so far (Linux), or None."""
    try:
        with open("/proc/%d/stat" % EMULATOR["pid"]) as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (KeyError, OSError, ValueError, IndexError):
        return None


def measured(url, src, pool):
    """One records run (``records_bench.measure``) with the emulator's CPU seconds during it."""
    before = emulator_cpu()
    got = rb.measure(url, "module", src, token_pool_size=pool)
    after = emulator_cpu()
    got["emulator_cpu"] = after - before if before is not None and after is not None else None
    return got


def record_row(pool, size, run_name, got, minimum):
    metrics = got["metrics"]
    return dict(part="records", pool=pool, size=size, run=run_name, seconds=got["seconds"], requests=metrics["requests"],
                minimum=minimum, rate_limited=metrics["rate_limited"], tokens=metrics["token_requests"],
                written=got["written"], peak_mb=rb.total_mb(got), cpu_seconds=got.get("cpu_seconds"),
                emulator_cpu=got.get("emulator_cpu"), load=os.getloadavg()[0])


def bench_first_load(url, pools, workdir, log):
    src = os.path.join(workdir, "first-%d.jsonl" % FIRST_LOAD)
    rb.write_records(src, FIRST_LOAD)
    for pool in pools:
        rb.fresh_org(url)
        got = measured(url, src, pool)
        log(record_row(pool, FIRST_LOAD, "first load", got, 1 + math.ceil(FIRST_LOAD / 100.0)))


def bench_seeded(url, pools, workdir, log):
    seed = os.path.join(workdir, "seed-%d.jsonl" % SEEDED)
    rb.write_records(seed, SEEDED, with_ids=True)
    full, changed = os.path.join(workdir, "full.jsonl"), os.path.join(workdir, "changed.jsonl")
    rb.write_records(full, SEEDED)
    rb.write_records(changed, SEEDED, changed_every=100)
    rb.fresh_org(url)
    started = time.monotonic()
    rb.control(url, "POST", "/seed", {"schema": rb.SCHEMA, "src": seed})
    sys.stderr.write("seeded %d records in %.0f s\n" % (SEEDED, time.monotonic() - started))
    os.remove(seed)
    stored, other = full, changed  # what the org holds now, and the file that differs from it in 1 %
    reads, n_changed = math.ceil(SEEDED / 500.0), len(range(0, SEEDED, 100))
    for pool in pools:
        got = measured(url, stored, pool)
        log(record_row(pool, SEEDED, "no-op (seeded)", got, reads))
        got = measured(url, other, pool)
        log(record_row(pool, SEEDED, "1 % changed (seeded)", got, reads + math.ceil(n_changed / 100.0)))
        stored, other = other, stored


def bench_datatable(url, pools, workdir, log):
    """5,000 rows into an empty table, then the same rows again (a no-op), for each pool."""
    src = os.path.join(workdir, "rows-%d.jsonl" % datatable_bench.ROWS)
    datatable_bench.write_rows(src)
    rows = datatable_bench.ROWS
    floors = {"first load": 1 + 1 + rows, "no-op": 1 + math.ceil(rows / 100.0)}  # the tables, the row pages, writes
    for pool in pools:
        datatable_bench.fresh_table(url)
        for run_name in ("first load", "no-op"):
            before = emulator_cpu()
            got = datatable_bench.measure(url, src, pool)
            after = emulator_cpu()
            got["emulator_cpu"] = after - before if before is not None and after is not None else None
            metrics = got["metrics"]
            log(dict(part="datatable", pool=pool, size=rows, run="data-table rows, " + run_name,
                     seconds=got["seconds"], requests=metrics["requests"], minimum=floors[run_name],
                     rate_limited=metrics["rate_limited"], tokens=metrics["token_requests"], written=got["written"],
                     peak_mb=got["peak_mb"], cpu_seconds=got["cpu_seconds"], emulator_cpu=got["emulator_cpu"],
                     load=os.getloadavg()[0]))


def bench_org(url, pools, workdir, log):
    org_dir = os.path.join(workdir, "org-%d" % SCHEMAS)
    generate_org(org_dir, schemas=SCHEMAS, records=50, webhooks=10, key="code")
    warm_up = os.path.join(workdir, "warm-up")
    generate_org(warm_up, schemas=2, records=2, webhooks=1, key="code")
    playbook = os.path.join(REPO, "playbooks", "configure_org.yml")
    for pool in [None] + list(pools):  # an unmeasured run first: it compiles the collection's bytecode
        rb.control(url, "POST", "/reset", {})
        rb.control(url, "POST", "/clients", {"client_id": org_bench.CLIENT_ID, "client_secret": org_bench.CLIENT_SECRET})
        os.environ["GENESYSCLOUD_TOKEN_POOL_SIZE"] = str(pool or 1)
        try:
            figures = org_bench.run_playbook(url, playbook, {"genesys_org_dir": org_dir if pool else warm_up})
        finally:
            os.environ.pop("GENESYSCLOUD_TOKEN_POOL_SIZE", None)
        if pool is None:
            continue
        limited = sum(1 for entry in rb.control(url, "GET", "/requests") if entry.get("status") == 429)
        log(dict(part="org", pool=pool, size=SCHEMAS, run="first apply (org run)", seconds=figures["seconds"],
                 requests=figures["requests"], minimum=org_bench.floor("first apply", SCHEMAS, 50, 10),
                 rate_limited=limited, tokens=figures["tokens"], written=None, peak_mb=figures["peak_mb"],
                 load=os.getloadavg()[0]))


def at_the_limit(requests_made, pool):
    """Seconds the requests alone need at 300 a minute per token with ``pool`` tokens (fresh windows)."""
    return 60.0 * ((requests_made - 1) // (rb.RATE_LIMIT * pool))


def cpu_text(row):
    client, emulator = row.get("cpu_seconds"), row.get("emulator_cpu")
    if client is None:
        return "-"
    return "%.0f + %.0f s" % (client, emulator) if emulator is not None else "%.0f s + ?" % client


def table(rows):
    lines = ["| run | records / rows / schemas | tokens in the pool | wall time | requests (minimum) | requests alone at the "
             "limit | 429s retried | logins | peak memory | CPU: client + emulator | load average |",
             "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    order = {"records": 0, "datatable": 1, "org": 2}
    for row in sorted(rows, key=lambda r: (order[r["part"]], -r["size"], r["run"], r["pool"])):
        lines.append("| %s | %s | %d | %.1f s | %d (%d) | %.0f s | %d | %d | %.0f MB | %s | %s |" % (
            row["run"], "{:,}".format(row["size"]), row["pool"], row["seconds"], row["requests"], row["minimum"],
            at_the_limit(row["requests"], row["pool"]), row["rate_limited"], row["tokens"], row["peak_mb"],
            cpu_text(row),
            "%.1f" % row["load"] if row.get("load") is not None else "-"))
    return "\n".join(lines)


def goals(rows):
    def pick(size, run):
        return [row for row in rows if row["pool"] == 8 and row["size"] == size and row["run"].startswith(run)]

    lines = ["| goal (pool of 8, real limit) | measured | met |", "| --- | --- | --- |"]
    for label, size, run, limit in (("1,000,000-record no-op (s, at most 60)", SEEDED, "no-op", TARGETS["no-op"]),
                                    ("100,000-record first load (s, at most 30)", FIRST_LOAD, "first load",
                                     TARGETS["first load"])):
        chosen = pick(size, run)
        if chosen:
            lines.append("| %s | %s | %s |" % (label, ", ".join("%.1f" % row["seconds"] for row in chosen),
                                               "yes" if all(row["seconds"] <= limit for row in chosen) else "no"))
    chosen = [row for row in rows if row["pool"] == 8 and row["run"] == "data-table rows, first load"]
    if chosen:
        lines.append("| 5,000 data-table rows first load (s, at most 180) | %s | %s |" % (
            ", ".join("%.1f" % row["seconds"] for row in chosen),
            "yes" if all(row["seconds"] <= TARGETS["rows first load"] for row in chosen) else "no"))
    chosen = [row for row in rows if row["run"] == "data-table rows, no-op"]
    if chosen:
        lines.append("| 5,000 data-table rows no-op at the request floor (requests, %d) | %s | %s |" % (
            chosen[0]["minimum"], ", ".join("%d" % row["requests"] for row in chosen),
            "yes" if all(row["requests"] == row["minimum"] for row in chosen) else "no"))
    chosen = [row for row in rows if row["pool"] == 8]
    if chosen:
        limited = sum(row["rate_limited"] for row in chosen)
        lines.append("| no 429 retried | %d | %s |" % (limited, "yes" if limited == 0 else "no"))
    big = [row for row in rows if row["size"] == SEEDED]
    if big:
        peak = max(row["peak_mb"] for row in big)
        lines.append("| memory at 1,000,000 records (MB, at most 250) | %.0f | %s |" % (
            peak, "yes" if peak <= MEMORY_LIMIT_MB else "no"))
    return "\n".join(lines)


HOW = """
- The emulator runs as a separate process with 20 ms of latency per request and the real limit of 300
  requests a minute per token; every run starts with new tokens (fresh windows).
- *Records* rows run the module's own `run()` in a child process (as `make bench`), `concurrency: 4` per
  token (a pool of N keeps up to 4 x N requests in flight, at most 32), `batch_size: 100`, `src` a `.jsonl`
  file. The 1,000,000 rows start from records seeded straight into the emulator; their no-op and 1 % changed
  runs alternate between two files, so each no-op finds the org as the previous run left it.
- The *org* row is `ansible-playbook playbooks/configure_org.yml` on a generated org of 200 schemas (each
  with 50 records and a relationship to the previous one: 200 levels, one schema each) and 10 webhooks,
  `GENESYSCLOUD_TOKEN_POOL_SIZE` set for the run.
- *Data-table rows* run `datatable_rows`' own `run()` in a child process (`bench/datatable_pool_rows.py`,
  `--parts datatable`): 5,000 rows (a table's limit, five properties) from a `.jsonl` file into an empty
  table, one request a row, `concurrency: 8` per token (8 x N in flight, at most 32); then the same file
  again, a no-op that reads the table list and 50 pages of 100 full rows and writes nothing. On 2026-12-06
  the 1-token rows ran beside the 4- and 8-token ones, each against its own emulator.
- *Requests alone at the limit*: the time the run's requests need in one-minute windows of 300 per token
  with that many tokens, whatever the code does. *Logins*: token requests the emulator saw (a pool takes
  a token only when the ones before it are spent). Peak memory as in the records section (the child, plus
  the helper that read the source when it ran). *CPU*: user and system seconds of the run's process and of
  the emulator during the run (records rows); *load average*: the machine's one-minute load when the row
  ended (a load well above 2 means the run waited for a core, and its wall time says more about the
  machine than about the code).
"""


READING = """
Reading the rows: with one token every big run waits for the limit (its wall time is the *requests alone*
column plus the last window's tail); the pacer waits for each reset the answers announce (whole seconds),
so it sends nothing the window has no room for and no row retried a 429. With 4 tokens the 1,000,000-record
runs still need a second window; with 8 they need none and are bound by the controller's CPU (the client's
CPU seconds are most of the wall time at a load near 2 to 4) and by the latency of each request. The 200
schemas form a chain of 200 levels, written one after the other: a pool helps only by removing the wait for
the second window, and two tokens are enough for its 413 requests. The 5,000 data-table rows are one
request a row, so their first load waits for the limit with any pool: its wall time is the windows its
5,002 requests need (four with 4 tokens, two with 8) plus the last window's tail, and the pool divides it.
Their no-op (51 requests, under one token's window) takes one token and as long with any pool.
"""


def latest(rows):
    """The last row measured for each run and pool (a log may hold a run measured again)."""
    found = {}
    for row in rows:
        found[row["part"], row["pool"], row["size"], row["run"]] = row
    return list(found.values())


def report(rows):
    rows = latest(rows)
    return "\n".join([
        "## Pools of tokens at the real limit",
        "",
        "Written by `make bench-pool` (`bench/pool_bench.py`) on " + time.strftime("%Y-%m-%d") + ", from the rows "
        "of its log (`--log`; a run measured again keeps its last row). 2 cores shared with other jobs: each row "
        "gives the machine's load when it ended.",
        "",
        HOW.strip("\n"),
        "",
        table(rows),
        "",
        READING.strip("\n"),
        "",
        "Issue 29's targets, checked on this run:",
        "",
        goals(rows),
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pools", default="8,4,1", help="pool sizes, in the order they run")
    parser.add_argument("--parts", default="org,first-load,seeded,datatable",
                        help="org, first-load, seeded, datatable (5,000 data-table rows)")
    parser.add_argument("--log", help="append each row to this JSON-lines file as it is measured")
    parser.add_argument("--from-log", help="write the report from this JSON-lines file without measuring")
    parser.add_argument("--write", help="the markdown file whose pool-bench section to replace")
    args = parser.parse_args(argv)
    rows = []
    if args.from_log:
        with open(args.from_log) as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
    else:
        pools = [int(pool) for pool in args.pools.split(",")]

        def log(row):
            rows.append(row)
            sys.stderr.write("pool %d: %s %s: %.1f s, %d requests, %d 429s, %d logins, %.0f MB\n" % (
                row["pool"], "{:,}".format(row["size"]), row["run"], row["seconds"], row["requests"],
                row["rate_limited"], row["tokens"], row["peak_mb"]))
            if args.log:
                with open(args.log, "a") as handle:
                    handle.write(json.dumps(row) + "\n")

        rb.ensure_link(rb.COLLECTIONS)
        process, url = rb.start_emulator()
        EMULATOR["pid"] = process.pid
        try:
            with tempfile.TemporaryDirectory(prefix="pool-bench-") as workdir:
                parts = args.parts.split(",")
                if "org" in parts:
                    bench_org(url, pools, workdir, log)
                if "first-load" in parts:
                    bench_first_load(url, pools, workdir, log)
                if "seeded" in parts:
                    bench_seeded(url, pools, workdir, log)
                if "datatable" in parts:
                    bench_datatable(url, pools, workdir, log)
        finally:
            rb.processes.stop(process)
    section = report(rows)
    if args.write:
        write_section(args.write, SECTION, section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
