"""DNS, mDNS and LLMNR answering machines and the DNS update helpers (Scapy 2.8's).

:class:`DNS_am` (``dnsd``) answers DNS queries: every A/AAAA query with a chosen address
(``joker``, ``joker6``: the spoofing exercise of security courses), or per-name answers
(``match``), SRV answers (``srvmatch``), reverse PTR answers (``jokerarpa``), and relays what it
cannot answer (``relay``). :class:`mDNS_am` (``mdnsd``) and :class:`LLMNR_am` (``llmnrd``) are
the same machine for mDNS (RFC 6762: answers to the group, IP TTL 255, NSEC for the missing
types) and LLMNR (RFC 4795). :func:`dyndns_add` and :func:`dyndns_del` send RFC 2136 updates;
:func:`dnssd` asks the link for DNS-SD services (RFC 6763).

>>> am = DNS_am(joker="192.0.2.66")
>>> q = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(
...     src="198.51.100.7", dst="198.51.100.53") / UDP(sport=40000, dport=53) / DNS(
...     id=9, qd=[DNSQR(qname="www.example.com")])
>>> am.is_request(q)
True
>>> r = am.make_reply(q)
>>> r[IP].dst, r[UDP].dport, r[DNS].id, r[DNS].an[0].rdata
('198.51.100.7', 40000, 9, '192.0.2.66')
"""

from __future__ import annotations

import collections
import logging
import socket
from typing import Any

from paquet.generators import Net, Net6
from paquet.layers import IP, UDP, Ether
from paquet.layers.dns import DNS, DNSQR, DNSRR, dns_compress
from paquet.layers.dns_edns0 import EDNS0OWN
from paquet.layers.dns_fields import RRlist2bitmap
from paquet.layers.dns_records import DNSRRNSEC, DNSRROPT, DNSRRSRV
from paquet.layers.ipv6 import IPv6
from paquet.layers.llmnr import LLMNRQuery
from paquet.net.answering import AnsweringMachine
from paquet.net.sendrecv import SndRcvList, sr, sr1
from paquet.packet.base import Packet, Raw

__all__ = [
    "DNSSDResult",
    "DNS_am",
    "LLMNR_am",
    "dnsd",
    "dnssd",
    "dyndns_add",
    "dyndns_del",
    "llmnrd",
    "mDNS_am",
    "mdnsd",
]

log = logging.getLogger("paquet.dns_am")


def _dyndns(nameserver: str, name: str, record: Packet) -> int:
    """Send an RFC 2136 update of ``name``'s zone (its name without the first label)."""
    zone = name[name.find(".") + 1:]
    ans = sr1(IP(dst=nameserver) / UDP() / DNS(opcode=5, qd=[DNSQR(qname=zone, qtype="SOA")],
                                               ns=[record]), verbose=0, timeout=5)
    if ans is not None and DNS in ans:
        return int(ans[DNS].rcode)
    return -1


def dyndns_add(nameserver: str, name: str, rdata: Any, type: Any = "A",
               ttl: int = 10) -> int:
    """Send an RFC 2136 update adding ``rdata`` to ``name`` at ``nameserver`` (Scapy's):
    the answer's rcode (0: done), -1 without an answer. (Scapy 2.8 sends type A whatever
    ``type`` says; so does this.)"""
    return _dyndns(nameserver, name, DNSRR(rrname=name, type="A", ttl=ttl, rdata=rdata))


def dyndns_del(nameserver: str, name: str, type: Any = "ALL", ttl: int = 10) -> int:
    """Send an RFC 2136 update deleting ``name``'s records of ``type`` (default all) at
    ``nameserver`` (Scapy's): the answer's rcode (0: done), -1 without an answer.

    (Scapy 2.8's default ``"ALL"`` is not a record type name there, and raises; here it is
    the query type 255, which RFC 2136 section 2.5.2 asks for.)"""
    if isinstance(type, str) and type.upper() in ("ALL", "ANY"):
        type = 255
    return _dyndns(nameserver, name, DNSRR(rrname=name, type=type, rclass="ANY", ttl=0,
                                           rdata=""))


def _allowed(allowed: Any, src: str) -> bool:
    """Whether ``src`` is among ``allowed`` (True: all; False: none; else a network; its
    truth never asked: the length of an IPv6 network does not fit an int)."""
    if isinstance(allowed, bool):
        return allowed
    return bool(src in allowed)


def _name_key(name: Any) -> bytes:
    key = (name.encode() if isinstance(name, str) else bytes(name)).lower()
    return key if key.endswith(b".") else key + b"."


class DNS_am(AnsweringMachine):
    """A DNS server for exercises (``dnsd``, Scapy's ``DNS_am``), on UDP port 53.

    ``joker`` the IPv4 address given to any A query (None: the interface's, False: none;
    False by default when ``match`` is given); ``joker6`` the same for AAAA (default False);
    ``match`` ``{name: address or (ipv4, ipv6)}`` (each may be a list; a bare name list
    answers those names with the interface's addresses); ``srvmatch`` ``{name: (port,
    target)}`` for SRV; ``jokerarpa`` the name given to any ``in-addr.arpa`` PTR query;
    ``relay`` asks the name servers (``conf.nameservers`` when set, else
    ``/etc/resolv.conf``'s) what it cannot answer; ``send_error`` answers NXDOMAIN instead of
    nothing; ``from_ip`` / ``from_ip6`` the askers answered (an address or network, True: all,
    False: none); ``src_ip`` / ``src_ip6`` the reply's source (default the address asked);
    ``ttl`` the records' TTL.

    >>> am = DNS_am(match={"a.example": ("192.0.2.1", "2001:db8::1")})
    >>> am.match[b"a.example."], am.joker
    (('192.0.2.1', '2001:db8::1'), False)
    """

    function_name = "dnsd"
    filter = "udp port 53"
    cls: type[Packet] = DNS  # (LLMNR_am answers LLMNRQuery)

    def parse_options(self, joker: Any = None, match: Any = None, srvmatch: Any = None,
                      joker6: Any = False, send_error: bool = False, relay: bool = False,
                      from_ip: Any = True, from_ip6: Any = False, src_ip: str | None = None,
                      src_ip6: str | None = None, ttl: int = 10,
                      jokerarpa: Any = False) -> None:
        self.mDNS = isinstance(self, mDNS_am)
        self.llmnr = self.cls is not DNS
        if joker is not None and not isinstance(joker, str | bool):
            raise ValueError("Bad 'joker': should be an IPv4 (str) or False !")
        if joker6 is not None and not isinstance(joker6, str | bool):
            raise ValueError("Bad 'joker6': should be an IPv6 (str) or False !")
        if not isinstance(jokerarpa, str | bool):
            raise ValueError("Bad 'jokerarpa': should be a hostname or False !")
        if not isinstance(from_ip, str | Net | bool):
            raise ValueError("Bad 'from_ip': should be an IPv4 (str), Net or False !")
        if not isinstance(from_ip6, str | Net6 | bool):
            raise ValueError("Bad 'from_ip6': should be an IPv6 (str), Net or False !")
        if self.mDNS and src_ip:
            raise ValueError("Cannot use 'src_ip' in mDNS !")
        if self.mDNS and src_ip6:
            raise ValueError("Cannot use 'src_ip6' in mDNS !")
        if joker is None and match is not None:
            joker = False
        self.joker = joker
        self.joker6 = joker6
        self.jokerarpa = jokerarpa

        def value(v: Any) -> tuple[Any, Any]:
            if isinstance(v, tuple | list) and len(v) == 2:
                return (v[0], v[1])
            if isinstance(v, str):
                return (v, joker6)
            raise ValueError(f"Bad match value: '{v!r}'")

        table: collections.defaultdict[bytes, tuple[Any, Any]] = collections.defaultdict(
            lambda: (joker, joker6))
        if match:
            if isinstance(match, list | set):
                table.update({_name_key(k): (None, None) for k in match})
            else:
                table.update({_name_key(k): value(v) for k, v in match.items()})
        self.match = table
        self.srvmatch = ({} if srvmatch is None
                         else {_name_key(k): value(v) for k, v in srvmatch.items()})
        self.send_error = send_error
        self.relay = relay
        self.from_ip = Net(from_ip) if isinstance(from_ip, str) else from_ip
        self.from_ip6 = Net6(from_ip6) if isinstance(from_ip6, str) else from_ip6
        self.src_ip = src_ip
        self.src_ip6 = src_ip6
        self.ttl = ttl

    def is_request(self, req: Packet) -> bool:
        """A query (``qr`` 0) of the machine's protocol from an asker it answers."""
        query = req.getlayer(self.cls)
        if query is None or query.qr != 0:
            return False
        if IPv6 in req:
            return _allowed(self.from_ip6, req[IPv6].src)
        if IP not in req:
            return self.from_ip is True
        return _allowed(self.from_ip, req[IP].src)

    # ------------------------------------------------------------------ the reply

    def _headers(self, req: Packet) -> Packet | None:
        """The reply's link, IP and UDP headers (None without IP or UDP)."""
        resp = req.copy()
        if Ether in req:
            eth, reth = req[Ether], resp[Ether]
            if self.mDNS:
                reth.src, reth.dst = None, None
            elif self.llmnr:
                reth.src, reth.dst = None, eth.src
            else:
                reth.src = None if eth.dst == "ff:ff:ff:ff:ff:ff" else eth.dst
                reth.dst = eth.src
        if IPv6 in req:
            ip6 = req[IPv6]
            if self.mDNS:  # RFC 6762 section 11: IP TTL 255
                net: Packet = IPv6(dst="ff02::fb", src=self.src_ip6, fl=ip6.fl, hlim=255)
            elif self.llmnr:
                net = IPv6(dst=ip6.src, src=self.src_ip6, fl=ip6.fl, hlim=ip6.hlim)
            else:
                net = IPv6(dst=ip6.src, src=self.src_ip6 or ip6.dst, fl=ip6.fl,
                           hlim=ip6.hlim)
            under = resp[IPv6].underlayer
        elif IP in req:
            ip = req[IP]
            if self.mDNS:
                net = IP(dst="224.0.0.251", src=self.src_ip, id=ip.id, ttl=255)
            elif self.llmnr:
                net = IP(dst=ip.src, src=self.src_ip, id=ip.id, ttl=ip.ttl)
            else:
                net = IP(dst=ip.src, src=self.src_ip or ip.dst, id=ip.id, ttl=ip.ttl)
            under = resp[IP].underlayer
        else:
            log.warning("No IP or IPv6 layer in %s", req.summary())
            return None
        if UDP not in req:
            log.warning("No UDP layer in %s", req.summary())
            return None
        if under is None:
            resp = net
        else:
            under.remove_payload()
            resp = resp / net
        udp = req[UDP]
        return resp / UDP(sport=udp.dport, dport=udp.sport)

    def _address(self, rq: Any, resp: Packet) -> Any:
        """The A or AAAA data for question ``rq`` (None or False: none)."""
        from paquet.net.conf import conf
        from paquet.net.interfaces import get_if_addr, get_if_addr6, resolve_iface

        v6 = rq.qtype == 28
        rdata = self.match[rq.qname.lower()][1 if v6 else 0]
        if rdata is None and not self.relay:  # the interface's address(es)
            iface = resolve_iface(self.optsniff.get("iface", conf.iface))
            if self.mDNS:
                rdata = iface.ips[6 if v6 else 4]
            else:
                rdata = get_if_addr6(iface) if v6 else get_if_addr(iface)
        if self.mDNS and rdata:  # mDNS answers from the address given
            layer = IPv6 if v6 else IP
            if layer in resp:
                resp[layer].src = rdata
        return rdata

    def _answer(self, rq: Any, resp: Packet, ans: list[Any], ars: list[Any]) -> None:
        """Add the answers to question ``rq`` to ``ans`` (and ``ars``)."""
        name = rq.qname.lower()
        if rq.qtype in (1, 28):
            rdata = self._address(rq, resp)
            if rdata:
                ans.extend(DNSRR(rrname=rq.qname, ttl=self.ttl, rdata=x, type=rq.qtype,
                                 cacheflush=self.mDNS)
                           for x in (rdata if isinstance(rdata, list) else [rdata]))
                return
        elif rq.qtype == 33 and name in self.srvmatch:
            port, target = self.srvmatch[name]
            ans.append(DNSRRSRV(rrname=rq.qname, port=port, target=target, weight=100,
                                ttl=self.ttl))
            return
        elif (rq.qtype == 12 and rq.qname[-14:] == b".in-addr.arpa."
              and self.jokerarpa):
            ans.append(DNSRR(rrname=rq.qname, type=rq.qtype, ttl=self.ttl,
                             rdata=self.jokerarpa))
            return
        if self.relay:
            from paquet.net.conf import conf
            from paquet.net.dnsresolve import dns_resolve

            try:
                got = dns_resolve(rq.qname, qtype=rq.qtype, raw=True,
                                  nameservers=getattr(conf, "nameservers", None))
            except TimeoutError:
                got = None
            if got:
                ans.extend(got.an)
                ars.extend(got.ar)
                return
        if self.mDNS:  # RFC 6762 section 6.1: a negative answer is an NSEC record
            ans.append(DNSRRNSEC(ttl=self.ttl, rrname=rq.qname, nextname=rq.qname,
                                 typebitmaps=RRlist2bitmap([rq.qtype])))

    def make_reply(self, req: Packet) -> Packet | None:
        """The answer to query ``req`` (None when there is none to give)."""
        resp = self._headers(req)
        if resp is None:
            return None
        msg = req.getlayer(self.cls)
        if msg is None:
            log.warning("No %s layer in %s", self.cls.__name__, req.summary())
            return None
        queries = list(getattr(msg, "qd", None) or [])
        # An ANY (255) question is asked as A and AAAA (the reply repeats the question).
        every = next((x for x in queries if getattr(x, "qtype", None) == 255), None)
        if every is not None:
            queries.remove(every)
            queries += [DNSQR(qtype=t, qname=every.qname,
                              unicastresponse=every.unicastresponse, qclass=every.qclass)
                        for t in (1, 28)]
        ans: list[Any] = []
        ars: list[Any] = []
        for rq in queries:
            if isinstance(rq, Raw) or not isinstance(rq, DNSQR):
                log.warning("Cannot parse qd element %r", rq)
                continue
            self._answer(rq, resp, ans, ars)
        if self.mDNS and all(x.type == 47 for x in ans):
            return None  # only NSEC records: no answer
        if not ans:
            if self.send_error:
                return resp / self.cls(id=msg.id, qr=1, qd=msg.qd, rcode=3)
            log.info("No answer could be provided to: %s", msg.summary())
            return None
        if self.mDNS:
            # Windows' extension: the owner option, with the sender's MAC
            ars.append(DNSRROPT(z=0x1194, rdata=[
                EDNS0OWN(primary_mac=resp[Ether].src if Ether in resp else None)]))
            dns = self.cls(id=msg.id, aa=1, rd=0, qr=1, qd=[], ar=ars, an=ans)
        else:
            dns = self.cls(id=msg.id, qr=1, qd=msg.qd, ar=ars, an=ans)
        return resp / (dns if self.llmnr else dns_compress(dns))


class mDNS_am(DNS_am):
    """An mDNS responder (``mdnsd``, Scapy's ``mDNS_am``), with :class:`DNS_am`'s options
    (but no ``src_ip``): answers go to 224.0.0.251 / ff02::fb with IP TTL 255, the names'
    addresses from ``match`` or ``joker`` (None: all the interface's), no question repeated.

    >>> mDNS_am(match=["printer.local"]).match[b"printer.local."]
    (None, None)
    """

    function_name = "mdnsd"
    filter = "udp port 5353"


class LLMNR_am(DNS_am):
    """An LLMNR responder (``llmnrd``, Scapy's ``LLMNR_am``), with :class:`DNS_am`'s options:
    answers :class:`~paquet.layers.llmnr.LLMNRQuery` on UDP port 5355 to the asker.

    >>> LLMNR_am(joker="192.0.2.5").cls.__name__
    'LLMNRQuery'
    """

    function_name = "llmnrd"
    filter = "udp port 5355"
    cls = LLMNRQuery


def dnsd(*args: Any, **kwargs: Any) -> None:
    """Run a :class:`DNS_am` (Scapy's ``dnsd``)."""
    DNS_am(*args, **kwargs)()


def mdnsd(*args: Any, **kwargs: Any) -> None:
    """Run an :class:`mDNS_am` (Scapy's ``mdnsd``)."""
    mDNS_am(*args, **kwargs)()


def llmnrd(*args: Any, **kwargs: Any) -> None:
    """Run an :class:`LLMNR_am` (Scapy's ``llmnrd``)."""
    LLMNR_am(*args, **kwargs)()


# ---------------------------------------------------------------------- DNS-SD (RFC 6763)


class DNSSDResult(SndRcvList):
    """The answers of :func:`dnssd` (Scapy's): ``show()`` lists each responder's records."""

    def __init__(self, res: Any = None, name: str = "DNS-SD", stats: Any = None) -> None:
        super().__init__(res, name, stats)

    def show(self, types: list[str] | None = None,
             alltypes: bool = False) -> None:
        """Print the services found: by responder, its records of ``types`` (default PTR
        and SRV; ``alltypes`` every type)."""
        from paquet.layers.dns_fields import dnstypes
        from paquet.tables import pretty_list

        wanted = None if alltypes else (types if types is not None else ["PTR", "SRV"])
        rows: list[tuple[Any, ...]] = []
        for _, r in self.res:
            attrs = []
            for rr in (*r[DNS].an, *r[DNS].ar):
                if wanted and dnstypes.get(rr.type) not in wanted:
                    continue
                if isinstance(rr, DNSRRNSEC):
                    attrs.append(rr.sprintf("%type%=%nextname%"))
                elif isinstance(rr, DNSRRSRV):
                    attrs.append(rr.sprintf("%type%=(%target%,%port%)"))
                else:
                    attrs.append(rr.sprintf("%type%=%rdata%"))
            rows.append((r.src, attrs))
        print(pretty_list(rows, [("IP", "Service")]))


def dnssd(service: str = "_services._dns-sd._udp.local", af: int = socket.AF_INET,
          qtype: Any = "PTR", iface: str | None = None, verbose: int = 2,
          timeout: float = 3) -> DNSSDResult | None:
    """Ask the link's mDNS group for ``service`` (a DNS-SD query, RFC 6763; Scapy's):
    every answer of ``timeout`` seconds, as a :class:`DNSSDResult`. ``af``
    ``socket.AF_INET`` or ``socket.AF_INET6``; ``qtype`` PTR, SRV or TXT."""
    if af == socket.AF_INET:
        pkt: Packet = IP(dst="224.0.0.251", ttl=255)
    elif af == socket.AF_INET6:
        pkt = IPv6(dst="ff02::fb")
    else:
        return None
    pkt = pkt / UDP(sport=5353, dport=5353) / DNS(rd=0, qd=[DNSQR(qname=service,
                                                                   qtype=qtype)])
    ans, _ = sr(pkt, multi=True, timeout=timeout, verbose=verbose, iface=iface)
    return DNSSDResult(ans.res)
