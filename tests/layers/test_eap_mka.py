"""MACsec Key Agreement (EAPOL type 5): the same bytes and fields as Scapy, the same
dissection as tshark's ``mka`` dissector, hostile input given back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers.eap import EAPOL
from paquet.layers.eap_mka import (
    MKAPDU,
    MKAICVSet,
    MKALivePeerListParamSet,
    MKASAKUseParamSet,
)

from .scapy_compare import (
    assert_hostile_expr,
    assert_same_as_scapy,
    build,
    colon_hex,
    one,
    tshark_layers,
)

pytest.importorskip("scapy.all")

BASIC = ("MKABasicParamSet(mka_version_id=1, key_server_priority=16, key_server=1, "
         "macsec_desired=1, macsec_capability=2, param_set_body_len=44, "
         "SCI=MACsecSCI(system_identifier='02:00:00:00:00:01', port_identifier=1), "
         "actor_member_id=b'A' * 12, actor_message_number=5, algorithm_agility=0x0080C201, "
         "cak_name=b'C' * 16)")
LIVE = ("MKALivePeerListParamSet(param_set_body_len=16, member_id_message_num=["
        "MKAPeerListTuple(member_id=b'B' * 12, message_number=b'\\x00\\x00\\x00\\x07')])")
SAK_USE = ("MKASAKUseParamSet(param_set_body_len=40, latest_key_an=1, latest_key_tx=1, "
           "latest_key_rx=1, delay_protect=1, latest_key_key_server_member_id=b'A' * 12, "
           "latest_key_key_number=b'\\x00\\x00\\x00\\x01', "
           "latest_key_lowest_acceptable_pn=b'\\x00\\x00\\x00\\x01', "
           "old_key_key_server_member_id=b'\\x00' * 12, old_key_key_number=b'\\x00' * 4, "
           "old_key_lowest_acceptable_pn=b'\\x00' * 4)")
ICV = "MKAICVSet(param_set_body_len=16, icv=b'I' * 16)"
DIST_SAK = ("MKADistributedSAKParamSet(param_set_body_len=28, distributed_an=1, "
            "key_number=b'\\x00\\x00\\x00\\x01', sak_aes_key_wrap=b'W' * 24)")
DIST_SAK_SUITE = ("MKADistributedSAKParamSet(param_set_body_len=36, "
                  "key_number=b'\\x00\\x00\\x00\\x02', macsec_cipher_suite=b'\\x00\\x80\\xc2"
                  "\\x00\\x01\\x00\\x00\\x01', sak_aes_key_wrap=b'W' * 24)")
DIST_CAK = ("MKADistributedCAKParamSet(param_set_body_len=28, cak_aes_key_wrap=b'K' * 24, "
            "cak_key_name=b'name')")
ETH = "Ether(src='02:00:00:00:00:01', dst='01:80:c2:00:00:03')"

CONSTRUCTIONS = [
    "MACsecSCI(system_identifier='02:00:00:00:00:09', port_identifier=7)",
    BASIC,
    "MKABasicParamSet(param_set_body_len=29, cak_name=b'x')",
    LIVE,
    LIVE.replace("MKALive", "MKAPotential"),
    SAK_USE,
    DIST_SAK,
    DIST_SAK_SUITE,
    DIST_CAK,
    ICV,
    f"MKAPDU(basic_param_set={BASIC}, parameter_sets=[{ICV}])",
    f"EAPOL(version=3, type=5) / MKAPDU(basic_param_set={BASIC}, parameter_sets=[{LIVE}, "
    f"{SAK_USE}, {DIST_SAK}, {ICV}])",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_parameter_sets_by_type() -> None:
    pdu = EAPOL(bytes(build("p", CONSTRUCTIONS[-1])))[MKAPDU]
    assert [type(s) for s in pdu.parameter_sets] == [
        MKALivePeerListParamSet, MKASAKUseParamSet,
        type(build("p", DIST_SAK)), MKAICVSet]
    assert pdu.parameter_sets[-1].icv == b"I" * 16


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frame = build("p", f"{ETH} / EAPOL(version=3, type=5) / MKAPDU(basic_param_set={BASIC}, "
                       f"parameter_sets=[{LIVE}, {SAK_USE}, {ICV}])")
    tree = tshark_layers(tmp_path, [frame])[0]
    pdu = EAPOL(bytes(frame[EAPOL]))[MKAPDU]
    basic = pdu.basic_param_set
    assert int(one(tree, "mka.version_id")) == basic.mka_version_id
    assert int(one(tree, "mka.ks_prio")) == basic.key_server_priority
    assert int(one(tree, "mka.key_server")) == basic.key_server
    assert int(one(tree, "mka.macsec_desired")) == basic.macsec_desired
    assert int(one(tree, "mka.macsec_capability")) == basic.macsec_capability
    assert one(tree, "mka.sci") == colon_hex(bytes(basic.SCI))
    assert one(tree, "mka.actor_mi") == colon_hex(basic.actor_member_id)
    assert int(one(tree, "mka.actor_mn").replace(":", ""), 16) == basic.actor_message_number
    assert int(one(tree, "mka.algo_agility"), 16) == basic.algorithm_agility
    assert one(tree, "mka.cak_name") == colon_hex(basic.cak_name)
    live, sak, icv = pdu.parameter_sets
    peer = live.member_id_message_num[0]
    assert one(tree, "mka.peer_mi") == colon_hex(peer.member_id)
    assert one(tree, "mka.peer_mn") == colon_hex(peer.message_number)
    for name in ("latest_key_an", "latest_key_tx", "latest_key_rx", "old_key_an", "plain_tx",
                 "plain_rx", "delay_protect"):
        assert int(one(tree, f"mka.{name}")) == getattr(sak, name), name
    assert one(tree, "mka.latest_key_server_mi") == colon_hex(
        sak.latest_key_key_server_member_id)
    assert one(tree, "mka.latest_key_number") == colon_hex(sak.latest_key_key_number)
    assert one(tree, "mka.icv") == colon_hex(icv.icv)


@pytest.mark.parametrize("index", [10, 11])
def test_hostile_input_is_given_back(index: int) -> None:
    expr = CONSTRUCTIONS[index]
    assert_hostile_expr(expr, seed=index)
