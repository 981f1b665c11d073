#!/usr/bin/env python3
"""`make bench-eda`: how many signed webhook deliveries genesys.cloud.webhook_events accepts and turns into
events per second, and its memory after 100,000 deliveries.

Two set-ups, each a separate process the clients talk to over loopback HTTP:

- ``source``: the event source alone, as ansible-rulebook runs it (its ``main(queue, args)`` in an asyncio
  loop), with a queue that counts and drops events: the cost of the source itself;
- ``rulebook``: the real ansible-rulebook with the source, the not_from_clients filter and one rule that
  matches nothing: every event also goes through ansible-rulebook's filters and the Drools engine.

Signatures are on (a secret is set). Client processes (``--clients``, each one keep-alive connection)
sign every delivery before the clock starts, each delivery has its own id, and each one must be answered
202. Memory is the listener process's resident set (VmRSS) after the last delivery, and its peak (VmHWM);
for ``rulebook`` that process holds the JVM too.
"""
import argparse
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import platform
import runpy
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timezone

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from processes import WatchedProcess, free_port, wait_for_port  # noqa: E402
from report_section import write_section  # noqa: E402

SOURCE = os.path.join(REPO, "extensions", "eda", "plugins", "event_source", "webhook_events.py")
BIN = os.path.dirname(sys.executable)
SECRET = "bench-secret"
SECTION = "eda-bench"


def memory_mb(pid):
    values = {}
    with open("/proc/%d/status" % pid) as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0]) / 1024.0
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


# -- the listener processes -----------------------------------------------------------------

def serve(port, replay_memory):
    """The ``source`` set-up: the plugin's main() with a counting queue (runs in its own process)."""
    import asyncio
    import logging

    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    module = runpy.run_path(SOURCE)

    class CountingQueue:
        count = 0

        async def put(self, event):
            CountingQueue.count += 1

    asyncio.run(module["main"](CountingQueue(), {"port": port, "secret": SECRET, "replay_memory": replay_memory}))


def start_source(port, replay_memory):
    return WatchedProcess([sys.executable, __file__, "--serve", str(port), "--replay-memory", str(replay_memory)])


def start_rulebook(port, replay_memory, workdir):
    rulebook = [{"name": "bench", "hosts": "all", "sources": [{
        "genesys.cloud.webhook_events": {"port": port, "secret": SECRET, "replay_memory": replay_memory},
        "filters": [{"genesys.cloud.not_from_clients": {"client_ids": ["the-automation"]}}]}],
        "rules": [{"name": "never", "condition": 'event.payload.eventType == "never.sent"',
                   "action": {"debug": {"msg": "unexpected"}}},
                  {"name": "done", "condition": 'event.payload.eventType == "bench.done"',
                   "action": {"debug": {"msg": "BENCH-DONE"}}}]}]
    path = os.path.join(workdir, "bench-rulebook.yml")
    with open(path, "w") as handle:
        yaml.safe_dump(rulebook, handle)
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"))
    return WatchedProcess([os.path.join(BIN, "ansible-rulebook"), "-r", path, "-i", "localhost,"], cwd=workdir,
                          env=env)


def send_done(port):
    """One last delivery whose rule prints BENCH-DONE: rules see events in order, so all before it were seen."""
    body = json.dumps({"id": str(uuid.uuid4()), "eventType": "bench.done", "webhookId": "bench-webhook",
                       "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                       "actor": {"type": "client", "id": "someone"}, "data": {}}).encode("utf-8")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/orgs/bench", body=body, headers={
        "Content-Type": "application/json",
        "X-Genesys-Signature": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()})
    status = connection.getresponse().status
    connection.close()
    if status != 202:
        raise SystemExit("the closing delivery got %d" % status)


# -- the clients ----------------------------------------------------------------------------

def signed_deliveries(count):
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    prepared = []
    for index in range(count):
        body = json.dumps({"id": str(uuid.uuid4()), "eventType": "customobjects.records.changed", "timestamp": stamp,
                           "webhookId": "bench-webhook", "actor": {"type": "client", "id": "someone"},
                           "data": {"schemaName": "accounts", "created": ["r%d" % index], "updated": [],
                                    "deleted": []}}).encode("utf-8")
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        prepared.append((body, signature))
    return prepared


def client(port, count, ready, go, results):
    prepared = signed_deliveries(count)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    ready.release()
    go.wait()
    statuses = {}
    for body, signature in prepared:
        connection.request("POST", "/orgs/bench", body=body, headers={
            "Content-Type": "application/json", "X-Genesys-Signature": signature})
        response = connection.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    results.put(statuses)


def measure(setup, deliveries, clients, replay_memory):
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="eda-bench-")
    load_before = os.getloadavg()[0]
    if setup == "source":
        listener = start_source(port, replay_memory)
    else:
        listener = start_rulebook(port, replay_memory, workdir)
    pid = listener.pid
    try:
        if not wait_for_port(port, listener.process, timeout=120):
            if listener.process.poll() is not None:
                raise SystemExit("the listener exited: %s" % listener.output()[-2000:])
            raise SystemExit("the listener did not open port %d" % port)
        time.sleep(1.0 if setup == "source" else 5.0)  # let the rule engine finish starting
        rss_idle, _ = memory_mb(pid)
        ready, go, results = multiprocessing.Semaphore(0), multiprocessing.Event(), multiprocessing.Queue()
        shares = [deliveries // clients + (1 if i < deliveries % clients else 0) for i in range(clients)]
        workers = [multiprocessing.Process(target=client, args=(port, share, ready, go, results)) for share in shares]
        for worker in workers:
            worker.start()
        for _ in workers:
            ready.acquire()
        started = time.monotonic()
        go.set()
        statuses = {}
        for _ in workers:
            for status, number in results.get().items():
                statuses[status] = statuses.get(status, 0) + number
        elapsed = time.monotonic() - started
        for worker in workers:
            worker.join()
        through_rules = None
        if setup == "rulebook":
            send_done(port)
            try:
                listener.wait_for("BENCH-DONE", timeout=600)
            except AssertionError:
                raise SystemExit("the rules engine did not reach the closing delivery")
            through_rules = time.monotonic() - started
        rss, peak = memory_mb(pid)
    finally:
        listener.stop(timeout=20)
    row = {"setup": setup, "deliveries": deliveries, "clients": clients, "accepted": statuses.get(202, 0),
           "other": dict((k, v) for k, v in statuses.items() if k != 202), "seconds": elapsed,
           "per_second": statuses.get(202, 0) / elapsed,
           "rules_per_second": (statuses.get(202, 0) + 1) / through_rules if through_rules else None, "rss_idle": rss_idle, "rss": rss, "peak": peak,
           "replay_memory": replay_memory, "load_before": load_before, "load_after": os.getloadavg()[0]}
    print(json.dumps(row), flush=True)
    if row["accepted"] != deliveries:
        raise SystemExit("only %d of %d deliveries were accepted: %s" % (row["accepted"], deliveries, row["other"]))
    return row


def report(rows):
    lines = [
        "## Event-Driven Ansible: genesys.cloud.webhook_events",
        "",
        "Written by `make bench-eda` (`bench/eda_bench.py`) on %s, %s, %d cores, Python %s. Client processes "
        "sign every delivery before the clock starts and send them over one keep-alive loopback connection "
        "each; every delivery has its own id and must be answered 202 (accepted and turned into an event); "
        "signatures are on. `source` is the plugin's `main()` with a queue that drops events (the source's own "
        "cost); `rulebook` is the real ansible-rulebook 1.3.2 with the not_from_clients filter and one rule "
        "(every event also passes ansible-rulebook's filters and the Drools engine). `accepted/s` counts 202 "
        "answers (the event is on ansible-rulebook's queue); `through the rules/s` is measured to the firing of a "
        "rule on one more delivery sent after the last one (rules see events in order). Memory is the listener "
        "process's resident set before the first and after the last delivery (and its peak); the "
        "`rulebook` process holds the JVM too. The clients share the 2 cores with the listener; load average "
        "(1 min) is given before and after each run."
        % (date.today().isoformat(), platform.machine(), os.cpu_count() or 0, platform.python_version()),
        "",
        "| set-up | deliveries | clients | accepted | wall time | accepted/s | through the rules/s | RSS idle "
        "| RSS after | peak RSS | replay memory | load before / after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        rules = "%.0f" % row["rules_per_second"] if row["rules_per_second"] else "-"
        lines.append("| %s | %d | %d | %d | %.1f s | %.0f | %s | %.0f MB | %.0f MB | %.0f MB | %d ids | %.1f / %.1f |" % (
            row["setup"], row["deliveries"], row["clients"], row["accepted"], row["seconds"], row["per_second"], rules,
            row["rss_idle"], row["rss"], row["peak"], row["replay_memory"], row["load_before"], row["load_after"]))
    lines += ["", "The replay memory holds at most `replay_memory` ids (default 20,000; each id is kept until its "
              "timestamp leaves the 5-minute window), so memory stops growing once it is full; the "
              "`replay memory` column says what each run used. " + "On a shared machine the rates fall with the CPU share the processes get: read the load columns and compare rows of one table."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliveries", type=int, default=100000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--setups", default="source,rulebook")
    parser.add_argument("--replay-memory", type=int, default=20000)
    parser.add_argument("--write", help="write the section into this Markdown file (docs/benchmark.md)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.replay_memory)
        return 0
    rows = []
    for setup in args.setups.split(","):
        rows.append(measure(setup.strip(), args.deliveries, args.clients, args.replay_memory))
    section = report(rows)
    print(section)
    if args.write:
        write_section(args.write, SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
