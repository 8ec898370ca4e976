"""The asynchronous, stateless probe engine: send in a random order, match on the fly, retry.

The engine drives a :class:`ProbeSpace` (what to send for probe ``idx`` and how to read a reply:
:mod:`paquet.probe.scan` and :mod:`paquet.probe.discover` define theirs). One thread sends and
receives: it sends a burst, drains the receive sockets, paces itself to the controller's rate and
repeats, so replies are matched while probes are still leaving.

Rounds: the first pass sends every probe once in the permutation's order; each further round
re-sends the probes still unanswered. The engine stops when no probe is left unanswered or when
another round is not worth it: after ``k`` attempts the per-probe loss ``q`` is estimated from the
attempts the answered probes needed (``q = failed attempts / attempts``), and an answerable probe is
still silent with probability ``q**k``; with ``T`` answers so far, ``T * q**k`` is the expected
number of wrong "no answer" verdicts. Rounds go on while that is above ``epsilon`` (0.01 by
default) or while the last round still brought answers, within ``max_retries``. That number is
reported as the scan's stated accuracy (:attr:`EngineStats.expected_errors`).
"""

from __future__ import annotations

import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from paquet.probe.cookies import SLOTS
from paquet.probe.order import Permutation, Sequential
from paquet.probe.rate import RateController
from paquet.probe.rawio import RawReceiver
from paquet.probe.records import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from queue import SimpleQueue
    from typing import Protocol
else:
    from _queue import SimpleQueue  # (queue.py's own imports cost a scan's start 1 ms)

    Protocol = object  # (typing costs 2 ms; the protocol is for the type checker)

__all__ = ["EngineStats", "ProbeSpace", "run"]


class ProbeSpace(Protocol):
    """The probes of one job, numbered ``0..size-1``, as the engine sees them."""

    @property
    def codes(self) -> bytearray:
        """One byte per probe: 0 while unanswered, else the space's own answer code."""
        ...

    @property
    def receivers(self) -> Sequence[RawReceiver]:
        """The sockets the answers arrive on."""
        ...

    def send(self, idx: int, slot: int) -> bool:
        """Send probe ``idx`` in window ``slot``; False if the kernel refused it for now."""
        ...

    def match(self, data: bytes) -> tuple[int, int] | None:
        """Read one received packet; when it is a new, valid answer, record it in ``codes`` and
        return ``(idx, slot)``; otherwise None."""
        ...


@dataclass
class EngineStats:
    """What the engine did: counts, the loss it measured, the accuracy it states."""

    sent: int = 0
    retransmitted: int = 0
    answered: int = 0
    rounds: int = 0
    loss: float = 0.0
    """Estimated probability that one probe (or its answer) is lost."""
    expected_errors: float = 0.0
    """Expected number of answerable probes wrongly left without an answer (stated accuracy)."""
    backoffs: int = 0
    kernel_drops: int = 0
    final_rate: float = 0.0
    srtt: float | None = None
    elapsed: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {
            "sent": self.sent,
            "retransmitted": self.retransmitted,
            "answered": self.answered,
            "rounds": self.rounds,
            "loss": round(self.loss, 5),
            "expected_errors": self.expected_errors,
            "backoffs": self.backoffs,
            "kernel_drops": self.kernel_drops,
            "final_rate": round(self.final_rate, 1),
            "srtt": self.srtt,
            "elapsed": round(self.elapsed, 4),
        }


class _Run:
    """The state of one engine run (kept together so the hot loop reads locals)."""

    def __init__(self, space: ProbeSpace, rate: RateController, max_retries: int) -> None:
        self.space = space
        self.rate = rate
        self.max_retries = max_retries
        self.stats = EngineStats()
        self.slot_start = [0.0] * SLOTS
        self.slot_end = [0.0] * SLOTS
        self.slot_sent = [0] * SLOTS
        self.slot_ans = [0] * SLOTS
        self.slot_round = [0] * SLOTS
        self.pending: deque[int] = deque()
        self.by_round = [0] * (max_retries + 2)
        self.window = 0
        self.fds = [r.fileno() for r in space.receivers]
        self.last_rx = 0.0
        self.in_order = False  # probes must leave in their order (nmap's -r): one lane

    def drain(self) -> int:
        """Read and match everything queued; return the number of new answers."""
        space = self.space
        match = space.match
        new = 0
        now = time.monotonic()
        slot_ans = self.slot_ans
        by_round = self.by_round
        slot_round = self.slot_round
        recv_match = getattr(space, "recv_match", None)
        for rx in space.receivers:
            recv_many = getattr(rx, "recv_many", None)
            while True:
                judged = recv_match(rx) if recv_match is not None else None
                if judged is not None:  # the space judged most answers itself (in C)
                    slots, batch = judged
                    if not slots and not batch:
                        break
                    for slot in slots:
                        new += 1
                        slot_ans[slot] += 1
                        by_round[slot_round[slot]] += 1
                        if slot_ans[slot] == 1:
                            end = self.slot_end[slot] or now
                            self.rate.rtt_sample(now - (self.slot_start[slot] + end) / 2.0)
                elif recv_many is not None:
                    batch = recv_many()
                else:
                    one = rx.recv()
                    batch = [] if one is None else [one]
                if not batch:
                    if judged is not None:
                        continue
                    break
                for data in batch:
                    m = match(data)
                    if m is None:
                        continue
                    new += 1
                    slot = m[1]
                    slot_ans[slot] += 1
                    by_round[slot_round[slot]] += 1
                    if slot_ans[slot] == 1:  # one RTT sample per window is plenty
                        end = self.slot_end[slot] or now
                        self.rate.rtt_sample(now - (self.slot_start[slot] + end) / 2.0)
        if new:
            self.last_rx = now
            self.stats.answered += new
        return new

    def wait(self, until: float, early: bool = False) -> None:
        """Receive until the monotonic time ``until`` (``early``: or until every probe of the
        space is answered)."""
        codes = self.space.codes
        while True:
            left = until - time.monotonic()
            if left <= 0:
                self.drain()
                return
            if early and 0 not in codes:
                return
            try:
                r, _, _ = select.select(self.fds, [], [], left)
            except InterruptedError:
                continue
            if r:
                self.drain()

    def settle(self, final: bool = False) -> None:
        """Judge the first-pass windows old enough; check the kernel's drop counters."""
        now = time.monotonic()
        rate = self.rate
        rto = rate.rto
        pending = self.pending
        slot_sent, slot_ans = self.slot_sent, self.slot_ans
        while pending:
            s = pending[0]
            if not (final or self.slot_end[s] + rto <= now
                    or rate.healthy_now(slot_sent[s], slot_ans[s])):
                break
            pending.popleft()
            rate.window_done(slot_sent[s], slot_ans[s], self.slot_start[s])
        drops = sum(rx.drops() for rx in self.space.receivers)
        if drops:
            self.stats.kernel_drops += drops
            self.rate.backoff()

    def send_round(self, indices: Iterable[int], rnd: int,
                   progress: Callable[[int], None] | None) -> None:
        """Send every still-unanswered probe of ``indices`` once, paced, draining as it goes.

        With a space that has two sending lanes (``lanes``/``send_batch``), each burst is split
        between this thread and a helper thread: a probe's ``sendto`` carries it through the
        kernel's whole path (every namespace it crosses, in softirq), which runs without the GIL,
        so two lanes keep two CPUs busy. Probes sent in order (``-r``) keep to one lane: two
        would interleave them on the wire.
        """
        space = self.space
        codes = space.codes
        send = space.send
        lanes = int(getattr(space, "lanes", 1))
        helper: _Helper | None = _Helper(space) if lanes > 1 and not self.in_order else None
        send_batch = getattr(space, "send_batch", None)
        rate = self.rate
        stats = self.stats
        it = iter(indices)
        next_time = time.monotonic()
        exhausted = False
        consumed = 0
        # A space whose per-probe loop is in C takes bigger bursts (one call, one sendmmsg).
        big = int(getattr(space, "burst_size", 0) or 0)
        burst_size = 32 if helper is None else 48
        try:
            while not exhausted:
                slot = self.window % SLOTS
                self.window += 1
                self.slot_start[slot] = time.monotonic()
                self.slot_end[slot] = 0.0
                self.slot_sent[slot] = 0
                self.slot_ans[slot] = 0
                self.slot_round[slot] = rnd
                size = max(16, int(rate.rate * 0.004))
                if big:
                    burst_size = min(big, max(32, size))
                if rate.max_rate < 1000:  # polite rates (nmap's -T0..-T2): one probe at a time
                    burst_size = 1
                count = 0
                while count < size:
                    burst = 0
                    if send_batch is None:
                        for idx in it:
                            consumed += 1
                            if codes[idx]:
                                continue
                            if send(idx, slot):
                                burst += 1
                            if burst >= burst_size:
                                break
                        else:
                            exhausted = True
                    else:
                        chunk = list(islice(it, burst_size))
                        consumed += len(chunk)
                        exhausted = len(chunk) < burst_size
                        todo = [idx for idx in chunk if not codes[idx]]
                        if todo and helper is not None:
                            helper.submit(todo[1::2], slot)
                            burst += send_batch(todo[::2], slot, 0)
                            self.drain()
                            burst += helper.result()
                        elif todo:
                            burst += send_batch(todo, slot, 0)
                    count += burst
                    self.drain()
                    if exhausted:
                        break
                    next_time += burst / rate.rate
                    now = time.monotonic()
                    if next_time > now:
                        self.wait(next_time)
                    elif now - next_time > 0.05:
                        next_time = now  # do not burst to catch up after a stall
                self.slot_sent[slot] = count
                self.slot_end[slot] = time.monotonic()
                stats.sent += count
                if rnd:
                    stats.retransmitted += count
                else:
                    self.pending.append(slot)
                    rate.sent_blind()
                self.settle()
                if progress is not None:
                    progress(consumed)
                    consumed = 0
        finally:
            if helper is not None:
                helper.stop()


class _Helper:
    """A second sending lane: a thread that sends the probes it is handed (lane 1)."""

    def __init__(self, space: ProbeSpace) -> None:
        self.space = space
        self.jobs: SimpleQueue[tuple[list[int], int] | None] = SimpleQueue()
        self.done: SimpleQueue[int | BaseException] = SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="paquet-send-lane", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        send_batch = getattr(self.space, "send_batch")  # noqa: B009
        while True:
            job = self.jobs.get()
            if job is None:
                return
            idxs, slot = job
            try:
                self.done.put(send_batch(idxs, slot, 1))
            except BaseException as exc:  # handed back to the engine's thread
                self.done.put(exc)

    def submit(self, idxs: list[int], slot: int) -> None:
        """Hand a list of probes to the lane."""
        self.jobs.put((idxs, slot))

    def result(self) -> int:
        """Wait for the lane's last job; the number of probes it sent."""
        r = self.done.get()
        if isinstance(r, BaseException):
            raise r
        return r

    def stop(self) -> None:
        """End the thread."""
        self.jobs.put(None)
        self.thread.join(timeout=5)


def run(
    space: ProbeSpace,
    order: Permutation,
    rate: RateController,
    *,
    max_retries: int = 10,
    min_retries: int = 1,
    epsilon: float = 0.01,
    skip: int = 0,
    progress: Callable[[int], None] | None = None,
    checkpoint: Callable[[int], None] | None = None,
) -> EngineStats:
    """Send every probe of ``space`` in ``order`` (from its ``skip``-th on), retry, and return the
    statistics. ``progress(n)`` is called with the number of first-pass probes just handled;
    ``checkpoint(position)`` with the first-pass position reached (to resume from), about once a
    second and at the end of the first pass.
    """
    start = time.monotonic()
    r = _Run(space, rate, max_retries)
    r.in_order = isinstance(order, Sequential)
    stats = r.stats
    position = skip
    last_check = start

    def first_pass_progress(n: int) -> None:
        nonlocal position, last_check
        position += n
        if progress is not None:
            progress(n)
        if checkpoint is not None:
            now = time.monotonic()
            if now - last_check >= 1.0:
                last_check = now
                checkpoint(position)

    codes = space.codes
    r.send_round(order.walk(skip), 0, first_pass_progress)
    if checkpoint is not None:
        checkpoint(position)
    r.wait(time.monotonic() + r.rate.rto, early=True)
    r.settle(final=True)
    stats.rounds = 1
    unanswered = [i for i in order if not codes[i]] if 0 in codes else []
    attempts = 1
    last_new = stats.answered
    while unanswered and attempts <= max_retries:
        answered_total = stats.answered
        tries = sum((k + 1) * a for k, a in enumerate(r.by_round))
        failed = sum(k * a for k, a in enumerate(r.by_round))
        loss = failed / tries if tries else 0.0
        expected = answered_total * loss ** attempts if answered_total else 0.0
        if attempts > min_retries and last_new == 0 and expected <= epsilon:
            break
        before = stats.answered
        r.send_round(unanswered, attempts, None)
        r.wait(time.monotonic() + r.rate.rto, early=True)
        r.settle(final=True)
        attempts += 1
        stats.rounds = attempts
        last_new = stats.answered - before
        unanswered = [i for i in unanswered if not codes[i]]
    tries = sum((k + 1) * a for k, a in enumerate(r.by_round))
    failed = sum(k * a for k, a in enumerate(r.by_round))
    stats.loss = failed / tries if tries else 0.0
    stats.expected_errors = (stats.answered * stats.loss ** attempts) if unanswered else 0.0
    stats.backoffs = rate.backoffs
    stats.final_rate = rate.rate
    stats.srtt = rate.srtt
    stats.elapsed = time.monotonic() - start
    return stats
