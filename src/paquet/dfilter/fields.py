"""Wireshark's field names over paquet's layers: one table, shared by whoever needs it.

``FIELDS`` maps a Wireshark field name (``ip.src``, ``tcp.flags.syn``, ``dns.qry.name``) to a
:class:`FieldDef`: the protocol it belongs to, its kind (how literals compared with it are read
and how its values print), and a getter that takes one layer of that protocol and returns the
field's value, a list of values (a field may occur several times: ``dns.qry.name``), or None.
``PROTOCOLS`` maps a Wireshark protocol name (``tcp``, ``dns``) to paquet's layer classes:
:func:`protocol_of` says which protocol a layer is. The ``frame`` protocol is the capture
record itself (:class:`FrameInfo`), not a layer.

Kinds and the Python values of each: ``uint`` and ``bool`` int; ``ipv4``/``ipv6``
:mod:`ipaddress` addresses; ``ether`` and ``bytes`` bytes; ``string`` str; ``float`` Decimal.
``time`` int nanoseconds since the epoch. ``fmt`` is how ``tshark -T fields`` prints the value:
``"d"`` decimal, ``"xN"`` ``0x`` and N hex digits. ``column`` is the field's kind in the capture
tables' quick columns (:mod:`paquet.frame.quick`, read straight from the bytes, in C when built),
empty for the others; :attr:`FieldDef.arrow` is its Arrow kind in :mod:`paquet.frame`'s tables,
:func:`arrow_value` its value as Arrow takes it. This table is the one description of each
field: the display filters (``paquet read -Y``, ``-T fields``) and the capture tables
(``paquet.frame.read``, ``paquet query``) both read it.

>>> FIELDS['tcp.dstport'].proto, FIELDS['tcp.dstport'].kind
('tcp', 'uint')
>>> from paquet.layers.ipv4 import IP
>>> FIELDS['ip.flags.df'].get(IP(flags='DF'))
1
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from paquet.dfilter.protocols import PROTOCOLS, protocol_of, protocols

__all__ = ["FIELDS", "PROTOCOLS", "FieldDef", "FrameInfo", "arrow_value", "layer_values",
           "occurrences", "protocol_of", "value_text"]


@dataclass(frozen=True, slots=True)
class FrameInfo:
    """What tshark calls the frame: number, lengths, time since the first packet, bytes."""

    number: int
    data: bytes
    wirelen: int
    time_ns: int = 0
    """The packet's time, nanoseconds since the epoch."""
    first_ns: int = 0
    """The first packet's time (``frame.time_relative`` counts from it)."""
    pkt: Any = None
    """The dissected packet (``frame.protocols`` names its layers)."""

    @property
    def protocols(self) -> str | None:
        """tshark's ``frame.protocols`` (None without the packet)."""
        if self.pkt is None:
            return None
        return protocols(self.pkt, self)

    @property
    def time_relative(self) -> Decimal:
        """Seconds since the first packet, exact."""
        return Decimal(self.time_ns - self.first_ns).scaleb(-9)

    @property
    def time_epoch(self) -> Decimal:
        """Seconds since the epoch, exact."""
        return Decimal(self.time_ns).scaleb(-9)


#: The Arrow kind of a field that is not a quick column, by its kind.
_ARROW = {"uint": "i64", "bool": "bool", "string": "str", "ipv4": "str", "ipv6": "str",
          "ether": "str", "bytes": "bin", "float": "f64", "time": "time"}


@dataclass(frozen=True, slots=True)
class FieldDef:
    """One field: its protocol, kind, getter (a layer in, a value/list/None out), print form,
    quick column kind (see the module's docstring)."""

    proto: str
    kind: str
    get: Callable[[Any], Any]
    fmt: str = "d"
    column: str = ""

    @property
    def arrow(self) -> str:
        """The field's Arrow kind in :mod:`paquet.frame`: its quick column's (``u8`` ``u16``
        ``u32`` ``u64`` ``bool`` ``mac`` ``ip4`` ``ip6`` ``time``), else by its kind (``i64``
        ``bool`` ``str`` ``bin`` ``f64`` ``time``).

        >>> FIELDS["ip.ttl"].arrow, FIELDS["ip.flags"].arrow, FIELDS["dns.qry.name"].arrow
        ('u8', 'i64', 'str')
        """
        return self.column or _ARROW[self.kind]


def _attr(name: str, conv: Callable[[Any], Any] = int) -> Callable[[Any], Any]:
    def get(layer: Any) -> Any:
        value = getattr(layer, name, None)
        return None if value is None else conv(value)
    return get


def _mac(value: Any) -> bytes:
    return bytes.fromhex(str(value).replace(":", "").replace("-", ""))


def _ip4(value: Any) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(str(value))


def _ip6(value: Any) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(str(value))


def _both(*names: str, conv: Callable[[Any], Any] = int) -> Callable[[Any], Any]:
    def get(layer: Any) -> Any:
        return [conv(v) for n in names if (v := getattr(layer, n, None)) is not None]
    return get


def _bit(name: str, mask: int) -> Callable[[Any], Any]:
    def get(layer: Any) -> Any:
        value = getattr(layer, name, None)
        return None if value is None else int(bool(int(value) & mask))
    return get


def _name(value: Any) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text[:-1] if text.endswith(".") and text != "." else text


def _records(section: str, attr: str, conv: Callable[[Any], Any],
             rtype: int | None = None) -> Callable[[Any], Any]:
    def get(layer: Any) -> Any:
        out = []
        for rr in getattr(layer, section, None) or []:
            if rtype is not None and getattr(rr, "type", None) != rtype:
                continue
            value = getattr(rr, attr, None)
            if value is not None:
                out.append(conv(value))
        return out
    return get


def _count(section: str, header: str | None = None) -> Callable[[Any], Any]:
    """The number of records of ``section``: the header's count field when the layer has it
    (what tshark shows), else the records'."""
    def get(layer: Any) -> Any:
        value = getattr(layer, header, None) if header else None
        return int(value) if value is not None else len(getattr(layer, section, None) or [])
    return get


def _tcp_len(layer: Any) -> int:
    payload = layer.payload
    return len(bytes(payload)) - len(_padding(payload))


def _padding(payload: Any) -> bytes:
    while payload is not None and type(payload).__name__ not in ("NoPayload", "Padding"):
        payload = getattr(payload, "payload", None)
    return b"" if payload is None or type(payload).__name__ == "NoPayload" else bytes(payload)


def _raw(layer: Any) -> bytes:
    load = getattr(layer, "load", b"")
    return load if isinstance(load, bytes) else bytes(load)


def _message(attr: str) -> Callable[[Any], Any]:
    """An ICMPv6 message's field (not its ND options', also layers of the icmpv6 protocol)."""
    def get(layer: Any) -> Any:
        if type(layer).__name__.startswith("ICMPv6NDOpt"):
            return None
        value = getattr(layer, attr, None)
        if value is None and attr == "code":  # MLDv2 reports call their code field "res"
            value = getattr(layer, "res", None)
        return None if value is None else int(value)
    return get


_ECHO_TYPES = frozenset({0, 8, 13, 14, 15, 16, 17, 18})


def _echo(attr: str) -> Callable[[Any], Any]:
    """ICMP's identifier and sequence: only in the messages that have them (echo...)."""
    return lambda icmp: int(getattr(icmp, attr)) if int(icmp.type) in _ECHO_TYPES else None


def _decode(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _http(kind: str, attr: str | None = None,
          conv: Callable[[Any], Any] = _decode) -> Callable[[Any], Any]:
    """An HTTP request's or response's header field (``attr`` None: 1 for the message)."""
    def get(layer: Any) -> Any:
        if type(layer).__name__ != kind:
            return None
        if attr is None:
            return 1
        value = getattr(layer, attr, None)
        return None if value is None else conv(value)
    return get


def _frame(attr: str) -> Callable[[Any], Any]:
    return lambda f: getattr(f, attr)


_TCP_FLAGS = {"fin": 0x01, "syn": 0x02, "reset": 0x04, "push": 0x08, "ack": 0x10,
              "urg": 0x20, "ece": 0x40, "cwr": 0x80, "ae": 0x100}

FIELDS: dict[str, FieldDef] = {
    "frame.number": FieldDef("frame", "uint", _frame("number")),
    "frame.time": FieldDef("frame", "time", _frame("time_ns")),
    "frame.len": FieldDef("frame", "uint", _frame("wirelen")),
    "frame.cap_len": FieldDef("frame", "uint", lambda f: len(f.data)),
    "frame.protocols": FieldDef("frame", "string", lambda f: f.protocols),
    "frame.time_relative": FieldDef("frame", "float", _frame("time_relative"), "f9"),
    "frame.time_epoch": FieldDef("frame", "float", _frame("time_epoch"), "f9"),
    "eth.src": FieldDef("eth", "ether", _attr("src", _mac)),
    "eth.dst": FieldDef("eth", "ether", _attr("dst", _mac)),
    "eth.addr": FieldDef("eth", "ether", _both("dst", "src", conv=_mac)),
    "eth.type": FieldDef("eth", "uint", _attr("type"), "x4"),
    "vlan.id": FieldDef("vlan", "uint", _attr("vlan")),
    "vlan.priority": FieldDef("vlan", "uint", _attr("prio")),
    "vlan.etype": FieldDef("vlan", "uint", _attr("type"), "x4"),
    "arp.opcode": FieldDef("arp", "uint", _attr("op")),
    "arp.src.hw_mac": FieldDef("arp", "ether", _attr("hwsrc", _mac)),
    "arp.dst.hw_mac": FieldDef("arp", "ether", _attr("hwdst", _mac)),
    "arp.src.proto_ipv4": FieldDef("arp", "ipv4", _attr("psrc", _ip4)),
    "arp.dst.proto_ipv4": FieldDef("arp", "ipv4", _attr("pdst", _ip4)),
    "ip.version": FieldDef("ip", "uint", _attr("version")),
    "ip.hdr_len": FieldDef("ip", "uint", lambda ip: int(ip.ihl) * 4),
    "ip.dsfield": FieldDef("ip", "uint", _attr("tos"), "x2"),
    "ip.len": FieldDef("ip", "uint", _attr("len")),
    "ip.id": FieldDef("ip", "uint", _attr("id"), "x4"),
    "ip.flags": FieldDef("ip", "uint", _attr("flags"), "x2"),
    "ip.flags.rb": FieldDef("ip", "bool", _bit("flags", 4)),
    "ip.flags.df": FieldDef("ip", "bool", _bit("flags", 2)),
    "ip.flags.mf": FieldDef("ip", "bool", _bit("flags", 1)),
    "ip.frag_offset": FieldDef("ip", "uint", _attr("frag")),
    "ip.ttl": FieldDef("ip", "uint", _attr("ttl")),
    "ip.proto": FieldDef("ip", "uint", _attr("proto")),
    "ip.checksum": FieldDef("ip", "uint", _attr("chksum"), "x4"),
    "ip.src": FieldDef("ip", "ipv4", _attr("src", _ip4)),
    "ip.dst": FieldDef("ip", "ipv4", _attr("dst", _ip4)),
    "ip.addr": FieldDef("ip", "ipv4", _both("src", "dst", conv=_ip4)),
    "ipv6.version": FieldDef("ipv6", "uint", _attr("version")),
    "ipv6.tclass": FieldDef("ipv6", "uint", _attr("tc"), "x8"),
    "ipv6.flow": FieldDef("ipv6", "uint", _attr("fl"), "x6"),
    "ipv6.plen": FieldDef("ipv6", "uint", _attr("plen")),
    "ipv6.nxt": FieldDef("ipv6", "uint", _attr("nh")),
    "ipv6.hlim": FieldDef("ipv6", "uint", _attr("hlim")),
    "ipv6.src": FieldDef("ipv6", "ipv6", _attr("src", _ip6)),
    "ipv6.dst": FieldDef("ipv6", "ipv6", _attr("dst", _ip6)),
    "ipv6.addr": FieldDef("ipv6", "ipv6", _both("src", "dst", conv=_ip6)),
    "tcp.srcport": FieldDef("tcp", "uint", _attr("sport")),
    "tcp.dstport": FieldDef("tcp", "uint", _attr("dport")),
    "tcp.port": FieldDef("tcp", "uint", _both("sport", "dport")),
    "tcp.seq_raw": FieldDef("tcp", "uint", _attr("seq")),
    "tcp.ack_raw": FieldDef("tcp", "uint", _attr("ack")),
    "tcp.hdr_len": FieldDef("tcp", "uint", lambda t: int(t.dataofs or 5) * 4),
    "tcp.flags": FieldDef("tcp", "uint", _attr("flags"), "x4"),
    **{f"tcp.flags.{n}": FieldDef("tcp", "bool", _bit("flags", m)) for n, m in _TCP_FLAGS.items()},
    "tcp.window_size_value": FieldDef("tcp", "uint", _attr("window")),
    "tcp.checksum": FieldDef("tcp", "uint", _attr("chksum"), "x4"),
    "tcp.urgent_pointer": FieldDef("tcp", "uint", _attr("urgptr")),
    "tcp.len": FieldDef("tcp", "uint", _tcp_len),
    "udp.srcport": FieldDef("udp", "uint", _attr("sport")),
    "udp.dstport": FieldDef("udp", "uint", _attr("dport")),
    "udp.port": FieldDef("udp", "uint", _both("sport", "dport")),
    "udp.length": FieldDef("udp", "uint", _attr("len")),
    "udp.checksum": FieldDef("udp", "uint", _attr("chksum"), "x4"),
    "icmp.type": FieldDef("icmp", "uint", _attr("type")),
    "icmp.code": FieldDef("icmp", "uint", _attr("code")),
    "icmp.checksum": FieldDef("icmp", "uint", _attr("chksum"), "x4"),
    "icmp.seq": FieldDef("icmp", "uint", _echo("seq")),
    "icmp.ident": FieldDef("icmp", "uint", _echo("id")),
    "icmpv6.type": FieldDef("icmpv6", "uint", _message("type")),
    "icmpv6.code": FieldDef("icmpv6", "uint", _message("code")),
    "icmpv6.checksum": FieldDef("icmpv6", "uint", _message("cksum"), "x4"),
    "dns.id": FieldDef("dns", "uint", _attr("id"), "x4"),
    "dns.flags.response": FieldDef("dns", "bool", _attr("qr")),
    "dns.flags.opcode": FieldDef("dns", "uint", _attr("opcode")),
    "dns.flags.authoritative": FieldDef("dns", "bool", lambda d: int(d.aa) if d.qr else None),
    "dns.flags.truncated": FieldDef("dns", "bool", _attr("tc")),
    "dns.flags.recdesired": FieldDef("dns", "bool", _attr("rd")),
    "dns.flags.recavail": FieldDef("dns", "bool", lambda d: int(d.ra) if d.qr else None),
    "dns.flags.rcode": FieldDef("dns", "uint", lambda d: int(d.rcode) if d.qr else None),
    "dns.count.queries": FieldDef("dns", "uint", _count("qd", "qdcount")),
    "dns.count.answers": FieldDef("dns", "uint", _count("an", "ancount")),
    "dns.count.auth_rr": FieldDef("dns", "uint", _count("ns")),
    "dns.count.add_rr": FieldDef("dns", "uint", _count("ar")),
    "dns.qry.name": FieldDef("dns", "string", _records("qd", "qname", _name)),
    "dns.qry.type": FieldDef("dns", "uint", _records("qd", "qtype", int)),
    "dns.qry.class": FieldDef("dns", "uint", _records("qd", "qclass", int), "x4"),
    "dns.resp.name": FieldDef("dns", "string", _records("an", "rrname", _name)),
    "dns.resp.type": FieldDef("dns", "uint", _records("an", "type", int)),
    "dns.resp.ttl": FieldDef("dns", "uint", _records("an", "ttl", int)),
    "dns.a": FieldDef("dns", "ipv4", _records("an", "rdata", _ip4, 1)),
    "dns.aaaa": FieldDef("dns", "ipv6", _records("an", "rdata", _ip6, 28)),
    "dns.cname": FieldDef("dns", "string", _records("an", "rdata", _name, 5)),
    "http.request": FieldDef("http", "bool", _http("HTTPRequest")),
    "http.response": FieldDef("http", "bool", _http("HTTPResponse")),
    "http.request.method": FieldDef("http", "string", _http("HTTPRequest", "Method")),
    "http.request.uri": FieldDef("http", "string", _http("HTTPRequest", "Path")),
    "http.request.version": FieldDef("http", "string", _http("HTTPRequest", "Http_Version")),
    "http.host": FieldDef("http", "string", _http("HTTPRequest", "Host")),
    "http.user_agent": FieldDef("http", "string", _http("HTTPRequest", "User_Agent")),
    "http.response.code": FieldDef("http", "uint", _http("HTTPResponse", "Status_Code", int)),
    "http.response.phrase": FieldDef("http", "string",
                                     _http("HTTPResponse", "Reason_Phrase")),
    "ntp.stratum": FieldDef("ntp", "uint", _attr("stratum")),
    "data.data": FieldDef("data", "bytes", _raw),
    "data.len": FieldDef("data", "uint", lambda r: len(_raw(r))),
}
"""Wireshark field name -> :class:`FieldDef` (see the module's docstring)."""

#: The quick columns' kinds (:mod:`paquet.frame.quick`; the C extractor gives these types).
_COLUMNS = {
    "frame.number": "u64", "frame.time": "time", "frame.len": "u32", "frame.cap_len": "u32",
    "eth.src": "mac", "eth.dst": "mac", "eth.type": "u16", "ip.src": "ip4", "ip.dst": "ip4",
    "ip.hdr_len": "u8", "ip.len": "u16", "ip.id": "u16", "ip.ttl": "u8", "ip.proto": "u8",
    "ipv6.src": "ip6", "ipv6.dst": "ip6", "ipv6.plen": "u16", "ipv6.nxt": "u8", "ipv6.hlim": "u8",
    "tcp.srcport": "u16", "tcp.dstport": "u16", "tcp.seq_raw": "u32", "tcp.ack_raw": "u32",
    "tcp.hdr_len": "u8", "tcp.flags": "u16", "tcp.flags.fin": "bool", "tcp.flags.syn": "bool",
    "tcp.flags.reset": "bool", "tcp.flags.push": "bool", "tcp.flags.ack": "bool",
    "tcp.flags.urg": "bool", "tcp.window_size_value": "u16", "tcp.len": "u32",
    "udp.srcport": "u16", "udp.dstport": "u16", "udp.length": "u16", "icmp.type": "u8",
    "icmp.code": "u8", "icmpv6.type": "u8", "icmpv6.code": "u8", "vlan.id": "u16",
    "ip.dsfield": "u8", "ip.flags.df": "bool", "ip.flags.mf": "bool", "ip.frag_offset": "u16",
    "arp.opcode": "u16", "arp.src.proto_ipv4": "ip4", "arp.dst.proto_ipv4": "ip4",
}
for _name_, _column in _COLUMNS.items():
    FIELDS[_name_] = replace(FIELDS[_name_], column=_column)
del _name_, _column


def occurrences(name: str, layers: dict[str, list[Any]], frame: FrameInfo) -> list[Any]:
    """Every value of field ``name`` in a packet: ``layers`` its layers by protocol
    (:func:`paquet.dfilter.protocols.layers_of`), ``frame`` its record."""
    fd = FIELDS[name]
    if fd.proto == "frame":
        value = fd.get(frame)
        return [] if value is None else [value]
    return layer_values(fd, layers)


def layer_values(fd: FieldDef, layers: dict[str, list[Any]]) -> list[Any]:
    """Every value of the field ``fd`` in ``layers`` (a packet's layers by protocol), in
    order: lists flattened, a value absent or that cannot be read left out."""
    out: list[Any] = []
    for layer in layers.get(fd.proto, ()):
        try:
            v = fd.get(layer)
        except (AttributeError, TypeError, ValueError):
            continue
        if isinstance(v, list):
            out.extend(v)
        elif v is not None:
            out.append(v)
    return out


def arrow_value(fd: FieldDef, value: Any) -> Any:
    """A value of the field as :mod:`paquet.frame`'s Arrow columns take it (addresses as
    text, numbers as int or float).

    >>> arrow_value(FIELDS["eth.src"], b"\\x02" * 6), arrow_value(FIELDS["ip.flags.df"], 1)
    ('02:02:02:02:02:02', True)
    """
    kind = fd.kind
    if kind in ("uint", "time"):
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind == "ether":
        return value_text(fd, value)
    if kind == "float":
        return float(value)
    if kind == "bytes":
        return bytes(value)
    return str(value)


def value_text(fd: FieldDef, value: Any, json: bool = False) -> str:
    """A value as ``tshark -T fields`` prints it (``json``: as ``-T json`` does)."""
    if fd.kind == "ether" or (fd.kind == "bytes" and json):
        return ":".join(f"{b:02x}" for b in value)
    if fd.kind == "bytes":
        return bytes(value).hex()
    if fd.kind == "float":
        return f"{value:.9f}"
    if fd.kind == "time":
        return _time_text(int(value))
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address | str):
        return str(value)
    if fd.fmt.startswith("x"):
        return f"0x{int(value):0{int(fd.fmt[1:])}x}"
    return str(int(value))


def _time_text(ns: int) -> str:
    """tshark's ``frame.time``: ``Dec  6, 2025 05:46:40.123456000 UTC`` (local time)."""
    t = time.localtime(ns // 10**9)
    return time.strftime(f"%b %e, %Y %H:%M:%S.{ns % 10**9:09d} %Z", t)
