"""Scapy's ``conf.contribs``: the settings of the protocols Scapy ships as contributions
(``conf.contribs['LLDP'].strict_mode_disable()``), one entry per protocol, added by its module.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CONTRIBS"]

#: Protocol name -> its settings object (what ``conf.contribs`` gives).
CONTRIBS: dict[str, Any] = {}
