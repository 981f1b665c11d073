"""Retry timing, rate-limit pacing and Transport.send's retry paths, with a fake clock (no real waiting).

The retry paths run against a scripted session (no network): what is retried, how long it waits, what
the metrics count and what the errors say, for a connection that is never made, one that fails after
the request may have been sent, and a retryable status; and that a create that may have been applied
is looked up, never sent blindly.
"""
import json

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError, ProtocolError

from ansible_collections.genesys.cloud.plugins.module_utils.errors import AmbiguousWriteError, GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.transport import RateLimitPacer, RetryPolicy, Transport

URL = "https://api.example.test/api/v2/things"
PATH = "/api/v2/things"


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0, rand=lambda: 1.0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    low = RetryPolicy(base_delay=0.5, max_delay=4.0, rand=lambda: 0.0)
    assert [low.delay(n) for n in range(1, 4)] == [0.25, 0.5, 1.0]


def test_retry_after_is_a_floor():
    policy = RetryPolicy(base_delay=0.5, rand=lambda: 1.0)
    assert 3.0 <= policy.delay(1, retry_after=3) <= 3.25
    assert policy.delay(4, retry_after=0) <= 0.25


def headers(count, allowed, reset):
    return {"inin-ratelimit-count": str(count), "inin-ratelimit-allowed": str(allowed),
            "inin-ratelimit-reset": str(reset)}


def test_pacer_does_not_wait_while_budget_remains():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    for count in range(1, 5):
        ticket = pacer.acquire()
        assert ticket.waited == 0 and ticket.member == 0
        pacer.release(ticket, headers(count, 10, 30))
    assert clock.sleeps == []


def test_pacer_waits_for_the_window_before_the_limit_is_reached():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    pacer.release(pacer.acquire(), headers(9, 10, 12))  # one left: the reserve, so the next request waits
    ticket = pacer.acquire()
    assert ticket.waited == 12 and clock.now == 1012.0
    pacer.release(ticket, headers(10, 10, 5))
    assert pacer.acquire().waited == 5


def test_pacer_ignores_answers_without_rate_headers():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    pacer.release(pacer.acquire(), {})
    assert pacer.acquire().waited == 0


def test_a_server_without_rate_headers_is_not_paced():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    pacer.release(pacer.acquire(), {"Content-Type": "application/json"}, 200)
    assert [pacer.acquire().waited for _ in range(20)] == [0] * 20


def test_after_the_window_moves_on_only_one_probe_goes_until_its_answer():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    pacer.release(pacer.acquire(), headers(10, 10, 3))
    clock.now += 5  # the window has moved on while nothing was in flight
    probe = pacer.acquire()
    assert probe.waited == 0
    assert not pacer.ready_elsewhere(1)  # everybody else holds back until the probe's answer
    pacer.release(probe, headers(4, 10, 30))
    assert pacer.acquire().waited == 0 and pacer.acquire().waited == 0


def test_a_new_token_is_probed_with_one_request_before_the_others_go():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    probe = pacer.acquire()
    assert pacer.budget() == (None, -1) and not pacer.ready_elsewhere(1)
    pacer.release(probe, headers(1, 10, 60))
    assert pacer.budget() == (10, 9)


def test_answers_arriving_out_of_order_never_give_back_a_spent_slot():
    """Four requests are counted 7, 8, 9, 10 of 10; their answers arrive newest first. The old code took the
    oldest answer's count last and believed three slots were free again: three 429s."""
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep, reserve=0)
    pacer.release(pacer.acquire(), headers(6, 10, 30))
    tickets = [pacer.acquire() for _ in range(4)]
    for ticket, count in reversed(list(zip(tickets, (7, 8, 9, 10)))):
        pacer.release(ticket, headers(count, 10, 30))
    assert pacer.budget() == (10, 0)
    waited = pacer.acquire().waited
    assert waited == 30  # the next request waits for the window


def test_a_429_shows_the_window_is_full_even_when_the_pacer_believed_otherwise():
    """Another process uses the same token: the answers said there was room, the 429 says there is none."""
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep, reserve=0)
    pacer.release(pacer.acquire(), headers(2, 10, 3))
    pacer.release(pacer.acquire(), headers(10, 10, 4), 429)
    assert pacer.budget() == (10, 0)
    assert pacer.acquire().waited == 4


def test_a_pool_spends_the_first_token_then_the_next():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep, reserve=0, members=3)
    used = []
    for _ in range(7):
        ticket = pacer.acquire()
        used.append(ticket.member)
        count = used.count(ticket.member)
        pacer.release(ticket, headers(count, 3, 60))
    assert used == [0, 0, 0, 1, 1, 1, 2] and clock.sleeps == []
    assert pacer.ready_elsewhere(0) and not pacer.ready_elsewhere(2)


def test_a_spent_pool_waits_for_the_first_window_to_move():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep, reserve=0, members=2)
    pacer.release(pacer.acquire(), headers(2, 2, 20))
    pacer.release(pacer.acquire(), headers(2, 2, 7))
    ticket = pacer.acquire()
    assert ticket.member == 1 and ticket.waited == 7


# -- Transport.send: the retry paths ---------------------------------------------------------

class FakeResponse:
    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})
        self.content = json.dumps(body).encode("utf-8") if body is not None else b""

    def json(self):
        return json.loads(self.content.decode("utf-8"))


class ScriptedSession:
    """Answers (or raises) the next scripted outcome for each request."""

    def __init__(self, outcomes):
        self.outcomes = list(outcomes)
        self.methods = []

    def request(self, method, url, **kwargs):
        self.methods.append(method)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def refused():
    """A connect that never reached the server."""
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, URL, reason=reason))


def unresolved():
    reason = NameResolutionError("api.example.test", None, OSError("Name or service not known"))
    return requests.exceptions.ConnectionError(MaxRetryError(None, URL, reason=reason))


def reset():
    """A connection dropped after the request may have been delivered."""
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104)))


def status(code, retry_after=None, body=None):
    headers = {"inin-correlation-id": "corr-%s" % code}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return FakeResponse(code, body if body is not None else {"message": "status %s" % code, "code": "x"}, headers)


def ok(code=200, body=None):
    return FakeResponse(code, body if body is not None else {"id": "t1"}, {"inin-correlation-id": "corr-ok"})


def transport(outcomes, **retry):
    clock = FakeClock()
    traces = []
    policy = RetryPolicy(rand=lambda: 1.0, **retry)  # delays 0.5, 1, 2, 4 ... with no jitter
    sent = Transport(retry=policy, sleep=clock.sleep, clock=clock, trace=traces.append)
    sent.session = ScriptedSession(outcomes)
    return sent, clock, traces


def send(sent, method="GET", **kwargs):
    return sent.send(method, URL, PATH, lambda member: {}, **kwargs)


def counters(sent, *names):
    metrics = sent.metrics.as_dict()
    return dict((name, metrics[name]) for name in names)


def test_every_kind_of_failure_shares_one_retry_count_and_one_wait_budget():
    sent, clock, traces = transport([refused(), reset(), status(503), status(429, retry_after=2), ok()])
    assert send(sent).data == {"id": "t1"}
    assert clock.sleeps == [0.5, 1.0, 2.0, 2.25]
    assert [(t["attempt"], t["wait"], t["status"], t["error"]) for t in traces] == [
        (1, 0.0, None, "ConnectionError"), (2, 0.5, None, "ConnectionError"), (3, 1.0, 503, None),
        (4, 2.0, 429, None), (5, 2.25, 200, None)]
    assert counters(sent, "requests", "retries", "waits", "wait_seconds", "rate_limited") == dict(
        requests=5, retries=4, waits=4, wait_seconds=5.75, rate_limited=1)


def test_retries_are_bounded_in_number_across_kinds():
    sent, clock, _ = transport([reset(), status(503), status(503)], max_retries=2)
    with pytest.raises(GenesysCloudError) as caught:
        send(sent)
    assert caught.value.status == 503 and caught.value.correlation_id == "corr-503"
    assert caught.value.message == "status 503 (gave up after 3 attempts and 1.5 s of waiting)"
    assert clock.sleeps == [0.5, 1.0] and sent.metrics.retries == 2


def test_a_connection_failing_after_sending_is_retried_then_given_up():
    sent, clock, _ = transport([reset(), reset()], max_retries=1)
    with pytest.raises(GenesysCloudError) as caught:
        send(sent)
    assert not isinstance(caught.value, AmbiguousWriteError)
    assert caught.value.message == "the connection failed (ConnectionError) after 2 attempts"
    assert clock.sleeps == [0.5] and sent.metrics.retries == 1


@pytest.mark.parametrize("failure, message", [
    (reset, "the connection failed (ConnectionError) after 2 attempts"),
    (lambda: status(503), "status 503 (gave up after 2 attempts and 0.5 s of waiting)"),
])
def test_retries_are_bounded_in_waiting_time(failure, message):
    sent, clock, _ = transport([failure(), failure(), failure()], max_wait_seconds=1.2)
    with pytest.raises(GenesysCloudError) as caught:
        send(sent)
    assert caught.value.message == message
    assert clock.sleeps == [0.5] and sent.metrics.retries == 1


def test_a_connection_never_made_is_retried_only_within_the_connect_budget():
    sent, clock, _ = transport([refused()] * 6)
    with pytest.raises(GenesysCloudError) as caught:
        send(sent)
    assert "the connection was refused; 3 attempt(s) in 1.5 s" in caught.value.message
    assert clock.sleeps == [0.5, 1.0] and sent.metrics.retries == 2


def test_a_host_name_that_does_not_resolve_is_not_retried():
    sent, clock, _ = transport([unresolved(), ok()])
    with pytest.raises(GenesysCloudError) as caught:
        send(sent)
    assert "does not resolve; 1 attempt(s)" in caught.value.message
    assert clock.sleeps == [] and sent.metrics.retries == 0


def test_a_tls_failure_is_not_retried():
    sent, clock, _ = transport([requests.exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER] wrong version"), ok()])
    with pytest.raises(GenesysCloudError) as caught:
        send(sent)
    assert "(not retried)" in caught.value.message and clock.sleeps == []


def test_a_create_that_never_reached_the_server_is_sent_again_without_a_lookup():
    sent, clock, _ = transport([refused(), ok(201)])
    looked = []
    answer = send(sent, "POST", replay_safe=False, recover=lambda: looked.append(1))
    assert answer.status == 201 and not answer.recovered and looked == [] and clock.sleeps == [0.5]


@pytest.mark.parametrize("failure", [reset, lambda: status(504)])
def test_a_create_that_may_have_been_applied_is_not_sent_again_without_a_lookup(failure):
    sent, clock, _ = transport([failure(), ok(201)])
    with pytest.raises(AmbiguousWriteError) as caught:
        send(sent, "POST", replay_safe=False)
    assert "not sent again so that nothing" in caught.value.message
    assert sent.session.methods == ["POST"] and clock.sleeps == [] and sent.metrics.retries == 0


def test_the_errors_for_a_create_that_may_have_been_applied():
    sent, _, _ = transport([reset()])
    with pytest.raises(AmbiguousWriteError) as caught:
        send(sent, "POST", replay_safe=False)
    assert caught.value.message == (
        "the connection failed (ConnectionError); the write may or may not have been applied, and it is not sent "
        "again so that nothing is created twice. Check the resource and run again.")
    sent, _, _ = transport([status(504)])
    with pytest.raises(AmbiguousWriteError) as caught:
        send(sent, "POST", replay_safe=False)
    assert caught.value.message == ("HTTP 504 on a write that may have been applied; it is not sent again so that "
                                    "nothing is created twice")
    assert caught.value.status == 504 and caught.value.correlation_id == "corr-504"


@pytest.mark.parametrize("failure, headers", [(reset, {}), (lambda: status(504), {"inin-correlation-id": "corr-504"})])
def test_a_create_found_by_its_lookup_is_not_sent_again(failure, headers):
    sent, clock, _ = transport([failure(), ok(201)])
    answer = send(sent, "POST", replay_safe=False, recover=lambda: {"id": "found"})
    assert (answer.status, answer.data, answer.recovered) == (200, {"id": "found"}, True)
    assert dict(answer.headers) == headers
    assert sent.session.methods == ["POST"] and clock.sleeps == []
    assert counters(sent, "recovered_writes", "retries") == dict(recovered_writes=1, retries=0)


@pytest.mark.parametrize("failure", [reset, lambda: status(504)])
def test_a_create_its_lookup_does_not_find_is_sent_again(failure):
    sent, clock, _ = transport([failure(), ok(201)])
    looked = []
    answer = send(sent, "POST", replay_safe=False, recover=lambda: looked.append(1))
    assert answer.status == 201 and not answer.recovered
    assert looked == [1] and sent.session.methods == ["POST", "POST"] and clock.sleeps == [0.5]
    assert counters(sent, "recovered_writes", "retries") == dict(recovered_writes=0, retries=1)


def test_a_429_on_a_create_is_waited_out_without_a_lookup():
    sent, clock, _ = transport([status(429, retry_after=3), ok(201)])
    looked = []
    answer = send(sent, "POST", replay_safe=False, recover=lambda: looked.append(1))
    assert answer.status == 201 and looked == [] and clock.sleeps == [3.125]


def test_a_401_reauthenticates_once():
    sent, _, _ = transport([status(401), ok()])
    calls = []
    assert send(sent, on_unauthorized=lambda member: calls.append(member)).status == 200
    assert calls == [0] and counters(sent, "reauthentications", "retries") == dict(reauthentications=1, retries=0)
    sent, _, _ = transport([status(401), status(401), ok()])
    with pytest.raises(GenesysCloudError) as caught:
        send(sent, on_unauthorized=lambda member: None)
    assert caught.value.status == 401


def test_metrics_count_each_token_of_a_pool_and_a_task_gets_its_share():
    from ansible_collections.genesys.cloud.plugins.module_utils.transport import Metrics

    metrics = Metrics(clock=FakeClock(), tokens=2)
    metrics.add("requests", member=0)
    before = metrics.as_dict()
    metrics.add("requests", member=1)
    metrics.add("rate_limited", member=1)
    metrics.add("requests")  # a token request: counted in all, for no token
    spent = metrics.since(before)
    assert spent["requests"] == 2 and spent["rate_limited"] == 1
    assert spent["tokens"] == [{"token": 1, "requests": 0, "rate_limited": 0, "reauthentications": 0},
                               {"token": 2, "requests": 1, "rate_limited": 1, "reauthentications": 0}]
    assert "tokens" not in Metrics(clock=FakeClock()).as_dict()  # one token: the keys every module documents


def test_a_429_on_one_token_of_a_pool_is_sent_again_at_once_on_another():
    clock = FakeClock()
    sent = Transport(retry=RetryPolicy(rand=lambda: 1.0), sleep=clock.sleep, clock=clock,
                     pacer=RateLimitPacer(clock=clock, sleep=clock.sleep, members=2))
    limited = FakeResponse(429, {"message": "slow down", "code": "too.many.requests"},
                           dict(headers(10, 10, 40), **{"Retry-After": "40"}))
    sent.session = ScriptedSession([FakeResponse(200, {"id": "t1"}, headers(3, 10, 60)), limited,
                                    FakeResponse(200, {"id": "t2"}, headers(1, 10, 60))])
    members = []
    sent.send("GET", URL, PATH, lambda member: members.append(member) or {})  # token 1: room for 6 more
    # Another process spent token 1's window: its 429 sends the request to token 2 with no wait.
    assert sent.send("GET", URL, PATH, lambda member: members.append(member) or {}).data == {"id": "t2"}
    assert members == [0, 0, 1] and clock.sleeps == []
    assert counters(sent, "rate_limited", "retries", "waits") == dict(rate_limited=1, retries=1, waits=0)
