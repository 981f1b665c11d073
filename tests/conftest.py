"""Fixtures shared by every test: the emulator, its control client, and a playbook runner."""
import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, REPO)

from collection_link import ensure_link  # noqa: E402

COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
ensure_link(COLLECTIONS_ROOT)
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)

from tests.support.emulator_control import EmulatorControl  # noqa: E402
from tests.support.playbook import play, run_playbook  # noqa: E402

CLIENT_ID = "collection-tests"
CLIENT_SECRET = "collection-tests-secret"


@pytest.fixture(scope="session")
def emulator_server():
    from genesys_emulator import start_in_thread

    server = start_in_thread(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, rate_limit=100000)
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server, monkeypatch):
    """A freshly reset emulator (an empty org) and the means to inspect and disturb it.

    In-process plugin code under test gets an empty run-wide token store too, as a new
    ``ansible-playbook`` run would: no token leaks from one test into the next.
    """
    from ansible_collections.genesys.cloud.plugins.plugin_utils import token_store

    monkeypatch.setattr(token_store, "STORE", token_store.SharedTokenStore())
    control = EmulatorControl(emulator_server.url, CLIENT_ID, CLIENT_SECRET)
    control.reset()
    return control


@pytest.fixture
def playbook(emulator, tmp_path):
    """Run a list of tasks (or plays) against the emulator: ``playbook(tasks, check=..., diff=...)``."""

    def runner(tasks_or_plays, env=None, **kwargs):
        plays = tasks_or_plays
        if isinstance(tasks_or_plays, list) and tasks_or_plays and "hosts" not in tasks_or_plays[0]:
            plays = play(tasks_or_plays)
        run_env = dict(emulator.env)
        run_env.update(env or {})
        workdir = kwargs.pop("workdir", None) or str(tmp_path / ("run%d" % len(os.listdir(tmp_path))))
        os.makedirs(workdir, exist_ok=True)
        return run_playbook(plays, env=run_env, workdir=workdir, **kwargs)

    return runner
