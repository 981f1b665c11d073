"""An API that cannot be reached fails in seconds, naming the URL, host and what to check (issue 22, 5)."""
import socket
import time

import pytest

from tests.support.inprocess import run_module


@pytest.fixture
def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now: connections are refused
    return port


@pytest.fixture
def silent_port():
    """A port whose accept queue is full: a new connection is never made, it times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.2)
    yield port
    for sock in fillers + [server]:
        sock.close()


def test_an_unreachable_api_fails_in_a_playbook_in_seconds_with_the_url(emulator, playbook, closed_port):
    url = "http://127.0.0.1:%d" % closed_port
    started = time.monotonic()
    run = playbook([{"name": "read", "genesys.cloud.flex_schema_info": {"api_url": url}, "ignore_errors": True}])
    elapsed = time.monotonic() - started
    assert run.status("read") == "failed"
    message = run.task("read")["msg"]
    assert ("cannot connect to %s/oauth/token (host 127.0.0.1, port %d) directly (no proxy variable applies): "
            "the connection was refused" % (url, closed_port)) in message, message
    assert "Check region (or api_url / auth_url)" in message and "HTTPS_PROXY" in message
    assert elapsed < 10, elapsed  # the whole ansible-playbook run, start-up included


def test_refused_connections_give_up_within_the_connect_budget(emulator, closed_port):
    started = time.monotonic()
    result = run_module("flex_schema_info", dict(emulator.connection, api_url="http://127.0.0.1:%d" % closed_port,
                                                 connect_timeout=2))
    assert result.get("failed") and "the connection was refused" in result["msg"]
    assert time.monotonic() - started < 3.5


def test_a_connection_that_is_never_made_times_out_after_connect_timeout(emulator, silent_port):
    started = time.monotonic()
    result = run_module("flex_schema_info", dict(emulator.connection, api_url="http://127.0.0.1:%d" % silent_port,
                                                 connect_timeout=1.5, timeout=60))
    elapsed = time.monotonic() - started
    assert result.get("failed")
    assert "no connection within connect_timeout (1.5 s)" in result["msg"], result["msg"]
    assert 1.4 < elapsed < 4, elapsed  # not the 60 s read timeout, and not retried past 1.5 x connect_timeout


def test_a_host_name_that_does_not_resolve_is_not_retried(emulator):
    started = time.monotonic()
    result = run_module("flex_schema_info", dict(emulator.connection, api_url="https://api.nonexistent.invalid"))
    assert result.get("failed") and "the host name api.nonexistent.invalid does not resolve" in result["msg"]
    assert "1 attempt(s)" in result["msg"] and time.monotonic() - started < 5


@pytest.mark.parametrize("options, message", [
    ({"timeout": float("nan")}, "timeout must be a number of seconds greater than 0 (such as 30), got nan "
                                "(not a finite number)"),
    ({"timeout": float("inf")}, "got inf (not a finite number)"),
    ({"connect_timeout": 0}, "connect_timeout must be a number of seconds greater than 0 (such as 5), got 0.0"),
])
def test_timeouts_that_cannot_work_are_refused_naming_the_option(emulator, options, message):
    emulator.clear_requests()
    result = run_module("flex_schema_info", dict(emulator.connection, **options))
    assert result.get("failed") and message in result["msg"], result["msg"]
    assert emulator.requests() == []


def test_a_ca_bundle_that_is_not_a_file_is_named(emulator, monkeypatch, tmp_path):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    result = run_module("flex_schema_info", dict(emulator.connection, api_url="https://127.0.0.1:1"))
    assert result.get("failed")
    assert "REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE (%s) must name a readable CA bundle file" % (
        tmp_path / "missing.pem") in result["msg"], result["msg"]


@pytest.mark.parametrize("options, message", [
    ({"client_secret": "caf\u20ac-secret"}, "client_id and client_secret must be Latin-1 text"),
    ({"access_token": "tok\u20acen", "client_id": None, "client_secret": None},
     "access_token must be ASCII text without line breaks"),
    ({"access_token": "tok\nen", "client_id": None, "client_secret": None},
     "access_token must be ASCII text without line breaks"),
])
def test_credentials_that_cannot_be_sent_name_the_option_not_the_value(emulator, options, message):
    args = dict(emulator.connection, max_retries=3)
    args.update(options)
    result = run_module("flex_schema_info", dict((k, v) for k, v in args.items() if v is not None))
    assert result.get("failed") and message in result["msg"], result["msg"]
    assert "\u20ac" not in result["msg"] and "codec" not in result["msg"] and "Errno" not in result["msg"]
