"""IPv4 (RFC 791): ``IP``, its options, and ``IPerror`` (the datagram an ICMP error quotes).

Left to None, ``ihl``, ``len`` and ``chksum`` are computed when building; ``proto`` follows the
layer put on top (``IP()/TCP()`` has proto 6); ``src`` comes from the resolver (the address the
host would use towards ``dst``), ``127.0.0.1`` without one. ``dst`` may be a host name (resolved
when built, through the resolver) or a network (``"192.0.2.0/30"``: iterating gives one packet
per address).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from typing import Any

from paquet.checksums import internet_checksum
from paquet.errors import DecodeError
from paquet.layers._accel import accelerated
from paquet.layers.ipv4_options import (
    IPOption,
    IPOption_Address_Extension,
    IPOption_EOL,
    IPOption_LSRR,
    IPOption_MTU_Probe,
    IPOption_MTU_Reply,
    IPOption_NOP,
    IPOption_Router_Alert,
    IPOption_RR,
    IPOption_SDBM,
    IPOption_Security,
    IPOption_SSRR,
    IPOption_Stream_Id,
    IPOption_Timestamp,
    IPOption_Traceroute,
    parse_options,
)
from paquet.number_enums import IPProto
from paquet.numbers import LINKTYPE_IPV4
from paquet.packet import registry
from paquet.packet.addrfields import _IP_CACHE, IPField, bytes2ip, ip2bytes, scoped, split_scope
from paquet.packet.base import (
    _NTOA,
    NOPAYLOAD,
    PSEUDO_SUM,
    Malformed,
    Packet,
    Paddings,
    Raw,
    _ntoa,
    payload_of,
)
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.expand import first_value
from paquet.packet.fields import (
    BitField,
    ByteField,
    Field,
    FieldError,
    ShortField,
    XByteField,
    XShortField,
)
from paquet.packet.flagfields import FlagsField, FlagValue
from paquet.packet.matching import matching
from paquet.packet.names import ip_protos
from paquet.packet.resolver import interface_mac, link_addresses, resolve_host, source_address
from paquet.packet.structfields import ListField

__all__ = [
    "IP",
    "IPOption",
    "IPOption_Address_Extension",
    "IPOption_EOL",
    "IPOption_LSRR",
    "IPOption_MTU_Probe",
    "IPOption_MTU_Reply",
    "IPOption_NOP",
    "IPOption_RR",
    "IPOption_Router_Alert",
    "IPOption_SDBM",
    "IPOption_SSRR",
    "IPOption_Security",
    "IPOption_Stream_Id",
    "IPOption_Timestamp",
    "IPOption_Traceroute",
    "IPOptionsField",
    "IPProto",
    "IPerror",
]


def options_bytes(options: Any) -> bytes:
    """The wire form of an options list (or raw bytes), padded to a multiple of 4 bytes;
    a :class:`FieldError` past the 40 bytes an IPv4 header can hold."""
    if not options:
        return b""
    if isinstance(options, bytes | bytearray):
        ob = bytes(options)
    elif isinstance(options, list):
        _check_items(options)
        ob = b"".join(bytes(o) for o in options)
    else:
        raise FieldError(f"IP options must be a list of IPOption or bytes, not {options!r}")
    if len(ob) > 40:
        # ihl (4 bits) counts at most 15 words: Scapy writes ihl=0 here, paquet refuses.
        raise FieldError(f"IP options take {len(ob)} bytes: an IPv4 header holds 40 at most")
    return ob + b"\x00" * (-len(ob) % 4)


def _check_items(options: list[Any]) -> None:
    for o in options:
        if not isinstance(o, Packet | bytes):
            # bytes(1) would be one zero byte: Scapy writes such nonsense, paquet refuses it.
            raise FieldError(
                f"IP options must be IPOption objects (IPOption_NOP(), IPOption_RR(...)) or "
                f"bytes, not {o!r}"[:200]
            )


class IPOptionsField(ListField):
    """The IPv4 options: a list of :class:`IPOption` (or raw bytes, kept as they are).

    Anything else (``IP(options=[1, 2])``, which Scapy builds as zero bytes) is a
    :class:`FieldError` when set, and when built if put in the list later.
    """

    __slots__ = ()

    holds_packets = True

    def to_list(self, value: Any) -> Any:
        if isinstance(value, Packet):
            return [value]
        if isinstance(value, list):
            _check_items(value)
        elif value is not None and not isinstance(value, bytes):
            raise FieldError(f"IP options must be a list of IPOption or bytes, not {value!r}")
        return value

    def i2repr(self, value: Any) -> str:
        return repr(value)

    def type_name(self) -> str:
        return "PacketListField"


#: The destination an IP left at its default takes from the layer on top (Scapy's
#: ``DestIPField.bind_addr``): payload class -> [(address, {field: value})]. UDP to port 5353
#: goes to mDNS' group (``paquet.layers.dns``).
#: The address may be a function of the layer on top (IGMP's reports go to their group).
DST_BINDINGS: dict[type, list[tuple[str | Callable[[Any], str], dict[str, Any]]]] = {}
#: The default ``dst``: an object of its own, so that ``is`` tells it from a value set.
_DEFAULT_DST = "".join(("127.0.0.", "1"))


def bind_dst_addr(layer: type, addr: str | Callable[[Any], str], **condition: Any) -> None:
    """An IP left at its default destination with a ``layer`` on top whose fields have the
    values of ``condition`` goes to ``addr`` (Scapy's ``DestIPField.bind_addr``; a function
    of that layer gives the address to go to).

    >>> from paquet.layers.udp import UDP
    >>> (IP() / UDP(dport=5353)).dst
    '224.0.0.251'
    """
    DST_BINDINGS.setdefault(layer, []).append((addr, condition))


def bound_dst(pkt: Packet, default: str) -> str:
    """The destination the layer on top of ``pkt`` gives it (``DST_BINDINGS``), else
    ``default``."""
    pay = payload_of(pkt)
    for addr, condition in DST_BINDINGS.get(type(pay), ()):
        pd = pay.__dict__
        for k, v in condition.items():
            if pd.get(k) != v:
                break
        else:
            return addr(pay) if callable(addr) else addr
    return default


#: mDNS's IPv4 group (RFC 6762): a query to it is answered by whoever has the name.
_MDNS_GROUP = "224.0.0.251"

_HDR = struct.Struct("!BBHHHBBH4s4s")
_PSEUDO = struct.Struct("!4s4sHH")


def _swapped(ip_id: Any) -> Any:
    """An IP id with its two bytes swapped (a host that sent it in its own byte order)."""
    return ((ip_id & 0xFF) << 8 | ip_id >> 8) if isinstance(ip_id, int) else ip_id


def short_header_len(ihl: int, avail: int) -> int:
    """Where Scapy ends an IPv4 header whose ``ihl`` is under 5, ``avail`` bytes on from its
    start: its options take ``4 * ihl - 20`` bytes, a negative length that Scapy's slicing reads
    as "all but the last ``20 - 4 * ihl`` bytes" (so a payload byte 0x40 in a tunnel dissects
    as an IPv4 header with options, as Scapy's). The payload then counts ``len - 4 * ihl``.

    >>> short_header_len(0, 47), short_header_len(3, 47), short_header_len(0, 30)
    (27, 39, 20)
    """
    return max(20, avail - (20 - 4 * ihl))


class IP(Packet):
    """An IPv4 header (Scapy's field names and defaults)."""

    name = "IP"
    chksum_offset = 10
    fields_desc = (
        BitField("version", 4, 4),
        BitField("ihl", None, 4),
        XByteField("tos", 0),
        ShortField("len", None),
        ShortField("id", 1),
        FlagsField("flags", 0, 3, ["MF", "DF", "evil"]),
        BitField("frag", 0, 13),
        ByteField("ttl", 64),
        ByteEnumField("proto", 0, ip_protos),
        XShortField("chksum", None),
        IPField("src", None),
        IPField("dst", _DEFAULT_DST),
        IPOptionsField("options"),
    )

    # ---------------------------------------------------------------- addresses

    @property
    def dst(self) -> Any:
        """The destination; left at its default, the one the layer on top gives
        (:func:`bind_dst_addr`: ``IP()/UDP(dport=5353)`` goes to 224.0.0.251), else
        127.0.0.1."""
        v = self.__dict__["dst"]
        if v is None:  # (set to None: the default's, as Scapy's DestIPField)
            return bound_dst(self, _DEFAULT_DST)
        if v is _DEFAULT_DST and not self.is_set("dst"):
            return bound_dst(self, v)
        return scoped(v)  # ("224.0.0.1%eth0": Scapy's ScopedIP)

    def _dst_text(self) -> str:
        dst = self.__dict__["dst"]
        if dst is _DEFAULT_DST and not self.is_set("dst"):
            return bound_dst(self, dst)
        if not isinstance(dst, str | None):
            dst = first_value(self, "dst")  # several (a list, a range, a Net): the first, as Scapy
        if dst is None:
            return bound_dst(self, _DEFAULT_DST)
        if isinstance(dst, str):
            try:
                ip2bytes(dst)
            except FieldError:
                if "/" in dst:
                    raise FieldError(
                        f"IP dst {dst!r} is a network: iterate the packet to get one per address"
                    ) from None
                if "%" in dst:  # an address and its interface (kept: the route reads it)
                    ip2bytes(dst.partition("%")[0])
                    return dst
                return resolve_host(dst, 4)
            return dst
        raise FieldError(f"IP dst must be an address or a host name, not {dst!r}")

    @property
    def src(self) -> str:
        """The source address; when None, the one the host would use towards ``dst``."""
        v = self.__dict__["src"]
        if v is not None:
            return v  # type: ignore[no-any-return]
        dst = self.__dict__["dst"]
        if isinstance(dst, str) and "/" in dst:
            dst = dst.split("/", 1)[0]
            return source_address(dst, 4)
        return source_address(self._dst_text(), 4)

    def _display_value(self, name: str) -> Any:
        if name == "src":
            return self.src
        if name == "dst":
            return self.dst
        return self.__dict__[name]

    def _addr_bytes(self) -> tuple[bytes, bytes]:
        d = self.__dict__
        dst = d["dst"]
        dst_b = (_IP_CACHE.get(dst) if isinstance(dst, str) and dst is not _DEFAULT_DST
                 else None)
        scope = None
        if dst_b is None:
            dst = self._dst_text()
            try:
                dst_b = ip2bytes(dst)
            except FieldError:
                if "%" not in dst:
                    raise
                dst_b = ip2bytes(dst.partition("%")[0])
                scope = dst  # (the source is the one on that interface)
        src = d["src"]
        if src is None:
            src = source_address(scope or bytes2ip(dst_b), 4)
        src_b = _IP_CACHE.get(src) if isinstance(src, str) else None
        if src_b is None:
            try:
                src_b = ip2bytes(src)
            except FieldError as exc:
                raise FieldError(f"IP src: {exc}") from None
        return src_b, dst_b

    def ether_addresses(self) -> tuple[str, str] | None:
        return link_addresses(self._dst_text(), 4)

    def ether_source(self) -> str | None:
        return interface_mac(self._dst_text(), 4)

    def route_destination(self) -> tuple[str, int, str | None] | None:
        """The destination :meth:`route` looks up (Scapy's ``IP.route``): ``dst``, the first
        of several, its ``%interface`` scope as the interface."""
        dst, scope = split_scope(self._dst_text())
        return dst, 4, scope

    def endpoints(self) -> tuple[str, str] | None:
        return str(self.src), str(self.dst)

    # ---------------------------------------------------------------- building

    def _header(self, payload_len: int) -> bytes:
        d = self.__dict__
        opts = d["options"]
        ihl = d["ihl"]
        if opts and ihl is not None and ihl < 5:  # as dissected (short_header_len)
            ob = opts if isinstance(opts, bytes) else b"".join(bytes(o) for o in opts)
        else:
            ob = options_bytes(opts) if opts else b""
            if ihl is None:
                ihl = 5 + len(ob) // 4
        length = d["len"]
        if length is None:
            length = 20 + len(ob) + payload_len
        src, dst = self._addr_bytes()
        try:
            hdr = _HDR.pack(
                (d["version"] & 15) << 4 | (ihl & 15),
                d["tos"] or 0,
                length,
                d["id"] or 0,
                (int(d["flags"] or 0) & 7) << 13 | ((d["frag"] or 0) & 0x1FFF),
                d["ttl"] or 0,
                d["proto"] or 0,
                d["chksum"] or 0,
                src,
                dst,
            )
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None
        if ob:
            hdr += ob
        if d["chksum"] is None:
            ck = internet_checksum(hdr)
            hdr = hdr[:10] + bytes((ck >> 8, ck & 0xFF)) + hdr[12:]
        return hdr

    def self_build(self) -> bytes:
        return self._header(len(self.payload.do_build()))

    def do_build(self) -> bytes:
        d = self.__dict__
        if d["options"]:
            # Options: the general header (its checksum over the packed bytes); the payload
            # asks pseudo_header() for a source route's final destination.
            pay = (d["payload"] if "payload" in d else payload_of(self)).do_build()
            return self._header(len(pay)) + pay
        src, dst = d["src"], d["dst"]
        if (dst is _DEFAULT_DST and type(d.get("payload")) in DST_BINDINGS
                and not self.is_set("dst")):
            dst = bound_dst(self, dst)  # (the default or the one bound to the payload)
        src = _IP_CACHE.get(src) if type(src) is str else None
        dst = _IP_CACHE.get(dst) if type(dst) is str else None
        if src is None or dst is None:
            src, dst = self._addr_bytes()
        length = d["len"]
        # The addresses' 16-bit words summed (mod 0xFFFF, as the internet checksum folds):
        # the header checksum and, while the payload builds, its pseudo-header's (PSEUDO_SUM;
        # not with a length set by hand, which the pseudo-header takes: pseudo_header()).
        asum = int.from_bytes(src, "big") + int.from_bytes(dst, "big")
        if length is None:
            d[PSEUDO_SUM] = asum
        try:
            pay = (d["payload"] if "payload" in d else payload_of(self)).do_build()
        finally:
            d.pop(PSEUDO_SUM, None)
        try:
            ihl = d["ihl"]
            vihl = (d["version"] & 15) << 4 | ((5 if ihl is None else ihl) & 15)
            tos = d["tos"] or 0
            if length is None:
                length = 20 + len(pay)
            ident = d["id"] or 0
            ffrag = (int(d["flags"] or 0) & 7) << 13 | ((d["frag"] or 0) & 0x1FFF)
            ttl = d["ttl"] or 0
            proto = d["proto"] or 0
            ck = d["chksum"]
            if ck is None:
                # internet_checksum of the header from its words (RFC 1071: a sum mod 0xFFFF).
                t = (vihl << 8 | tos) + length + ident + ffrag + (ttl << 8 | proto) + asum
                r = t % 0xFFFF
                ck = 0xFFFF - r if r else (0 if t else 0xFFFF)
            return _HDR.pack(vihl, tos, length, ident, ffrag, ttl, proto, ck, src, dst) + pay
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def pseudo_header(self, upper_len: int, proto: int) -> bytes:
        """The IPv4 pseudo-header (RFC 793) for a transport checksum over ``upper_len`` bytes.

        As Scapy, a ``len`` set by the user decides the length, and the last hop of a source
        route option is the destination (and, when ``src`` is None, the source is the one
        towards that hop).
        """
        d = self.__dict__
        src, dst = self._addr_bytes()
        length = upper_len
        if d["len"] is not None:
            ihl = d["ihl"]
            if ihl is None:
                ihl = 5 + len(options_bytes(d["options"])) // 4
            length = max(d["len"] - 4 * ihl, 0)
        opts = d["options"]
        if opts and isinstance(opts, list):
            routes = [o for o in opts if isinstance(o, IPOption_LSRR | IPOption_SSRR)]
            if len(routes) == 1 and routes[0].routers:
                final = routes[0].routers[-1]
                dst = ip2bytes(final)
                if d["src"] is None:  # as Scapy: the source the host would use towards it
                    src = ip2bytes(source_address(final, 4))
        return _PSEUDO.pack(src, dst, proto, length & 0xFFFF)

    # ---------------------------------------------------------------- dissecting

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 20:
            raise Malformed(off, f"an IPv4 header of 20 bytes, {end - off} left")
        vihl, tos, length, ident, ffrag, ttl, proto, chksum, src, dst = _HDR.unpack_from(
            data, off
        )
        hlen: int = (vihl & 15) * 4
        if hlen < 20:  # (never on the quick path: it refuses these headers)
            hlen = short_header_len(vihl & 15, end - off)
            self.add_error(DecodeError("IP", off, f"a header length (ihl) of at least 5, not "
                                       f"{vihl & 15}: options read as Scapy reads them"))
        if off + hlen > end:
            raise Malformed(off, f"{hlen} header bytes (ihl {vihl & 15}), {end - off} left")
        d = self.__dict__
        d["version"] = vihl >> 4
        d["ihl"] = vihl & 15
        d["tos"] = tos
        d["len"] = length
        d["id"] = ident
        d["flags"] = ffrag >> 13
        d["frag"] = ffrag & 0x1FFF
        d["ttl"] = ttl
        d["proto"] = proto
        d["chksum"] = chksum
        d["src"] = _NTOA.get(src) or _ntoa(src)
        d["dst"] = _NTOA.get(dst) or _ntoa(dst)
        d["options"] = parse_options(data[off + 20 : off + hlen]) if hlen > 20 else []
        if vihl >> 4 != 4:
            self.add_error(DecodeError("IP", off, f"version 4, not {vihl >> 4}"))
        return off + hlen

    @staticmethod
    def quick_dissect(
        data: bytes, off: int, end: int, paddings: Paddings, under: Packet | None, t: float
    ) -> dict[str, Any] | None:
        """An IPv4 header whose lengths agree with the bytes, in one step (see
        :meth:`Packet.quick_dissect`); options are parsed as ``do_dissect`` does."""
        if end - off < 20:
            return None
        vihl, tos, length, ident, ffrag, ttl, proto, chksum, src, dst = _HDR.unpack_from(
            data, off
        )
        hend = off + (vihl & 15) * 4
        pend = off + length
        if vihl >> 4 != 4 or hend < off + 20 or hend > pend or pend > end:
            return None  # the general path reports what is wrong
        d = _QINIT.copy()  # version 4, options empty, _explicit DISSECTED
        d["ihl"] = vihl & 15
        d["tos"] = tos
        d["len"] = length
        d["id"] = ident
        d["flags"] = ffrag >> 13
        d["frag"] = ffrag & 0x1FFF
        d["ttl"] = ttl
        d["proto"] = proto
        d["chksum"] = chksum
        d["src"] = _NTOA.get(src) or _ntoa(src)
        d["dst"] = _NTOA.get(dst) or _ntoa(dst)
        if hend > off + 20:
            d["options"] = parse_options(data[off + 20 : hend])
        d["underlayer"] = under
        d["time"] = t
        if hend < pend:
            d["_lazy"] = (data, hend, pend, (*paddings, (pend, end)) if pend < end else paddings)
        elif pend < end:
            return None  # padding and no payload: the general path adds it
        return d

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        d = self.__dict__
        plen = d["len"] - 4 * d["ihl"]  # (not hend - off: an ihl under 5, see short_header_len)
        if plen < 0:
            self.add_error(
                DecodeError("IP", off + 2, f"a total length of at least {hend - off}, not "
                            f"{d['len']}")
            )
            return end
        if hend + plen > end:
            self.add_error(
                DecodeError("IP", off + 2, f"{d['len']} bytes (total length), {end - off} "
                            "captured")
            )
            return end
        return hend + plen  # type: ignore[no-any-return]

    def expected_chksum(self) -> int | None:
        hdr = self.self_build_no_chksum()
        return None if hdr is None else internet_checksum(hdr)

    def self_build_no_chksum(self) -> bytes | None:
        """The header as built with the checksum field zeroed (None if it cannot be built)."""
        d = self.__dict__
        saved = d["chksum"]
        d["chksum"] = 0
        try:
            return self._header(0)
        except Exception:
            return None
        finally:
            d["chksum"] = saved

    # ---------------------------------------------------------------- display

    def _nested_repr(self, f: Field, value: Any) -> list[str] | None:
        if f.name != "options":
            return None
        if isinstance(value, bytes):
            return [f"  raw       = {value!r}"] if value else []
        return [line for o in value for line in o._show(3, "", "").splitlines()]

    def _field_repr(self, f: Field, value: Any) -> str:
        if f.name == "flags" and not isinstance(value, FlagValue) and isinstance(value, int):
            return FlagValue(value, ("MF", "DF", "evil")).flagrepr()
        return f.i2repr(value)

    def mysummary(self) -> str:
        proto = self._fieldmap["proto"].i2repr(self.__dict__["proto"])
        s = f"{self.src} > {self.__dict__['dst']} {proto}"
        if self.__dict__["frag"]:
            s += f" frag:{self.__dict__['frag']}"
        return s

    # ---------------------------------------------------------------- fragments

    def fragment(self, fragsize: int = 1480, *, options: str = "all") -> list[Packet]:
        """This datagram cut into fragments of at most ``fragsize`` payload bytes (Scapy's
        ``IP.fragment``; see :func:`fragment`).

        >>> [f.frag for f in (IP() / (b"x" * 20)).fragment(8)]
        [0, 1, 2]
        """
        return fragment(self, fragsize=fragsize, options=options)

    # ---------------------------------------------------------------- reply matching

    def hashret(self) -> bytes:
        d = self.__dict__
        p = payload_of(self)
        if d["proto"] == 1 and p and getattr(p, "is_error", False):
            return bytes(p.payload.hashret())
        if not matching.check_ip_in_ip and d["proto"] in (4, 41):
            return bytes(p.hashret())
        if not matching.check_ip_src or self.dst == _MDNS_GROUP:
            # (Scapy's: the addresses leave the key; an mDNS query's answers come from
            # anyone, to the group)
            return struct.pack("B", d["proto"] or 0) + bytes(p.hashret())
        src, dst = self._addr_bytes()
        x = bytes(a ^ b for a, b in zip(src, dst, strict=True))
        return x + struct.pack("B", d["proto"] or 0) + bytes(p.hashret())

    def answers(self, other: Packet) -> bool:
        if not matching.check_ip_in_ip:  # look through IP-in-IP and 6in4 (Scapy's)
            if self.__dict__["proto"] in (4, 41):
                return bool(payload_of(self).answers(other))
            if (isinstance(other, Packet) and getattr(other, "proto", None) in (4, 41)) \
                    or getattr(other, "nh", None) in (4, 41):
                return self.answers(payload_of(other))
        if not isinstance(other, IP):
            return False
        d = self.__dict__
        addr = matching.check_ip_addr  # (Scapy's conf.checkIPaddr)
        if addr:
            if d["dst"] == _MDNS_GROUP == other.__dict__["dst"]:
                return bool(payload_of(self).answers(other.payload))  # mDNS (Scapy's)
            if d["dst"] != other.src:
                return False
        p = payload_of(self)
        if d["proto"] == 1 and p and getattr(p, "is_error", False):
            return bool(p.payload.answers(other))
        if (addr and self.src != other.__dict__["dst"]) or d["proto"] != other.__dict__["proto"]:
            return False
        return bool(p.answers(other.payload))


# ---------------------------------------------------------------- fragmenting (Scapy's inet.py)


def _overload(layer: Packet, fields: dict[str, Any]) -> None:
    """Give ``layer`` the fields its payload would set (``proto`` under UDP), as a payload's
    binding does: not where the user set them, and reset when the payload goes (Scapy copies
    the original payload's ``overload_fields`` onto each fragment's Raw)."""
    over = {k: v for k, v in fields.items() if not layer.is_set(k)}
    if over:
        d = layer.__dict__
        d.update(over)
        d["_overloaded"] = over


def fragment(pkt: Packet | Iterable[Packet], fragsize: int = 1480, *,
             options: str = "all") -> list[Packet]:
    """Fragment each IPv4 datagram of ``pkt`` (a packet, or a list) into pieces of at most
    ``fragsize`` payload bytes (a multiple of 8 but for the last; below 8, 8 with a warning).

    Each fragment is a copy of the packet (layers below IP included) with a Raw payload, MF
    set except on the last, ``frag`` advanced from the original's (fragments fragment again),
    ``len`` and ``chksum`` recomputed. A datagram without payload gives no fragment (Scapy's
    result). The fragments after the first carry the IP options as ``options`` says: "all"
    (Scapy's: every option, whatever its copy flag), "copied" (RFC 791: only those with the
    copy flag; the header shrinks), "linux" (the kernel's ``ip_options_fragment``: the others
    overwritten with NOPs, the header keeps its length).

    >>> [len(f) for f in fragment(IP() / (b"x" * 100), 40)]
    [60, 60, 40]
    """
    if options not in ("all", "copied", "linux"):
        raise FieldError(f"options must be 'all', 'copied' or 'linux', not {options!r}")
    if fragsize < 8:
        import logging  # (only here: importing it costs every import of paquet)

        logging.getLogger("paquet").warning("fragsize cannot be lower than 8")
        fragsize = max(fragsize, 8)
    lastfragsz = fragsize
    fragsize -= fragsize % 8
    out: list[Packet] = []
    for p in pkt:
        ip = p[IP]
        pay = ip.payload  # the fields it sets on IP ({"proto": 17} under UDP)
        over = {} if pay is NOPAYLOAD else registry.overload_fields(type(ip), type(pay)) or {}
        s = bytes(ip.payload)
        later = None if options == "all" or not ip.options else \
            _later_options(options_bytes(ip.options), options == "linux")
        nb = (len(s) - lastfragsz + fragsize - 1) // fragsize + 1
        for i in range(nb):
            q = p.copy()
            qi = q[IP]
            del qi.payload
            del qi.chksum
            del qi.len
            if i != nb - 1:
                qi.flags = qi.flags | 1
                fragend = (i + 1) * fragsize
            else:
                fragend = i * fragsize + lastfragsz
            qi.frag = qi.frag + i * fragsize // 8
            if i and later is not None:
                qi.options = parse_options(later)
                if options == "copied":
                    qi.ihl = None
            qi.add_payload(Raw(load=s[i * fragsize : fragend]))
            _overload(qi, over)
            out.append(q)
    return out


def _later_options(ob: bytes, nops: bool) -> bytes:
    """The options of the fragments after the first: those with the copy flag (``nops``: the
    others overwritten with NOPs, as Linux does), up to the end of the list or a bad length."""
    kept, i = bytearray(ob) if nops else bytearray(), 0
    while i < len(ob) and ob[i] != 0:
        size = 1 if ob[i] == 1 else (ob[i + 1] if i + 1 < len(ob) else 0)
        if (size < 2 and ob[i] != 1) or i + size > len(ob):
            break
        if ob[i] & 0x80 and not nops:
            kept += ob[i : i + size]
        elif nops and not ob[i] & 0x80:
            kept[i : i + size] = b"\x01" * size
        i += size
    return bytes(kept) + b"\0" * (-len(kept) % 4)


#: The class's shared empty option list: a dissected header without options refers to it
#: (reading ``pkt.options`` gives the layer a list of its own, see Packet's list fields).
_NO_OPTIONS = IP._fieldmap["options"].default
#: A dissected IP's dict before its values (version 4, no options), for quick_dissect.
_QINIT = IP._qinit
# The same parser in C when it is built (paquet.layers._quick).
IP._quick = accelerated("ipv4", IP._quick, _QINIT, _NTOA, _ntoa, parse_options)


class IPerror(IP):
    """The IPv4 header (and start of payload) quoted inside an ICMP error."""

    name = "IP in ICMP"
    in_quote = True

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off >= 1 and data[off] >> 4 != 4:
            raise Malformed(off, "a quoted IPv4 header (version 4)")
        return super().do_dissect(data, off, end)

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, IP):
            return False
        d, od = self.__dict__, other.__dict__
        if d["dst"] != od["dst"] or d["proto"] != od["proto"]:
            return False
        if matching.check_ip_src and self.src != other.src:
            return False
        if matching.check_ip_id and d["id"] not in (od["id"], _swapped(od["id"])):
            return False
        return bool(self.payload.answers(other.payload))

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        # The quote is usually cut short (8 bytes of payload): no error for that, and the
        # rest of the ICMP message, if any, belongs to the quote.
        d = self.__dict__
        plen = d["len"] - (hend - off)
        if plen < 0 or hend + plen >= end:
            return end
        return int(hend + plen)

    def mysummary(self) -> str:
        return ""


def _register() -> None:
    from paquet.layers.ether import ETH_P_IP, Dot1Q, Ether

    registry.bind_layers(Ether, IP, type=ETH_P_IP)
    registry.bind_layers(Dot1Q, IP, type=ETH_P_IP)
    registry.bind_layers(IP, IP, frag=0, proto=4)
    registry.bind_layers(IPerror, IPerror, frag=0, proto=4)
    registry.bind_linktype(LINKTYPE_IPV4, IP)


_register()
