"""NetBIOS over TCP/IP (layers/netbios.py): the same bytes as Scapy for a table of
constructions, Scapy's field values when dissecting, tshark's dissection field by field, and
truncated or hostile bytes given back unchanged."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

from paquet.layers import IP, TCP, UDP, Ether, Raw  # noqa: E402
from paquet.layers import netbios as nb  # noqa: E402
from paquet.packet import Packet  # noqa: E402

from .scapy_compare import assert_prefixes_given_back, needs_tshark, tshark_layers  # noqa: E402

MACS = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}
ADDRS = {"src": "192.0.2.1", "dst": "192.0.2.2"}

Spec = list[tuple[str, dict[str, Any]]]


def _cls(lib: str, name: str) -> Any:
    if lib == "s":
        return getattr(scapy_all, name)
    return {"Ether": Ether, "IP": IP, "UDP": UDP, "TCP": TCP, "Raw": Raw}.get(name) or getattr(
        nb, name)


def _entry(lib: str, **kw: Any) -> Any:
    return _cls(lib, "NBNS_ADD_ENTRY")(**kw)


def _service(lib: str, **kw: Any) -> Any:
    return _cls(lib, "NBNSNodeStatusResponseService")(**kw)


def _stack(lib: str, spec: Spec) -> Any:
    pkt = None
    for name, fields in spec:
        fields = {k: (v(lib) if callable(v) else v) for k, v in fields.items()}
        layer = _cls(lib, name)(**fields)
        pkt = layer if pkt is None else pkt / layer
    return pkt


def _ents(*kws: dict[str, Any]) -> Any:
    return lambda lib: [_entry(lib, **kw) for kw in kws]


def _svcs(*kws: dict[str, Any]) -> Any:
    return lambda lib: [_service(lib, **kw) for kw in kws]


LINK: Spec = [("Ether", MACS), ("IP", ADDRS)]
HDR = ("NBNSHeader", {"NAME_TRN_ID": 0x1234})

CONSTRUCTIONS: list[tuple[str, Spec]] = [
    ("header defaults", [("NBNSHeader", {})]),
    ("header fields", [("NBNSHeader", {"NAME_TRN_ID": 65535, "RESPONSE": 1, "OPCODE": 15,
                                       "NM_FLAGS": "B+AA+RD", "RCODE": 3, "QDCOUNT": 2,
                                       "ANCOUNT": 3, "NSCOUNT": 4, "ARCOUNT": 5})]),
    ("query request defaults", [("NBNSQueryRequest", {})]),
    ("query request bound", [HDR, ("NBNSQueryRequest", {"QUESTION_NAME": "FILESRV"})]),
    ("a name of 15 characters", [("NBNSQueryRequest", {"QUESTION_NAME": "ABCDEFGHIJKLMNO"})]),
    ("a name cut to 15", [("NBNSQueryRequest", {"QUESTION_NAME": "ABCDEFGHIJKLMNOPQRS"})]),
    ("an empty name", [("NBNSQueryRequest", {"QUESTION_NAME": ""})]),
    ("a name as bytes", [("NBNSQueryRequest", {"QUESTION_NAME": b"\xff\x00ab"})]),
    ("suffix, type, class", [("NBNSQueryRequest", {"SUFFIX": 0x4341, "NULL": 1,
                                                  "QUESTION_TYPE": 0x21,
                                                  "QUESTION_CLASS": 2})]),
    ("query response defaults", [("NBNSQueryResponse", {})]),
    ("query response bound", [HDR, ("NBNSQueryResponse", {
        "RR_NAME": "FILESRV", "TTL": 60,
        "ADDR_ENTRY": _ents({"G": 1, "OWNER_NODE_TYPE": 3, "NB_ADDRESS": "192.0.2.9"},
                            {"NB_ADDRESS": "198.51.100.3", "UNUSED": 5})})]),
    ("query response without address", [("NBNSQueryResponse", {"ADDR_ENTRY": []})]),
    ("query response RDLENGTH set", [("NBNSQueryResponse", {"RDLENGTH": 2})]),
    ("node status request", [HDR, ("NBNSNodeStatusRequest", {})]),
    ("node status response", [HDR, ("NBNSNodeStatusResponse", {
        "MAC_ADDRESS": "02:00:00:00:00:09",
        "NODE_NAME": _svcs({"NETBIOS_NAME": "HOST", "SUFFIX": 0x20},
                           {"NETBIOS_NAME": "WORKGROUP", "SUFFIX": 0x1E, "NAME_FLAGS": 0x84}),
        "STATISTICS": b"\x01" * 46})]),
    ("registration request", [HDR, ("NBNSRegistrationRequest", {
        "QUESTION_NAME": "ME", "G": 1, "OWNER_NODE_TYPE": 2, "NB_ADDRESS": "192.0.2.5",
        "TTL": 300000})]),
    ("wack response", [HDR, ("NBNSWackResponse", {"RR_NAME": "ME", "RDATA": 0x2910})]),
    ("UDP binds NBNS to 137", [("UDP", {}), HDR, ("NBNSQueryRequest", {})]),
    ("datagram defaults", [("NBTDatagram", {})]),
    ("datagram with a payload", [("UDP", {}), ("NBTDatagram", {
        "SourceName": "A", "DestinationName": "WORKGROUP", "SUFFIX2": 0x4142, "ID": 7}),
        ("Raw", {"load": b"hello"})]),
    ("datagram Length set", [("NBTDatagram", {"Length": 3})]),
    ("session defaults", [("NBTSession", {})]),
    ("session with a payload", [("TCP", {}), ("NBTSession", {"TYPE": 0x81}),
                                ("Raw", {"load": b"x" * 300})]),
    ("session LENGTH set", [("NBTSession", {"LENGTH": 0x1FFFF, "RESERVED": 0x7F})]),
    ("NetBIOS_DS", [("NetBIOS_DS", {"srcname": "A", "dstname": "B", "id": 3}),
                    ("Raw", {"load": b"ab"})]),
    ("a whole frame", [*LINK, ("UDP", {"sport": 137}), HDR,
                       ("NBNSQueryRequest", {"QUESTION_NAME": "WPAD"})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: Spec) -> None:
    assert bytes(_stack("p", spec)) == bytes(_stack("s", spec)), what


_COMPARED = ("scapy.layers.netbios", "scapy.layers.inet", "scapy.layers.l2", "scapy.packet")


def _values(layer: Any) -> list[tuple[str, Any]]:
    out = []
    for f in layer.fields_desc:
        v = getattr(layer, f.name)
        if isinstance(v, list):
            v = [_values(x) if hasattr(x, "fields_desc") else x for x in v]
        elif f.name in ("NM_FLAGS",):
            v = int(v)
        out.append((f.name, v))
    return out


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_equals_scapy(what: str, spec: Spec) -> None:
    data = bytes(_stack("s", spec))
    first = spec[0][0]
    ours, theirs = _cls("p", first)(data), _cls("s", first)(data)
    assert bytes(ours) == data
    names = []
    # (Scapy's other modules, SMB's, bind above NetBIOS: not compared here)
    while theirs is not None and type(theirs).__module__ in _COMPARED:
        mine = ours.getlayer(type(theirs).__name__) if type(theirs).__name__ != "Raw" else None
        if mine is not None:
            assert type(mine).__name__ == type(theirs).__name__
            assert _values(mine) == _values(theirs), type(theirs).__name__
        names.append(type(theirs).__name__)
        theirs = theirs.payload if theirs.payload else None
    assert [x.__name__ for x in ours.layers()][:len(names)] == names
    if theirs is None:  # the whole of Scapy's stack compared: its summary too
        assert ours.summary() == _cls("s", first)(data).summary()


# ------------------------------------------------------------------ tshark

def _walk(tree: Any) -> dict[str, str]:
    """Every ``name: value`` leaf of tshark's JSON (the first of each name)."""
    found: dict[str, str] = {}
    if isinstance(tree, dict):
        for k, v in tree.items():
            if isinstance(v, str):
                found.setdefault(k, v)
            else:
                for kk, vv in _walk(v).items():
                    found.setdefault(kk, vv)
    return found


def _suffix(code: int) -> int:
    """The NetBIOS suffix byte that Scapy's encoded ``SUFFIX`` stands for."""
    hi, lo = code >> 8, code & 0xFF
    return ((hi - 0x41) << 4) | (lo - 0x41)


def _name(name: bytes, suffix: int) -> str:
    return f"{name.decode()}<{_suffix(suffix):02x}>"


def _frames() -> list[Packet]:
    link = Ether(**MACS) / IP(**ADDRS)
    rng = random.Random(137)
    frames: list[Packet] = []
    seq = 1000
    for i in range(20):
        name = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in
                       range(rng.randint(1, 15)))
        suffix = 0x4141 + rng.choice([0x00, 0x03, 0x20, 0x1B, 0x1C, 0x1E])
        suffix = ((0x41 + (_suffix(suffix) >> 4)) << 8) | (0x41 + (_suffix(suffix) & 0xF))
        trn = rng.randrange(65536)
        kind = i % 4 if i < 16 else 3
        if kind == 0:
            frames.append(link / UDP(sport=rng.randrange(1024, 65536)) / nb.NBNSHeader(
                NAME_TRN_ID=trn) / nb.NBNSQueryRequest(QUESTION_NAME=name, SUFFIX=suffix))
        elif kind == 1:
            entries = [nb.NBNS_ADD_ENTRY(G=rng.randrange(2), OWNER_NODE_TYPE=rng.randrange(4),
                                         NB_ADDRESS=f"198.51.100.{rng.randrange(256)}")
                       for _ in range(rng.randint(1, 3))]
            frames.append(link / UDP() / nb.NBNSHeader(NAME_TRN_ID=trn) / nb.NBNSQueryResponse(
                RR_NAME=name, SUFFIX=suffix, TTL=rng.randrange(1 << 32), ADDR_ENTRY=entries))
        elif kind == 2:
            frames.append(link / UDP() / nb.NBTDatagram(
                ID=trn, SourceName=name, SUFFIX1=suffix, DestinationName=name[::-1],
                SourceIP=f"192.0.2.{rng.randrange(256)}") / Raw(b"z" * rng.randrange(20)))
        else:
            # (one TCP stream: each segment after the last, or tshark sees a retransmission)
            # (messages without a body: tshark reads others' bodies as SMB or names)
            frames.append(link / TCP(flags="PA", seq=seq) / nb.NBTSession(
                TYPE=rng.choice([0x82, 0x85])))
            seq += 4
    return frames


@needs_tshark
def test_dissection_against_tshark(tmp_path: Path) -> None:
    frames = [Ether(bytes(f)) for f in _frames()]
    for pkt, layers in zip(frames, tshark_layers(tmp_path, frames), strict=True):
        t = _walk(layers)
        if nb.NBNSHeader in pkt:
            h = pkt[nb.NBNSHeader]
            flags = int(h.RESPONSE) << 15 | int(h.OPCODE) << 11 | int(h.NM_FLAGS) << 4 | int(
                h.RCODE)
            assert int(t["nbns.id"], 16) == h.NAME_TRN_ID
            assert int(t["nbns.flags"], 16) == flags
            assert int(t["nbns.count.queries"]) == h.QDCOUNT
            assert int(t["nbns.count.answers"]) == h.ANCOUNT
            body = h.payload
            if isinstance(body, nb.NBNSQueryRequest):
                assert t["nbns.name"].split(" ")[0] == _name(body.QUESTION_NAME, body.SUFFIX)
                assert int(t["nbns.type"]) == body.QUESTION_TYPE
                assert int(t["nbns.class"]) == body.QUESTION_CLASS
            else:
                assert isinstance(body, nb.NBNSQueryResponse)
                assert t["nbns.name"].split(" ")[0] == _name(body.RR_NAME, body.SUFFIX)
                assert int(t["nbns.ttl"]) == body.TTL
                assert int(t["nbns.data_length"]) == body.RDLENGTH
                answer = next(iter(layers["nbns"]["Answers"].values()))

                def _many(key: str, tree: dict[str, Any]) -> list[str]:
                    v = tree[key]
                    return v if isinstance(v, list) else [v]

                flags = _many("nbns.nb_flags_tree", answer)
                assert _many("nbns.addr", answer) == [e.NB_ADDRESS for e in body.ADDR_ENTRY]
                assert [int(f["nbns.nb_flags.group"]) for f in flags] == [
                    e.G for e in body.ADDR_ENTRY]
                assert [int(f["nbns.nb_flags.ont"]) for f in flags] == [
                    e.OWNER_NODE_TYPE for e in body.ADDR_ENTRY]
        elif nb.NBTDatagram in pkt:
            d = pkt[nb.NBTDatagram]
            assert int(t["nbdgm.type"]) == d.Type
            assert int(t["nbdgm.flags"], 16) == d.Flags
            assert int(t["nbdgm.dgram_id"], 16) == d.ID
            assert t["nbdgm.src.ip"] == d.SourceIP
            assert int(t["nbdgm.src.port"]) == d.SourcePort
            assert int(t["nbdgm.dgram_len"]) == d.Length
            assert int(t["nbdgm.pkt_offset"]) == d.Offset
            assert t["nbdgm.source_name"] == _name(d.SourceName, d.SUFFIX1)
            assert t["nbdgm.destination_name"] == _name(d.DestinationName, d.SUFFIX2)
        else:
            s = pkt[nb.NBTSession]
            assert int(t["nbss.type"], 16) == s.TYPE
            assert int(t["nbss.length"]) == s.LENGTH


# ------------------------------------------------------------------ hostile input

@pytest.mark.parametrize("first", [nb.NBNSHeader, nb.NBTDatagram, nb.NBTSession, UDP, Ether])
def test_cuts_given_back(first: type[Packet]) -> None:
    for frame in _frames():
        layer = frame.getlayer(first) if first is not Ether else frame
        if layer is None:
            continue
        assert_prefixes_given_back(first, bytes(layer))


def test_random_bytes_given_back() -> None:
    rng = random.Random(138)
    classes = [nb.NBNSHeader, nb.NBNSQueryRequest, nb.NBNSQueryResponse,
               nb.NBNSNodeStatusResponse, nb.NBNSRegistrationRequest, nb.NBTDatagram,
               nb.NBTSession, nb.NetBIOS_DS, nb.NBNSWackResponse]
    for _ in range(1500):
        cls = rng.choice(classes)
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 120)))
        pkt = cls(data)
        assert bytes(pkt) == data
        pkt.show(dump=True)
    for _ in range(500):  # through UDP's binding, with a header that names a message
        body = bytes([rng.randrange(256), rng.randrange(256), rng.choice([1, 0x85, 0x29, 0x81]),
                      rng.choice([0x10, 0, 0x80])]) + bytes(
            rng.randrange(256) for _ in range(rng.randrange(80)))
        data = bytes(UDP(sport=137, dport=137) / Raw(body))
        assert bytes(UDP(data)) == data


def test_session_length_bounds_its_payload() -> None:
    """As Scapy: the bytes past LENGTH are padding, not the session's payload."""
    data = bytes(nb.NBTSession(LENGTH=3) / Raw(b"abcdef"))
    ours, theirs = nb.NBTSession(data), scapy_all.NBTSession(data)
    # (Scapy's payload is its SMB layer, whose bytes are the same)
    assert bytes(theirs.payload)[:3] == ours[Raw].load == b"abc"
    assert ours.getlayer("Padding").load == theirs.getlayer("Padding").load == b"def"
    assert bytes(ours) == data


def test_answers_and_hashret() -> None:
    q = nb.NBNSHeader() / nb.NBNSQueryRequest(QUESTION_NAME="A")
    r = nb.NBNSHeader() / nb.NBNSQueryResponse(RR_NAME="A")
    sq = scapy_all.NBNSHeader() / scapy_all.NBNSQueryRequest(QUESTION_NAME="A")
    sr = scapy_all.NBNSHeader() / scapy_all.NBNSQueryResponse(RR_NAME="A")
    assert q.hashret() == sq.hashret() == r.hashret()
    assert r[nb.NBNSQueryResponse].answers(q[nb.NBNSQueryRequest]) == bool(
        sr[scapy_all.NBNSQueryResponse].answers(sq[scapy_all.NBNSQueryRequest]))
    other = nb.NBNSQueryRequest(QUESTION_NAME="B")
    assert not r[nb.NBNSQueryResponse].answers(other)
