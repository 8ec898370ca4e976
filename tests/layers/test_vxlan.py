"""VXLAN (RFC 7348): the same bytes as Scapy, the same dissection as tshark, truncations kept.

The layer is one file (``paquet/layers/vxlan.py``), found by ``paquet.layers`` like any other;
nothing else was edited to add it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scapy.fields import ConditionalField
from scapy.layers import inet as sinet
from scapy.layers import inet6 as sinet6
from scapy.layers import l2 as sl2
from scapy.layers import vxlan as svxlan
from scapy.packet import Packet as SPacket

from paquet.layers import IP, UDP, Ether, IPv6, Raw
from paquet.layers.vxlan import VXLAN
from paquet.packet import Packet, registry

from .scapy_compare import needs_tshark, tshark_pairs, values

MAC_A, MAC_B = "02:00:00:00:00:01", "02:00:00:00:00:02"
MAC_C, MAC_D = "02:00:00:00:0a:01", "02:00:00:00:0a:02"
OUTER = {"src": "192.0.2.1", "dst": "192.0.2.2"}
INNER = {"src": "198.51.100.1", "dst": "198.51.100.2"}


def _stack(lib: str, spec: list[tuple[str, dict[str, Any]]]) -> Any:
    """The same stack of layers built with paquet (``"p"``) or Scapy (``"s"``)."""
    classes: dict[str, dict[str, Any]] = {
        "p": {"Ether": Ether, "IP": IP, "IPv6": IPv6, "UDP": UDP, "VXLAN": VXLAN},
        "s": {"Ether": sl2.Ether, "IP": sinet.IP, "IPv6": sinet6.IPv6, "UDP": sinet.UDP,
              "VXLAN": svxlan.VXLAN},
    }
    pkt = None
    for name, fields in spec:
        layer = classes[lib][name](**fields)
        pkt = layer if pkt is None else pkt / layer
    return pkt


ETHER = ("Ether", {"src": MAC_C, "dst": MAC_D})
UNDERLAY = [("Ether", {"src": MAC_A, "dst": MAC_B}), ("IP", OUTER)]

# (description, the stack): every construction is built by both libraries and compared.
CONSTRUCTIONS: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
    ("defaults: the I flag, VNI 0", [("VXLAN", {})]),
    ("a VNI", [("VXLAN", {"vni": 0xABCDEF})]),
    ("the largest VNI", [("VXLAN", {"vni": 0xFFFFFF, "reserved2": 0x7F})]),
    ("reserved bits set", [("VXLAN", {"reserved1": 0x123456, "reserved2": 1})]),
    ("no flag", [("VXLAN", {"flags": 0, "vni": 7})]),
    ("flags by name", [("VXLAN", {"flags": "Instance+OAM", "vni": 1})]),
    ("group policy", [("VXLAN", {"flags": "G+Instance", "gpflags": 0x48, "gpid": 513})]),
    ("GPE: next protocol IPv6", [("VXLAN", {"flags": 0x0C, "NextProtocol": 2, "vni": 9})]),
    ("GPE and group policy", [("VXLAN", {"flags": 0x8C, "reserved0": 3, "NextProtocol": 4,
                                         "gpflags": 8, "gpid": 0xFFFF, "vni": 5})]),
    ("an Ethernet payload sets P and NextProtocol", [("VXLAN", {"vni": 42}), ETHER]),
    ("an IPv4 payload", [("VXLAN", {"vni": 42}), ("IP", INNER)]),
    ("an IPv6 payload", [("VXLAN", {}), ("IPv6", {"src": "2001:db8::1", "dst": "2001:db8::2"})]),
    ("flags set by the user are kept", [("VXLAN", {"flags": 8}), ETHER]),
    ("UDP takes port 4789 both ways", [("UDP", {}), ("VXLAN", {})]),
    ("a source port set by the user", [("UDP", {"sport": 50000}), ("VXLAN", {"vni": 3})]),
    ("a whole overlay frame", [*UNDERLAY, ("UDP", {}), ("VXLAN", {"vni": 0x1234}), ETHER,
                               ("IP", INNER), ("UDP", {"sport": 1, "dport": 2})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: list[tuple[str, dict[str, Any]]]) -> None:
    ours, theirs = _stack("p", spec), _stack("s", spec)
    assert bytes(ours) == bytes(theirs), what


def _fields(layer: Packet | SPacket, names: list[str]) -> dict[str, int]:
    return {n: int(getattr(layer, n)) for n in names}


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: list[tuple[str, dict[str, Any]]]) -> None:
    data = bytes(_stack("s", spec))
    first = {"Ether": (Ether, sl2.Ether), "UDP": (UDP, sinet.UDP),
             "VXLAN": (VXLAN, svxlan.VXLAN)}[spec[0][0]]
    ours, theirs = first[0](data), first[1](data)
    assert bytes(ours) == data
    mine, scapy_layer = ours[VXLAN], theirs[svxlan.VXLAN]
    shown = [f.name for f in mine._shown_fields()]
    assert shown == [f.name for f in scapy_layer.fields_desc
                     if not isinstance(f, ConditionalField) or f._evalcond(scapy_layer)]
    assert _fields(mine, shown) == _fields(scapy_layer, shown)
    assert mine.summary() == scapy_layer.summary()
    assert type(mine.payload).__name__ == type(scapy_layer.payload).__name__


def test_show_is_scapys() -> None:
    ours = VXLAN(flags="G+Instance", gpid=5, vni=0xAB).show(dump=True)
    theirs = svxlan.VXLAN(flags="G+Instance", gpid=5, vni=0xAB).show(dump=True)
    assert ours == theirs


def test_bindings() -> None:
    assert registry.payload_class(UDP, {"sport": 1, "dport": 4789}) is VXLAN
    assert registry.payload_class(UDP, {"sport": 8472, "dport": 1}) is VXLAN
    assert registry.payload_class(UDP, {"sport": 1, "dport": 48879}) is VXLAN
    assert registry.payload_class(UDP, {"sport": 1, "dport": 2}) is None
    frame = bytes(Ether() / IP(**OUTER) / UDP(sport=5, dport=4789) / VXLAN(vni=1)
                  / Ether(src=MAC_C, dst=MAC_D) / IP(**INNER) / b"x")
    pkt = Ether(frame)
    assert pkt[VXLAN].vni == 1 and pkt[VXLAN].NextProtocol == 3
    assert pkt[VXLAN].payload[IP].dst == INNER["dst"]
    # Without the P flag the payload is Ethernet too (RFC 7348).
    assert isinstance(VXLAN(bytes(VXLAN()) + bytes(Ether())).payload, Ether)
    # NSH (4) is not a layer of paquet: raw bytes.
    assert isinstance(VXLAN(bytes(VXLAN(flags=0x0C, NextProtocol=4)) + b"abc").payload, Raw)


def _frames() -> list[bytes]:
    frames = []
    for i, (flags, vni) in enumerate([(0x08, 0), (0x08, 1), (0x08, 0xABCDEF), (0x08, 0xFFFFFF),
                                      (0x00, 77), (0x09, 4096)]):
        frames.append(bytes(
            Ether(src=MAC_A, dst=MAC_B) / IP(**OUTER) / UDP(sport=40000 + i, dport=4789)
            / VXLAN(flags=flags, vni=vni)
            / Ether(src=MAC_C, dst=f"02:00:00:00:0b:{i:02x}") / IP(**INNER, ttl=10 + i)
            / UDP(sport=1000 + i, dport=2000) / b"payload"
        ))
    return frames


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    # (--no-duplicate-keys: the outer and the inner "eth", "ip" are kept apart, in a list)
    for layers, pkt in tshark_pairs([Ether(f) for f in _frames()], tmp_path):
        v = pkt[VXLAN]
        inner = v.payload
        assert isinstance(inner, Ether)
        assert int(values(layers, "vxlan.flags")[0], 16) == v.flags << 8
        assert int(values(layers, "vxlan.vni")[0]) == v.vni
        assert values(layers, "eth.src") == [pkt.src, inner.src]
        assert values(layers, "eth.dst") == [pkt.dst, inner.dst]
        assert values(layers, "ip.src") == [pkt[IP].src, inner[IP].src]
        assert values(layers, "ip.dst") == [pkt[IP].dst, inner[IP].dst]
        assert values(layers, "ip.ttl") == [str(pkt[IP].ttl), str(inner[IP].ttl)]
        assert values(layers, "udp.dstport") == [str(pkt[UDP].dport), str(inner[UDP].dport)]


@pytest.mark.parametrize("flags", [0x08, 0x0C, 0x88, 0x8C])
def test_truncated_headers_round_trip(flags: int) -> None:
    whole = bytes(VXLAN(flags=flags, vni=0x123456, gpid=7, NextProtocol=3))
    for n in range(1, len(whole)):
        cut = whole[:n]
        layer = VXLAN(cut)
        assert bytes(layer) == cut
        assert layer.errors  # a truncated header is reported
        assert VXLAN(whole).flags == flags


def test_truncated_frames_round_trip() -> None:
    frame = _frames()[2]
    for n in range(1, len(frame) + 1):
        cut = frame[:n]
        assert bytes(Ether(cut)) == cut
        assert bytes(Ether(cut).copy()) == cut


@pytest.mark.parametrize(("flags", "names"), [
    (0x08, ["flags", "reserved1", "vni", "reserved2"]),
    (0x0C, ["flags", "reserved0", "NextProtocol", "vni", "reserved2"]),
    (0x88, ["flags", "gpflags", "gpid", "vni", "reserved2"]),
])
def test_explained_from_its_field_table(flags: int, names: list[str]) -> None:
    from paquet.explainer import explain

    frame = Ether() / IP(**OUTER) / UDP() / VXLAN(flags=flags, vni=0x2A) / Ether(src=MAC_C)
    layer = explain(frame, lang="en").layer("VXLAN")
    assert (layer.offset, layer.length) == (42, 8)
    assert [f.name for f in layer.fields] == names
    assert [f.bits for f in layer.fields][-2:] == [24, 8]
    assert layer.fields[-2].shown == "0x2a"
