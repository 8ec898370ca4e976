"""PPTP's control messages (RFC 2637, TCP 1723): the same bytes and fields as Scapy, the same
dissection as tshark, hostile input given back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import IP, TCP, Ether
from paquet.layers.pptp import (
    PPTP,
    PPTPEchoReply,
    PPTPEchoRequest,
    PPTPOutgoingCallReply,
    PPTPOutgoingCallRequest,
    PPTPStartControlConnectionReply,
)

from .scapy_compare import (
    assert_hostile_round_trip,
    assert_same_as_scapy,
    build,
    one,
    tshark_layers,
)

pytest.importorskip("scapy.all")

CONSTRUCTIONS = [
    "PPTP(ctrl_msg_type=0)",  # (PPTP() alone: type 1, which Scapy cannot dissect back)
    "PPTP(ctrl_msg_type=99, data=b'unknown')",
    "PPTPStartControlConnectionRequest()",
    "PPTPStartControlConnectionRequest(framing_capabilities=3, bearer_capabilities=2, "
    "host_name=b'pns', vendor_string=b'paquet')",
    "PPTPStartControlConnectionReply(result_code=5, error_code=2)",
    "PPTPStopControlConnectionRequest(reason=3)",
    "PPTPStopControlConnectionReply(result_code=2, error_code=1)",
    "PPTPEchoRequest(identifier=0xDEADBEEF)",
    "PPTPEchoReply(identifier=7, result_code=2)",
    "PPTPOutgoingCallRequest(call_id=4, phone_number_len=3, phone_number=b'555')",
    "PPTPOutgoingCallReply(call_id=5, peer_call_id=4, connect_speed=64000)",
    "PPTPIncomingCallRequest(dialed_number_len=2, dialed_number=b'12')",
    "PPTPIncomingCallReply(peer_call_id=3)",
    "PPTPIncomingCallConnected(framing_type=2)",
    "PPTPCallClearRequest(call_id=9)",
    "PPTPCallDisconnectNotify(result_code=3, call_statistic=b'stats')",
    "PPTPWANErrorNotify(crc_errors=1, alignment_errors=6)",
    "PPTPSetLinkInfo(send_accm=0xFFFFFFFF)",
    "IP(src='192.0.2.1', dst='192.0.2.2') / TCP(sport=1723, dport=40000) / PPTPEchoReply()",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_classes_and_answers() -> None:
    assert type(PPTP(bytes(PPTPEchoReply()))) is PPTPEchoReply
    assert PPTPEchoReply(identifier=3).answers(PPTPEchoRequest(identifier=3))
    assert not PPTPEchoReply(identifier=4).answers(PPTPEchoRequest(identifier=3))
    assert PPTPOutgoingCallReply(peer_call_id=8).answers(PPTPOutgoingCallRequest(call_id=8))
    assert type(PPTP(b"\x00\x10\x00\x01")) is PPTP  # too short to name its type


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    messages = [PPTPStartControlConnectionReply(host_name=b"pac", vendor_string=b"paquet",
                                                framing_capabilities=3, bearer_capabilities=1),
                PPTPOutgoingCallReply(call_id=5, peer_call_id=9, connect_speed=64000,
                                      channel_id=2),
                PPTPEchoReply(identifier=77)]
    frames, seq = [], 1000
    for m in messages:
        frames.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
                      / IP(src="192.0.2.1", dst="192.0.2.2")
                      / TCP(sport=1723, dport=40000, flags="PA", seq=seq) / m)
        seq += len(m)
    for tree, frame in zip(tshark_layers(tmp_path, frames), frames, strict=True):
        m = Ether(bytes(frame))[TCP].payload
        assert int(one(tree, "pptp.length")) == m.len
        assert int(one(tree, "pptp.type")) == m.type
        assert int(one(tree, "pptp.magic_cookie"), 16) == m.magic_cookie
        assert int(one(tree, "pptp.control_message_type")) == m.ctrl_msg_type
        if isinstance(m, PPTPStartControlConnectionReply):
            assert int(one(tree, "pptp.protocol_version")) == m.protocol_version
            assert int(one(tree, "pptp.control_result")) == m.result_code
            assert int(one(tree, "pptp.framing_capabilities")) == m.framing_capabilities
            assert int(one(tree, "pptp.bearer_capabilities")) == m.bearer_capabilities
            assert int(one(tree, "pptp.maximum_channels")) == m.maximum_channels
            assert one(tree, "pptp.host_name") == m.host_name.rstrip(b"\0").decode()
            assert one(tree, "pptp.vendor_name") == m.vendor_string.rstrip(b"\0").decode()
        elif isinstance(m, PPTPOutgoingCallReply):
            assert int(one(tree, "pptp.call_id")) == m.call_id
            assert int(one(tree, "pptp.peer_call_id")) == m.peer_call_id
            assert int(one(tree, "pptp.connect_speed")) == m.connect_speed
            assert int(one(tree, "pptp.physical_channel_id")) == m.channel_id
        else:
            assert int(one(tree, "pptp.identifier")) == m.identifier
            assert int(one(tree, "pptp.echo_result")) == m.result_code


@pytest.mark.parametrize("index", [1, 3, 10])
def test_hostile_input_is_given_back(index: int) -> None:
    from .scapy_compare import first_class

    expr = CONSTRUCTIONS[index]
    data = bytes(build("p", expr))
    assert_hostile_round_trip(first_class("p", "PPTP()"), data, seed=index)
    assert IP(bytes(IP() / TCP(sport=1723) / PPTP(data))).haslayer(TCP)
