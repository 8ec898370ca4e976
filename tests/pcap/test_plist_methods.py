"""PacketList and SndRcvList methods, each compared with Scapy's on the same packets: the
functions given take the element's parts (``lambda s, r:`` on answers), tables, hexdumps,
sessions, sr(), replace, getlayer, the DOT graphs and the plots (matplotlib faked)."""

from __future__ import annotations

import contextlib
import io
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import paquet
from paquet.plist import PacketList, QueryAnswer, SndRcvList

sc = pytest.importorskip("scapy.all")
splist = pytest.importorskip("scapy.plist")

T0 = 1_700_000_000.25


def _printed(func: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        func(*args, **kwargs)
    return buf.getvalue()


def _timed(pkts: list[Any]) -> list[Any]:
    for i, p in enumerate(pkts):
        p.time = T0 + i
    return pkts


def packets(m: Any) -> list[Any]:
    """The same capture built by paquet or by Scapy (``m``), every address given."""
    e = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}
    a, b, c = "192.0.2.1", "192.0.2.2", "198.51.100.9"
    return _timed([
        m.Ether(**e) / m.IP(src=a, dst=b) / m.TCP(sport=1234, dport=80, flags="S"),
        m.Ether(**e) / m.IP(src=b, dst=a) / m.TCP(sport=80, dport=1234, flags="SA"),
        m.Ether(**e) / m.IP(src=a, dst=c) / m.ICMP(id=7, seq=1),
        m.Ether(**e) / m.IP(src=c, dst=a) / m.ICMP(type=0, id=7, seq=1),
        m.Ether(**e) / m.IP(src=a, dst=b) / m.UDP(sport=5353, dport=53) / m.Raw(b"query"),
        m.Ether(**e) / m.IP(src=a, dst=b, ttl=3) / m.Raw(b"x" * 20) / m.Padding(b"AB"),
        m.Ether(**e) / m.IP(src=a, dst=b) / m.TCP(sport=1, dport=2) / m.Padding(b"\x00\x00"),
        m.Ether(**e) / m.IPv6(src="2001:db8::1", dst="2001:db8::2") / m.ICMPv6EchoRequest(),
        m.Ether(**e) / m.IPv6(src="2001:db8::1", dst="2001:db8::2") / m.UDP(sport=9, dport=9),
        m.Ether(**e) / m.ARP(hwsrc=e["src"], psrc=a, pdst=c),
        m.Ether(type=0x88B5, **e) / m.Raw(b"local"),
        m.IP(src=a, dst=b) / m.TCP(sport=4, dport=5),
        m.Ether(**e) / m.IP(src=b, dst=a) / m.IP(src=a, dst=c) / m.UDP(),
    ])


@pytest.fixture
def both() -> tuple[PacketList, Any]:
    return PacketList(packets(paquet)), sc.PacketList(packets(sc))


def _pairs(m: Any, cls: Any) -> Any:
    pkts = packets(m)
    qa = splist.QueryAnswer if cls is sc.SndRcvList else QueryAnswer
    return cls([qa(pkts[0], pkts[1]), qa(pkts[2], pkts[3]), qa(pkts[4], pkts[9])])


def test_functions_take_the_elements_parts(both: tuple[PacketList, Any]) -> None:
    ours, ref = both
    for method in ("summary", "nsummary"):
        assert _printed(getattr(ours, method)) == _printed(getattr(ref, method))
        args = {"prn": lambda p: p.sprintf("%IP.src%"), "lfilter": lambda p: p.haslayer("IP")}
        assert _printed(getattr(ours, method), **args) == _printed(getattr(ref, method), **args)
    ans_ours, ans_ref = _pairs(paquet, SndRcvList), _pairs(sc, sc.SndRcvList)
    prn = lambda s, r: f"{s.sprintf('%IP.dst%')} answered {r.summary()}"  # noqa: E731
    keep = lambda s, r: not r.haslayer("ARP")  # noqa: E731
    for method in ("summary", "nsummary", "show"):
        assert _printed(getattr(ans_ours, method)) == _printed(getattr(ans_ref, method))
        assert _printed(getattr(ans_ours, method), prn, keep) == _printed(
            getattr(ans_ref, method), prn, keep
        )
    kept = ans_ours.filter(keep)
    assert isinstance(kept, SndRcvList) and repr(kept) == repr(ans_ref.filter(keep))
    assert [bytes(p) for p in ours.filter(lambda p: p.haslayer("TCP"))] == [
        bytes(p) for p in ref.filter(lambda p: p.haslayer("TCP"))
    ]


def test_tables_as_scapys(both: tuple[PacketList, Any]) -> None:
    ours, ref = both
    f = lambda p: (p.sprintf("%IP.dst%"), p.sprintf("%IP.src%"), p.sprintf("%IP.ttl%"))  # noqa: E731
    g = lambda s, r: (s.sprintf("%IP.dst%"), s.sprintf("{TCP:%TCP.dport%}{ICMP:icmp}"),  # noqa: E731
                      r.sprintf("{TCP:%TCP.flags%}{ICMP:%ICMP.type%}"))
    ans_ours, ans_ref = _pairs(paquet, SndRcvList), _pairs(sc, sc.SndRcvList)
    for method in ("make_table", "make_lined_table", "make_tex_table"):
        assert _printed(getattr(ours, method), f) == _printed(getattr(ref, method), f)
        assert _printed(getattr(ans_ours, method), g) == _printed(getattr(ans_ref, method), g)
        assert getattr(ans_ours, method)(g, dump=True) == _printed(getattr(ans_ref, method), g)


def test_hexdumps_as_scapys(both: tuple[PacketList, Any]) -> None:
    ours, ref = both
    for method in ("rawhexdump", "hexdump", "hexraw", "padding", "nzpadding"):
        assert _printed(getattr(ours, method)) == _printed(getattr(ref, method)), method
    only = lambda p: p.haslayer("UDP")  # noqa: E731
    for method in ("hexdump", "hexraw", "padding"):
        assert _printed(getattr(ours, method), only) == _printed(getattr(ref, method), only)
    ans_ours, ans_ref = _pairs(paquet, SndRcvList), _pairs(sc, sc.SndRcvList)
    assert _printed(ans_ours.hexdump) == _printed(ans_ref.hexdump)


def test_sessions_as_scapys(both: tuple[PacketList, Any]) -> None:
    ours, ref = both
    got, expected = ours.sessions(), ref.sessions()
    assert list(got) == list(expected)
    for key in expected:
        assert [bytes(p) for p in got[key]] == [bytes(p) for p in expected[key]]
        assert repr(got[key]) == repr(expected[key])
    by_ttl = lambda p: p.sprintf("%IP.ttl%")  # noqa: E731
    assert list(ours.sessions(by_ttl)) == list(ref.sessions(by_ttl))


def test_graphs_as_scapys(both: tuple[PacketList, Any]) -> None:
    ours, ref = both
    assert ours.conversations() == ref.conversations(string=True)
    label = lambda p: (p.sprintf("%IP.src%"), p.sprintf("%IP.dst%"), p.sprintf("%IP.proto%"))  # noqa: E731
    assert ours.conversations(label) == ref.conversations(label, string=True)
    assert ours.afterglow() == ref.afterglow(string=True)
    dport = lambda x: x["IP"].payload.sprintf("%r,dport%")  # noqa: E731
    assert ours.afterglow(event=dport) == ref.afterglow(event=dport, string=True)
    with pytest.raises(paquet.PaquetError, match="no element"):
        PacketList([paquet.Raw(b"x")]).afterglow()


def test_sr_pairs_as_scapys() -> None:
    def capture(m: Any) -> list[Any]:
        a, b = "192.0.2.1", "192.0.2.2"
        return [
            m.IP(src=a, dst=b) / m.ICMP(id=1, seq=1),
            m.IP(src=a, dst=b) / m.TCP(sport=1000, dport=80, flags="S"),
            m.IP(src=b, dst=a) / m.ICMP(type=0, id=1, seq=1),
            m.IP(src=a, dst=b) / m.ICMP(id=1, seq=2),
            m.IP(src=a, dst=b) / m.UDP(sport=7, dport=53),
            m.IP(src=b, dst=a) / m.TCP(sport=80, dport=1000, flags="SA"),
            m.IP(src=b, dst=a) / m.ICMP(type=0, id=1, seq=2),
            m.IP(src=b, dst=a) / m.ICMP(type=0, id=1, seq=2),
            m.IP(src=b, dst=a) / m.ICMP(type=3, code=3) / m.IPerror(src=a, dst=b)
            / m.UDPerror(sport=7, dport=53),
        ]

    for kwargs in ({}, {"lookahead": 1}, {"lookahead": 2}, {"lookahead": 4}, {"lookahead": 0},
                   {"multi": True}, {"multi": True, "lookahead": 3}):
        # (fresh packets each time: Scapy marks those it matched with multi=True)
        ours, ref = PacketList(capture(paquet)), sc.PacketList(capture(sc))
        (ans, unans), (ans_ref, unans_ref) = ours.sr(**kwargs), ref.sr(**kwargs)
        assert isinstance(ans, SndRcvList) and isinstance(unans, PacketList)
        assert [(bytes(s), bytes(r)) for s, r in ans] == [
            (bytes(s), bytes(r)) for s, r in ans_ref
        ], kwargs
        assert [bytes(p) for p in unans] == [bytes(p) for p in unans_ref], kwargs
        assert repr(ans) == repr(ans_ref) and repr(unans) == repr(unans_ref)


def test_replace_and_getlayer_as_scapys(both: tuple[PacketList, Any]) -> None:
    ours, ref = both
    cases = [
        ((paquet.IP.src, "192.0.2.1", "203.0.113.5"), (sc.IP.src, "192.0.2.1", "203.0.113.5")),
        (("IP.ttl", 9), (sc.IP.ttl, 9)),
        ((("IP.ttl", 64, 1), ("TCP.dport", 80, 8080)),
         ((sc.IP.ttl, 64, 1), (sc.TCP.dport, 80, 8080))),
    ]
    # Dissected packets: their checksums are values, kept unless delete_checksums.
    dis_ours = PacketList([type(p)(bytes(p)) for p in ours])
    dis_ref = sc.PacketList([type(p)(bytes(p)) for p in ref])
    for args_ours, args_ref in cases:
        got = dis_ours.replace(*args_ours)
        expected = dis_ref.replace(*args_ref)
        assert [bytes(p) for p in got] == [bytes(p) for p in expected]
        assert repr(got) == repr(expected)
        # (Scapy 2.8 has no Packet.delete_checksums: its checksums are deleted here by hand.)
        got = dis_ours.replace(*args_ours, delete_checksums=True)
        changed = [bytes(a) != bytes(b) for a, b in zip(expected, dis_ref, strict=True)]
        expected = [p.copy() if c else p for p, c in zip(expected, changed, strict=True)]
        for p in (p for p, c in zip(expected, changed, strict=True) if c):
            for layer in p.iterpayloads():
                if "chksum" in layer.fields:
                    del layer.chksum
        assert [bytes(p) for p in got] == [bytes(p) for p in expected]
    assert [bytes(p) for p in dis_ours] == [bytes(p) for p in dis_ref]  # originals unchanged
    with pytest.raises(paquet.PaquetError, match="field"):
        ours.replace(42, 1)
    with pytest.raises(paquet.PaquetError, match="replace"):
        ours.replace()
    for args_ours, args_ref in (
        ((paquet.IP,), (sc.IP,)), ((paquet.IP, 2), (sc.IP, 2)),
        ((paquet.TCP, None, {"dport": 80}), (sc.TCP, None, {"dport": 80})),
        ((paquet.UDP,), (sc.UDP,)),
    ):
        got, expected = ours.getlayer(*args_ours), ref.getlayer(*args_ref)
        assert [bytes(p) for p in got] == [bytes(p) for p in expected]
        assert repr(got) == repr(expected)


class _FakePyplot(types.ModuleType):
    """Records what a plot draws (matplotlib is an optional extra, absent in the suite)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.calls: list[tuple[Any, ...]] = []

    def plot(self, *args: Any, **kwargs: Any) -> list[Any]:
        self.calls.append(("plot", [list(a) if isinstance(a, list | tuple) else a for a in args],
                           kwargs))
        return [args]

    def legend(self, **kwargs: Any) -> None:
        self.calls.append(("legend", kwargs))

    def show(self) -> None:
        self.calls.append(("show",))


@pytest.fixture
def fake_matplotlib(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[_FakePyplot, _FakePyplot]]:
    ours, theirs = _FakePyplot("matplotlib.pyplot"), _FakePyplot("pyplot")
    mpl = types.ModuleType("matplotlib")
    mpl.get_backend = lambda: "agg"  # type: ignore[attr-defined]
    mpl.pyplot = ours  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "matplotlib", mpl)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", ours)
    scapy_side = types.ModuleType("scapy.libs.matplot")
    scapy_side.plt = theirs  # type: ignore[attr-defined]
    scapy_side.MATPLOTLIB_INLINED = 0  # type: ignore[attr-defined]
    scapy_side.MATPLOTLIB_DEFAULT_PLOT_KARGS = {"marker": "+"}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "scapy.libs.matplot", scapy_side)
    yield ours, theirs


def test_plots_draw_what_scapys_draw(
    both: tuple[PacketList, Any], fake_matplotlib: tuple[_FakePyplot, _FakePyplot]
) -> None:
    ours, ref = both
    plt_ours, plt_ref = fake_matplotlib
    ttl = lambda p: p.sprintf("%IP.ttl%")  # noqa: E731
    has_ip = lambda p: p.haslayer("IP")  # noqa: E731
    ours.plot(ttl, lfilter=has_ip)
    ref.plot(ttl, lfilter=has_ip)
    ours.plot(lambda p: (float(p.time), len(p)), plot_xy=True, color="red")
    ref.plot(lambda p: (float(p.time), len(p)), plot_xy=True, color="red")
    ours.diffplot(lambda a, b: float(b.time - a.time))
    ref.diffplot(lambda a, b: float(b.time - a.time))
    label = lambda p: (p.sprintf("{IP:%IP.src%}{!IP:other}"), len(p))  # noqa: E731
    ours.multiplot(label)
    ref.multiplot(label)
    ours.multiplot(lambda p: (p.name, (float(p.time), len(p))), plot_xy=True)
    ref.multiplot(lambda p: (p.name, (float(p.time), len(p))), plot_xy=True)
    assert plt_ours.calls == plt_ref.calls and len(plt_ours.calls) > 10
    ans_ours, ans_ref = _pairs(paquet, SndRcvList), _pairs(sc, sc.SndRcvList)
    ans_ours.plot(lambda s, r: float(r.time - s.time))
    ans_ref.plot(lambda s, r: float(r.time - s.time))
    assert plt_ours.calls == plt_ref.calls


def test_timeskew_graph(fake_matplotlib: tuple[_FakePyplot, _FakePyplot]) -> None:
    plt, _ = fake_matplotlib
    pkts = _timed([paquet.IP(src="192.0.2.1") / paquet.TCP(options=[("Timestamp", (1000 + i, 0))])
                   for i in range(3)])
    PacketList(pkts).timeskew_graph("192.0.2.1")
    drawn = plt.calls[0][1][0]
    assert [round(y, 6) for _x, y in drawn] == [0.0, 0.999, 1.998]
    assert PacketList(pkts).timeskew_graph("192.0.2.99") == []


def test_plot_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(paquet.PaquetError, match=r"paquet\[plot\]"):
        PacketList([paquet.IP()]).plot(lambda p: p.ttl)


def test_records_that_are_not_packets(capsys: pytest.CaptureFixture[str]) -> None:
    from paquet.pcap import RawPacket

    record = RawPacket(b"\x00" * 20, time=T0)
    PacketList([record, b"abc"]).hexdump()
    lines = capsys.readouterr().out.splitlines()
    stamp = paquet.IP().__class__(b"")  # any packet's %.time% for the same time
    stamp.time = T0
    assert lines[0].startswith(f"0000 {stamp.sprintf('%.time%')} ")
    assert lines[3].startswith("0001 ?? ") and lines[4].startswith("0000  61 62 63")
    assert list(PacketList([record]).sessions()) == ["Other"]
