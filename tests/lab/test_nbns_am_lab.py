"""NBNS_am on a real link, the Responder exercise: the server node runs ``NBNS_am`` (every
name, or one name), the client node broadcasts NetBIOS name queries from a plain UDP socket
(as Windows does when DNS did not resolve a name) and takes the first answer. Documentation
addresses only; the lab's namespaces are removed whatever happens, the machine's process is
stopped by its own id."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from pair_lab import CLIENT4, lab_of, machines_program, pair_topology, program_running

pytestmark = pytest.mark.privileged

BROADCAST = "192.0.2.255"
POISON, FILESRV = "203.0.113.66", "198.51.100.20"

SERVER = machines_program("""[
    m.NBNS_am(server_name="FILESRV", ip="198.51.100.20", iface=iface, verbose=0),
    m.NBNS_am(ip="203.0.113.66", iface=iface, verbose=0),
]""")
# (the first answers FILESRV only, the second every name: FILESRV gets two answers)


@pytest.fixture(scope="module")
def lab() -> Iterator[Any]:
    with lab_of(pair_topology("nbnsam")) as lab:
        yield lab


@pytest.fixture(scope="module")
def machine(lab: Any) -> Iterator[Any]:
    server = lab["server"]
    with program_running(server, SERVER, server.iface("client"), what="the machine") as proc:
        yield proc


def _ask(iface_addr: str, name: str, trn: int, expected: int) -> list[bytes]:
    """In the client: a broadcast name query (sent again while ``expected`` answers have
    not come); the answers to it (by transaction id), as soon as there are enough."""
    from paquet.layers.netbios import NBNSHeader, NBNSQueryRequest

    query = bytes(NBNSHeader(NAME_TRN_ID=trn) / NBNSQueryRequest(QUESTION_NAME=name))
    answers: list[bytes] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.bind((iface_addr, 0))
        s.settimeout(2)
        for _ in range(3):
            s.sendto(query, (BROADCAST, 137))
            try:
                while len(answers) < expected:
                    data, src = s.recvfrom(2048)
                    if data[:2] == trn.to_bytes(2, "big") and src[1] == 137 \
                            and data not in answers:  # (one answer of each machine)
                        answers.append(data)
            except TimeoutError:
                continue
            return answers
    raise AssertionError(f"{len(answers)} NBNS answers, {expected} expected")


def _address(data: bytes, trn: int, name: bytes) -> str:
    """The address an answer gives, checked to answer ``name`` (read by Scapy too)."""
    from paquet.layers.netbios import NBNSHeader, NBNSQueryResponse

    msg = NBNSHeader(data)
    assert trn == msg.NAME_TRN_ID and msg.RESPONSE == 1 and msg.ANCOUNT == 1
    answer = msg[NBNSQueryResponse]
    assert name == answer.RR_NAME and len(answer.ADDR_ENTRY) == 1
    address = str(answer.ADDR_ENTRY[0].NB_ADDRESS)
    scapy = pytest.importorskip("scapy.all")
    theirs = scapy.NBNSHeader(data)[scapy.NBNSQueryResponse]
    assert (name, address) == (theirs.RR_NAME, theirs.ADDR_ENTRY[0].NB_ADDRESS)
    return address


def test_any_name_is_poisoned(lab: Any, machine: Any) -> None:
    answers = lab["client"].run_for(30, _ask, CLIENT4, "WPAD", 0x5701, 1)
    assert [_address(a, 0x5701, b"WPAD") for a in answers] == [POISON]


def test_the_named_server_answers_its_name(lab: Any, machine: Any) -> None:
    answers = lab["client"].run_for(30, _ask, CLIENT4, "FILESRV", 0x5702, 2)
    assert sorted(_address(a, 0x5702, b"FILESRV") for a in answers) == sorted(
        [FILESRV, POISON])
