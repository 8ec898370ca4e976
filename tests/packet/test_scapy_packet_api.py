"""Scapy's Packet API around the fields, for layers users write: default overrides in
subclasses, ``guess_payload_class(payload)``, ``dispatch_hook``, ``deprecated_fields``,
``pkt[X::{filter}]``, ``command()``, packets held in fields; each compared with Scapy 2.8
running the same definition."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

import paquet  # noqa: E402

LIBS = {"scapy": scapy_all, "paquet": paquet}
HOSTS = {"src": "192.0.2.1", "dst": "192.0.2.2"}


def test_subclass_default_overrides() -> None:
    built = {}
    for key, ns in LIBS.items():
        ipv3 = type("IPv3", (ns.IP,), {"version": 3, "ttl": 32})
        pkt = ipv3(**HOSTS)
        built[key] = (pkt.version, pkt.ttl, bytes(pkt), bytes(ns.IP(**HOSTS)))
    assert built["paquet"] == built["scapy"]
    assert paquet.IP().ttl == 64  # the base class keeps its default


def _switch(ns: Any) -> Any:
    return type("Switch", (ns.Packet,), {"fields_desc": [
        ns.ByteField("switch", 0),
        ns.MultipleTypeField([
            (ns.XShortField("sub", 0xDEAD), lambda p: p.switch == 1),
            (ns.XIntField("sub", 0xBEEFBEEF), lambda p: p.switch == 2)],
            ns.XByteField("sub", 0x88)),
        ns.ConditionalField(ns.ByteField("extra", 7), lambda p: p.switch == 2),
    ]})


@pytest.mark.parametrize("kwargs", [{}, {"switch": 1}, {"switch": 2}, {"switch": 2, "sub": 5}])
def test_multiple_type_and_conditional_fields(kwargs: dict[str, Any]) -> None:
    s, p = _switch(scapy_all)(**kwargs), _switch(paquet)(**kwargs)
    assert (p.sub, p.extra, bytes(p)) == (s.sub, s.extra, bytes(s))
    data = bytes(s)
    sd, pd = _switch(scapy_all)(data), _switch(paquet)(data)
    assert (pd.switch, pd.sub, pd.extra) == (sd.switch, sd.sub, sd.extra)
    assert pd.show(dump=True) == sd.show(dump=True)


def _holder(ns: Any) -> tuple[Any, Any]:
    inner = type("Inner", (ns.Packet,), {"fields_desc": [ns.StrField("f_name", "test")]})
    outer = type("Outer", (ns.Packet,), {"fields_desc": [
        ns.ByteField("n", 1), ns.PacketLenField("inner", inner(), inner,
                                                length_from=lambda p: p.n)]})
    return outer, inner


def test_packet_defaults_are_copied_per_layer() -> None:
    for ns in LIBS.values():
        outer, _inner = _holder(ns)
        a = outer()
        a.inner.f_name = b"changed"
        assert outer().inner.f_name == b"test"
    sout, _ = _holder(scapy_all)
    pout, pin = _holder(paquet)
    assert bytes(pout(n=4)) == bytes(sout(n=4))
    got = pout(bytes(sout(n=4)))
    assert isinstance(got.inner, pin) and got.inner.f_name == b"test"
    assert got.inner.parent is got


def test_getitem_with_a_filter() -> None:
    for ns in LIBS.values():
        pkt = ns.IP() / ns.IP(ttl=3) / ns.IP()
        assert pkt[ns.IP::{"ttl": 3}].ttl == 3
        assert pkt.getlayer(ns.IP, ttl=3) is pkt[ns.IP:2]


def test_deprecated_fields_answer_with_a_warning() -> None:
    got = {}
    for key, ns in LIBS.items():
        cls = type("Dep", (ns.Packet,), {
            "fields_desc": [ns.ByteField("a", 0), ns.LEShortField("b", 15)],
            "deprecated_fields": {"old": ("a", "1.0"), "B": ("b", "1.0")},
        })
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pkt = cls(a=2, B=3)
            got[key] = (pkt.old, pkt.b, bytes(pkt))
        assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert got["paquet"] == got["scapy"]


def _guessing(ns: Any) -> tuple[Any, Any, Any]:
    a = type("KindA", (ns.Packet,), {"fields_desc": [ns.ShortField("a", 1)]})
    b = type("KindB", (ns.Packet,), {"fields_desc": [ns.IntField("b", 2)]})

    def guess_payload_class(self: Any, payload: bytes) -> Any:
        self.seen = len(payload)  # an attribute of the layer, as Scapy allows
        return a if self.kind == 1 else b if self.kind == 2 else ns.Packet.guess_payload_class(
            self, payload)

    head = type("Head", (ns.Packet,), {"fields_desc": [ns.ByteField("kind", 1)],
                                       "guess_payload_class": guess_payload_class})
    return head, a, b


@pytest.mark.parametrize("kind", [1, 2, 3])
def test_guess_payload_class_with_scapys_signature(kind: int) -> None:
    shead, _sa, _sb = _guessing(scapy_all)
    phead, _pa, _pb = _guessing(paquet)
    data = bytes(shead(kind=kind) / scapy_all.Raw(b"\x00\x05\x00\x00\x00\x06"))
    s, p = shead(data), phead(data)
    assert [c.__name__ for c in p.layers()] == [c.__name__ for c in s.layers()]
    assert p.show(dump=True) == s.show(dump=True)
    assert p.seen == s.seen == 6


def _family(ns: Any) -> Any:
    class Base(ns.Packet):
        fields_desc = [ns.ByteField("type", 0), ns.ByteField("x", 0)]  # noqa: RUF012

        @classmethod
        def dispatch_hook(cls, _pkt: bytes | None = None, *args: Any, **kargs: Any) -> Any:
            if _pkt and _pkt[0] == 2:
                return Two
            return cls

    class Two(Base):
        fields_desc = [ns.ByteField("type", 2), ns.ShortField("y", 0)]  # noqa: RUF012

    return Base


def test_dispatch_hook() -> None:
    for data in (b"\x02\x00\x09", b"\x01\x07"):
        s, p = _family(scapy_all)(data), _family(paquet)(data)
        assert type(p).__name__ == type(s).__name__
        assert p.show(dump=True) == s.show(dump=True)


def test_command_evaluates_back() -> None:
    ns = paquet
    cls = type("Cmd", (ns.Packet,), {"fields_desc": [
        ns.ByteField("b", 0),
        ns.ConditionalField(ns.FlagsField("f", 0, 8, "ABCDEFGH"), lambda p: p.b == 0),
        ns.FieldLenField("n", None, count_of="items", fmt="B"),
        ns.FieldListField("items", [], ns.ShortField("", 0), count_from=lambda p: p.n)]})
    pkt = cls(b"\x00\x0f\x02\x00\x01\x00\x02")
    assert pkt == eval(pkt.command(), {"Cmd": cls})
    spkt = type("Cmd", (scapy_all.Packet,), {"fields_desc": [
        scapy_all.ByteField("b", 0),
        scapy_all.ConditionalField(scapy_all.FlagsField("f", 0, 8, "ABCDEFGH"),
                                   lambda p: p.b == 0),
        scapy_all.FieldLenField("n", None, count_of="items", fmt="B"),
        scapy_all.FieldListField("items", [], scapy_all.ShortField("", 0),
                                 count_from=lambda p: p.n)]})(bytes(pkt))
    assert pkt.command() == spkt.command()


def test_trailer_field_after_the_payload() -> None:
    built = {}
    for key, ns in LIBS.items():
        cls = type("Trail", (ns.Packet,), {"fields_desc": [
            ns.ByteField("a", 12), ns.FCSField("fcs", 0xBEEF), ns.IntField("bottom", 123)]})
        pkt = cls() / ns.Raw(b"payload")
        built[key] = bytes(pkt)
    assert built["paquet"] == built["scapy"]


def test_multi_flags_field() -> None:
    got = {}
    for key, ns in LIBS.items():
        names = {0: {0: ns.MultiFlagsEntry("A", "OptionA"), 1: ns.MultiFlagsEntry("B", "Bee")},
                 1: {0: ns.MultiFlagsEntry("+", "Plus")}}
        cls = type("MF", (ns.Packet,), {"fields_desc": [
            ns.BitField("type", 0, 5),
            ns.MultiFlagsField("flags", set(), 3, names, depends_on=lambda p: p.type)]})
        pkt = cls(flags={"A", "B"})
        back = cls(bytes(pkt))
        got[key] = (bytes(pkt), back.flags, back.show(dump=True))
    assert got["paquet"] == got["scapy"]


def test_copies_hold_their_own_packets() -> None:
    outer, _inner = _holder(paquet)
    a = outer(n=4)
    b = a.copy()
    b.inner.f_name = b"other"
    assert a.inner.f_name == b"test" and bytes(a) != bytes(b)
    sout, _ = _holder(scapy_all)
    sa = sout(n=4)
    sb = sa.copy()
    sb.inner.f_name = b"other"
    assert (bytes(a), bytes(b)) == (bytes(sa), bytes(sb))


def test_flag_values_of_the_core_layers_change_the_packet() -> None:
    got = {}
    for key, ns in LIBS.items():
        p = ns.IP(flags="MF+DF", **HOSTS) / ns.TCP(flags="SA")
        p.flags.MF = 0
        p[ns.TCP].flags.A = False
        tcp = p[ns.TCP].flags
        got[key] = (int(p.flags), str(p.flags), p.flags.DF, "DF" in p.flags, int(tcp),
                    tcp.S, tcp.SA, list(tcp), bytes(p))
    assert got["paquet"] == got["scapy"]


def test_padding_in_the_middle_of_a_stack() -> None:
    got = {}
    for key, ns in LIBS.items():
        got[key] = [bytes(x) for x in (
            ns.Padding(b"abc") / ns.Padding(b"def"),
            ns.Raw(b"ABC") / ns.Padding(b"abc") / ns.Raw(b"DEF") / ns.Padding(b"def"),
        )]
    assert got["paquet"] == got["scapy"]


def _lldp_like(ns: Any) -> Any:
    """TLVs of 7-bit types and 9-bit lengths, the usual shape of LLDP, in a list."""

    class TLV(ns.Packet):
        name = "TLV"
        fields_desc = [  # noqa: RUF012
            ns.BitEnumField("type", 1, 7, {0: "end", 1: "chassis", 2: "port"}),
            ns.BitFieldLenField("_length", None, 9, length_of="value"),
            ns.StrLenField("value", b"", length_from=lambda p: p._length),
        ]

        def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
            return b"", s

    class Frame(ns.Packet):
        name = "Frame"
        fields_desc = [ns.XShortField("magic", 0x88CC),  # noqa: RUF012
                       ns.PacketListField("tlvs", [], TLV)]

    return Frame, TLV


def test_a_tlv_list_protocol() -> None:
    got = {}
    for key, ns in LIBS.items():
        frame, tlv = _lldp_like(ns)
        pkt = frame(tlvs=[tlv(value=b"sw1"), tlv(type="port", value=b"x" * 300), tlv(type=0)])
        data = bytes(pkt)
        back = frame(data + b"\x00\x00")
        got[key] = (data, [(t.type, t._length, t.value) for t in back.tlvs],
                    back.show(dump=True), back.summary())
    assert got["paquet"] == got["scapy"]


def test_a_fixed_subclass_of_a_variable_layer() -> None:
    got = {}
    for key, ns in LIBS.items():
        var = type("Var", (ns.Packet,), {"fields_desc": [
            ns.FieldLenField("n", None, length_of="s", fmt="B"),
            ns.StrLenField("s", b"ab", length_from=lambda p: p.n)]})
        fixed = type("Fixed", (var,), {"fields_desc": [
            ns.ByteEnumField("kind", "two", {1: "one", 2: "two"}), ns.ShortField("x", 3)]})
        pkt = fixed(kind="one")
        back = fixed(bytes(pkt))
        got[key] = (bytes(pkt), back.kind, back.x, bytes(var()))
    assert got["paquet"] == got["scapy"]


def test_trailer_field_dissected() -> None:
    got = {}
    for key, ns in LIBS.items():
        cls = type("Trail2", (ns.Packet,), {"fields_desc": [
            ns.ByteField("a", 12), ns.FCSField("fcs", None, fmt="<I"),
            ns.IntField("bottom", 123)]})
        data = bytes(cls(fcs=0xBEEF) / ns.Raw(b"payload"))
        back = cls(data)
        back.a = 13  # built again from the fields
        got[key] = (data, back.fcs, back.bottom, back[ns.Raw].load, bytes(cls(data)),
                    bytes(back))
    assert got["paquet"] == got["scapy"]


def test_bind_layers_without_a_field() -> None:
    got = {}
    for key, ns in LIBS.items():
        head = type("Hd", (ns.Packet,), {"fields_desc": [ns.ByteField("a", 1)]})
        body = type("Bd", (ns.Packet,), {"fields_desc": [ns.ShortField("b", 2)]})
        ns.bind_layers(head, body)
        try:
            back = head(b"\x01\x00\x07")
            got[key] = ([c.__name__ for c in back.layers()], back[body].b, bytes(head() / body()))
        finally:
            ns.split_layers(head, body)
    assert got["paquet"] == got["scapy"]


def test_bytes_and_fields_together() -> None:
    """``Layer(data, field=value)``: the value wins, as in Scapy; unlike Scapy (whose cache
    of the dissected bytes hides it), the bytes built show it too, as for paquet's other
    layers."""
    got = {}
    for key, ns in LIBS.items():
        cls = type("BF", (ns.Packet,), {"fields_desc": [
            ns.ByteField("a", 1), ns.FieldLenField("n", None, length_of="s", fmt="B"),
            ns.StrLenField("s", b"", length_from=lambda p: p.n)]})
        pkt = cls(b"\x01\x02hi", a=9)
        got[key] = (pkt.a, pkt.n, pkt.s, bytes(cls(a=9, s=b"hi")))
        if key == "paquet":
            assert bytes(pkt) == got[key][3]
    assert got["paquet"] == got["scapy"]


def test_a_layer_without_fields_is_a_binding_hub() -> None:
    got = {}
    for key, ns in LIBS.items():
        load = type("Load", (ns.Packet,), {"fields_desc": [ns.StrField("b", b"")]})
        hub = type("Hub", (ns.Packet,), {"fields_desc": []})
        ns.bind_layers(hub, load)
        holder = type("Holder", (ns.Packet,), {"fields_desc": [ns.PacketField("a", None, hub)]})
        try:
            p = holder(b"test")
            p[load].b = b"new"
            got[key] = (bytes(holder(b"test")), bytes(p), [c.__name__ for c in p.a.layers()])
        finally:
            ns.split_layers(hub, load)
    assert got["paquet"] == got["scapy"]
