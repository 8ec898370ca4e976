"""Every operation works on a packet of any depth a 64 KB frame holds (issue 13).

The issue's reproducer: an IPv6 header followed by 1,000 destination-options headers of 8
bytes (8 KB), which made ``repr`` fail from about 490 headers and ``bytes``, ``summary``,
``len``, ``copy``, ``==`` from about 990 with a RecursionError, and ``paquet read``,
``decode``, ``explain`` end in a traceback. The engine loops over the layers (``repr``,
``show``, ``summary``, ``copy``, ``==``) and builds with the recursion limit raised to what the
depth needs (see ``paquet.packet.base._deep_build``); the limit is back afterwards.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from paquet.cli.main import main
from paquet.explainer.core import explain
from paquet.layers import IP, TCP, UDP, Ether, IPv6
from paquet.layers.ipv6 import IPv6ExtHdrDestOpt
from paquet.packet.base import MAX_BUILD_DEPTH, SHOW_MAX_INDENT
from paquet.packet.fields import FieldError
from paquet.pcap import wrpcap


def deep_ipv6(n: int) -> bytes:
    """IPv6 then ``n`` destination-options headers (PadN of 4), the last with no next header."""
    h = b"".join(bytes([60 if i < n - 1 else 59, 0, 1, 4, 0, 0, 0, 0]) for i in range(n))
    return bytes(IPv6(nh=60, plen=len(h))) + h


REPRODUCER = deep_ipv6(1000)  # the issue's
FULL = deep_ipv6((65535 - 40) // 8)  # as deep as a 64 KB datagram holds (8,186 headers)


@pytest.mark.parametrize("data", [REPRODUCER, FULL], ids=["1000", "8186"])
def test_every_operation_at_any_depth(data: bytes) -> None:
    limit = sys.getrecursionlimit()
    n = (len(data) - 40) // 8
    p = IPv6(data)
    text = repr(p)
    assert text.count("<IPv6ExtHdrDestOpt ") == n and text.endswith(">" * (n + 1))
    assert bytes(p) == data
    assert len(p) == len(data)
    summary = p.summary()
    assert summary.count(" / IPv6ExtHdrDestOpt") == n
    copy = p.copy()
    assert copy == p and copy is not p and bytes(copy) == data
    copy[IPv6ExtHdrDestOpt, n].nh = 17  # the last one differs: no longer equal
    assert copy != p
    shown = p.show(dump=True)
    assert shown is not None and shown.count("###[ IPv6 Extension Header") == n
    # The indentation stops growing: the text stays proportional to the depth.
    assert len(shown) < 3000 * (n + 1)
    assert not p.errors
    assert len(p.layers()) == n + 1
    assert sys.getrecursionlimit() == limit


def test_a_deep_chain_made_with_slash_builds() -> None:
    limit = sys.getrecursionlimit()
    pkt = IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=7, dport=7) / b"x"
    for _ in range(1000):  # IP in IP, the depth
        pkt = IP(src="192.0.2.1", dst="192.0.2.2") / pkt
    data = bytes(pkt)
    assert len(data) == 1001 * 20 + 9
    again = IP(data)
    assert bytes(again) == data and again == IP(data)
    assert again.summary().endswith(" / IP / UDP 192.0.2.1:echo > 192.0.2.2:echo / Raw")
    assert again[UDP].dport == again.dport == 7  # a field read through 1,001 layers
    again.sport = 9  # and set through them
    assert again[UDP].sport == 9
    del again.sport
    assert again[UDP].sport == 53
    assert sys.getrecursionlimit() == limit


def test_deeper_than_the_build_limit_is_a_clear_error() -> None:
    pkt = last = IP()
    for _ in range(MAX_BUILD_DEPTH):
        nxt = IP()
        last.add_payload(nxt)  # on the last layer: no walk, no copy
        last = nxt
    with pytest.raises(FieldError, match="too deep to build"):
        bytes(pkt)
    assert "IP" in repr(pkt)[:10]


def _run(args: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(args)
            except SystemExit as exc:
                rc = int(exc.code or 0)
    finally:
        sys.stdin = old
    return rc, out.getvalue(), err.getvalue()


def test_decode_prints_the_deep_frame() -> None:
    rc, out, err = _run(["decode", "-"], REPRODUCER.hex())
    assert rc == 0 and "Traceback" not in out + err
    assert out.count("###[ IPv6 Extension Header") == 1000
    rc, out, err = _run(["decode", "--json", "-"], REPRODUCER.hex())
    assert rc == 0 and len(json.loads(out)["layers"]) == 1001


def test_explain_explains_the_deep_frame() -> None:
    result = explain(REPRODUCER, "en")
    assert len(result.to_dict()["layers"]) == 1001
    assert sum(1 for _ in result.lines()) > 1000
    # The CLI takes at most 4,096 hex digits: 250 headers, under a recursion limit that
    # a recursion per layer would exceed.
    data = deep_ipv6(250)
    limit = sys.getrecursionlimit()
    frames = 0
    f = sys._getframe()
    while f is not None:
        frames += 1
        f = f.f_back  # type: ignore[assignment]
    sys.setrecursionlimit(frames + 200)
    try:
        rc, out, err = _run(["explain", "--lang", "en", data.hex()])
    finally:
        sys.setrecursionlimit(limit)
    assert rc == 0 and "Traceback" not in out + err and out.count("Destination") >= 250


def test_read_shows_the_frames_around_a_deep_one(tmp_path: Path) -> None:
    before = Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / TCP(dport=80)
    deep = Ether() / IPv6(REPRODUCER)
    after = Ether() / IP(src="192.0.2.2", dst="192.0.2.1") / UDP(dport=53)
    path = tmp_path / "deep.pcap"
    wrpcap(str(path), [before, deep, after])
    rc, out, err = _run(["read", str(path)])
    assert rc == 0 and "Traceback" not in out + err
    lines = out.splitlines()
    assert len(lines) == 3 and ":http" in lines[0] and "domain" in lines[2], out[:500]
    rc, out, err = _run(["read", "-v", str(path)])
    assert rc == 0 and out.count("###[ IPv6 Extension Header") == 1000 and "domain" in out
    rc, out, err = _run(["read", "--json", str(path)])
    assert rc == 0 and len(out.splitlines()) == 3


def test_show_indentation_is_capped() -> None:
    shown = IPv6(deep_ipv6(SHOW_MAX_INDENT + 10)).show(dump=True)
    assert shown is not None
    widest = max(len(line) - len(line.lstrip(" ")) for line in shown.splitlines())
    assert widest <= 3 * SHOW_MAX_INDENT + 3


def test_ls_and_the_notebook_view_at_depth() -> None:
    from paquet.packet.display import plain_html
    from paquet.packet.dump import ls

    p = IPv6(REPRODUCER)
    listed = ls(p, dump=True)
    assert listed is not None and listed.count("--") == 1000
    assert plain_html(p).count("###[ IPv6 Extension Header") == 1000


def test_reply_matching_at_depth() -> None:
    p = IPv6(REPRODUCER)
    assert p.hashret() == IPv6(REPRODUCER).hashret()
    assert p.answers(IPv6(REPRODUCER)) == p.answers(p.copy())


_INJECT = """
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("lo", 0))
for frame in sys.argv[1:]:
    s.send(bytes.fromhex(frame))
"""


@pytest.mark.privileged
def test_sniff_shows_the_frames_around_a_deep_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A namespace of our own (deleted at the end), three frames injected on its loopback.
    ns = f"pqdeep{os.getpid()}"
    frames = [
        Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=9, dport=9999),
        Ether() / IPv6(REPRODUCER),
        Ether() / IP(src="192.0.2.2", dst="192.0.2.1") / UDP(sport=9, dport=53),
    ]
    out = tmp_path / "sniffed.pcapng"
    result: list[int] = []
    argv = ["sniff", "--netns", ns, "-i", "lo", "-f", "inbound", "-c", "3", "--timeout", "20",
            "--summary", "-w", str(out)]
    try:
        subprocess.run(["ip", "netns", "add", ns], check=True)
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        t = threading.Thread(target=lambda: result.append(main(argv)))
        t.start()
        for _ in range(1000):  # the file appears once the socket is listening
            if out.exists() or not t.is_alive():
                break
            threading.Event().wait(0.02)
        subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", _INJECT,
                        *(bytes(f).hex() for f in frames)], check=True, timeout=60)
        t.join(30)
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False, capture_output=True)
    assert result == [0]
    text = capsys.readouterr().out
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 3 and "Traceback" not in text, text[:1000]
    assert "9999" in lines[0] and "IPv6ExtHdrDestOpt" in lines[1] and "domain" in lines[2]
