"""The run-wide token store: shared by forked workers, keyed per org and credentials, one fetch at a time."""
import multiprocessing
import time

from ansible_collections.genesys.cloud.plugins.module_utils.auth import TokenManager
from ansible_collections.genesys.cloud.plugins.plugin_utils.token_store import MAX_TOKEN_BYTES, SharedTokenStore

FORK = multiprocessing.get_context("fork")
LOGIN = "https://login.example.com"


class Answer:
    status = 200
    correlation_id = None

    def __init__(self, data):
        self.data = data


class CountingTransport:
    """The token endpoint: every fetch is counted in shared memory (fetches happen in child processes)."""

    def __init__(self, fetches, delay=0.0, lifetime=3600):
        self.fetches = fetches
        self.delay = delay
        self.lifetime = lifetime

    def send(self, method, url, display_path, headers_fn, **kwargs):
        with self.fetches.get_lock():
            self.fetches.value += 1
            number = self.fetches.value
        time.sleep(self.delay)
        return Answer({"access_token": "token-%d" % number, "expires_in": self.lifetime})


def manager(store, fetches, client_id="cid", secret="secret", **transport):
    return TokenManager(CountingTransport(fetches, **transport), LOGIN, client_id, secret, cache=store)


def in_children(count, target, *args):
    results = FORK.Queue()
    children = [FORK.Process(target=target, args=(results,) + args) for _ in range(count)]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
        assert child.exitcode == 0
    return sorted(results.get(timeout=5) for _ in children)


def fetch_one(results, store, fetches, client_id):
    results.put(manager(store, fetches, client_id=client_id, delay=0.2).token())


def test_concurrent_workers_of_one_org_fetch_one_token_and_later_workers_reuse_it():
    store, fetches = SharedTokenStore(), FORK.Value("i", 0)
    assert in_children(3, fetch_one, store, fetches, "cid") == ["token-1"] * 3
    assert in_children(2, fetch_one, store, fetches, "cid") == ["token-1"] * 2
    assert fetches.value == 1


def test_each_org_or_credential_gets_its_own_token():
    store, fetches = SharedTokenStore(), FORK.Value("i", 0)
    first = in_children(1, fetch_one, store, fetches, "acme")
    second = in_children(1, fetch_one, store, fetches, "globex")
    assert first != second and fetches.value == 2
    other_secret = manager(store, fetches, client_id="acme", secret="another").token()
    assert other_secret not in first + second and fetches.value == 3
    assert in_children(1, fetch_one, store, fetches, "acme") == first and fetches.value == 3


def reject_then_fetch(results, store, fetches, rejected):
    tokens = manager(store, fetches)
    tokens.invalidate(rejected)
    results.put(tokens.token())


def test_a_rejected_token_is_replaced_once_for_every_worker():
    store, fetches = SharedTokenStore(), FORK.Value("i", 0)
    assert manager(store, fetches).token() == "token-1"
    # A worker got a 401 with token-1: it fetches token-2, which the next worker reuses even
    # though it too was rejected with token-1 (it must not throw token-2 away).
    assert in_children(1, reject_then_fetch, store, fetches, "token-1") == ["token-2"]
    assert in_children(1, reject_then_fetch, store, fetches, "token-1") == ["token-2"]
    assert fetches.value == 2


def test_an_expired_shared_token_is_refreshed():
    store, fetches = SharedTokenStore(), FORK.Value("i", 0)
    now = [1000.0]
    first = TokenManager(CountingTransport(fetches, lifetime=100), LOGIN, "cid", "s", clock=lambda: now[0],
                         cache=store)
    assert first.token() == "token-1"
    now[0] += 95  # past the refresh margin
    second = TokenManager(CountingTransport(fetches, lifetime=100), LOGIN, "cid", "s", clock=lambda: now[0],
                          cache=store)
    assert second.token() == "token-2" and fetches.value == 2


def test_a_fixed_access_token_bypasses_the_store():
    store, fetches = SharedTokenStore(), FORK.Value("i", 0)
    tokens = TokenManager(CountingTransport(fetches), LOGIN, access_token="given", cache=store)
    assert tokens.token() == "given" and fetches.value == 0
    assert store.get(store.key(LOGIN + "/oauth/token", None, None)) is None


def test_full_table_evicts_the_token_that_expires_first_and_oversized_tokens_are_not_shared():
    store = SharedTokenStore(slots=2)
    keys = [store.key(LOGIN, "c%d" % n, "s") for n in range(3)]
    store.put(keys[0], "a", 50.0)
    store.put(keys[1], "b", 10.0)
    store.put(keys[2], "c", 70.0)
    assert store.get(keys[0]) == ("a", 50.0) and store.get(keys[1]) is None and store.get(keys[2]) == ("c", 70.0)
    store.put(keys[0], "x" * (MAX_TOKEN_BYTES + 1), 90.0)
    assert store.get(keys[0]) == ("a", 50.0)
    store.discard(keys[0], "not-the-stored-one")
    assert store.get(keys[0]) == ("a", 50.0)
    store.discard(keys[0], "a")
    assert store.get(keys[0]) is None


def test_keys_are_salted_per_run():
    one, two = SharedTokenStore(), SharedTokenStore()
    assert one.key(LOGIN, "cid", "secret") != two.key(LOGIN, "cid", "secret")
    assert one.key(LOGIN, "cid", "secret") == one.key(LOGIN, "cid", "secret")


def test_each_token_of_a_pool_has_its_own_slot_and_a_rejected_one_is_replaced_alone():
    store, fetches = SharedTokenStore(), FORK.Value("i", 0)
    pool = [TokenManager(CountingTransport(fetches), LOGIN, "cid", "secret", cache=store, member=n) for n in range(3)]
    assert [tokens.token() for tokens in pool] == ["token-1", "token-2", "token-3"]
    # The first token of a pool keeps the key a client without a pool has: the two share it.
    assert manager(store, fetches).token() == "token-1"
    assert store.key(LOGIN, "cid", "secret", None, 0) == store.key(LOGIN, "cid", "secret")
    assert store.key(LOGIN, "cid", "secret", None, 1) != store.key(LOGIN, "cid", "secret", None, 2)
    # A later task's pool reads the same three tokens; a 401 on the second renews only the second.
    later = [TokenManager(CountingTransport(fetches), LOGIN, "cid", "secret", cache=store, member=n) for n in range(3)]
    later[1].invalidate("token-2")
    assert [tokens.token() for tokens in later] == ["token-1", "token-4", "token-3"] and fetches.value == 4
