"""scripts/processes.py: the start, watch and stop helpers the demos, the benches and the EDA tests share."""
import os
import socket
import subprocess
import sys
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))

import processes  # noqa: E402

SLEEPER = "import time; print('ready', flush=True); time.sleep(60)"
STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); " \
           "time.sleep(60)"


def gone(pid, timeout=10.0):
    """True once ``pid`` has exited (a zombie no reaper has collected yet counts as exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % pid) as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_a_watched_process_is_waited_for_by_its_output_and_stopped_with_its_children():
    echoed = []
    parent = ("import subprocess, sys, time; child = subprocess.Popen([sys.executable, '-c', %r]); "
              "print('child', child.pid, flush=True); time.sleep(60)" % SLEEPER)
    watched = processes.WatchedProcess([sys.executable, "-c", parent], echo=echoed.append)
    try:
        child_pid = int(watched.wait_for(r"^child (\d+)$", timeout=30)[0].group(1))
        assert watched.wait_for(r"^ready$", timeout=30)[0].group(0) == "ready"
        assert sorted(echoed) == ["child %d" % child_pid, "ready"]  # the two processes print in either order
        assert sorted(watched.output().split("\n")) == sorted(echoed)
        assert len(watched.matches("^(child|ready)")) == 2
    finally:
        watched.stop(timeout=5)
    assert watched.process.returncode is not None
    assert gone(child_pid)  # the child went with it (the whole process group is stopped)


def test_waiting_for_a_line_that_does_not_come_says_what_was_printed():
    watched = processes.WatchedProcess([sys.executable, "-c", "print('something else')"])
    with pytest.raises(AssertionError) as caught:
        watched.wait_for("never", timeout=30)
    assert "printed 0 of 1 lines matching 'never' (exit code 0):\nsomething else" in str(caught.value)
    watched.stop()


def test_stop_kills_what_ignores_sigterm_and_leaves_exited_processes_alone():
    watched = processes.WatchedProcess([sys.executable, "-c", STUBBORN])
    watched.wait_for("ready", timeout=30)
    processes.stop(watched.process, timeout=0.5)
    assert watched.process.returncode == -9
    processes.stop(watched.process)
    processes.stop(None)


def test_wait_for_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert processes.wait_for_port(server.getsockname()[1], timeout=5)
    exited = processes.WatchedProcess([sys.executable, "-c", "pass"])
    exited.process.wait()
    assert not processes.wait_for_port(processes.free_port(), exited.process, timeout=30)


def test_an_emulator_that_does_not_start_is_reported():
    with pytest.raises(processes.NotStarted) as caught:
        processes.start_emulator("--no-such-option", stderr=subprocess.DEVNULL)
    assert "the emulator did not start (exit code 2)" in str(caught.value)
