"""TFTP (RFC 1350, options RFC 2347), with Scapy's classes: :class:`TFTP` is the 2-byte
opcode, the message after it (:class:`TFTP_RRQ`, :class:`TFTP_WRQ`, :class:`TFTP_DATA`,
:class:`TFTP_ACK`, :class:`TFTP_ERROR`, :class:`TFTP_OACK`) is chosen by ``op``; requests and
option acknowledgements carry :class:`TFTP_Options`. UDP port 69, as Scapy binds it.

>>> bytes(TFTP() / TFTP_RRQ(filename="boot.img")).hex()
'0001626f6f742e696d67006f6374657400'
>>> TFTP(bytes(TFTP(op=4) / TFTP_ACK(block=3))).summary()
'TFTP / ACK 3'
"""

from __future__ import annotations

from typing import Any

from paquet.numbers import TFTP_PORT
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ShortEnumField
from paquet.packet.fields import ShortField
from paquet.packet.strfields import StrNullField
from paquet.packet.structfields import PacketListField

__all__ = [
    "TFTP",
    "TFTP_ACK",
    "TFTP_DATA",
    "TFTP_ERROR",
    "TFTP_OACK",
    "TFTP_RRQ",
    "TFTP_WRQ",
    "TFTP_Error_Codes",
    "TFTP_Option",
    "TFTP_Options",
    "TFTP_operations",
]

#: The opcodes (RFC 1350 section 5, RFC 2347).
TFTP_operations = {1: "RRQ", 2: "WRQ", 3: "DATA", 4: "ACK", 5: "ERROR", 6: "OACK"}

#: The error codes (RFC 1350 appendix, RFC 2347).
TFTP_Error_Codes = {
    0: "Not defined",
    1: "File not found",
    2: "Access violation",
    3: "Disk full or allocation exceeded",
    4: "Illegal TFTP operation",
    5: "Unknown transfer ID",
    6: "File already exists",
    7: "No such user",
    8: "Terminate transfer due to option negotiation",
}


def _summary(pkt: Packet, fmt: str) -> tuple[str, list[type[Packet]]]:
    from paquet.layers.udp import UDP

    return str(pkt.sprintf(fmt)), [UDP]


class TFTP(Packet):
    """The opcode of a TFTP message (2 bytes); the message itself is the payload."""

    name = "TFTP opcode"
    fields_desc = (ShortEnumField("op", 1, TFTP_operations),)


class TFTP_RRQ(Packet):
    """A read request: ``filename`` and ``mode``, each ended by a NUL byte."""

    name = "TFTP Read Request"
    fields_desc = (StrNullField("filename", ""), StrNullField("mode", "octet"))

    def answers(self, other: Packet) -> bool:
        return False

    def mysummary(self) -> Any:
        return _summary(self, "RRQ %filename%")


class TFTP_WRQ(Packet):
    """A write request: ``filename`` and ``mode``, each ended by a NUL byte."""

    name = "TFTP Write Request"
    fields_desc = (StrNullField("filename", ""), StrNullField("mode", "octet"))

    def answers(self, other: Packet) -> bool:
        return False

    def mysummary(self) -> Any:
        return _summary(self, "WRQ %filename%")


class TFTP_DATA(Packet):
    """A data block: its number; the data (up to the block size) is the payload."""

    name = "TFTP Data"
    fields_desc = (ShortField("block", 0),)

    def answers(self, other: Packet) -> bool:
        return bool(self.block == 1 and isinstance(other, TFTP_RRQ))

    def mysummary(self) -> Any:
        return _summary(self, "DATA %block%")


class TFTP_Option(Packet):
    """One option of a request or an OACK (RFC 2347): name and value, each NUL-ended."""

    name = "TFTP_Option"
    fields_desc = (StrNullField("oname", ""), StrNullField("value", ""))

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class TFTP_Options(Packet):
    """The options after a request or in an OACK: a list of :class:`TFTP_Option`."""

    name = "TFTP_Options"
    fields_desc = (PacketListField("options", [], TFTP_Option,
                                   length_from=lambda pkt: None),)


class TFTP_ACK(Packet):
    """An acknowledgement of block ``block`` (0 for a write request or an OACK)."""

    name = "TFTP Ack"
    fields_desc = (ShortField("block", 0),)

    def answers(self, other: Packet) -> bool:
        if isinstance(other, TFTP_DATA):
            return bool(self.block == other.block)
        if isinstance(other, (TFTP_RRQ, TFTP_WRQ, TFTP_OACK)):
            return bool(self.block == 0)
        return False

    def mysummary(self) -> Any:
        return _summary(self, "ACK %block%")


class TFTP_ERROR(Packet):
    """An error: ``errorcode`` and the NUL-ended ``errormsg``."""

    name = "TFTP Error"
    fields_desc = (ShortEnumField("errorcode", 0, TFTP_Error_Codes),
                   StrNullField("errormsg", ""))

    def answers(self, other: Packet) -> bool:
        return isinstance(other, (TFTP_DATA, TFTP_RRQ, TFTP_WRQ, TFTP_ACK))

    def mysummary(self) -> Any:
        return _summary(self, "ERROR %errorcode%: %errormsg%")


class TFTP_OACK(Packet):
    """An option acknowledgement (RFC 2347): its options are the payload."""

    name = "TFTP Option Ack"
    fields_desc = ()

    def answers(self, other: Packet) -> bool:
        return isinstance(other, (TFTP_WRQ, TFTP_RRQ))


def _register() -> None:
    from paquet.layers.udp import UDP

    registry.bind_layers(UDP, TFTP, dport=TFTP_PORT)
    for op, layer in ((1, TFTP_RRQ), (2, TFTP_WRQ), (3, TFTP_DATA), (4, TFTP_ACK),
                      (5, TFTP_ERROR), (6, TFTP_OACK)):
        registry.bind_layers(TFTP, layer, op=op)
    for layer in (TFTP_RRQ, TFTP_WRQ, TFTP_OACK):
        registry.bind_layers(layer, TFTP_Options)


_register()
