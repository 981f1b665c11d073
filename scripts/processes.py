"""Start, watch and stop the helper processes of the demos, the benches and the tests.

The emulator, ansible-rulebook and listeners run as child processes; this module starts them, waits
for what they print or for their port, and stops them (also their children) without leaving any behind.
Scripts import it from scripts/; tests and benches put scripts/ on sys.path first.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time


class NotStarted(Exception):
    """A process exited before it said it was ready."""


def free_port():
    """A loopback TCP port nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process, timeout=10, group=False):
    """Terminate ``process`` (with ``group``, its whole process group), kill it after ``timeout`` seconds, reap it.

    Does nothing for None or a process that has already exited.
    """
    if process is None or process.poll() is not None:
        return
    try:
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()
    except ProcessLookupError:  # it exited between poll() and the signal
        process.wait()


def start_emulator(*options, stderr=None):
    """``(process, url)``: ``python -m genesys_emulator --port 0`` with ``options``, once it printed its address."""
    process = subprocess.Popen([sys.executable, "-m", "genesys_emulator", "--port", "0"] + list(options),
                               stdout=subprocess.PIPE, stderr=stderr, text=True)
    first_line = process.stdout.readline()
    if not first_line:
        process.wait(timeout=10)
        raise NotStarted("the emulator did not start (exit code %s)" % process.returncode)
    return process, json.loads(first_line)["url"]


def wait_for_port(port, process=None, timeout=60.0, host="127.0.0.1"):
    """True once ``port`` accepts a connection; False when ``timeout`` passes or ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            socket.create_connection((host, port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


class WatchedProcess:
    """A process in its own session whose output lines (stdout and stderr) are kept as they come.

    A thread reads them (so the process never blocks on a full pipe) and hands each one to ``echo``
    when given; ``wait_for`` waits for lines that match. ``stop`` ends the process and its children.
    """

    name = "the process"

    def __init__(self, command, echo=None, **popen_options):
        self.lines = []
        self.cond = threading.Condition()
        self._echo = echo
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True, **popen_options)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @property
    def pid(self):
        return self.process.pid

    def _read(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            if self._echo is not None:
                self._echo(line)
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def output(self):
        with self.cond:
            return "\n".join(self.lines)

    def matches(self, pattern):
        regex = re.compile(pattern)
        with self.cond:
            return [m for m in map(regex.search, self.lines) if m]

    def wait_for(self, pattern, timeout=60.0, count=1):
        """The first ``count`` matches of ``pattern`` in the output; ``not_printed(...)`` is raised if they do not come
        within ``timeout`` seconds or the process exits first."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = [m for m in map(regex.search, self.lines) if m]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    break
                self.cond.wait(min(left, 0.5))
            tail = "\n".join(self.lines[-60:])
        raise self.not_printed(pattern, len(found), count, tail)

    def not_printed(self, pattern, found, count, tail):
        """The error ``wait_for`` raises (override for another type or message)."""
        return AssertionError("%s printed %d of %d lines matching %r (exit code %s):\n%s"
                              % (self.name, found, count, pattern, self.process.poll(), tail))

    def stop(self, timeout=15):
        stop(self.process, timeout=timeout, group=True)
        self.reader.join(timeout=5)
