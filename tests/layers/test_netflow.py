"""NetFlow v1/v5/v9 and IPFIX: the same bytes as Scapy, exports of a real exporter
(softflowd reading a pcap) dissected as Scapy and tshark dissect them, hostile bytes kept."""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
from scapy.layers import inet as sinet  # noqa: E402
from scapy.layers import netflow as snf  # noqa: E402

import paquet.layers.netflow as pnf  # noqa: E402
import paquet.layers.netflow_fields as pfields  # noqa: E402
from paquet.layers import IP, TCP, UDP, Ether, Raw  # noqa: E402
from paquet.pcap import wrpcap  # noqa: E402

from .scapy_compare import flat_layers, outer_values, tshark_layers  # noqa: E402

Spec = list[tuple[str, dict[str, Any]]]
_LISTS = ("templates", "template_fields", "records", "scopes", "options")


def _cls(lib: str, name: str) -> Any:
    if lib == "s":
        return getattr(snf, name)
    return getattr(pnf, name, None) or getattr(pfields, name)


def _layer(lib: str, name: str, fields: dict[str, Any]) -> Any:
    values = {k: ([_layer(lib, *item) for item in v] if k in _LISTS else v)
              for k, v in fields.items()}
    return _cls(lib, name)(**values)


def _stack(lib: str, spec: Spec) -> Any:
    pkt = (sinet.UDP if lib == "s" else UDP)()
    for name, fields in spec:
        pkt = pkt / _layer(lib, name, fields)
    return pkt


_TEMPLATE = ("NetflowFlowsetV9", {"templates": [("NetflowTemplateV9", {
    "templateID": 256, "template_fields": [
        ("NetflowTemplateFieldV9", {"fieldType": t}) for t in (8, 12, 1, 2, 7, 11, 4, 6)]})]})
CONSTRUCTIONS: list[tuple[str, Spec]] = [
    ("header defaults", [("NetflowHeader", {})]),
    ("v1", [("NetflowHeader", {"version": 1}), ("NetflowHeaderV1", {"sysUptime": 5}),
            ("NetflowRecordV1", {"ipsrc": "192.0.2.1", "dpkts": 3, "proto": 6}),
            ("NetflowRecordV1", {})]),
    ("v5", [("NetflowHeader", {"version": 5}), ("NetflowHeaderV5", {
        "unixSecs": 1700000000, "unixNanoSeconds": 5, "flowSequence": 9, "engineID": 2}),
        ("NetflowRecordV5", {"src": "192.0.2.1", "dst": "198.51.100.2", "dstport": 443,
                             "tcpFlags": "SA", "prot": 17}),
        ("NetflowRecordV5", {})]),
    ("v5, count given", [("NetflowHeader", {"version": 5}), ("NetflowHeaderV5", {"count": 7}),
                         ("NetflowRecordV5", {})]),
    ("v9 template and data", [("NetflowHeader", {"version": 9}),
                              ("NetflowHeaderV9", {"unixSecs": 3, "SourceID": 4}), _TEMPLATE,
                              ("NetflowDataflowsetV9", {"templateID": 256, "records": [
                                  ("NetflowRecordV9", {"fieldValue": bytes(range(22)) * 2})]})]),
    ("v9 data padded", [("NetflowHeader", {"version": 9}), ("NetflowHeaderV9", {"unixSecs": 3}),
                        ("NetflowDataflowsetV9", {"templateID": 300, "records": [
                            ("NetflowRecordV9", {"fieldValue": b"abcde"})]})]),
    ("v9 enterprise field", [("NetflowHeader", {"version": 9}), ("NetflowHeaderV9", {
        "unixSecs": 1}), ("NetflowFlowsetV9", {"templates": [("NetflowTemplateV9", {
            "template_fields": [("NetflowTemplateFieldV9", {
                "enterpriseBit": 1, "fieldType": 5, "fieldLength": 2,
                "enterpriseNumber": 9})]})]})]),
    ("v9 options template", [("NetflowHeader", {"version": 9}), ("NetflowHeaderV9", {
        "unixSecs": 3}), ("NetflowOptionsFlowsetV9", {
            "option_scope_length": 4, "option_field_length": 8,
            "scopes": [("NetflowOptionsFlowsetScopeV9", {"scopeFieldType": 1,
                                                         "scopeFieldlength": 4})],
            "options": [("NetflowOptionsFlowsetOptionV9", {"optionFieldType": 40,
                                                           "optionFieldlength": 4}),
                        ("NetflowOptionsFlowsetOptionV9", {"optionFieldType": 41,
                                                           "optionFieldlength": 4})]})]),
    ("IPFIX", [("NetflowHeader", {"version": 10}), ("NetflowHeaderV10", {
        "ExportTime": 1700000000, "ObservationDomainID": 1}),
        ("NetflowFlowsetV9", {"flowSetID": 2, "templates": [("NetflowTemplateV9", {
            "templateID": 258, "template_fields": [
                ("NetflowTemplateFieldV9", {"fieldType": 8}),
                ("NetflowTemplateFieldV9", {"fieldType": 27})]})]}),
        ("NetflowDataflowsetV9", {"templateID": 258, "records": [
            ("NetflowRecordV9", {"fieldValue": bytes(20)})]})]),
    ("IPFIX options template, options cut", [("NetflowHeader", {"version": 10}),
                                             ("NetflowHeaderV10", {}),
                                             ("NetflowOptionsFlowset10", {
                                                 "scope_field_count": 1, "length": 14})]),
    ("IPFIX options template", [("NetflowHeader", {"version": 10}), ("NetflowHeaderV10", {}),
                                ("NetflowOptionsFlowset10", {
                                    # (pad given: when None, Scapy's post_build cuts the
                                    # options off, as paquet's does, bytes for bytes)
                                    "scope_field_count": 1, "pad": b"",
                                    "scopes": [("NetflowOptionsFlowsetScopeV9", {
                                        "scopeFieldType": 1, "scopeFieldlength": 4})],
                                    "options": [("NetflowOptionsFlowsetOptionV9", {
                                        "optionFieldType": 40, "optionFieldlength": 4})]})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: Spec) -> None:
    assert bytes(_stack("p", spec)) == bytes(_stack("s", spec))


def _agree(data: bytes, defragment: bool = False) -> None:
    mine, theirs = UDP(data), sinet.UDP(data)
    if defragment:
        mine = pnf.netflowv9_defragment([mine])[0]
        theirs = snf.netflowv9_defragment([theirs])[0]
    assert bytes(mine) == data
    assert flat_layers(mine) == flat_layers(theirs)


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: Spec) -> None:
    if what == "IPFIX options template, options cut":
        # A list item cut short (2 bytes of a 4-byte scope): Scapy's PacketListField makes
        # it Raw (its dissection raised), paquet's engine a partial item; bytes agree.
        pytest.skip("a truncated list item: Raw in Scapy, a partial packet in paquet")
    data = bytes(_stack("s", spec))
    _agree(data)
    _agree(data, defragment=True)


def test_field_types_are_scapys() -> None:
    for number, name in pfields.NETFLOW_V9_FIELD_TYPES.items():
        assert snf.NetflowV910TemplateFieldTypes[number] == name
        mine = pnf.NetflowTemplateFieldV9(fieldType=number).fieldLength
        assert mine == snf.NetflowTemplateFieldV9(fieldType=number).fieldLength, number


def test_template_records_and_errors() -> None:
    data = bytes(_stack("s", CONSTRUCTIONS[4][1]))
    flowset = UDP(data)[pnf.NetflowFlowsetV9]
    cls = pnf.GetNetflowRecordV9(flowset)
    theirs = snf.GetNetflowRecordV9(sinet.UDP(data)[snf.NetflowFlowsetV9])
    record = bytes(range(22))
    assert cls(record).fields == theirs(record).fields
    from paquet.errors import PaquetError

    with pytest.raises(PaquetError):
        pnf.GetNetflowRecordV9(pnf.NetflowFlowsetV9())


# ---------------------------------------------------------------------- a real exporter


def _flows_pcap(path: Path) -> list[Any]:
    frames = [Ether() / IP(src="192.0.2.1", dst="198.51.100.2")
              / TCP(sport=1000 + i % 3, dport=80, flags="S" if i < 3 else "A") / Raw(b"x" * i)
              for i in range(9)]
    frames.append(Ether() / IP(src="192.0.2.7", dst="198.51.100.9") / UDP(sport=53, dport=5353)
                  / Raw(b"q"))
    for i, frame in enumerate(frames):
        frame.time = 1_700_000_000 + i
    wrpcap(str(path), frames)
    return frames


def _softflowd(tmp_path: Path, version: int) -> list[bytes]:
    """The datagrams softflowd exports (to a socket of ours on loopback) for a pcap."""
    pcap = tmp_path / "flows.pcap"
    _flows_pcap(pcap)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx:
        rx.bind(("127.0.0.1", 0))
        port = rx.getsockname()[1]
        subprocess.run(["softflowd", "-r", str(pcap), "-n", f"127.0.0.1:{port}", "-v",
                        str(version), "-d"], capture_output=True, timeout=60, check=True)
        rx.setblocking(False)  # (softflowd has exited: its datagrams are all queued)
        out = []
        while True:
            try:
                out.append(rx.recv(65535))
            except BlockingIOError:
                return out


def _tshark(tmp_path: Path, datagrams: list[bytes]) -> list[dict[str, Any]]:
    trees = tshark_layers(tmp_path, [Ether() / IP() / UDP(sport=2055, dport=2055) / Raw(d)
                                     for d in datagrams])
    return [t["cflow"] for t in trees]


needs_tools = pytest.mark.skipif(shutil.which("softflowd") is None
                                 or shutil.which("tshark") is None,
                                 reason="needs softflowd and tshark")
# (what softflowd saw: three TCP flows of 192.0.2.1 and one UDP flow)
_EXPECTED = sorted([("192.0.2.1", "198.51.100.2", 1000, 80, 6, 3),
                    ("192.0.2.1", "198.51.100.2", 1001, 80, 6, 3),
                    ("192.0.2.1", "198.51.100.2", 1002, 80, 6, 3),
                    ("192.0.2.7", "198.51.100.9", 53, 5353, 17, 1)])


@needs_tools
def test_softflowd_v5(tmp_path: Path) -> None:
    datagrams = _softflowd(tmp_path, 5)
    assert datagrams
    seen = []
    for data, node in zip(datagrams, _tshark(tmp_path, datagrams), strict=True):
        pkt = pnf.NetflowHeader(data)
        assert bytes(pkt) == data
        _agree(bytes(sinet.UDP(sport=2055, dport=2055) / data))
        records = [r for r in pkt.layers() if r is pnf.NetflowRecordV5]
        assert int(outer_values(node, "cflow.count")[0]) == pkt[pnf.NetflowHeaderV5].count
        assert len(records) == pkt.count
        layer = pkt[pnf.NetflowRecordV5]
        for i in range(pkt.count):
            assert outer_values(node, "cflow.srcaddr")[i] == layer.src
            assert int(outer_values(node, "cflow.packets")[i]) == layer.dpkts
            assert int(outer_values(node, "cflow.octets")[i]) == layer.dOctets
            assert int(outer_values(node, "cflow.dstport")[i]) == layer.dstport
            seen.append((layer.src, layer.dst, layer.srcport, layer.dstport, layer.prot,
                         layer.dpkts))
            layer = layer.payload
    assert sorted(seen) == _EXPECTED


@needs_tools
@pytest.mark.parametrize("version", [9, 10])
def test_softflowd_v9_and_ipfix(tmp_path: Path, version: int) -> None:
    datagrams = _softflowd(tmp_path, version)
    assert datagrams
    packets = pnf.netflowv9_defragment([UDP(bytes(UDP(sport=2055, dport=2055) / Raw(d)))
                                        for d in datagrams])
    trees = _tshark(tmp_path, datagrams)
    seen = []
    for data, pkt, node in zip(datagrams, packets, trees, strict=True):
        assert bytes(pkt.payload) == data
        if version == 9:
            # (IPFIX options template sets: Scapy 2.8 reads their options as padding too,
            # and the sets after them; tshark is the reference there, below)
            _agree(bytes(pkt), defragment=True)
        records = [r for fs in pkt.layers() if fs is pnf.NetflowDataflowsetV9
                   for r in []]
        layer = pkt
        while layer:
            if type(layer) is pnf.NetflowDataflowsetV9:
                records.extend(layer.records)
            layer = layer.payload
        v4 = [r for r in records if "IPV4_SRC_ADDR" in r.fields]
        ids = [int(t) for t in outer_values(node, "cflow.template_id")]
        if version == 9:
            # (softflowd counts its templates only in the header's count, and tshark stops
            # reading flowsets at that count: the template flowsets are all it shows)
            assert int(outer_values(node, "cflow.count")[0]) == pkt[pnf.NetflowHeaderV9].count
            templates = [t.templateID for fs in _flowsets(pkt) for t in fs.templates]
            assert ids == templates[:len(ids)] and ids
        else:
            assert outer_values(node, "cflow.srcaddr") == [r.IPV4_SRC_ADDR for r in v4]
            assert [int(p) for p in outer_values(node, "cflow.packets")] == [
                r.IN_PKTS for r in v4]
            assert [int(p) for p in outer_values(node, "cflow.srcport")] == [
                r.L4_SRC_PORT for r in v4]
            assert ids[:len(_flowsets(pkt))] == [
                t.templateID for fs in _flowsets(pkt) for t in fs.templates]
        seen.extend((r.IPV4_SRC_ADDR, r.IPV4_DST_ADDR, r.L4_SRC_PORT, r.L4_DST_PORT,
                     r.PROTOCOL, r.IN_PKTS) for r in v4)
    assert sorted(seen) == _EXPECTED


def _flowsets(pkt: Any) -> list[Any]:
    out = []
    layer = pkt
    while layer:
        if type(layer) is pnf.NetflowFlowsetV9:
            out.append(layer)
        layer = layer.payload
    return out


# ---------------------------------------------------------------------- hostile input


def test_truncations_and_hostile_bytes_round_trip() -> None:
    frames = [bytes(_stack("s", spec))[8:] for _, spec in CONSTRUCTIONS]
    for frame in frames:
        for cut in range(1, len(frame) + 1):
            pkt = pnf.NetflowHeader(frame[:cut])
            assert bytes(pkt) == frame[:cut]
            pkt.show(dump=True)
    rng = random.Random(2055)
    for _ in range(1500):
        data = bytearray(rng.choice(frames))
        for _ in range(rng.randrange(1, 6)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        blob = bytes(data)
        pkt = pnf.NetflowHeader(blob)
        assert bytes(pkt) == blob
        back = pnf.netflowv9_defragment([pnf.NetflowHeader(blob)], verb=0)[0]
        assert bytes(back) == blob
        pkt.summary()


def test_netflow_session_as_scapys(tmp_path: Path) -> None:
    """Templates in one packet, data in the next: read as they come, as Scapy's session."""
    from scapy.sendrecv import sniff as scapy_sniff

    from paquet import NetflowSession, sniff

    spec = CONSTRUCTIONS[4][1]
    template = _stack("p", spec[:3])
    data = _stack("p", [spec[0], spec[1], spec[3]])
    frames = [Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / p for p in (template, data)]
    path = tmp_path / "netflow.pcap"
    wrpcap(str(path), frames)
    mine = sniff(offline=str(path), session=NetflowSession)
    theirs = scapy_sniff(offline=str(path), session=snf.NetflowSession)
    records = mine[1][pnf.NetflowDataflowsetV9].records
    assert len(records) == 2 and records[0].L4_SRC_PORT == 0x1011
    assert [r.fields for r in records] == [
        r.fields for r in theirs[1][snf.NetflowDataflowsetV9].records]
