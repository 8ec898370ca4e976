"""DNS (RFC 1035), multicast DNS (RFC 6762) and DNS over TCP, with Scapy's classes and fields.

:class:`DNS` is the message: its header (``id``, the flags ``qr`` ... ``rcode``, the four
counts, computed when None) and four lists of records: ``qd`` (:class:`DNSQR` questions),
``an``, ``ns``, ``ar`` (:class:`DNSRR` and the typed records of
:mod:`paquet.layers.dns_records`, chosen by type when dissecting). Names are dotted bytes
ending with a dot; pointers are followed when dissecting (a hostile name never hangs nor
raises), and :func:`dns_compress` (or ``DNS.compress()``) makes them when building. Under TCP
(or as :class:`DNSTCP`) the message starts with its ``length``. UDP and TCP port 53 and UDP
port 5353 (mDNS) carry DNS; LLMNR is :mod:`paquet.layers.llmnr`.

A dissected message gives its bytes back as they came (compressed names included) until a
field changes; changing a name rebuilds the whole message with names in full, as Scapy does.

>>> q = DNS(id=1, qd=DNSQR(qname="example.com", qtype="MX"))
>>> bytes(q).hex()
'000101000001000000000000076578616d706c6503636f6d00000f0001'
>>> DNS(bytes(q)).summary()
"DNS Qry b'example.com.'"
"""

from __future__ import annotations

import struct
import warnings
from socket import AF_INET6, inet_ntop
from typing import Any

from paquet.errors import DecodeError
from paquet.layers.dns_fields import (
    FULL_STACK,
    DNSCompressedPacket,
    DNSStrField,
    DNSTextField,
    _Cached,
    _clear,
    dns_encode,
    dns_get_str,
    dnsclasses,
    dnsqtypes,
    dnstypes,
    in_order,
    read_name,
)
from paquet.layers.dns_records import DNSRR_DISPATCHER, _DNSRRdummy
from paquet.packet.addrfields import IPField
from paquet.packet.base import (
    NOPAYLOAD,
    Malformed,
    Packet,
    Padding,
    Raw,
    _blank,
    dissect_as,
)
from paquet.packet.enumfields import BitEnumField, ShortEnumField
from paquet.packet.fields import BitField, FieldError, IntField, ShortField
from paquet.packet.general import _RAW
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldLenField,
    MultipleTypeField,
    PacketListField,
)
from paquet.packet.valuefields import IP6Field

__all__ = [
    "DNS",
    "DNSQR",
    "DNSRR",
    "DNSTCP",
    "dns_compress",
    "dns_encode",
    "dns_get_str",
]

_H = struct.Struct("!H")
_HDR = struct.Struct("!6H")
_RR = struct.Struct("!HHIH")
_QQ = struct.Struct("!HH")
#: Types whose data is one name (NS, MD, MF, CNAME, PTR, DNAME).
_NAME_TYPES = frozenset((2, 3, 4, 5, 12, 39))


#: The fields of a DNSRR of a message (see _shown).
_SHOWN_RR = dict.fromkeys(("rrname", "type", "cacheflush", "rclass", "ttl", "rdata"))
#: The names read after pointers' targets in one message (see read_name).
_Names = dict[int, tuple[bytes, int, int]]


def _ntop6(b: bytes) -> str:
    return inet_ntop(AF_INET6, b)


class DNSQR(_Cached, Packet):
    """A question: ``qname``, ``qtype``, ``qclass`` (``unicastresponse``: mDNS's QU bit)."""

    name = "DNS Question Record"
    show_indent = 0
    fields_desc = (
        DNSStrField("qname", b"www.example.com."),
        ShortEnumField("qtype", 1, dnsqtypes),
        BitField("unicastresponse", 0, 1),
        BitEnumField("qclass", 1, 15, dnsclasses),
    )

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        return Padding


class DNSRR(_Cached, Packet):
    """A resource record: ``rrname``, ``type``, ``rclass`` (``cacheflush``: mDNS), ``ttl``,
    ``rdlen`` (computed when None) and ``rdata``: an address for A and AAAA, a name for NS,
    CNAME, PTR, DNAME..., a list of strings for TXT, bytes for the others."""

    name = "DNS Resource Record"
    show_indent = 0
    fields_desc = (
        DNSStrField("rrname", b"."),
        ShortEnumField("type", 1, dnstypes),
        BitField("cacheflush", 0, 1),
        BitEnumField("rclass", 1, 15, dnsclasses),
        IntField("ttl", 0),
        FieldLenField("rdlen", None, length_of="rdata", fmt="H"),
        MultipleTypeField(
            [(IPField("rdata", "0.0.0.0"), lambda pkt: pkt.type == 1),
             (IP6Field("rdata", "::"), lambda pkt: pkt.type == 28),
             (DNSStrField("rdata", b"", length_from=lambda pkt: pkt.rdlen),
              lambda pkt: pkt.type in _NAME_TYPES),
             (DNSTextField("rdata", [b""], length_from=lambda pkt: pkt.rdlen),
              lambda pkt: pkt.type == 16)],
            StrLenField("rdata", b"", length_from=lambda pkt: pkt.rdlen)),
    )

    @property
    def rdata(self) -> Any:
        """The data, read as the field of the record's type reads it."""
        d = self.__dict__
        v = d["rdata"]
        if _RAW in d and v != b"":
            return v  # (as read; empty data is read by the type's field, [] for TXT)
        f = self._fieldmap["rdata"]
        if not self.is_set("rdata"):
            return f._find_fld_pkt(self).default  # type: ignore[attr-defined]
        return f.i2h(self, v)

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        return Padding


def _record_class(s: bytes) -> Any:
    """The class of the record at the start of ``s`` (by its type), and its length."""
    end = 0
    n = len(s)
    while end < n:
        c = s[end]
        if c & 0xC0:
            end += 2
            break
        end += 1 + c if c else 1
        if not c:
            break
    if end + 10 > n:
        raise FieldError("a record shorter than its fixed part")
    rtype, rdlen = s[end] << 8 | s[end + 1], s[end + 8] << 8 | s[end + 9]
    return DNSRR_DISPATCHER.get(rtype, DNSRR), end + 10 + rdlen


def _DNSRR(s: bytes, **kwargs: Any) -> Packet | None:
    """A record dissected from the start of ``s`` with the class of its type; the bytes
    after it are its padding (the list reads the next record there)."""
    if not s:
        return None
    cls, rrlen = _record_class(s)
    pkt: Packet = cls(s[:rrlen], **kwargs)
    pkt.__dict__["rdlen"] = None  # (recomputed if the record is built anew: Scapy's)
    if rrlen < len(s):
        pkt.add_payload(Padding(s[rrlen:]))
    return pkt


class _DNSList(list):  # type: ignore[type-arg]
    """A list of records that also answers the first record's attributes (Scapy's
    compatibility with the time ``qd`` and ``an`` held one packet), with a warning."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") or not self:
            raise AttributeError(attr)
        value = getattr(self[0], attr)
        warnings.warn("The DNS fields 'qd', 'an', 'ns' and 'ar' are now PacketListField(s) ! "
                      "To access the first element, use pkt.an[0] instead of pkt.an",
                      DeprecationWarning, stacklevel=2)
        return value


class _DNSPacketListField(PacketListField):
    """``qd``, ``an``, ``ns`` and ``ar``: lists of records (one packet given is a list of
    one, a chain ``DNSQR()/DNSQR()`` too, counted once, as Scapy's; None is an empty list,
    with Scapy's warning)."""

    __slots__ = ()
    converts_none = True

    def any2i(self, pkt: Any, x: Any) -> Any:
        if x is None:
            warnings.warn("The DNS fields 'qd', 'an', 'ns' and 'ar' are now "
                          "PacketListField(s) ! Setting a null default should be [] "
                          "instead of None", DeprecationWarning, stacklevel=2)
            x = []
        return _DNSList(super().any2i(pkt, x))

    def i2h(self, pkt: Any, x: Any) -> Any:
        return x if isinstance(x, _DNSList) else _DNSList(x)


def _under_tcp(pkt: Packet) -> bool:
    """True for a message with DNS over TCP's length: under TCP, or DNSTCP."""
    if pkt.FORCE_TCP:
        return True
    under = pkt.__dict__.get("underlayer")
    return under is not None and isinstance(under, _TCP[0])


#: TCP's class, once paquet.layers.tcp is imported (by _register).
_TCP: list[type] = [type(None)]


class DNS(_Cached, DNSCompressedPacket):
    """A DNS message (RFC 1035 section 4.1): header, then questions and records.

    ``qr`` 1 is a response; ``rcode`` its outcome; ``rd`` (recursion desired) is 1 by
    default. The counts are computed when None; ``length`` is there under TCP only.
    """

    name = "DNS"
    #: True for a message with the length of DNS over TCP whatever carries it (DNSTCP).
    FORCE_TCP = False
    fields_desc = (
        ConditionalField(ShortField("length", None), _under_tcp),
        ShortField("id", 0),
        BitField("qr", 0, 1),
        BitEnumField("opcode", 0, 4, {0: "QUERY", 1: "IQUERY", 2: "STATUS"}),
        BitField("aa", 0, 1),
        BitField("tc", 0, 1),
        BitField("rd", 1, 1),
        BitField("ra", 0, 1),
        BitField("z", 0, 1),
        BitField("ad", 0, 1),
        BitField("cd", 0, 1),
        BitEnumField("rcode", 0, 4, {0: "ok", 1: "format-error", 2: "server-failure",
                                     3: "name-error", 4: "not-implemented", 5: "refused"}),
        FieldLenField("qdcount", None, count_of="qd"),
        FieldLenField("ancount", None, count_of="an"),
        FieldLenField("nscount", None, count_of="ns"),
        FieldLenField("arcount", None, count_of="ar"),
        _DNSPacketListField("qd", [DNSQR()], DNSQR, count_from=lambda pkt: pkt.qdcount),
        _DNSPacketListField("an", [], _DNSRR, count_from=lambda pkt: pkt.ancount),
        _DNSPacketListField("ns", [], _DNSRR, count_from=lambda pkt: pkt.nscount),
        _DNSPacketListField("ar", [], _DNSRR, count_from=lambda pkt: pkt.arcount),
    )

    def get_full(self) -> bytes | None:
        """The message the names' pointers count from (after the TCP length)."""
        return self.__dict__.get("_full")

    def _copy_layer(self: Any) -> Any:
        new = super()._copy_layer()
        for section in ("qd", "an", "ns", "ar"):
            for rec in new.__dict__.get(section) or ():
                if isinstance(rec, Packet):
                    rec.__dict__["parent"] = new
        return new

    def answers(self, other: Packet) -> bool:
        return (isinstance(other, DNS) and self.id == other.id and self.qr == 1
                and other.qr == 0)

    def hashret(self) -> bytes:
        return _H.pack(self.id & 0xFFFF)

    def mysummary(self) -> str:
        from paquet.layers.udp import UDP

        name = ""
        if self.qr:
            kind = "Ans"
            if self.an and isinstance(self.an[0], DNSRR):
                name = f" {self.an[0].rdata}"
            elif self.rcode != 0:
                name = " " + self.sprintf("%rcode%")
        else:
            kind = "Qry"
            if self.qd and isinstance(self.qd[0], DNSQR):
                name = f" {self.qd[0].qname}"
        under = self.__dict__.get("underlayer")
        m = "m" if isinstance(under, UDP) and under.dport == 5353 else ""
        return f"{m}DNS {kind}{name}"

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        if _under_tcp(self) and self.length is None:
            pkt = _H.pack(len(pkt) - 2) + pkt[2:]
        return pkt + pay

    def compress(self) -> Packet:
        """This message with its names compressed (:func:`dns_compress`)."""
        return dns_compress(self)


def _question(msg: bytes, pos: int, n: int, parent: Packet, t: float,
              names: _Names) -> tuple[Packet, int]:
    name, p = read_name(msg, pos, n, names)
    if p + 4 > n:
        raise IndexError
    q = _blank(DNSQR)
    d = q.__dict__
    qtype, qclass = _QQ.unpack_from(msg, p)
    d["qname"] = name
    d["qtype"] = qtype
    d["unicastresponse"] = qclass >> 15
    d["qclass"] = qclass & 0x7FFF
    d["time"] = t
    d["parent"] = parent
    d[_RAW] = (msg[pos:p + 4], {})
    return q, p + 4


def _mx(msg: bytes, p: int, end: int, names: _Names) -> dict[str, Any] | None:
    if end - p < 3:
        return None
    name, q = read_name(msg, p + 2, end, names)
    return {"preference": msg[p] << 8 | msg[p + 1], "exchange": name} if q == end else None


def _srv(msg: bytes, p: int, end: int, names: _Names) -> dict[str, Any] | None:
    if end - p < 7:
        return None
    prio, weight, port = _SRV.unpack_from(msg, p)
    name, q = read_name(msg, p + 6, end, names)
    if q != end:
        return None
    return {"priority": prio, "weight": weight, "port": port, "target": name}


def _soa(msg: bytes, p: int, end: int, names: _Names) -> dict[str, Any] | None:
    mname, q = read_name(msg, p, end, names)
    rname, q = read_name(msg, q, end, names)
    if q + 20 != end:
        return None
    serial, refresh, retry, expire, minimum = _SOA.unpack_from(msg, q)
    return {"mname": mname, "rname": rname, "serial": serial, "refresh": refresh,
            "retry": retry, "expire": expire, "minimum": minimum}


def _opt(msg: bytes, p: int, end: int, names: _Names) -> dict[str, Any] | None:
    if p != end:
        return None  # (options: read by the class's fields)
    return {"rdata": []}


_SRV = struct.Struct("!HHH")
_SOA = struct.Struct("!5I")
#: The typed records read here in one step when usual: type -> (reader of the data, whether
#: the class splits ``rclass`` into mDNS's ``cacheflush`` and 15 bits).
_FAST: dict[int, tuple[Any, bool]] = {15: (_mx, True), 33: (_srv, True), 6: (_soa, False),
                                      41: (_opt, False)}


def _shown(cls: type[Packet]) -> dict[str, None]:
    """The fields a record of a message shows: all but ``rdlen``, read again when the
    record is built anew (Scapy's)."""
    return {n: None for n in cls._names if n != "rdlen"}


def _by_fields(cls: type[Packet], msg: bytes, pos: int, end: int,
               parent: Packet) -> tuple[Packet, int]:
    """A record read by its class's fields from ``msg[pos:end]`` (what they leave of it is
    its Padding, as Scapy's), and where the next one starts; DecodeError when the fields do
    not read these bytes (the message keeps the rest as Raw, as Scapy's list does)."""
    r = dissect_as(cls, msg[pos:end], strict=True)
    r.__dict__["rdlen"] = None  # (recomputed if the record is built anew: Scapy's)
    r.__dict__["_explicit"] = _shown(cls)
    r.__dict__["parent"] = parent
    if r.__dict__.get("payload") is not NOPAYLOAD:
        # (a Padding made by dissection does not tell the engine that paddings exist,
        # which bytes() then leaves out: one made here does; see the report)
        Padding(b"")
    return r, end


def _typed(rtype: int, rclass: int, ttl: int, name: bytes, msg: bytes, pos: int, p: int,
           end: int, parent: Packet, t: float, names: _Names) -> tuple[Packet, int]:
    """A typed record and where the next starts: in one step when :data:`_FAST` knows its
    usual form, else by its class's fields."""
    cls = DNSRR_DISPATCHER[rtype]
    fast = _FAST.get(rtype)
    values = None if fast is None else fast[0](msg, p, end, names)
    if values is None:
        return _by_fields(cls, msg, pos, end, parent)
    r = _blank(cls)
    d = r.__dict__
    d["rrname"] = name
    d["type"] = rtype
    if rtype == 41:
        d["rclass"] = rclass
        d["extrcode"] = ttl >> 24
        d["version"] = (ttl >> 16) & 0xFF
        d["z"] = ttl & 0xFFFF
    else:
        if fast[1]:  # type: ignore[index]
            d["cacheflush"] = rclass >> 15
            d["rclass"] = rclass & 0x7FFF
        else:
            d["rclass"] = rclass
        d["ttl"] = ttl
    d.update(values)
    d["rdlen"] = None
    d["_explicit"] = _shown(cls)
    d["time"] = t
    d["parent"] = parent
    d[_RAW] = (msg[pos:end], {"rdata": []} if rtype == 41 else {})
    return r, end


def _record(msg: bytes, pos: int, n: int, parent: Packet, t: float,
            names: _Names) -> tuple[Packet, int]:
    """The record at ``msg[pos:]``: the usual ones (DNSRR of a name, an address, text; MX,
    SRV, SOA, OPT) read here in one step, the others by their class's fields."""
    name, p = read_name(msg, pos, n, names)
    if p + 10 > n:
        raise IndexError
    rtype, rclass, ttl, rdlen = _RR.unpack_from(msg, p)
    p += 10
    end = p + rdlen
    if end > n:
        return _by_fields(DNSRR_DISPATCHER.get(rtype, DNSRR), msg, pos, n, parent)
    if rtype in DNSRR_DISPATCHER:
        return _typed(rtype, rclass, ttl, name, msg, pos, p, end, parent, t, names)
    if rtype == 1 and rdlen == 4:
        rdata: Any = f"{msg[p]}.{msg[p + 1]}.{msg[p + 2]}.{msg[p + 3]}"
    elif rtype in _NAME_TYPES:
        rdata, q = read_name(msg, p, end, names)
        if q != end:  # (bytes after the name: read by the fields)
            return _by_fields(DNSRR, msg, pos, end, parent)
    elif rtype == 16:
        rdata = []
        q = p
        while q < end:
            ln = msg[q] + 1
            rdata.append(msg[q + 1:min(q + ln, end)])
            q += ln
    elif rtype == 28 and rdlen == 16:
        rdata = _ntop6(msg[p:end])
    elif rtype in (1, 28):
        return _by_fields(DNSRR, msg, pos, end, parent)
    else:
        rdata = msg[p:end]
    r: Packet = _blank(DNSRR)
    d = r.__dict__
    d["rrname"] = name
    d["type"] = rtype
    d["cacheflush"] = rclass >> 15
    d["rclass"] = rclass & 0x7FFF
    d["ttl"] = ttl
    d["rdata"] = rdata
    d["time"] = t
    d["parent"] = parent
    d["_explicit"] = dict(_SHOWN_RR)
    d[_RAW] = (msg[pos:end], {"rdata": list(rdata)} if rtype == 16 else {})
    return r, end


def dissect_message(self: Packet, data: bytes, off: int, end: int) -> int:
    """Dissect a DNS message (header, then ``qdcount`` questions and the records of the
    three sections, as many as the bytes hold); return where it ends."""
    d = self.__dict__
    start = off
    d["length"] = None
    if "length" in self._fieldmap and _under_tcp(self):
        if end - off < 2:
            raise Malformed(off, "the 2-byte length of DNS over TCP")
        length = _H.unpack_from(data, off)[0]
        if length < 12 or end - off - 2 < length:  # (read anyway; Scapy gives up)
            self.add_error(DecodeError(self.name, off, "a DNS over TCP length that fits"))
        d["length"] = length
        start = off + 2
    if end - start < 12:
        raise Malformed(start, "a 12-byte DNS header")
    msg = data[start:end]
    ident, flags, qdc, anc, nsc, arc = _HDR.unpack_from(msg, 0)
    d["id"] = ident
    self._set_flags(flags)
    d["qdcount"], d["ancount"], d["nscount"], d["arcount"] = qdc, anc, nsc, arc
    d["_full"] = msg
    t = d["time"]
    n = len(msg)
    pos = 12
    names: _Names = {}
    FULL_STACK.append(msg)
    try:
        for fname, count in (("qd", qdc), ("an", anc), ("ns", nsc), ("ar", arc)):
            items: list[Packet] = []
            read = _question if fname == "qd" else _record
            while count and pos < n:
                count -= 1
                try:
                    item, pos = read(msg, pos, n, self, t, names)
                except Exception:  # (Scapy's: what does not dissect is kept as Raw)
                    item = _blank(Raw)
                    item.__dict__["load"] = msg[pos:]
                    item.__dict__["time"] = t
                    pos = n
                items.append(item)
            d[fname] = _DNSList(items)
    finally:
        FULL_STACK.pop()
    return start + pos


def _set_flags(self: Packet, flags: int) -> None:
    d = self.__dict__
    d["qr"] = flags >> 15
    d["opcode"] = (flags >> 11) & 0xF
    d["aa"] = (flags >> 10) & 1
    d["tc"] = (flags >> 9) & 1
    d["rd"] = (flags >> 8) & 1
    d["ra"] = (flags >> 7) & 1
    d["z"] = (flags >> 6) & 1
    d["ad"] = (flags >> 5) & 1
    d["cd"] = (flags >> 4) & 1
    d["rcode"] = flags & 0xF


# The message's own dissection (paquet's form of do_dissect: its subclasses inherit it, see
# paquet.packet.general.own_dissect).
DNS.do_dissect = dissect_message  # type: ignore[method-assign]
DNS._set_flags = _set_flags  # type: ignore[attr-defined]


class DNSTCP(DNS):
    """A DNS message with the length of DNS over TCP, whatever carries it."""

    name = "DNS"
    FORCE_TCP = True
    match_subclass = True


def dns_compress(pkt: Packet) -> Packet:
    """A copy of ``pkt`` (or of its DNS layer's stack) with the names compressed: each name,
    or its end, already written earlier is replaced by a pointer (RFC 1035 section 4.1.4),
    in the names of the records and the data of NS, CNAME, PTR, MX, DNAME and NSEC, as
    Scapy's ``dns_compress``."""
    if DNS not in pkt:
        raise FieldError("Can only compress DNS layers")
    pkt = pkt.copy()
    dns: Any = pkt.getlayer(DNS)
    _clear(dns)
    built = bytes(dns)
    seen: dict[bytes, list[Any]] = {}
    for rec, fname, value in _names(dns):
        for part in _suffixes(value):
            encoded = dns_encode(part, check_built=True)
            if part not in seen:
                index = built.index(encoded)
                seen[part] = [(rec, fname, bytes((0xC0 | (index >> 8), index & 0xFF)),
                               index + 1)]
                continue
            seen[part].append((rec, fname))
            at = seen[part][0][3]
            built = built[:at] + built[at:].replace(encoded, b"\0\0", 1)
            break
    for part, uses in seen.items():
        pointer = uses.pop(0)[2]
        for rec, fname in uses:
            value = rec.getfieldval(fname)
            kept = dns_encode(value[:-len(part)], check_built=True)[:-1]
            rec.__dict__[fname] = kept + pointer
            rec.__dict__.pop(_RAW, None)
            if "rdlen" in rec._fieldmap:
                rec.__dict__["rdlen"] = None
    if not isinstance(pkt, DNS) and dns.underlayer is not None:
        dns.underlayer.remove_payload()
        out: Packet = pkt / dns
        return out
    return dns  # type: ignore[no-any-return]


def _names(dns: Packet) -> Any:
    for section in ("qd", "an", "ns", "ar"):
        for rec in dns.__dict__.get(section) or []:
            for f in rec._fields:
                if isinstance(f, DNSStrField) or (
                        isinstance(f, MultipleTypeField)
                        and rec.type in (2, 3, 4, 5, 12, 15, 39, 47)):
                    yield rec, f.name, rec.getfieldval(f.name)


def _suffixes(name: bytes) -> Any:
    if name == b".":
        return
    yield name
    for i in range(1, name.count(b".")):
        yield name.split(b".", i)[i]


def _register() -> None:
    from paquet.layers.tcp import TCP
    from paquet.layers.udp import UDP
    from paquet.number_enums import Port
    from paquet.packet import registry

    registry.bind_layers(UDP, DNS, dport=int(Port.mdns))
    registry.bind_layers(UDP, DNS, sport=int(Port.mdns))
    registry.bind_layers(UDP, DNS, dport=int(Port.domain))
    registry.bind_layers(UDP, DNS, sport=int(Port.domain))
    _TCP[0] = TCP
    registry.bind_layers(TCP, DNS, dport=int(Port.domain))
    registry.bind_layers(TCP, DNS, sport=int(Port.domain))
    # An IP or IPv6 left at its default destination with UDP to port 5353 on top goes to
    # mDNS' group (Scapy's DestIPField / DestIP6Field bindings).
    from paquet.layers.ipv4 import bind_dst_addr
    from paquet.layers.ipv6 import bind_dst6_addr

    bind_dst_addr(UDP, "224.0.0.251", dport=int(Port.mdns))
    bind_dst6_addr(UDP, "ff02::fb", dport=int(Port.mdns))


for _cls in (DNSQR, DNSRR, DNS, DNSTCP):
    in_order(_cls)
_register()
_ = (NOPAYLOAD, _DNSRRdummy)
