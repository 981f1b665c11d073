"""Retry timing and rate-limit pacing, with a fake clock (no real waiting)."""
from ansible_collections.genesys.cloud.plugins.module_utils.transport import RateLimitPacer, RetryPolicy


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
        assert pacer.acquire() == 0
        pacer.release(headers(count, 10, 30))
    assert clock.sleeps == []


def test_pacer_waits_for_the_window_before_the_limit_is_reached():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.release(headers(9, 10, 12))  # one left: the reserve, so the next request waits
    waited = pacer.acquire()
    assert waited == 12 and clock.now == 1012.0
    pacer.release(headers(10, 10, 5))
    assert pacer.acquire() == 5


def test_pacer_ignores_answers_without_rate_headers():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.release({})
    assert pacer.acquire() == 0


def test_after_the_window_moves_on_only_one_probe_goes_until_its_answer():
    clock = FakeClock()
    pacer = RateLimitPacer(clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.release(headers(10, 10, 3))
    clock.now += 5  # the window has moved on while nothing was in flight
    assert pacer.acquire() == 0  # the probe
    assert pacer._remaining - pacer._in_flight <= pacer._reserve  # everybody else holds back
    pacer.release(headers(4, 10, 30))
    assert pacer.acquire() == 0 and pacer.acquire() == 0
