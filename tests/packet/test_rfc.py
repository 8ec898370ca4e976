"""rfc(): headers drawn as the RFCs draw them, against Scapy's drawing of the same layers."""

from __future__ import annotations

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


def test_rfc_draws_arp_addresses_at_their_width() -> None:
    # Scapy draws ARP's addresses as 16-bit boxes (its MultipleTypeField); RFC 826's are 48
    # and 32 bits, which paquet draws: HWSRC spans a row and a half.
    ours = paquet.rfc(paquet.ARP, ret=True, legend=False).splitlines()
    assert ours[7].strip("|").strip() == "HWSRC" and ours[9].split("|")[2].strip() == "PSRC"
    assert "HWSRC" in sa.rfc(sa.ARP, ret=True).splitlines()[7].split("|")[1]


def test_rfc_wants_a_layer_class() -> None:
    with pytest.raises(TypeError, match="Packet class expected"):
        paquet.rfc(paquet.IP())  # type: ignore[arg-type]
