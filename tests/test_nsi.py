"""The course's functions (paquet.nsi): the sheet's examples, its exercise 2 on Scapy packets,
and each answer recomputed independently."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.utils import hexstr

from paquet import nsi
from paquet.errors import AddressError, DecodeError

MACS = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}


def course_packet() -> Ether:
    """The sheet's pkt = Ether()/IP(dst="frama.io")/TCP()/"La NSI, cest cool !", numbered in
    the documentation ranges (nothing is sent, no name is resolved)."""
    return Ether(**MACS) / IP(src="192.0.2.1", dst="203.0.113.5") / TCP() / "La NSI, cest cool !"


def test_exercise_1_examples() -> None:
    assert nsi.decomposer("201.9.118.19") == [201, 9, 118, 19]
    assert nsi.composer([201, 9, 118, 19]) == "201.9.118.19"
    assert nsi.est_une_ip("201.9.118.19") is True
    assert nsi.est_une_ip("201.9.118.256") is False
    assert nsi.masque(21) == "255.255.248.0"
    # The sheet prints '255.255.248.0' here: that is the mask, a mistake in the statement.
    assert nsi.adresse_sousreseau("201.9.118.44", 21) == "201.9.112.0"
    assert nsi.meme_sousreseau("201.9.118.44", "201.9.113.1", 21) is True
    assert nsi.meme_sousreseau("201.9.118.44", "201.9.120.10", 21) is False


def test_exercise_1_answers_recomputed() -> None:
    assert nsi.nombre_adresses_ipv4() == 256**4
    assert nsi.nombre_adresses_ipv6() == 256**16
    assert nsi.nombre_machines(21) == 2 ** (32 - 21) - 2
    assert nsi.nombre_machines(21) == len(list(ipaddress.ip_network("201.9.112.0/21").hosts()))
    smallest = nsi.plus_petit_masque(1000)
    assert 2 ** (32 - smallest) - 2 >= 1000 > 2 ** (32 - smallest - 1) - 2
    assert smallest == 22
    # b) the sheet's binary is 201.9.118.19, not 192.168.0.1 as the sheet says.
    assert nsi.depuis_binaire("11001001.00001001.01110110.00010011") == "201.9.118.19"
    assert nsi.binaire("192.168.0.1") != "11001001.00001001.01110110.00010011"


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_functions_against_stdlib(value: int, m: int) -> None:
    ip = str(ipaddress.IPv4Address(value))
    assert nsi.decomposer(ip) == list(ipaddress.IPv4Address(value).packed)
    assert nsi.composer(nsi.decomposer(ip)) == ip
    assert nsi.est_une_ip(ip)
    assert nsi.depuis_binaire(nsi.binaire(ip)) == ip
    network = ipaddress.ip_network((value, m), strict=False)
    assert nsi.masque(m) == str(network.netmask)
    assert nsi.adresse_sousreseau(ip, m) == str(network.network_address)
    assert nsi.meme_sousreseau(ip, str(network.network_address), m)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nsi.decomposer("201.9.118.256"), "octet 256 out of range"),
        (lambda: nsi.composer([201, 9, 118]), "4 numbers, got 3"),
        (lambda: nsi.composer([201, 9, 118, 256]), "octet 256 out of range"),
        (lambda: nsi.composer([201, 9, 118, "19"]), "not an integer"),
        (lambda: nsi.masque(33), "out of range 0-32"),
        (lambda: nsi.masque("21"), "integer from 0 to 32"),
        (lambda: nsi.adresse_sousreseau("201.9.118", 21), "too few parts"),
        (lambda: nsi.meme_sousreseau("2001:db8::1", "2001:db8::2", 21), "contains ':'"),
        (lambda: nsi.depuis_binaire("1" * 128), "not an IPv4 address"),
        (lambda: nsi.plus_petit_masque(0), "at least 1"),
    ],
)
def test_bad_input_raises_address_errors(call: object, message: str) -> None:
    with pytest.raises(AddressError, match=message):
        call()  # type: ignore[operator]


def test_words_from_a_scapy_frame() -> None:
    pkt = course_packet()
    raw = bytes(pkt)
    header = raw[14:34]
    expected = [int.from_bytes(header[i : i + 2], "big") for i in range(0, 20, 2)]
    words = nsi.mots_entete(pkt)
    assert words == expected and len(words) == 10 and words[0] == 0x4500
    assert words[5] == Ether(raw)[IP].chksum
    assert nsi.mots_entete(raw) == words
    assert nsi.mots_entete(bytearray(raw)) == words
    # c) p = hexstr(pkt).split("  ")[0]: the sheet's string form works too.
    p = hexstr(pkt).split("  ")[0]
    assert nsi.mots_entete(p) == words
    assert nsi.mots_entete(raw.hex(":")) == words


def test_words_from_ip_vlan_and_options() -> None:
    ip = IP(src="192.0.2.1", dst="198.51.100.1", ttl=7) / TCP(dport=443)
    assert nsi.mots_entete(ip)[4] == 0x0706
    tagged = Ether(**MACS) / Dot1Q(vlan=10) / ip
    assert nsi.mots_entete(tagged) == nsi.mots_entete(ip)
    with_options = IP(src="192.0.2.1", dst="198.51.100.1", options=b"\x01\x01\x01\x00")
    assert len(nsi.mots_entete(with_options)) == 12


def test_est_conforme_on_scapy_packets() -> None:
    pkt = course_packet()
    chksum = Ether(bytes(pkt))[IP].chksum
    assert nsi.est_conforme(pkt, chksum) is True
    assert nsi.est_conforme(pkt, chksum ^ 1) is False
    assert nsi.somme_controle(pkt) == chksum
    wrong = Ether(**MACS) / IP(src="192.0.2.1", dst="203.0.113.5", chksum=0xDEAD) / TCP()
    words = nsi.mots_entete(wrong)
    assert words[5] == 0xDEAD
    assert nsi.est_conforme(wrong, words[5]) is False
    assert "n'est pas conforme" in nsi.expliquer_somme(wrong)


def test_sheet_example_header() -> None:
    words = nsi.mots_entete(nsi.EN_TETE_FICHE)
    assert [words[i] for i in (0, 1, 2, 4, 6, 9)] == [
        0x4500,
        0x003B,
        0x0001,
        0x4006,
        0xC0A8,
        0xB74A,
    ]
    assert sum(words) - words[5] == 0x2AE49
    assert nsi.somme_controle(nsi.EN_TETE_FICHE) == 0x51B4
    assert nsi.est_conforme(nsi.EN_TETE_FICHE, 0x51B4)
    text = nsi.expliquer_somme(nsi.EN_TETE_FICHE)
    assert "0x2ae49" in text and "0xae49 + 0x2 = 0xae4b" in text and "~0xae4b = 0x51b4" in text
    assert IP(nsi.EN_TETE_FICHE).chksum == 0x51B4  # Scapy reads the same field


def test_paquet_engine_packets() -> None:
    try:
        from paquet import IP as PIP
        from paquet import TCP as PTCP
    except (ImportError, AttributeError):
        pytest.skip("the packet engine does not export IP and TCP yet")
    packet = PIP(src="192.0.2.1", dst="203.0.113.5") / PTCP()
    raw = bytes(packet)
    assert nsi.mots_entete(packet) == nsi.mots_entete(raw)
    assert nsi.est_conforme(packet, IP(raw).chksum)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (bytes(Ether(**MACS) / ARP(psrc="192.0.2.1", pdst="192.0.2.2")), "IPv4"),
        ("45 00 zz", "hexadecimal digits"),
        (12345, "bytes or a packet, got int"),
        (b"\x45\x00", "20-byte header"),
    ],
)
def test_non_ipv4_input(value: object, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        nsi.mots_entete(value)


def test_est_conforme_rejects_bad_checksum_argument() -> None:
    with pytest.raises(DecodeError, match="checksum from 0 to 0xffff"):
        nsi.est_conforme(nsi.EN_TETE_FICHE, 0x10000)
    with pytest.raises(DecodeError, match="checksum from 0 to 0xffff"):
        nsi.est_conforme(nsi.EN_TETE_FICHE, "0x51b4")  # type: ignore[arg-type]
