"""Fixtures for the emulator's contract tests.

`emu_server` is one emulator per test session (per xdist worker); `emu` resets it before each
test and wraps `requests` with the conveniences the tests share (see emu_helpers.py).
`receiver` is a tiny local HTTP server that records webhook deliveries and answers with
scripted statuses.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emu_helpers import CLIENT_ID, CLIENT_SECRET, Emu, Receiver  # noqa: E402

import genesys_emulator  # noqa: E402


@pytest.fixture(scope="session")
def emu_server():
    server = genesys_emulator.start_in_thread(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                              delivery_backoff=0.05)
    yield server
    server.stop()


@pytest.fixture
def emu(emu_server):
    client = Emu(emu_server)
    client.control("POST", "/reset", json={})
    yield client
    client.session.close()


@pytest.fixture
def receiver():
    instance = Receiver()
    yield instance
    instance.close()
