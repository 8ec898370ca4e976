"""NBNS_am against Scapy's: the same frames (built by Scapy, dissected from the same bytes,
as a sniffer gives them) given to both machines, for each form of their parameters, get the
same answer or none: ``is_request``, then the reply's bytes. Offline: nothing is sent (the
interface address the machines read when no ``ip`` is given is loopback's)."""

from __future__ import annotations

from typing import Any

import pytest

from paquet.layers import Ether
from paquet.net.nbns_am import NBNS_am

scapy = pytest.importorskip("scapy.all")

ASKER = "02:00:00:00:00:01"


pytestmark = pytest.mark.usefixtures("loopback_iface")


def _frame(name: str = "FILESRV", src: str = "198.51.100.7", dst: str = "ff:ff:ff:ff:ff:ff",
           kind: str = "query", trn: int = 0x4242, suffix: int = 0x4341) -> bytes:
    s = scapy
    link = s.Ether(src=ASKER, dst=dst) / s.IP(src=src, dst="198.51.100.255") / s.UDP(
        sport=137, dport=137)
    if kind == "query":
        body = s.NBNSHeader(NAME_TRN_ID=trn) / s.NBNSQueryRequest(QUESTION_NAME=name,
                                                                   SUFFIX=suffix)
    elif kind == "status":
        body = s.NBNSHeader(NAME_TRN_ID=trn) / s.NBNSNodeStatusRequest()
    elif kind == "register":
        body = s.NBNSHeader(NAME_TRN_ID=trn) / s.NBNSRegistrationRequest(QUESTION_NAME=name)
    else:
        body = s.NBNSHeader(NAME_TRN_ID=trn, RESPONSE=1) / s.NBNSQueryResponse(RR_NAME=name)
    return bytes(link / body)


OPTIONS: list[dict[str, Any]] = [
    {},
    {"ip": "192.0.2.66"},
    {"server_name": "FILESRV", "ip": "192.0.2.66"},
    {"server_name": b"FILESRV", "ip": "203.0.113.5"},
    {"server_name": "OTHER", "ip": "192.0.2.66"},
    {"from_ip": "198.51.100.0/24", "ip": "192.0.2.66"},
    {"from_ip": "203.0.113.0/24", "ip": "192.0.2.66"},
    {"from_ip": "198.51.100.7", "server_name": "WPAD", "ip": "192.0.2.66"},
]

FRAMES = [
    _frame(),
    _frame(name="WPAD", trn=1),
    _frame(name="fileSRV"),
    _frame(src="203.0.113.9", name="WPAD"),
    _frame(dst="02:00:00:00:00:35", suffix=0x4141),
    _frame(kind="status"),
    _frame(kind="register", name="FILESRV"),
    _frame(kind="response"),
    _frame(name="ABCDEFGHIJKLMNO", trn=65535),
]


@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) for o in OPTIONS])
@pytest.mark.parametrize("frame", range(len(FRAMES)))
def test_same_reply_as_scapy(options: dict[str, Any], frame: int) -> None:
    data = FRAMES[frame]
    ours, theirs = NBNS_am(**options), scapy.NBNS_am(**options)
    mine, other = Ether(data), scapy.Ether(data)
    asked = ours.is_request(mine)
    assert asked == bool(theirs.is_request(other))
    if asked:
        assert bytes(ours.make_reply(mine)) == bytes(theirs.make_reply(other))


def test_reply_dissects_as_an_answer() -> None:
    am = NBNS_am(ip="192.0.2.66")
    query = Ether(FRAMES[0])
    reply = Ether(bytes(am.make_reply(query)))
    from paquet.layers.netbios import NBNSQueryRequest, NBNSQueryResponse

    assert reply[NBNSQueryResponse].answers(query[NBNSQueryRequest])
    from paquet.layers.netbios import NBNSHeader

    assert reply[NBNSHeader].hashret() == query[NBNSHeader].hashret()
    assert reply[NBNSQueryResponse].ADDR_ENTRY[0].NB_ADDRESS == "192.0.2.66"
