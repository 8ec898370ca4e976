"""paquet.volatile against Scapy's scapy.volatile: after the same ``random.seed(n)`` both draw the
same values (so the ranges, types, lengths and text formats are Scapy's), print the same
``repr``/``command()``, and behave the same in arithmetic, comparisons, ``str``/``bytes``."""

from __future__ import annotations

import ipaddress
import random
import re
import struct
from collections.abc import Callable
from typing import Any

import pytest

import paquet.volatile as V

S = pytest.importorskip("scapy.volatile")
SU = pytest.importorskip("scapy.utils")

# (class name, constructor arguments): each drawn 30 times by both libraries from one seed.
DRAWS: list[tuple[str, tuple[Any, ...]]] = [
    ("RandNum", (0, 0)),
    ("RandNum", (-5, 5)),
    ("RandNum", (10, 2**70)),
    ("RandByte", ()),
    ("RandSByte", ()),
    ("RandShort", ()),
    ("RandSShort", ()),
    ("RandInt", ()),
    ("RandSInt", ()),
    ("RandLong", ()),
    ("RandSLong", ()),
    ("RandFloat", (-1.5, 7)),
    ("RandNumGamma", (2, 3)),
    ("RandNumGauss", (100, 15)),
    ("RandNumExpo", (0.05,)),
    ("RandNumExpo", (0.5, 10)),
    ("RandEnum", (3, 40, 7)),
    ("RandEnumKeys", ({"a": 1, "b": 2, "c": 3}, 5)),
    ("RandChoice", (1, "two", b"three")),
    ("RandString", ()),
    ("RandString", (12,)),
    ("RandString", (6, "xyz")),
    ("RandBin", ()),
    ("RandBin", (9,)),
    ("RandTermString", (5, b"\x00")),
    ("RandTermString", (3, "end")),
    ("RandIP", ()),
    ("RandIP", ("192.0.2.0/24",)),
    ("RandIP", ("10.0.0.0/8",)),
    ("RandIP", ("198.51.100.7",)),
    ("RandMAC", ()),
    ("RandMAC", ("00:11:*",)),
    ("RandMAC", ("02:00:00:00:00:0-f",)),
    ("RandIP6", ()),
    ("RandIP6", ("2001:db8::*",)),
    ("RandIP6", ("2001:db8::1-ff",)),
    ("RandIP6", ("2001:db8:**",)),
    ("RandIP6", ("**::1",)),
    ("RandIP6", ("fe80::**",)),
    ("RandIP6", ("2001:*:**:1",)),
    ("RandOID", ()),
    ("RandOID", ("1.3.6.1.*",)),
    ("RandOID", ("1.3.**",)),
    ("RandOID", ("1.2.0-10.4",)),
    ("IncrementalValue", (5, 3, 20)),
    ("CorruptedBytes", (b"hello world", 0.3)),
    ("CorruptedBits", (b"hello world", 0.1)),
    ("CorruptedBytes", ("text", 0.01, 2)),
]


def _same(value: Any) -> Any:
    """A drawn value as comparable data (Scapy's RandIP gives a str subclass)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        return struct.pack("!d", value)  # NaN equal to itself
    return value


@pytest.mark.parametrize(("name", "args"), DRAWS, ids=lambda x: str(x))
def test_the_same_values_as_scapy_from_the_same_seed(name: str, args: tuple[Any, ...]) -> None:
    ours_cls, theirs_cls = getattr(V, name), getattr(S, name)
    random.seed(2807)
    theirs_obj = theirs_cls(*args)
    theirs = [_same(theirs_obj._fix()) for _ in range(30)]
    random.seed(2807)
    ours_obj = ours_cls(*args)
    ours = [_same(ours_obj._fix()) for _ in range(30)]
    assert ours == theirs
    assert type(ours[0]) is type(theirs[0])
    if name != "RandChoice":  # Scapy's command() cannot print non-text choices
        assert ours_obj.command() == theirs_obj.command()
    assert repr(ours_obj) == repr(theirs_obj)


def test_rand_bin_float_draws_scapy_s_bytes() -> None:
    random.seed(5)
    theirs = [struct.pack("!f", S.RandBinFloat(0, 0)._fix()) for _ in range(20)]
    random.seed(5)
    ours = [struct.pack("!f", V.RandBinFloat(0, 0)._fix()) for _ in range(20)]
    assert ours == theirs


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.RandString(size=4, chars="ab"),
        lambda m: m.RandString(m.RandNumExpo(0.2)),
        lambda m: m.RandBin(m.RandNum(1, 3)),
        lambda m: m.RandOID(depth=m.RandNumExpo(0.2), idnum=7),
        lambda m: m.RandOID("1.2.*", depth=3),
        lambda m: m.RandNumExpo(0.3, base=2),
        lambda m: m.RandEnum(1, 9),
        lambda m: m.RandEnumKeys(["x", "y"], seed=4),
        lambda m: m.RandPool(m.RandByte(), (m.RandShort(), 3)),
        lambda m: m.IncrementalValue(),
        lambda m: m.IncrementalValue(start=2, step=5),
        lambda m: m.CorruptedBits(b"ab", n=3),
        lambda m: m.AutoTime(base=5.0),
        lambda m: m.IntAutoTime(diff=2),
        lambda m: m.ZuluTime(),
        lambda m: m.GeneralizedTime(diff=60),
        lambda m: m.DelayedEval("1 + 2"),
        lambda m: m.RandSByte(),
        lambda m: m.RandField(),
        lambda m: m.VolatileValue(),
    ],
)
def test_command_and_repr_are_scapy_s(make: Callable[[Any], Any]) -> None:
    ours, theirs = make(V), make(S)
    assert ours.command() == theirs.command()
    assert ours.command(json=True) == theirs.command(json=True)
    assert repr(ours) == repr(theirs)


# Operations on a value that draw one: the result must be Scapy's from the same seed.
OPERATIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("int", lambda m: int(m.RandShort())),
    ("index", lambda m: [10, 20, 30, 40][m.RandNum(0, 3)]),
    ("bool", lambda m: bool(m.RandNum(0, 1))),
    ("add", lambda m: m.RandNum(1, 10) + 5),
    ("radd", lambda m: 5 + m.RandNum(1, 10)),
    ("sub", lambda m: m.RandByte() - 3),
    ("rsub", lambda m: 300 - m.RandByte()),
    ("mul", lambda m: m.RandNum(1, 9) * 3),
    ("rmul", lambda m: 3 * m.RandNum(1, 9)),
    ("lt", lambda m: m.RandByte() < 128),
    ("ge", lambda m: m.RandByte() >= 128),
    ("and", lambda m: m.RandShort() & 0xF0),
    ("rand", lambda m: 0xF0 & m.RandShort()),
    ("or", lambda m: m.RandByte() | 1),
    ("ror", lambda m: 1 | m.RandByte()),
    ("lshift", lambda m: m.RandByte() << 4),
    ("rshift", lambda m: m.RandShort() >> 4),
    ("str_ip", lambda m: str(m.RandIP())),
    ("str_mac", lambda m: str(m.RandMAC())),
    ("str_num", lambda m: str(m.RandInt())),
    ("bytes_str", lambda m: bytes(m.RandString(7))),
    ("bytes_bin", lambda m: bytes(m.RandBin(7))),
    ("bytes_ip6", lambda m: bytes(m.RandIP6())),
    ("str_bin", lambda m: str(m.RandBin(9))),
    ("str_term", lambda m: str(m.RandTermString(4, b"\xff"))),
    ("len", lambda m: len(m.RandString(m.RandNum(3, 9)))),
    ("mul_str", lambda m: m.RandString(3) * 2),
    ("eq_str", lambda m: m.RandChoice("a", "b") == "a"),
    ("eq_type", lambda m: m.RandNum(1, 1) == "1"),
    ("ne", lambda m: m.RandNum(1, 2) != 1),
    ("eq_volatile", lambda m: m.RandNum(1, 2) == m.RandNum(1, 2)),
    ("attr", lambda m: m.RandString(5).upper()),
    ("format", lambda m: "%d-%s" % (m.RandByte(), m.RandIP())),  # noqa: UP031
    ("corrupt_bytes", lambda m: m.corrupt_bytes(b"0123456789", 0.3)),
    ("corrupt_bits", lambda m: m.corrupt_bits("0123456789", n=5)),
]


@pytest.mark.parametrize(("name", "op"), OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_operations_draw_as_scapy_s(name: str, op: Callable[[Any], Any]) -> None:
    theirs_module = SU if name.startswith("corrupt") else S
    random.seed(99)
    theirs = [_same(op(theirs_module)) for _ in range(10)]
    random.seed(99)
    ours = [_same(op(V)) for _ in range(10)]
    assert ours == theirs


def test_unhashable_as_scapy_s() -> None:
    with pytest.raises(TypeError):
        hash(V.RandShort())
    with pytest.raises(TypeError):
        hash(S.RandShort())


def test_random_enumeration_is_scapy_s_permutation() -> None:
    for inf, sup, seed in [(0, 7, 0x2807), (1, 1000, 3), (-20, 20, 9), (5, 5, 1)]:
        ours = list(V.RandomEnumeration(inf, sup, seed=seed, forever=False))
        theirs = list(S.RandomEnumeration(inf, sup, seed=seed, forever=False))
        assert ours == theirs
        assert sorted(ours) == list(range(inf, sup + 1))  # each value once
    # forever: the same order again; renewkeys: a new order each round
    it = V.RandomEnumeration(0, 9, seed=1)
    first = [next(it) for _ in range(10)]
    assert [next(it) for _ in range(10)] == first
    ren = V.RandomEnumeration(0, 99, seed=1, renewkeys=1)
    ref = S.RandomEnumeration(0, 99, seed=1, renewkeys=1)
    assert [next(ren) for _ in range(300)] == [next(ref) for _ in range(300)]


def test_values_are_in_their_range_and_format() -> None:
    # Without Scapy: the properties the values must have (a failure names the value).
    random.seed(1)
    net = ipaddress.ip_network("203.0.113.0/28")
    for _ in range(300):
        assert ipaddress.ip_address(V.RandIP(str(net))._fix()) in net
        assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", V.RandMAC()._fix())
        assert V.RandMAC("aa:*")._fix().startswith("aa:")
        ipaddress.IPv6Address(V.RandIP6()._fix())
        ipaddress.IPv6Address(V.RandIP6("2001:db8:**")._fix())
        assert re.fullmatch(r"\d+(\.\d+)*", V.RandOID()._fix())
        assert 0 <= V.RandByte()._fix() <= 255
        assert -(2**63) <= V.RandSLong()._fix() < 2**63
        assert len(V.RandBin(13)._fix()) == 13
        assert V.RandTermString(4, b"!")._fix().endswith(b"!")
        assert V.RandString(20)._fix().isalnum()


def test_bad_templates_raise_address_errors() -> None:
    from paquet.errors import AddressError

    for bad in [lambda: V.RandIP("300.1.2.3/8"), lambda: V.RandIP("host.invalid/33"),
                lambda: V.RandMAC("zz:*"), lambda: V.RandIP6("2001:xyz::")]:
        with pytest.raises(AddressError):
            bad()


def test_choice_needs_a_value() -> None:
    with pytest.raises(TypeError):
        V.RandChoice()


def test_incremental_value_and_delayed_eval() -> None:
    v = V.IncrementalValue(restart=2)
    assert [v._fix() for _ in range(5)] == [0, 1, 2, 0, 1]
    assert V.DelayedEval("3 + 1") == 4
    counter = iter(range(10))
    d = V.DelayedEval(lambda: next(counter))
    assert [int(d._fix()) for _ in range(3)] == [0, 1, 2]


def test_a_seed_replays_the_values_scapy_cannot() -> None:
    # Scapy seeds RandEnum without seed= (and RandomEnumeration) from the system: paquet from
    # random, so random.seed(n) replays them.
    V.seed(11)
    a = [V.RandEnumShort()._fix() for _ in range(20)] + [V.RandIP6()._fix() for _ in range(5)]
    V.seed(11)
    b = [V.RandEnumShort()._fix() for _ in range(20)] + [V.RandIP6()._fix() for _ in range(5)]
    assert a == b
    random.seed(11)
    assert [V.RandEnumShort()._fix() for _ in range(20)] == a[:20]


def test_special_attributes_do_not_draw() -> None:
    import copy
    import pickle

    r = V.RandShort()
    random.seed(3)
    state = random.getstate()
    assert not hasattr(r, "__deepcopy__")
    copy.deepcopy(r)
    pickle.loads(pickle.dumps(V.RandIP("192.0.2.0/24")))
    assert random.getstate() == state  # nothing was drawn


@pytest.mark.parametrize(
    ("mn", "mx"), [(0, 10), (-28, 7), (0, 255), (-128, 127), (0, 2**16 - 1), (5, 5),
                   (0, 2**64 - 1), (-(2**63), 2**63 - 1), (100, 1000), (-1000, -100)])
def test_singular_numbers_are_scapy_s(mn: int, mx: int) -> None:
    assert V.RandSingNum(mn, mx)._choice == S.RandSingNum(mn, mx)._choice
    random.seed(mn)
    theirs = [S.RandSingNum(mn, mx)._fix() for _ in range(20)]
    random.seed(mn)
    assert [V.RandSingNum(mn, mx)._fix() for _ in range(20)] == theirs


def test_singular_classes_are_scapy_s() -> None:
    for name in ["RandSingByte", "RandSingSByte", "RandSingShort", "RandSingSShort",
                 "RandSingInt", "RandSingSInt", "RandSingLong", "RandSingSLong"]:
        ours, theirs = getattr(V, name)(), getattr(S, name)()
        assert ours._choice == theirs._choice, name
        assert repr(ours) == repr(theirs)  # (Scapy's command() fails on these)
    s = V.RandSingString()
    assert s.command() == S.RandSingString().command() == "RandSingString()"
    for _ in range(100):
        assert isinstance(bytes(s), bytes) and isinstance(str(s), str)


@pytest.mark.parametrize("template", ["01234567-89ab-cdef-0123-456789abcdef", "*-*-*-**-******",
                                      "00000000-0001:00ff-*-01*-0a:0f0304*0506"])
def test_uuid_templates_draw_as_scapy_s(template: str) -> None:
    random.seed(8)
    theirs = [S.RandUUID(template)._fix() for _ in range(10)]
    random.seed(8)
    ours = [V.RandUUID(template)._fix() for _ in range(10)]
    assert ours == theirs
    assert V.RandUUID(template).command() == S.RandUUID(template).command()


def test_uuid_versions_are_scapy_s() -> None:
    import uuid

    ns = uuid.NAMESPACE_DNS
    for kwargs in [{"namespace": ns, "name": "example.org"},
                   {"namespace": ns, "name": "example.org", "version": 3}]:
        assert V.RandUUID(**kwargs)._fix() == S.RandUUID(**kwargs)._fix()
        assert V.RandUUID(**kwargs).command() == S.RandUUID(**kwargs).command()
    assert V.RandUUID()._fix().version == 4
    assert V.RandUUID(node=0x1234)._fix().node == 0x1234
    random.seed(2)
    a = V.RandUUID()._fix()
    random.seed(2)
    assert V.RandUUID()._fix() == a  # Scapy's uuid4() comes from the system: no replay
    for bad in [{"template": "xyz"}, {"version": 2}, {"template": "*-*-*-**-************",
                                                      "version": 4},
                {"node": 1, "name": "x"}, {"version": 4, "name": "x"}]:
        with pytest.raises(ValueError):
            V.RandUUID(**bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            S.RandUUID(**bad)


@pytest.mark.parametrize(
    "pattern",
    ["[g-v]* @? [0-9]{3} (g|v)", "a(b|c)+d{2,3}", "(ab)x\\1", "[^a-z]{5}", "x?y*z+",
     "(?:ab|cd){2}", "[a-]{3}", "[]a]", "^ab$", "\\d\\s\\w", "[:digit:][:space:][:word:]",
     "[:xdigit:]{8}-[:upper:]{2,}", "a|b|", "\\.\\*"],
)
def test_regexp_draws_match_the_expression(pattern: str) -> None:
    python = pattern
    for posix, chars in {"[:digit:]": "[0-9]", "[:space:]": "\\s", "[:word:]": "\\w",
                         "[:xdigit:]": "[0-9a-fA-F]", "[:upper:]": "[A-Z]"}.items():
        python = python.replace(posix, chars)
    r = V.RandRegExp(pattern)
    random.seed(1)
    for _ in range(300):
        value = r._fix()
        assert re.fullmatch(python, value, re.S | re.A), (pattern, value)
    assert r.command() == S.RandRegExp(pattern).command()
    assert repr(r) == repr(S.RandRegExp(pattern))
    assert V.RandRegExp(pattern, lambda_=0.5).command() == S.RandRegExp(
        pattern, lambda_=0.5).command()


@pytest.mark.parametrize("bad", ["(ab", "a)", "*a", "[b-a]", "a{3,1}", "[", "[^\\x00-\\xff]"])
def test_bad_expressions_raise_expression_errors(bad: str) -> None:
    from paquet.errors import ExpressionError

    with pytest.raises(ExpressionError):
        V.RandRegExp(bad.encode().decode("unicode_escape"))


def test_sane_is_scapy_s() -> None:
    from paquet.packet.dump import sane

    for data in [b"", b"AB\x00\xffC\x7f ~", bytes(range(256))]:
        assert sane(data) == SU.sane(data)
