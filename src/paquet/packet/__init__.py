"""The packet engine: :class:`Packet`, the field table, the layer registry, display helpers.

The protocols themselves live in :mod:`paquet.layers`; see ``README.md`` next to this file for
how to write one.
"""

from __future__ import annotations

from paquet.packet.base import (
    NOPAYLOAD,
    NoPayload,
    Packet,
    Padding,
    Raw,
    dissect_as,
)
from paquet.packet.dump import hexdump, hexstr, ls, raw
from paquet.packet.fields import FieldError
from paquet.packet.flagfields import FlagValue
from paquet.packet.registry import (
    bind_bottom_up,
    bind_layers,
    bind_linktype,
    bind_top_down,
    split_layers,
)

__all__ = [
    "NOPAYLOAD",
    "FieldError",
    "FlagValue",
    "NoPayload",
    "Packet",
    "Padding",
    "Raw",
    "bind_bottom_up",
    "bind_layers",
    "bind_linktype",
    "bind_top_down",
    "dissect_as",
    "hexdump",
    "hexstr",
    "ls",
    "raw",
    "split_layers",
]
