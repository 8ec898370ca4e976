"""Rate control: pace the probes, back off on congestion but not on random loss, time out late.

Probes leave in *windows* (a few milliseconds of sending each); a probe's source port names its
window's slot (see :mod:`paquet.probe.cookies`), so every reply says which window it answers. When a
window is old enough (its last probe sent one retransmission timeout ago) its answer ratio is
compared with the baseline, the running average of the healthy windows before it:

- The rate starts low (2,000 probes/s) and grows by half per healthy window (slow start) until
  the first sign of congestion, then by 1/8: the baseline is learnt below the path's capacity,
  so loss present from the first probe on is not mistaken for random loss.
- A window is judged healthy as soon as its answers reach the baseline (answers only add up:
  waiting for its timeout could not change that verdict), so slow start grows at the pace of
  the round trip, not of the timeout; a low window is judged when it is old enough.
- Until the first answer (no round trip measured, nothing to judge before the initial timeout
  of 0.5 s), slow start grows by half per window *sent*: without answers there is no evidence
  of loss to wait for (nmap grows on timeouts that show no drops, masscan never slows down). A
  target that never answers is scanned at full rate after a few windows; one that answers late
  is judged on its first windows, sent at the low starting rate, and the windows sent faster
  are compared with them.
- Random loss (a lossy link) lowers every window's ratio alike: the baseline follows it and the
  rate keeps growing; the lost probes are found again by the retransmission rounds.
- Congestion (a queue overflowing somewhere: the target, a router, or our own receive buffer)
  makes the *latest* windows answer less than the baseline: when two windows in a row fall more
  than three standard deviations of a binomial sample below the baseline (and at least 10
  points), the rate is halved (multiplicative decrease), once per congestion event: windows sent
  before the back-off took effect are not judged again; each healthy window grows the rate by
  1/8 up to the maximum.

Accuracy (simulated in ``tests/probe/test_rate.py``): with 5 % loss on a link crossed twice
(9.75 % of probes unanswered) or 30 % filtered targets, no back-off in thousands of windows; a
drop of the answer ratio by half is detected after two windows (about 8 ms at full rate).
- Packets the kernel dropped on our receive socket are congestion by definition: halve.

Because the probe order is a random permutation, the share of silent (filtered) targets is the same
in every window, so a window with many filtered ports is not mistaken for congestion.

The retransmission timeout follows RFC 6298 (``srtt + 4 * rttvar``) on the replies' window ages,
with a floor (the time for the receiver to catch up) and a ceiling.

>>> rc = RateController(max_rate=1000.0, start_rate=1000.0)
>>> rc.window_done(sent=100, answered=95)   # baseline near 95 %
>>> rc.window_done(sent=100, answered=94)   # random loss: same ratio, no back-off
>>> rc.rate
1000.0
>>> rc.window_done(sent=100, answered=40)   # the ratio collapses once: maybe chance
>>> rc.window_done(sent=100, answered=40)   # twice: congestion
>>> rc.rate
500.0
"""

from __future__ import annotations

import math
import time

__all__ = ["RateController"]


class RateController:
    """Pacing rate (probes per second), congestion detection, and the retransmission timeout."""

    __slots__ = (
        "_low",
        "backoffs",
        "baseline",
        "last_backoff",
        "max_rate",
        "min_rate",
        "rate",
        "rto_max",
        "rto_min",
        "rttvar",
        "slow_start",
        "srtt",
        "windows",
    )

    def __init__(self, max_rate: float = 200_000.0, min_rate: float = 10.0,
                 start_rate: float | None = None, rto_min: float = 0.03,
                 rto_max: float = 1.0) -> None:
        self.max_rate = max(max_rate, min_rate)
        self.min_rate = min_rate
        self.rate = min(self.max_rate, start_rate if start_rate else max(min_rate, 2_000.0))
        self.slow_start = True
        self.baseline: float | None = None
        self.srtt: float | None = None
        self.rttvar = 0.0
        self.rto_min = rto_min
        self.rto_max = rto_max
        self.backoffs = 0
        self.windows = 0
        self._low = 0
        self.last_backoff = float("-inf")

    def window_done(self, sent: int, answered: int, started: float | None = None) -> None:
        """Account one finished window of the first pass (``answered`` of ``sent`` probes).

        ``started`` (``time.monotonic()`` when the window's first probe left): a window that left
        before the last back-off took effect says nothing new (it was sent at the old rate), so
        one congestion event halves the rate once, not once per window in flight.
        """
        if sent <= 0:
            return
        if started is not None and started < self.last_backoff:
            return
        self.windows += 1
        ratio = min(1.0, answered / sent)
        b = self.baseline
        if b is None:
            self.baseline = ratio
            self._grow()
            return
        sigma = math.sqrt(max(b * (1.0 - b), 1e-4) / sent)
        if ratio < b - max(0.10, 3.0 * sigma):
            # One low window can be chance (a 3-sigma dip: about 1 in 700 windows); two in a
            # row is congestion (about 1 in 500,000 by chance).
            self._low += 1
            self.slow_start = False
            if self._low >= 2:
                self.backoff()
            return
        self._low = 0
        self.baseline = 0.8 * b + 0.2 * ratio
        self._grow()

    def sent_blind(self) -> None:
        """A first-pass window has left: grow as slow start does if nothing has answered yet
        (no round trip measured) and no congestion was seen.

        >>> rc = RateController(max_rate=10_000.0)
        >>> rc.sent_blind(); rc.rate
        3000.0
        >>> rc.rtt_sample(0.001); rc.sent_blind(); rc.rate   # answers: judged windows only
        3000.0
        """
        if self.slow_start and self.srtt is None and not self.backoffs:
            self._grow()

    def healthy_now(self, sent: int, answered: int) -> bool:
        """Whether a window of ``sent`` probes, ``answered`` so far, may be judged before its
        timeout: every probe answered, or its ratio already at the baseline.

        >>> rc = RateController()
        >>> rc.healthy_now(100, 90), rc.healthy_now(100, 100)   # no baseline yet
        (False, True)
        >>> rc.window_done(100, 90); rc.healthy_now(100, 80), rc.healthy_now(100, 90)
        (False, True)
        """
        if answered >= sent:
            return True
        b = self.baseline
        return b is not None and sent > 0 and answered / sent >= b

    def _grow(self) -> None:
        self.rate = min(self.max_rate, self.rate * (1.5 if self.slow_start else 1.125))

    def backoff(self) -> None:
        """Halve the rate (not below the minimum): congestion was seen."""
        self.last_backoff = time.monotonic()
        self._low = 0
        self.backoffs += 1
        self.rate = max(self.min_rate, self.rate / 2.0)

    def rtt_sample(self, rtt: float) -> None:
        """Feed one round-trip sample (seconds), RFC 6298 smoothing."""
        if rtt < 0:
            return
        if self.srtt is None:
            self.srtt = rtt
            self.rttvar = rtt / 2.0
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - rtt)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt

    @property
    def rto(self) -> float:
        """The retransmission timeout: how long to wait for a probe's answer."""
        if self.srtt is None:
            return min(self.rto_max, 0.5)
        return min(self.rto_max, max(self.rto_min, self.srtt + 4.0 * self.rttvar))
