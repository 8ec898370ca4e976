"""RADIUS (layers/radius.py, radius_attributes.py): the same bytes as Scapy for a table of
constructions, the same attribute classes and values when dissecting, tshark's dissection
field by field, the authenticators, and truncated or hostile bytes given back unchanged."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
from scapy.layers import radius as sradius  # noqa: E402

from paquet.layers import IP, UDP, Ether, Raw  # noqa: E402
from paquet.layers import radius as rad  # noqa: E402
from paquet.layers import radius_attributes as ra  # noqa: E402
from paquet.layers.eap import EAP  # noqa: E402
from paquet.packet import Packet  # noqa: E402

from .scapy_compare import assert_prefixes_given_back, needs_tshark, tshark_layers  # noqa: E402


def _cls(lib: str, name: str) -> Any:
    if lib == "s":
        return getattr(sradius, name, None) or getattr(scapy_all, name)
    return ({"Ether": Ether, "IP": IP, "UDP": UDP, "Raw": Raw, "EAP": EAP}.get(name)
            or getattr(rad, name, None) or getattr(ra, name))


def _attr(name: str, **kw: Any) -> Any:
    return lambda lib: _cls(lib, name)(**{k: (v(lib) if callable(v) else v)
                                           for k, v in kw.items()})


def _attrs(*makers: Any) -> Any:
    return lambda lib: [m(lib) for m in makers]


Spec = list[tuple[str, dict[str, Any]]]


def _stack(lib: str, spec: Spec) -> Any:
    pkt = None
    for name, fields in spec:
        layer = _cls(lib, name)(**{k: (v(lib) if callable(v) else v) for k, v in fields.items()})
        pkt = layer if pkt is None else pkt / layer
    return pkt


AUTH = b"\x11" * 16
ATTRIBUTES = [
    _attr("RadiusAttribute", type=18, value="Hello"),
    _attr("RadiusAttr_User_Name", value="alice"),
    _attr("RadiusAttr_User_Password", value=b"\x01" * 16),
    _attr("RadiusAttr_NAS_Port", value=50118),
    _attr("RadiusAttr_Framed_MTU", value=1500),
    _attr("RadiusAttr_Service_Type", value=2),
    _attr("RadiusAttr_NAS_Port_Type", value=19),
    _attr("RadiusAttr_Acct_Status_Type", value=1),
    _attr("RadiusAttr_NAS_IP_Address", value="192.0.2.1"),
    _attr("RadiusAttr_Framed_IP_Address", value="198.51.100.4"),
    _attr("RadiusAttr_State", value=b"\xaa" * 18),
    _attr("RadiusAttr_Message_Authenticator"),
    _attr("RadiusAttr_EAP_Message", value=_attr("EAP", code=2, id=1, type=1,
                                                identity=b"alice")),
    _attr("RadiusAttr_Vendor_Specific", vendor_id=9, vendor_type=1,
          value="service-type=Framed"),
    _attr("RadiusAttr_Vendor_Specific", vendor_id=311, vendor_type=25,
          value=_attr("MS_CHAP2_Response", Ident=1, PeerChallenge=b"p" * 16,
                      Response=b"r" * 24)),
    _attr("RadiusAttr_Vendor_Specific", vendor_id=311, vendor_type=10,
          value=_attr("MS_CHAP_Domain", Ident=1, String=b"EXAMPLE")),
]

CONSTRUCTIONS: list[tuple[str, Spec]] = [
    ("defaults", [("Radius", {})]),
    ("an attribute as payload", [("Radius", {"authenticator": "scapy"}),
                                 ("RadiusAttribute", {"value": "scapy"})]),
    ("an access-accept", [("Radius", {"code": 2, "id": 200, "authenticator": AUTH})]),
    ("len set", [("Radius", {"len": 5, "attributes": _attrs(ATTRIBUTES[1])})]),
    ("UDP binds 1812", [("UDP", {}), ("Radius", {"attributes": _attrs(ATTRIBUTES[1])})]),
    ("accounting from 1813", [("UDP", {"sport": 1813, "dport": 1813}),
                              ("Radius", {"code": 4, "attributes": _attrs(ATTRIBUTES[7])})]),
    *[(f"attribute {i}", [("Radius", {"id": i, "authenticator": AUTH,
                                      "attributes": _attrs(m)})])
      for i, m in enumerate(ATTRIBUTES)],
    ("every attribute", [("Radius", {"authenticator": AUTH,
                                     "attributes": _attrs(*ATTRIBUTES)})]),
    ("attribute len set", [("RadiusAttribute", {"len": 3, "value": "abcdef"})]),
    ("a whole frame", [("Ether", {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}),
                       ("IP", {"src": "192.0.2.1", "dst": "192.0.2.2"}),
                       ("UDP", {"sport": 40000, "dport": 1812}),
                       ("Radius", {"attributes": _attrs(*ATTRIBUTES[:4])})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: Spec) -> None:
    assert bytes(_stack("p", spec)) == bytes(_stack("s", spec)), what


def _value(v: Any) -> Any:
    if v == []:  # (EAP's absent conditional list: [] here, None in Scapy)
        return None
    if isinstance(v, list):
        return [_value(x) for x in v]
    if hasattr(v, "fields_desc"):
        return (type(v).__name__, [(f.name, _value(getattr(v, f.name))) for f in v.fields_desc],
                bytes(v))
    return v


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_equals_scapy(what: str, spec: Spec) -> None:
    data = bytes(_stack("s", spec))
    first = spec[0][0]
    ours, theirs = _cls("p", first)(data), _cls("s", first)(data)
    assert bytes(ours) == data
    mine, other = ours.getlayer(rad.Radius), theirs.getlayer(sradius.Radius)
    if other is None:
        return
    assert _value(mine.attributes) == _value(other.attributes)
    for name in ("code", "id", "len", "authenticator"):
        assert getattr(mine, name) == getattr(other, name)
    assert mine.summary() == other.summary()


# ------------------------------------------------------------------ authenticators

def test_authenticators_as_scapy() -> None:
    request = _stack("s", [("Radius", {"id": 9, "authenticator": AUTH,
                                       "attributes": _attrs(*ATTRIBUTES[:3], ATTRIBUTES[11])})])
    data = bytes(request)
    ours, theirs = rad.Radius(data), sradius.Radius(data)
    assert ours.compute_authenticator(AUTH, b"secret") == theirs.compute_authenticator(
        AUTH, b"secret")
    mine = ours[ra.RadiusAttr_Message_Authenticator].compute_message_authenticator(
        ours, AUTH, b"secret")
    other = theirs[sradius.RadiusAttr_Message_Authenticator].compute_message_authenticator(
        theirs, AUTH, b"secret")
    assert mine == other


def test_password_hidden_and_found_back() -> None:
    request = rad.Radius(authenticator=AUTH)
    attr = ra.RadiusAttr_User_Password.encrypt(request, "correct horse battery", b"s3cret")
    assert len(attr.value) == 32
    assert attr.decrypt(request, b"s3cret") == b"correct horse battery"
    assert attr.decrypt(request, b"wrong") != b"correct horse battery"
    if sradius.Hash_MD5 is None:
        pytest.skip("Scapy's decrypt needs the cryptography package")
    theirs = sradius.RadiusAttr_User_Password(bytes(attr))
    assert theirs.decrypt(sradius.Radius(authenticator=AUTH), b"s3cret") == (
        b"correct horse battery")


# ------------------------------------------------------------------ tshark

def _frames() -> list[Packet]:
    rng = random.Random(1812)
    link = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(
        src="192.0.2.1", dst="192.0.2.2")
    frames: list[Packet] = []
    for i in range(16):
        attrs = [m("p") for m in rng.sample(ATTRIBUTES, rng.randint(0, 6))]
        frames.append(link / UDP(sport=rng.randrange(1024, 65536), dport=1812) / rad.Radius(
            code=rng.choice([1, 2, 3, 11]), id=i, authenticator=bytes(
                rng.randrange(256) for _ in range(16)), attributes=attrs))
    return frames


def _many(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


@needs_tshark
def test_dissection_against_tshark(tmp_path: Path) -> None:
    frames = [Ether(bytes(f)) for f in _frames()]
    for pkt, layers in zip(frames, tshark_layers(tmp_path, frames), strict=True):
        t = layers["radius"]
        r = pkt[rad.Radius]
        assert int(t["radius.code"]) == r.code
        assert int(t["radius.id"]) == r.id
        assert int(t["radius.length"]) == r.len
        assert t["radius.authenticator"].replace(":", "") == r.authenticator.hex()
        avps = t.get("Attribute Value Pairs", {})
        trees = _many(avps["radius.avp_tree"]) if avps else []
        assert [int(x["radius.avp.type"]) for x in trees] == [a.type for a in r.attributes]
        assert [int(x["radius.avp.length"]) for x in trees] == [a.len for a in r.attributes]
        for tree, a in zip(trees, r.attributes, strict=True):
            key = "radius." + type(a).__name__.removeprefix("RadiusAttr_")
            if isinstance(a, ra.RadiusAttr_Vendor_Specific):
                assert int(tree["radius.avp.vendor_id"]) == a.vendor_id
                vsa = next(v for k, v in tree.items() if k.startswith("VSA: "))
                assert int(vsa["radius.avp.vendor_type"]) == a.vendor_type
                assert int(vsa["radius.avp.vendor_len"]) == a.vendor_len
            elif isinstance(a, ra.RadiusAttr_EAP_Message):
                assert int(tree["eap"]["eap.code"]) == a.value.code
                assert int(tree["eap"]["eap.id"]) == a.value.id
                assert int(tree["eap"]["eap.len"]) == a.value.len
            elif isinstance(a.value, bytes) and key in tree:
                shown = tree[key]
                assert shown in (a.value.decode(errors="replace"), a.value.hex(":"))
            elif key in tree:
                assert tree[key] == str(a.value)


# ------------------------------------------------------------------ hostile input

@pytest.mark.parametrize("first", [rad.Radius, UDP, Ether])
def test_cuts_given_back(first: type[Packet]) -> None:
    for frame in _frames():
        layer = frame.getlayer(first) if first is not Ether else frame
        assert_prefixes_given_back(first, bytes(layer))


def test_random_bytes_given_back() -> None:
    rng = random.Random(1813)
    for _ in range(2000):
        head = bytes([rng.randrange(256), rng.randrange(256)])
        body = bytes(rng.choice([0, 1, 2, 6, 26, 79, 80, 255, rng.randrange(256)])
                     for _ in range(rng.randrange(0, 80)))
        length = rng.choice([len(body) + 20, rng.randrange(65536)])
        data = head + length.to_bytes(2, "big") + body
        for cls in (rad.Radius, ra.RadiusAttribute):
            pkt = cls(data if cls is rad.Radius else body or b"\x01")
            assert bytes(pkt) == (data if cls is rad.Radius else body or b"\x01")
            pkt.show(dump=True)
