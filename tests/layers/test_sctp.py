"""SCTP (RFC 9260): the same bytes as Scapy (CRC32c included), the same dissection as tshark,
hostile input kept byte for byte."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
from scapy.layers import inet as sinet  # noqa: E402
from scapy.layers import inet6 as sinet6  # noqa: E402
from scapy.layers import sctp as ssctp  # noqa: E402

import paquet.layers.sctp as psctp  # noqa: E402
import paquet.layers.sctp_params as pparams  # noqa: E402
from paquet.layers import IP, Ether, IPv6  # noqa: E402
from paquet.packet.base import Packet  # noqa: E402
from paquet.volatile import RandBin, RandNum  # noqa: E402
from paquet.volatile.fuzzing import fuzz  # noqa: E402

from .scapy_compare import flat_layers, needs_tshark, outer_values, tshark_layers  # noqa: E402

SRC, DST = "192.0.2.1", "192.0.2.2"

# (description, [(class name, fields)]): each built by both libraries.
Spec = list[tuple[str, dict[str, Any]]]
CONSTRUCTIONS: list[tuple[str, Spec]] = [
    ("header defaults", [("SCTP", {})]),
    ("ports and tag", [("SCTP", {"sport": 36412, "dport": 2905, "tag": 0xDEADBEEF})]),
    ("a checksum given, kept wrong", [("SCTP", {"chksum": 0x1234})]),
    ("INIT defaults", [("SCTP", {}), ("SCTPChunkInit", {})]),
    ("INIT with addresses", [("SCTP", {"dport": 80}), ("SCTPChunkInit", {
        "init_tag": 0x11223344, "a_rwnd": 106496, "n_out_streams": 10, "n_in_streams": 65535,
        "init_tsn": 0x55667788, "params": [
            ("SCTPChunkParamIPv4Addr", {"addr": SRC}),
            ("SCTPChunkParamIPv6Addr", {"addr": "2001:db8::1"}),
            ("SCTPChunkParamECNCapable", {}), ("SCTPChunkParamFwdTSN", {}),
            ("SCTPChunkParamSupportedAddrTypes", {"addr_type_list": ["IPv4", "IPv6"]}),
            ("SCTPChunkParamSupportedExtensions", {}),
            ("SCTPChunkParamHostname", {"hostname": b"host.example"}),
            ("SCTPChunkParamCookiePreservative", {"sug_cookie_inc": 1000}),
            ("SCTPChunkParamAdaptationLayer", {"indication": 7}),
            ("SCTPChunkParamChunkList", {"chunk_list": [0, 3, "sack"]}),
            ("SCTPChunkParamRequestedHMACFunctions", {}),
            ("SCTPChunkParamRandom", {"random": b"r" * 32}),
        ]})]),
    ("INIT ACK with a cookie", [("SCTP", {"tag": 5}), ("SCTPChunkInitAck", {
        "init_tag": 1, "params": [
            ("SCTPChunkParamStateCookie", {"cookie": b"cookie!"}),
            ("SCTPChunkParamUnrocognizedParam", {"param": b"\x00\x0b\x00\x05x"})]})]),
    ("DATA, whole message", [("SCTP", {}), ("SCTPChunkData", {
        "tsn": 1, "stream_id": 2, "stream_seq": 3, "proto_id": 46, "beginning": 1,
        "ending": 1, "data": b"hello"})]),
    ("DATA, flags", [("SCTP", {}), ("SCTPChunkData", {
        "unordered": 1, "delay_sack": 1, "reserved": 3, "data": b"0123456789abcdef"})]),
    ("I-DATA", [("SCTP", {}), ("SCTPChunkIData", {
        "tsn": 9, "message_id": 4, "beginning": 1, "ppid_fsn": 18, "data": b"abc"})]),
    ("SACK", [("SCTP", {}), ("SCTPChunkSACK", {
        "cumul_tsn_ack": 100, "a_rwnd": 4096, "gap_ack_list": ["2:5", (7, 9)],
        "dup_tsn_list": [3, 4, 5]})]),
    ("HEARTBEAT and ACK", [("SCTP", {}), ("SCTPChunkHeartbeatReq", {
        "params": [("SCTPChunkParamHeartbeatInfo", {"data": b"\x01\x02\x03"})]}),
        ("SCTPChunkHeartbeatAck", {})]),
    ("ABORT with T", [("SCTP", {}), ("SCTPChunkAbort", {"TCB": 1, "error_causes": b"\0\1\0\4"})]),
    ("SHUTDOWN family", [("SCTP", {}), ("SCTPChunkShutdown", {"cumul_tsn_ack": 77}),
                         ("SCTPChunkShutdownAck", {}), ("SCTPChunkShutdownComplete", {"TCB": 1})]),
    ("ERROR", [("SCTP", {}), ("SCTPChunkError", {"error_causes": b"\x00\x0b\x00\x05x"})]),
    ("COOKIE ECHO and ACK", [("SCTP", {}), ("SCTPChunkCookieEcho", {"cookie": b"abcdef"}),
                             ("SCTPChunkCookieAck", {})]),
    ("AUTH", [("SCTP", {}), ("SCTPChunkAuthentication", {
        "shared_key_id": 1, "HMAC_function": 1, "HMAC": b"h" * 20})]),
    ("ASCONF", [("SCTP", {}), ("SCTPChunkAddressConf", {"seq": 3, "params": [
        ("SCTPChunkParamIPv4Addr", {"addr": SRC}),
        ("SCTPChunkParamAddIPAddr", {"correlation_id": 1, "addr": DST}),
        ("SCTPChunkParamDelIPAddr", {"correlation_id": 2, "addr_type": 6,
                                     "addr": "2001:db8::2"}),
        ("SCTPChunkParamSetPrimaryAddr", {"correlation_id": 3})]})]),
    ("ASCONF, addresses of other types", [("SCTP", {}), ("SCTPChunkAddressConf", {"params": [
        ("SCTPChunkParamAddIPAddr", {"addr_type": 7, "addr": b"abc"}),
        ("SCTPChunkParamAddIPAddr", {"addr_type": 7, "addr": b"abcdef", "addr_len": 5}),
        ("SCTPChunkParamDelIPAddr", {"addr_type": 11})]})]),
    ("ASCONF ACK", [("SCTP", {}), ("SCTPChunkAddressConfAck", {"seq": 3, "params": [
        ("SCTPChunkParamSuccessIndication", {"correlation_id": 1}),
        ("SCTPChunkParamErrorIndication", {"correlation_id": 2, "error_causes": b"ab"})]})]),
    ("FORWARD TSN", [("SCTP", {}), ("SCTPChunkForwardTSN", {
        "new_tsn": 8, "skips": [("SCTPForwardSkip", {"stream_id": 1, "stream_seq": 2})]})]),
    ("RE-CONFIG", [("SCTP", {}), ("SCTPChunkReConfig", {"params": [
        ("SCTPChunkParamOutSSNResetReq", {"re_conf_req_seq_num": 1, "re_conf_res_seq_num": 2,
                                          "tsn": 3, "stream_num_list": [1, 2, 3]}),
        ("SCTPChunkParamReConfigRes", {"re_conf_res_seq_num": 1, "result": 1,
                                       "sender_next_tsn": 0, "receiver_next_tsn": 0})]})]),
    ("PAD", [("SCTP", {}), ("SCTPChunkPad", {"padding": b"\0" * 5})]),
]


def _cls(lib: str, name: str) -> Any:
    if lib == "s":
        return getattr(ssctp, name)
    return getattr(psctp, name, None) or getattr(pparams, name)


def _layer(lib: str, name: str, fields: dict[str, Any]) -> Any:
    values = {k: ([_layer(lib, *item) for item in v] if k in ("params", "skips") else v)
              for k, v in fields.items()}
    return _cls(lib, name)(**values)


def _stack(lib: str, spec: Spec, v6: bool = False) -> Any:
    if v6:
        pkt = (sinet6.IPv6 if lib == "s" else IPv6)(src="2001:db8::1", dst="2001:db8::2")
    else:
        pkt = (sinet.IP if lib == "s" else IP)(src=SRC, dst=DST)
    for name, fields in spec:
        pkt = pkt / _layer(lib, name, fields)
    return pkt


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: Spec) -> None:
    assert bytes(_stack("p", spec)) == bytes(_stack("s", spec))
    assert bytes(_stack("p", spec, v6=True)) == bytes(_stack("s", spec, v6=True))


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: Spec) -> None:
    data = bytes(_stack("s", spec))
    mine, theirs = IP(data), sinet.IP(data)
    assert bytes(mine) == data
    assert flat_layers(mine[psctp.SCTP]) == flat_layers(theirs[ssctp.SCTP])


def test_checksum_is_flagged_and_crc32c_is_scapys() -> None:
    rng = random.Random(7)
    for n in (0, 1, 3, 4, 100, 1000):
        data = bytes(rng.randrange(256) for _ in range(n))
        assert psctp.crc32c(data) == ssctp.crc32c(data)
    good = psctp.SCTP(bytes(psctp.SCTP(sport=1) / psctp.SCTPChunkCookieAck()))
    assert good.chksum == good.expected_chksum()
    bad = psctp.SCTP(bytes(psctp.SCTP(sport=1, chksum=1) / psctp.SCTPChunkCookieAck()))
    assert bad.chksum == 1 != bad.expected_chksum()


def test_bindings_and_answers() -> None:
    pkt = IP(bytes(IP(src=SRC, dst=DST) / psctp.SCTP(sport=1, dport=2)))
    assert pkt.proto == 132 and isinstance(pkt.payload, psctp.SCTP)
    v6 = IPv6(bytes(IPv6() / psctp.SCTP()))
    assert v6.nh == 132 and isinstance(v6.payload, psctp.SCTP)
    probe = psctp.SCTP(sport=1, dport=2)
    assert psctp.SCTP(sport=2, dport=1).answers(probe)
    assert not psctp.SCTP(sport=2, dport=3).answers(probe)


def _sctp_layers(tree: dict[str, Any]) -> list[dict[str, Any]]:
    layers = tree["sctp"]
    return layers if isinstance(layers, list) else [layers]


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = [Ether() / _stack("p", spec) for _, spec in CONSTRUCTIONS]
    trees = tshark_layers(tmp_path, frames, "-o", "sctp.checksum:CRC-32C")
    assert len(trees) == len(frames)
    for frame, tree in zip(frames, trees, strict=True):
        pkt = Ether(bytes(frame))
        hdr = pkt[psctp.SCTP]
        node = _sctp_layers(tree)
        assert outer_values(node, "sctp.srcport")[0] == str(hdr.sport)
        assert outer_values(node, "sctp.dstport")[0] == str(hdr.dport)
        assert int(outer_values(node, "sctp.verification_tag")[0], 16) == hdr.tag
        assert int(outer_values(node, "sctp.checksum")[0], 16) == hdr.chksum
        good = hdr.chksum == hdr.expected_chksum()
        assert outer_values(node, "sctp.checksum.status")[0] == ("1" if good else "0")
        chunks = []
        layer = hdr.payload
        while layer and type(layer).__name__.startswith("SCTPChunk"):
            chunks.append(layer)
            layer = layer.payload
        assert [int(t) for t in outer_values(node, "sctp.chunk_type")] == [c.type for c in chunks]
        assert [int(t) for t in outer_values(node, "sctp.chunk_length")] == [c.len for c in chunks]
        params = [p for c in chunks for p in (c.params if "params" in c.fields else [])]
        if any(type(p).__name__ == "Raw" for p in params):
            continue  # (RE-CONFIG's parameters: Raw for Scapy, whose table names no class)
        # (tshark dissects the parameter an unrecognized-parameter one quotes, and the
        # address of an ASCONF parameter, as parameters too)
        types = []
        for p in params:
            types.append(p.type)
            if isinstance(p, pparams.SCTPChunkParamUnrocognizedParam):
                types.append(int.from_bytes(p.param[:2], "big"))
            elif isinstance(p, pparams.SCTPChunkParamAddIPAddr):
                types.append(p.addr_type)
        assert [int(t, 16) for t in outer_values(node, "sctp.parameter_type")] == types
        for c in chunks:
            if type(c) is psctp.SCTPChunkInit:
                assert int(outer_values(node, "sctp.init_initiate_tag")[0], 16) == c.init_tag
                assert int(outer_values(node, "sctp.init_credit")[0]) == c.a_rwnd
            if isinstance(c, psctp.SCTPChunkData):
                assert int(outer_values(node, "sctp.data_tsn_raw")[0]) == c.tsn
                assert int(outer_values(node, "sctp.data_payload_proto_id")[0]) == c.proto_id
            if isinstance(c, psctp.SCTPChunkSACK):
                assert int(outer_values(node, "sctp.sack_cumulative_tsn_ack_raw")[0]) == (
                    c.cumul_tsn_ack)
                assert [int(t) for t in outer_values(node, "sctp.sack_duplicate_tsn")] == (
                    c.dup_tsn_list)
        addrs = [p.addr for p in params if isinstance(p, pparams.SCTPChunkParamIPv4Addr) or (
            isinstance(p, pparams.SCTPChunkParamAddIPAddr) and p.addr_type == 5)]
        assert outer_values(node, "sctp.parameter_ipv4_address") == addrs


def _frames() -> list[bytes]:
    return [bytes(_stack("s", spec)) for _, spec in CONSTRUCTIONS]


def test_truncations_round_trip() -> None:
    for frame in _frames():
        sctp = frame[20:]
        for cut in range(1, len(sctp) + 1):  # (b"": the defaults, as Scapy)
            pkt = psctp.SCTP(sctp[:cut])
            assert bytes(pkt) == sctp[:cut]
            pkt.show(dump=True)


def test_hostile_bytes_round_trip() -> None:
    rng = random.Random(132)
    frames = _frames()
    for _ in range(1500):
        data = bytearray(rng.choice(frames)[20:])
        for _ in range(rng.randrange(1, 6)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        blob = bytes(data)
        pkt = psctp.SCTP(blob)
        assert bytes(pkt) == blob
        pkt.summary()


# The chunks and parameters are reached through the header's payload guessing, not through
# bindings: the registry's fuzz test (test_fuzz_every_layer.py) does not see them.
_INNER = [getattr(m, n) for m in (psctp, pparams) for n in m.__all__
          if isinstance(getattr(m, n), type) and issubclass(getattr(m, n), Packet)
          and getattr(m, n) not in (psctp.SCTP, psctp.SCTPerror)]


@pytest.mark.parametrize("cls", _INNER, ids=lambda c: c.__name__)
def test_fuzzed_chunks_and_parameters_dissect_back(cls: type[Packet]) -> None:
    random.seed(0x84)
    template = fuzz(cls())
    d = template.__dict__
    for name, value in list(d.items()):
        if isinstance(value, RandBin) and isinstance(value.size, RandNum):
            d[name] = RandBin(RandNum(0, 24))
    for i in range(300):
        frame = bytes(template)
        back = cls(frame)
        assert bytes(back) == frame, (cls.__name__, i, frame.hex())
        back.show(dump=True)


def test_icmp_error_quoting_sctp_answers_as_scapys() -> None:
    from scapy.layers import inet as si

    from paquet.layers import ICMP, IPerror

    probe = IP(src=SRC, dst=DST) / psctp.SCTP(sport=5000, dport=80) / psctp.SCTPChunkInit()
    quote = bytes(probe)[:48]
    error = IP(bytes(IP(src=DST, dst=SRC) / ICMP(type=3, code=3) / IPerror(quote)))
    theirs = si.IP(bytes(error))
    assert error.summary() == theirs.summary()
    assert isinstance(error[IPerror].payload, psctp.SCTPerror)
    assert bool(error.answers(probe)) == bool(theirs.answers(si.IP(bytes(probe)))) is True
    assert error.hashret() == probe.hashret()
    other = IP(src=SRC, dst=DST) / psctp.SCTP(sport=5001, dport=80)
    assert not error.answers(other)
