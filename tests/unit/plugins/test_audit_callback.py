"""The genesys.cloud.audit callback, fed task results directly (no playbook)."""
import json

from ansible_collections.genesys.cloud.plugins.callback import audit


class FakeDisplay:
    verbosity = 0

    def __init__(self):
        self.lines = []
        self.warnings = []

    def banner(self, text):
        self.lines.append("== %s" % text)

    def display(self, text, *args, **kwargs):
        self.lines.append(text)

    def warning(self, text, *args, **kwargs):
        self.warnings.append(text)


class Named:
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class FakeResult:
    def __init__(self, result, task="apply", host="localhost"):
        self._result = result
        self._task = Named(task)
        self._host = Named(host)


def entry(action, name, org="api.mypurecloud.com", outcome="success", resource="webhook", **extra):
    item = dict(time="2026-01-01T00:00:00.000Z", org=org, resource=resource, name=name, id="id-" + name,
                action=action, outcome=outcome, latency_ms=12, requests=1, correlation_id="c-" + name)
    item.update(extra)
    return item


def metrics(requests=1, retries=0, seconds=0.5):
    return dict(requests=requests, retries=retries, seconds=seconds, token_requests=1)


def make_callback(tmp_path, summary=True):
    callback = audit.CallbackModule(display=FakeDisplay())
    callback._plugin_options = {"log_file": str(tmp_path / "logs" / "audit.jsonl"), "summary": summary}
    return callback


def lines_of(tmp_path):
    with open(str(tmp_path / "logs" / "audit.jsonl")) as handle:
        return [json.loads(line) for line in handle]


def test_each_change_becomes_one_json_line_with_its_context(tmp_path):
    callback = make_callback(tmp_path)
    play = Named("configure org")
    callback.v2_playbook_on_play_start(play)
    callback.v2_runner_on_ok(FakeResult({"changed": True, "metrics": metrics(3),
                                         "audit": [entry("create", "a"), entry("update", "b")]}, task="hooks"))
    callback.v2_runner_on_ok(FakeResult({"changed": False, "metrics": metrics(1), "audit": []}))
    written = lines_of(tmp_path)
    assert [line["name"] for line in written] == ["a", "b"]
    assert written[0]["ansible"] == {"playbook": None, "play": "configure org", "task": "hooks", "host": "localhost"}
    assert written[0]["correlation_id"] == "c-a" and written[0]["latency_ms"] == 12


def test_loop_results_and_failed_tasks_are_read(tmp_path):
    callback = make_callback(tmp_path)
    loop = {"results": [{"metrics": metrics(2), "audit": [entry("create", "a")]},
                        {"metrics": metrics(2, retries=1), "audit": [entry("delete", "b")]},
                        {"skipped": True}]}
    callback.v2_runner_on_ok(FakeResult(loop))
    callback.v2_runner_on_failed(FakeResult({"failed": True, "msg": "HTTP 422", "metrics": metrics(1),
                                             "audit": [entry("update", "c", outcome="failed", error="x")]}))
    assert [line["action"] for line in lines_of(tmp_path)] == ["create", "delete", "update"]
    totals = callback.orgs["api.mypurecloud.com"]
    assert totals.requests == 5 and totals.retries == 1 and totals.failed == ["update webhook c"]


def test_results_of_other_modules_are_ignored(tmp_path):
    callback = make_callback(tmp_path)
    callback.v2_runner_on_ok(FakeResult({"changed": True, "stdout": "hi"}))
    callback.v2_runner_on_ok(FakeResult({"metrics": "not ours", "audit": [entry("create", "x")]}))
    assert callback.orgs == {}
    callback.v2_playbook_on_stats(None)
    assert callback._display.lines == []


def test_summary_per_org_counts_changes_requests_retries_and_seconds(tmp_path):
    callback = make_callback(tmp_path)
    callback.v2_runner_on_ok(FakeResult({"metrics": metrics(4, 1, 1.25), "audit": [
        entry("create", "hook"), entry("upsert", "batch", resource="records"), entry("update", "s", resource="schema"),
        entry("delete", "old")]}))
    callback.v2_runner_on_ok(FakeResult({"metrics": metrics(2, 0, 0.5), "audit": [
        entry("create", "x", org="api.mypurecloud.ie"), entry("rename", "y", org="api.mypurecloud.ie")]}))
    callback.v2_runner_on_ok(FakeResult({"metrics": metrics(3, 2, 1.0), "audit": [],
                                         "invocation": {"module_args": {"region": "eu-west-1"}}}))
    callback.v2_playbook_on_stats(None)
    assert callback._display.lines == [
        "== GENESYS CLOUD AUDIT",
        "api.mypurecloud.com: 1 created, 2 updated, 1 deleted, 0 failed; 4 requests, 1 retries, 1.2 s",
        "  created: webhook hook",
        "  updated: records batch, schema s",
        "  deleted: webhook old",
        "api.mypurecloud.ie: 1 created, 0 updated, 0 deleted, 0 failed; 5 requests, 2 retries, 1.5 s",
        "  created: webhook x",
        "  rename: webhook y",
        "6 change(s) appended to %s" % (tmp_path / "logs" / "audit.jsonl"),
    ]


def test_summary_can_be_turned_off(tmp_path):
    callback = make_callback(tmp_path, summary=False)
    callback.v2_runner_on_ok(FakeResult({"metrics": metrics(), "audit": [entry("create", "a")]}))
    callback.v2_playbook_on_stats(None)
    assert callback._display.lines == [] and len(lines_of(tmp_path)) == 1


def test_an_unwritable_log_warns_once_and_the_play_goes_on(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    callback = audit.CallbackModule(display=FakeDisplay())
    callback._plugin_options = {"log_file": str(blocker / "audit.jsonl"), "summary": True}
    for name in ("a", "b"):
        callback.v2_runner_on_ok(FakeResult({"metrics": metrics(), "audit": [entry("create", name)]}))
    assert len(callback._display.warnings) == 1 and "cannot write" in callback._display.warnings[0]
    assert callback.orgs["api.mypurecloud.com"].changes == {"created": ["webhook a", "webhook b"]}


def test_org_falls_back_to_the_connection_options():
    assert audit.org_of({"audit": [], "invocation": {"module_args": {"api_url": "http://127.0.0.1:8642"}}}) \
        == "127.0.0.1:8642"
    assert audit.org_of({"audit": [], "metrics": {"org": "api.mypurecloud.de"}}) == "api.mypurecloud.de"
    assert audit.org_of({"audit": []}) == audit.UNKNOWN_ORG
    assert audit.org_of({"invocation": {"module_args": {"region": "nowhere"}}}) == audit.UNKNOWN_ORG
    assert audit.action_kind("remove") == "deleted" and audit.action_kind(None) == "other"


def test_records_batches_are_counted_by_what_they_created_updated_and_deleted(tmp_path):
    callback = make_callback(tmp_path)
    callback.v2_runner_on_ok(FakeResult({"metrics": metrics(3), "audit": [
        entry("upsert", "items", resource="custom_object_records", size=100, created=100, updated=0, unchanged=0),
        entry("upsert", "items", resource="custom_object_records", size=30, created=20, updated=7, unchanged=3),
        entry("upsert", "items", resource="custom_object_records", size=5, created=0, updated=0, unchanged=5),
        entry("delete", "items", resource="custom_object_records", size=4, deleted=4)]}))
    callback.v2_playbook_on_stats(None)
    assert callback._display.lines[1] == (
        "api.mypurecloud.com: 120 created, 7 updated, 4 deleted, 0 failed; 3 requests, 0 retries, 0.5 s")
    assert callback._display.lines[2] == "  created: custom_object_records items (100), custom_object_records items (20)"
    assert callback._display.lines[3] == "  updated: custom_object_records items (7)"


def test_two_orgs_on_one_api_host_are_two_lines_named_by_name_id_and_inventory_host():
    first = {"audit": [], "metrics": {"org": "api.mypurecloud.com", "org_id": "id-1", "org_name": "Loyalty EU"}}
    second = {"audit": [], "metrics": {"org": "api.mypurecloud.com", "org_id": "id-2", "org_name": "Loyalty US"}}
    assert audit.org_of(first, "eu") == "Loyalty EU (id-1) at api.mypurecloud.com, inventory host eu"
    assert audit.org_of(second, "us") == "Loyalty US (id-2) at api.mypurecloud.com, inventory host us"


def test_the_summary_shows_429s_and_the_requests_of_each_token_of_a_pool(tmp_path):
    callback = make_callback(tmp_path)
    pooled = dict(metrics(9, 1, 2.0), org="api.mypurecloud.com", rate_limited=1, tokens=[
        {"token": 1, "requests": 6, "rate_limited": 1, "reauthentications": 0},
        {"token": 2, "requests": 3, "rate_limited": 0, "reauthentications": 0}])
    callback.v2_runner_on_ok(FakeResult({"metrics": pooled, "audit": [entry("create", "a")]}))
    callback.v2_runner_on_ok(FakeResult({"metrics": dict(pooled, rate_limited=0, tokens=[
        {"token": 2, "requests": 4, "rate_limited": 0, "reauthentications": 1}]), "audit": []}))
    callback.v2_playbook_on_stats(None)
    assert callback._display.lines[1:3] == [
        "api.mypurecloud.com: 1 created, 0 updated, 0 deleted, 0 failed; 18 requests, 2 retries, "
        "1 rate-limited (429), 4.0 s",
        "  per token: token 1: 6 requests, 1 rate-limited; token 2: 7 requests, 0 rate-limited"]
