"""Scapy-compatibility leftovers, each compared with Scapy 2.8 on the same input: networks in
address fields shown as Scapy's ``Net``/``Net6``."""

from __future__ import annotations

import pytest

scapy_all = pytest.importorskip("scapy.all")

import paquet  # noqa: E402

_NETS = [
    ("IP", {"dst": "192.0.2.0/30"}),
    ("IP", {"src": "198.51.100.0/31", "dst": "203.0.113.0/30"}),
    ("IPv6", {"dst": "2001:db8::/126"}),
    ("IPv6", {"src": "2001:db8:1::/127"}),
    ("ARP", {"pdst": "192.0.2.0/30"}),
    ("IP", {"dst": "192.0.2.7"}),
]


@pytest.mark.parametrize(("layer", "fields"), _NETS)
def test_network_in_address_field_repr_as_scapy(layer: str, fields: dict[str, str]) -> None:
    ours = getattr(paquet, layer)(**fields)
    theirs = getattr(scapy_all, layer)(**fields)
    assert repr(ours) == repr(theirs)
    for name in fields:
        field = ours.get_field(name)
        sfield = theirs.get_field(name)
        assert field.i2repr(ours, ours.getfieldval(name)) == sfield.i2repr(
            theirs, theirs.getfieldval(name)
        )


@pytest.mark.parametrize(("layer", "fields"), _NETS[:3])
def test_network_in_address_field_show_as_scapy(layer: str, fields: dict[str, str]) -> None:
    ours = getattr(paquet, layer)(**fields).show(dump=True)
    theirs = getattr(scapy_all, layer)(**fields).show(dump=True)
    for name in fields:
        line = next(x for x in theirs.splitlines() if x.strip().startswith(name + " "))
        assert line in ours.splitlines()


def test_load_module_p0f_as_scapy() -> None:
    import scapy.main

    import paquet.net.p0f
    from paquet.utils import load_module

    ours: list[str] = []
    space: dict[str, object] = {}
    load_module("p0f", space, ours)
    theirs: list[str] = []
    scapy.main.load_module("p0f", {}, theirs)
    assert theirs  # Scapy's module loads, its names listed as paquet's are
    assert ours == list(paquet.net.p0f.__all__)
    assert space["p0f_impersonate"] is paquet.net.p0f.p0f_impersonate
    # a name both give, the same kind of object
    for name in set(ours) & set(theirs):
        assert callable(space[name]) or not callable(getattr(scapy.all, name, None))


def test_load_module_nmap_clear_error() -> None:
    from paquet.errors import PaquetError
    from paquet.utils import load_module

    with pytest.raises(PaquetError, match="nmap"):
        load_module("nmap", {})
    with pytest.raises(PaquetError, match="no paquet counterpart"):
        load_module("no_such_module", {})


# Layers with ConditionalFields, built by Scapy and dissected by both: every field, read with
# getfieldval (the stored value: the field's default when absent) and as an attribute (None
# when absent), and the fields dissected (``fields``).
_CONDITIONAL = [
    ("EAP", {"code": 3}),
    ("EAP", {"code": 1, "type": 1, "message": b"hello"}),
    ("EAP", {"code": 2, "type": 1, "identity": b"user"}),
    ("EAP", {"code": 2, "type": 3, "desired_auth_types": [4, 13]}),
    ("GRE", {}),
    ("GRE", {"key_present": 1, "key": 7}),
    ("GRE", {"chksum_present": 1, "seqnum_present": 1, "sequence_number": 9}),
    ("L2TP", {}),
    ("VXLAN", {"flags": "Instance"}),
]


@pytest.mark.parametrize(("layer", "fields"), _CONDITIONAL)
def test_absent_conditional_field_reads_as_scapy(layer: str, fields: dict[str, object]) -> None:
    raw = bytes(getattr(scapy_all, layer)(**fields))
    theirs = getattr(scapy_all, layer)(raw)
    ours = getattr(paquet, layer)(raw)
    assert ours.fields == theirs.fields
    conditional = [f.name for f in theirs.fields_desc if f.isconditional]
    assert conditional
    for name in conditional:
        assert ours.getfieldval(name) == theirs.getfieldval(name), name
        assert getattr(ours, name) == getattr(theirs, name), name
    assert bytes(ours) == raw


def _ip_split(pkt: object, ip_cls: type) -> tuple[int, int, bytes]:
    """An IPv4 layer dissected: its ihl, its options' length on the wire, its payload bytes."""
    ip = pkt[ip_cls]  # type: ignore[index]
    opts = ip.options
    olen = len(opts) if isinstance(opts, bytes) else sum(len(bytes(o)) for o in opts)
    return ip.ihl, olen, bytes(ip.payload)


@pytest.mark.parametrize("ihl", [0, 1, 3, 4])
@pytest.mark.parametrize("length", [40, 0xFFFF])
@pytest.mark.parametrize("where", ["IP", "Ether", "VXLAN"])
@pytest.mark.parametrize("tail", [14, 60])  # (60: options longer than a header can say)
def test_ipv4_header_length_under_5_dissected_as_scapy(
    ihl: int, length: int, where: str, tail: int
) -> None:
    # A payload byte 0x4N (N < 5) in a tunnel: Scapy reads an IPv4 header with options
    # (their length 4 * ihl - 20, sliced from the end); the bytes of the header follow.
    ip = bytes((0x40 | ihl, 0)) + length.to_bytes(2, "big") + b"\x00" * 5 + b"\xfd" + \
        b"\x00\x00" + bytes(range(1, 9)) + b"\x01\x04" * tail
    sa = scapy_all
    lead = {"IP": None, "Ether": sa.Ether(type=0x800),
            "VXLAN": sa.UDP(sport=1234, dport=4789) / sa.VXLAN(flags=0x4, NextProtocol=1)}
    top = {"IP": "IP", "Ether": "Ether", "VXLAN": "UDP"}[where]
    under = lead[where]
    raw = ip if under is None else bytes(under / sa.Raw(ip))
    theirs = getattr(scapy_all, top)(raw)
    ours = getattr(paquet, top)(raw)
    assert paquet.IP in ours
    assert _ip_split(ours, paquet.IP) == _ip_split(theirs, scapy_all.IP)
    assert bytes(ours) == raw


_SCOPED = [("IP", "224.0.0.1%lo"), ("IP", "192.0.2.9%lo"), ("IPv6", "ff02::1%lo"),
           ("IPv6", "fe80::1%lo")]


@pytest.mark.parametrize(("layer", "dst"), _SCOPED)
def test_scoped_destination_as_scapy(layer: str, dst: str) -> None:
    # src given: which source the host picks on that interface is the kernel's business
    # (Scapy reads its own copy of the routes, paquet asks the kernel).
    src = "192.0.2.1" if layer == "IP" else "2001:db8::1"
    ours = getattr(paquet, layer)(dst=dst, src=src)
    theirs = getattr(scapy_all, layer)(dst=dst, src=src)
    assert repr(ours) == repr(theirs)
    assert repr(ours.dst) == repr(theirs.dst)
    assert (str(ours.dst), ours.dst.scope) == (str(theirs.dst), theirs.dst.scope)
    assert ours.dst == theirs.dst  # equal to the address alone
    assert bytes(ours) == bytes(theirs)
    line = next(x for x in theirs.show(dump=True).splitlines() if x.strip().startswith("dst"))
    assert line in ours.show(dump=True).splitlines()
    # a ScopedIP given back keeps its scope, as Scapy's
    again = getattr(paquet, layer)(dst=ours.dst)
    assert repr(again.dst) == repr(getattr(scapy_all, layer)(dst=theirs.dst).dst)
    assert again.route_destination()[2] == "lo"
    plain = scapy_all.ScopedIP(dst.partition("%")[0])
    assert repr(getattr(paquet, layer)(dst=paquet.ScopedIP(plain))) == repr(
        getattr(scapy_all, layer)(dst=plain))


def test_scoped_ip_objects_as_scapy() -> None:
    import pickle

    from paquet import ScopedIP

    for args, kw in [(("192.0.2.1%eth0",), {}), (("192.0.2.1",), {"scope": "eth0"}),
                     (("ff02::1",), {})]:
        ours, theirs = ScopedIP(*args, **kw), scapy_all.ScopedIP(*args, **kw)
        assert (repr(ours), str(ours), type(ours) is str) == (
            repr(theirs), str(theirs), type(theirs) is str)
        assert getattr(ours, "scope", None) == getattr(theirs, "scope", None)
        assert repr(pickle.loads(pickle.dumps(ours))) == repr(ours)


def test_scoped_destination_routes_through_its_interface() -> None:
    # The kernel's own lookup, forced out of the interface named (no packet sent).
    from paquet.net.route import get_route

    p = paquet.IP(dst="224.0.0.1%lo")
    assert p.route()[0] == scapy_all.IP(dst="224.0.0.1%lo").route()[0] == "lo"
    assert get_route(p.dst).ifname == "lo"
