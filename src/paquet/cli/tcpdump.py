"""tcpdump's one-line output (``tcpdump -n``, with ``-e``, ``-t``...) for the protocols paquet
knows: ARP, IPv4, IPv6, TCP (relative sequence numbers, options), UDP, DNS, ICMP, ICMPv6.

>>> from paquet.layers.ether import Ether
>>> from paquet.layers.ipv4 import IP
>>> from paquet.layers.icmp import ICMP
>>> pkt = Ether(bytes(Ether() / IP(src='192.0.2.1', dst='192.0.2.9') / ICMP(id=7, seq=3)))
>>> TcpdumpPrinter(numeric=True, stamps=1).line(pkt, 0, len(bytes(pkt)))
'IP 192.0.2.1 > 192.0.2.9: ICMP echo request, id 7, seq 3, length 8'
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
from typing import Any

__all__ = ["TcpdumpPrinter", "hex_lines", "where"]

_ETHERTYPES = {0x0800: "IPv4", 0x0806: "ARP", 0x86DD: "IPv6", 0x8100: "802.1Q",
               0x88A8: "802.1Q-QinQ", 0x8035: "Reverse ARP", 0x88CC: "LLDP", 0x8847: "MPLS unicast"}
_TCP_FLAGS = ((0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, "."), (0x20, "U"),
              (0x40, "E"), (0x80, "W"))
_DNS_TYPES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 13: "HINFO", 15: "MX",
              16: "TXT", 28: "AAAA", 33: "SRV", 35: "NAPTR", 41: "OPT", 43: "DS", 46: "RRSIG",
              47: "NSEC", 48: "DNSKEY", 64: "SVCB", 65: "HTTPS", 255: "ANY", 257: "CAA"}
_DNS_RCODES = {0: "", 1: " FormErr", 2: " ServFail", 3: " NXDomain", 4: " NotImp",
               5: " Refused", 6: " YXDomain", 7: " YXRRSet", 8: " NXRRSet", 9: " NotAuth",
               10: " NotZone"}
_DNS_OPS = {0: "", 1: " inv_q", 2: " stat", 4: " notify", 5: " update"}
_UNREACH4 = {0: "net {} unreachable", 1: "host {} unreachable",
             2: "{} protocol {} unreachable", 9: "net {} unreachable - admin prohibited",
             10: "host {} unreachable - admin prohibited",
             13: "host {} unreachable - admin prohibited filter"}
_UNREACH6 = {0: "unreachable route", 1: "unreachable prohibited", 2: "beyond scope",
             3: "unreachable address", 4: "unreachable port"}
_ICMP6 = {128: "echo request", 129: "echo reply", 130: "multicast listener query",
          131: "multicast listener report", 132: "multicast listener done",
          133: "router solicitation", 134: "router advertisement",
          135: "neighbor solicitation", 136: "neighbor advertisement", 137: "redirect",
          143: "multicast listener report v2"}
_IP_NAMES = {0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 17: "UDP", 41: "IPv6",
             43: "Routing", 44: "Fragment", 47: "GRE", 50: "ESP", 51: "AH", 58: "ICMPv6",
             59: "NONE", 60: "DSTOPTS", 132: "SCTP"}
_ECN = {0: "", 1: ",ECT(1)", 2: ",ECT(0)", 3: ",CE"}
_ND_OPTIONS = {1: "source link-address", 2: "destination link-address"}
_PROTOS = {1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 47: "gre", 50: "esp", 51: "ah",
           58: "icmp6", 132: "sctp"}


def hex_lines(data: bytes, ascii_too: bool) -> str:
    """tcpdump's ``-x`` (hex words) or ``-X`` (and ASCII) dump of ``data``.

    >>> line = hex_lines(b'E\\x00\\x00\\x1c', True)
    >>> line.split(), line.index('E...')
    (['0x0000:', '4500', '001c', 'E...'], 51)
    """
    lines = []
    for off in range(0, len(data), 16):
        row = data[off:off + 16]
        words = " ".join(row[i:i + 2].hex() for i in range(0, len(row), 2))
        line = f"\t0x{off:04x}:  {words}"
        if ascii_too:
            text = "".join(chr(b) if 32 < b < 127 else "." for b in row)
            line = f"{line:<51}{text}"
        lines.append(line)
    return "\n".join(lines)


def where(iface: str | None, direction: int | None, data: bytes) -> str:
    """What ``tcpdump -i any`` prints before each packet: the interface and the direction
    (``In``, ``Out``, ``B`` broadcast, ``M`` multicast).

    >>> where("eth0", 1, bytes(6)), where("eth1", 2, bytes(6)), where("lo", 1, b"\\xff" * 6)
    ('eth0  In  ', 'eth1  Out ', 'lo    B   ')
    """
    if direction == 2:
        kind = "Out"
    elif data[:6] == b"\xff" * 6:
        kind = "B"
    elif data[:1] and data[0] & 1:
        kind = "M"
    else:
        kind = "In"
    return f"{iface or '?':<5} {kind:<3} "


def _base(layer: Any) -> str:
    """A layer's class name, the quoted copies (``IPerror``, ``TCPerror``) as the originals."""
    name = type(layer).__name__
    return {"IPerror": "IP", "IPerror6": "IPv6", "TCPerror": "TCP", "UDPerror": "UDP",
            "ICMPerror": "ICMP"}.get(name, name)


def _name(name: Any) -> str:
    text = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
    return text if text.endswith(".") else text + "."


class TcpdumpPrinter:
    """Prints packets as tcpdump does; keeps what tcpdump keeps between packets (the TCP
    connections' first sequence numbers, the previous packet's time).

    ``stamps``: tcpdump's number of ``-t``: 0 the time of day, 1 none, 2 seconds since the
    epoch, 3 delta since the previous packet, 4 date and time, 5 delta since the first.
    ``verbose``: tcpdump's ``-v``: the IP header's fields, checksums checked, the packet an
    ICMP error quotes, DNS answers' names, ND options, HTTP's header lines. ``absolute`` is
    ``-S`` (TCP sequence numbers as they are), ``check_sums=False`` ``-K``.
    """

    def __init__(self, *, numeric: bool = True, link: bool = False, stamps: int = 0,
                 utc: bool = False, verbose: int = 0, absolute: bool = False,
                 check_sums: bool = True) -> None:
        self.numeric = numeric
        self.verbose = verbose
        self.absolute = absolute
        self.check_sums = check_sums
        self.link = link
        self.stamps = stamps
        self.utc = utc
        self._tcp: dict[tuple[bytes, bytes, int, int], tuple[int, int]] = {}
        self._first: int | None = None
        self._previous: int | None = None

    # -- time stamps ----------------------------------------------------------------------
    def stamp(self, time_ns: int) -> str:
        """The time stamp that starts a line (``-t`` options), with its trailing space."""
        first = self._first = time_ns if self._first is None else self._first
        previous = self._previous if self._previous is not None else time_ns
        self._previous = time_ns
        mode = self.stamps
        if mode == 1:
            return ""
        sec, ns = divmod(time_ns, 10**9)
        if mode == 2:
            return f"{sec}.{ns // 1000:06d} "
        if mode in (3, 5):  # as tcpdump: between times already cut to microseconds
            delta = time_ns // 1000 - (previous if mode == 3 else first) // 1000
            d_sec, d_us = divmod(delta, 10**6)
            h, rest = divmod(d_sec, 3600)
            return f" {h:02d}:{rest // 60:02d}:{rest % 60:02d}.{d_us:06d} "
        tz = datetime.UTC if self.utc else None
        when = datetime.datetime.fromtimestamp(sec, tz)
        clock = f"{when:%H:%M:%S}.{ns // 1000:06d}"
        return f"{when:%Y-%m-%d} {clock} " if mode == 4 else f"{clock} "

    # -- the line -------------------------------------------------------------------------
    def line(self, pkt: Any, time_ns: int, wirelen: int, where: str = "") -> str:
        """The whole line for ``pkt`` (time stamp first, then ``where``: see :func:`where`)."""
        return self.stamp(time_ns) + where + self.body(pkt, wirelen)

    def body(self, pkt: Any, wirelen: int) -> str:
        """The line without its time stamp."""
        name = type(pkt).__name__
        if name in ("Ether", "Dot3"):
            return self._ether(pkt, wirelen)
        if name == "CookedLinux":
            return self._network(pkt.payload, True)
        return self._network(pkt, True)

    def _ether(self, eth: Any, wirelen: int) -> str:
        layer = eth.payload
        if not self.link:
            while type(layer).__name__ == "Dot1Q":
                layer = layer.payload
            return self._network(layer, True)
        etype = int(getattr(eth, "type", 0) or 0)
        head = (f"{eth.src} > {eth.dst}, ethertype {_ETHERTYPES.get(etype, 'Unknown')} "
                f"(0x{etype:04x}), length {wirelen}: ")
        while type(layer).__name__ == "Dot1Q":
            inner = int(layer.type)
            head += (f"vlan {int(layer.vlan)}, p {int(layer.prio)}, ethertype "
                     f"{_ETHERTYPES.get(inner, 'Unknown')} (0x{inner:04x}), ")
            layer = layer.payload
        return head + self._network(layer, False)

    def _network(self, layer: Any, named: bool) -> str:
        name = _base(layer)
        if name == "ARP":
            hw = "Ethernet (len 6), IPv4 (len 4), " if self.verbose else ""
            return ("ARP, " if named else "") + hw + self._arp(layer)
        if name in ("IP", "IPv6"):
            head = ("IP " if name == "IP" else "IP6 ") * named
            if not self.verbose:
                return head + self._ip(layer)
            if name == "IP":
                return f"{head}{self._ip4_fields(layer)}\n    {self._ip(layer)}"
            return f"{head}{self._ip6_fields(layer)} {self._ip(layer)}"
        if name == "NoPayload":
            return ""
        return f"{name}, length {len(bytes(layer))}"

    def _arp(self, arp: Any) -> str:
        op = int(arp.op)
        length = len(bytes(arp)) - len(self._padding(arp))
        if op == 1:
            text = f"Request who-has {arp.pdst} tell {arp.psrc}"
        elif op == 2:
            text = f"Reply {arp.psrc} is-at {arp.hwsrc}"
        else:
            text = f"Unknown opcode {op}"
        return f"{text}, length {length}"

    @staticmethod
    def _padding(layer: Any) -> bytes:
        while type(layer).__name__ not in ("NoPayload", "Padding"):
            layer = layer.payload
        return bytes(layer) if type(layer).__name__ == "Padding" else b""

    # -- IP -------------------------------------------------------------------------------
    @staticmethod
    def _ip4_fields(ip: Any) -> str:
        """``-v``'s ``(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 84)``."""
        flags = int(ip.flags)
        names = ", ".join(n for bit, n in ((1, "+"), (2, "DF"), (4, "rsvd")) if flags & bit) \
            or "none"
        proto = int(ip.proto)
        tos = int(ip.tos)
        return (f"(tos 0x{tos:x}{_ECN[tos & 3]}, ttl {int(ip.ttl)}, id {int(ip.id)}, "
                f"offset {int(ip.frag) * 8}, flags [{names}], "
                f"proto {_IP_NAMES.get(proto, 'unknown')} ({proto}), length {int(ip.len)})")

    @staticmethod
    def _ip6_fields(ip: Any) -> str:
        """``-v``'s ``(hlim 64, next-header ICMPv6 (58) payload length: 64)``."""
        parts = []
        if int(ip.tc):
            parts.append(f"class 0x{int(ip.tc):x}")
        if int(ip.fl):
            parts.append(f"flowlabel 0x{int(ip.fl):05x}")
        nh = int(ip.nh)
        parts.append(f"hlim {int(ip.hlim)}")
        parts.append(f"next-header {_IP_NAMES.get(nh, 'unknown')} ({nh}) "
                     f"payload length: {int(ip.plen)}")
        return "(" + ", ".join(parts) + ")"

    def _sum(self, ip: Any, upper: Any, proto: int, length: int, offset: int,
             always: bool = False) -> int | None:
        """The checksum ``upper`` should carry (None when the segment was not all captured);
        equal to its own when it is right."""
        from paquet.checksums.arithmetic import checksum_with_field_zeroed

        if not self.check_sums and not always:  # -K: TCP and UDP only, as tcpdump
            return None
        segment = bytes(upper)[:length]
        if len(segment) < length:
            return None
        src = ipaddress.ip_address(str(ip.src)).packed
        dst = ipaddress.ip_address(str(ip.dst)).packed
        if len(src) == 4:
            pseudo = src + dst + bytes([0, proto]) + length.to_bytes(2, "big")
        else:
            pseudo = src + dst + length.to_bytes(4, "big") + bytes([0, 0, 0, proto])
        return checksum_with_field_zeroed(pseudo + segment, len(pseudo) + offset)

    def _ip(self, ip: Any) -> str:
        v6 = _base(ip) == "IPv6"
        if v6:
            payload_len = int(ip.plen)
            proto = int(ip.nh)
            upper = ip.payload
            while type(upper).__name__.startswith("IPv6ExtHdr"):
                payload_len -= len(bytes(upper)) - len(bytes(upper.payload))
                proto = int(upper.nh)
                upper = upper.payload
            first = True
        else:
            payload_len = int(ip.len) - int(ip.ihl) * 4
            proto = int(ip.proto)
            upper = ip.payload
            first = int(ip.frag) == 0
        src, dst = str(ip.src), str(ip.dst)
        if not first:
            named = proto if self.numeric else _PROTOS.get(proto, proto)
            return f"{src} > {dst}: {named if isinstance(named, str) else f'ip-proto-{proto}'}"
        kind = _base(upper)
        if proto == 6 and kind == "TCP":
            return self._tcp_line(ip, upper, payload_len)
        if proto == 17 and kind == "UDP":
            return self._udp(ip, upper, payload_len)
        if proto == 1 and kind == "ICMP":
            return f"{src} > {dst}: ICMP {self._icmp(upper, payload_len)}"
        if proto == 58 and kind.startswith("ICMPv6"):
            check = ""
            if self.verbose:
                good = self._sum(ip, upper, 58, payload_len, 2, always=True)
                mine = int(upper.cksum)
                if good is not None:
                    check = ("[icmp6 sum ok] " if good == mine else
                             f"[bad icmp6 cksum 0x{mine:04x} -> 0x{good:04x}!] ")
            return f"{src} > {dst}: {check}ICMP6, {self._icmp6(upper, payload_len)}"
        return f"{src} > {dst}: ip-proto-{proto} {payload_len}"

    def _port(self, port: int, proto: str) -> str:
        if self.numeric:
            return str(port)
        try:
            return socket.getservbyport(port, proto)
        except (OSError, OverflowError):
            return str(port)

    def _udp(self, ip: Any, udp: Any, ip_payload: int) -> str:
        src, dst = str(ip.src), str(ip.dst)
        sport, dport = int(udp.sport), int(udp.dport)
        ends = f"{src}.{self._port(sport, 'udp')} > {dst}.{self._port(dport, 'udp')}: "
        length = (int(udp.len) if udp.len is not None else ip_payload) - 8
        if self.verbose and _base(ip) == "IPv6":  # tcpdump -v checks UDP sums over IPv6
            good = self._sum(ip, udp, 17, length + 8, 6)
            mine = int(udp.chksum)
            if good is not None:
                ends += ("[udp sum ok] " if good == mine else
                         f"[bad udp cksum 0x{mine:04x} -> 0x{good:04x}!] ")
        inner = udp.payload
        if type(inner).__name__ == "DNS" and 53 in (sport, dport):
            return ends + self._dns(inner, length)
        return f"{ends}UDP, length {length}"

    # -- TCP ------------------------------------------------------------------------------
    def _tcp_line(self, ip: Any, tcp: Any, ip_payload: int) -> str:
        sport, dport = int(tcp.sport), int(tcp.dport)
        src, dst = str(ip.src), str(ip.dst)
        head = f"{src}.{self._port(sport, 'tcp')} > {dst}.{self._port(dport, 'tcp')}: "
        flags = int(tcp.flags)
        hlen = int(tcp.dataofs or 5) * 4
        length = ip_payload - hlen
        seq, ack = int(tcp.seq), int(tcp.ack)
        if flags & 0x10 and not self.absolute:
            seq, ack = self._relative(src, dst, sport, dport, seq, ack, flags)
        names = "".join(c for bit, c in _TCP_FLAGS if flags & bit) or "none"
        text = f"Flags [{names}]"
        if self.verbose:
            good = self._sum(ip, tcp, 6, ip_payload, 16)
            if good is not None:
                mine = int(tcp.chksum)
                text += f", cksum 0x{mine:04x} " + (
                    "(correct)" if good == mine else f"(incorrect -> 0x{good:04x})")
        if length > 0 or flags & 0x07:
            text += f", seq {seq}"
            if length > 0:
                text += f":{(seq + length) & 0xFFFFFFFF}"
        if flags & 0x10:
            text += f", ack {ack}"
        text += f", win {int(tcp.window)}"
        if flags & 0x20:
            text += f", urg {int(tcp.urgptr)}"
        options = self._tcp_options(tcp)
        if options:
            text += f", options [{options}]"
        text += f", length {length}"
        if length > 0 and 80 in (sport, dport):
            data = bytes(tcp.payload)
            first = data.split(b"\r\n", 1)[0]
            if first.split(b" ", 1)[0] in (b"GET", b"POST", b"HEAD", b"PUT", b"DELETE",
                                            b"OPTIONS", b"PATCH") or first.startswith(b"HTTP/"):
                if self.verbose:
                    lines = data.split(b"\r\n")
                    shown = lines[:-1] if not lines[-1] else lines
                    text += f": HTTP, length: {length}" + "".join(
                        "\n\t" + line.decode("latin-1") for line in shown)
                else:
                    text += ": HTTP: " + first.decode("latin-1")
            elif data:
                text += ": HTTP"
        return head + text

    def _relative(self, src: str, dst: str, sport: int, dport: int, seq: int, ack: int,
                  flags: int) -> tuple[int, int]:
        """tcpdump's relative numbers: the first ACK-carrying segment of a connection (or a
        SYN) records both sides' numbers; later segments count from them."""
        a, b = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
        rev = (a, sport) > (b, dport)
        key = (b, a, dport, sport) if rev else (a, b, sport, dport)
        known = self._tcp.get(key)
        if known is None or flags & 0x02:
            self._tcp[key] = ((ack - 1) & 0xFFFFFFFF, seq) if rev else (seq, (ack - 1) & 0xFFFFFFFF)
            return seq, ack
        th_seq, th_ack = known
        if rev:
            return (seq - th_ack) & 0xFFFFFFFF, (ack - th_seq) & 0xFFFFFFFF
        return (seq - th_seq) & 0xFFFFFFFF, (ack - th_ack) & 0xFFFFFFFF

    @staticmethod
    def _tcp_options(tcp: Any) -> str:
        out = []
        for opt in tcp.options or []:
            name, value = (opt[0], opt[1]) if isinstance(opt, tuple) else (opt, None)
            if name == "MSS":
                out.append(f"mss {value}")
            elif name == "NOP":
                out.append("nop")
            elif name == "EOL":
                out.append("eol")
            elif name == "SAckOK":
                out.append("sackOK")
            elif name == "WScale":
                out.append(f"wscale {value}")
            elif name == "Timestamp" and isinstance(value, tuple):
                out.append(f"TS val {value[0]} ecr {value[1]}")
            elif name == "SAck" and isinstance(value, tuple):
                blocks = " ".join(f"{{{value[i]}:{value[i + 1]}}}"
                                  for i in range(0, len(value) - 1, 2))
                out.append(f"sack {len(value) // 2} {blocks}")
            else:
                out.append(f"opt-{name}")
        return ",".join(out)

    # -- DNS ------------------------------------------------------------------------------
    def _dns(self, dns: Any, length: int) -> str:
        qd = list(dns.qd or [])
        an = list(dns.an or [])
        ns = list(dns.ns or [])
        ar = list(dns.ar or [])
        text = f"{int(dns.id)}{_DNS_OPS.get(int(dns.opcode), '')}"
        if dns.qr:
            text += _DNS_RCODES.get(int(dns.rcode), f" Resp{int(dns.rcode)}")
            if dns.aa:
                text += "*"
            if not dns.ra:
                text += "-"
            if dns.tc:
                text += "|"
            if len(qd) != 1:
                text += f" [{len(qd)}q]"
            text += f" {len(an)}/{len(ns)}/{len(ar)}"
            if an:
                text += ",".join(self._rr(rr, self.verbose > 0) for rr in an)
        else:
            if dns.rd:
                text += "+"
            if dns.ad:
                text += "$"
            if dns.cd:
                text += "%"
            if len(qd) != 1:
                text += f" [{len(qd)}q]"
            if an:
                text += f" [{len(an)}a]"
            if ns:
                text += f" [{len(ns)}n]"
            if ar:
                text += f" [{len(ar)}au]"
            for q in qd:
                qtype = int(q.qtype)
                text += f" {_DNS_TYPES.get(qtype, f'Type{qtype}')}?"
                if int(q.qclass) != 1:
                    text += f" C{int(q.qclass)}"
                text += f" {_name(q.qname)}"
        return f"{text} ({length})"

    @staticmethod
    def _rr(rr: Any, named: bool = False) -> str:
        rtype = int(rr.type)
        text = f" {_DNS_TYPES.get(rtype, f'Type{rtype}')}"
        if named:
            text = f" {_name(rr.rrname)}{text}"
        data = getattr(rr, "rdata", None)
        if rtype in (1, 28):
            return f"{text} {data}"
        if rtype in (2, 5, 12):
            return f"{text} {_name(data)}"
        if rtype == 15:
            return f"{text} {_name(getattr(rr, 'exchange', data))} {getattr(rr, 'preference', '')}"
        return text

    # -- ICMP -----------------------------------------------------------------------------
    def _icmp(self, icmp: Any, length: int) -> str:
        text = self._icmp_text(icmp, length)
        inner = icmp.payload
        if self.verbose and int(icmp.type) in (3, 4, 5, 11, 12) and _base(inner) == "IP":
            text += "\n\t" + self._network(inner, not self.link)
        return text

    def _icmp_text(self, icmp: Any, length: int) -> str:
        itype, code = int(icmp.type), int(icmp.code)
        if itype in (0, 8):
            kind = "echo reply" if itype == 0 else "echo request"
            return f"{kind}, id {int(icmp.id)}, seq {int(icmp.seq)}, length {length}"
        inner = icmp.payload
        if itype == 11:
            what = "in-transit" if code == 0 else "reassembly"
            return f"time exceeded {what}, length {length}"
        if itype == 3 and type(inner).__name__ == "IPerror":
            dst = str(inner.dst)
            if code == 3:
                upper = inner.payload
                proto = _PROTOS.get(int(inner.proto), str(int(inner.proto)))
                port = int(getattr(upper, "dport", 0) or 0)
                return f"{dst} {proto} port {self._port(port, proto)} unreachable, length {length}"
            if code == 4:
                mtu = int(getattr(icmp, "nexthopmtu", 0) or 0)
                return f"{dst} unreachable - need to frag (mtu {mtu}), length {length}"
            if code == 2:
                return f"{dst} protocol {int(inner.proto)} unreachable, length {length}"
            pattern = _UNREACH4.get(code)
            if pattern is not None:
                return f"{pattern.format(dst)}, length {length}"
        return f"type-#{itype}, length {length}"

    def _icmp6(self, icmp: Any, length: int) -> str:
        text = self._icmp6_text(icmp, length)
        if not self.verbose:
            return text
        itype = int(icmp.type)
        # -v: the length moves after the name (ND) or goes (the others), options follow
        text = text.removesuffix(f", length {length}")
        if itype not in (133, 134, 135, 136, 137):
            return text
        name, _, rest = text.partition(", ")
        text = f"{name}, length {length}" + (f", {rest}" if rest else "")
        if itype == 136:
            flags = [n for n, bit in (("router", "R"), ("solicited", "S"), ("override", "O"))
                     if int(getattr(icmp, bit, 0) or 0)]
            text += f", Flags [{', '.join(flags) or 'none'}]"
        if itype == 134:
            flags = [n for n, bit in (("managed", "M"), ("other stateful", "O"),
                                      ("home agent", "H")) if int(getattr(icmp, bit, 0) or 0)]
            prf = {0: "medium", 1: "high", 2: "reserved", 3: "low"}[int(icmp.prf) & 3]
            text += (f"\n\thop limit {int(icmp.chlim)}, Flags [{', '.join(flags) or 'none'}], "
                     f"pref {prf}, router lifetime {int(icmp.routerlifetime)}s, reachable time "
                     f"{int(icmp.reachabletime)}ms, retrans timer {int(icmp.retranstimer)}ms")
        option = icmp.payload
        while type(option).__name__.startswith("ICMPv6NDOpt"):
            otype = int(option.type)
            olen = int(option.len or 1)
            value = getattr(option, "lladdr", None)
            label = _ND_OPTIONS.get(otype)
            if otype == 3:
                label, value = "prefix info", self._prefix_info(option)
            if label is None or value is None:
                break
            text += f"\n\t  {label} option ({otype}), length {olen * 8} ({olen}): {value}"
            option = option.payload
        return text

    @staticmethod
    def _prefix_info(option: Any) -> str:
        flags = [n for n, bit in (("onlink", "L"), ("auto", "A"), ("router", "R"))
                 if int(getattr(option, bit, 0) or 0)]

        def lifetime(value: int) -> str:
            return "infinity" if value == 0xFFFFFFFF else f"{value}s"

        return (f"{option.prefix}/{int(option.prefixlen)}, Flags [{', '.join(flags) or 'none'}], "
                f"valid time {lifetime(int(option.validlifetime))}, "
                f"pref. time {lifetime(int(option.preferredlifetime))}")

    def _icmp6_text(self, icmp: Any, length: int) -> str:
        itype, code = int(icmp.type), int(icmp.code)
        inner = icmp.payload
        if itype in (128, 129):
            return f"{_ICMP6[itype]}, id {int(icmp.id)}, seq {int(icmp.seq)}, length {length}"
        if itype == 135:
            return f"neighbor solicitation, who has {icmp.tgt}, length {length}"
        if itype == 136:
            return f"neighbor advertisement, tgt is {icmp.tgt}, length {length}"
        if itype == 1 and type(inner).__name__ == "IPerror6":
            what = _UNREACH6.get(code, f"unknown unreach code ({code})")
            if code == 4:
                upper = inner.payload
                proto = _PROTOS.get(int(inner.nh), str(int(inner.nh)))
                port = int(getattr(upper, "dport", 0) or 0)
                return (f"destination unreachable, {what}, {inner.dst} {proto} port "
                        f"{self._port(port, proto)}, length {length}")
            return f"destination unreachable, {what} {inner.dst}, length {length}"
        if itype == 2:
            return f"packet too big, mtu {int(icmp.mtu)}, length {length}"
        if itype == 3 and type(inner).__name__ == "IPerror6":
            what = "in-transit" if code == 0 else "reassembly"
            return f"time exceeded {what} for {inner.dst}, length {length}"
        name = _ICMP6.get(itype)
        if name is not None:
            return f"{name}, length {length}"
        return f"type-#{itype}, length {length}"
