"""The request trace (issue 22, 4): -vvv or genesys_trace shows each request, never a secret or token."""
import re

from tests.support.playbook import play

LINE = re.compile(r"genesys\.cloud request: (GET|POST|PUT|DELETE) (\S+) -> (\d+|failed \(\w+\)), attempt (\d+), "
                  r"waited (\d+\.\d{3}) s, (\d+) ms, correlation id (\S+)")


def token_for(emulator):
    return emulator.http.post(emulator.url + "/oauth/token", data={"grant_type": "client_credentials"},
                              auth=(emulator.client_id, emulator.client_secret), timeout=30).json()["access_token"]


def trace_lines(output):
    return [match.groups() for match in LINE.finditer(output)]


def test_vvv_shows_every_request_of_a_task_and_of_an_org_run_with_no_secret(emulator, playbook, tmp_path):
    token = token_for(emulator)
    emulator.create_schema("accounts", [{"name": "number", "type": "string", "unique": True}])
    emulator.upsert_records("accounts", [{"id": "secret-record-key", "number": "n1"}])
    org_dir = tmp_path / "org"
    (org_dir / "schemas").mkdir(parents=True)
    (org_dir / "org.yml").write_text("---\nallow_empty: true\n")
    tasks = [
        {"name": "with a token", "genesys.cloud.flex_schema_info": {"access_token": token},
         "environment": {"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": ""}},
        {"name": "as a module process", "genesys.cloud.flex_schema_info": {},
         "vars": {"genesys_cloud_in_process": False}},
        {"name": "whole org", "genesys.cloud.org": {"org_dir": str(org_dir)}, "check_mode": True},
        {"name": "one record", "genesys.cloud.custom_object_record_info": {"schema": "accounts",
                                                                           "ids": ["secret-record-key"]},
         "ignore_errors": True},
    ]
    run = playbook(tasks, args=["-vvv"])
    assert run.rc == 0, run
    output = run.stdout + run.stderr
    lines = trace_lines(output)
    paths = [path for _method, path, _status, _attempt, _wait, _ms, _cid in lines]
    assert any(path.startswith(emulator.url.split("//")[1] + "/api/v2/data/flex/schemas?") for path in paths), paths
    # Every token request is traced: the module process's one (returned in its result) and the org run's.
    # (the first token request of the emulator's log is the test's own, for the fixed access_token)
    assert len([path for path in paths if path.endswith("/oauth/token")]) == len(emulator.token_requests()) - 1 == 2
    correlation_ids = set(entry["correlation_id"] for entry in emulator.requests() if entry.get("correlation_id"))
    assert any(line[6] in correlation_ids for line in lines)
    # The module-process task returns its lines in its result; the action shows them and drops the key.
    assert "genesys_trace" not in run.task("as a module process")
    for secret in (token, emulator.client_secret, "Bearer", "Authorization"):
        assert secret not in output
    # Record keys (a record id in the path) only at -vvvv.
    assert "secret-record-key" not in "\n".join(paths)


def test_genesys_trace_shows_the_lines_without_vvv_and_record_keys_at_vvvv(emulator, playbook):
    emulator.create_schema("accounts", [{"name": "number", "type": "string", "unique": True}])
    emulator.upsert_records("accounts", [{"id": "rec-1", "number": "n1"}])
    lookup = {"name": "read", "ansible.builtin.debug": {
        "msg": "{{ query('genesys.cloud.custom_object_records', 'accounts', values=['rec-1']) | length }}"}}
    quiet = playbook(play([lookup], vars={"genesys_trace": True}))
    assert quiet.rc == 0, quiet
    assert any(path.endswith("/api/v2/customobjects/accounts/records/{id}") for path in
               [line[1] for line in trace_lines(quiet.stdout)]), quiet.stdout[-3000:]
    assert "rec-1" not in quiet.stdout
    loud = playbook([lookup], args=["-vvvv"])
    assert any(line[1].endswith("/records/rec-1") for line in trace_lines(loud.stdout))
    silent = playbook([lookup])
    assert trace_lines(silent.stdout) == []
