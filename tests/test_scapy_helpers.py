"""Scapy's helpers (paquet.utils, paquet.tables, hexdiff/ls/lsc in paquet.packet.dump), each
compared with Scapy's own on the same input."""

from __future__ import annotations

import contextlib
import io
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import paquet
from paquet import tables, themes, utils
from paquet.packet import dump

sc = pytest.importorskip("scapy.all")
su = pytest.importorskip("scapy.utils")
st = pytest.importorskip("scapy.themes")


def _printed(func: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        func(*args, **kwargs)
    return buf.getvalue()


@pytest.fixture
def black_and_white() -> Iterator[None]:
    before = sc.conf.color_theme
    sc.conf.color_theme = st.BlackAndWhite()
    paquet.conf.color_theme = themes.BlackAndWhite()
    yield
    sc.conf.color_theme = before
    themes.set_theme(None)


def _edited(rng: random.Random, a: bytes) -> bytes:
    b = bytearray(a)
    for _ in range(rng.randint(0, 6)):
        k = rng.randint(0, len(b))
        op = rng.randint(0, 2)
        if op == 0:
            b.insert(k, rng.randint(60, 70))
        elif b and op == 1:
            del b[min(k, len(b) - 1)]
        elif b:
            b[min(k, len(b) - 1)] = rng.randint(60, 70)
    return bytes(b)


def test_hexdiff_as_scapys(black_and_white: None) -> None:
    rng = random.Random(7)
    ip_a = bytes(sc.IP(src="192.0.2.1", dst="192.0.2.2") / sc.TCP())
    ip_b = bytes(sc.IP(src="192.0.2.1", dst="192.0.2.3") / sc.TCP(flags="SA"))
    cases: list[tuple[Any, Any]] = [
        ("abcde", "abCde"), ("add_common_", "_common_removed"), (ip_a, ip_b), (b"abc", ip_a),
        (ip_a, b"abc"), (b"B" * 9 + b"\x08", b"A\x08" + b"A" * 23), (b"", b"x"), (b"x", b""),
        (b"A" * 300 + b"findme" + b"B" * 200, b"A" * 300 + b"B" * 200),
    ]
    for _ in range(120):
        a = bytes(rng.randint(60, 70) for _ in range(rng.randint(0, 50)))
        cases.append((a, _edited(rng, a)))
    for algo, autojunk in ((None, False), ("difflib", False), ("difflib", True)):
        for a, b in cases:
            ref = _printed(su.hexdiff, a, b, algo=algo, autojunk=autojunk)
            assert _printed(dump.hexdiff, a, b, algo=algo, autojunk=autojunk) == ref
    # Packets are compared by their bytes, as Scapy's.
    ours = paquet.IP(src="192.0.2.1", dst="192.0.2.2") / paquet.TCP()
    assert dump.hexdiff(ours, ip_b, dump=True) == dump.hexdiff(ip_a, ip_b, dump=True)
    with pytest.raises(paquet.PaquetError, match="unknown algorithm"):
        dump.hexdiff(b"a", b"b", algo="nope")


def test_hexdiff_styles_the_differences_as_scapy() -> None:
    before = sc.conf.color_theme
    try:
        sc.conf.color_theme = st.DefaultTheme()
        paquet.conf.color_theme = themes.DefaultTheme()
        ref = _printed(lambda: su.hexdiff(b"ab\x00cd", b"aXcdEF"))
        assert _printed(lambda: dump.hexdiff(b"ab\x00cd", b"aXcdEF")) == ref and "\033[" in ref
    finally:
        sc.conf.color_theme = before
        themes.set_theme(None)


def test_tables_as_scapys() -> None:
    rng = random.Random(3)
    hosts = [f"192.0.2.{i}" for i in range(1, 12)] + ["name", "bb"]
    for _ in range(60):
        data = [(rng.choice(hosts), rng.choice([22, 80, 443, "x"]), rng.choice(["SA", "RA", "-"]))
                for _ in range(rng.randint(0, 15))]
        for ref, ours in ((su.make_table, tables.make_table),
                          (su.make_lined_table, tables.make_lined_table),
                          (su.make_tex_table, tables.make_tex_table)):
            three = lambda a, b, c: (a, b, c)  # noqa: E731
            expected = _printed(ref, data, three)
            assert _printed(ours, data, three) == expected
            assert ours(data, three, dump=True) == expected
        rows = [(str(i), *(rng.choice(["x" * rng.randint(1, 30), ["a" * rng.randint(1, 50), "bb"],
                                       []]) for _ in range(4))) for i in range(rng.randint(1, 5))]
        header = [("N", "A", "B", "C", "D")]
        for borders in (False, True):
            assert tables.pretty_list(list(rows), header, borders=borders) == su.pretty_list(
                list(rows), header, borders=borders
            )


def test_do_graph(tmp_path: Any) -> None:
    graph = 'digraph "g" { "a" -> "b" }'
    assert tables.do_graph(graph) == graph
    assert tables.do_graph(graph, string=True, format="png") == graph
    with pytest.raises(paquet.PaquetError, match="not found"):
        tables.do_graph(graph, prog="pq-no-such-dot", format="svg")
    import shutil

    if shutil.which("dot") is None:
        return
    target = tmp_path / "g.svg"
    tables.do_graph(graph, format="svg", target=str(target))
    assert b"<svg" in target.read_bytes()
    with pytest.raises(paquet.PaquetError, match="failed"):
        tables.do_graph("not a graph {", format="svg", target=str(target))


def test_small_helpers_as_scapys() -> None:
    from scapy import compat

    data = b"\xffsweet\xef celestia\xab\x00"
    assert utils.plain_str(data) == compat.plain_str(data)
    assert utils.bytes_hex(data) == compat.bytes_hex(data)
    assert utils.hex_bytes(compat.bytes_hex(data)) == data
    assert utils.bytes_encode("é") == compat.bytes_encode("é")
    assert utils.chb(200) == compat.chb(200)
    assert (utils.orb(b"A"), utils.orb("A"), utils.orb(7)) == (65, 65, 7)  # (not in Scapy 2.8)
    for x in (42, (28, 7), [28, [7, "x"]], "text", None):
        assert utils.lhex(x) == su.lhex(x)
    assert utils.repr_hex("scapy") == su.repr_hex(b"scapy")
    assert dump.sane(data) == su.sane(data)
    text = "{}\\^$#_&%|~<>a"
    assert utils.tex_escape(text) == su.tex_escape(text)
    a, b = bytes(range(16)), bytes(range(100, 116))
    for name in ("strxor", "stror", "strand"):
        assert getattr(utils, name)(a, b) == getattr(su, name)(a, b)
    assert utils.strrot(a, 5) == su.strrot(a, 5)
    assert utils.strrot(a, 5, right=False) == su.strrot(a, 5, right=False)
    for buf in (b"\x28\x07", bytes(range(40)), b"\xff" * 33):
        assert utils.fletcher16_checksum(buf) == su.fletcher16_checksum(buf)
        assert utils.fletcher16_checkbytes(buf, 1) == su.fletcher16_checkbytes(buf, 1)
    for buf in (b"", b"\x45", bytes(range(51))):
        assert paquet.checksum(buf) == su.checksum(buf)
    random.seed(0x2807)
    ours_rand = (utils.randstring(8), utils.zerofree_randstring(8))
    random.seed(0x2807)
    assert ours_rand == (su.randstring(8), su.zerofree_randstring(8))
    for addr in ("224.0.0.1", "224.0.0.255", "224.0.1.255", "235.0.0.1", "239.0.0.1",
                 "192.0.2.1", "255.255.255.255"):
        for name in ("in4_ismaddr", "in4_ismlladdr", "in4_ismgladdr", "in4_ismlsaddr",
                     "in4_isaddrllallnodes"):
            assert getattr(utils, name)(addr) == getattr(su, name)(addr), (name, addr)
    assert utils.in4_getnsmac(b"\xe0\x80\x00\x01") == su.in4_getnsmac(b"\xe0\x80\x00\x01")
    assert utils.in4_cidr2mask(20) == su.in4_cidr2mask(20)
    for args in ((1, 2, 3), (range(3),), ("red", "green"), (1,)):
        ours_gen, ref_gen = utils.colgen(*args), su.colgen(*args)
        assert [next(ours_gen) for _ in range(60)] == [next(ref_gen) for _ in range(60)]
    ours_gen = utils.colgen(1, 2, trans=lambda x, y, z: x + y + z)
    ref_gen = su.colgen(1, 2, trans=lambda x, y, z: x + y + z)
    assert [next(ours_gen) for _ in range(20)] == [next(ref_gen) for _ in range(20)]
    ours_lbl, ref_lbl = utils.incremental_label("n%d", 5), su.incremental_label("n%d", 5)
    assert [next(ours_lbl) for _ in range(3)] == [next(ref_lbl) for _ in range(3)]
    for mac in ("00:11:22:33:44:55", "00:11", "zz:11:22:33:44:55"):
        assert utils.valid_mac(mac) == su.valid_mac(mac)


def test_helpers_reject_bad_input() -> None:
    with pytest.raises(paquet.PaquetError, match="differ in length"):
        utils.strxor(b"ab", b"a")
    with pytest.raises(paquet.PaquetError, match="not hexadecimal"):
        utils.hex_bytes("zz")
    with pytest.raises(paquet.PaquetError, match="0 to 255"):
        utils.chb(256)
    with pytest.raises(paquet.AddressError, match="0 to 32"):
        utils.in4_cidr2mask(33)
    with pytest.raises(paquet.PaquetError, match="too short"):
        utils.fletcher16_checkbytes(b"a", 4)


def test_temp_files_and_output_capture() -> None:
    path = utils.get_temp_file(autoext=".pcap")
    assert os.path.basename(path).startswith("scapy") and path.endswith(".pcap")
    assert path in paquet.conf.temp_files
    with utils.get_temp_file(keep=True, fd=True) as f:
        f.write(b"kept")
    assert f.name not in paquet.conf.temp_files
    os.unlink(f.name)
    folder = utils.get_temp_dir()
    assert os.path.isdir(folder) and folder in paquet.conf.temp_files
    with utils.ContextManagerCaptureOutput() as cmco:
        print("hey")
        print(b"x")
    assert cmco.get_output() == "hey\nb'x'\n"
    with utils.ContextManagerCaptureOutput() as cmco:
        print(b"ab")
    assert cmco.get_output(eval_bytes=True) == "ab"


def test_temp_files_are_removed_at_exit(tmp_path: Any) -> None:
    code = (
        "import os, sys; from paquet.utils import get_temp_file, get_temp_dir;"
        "f = get_temp_file(); d = get_temp_dir(); open(os.path.join(d, 'x'), 'w').close();"
        "k = get_temp_file(keep=True); print(f, d, k)"
    )
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(paquet.__file__)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    assert not os.path.exists(out[0]) and not os.path.exists(out[1])
    assert os.path.exists(out[2])
    os.unlink(out[2])


def test_ls_as_scapys() -> None:
    from scapy.packet import ls as sls

    for ours, ref in ((paquet.TCP, sc.TCP), (paquet.UDP, sc.UDP),
                      (paquet.ICMPv6EchoRequest, sc.ICMPv6EchoRequest),
                      (paquet.IPv6ExtHdrFragment, sc.IPv6ExtHdrFragment)):
        for verbose in (False, True):
            # (TCP's options default to b"" in Scapy, [] here: their lines are left out.)
            expected = [x for x in _printed(sls, ref, verbose=verbose).splitlines()
                        if not x.startswith("options")]
            got = (dump.ls(ours, verbose=verbose, dump=True) or "").splitlines()
            assert [x for x in got if not x.startswith("options")] == expected
    pkt_ours = paquet.UDP(sport=7) / paquet.IPv6ExtHdrFragment(m=1)
    pkt_ref = sc.UDP(sport=7) / sc.IPv6ExtHdrFragment(m=1)
    assert _printed(lambda: dump.ls(pkt_ours, verbose=True)) == _printed(
        lambda: sls(pkt_ref, verbose=True)
    )
    # A name matched as a regular expression: Scapy's lines for the layers both know.
    ours_lines = (dump.ls("ICMPv6Echo", dump=True) or "").splitlines()
    ref_lines = _printed(lambda: sls("ICMPv6Echo")).splitlines()
    assert ours_lines == [line for line in ref_lines if line.split(" :")[0].strip() in
                          {o.split(" :")[0].strip() for o in ours_lines}]
    assert ours_lines and all("ICMPv6Echo" in line for line in ours_lines)
    assert dump.ls("icmpv6echo", case_sensitive=True, dump=True) == ""
    assert "ICMPv6EchoReply" in (dump.ls("icmpv6echo", dump=True) or "")
    with pytest.raises(paquet.PaquetError, match="regular expression"):
        dump.ls("(", dump=True)


def test_lsc_lists_the_commands_with_their_first_line() -> None:
    text = dump.lsc(dump=True) or ""
    line = next(x for x in text.splitlines() if x.startswith("hexdiff "))
    assert line.split(": ", 1)[1] == dump.hexdiff.__doc__.strip().splitlines()[0]  # type: ignore[union-attr]
    assert all(": " in x for x in text.splitlines())


def test_platform_flags_as_scapys() -> None:
    from scapy import consts

    from paquet import consts as ours

    for name in ours.__all__:
        assert getattr(ours, name) == getattr(consts, name), name
