"""A packet's layers as a picture (``svgdump``, ``pdfdump``, ``psdump``): the bytes given to each
field are Scapy's (its ``build_ps``, what its ``canvas_dump`` draws), the SVG is readable in a
browser and deterministic, PDF and PostScript come from ``rsvg-convert``, and without it a
one-line note replaces the picture."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from browser import render

from paquet import rdpcap
from paquet.draw.dump import dump_svg, layer_spans, packets_svg

DATA = Path(__file__).resolve().parents[1] / "data"


def _real_packets() -> list[Any]:
    """A real capture (tests/data: ping, UDP to a closed port and its ICMP error, IPv6)."""
    return list(rdpcap(str(DATA / "tcpdump-lo.pcap")))


def _crafted(scapy: Any) -> list[bytes]:
    """Bytes built by Scapy: TCP with options and data, DNS, ARP in a VLAN, IPv6/ICMPv6."""
    return [
        bytes(
            scapy.Ether(dst="00:11:22:33:44:55", src="02:00:00:00:00:01")
            / scapy.IP(src="192.0.2.1", dst="198.51.100.7", ttl=7)
            / scapy.TCP(sport=5000, dport=80, flags="S", options=[("MSS", 1460)])
            / b"GET / HTTP/1.0\r\n\r\n"
        ),
        bytes(
            scapy.Ether(dst="00:11:22:33:44:55")  # (given: Scapy would ask for it by ARP)
            / scapy.IP(src="192.0.2.1", dst="192.0.2.53")
            / scapy.UDP(sport=4000, dport=53)
            / scapy.DNS(qd=scapy.DNSQR(qname="example.com"))
        ),
        bytes(scapy.Ether(dst="ff:ff:ff:ff:ff:ff") / scapy.Dot1Q(vlan=12)
              / scapy.ARP(psrc="192.0.2.1")),
        bytes(scapy.Ether(dst="00:11:22:33:44:55")
              / scapy.IPv6(src="2001:db8::1", dst="2001:db8::2")
              / scapy.ICMPv6EchoRequest(id=7, seq=3, data=b"abc")),
    ]


def test_field_bytes_are_scapys() -> None:
    scapy = pytest.importorskip("scapy.all")
    from paquet.layers import Ether

    frames = [bytes(p) for p in _real_packets()] + _crafted(scapy)
    compared = 0
    for data in frames:
        ours = layer_spans(Ether(data))
        theirs = list(reversed(scapy.Ether(data).build_ps()[1]))
        by_name = {span.name: span for span in ours}
        for layer, fields in theirs:
            name = type(layer).__name__
            if name not in by_name:
                continue  # a layer Scapy and paquet name differently
            span = by_name[name]
            header = data[span.offset : span.offset + span.length]
            assert b"".join(b for _, _, b in fields) == header, name
            for fld, _, wire in fields:
                mine = [f for f in span.fields if f.name == fld.name]
                if not wire or not mine or mine[0].start % 8 or mine[0].end % 8:
                    continue  # a bit field, or one both leave out
                f = mine[0]
                assert header[f.start // 8 : f.end // 8] == wire, (name, fld.name)
                compared += 1
    assert compared > 150


def test_svgdump_is_readable_in_a_browser(tmp_path: Path) -> None:
    pkt = _real_packets()[6]  # UDP 127.0.0.1:46373 > 127.0.0.1:9999
    path = tmp_path / "udp.svg"
    pkt.svgdump(str(path))
    svg = path.read_text()
    assert "<text" in svg and "<path" not in svg  # text is text
    shown = render(path)
    shown.assert_readable(["Ether", "IP", "UDP", "sport", "46373", "dport", "9999", "chksum",
                           "127.0.0.1", "0000", "0010"])
    # Every byte of the packet is there, in hex, in order.
    hexes = [t.text for t in shown.texts if len(t.text) == 2 and t.tag == "text"]
    assert "".join(hexes).endswith(bytes(pkt).hex())


def test_a_packet_list_dump_has_one_frame_per_packet(tmp_path: Path) -> None:
    from paquet import PacketList

    packets = PacketList(_real_packets()[6:8])
    path = tmp_path / "two.svg"
    packets.svgdump(str(path))
    shown = render(path)
    shown.assert_readable(["Frame 0/2", "Frame 1/2", "UDP", "ICMP", "IPerror"])


def test_the_dump_is_deterministic() -> None:
    pkt = _real_packets()[0]
    assert dump_svg(pkt) == dump_svg(pkt.copy())
    again = _real_packets()[0]
    assert packets_svg([pkt, again]) == packets_svg([again, pkt])


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert is missing")
def test_pdf_and_postscript(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from paquet import PacketList

    pkt = _real_packets()[0]
    pkt.pdfdump(str(tmp_path / "p.pdf"))
    pkt.psdump(str(tmp_path / "p.eps"))
    PacketList(_real_packets()[:2]).pdfdump(str(tmp_path / "l.pdf"))
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "l.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "p.eps").read_bytes().startswith(b"%!PS-Adobe-3.0 EPSF")
    assert capsys.readouterr().err == ""


def test_without_rsvg_convert_a_one_line_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no rsvg-convert on it
    pkt = _real_packets()[0]
    pkt.pdfdump(str(tmp_path / "p.pdf"))
    captured = capsys.readouterr()
    assert not (tmp_path / "p.pdf").exists()
    assert captured.err.count("\n") == 1 and "rsvg-convert" in captured.err
    assert "Traceback" not in captured.err
    assert "###[ Ethernet ]###" in captured.out or "###[ Ether" in captured.out  # the text form


def test_canvas_dump_writes_itself_as_pyx_does(tmp_path: Path) -> None:
    from paquet import PacketList

    packets = PacketList(_real_packets()[:2])
    canvas = packets[0].canvas_dump()
    canvas.writeSVGfile(str(tmp_path / "one"))  # PyX adds the suffix
    assert (tmp_path / "one.svg").read_text() == dump_svg(packets[0])
    both = packets.canvas_dump()
    both.writetofile(str(tmp_path / "both.svg"))
    assert (tmp_path / "both.svg").read_text() == packets_svg(list(packets))
    if shutil.which("rsvg-convert"):
        canvas.writePDFfile(str(tmp_path / "one.pdf"))
        assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF-")
    with pytest.raises(ValueError, match="svg"):
        canvas.writetofile(str(tmp_path / "x.gif"))
