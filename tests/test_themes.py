"""Colour themes (paquet.themes, conf.color_theme): show(), hexdump and the stylers give
Scapy's text under the same theme; the default is plain when piped or with NO_COLOR."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import paquet
from paquet import themes

sc = pytest.importorskip("scapy.all")
st = pytest.importorskip("scapy.themes")

THEMES = (
    "DefaultTheme", "BrightTheme", "RastaTheme", "ColorOnBlackTheme", "BlackAndWhite",
    "HTMLTheme", "HTMLTheme2", "LatexTheme", "LatexTheme2", "NoTheme",
)


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    before = sc.conf.color_theme
    yield
    themes.set_theme(None)
    sc.conf.color_theme = before


def _printed(func: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        func(*args, **kwargs)
    return buf.getvalue()


# Packets whose fields do not depend on the host (addresses given), built by both libraries.
PACKETS: list[Callable[[Any], Any]] = [
    lambda m: m.IP(src="192.0.2.1", dst="192.0.2.2") / m.TCP(flags="SA", options=[]),
    lambda m: m.Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    / m.IP(src="192.0.2.1", dst="192.0.2.2", ttl=3)
    / m.UDP(sport=1234)
    / m.Raw(b"x\x00y"),
    lambda m: m.IPv6(src="2001:db8::1", dst="2001:db8::2") / m.ICMPv6EchoRequest(id=7),
    lambda m: m.ARP(hwsrc="02:00:00:00:00:01", psrc="192.0.2.1", pdst="192.0.2.2"),
    lambda m: m.IP(src="192.0.2.1", dst="192.0.2.2") / m.ICMP(type=3, code=1)
    / m.IPerror(src="192.0.2.2", dst="192.0.2.9") / m.UDPerror(dport=53),
]


@pytest.mark.parametrize("name", THEMES)
def test_show_is_styled_as_scapys(name: str) -> None:
    sc.conf.color_theme = getattr(st, name)()
    paquet.conf.color_theme = getattr(themes, name)()
    for build in PACKETS:
        assert _printed(build(paquet).show) == _printed(build(sc).show)


@pytest.mark.parametrize("name", THEMES)
def test_stylers_and_hexdump_as_scapys(name: str) -> None:
    ours, ref = getattr(themes, name)(), getattr(st, name)()
    sc.conf.color_theme, paquet.conf.color_theme = ref, ours
    for role in ("layer_name", "field_name", "field_value", "emph_field_value", "punct",
                 "not_printable", "left", "right", "fail", "success", "logo", "red", "bold",
                 "packetlist_name", "even", "odd", "opening", "unknown_role"):
        for value in ("IP", "a_b{%}", 42):
            assert getattr(ours, role)(value) == getattr(ref, role)(value), (role, value)
    if name == "LatexTheme":  # Scapy escapes "3" before formatting it with %04i: TypeError
        with pytest.raises(TypeError):
            ref.id(3, fmt="%04i")
        assert ours.id(3, fmt="%04i") == "0003"
    else:
        assert ours.id(3, fmt="%04i") == ref.id(3, fmt="%04i")
    assert ours.format("x", "field_name+fail") == ref.format("x", "field_name+fail")
    data = bytes(range(0, 256, 7))
    assert _printed(lambda: paquet.hexdump(data)) == _printed(lambda: sc.hexdump(data))
    assert paquet.linehexdump(data, dump=True) == sc.linehexdump(data, dump=True)
    assert _printed(lambda: paquet.linehexdump(data)) == _printed(lambda: sc.linehexdump(data))
    assert repr(ours) == repr(ref)


def test_dump_is_never_styled() -> None:
    paquet.conf.color_theme = themes.DefaultTheme()
    pkt = paquet.IP(src="192.0.2.1", dst="192.0.2.2") / paquet.ICMP()
    assert "\033[" not in (pkt.show(dump=True) or "")
    assert "\033[" not in (paquet.hexdump(b"\x00\x01", dump=True) or "")
    assert "\033[" in _printed(pkt.show)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_default_theme_follows_the_terminal_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert isinstance(themes.default_theme(_Tty()), themes.DefaultTheme)
    assert isinstance(themes.default_theme(io.StringIO()), themes.NoTheme)
    monkeypatch.setenv("NO_COLOR", "1")
    assert isinstance(themes.default_theme(_Tty()), themes.NoTheme)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr("sys.stdout", _Tty())
    assert isinstance(paquet.conf.color_theme, themes.DefaultTheme)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert isinstance(paquet.conf.color_theme, themes.NoTheme)


def test_setting_the_theme() -> None:
    paquet.conf.color_theme = "BrightTheme"
    assert isinstance(paquet.conf.color_theme, themes.BrightTheme)
    paquet.conf.color_theme = themes.RastaTheme
    assert isinstance(paquet.conf.color_theme, themes.RastaTheme)
    with pytest.raises(paquet.PaquetError, match="ColorTheme"):
        paquet.conf.color_theme = 42
    with pytest.raises(paquet.PaquetError, match="ColorTheme"):
        paquet.conf.color_theme = "NotATheme"


def test_packet_list_repr_and_nsummary_styled_as_scapys() -> None:
    sc.conf.color_theme, paquet.conf.color_theme = st.DefaultTheme(), themes.DefaultTheme()
    ours = paquet.PacketList([paquet.IP(dst="192.0.2.1") / paquet.TCP()], name="Sniffed")
    ref = sc.PacketList([sc.IP(dst="192.0.2.1") / sc.TCP()], name="Sniffed")
    assert repr(ours) == repr(ref)
    line = lambda p: p.sprintf("%IP.dst%")  # noqa: E731
    assert _printed(lambda: ours.nsummary(line)) == _printed(lambda: ref.nsummary(line))
