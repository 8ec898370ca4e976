"""One IPv6 pseudo-header (paquet.ipv6ext): the layers building and checking a checksum,
``paquet checksum`` on the bytes and ``explain`` agree on the final destination of a routing
header and on the home address option (RFC 8200 §8.1, RFC 6275 §6.3). Before, the layers used
the home address only when it was a header's sole option: a packet built with one (padded
when built) was then flagged bad by show2(), ``paquet checksum`` and explain alike."""

from __future__ import annotations

import pytest

from paquet.checksums import verify_packet
from paquet.cli.main import main
from paquet.ipv6ext import final_destination, home_address, tlv_options
from paquet.layers import TCP, UDP, ICMPv6EchoRequest, IPv6
from paquet.layers.ipv6 import (
    HBHOptUnknown,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrRouting,
    PadN,
)
from paquet.packet.base import Packet

_HOME = bytes.fromhex("20010db8" + "00" * 11 + "09")  # 2001:db8::9
_FINAL = bytes.fromhex("20010db8" + "00" * 11 + "04")  # 2001:db8::4


def _base() -> IPv6:
    return IPv6(src="2001:db8::1", dst="2001:db8::2")


def _hao(home: bytes = _HOME) -> HBHOptUnknown:
    return HBHOptUnknown(otype=0xC9, optdata=home)


CASES = {
    "type 0": _base() / IPv6ExtHdrRouting(addresses=["2001:db8::3", "2001:db8::4"]) / UDP(),
    "type 0 no segment left": _base()
    / IPv6ExtHdrRouting(segleft=0, addresses=["2001:db8::4"])
    / UDP(),
    "type 2": _base() / IPv6ExtHdrRouting(type=2, segleft=1, addresses=["2001:db8::4"]) / TCP(),
    "type 4": _base()
    / IPv6ExtHdrRouting(type=4, segleft=1, addresses=["2001:db8::4", "2001:db8::2"])
    / ICMPv6EchoRequest(),
    "home address": _base() / IPv6ExtHdrDestOpt(options=[_hao()]) / UDP(sport=1, dport=2),
    "home address after padding": _base()
    / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00\x00"), _hao()])
    / TCP(),
    "two home addresses": _base()
    / IPv6ExtHdrDestOpt(options=[_hao(_FINAL)])
    / IPv6ExtHdrDestOpt(options=[_hao()])
    / UDP(),
    "two routing headers": _base()
    / IPv6ExtHdrRouting(addresses=["2001:db8::3"])
    / IPv6ExtHdrRouting(type=4, segleft=1, addresses=["2001:db8::4"])
    / TCP(),
    "home address and type 2": _base()
    / IPv6ExtHdrRouting(type=2, segleft=1, addresses=["2001:db8::4"])
    / IPv6ExtHdrDestOpt(options=[_hao()])
    / ICMPv6EchoRequest(),
}


def _upper_ok(frame: bytes) -> bool:
    """The engine's verdict on the dissected frame's upper-layer checksum: show2's mark
    (``[bad, expected ...]``), the same as to_dict's."""
    pkt = IPv6(frame)
    marked = "[bad, expected" in str(pkt.show2(dump=True))
    entries = pkt.to_dict()["layers"]
    assert marked == any("chksum_ok" in entry for entry in entries)
    return not marked


def _cli_ok(frame: bytes) -> bool:
    """``paquet checksum HEX``'s verdict: exit status 0 when every checksum is right, 1 not."""
    status = main(["checksum", frame.hex()])
    assert status in (0, 1)
    return status == 0


def _explained_ok(frame: bytes) -> list[bool | None]:
    """explain's verdicts on the frame's checksums (its pseudo-header's addresses)."""
    from paquet.explainer import explain

    return [layer.checksum.ok for layer in explain(frame, "en").layers if layer.checksum]


@pytest.mark.parametrize("name", sorted(CASES))
def test_layers_checksum_and_explain_agree(name: str) -> None:
    frame = bytes(CASES[name])
    checks = verify_packet(frame, "ip")
    assert [c.ok for c in checks] == [True]
    assert _upper_ok(frame)
    assert _cli_ok(frame)
    assert _explained_ok(frame) == [True]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_wrong_checksum_is_wrong_everywhere(name: str) -> None:
    pkt: Packet = CASES[name].copy()
    upper = pkt.lastlayer()
    field = "cksum" if any(f.name == "cksum" for f in upper.fields_desc) else "chksum"
    setattr(upper, field, 0x1234)
    frame = bytes(pkt)
    assert [c.ok for c in verify_packet(frame, "ip")] == [False]
    assert not _upper_ok(frame)
    assert not _cli_ok(frame)
    assert _explained_ok(frame) == [False]


def test_the_pseudo_header_uses_the_final_destination_and_the_home_address() -> None:
    pkt = CASES["home address and type 2"]
    frame = bytes(pkt)
    # Built with the home address as source and the type 2 address as destination: the
    # checksum is the one of a packet sent from 2001:db8::9 to 2001:db8::4 directly.
    direct = bytes(IPv6(src="2001:db8::9", dst="2001:db8::4") / ICMPv6EchoRequest())
    assert frame[-6:-4] == direct[-6:-4]


def test_final_destination() -> None:
    two = bytes(16) + _FINAL
    assert final_destination(0, 2, two) == _FINAL
    assert final_destination(0, 0, two) is None  # no segment left
    assert final_destination(2, 1, _FINAL) == _FINAL
    assert final_destination(4, 1, _FINAL + bytes(16)) == _FINAL  # Segment List[0]
    assert final_destination(4, 1, _FINAL + b"\x01\x02") == _FINAL  # TLVs after the list
    assert final_destination(0, 1, _FINAL + b"\x00") is None  # not whole addresses
    assert final_destination(3, 1, two) is None  # RPL: compressed, not named here
    assert final_destination(0, 1, b"") is None


def test_home_address_among_options() -> None:
    body = b"\x01\x02\x00\x00" + b"\xc9\x10" + _HOME  # PadN(2), HAO
    assert home_address(tlv_options(body)) == _HOME
    assert list(tlv_options(b"\x00\x01\x00")) == [(0, b""), (1, b"")]
    assert home_address(tlv_options(b"\xc9\x04\x00\x00\x00\x00")) is None  # 4 bytes: not one
    assert list(tlv_options(b"\x05\x09\x00")) == []  # cut short: stops
