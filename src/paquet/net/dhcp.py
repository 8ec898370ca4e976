"""DHCP on the network: the client's messages and the servers' answering machines (Scapy's).

The client functions send one DHCP message from an interface, as Scapy 2.8's: a broadcast
frame from the interface's MAC (or ``hw``), IP from ``0.0.0.0`` (or ``ciaddr``) to
``255.255.255.255``, BOOTP with the broadcast flag and a random ``xid``, and the options
Scapy sends (message type, client id, requested address, server id, host name, vendor class
``MSFT 5.0``, parameter request list). :func:`dhcp_discover` and :func:`dhcp_request` wait for
the server's answer (matched on ``xid``) and return it; :func:`dhcp_release` only sends,
:func:`dhcp_inform` waits. Keyword arguments go to ``srp1`` (``timeout``, ``retry``...).

``dhcp_request(requested_addr, server_id=...)`` sends a request for an offered address (a
DORA's third message), as Scapy 2.8's; called without ``requested_addr`` it sends a discover,
as Scapy's older ``dhcp_request(iface=...)`` did.

The machines answer on a server's interface: :class:`BOOTP_am` (``bootpd``) gives each client
MAC the next address of ``pool``; :class:`DHCP_am` (``dhcpd``) answers a discover with an offer
and a request with an ack, with the server id, router, name servers, domain, broadcast
address, mask and times (and any option given by name: ``dhcpd(NTP_server="192.0.2.1")``).

>>> am = DHCP_am(pool=Net("192.0.2.100/30"), network="192.0.2.0/24", gw="192.0.2.1",
...              domain="lab.example")
>>> req = Ether(bytes(Ether(src="02:00:00:00:00:01") / IP(src="0.0.0.0", dst="255.255.255.255")
...     / UDP(sport=68, dport=67) / BOOTP(chaddr="02:00:00:00:00:01", xid=5) / DHCP(options=[
...     ("message-type", "discover"), "end"])))
>>> rep = am.make_reply(req)
>>> rep[BOOTP].yiaddr, rep[DHCP].options[:2]
('192.0.2.100', [('message-type', 2), ('server_id', '192.0.2.1')])
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from paquet.generators import Net
from paquet.layers import IP, UDP, Ether
from paquet.layers.dhcp import BOOTP, DHCP
from paquet.net.answering import AnsweringMachine
from paquet.net.sendrecv import sendp, srp1
from paquet.packet.base import Packet

__all__ = [
    "BOOTP_am",
    "DHCP_am",
    "bootpd",
    "dhcp_discover",
    "dhcp_inform",
    "dhcp_release",
    "dhcp_request",
    "dhcpd",
]

#: The parameters a client asks for (Scapy's list, Windows' own).
_PARAMS = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252]


def _mac_bytes(mac: str) -> bytes:
    return bytes(int(part, 16) for part in mac.split(":"))


def _dhcp_query(req_type: str, hw: str | None = None, dstip: str | None = None,
                ciaddr: str | None = None, server_id: str | None = None,
                requested_addr: str | None = None, fixed_ether: bool = False,
                hostname: str | None = None, iface: str | None = None,
                wait_resp: bool = True, **kwargs: Any) -> Any:
    """Build a client message of type ``req_type`` and send it (see the module)."""
    from paquet.net.conf import conf
    from paquet.net.interfaces import get_if_hwaddr

    if hw is None:
        hw = get_if_hwaddr(iface if iface is not None else conf.iface)
    options: list[Any] = [("message-type", req_type), ("client_id", b"\x01" + _mac_bytes(hw))]
    if requested_addr is not None:
        options.append(("requested_addr", requested_addr))
    if server_id is not None:
        options.append(("server_id", server_id))
    if hostname is not None:
        name = hostname.encode() if isinstance(hostname, str) else hostname
        options += [("hostname", name), ("client_FQDN", b"\x00\x00\x00" + name)]
    options += [("vendor_class_id", b"MSFT 5.0"), ("param_req_list", list(_PARAMS)), "end"]
    pkt = (Ether(dst="ff:ff:ff:ff:ff:ff", src=None if fixed_ether else hw)
           / IP(src=ciaddr or "0.0.0.0", dst=dstip or "255.255.255.255")
           / UDP(sport=68, dport=67)
           / BOOTP(chaddr=hw, ciaddr=ciaddr or "0.0.0.0", xid=random.getrandbits(32),
                   flags="B")
           / DHCP(options=options))
    if not wait_resp:
        return sendp(pkt, iface=iface, **kwargs)
    saved = conf.checkIPaddr
    conf.checkIPaddr = False  # the answer comes from the server, not from 255.255.255.255
    try:
        return srp1(pkt, iface=iface, **kwargs)
    finally:
        conf.checkIPaddr = saved


def dhcp_discover(hw: str | None = None, requested_addr: str | None = None,
                  hostname: str | None = None, iface: str | None = None,
                  **kwargs: Any) -> Any:
    """Send a DHCP discover and return the answer (an offer), or None (Scapy's).

    ``hw`` the client's MAC (default the interface's), ``requested_addr`` an address to ask
    for, ``hostname`` the client's name, ``iface`` the interface (default ``conf.iface``).
    """
    return _dhcp_query("discover", hw=hw, requested_addr=requested_addr, hostname=hostname,
                       iface=iface, **kwargs)


def dhcp_request(requested_addr: str | None = None, hw: str | None = None,
                 server_id: str | None = None, hostname: str | None = None,
                 iface: str | None = None, fixed_ether: bool = False, *,
                 req_type: str | None = None, **kwargs: Any) -> Any:
    """Send a DHCP request for ``requested_addr`` and return the answer (an ack or a nak),
    or None (Scapy 2.8's); without ``requested_addr``, send a discover (older Scapy's, whose
    ``req_type`` keyword names another message type).

    ``server_id`` the server of the offer; ``fixed_ether`` sends from the interface's own MAC
    (``hw`` only in BOOTP).

    >>> import inspect; list(inspect.signature(dhcp_request).parameters)[:3]
    ['requested_addr', 'hw', 'server_id']
    """
    kind = req_type or ("discover" if requested_addr is None else "request")
    return _dhcp_query(kind, hw=hw, server_id=server_id, requested_addr=requested_addr,
                       hostname=hostname, iface=iface, fixed_ether=fixed_ether, **kwargs)


def dhcp_release(ciaddr: str, server_id: str, hw: str | None = None,
                 hostname: str | None = None, iface: str | None = None,
                 fixed_ether: bool = False, **kwargs: Any) -> Any:
    """Send a DHCP release of ``ciaddr`` to ``server_id`` (no answer is awaited)."""
    return _dhcp_query("release", hw=hw, dstip=server_id, server_id=server_id, ciaddr=ciaddr,
                       hostname=hostname, iface=iface, fixed_ether=fixed_ether,
                       wait_resp=False, **kwargs)


def dhcp_inform(ciaddr: str, hw: str | None = None, hostname: str | None = None,
                iface: str | None = None, fixed_ether: bool = False, **kwargs: Any) -> Any:
    """Send a DHCP inform from ``ciaddr`` and return the answer, or None."""
    return _dhcp_query("inform", hw=hw, ciaddr=ciaddr, hostname=hostname, iface=iface,
                       fixed_ether=fixed_ether, **kwargs)


def _atol(addr: str) -> int:
    return int.from_bytes(bytes(int(b) for b in addr.split(".")), "big")


def _ltoa(value: int) -> str:
    return ".".join(str(b) for b in (value & 0xFFFFFFFF).to_bytes(4, "big"))


class BOOTP_am(AnsweringMachine):
    """A BOOTP server (``bootpd``, Scapy's ``BOOTP_am``): each client MAC gets the next
    address of ``pool``, with ``gw`` as server, relay and client address fields (Scapy's).

    ``pool`` the addresses to give (a ``Net``, a list, or one address as text: always that
    one); ``network`` the subnet (``"192.0.2.0/24"``); ``gw`` the router (may be None);
    ``nameserver`` the DNS server(s) (default ``gw``); ``domain`` the domain name (may be None);
    ``renewal_time``, ``lease_time`` in seconds; any other keyword is a DHCP option given by
    its name (``DHCP_am``).
    """

    function_name = "bootpd"
    filter = "udp and port 68 and port 67"

    def parse_options(self, pool: Net | list[str] | str = "192.168.1.128/25",
                      network: str = "192.168.1.0/24", gw: str = "192.168.1.1",
                      nameserver: str | list[str] | None = None, domain: str | None = None,
                      renewal_time: int = 60, lease_time: int = 1800,
                      **kwargs: Any) -> None:
        self.domain = domain
        netw, msk = [*network.split("/"), "32"][:2]
        mask = (0xFFFFFFFF << (32 - int(msk))) & 0xFFFFFFFF
        self.netmask = _ltoa(mask)
        self.network = _ltoa(_atol(netw) & mask)
        self.broadcast = _ltoa(_atol(self.network) | (~mask & 0xFFFFFFFF))
        self.gw = gw
        self.nameserver: tuple[str, ...]
        if nameserver is None:
            self.nameserver = (gw,)
        elif isinstance(nameserver, str):
            self.nameserver = (nameserver,)
        else:
            self.nameserver = tuple(nameserver)
        given: Any = Net(pool) if isinstance(pool, str) else pool
        if isinstance(given, Iterable):
            skip = (gw, self.network, self.broadcast)
            given = [k for k in given if k not in skip]
            given.reverse()
        if len(given) == 1:
            (given,) = given
        self.pool = given
        self.lease_time = lease_time
        self.renewal_time = renewal_time
        self.leases: dict[str, str] = {}
        self.kwargs = kwargs

    def is_request(self, req: Packet) -> bool:
        """A BOOTP request (op 1)."""
        return BOOTP in req and req[BOOTP].op == 1

    def print_reply(self, req: Packet, reply: Any) -> None:
        print(f"Reply {reply[IP].dst} to {reply.dst}")

    def make_reply(self, req: Packet) -> Packet | None:
        mac = req[Ether].src
        if isinstance(self.pool, list):
            if mac not in self.leases:
                if not self.pool:
                    return None  # the pool is empty (Scapy 2.8: no answer)
                self.leases[mac] = self.pool.pop()
            ip = self.leases[mac]
        else:
            ip = self.pool
        repb = req[BOOTP].copy()
        repb.op = "BOOTREPLY"
        repb.yiaddr = ip
        repb.siaddr = self.gw
        repb.ciaddr = self.gw
        repb.giaddr = self.gw
        repb.remove_payload()
        udp = req[UDP]
        reply: Packet = Ether(dst=mac) / IP(dst=ip) / UDP(sport=udp.dport, dport=udp.sport) / repb
        return reply


class DHCP_am(BOOTP_am):
    """A DHCP server (``dhcpd``, Scapy's ``DHCP_am``): :class:`BOOTP_am`'s reply with DHCP
    options: a discover gets an offer, a request an ack (other types are echoed)."""

    function_name = "dhcpd"

    def make_reply(self, req: Packet) -> Packet | None:
        resp = BOOTP_am.make_reply(self, req)
        if resp is None or DHCP not in req:
            return resp
        options: list[Any] = [
            (op[0], {1: 2, 3: 5}.get(op[1], op[1]))
            for op in req[DHCP].options
            if isinstance(op, tuple) and op[0] == "message-type"
        ]
        options += [x for x in (
            ("server_id", self.gw),
            ("domain", self.domain),
            ("router", self.gw),
            ("name_server", *self.nameserver),
            ("broadcast_address", self.broadcast),
            ("subnet_mask", self.netmask),
            ("renewal_time", self.renewal_time),
            ("lease_time", self.lease_time),
        ) if x[1] is not None]
        if self.kwargs:
            options += self.kwargs.items()
        options.append("end")
        return resp / DHCP(options=options)


def bootpd(*args: Any, **kwargs: Any) -> None:
    """Run a :class:`BOOTP_am` (Scapy's ``bootpd``)."""
    BOOTP_am(*args, **kwargs)()


def dhcpd(*args: Any, **kwargs: Any) -> None:
    """Run a :class:`DHCP_am` (Scapy's ``dhcpd``)."""
    DHCP_am(*args, **kwargs)()
