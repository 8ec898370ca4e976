"""Three of Scapy's habits around fields, compared with Scapy side by side: a layer class's
field is reachable as a class attribute (``TCP.sport``), ``conf.noenum`` shows numbers instead
of names, and several frame check sequences in one layer sit after the payload in Scapy's
order (the first one last)."""

from __future__ import annotations

from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

import paquet  # noqa: E402


@pytest.mark.parametrize(("layer", "field"), [("TCP", "sport"), ("IP", "ttl"), ("UDP", "dport"),
                                              ("Ether", "type"), ("ICMP", "type")])
def test_a_layers_field_is_a_class_attribute(layer: str, field: str) -> None:
    ours = getattr(getattr(paquet, layer), field)
    theirs = getattr(getattr(scapy_all, layer), field)
    assert ours.name == theirs.name == field
    assert type(ours).__name__ == type(theirs).__name__
    with pytest.raises(AttributeError):
        getattr(paquet, layer).no_such_field  # noqa: B018


def _shown(ns: Any) -> str:
    pkt = ns.IP(proto=6) / ns.TCP(sport=53, dport=80) / ns.ICMP(type=8)
    return str(pkt.show(dump=True)) + repr(pkt)


def test_noenum_shows_numbers_as_scapy() -> None:
    before = _shown(paquet)
    assert before == _shown(scapy_all)
    for ns in (paquet, scapy_all):
        ns.conf.noenum.add(ns.TCP.sport, ns.TCP.dport, ns.IP.proto, ns.ICMP.type)
    try:
        after = _shown(paquet)
        assert after == _shown(scapy_all)
        assert after != before and "dport     = 80" in after
        assert paquet.TCP.dport in paquet.conf.noenum
    finally:
        for ns in (paquet, scapy_all):
            ns.conf.noenum.remove(ns.TCP.sport, ns.TCP.dport, ns.IP.proto, ns.ICMP.type)
    assert _shown(paquet) == before


def _two_fcs(ns: Any) -> Any:
    class TwoFCS(ns.Packet):  # type: ignore[misc, name-defined]
        name = "TwoFCS"
        fields_desc = [  # noqa: RUF012  (Scapy's layers write a list)
            ns.ByteField("a", 0), ns.LEShortField("b", 15), ns.FCSField("fcs1", None),
            ns.LEIntField("c", 7), ns.FCSField("fcs2", None), ns.IntField("bottom", 0),
        ]

    ns.bind_layers(TwoFCS, ns.Ether)
    return TwoFCS


@pytest.mark.parametrize(("f1", "f2"), [(0xBEEF, 0xFEED), (1, 2), (0, 0xFFFF)])
def test_several_frame_check_sequences_as_scapy(f1: int, f2: int) -> None:
    ours, theirs = _two_fcs(paquet), _two_fcs(scapy_all)

    def frame(ns: Any, cls: Any) -> Any:
        return (cls(a=12, fcs1=f1, fcs2=f2, bottom=123)
                / ns.Ether(src="aa:aa:aa:aa:aa:aa", dst="bb:bb:bb:bb:bb:bb")
                / ns.IP(src="192.0.2.1", dst="192.0.2.2"))

    raw = bytes(frame(paquet, ours))
    assert raw == bytes(frame(scapy_all, theirs))
    back, ref = ours(raw), theirs(raw)
    assert (back.fcs1, back.fcs2, back.bottom, back.a) == (ref.fcs1, ref.fcs2, ref.bottom, ref.a)
    assert back[paquet.IP].dst == "192.0.2.2"
    assert bytes(back) == raw
