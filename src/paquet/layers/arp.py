"""ARP (RFC 826) over Ethernet: who-has / is-at, with Scapy's fields and defaults.

``hwlen`` and ``plen`` left to None are 6 and 4 (16 for IPv6, ``ptype`` 0x86dd, whose protocol
addresses are IPv6 ones, ``pdst`` ``::`` by default). Left to None, ``hwsrc`` and ``psrc`` come
from the resolver (interface MAC and address towards ``pdst``), else ``00:00:00:00:00:00`` and
``127.0.0.1``. Addresses of other lengths are bytes, as Scapy's (text given is sent as its
bytes, cut or padded with zeros; unset ones are zeros); a frame with such lengths is kept with
its addresses as raw bytes.
"""

from __future__ import annotations

import socket
import struct
from typing import Any

from paquet.layers.ether import ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, Dot1Q, Ether
from paquet.packet import registry
from paquet.packet.addrfields import IPField, MACField, bytes2ip, ip2bytes, mac2bytes
from paquet.packet.base import DISSECTED, Malformed, Packet
from paquet.packet.enumfields import ShortEnumField, XShortEnumField
from paquet.packet.fields import ByteField, FieldError
from paquet.packet.names import ether_types
from paquet.packet.resolver import DEFAULT_MAC_DST, interface_mac, source_address

__all__ = ["ARP", "ARP_OPS", "HARDWARE_TYPES"]


HARDWARE_TYPES = {
    1: "Ethernet (10Mb)", 2: "Ethernet (3Mb)", 3: "AX.25", 4: "Proteon ProNET Token Ring",
    5: "Chaos", 6: "IEEE 802 Networks", 7: "ARCNET", 8: "Hyperchannel", 9: "Lanstar",
    10: "Autonet Short Address", 11: "LocalTalk", 12: "LocalNet", 13: "Ultra link",
    14: "SMDS", 15: "Frame relay", 16: "ATM", 17: "HDLC", 18: "Fibre Channel", 19: "ATM",
    20: "Serial Line", 21: "ATM",
}
ARP_OPS = {
    1: "who-has", 2: "is-at", 3: "RARP-req", 4: "RARP-rep", 5: "Dyn-RARP-req",
    6: "Dyn-RAR-rep", 7: "Dyn-RARP-err", 8: "InARP-req", 9: "InARP-rep",
}

_FIXED = struct.Struct("!HHBBH")


def _route_hint(pdst: Any) -> str:
    """The address the host's route is asked for: ``pdst``, or the first of a ``Net``."""
    if isinstance(pdst, str) or pdst is None:
        return str(pdst)
    for first in pdst:
        return str(first)
    return "0.0.0.0"


class _LengthField(ByteField):
    """``hwlen``/``plen``: a byte computed from the addresses (Scapy's ``FieldLenField``)."""

    __slots__ = ()

    def type_name(self) -> str:
        return "FieldLenField"


class _AddressMixin:
    """An address of ARP: Scapy's is a ``MultipleTypeField`` of the kinds of ``KINDS``
    (chosen by ``hwtype``/``ptype`` and the lengths), with no default of its own (the
    address kind's default or the resolver's answer is used), which ``ls`` says as Scapy."""

    __slots__ = ()
    KINDS = ""

    def type_name(self) -> str:
        return f"MultipleTypeField ({self.KINDS})"

    def ls_default(self) -> None:
        return None

    def rfc_bits(self) -> int:
        return 16  # (the width Scapy's rfc() gives a MultipleTypeField of these)


class _HwSrcField(_AddressMixin, MACField):
    __slots__ = ()
    KINDS = "SourceMACField, StrFixedLenField"


class _HwDstField(_AddressMixin, MACField):
    __slots__ = ()
    KINDS = "MACField, StrFixedLenField"


class _PSrcField(_AddressMixin, IPField):
    __slots__ = ()
    KINDS = "SourceIPField, SourceIP6Field, StrFixedLenField"


class _PDstField(_AddressMixin, IPField):
    __slots__ = ()
    KINDS = "IPField, IP6Field, StrFixedLenField"


class ARP(Packet):
    """An ARP message: ``hwtype``, ``ptype``, ``hwlen``, ``plen``, ``op``, the four addresses."""

    name = "ARP"
    fields_desc = (
        XShortEnumField("hwtype", 0x0001, HARDWARE_TYPES),
        XShortEnumField("ptype", 0x0800, ether_types),
        _LengthField("hwlen", None),
        _LengthField("plen", None),
        ShortEnumField("op", 1, ARP_OPS),
        _HwSrcField("hwsrc", None),
        _PSrcField("psrc", None),
        _HwDstField("hwdst", "00:00:00:00:00:00"),
        _PDstField("pdst", "0.0.0.0"),
    )

    def _ipv6(self) -> bool:
        """True when the protocol addresses are IPv6 ones (ptype 0x86dd, plen 16 or None)."""
        d = self.__dict__
        return d["ptype"] == ETH_P_IPV6 and d["plen"] in (None, 16)

    def _pdst6(self) -> str:
        """``pdst`` of an IPv6 ARP: ``::`` unless set (Scapy's default for IPv6)."""
        d = self.__dict__
        ex = d["_explicit"]
        return d["pdst"] if (ex is not None and "pdst" in ex) or ex is DISSECTED else "::"

    @property
    def psrc(self) -> Any:
        """The sender's protocol address; when None, the host's towards ``pdst``."""
        v = self.__dict__["psrc"]
        if v is not None:
            return v
        if self._ipv6():
            return source_address(self._pdst6(), 6)
        return source_address(_route_hint(self.__dict__["pdst"]), 4)

    @property
    def hwsrc(self) -> Any:
        """The sender's MAC; when None, the interface's towards ``pdst`` (zeros without a
        resolver). Only the route is asked: nobody is sent an ARP request to learn it."""
        v = self.__dict__["hwsrc"]
        return v if v is not None else interface_mac(_route_hint(self.__dict__["pdst"]), 4)

    def _display_value(self, name: str) -> Any:
        if name in ("psrc", "hwsrc"):
            return getattr(self, name)
        return self.__dict__[name]

    def route_destination(self) -> tuple[str, int, str | None] | None:
        """The destination :meth:`route` looks up (Scapy's ``ARP.route``): ``pdst`` when it is
        an IPv4 or IPv6 address, the first of several (None for addresses of other sizes)."""
        if self._ipv6():
            return self._pdst6(), 6, None
        d = self.__dict__
        if d["ptype"] != ETH_P_IP or d["plen"] not in (None, 4):
            return None  # (Scapy's pdst is then bytes: no route to look up)
        dst = d["pdst"]
        if not isinstance(dst, str):
            try:
                dst = next(iter(dst))
            except (TypeError, StopIteration):
                return None
        return str(dst), 4, None

    def ether_addresses(self) -> tuple[str, str] | None:
        d = self.__dict__
        dst = DEFAULT_MAC_DST if d["op"] == 1 else (d["hwdst"] or DEFAULT_MAC_DST)
        return str(self.hwsrc), dst

    def _addr(self, value: Any, size: int, kind: str) -> bytes:
        if isinstance(value, bytes):
            return value
        if kind == "mac" and size == 6:
            return mac2bytes(value)
        if kind == "ip" and size == 4:
            return ip2bytes(value)
        raise FieldError(f"ARP: cannot write {value!r} in {size} bytes")

    def _other_size(self, name: str, size: int) -> bytes:
        """An address of a size that is not its kind's (Scapy's ``StrFixedLenField``): the
        value set, as bytes, cut or padded with zeros to ``size``; zeros when not set."""
        d = self.__dict__
        ex = d["_explicit"]
        v = d[name] if ex is DISSECTED or (ex is not None and name in ex) else None
        raw = b"" if v is None else v if isinstance(v, bytes) else str(v).encode("utf-8")
        return raw[:size].ljust(size, b"\0")

    def self_build(self) -> bytes:
        d = self.__dict__
        v6 = self._ipv6()
        hwlen = 6 if d["hwlen"] is None else d["hwlen"]
        plen = (16 if v6 else 4) if d["plen"] is None else d["plen"]
        try:
            hdr = _FIXED.pack(d["hwtype"] or 0, d["ptype"] or 0, hwlen, plen, d["op"] or 0)
            if hwlen == 6:
                hws = self._addr(self.hwsrc, hwlen, "mac")
                hwd = self._addr(d["hwdst"], hwlen, "mac")
            else:
                hws, hwd = self._other_size("hwsrc", hwlen), self._other_size("hwdst", hwlen)
            if v6:
                ps = self._addr6(self.psrc)
                pd = self._addr6(self._pdst6())
            elif plen == 4:
                ps, pd = self._addr(self.psrc, plen, "ip"), self._addr(d["pdst"], plen, "ip")
            else:
                ps, pd = self._other_size("psrc", plen), self._other_size("pdst", plen)
            return hdr + hws + ps + hwd + pd
        except (struct.error, TypeError, ValueError, OSError) as exc:
            raise self._build_error(exc) from None

    @staticmethod
    def _addr6(value: Any) -> bytes:
        if isinstance(value, bytes):
            return value
        return socket.inet_pton(socket.AF_INET6, str(value))

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 8:
            raise Malformed(off, f"an ARP header of at least 8 bytes, {end - off} left")
        d = self.__dict__
        d["hwtype"], d["ptype"], hl, pl, d["op"] = _FIXED.unpack_from(data, off)
        d["hwlen"], d["plen"] = hl, pl
        need = 8 + 2 * (hl + pl)
        if end - off < need:
            raise Malformed(off, f"an ARP message of {need} bytes, {end - off} left")
        i = off + 8
        parts = []
        for size, kind in ((hl, "mac"), (pl, "ip"), (hl, "mac"), (pl, "ip")):
            chunk = data[i : i + size]
            if kind == "mac" and size == 6:
                parts.append(chunk.hex(":"))
            elif kind == "ip" and size == 4:
                parts.append(bytes2ip(chunk))
            elif kind == "ip" and size == 16 and d["ptype"] == ETH_P_IPV6:
                parts.append(socket.inet_ntop(socket.AF_INET6, chunk))
            else:
                parts.append(chunk)  # type: ignore[arg-type]
            i += size
        d["hwsrc"], d["psrc"], d["hwdst"], d["pdst"] = parts
        return i

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        return hend  # what follows an ARP message is link padding

    def mysummary(self) -> str:
        d = self.__dict__
        if d["op"] == 1:
            return f"ARP who has {d['pdst']} says {self.psrc}"
        if d["op"] == 2:
            return f"ARP is at {self.hwsrc} says {self.psrc}"
        op = self._fieldmap["op"].i2repr(d["op"])
        return f"ARP {op} {self.psrc} > {d['pdst']}"

    def hashret(self) -> bytes:
        d = self.__dict__
        return struct.pack(">HHH", d["hwtype"], d["ptype"], (d["op"] + 1) // 2)

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, ARP):
            return False
        if self.__dict__["op"] != other.__dict__["op"] + 1:
            return False
        try:
            mine = self._addr(self.psrc, 4, "ip")
            theirs = other._addr(other.__dict__["pdst"], 4, "ip")
        except FieldError:
            return False
        return mine[: len(theirs)] == theirs[: len(mine)]


registry.bind_layers(Ether, ARP, type=ETH_P_ARP)
registry.bind_layers(Dot1Q, ARP, type=ETH_P_ARP)
