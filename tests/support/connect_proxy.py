"""A tiny HTTPS forward proxy for tests: CONNECT tunnels to loopback only, bounded in connections and time."""
import select
import socket
import threading

MAX_CONNECTIONS = 32
IDLE_SECONDS = 10.0


class ConnectProxy:
    """Listens on 127.0.0.1 (a free port); ``targets`` lists every ``host:port`` a client asked to reach."""

    def __init__(self):
        self.targets = []
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self.port = self._server.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        self._server.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                client, _ = self._server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if not self._slots.acquire(blocking=False):
                client.close()
                continue
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client):
        upstream = None
        try:
            client.settimeout(IDLE_SECONDS)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 8192:
                chunk = client.recv(1024)
                if not chunk:
                    return
                head += chunk
            method, target = head.split(b" ", 2)[:2]
            host, _, port = target.decode("ascii", "replace").rpartition(":")
            self.targets.append("%s:%s" % (host, port))
            if method != b"CONNECT" or host not in ("127.0.0.1", "localhost"):
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            upstream = socket.create_connection((host, int(port)), timeout=IDLE_SECONDS)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            sockets = [client, upstream]
            while not self._stopped.is_set():
                ready, _, _ = select.select(sockets, [], [], IDLE_SECONDS)
                if not ready:
                    return
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    sock.close()
            self._slots.release()

    def stop(self):
        self._stopped.set()
        self._server.close()
        self._thread.join(5)
