"""The result of one lab check (:class:`Check`), shared by the service checks
(:mod:`paquet.lab.check`) and the real servers' checks (:mod:`paquet.lab.servercheck`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Check"]


@dataclass(frozen=True)
class Check:
    """One check: what was tried (``name``), whether it worked, and what was seen."""

    name: str
    ok: bool
    detail: str
