"""``bytes()`` of a temporary packet cuts its layers' ``underlayer`` links, so reference
counting frees it without the cyclic GC; a packet anything else can reach keeps them.

Each test that looks at what was freed runs with the GC disabled: a layer whose weak
reference is dead was freed by reference counting, not collected. ``bytes()`` of a
temporary is never written inside an ``assert``: pytest's assertion rewriting keeps the
operands of an assert alive, which would make every temporary look held.
"""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Callable, Iterator

import pytest

from paquet.layers import ICMP, IP, TCP, UDP, Ether, IPerror, IPv6, UDPerror
from paquet.packet import base
from paquet.packet.base import NOPAYLOAD, Packet, Raw
from paquet.packet.dump import raw

pytestmark = pytest.mark.skipif(
    not base._TEMP_BYTES, reason="reference counts not reliable here: nothing is unlinked"
)

ETH = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}


def eth_ipv6_udp() -> Packet:
    p: Packet = (
        Ether(**ETH) / IPv6(src="2001:db8::1", dst="2001:db8::2")
        / UDP(sport=1234, dport=53) / (b"x" * 20)
    )
    return p


def eth_ip_tcp() -> Packet:
    return (
        Ether(**ETH) / IP(src="192.0.2.1", dst="192.0.2.2")
        / TCP(sport=1234, dport=80, flags="S") / (b"x" * 20)
    )


def ip_icmp_error() -> Packet:
    # A port unreachable quoting the probe: IPerror and UDPerror are layers of the chain.
    return (
        IP(src="192.0.2.2", dst="192.0.2.1") / ICMP(type=3, code=3)
        / IPerror(src="192.0.2.1", dst="192.0.2.2") / UDPerror(sport=45116, dport=33434)
        / b"probe"
    )


FRAME = bytes(eth_ip_tcp())


def dissected() -> Packet:
    # Every payload dissected (p[Raw] walks up): all layers exist before bytes().
    p = Ether(FRAME)
    assert isinstance(p[Raw], Raw)
    return p


def dissected_lazy() -> Packet:
    # Only the Ethernet header dissected: bytes() dissects the rest as it builds.
    return Ether(FRAME)


MAKERS: list[Callable[[], Packet]] = [
    eth_ipv6_udp, eth_ip_tcp, ip_icmp_error, dissected, dissected_lazy,
]


def layers(p: Packet) -> list[Packet]:
    """The layers made so far (a payload left for later is not dissected)."""
    out = []
    layer: Packet | None = p
    while layer is not None and layer is not NOPAYLOAD:
        out.append(layer)
        layer = layer.__dict__.get("payload")
    return out


@pytest.fixture
def no_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


def tracked(make: Callable[[], Packet], refs: list[weakref.ref[Packet]]) -> Packet:
    """``make()``, with a weak reference to each of its layers appended to ``refs``; the
    packet returned is the only strong reference left."""
    p = make()
    refs.extend(weakref.ref(layer) for layer in layers(p))
    return p


def assert_linked(p: Packet) -> None:
    lower = None
    for layer in layers(p):
        assert layer.__dict__["underlayer"] is lower
        lower = layer


# ---------------------------------------------------------------- freed without the GC


def test_calibrated_on_cpython() -> None:
    # The optimisation is not silently off where it should work (CPython up to 3.13).
    if sys.implementation.name == "cpython" and sys.version_info < (3, 14):
        assert base._TEMP_BYTES > 0 and base._TEMP_UPPER > 0


@pytest.mark.parametrize("make", MAKERS)
def test_temporary_freed_by_refcount(make: Callable[[], Packet], no_gc: None) -> None:
    expected = make().build()
    refs: list[weakref.ref[Packet]] = []
    data = bytes(tracked(make, refs))
    assert data == expected
    assert len(refs) >= (1 if make is dissected_lazy else 4)
    assert all(r() is None for r in refs)


def live_layers() -> int:
    """How many layers the GC knows of: a layer left in a cycle stays counted."""
    return sum(isinstance(o, Packet) for o in gc.get_objects())


def test_layers_dissected_by_bytes_freed(no_gc: None) -> None:
    # bytes(Ether(frame)) dissects the payloads as it builds them: they go as well.
    before = live_layers()
    for _ in range(10):
        data = bytes(Ether(FRAME))
        assert data == FRAME
    assert live_layers() == before
    p = Ether(FRAME)
    assert bytes(p) == FRAME  # p is named: its four layers stay
    assert live_layers() == before + 4
    assert_linked(p)


def test_without_unlink_the_packet_would_stay(
    no_gc: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control of the test above: with the optimisation off, the same temporary survives
    # bytes() (its layers are cycles), so that test does see the unlinking.
    monkeypatch.setattr(base, "_TEMP_BYTES", 0)
    refs: list[weakref.ref[Packet]] = []
    bytes(tracked(eth_ipv6_udp, refs))
    assert all(r() is not None for r in refs)


def test_no_gc_collection_for_temporaries(no_gc: None) -> None:
    before = gc.get_count()[0]
    for _ in range(100):
        bytes(eth_ipv6_udp())
    # Nothing was left for the GC: the young generation did not grow by 100 packets.
    assert gc.get_count()[0] - before < 100


# ---------------------------------------------------------------- held elsewhere: kept


def test_named_packet_kept(no_gc: None) -> None:
    for make in MAKERS:
        p = make()
        assert bytes(p) == make().build()
        assert_linked(p)
        assert len(layers(p)) >= 4


def test_build_and_raw_keep_links(no_gc: None) -> None:
    # Only bytes() unlinks; build() and raw() of a temporary leave it to the GC.
    calls: list[Callable[[Packet], bytes]] = [Packet.build, raw]
    for call in calls:
        refs: list[weakref.ref[Packet]] = []
        call(tracked(eth_ip_tcp, refs))
        assert all(r() is not None for r in refs)
        layer = refs[-1]()
        assert layer is not None
        while layer.underlayer is not None:  # still linked down to the first layer
            layer = layer.underlayer
        assert layer is refs[0]()


KEPT: list[object] = []


@pytest.mark.parametrize("make", MAKERS[:4])
@pytest.mark.parametrize("index", [1, 2, 3, -1])
def test_upper_layer_held_keeps_links(
    make: Callable[[], Packet], index: int, no_gc: None
) -> None:
    # A temporary first layer whose one upper layer (each in turn) is in a global list.
    def helper() -> Packet:
        p = make()
        KEPT.append(layers(p)[index])
        return p

    KEPT.clear()
    try:
        expected = make().build()
        data = bytes(helper())
        assert data == expected
        held = KEPT[0]
        assert isinstance(held, Packet)
        # The whole chain, from the first layer up, still hangs together.
        while held.underlayer is not None:
            held = held.underlayer
        assert_linked(held)
        assert bytes(held) == expected
    finally:
        KEPT.clear()


def test_upper_layer_held_in_container_or_field(no_gc: None) -> None:
    # Held in a dict, and in a field of another packet (a Raw whose load is a packet).
    box: dict[str, Packet] = {}

    def in_dict() -> Packet:
        p = eth_ipv6_udp()
        box["udp"] = p[UDP]
        return p

    bytes(in_dict())
    assert box["udp"].underlayer is not None
    assert isinstance(box["udp"].underlayer, IPv6)
    assert box["udp"].underlayer.underlayer is not None

    holder: list[Packet] = []

    def in_field() -> Packet:
        p = eth_ip_tcp()
        holder.append(Raw(load=p[TCP]))
        return p

    data = bytes(in_field())
    assert data == eth_ip_tcp().build()
    tcp = holder[0].load
    assert isinstance(tcp, TCP) and isinstance(tcp.underlayer, IP)
    assert tcp.underlayer.underlayer is not None


def test_layer_of_the_chain_in_its_own_field(no_gc: None) -> None:
    # A layer that a Raw of the same chain also holds as its load: counted as held.
    def make() -> Packet:
        p = Ether(**ETH) / IP(dst="192.0.2.2") / Raw() / UDP()
        p[Raw].load = p[UDP]
        return p

    expected = make().build()
    refs: list[weakref.ref[Packet]] = []
    data = bytes(tracked(make, refs))
    assert data == expected
    assert all(r() is not None for r in refs)
    first = refs[0]()
    assert first is not None
    assert_linked(first)


def test_root_with_underlayer_kept() -> None:
    # bytes() of an upper layer of a named packet: both stay as they are.
    p = eth_ip_tcp()
    assert bytes(p[IP]) == p[IP].build()
    assert bytes(p.payload.payload) == p[TCP].build()
    assert bytes(p.payload.payload.payload) == p[Raw].build()  # the top layer
    assert_linked(p)


# ---------------------------------------------------------------- same bytes


@pytest.mark.parametrize("make", MAKERS)
def test_same_bytes(make: Callable[[], Packet]) -> None:
    named = make()
    data = bytes(make())
    assert data == named.build() == bytes(named) == raw(named)


def test_dissected_round_trip() -> None:
    for frame in (FRAME, bytes(eth_ipv6_udp()), bytes(Ether(**ETH) / ip_icmp_error())):
        data = bytes(Ether(frame))
        assert data == frame
        data = bytes(Ether(frame + b"\x00" * 30))
        assert data == frame + b"\x00" * 30  # link padding


def test_unlink_function_directly() -> None:
    # Chains of stand-ins, as at calibration: held anywhere above the first, kept.
    for n in (2, 3, 5):
        for i in range(1, n):
            root = base._links(n)
            held = root
            for _ in range(i):
                held = held.payload
            assert not base._unlink_temporary(root, 0, base._TEMP_UPPER)
            link = root
            while link.payload is not NOPAYLOAD:
                assert link.payload.underlayer is link
                link = link.payload
            del held
        root = base._links(n)
        assert base._unlink_temporary(root, 0, base._TEMP_UPPER)
        link = root.payload
        while link is not NOPAYLOAD:
            assert link.underlayer is None
            link = link.payload
