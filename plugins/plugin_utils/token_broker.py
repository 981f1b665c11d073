# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's token store when the main process never imported ``token_store`` (a play of lookups only).

``token_store.py`` shares tokens through memory the main ``ansible-playbook`` process maps before it
forks the task workers; it does so when it loads one of the collection's action plugins. Lookups are
loaded in the workers only, so a play that only uses lookups had no shared store and logged in once
per lookup. Then the first worker that needs a token starts this broker: a small process (standard
library only) that holds the run's tokens in memory behind a Unix socket, and that every later
worker of the same run asks instead.

- The socket is ``$XDG_RUNTIME_DIR`` (else the temp directory) ``/genesys-cloud-<uid>/tokens-<pid>.sock``,
  ``<pid>`` the ``ansible-playbook`` process; the folder is created 0700 and used only when it is a
  real folder owned by this user and closed to others.
- The broker answers only processes of this user that descend from that ``ansible-playbook``
  process (``SO_PEERCRED`` and ``/proc``: Linux only; elsewhere there is no broker and each worker
  logs in itself, as before).
- Client secrets never reach the broker: keys are HMACs computed in the worker under a random salt
  the broker hands out; the broker stores tokens by key, in memory only.
- It exits when the ``ansible-playbook`` process is gone (checked every second) or after ten idle
  minutes, and removes its socket.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import contextlib
import hashlib
import hmac
import json
import os
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time

IDLE_SECONDS = 600.0
FETCH_WAIT = 60.0
START_WAIT = 3.0
MAX_LINE = 16384
MAX_CLIENTS = 64
MAX_SOCKET_PATH = 100  # a Unix socket's path holds at most 104 to 108 bytes


def socket_path(run_pid):
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return os.path.join(base, "genesys-cloud-%d" % os.getuid(), "tokens-%d.sock" % run_pid)


def _private_folder(path):
    """Create the socket's folder 0700, and say whether it is a real folder that only this user can enter."""
    folder = os.path.dirname(path)
    try:
        os.mkdir(folder, 0o700)
    except OSError:
        pass
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def _parent_of(pid):
    with open("/proc/%d/stat" % pid) as handle:
        text = handle.read()
    return int(text.rsplit(")", 1)[1].split()[1])


def descends_from(pid, ancestor):
    """True when process ``pid`` is ``ancestor`` or one of its descendants."""
    for _step in range(64):
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
        try:
            pid = _parent_of(pid)
        except (OSError, ValueError, IndexError):
            return False
    return False


def _peer(conn):
    pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return pid, uid


class Broker:
    """The broker process's state: tokens by key, one fetch lock per key."""

    def __init__(self, path, run_pid):
        self.path = path
        self.run_pid = run_pid
        self.salt = base64.b64encode(os.urandom(32)).decode("ascii")
        self.tokens = {}
        self.flights = {}
        self.lock = threading.Lock()
        self.last_used = time.monotonic()
        self.clients = threading.BoundedSemaphore(MAX_CLIENTS)

    def answer(self, request, held):
        op, key = request.get("op"), request.get("key")
        if op == "salt":
            return {"salt": self.salt}
        if op == "get":
            with self.lock:
                found = self.tokens.get(key)
            return {"token": found[0], "refresh_at": found[1]} if found else {}
        if op == "put":
            with self.lock:
                self.tokens[key] = (str(request["token"]), float(request["refresh_at"]))
            return {}
        if op == "discard":
            with self.lock:
                if key in self.tokens and request.get("token") in (None, self.tokens[key][0]):
                    del self.tokens[key]
            return {}
        if op == "lock":
            with self.lock:
                flight = self.flights.setdefault(key, threading.Lock())
            acquired = flight.acquire(True, FETCH_WAIT)
            if acquired:
                held.append(flight)
            return {"acquired": acquired}
        if op == "unlock":
            if held:
                held.pop().release()
            return {}
        return {"error": "unknown op"}

    def serve_client(self, conn):
        held = []
        try:
            pid, uid = _peer(conn)
            if uid != os.getuid() or not descends_from(pid, self.run_pid):
                return
            reader = conn.makefile("rb")
            while True:
                line = reader.readline(MAX_LINE)
                if not line:
                    return
                self.last_used = time.monotonic()
                conn.sendall((json.dumps(self.answer(json.loads(line.decode("utf-8")), held)) + "\n").encode("utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            return
        finally:
            for flight in held:
                flight.release()
            conn.close()
            self.clients.release()

    def run(self, server):
        server.settimeout(1.0)
        while time.monotonic() - self.last_used < IDLE_SECONDS:
            try:
                os.kill(self.run_pid, 0)
            except OSError:
                return
            try:
                conn, _address = server.accept()
            except socket.timeout:
                continue
            if not self.clients.acquire(False):
                conn.close()
                continue
            thread = threading.Thread(target=self.serve_client, args=(conn,))
            thread.daemon = True
            thread.start()


def serve(path, run_pid):
    """The broker's main: bind (replacing a stale socket), serve until the run ends, remove the socket."""
    if not _private_folder(path):
        return 1
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(path)
    except OSError:
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
            return 0  # another broker of this run won the race
        except OSError:
            pass
        finally:
            probe.close()
        try:  # a socket left by a broker that was killed
            os.unlink(path)
            server.bind(path)
        except OSError:
            return 1
    os.chmod(path, 0o600)
    server.listen(16)
    try:
        Broker(path, run_pid).run(server)
    finally:
        server.close()
        with contextlib.suppress(OSError):
            os.unlink(path)
    return 0


class BrokerStore:
    """The interface of ``token_store.SharedTokenStore``, answered by the run's broker."""

    def __init__(self, conn):
        self._conn = conn
        self._reader = conn.makefile("rb")
        self._lock = threading.Lock()
        self._salt = base64.b64decode(self._ask(op="salt")["salt"])

    def _ask(self, **request):
        with self._lock:
            self._conn.sendall((json.dumps(request) + "\n").encode("utf-8"))
            line = self._reader.readline(MAX_LINE)
        if not line:
            raise OSError("the token broker closed the connection")
        return json.loads(line.decode("utf-8"))

    def key(self, login_url, client_id, client_secret, org=None, member=0):
        text = u"\0".join((login_url or u"", org or u"", client_id or u"", client_secret or u""))
        if member:  # the other tokens of a pool (token_pool_size); the first keeps the key it always had
            text += u"\0%d" % member
        return hmac.new(self._salt, text.encode("utf-8"), hashlib.sha256).hexdigest()

    @contextlib.contextmanager
    def single_flight(self, key):
        try:
            acquired = self._ask(op="lock", key=key).get("acquired", False)
        except (OSError, ValueError):
            acquired = False
        try:
            yield acquired
        finally:
            if acquired:
                with contextlib.suppress(OSError, ValueError):
                    self._ask(op="unlock", key=key)

    def get(self, key):
        try:
            found = self._ask(op="get", key=key)
        except (OSError, ValueError):
            return None
        return (found["token"], found["refresh_at"]) if found.get("token") else None

    def put(self, key, token, refresh_at):
        with contextlib.suppress(OSError, ValueError):
            self._ask(op="put", key=key, token=token, refresh_at=refresh_at)

    def discard(self, key, token=None):
        with contextlib.suppress(OSError, ValueError):
            self._ask(op="discard", key=key, token=token)


def _connect(path, wait):
    deadline = time.monotonic() + wait
    while True:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(path)
            conn.settimeout(FETCH_WAIT + 5)
            return conn
        except OSError:
            conn.close()
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)


def connect_or_start(run_pid):
    """A :class:`BrokerStore` of the run of ``run_pid`` (started when missing), or None where there can be none."""
    if not sys.platform.startswith("linux") or not hasattr(socket, "SO_PEERCRED"):
        return None
    path = socket_path(run_pid)
    if len(path.encode("utf-8")) > MAX_SOCKET_PATH or not _private_folder(path):
        return None
    conn = _connect(path, 0)
    if conn is None:
        with open(os.devnull, "r+b") as null:
            subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", path, str(run_pid)],
                             stdin=null, stdout=null, stderr=null, close_fds=True, start_new_session=True,
                             cwd="/")
        conn = _connect(path, START_WAIT)
    if conn is None:
        return None
    try:
        return BrokerStore(conn)
    except (OSError, ValueError, KeyError):
        conn.close()
        return None


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        sys.exit(serve(sys.argv[2], int(sys.argv[3])))
    sys.exit(2)
