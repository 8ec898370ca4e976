"""Ethernet II (``Ether``), 802.3 length frames (``Dot3``) and the tags carried in them: 802.1Q
VLAN tags (``Dot1Q``), 802.1ad service tags (``Dot1AD``, Q-in-Q) and 802.1ah backbone service
instance tags (``Dot1AH``).

Ether: destination MAC, source MAC, EtherType (14 bytes). Left to None, the addresses come from
the resolver when the frame carries IP (interface MAC, next-hop MAC), else the documented
defaults: ``dst`` broadcast ``ff:ff:ff:ff:ff:ff``, ``src`` ``00:00:00:00:00:00``.

The same 14 bytes are an 802.3 header when the third field is a length (1500 or less): as
Scapy's ``Ether.dispatch_hook``, ``Ether(data)`` of such a frame is a :class:`Dot3` (and
``Dot3(data)`` of an Ethernet II frame an :class:`Ether`), whose payload is 802.2 LLC.

>>> Ether(bytes.fromhex("0180c20000000200000000010026424203") + bytes(35)).summary()
'802.3 02:00:00:00:00:01 > 01:80:c2:00:00:00 / LLC / STP'
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from paquet import dadict as _dadict
from paquet.layers._accel import accelerated
from paquet.numbers import (
    ETH_P_8021AD,
    ETH_P_8021AH,
    ETH_P_8021Q,
    ETH_P_ARP,
    ETH_P_IP,
    ETH_P_IPV6,
    LINKTYPE_ETHERNET,
)
from paquet.packet import registry
from paquet.packet.addrfields import _MAC_CACHE, MACField, mac2bytes
from paquet.packet.base import (
    _HEXMAC,
    DISSECTED,
    Malformed,
    Packet,
    Paddings,
    Raw,
    _hexmac,
    payload_of,
)
from paquet.packet.enumfields import XShortEnumField
from paquet.packet.fields import BitField, FieldError
from paquet.packet.names import ether_types
from paquet.packet.resolver import DEFAULT_MAC_DST, DEFAULT_MAC_SRC
from paquet.packet.structfields import LenField

__all__ = [
    "ETHER_TYPES",
    "ETH_P_8021Q", "ETH_P_ARP", "ETH_P_IP", "ETH_P_IPV6", "Dot1AD", "Dot1AH", "Dot1Q", "Dot3",
    "Ether",
]

#: The largest value of the third field that is an 802.3 length, not an EtherType (Scapy's
#: rule: 1501 to 1535 are neither, and dissect as Ethernet II).
DOT3_MAX_LENGTH = 1500


_ETH = struct.Struct("!6s6sH")
# (dst, src, type) -> the 14 header bytes, for addresses given as text (cached: bounded).
_HEADERS: dict[tuple[Any, Any, Any], bytes] = {}


def _loose_mac(value: Any) -> bytes:
    """The bytes of a MAC address of fewer (or more) than six groups, as Scapy writes them:
    one byte per ``:``-separated hex group, then zeros up to six bytes (or cut at six).

    >>> _loose_mac("00:01:02:04:05").hex()
    '000102040500'
    """
    try:
        groups = bytes(int(g, 16) for g in value.split(":"))
    except (AttributeError, TypeError, ValueError):
        raise FieldError(f"not a MAC address: {value!r}") from None
    return groups[:6].ljust(6, b"\x00")


def _macs(dst: Any, src: Any) -> tuple[bytes, bytes]:
    """The wire bytes of ``dst`` and ``src``; a short address is padded as Scapy pads it."""
    try:
        return mac2bytes(dst), mac2bytes(src)
    except FieldError:
        return _loose_mac(dst), _loose_mac(src)


def _link_pair(self: Any) -> tuple[str, str]:
    """(source, destination) MACs of a MAC header from the layer it carries."""
    p: Any = payload_of(self)
    if isinstance(p, Dot1Q):  # (Scapy asks no neighbour through a tag: broadcast)
        while isinstance(p, Dot1Q):
            p = payload_of(p)
        return p.ether_source() or DEFAULT_MAC_SRC, DEFAULT_MAC_DST
    found = p.ether_addresses()
    return found or (DEFAULT_MAC_SRC, DEFAULT_MAC_DST)


def _link_source(self: Any) -> str:
    """The source MAC alone, for a header whose ``dst`` is given: no neighbour is asked."""
    p: Any = payload_of(self)
    while isinstance(p, Dot1Q):
        p = payload_of(p)
    return str(p.ether_source() or DEFAULT_MAC_SRC)


def _dst(self: Any) -> str:
    v: str | None = self.__dict__["dst"]
    return v if v is not None else self._link()[1]


def _src(self: Any) -> str:
    d = self.__dict__
    v: str | None = d["src"]
    if v is not None:
        return v
    return str(self._link()[0] if d["dst"] is None else self._link_src())


def _display_src(self: Any, name: str) -> Any:
    return self.src if name == "src" else self.__dict__[name]


class Ether(Packet):
    """An Ethernet II header: ``dst``, ``src`` (MAC addresses), ``type`` (EtherType)."""

    name = "Ethernet"
    fields_desc = (
        MACField("dst", None),
        MACField("src", None),
        XShortEnumField("type", 0x9000, ether_types),
    )

    # The addresses: the next hop's and the interface's MACs when None (shared with Dot3).
    _link = _link_pair
    _link_src = _link_source
    dst = property(_dst, doc="The destination MAC; when None, the next hop's (or broadcast).")
    src = property(_src, doc="The source MAC; when None, the interface's (or zeros).")
    _display_value = _display_src

    def self_build(self) -> bytes:
        d = self.__dict__
        dst, src = d["dst"], d["src"]
        if dst is None:
            lsrc, dst = self._link()
            src = lsrc if src is None else src
        elif src is None:
            src = self._link_src()
        try:
            return _ETH.pack(*_macs(dst, src), d["type"] or 0)
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
        """An Ethernet II header in one step (see :meth:`Packet.quick_dissect`); None for an
        802.3 header (a length, 1500 or less, in place of the EtherType: a :class:`Dot3`)."""
        if end - off < 14:
            return None
        dst, src, typ = _ETH.unpack_from(data, off)
        if typ <= DOT3_MAX_LENGTH:
            return None
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

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """:class:`Dot3` when the third field is a length (1500 or less), as Scapy's."""
        if end - start >= 14 and data[start + 12] << 8 | data[start + 13] <= DOT3_MAX_LENGTH:
            return Dot3
        return cls

    def hashret(self) -> bytes:
        return struct.pack("H", self.__dict__["type"] or 0) + self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        if isinstance(other, Ether) and self.type == other.type:
            return bool(self.payload.answers(other.payload))
        return False

    def mysummary(self) -> str:
        f = self._fieldmap["type"]
        return f"{self.src} > {self.dst} ({f.i2repr(self.__dict__['type'])})"


class Dot3(Packet):
    """An IEEE 802.3 header: ``dst``, ``src`` and ``len``, the length of the LLC data after it
    (computed when None); the bytes after those ``len`` are padding.

    >>> Dot3(dst="01:80:c2:00:00:00", src="02:00:00:00:00:01") / b"xyz"
    <Dot3  dst=01:80:c2:00:00:00 src=02:00:00:00:00:01 |<Raw  load=b'xyz' |>>
    >>> bytes(_)[12:14]
    b'\\x00\\x03'
    """

    name = "802.3"
    fields_desc = (
        MACField("dst", None),
        MACField("src", None),
        LenField("len", None, "H"),
    )

    # The addresses as Ether's: the next hop's and the interface's MACs when None.
    _link = _link_pair
    _link_src = _link_source
    dst = property(_dst, doc="The destination MAC; when None, the next hop's (or broadcast).")
    src = property(_src, doc="The source MAC; when None, the interface's (or zeros).")
    _display_value = _display_src

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """:class:`Ether` when the third field is an EtherType (above 1500), as Scapy's."""
        if end - start >= 14 and data[start + 12] << 8 | data[start + 13] > DOT3_MAX_LENGTH:
            return Ether
        return cls

    def self_build(self) -> bytes:
        d = self.__dict__
        dst, src = d["dst"], d["src"]
        if dst is None:
            lsrc, dst = self._link()
            src = lsrc if src is None else src
        elif src is None:
            src = self._link_src()
        try:
            return _ETH.pack(*_macs(dst, src), d["len"] or 0)
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 14:
            raise Malformed(off, f"an 802.3 header of 14 bytes, {end - off} left")
        dst, src, length = _ETH.unpack_from(data, off)
        d = self.__dict__
        d["dst"] = _HEXMAC.get(dst) or _hexmac(dst)
        d["src"] = _HEXMAC.get(src) or _hexmac(src)
        d["len"] = length
        return off + 14

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        if self.__dict__["len"] is None:
            pkt = pkt[:12] + (len(pay) & 0xFFFF).to_bytes(2, "big") + pkt[14:]
        return pkt + pay

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        length = self.__dict__["len"]
        return min(end, hend + length) if isinstance(length, int) else end

    def answers(self, other: Packet) -> bool:
        if isinstance(other, Dot3):
            return bool(self.payload.answers(other.payload))
        return False

    def mysummary(self) -> str:
        return f"802.3 {self.src} > {self.dst}"


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

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        """What an 802.3 frame carries (802.2 LLC) when ``type`` is a length (1500 or less),
        as Scapy's."""
        t = self.__dict__["type"]
        if isinstance(t, int) and t <= DOT3_MAX_LENGTH:
            found: type[Packet] | None = registry.payload_class(Dot3, {})
            return found or Raw
        return Raw

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        t = self.__dict__["type"]
        if isinstance(t, int) and t <= DOT3_MAX_LENGTH:
            return min(end, hend + t)
        return end

    def mysummary(self) -> str:
        # Scapy's text: the type and VLAN of the first 802.1Q tag (of that very class) from
        # the Ethernet header under this tag, else from this tag on ("??" when there is none:
        # an 802.1ad tag alone).
        under = self.__dict__["underlayer"]
        start: Packet = under if isinstance(under, Ether) else self
        tag: Any = start if type(start) is Dot1Q else start.getlayer(Dot1Q)
        if tag is None:
            t = vlan = "??"
        else:
            t = tag._fieldmap["type"].i2repr(tag.__dict__["type"])
            vlan = tag.__dict__["vlan"]
        if isinstance(under, Ether):
            return f"802.1q {under.src} > {under.dst} ({t}) vlan {vlan}"
        return f"802.1q ({t}) vlan {vlan}"


class Dot1AD(Dot1Q):
    """An 802.1ad service tag (S-tag, EtherType 0x88a8): the outer tag of Q-in-Q, the same
    fields as :class:`Dot1Q`."""

    name = "802_1AD"


class _ThreeBytesField(BitField):
    """A 24-bit unsigned integer among bit fields (Scapy's ``ThreeBytesField``)."""

    __slots__ = ()

    def __init__(self, name: str, default: int) -> None:
        super().__init__(name, default, 24)

    def type_name(self) -> str:
        return "ThreeBytesField"


class Dot1AH(Packet):
    """An 802.1ah backbone service instance tag (I-tag, provider backbone bridging): ``prio``,
    ``dei``, ``nca``, ``res1``, ``res2``, the 24-bit ``isid``; a whole Ethernet frame follows."""

    name = "802_1AH"
    fields_desc = (
        BitField("prio", 0, 3),
        BitField("dei", 0, 1),
        BitField("nca", 0, 1),
        BitField("res1", 0, 1),
        BitField("res2", 0, 2),
        _ThreeBytesField("isid", 0),
    )

    def answers(self, other: Packet) -> bool:
        if isinstance(other, Dot1AH) and self.isid == other.isid:
            return bool(self.payload.answers(other.payload))
        return False

    def mysummary(self) -> str:
        # Scapy's text, its missing parenthesis included.
        return f"802.1ah (isid={self.__dict__['isid']}"


def _first_is_ethernet_ii(
    c_quick: Callable[..., dict[str, Any] | None],
) -> Callable[..., dict[str, Any] | None]:
    """``c_quick``, or a wrapper of it returning None for 802.3 headers when it does not (as
    :meth:`Ether.quick_dissect` does; a C parser built before Dot3 existed parses them)."""
    probe = bytes(12) + b"\x00\x2e" + bytes(46)  # an 802.3 header: 46 bytes of LLC data
    if c_quick(probe, 0, len(probe), (), None, 0.0) is None:
        return c_quick

    def quick(
        data: bytes, off: int, end: int, paddings: Paddings, under: Packet | None, t: float
    ) -> dict[str, Any] | None:
        if end - off > 13 and off >= 0 and data[off + 12] < 6 and (
            data[off + 12] << 8 | data[off + 13]
        ) <= DOT3_MAX_LENGTH:
            return None
        return c_quick(data, off, end, paddings, under, t)

    quick.__wrapped__ = c_quick  # type: ignore[attr-defined]
    return quick


# The same parser in C when it is built (paquet.layers._quick); 802.3 frames go to the general
# path, which makes them Dot3.
Ether._quick = _first_is_ethernet_ii(
    accelerated("ether", Ether._quick, Ether._qinit, cache=_HEXMAC, text=_hexmac)
    or Ether.quick_dissect
)

registry.bind_layers(Ether, Dot1Q, type=ETH_P_8021Q)
registry.bind_layers(Ether, Dot1AD, type=ETH_P_8021AD)
registry.bind_layers(Ether, Dot1AH, type=ETH_P_8021AH)
registry.bind_layers(Dot1AD, Dot1AD, type=ETH_P_8021AD)
registry.bind_layers(Dot1AD, Dot1Q, type=ETH_P_8021Q)
registry.bind_layers(Dot1AD, Dot1AH, type=ETH_P_8021AH)
registry.bind_layers(Dot1Q, Dot1AD, type=ETH_P_8021AD)
registry.bind_layers(Dot1Q, Dot1AH, type=ETH_P_8021AH)
registry.bind_layers(Dot1AH, Ether)
registry.bind_layers(Ether, Ether, type=1)
registry.bind_linktype(LINKTYPE_ETHERNET, Ether)


#: EtherType number -> name (Scapy's ``scapy.data.ETHER_TYPES``; a name as an attribute gives
#: its number, ``ETHER_TYPES.IPv4``): the table ``show()`` uses, in :mod:`paquet.dadict`.
ETHER_TYPES = _dadict.ETHER_TYPES
