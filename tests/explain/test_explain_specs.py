"""Explain specs: each protocol's explanation is registered for its layer class beside the
protocol (paquet.layers.specs); the walker asks the registry for each dissected layer, and a
layer without a spec is drawn from its field table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paquet.explainer import explain
from paquet.explainer.diagram import RULER
from paquet.layers import IP, TCP, UDP, IPv6
from paquet.layers.icmpv6 import ICMPv6EchoRequest, ICMPv6ND_NS
from paquet.layers.ipv4 import IPerror
from paquet.layers.specs import load_specs
from paquet.layers.specs.udp import UDP_SPEC
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.fields import BitField, ByteField, XShortField
from paquet.packet.spec import FieldSpec, LayerSpec, register_spec, spec_for, unregister_spec


class Tunnel(Packet):
    """A header of the test's own, registered with no explain spec."""

    name = "Tunnel"
    fields_desc = (
        BitField("version", 1, 4),
        BitField("flags", 0, 4),
        ByteField("kind", 7),
        XShortField("session", 0xBEEF),
        IPField("peer", "192.0.2.9"),
    )


@pytest.fixture
def tunnel() -> Iterator[type[Tunnel]]:
    registry.bind_layers(UDP, Tunnel, dport=47999)
    try:
        yield Tunnel
    finally:
        registry.split_layers(UDP, Tunnel)


def _pkt(upper: Packet) -> Packet:
    return IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1, dport=47999) / upper


def test_a_layer_without_spec_is_drawn_from_its_field_table(tunnel: type[Tunnel]) -> None:
    load_specs()
    assert spec_for(Tunnel) is None
    e = explain(_pkt(Tunnel() / b"abcd"), "en")
    assert [layer.name for layer in e.layers] == ["IPv4", "UDP", "Tunnel", "Data"]
    layer = e.layers[2]
    assert (layer.offset, layer.length, layer.rfc) == (28, 8, "")
    assert [(f.name, f.offset, f.bits) for f in layer.fields] == [
        ("version", 0, 4),
        ("flags", 4, 4),
        ("kind", 8, 8),
        ("session", 16, 16),
        ("peer", 32, 32),
    ]
    assert layer.field("session").shown == "0xbeef"
    assert layer.field("peer").shown == "192.0.2.9"
    assert e.layers[3].field("load").value == b"abcd"
    assert layer.diagram.startswith(RULER)
    rows = layer.diagram.splitlines()
    assert "session" in rows[3] and "0xbeef" in rows[4]
    assert "192.0.2.9" in layer.diagram
    assert "== Tunnel at byte 28, 8 bytes" in e.render()
    # The UDP checksum above it is still explained over the whole segment.
    assert e.layers[1].checksum is not None and e.layers[1].checksum.ok


def test_a_layer_without_spec_ends_before_its_payload(tunnel: type[Tunnel]) -> None:
    registry.bind_layers(Tunnel, TCP, kind=6)
    try:
        e = explain(_pkt(Tunnel(kind=6) / TCP()), "fr")
        assert [layer.name for layer in e.layers] == ["IPv4", "UDP", "Tunnel", "TCP"]
        assert (e.layers[2].length, e.layers[3].offset) == (8, 36)
    finally:
        registry.split_layers(Tunnel, TCP)


def test_an_existing_layer_whose_spec_is_unregistered() -> None:
    load_specs()
    pkt = IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=40000, dport=53) / b"hi"
    before = explain(pkt, "en")
    assert unregister_spec(UDP) is UDP_SPEC
    try:
        e = explain(pkt, "en")
        udp = e.layers[1]
        assert udp.name == "UDP" and udp.rfc == "" and udp.checksum is None
        assert [(f.name, f.offset, f.bits, f.value) for f in udp.fields] == [
            ("sport", 0, 16, 40000),
            ("dport", 16, 16, 53),
            ("len", 32, 16, 10),
            ("chksum", 48, 16, before.layers[1].field("chksum").value),
        ]
        assert udp.field("dport").shown == "domain"  # the field's own display
        assert e.layers[2].name == "Data" and e.layers[2].offset == 28
    finally:
        register_spec(UDP, UDP_SPEC)
    assert explain(pkt, "en") == before


def test_specs_are_found_through_the_class_hierarchy() -> None:
    load_specs()
    assert spec_for(IPerror) is spec_for(IP)
    assert spec_for(ICMPv6ND_NS) is spec_for(ICMPv6EchoRequest)
    assert spec_for(IPv6) is not None and spec_for(IPv6) is not spec_for(IP)


def test_a_registered_table_only_spec(tunnel: type[Tunnel]) -> None:
    """A new protocol's spec may be a table alone: its name, RFC, fields and meanings."""
    spec = LayerSpec(
        "Tunnel",
        "RFC 0000",
        (
            FieldSpec("version", "Ver", 4, "version", "version"),
            FieldSpec("flags", "Flags", 4, "drapeaux", "flags"),
            FieldSpec("kind", "Kind", 8, "genre", "kind"),
            FieldSpec("session", "Session", 16, "session", "session", lambda v: f"0x{v:04x}"),
        ),
    )
    register_spec(Tunnel, spec)
    try:
        e = explain(_pkt(Tunnel()), "fr")
        layer = e.layers[2]
        assert (layer.name, layer.rfc, layer.length) == ("Tunnel", "RFC 0000", 4)
        assert [f.meaning for f in layer.fields] == ["version", "drapeaux", "genre", "session"]
        assert layer.field("session").shown == "0xbeef"
        assert "== Tunnel (RFC 0000) à l'octet 28, en-tête de 4 octets" in e.render()
    finally:
        unregister_spec(Tunnel)


def test_variable_fields_of_a_layer_without_spec() -> None:
    """TCP's options (a field of variable size) up to where dissection puts the payload."""
    load_specs()
    pkt = IP(src="192.0.2.1", dst="192.0.2.2") / TCP(options=[("MSS", 1460)]) / b"data"
    spec = unregister_spec(TCP)
    assert spec is not None
    try:
        e = explain(pkt, "en")
        tcp = e.layers[1]
        assert (tcp.name, tcp.offset, tcp.length) == ("TCP", 20, 24)
        options = tcp.field("options")
        assert (options.offset, options.bits, options.value) == (160, 32, b"\x02\x04\x05\xb4")
        assert e.layers[2].offset == 44 and e.layers[2].field("load").value == b"data"
    finally:
        register_spec(TCP, spec)
