"""LLDP (LLDPDU and its TLVs): Scapy's bytes and dissection, tshark's reading of the same
frames, strict mode, hostile input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paquet import (
    Dot1Q,
    Ether,
    LLDPDUChassisID,
    LLDPDUEndOfLLDPDU,
    LLDPDUGenericOrganisationSpecific,
    LLDPDUManagementAddress,
    LLDPDUPortDescription,
    LLDPDUPortID,
    LLDPDUSystemCapabilities,
    LLDPDUSystemDescription,
    LLDPDUSystemName,
    LLDPDUTimeToLive,
    LLDPInvalidLengthField,
    LLDPMissingLowerLayer,
    conf,
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

A, LLDP_MAC = "02:00:00:00:00:01", "01:80:c2:00:00:0e"


def _frame(n: Any, *tlvs: Any, tagged: bool = False) -> Any:
    pkt = n.Ether(src=A, dst=LLDP_MAC)
    if tagged:
        pkt = pkt / n.Dot1Q(vlan=5)
    for t in tlvs:
        pkt = pkt / t
    return pkt


def _basic(n: Any) -> list[Any]:
    return [n.LLDPDUChassisID(subtype=4, id=A), n.LLDPDUPortID(subtype=5, id="eth0"),
            n.LLDPDUTimeToLive(ttl=120)]


CONSTRUCTIONS: list[tuple[str, Build]] = [
    ("the smallest frame, padded to 60", lambda n: _frame(n, *_basic(n),
                                                         n.LLDPDUEndOfLLDPDU())),
    ("under an 802.1Q tag", lambda n: _frame(n, *_basic(n), n.LLDPDUEndOfLLDPDU(),
                                             tagged=True)),
    ("every standard TLV", lambda n: _frame(
        n, *_basic(n), n.LLDPDUPortDescription(description="uplink"),
        n.LLDPDUSystemName(system_name="sw1"),
        n.LLDPDUSystemDescription(description="Linux 6.1 bridge"),
        n.LLDPDUSystemCapabilities(mac_bridge_available=1, mac_bridge_enabled=1,
                                   router_available=1, telephone_available=1),
        n.LLDPDUManagementAddress(management_address_subtype=1,
                                  management_address=b"\xc0\x00\x02\x01",
                                  interface_numbering_subtype=2, interface_number=3,
                                  object_id=b"\x2b\x06"),
        n.LLDPDUGenericOrganisationSpecific(org_code=0x0080C2, subtype=1, data=b"\x00\x0a"),
        n.LLDPDUEndOfLLDPDU())),
    ("network addresses as ids", lambda n: _frame(
        n, n.LLDPDUChassisID(subtype=5, family=1, id="192.0.2.7"),
        n.LLDPDUPortID(subtype=4, family=2, id="2001:db8::7"), n.LLDPDUTimeToLive(),
        n.LLDPDUEndOfLLDPDU())),
    ("other ids", lambda n: _frame(
        n, n.LLDPDUChassisID(subtype=7, id=b"\x00\x07\xab"),
        n.LLDPDUPortID(subtype=3, id="aa:bb:cc:dd:ee:ff"), n.LLDPDUTimeToLive(ttl=0),
        n.LLDPDUEndOfLLDPDU())),
    ("long frame, no padding", lambda n: _frame(
        n, *_basic(n), n.LLDPDUSystemDescription(description="x" * 300),
        n.LLDPDUEndOfLLDPDU())),
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
    data = bytes(build(ns[1]))
    ours, theirs = ns[0].Ether(data), ns[1].Ether(data)
    assert bytes(ours) == data
    assert repr(ours) == repr(theirs), what
    assert ours.summary() == theirs.summary()
    assert ours.show(dump=True) == theirs.show(dump=True)


def test_strict_mode_when_building() -> None:
    contrib = conf.contribs["LLDP"]
    assert contrib.strict_mode()
    with pytest.raises(LLDPInvalidLengthField):
        bytes(Ether() / LLDPDUChassisID() / LLDPDUPortID(id="1") / LLDPDUTimeToLive())
    with pytest.raises(LLDPInvalidLengthField):
        bytes(Ether() / LLDPDUChassisID(id="c") / LLDPDUPortID(id="1") / LLDPDUTimeToLive()
              / LLDPDUEndOfLLDPDU(_length=8))
    with pytest.raises(LLDPInvalidLengthField):
        bytes(Ether() / LLDPDUChassisID(id="c") / LLDPDUManagementAddress())
    with pytest.raises(LLDPMissingLowerLayer):
        bytes(LLDPDUTimeToLive())
    contrib.strict_mode_disable()
    try:
        assert bytes(LLDPDUTimeToLive()) == b"\x06\x02\x00\x14"
        bytes(Ether() / LLDPDUChassisID() / LLDPDUEndOfLLDPDU(_length=8))
    finally:
        contrib.strict_mode_enable()


def test_a_badly_ordered_frame_is_dissected_and_reported() -> None:
    frame = bytes(Ether(src=A, dst=LLDP_MAC) / LLDPDUPortID(subtype=5, id="e")
                  / LLDPDUChassisID(subtype=7, id="c") / LLDPDUTimeToLive()
                  / LLDPDUEndOfLLDPDU())
    pkt = Ether(frame)
    assert bytes(pkt) == frame
    assert pkt[LLDPDUPortID].id == b"e"
    assert "chassis id" in str(pkt.payload.errors[0])


def _frames() -> list[bytes]:
    p = paquet_namespace()
    return [bytes(build(p)) for _, build in CONSTRUCTIONS]


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = _frames()
    trees = tshark_layers(tmp_path, frames)
    for tree, frame in zip(trees, frames, strict=True):
        pkt = Ether(frame)
        tlvs = []
        layer = pkt[Dot1Q].payload if Dot1Q in pkt else pkt.payload
        layer = layer.payload  # (the LLDPDU layer of its own, then the TLVs)
        while layer.__class__.__name__.startswith("LLDPDU"):
            tlvs.append(layer)
            layer = layer.payload
        assert [int(v) for v in values(tree, "lldp.tlv.type")] == [t._type for t in tlvs]
        assert [int(v) for v in values(tree, "lldp.tlv.len")] == [t._length for t in tlvs]
        for t in tlvs:
            if isinstance(t, LLDPDUChassisID):
                assert values(tree, "lldp.chassis.subtype") == [str(t.subtype)]
                if t.subtype == 4:
                    assert values(tree, "lldp.chassis.id.mac") == [t.id]
                elif t.subtype == 5:
                    assert values(tree, "lldp.chassis.id.ip4") == [t.id]
                else:
                    assert values(tree, "lldp.chassis.id") == [t.id.hex(":")]
            elif isinstance(t, LLDPDUPortID):
                assert values(tree, "lldp.port.subtype") == [str(t.subtype)]
                if t.subtype == 5:
                    assert values(tree, "lldp.port.id") == [t.id.decode()]
                elif t.subtype == 3:
                    assert values(tree, "lldp.port.id.mac") == [t.id]
                elif t.subtype == 4:
                    assert values(tree, "lldp.port.id.ip6") == [t.id]
            elif isinstance(t, LLDPDUTimeToLive):
                assert values(tree, "lldp.time_to_live") == [str(t.ttl)]
            elif isinstance(t, LLDPDUPortDescription):
                assert values(tree, "lldp.port.desc") == [t.description.decode()]
            elif isinstance(t, LLDPDUSystemName):
                assert values(tree, "lldp.tlv.system.name") == [t.system_name.decode()]
            elif isinstance(t, LLDPDUSystemDescription):
                assert values(tree, "lldp.tlv.system.desc") == [t.description.decode()]
            elif isinstance(t, LLDPDUSystemCapabilities):
                raw = bytes(t)[2:]
                assert int(values(tree, "lldp.tlv.system_cap")[0], 16) == int.from_bytes(
                    raw[:2], "big")
                assert int(values(tree, "lldp.tlv.enable_system_cap")[0], 16) == \
                    int.from_bytes(raw[2:4], "big")
            elif isinstance(t, LLDPDUManagementAddress):
                assert values(tree, "lldp.mgn.address.subtype") == [
                    str(t.management_address_subtype)]
                assert values(tree, "lldp.mgn.addr.ip4") == ["192.0.2.1"]
                assert values(tree, "lldp.mgn.interface.subtype") == [
                    str(t.interface_numbering_subtype)]
                assert values(tree, "lldp.mgn.interface.number") == [str(t.interface_number)]
                assert values(tree, "lldp.mgn.obj.len") == [str(t._oid_string_length)]
            elif isinstance(t, LLDPDUGenericOrganisationSpecific):
                assert values(tree, "lldp.orgtlv.oui") == [str(t.org_code)]
                assert int(values(tree, "lldp.ieee.802_1.subtype")[0], 16) == t.subtype


@pytest.mark.parametrize("index", [0, 2, 3])
def test_every_cut_and_flip_round_trips(index: int) -> None:
    every_cut_round_trips(_frames()[index])


def test_hostile_tlvs() -> None:
    head = bytes(Ether(src=A, dst=LLDP_MAC, type=0x88CC))
    for body in (b"\x02", b"\x02\xff\x04", b"\xfe\x01\x00", b"\x10\x00", b"\x02\x00\x02\x00",
                 b"\x11\xff" + b"\x00" * 3, b"\x00\x05abc", b"\x0e\x04\x00"):
        frame = head + body
        pkt = Ether(frame)
        assert bytes(pkt) == frame
        pkt.show(dump=True)
