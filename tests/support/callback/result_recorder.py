"""Test-only callback: append every task result to the JSON-lines file named by RESULT_RECORDER_FILE."""
import json
import os

from ansible.plugins.callback import CallbackBase
from ansible.release import __version__ as CONTROLLER_VERSION

DOCUMENTATION = """
name: result_recorder
type: aggregate
short_description: record task results for the test suite
description: Writes one JSON line per task result to the file named by E(RESULT_RECORDER_FILE).
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "result_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status):
        path = os.environ.get("RESULT_RECORDER_FILE")
        if not path:
            return
        line = {
            "task": result._task.get_name(),
            "host": result._host.get_name(),
            "status": status,
            "result": result._result,
            "controller": CONTROLLER_VERSION,  # the ansible-core that ran the play (test-matrix checks it)
        }
        with open(path, "a") as handle:
            handle.write(json.dumps(line, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")
