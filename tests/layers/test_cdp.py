"""CDP (CDPv2_HDR and its TLVs) and DTP: Scapy's bytes and dissection, tshark's reading of the
same frames, hostile input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paquet import (
    DTP,
    LLC,
    SNAP,
    CDPAddrRecordIPv4,
    CDPAddrRecordIPv6,
    CDPMsgAddr,
    CDPMsgCapabilities,
    CDPMsgDeviceID,
    CDPMsgDuplex,
    CDPMsgGeneric,
    CDPMsgNativeVLAN,
    CDPMsgPlatform,
    CDPMsgPortID,
    CDPMsgSoftwareVersion,
    CDPv2_HDR,
    Dot3,
    DTPDomain,
    DTPNeighbor,
    DTPStatus,
    DTPType,
    Ether,
)

from .scapy_compare import (
    Build,
    every_cut_round_trips,
    needs_tshark,
    paquet_namespace,
    scapy_namespace,
    tshark_layers,
    values,
)

A, CISCO = "02:00:00:00:00:01", "01:00:0c:cc:cc:cc"


def _cdp_frame(n: Any, *msgs: Any, **hdr: Any) -> Any:
    return n.Dot3(src=A, dst=CISCO) / n.LLC() / n.SNAP() / n.CDPv2_HDR(msg=list(msgs), **hdr)


CONSTRUCTIONS: list[tuple[str, Build]] = [
    ("header alone", lambda n: n.CDPv2_HDR()),
    ("header, ttl and version", lambda n: n.CDPv2_HDR(vers=1, ttl=10)),
    ("a checksum set by hand", lambda n: n.CDPv2_HDR(cksum=0x1234)),
    ("odd length", lambda n: n.CDPv2_HDR(msg=[n.CDPMsgDeviceID(val="R")])),
    ("odd length, last byte above 0x80", lambda n: n.CDPv2_HDR(msg=[n.CDPMsgDeviceID(
        val=b"\xf0")])),
    ("device id", lambda n: n.CDPMsgDeviceID(val="router-1")),
    ("generic", lambda n: n.CDPMsgGeneric(type=0x20, val=b"abc")),
    ("addresses", lambda n: n.CDPMsgAddr(addr=[n.CDPAddrRecordIPv4(addr="192.0.2.1"),
                                               n.CDPAddrRecordIPv6(addr="2001:db8::1")])),
    ("management address", lambda n: n.CDPMsgMgmtAddr(addr=[n.CDPAddrRecordIPv4()])),
    ("port id", lambda n: n.CDPMsgPortID(iface="GigabitEthernet0/1")),
    ("capabilities", lambda n: n.CDPMsgCapabilities(cap="Router+Switch+IGMPCapable")),
    ("software, platform", lambda n: n.CDPMsgSoftwareVersion(val="IOS") / n.CDPMsgPlatform(
        val="cisco")),
    ("native vlan, duplex", lambda n: n.CDPv2_HDR(msg=[n.CDPMsgNativeVLAN(vlan=99),
                                                       n.CDPMsgDuplex(duplex="Full")])),
    ("gateway, prefixes", lambda n: n.CDPv2_HDR(msg=[n.CDPMsgIPGateway(), n.CDPMsgIPPrefix(
        prefixes=[n.CDPIPPrefix(), n.CDPIPPrefix(prefix="198.51.100.0", plen=25)], len=14)])),
    ("VoIP, power, MTU, trust", lambda n: n.CDPv2_HDR(msg=[
        n.CDPMsgVoIPVLANReply(vlan=20), n.CDPMsgVoIPVLANQuery(unknown2=b"zz"),
        n.CDPMsgPower(power=1500), n.CDPMsgMTU(), n.CDPMsgTrustBitmap(trust_bitmap=1),
        n.CDPMsgUntrustedPortCoS(untrusted_port_cos=2), n.CDPMsgVTPMgmtDomain(val="dom"),
        n.CDPMsgProtoHello(data=b"hello")])),
    ("power request and available", lambda n: n.CDPv2_HDR(msg=[
        n.CDPMsgPowerRequest(req_id=1, power_requested_list=[1000, 2000]),
        n.CDPMsgPowerAvailable(mgmt_id=2, power_available_list=[15400])])),
    ("a whole frame", lambda n: _cdp_frame(
        n, n.CDPMsgDeviceID(val="R1"), n.CDPMsgSoftwareVersion(val="IOS 15"),
        n.CDPMsgPlatform(val="cisco 2911"),
        n.CDPMsgAddr(addr=[n.CDPAddrRecordIPv4(addr="192.0.2.1")]),
        n.CDPMsgPortID(iface="Gi0/1"), n.CDPMsgCapabilities(cap="Router+Switch"),
        n.CDPMsgNativeVLAN(vlan=10), n.CDPMsgDuplex(duplex=1))),
    ("DTP", lambda n: n.DTP(tlvlist=[n.DTPDomain(), n.DTPStatus(), n.DTPType(),
                                     n.DTPNeighbor(neighbor=A)])),
    ("a DTP frame", lambda n: n.Dot3(src=A, dst=CISCO) / n.LLC() / n.SNAP() / n.DTP(
        tlvlist=[n.DTPDomain(domain=b"lab"), n.DTPStatus(status=b"\x83"),
                 n.DTPType(dtptype=b"\xa5"), n.DTPNeighbor(neighbor=A)])),
]
IDS = [c[0] for c in CONSTRUCTIONS]


@pytest.fixture(scope="module")
def ns() -> tuple[Any, Any]:
    return paquet_namespace(), scapy_namespace()


@pytest.mark.parametrize(("what", "build"), CONSTRUCTIONS, ids=IDS)
def test_bytes_equal_scapy(ns: tuple[Any, Any], what: str, build: Build) -> None:
    assert bytes(build(ns[0])) == bytes(build(ns[1])), what


@pytest.mark.parametrize(("what", "build"), CONSTRUCTIONS, ids=IDS)
def test_dissection_equals_scapys(ns: tuple[Any, Any], what: str, build: Build) -> None:
    theirs_built = build(ns[1])
    data = bytes(theirs_built)
    name = type(theirs_built).__name__
    ours, theirs = getattr(ns[0], name)(data), getattr(ns[1], name)(data)
    assert bytes(ours) == data
    # (Scapy names an OUI's vendor from Wireshark's manuf file)
    assert repr(ours) == repr(theirs).replace("Cisco Systems, Inc (00:00:0c)", "00:00:0c"), what
    assert ours.summary() == theirs.summary()
    # (and shows an empty list of packets as an empty sub-tree, paquet's engine as "= []")
    empty = any(getattr(f, "islist", False) and getattr(f, "holds_packets", False)
                and not theirs.getfieldval(f.name) for f in theirs.fields_desc)
    if "SNAP" not in repr(theirs) and "Cisco Systems" not in repr(theirs) and not empty:
        assert ours.show(dump=True) == theirs.show(dump=True)


def _frames() -> list[bytes]:
    return [
        bytes(Dot3(src=A, dst=CISCO) / LLC() / SNAP() / CDPv2_HDR(msg=[
            CDPMsgDeviceID(val="R1"), CDPMsgSoftwareVersion(val="IOS 15"),
            CDPMsgPlatform(val="cisco 2911"),
            CDPMsgAddr(addr=[CDPAddrRecordIPv4(addr="192.0.2.1"),
                             CDPAddrRecordIPv6(addr="2001:db8::9")]),
            CDPMsgPortID(iface="Gi0/1"), CDPMsgCapabilities(cap="Router+Switch"),
            CDPMsgNativeVLAN(vlan=10), CDPMsgDuplex(duplex=1)])),
        bytes(Dot3(src=A, dst=CISCO) / LLC() / SNAP() / CDPv2_HDR(ttl=60, msg=[
            CDPMsgDeviceID(val="switch-odd"), CDPMsgGeneric(type=0x20, val=b"?")])),
        bytes(Dot3(src=A, dst=CISCO) / LLC() / SNAP() / DTP(tlvlist=[
            DTPDomain(domain=b"lab"), DTPStatus(status=b"\x83"), DTPType(),
            DTPNeighbor(neighbor=A)])),
    ]


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = _frames()
    trees = tshark_layers(tmp_path, frames)
    for tree, frame in zip(trees, frames, strict=True):
        pkt = Ether(frame)
        assert values(tree, "llc.oui") == [str(pkt[SNAP].OUI)]
        assert int(values(tree, "llc.cisco_pid")[0], 16) == pkt[SNAP].code
        if CDPv2_HDR in pkt:
            h = pkt[CDPv2_HDR]
            assert values(tree, "cdp.version") == [str(h.vers)]
            assert values(tree, "cdp.ttl") == [str(h.ttl)]
            assert int(values(tree, "cdp.checksum")[0], 16) == h.cksum
            assert values(tree, "cdp.checksum.status") == ["1"]  # good, as tshark checks it
            assert [int(t, 16) for t in values(tree, "cdp.tlv.type")] == [m.type for m in h.msg]
            assert [int(t) for t in values(tree, "cdp.tlv.len")] == [m.len for m in h.msg]
            for m in h.msg:
                if isinstance(m, CDPMsgDeviceID):
                    assert values(tree, "cdp.deviceid") == [m.val.decode()]
                elif isinstance(m, CDPMsgSoftwareVersion):
                    assert values(tree, "cdp.software_version") == [m.val.decode()]
                elif isinstance(m, CDPMsgPlatform):
                    assert values(tree, "cdp.platform") == [m.val.decode()]
                elif isinstance(m, CDPMsgPortID):
                    assert values(tree, "cdp.portid") == [m.iface.decode()]
                elif isinstance(m, CDPMsgCapabilities):
                    assert int(values(tree, "cdp.capabilities")[0], 16) == int(m.cap)
                elif isinstance(m, CDPMsgNativeVLAN):
                    assert values(tree, "cdp.native_vlan") == [str(m.vlan)]
                elif isinstance(m, CDPMsgDuplex):
                    assert values(tree, "cdp.duplex") == [str(m.duplex)]
                elif isinstance(m, CDPMsgAddr):
                    assert values(tree, "cdp.number_of_addresses") == [str(m.naddr)]
                    assert [int(v, 16) for v in values(tree, "cdp.protocol_type")] == [
                        a.ptype for a in m.addr]
                    assert values(tree, "cdp.nrgyz.ip_address") == [m.addr[0].addr]
        else:
            d = pkt[DTP]
            assert values(tree, "dtp.version") == [str(d.ver)]
            assert [int(t, 16) for t in values(tree, "dtp.tlv_type")] == [
                t.type for t in d.tlvlist]
            assert values(tree, "dtp.domain") == ["lab"]
            assert int(values(tree, "dtp.tas")[0], 16) == d[DTPStatus].status[0] & 0x07
            assert int(values(tree, "dtp.tat")[0], 16) == d[DTPType].dtptype[0] & 0x07
            assert values(tree, "dtp.senderid") == [d[DTPNeighbor].neighbor]


@pytest.mark.parametrize("index", range(3))
def test_every_cut_and_flip_round_trips(index: int) -> None:
    every_cut_round_trips(_frames()[index])


def test_hostile_tlvs() -> None:
    # Lengths of 0, 1, 3 (less than the TLV header), beyond the message, an address count
    # far beyond the records.
    for body in (b"\x00\x01\x00\x00", b"\x00\x01\x00\x01xyz", b"\x00\x02\x00\x03",
                 b"\x00\x01\xff\xffab", b"\x00\x02\x00\x10\xff\xff\xff\xff\x01\x01\xcc",
                 b"\x00\x07\x00\x08\x01", b"\x00\x0a\x00\x06"):
        frame = bytes(Dot3(src=A, dst=CISCO) / LLC() / SNAP() / CDPv2_HDR(cksum=0)) + body
        pkt = Ether(frame)
        assert bytes(pkt) == frame
        pkt.show(dump=True)
