#!/usr/bin/env python3
"""``make bench-org``: what a whole org run costs, through the org role and through the resource roles.

Generated orgs of N schemas (each with R records and a relationship to the previous schema by a
unique ``code``, ``org.yml`` naming ``key: code``) and W webhooks are previewed (``--check --diff``),
applied to an empty org, then applied again (no-op), with ``ansible-playbook`` against the emulator
(20 ms latency per request). Without ``--sizes`` the whole suite runs: 5, 30 and 200 schemas with the
rate limit off (both paths), 5 and 200 schemas at the real limit (300 requests a minute per token;
the org path, with the time the requests alone need at that limit), and 1,000 schemas of 20 records
(the org path). Two paths:

- ``org``: ``playbooks/preview_org.yml`` / ``configure_org.yml`` on the generated org directory;
- ``per-object``: the same objects through the resource roles (``flex_schemas``,
  ``custom_object_data``, ``webhooks``), one task item per object.

For each: wall time of ``ansible-playbook``, API requests and OAuth tokens (from the emulator's
request log) and peak memory (the largest process of the run, ``ru_maxrss`` of the children).

    python bench/org_bench.py [--sizes 5,30,200 [--records 50] [--rate-limit 300] [--paths org]]
                              [--webhooks 10] [--write docs/benchmark.md]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.join(REPO, "scripts"))
COLLECTIONS = os.path.join(REPO, "build", "collections")
BIN = os.path.dirname(sys.executable)
CLIENT_ID, CLIENT_SECRET = "bench-org-client", "bench-org-secret"
LATENCY_MS = 20
SECTION = "org-bench"
NO_LIMIT = 100000
REAL_LIMIT = 300
# (schemas, records per schema, rate limit per minute, paths): what `make bench-org` measures.
SUITE = [(5, 50, NO_LIMIT, ("org", "per-object")), (30, 50, NO_LIMIT, ("org", "per-object")),
         (200, 50, NO_LIMIT, ("org", "per-object")), (5, 50, REAL_LIMIT, ("org",)), (200, 50, REAL_LIMIT, ("org",)),
         (1000, 20, NO_LIMIT, ("org",))]

import processes  # noqa: E402  (scripts/processes.py)
from collection_link import ensure_link  # noqa: E402  (scripts/collection_link.py)
from generate_org import generate_org  # noqa: E402  (bench/generate_org.py)
from report_section import write_section  # noqa: E402

PER_OBJECT_PLAYBOOK = [{
    "name": "The generated org through the resource roles, one task item per object",
    "hosts": "localhost",
    "gather_facts": False,
    "tasks": [
        {"name": "Schemas", "ansible.builtin.include_role": {"name": "genesys.cloud.flex_schemas"},
         "vars": {"genesys_flex_schemas": "{{ lookup('ansible.builtin.file', bench_dir + '/roles/schemas.json') | from_json }}"}},
        {"name": "Records", "ansible.builtin.include_role": {"name": "genesys.cloud.custom_object_data"},
         "vars": {"genesys_custom_object_data": "{{ lookup('ansible.builtin.file', bench_dir + '/roles/records.json') | from_json }}",
                  "custom_object_data_continue_on_error": "{{ ansible_check_mode }}"}},
        {"name": "Webhooks", "ansible.builtin.include_role": {"name": "genesys.cloud.webhooks"},
         "vars": {"genesys_webhooks": "{{ lookup('ansible.builtin.file', bench_dir + '/roles/webhooks.json') | from_json }}"}},
    ],
}]


def start_emulator():
    return processes.start_emulator("--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--rate-limit",
                                    str(NO_LIMIT), "--latency-ms", str(LATENCY_MS), stderr=subprocess.DEVNULL)


def control(url, method, path, body=None):
    import requests
    answer = requests.request(method, url + "/_emulator" + path, json=body, timeout=600)
    answer.raise_for_status()
    return answer.json() if answer.content else None


def api_counts(url):
    """``(api requests, token requests)`` in the emulator's request log since the last clear."""
    log = control(url, "GET", "/requests")
    entries = log["requests"] if isinstance(log, dict) else log
    tokens = sum(1 for entry in entries if entry["path"].startswith("/oauth"))
    api = sum(1 for entry in entries if entry["path"].startswith("/api/v2"))
    return api, tokens


def role_inputs(org_dir, target):
    """The generated directory as the resource roles' variables (records by ``src`` file)."""
    os.makedirs(target, exist_ok=True)
    schemas, records, webhooks = [], [], []
    for name in sorted(os.listdir(os.path.join(org_dir, "schemas"))):
        with open(os.path.join(org_dir, "schemas", name)) as handle:
            schemas.append(yaml.safe_load(handle))
    for name in sorted(os.listdir(os.path.join(org_dir, "records"))):
        records.append({"schema": os.path.splitext(name)[0], "src": os.path.join(org_dir, "records", name)})
    for name in sorted(os.listdir(os.path.join(org_dir, "webhooks"))):
        with open(os.path.join(org_dir, "webhooks", name)) as handle:
            webhooks.append(yaml.safe_load(handle))
    for name, value in (("schemas", schemas), ("records", records), ("webhooks", webhooks)):
        with open(os.path.join(target, name + ".json"), "w") as handle:
            json.dump(value, handle)


def run_playbook(url, playbook, extra_vars, check=False):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
               ANSIBLE_NOCOLOR="1",
               GENESYSCLOUD_API_URL=url, GENESYSCLOUD_OAUTHCLIENT_ID=CLIENT_ID,
               GENESYSCLOUD_OAUTHCLIENT_SECRET=CLIENT_SECRET, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    command = [os.path.join(BIN, "ansible-playbook"), playbook, "-i", "bench,", "-c", "local",
               "-e", json.dumps(extra_vars)]
    if check:
        command += ["--check", "--diff"]
    control(url, "DELETE", "/requests")
    started = time.monotonic()
    process = subprocess.run([sys.executable, os.path.abspath(__file__), "--peak-of"] + command, env=env, cwd=REPO,
                             capture_output=True, text=True)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit("%s failed:\n%s\n%s" % (" ".join(command), process.stdout[-3000:], process.stderr[-3000:]))
    requests_made, tokens = api_counts(url)
    peak_mb = float(process.stdout.strip().splitlines()[-1]) / 1024.0
    return dict(seconds=seconds, requests=requests_made, tokens=tokens, peak_mb=peak_mb)


def peak_of(command):
    """Run ``command`` (output discarded) and print the peak RSS in KiB of its largest process."""
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return code


def floor(run, schemas, records, webhooks):
    """The fewest requests a run needs: the org (``organizations/me``), the list of schemas (100 a page)
    and of webhooks (which name every schema's id); per stored schema one page per 500 records; plus the
    writes (one per schema and webhook, one per 100 records). The preview and the first apply start
    from an empty org, so they read one empty page of each list and no records."""
    if run == "no-op":  # the stored schemas are listed 100 a page
        return 2 + -(-schemas // 100) + schemas * -(-records // 500)
    writes = schemas + webhooks + schemas * -(-records // 100)
    return 3 + (writes if run == "first apply" else 0)


def at_the_limit(requests_made, limit):
    """Seconds the requests alone need at ``limit`` a minute (one token, fixed one-minute windows)."""
    if limit >= NO_LIMIT or requests_made <= 0:
        return None
    return 60.0 * ((requests_made - 1) // limit)


def warm_up(url, workdir):
    """One unmeasured preview first: the first run after a change also compiles the collection's bytecode."""
    org_dir = os.path.join(workdir, "warm-up")
    generate_org(org_dir, schemas=2, records=2, webhooks=1, key="code")
    control(url, "POST", "/reset", {})
    run_playbook(url, os.path.join(REPO, "playbooks", "preview_org.yml"), {"genesys_org_dir": org_dir}, check=True)


def measure_size(url, size, records, webhooks, workdir, limit=NO_LIMIT, path_names=("org", "per-object")):
    org_dir = os.path.join(workdir, "org-%d-%d" % (size, records))
    if not os.path.isdir(org_dir):
        generate_org(org_dir, schemas=size, records=records, webhooks=webhooks, key="code")
    role_dir = os.path.join(workdir, "roles-%d-%d" % (size, records))
    role_inputs(org_dir, os.path.join(role_dir, "roles"))
    per_object_playbook = os.path.join(workdir, "per_object.yml")
    with open(per_object_playbook, "w") as handle:
        yaml.safe_dump(PER_OBJECT_PLAYBOOK, handle, sort_keys=False)
    rows = []
    paths = [
        ("org", os.path.join(REPO, "playbooks", "preview_org.yml"), os.path.join(REPO, "playbooks", "configure_org.yml"),
         {"genesys_org_dir": org_dir}),
        ("per-object", per_object_playbook, per_object_playbook, {"bench_dir": role_dir}),
    ]
    for path, preview, apply, extra_vars in [entry for entry in paths if entry[0] in path_names]:
        control(url, "POST", "/reset", {})  # also restores the start-up settings: set the limit after it
        control(url, "POST", "/settings", {"rate_limit": limit})
        runs = [("preview", run_playbook(url, preview, extra_vars, check=True)),
                ("first apply", run_playbook(url, apply, extra_vars)),
                ("no-op", run_playbook(url, apply, extra_vars))]
        for run_name, figures in runs:
            expected = floor(run_name, size, records, webhooks)
            rows.append(dict(size=size, records=records, limit=limit, path=path, run=run_name, floor=expected,
                             alone=at_the_limit(figures["requests"], limit), **figures))
            print("%4d x %-3d limit %-6d %-10s %-12s %7.1f s  %5d requests (floor %d)  %3d tokens  %.0f MB" % (
                size, records, limit, path, run_name, figures["seconds"], figures["requests"], expected,
                figures["tokens"], figures["peak_mb"]), flush=True)
    return rows


def table(rows):
    lines = ["| schemas | path | run | wall time | API requests | floor | records | rate limit | requests alone at the "
             "limit | OAuth tokens | peak memory (largest process) |",
             "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append("| %d | %s | %s | %.1f s | %d | %d | %d | %s | %s | %d | %.0f MB |" % (
            row["size"], row["path"], row["run"], row["seconds"], row["requests"], row["floor"], row["records"],
            "off" if row["limit"] >= NO_LIMIT else "%d/min" % row["limit"],
            "-" if row["alone"] is None else "%.0f s" % row["alone"], row["tokens"], row["peak_mb"]))
    return "\n".join(lines)


def report(rows, args):
    return "\n".join([
        "## Org runs: one process and one token per org",
        "",
        "Written by `make bench-org` (`bench/org_bench.py`) on {when}: generated orgs of {sizes} schemas, "
        "each with the records of the `records` column, a relationship to the previous schema by a unique `code` "
        "(`org.yml` names `key: code`), and {webhooks} webhooks; "
        "emulator at {latency} ms per request; `ansible-playbook` wall time on this machine (2 cores). "
        "`org` is `preview_org.yml` / `configure_org.yml`; `per-object` is the same org through the resource roles "
        "(one task item per object, each task run in-process by the collection's action plugins; the task-cost "
        "section shows what module processes cost). The floor is the fewest requests the run needs (see `floor()`); "
        "peak memory is the largest process of the run. Load average at the end: {load:.1f} (other jobs may share "
        "the cores; compare rows of one table). Rate limit `off` is 100,000 a minute; at the real limit (300 a "
        "minute per token) `requests alone at the limit` is the time the run's requests need in one-minute "
        "windows, whatever the code does.".format(
            load=os.getloadavg()[0], when=time.strftime("%Y-%m-%d"), sizes=args.sizes or "5, 30, 200 and 1,000",
            webhooks=args.webhooks, latency=LATENCY_MS),
        "",
        table(rows),
    ])


def main(argv=None):
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--peak-of":
        return peak_of(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", help="schema counts (default: the whole suite, see SUITE)")
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--rate-limit", type=int, default=NO_LIMIT, help="with --sizes: requests a minute per token")
    parser.add_argument("--paths", default="org,per-object", help="org, per-object or both (also filters the suite)")
    parser.add_argument("--webhooks", type=int, default=10)
    parser.add_argument("--write", help="the markdown file whose org-bench section to replace")
    args = parser.parse_args(argv)
    ensure_link(COLLECTIONS)
    workdir = tempfile.mkdtemp(prefix="genesys-org-bench-")
    process, url = start_emulator()
    try:
        rows = []
        chosen = tuple(args.paths.split(","))
        suite = [(size, records, limit, tuple(p for p in paths if p in chosen)) for size, records, limit, paths in SUITE]
        if args.sizes:
            suite = [(int(size), args.records, args.rate_limit, tuple(args.paths.split(",")))
                     for size in args.sizes.split(",")]
        warm_up(url, workdir)
        for size, records, limit, paths in suite:
            rows += measure_size(url, size, records, args.webhooks, workdir, limit, paths)
    finally:
        processes.stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    section = report(rows, args)
    if args.write:
        write_section(args.write, SECTION, section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
