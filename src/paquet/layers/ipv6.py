"""IPv6 (RFC 8200): ``IPv6`` and ``IPerror6`` (the datagram an ICMPv6 error quotes); its
addresses are in :mod:`paquet.layers.ipv6_addr`, its extension headers in
:mod:`paquet.layers.ipv6_ext` (both names also read from here).

Field names and defaults are Scapy's: ``version``, ``tc``, ``fl``, ``plen``, ``nh``, ``hlim``,
``src``, ``dst``. Left to None, ``plen`` is computed when building; ``nh`` follows the layer put
on top (``IPv6()/UDP()`` has nh 17, ``IPv6()/IPv6ExtHdrFragment()`` nh 44); ``src`` comes from
the resolver (the address the host would use towards ``dst``), ``::1`` without one. ``dst`` may
be a host name (resolved when built) or a small network (``"2001:db8::/126"``: iterating gives one
packet per address).

The extension headers are Scapy's classes: :class:`IPv6ExtHdrHopByHop`,
:class:`IPv6ExtHdrRouting`, :class:`IPv6ExtHdrFragment`, :class:`IPv6ExtHdrDestOpt`. Options of
the hop-by-hop and destination headers are a list of options (:mod:`paquet.layers.ipv6_options`:
``Pad1``, ``PadN``, ``RouterAlert``, ``Jumbo``, ``HAO``..., ``HBHOptUnknown`` for any other);
with ``autopad`` on (the default) they are aligned and padded to 8 bytes as Scapy does. A
transport checksum above extension headers uses the final destination of a routing header
(RFC 8200 §8.1), as Scapy's ``in6_chksum``.

Reply matching is Scapy's (``hashret``, ``answers``, ICMPv6 errors matched through the
:class:`IPerror6` they quote, byte for byte over the quoted upper layer), except that
extension headers are skipped on both sides for every kind of header (Scapy does not skip a
request's hop-by-hop header). A routing header whose data is not whole addresses keeps it as
bytes in ``addresses``; options that run past their header are kept as bytes in ``options``.
"""

from __future__ import annotations

import struct
from _socket import AF_INET6, inet_ntop
from collections.abc import Sequence
from typing import Any, cast

from paquet.errors import DecodeError
from paquet.ipv6ext import final_destination, home_address, tlv_options
from paquet.layers._accel import accelerated
from paquet.layers.ipv6_addr import (
    _A6_CACHE,
    _CANON,
    _TEXT_CACHE,
    IP6Field,
    in6_ismaddr,
    ip6_text,
)
from paquet.layers.ipv6_addr import ip6_bytes as ip6_bytes
from paquet.layers.ipv6_ext import (
    QUOTED_TRANSPORT,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    _RoutingHeader,
)
from paquet.layers.ipv6_ext import _IPv6ExtHdr as _IPv6ExtHdr
from paquet.layers.ipv6_ext import register_icmpv6_dispatch as register_icmpv6_dispatch
from paquet.layers.ipv6_ext import register_routing_type as register_routing_type
from paquet.layers.ipv6_options import (
    HBHOptUnknown,
    Pad1,
    PadN,
    encode_options,
)
from paquet.numbers import ETH_P_IPV6, IPV6_NH, LINKTYPE_IPV6
from paquet.packet import registry
from paquet.packet.addrfields import scoped, split_scope
from paquet.packet.base import (
    PSEUDO_SUM,
    Malformed,
    Packet,
    Paddings,
    payload_of,
)
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.expand import first_value
from paquet.packet.fields import BitField, ByteField, Field, FieldError, ShortField
from paquet.packet.matching import matching
from paquet.packet.resolver import interface_mac, link_addresses, resolve_host, source_address

__all__ = [
    "IPV6_NH",
    "HBHOptUnknown",
    "IP6Field",
    "IPerror6",
    "IPv6",
    "IPv6ExtHdrDestOpt",
    "IPv6ExtHdrFragment",
    "IPv6ExtHdrHopByHop",
    "IPv6ExtHdrRouting",
    "Pad1",
    "PadN",
    "in6_ismaddr",
]

_HDR = struct.Struct("!IHBB16s16s")
_PSEUDO = struct.Struct("!16s16sI3xB")
_ALL_NODES = b"\xff\x02" + b"\x00" * 13 + b"\x01"
_ALL_ROUTERS = b"\xff\x02" + b"\x00" * 13 + b"\x02"


# ---------------------------------------------------------------------- IPv6


#: The destination an IPv6 left at its default takes from the layer on top (Scapy's
#: ``DestIP6Field.bind_addr``): payload class -> [(address, {field: value})].
DST6_BINDINGS: dict[type, list[tuple[str, dict[str, Any]]]] = {}
#: The default ``dst``: an object of its own, so that ``is`` tells it from most values set
#: (the field's canonical form of "::1", which the class's default is converted to; a value
#: set is told apart by ``is_set``).
_DEFAULT_DST6 = "".join((":", ":1"))
_CANON.setdefault(_DEFAULT_DST6, _DEFAULT_DST6)


def bind_dst6_addr(layer: type, addr: str, **condition: Any) -> None:
    """An IPv6 left at its default destination with a ``layer`` on top whose fields have the
    values of ``condition`` goes to ``addr`` (Scapy's ``DestIP6Field.bind_addr``).

    >>> from paquet.layers.udp import UDP
    >>> (IPv6() / UDP(dport=5353)).dst
    'ff02::fb'
    """
    DST6_BINDINGS.setdefault(layer, []).append((addr, condition))


def _bound_dst6(pkt: Packet, default: str) -> str:
    """The destination the layer on top of ``pkt`` gives it, else ``default``."""
    pay = payload_of(pkt)
    for addr, condition in DST6_BINDINGS.get(type(pay), ()):
        pd = pay.__dict__
        for k, v in condition.items():
            if pd.get(k) != v:
                break
        else:
            return addr
    return default


class IPv6(Packet):
    """An IPv6 header (Scapy's field names and defaults)."""

    name = "IPv6"
    fields_desc = (
        BitField("version", 6, 4),
        BitField("tc", 0, 8),
        BitField("fl", 0, 20),
        ShortField("plen", None),
        ByteEnumField("nh", 59, IPV6_NH),
        ByteField("hlim", 64),
        IP6Field("src", None),
        IP6Field("dst", _DEFAULT_DST6),
    )

    # ---------------------------------------------------------------- addresses

    @property
    def dst(self) -> Any:
        """The destination; left at its default, the one the layer on top gives
        (:func:`bind_dst6_addr`: ``IPv6()/UDP(dport=5353)`` goes to ff02::fb), else ::1."""
        v = self.__dict__["dst"]
        if v is _DEFAULT_DST6 and not self.is_set("dst"):
            return _bound_dst6(self, v)
        return scoped(v)  # ("ff02::1%eth0": Scapy's ScopedIP)

    def _dst_text(self) -> str:
        dst = self.__dict__["dst"]
        if dst is _DEFAULT_DST6 and not self.is_set("dst"):
            return _bound_dst6(self, dst)
        if not isinstance(dst, str | None):
            dst = first_value(self, "dst")  # several (a list, a range, a Net): the first, as Scapy
        if dst is None:
            return "::1"
        if isinstance(dst, str):
            if dst in _A6_CACHE:
                return dst
            try:
                ip6_bytes(dst)
            except FieldError:
                if "/" in dst:
                    raise FieldError(
                        f"IPv6 dst {dst!r} is a network: iterate the packet to get one per "
                        "address"
                    ) from None
                if "%" in dst:  # an address and its interface (route_destination reads it)
                    return ip6_text(ip6_bytes(dst.partition("%")[0]))
                return inet_ntop(AF_INET6, ip6_bytes(resolve_host(dst, 6)))
            return dst
        raise FieldError(f"IPv6 dst must be an address or a host name, not {dst!r}")

    @property
    def src(self) -> str:
        """The source address; when None, the one the host would use towards ``dst``."""
        v = self.__dict__["src"]
        if v is not None:
            return v  # type: ignore[no-any-return]
        dst = self.__dict__["dst"]
        if isinstance(dst, str) and "/" in dst:
            return source_address(dst.split("/", 1)[0], 6)
        return source_address(self._dst_text(), 6)

    def _display_value(self, name: str) -> Any:
        if name == "src":
            return self.src
        if name == "dst":
            return self.dst
        return self.__dict__[name]

    def endpoints(self) -> tuple[str, str] | None:
        return str(self.src), str(self.dst)

    def _addr_bytes(self) -> tuple[bytes, bytes]:
        """``(src, dst)`` as 16 bytes each, resolved through the resolver when needed."""
        d = self.__dict__
        ab = d.get("_ab")
        if ab is not None:
            return ab  # type: ignore[no-any-return]
        dst = d["dst"]
        dst_b = (_A6_CACHE.get(dst) if isinstance(dst, str) and dst is not _DEFAULT_DST6
                 else None)
        if dst_b is None:
            dst_b = ip6_bytes(self._dst_text())
        src = d["src"]
        if src is None:
            src = source_address(inet_ntop(AF_INET6, dst_b), 6)
        src_b = _A6_CACHE.get(src) if isinstance(src, str) else None
        if src_b is None:
            try:
                src_b = ip6_bytes(src)
            except FieldError as exc:
                raise FieldError(f"IPv6 src: {exc}") from None
        return src_b, dst_b

    def route_destination(self) -> tuple[str, int, str | None] | None:
        """The destination :meth:`route` looks up (Scapy's ``IPv6.route``): ``dst`` (the
        first of several), its ``%interface`` scope as the interface."""
        v = self.__dict__["dst"]
        return self._dst_text(), 6, split_scope(v)[1] if isinstance(v, str) else None

    def ether_source(self) -> str | None:
        return interface_mac(self._dst_text(), 6)

    def ether_addresses(self) -> tuple[str, str] | None:
        """The interface's MAC and the next hop's; a multicast ``dst`` maps to 33:33:xx:xx:xx:xx
        (RFC 2464 §7), as Scapy does."""
        dst = self._dst_text()
        dst_b = ip6_bytes(dst)
        if dst_b[0] == 0xFF:
            # No neighbour to resolve: only the interface's own MAC is needed.
            return interface_mac(dst, 6), "33:33:" + dst_b[12:].hex(":")
        return link_addresses(dst, 6)

    def _expand_value(self, f: Field, v: Any) -> Sequence[Any] | None:
        if f.name in ("src", "dst"):
            from paquet.errors import AddressError
            from paquet.generators import Net6

            try:
                # Lazy: a /64 is not made before it is iterated. A tuple of two addresses
                # stands for the range between them, as in Scapy.
                if isinstance(v, str) and "/" in v:
                    return cast("Sequence[Any]", Net6(v))
                if isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, str) for x in v):
                    return cast("Sequence[Any]", Net6(*v))
            except (AddressError, OSError, ValueError) as exc:
                raise FieldError(f"{f.name}: {exc}") from None
        return super()._expand_value(f, v)

    # ---------------------------------------------------------------- building

    def _header(self, payload_len: int) -> bytes:
        d = self.__dict__
        plen = d["plen"]
        if plen is None:
            plen = payload_len
        src, dst = self._addr_bytes()
        try:
            return _HDR.pack(
                (d["version"] & 15) << 28 | (d["tc"] & 0xFF) << 20 | (d["fl"] & 0xFFFFF),
                plen,
                d["nh"] or 0,
                d["hlim"] or 0,
                src,
                dst,
            )
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def self_build(self) -> bytes:
        return self._header(len(self.payload.do_build()))

    def do_build(self) -> bytes:
        d = self.__dict__
        # The addresses, resolved once, also serve the payload's pseudo-header.
        src, dst = d["src"], d["dst"]
        if (dst is _DEFAULT_DST6 and type(d.get("payload")) in DST6_BINDINGS
                and not self.is_set("dst")):
            dst = _bound_dst6(self, dst)  # (the default or the one bound to the payload)
        src = _A6_CACHE.get(src) if type(src) is str else None
        dst = _A6_CACHE.get(dst) if type(dst) is str else None
        if src is None or dst is None:
            src, dst = self._addr_bytes()
        d["_ab"] = (src, dst)
        # The pseudo-header's address words summed, for the transport checksum (PSEUDO_SUM).
        d[PSEUDO_SUM] = int.from_bytes(src, "big") + int.from_bytes(dst, "big")
        try:
            pay: bytes = (d["payload"] if "payload" in d else payload_of(self)).do_build()
        finally:
            del d["_ab"]
            del d[PSEUDO_SUM]
        plen = d["plen"]
        try:
            hdr = _HDR.pack(
                (d["version"] & 15) << 28 | (d["tc"] & 0xFF) << 20 | (d["fl"] & 0xFFFFF),
                len(pay) if plen is None else plen,
                d["nh"] or 0,
                d["hlim"] or 0,
                src,
                dst,
            )
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None
        return hdr + pay

    def pseudo_header(self, upper_len: int, proto: int) -> bytes:
        """The IPv6 pseudo-header (RFC 8200 §8.1) for an upper-layer checksum.

        Source, destination, the upper-layer length ``upper_len`` (32 bits), three zero bytes,
        the next header ``proto``.
        """
        src, dst = self.__dict__.get("_ab") or self._addr_bytes()
        return _PSEUDO.pack(src, dst, upper_len & 0xFFFFFFFF, proto & 0xFF)

    def pseudo_header_from(self, start: Packet, upper_len: int, proto: int) -> bytes:
        """The pseudo-header for a checksum above the extension header ``start`` (over this
        IPv6): with a routing header's final destination and a home address option's address
        between the two."""
        return _pseudo(start, upper_len, proto)

    # ---------------------------------------------------------------- dissecting

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 40:
            raise Malformed(off, f"an IPv6 header of 40 bytes, {end - off} left")
        v, plen, nh, hlim, src, dst = _HDR.unpack_from(data, off)
        d = self.__dict__
        d["version"] = v >> 28
        d["tc"] = v >> 20 & 0xFF
        d["fl"] = v & 0xFFFFF
        d["plen"] = plen
        d["nh"] = nh
        d["hlim"] = hlim
        cache = _TEXT_CACHE
        d["src"] = cache.get(src) or ip6_text(src)
        d["dst"] = cache.get(dst) or ip6_text(dst)
        if v >> 28 != 6:
            self.add_error(DecodeError(self.name, off, f"version 6, not {v >> 28}"))
        return off + 40

    @staticmethod
    def quick_dissect(
        data: bytes, off: int, end: int, paddings: Paddings, under: Packet | None, t: float
    ) -> dict[str, Any] | None:
        """An IPv6 header whose payload length fits the bytes, in one step (see
        :meth:`Packet.quick_dissect`)."""
        if end - off < 40:
            return None
        v, plen, nh, hlim, src, dst = _HDR.unpack_from(data, off)
        hend = off + 40
        pend = hend + plen
        if v >> 28 != 6 or pend > end or (plen == 0 and nh == 0):
            return None  # the general path reports what is wrong (or reads a jumbogram)
        cache = _TEXT_CACHE
        d = _QINIT.copy()  # version 6, _explicit DISSECTED
        d["tc"] = v >> 20 & 0xFF
        d["fl"] = v & 0xFFFFF
        d["plen"] = plen
        d["nh"] = nh
        d["hlim"] = hlim
        d["src"] = cache.get(src) or ip6_text(src)
        d["dst"] = cache.get(dst) or ip6_text(dst)
        d["underlayer"] = under
        d["time"] = t
        if hend < pend:
            d["_lazy"] = (data, hend, pend, (*paddings, (pend, end)) if pend < end else paddings)
        elif pend < end:
            return None  # padding and no payload: the general path adds it
        return d

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        d = self.__dict__
        plen: int = d["plen"]
        if plen == 0 and d["nh"] == 0:
            return end  # a jumbogram (RFC 2675): the length is in the hop-by-hop options
        if hend + plen >= end:
            if hend + plen > end and not self.in_quote:  # a quote may be cut short
                self.add_error(DecodeError(self.name, off + 4,
                                           f"{plen} payload bytes (plen), {end - hend} captured"))
            return end
        return hend + plen

    # ---------------------------------------------------------------- display

    def mysummary(self) -> str:
        return f"{self.src} > {self.__dict__['dst']} ({self.__dict__['nh']})"

    # ---------------------------------------------------------------- reply matching

    def hashret(self) -> bytes:
        d = self.__dict__
        p: Packet = self.payload
        nh = d["nh"]
        if nh in (4, 41) and not matching.check_ip_in_ip:  # (Scapy's conf.checkIPinIP)
            return p.hashret()
        if nh == 58 and p:
            if getattr(p, "is_error", False):
                return p.payload.hashret()
            if p.__dict__.get("type") in (133, 134, 135, 136, 144, 145):
                return b"\x3a" + p.hashret()
        ss, sd = self._addr_bytes()
        if nh == 43 and isinstance(p, IPv6ExtHdrRouting):
            nh = p.__dict__["nh"]
            addrs = p.__dict__["addresses"]
            if isinstance(addrs, list):
                sd = ip6_bytes(addrs[-1]) if addrs else ip6_bytes("::1")
                for a in addrs:
                    sd = _xor(sd, ip6_bytes(a))
        elif (nh == 44 and isinstance(p, IPv6ExtHdrFragment)) or (
            nh == 0 and isinstance(p, IPv6ExtHdrHopByHop)
        ):
            nh = p.__dict__["nh"]
        elif nh == 60 and isinstance(p, IPv6ExtHdrDestOpt):
            hoa = _home_address(p)
            if hoa is not None:
                ss = hoa
            nh = p.__dict__["nh"]
        if sd[0] != 0xFF:
            return _xor(sd, ss) + struct.pack("B", nh or 0) + p.hashret()
        return struct.pack("B", nh or 0) + p.hashret()

    def answers(self, other: Packet) -> bool:
        if not matching.check_ip_in_ip:  # look through IP-in-IP and 6in4 (Scapy's)
            if self.__dict__["nh"] in (4, 41):
                return bool(self.payload.answers(other))
            if getattr(other, "nh", None) in (4, 41) or getattr(other, "proto", None) in (4, 41):
                return self.answers(other.payload)
        if not isinstance(other, IPv6):
            return False
        p: Packet = self.payload
        if matching.check_ip_addr:  # (Scapy's conf.checkIPaddr; off: no address compared)
            sd = self._addr_bytes()[1]
            os_, od = other._addr_bytes()
            if od[0] == 0xFF:
                # A request to a multicast group: the reply comes back to the request's
                # source (or to a group too, all-nodes answering all-routers).
                if sd[0] == 0xFF:
                    if not (od == sd or (sd == _ALL_NODES and od == _ALL_ROUTERS)):
                        return False
                elif os_ != sd:
                    return False
            elif sd != os_:
                return False
        if self.__dict__["nh"] == 58 and p and getattr(p, "is_error", False):
            # An ICMPv6 error: the quoted datagram says which probe it answers.
            quote = p.payload
            return isinstance(quote, IPerror6) and bool(quote.answers(other))
        mine, my_nh = _upper(self)
        theirs, their_nh = _upper(other)
        if my_nh != their_nh:
            return False
        return bool(mine.answers(theirs))


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(16, "big")


def _upper(layer: Packet) -> tuple[Packet, int]:
    """The first layer above ``layer`` that is not an extension header, and its ``nh``."""
    nh = layer.__dict__["nh"]
    p: Packet = layer.payload
    while isinstance(p, _IPv6ExtHdr):
        nh = p.__dict__["nh"]
        p = p.payload
    return p, nh


def _home_address(hdr: Packet) -> bytes | None:
    """The home address of a destination options header with a home address option (RFC 6275,
    :func:`paquet.ipv6ext.home_address`)."""
    opts = hdr.__dict__["options"]
    if isinstance(opts, bytes | bytearray):
        return home_address(tlv_options(bytes(opts)))
    if not isinstance(opts, list | Packet):
        return None
    try:
        return home_address(tlv_options(encode_options(opts, 0)))
    except FieldError:
        return None


def _final_destination(hdr: Packet) -> bytes | None:
    """The final destination a routing header names (:func:`paquet.ipv6ext.final_destination`)."""
    d = hdr.__dict__
    addrs = d["addresses"]
    if isinstance(addrs, bytes | bytearray):
        body = bytes(addrs)
    elif isinstance(addrs, list):
        body = b"".join(ip6_bytes(a) for a in addrs)
    else:
        return None
    segleft = d["segleft"]
    if segleft is None:  # built as the number of addresses (but the last, in a type 4)
        segleft = len(body) // 16 - (d["type"] == 4)
    return final_destination(d["type"] or 0, segleft, body)


def _pseudo(start: Packet, upper_len: int, proto: int) -> bytes:
    """The pseudo-header for a checksum above ``start``: the IPv6 layer under it, with the final
    destination of a routing header and the home address of a HAO option, as Scapy's
    ``in6_pseudoheader``."""
    u: Packet | None = start
    final: bytes | None = None
    hoa: bytes | None = None
    while u is not None and not isinstance(u, IPv6):
        d = u.__dict__
        if getattr(type(u), "routing", False) and final is None:
            final = _final_destination(u)
        elif isinstance(u, IPv6ExtHdrDestOpt) and hoa is None:
            hoa = _home_address(u)
        u = d["underlayer"]
    if u is None:
        raise FieldError("no IPv6 layer below for the pseudo-header")
    src, dst = u._addr_bytes()
    return _PSEUDO.pack(hoa or src, final or dst, upper_len & 0xFFFFFFFF, proto & 0xFF)



#: A dissected IPv6's dict before its values (version 6), for quick_dissect.
_QINIT = IPv6._qinit
# The same parser in C when it is built (paquet.layers._quick).
IPv6._quick = accelerated("ipv6", IPv6._quick, _QINIT, _TEXT_CACHE, ip6_text)

class IPerror6(IPv6):
    """The IPv6 header (and start of payload) quoted inside an ICMPv6 error."""

    name = "IPv6 in ICMPv6"
    in_quote = True  # cut short when the error would exceed 1280 bytes: not an error
    quotes_ipv6 = True  # (what the extension headers above it look for)

    # A quoted header of another version is still parsed, the version recorded in ``errors``
    # (IPv6.do_dissect), as Scapy's IPerror6 parses it.

    def answers(self, other: Packet) -> bool:
        """True when this quote is the datagram ``other`` (a probe), as Scapy's ``IPerror6``:
        same source, same destination (unless the probe had a routing header), and the quoted
        upper layer equal to the probe's over the bytes the quote holds."""
        if not isinstance(other, IPv6):
            return False
        ss, sd = self._addr_bytes()
        os_, od = other._addr_bytes()
        mine = self.payload
        while isinstance(mine, _IPv6ExtHdr):
            mine = mine.payload
        theirs = other.payload
        routed = False
        while isinstance(theirs, _IPv6ExtHdr):
            routed = routed or getattr(type(theirs), "routing", False)
            theirs = theirs.payload
        if ss != os_ or not (sd == od or routed):
            return False
        return _same_upper(mine, theirs)

    def mysummary(self) -> str:
        return ""


def _same_upper(quoted: Packet, probe: Packet) -> bool:
    """The quoted upper layer matches the probe's over the length of the quote."""
    from paquet.layers.tcp import TCP

    if isinstance(quoted, TCP) and isinstance(probe, TCP):
        qopts, popts = quoted.__dict__["options"], probe.__dict__["options"]
        if qopts != popts and qopts is not None:
            # MSS clamping on the way changed the options: compare without them.
            quoted = quoted.clone_with(options=[], chksum=0, dataofs=0)
            probe_c = probe.clone_with(options=[], chksum=0, dataofs=0)
            s1, s2 = quoted.do_build(), probe_c.do_build()
            n = min(len(s1), len(s2))
            return s1[:n] == s2[:n]
    try:
        s1 = quoted.do_build()
        s2 = probe.do_build()
    except FieldError:
        return False
    n = min(len(s1), len(s2))
    return s1[:n] == s2[:n]


#: The quoted transport classes above an :class:`IPerror6` (its extension headers' too).
_QUOTED = QUOTED_TRANSPORT
_IPv6ExtHdr.aliastypes = (IPv6,)  # (bound through IPv6's bindings)

# ---------------------------------------------------------------------- bindings


def _register() -> dict[int, type[Packet]]:
    from paquet.layers.ether import Dot1Q, Ether
    from paquet.layers.ipv4 import IP
    from paquet.layers.tcp import TCP, TCPerror
    from paquet.layers.udp import UDP, UDPerror

    registry.bind_layers(Ether, IPv6, type=ETH_P_IPV6)
    registry.bind_layers(Dot1Q, IPv6, type=ETH_P_IPV6)
    registry.bind_layers(IP, IPv6, frag=0, proto=41)
    registry.bind_layers(IPv6, IPv6ExtHdrHopByHop, nh=0)
    registry.bind_layers(IPv6, IP, nh=4)
    registry.bind_layers(IPv6, TCP, nh=6)
    registry.bind_layers(IPv6, UDP, nh=17)
    registry.bind_layers(IPv6, IPv6, nh=41)
    registry.bind_top_down(IPv6, IPv6ExtHdrRouting, nh=43)
    registry.bind_bottom_up(IPv6, _RoutingHeader, nh=43)  # by routing type
    registry.bind_layers(IPv6, IPv6ExtHdrFragment, nh=44)
    registry.bind_layers(IPv6, IPv6ExtHdrDestOpt, nh=60)
    registry.bind_layers(IPerror6, TCPerror, nh=6)
    registry.bind_bottom_up(IPerror6, UDPerror, nh=17)
    registry.bind_linktype(LINKTYPE_IPV6, IPv6)
    return {6: TCPerror, 17: UDPerror}


_QUOTED.update(_register())
