"""The token broker of a play of lookups only: answers only its own run's processes, ends with the run."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

from ansible_collections.genesys.cloud.plugins.plugin_utils import token_broker

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the broker needs SO_PEERCRED and /proc")


@pytest.fixture
def runtime_dir(monkeypatch):
    folder = tempfile.mkdtemp(prefix="gcb")  # short: a Unix socket path holds about 100 bytes
    monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def start_broker(run_pid):
    path = token_broker.socket_path(run_pid)
    assert token_broker._private_folder(path)
    broker = subprocess.Popen([sys.executable, token_broker.__file__, "serve", path, str(run_pid)])
    deadline = time.monotonic() + 5
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    return broker, path


def test_tokens_are_shared_by_key_and_the_socket_is_private(runtime_dir):
    broker, path = start_broker(os.getpid())  # this test process is the "run"
    try:
        one, two = token_broker.connect_or_start(os.getpid()), token_broker.connect_or_start(os.getpid())
        key = one.key("https://login.example", "cid", "secret", "https://api.example")
        assert key == two.key("https://login.example", "cid", "secret", "https://api.example")
        assert key != one.key("https://login.example", "cid", "secret", "https://api.other")
        # The tokens of a pool (token_pool_size) have a key each; the first keeps the key without a pool.
        assert key == one.key("https://login.example", "cid", "secret", "https://api.example", 0)
        assert key != two.key("https://login.example", "cid", "secret", "https://api.example", 1)
        with one.single_flight(key) as acquired:
            assert acquired
            one.put(key, "token-1", 123.0)
        assert two.get(key) == ("token-1", 123.0)
        two.discard(key, "another-token")
        assert one.get(key) == ("token-1", 123.0)
        two.discard(key, "token-1")
        assert one.get(key) is None
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        assert oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == "0o700"
    finally:
        broker.terminate()
        broker.wait(10)


def test_a_process_outside_the_run_gets_no_answer_and_the_broker_ends_with_the_run(runtime_dir):
    outsider_run = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    broker, path = start_broker(outsider_run.pid)  # this test process does not descend from that "run"
    try:
        assert token_broker.connect_or_start(outsider_run.pid) is None
        outsider_run.kill()
        outsider_run.wait(10)
        assert broker.wait(5) == 0  # noticed within a second that its run has ended
        assert not os.path.exists(path)
    finally:
        if broker.poll() is None:
            broker.terminate()
            broker.wait(10)
        if outsider_run.poll() is None:
            outsider_run.kill()


def test_a_folder_open_to_others_is_not_used(tmp_path, monkeypatch):
    folder = tmp_path / "runtime"
    (folder / ("genesys-cloud-%d" % os.getuid())).mkdir(parents=True, mode=0o755)
    os.chmod(str(folder / ("genesys-cloud-%d" % os.getuid())), 0o755)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    assert token_broker.connect_or_start(os.getpid()) is None


def test_a_socket_path_too_long_for_a_unix_socket_means_no_broker(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / ("x" * 120)))
    assert token_broker.connect_or_start(os.getpid()) is None
