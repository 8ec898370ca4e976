"""What nmap's flags mean for ``paquet scan`` and ``paquet discover``, without click (the
click-free command lines of :mod:`paquet.cli.scan_fast` use them too): the timing templates
and the writing of an output file.

>>> Timing(5).apply(200_000.0, 10.0, 10)
(200000.0, 10.0, 2, 0.3)
>>> Timing(2).apply(200_000.0, 10.0, 10)
(2.5, 2.5, 10, None)
"""

from __future__ import annotations

import sys

from paquet.errors import PaquetError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["Timing", "write", "write_outputs"]

# per template: the rate (one probe at a time), the most retries, the longest wait for an answer
_RATE: dict[int, float] = {0: 1 / 300, 1: 1 / 15, 2: 2.5}
_RETRIES: dict[int, int] = {4: 6, 5: 2}
_RTT: dict[int, float] = {4: 1.25, 5: 0.3}

class Timing:
    """An nmap timing template, ``-T0`` (paranoid) to ``-T5`` (insane), as paquet's knobs.

    nmap's templates wait between probes (5 minutes, 15 seconds, 0.4 seconds for 0, 1 and 2:
    one probe at a time, here a rate of 1/300, 1/15 and 2.5 per second), leave the defaults
    (3), or cap the retries and the wait for an answer (4: 6 retries, 1.25 s; 5: 2 retries,
    0.3 s). Options given explicitly win over the template, as in nmap.
    """

    __slots__ = ("level",)

    def __init__(self, level: int) -> None:
        self.level = level

    def apply(self, max_rate: float, min_rate: float, max_retries: int,
              explicit: frozenset[str] = frozenset()
              ) -> tuple[float, float, int, float | None]:
        """(max_rate, min_rate, max_retries, max_rtt_timeout) under this template; the names
        in ``explicit`` (``max_rate``, ``max_retries``) were given and are kept."""
        rate = _RATE.get(self.level)
        if rate is not None and "max_rate" not in explicit:
            max_rate = rate
        min_rate = min(min_rate, max_rate)
        retries = _RETRIES.get(self.level)
        if retries is not None and "max_retries" not in explicit:
            max_retries = min(max_retries, retries)
        return max_rate, min_rate, max_retries, _RTT.get(self.level)


def write(path: str, text: str) -> None:
    """Write ``text`` to ``path`` (``-``: standard output)."""
    from pathlib import Path

    if path == "-":
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text)
    except OSError as exc:
        raise PaquetError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_outputs(outputs: Iterable[tuple[str | None, Callable[[], str]]]) -> None:
    """Write each of nmap's output files that was asked for (``-oX``, ``-oG``, ``-oN``: the
    file, and how to make its text, made only then)."""
    for path, text in outputs:
        if path:
            write(path, text())
