"""PFLog (OpenBSD pf's log header, pcap link type 117) against Scapy 2.8: the bytes built, the
fields and ``show()`` of the bytes dissected, the bindings by address family, pcap files, and
``direction`` as a field name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
from scapy.layers import pflog as spflog  # noqa: E402

from paquet import IP, TCP, UDP, IPv6, PFLog, rdpcap, wrpcap  # noqa: E402


def _cases(ip: Any, ip6: Any, tcp: Any, udp: Any, pf: Any) -> list[Any]:
    return [
        pf(),
        pf(iface=b"vio0", ruleset=b"anchor", rulenumber=-1, subrulenumber=7, uid=-2,
           pid=1234, ruleuid=5, rulepid=6, direction=2, rewritten=1, action=0, reason=3),
        pf(saddr="192.0.2.7", daddr="198.51.100.9", sport=1024, dport=80),
        pf(addrfamily=24, saddr="2001:db8::1", daddr="2001:db8::2"),
        pf() / ip(src="192.0.2.1", dst="192.0.2.2") / tcp(dport=23),
        pf() / ip6(src="2001:db8::1", dst="2001:db8::2") / udp(dport=53),
        pf(action="nat", reason="short", direction="in"),
    ]


def test_built_bytes_are_scapys() -> None:
    ours = _cases(IP, IPv6, TCP, UDP, PFLog)
    theirs = _cases(scapy_all.IP, scapy_all.IPv6, scapy_all.TCP, scapy_all.UDP, spflog.PFLog)
    for a, b in zip(ours, theirs, strict=True):
        assert bytes(a) == bytes(b), b.summary()


def test_dissection_and_show_are_scapys() -> None:
    theirs = _cases(scapy_all.IP, scapy_all.IPv6, scapy_all.TCP, scapy_all.UDP, spflog.PFLog)
    for b in theirs:
        data = bytes(b)
        ours, ref = PFLog(data), spflog.PFLog(data)
        assert [x.__name__ for x in ours.layers()] == [
            x.__name__ for x in ref.layers()]
        assert ours.show(dump=True) == ref.show(dump=True)
        assert ours.summary() == ref.summary()
        assert bytes(ours) == data
        for cut in (1, 20, 60, 99):  # a truncated header gives its bytes back
            assert bytes(PFLog(data[:cut])) == data[:cut]


def test_binding_by_address_family() -> None:
    p = PFLog(bytes(PFLog() / IPv6(dst="2001:db8::2")))
    assert p.addrfamily == 24 and p[IPv6].dst == "2001:db8::2"
    assert bytes(PFLog() / IPv6()) == bytes(spflog.PFLog() / scapy_all.IPv6())


def test_pcap_link_type_117(tmp_path: Path) -> None:
    pkt = PFLog(iface=b"em0") / IP(src="192.0.2.1", dst="192.0.2.2") / TCP(dport=22)
    path = tmp_path / "pflog.pcap"
    wrpcap(str(path), [pkt])
    assert path.read_bytes()[20:24] == (117).to_bytes(4, "little")
    back = rdpcap(str(path))[0]
    assert isinstance(back, PFLog) and back[TCP].dport == 22
    ref = scapy_all.rdpcap(str(path))[0]
    assert isinstance(ref, spflog.PFLog) and bytes(ref) == bytes(back)


def test_direction_is_the_field_on_pflog_and_metadata_elsewhere() -> None:
    p = PFLog(direction="out")
    assert p.direction == 2 and p.getfieldval("direction") == 2
    assert spflog.PFLog(direction="out").getfieldval("direction") == 2
    p.direction = 1
    assert bytes(p)[60] == 1
    assert PFLog(bytes(p)).direction == 1
    ip = IP()
    assert ip.direction is None
    ip.direction = 2  # the capture metadata (pcapng's flags), as Scapy's attribute
    assert ip.direction == 2 and ip.fields == IP().fields
