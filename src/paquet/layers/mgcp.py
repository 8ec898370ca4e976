"""MGCP (RFC 3435, formerly 2705): the Media Gateway Control Protocol's command line, over
UDP 2727, with Scapy's class, fields and defaults (``scapy.layers.mgcp``).

The first line of a command: the verb, the transaction id, the endpoint and the protocol
version, separated by single spaces (``sep1`` to ``sep3``) and ended by a line feed
(``sep4``). Each word keeps its separator out: the separators are fields of their own, as in
Scapy. What follows the line (the parameters, an SDP body) is the payload.

>>> bytes(MGCP(transaction_id="42", endpoint="aaln/1@gw.example"))
b'AUEP 42 aaln/1@gw.example MGCP 1.0 NCS 1.0\\n'
>>> MGCP(b"RQNT 1201 aaln/1@rgw.example MGCP 1.0\\n").verb
b'RQNT'
"""

from __future__ import annotations

from typing import Any

from paquet.numbers import MGCP_PORT
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.strfields import StrField, StrFixedLenField

__all__ = ["MGCP"]


class _Word(StrField):
    """Bytes up to ``stop`` (not included), or to the end (Scapy's ``StrStopField`` with
    ``additional=-1``)."""

    __slots__ = ("stop",)

    def __init__(self, name: str, default: Any, stop: bytes) -> None:
        super().__init__(name, default)
        self.stop = stop

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        at = s.find(self.stop)
        if at < 0:
            return b"", s
        return s[at:], s[:at]

    def type_name(self) -> str:
        return "StrStopField"

    def randval(self) -> Any:
        """Random bytes without ``stop``."""
        from paquet.volatile import RandNum, RandString

        return RandString(RandNum(0, 40), chars="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@./")


class MGCP(Packet):
    """An MGCP command line: ``verb``, ``transaction_id``, ``endpoint``, ``version``."""

    name = "MGCP"
    longname = "Media Gateway Control Protocol"
    fields_desc = (
        _Word("verb", b"AUEP", b" "),
        StrFixedLenField("sep1", b" ", 1),
        _Word("transaction_id", b"1234567", b" "),
        StrFixedLenField("sep2", b" ", 1),
        _Word("endpoint", b"dummy@dummy.net", b" "),
        StrFixedLenField("sep3", b" ", 1),
        _Word("version", b"MGCP 1.0 NCS 1.0", b"\n"),
        StrFixedLenField("sep4", b"\n", 1),
    )


def _register() -> None:
    from paquet.layers.udp import UDP

    registry.bind_bottom_up(UDP, MGCP, dport=MGCP_PORT)
    registry.bind_bottom_up(UDP, MGCP, sport=MGCP_PORT)
    registry.bind_layers(UDP, MGCP, sport=MGCP_PORT, dport=MGCP_PORT)


_register()
