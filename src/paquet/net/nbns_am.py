"""The NetBIOS name service answering machine (Scapy 2.8's ``NBNS_am``, ``nbnsd``).

It answers NetBIOS name queries (UDP port 137) with an address of its choice: the
"Responder" poisoning exercise of security courses, where a Windows host that could not
resolve a name by DNS asks the link, and the first answer wins. ``server_name`` the name it
answers for (every name when empty), ``from_ip`` the askers it answers (an address or a
network), ``ip`` the address it gives (default: the sniffing interface's).

>>> am = NBNS_am(server_name="FILESRV", ip="192.0.2.66")
>>> q = Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff") / IP(
...     src="198.51.100.7", dst="198.51.100.255") / UDP(sport=137, dport=137) / NBNSHeader(
...     NAME_TRN_ID=9) / NBNSQueryRequest(QUESTION_NAME="FILESRV")
>>> am.is_request(q)
True
>>> r = am.make_reply(q)
>>> r[IP].dst, r[NBNSHeader].NAME_TRN_ID, r.ADDR_ENTRY[0].NB_ADDRESS
('198.51.100.7', 9, '192.0.2.66')
"""

from __future__ import annotations

from typing import Any

from paquet.generators import Net
from paquet.layers import IP, UDP, Ether
from paquet.layers.netbios import NBNS_ADD_ENTRY, NBNSHeader, NBNSQueryRequest, NBNSQueryResponse
from paquet.net.answering import AnsweringMachine
from paquet.packet.base import Packet

__all__ = ["NBNS_am", "nbnsd"]


class NBNS_am(AnsweringMachine):
    """A NetBIOS name server for exercises (``nbnsd``, Scapy's ``NBNS_am``): answers the
    name queries for ``server_name`` (any name when empty) from ``from_ip`` with ``ip``.

    >>> NBNS_am(server_name="x").ServerName
    b'x'
    """

    function_name = "nbnsd"
    filter = "udp port 137"

    def parse_options(self, server_name: Any = None, from_ip: Any = None,
                      ip: str | None = None) -> None:
        """``server_name`` the NetBIOS name to answer for (all when empty), ``from_ip`` an
        address or network the askers must be in, ``ip`` the address to answer with."""
        name = server_name or ""
        self.ServerName = name.encode() if isinstance(name, str) else bytes(name)
        self.ip = ip
        self.from_ip = Net(from_ip) if isinstance(from_ip, str) else from_ip

    def is_request(self, req: Packet) -> bool:
        """A name query (for ``server_name`` when one is set) from an allowed asker."""
        if self.from_ip and IP in req and req[IP].src not in self.from_ip:
            return False
        if NBNSQueryRequest not in req:
            return False
        return not self.ServerName or (
            req[NBNSQueryRequest].QUESTION_NAME.strip() == self.ServerName)

    def make_reply(self, req: Packet) -> Packet:
        """The positive name query response, to the asker, with the query's transaction
        id and suffix."""
        from paquet.net.conf import conf
        from paquet.net.interfaces import get_if_addr

        eth = req[Ether]
        resp = Ether(dst=eth.src, src=None if eth.dst == "ff:ff:ff:ff:ff:ff" else eth.dst) / IP(
            dst=req[IP].src) / UDP(sport=req[UDP].dport, dport=req[UDP].sport)
        address = self.ip or get_if_addr(self.optsniff.get("iface", conf.iface))
        query = req[NBNSQueryRequest]
        resp = resp / NBNSHeader(NAME_TRN_ID=req[NBNSHeader].NAME_TRN_ID) / NBNSQueryResponse(
            RR_NAME=self.ServerName or query.QUESTION_NAME, SUFFIX=query.SUFFIX,
            ADDR_ENTRY=[NBNS_ADD_ENTRY(NB_ADDRESS=address)])
        return resp


def nbnsd(*args: Any, **kwargs: Any) -> None:
    """Run :class:`NBNS_am` in the foreground (Scapy's ``nbnsd``)."""
    NBNS_am(*args, **kwargs)()
