"""Spanning Tree Protocol BPDUs (IEEE 802.1D), carried in LLC (``dsap = ssap = 0x42``).

``STP`` is the 35-byte configuration BPDU with Scapy's names and defaults
(``scapy.layers.l2.STP``): protocol id, version, BPDU type and flags, the root bridge (priority
``rootid`` and ``rootmac``), the path cost to it, the sending bridge (``bridgeid``,
``bridgemac``), the port, and four times in 1/256 s on the wire (``age``, ``maxage``,
``hellotime``, ``fwddelay``, in seconds here). As Scapy, RSTP (version 2) and MSTP (version 3)
BPDUs are dissected with the same layer: their version-1 length byte and MST configuration
follow as the payload (``Raw``), kept byte for byte.

>>> bytes(STP(rootid=0, rootmac="02:00:00:00:00:01", hellotime=2)).hex()[-16:]
'0100140002000f00'
"""

from __future__ import annotations

from typing import Any

from paquet.numbers import LLC_CTRL_UI, LLC_SAP_STP, SNAP_STP
from paquet.packet import registry
from paquet.packet.addrfields import MACField
from paquet.packet.base import Packet
from paquet.packet.fields import ByteField, Field, IntField, ShortField, conversion

__all__ = ["STP", "BCDFloatField"]


class BCDFloatField(Field):
    """A time in 1/256 s on the wire, in seconds as a float here (Scapy's ``BCDFloatField``):
    ``1`` is sent as ``0x0100``."""

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: Any, fmt: str = "H") -> None:
        super().__init__(name, default, fmt)

    def i2m(self, pkt: Any, x: Any) -> Any:
        return 0 if x is None else int(256 * x)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return x / 256.0

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if x is not None and not isinstance(x, int | float):
            raise ValueError(f"{self.name}: a number of seconds, not {x!r}")
        return x

    def randval(self) -> Any:
        """A random whole number of seconds that fits the 16 bits (Scapy's would not)."""
        from paquet.volatile import RandNum

        return RandNum(0, 255)

    def type_name(self) -> str:
        return "BCDFloatField"


class STP(Packet):
    """An 802.1D BPDU: ``proto``, ``version``, ``bpdutype``, ``bpduflags``, ``rootid``,
    ``rootmac``, ``pathcost``, ``bridgeid``, ``bridgemac``, ``portid``, ``age``, ``maxage``,
    ``hellotime``, ``fwddelay`` (the times in seconds)."""

    name = "Spanning Tree Protocol"
    fields_desc = (
        ShortField("proto", 0),
        ByteField("version", 0),
        ByteField("bpdutype", 0),
        ByteField("bpduflags", 0),
        ShortField("rootid", 0),
        MACField("rootmac", "00:00:00:00:00:00"),
        IntField("pathcost", 0),
        ShortField("bridgeid", 0),
        MACField("bridgemac", "00:00:00:00:00:00"),
        ShortField("portid", 0),
        BCDFloatField("age", 1),
        BCDFloatField("maxage", 20),
        BCDFloatField("hellotime", 2),
        BCDFloatField("fwddelay", 15),
    )


def _register() -> None:
    from paquet.layers.llc import LLC, SNAP

    registry.bind_layers(LLC, STP, dsap=LLC_SAP_STP, ssap=LLC_SAP_STP, ctrl=LLC_CTRL_UI)
    registry.bind_layers(SNAP, STP, code=SNAP_STP)


_register()
