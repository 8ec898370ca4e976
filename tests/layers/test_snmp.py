"""SNMP and its BER: the same bytes as Scapy, the same dissection as Scapy and tshark, and
hostile BER (lengths past the end, long forms, huge integers, deep nesting) kept as bytes.

Each construction is one expression written once and evaluated with paquet's names and with
Scapy's (``m`` is ``paquet`` or ``scapy.all``): the libraries share the names.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import paquet as P
from paquet.layers import IP, UDP, Ether, Raw
from paquet.layers.snmp import SNMP, SNMPresponse, SNMPvarbind
from paquet.pcap import wrpcap

S = pytest.importorskip("scapy.all")

SYS_DESCR = "1.3.6.1.2.1.1.1.0"


def _vb(m: Any, oid: str, value: Any = None, **kw: Any) -> Any:
    return m.SNMPvarbind(oid=oid, **kw) if value is None else m.SNMPvarbind(oid=oid, value=value)


# (what, the construction): built by both libraries, the bytes compared.
CONSTRUCTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("defaults", lambda m: m.SNMP()),
    ("get of sysDescr", lambda m: m.SNMP(PDU=m.SNMPget(id=1, varbindlist=[_vb(m, SYS_DESCR)]))),
    ("v1 getnext, community", lambda m: m.SNMP(version="v1", community="private", PDU=m.SNMPnext(
        id=0x7FFFFFFF, varbindlist=[_vb(m, "1.3.6.1.2.1.1")]))),
    ("getnext of two", lambda m: m.SNMP(PDU=m.SNMPnext(id=300, varbindlist=[
        _vb(m, "1.3.6.1.2.1.1.5.0"), _vb(m, "1.3.6.1.2.1.1.6.0")]))),
    ("response, each value type", lambda m: m.SNMP(PDU=m.SNMPresponse(id=42, varbindlist=[
        _vb(m, SYS_DESCR, m.ASN1_STRING(b"Linux lab 6.1")),
        _vb(m, "1.3.6.1.2.1.1.2.0", m.ASN1_OID("1.3.6.1.4.1.8072.3.2.10")),
        _vb(m, "1.3.6.1.2.1.1.3.0", m.ASN1_TIME_TICKS(4242424)),
        _vb(m, "1.3.6.1.2.1.1.7.0", m.ASN1_INTEGER(72)),
        _vb(m, "1.3.6.1.2.1.4.20.1.1.1", m.ASN1_IPADDRESS("192.0.2.9")),
        _vb(m, "1.3.6.1.2.1.2.2.1.10.1", m.ASN1_COUNTER32(4294967295)),
        _vb(m, "1.3.6.1.2.1.2.2.1.5.1", m.ASN1_GAUGE32(1000000000)),
        _vb(m, "1.3.6.1.2.1.31.1.1.1.6.1", m.ASN1_COUNTER64(2 ** 63 + 5)),
        _vb(m, "1.3.6.1.2.1.1.8.0", m.ASN1_NULL(0)),
        _vb(m, "1.3.6.1.4.1.1.1", m.ASN1_BOOLEAN(1)),
        _vb(m, "1.3.6.1.4.1.1.2", m.ASN1_INTEGER(-129)),
        _vb(m, "1.3.6.1.4.1.1.3", m.ASN1_INTEGER(-128)),
        _vb(m, "1.3.6.1.4.1.1.4", m.ASN1_INTEGER(-32768)),
        _vb(m, "1.3.6.1.4.1.1.5", m.ASN1_INTEGER(255)),
        _vb(m, "1.3.6.1.4.1.1.6", m.ASN1_INTEGER(2 ** 70)),
        _vb(m, "1.3.6.1.4.1.1.7", m.ASN1_IA5_STRING("x" * 300)),
    ]))),
    ("response errors", lambda m: m.SNMP(PDU=m.SNMPresponse(
        id=9, error="no_such_name", error_index=1, varbindlist=[_vb(m, SYS_DESCR)]))),
    ("v2 exceptions", lambda m: m.SNMP(PDU=m.SNMPresponse(varbindlist=[
        m.SNMPvarbind(oid=SYS_DESCR, value=None, noSuchObject=0),
        m.SNMPvarbind(oid=SYS_DESCR, value=None, noSuchInstance=0),
        m.SNMPvarbind(oid=SYS_DESCR, value=None, endOfMibView=0)]))),
    ("set", lambda m: m.SNMP(community="private", PDU=m.SNMPset(id=5, varbindlist=[
        _vb(m, "1.3.6.1.2.1.1.5.0", m.ASN1_STRING(b"lab-host"))]))),
    ("bulk", lambda m: m.SNMP(PDU=m.SNMPbulk(id=3, non_repeaters=1, max_repetitions=25,
                                             varbindlist=[_vb(m, "1.3.6.1.2.1.2.2")]))),
    ("trap v1", lambda m: m.SNMP(version="v1", PDU=m.SNMPtrapv1(
        enterprise="1.3.6.1.4.1.8072.3.2.10", agent_addr="192.0.2.3", generic_trap="link_down",
        specific_trap=0, time_stamp=123456, varbindlist=[
            _vb(m, "1.3.6.1.2.1.2.2.1.1.2", m.ASN1_INTEGER(2))]))),
    ("trap v2", lambda m: m.SNMP(PDU=m.SNMPtrapv2(id=77, varbindlist=[
        _vb(m, "1.3.6.1.2.1.1.3.0", m.ASN1_TIME_TICKS(100)),
        _vb(m, "1.3.6.1.6.3.1.1.4.1.0", m.ASN1_OID("1.3.6.1.6.3.1.1.5.1"))]))),
    ("inform", lambda m: m.SNMP(PDU=m.SNMPinform(id=78, varbindlist=[
        _vb(m, "1.3.6.1.2.1.1.3.0", m.ASN1_TIME_TICKS(1))]))),
    ("under UDP (ports 161 both ways)", lambda m: m.UDP() / m.SNMP()),
    ("a long community (long-form length)", lambda m: m.SNMP(community="c" * 200)),
]


@pytest.mark.parametrize(("what", "make"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_as_scapy(what: str, make: Callable[[Any], Any]) -> None:
    ours, theirs = make(P), make(S)
    assert bytes(ours) == bytes(theirs)


@pytest.mark.parametrize(("what", "make"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_as_scapy(what: str, make: Callable[[Any], Any]) -> None:
    """Scapy's bytes dissect to what Scapy dissects (its repr and show()), and build back."""
    data = bytes(make(S))
    cls, scls = (UDP, S.UDP) if data[:2] == b"\x00\xa1" else (SNMP, S.SNMP)
    ours, theirs = cls(data), scls(data)
    assert repr(ours) == repr(theirs)
    assert ours.show(dump=True) == theirs.show(dump=True)
    assert bytes(ours) == data


def test_construction_repr_and_show_as_scapy() -> None:
    for _what, make in CONSTRUCTIONS[:4]:
        assert repr(make(P)) == repr(make(S))
        assert make(P).show(dump=True) == make(S).show(dump=True)


def test_values_read_as_scapy() -> None:
    data = bytes(CONSTRUCTIONS[4][1](S))
    p = SNMP(data)
    vbs = p.PDU.varbindlist
    assert isinstance(p.PDU, SNMPresponse) and p.PDU.id == 42
    assert vbs[0].oid == SYS_DESCR and vbs[0].value == b"Linux lab 6.1"
    assert isinstance(vbs[2].value, P.ASN1_TIME_TICKS) and vbs[2].value == 4242424
    assert vbs[4].value == "192.0.2.9" and isinstance(vbs[4].value, P.ASN1_IPADDRESS)
    assert vbs[7].value == 2 ** 63 + 5 and vbs[11].value == -128
    assert p[SNMPvarbind] is vbs[0]


def test_answers_and_bindings() -> None:
    req = UDP(sport=40000, dport=161) / SNMP(PDU=P.SNMPget(id=12))
    rep = UDP(sport=161, dport=40000) / SNMP(PDU=P.SNMPresponse(id=12))
    other = UDP(sport=161, dport=40000) / SNMP(PDU=P.SNMPresponse(id=13))
    assert rep[SNMP].answers(req[SNMP]) and not other[SNMP].answers(req[SNMP])
    for sport, dport in ((40000, 161), (161, 40000), (40000, 162), (162, 40000)):
        frame = bytes(UDP(sport=sport, dport=dport) / SNMP())
        assert isinstance(UDP(frame).payload, SNMP)
        assert isinstance(S.UDP(frame).payload, S.SNMP)


# ------------------------------------------------------------------------------------ tshark

_VALUE_KEYS = {"snmp.value.octets": "octets", "snmp.value.oid": "oid", "snmp.value.int": "int",
               "snmp.value.timeticks": "int", "snmp.value.ipv4": "ipv4",
               "snmp.value.counter": "int", "snmp.value.g32": "int",
               "snmp.value.counter64": "int", "snmp.value.null": "null"}


def _tshark_snmp(frames: list[Any], tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "snmp.pcap"
    wrpcap(str(path), frames)
    out = subprocess.run(["tshark", "-n", "-r", str(path), "-T", "json"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    return [p["_source"]["layers"]["snmp"] for p in json.loads(out)]


def _walk(d: Any, key: str) -> list[Any]:
    """Every value of ``key`` in a tshark JSON tree, in order."""
    found = []
    if isinstance(d, dict):
        for k, v in d.items():
            if k == key:
                found.append(v)
            found.extend(_walk(v, key))
    return found


def _our_value(v: Any) -> tuple[str, str] | None:
    """A value of SNMP's ObjectSyntax as tshark shows it (None for other ASN.1 types)."""
    if isinstance(v, P.ASN1_BOOLEAN | P.ASN1_IA5_STRING):
        return None
    if type(v) is P.ASN1_INTEGER and not -2 ** 31 <= v.val < 2 ** 31:
        return None
    if isinstance(v, P.ASN1_OID):
        return "oid", v.val
    if isinstance(v, P.ASN1_IPADDRESS):
        return "ipv4", v.val
    if isinstance(v, P.ASN1_NULL):
        return "null", ""
    if isinstance(v, P.ASN1_STRING):
        return "octets", v.val.hex(":") if v.val else ""
    if isinstance(v, P.ASN1_INTEGER):
        return "int", str(v.val)
    return None


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_dissection_as_tshark(tmp_path: Path) -> None:
    frames = [Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=40000, dport=161)
              / SNMP(bytes(make(S)))
              for _what, make in CONSTRUCTIONS if not bytes(make(S)).startswith(b"\x00\xa1")]
    frames = [Ether(bytes(f)) for f in frames]
    for ours, ts in zip(frames, _tshark_snmp(frames, tmp_path), strict=True):
        snmp = ours[SNMP]
        assert ts["snmp.version"] == str(snmp.version.val)
        assert ts["snmp.community"] == snmp.community.val.decode()
        pdu = snmp.PDU
        assert int(ts["snmp.data"]) == int(type(pdu).ASN1_root.ASN1_tag) - 0xA0
        if "id" in pdu._fieldmap:
            assert _walk(ts, "snmp.request_id") == [str(pdu.id.val)]
        if "error" in pdu._fieldmap:
            assert _walk(ts, "snmp.error_status") == [str(pdu.error.val)]
            assert _walk(ts, "snmp.error_index") == [str(pdu.error_index.val)]
        if "non_repeaters" in pdu._fieldmap:
            assert _walk(ts, "snmp.non_repeaters") == [str(pdu.non_repeaters.val)]
            assert _walk(ts, "snmp.max_repetitions") == [str(pdu.max_repetitions.val)]
        if "enterprise" in pdu._fieldmap:
            assert _walk(ts, "snmp.enterprise") == [pdu.enterprise.val]
            assert _walk(ts, "snmp.agent_addr") == [pdu.agent_addr.val]
            assert _walk(ts, "snmp.generic_trap") == [str(pdu.generic_trap.val)]
            assert _walk(ts, "snmp.time_stamp") == [str(pdu.time_stamp.val)]
        assert _walk(ts, "snmp.name") == [vb.oid.val for vb in pdu.varbindlist]
        theirs = []
        for tree in _walk(ts, "snmp.variable_bindings_tree"):
            for vb in tree.values():
                for k, kind in _VALUE_KEYS.items():
                    if k in vb:
                        theirs.append((kind, vb[k] if kind != "null" else ""))
                for exc in ("snmp.noSuchObject", "snmp.noSuchInstance", "snmp.endOfMibView"):
                    if exc in vb:
                        theirs.append(("exc", exc[5:]))
        mine = []
        for vb in pdu.varbindlist:
            v = _our_value(vb.value)
            if v is not None:
                mine.append(v)
            for exc in ("noSuchObject", "noSuchInstance", "endOfMibView"):
                if getattr(vb, exc) is not None:
                    mine.append(("exc", exc))
        assert mine == theirs


# ------------------------------------------------------------------------------- hostile BER

def _nested(depth: int) -> bytes:
    inner = b"\x05\x00"
    for _ in range(depth):
        inner = b"\x30" + (bytes([len(inner)]) if len(inner) < 128 else
                           b"\x84" + len(inner).to_bytes(4, "big")) + inner
    return inner


def _in_message(value: bytes) -> bytes:
    """A response whose one binding's value is ``value`` (lengths long-form, correct)."""
    def tlv(tag: int, body: bytes) -> bytes:
        return bytes([tag]) + b"\x84" + len(body).to_bytes(4, "big") + body
    vb = tlv(0x30, b"\x06\x03\x2b\x06\x01" + value)
    pdu = tlv(0xA2, b"\x02\x01\x01\x02\x01\x00\x02\x01\x00" + tlv(0x30, vb))
    return tlv(0x30, b"\x02\x01\x01\x04\x06public" + pdu)


HOSTILE: list[tuple[str, bytes]] = [
    ("a tag alone", b"\x30"),
    ("length past the end", b"\x30\x7f\x02\x01\x01"),
    ("long-form length past the end", b"\x30\x84\xff\xff\xff\xff\x02\x01\x01"),
    ("long form of 127 length bytes", b"\x30\xff" + b"\xff" * 127 + b"\x02\x01\x01"),
    ("long form cut", b"\x30\x84\x00\x00"),
    ("indefinite length", b"\x30\x80\x02\x01\x01\x00\x00"),
    ("high tag number, never ending", b"\x30\x05\x1f" + b"\xff" * 2000),
    ("inner length past the outer", b"\x30\x05\x02\x10\x01\x02\x03"),
    ("huge integer value", _in_message(b"\x02\x84\x00\x00\xea\x60" + b"\x7f" * 60000)),
    ("huge version", b"\x30\x84\x00\x00\x27\x16\x02\x84\x00\x00\x27\x10" + b"\x01" * 10000),
    ("huge OID arc", _in_message(b"\x06\x82\x13\x88" + b"\x81" * 4999 + b"\x01")),
    ("deep nesting", _in_message(_nested(5000))),
    ("deep nesting, short form", _in_message(_nested(60))),
    ("nesting within the limit", _in_message(_nested(20))),
    ("unknown value tag", _in_message(b"\x9f\x55\x00")),
    ("bad IpAddress", _in_message(b"\x40\x03\x01\x02\x03")),
    ("PDU of unknown kind", b"\x30\x0d\x02\x01\x01\x04\x06public\xa9\x00"),
    ("trailing bytes", bytes(SNMP()) + b"tail"),
]


@pytest.mark.parametrize(("what", "data"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_ber_kept(what: str, data: bytes) -> None:
    p = SNMP(data)
    assert bytes(p) == data
    p.show(dump=True)
    repr(p)
    frame = bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=161, dport=161)
                  ) + data
    f = Ether(frame)
    assert bytes(f) == frame
    f.show(dump=True)


def test_hostile_values_decode_when_valid() -> None:
    """Where the BER is valid, the odd values are read (a big integer, a deep value)."""
    p = SNMP(dict(HOSTILE)["huge integer value"])
    v = p.PDU.varbindlist[0].value
    assert isinstance(v, P.ASN1_INTEGER) and v.val.bit_length() > 400000
    assert "..." in repr(v)
    deep = SNMP(_in_message(_nested(20))).PDU.varbindlist[0].value
    assert isinstance(deep, P.ASN1_SEQUENCE)
    assert SNMP(_in_message(_nested(5000))).errors  # refused, not a stack overflow


def test_mutations_never_raise() -> None:
    rng = random.Random(17)
    base = [bytes(make(S)) for _what, make in CONSTRUCTIONS if _what != "defaults"]
    base = [b for b in base if not b.startswith(b"\x00\xa1")]
    for _ in range(3000):
        data = bytearray(rng.choice(base))
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(data))
            data[i] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[:rng.randrange(1, len(data) + 1)]
        p = SNMP(bytes(data))
        assert bytes(p) == bytes(data)
        p.summary()


def test_raw_payload_and_strict() -> None:
    p = UDP(bytes(UDP(sport=161, dport=161) / Raw(b"\x30\x05\x02")))
    assert bytes(p)[8:] == b"\x30\x05\x02"
    from paquet.errors import DecodeError
    from paquet.packet.base import dissect_as

    with pytest.raises(DecodeError):
        dissect_as(SNMP, b"\x30\x05\x02", strict=True)


def test_ls_and_summary_as_scapy(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("SNMP", "SNMPvarbind", "SNMPget", "SNMPbulk", "SNMPtrapv1"):
        P.ls(getattr(P, name))
        ours = capsys.readouterr().out
        S.ls(getattr(S, name))
        assert ours == capsys.readouterr().out, name
    for make in (lambda m: m.IP(src="192.0.2.1", dst="192.0.2.2") / m.UDP(sport=40000, dport=161)
                 / m.SNMP(), lambda m: m.SNMP(PDU=m.SNMPresponse())):
        data = bytes(make(S))
        cls = IP if data[0] == 0x45 else SNMP
        assert cls(data).summary() == getattr(S, cls.__name__)(data).summary()
        assert make(P).summary() == make(S).summary()


@pytest.mark.parametrize(("what", "make"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_json_ready(what: str, make: Callable[[Any], Any]) -> None:
    """to_dict() (paquet read --json, the capture tables) gives JSON for built and dissected
    messages: ASN.1 values as numbers, texts, OIDs or hex."""
    built = make(P)
    dissected = type(built)(bytes(make(S)))
    for p in (built, dissected):
        text = json.dumps(p.to_dict())
        assert "ASN1_" not in text
    d = SNMP(bytes(CONSTRUCTIONS[4][1](S))).to_dict()["layers"][0]["fields"]
    vb = d["PDU"]["layers"][0]["fields"]["varbindlist"][0]["layers"][0]["fields"]
    assert vb["oid"] == SYS_DESCR and bytes.fromhex(vb["value"]) == b"Linux lab 6.1"
