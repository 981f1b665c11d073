"""Serving the emulator: `start_in_thread` for tests and the `python -m genesys_emulator` CLI."""

import argparse
import json
import secrets
import signal
import sys
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_app
from .state import State
from .webhooks import Dispatcher


class QuietRequestHandler(WSGIRequestHandler):
    """No per-request access log (the emulator keeps its own), and dropped connections stay quiet."""

    def log_request(self, code="-", size="-"):
        pass

    def log_error(self, format, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except OSError:
            pass  # a connection the emulator dropped on purpose, or the client went away


class EmulatorServer:
    """A running emulator: `.url`, `.client_id`, `.client_secret`, `.app_state`, `.stop()`."""

    def __init__(self, state, server, dispatcher, client_id, client_secret):
        self.app_state = state
        self.client_id = client_id
        self.client_secret = client_secret
        self.host = server.host
        self.port = server.port
        self.url = "http://%s:%d" % (server.host, server.port)
        self._server = server
        self._dispatcher = dispatcher
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="genesys-emulator", daemon=True)
        self._stopped = False

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        """Stop serving, stop deliveries and save the state (when it has a state file)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._dispatcher.stop()
        self.app_state.save()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_in_thread(client_id=None, client_secret=None, scopes=None, rate_limit=300, token_lifetime=3600,
                    latency_ms=0, state_file=None, allow_http_webhooks=True, delivery_backoff=1.0,
                    host="127.0.0.1", port=0, org_name=None, org_id=None):
    """Start an emulator on a background thread; a missing client id or secret is generated."""
    client_id = client_id or "emu-" + secrets.token_hex(6)
    client_secret = client_secret or secrets.token_urlsafe(18)
    if isinstance(scopes, str):
        scopes = scopes.split()
    state = State(client_id, client_secret, scopes=scopes, rate_limit=rate_limit, token_lifetime=token_lifetime,
                  latency_ms=latency_ms, allow_http_webhooks=allow_http_webhooks,
                  delivery_backoff=delivery_backoff, state_file=state_file, org_name=org_name, org_id=org_id)
    state.load_file()
    dispatcher = Dispatcher(state)
    state.dispatcher = dispatcher
    server = make_server(host, port, create_app(state), threaded=True, request_handler=QuietRequestHandler)
    dispatcher.start()
    return EmulatorServer(state, server, dispatcher, client_id, client_secret).start()


def _parser():
    parser = argparse.ArgumentParser(prog="python -m genesys_emulator",
                                     description="Local emulator of the Genesys Cloud flex/custom-object contract.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--scopes", help="space-separated scopes of the client (default: all)")
    parser.add_argument("--state-file", help="load at start, save after every change and at exit")
    parser.add_argument("--rate-limit", type=int, default=300)
    parser.add_argument("--token-lifetime", type=int, default=3600)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--delivery-backoff", type=float, default=1.0)
    parser.add_argument("--allow-http-webhooks", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--org-name", help="the name of the org this emulator is (GET /api/v2/organizations/me)")
    parser.add_argument("--org-id", help="the org's id (default: a new uuid)")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    emulator = start_in_thread(client_id=args.client_id, client_secret=args.client_secret, scopes=args.scopes,
                               rate_limit=args.rate_limit, token_lifetime=args.token_lifetime,
                               latency_ms=args.latency_ms, state_file=args.state_file,
                               allow_http_webhooks=args.allow_http_webhooks, delivery_backoff=args.delivery_backoff,
                               host=args.host, port=args.port, org_name=args.org_name, org_id=args.org_id)
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    print(json.dumps({"url": emulator.url, "client_id": emulator.client_id,
                      "client_secret": emulator.client_secret}), flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
