"""Rate control: random loss does not slow the scan, congestion does; the timeout follows RTTs."""

from __future__ import annotations

import random

from paquet.probe.rate import RateController


def _window(rng: random.Random, n: int, p_answer: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p_answer)


def test_random_loss_never_backs_off() -> None:
    # 5 % loss on a link crossed twice: ~9.75 % of probes unanswered, uniformly over windows.
    rng = random.Random(1)
    rc = RateController(max_rate=100_000, start_rate=1_000)
    for _ in range(2000):
        rc.window_done(200, _window(rng, 200, 0.9025))
    assert rc.backoffs == 0
    assert rc.rate == 100_000


def test_filtered_ports_in_random_order_are_not_congestion() -> None:
    # 30 % of the targets never answer (filtered): the same share in every window.
    rng = random.Random(2)
    rc = RateController(max_rate=50_000, start_rate=5_000)
    for _ in range(3000):
        rc.window_done(100, _window(rng, 100, 0.7))
    assert rc.backoffs == 0


def test_congestion_halves_the_rate_and_recovers() -> None:
    rng = random.Random(3)
    rc = RateController(max_rate=100_000, start_rate=100_000)
    for _ in range(20):
        rc.window_done(200, _window(rng, 200, 0.95))
    rc.window_done(200, _window(rng, 200, 0.45))  # one low window: could be chance
    assert rc.backoffs == 0
    for _ in range(3):  # a queue overflows: half the answers keep being lost
        rc.window_done(200, _window(rng, 200, 0.45))
    assert rc.backoffs == 2 and rc.rate == 25_000
    for _ in range(40):
        rc.window_done(200, _window(rng, 200, 0.95))
    assert rc.rate == 100_000


def test_rate_stays_within_bounds() -> None:
    rc = RateController(max_rate=1_000, min_rate=100, start_rate=1_000)
    for _ in range(50):
        rc.backoff()
    assert rc.rate == 100


def test_rto_follows_rfc6298() -> None:
    rc = RateController(rto_min=0.0, rto_max=10.0)
    rc.rtt_sample(0.1)
    assert abs(rc.rto - (0.1 + 4 * 0.05)) < 1e-12
    for _ in range(100):
        rc.rtt_sample(0.1)
    assert abs(rc.rto - 0.1) < 0.01


def test_one_backoff_per_congestion_event() -> None:
    """Windows already in flight when the rate was halved do not halve it again."""
    import time

    rc = RateController(max_rate=100_000, start_rate=100_000)
    for _ in range(10):
        rc.window_done(200, 190, time.monotonic())
    sent_before = time.monotonic()
    rc.window_done(200, 60, sent_before)
    rc.window_done(200, 60, sent_before)
    assert rc.backoffs == 1 and rc.rate == 50_000
    for _ in range(20):  # the rest of the windows sent at the old rate: ignored
        rc.window_done(200, 60, sent_before)
    assert rc.backoffs == 1
    for _ in range(2):  # still congested at the new rate: halve again
        rc.window_done(200, 60, time.monotonic())
    assert rc.backoffs == 2


def test_a_maximum_below_the_default_minimum_is_kept() -> None:
    # nmap's -T2 (2.5 probes per second) is below the default minimum of 10
    from paquet.probe.rate import RateController

    rc = RateController(max_rate=2.5, min_rate=min(10.0, 2.5), start_rate=2.5)
    assert rc.rate == rc.max_rate == 2.5


def _judged_early(rng: random.Random, rc: RateController, n: int, p_answer: float) -> None:
    """One window as the engine judges it: answers arrive one by one; it is judged as soon as
    ``healthy_now`` says so, else with its final count (its timeout)."""
    final = _window(rng, n, p_answer)
    for got in range(final + 1):
        if rc.healthy_now(n, got):
            rc.window_done(n, got)
            return
    rc.window_done(n, final)


def test_early_verdicts_keep_random_loss_and_congestion_apart() -> None:
    # Healthy windows judged on their partial counts must not drag the baseline down until a
    # real drop looks normal: random loss still never backs off, halving the answers still does.
    rng = random.Random(4)
    rc = RateController(max_rate=100_000, start_rate=1_000)
    for _ in range(2000):
        _judged_early(rng, rc, 200, 0.9025)
    assert rc.backoffs == 0 and rc.rate == 100_000
    for _ in range(3):
        _judged_early(rng, rc, 200, 0.45)
    assert rc.backoffs == 1


def test_a_silent_target_is_probed_at_full_rate_before_the_first_timeout() -> None:
    # Nothing answers (a -Pn scan of a silent host): no round trip, no verdict before 0.5 s;
    # the rate grows with every window sent, as it would with every healthy window.
    rc = RateController(max_rate=400_000)
    windows = 0
    while rc.rate < rc.max_rate:
        rc.sent_blind()
        windows += 1
    assert windows <= 16 and rc.rto == 0.5  # about 16 windows of 4 ms: well within 0.5 s
    rc.window_done(100, 0)  # its first window's timeout: the baseline is "nothing answers"
    assert rc.rate == rc.max_rate and rc.backoffs == 0


def test_no_blind_growth_once_answers_or_congestion_are_seen() -> None:
    answered = RateController(max_rate=400_000)
    answered.rtt_sample(0.002)
    congested = RateController(max_rate=400_000)
    congested.backoff()
    for rc in (answered, congested):
        before = rc.rate
        rc.sent_blind()
        assert rc.rate == before
