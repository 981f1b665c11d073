"""A records load stopped by SIGTERM through ansible-playbook: no scratch file left, what was written said."""
import glob
import json
import os
import signal
import subprocess
import time

import yaml

from tests.support.playbook import ANSIBLE_BIN, ansible_env

TOTAL = 3000
NOTE = "n" * 2000  # 3000 records of 2 KB: past the plan's memory limit, so its spill store is a file


def load_task(src, changes):
    return {"name": "load", "genesys.cloud.custom_object_records": {
        "schema": "items", "key": "label", "src": str(src), "batch_size": 25, "concurrency": 1,
        "changes_dest": str(changes)}}


def start_playbook(emulator, tmp_path, task, scratch):
    path = tmp_path / "load.yml"
    path.write_text(yaml.safe_dump([{"name": "load", "hosts": "localhost", "gather_facts": False,
                                     "tasks": [task]}], sort_keys=False))
    env = ansible_env(dict(emulator.env, TMPDIR=str(scratch), RESULT_RECORDER_FILE=str(tmp_path / "results.jsonl")))
    return subprocess.Popen([os.path.join(ANSIBLE_BIN, "ansible-playbook"), str(path), "-i", "localhost,",
                             "-c", "local"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(tmp_path))


def wait_for_writes(emulator, batches, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(emulator.module_requests(method="POST", path_prefix="/api/v2/customobjects/")) >= batches:
            return
        time.sleep(0.2)
    raise AssertionError("the load never started writing")


def test_sigterm_stops_a_load_between_batches_removes_its_scratch_files_and_says_what_was_written(
        emulator, tmp_path):
    emulator.create_schema("items", [{"name": "label", "type": "string", "unique": True},
                                     {"name": "qty", "type": "number"}, {"name": "note", "type": "string"}])
    src = tmp_path / "items.jsonl"
    src.write_text("".join(json.dumps({"label": "item-%05d" % n, "qty": n, "note": NOTE}) + "\n"
                           for n in range(TOTAL)))
    changes, scratch = tmp_path / "changes.jsonl", tmp_path / "tmp"
    scratch.mkdir()
    emulator.settings(latency_ms=30)
    try:
        proc = start_playbook(emulator, tmp_path, load_task(src, changes), scratch)
        wait_for_writes(emulator, 4)
        assert glob.glob(str(scratch / "genesys-records-*" / "index.sqlite"))  # the plan's spill store, in use
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=120)  # the worker holds the playbook's stderr until it reported
    finally:
        emulator.settings(latency_ms=0)
    stored = len(emulator.records("items"))
    assert proc.returncode != 0 and 0 < stored < TOTAL, (proc.returncode, stored, stdout[-2000:], stderr[-2000:])
    assert glob.glob(str(scratch / "genesys-records-*")) == []
    written = [json.loads(line) for line in changes.read_text().splitlines()]
    assert len(written) == stored and set(entry["action"] for entry in written) == {"created"}
    assert ("genesys.cloud.custom_object_records: SIGTERM received: the run stopped between batches of items. "
            "Already written: %d created, 0 updated, 0 deleted in %d batches;" % (stored, stored // 25)) in stderr
    assert "The records written are listed in %s." % changes in stderr

    # the next run writes only what is missing
    proc = start_playbook(emulator, tmp_path, load_task(src, changes), scratch)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stdout[-3000:]
    assert len(emulator.records("items")) == TOTAL
    assert len(changes.read_text().splitlines()) == TOTAL - stored
    assert glob.glob(str(scratch / "genesys-records-*")) == []
