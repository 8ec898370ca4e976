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
