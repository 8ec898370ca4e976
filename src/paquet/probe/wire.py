"""Probe templates and reply parsing on raw bytes: the hot path of the probe engine.

A template is an IPv4 or IPv6 header followed by a TCP SYN, a UDP datagram or an ICMP echo
request, built once per destination. Per probe only a few fields change (ports, sequence number,
ICMP id/seq, IP ID, TTL): they are patched with :func:`struct.pack_into` and the transport checksum
is finished from a precomputed partial sum of the constant words (RFC 1071 one's-complement sums
are associative, RFC 1624 shows the same idea for updating a checksum in place:
:func:`paquet.checksums.update_word`).

Replies are parsed with :func:`struct.unpack_from` into a :class:`Reply`, flat and with packed
addresses, and ICMP errors carry the quoted probe header (:attr:`Reply.quote`).

>>> t = Template.tcp_syn("192.0.2.1", "192.0.2.2")
>>> pkt = t.build(40000, 80, 12345)
>>> from paquet.checksums import internet_checksum
>>> internet_checksum(bytes(pkt[:20]))
0
>>> r = parse_reply(bytes(pkt))
>>> (r.proto, r.sport, r.dport, r.seq, r.flags)
(6, 40000, 80, 12345, 2)
"""

from __future__ import annotations

import struct

from paquet.checksums.update import update_word
from paquet.errors import AddressError
from paquet.numbers import (
    ICMP_ERROR_TYPES,
    IPPROTO_ICMP,
    IPPROTO_ICMPV6,
    IPPROTO_TCP,
    IPPROTO_UDP,
    TCP_ACK,
    TCP_SYN,
)
from paquet.probe.iptext import parse as parse_ip
from paquet.probe.iptext import text as ip_text

__all__ = [
    "Quote",
    "Reply",
    "Template",
    "finish",
    "parse_reply",
    "partial_sum",
]

_H = struct.Struct("!H")
_IPV4 = struct.Struct("!BBHHHBBH4s4s")
_IPV6 = struct.Struct("!IHBB16s16s")
_PORTS_SEQ_ACK = struct.Struct("!HHII")
_TCP_FLAGS = struct.Struct("!BB")
_ICMP_HDR = struct.Struct("!BBHHH")


def partial_sum(data: bytes | bytearray) -> int:
    """The unfolded sum of the 16-bit big-endian words of ``data`` (odd length padded)."""
    if len(data) % 2:
        data = bytes(data) + b"\x00"
    return sum(struct.unpack(f"!{len(data) // 2}H", data))


def finish(total: int) -> int:
    """Fold a one's-complement sum to 16 bits and complement it: the checksum field's value."""
    total = (total & 0xFFFF) + (total >> 16)
    total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF



def _packed(address: str) -> tuple[int, bytes]:
    try:
        return parse_ip(address)
    except ValueError as exc:
        raise AddressError(f"not an IP address: {address!r}") from exc


class Template:
    """A pre-built probe (IP header + transport header + payload) for one source/destination.

    Use the constructors :meth:`tcp_syn`, :meth:`tcp_ack`, :meth:`udp` and :meth:`icmp_echo`, then
    :meth:`build` per probe: it patches the buffer in place and returns it (valid until the next
    call). ``build(a, b, c)`` means (sport, dport, seq) for TCP, (sport, dport, ipid) for UDP and
    (ident, seq, ipid) for ICMP echo.
    """

    __slots__ = (
        "_base",
        "_buf",
        "_csum_off",
        "_ip_len",
        "_l4",
        "dst",
        "family",
        "kind",
        "proto",
        "src",
    )

    def __init__(
        self,
        kind: str,
        src: str,
        dst: str,
        l4: bytes,
        proto: int,
        csum_off: int,
        ttl: int = 64,
    ) -> None:
        vs, s = _packed(src)
        vd, d = _packed(dst)
        if vs != vd:
            raise AddressError(f"source {src} and destination {dst} are not the same IP version")
        self.kind = kind
        self.family = vs
        self.src = s
        self.dst = d
        self.proto = proto
        length = len(l4)
        if vs == 4:
            ip = bytearray(_IPV4.pack(0x45, 0, 20 + length, 1, 0, ttl, proto, 0, s, d))
            _H.pack_into(ip, 10, finish(partial_sum(ip)))
            self._ip_len = 20
        else:
            ip = bytearray(_IPV6.pack(6 << 28, length, proto, ttl, s, d))
            self._ip_len = 40
        self._buf = ip + bytearray(l4)
        self._l4 = length
        self._csum_off = self._ip_len + csum_off
        # Pseudo-header (ICMPv4 has none) plus the constant words of the transport header.
        pseudo = 0
        if proto != IPPROTO_ICMP:
            pseudo = partial_sum(s) + partial_sum(d) + length + proto
        self._base = pseudo + partial_sum(l4)

    # -- constructors --------------------------------------------------------------------------

    @classmethod
    def tcp_syn(cls, src: str, dst: str, ttl: int = 64, window: int = 1024) -> Template:
        """A TCP SYN with an MSS option of 1460 (what nmap's SYN scan sends)."""
        l4 = struct.pack("!HHIIBBHHH4s", 0, 0, 0, 0, 6 << 4, TCP_SYN, window, 0, 0,
                         b"\x02\x04\x05\xb4")
        return cls("syn", src, dst, l4, IPPROTO_TCP, 16, ttl)

    @classmethod
    def tcp_syn_traceroute(cls, src: str, dst: str, ttl: int = 64, tsval: int = 1) -> Template:
        """A TCP SYN as traceroute's ``-T`` sends it: window 5840 and 20 bytes of options
        (MSS 1460, SACK permitted, timestamps, NOP, window scale 2), 60 bytes in all over IPv4.

        >>> len(Template.tcp_syn_traceroute("192.0.2.1", "192.0.2.2").build(1, 2, 3))
        60
        """
        options = (b"\x02\x04\x05\xb4\x04\x02\x08\x0a" + struct.pack("!II", tsval, 0)
                   + b"\x01\x03\x03\x02")
        l4 = struct.pack("!HHIIBBHHH", 0, 0, 0, 0, 10 << 4, TCP_SYN, 5840, 0, 0) + options
        return cls("syn", src, dst, l4, IPPROTO_TCP, 16, ttl)

    def set_dont_fragment(self) -> None:
        """Set IPv4's don't-fragment bit (traceroute's ``-F``; IPv6 routers never fragment).

        >>> t = Template.udp("192.0.2.1", "192.0.2.2")
        >>> t.set_dont_fragment()
        >>> from paquet.checksums import internet_checksum
        >>> b = t.build(1, 2, 3); (b[6] & 0x40, internet_checksum(bytes(b[:20])))
        (64, 0)
        """
        if self.family != 4:
            return
        buf = self._buf
        old = _H.unpack_from(buf, 6)[0]
        new = old | 0x4000
        _H.pack_into(buf, 6, new)
        _H.pack_into(buf, 10, update_word(_H.unpack_from(buf, 10)[0], old, new))

    @classmethod
    def tcp_ack(cls, src: str, dst: str, ttl: int = 64, window: int = 1024) -> Template:
        """A bare TCP ACK (host discovery's and the ACK scan's probe: answered by a RST whose
        sequence number is our acknowledgment number).

        ``build(sport, dport, c)`` puts ``c`` in both the sequence and the acknowledgment
        fields: the RST returns it, and an ICMP error quotes it (its first 8 bytes hold seq).
        """
        l4 = struct.pack("!HHIIBBHHH", 0, 0, 0, 0, 5 << 4, TCP_ACK, window, 0, 0)
        return cls("ack", src, dst, l4, IPPROTO_TCP, 16, ttl)

    @classmethod
    def udp(cls, src: str, dst: str, payload: bytes = b"", ttl: int = 64) -> Template:
        """A UDP datagram carrying ``payload``; the IP ID is set per probe."""
        l4 = struct.pack("!HHHH", 0, 0, 8 + len(payload), 0) + payload
        return cls("udp", src, dst, l4, IPPROTO_UDP, 6, ttl)

    @classmethod
    def icmp_echo(cls, src: str, dst: str, payload: bytes = b"", ttl: int = 64,
                  icmp_type: int | None = None) -> Template:
        """An ICMP (or ICMPv6, by the addresses) echo request carrying ``payload``;
        ``icmp_type=13`` makes an ICMP timestamp request (same id/seq layout)."""
        v, _ = _packed(dst)
        kind = icmp_type if icmp_type is not None else (8 if v == 4 else 128)
        l4 = _ICMP_HDR.pack(kind, 0, 0, 0, 0) + payload
        return cls("echo", src, dst, l4, IPPROTO_ICMP if v == 4 else IPPROTO_ICMPV6, 2, ttl)

    def copy(self) -> Template:
        """An independent copy (its own buffer): one per sending thread."""
        t = Template.__new__(Template)
        for name in Template.__slots__:
            setattr(t, name, getattr(self, name))
        t._buf = bytearray(self._buf)
        return t

    # -- per probe -----------------------------------------------------------------------------

    def build(self, a: int, b: int, c: int, ttl: int | None = None,
              ipid: int | None = None) -> bytearray:
        """Patch the per-probe fields and the checksums; return the buffer (reused per call)."""
        buf = self._buf
        o = self._ip_len
        kind = self.kind
        if kind == "syn" or kind == "ack":
            if kind == "syn":
                _PORTS_SEQ_ACK.pack_into(buf, o, a, b, c, 0)
                total = self._base + a + b + (c >> 16) + (c & 0xFFFF)
            else:
                _PORTS_SEQ_ACK.pack_into(buf, o, a, b, c, c)
                total = self._base + a + b + 2 * ((c >> 16) + (c & 0xFFFF))
        elif kind == "udp":
            struct.pack_into("!HH", buf, o, a, b)
            total = self._base + a + b
            if ipid is None:
                ipid = c
        else:
            struct.pack_into("!HH", buf, o + 4, a, b)
            total = self._base + a + b
            if ipid is None:
                ipid = c
        _H.pack_into(buf, self._csum_off, 0)
        check = finish(total)
        if self.proto == IPPROTO_UDP and check == 0:
            check = 0xFFFF
        _H.pack_into(buf, self._csum_off, check)
        if ttl is not None or ipid is not None:
            self._patch_ip(ttl, ipid)
        return buf

    def build_syn(self, sport: int, dport: int, seq: int) -> bytearray:
        """:meth:`build` for a ``tcp_syn`` template, without the dispatch (the scan's hot path)."""
        buf = self._buf
        _PORTS_SEQ_ACK.pack_into(buf, self._ip_len, sport, dport, seq, 0)
        total = self._base + sport + dport + (seq >> 16) + (seq & 0xFFFF)
        total = (total & 0xFFFF) + (total >> 16)
        total = (total & 0xFFFF) + (total >> 16)
        _H.pack_into(buf, self._csum_off, ~total & 0xFFFF)
        return buf

    def _patch_ip(self, ttl: int | None, ipid: int | None) -> None:
        buf = self._buf
        if self.family == 6:
            if ttl is not None:
                buf[7] = ttl
            return
        check = _H.unpack_from(buf, 10)[0]
        if ttl is not None:
            old = _H.unpack_from(buf, 8)[0]
            new = (ttl << 8) | (old & 0xFF)
            check = update_word(check, old, new)
            _H.pack_into(buf, 8, new)
        if ipid is not None:
            old = _H.unpack_from(buf, 4)[0]
            ipid &= 0xFFFF
            check = update_word(check, old, ipid)
            _H.pack_into(buf, 4, ipid)
        _H.pack_into(buf, 10, check)

    def pin_checksum(self, a: int, b: int, target: int) -> None:
        """Choose the payload's first word so that ``build(a, b, ...)`` gives the transport
        checksum ``target`` (UDP and ICMP echo only): Paris traceroute's constant checksum.

        >>> t = Template.udp("192.0.2.1", "192.0.2.2", bytes(32))
        >>> t.pin_checksum(33000, 33434, 0x1234)
        >>> import struct; struct.unpack_from("!H", t.build(33000, 33434, 7), 26)[0] == 0x1234
        True
        """
        self.set_payload_word(0, 0)
        f = finish(self._base + a + b) ^ 0xFFFF  # the folded sum without the word
        want = ~target & 0xFFFF
        w = want - f if want >= f else want - f + 0xFFFF
        self.set_payload_word(0, w)

    def payload_offset(self) -> int:
        """Offset of the transport payload in the buffer (after the 8-byte UDP/ICMP header)."""
        return self._ip_len + 8

    def set_payload_word(self, offset: int, value: int) -> None:
        """Overwrite a 16-bit word of the payload (offset from the payload start), keeping the
        precomputed partial sum right."""
        pos = self.payload_offset() + offset
        old = _H.unpack_from(self._buf, pos)[0]
        _H.pack_into(self._buf, pos, value)
        self._base += value - old


class Quote:
    """The probe header quoted inside an ICMP error (RFC 792: IP header + 8 bytes at least)."""

    __slots__ = ("dport", "dst", "ipid", "proto", "seq", "sport", "src", "ttl")

    def __init__(self, src: bytes, dst: bytes, proto: int, ipid: int, ttl: int,
                 sport: int, dport: int, seq: int) -> None:
        self.src = src
        self.dst = dst
        self.proto = proto
        self.ipid = ipid
        self.ttl = ttl
        self.sport = sport
        self.dport = dport
        self.seq = seq


class Reply:
    """One received packet, flattened: addresses packed, transport fields as ints.

    For TCP: ``sport dport seq ack flags``; UDP: ``sport dport``; ICMP: ``icmp_type icmp_code``
    and for echo replies ``sport`` = identifier, ``seq`` = sequence; ICMP errors have ``quote``.
    """

    __slots__ = (
        "ack", "dport", "dst", "family", "flags", "icmp_code", "icmp_type", "ipid", "payload",
        "proto", "quote", "seq", "sport", "src", "ttl",
    )

    def __init__(self, family: int, src: bytes, dst: bytes, proto: int, ttl: int,
                 ipid: int) -> None:
        self.family = family
        self.src = src
        self.dst = dst
        self.proto = proto
        self.ttl = ttl
        self.ipid = ipid
        self.sport = 0
        self.dport = 0
        self.seq = 0
        self.ack = 0
        self.flags = 0
        self.icmp_type = -1
        self.icmp_code = -1
        self.quote: Quote | None = None
        self.payload = b""

    @property
    def source(self) -> str:
        """The sender's address as text."""
        return ip_text(self.src)

    @property
    def is_error(self) -> bool:
        """True for an ICMP/ICMPv6 error (unreachable, time exceeded, ...)."""
        return self.quote is not None


def _ip_header(data: bytes, off: int) -> tuple[int, bytes, bytes, int, int, int, int] | None:
    """(family, src, dst, proto, ttl, ipid, header length) of the IP header at ``off``."""
    if len(data) < off + 20:
        return None
    v = data[off] >> 4
    if v == 4:
        ihl = (data[off] & 0x0F) * 4
        if ihl < 20 or len(data) < off + ihl:
            return None
        _, _, _, ipid, frag, ttl, proto, _, src, dst = _IPV4.unpack_from(data, off)
        if frag & 0x1FFF:
            return None  # a non-first fragment has no transport header
        return 4, src, dst, proto, ttl, ipid, ihl
    if v == 6:
        if len(data) < off + 40:
            return None
        flow, _, nh, hlim, src, dst = _IPV6.unpack_from(data, off)
        hl = 40
        # Skip the usual extension headers (hop-by-hop, routing, destination options).
        while nh in (0, 43, 60) and len(data) >= off + hl + 8:
            nh, ext = data[off + hl], data[off + hl + 1]
            hl += (ext + 1) * 8
        return 6, src, dst, nh, hlim, flow & 0xFFFFF, hl
    return None


def _parse_quote(data: bytes, off: int) -> Quote | None:
    head = _ip_header(data, off)
    if head is None:
        return None
    _, src, dst, proto, ttl, ipid, hl = head
    o = off + hl
    if len(data) < o + 8:
        return None
    a, b, seq = struct.unpack_from("!HHI", data, o)
    if proto in (IPPROTO_ICMP, IPPROTO_ICMPV6):
        # quoted echo request: (type code checksum) then (id seq) -> report id/seq as ports
        a, b = struct.unpack_from("!HH", data, o + 4)
        seq = b
    return Quote(src, dst, proto, ipid, ttl, a, b, seq)


def parse_reply(data: bytes) -> Reply | None:
    """Parse one IPv4/IPv6 packet (network header first) into a :class:`Reply`, or None.

    Never raises on arbitrary bytes: what does not parse is None.
    """
    head = _ip_header(data, 0)
    if head is None:
        return None
    family, src, dst, proto, ttl, ipid, hl = head
    r = Reply(family, src, dst, proto, ttl, ipid)
    n = len(data)
    if proto == IPPROTO_TCP:
        if n < hl + 20:
            return None
        r.sport, r.dport, r.seq, r.ack = _PORTS_SEQ_ACK.unpack_from(data, hl)
        r.flags = data[hl + 13]
        return r
    if proto == IPPROTO_UDP:
        if n < hl + 8:
            return None
        r.sport, r.dport = struct.unpack_from("!HH", data, hl)
        r.payload = data[hl + 8:]
        return r
    if proto in (IPPROTO_ICMP, IPPROTO_ICMPV6):
        if n < hl + 8:
            return None
        t, c, _, ident, seq = _ICMP_HDR.unpack_from(data, hl)
        r.icmp_type = t
        r.icmp_code = c
        is_error = (t in ICMP_ERROR_TYPES) if proto == IPPROTO_ICMP else (t < 128)
        if is_error:
            r.quote = _parse_quote(data, hl + 8)
            if r.quote is None:
                return None
        else:
            r.sport = ident
            r.seq = seq
            r.payload = data[hl + 8:]
        return r
    return r
