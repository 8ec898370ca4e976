"""Scapy's field model: the same layer definitions written once, built with Scapy's classes
and with paquet's, give the same bytes, the same dissected values and the same ``show()``.

Each case of :data:`CASES` is a function of a namespace (``scapy.all`` or ``paquet``) returning
a field list; the test defines the layer twice from it, then compares the two libraries on
several constructions and on the bytes Scapy built (dissection) and on bytes cut short.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

import paquet  # noqa: E402
from paquet.packet.base import Packet  # noqa: E402
from paquet.packet.general import needs_general  # noqa: E402

Ns = Any
FieldsOf = Callable[[Ns], list[Any]]

COLORS = {0: "red", 1: "green", 7: "blue"}


def _ints(ns: Ns) -> list[Any]:
    return [
        ns.ByteField("b", 1), ns.XByteField("xb", 0xAB), ns.ShortField("s", 2),
        ns.XShortField("xs", 0xBEEF), ns.IntField("i", 3), ns.XIntField("xi", 4),
        ns.LongField("q", 5), ns.XLongField("xq", 6),
    ]


def _signed_le(ns: Ns) -> list[Any]:
    return [
        ns.SignedByteField("sb", -1), ns.SignedShortField("ss", -2),
        ns.SignedIntField("si", -3), ns.LEShortField("les", 0x1234),
        ns.LEIntField("lei", 0x12345678), ns.LELongField("lel", 1 << 40),
        ns.ThreeBytesField("t", 0x010203), ns.X3BytesField("xt", 0xABCDEF),
        ns.LEThreeBytesField("let", 0x010203), ns.NBytesField("n5", 12345, 5),
        ns.XNBytesField("xn", 0x42, 6), ns.Field("generic", 7, fmt="<I"),
    ]


def _bits(ns: Ns) -> list[Any]:
    return [
        ns.BitField("a", 1, 3), ns.BitField("b", 300, 13), ns.XBitField("c", 5, 4),
        ns.BitEnumField("d", 1, 4, COLORS), ns.FlagsField("e", "SA", 8, "FSRPAUEC"),
        ns.BitField("across", 0x1FF, 10), ns.BitField("rest", 2, 6),
    ]


def _le_bits(ns: Ns) -> list[Any]:
    return [ns.BitField("a", 0x101, 9, tot_size=-2), ns.BitField("b", 1, 2),
            ns.BitField("c", 3, 5, end_tot_size=-2), ns.ByteField("after", 9)]


def _enums(ns: Ns) -> list[Any]:
    return [
        ns.ByteEnumField("be", 1, COLORS), ns.XByteEnumField("xbe", 0x42, COLORS),
        ns.ShortEnumField("se", 7, COLORS), ns.XShortEnumField("xse", 0x99, COLORS),
        ns.LEShortEnumField("lse", 1, COLORS), ns.IntEnumField("ie", 0, COLORS),
        ns.LEIntEnumField("lie", 7, COLORS), ns.EnumField("gen", 1, COLORS, fmt="B"),
        ns.CharEnumField("ch", "A", {"A": "alpha", "B": "beta"}),
        ns.MultiFlagsField if False else ns.FlagsField("fl", 0x3, 16, ["one", "two", "three"]),
    ]


def _strings(ns: Ns) -> list[Any]:
    return [
        ns.FieldLenField("len", None, length_of="data", fmt="B"),
        ns.StrLenField("data", b"hello", length_from=lambda p: p.len),
        ns.StrFixedLenField("fixed", b"ab", 4), ns.StrNullField("cname", b"name"),
        ns.XStrFixedLenField("xfixed", b"\x01\x02", 3),
        ns.StrStopField("stop", b"ab;", b";"), ns.XStrField("rest", b"\xde\xad"),
    ]


def _addresses(ns: Ns) -> list[Any]:
    return [
        ns.IPField("ip", "192.0.2.1"), ns.MACField("mac", "02:00:00:00:00:01"),
        ns.IP6Field("ip6", "2001:db8::1"), ns.LEMACField("lemac", "02:00:00:00:00:02"),
        ns.UUIDField("u", uuid.UUID("01234567-89ab-cdef-0123-456789abcdef")),
        ns.YesNoByteField("yn", 1), ns.LSBExtendedField("lsb", 300),
        ns.MSBExtendedField("msb", 200),
        ns.ScalingField("scaled", 10, scaling=0.1, offset=-1, unit="mV"),
    ]


def _counted_list(ns: Ns) -> list[Any]:
    return [
        ns.FieldLenField("count", None, count_of="items", fmt="B"),
        ns.FieldListField("items", [1, 2, 3], ns.ShortField("", 0),
                          count_from=lambda p: p.count),
        ns.LenField("plen", None, fmt="B"),
    ]


def _conditional(ns: Ns) -> list[Any]:
    return [
        ns.ByteField("kind", 1),
        ns.ConditionalField(ns.ShortField("only1", 0x1111), lambda p: p.kind == 1),
        ns.ConditionalField(ns.IntField("only2", 0x22222222), lambda p: p.kind == 2),
        ns.PadField(ns.StrLenField("padded", b"abc", length_from=lambda p: 3), 4, b"\x00"),
        ns.ByteField("end", 0xEE),
    ]


def _adjusted(ns: Ns) -> list[Any]:
    return [
        ns.BitFieldLenField("blen", None, 4, length_of="data", adjust=lambda p, x: x + 1),
        ns.BitField("res", 0, 4),
        ns.StrLenField("data", b"xyz", length_from=lambda p: p.blen - 1),
        ns.MayEnd(ns.ByteField("opt", 5)), ns.ByteField("opt2", 6),
    ]


def _misc(ns: Ns) -> list[Any]:
    return [
        ns.UTCTimeField("t", 1700000000), ns.UTCTimeField("ms", 1700000000123, use_msec=True,
                                                         fmt="Q"),
        ns.IEEEFloatField("f", 1.5), ns.IEEEDoubleField("d", -0.25),
        ns.XLE3BytesField("xle", 0xABCDEF),
        ns.MultipleTypeField([(ns.ByteField("v", 1), lambda p: p.f > 2)],
                             ns.ShortField("v", 2)),
        ns.StrFieldUtf16("u16", "hé"),
    ]


CASES: dict[str, tuple[FieldsOf, list[dict[str, Any]]]] = {
    "ints": (_ints, [{}, {"b": 255, "xs": 1, "q": (1 << 64) - 1}]),
    "signed_le": (_signed_le, [{}, {"sb": 127, "ss": -32768, "lel": 3, "n5": 1 << 39}]),
    "bits": (_bits, [{}, {"a": 7, "b": 8191, "d": "blue", "e": "FSRPAUEC"},
                     {"e": 0, "across": 0}]),
    "le_bits": (_le_bits, [{}, {"a": 511, "b": 3, "c": 31}]),
    "enums": (_enums, [{}, {"be": "blue", "xse": "green", "ch": "beta", "fl": "one+three"},
                       {"ie": 1234}]),
    "strings": (_strings, [{}, {"data": b"", "fixed": b"abcdefgh", "cname": b""},
                           {"data": "text", "rest": b""}, {"len": 2, "data": b"abcd"}]),
    "addresses": (_addresses, [{}, {"ip": "198.51.100.7", "ip6": "::", "yn": 0,
                                    "lsb": 0, "msb": 1 << 20, "scaled": 9.9}]),
    "counted_list": (_counted_list, [{}, {"items": []}, {"items": [7] * 5}]),
    "conditional": (_conditional, [{}, {"kind": 2}, {"kind": 3, "padded": b"x"}]),
    "adjusted": (_adjusted, [{}, {"data": b"", "opt": 1}]),
    "misc": (_misc, [{}, {"t": 0, "f": 3.0, "v": 9, "u16": "x"}]),
}


def _define(ns: Ns, case: str, fields: list[Any], base: Any = None) -> Any:
    return type(f"T_{case}", (base or ns.Packet,), {"name": f"T {case}", "fields_desc": fields})


def _pair(case: str) -> tuple[Any, Any]:
    make = CASES[case][0]
    return _define(scapy_all, case, make(scapy_all)), _define(paquet, case, make(paquet))


def _plain(v: Any) -> Any:
    """A value comparable across the libraries (flags as numbers, packets as bytes)."""
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if type(v).__name__ == "FlagValue":
        return int(v)
    if isinstance(v, scapy_all.Packet | Packet):
        return bytes(v)
    return v


def _values(pkt: Any, cls: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(pkt, f.name)) for f in cls.fields_desc}


@pytest.mark.parametrize("case", sorted(CASES))
def test_built_bytes_are_scapys(case: str) -> None:
    scls, pcls = _pair(case)
    for kwargs in CASES[case][1]:
        assert bytes(pcls(**kwargs)) == bytes(scls(**kwargs)), kwargs


@pytest.mark.parametrize("case", sorted(CASES))
def test_dissected_values_and_show_are_scapys(case: str) -> None:
    scls, pcls = _pair(case)
    for kwargs in CASES[case][1]:
        data = bytes(scls(**kwargs))
        s, p = scls(data), pcls(data)
        assert _values(p, pcls) == _values(s, scls), kwargs
        assert bytes(p) == data
        assert p.show(dump=True) == s.show(dump=True)


@pytest.mark.parametrize("case", sorted(CASES))
def test_defaults_show_and_repr_are_scapys(case: str) -> None:
    scls, pcls = _pair(case)
    assert pcls().show(dump=True) == scls().show(dump=True)
    assert pcls().show2(dump=True) == scls().show2(dump=True)


def test_existing_layers_keep_the_struct_path() -> None:
    """The hand-optimised layers are not walked field by field."""
    from paquet.layers import ARP, ICMP, IP, TCP, UDP, Ether, IPv6

    for cls in (Ether, ARP, IP, ICMP, TCP, UDP, IPv6):
        assert not cls._general, cls
    user = _pair("strings")[1]
    assert user._general and needs_general(user, user.fields_desc)


# ---------------------------------------------------------------------- user-defined layers


def _proto(ns: Ns) -> tuple[Any, Any]:
    """A lab-style protocol: a header with a length computed in post_build, a list of TLVs
    (a PacketListField), bound under UDP, and padding cut by extract_padding."""

    class TLV(ns.Packet):
        name = "TLV"
        fields_desc = [  # noqa: RUF012 (as users write it)
            ns.ByteEnumField("type", 1, {1: "name", 2: "addr"}),
            ns.FieldLenField("len", None, length_of="value", fmt="B"),
            ns.StrLenField("value", b"", length_from=lambda p: p.len),
        ]

        def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
            return b"", s

    class Proto(ns.Packet):
        name = "Proto"
        fields_desc = [  # noqa: RUF012 (as users write it)
            ns.ByteField("version", 1),
            ns.FlagsField("flags", 0, 8, ["ack", "syn", "err"]),
            ns.ShortField("length", None),
            ns.PacketListField("tlvs", [], TLV, length_from=lambda p: p.length - 4),
        ]

        def post_build(self, p: bytes, pay: bytes) -> bytes:
            if self.length is None:
                p = p[:2] + len(p).to_bytes(2, "big") + p[4:]
            return p + pay

        def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
            return b"", s

    ns.bind_layers(ns.UDP, Proto, dport=9999)
    return Proto, TLV


@pytest.fixture(scope="module")
def protos() -> dict[str, tuple[Any, Any]]:
    pair = {"s": _proto(scapy_all), "p": _proto(paquet)}
    yield pair
    scapy_all.split_layers(scapy_all.UDP, pair["s"][0], dport=9999)
    paquet.split_layers(paquet.UDP, pair["p"][0], dport=9999)


def _stack(lib: Any, proto: Any, tlv: Any) -> Any:
    return (lib.IP(src="192.0.2.1", dst="192.0.2.2") / lib.UDP(sport=1234)
            / proto(flags="syn+err", tlvs=[tlv(value=b"srv"), tlv(type=2, value=b"\x01\x02")]))


def test_user_protocol_end_to_end(protos: dict[str, tuple[Any, Any]]) -> None:
    sproto, stlv = protos["s"]
    pproto, ptlv = protos["p"]
    data = bytes(_stack(scapy_all, sproto, stlv))
    assert bytes(_stack(paquet, pproto, ptlv)) == data
    s, p = scapy_all.IP(data), paquet.IP(data)
    assert p.show(dump=True) == s.show(dump=True)
    assert p[pproto].length == s[sproto].length
    assert [t.value for t in p[pproto].tlvs] == [t.value for t in s[sproto].tlvs]
    assert p.summary() == s.summary()
    assert p.copy() == p and bytes(p.copy()) == data
    assert ptlv in p and p[ptlv].value == b"srv"  # found inside the list, as Scapy finds it


def test_user_protocol_in_a_pcap(protos: dict[str, tuple[Any, Any]], tmp_path: Any) -> None:
    pproto, ptlv = protos["p"]
    pkt = _stack(paquet, pproto, ptlv)
    path = tmp_path / "user.pcap"
    paquet.wrpcap(str(path), [pkt])
    back = paquet.rdpcap(str(path))[0]
    assert bytes(back) == bytes(pkt)
    assert back[pproto].tlvs[1].type == 2
    sback = scapy_all.rdpcap(str(path))[0]
    assert bytes(sback) == bytes(pkt)


def test_flag_attributes_as_scapy() -> None:
    s, p = _pair("bits")
    sp, pp = s(e="SA"), p(e="SA")
    assert (pp.e.S, pp.e.SA, pp.e.R, "S" in pp.e) == (sp.e.S, sp.e.SA, sp.e.R, "S" in sp.e)
    sp.e.S = 0
    pp.e.S = 0
    assert int(pp.e) == int(sp.e) and bytes(pp) == bytes(sp)


def test_answers_order_as_scapy() -> None:
    a, b = {"src": "192.0.2.1", "dst": "192.0.2.2"}, {"src": "192.0.2.2", "dst": "192.0.2.1"}
    req = paquet.IP(**a) / paquet.ICMP()
    rep = paquet.IP(**b) / paquet.ICMP(type=0)
    sreq = scapy_all.IP(**a) / scapy_all.ICMP()
    srep = scapy_all.IP(**b) / scapy_all.ICMP(type=0)
    assert (rep < req, req > rep, req < rep) == (bool(srep < sreq), bool(sreq > srep),
                                                bool(sreq < srep))


def test_decode_payload_as_and_field_lookups() -> None:
    s = scapy_all.IP() / scapy_all.UDP(dport=5) / scapy_all.Raw(b"\x00\x01\x00\x02\x00\x08\x00\x00")
    p = paquet.IP() / paquet.UDP(dport=5) / paquet.Raw(b"\x00\x01\x00\x02\x00\x08\x00\x00")
    s[scapy_all.UDP].decode_payload_as(scapy_all.UDP)
    p[paquet.UDP].decode_payload_as(paquet.UDP)
    assert bytes(p) == bytes(s) and p[paquet.UDP].payload.dport == s[scapy_all.UDP].payload.dport
    fld, val = p[paquet.UDP].getfield_and_val("dport")
    sfld, sval = s[scapy_all.UDP].getfield_and_val("dport")
    with pytest.raises(ValueError):
        s.getfield_and_val("dport")
    with pytest.raises(ValueError):
        p.getfield_and_val("dport")
    assert (fld.name, val, type(fld).__name__) == (sfld.name, sval, type(sfld).__name__)
    assert p.get_field("ttl").name == "ttl"


@pytest.mark.parametrize("cut", [1, 3, 6])
def test_truncated_user_layer_keeps_its_bytes(cut: int) -> None:
    _s, pcls = _pair("strings")
    data = bytes(pcls())[:cut]
    got = pcls(data)
    assert bytes(got) == data


@pytest.mark.parametrize("case", sorted(CASES))
def test_any_bytes_dissect_and_build_back(case: str) -> None:
    """Hostile bytes: a user layer of the general path never raises and gives them back."""
    import random

    rng = random.Random(case)
    _s, pcls = _pair(case)
    good = bytes(pcls())
    for _ in range(300):
        n = rng.randrange(1, len(good) + 8)
        data = bytes(rng.randrange(256) for _ in range(n))
        if rng.random() < 0.5 and good:
            cut = rng.randrange(len(good))
            data = good[: cut + 1] + data[: rng.randrange(4)]
        pkt = pcls(data)
        assert bytes(pkt) == data
        pkt.show(dump=True)
        repr(pkt)


def test_a_table_only_protocol_of_paquet_layers_reads_its_strings() -> None:
    """A new protocol module of paquet.layers gets Scapy's StrField (only the hand-written
    layers listed in general.py keep placeholders)."""
    cls = type("NewProto", (Packet,), {
        "__module__": "paquet.layers.newproto",
        "fields_desc": [paquet.ByteField("a", 1), paquet.StrField("data", b"")]})
    scls = type("NewProto", (scapy_all.Packet,), {
        "fields_desc": [scapy_all.ByteField("a", 1), scapy_all.StrField("data", b"")]})
    assert cls._general
    assert _values(cls(b"\x02xyz"), cls) == _values(scls(b"\x02xyz"), scls)
    assert bytes(cls(data=b"ab")) == bytes(scls(data=b"ab"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_ls_is_scapys(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    scls, pcls = _pair(case)
    scapy_all.ls(scls)
    theirs = capsys.readouterr().out
    paquet.ls(pcls)
    assert capsys.readouterr().out == theirs
