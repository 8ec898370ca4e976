"""``Padding`` as the payload class a layer guesses (Scapy's ``conf.padding_layer`` returned
from ``guess_payload_class``: a TLV inside a list leaves the next TLVs as padding).

The engine builds padding only once a ``Padding`` was ever made (a flag its ``__new__`` sets,
so that plain packets skip the search); a layer of a guessed class is made without
``__new__``, so the flag is set here, when the class is handed out.
"""

from __future__ import annotations

from paquet.packet import base

__all__ = ["padding_class"]


def padding_class() -> type[base.Padding]:
    """:class:`~paquet.packet.base.Padding`, the engine told that padding exists."""
    if not base._PADDINGS:
        base._PADDINGS.append(True)
    return base.Padding
