"""L2TP version 2 (RFC 2661): PPP sessions tunnelled over UDP, port 1701.

The header: 12 flag bits (``hdr``: ``control`` for a control message, ``length``,
``sequence``, ``offset``, ``priority``), ``version`` (2), then ``len`` when the length or
control bit is set, ``tunnel_id``, ``session_id``, ``ns`` and ``nr`` when the sequence or
control bit is set, and ``offset`` and ``offset`` bytes of ``pad`` for a data message with the
offset bit.
A PPP frame follows. Left to None, ``len`` is the length of the message. Class, names,
defaults and bindings are Scapy 2.8's (``scapy.layers.l2tp``).

>>> bytes(L2TP(hdr="control+length", tunnel_id=1, session_id=2)).hex()
'c002000c0001000200000000'
>>> p = L2TP(bytes(L2TP(tunnel_id=7) / b"\\xff\\x03\\xc0\\x21"))
>>> p.tunnel_id, [type(layer).__name__ for layer in p.iterpayloads()]
(7, ['L2TP', 'HDLC', 'PPP'])
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.numbers import L2TP_PORT
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField
from paquet.packet.fields import ShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import ConditionalField

__all__ = ["L2TP"]

_HDR_FLAGS = ["res00", "res01", "res02", "res03", "priority", "offset", "res06", "sequence",
              "res08", "res09", "length", "control"]


#: The bits of ``hdr`` the fields present depend on.
_CONTROL, _LENGTH, _SEQUENCE, _OFFSET = 0x800, 0x400, 0x080, 0x020


def _hdr_has(pkt: Any, bits: int) -> bool:
    """True when one of ``bits`` is set in ``pkt.hdr``."""
    return bool(int(pkt.hdr) & bits)


def _offset_present(pkt: Any) -> bool:
    """A data message (not control) with the offset bit: ``offset`` and ``pad`` follow."""
    return not _hdr_has(pkt, _CONTROL) and _hdr_has(pkt, _OFFSET)


class L2TP(Packet):
    """An L2TPv2 header (see the module)."""

    name = "L2TP"
    fields_desc = (
        FlagsField("hdr", 0, 12, _HDR_FLAGS),
        BitEnumField("version", 2, 4, {2: "L2TPv2"}),
        ConditionalField(ShortField("len", None), lambda pkt: _hdr_has(pkt, _CONTROL | _LENGTH)),
        ShortField("tunnel_id", 0),
        ShortField("session_id", 0),
        ConditionalField(ShortField("ns", 0), lambda pkt: _hdr_has(pkt, _SEQUENCE | _CONTROL)),
        ConditionalField(ShortField("nr", 0), lambda pkt: _hdr_has(pkt, _SEQUENCE | _CONTROL)),
        ConditionalField(ShortField("offset", 0), _offset_present),
        ConditionalField(StrLenField("pad", b"", length_from=lambda pkt: pkt.offset),
                         _offset_present),
    )

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        if self.len is None and _hdr_has(self, _CONTROL | _LENGTH):
            pkt = pkt[:2] + struct.pack("!H", (len(pkt) + len(pay)) & 0xFFFF) + pkt[4:]
        return pkt + pay


def _register() -> None:
    from paquet.layers.ppp import PPP
    from paquet.layers.udp import UDP

    registry.bind_bottom_up(UDP, L2TP, dport=L2TP_PORT)
    registry.bind_bottom_up(UDP, L2TP, sport=L2TP_PORT)
    registry.bind_layers(UDP, L2TP, dport=L2TP_PORT, sport=L2TP_PORT)
    registry.bind_layers(L2TP, PPP)


_register()
