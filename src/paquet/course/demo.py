"""The course demo (``paquet demo``, ``make run``): its sections, and running them.

The sections are TP 4's questions (:mod:`paquet.course.tp4`) then the exercise sheet
(:mod:`paquet.course.exercises`). Each is a function that receives a
:class:`~paquet.course.page.DemoContext`, runs the course's code, hands what to show to
``ctx.emit`` as :mod:`~paquet.course.page` blocks and records its results for JSON; nothing here
prints (``paquet.cli.demo`` renders). A new capability adds its section with :func:`section`,
in the order it should appear::

    @section("lab", "Le laboratoire", "The lab")
    def _lab(ctx: DemoContext) -> None:
        ctx.say("Trois machines dans des espaces de noms.", "Three hosts in namespaces.")
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

from paquet.course import exercises, tp4
from paquet.course.page import Blank, Block, DemoContext, Line, Picture, Rule, Section

__all__ = [
    "SECTIONS",
    "DemoContext",
    "Section",
    "lab_unavailable",
    "run",
    "section",
    "section_keys",
]


SECTIONS: list[Section] = [*tp4.SECTIONS, *exercises.SECTIONS]
"""The demo's sections, in the order they run: the course's (:mod:`paquet.course.tp4`, then
:mod:`paquet.course.exercises`), then any added with :func:`section`."""


def section(
    key: str, title_fr: str, title_en: str, lab: bool = False
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Register the decorated function as a demo section (appended to :data:`SECTIONS`);
    ``lab=True`` for a section that runs on the ``tp`` lab (``ctx.lab``)."""

    def register(function: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        if any(s.key == key for s in SECTIONS):
            raise ValueError(f"demo section {key!r} registered twice")
        SECTIONS.append(Section(key, title_fr, title_en, function, lab))
        return function

    return register


def section_keys() -> list[str]:
    """The keys of the sections, in order."""
    return [s.key for s in SECTIONS]


# ---------------------------------------------------------------------------------------------
# Running


def lab_unavailable() -> str | None:
    """Why the lab sections cannot run here (one line), or None when they can."""
    import shutil

    if os.geteuid() != 0:
        return "the lab needs root (network namespaces, raw sockets): run `sudo paquet demo`"
    for tool in ("ip", "nft", "tcpdump"):
        if shutil.which(tool) is None:
            return f"the lab needs `{tool}` (scripts/system-deps installs it)"
    return None


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM raises SystemExit while inside, so the lab is taken down (``finally``)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (the lab being built is then registered
    for teardown), and are raised there: KeyboardInterrupt, or SystemExit for SIGTERM."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def remember(signum: int, frame: Any) -> None:
        arrived.append(signum)

    previous = {sig: signal.signal(sig, remember) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if signal.SIGINT in arrived:
        raise KeyboardInterrupt
    if arrived:
        raise SystemExit(128 + arrived[0])


def run(
    lang: str,
    emit: Callable[[Block], None],
    only: tuple[str, ...] = (),
    use_lab: bool = True,
) -> dict[str, Any]:
    """Run the sections (all, or those named in ``only``), hand what they show to ``emit``
    as it comes, and return what they recorded.

    Sections that need the lab run on a ``tp`` lab brought up for the demo (a unique name)
    and always taken down at the end; without root (or with ``use_lab=False``) they are
    skipped, and one line says why.
    """
    unknown = [k for k in only if k not in section_keys()]
    if unknown:
        raise ValueError(f"unknown demo section {unknown[0]!r}")
    chosen = [s for s in SECTIONS if not only or s.key in only]
    results: dict[str, Any] = {"lang": lang, "sections": {}, "lab": None, "skipped": []}
    reason = None
    if any(s.needs_lab for s in chosen):
        reason = lab_unavailable() if use_lab else "--no-lab"
    with contextlib.ExitStack() as stack:
        lab = None
        if any(s.needs_lab for s in chosen) and reason is None:
            from paquet.lab import Lab
            from paquet.lab.testing import unique_lab_name

            stack.enter_context(_terminate_cleanly())
            emit(
                Line.plain(
                    _t(lang, "Le laboratoire « tp » démarre...", "Bringing the `tp` lab up...")
                )
            )
            with _signals_deferred():  # Ctrl-C while building: the lab still comes down
                lab = stack.enter_context(Lab.up("tp", name=unique_lab_name("demo")))
            results["lab"] = lab.name
            emit(Picture("topology", lab.map(), ""))
        elif reason is not None:
            skipped = [s.key for s in chosen if s.needs_lab]
            results["skipped"] = skipped
            results["skip_reason"] = reason
            what = _t(lang, "Sections du laboratoire sautées", "Lab sections skipped")
            emit(Line.plain(f"{what} ({', '.join(skipped)}): {reason}", "yellow"))
        for sec in chosen:
            if sec.needs_lab and lab is None:
                continue
            emit(Rule(sec.title(lang)))
            ctx = DemoContext(lang, emit, lab=lab)
            sec.run(ctx)
            emit(Blank())
            results["sections"][sec.key] = ctx.data
    if results["lab"] is not None:
        emit(
            Line.plain(
                _t(
                    lang,
                    f"Le laboratoire {results['lab']} est arrêté et supprimé.",
                    f"The lab {results['lab']} is down and removed.",
                )
            )
        )
    return results


def _t(lang: str, fr: str, en: str) -> str:
    return fr if lang == "fr" else en
