"""Engine defects found by the protocol engineers, each compared with Scapy 2.8: random values
of every field class, layers by index, packets held in fields (JSON, show, random values),
the parent of a layer while it is dissected, checksums with padding inside the length."""

from __future__ import annotations

import inspect
import shutil
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
import scapy.fields as sf  # noqa: E402
from scapy.packet import Packet as SPacket  # noqa: E402

import paquet.packet.fields as pf  # noqa: E402
from paquet.packet import (  # noqa: E402
    addrfields,
    enumfields,
    flagfields,
    intfields,
    strfields,
    structfields,
    valuefields,
)
from paquet.packet.base import Packet  # noqa: E402
from paquet.volatile.fuzzing import randval  # noqa: E402

_MODULES = (pf, intfields, enumfields, flagfields, strfields, structfields, valuefields)


class Inner(Packet):
    name = "Inner"
    fields_desc = (pf.ByteField("a", 1),)


class SInner(SPacket):
    name = "Inner"
    fields_desc = [sf.ByteField("a", 1)]  # noqa: RUF012  (Scapy's tables are lists)


def _values(mod: Any) -> dict[str, Any]:
    """The arguments the two libraries' constructors are given, by parameter name."""
    ours = mod is not sf
    mod = pf if ours else sf
    ip = addrfields.IPField if ours else sf.IPField
    return {
        "name": "f", "default": 1, "enum": {1: "one"}, "size": 12, "sz": 5, "length": 4,
        "fmt": "H", "pkt_cls": Inner if ours else SInner,
        "cls": Inner if ours else SInner,
        "fld": ip("f", "192.0.2.1"), "cond": lambda p: True,
        "names": ["a", "b", "c"], "length_from": lambda p: 4, "field": mod.ByteField("x", 0),
        "align": 4, "action_method": lambda *a: None, "scaling": 1, "extension_bit": 0,
        "stop": b"\n",
        "dflt": ip("f", "192.0.2.1"), "flds": [], "depends_on": lambda p: 0,
        "length_of": "x",
    }


def _field_classes() -> list[str]:
    names = set()
    for m in _MODULES:
        for n in getattr(m, "__all__", ()):
            c = getattr(m, n, None)
            if isinstance(c, type) and issubclass(c, pf.Field) and n != "Field":
                names.add(n)
    return sorted(names)


def _make(mod: Any, cls_name: str, params: list[str]) -> Any:
    cls = getattr(mod, cls_name)
    vals = _values(mod)
    args = []
    for p in params:
        if p not in vals:
            break
        args.append(vals[p])
    if cls_name in ("PacketField", "PacketLenField", "PacketListField"):
        args[1] = None if cls_name != "PacketListField" else []
    if cls_name == "CharEnumField":
        args[1:3] = ["a", {"a": "one"}]
    if cls_name == "MultiEnumField":
        args[2] = {0: {1: "one"}}
    if cls_name in ("StrField", "StrFixedLenField", "StrLenField", "StrNullField", "XStrField",
                    "StrStopField", "XStrFixedLenField", "XStrLenField", "StrFieldUtf16",
                    "StrLenFieldUtf16", "StrNullFieldUtf16", "StrFixedLenEnumField"):
        args[1] = b"x"
    if cls_name in ("IPField", "DestIP6Field", "IP6Field", "MACField", "LEMACField"):
        args[1] = {"IPField": "192.0.2.1", "MACField": "00:00:00:00:00:01",
                   "LEMACField": "00:00:00:00:00:01"}.get(cls_name, "2001:db8::1")
    return cls(*args)


def _kind(v: Any) -> tuple[Any, ...]:
    """What a random value is: its class, and the range or size that says its width."""
    if v is None:
        return (None,)
    if isinstance(v, (Packet, SPacket)):
        return ("packet", v.name)
    name = type(v).__name__
    for attr in ("min", "max"):
        if hasattr(v, attr):
            name += f" {getattr(v, attr)}"
    if name.startswith("RandBin"):
        size = getattr(v, "size", None)
        name = "RandBin " + (type(size).__name__ if not isinstance(size, int) else str(size))
    return (name,)


# Where paquet's random value deliberately differs from Scapy's, and why.
_WIDER_IN_SCAPY = {
    # Scapy packs a RandInt and keeps 3 of its bytes (the same bytes on the wire); paquet
    # draws the 24-bit number those bytes hold, so the packet dissects back to its value.
    "ThreeBytesField": ("RandNum 0 16777215",), "X3BytesField": ("RandNum 0 16777215",),
    "LEThreeBytesField": ("RandNum 0 16777215",), "XLE3BytesField": ("RandNum 0 16777215",),
    "OUIField": ("RandNum 0 16777215",), "LE3BytesEnumField": ("RandNum 0 16777215",),
    "XLE3BytesEnumField": ("RandNum 0 16777215",),
    # A packet of the field's class, fuzzed (Scapy's PacketField), where Scapy's gives bytes
    # to a PacketLenField and nothing to use to a list (fuzz() fuzzes the list's items).
    "PacketLenField": ("packet", "Inner"), "PacketListField": ("packet", "Inner"),
    # Scapy's randval fails (the fixed length is not in a struct code): bytes of the length.
    "StrFixedLenEnumField": ("RandBin 4",),
    # Scapy's gives a number (a list field's Field default), which its own build cannot
    # use as a list: paquet leaves the list alone.
    "FieldListField": (None,),
}


@pytest.mark.parametrize("cls_name", _field_classes())
def test_randval_of_every_field_class_is_scapys(cls_name: str) -> None:
    params = list(inspect.signature(getattr(_module_of(cls_name), cls_name).__init__).parameters)
    ours = _make(_module_of(cls_name), cls_name, params[1:])
    mine = _kind(randval(ours))
    if not hasattr(sf, cls_name):
        # Classes Scapy lacks (paquet's names for Scapy's generic forms): a number of the width.
        assert mine != (None,) or cls_name in ("ListField",)
        return
    theirs_field = _make(sf, cls_name, params[1:])
    try:
        theirs = _kind(theirs_field.randval())
    except (ValueError, AttributeError, TypeError, NotImplementedError):
        theirs = (None,)
    assert mine == _WIDER_IN_SCAPY.get(cls_name, theirs), (cls_name, mine, theirs)


def _module_of(cls_name: str) -> Any:
    for m in _MODULES:
        if cls_name in getattr(m, "__all__", ()):
            return m
    raise LookupError(cls_name)


class _Cond(Packet):
    name = "Cond"
    fields_desc = (
        pf.ByteField("kind", 1),
        structfields.ConditionalField(addrfields.IPField("addr", "192.0.2.1"),
                                      lambda p: p.kind == 1),
        intfields.ThreeBytesField("n", 0),
        structfields.MultipleTypeField(
            [(addrfields.IPField("m", "192.0.2.2"), lambda p: p.kind == 1)],
            strfields.StrFixedLenField("m", b"", 4),
        ),
    )


def test_fuzzed_conditional_address_and_three_bytes_build_and_dissect_back() -> None:
    from paquet.volatile.fuzzing import fuzz

    f = fuzz(_Cond(kind=1))
    kinds = [type(f.__dict__[n]).__name__ for n in ("addr", "n", "m")]
    assert kinds == ["RandIP", "RandNum", "RandIP"]
    for _ in range(50):
        data = bytes(f)
        back = _Cond(data)
        assert bytes(back) == data and 0 <= back.n < 1 << 24


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, -1])
def test_layer_by_index_is_scapys(index: int) -> None:
    from paquet.layers import DNS, DNSQR, IP, UDP

    ours = IP(dst="192.0.2.1") / UDP() / DNS(qd=[DNSQR(qname="a.example")])
    theirs = scapy_all.IP(dst="192.0.2.1") / scapy_all.UDP() / scapy_all.DNS(
        qd=[scapy_all.DNSQR(qname="a.example")])
    try:
        expected: Any = type(theirs[index]).__name__
    except IndexError:
        expected = IndexError
    if expected is IndexError:
        with pytest.raises(IndexError):
            ours[index]
        assert ours.getlayer(index) is None
    else:
        assert type(ours[index]).__name__ == expected
        assert type(ours.getlayer(index)).__name__ == expected


def _held_classes(lib: Any) -> tuple[Any, Any]:
    """The same two layers in each library: ``Out`` holds an ``In`` and a list of them."""
    if lib is sf:
        base: Any = SPacket
        fld, held, held_list = sf, sf.PacketField, sf.PacketListField
    else:
        base, fld = Packet, pf
        held, held_list = structfields.PacketField, structfields.PacketListField

    class In(base):  # type: ignore[misc,valid-type]
        name = "In"
        fields_desc = [fld.ShortField("a", 1), fld.ByteField("b", 2)]  # noqa: RUF012

    class Out(base):  # type: ignore[misc,valid-type]
        name = "Out"
        fields_desc = [fld.ShortField("x", 1), held("p", In(), In),  # noqa: RUF012
                       held_list("l", [], In), fld.ShortField("y", 3)]

    return In, Out


def _held_cases(lib: Any) -> list[Any]:
    In, Out = _held_classes(lib)
    if lib is sf:
        rs, rb = scapy_all.RandShort, scapy_all.RandByte
        fz, udp = scapy_all.fuzz, scapy_all.UDP
    else:
        from paquet.layers import UDP
        from paquet.volatile import RandByte, RandShort
        from paquet.volatile.fuzzing import fuzz

        rs, rb, fz, udp = RandShort, RandByte, fuzz, UDP
    return [
        lambda: Out(x=rs(), p=In(a=rs()), l=[In(a=rs()), In(b=rb())], y=rs()),
        lambda: fz(Out(l=[In(), In()])),
        lambda: fz(Out()),
        lambda: udp(sport=rs()) / Out(p=In(a=rs()), y=rs()) / In(a=rs()),
        lambda: Out(p=In(a=rs()), l=[In(a=rs())]),
        lambda: Out(p=In(a=rs()) / In(a=rs()), l=[In(a=rs()) / In(b=rb()), In(a=rs())]),
        lambda: Out(p=Out(p=In(a=rs()), x=rs()), l=[Out(l=[In(b=rb())], y=rs())], y=rs()),
    ]


@pytest.mark.parametrize("case", range(7))
def test_random_values_in_held_packets_drawn_in_scapys_order(case: int) -> None:
    import random

    out = []
    for lib in (sf, pf):
        random.seed(5)
        out.append(bytes(_held_cases(lib)[case]()))
    assert out[1] == out[0]


def test_json_and_to_dict_of_held_packets() -> None:
    import json

    made = []
    for lib in (sf, pf):
        In, Out = _held_classes(lib)
        made.append(Out(p=In(a=5) / In(a=6), l=[In(b=3) / In(b=4), In()], y=7))
    theirs, ours = made
    assert ours.json() == theirs.json()
    # to_dict (``paquet read --json``): the held packets as packets, every layer of them,
    # the values Scapy's json() gives for their first layer.
    d = json.loads(json.dumps(ours.to_dict()))
    fields = d["layers"][0]["fields"]
    want = json.loads(theirs.json())
    assert [x["fields"] for x in fields["p"]["layers"]] == [want["p"], {"a": 6, "b": 2}]
    assert [x["layers"][0]["fields"] for x in fields["l"]] == want["l"]


@pytest.mark.parametrize("case", range(3))
def test_show_of_an_empty_packet_list_is_a_tree(case: int) -> None:
    shown = []
    for lib in (sf, pf):
        In, Out = _held_classes(lib)
        pkt = [Out(), Out(l=[In()]), Out(p=Out(l=[]), l=[Out()])][case]
        shown.append(pkt.show(dump=True))
    assert shown[1] == shown[0]


def _parent_classes(lib: Any) -> tuple[Any, Any]:
    """``Item``'s value is as long as its enclosing ``Msg`` says (read while dissecting)."""
    if lib is sf:
        base: Any = SPacket
        fld, held_list, strlen = sf, sf.PacketListField, sf.StrLenField
    else:
        base, fld = Packet, pf
        held_list, strlen = structfields.PacketListField, strfields.StrLenField

    class Item(base):  # type: ignore[misc,valid-type]
        name = "Item"
        fields_desc = [strlen("v", b"", length_from=lambda p: p.parent.size)]  # noqa: RUF012

        def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
            return b"", s

    class Msg(base):  # type: ignore[misc,valid-type]
        name = "Msg"
        fields_desc = [fld.ByteField("size", 2), held_list("items", [], Item)]  # noqa: RUF012

    return Item, Msg


def test_parent_is_set_before_dissection() -> None:
    data = b"\x03abcdefg"
    shown = []
    for lib in (sf, pf):
        Item, Msg = _parent_classes(lib)
        shown.append(Msg(data).show(dump=True))
        item = Item(b"xyz", _parent=Msg(size=1))
        assert item.v == b"x" and item.parent.size == 1
    assert shown[1] == shown[0]


class _Four(Packet):
    """Four bytes; what follows them is Padding (a record inside a datagram)."""

    name = "Four"
    fields_desc = (pf.IntField("v", 0),)

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


def _checksum_frames() -> list[bytes]:
    frames = []
    for net in (scapy_all.IP(src="192.0.2.1", dst="192.0.2.2"),
                scapy_all.IPv6(src="2001:db8::1", dst="2001:db8::2")):
        for l4 in (scapy_all.UDP(sport=1234, dport=4444), scapy_all.TCP(sport=1234, dport=4444)):
            good = scapy_all.Ether() / net / l4 / scapy_all.Raw(b"\0\0\0\1xyzw")
            frame = bytes(good)
            frames.append(frame)
            bad = scapy_all.Ether(frame)
            bad[type(l4)].chksum ^= 1
            frames.append(bytes(bad))
            # Link padding after the datagram (outside its length) changes nothing.
            frames.append(frame + b"\0" * 6)
    return frames


def _our_verdict(frame: bytes) -> bool:
    from paquet.layers import TCP, UDP, Ether

    pkt = Ether(frame)
    l4 = pkt[UDP] if UDP in pkt else pkt[TCP]
    inner = l4.payload
    assert type(inner).__name__ == "Raw"
    l4.remove_payload()
    held = _Four(bytes(inner.load))  # the record, with its Padding after it
    l4.add_payload(held)
    assert type(held.payload).__name__ == "Padding"
    return "[bad" not in pkt.show(dump=True)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_checksum_verdict_with_padding_inside_the_datagram_is_tsharks(tmp_path: Any) -> None:
    import subprocess

    frames = _checksum_frames()
    path = tmp_path / "ck.pcap"
    scapy_all.wrpcap(str(path), [scapy_all.Ether(f) for f in frames])
    cmd = ["tshark", "-n", "-r", str(path), "-o", "udp.check_checksum:TRUE",
           "-o", "tcp.check_checksum:TRUE", "-T", "fields",
           "-e", "udp.checksum.status", "-e", "tcp.checksum.status"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    theirs = [line.strip() == "1" for line in out.splitlines()]
    assert [_our_verdict(f) for f in frames] == theirs
    assert theirs == [True, False, True] * 4


def _own_dissect_classes(lib: Any) -> tuple[Any, Any]:
    """A general-path layer (a length and a string) that reads its value reversed."""
    if lib is sf:
        base: Any = SPacket
        strlen, lenf = sf.StrLenField, sf.FieldLenField
    else:
        base, strlen, lenf = Packet, strfields.StrLenField, structfields.FieldLenField

    class Rec(base):  # type: ignore[misc,valid-type]
        name = "Rec"
        fields_desc = [lenf("n", None, length_of="v", fmt="B"),  # noqa: RUF012
                       strlen("v", b"", length_from=lambda p: p.n)]

        def do_dissect(self, s: bytes) -> bytes:
            self.n = s[0]
            self.v = s[1:1 + s[0]][::-1]
            return s[1 + s[0]:]

    class Sub(Rec):
        name = "Sub"

    return Rec, Sub


@pytest.mark.parametrize("data", [b"\x03abcXY", b"\x00", b"\x02ab"])
def test_own_do_dissect_of_a_general_layer_is_used_as_scapys(data: bytes) -> None:
    out = []
    for lib in (sf, pf):
        Rec, Sub = _own_dissect_classes(lib)
        out.append((repr(Rec(data)), repr(Sub(data)).replace("Sub", "Rec"),
                    bytes(Rec(v=b"hello")), Rec(data).show(dump=True)))
    assert out[1] == out[0]


def test_own_do_dissect_in_paquets_form_is_inherited() -> None:
    from paquet.packet.base import Malformed

    class Rec(Packet):
        name = "Rec"
        fields_desc = (structfields.FieldLenField("n", None, length_of="v", fmt="B"),
                       strfields.StrLenField("v", b"", length_from=lambda p: p.n))

        def do_dissect(self, data: bytes, off: int, end: int) -> int:
            if off >= end:
                raise Malformed(off, "a length byte")
            n = data[off]
            self.__dict__.update(n=n, v=data[off + 1:off + 1 + n][::-1])
            return off + 1 + n

    class Sub(Rec):
        name = "Sub"

    for cls in (Rec, Sub):
        assert cls._general  # built field by field
        assert (cls(b"\x02abZ").v, bytes(cls(v=b"xy"))) == (b"ba", b"\x02xy")


def test_raw_of_unaligned_data_is_scapys() -> None:
    from paquet.packet.base import Raw
    from paquet.packet.fields import FieldError

    data = bytes.fromhex("0" + b"abc".hex() + "0")
    ours, theirs = Raw((data, 4)), scapy_all.Raw((data, 4))
    assert (repr(ours), ours.load) == (repr(theirs), theirs.load)
    with pytest.raises(FieldError):  # Scapy's build fails too (a TypeError there)
        bytes(ours)


def test_conf_max_list_count_limits_list_fields_as_scapys() -> None:
    from paquet.net.conf import conf

    _, Msg = _parent_classes(pf)
    _, SMsg = _parent_classes(sf)
    data = b"\x01" + b"x" * 8  # eight items
    saved = conf.max_list_count, scapy_all.conf.max_list_count
    try:
        conf.max_list_count = scapy_all.conf.max_list_count = 5
        with pytest.raises(sf.MaximumItemsCount):
            SMsg(data)
        # paquet keeps the error with the packet (bytes(dissected) == data): strict raises.
        ours = Msg(data)
        assert bytes(ours) == data and "5" in str(ours.errors[0])
        with pytest.raises(Exception, match="5"):
            from paquet.packet.base import dissect_as

            dissect_as(Msg, data, strict=True)
        conf.max_list_count = scapy_all.conf.max_list_count = 100
        assert Msg(data).show(dump=True) == SMsg(data).show(dump=True)
        assert len(Msg(data).items) == 8
    finally:
        conf.max_list_count, scapy_all.conf.max_list_count = saved
