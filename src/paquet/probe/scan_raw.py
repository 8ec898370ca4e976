"""The raw scans (SYN, ACK, UDP): hosts x ports as probe indices, sent from byte templates on
raw sockets and answered by stateless cookies, each answer read into nmap's state and reason.
"""

from __future__ import annotations

import array
import ipaddress
import os
import struct

from paquet.errors import NetworkError, PaquetError
from paquet.numbers import (
    IPPROTO_ICMP,
    IPPROTO_ICMPV6,
    IPPROTO_TCP,
    IPPROTO_UDP,
    TCP_ACK,
    TCP_RST,
    TCP_SYN,
)
from paquet.probe import burst
from paquet.probe.cookies import SLOTS, Cookies
from paquet.probe.rawio import RawReceiver, RawSender, receivers, source_address
from paquet.probe.scan_results import (
    _CLOSED,
    _CODE,
    _CODES,
    _OPEN,
    _TIME_EXCEEDED,
    _UDP_CLOSED,
    _UDP_OPEN,
    _UNFILTERED,
)
from paquet.probe.wire import Template, parse_reply

_TCP_FAST = struct.Struct("!HHIIBB")
_PORT_PACK = struct.Struct("!H").pack

# ICMP destination unreachable code -> reason (the codes nmap reads as "filtered")
_UNREACH4 = {0: "net-unreach", 1: "host-unreach", 2: "proto-unreach", 3: "port-unreach",
             9: "net-prohibited", 10: "host-prohibited", 13: "admin-prohibited"}
_UNREACH6 = {0: "net-unreach", 1: "admin-prohibited", 3: "host-unreach", 4: "port-unreach"}

# nmap's payloads for a few well-known UDP services (from nmap-payloads): without one, the
# service stays silent and the port reads open|filtered.
_UDP_PAYLOADS: dict[int, bytes] = {
    # DNS: a status request (nmap's)
    53: bytes.fromhex("000010000000000000000000"),
    # NTP: a client request, version 2
    123: bytes.fromhex("e3000004000100000000000000000000000000000000000000000000"
                       "0000000000000000000000000000000000000000c54f234b71b152f3"),
    # NetBIOS name service: a wildcard node-status query
    137: bytes.fromhex("80f00010000100000000000020434b4141414141414141414141414141"
                       "414141414141414141414141414141410000210001"),
    # SNMPv1 get-request, community "public"
    161: bytes.fromhex("3082002f02010004067075626c6963a082002002044c33a756020100020100"
                       "308200103082000c06082b060102010105000500"),
}


# --------------------------------------------------------------------------------------------
# Raw probe spaces


def _lanes() -> int:
    """Two sending lanes when a second CPU is idle enough to run the kernel's path of the
    second lane's probes; one otherwise (two lanes on a busy machine only add handoffs)."""
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 2
    return 2 if load < cpus - 0.5 else 1


class _Space:
    """Hosts x ports (sorted, each once) as probe indices, with the templates and sockets to
    probe them."""

    def __init__(self, hosts: list[str], ports: list[int], cookies: Cookies, udp: bool,
                 sockets: bool = True, src: str | None = None, ack: bool = False) -> None:
        self.hosts = hosts
        self.ports = ports
        self.nports = len(ports)
        self.size = len(hosts) * len(ports)
        self.codes = bytearray(self.size)
        self.ttls = bytearray(self.size)
        self.cookies = cookies
        self.udp = udp
        self.ack = ack
        # each port's index in ``ports``, or -1 (a run of ports, as -p- gives, copied whole)
        self.port_index = array.array("i", [-1]) * 65536
        if ports and ports[-1] - ports[0] + 1 == len(ports):  # (sorted and distinct)
            self.port_index[ports[0]:ports[-1] + 1] = array.array("i", range(len(ports)))
        else:
            for i, port in enumerate(ports):
                self.port_index[port] = i
        self.templates: list[Template] = []
        self.host_index: dict[bytes, int] = {}
        sources: dict[int, set[str]] = {}
        for i, h in enumerate(hosts):
            s = src if src is not None else source_address(h)
            if udp:
                t = Template.udp(s, h)
            else:
                t = Template.tcp_ack(s, h) if ack else Template.tcp_syn(s, h)
            self.templates.append(t)
            self.host_index[t.dst] = i
            sources.setdefault(t.family, set()).add(s)
        self._udp_templates: dict[tuple[int, int], Template] = {}
        self._hashers = [cookies.tcp_hasher(t.src, t.dst) for t in self.templates]
        self._base = cookies.sport_base
        self._fast = not udp and not ack
        # one host, SYN: send_batch runs in C (paquet.probe.burst), bursts can be larger;
        # over IPv4 its answers are judged in C too (recv_match)
        self.burst_size = 256 if burst.ENABLED and self._fast and len(hosts) == 1 else 0
        self._c_match = bool(self.burst_size) and self.templates[0].family == 4
        if self._c_match:
            self._port_index = self.port_index.tobytes()
            self._filtered = bytes(1 if i < len(_CODES) and _CODES[i][0] == "filtered" else 0
                                   for i in range(256))
        # Sending lanes (see engine): the second has its own templates (their buffers are
        # patched in place) and its own sockets.
        self.lanes = _lanes()
        self._lane_templates = [self.templates] + [
            [t.copy() for t in self.templates] for _ in range(self.lanes - 1)]
        self._lane_udp: list[dict[tuple[int, int], Template]] = [
            self._udp_templates] + [{} for _ in range(self.lanes - 1)]
        self._lane_senders: list[dict[int, RawSender]] = []
        self.senders: dict[int, RawSender] = {}
        self.receivers: list[RawReceiver] = []
        if not sockets:  # matching only (tests)
            return
        try:
            for _ in range(self.lanes):
                self._lane_senders.append({fam: RawSender(fam) for fam in sources})
            self.senders = self._lane_senders[0]
            for fam, srcs in sources.items():
                icmp = IPPROTO_ICMP if fam == 4 else IPPROTO_ICMPV6
                protos = (IPPROTO_UDP if udp else IPPROTO_TCP, icmp)
                dst = next(iter(srcs)) if len(srcs) == 1 else None
                self.receivers += receivers(fam, protos, dst)
        except PaquetError:
            self.close()
            raise

    def close(self) -> None:
        """Close every socket."""
        for lane in self._lane_senders:
            for s in lane.values():
                s.close()
        for r in self.receivers:
            r.close(wait=False)

    def _template(self, h: int, port: int, lane: int) -> Template:
        payload = _UDP_PAYLOADS.get(port) if self.udp else None
        if payload is None:
            return self._lane_templates[lane][h]
        key = (h, port)
        cache = self._lane_udp[lane]
        t = cache.get(key)
        if t is None:
            base = self.templates[h]
            t = Template.udp(str(ipaddress.ip_address(base.src)), self.hosts[h], payload)
            cache[key] = t
        return t

    def send(self, idx: int, slot: int) -> bool:
        """Send probe ``idx`` in window ``slot`` (lane 0)."""
        return self.send_lane(idx, slot, 0)

    def send_batch(self, idxs: list[int], slot: int, lane: int) -> int:
        """Send the probes ``idxs`` on lane ``lane``; the number the kernel took."""
        if self.udp or self.ack or len(self.hosts) != 1:
            return sum(1 for i in idxs if self.send_lane(i, slot, lane))
        # One host, TCP: the hot loop of a full port scan, with everything in locals.
        t = self._lane_templates[lane][0]
        if burst.ENABLED:  # in C: built from the template and sent with sendmmsg
            sock = self._lane_senders[lane][t.family].sock
            ports_ = self.ports
            try:
                return burst.syn_send(sock, self.cookies, t, self._base + slot,
                                      [ports_[i] for i in idxs])
            except OSError as exc:
                raise NetworkError(f"send to {self.hosts[0]} failed: "
                                   f"{exc.strerror or exc}") from None
        build = t.build_syn
        hcopy = self._hashers[0].copy
        pack = _PORT_PACK
        from_bytes = int.from_bytes
        ports = self.ports
        sport = self._base + slot
        sendto = self._lane_senders[lane][t.family].sock.sendto
        dest = (self.hosts[0], 0)
        n = 0
        for idx in idxs:
            port = ports[idx]
            hh = hcopy()
            hh.update(pack(port))  # the cookie: Cookies.seq_of, inlined
            try:
                sendto(build(sport, port, from_bytes(hh.digest(), "big")), dest)
            except OSError:
                if not self.send_lane(idx, slot, lane):  # the slow path sorts errors out
                    continue
            n += 1
        return n

    def send_lane(self, idx: int, slot: int, lane: int) -> bool:
        """Send probe ``idx`` with lane ``lane``'s templates and sockets."""
        h, p = divmod(idx, self.nports)
        port = self.ports[p]
        sport = self.cookies.sport_base + slot
        if self.udp:
            t = self._template(h, port, lane)
            buf = t.build(sport, port, self.cookies.udp_ipid(t.dst, port, sport))
        elif self.ack:
            t = self._lane_templates[lane][h]
            buf = t.build(sport, port, Cookies.seq_of(self._hashers[h], port))
        else:
            t = self._lane_templates[lane][h]
            buf = t.build_syn(sport, port, Cookies.seq_of(self._hashers[h], port))
        return self._lane_senders[lane][t.family].send(buf, self.hosts[h])

    def _record(self, idx: int, code: int, ttl: int, slot: int) -> tuple[int, int] | None:
        old = self.codes[idx]
        if old and not (code in (_OPEN, _CLOSED, _UNFILTERED) and _CODES[old][0] == "filtered"):
            return None  # first answer wins, except a TCP answer over an ICMP error
        self.codes[idx] = code
        self.ttls[idx] = ttl
        return (idx, slot) if not old else None

    def recv_match(self, rx: RawReceiver) -> tuple[list[int], list[bytes]] | None:
        """Read what ``rx`` holds with the C matcher: (the send windows of the new answers,
        the packets left for :meth:`match`); None when this space has no C matcher."""
        if not self._c_match or not burst.ENABLED:
            return None
        return burst.syn_recv(rx.sock, self.cookies, self.templates[0], self._port_index,
                              self.codes, self.ttls, self._filtered, _OPEN, _CLOSED)

    def match(self, data: bytes) -> tuple[int, int] | None:
        """Record ``data`` when it answers one of our probes (nmap's rules: see the table of
        :mod:`paquet.probe.scan`)."""
        if self._fast and len(data) >= 40 and data[0] == 0x45 and data[9] == IPPROTO_TCP:
            # Fast path: an IPv4 TCP answer (what a SYN scan mostly receives), cheapest
            # tests first, the keyed hash last.
            sport, dport, _, ack, _, flags = _TCP_FAST.unpack_from(data, 20)
            slot = dport - self._base
            if slot < 0 or slot >= SLOTS or not flags & TCP_ACK:
                return None
            h = self.host_index.get(data[12:16])
            p = self.port_index[sport]
            if h is None or p < 0 or data[16:20] != self.templates[h].src:
                return None
            hh = self._hashers[h].copy()
            hh.update(_PORT_PACK(sport))
            if ack != (int.from_bytes(hh.digest(), "big") + 1) & 0xFFFFFFFF:
                return None
            idx = h * self.nports + p
            if flags & TCP_RST:
                return self._record(idx, _CLOSED, data[8], slot)
            if flags & TCP_SYN:
                return self._record(idx, _OPEN, data[8], slot)
            return None
        r = parse_reply(data)
        if r is None:
            return None
        cookies = self.cookies
        q = r.quote
        if q is None:
            h = self.host_index.get(r.src)
            p = self.port_index[r.sport]
            slot = cookies.slot_of(r.dport)
            if h is None or p < 0 or slot < 0:
                return None
            t = self.templates[h]
            if r.dst != t.src:
                return None
            idx = h * self.nports + p
            if self.udp:
                if r.proto != IPPROTO_UDP:
                    return None
                return self._record(idx, _UDP_OPEN, r.ttl, slot)
            if r.proto != IPPROTO_TCP:
                return None
            if self.ack:
                # ACK scan: a RST whose sequence number is our cookie means "unfiltered"
                if r.flags & TCP_RST and r.seq == cookies.tcp_seq(t.src, t.dst, r.sport):
                    return self._record(idx, _UNFILTERED, r.ttl, slot)
                return None
            if not r.flags & TCP_ACK or not cookies.synack_ok(t.src, t.dst, r.sport, r.ack):
                return None
            if r.flags & TCP_RST:
                return self._record(idx, _CLOSED, r.ttl, slot)
            if r.flags & TCP_SYN:
                return self._record(idx, _OPEN, r.ttl, slot)
            return None
        # an ICMP error quoting one of our probes
        h = self.host_index.get(q.dst)
        p = self.port_index[q.dport]
        slot = cookies.slot_of(q.sport)
        if h is None or p < 0 or slot < 0:
            return None
        t = self.templates[h]
        if q.src != t.src or q.proto != (IPPROTO_UDP if self.udp else IPPROTO_TCP):
            return None
        port = self.ports[p]
        if self.udp:
            if t.family == 4 and q.ipid != cookies.udp_ipid(t.dst, port, q.sport):
                return None
        elif q.seq != cookies.tcp_seq(t.src, t.dst, port):
            return None
        idx = h * self.nports + p
        if r.proto == IPPROTO_ICMP:
            if r.icmp_type == 11:
                return self._record(idx, _TIME_EXCEEDED, r.ttl, slot)
            reason = _UNREACH4.get(r.icmp_code) if r.icmp_type == 3 else None
        else:
            if r.icmp_type == 3:
                return self._record(idx, _TIME_EXCEEDED, r.ttl, slot)
            reason = _UNREACH6.get(r.icmp_code) if r.icmp_type == 1 else None
        if reason is None:
            return None
        if self.udp and reason == "port-unreach":
            return self._record(idx, _UDP_CLOSED, r.ttl, slot)
        return self._record(idx, _CODE["filtered", reason], r.ttl, slot)
