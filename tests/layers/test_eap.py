"""EAPOL (802.1X) and EAP (RFC 3748) with its methods' framing (MD5, TLS, TTLS, PEAP, FAST,
LEAP) and EAPOL-Key: the same bytes and fields as Scapy, the same dissection as tshark,
hostile input given back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import Ether
from paquet.layers.eap import (
    EAP,
    EAP_FAST,
    EAP_MD5,
    EAP_PEAP,
    EAP_TLS,
    EAP_TTLS,
    EAPOL,
    EAPOL_KEY,
    LEAP,
)
from paquet.pcap import rdpcap

from .scapy_compare import (
    assert_hostile_expr,
    assert_same_as_scapy,
    build,
    colon_hex,
    one,
    tshark_layers,
)

pytest.importorskip("scapy.all")

ETH = "Ether(src='02:00:00:00:00:01', dst='01:80:c2:00:00:03')"
KEY = ("EAPOL_KEY(key_descriptor_type=2, key_type=1, key_ack=1, has_key_mic=0,"
       " key_descriptor_type_version=2,"
       " key_length=16, key_replay_counter=1, key_nonce=b'N' * 32, "
       "key_data=b'\\xdd\\x14' + b'K' * 20)")

CONSTRUCTIONS = [
    "EAPOL()",
    "EAPOL(version=3, type=1)",
    "EAPOL(type=2, len=9)",
    "EAPOL() / EAP()",
    "EAPOL(version=2) / EAP(code=2, id=1, type=1, identity=b'alice')",
    "EAP(code=1, id=7, type=1, message=b'hello')",
    "EAP(code=1, type=1)",
    "EAP(code=2, type=3, desired_auth_types=[13, 21, 25])",
    "EAP(code=3, id=9)",
    "EAP(code=1, type=2, id=1)",
    "EAP_MD5()",
    "EAP_MD5(id=2, value=b'0123456789abcdef', optional_name=b'srv')",
    "EAP_MD5(code=2, value=b'\\x01' * 16)",
    "EAP_TLS()",
    "EAP_TLS(id=3, L=1, M=1, tls_message_len=1000, tls_data=b'\\x16\\x03\\x01\\x00\\x05hello')",
    "EAP_TLS(code=2, S=1)",
    "EAP_TTLS(S=1, version=1, data=b'xx')",
    "EAP_TTLS(L=1, message_len=5, data=b'abcde')",
    "EAP_PEAP()",
    "EAP_PEAP(L=1, tls_message_len=3, tls_data=b'abc', version=0)",
    "EAP_FAST(version=1, data=b'q')",
    "EAP_FAST(L=1, M=1, message_len=9)",
    "LEAP(challenge_response=b'12345678', username=b'u')",
    "LEAP(code=2, challenge_response=b'\\x00' * 24, username=b'bob')",
    f"{ETH} / EAPOL(type=1)",
    f"{ETH} / EAPOL(version=2) / EAP_PEAP(id=3, S=1)",
    f"EAPOL(type=3) / {KEY}",
    "EAPOL_KEY()",
    "EAPOL_KEY(key_descriptor_type=2, has_key_mic=0, install=1, secure=1, error=1, request=1,"
    " encrypted_key_data=1, smk_message=1, key_mic=b'M' * 16, key_rsc=b'R' * 8, key_id=b'I' * 8,"
    " key_iv=b'V' * 16)",
    "Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src='192.0.2.1', "
    "dst='192.0.2.2') / GRE() / EAPOL() / EAP(code=4, id=2)",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_methods_by_type_and_matching() -> None:
    for cls in (EAP_MD5, EAP_TLS, EAP_TTLS, EAP_PEAP, EAP_FAST, LEAP):
        assert type(EAP(bytes(cls()))) is cls
        assert type(EAP(bytes(cls(code=2)))) is cls
    pkt = EAPOL(bytes(EAPOL() / EAP_TLS(id=4)))
    assert type(pkt.payload) is EAP_TLS and pkt.payload.id == 4
    request = EAPOL() / EAP(code=1, id=1, type=1)
    response = EAPOL() / EAP(code=2, id=1, type=1, identity=b"bob")
    assert response.answers(request) and not request.answers(response)
    assert EAP(code=3).answers(EAP(code=2, type=4))
    assert Ether(bytes(Ether(src="02:00:00:00:00:01") / EAPOL())).dst == "01:80:c2:00:00:03"


def test_eapol_len_keeps_padding_apart() -> None:
    frame = bytes(Ether(src="02:00:00:00:00:01") / EAPOL() / EAP(code=3, id=1)) + b"\x00" * 30
    pkt = Ether(frame)
    assert pkt[EAPOL].len == 4 and pkt[EAP].code == 3 and bytes(pkt) == frame
    assert pkt.summary() == "Ether / EAPOL / EAP Success Reserved / Padding"  # (Scapy's)


def test_key_message_numbers() -> None:
    base = {"key_type": 1}
    assert EAPOL_KEY(**base, key_ack=1, has_key_mic=0).guess_key_number() == 1
    assert EAPOL_KEY(**base).guess_key_number() == 2
    assert EAPOL_KEY(**base, key_ack=1, install=1).guess_key_number() == 3
    assert EAPOL_KEY(**base, secure=1).guess_key_number() == 4
    assert EAPOL_KEY().guess_key_number() == 0


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = [build("p", f"{ETH} / EAPOL(version=2) / {e}") for e in (
        "EAP(code=2, id=1, type=1, identity=b'alice')",
        "EAP(code=1, id=1, type=1)",
        "EAP(code=3, id=9)",
        "EAP(code=2, id=5, type=3, desired_auth_types=[13])",
        "EAP_MD5(id=2, value=b'0123456789abcdef', optional_name=b'srv')",
        "EAP_TLS(id=3, L=1, M=1, tls_message_len=1000, tls_data=b'\\x16\\x03\\x01\\x00\\x05hi')",
        "EAP_TLS(id=4, S=1)",
        "EAP_TTLS(id=5, S=1, version=0)",
        "EAP_PEAP(id=6, S=1)",
        "EAP_FAST(id=7, S=1, version=1)",
    )] + [build("p", f"{ETH} / EAPOL(version=2, type=3) / {KEY}"),
          build("p", f"{ETH} / EAPOL(version=1, type=1)")]
    trees = tshark_layers(tmp_path, frames)
    for tree, pkt in zip(trees, rdpcap(str(tmp_path / "frames.pcap")), strict=True):
        eapol = pkt[EAPOL]
        assert int(one(tree, "eapol.version")) == eapol.version
        assert int(one(tree, "eapol.type")) == eapol.type
        assert int(one(tree, "eapol.len")) == eapol.len
        if EAPOL_KEY in pkt:
            key = pkt[EAPOL_KEY]
            assert int(one(tree, "eapol.keydes.type")) == key.key_descriptor_type
            info = int(one(tree, "wlan_rsna_eapol.keydes.key_info"), 16)
            assert info == int.from_bytes(bytes(key)[1:3], "big")
            assert int(one(tree, "eapol.keydes.key_len")) == key.key_length
            assert int(one(tree, "eapol.keydes.replay_counter")) == key.key_replay_counter
            assert one(tree, "wlan_rsna_eapol.keydes.nonce") == colon_hex(key.key_nonce)
            assert int(one(tree, "wlan_rsna_eapol.keydes.data_len")) == key.key_data_length
            assert one(tree, "wlan_rsna_eapol.keydes.data") == colon_hex(key.key_data)
            assert int(one(tree, "wlan_rsna_eapol.keydes.msgnr")) == key.guess_key_number()
            continue
        if eapol.type != 0:
            continue
        eap = eapol.payload  # (an EAP, or the class of its method)
        assert int(one(tree, "eap.code")) == eap.code
        assert int(one(tree, "eap.id")) == eap.id
        assert int(one(tree, "eap.len")) == eap.len
        if eap.code in (1, 2):
            assert int(one(tree, "eap.type")) == eap.type
        if eap.type == 1 and eap.code == 2:
            assert one(tree, "eap.identity") == eap.identity.decode()
        if eap.type == 3:
            assert [int(one(tree, "eap.desired_type"))] == eap.desired_auth_types
        if isinstance(eap, EAP_MD5):
            assert int(one(tree, "eap.md5.value_size")) == eap.value_size
            assert one(tree, "eap.md5.value") == colon_hex(eap.value)
            assert one(tree, "eap.md5.extra_data") == colon_hex(eap.optional_name)
        if isinstance(eap, (EAP_TLS, EAP_TTLS, EAP_PEAP, EAP_FAST)):
            assert int(one(tree, "eap.tls.flags"), 16) == bytes(eap)[5]
            assert int(one(tree, "eap.tls.flags.len_included")) == eap.L
            assert int(one(tree, "eap.tls.flags.more_fragments")) == eap.M
            assert int(one(tree, "eap.tls.flags.start")) == eap.S
            if eap.L:
                assert int(one(tree, "eap.tls.len")) == eap.tls_message_len
            if isinstance(eap, (EAP_TTLS, EAP_PEAP, EAP_FAST)):
                assert int(one(tree, "eap.tls.flags.version")) == eap.version


@pytest.mark.parametrize("index", [4, 7, 11, 14, 17, 22, 26])
def test_hostile_input_is_given_back(index: int) -> None:
    expr = CONSTRUCTIONS[index]
    assert_hostile_expr(expr, seed=index)
