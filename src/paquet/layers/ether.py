"""Ethernet II (``Ether``) and 802.1Q VLAN tags (``Dot1Q``).

Ether: destination MAC, source MAC, EtherType (14 bytes). Left to None, the addresses come from
the resolver when the frame carries IP (interface MAC, next-hop MAC), else the documented
defaults: ``dst`` broadcast ``ff:ff:ff:ff:ff:ff``, ``src`` ``00:00:00:00:00:00``.
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.layers._accel import accelerated
from paquet.numbers import ETH_P_8021Q, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, LINKTYPE_ETHERNET
from paquet.packet import registry
from paquet.packet.base import _HEXMAC, DISSECTED, Packet, Paddings, _hexmac, payload_of
from paquet.packet.fields import _MAC_CACHE, BitField, MACField, XShortEnumField, mac2bytes
from paquet.packet.names import ether_types
from paquet.packet.resolver import DEFAULT_MAC_DST, DEFAULT_MAC_SRC

__all__ = ["ETH_P_8021Q", "ETH_P_ARP", "ETH_P_IP", "ETH_P_IPV6", "Dot1Q", "Ether"]

_ETH = struct.Struct("!6s6sH")
# (dst, src, type) -> the 14 header bytes, for addresses given as text (cached: bounded).
_HEADERS: dict[tuple[Any, Any, Any], bytes] = {}


class Ether(Packet):
    """An Ethernet II header: ``dst``, ``src`` (MAC addresses), ``type`` (EtherType)."""

    name = "Ethernet"
    fields_desc = (
        MACField("dst", None),
        MACField("src", None),
        XShortEnumField("type", 0x9000, ether_types),
    )

    def _link(self) -> tuple[str, str]:
        p: Any = payload_of(self)
        while isinstance(p, Dot1Q):
            p = payload_of(p)
        found = p.ether_addresses()
        return found or (DEFAULT_MAC_SRC, DEFAULT_MAC_DST)

    @property
    def dst(self) -> str:
        """The destination MAC; when None, the next hop's (or broadcast)."""
        v = self.__dict__["dst"]
        return v if v is not None else self._link()[1]

    @property
    def src(self) -> str:
        """The source MAC; when None, the interface's (or zeros)."""
        v = self.__dict__["src"]
        return v if v is not None else self._link()[0]

    def _display_value(self, name: str) -> Any:
        if name == "src":
            return self.src
        return self.__dict__[name]

    def self_build(self) -> bytes:
        d = self.__dict__
        dst, src = d["dst"], d["src"]
        if dst is None or src is None:
            lsrc, ldst = self._link()
            dst = ldst if dst is None else dst
            src = lsrc if src is None else src
        try:
            return _ETH.pack(mac2bytes(dst), mac2bytes(src), d["type"] or 0)
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_build(self) -> bytes:
        d = self.__dict__
        key = (d["dst"], d["src"], d["type"])
        try:
            hdr = _HEADERS.get(key) if type(self) is Ether else None
        except TypeError:  # a field holding several values (a list): the general path says so
            hdr = None
        if hdr is None:
            dst, src = key[0], key[1]
            # Addresses seen before (their wire form cached): packed here, without self_build.
            dst_b = _MAC_CACHE.get(dst) if type(dst) is str else None
            src_b = _MAC_CACHE.get(src) if type(src) is str else None
            if (
                dst_b is None
                or src_b is None
                or (type(self) is not Ether and type(self).self_build is not Ether.self_build)
            ):
                hdr = self.self_build()
            else:
                try:
                    hdr = _ETH.pack(dst_b, src_b, d["type"] or 0)
                except (struct.error, TypeError) as exc:
                    raise self._build_error(exc) from None
                if type(self) is Ether and type(key[2]) is int:
                    # Frames repeat their header: kept, keyed by the three field values.
                    if len(_HEADERS) > 4096:
                        _HEADERS.clear()
                    _HEADERS[key] = hdr
        return hdr + (d["payload"] if "payload" in d else payload_of(self)).do_build()

    @staticmethod
    def quick_dissect(
        data: bytes, off: int, end: int, paddings: Paddings, under: Packet | None, t: float
    ) -> dict[str, Any] | None:
        """An Ethernet header in one step (see :meth:`Packet.quick_dissect`)."""
        if end - off < 14:
            return None
        dst, src, typ = _ETH.unpack_from(data, off)
        d = {
            "dst": _HEXMAC.get(dst) or _hexmac(dst),
            "src": _HEXMAC.get(src) or _hexmac(src),
            "type": typ,
            "underlayer": under,
            "time": t,
            "_explicit": DISSECTED,
        }
        if off + 14 < end:
            d["_lazy"] = (data, off + 14, end, paddings)
        return d

    def hashret(self) -> bytes:
        return struct.pack("H", self.__dict__["type"] or 0) + self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        if isinstance(other, Ether) and self.type == other.type:
            return bool(self.payload.answers(other.payload))
        return False

    def mysummary(self) -> str:
        f = self._fieldmap["type"]
        return f"{self.src} > {self.dst} ({f.i2repr(self.__dict__['type'])})"


class Dot1Q(Packet):
    """An 802.1Q VLAN tag: ``prio`` (3 bits), ``dei`` (1), ``vlan`` (12), inner ``type``.

    As in Scapy, a value wider than its bits is masked when built (``Dot1Q(vlan=5000)`` tags
    VLAN 904, 5000 & 0xFFF); a packet expression (``paquet craft``) refuses it instead.
    """

    name = "802.1Q"
    aliastypes = (Ether,)
    fields_desc = (
        BitField("prio", 0, 3),
        BitField("dei", 0, 1),
        BitField("vlan", 1, 12),
        XShortEnumField("type", 0x0000, ether_types),
    )

    def answers(self, other: Packet) -> bool:
        if isinstance(other, Dot1Q):
            if self.type == other.type and self.vlan == other.vlan:
                return bool(self.payload.answers(other.payload))
            return False
        return bool(self.payload.answers(other))

    def ether_addresses(self) -> tuple[str, str] | None:
        return payload_of(self).ether_addresses()

    def mysummary(self) -> str:
        t = self._fieldmap["type"].i2repr(self.__dict__["type"])
        under = self.__dict__["underlayer"]
        if isinstance(under, Ether):
            return f"802.1q {under.src} > {under.dst} ({t}) vlan {self.__dict__['vlan']}"
        return f"802.1q ({t}) vlan {self.__dict__['vlan']}"


# The same parser in C when it is built (paquet.layers._quick).
Ether._quick = accelerated("ether", Ether._quick, Ether._qinit, cache=_HEXMAC, text=_hexmac)

registry.bind_layers(Ether, Dot1Q, type=ETH_P_8021Q)
registry.bind_linktype(LINKTYPE_ETHERNET, Ether)
