"""rfc(): headers drawn as the RFCs draw them, against Scapy's drawing of the same layers."""

from __future__ import annotations

from typing import Any

import pytest
import scapy.all as sa

import paquet

SAME = ["IP", "UDP", "TCP", "Ether", "IPv6", "Dot1Q", "IPv6ExtHdrFragment", "ICMPv6ND_NS",
        "VXLAN", "Raw", "ICMPv6EchoRequest"]


@pytest.mark.parametrize("name", SAME)
@pytest.mark.parametrize("legend", [True, False])
def test_rfc_is_scapys(name: str, legend: bool) -> None:
    ours = paquet.rfc(getattr(paquet, name), ret=True, legend=legend)
    assert ours == sa.rfc(getattr(sa, name), ret=True, legend=legend)


def test_rfc_prints_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert paquet.rfc(paquet.UDP) is None
    assert capsys.readouterr().out == paquet.rfc(paquet.UDP, ret=True) + "\n"


# Layers whose drawing differs from Scapy's, and why (everything else must be equal).
DIFFERENT = {
    "SNMP": "Scapy's rfc() raises on ASN.1 fields; paquet draws them 16 bits wide",
    "ICMP": "the layer's extpad is a StrField (Scapy: a zero-width trailer field)",
    "ICMPerror": "as ICMP",
    "ICMPv6DestUnreach": "the layer's extpad is a StrField (Scapy: a zero-width trailer field)",
    "ICMPv6TimeExceeded": "as ICMPv6DestUnreach",
}


def test_rfc_of_every_layer_both_have_is_scapys() -> None:
    from paquet.packet.registry import layer_classes

    compared = []
    for cls in layer_classes():
        theirs = getattr(sa, cls.__name__, None)
        if not isinstance(theirs, type) or cls.__name__ in DIFFERENT:
            continue
        assert paquet.rfc(cls, ret=True) == sa.rfc(theirs, ret=True), cls.__name__
        compared.append(cls.__name__)
    # ARP's addresses are MultipleTypeFields in Scapy, drawn 16 bits wide; EAP_TTLS has bit
    # fields after a byte and a conditional length.
    assert {"ARP", "EAP_TTLS", "Dot11", "Loopback", "RadioTap"} <= set(compared)
    assert len(compared) > 200


def test_rfc_draws_a_field_of_no_width_as_scapy() -> None:
    # Scapy draws a zero-width field as its label less its last letter, without a box.
    def fields(ns: object) -> list[object]:
        return [ns.ByteField("kind", 0), ns.StrFixedLenField("nothing", b"", 0),  # type: ignore
                ns.ByteField("after", 0)]  # type: ignore[attr-defined]

    ours = type("ZeroWidth", (paquet.Packet,), {"fields_desc": fields(paquet)})
    theirs = type("ZeroWidth", (sa.Packet,), {"fields_desc": fields(sa)})
    assert paquet.rfc(ours, ret=True) == sa.rfc(theirs, ret=True)


def test_rfc_wants_a_layer_class() -> None:
    with pytest.raises(TypeError, match="Packet class expected"):
        paquet.rfc(paquet.IP())  # type: ignore[arg-type]


def test_rfc_draws_the_padding_of_padded_fields_as_scapy() -> None:
    def fields(ns: object) -> list[object]:
        n: Any = ns
        return [n.ShortField("a", 0), n.ByteField("b", 0), n.PadField(n.ByteField("c", 1), 8),
                n.PadField(n.ShortField("d", 0), 4), n.PadField(n.IntField("e", 0), 16),
                n.ByteField("f", 0), n.PadField(n.ByteField("g", 0), 8), n.ShortField("h", 0)]

    ours = type("Padded", (paquet.Packet,), {"fields_desc": fields(paquet)})
    theirs = type("Padded", (sa.Packet,), {"fields_desc": fields(sa)})
    assert paquet.rfc(ours, ret=True) == sa.rfc(theirs, ret=True)
    assert "padding" in paquet.rfc(ours, ret=True)
