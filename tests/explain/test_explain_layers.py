"""``explain``: every field value shown is the value tshark dissects from the same bytes, the
checksum verdicts are tshark's, the diagrams have the RFC's geometry; ``packet_html``."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paquet import ARP, ICMP, IP, TCP, UDP, Ether, IPOption_RR, wrpcap
from paquet.explainer import explain, packet_html
from paquet.explainer.diagram import RULER
from paquet.layers import ICMPv6EchoRequest, IPv6
from paquet.layers.ether import Dot1Q
from paquet.layers.ipv6 import (
    HBHOptUnknown,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    Pad1,
    PadN,
)

needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")

# (layer, paquet field) -> (tshark field, how paquet's value becomes tshark's text)
_INT = str


def _hex4(v: int) -> str:
    return f"0x{v:04x}"


TSHARK: dict[tuple[str, str], tuple[str, Any]] = {
    ("Ethernet", "dst"): ("eth.dst", None),
    ("Ethernet", "src"): ("eth.src", None),
    ("Ethernet", "type"): ("eth.type", _hex4),
    ("ARP", "hwtype"): ("arp.hw.type", _INT),
    ("ARP", "ptype"): ("arp.proto.type", _hex4),
    ("ARP", "hwlen"): ("arp.hw.size", _INT),
    ("ARP", "plen"): ("arp.proto.size", _INT),
    ("ARP", "op"): ("arp.opcode", _INT),
    ("ARP", "hwsrc"): ("arp.src.hw_mac", None),
    ("ARP", "psrc"): ("arp.src.proto_ipv4", None),
    ("ARP", "hwdst"): ("arp.dst.hw_mac", None),
    ("ARP", "pdst"): ("arp.dst.proto_ipv4", None),
    ("IPv4", "version"): ("ip.version", _INT),
    ("IPv4", "ihl"): ("ip.hdr_len", lambda v: str(v * 4)),
    ("IPv4", "tos"): ("ip.dsfield", lambda v: f"0x{v:02x}"),
    ("IPv4", "len"): ("ip.len", _INT),
    ("IPv4", "id"): ("ip.id", _hex4),
    ("IPv4", "flags"): ("ip.flags", lambda v: f"0x{v:02x}"),
    ("IPv4", "frag"): ("ip.frag_offset", _INT),
    ("IPv4", "ttl"): ("ip.ttl", _INT),
    ("IPv4", "proto"): ("ip.proto", _INT),
    ("IPv4", "chksum"): ("ip.checksum", _hex4),
    ("IPv4", "src"): ("ip.src", None),
    ("IPv4", "dst"): ("ip.dst", None),
    ("UDP", "sport"): ("udp.srcport", _INT),
    ("UDP", "dport"): ("udp.dstport", _INT),
    ("UDP", "len"): ("udp.length", _INT),
    ("UDP", "chksum"): ("udp.checksum", _hex4),
    ("TCP", "sport"): ("tcp.srcport", _INT),
    ("TCP", "dport"): ("tcp.dstport", _INT),
    ("TCP", "seq"): ("tcp.seq_raw", _INT),
    ("TCP", "ack"): ("tcp.ack_raw", _INT),
    ("TCP", "dataofs"): ("tcp.hdr_len", lambda v: str(v * 4)),
    ("TCP", "window"): ("tcp.window_size_value", _INT),
    ("TCP", "chksum"): ("tcp.checksum", _hex4),
    ("TCP", "urgptr"): ("tcp.urgent_pointer", _INT),
    ("ICMP", "type"): ("icmp.type", _INT),
    ("ICMP", "code"): ("icmp.code", _INT),
    ("ICMP", "chksum"): ("icmp.checksum", _hex4),
    ("ICMP", "id"): ("icmp.ident", _INT),
    ("ICMP", "seq"): ("icmp.seq", _INT),
    ("IPv6", "version"): ("ipv6.version", _INT),
    ("IPv6", "tc"): ("ipv6.tclass", lambda v: f"0x{v:08x}"),
    ("IPv6", "fl"): ("ipv6.flow", lambda v: f"0x{v:06x}"),
    ("IPv6", "plen"): ("ipv6.plen", _INT),
    ("IPv6", "nh"): ("ipv6.nxt", _INT),
    ("IPv6", "hlim"): ("ipv6.hlim", _INT),
    ("IPv6", "src"): ("ipv6.src", None),
    ("IPv6", "dst"): ("ipv6.dst", None),
    ("ICMPv6", "type"): ("icmpv6.type", _INT),
    ("ICMPv6", "code"): ("icmpv6.code", _INT),
    ("ICMPv6", "chksum"): ("icmpv6.checksum", _hex4),
    ("ICMPv6", "id"): ("icmpv6.echo.identifier", _hex4),
    ("ICMPv6", "seq"): ("icmpv6.echo.sequence_number", _INT),
}
CHECKSUM_STATUS = {
    "ICMPv6": "icmpv6.checksum.status",
    "IPv4": "ip.checksum.status",
    "UDP": "udp.checksum.status",
    "TCP": "tcp.checksum.status",
    "ICMP": "icmp.checksum.status",
}
TCP_FLAG_FIELDS = [
    "flags.AE",
    "flags.CWR",
    "flags.ECE",
    "flags.URG",
    "flags.ACK",
    "flags.PSH",
    "flags.RST",
    "flags.SYN",
    "flags.FIN",
]

MAC1, MAC2 = "02:00:00:00:00:01", "02:00:00:00:00:02"


def _packets() -> list[Any]:
    rng = random.Random(7)
    pkts: list[Any] = [
        # The exercise sheet's frame (documentation addresses instead of frama.io).
        Ether(src=MAC1, dst=MAC2)
        / IP(src="192.0.2.1", dst="203.0.113.5")
        / TCP()
        / "La NSI, c'est cool !",
        Ether(src=MAC1, dst=MAC2)
        / IP(src="192.0.2.10", dst="203.0.113.10", flags="DF")
        / TCP(
            sport=43210,
            dport=10000,
            flags="SA",
            seq=123456789,
            ack=987654321,
            options=[("MSS", 1460), ("NOP", None), ("WScale", 7)],
        ),
        Ether(src=MAC1, dst=MAC2)
        / IP(src="192.0.2.10", dst="203.0.113.10")
        / UDP(sport=40000, dport=10000)
        / b"miaou",
        Ether(src=MAC1, dst=MAC2)
        / IP(src="192.0.2.10", dst="192.0.2.254", id=0x1234)
        / ICMP(id=7, seq=3)
        / b"ping",
        Ether(src=MAC1, dst="ff:ff:ff:ff:ff:ff")
        / ARP(hwsrc=MAC1, psrc="192.0.2.10", pdst="192.0.2.254"),
        # A damaged header: the checksum a user set is kept, both tools must call it bad.
        Ether(src=MAC1, dst=MAC2) / IP(src="192.0.2.10", dst="192.0.2.11", chksum=0x1234) / ICMP(),
        # A port unreachable quoting a UDP datagram.
        Ether(src=MAC2, dst=MAC1)
        / IP(src="203.0.113.20", dst="192.0.2.10")
        / ICMP(type=3, code=3)
        / IP(src="192.0.2.10", dst="203.0.113.20")
        / UDP(sport=40000, dport=514),
        # IP options (record route, padded to a 32-bit boundary): a 24-byte header.
        Ether(src=MAC1, dst=MAC2)
        / IP(src="192.0.2.1", dst="192.0.2.2", options=[IPOption_RR()])
        / UDP(sport=40000, dport=10000)
        / b"x",
        # IPv6: an echo request, and UDP (its checksum over the IPv6 pseudo-header).
        Ether(src=MAC1, dst=MAC2)
        / IPv6(src="2001:db8:0:1::a", dst="2001:db8:0:2::a", tc=0x20, fl=0x12345)
        / ICMPv6EchoRequest(id=7, seq=3)
        / b"hi",
        Ether(src=MAC1, dst=MAC2)
        / IPv6(src="2001:db8:0:1::a", dst="2001:db8:0:5::a", hlim=3)
        / UDP(sport=40000, dport=10000)
        / b"miaou",
    ]
    for _ in range(12):
        ip = IP(
            src=f"192.0.2.{rng.randint(1, 254)}",
            dst=f"203.0.113.{rng.randint(1, 254)}",
            ttl=rng.randint(1, 255),
            id=rng.randint(0, 65535),
            tos=rng.randint(0, 255),
            flags=rng.choice([0, 2, 4]),
        )
        if rng.random() < 0.5:
            upper: Any = TCP(
                sport=rng.randint(1, 65535),
                dport=rng.randint(1, 65535),
                seq=rng.getrandbits(32),
                ack=rng.getrandbits(32),
                flags=rng.getrandbits(9),
                window=rng.randint(0, 65535),
                urgptr=rng.randint(0, 65535),
            )
        else:
            upper = UDP(sport=rng.randint(1, 65535), dport=rng.randint(1, 65535))
        pkts.append(
            Ether(src=MAC1, dst=MAC2) / ip / upper / bytes(rng.randbytes(rng.randint(0, 40)))
        )
    return pkts


def _tshark(path: Path, fields: list[str]) -> list[dict[str, str]]:
    args = [
        "tshark",
        "-r",
        str(path),
        "-T",
        "fields",
        "-E",
        "separator=\t",
        "-E",
        "occurrence=f",
        "-o",
        "ip.check_checksum:TRUE",
        "-o",
        "tcp.check_checksum:TRUE",
        "-o",
        "udp.check_checksum:TRUE",
        "-d",
        "tcp.port==1-65535,data",
        "-d",
        "udp.port==1-65535,data",
    ]
    for f in fields:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return [dict(zip(fields, line.split("\t"), strict=True)) for line in out.splitlines()]


@needs_tshark
def test_field_values_are_tsharks(tmp_path: Path) -> None:
    pkts = _packets()
    path = tmp_path / "p.pcap"
    wrpcap(str(path), pkts)
    fields = sorted({t for t, _ in TSHARK.values()} | set(CHECKSUM_STATUS.values()) | {"tcp.flags"})
    rows = _tshark(path, fields)
    assert len(rows) == len(pkts)
    compared = 0
    for pkt, row in zip(pkts, rows, strict=True):
        e = explain(pkt, "en")
        assert e.data == bytes(pkt)
        for layer in e.layers:
            for f in layer.fields:
                key = (layer.name, f.name)
                if key not in TSHARK:
                    continue
                tshark_field, convert = TSHARK[key]
                expected = row[tshark_field]
                mine = f.shown if convert is None else convert(f.value)
                assert mine == expected, (pkt.summary(), key, mine, expected)
                compared += 1
            if layer.name == "TCP":
                bits = [layer.field(n).value for n in TCP_FLAG_FIELDS]
                reserved = layer.field("reserved").value
                value = reserved << 9 | int("".join(map(str, bits)), 2)
                assert f"0x{value:04x}" == row["tcp.flags"]
            status = CHECKSUM_STATUS.get(layer.name)
            if status and layer.checksum is not None and row[status] in ("0", "1"):
                assert layer.checksum.ok is (row[status] == "1"), (pkt.summary(), layer.name)
                compared += 1
    assert compared > 300


def test_layers_offsets_and_lengths() -> None:
    pkt = _packets()[1]
    e = explain(pkt, "fr")
    assert [(x.name, x.offset, x.length) for x in e.layers] == [
        ("Ethernet", 0, 14),
        ("IPv4", 14, 20),
        ("TCP", 34, 28),
    ]
    tcp = e.layer("TCP")
    assert tcp.field("options").value == bytes(pkt)[54:62]
    assert tcp.field("flags.SYN").value == 1 and tcp.field("flags.ACK").value == 1
    # An ICMP error: the quoted datagram is the ICMP message's data.
    icmp = explain(_packets()[6], "en").layer("ICMP")
    assert icmp.field("type").shown == "3 (destination unreachable)"
    assert icmp.field("code").shown == "3 (port unreachable)"
    assert icmp.field("load").value[:1] == b"\x45"


def _check_geometry(diagram: str) -> None:
    """The RFC's geometry: the ruler, rows of at most 32 bits, edges between two bits."""
    lines = diagram.splitlines()
    assert "\n".join(lines[:2]) == RULER
    for line in lines[2:]:
        assert line[0] in "|+" and line[-1] in "|+" and len(line) <= 65, line
        if line.startswith("+"):
            assert all(line[i] in "+ " for i in range(0, len(line), 2)), line
        else:  # a box edge sits on an even column (between two bits)
            assert all(i % 2 == 0 for i, c in enumerate(line) if c == "|"), line


def test_diagram_geometry() -> None:
    e = explain(_packets()[1], "en")
    for layer in e.layers:
        _check_geometry(layer.diagram)
    ip = e.layer("IPv4").diagram
    assert "|Version|  IHL  |      TOS      |          Total Length         |" in ip
    assert "|   4   |   5   |      0x00     |               48              |" in ip
    assert "|Flags|" in ip and "|  DF |" in ip
    tcp = e.layer("TCP").diagram.splitlines()
    # The one-bit flags are written downwards, as in RFC 793: S/Y/N over a 1.
    row = next(i for i, line in enumerate(tcp) if "| Offset|" in line)
    assert [line[2 * 14 + 1] for line in tcp[row : row + 4]] == ["S", "Y", "N", "1"]


def test_checksum_steps_and_meanings() -> None:
    frame = _packets()[0]
    fr = explain(frame, "fr").render()
    en = explain(frame, "en").render()
    header = bytes(frame)[14:34]
    words = [int.from_bytes(header[i : i + 2], "big") for i in range(0, 20, 2)]
    total = sum(words) - words[5]
    assert f"= 0x{total:x}" in fr and "complément à 1 sur 16 bits" in fr
    assert f"~0x{(total & 0xFFFF) + (total >> 16):04x} = 0x{words[5]:04x}" in en
    assert "durée de vie" in fr and "time to live" in en
    assert "le segment est conforme" in fr and "the segment is intact" in en
    damaged = explain(_packets()[5], "en").layer("IPv4").checksum
    assert damaged is not None and damaged.ok is False and damaged.field == 0x1234


def test_bytes_and_hex_input() -> None:
    raw = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / ICMP())
    a, b = explain(raw, "en"), explain(raw.hex(" "), "en")
    assert a.to_dict() == b.to_dict()
    assert [x.name for x in a.layers] == ["IPv4", "ICMP"]
    assert a.to_dict()["layers"][0]["fields"][7] == {
        "name": "ttl",
        "label": "TTL",
        "offset_bits": 64,
        "bits": 8,
        "value": 64,
        "shown": "64",
        "meaning": a.layers[0].fields[7].meaning,
    }
    from paquet.errors import PaquetError

    with pytest.raises(PaquetError, match="not hexadecimal"):
        explain("45 0g", "en")
    with pytest.raises(PaquetError, match="language"):
        explain(raw, "de")


def test_packet_html() -> None:
    pkt = Ether(src=MAC1, dst=MAC2) / IP(src="192.0.2.1", dst="192.0.2.2") / UDP() / b"<b>&"
    page = packet_html(pkt)
    for name in ("Ether", "IP", "UDP", "Raw"):
        assert f">{name}</summary>" in page
    assert "<b>&" not in page and "&lt;b&gt;&amp;" in page  # the payload is escaped
    data = bytes(pkt)
    hex_bytes = re.findall(r"<span style='background:[^']*'>([0-9a-f]{2})</span>", page)
    assert "".join(hex_bytes) == data.hex()
    assert page.count("background:#dbeafe") >= 14 + 1  # Ethernet's 14 bytes, and its title


def test_truncated_and_unknown_bytes() -> None:
    # The exercise sheet's header alone: its len field says 59 bytes, 20 are given.
    sheet = "4500003b000100004006 51b4 c0a80001b114b74a"
    e = explain(sheet, "en")
    assert [x.name for x in e.layers] == ["IPv4"]
    assert e.layers[0].summary == "truncated: the len field says 59 bytes, 20 are here"
    assert e.layers[0].checksum is not None and e.layers[0].checksum.ok is True
    raw = explain("45 00 00", "fr")
    assert [x.name for x in raw.layers] == ["Raw"]
    assert raw.layers[0].fields[0].value == b"\x45\x00\x00"
    assert "ne se lisent pas" in raw.render()


def test_plus_and_minus_zero_checksums() -> None:
    # A Linux echo reply to IP(dst=gateway)/ICMP() captured in the lab: the kernel wrote the
    # ICMP checksum 0x0000 where the computation gives 0xffff (tshark: "incorrect").
    reply = "4500001cccf60000400128e2c00002fec000020a0000000000000000"
    e = explain(reply, "en")
    icmp = e.layer("ICMP").checksum
    assert icmp is not None and (icmp.field, icmp.computed, icmp.ok) == (0, 0xFFFF, False)
    assert "0x0000 and 0xffff are both zero in one's complement" in e.render()
    assert "+0 et -0" not in explain(_packets()[3], "fr").render()  # an ordinary echo request


def test_ethernet_padding_is_told_apart() -> None:
    # Frames as captured on the wire: padded to 60 bytes after a short ARP or ICMP message.
    arp = bytes(Ether(src=MAC1, dst=MAC2) / ARP(hwsrc=MAC1, psrc="192.0.2.1", pdst="192.0.2.2"))
    icmp = bytes(Ether(src=MAC1, dst=MAC2) / IP(src="192.0.2.1", dst="192.0.2.2") / ICMP())
    udp = bytes(Ether(src=MAC1, dst=MAC2) / IP(src="192.0.2.1", dst="192.0.2.2") / UDP() / b"ab")
    for frame, last in ((arp, "ARP"), (icmp, "ICMP"), (udp, "UDP")):
        padded = frame + b"\x00" * (60 - len(frame))
        layers = explain(padded, "en").layers
        names = [x.name for x in layers]
        assert names[names.index(last) + 1] == ("Data" if last == "UDP" else "Padding")
        tail = layers[-1]
        assert tail.fields[-1].name == "padding"
        assert tail.fields[-1].value == b"\x00" * (60 - len(frame))
        assert tail.offset + tail.length == 60
    assert explain(udp + b"\x00" * 16, "en").layers[-1].fields[0].value == b"ab"


@given(
    st.lists(
        st.tuples(
            st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=20),
            st.integers(1, 140),
            st.text("0123456789abcdef:.", max_size=40),
        ),
        min_size=1,
        max_size=12,
    )
)
@settings(max_examples=150, deadline=None)
def test_any_diagram_keeps_the_rfc_geometry(fields: list[tuple[str, int, str]]) -> None:
    from paquet.explainer.diagram import Box, render_diagram

    lines = render_diagram([Box(label, bits, value) for label, bits, value in fields]).splitlines()
    assert "\n".join(lines[:2]) == RULER
    total = sum(bits for _, bits, _ in fields)
    box_rows = [line for line in lines[2:] if line.startswith("|")]
    rules = [line for line in lines[2:] if line.startswith("+")]
    assert len(rules) == -(-total // 32) + 1  # one rule above each row, one below the last
    for line in lines[2:]:
        assert len(line) <= 65 and len(line) % 2 == 1, line
        if line.startswith("+"):
            assert set(line[::2]) <= {"+", " "} and set(line[1::2]) <= {"-", " "}, line
        else:
            assert all(i % 2 == 0 for i, c in enumerate(line) if c == "|"), line
    # Every label starts on its field's first row, cut to the width of its box there, and
    # every value's first character is drawn.
    text = "\n".join(box_rows)
    offset = 0
    for label, bits, value in fields:
        first = min(bits, 32 - offset % 32)
        assert label[: 2 * first - 1] in text, (label, first)
        assert value[:1] in text or "…" in text  # too long for its box: cut, marked …
        offset += bits


# ------------------------------------------------------- IPv6 extension headers and 802.1Q

A6, B6, C6, D6 = "2001:db8:0:1::a", "2001:db8:0:2::a", "2001:db8:0:3::1", "2001:db8:0:4::1"


def _extension_packets() -> list[Any]:
    eth = Ether(src=MAC1, dst=MAC2)
    return [
        # A VLAN-tagged IPv4 datagram: priority 5, drop eligible, VLAN 100.
        eth
        / Dot1Q(prio=5, dei=1, vlan=100)
        / IP(src="192.0.2.10", dst="203.0.113.10")
        / UDP(sport=40000, dport=10000)
        / b"miaou",
        # Two tags (Q-in-Q), then hop-by-hop options: a router alert (MLD) and its padding.
        eth
        / Dot1Q(vlan=10)
        / Dot1Q(prio=2, vlan=4000)
        / IPv6(src=A6, dst=B6)
        / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=5, optdata=b"\0\0")])
        / UDP(sport=40000, dport=10000)
        / b"qinq",
        # A type 0 routing header, two stops left: UDP's checksum uses the last address.
        eth
        / IPv6(src=A6, dst=C6)
        / IPv6ExtHdrRouting(addresses=[D6, B6], segleft=2)
        / UDP(sport=40000, dport=10000)
        / b"rh0",
        # An atomic fragment (offset 0, no more fragments), and a middle fragment.
        eth / IPv6(src=A6, dst=B6) / IPv6ExtHdrFragment(id=0x12345678) / UDP() / b"atomic",
        eth
        / IPv6(src=A6, dst=B6)
        / IPv6ExtHdrFragment(id=0x9ABC, offset=185, m=1, nh=17)
        / (b"x" * 24),
        # Destination options: Pad1 and PadN, before an echo request.
        eth
        / IPv6(src=A6, dst=B6)
        / IPv6ExtHdrDestOpt(options=[Pad1(), PadN(optdata=b"\0\0\0")])
        / ICMPv6EchoRequest(id=7, seq=3)
        / b"hi",
        # Segment routing (type 4): last entry 1, tag 7; TCP's checksum uses segment [0].
        eth
        / IPv6(src=A6, dst=C6)
        / IPv6ExtHdrRouting(type=4, segleft=1, reserved=1 << 24 | 7, addresses=[B6, C6])
        / TCP(sport=40000, dport=10000, flags="S"),
        # Empty hop-by-hop options (a PadN of 4), then a jumbo payload option.
        eth
        / IPv6(src=A6, dst=B6)
        / IPv6ExtHdrHopByHop()
        / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0xC2, optdata=b"\0\1\0\0")])
        / UDP(sport=1, dport=2),
    ]


def _hex2(v: int) -> str:
    return f"0x{v:02x}"


# (layer, field: options.N. and addresses.N dropped) -> (tshark field, paquet value -> text)
EXT_TSHARK: dict[tuple[str, str], tuple[str, Any]] = {
    ("802.1Q", "prio"): ("vlan.priority", _INT),
    ("802.1Q", "dei"): ("vlan.dei", _INT),
    ("802.1Q", "vlan"): ("vlan.id", _INT),
    ("Hop-by-Hop Options", "nh"): ("ipv6.hopopts.nxt", _INT),
    ("Hop-by-Hop Options", "len"): ("ipv6.hopopts.len", _INT),
    ("Destination Options", "nh"): ("ipv6.dstopts.nxt", _INT),
    ("Destination Options", "len"): ("ipv6.dstopts.len", _INT),
    ("Hop-by-Hop Options", "otype"): ("ipv6.opt.type", _hex2),
    ("Hop-by-Hop Options", "optlen"): ("ipv6.opt.length", _INT),
    ("Destination Options", "otype"): ("ipv6.opt.type", _hex2),
    ("Destination Options", "optlen"): ("ipv6.opt.length", _INT),
    ("Routing", "nh"): ("ipv6.routing.nxt", _INT),
    ("Routing", "len"): ("ipv6.routing.len", _INT),
    ("Routing", "type"): ("ipv6.routing.type", _INT),
    ("Routing", "segleft"): ("ipv6.routing.segleft", _INT),
    ("Routing", "reserved"): ("ipv6.routing.src.reserved", lambda v: f"{v:08x}"),
    ("Routing", "lastentry"): ("ipv6.routing.srh.last_entry", _INT),
    ("Routing", "flags"): ("ipv6.routing.srh.flags", _hex2),
    ("Routing", "tag"): ("ipv6.routing.srh.tag", lambda v: f"{v:04x}"),
    ("Routing", "addresses"): ("ipv6.routing.src.addr", None),  # type 4: srh.addr
    ("Fragment", "nh"): ("ipv6.fraghdr.nxt", _INT),
    ("Fragment", "res1"): ("ipv6.fraghdr.reserved_octet", _hex2),
    ("Fragment", "offset"): ("ipv6.fraghdr.offset", _INT),
    ("Fragment", "res2"): ("ipv6.fraghdr.reserved_bits", _INT),
    ("Fragment", "m"): ("ipv6.fraghdr.more", _INT),
    ("Fragment", "id"): ("ipv6.fraghdr.ident", lambda v: f"0x{v:08x}"),
}


@needs_tshark
def test_extension_headers_and_vlan_are_tsharks(tmp_path: Path) -> None:
    pkts = _extension_packets()
    path = tmp_path / "ext.pcap"
    wrpcap(str(path), pkts)
    fields = sorted(
        {t for t, _ in EXT_TSHARK.values()}
        | {"ipv6.routing.srh.addr", "eth.type", "vlan.etype"}
        | set(CHECKSUM_STATUS.values())
    )
    args = ["tshark", "-r", str(path), "-T", "fields", "-E", "separator=\t"]
    args += ["-E", "occurrence=a", "-o", "ip.check_checksum:TRUE", "-o"]
    args += ["udp.check_checksum:TRUE", "-o"]
    args += ["tcp.check_checksum:TRUE"] + [x for f in fields for x in ("-e", f)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rows = [dict(zip(fields, line.split("\t"), strict=True)) for line in out.splitlines()]
    assert len(rows) == len(pkts)
    compared = 0
    for pkt, row in zip(pkts, rows, strict=True):
        tshark = {k: v.split(",") if v else [] for k, v in row.items()}
        used = dict.fromkeys(tshark, 0)
        e = explain(pkt, "en")
        names = [layer.name for layer in e.layers]
        # The tags: each one's TPID is the EtherType before it (tshark's eth.type, or the
        # outer tag's vlan.etype in Q-in-Q); the last one carries the EtherType.
        tags = [layer for layer in e.layers if layer.name == "802.1Q"]
        tpids = [_hex4(t.field("tpid").value) for t in tags]
        if tags:
            etypes = [*tpids[1:], _hex4(tags[-1].field("type").value)]
            assert tpids[0] == tshark["eth.type"][0] and etypes == tshark["vlan.etype"]
            compared += 2 * len(tags)
        for layer in e.layers:
            for f in layer.fields:
                parts = f.name.split(".")  # options.0.otype, addresses.1, tpid
                short = parts[2] if parts[0] == "options" and len(parts) == 3 else parts[0]
                key = (layer.name, short)
                if key not in EXT_TSHARK:
                    continue
                tshark_field, convert = EXT_TSHARK[key]
                if short == "addresses" and layer.field("type").value == 4:
                    tshark_field = "ipv6.routing.srh.addr"
                mine = f.shown if convert is None else convert(f.value)
                values = tshark[tshark_field]
                assert used[tshark_field] < len(values), (pkt.summary(), key, mine)
                assert mine == values[used[tshark_field]], (pkt.summary(), key, mine, values)
                used[tshark_field] += 1
                compared += 1
            status = CHECKSUM_STATUS.get(layer.name)
            if status and layer.checksum is not None:
                assert tshark[status] == ["1"] and layer.checksum.ok, (pkt.summary(), names)
                compared += 1
        # Every value tshark dissected was compared: no header was left as data.
        for tshark_field in {t for t, _ in EXT_TSHARK.values()} | {"ipv6.routing.srh.addr"}:
            assert used[tshark_field] == len(tshark[tshark_field]), (pkt.summary(), tshark_field)
    assert compared >= 70


def test_extension_headers_layers_and_diagrams() -> None:
    pkts = _extension_packets()
    names = [[x.name for x in explain(p, "en").layers] for p in pkts]
    assert names[1] == [
        "Ethernet", "802.1Q", "802.1Q", "IPv6", "Hop-by-Hop Options", "UDP", "Data",
    ]  # fmt: skip
    assert names[4] == ["Ethernet", "IPv6", "Fragment", "Data"]
    e = explain(pkts[1], "fr")
    # The tag: the EtherType's place holds the TPID, the Ethernet header is 12 bytes.
    assert [(x.name, x.offset, x.length) for x in e.layers[:4]] == [
        ("Ethernet", 0, 12),
        ("802.1Q", 12, 4),
        ("802.1Q", 16, 6),
        ("IPv6", 22, 40),
    ]
    tag = e.layers[2].diagram
    assert "|              TPID             | PCP |D|          VID          |" in tag
    assert "|        0x8100 (802.1Q)        |  2  |0|          4000         |" in tag
    assert "|           EtherType           |" in tag and "0x86dd (IPv6)" in tag
    assert "numéro du VLAN" in e.render() and "VLAN number" in explain(pkts[1], "en").render()
    hbh = e.layer("Hop-by-Hop Options")
    assert hbh.rfc == "RFC 8200 §4.3" and hbh.length == 8
    assert [(f.name, f.shown) for f in hbh.fields] == [
        ("nh", "17 (UDP)"),
        ("len", "0"),
        ("options.0.otype", "5 (Router Alert)"),
        ("options.0.optlen", "2"),
        ("options.0.optdata", "00 00"),
        ("options.1.otype", "1 (PadN)"),
        ("options.1.optlen", "0"),
    ]
    assert "|  Next Header  |  Hdr Ext Len  |  Option Type  |  Opt Data Len |" in hbh.diagram
    assert "alerte routeur" in hbh.field("options.0.optdata").meaning
    rh = explain(pkts[2], "en").layer("Routing")
    assert rh.rfc == "RFC 8200 §4.4" and rh.length == 40
    assert [f.label for f in rh.fields][-2:] == ["Address[1]", "Address[2]"]
    assert "|  Next Header  |  Hdr Ext Len  |  Routing Type | Segments Left |" in rh.diagram
    srh = explain(pkts[6], "en").layer("Routing")
    assert [f.label for f in srh.fields][4:] == [
        "Last Entry", "Flags", "Tag", "Segment List[0]", "Segment List[1]",
    ]  # fmt: skip
    frag = explain(pkts[4], "fr").layer("Fragment")
    assert frag.rfc == "RFC 8200 §4.5"
    assert "|  Next Header  |    Reserved   |     Fragment Offset     |Res|M|" in frag.diagram
    assert "|    17 (UDP)   |       0       |           185           | 0 |1|" in frag.diagram
    assert "d'autres fragments suivent" in frag.field("m").meaning
    dst = explain(pkts[5], "en").layer("Destination Options")
    assert dst.rfc == "RFC 8200 §4.6"
    assert [f.shown for f in dst.fields if f.name.endswith("otype")] == ["0 (Pad1)", "1 (PadN)"]
    # Every row is 32 bits, and a header of N bytes is drawn on N / 4 rows.
    for pkt in pkts:
        for layer in explain(pkt, "en").layers:
            _check_geometry(layer.diagram)
            if layer.name in ("802.1Q", "Hop-by-Hop Options", "Routing", "Fragment"):
                rules = [x for x in layer.diagram.splitlines()[2:] if x.startswith("+")]
                assert len(rules) == -(-layer.length // 4) + 1, layer.name


def test_a_long_option_is_folded_in_place() -> None:
    # A 40-byte unknown option, then a router alert: the diagram folds the long data but the
    # router alert's type still starts on its own bit (16 + 8 * 42 = 352, column 0).
    pkt = IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt(
        options=[
            HBHOptUnknown(otype=0x3E, optdata=b"A" * 40),
            HBHOptUnknown(otype=5, optdata=b"\0\0"),
        ]
    )
    layer = explain(pkt, "en").layer("Destination Options")
    assert layer.field("options.1.otype").offset == 352
    lines = layer.diagram.splitlines()
    _check_geometry(layer.diagram)
    row = lines.index("|  Option Type  |  Opt Data Len |       Option Data (2 B)       |")
    assert lines[row + 1].startswith("|       5       |       2       |")
    assert len([x for x in lines if x.startswith("+")]) < layer.length // 4 + 1


def test_packet_html_draws_the_extension_headers() -> None:
    pkt = _extension_packets()[1]
    page = packet_html(pkt)
    for name in ("Dot1Q", "IPv6ExtHdrHopByHop"):
        assert f">{name}</summary>" in page
    assert ">802.1Q (IEEE 802.1Q)</summary>" in page
    assert ">Hop-by-Hop Options (RFC 8200 §4.3)</summary>" in page
    assert "|  Next Header  |  Hdr Ext Len  |  Option Type  |  Opt Data Len |" in page
    # The hop-by-hop header's bytes have the colour of its entry in the tree.
    colours = re.findall(r"<summary style='background:([^;]*);font-weight:bold'>([^<]*)<", page)
    colour = dict((name, c) for c, name in colours)["IPv6ExtHdrHopByHop"]
    cells = re.findall(r"<span style='background:([^']*)'>[0-9a-f]{2}</span>", page)
    assert cells[62:70] == [colour] * 8 and cells[61] != colour


_option = st.one_of(
    st.just(Pad1()),
    st.binary(max_size=30).map(lambda d: PadN(optdata=d)),
    st.tuples(st.integers(2, 255), st.binary(max_size=60)).map(
        lambda t: HBHOptUnknown(otype=t[0], optdata=t[1])
    ),
)
_address = st.integers(0, 2**64 - 1).map(lambda n: f"2001:db8::{n >> 48:x}:{n & 0xFFFF:x}")
_extension = st.one_of(
    st.lists(_option, max_size=4).map(lambda o: IPv6ExtHdrHopByHop(options=o)),
    st.lists(_option, max_size=4).map(lambda o: IPv6ExtHdrDestOpt(options=o)),
    st.tuples(st.sampled_from([0, 2, 4]), st.lists(_address, max_size=4)).map(
        lambda t: IPv6ExtHdrRouting(type=t[0], addresses=t[1], reserved=max(len(t[1]) - 1, 0) << 24)
    ),
    st.tuples(st.integers(0, 8191), st.integers(0, 1), st.integers(0, 2**32 - 1)).map(
        lambda t: IPv6ExtHdrFragment(offset=t[0], m=t[1], id=t[2])
    ),
)


@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 1), st.integers(0, 4095)), max_size=2),
    st.lists(_extension, min_size=1, max_size=3),
)
@settings(max_examples=60, deadline=None)
def test_any_extension_header_is_read_whole(
    tags: list[tuple[int, int, int]], headers: list[Any]
) -> None:
    """Whatever the tags and extension headers: each header's fields, in order, rebuild its
    bytes exactly, and its diagram keeps the RFC geometry (32-bit rows)."""
    pkt: Any = Ether(src=MAC1, dst=MAC2)
    for prio, dei, vlan in tags:
        pkt = pkt / Dot1Q(prio=prio, dei=dei, vlan=vlan)
    pkt = pkt / IPv6(src=A6, dst=B6)
    for header in headers:
        pkt = pkt / header
    data = bytes(pkt)
    e = explain(data, "en")
    drawn = [x for x in e.layers if x.name not in ("Ethernet", "IPv6", "Data", "Raw")]
    expected = ["802.1Q"] * len(tags)
    for header in headers:
        expected.append(
            {
                IPv6ExtHdrHopByHop: "Hop-by-Hop Options",
                IPv6ExtHdrDestOpt: "Destination Options",
                IPv6ExtHdrRouting: "Routing",
                IPv6ExtHdrFragment: "Fragment",
            }[type(header)]
        )
        if isinstance(header, IPv6ExtHdrFragment) and header.offset:
            break  # not a first fragment: what follows is data
    assert [x.name for x in drawn][: len(expected)] == expected
    for layer in drawn:
        _check_geometry(layer.diagram)
        number, bits = 0, 0
        for f in layer.fields:
            assert f.offset == bits, (layer.name, f.name)
            value = int.from_bytes(f.value, "big") if isinstance(f.value, bytes) else f.value
            number, bits = number << f.bits | value, bits + f.bits
        assert bits == 8 * layer.length
        assert (
            number.to_bytes(layer.length, "big") == data[layer.offset : layer.offset + layer.length]
        )
        rules = [x for x in layer.diagram.splitlines()[2:] if x.startswith("+")]
        assert len(rules) <= -(-layer.length // 4) + 1
