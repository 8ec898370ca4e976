"""``p0f_impersonate`` with a signature: what it fixes in the packet (TTL, DF, ID, window,
options, flags, sequence numbers, payload) compared with Scapy's on the same packets.

Scapy's p0f module loads its HTTP layer, which changes how Scapy dissects port 80 for every
later test: it runs in a child process."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest

import paquet

scapy = pytest.importorskip("scapy.all")


def _scapy_impersonate(sig: str, ipv6: bool, opts: list[Any]) -> bytes:
    from scapy.modules.p0f import p0f_impersonate

    ip = scapy.IPv6(dst="2001:db8::1") if ipv6 else scapy.IP(dst="192.0.2.1")
    return bytes(p0f_impersonate(ip / scapy.TCP(flags="S", seq=7, options=opts),
                                 signature=sig, extrahops=2))


def _scapy_errors() -> list[str]:
    from scapy.modules.p0f import p0f_impersonate

    out = []
    for pkt, sig in ((scapy.IP() / scapy.UDP(), "*:64:0:1460:8192,0:mss::0"),
                     (scapy.IP() / scapy.TCP(), None),
                     (scapy.IP() / scapy.TCP(), "6:64:0:1460:8192,0:mss::0")):
        try:
            p0f_impersonate(pkt, signature=sig)
            out.append("")
        except Exception as exc:  # the kind of error is compared
            out.append(type(exc).__name__)
    return out


def _in_child(func: Any, *args: Any) -> Any:
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(func, args)

SIGNATURES = [
    "*:64:0:1460:%8192,0:mss,nop,ws::0",
    "*:64:0:1024:mss*4,0:mss::0",
    "*:64:0:1460:8192,0:mss:seq-,ack-,pushf+,urgf+:0",
    "4:128:0:1460:65535,8:mss,nop,ws,nop,nop,sok:df,id+:0",
    "4:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
    "4:255:0:1400:mtu*2,3:mss,nop,ws:0+:+",
    "*:64:0:*:8192,*:mss,ws,ts::0",
    "6:64:0:1380:5760,4:mss,sok,ts,nop,ws:flow:0",
]


def _fixed(m: Any, pkt: Any) -> tuple[Any, ...]:
    """What a signature decides, leaving out what it leaves to chance."""
    tcp = pkt[m.TCP]
    ip = pkt[m.IP] if m.IP in pkt else pkt[m.IPv6]
    ttl = ip.ttl if ip.version == 4 else ip.hlim
    df = bool(int(ip.flags) & 2) if ip.version == 4 else None
    names = [name for name, _ in tcp.options]
    return ttl, df, int(tcp.flags), names, bool(tcp.payload), tcp.seq, tcp.ack


@pytest.mark.parametrize("sig", SIGNATURES)
def test_impersonate_like_scapy(sig: str) -> None:
    opts = [("MSS", 1400), ("WScale", 3), ("Timestamp", (97256, 0))]
    ipv6 = sig.startswith("6")

    ip = paquet.IPv6(dst="2001:db8::1") if ipv6 else paquet.IP(dst="192.0.2.1")
    made = paquet.p0f_impersonate(ip / paquet.TCP(flags="S", seq=7, options=opts),
                                  signature=sig, extrahops=2)
    ours = type(made)(bytes(made))  # both as they go on the wire
    raw = _in_child(_scapy_impersonate, sig, ipv6, opts)
    theirs = scapy.IPv6(raw) if ipv6 else scapy.IP(raw)
    assert _fixed(paquet, ours) == _fixed(scapy, theirs)
    # The option values: fixed by the signature, or taken from the packet's own options
    # (every wildcard here has a valid value there).
    ours_opts, theirs_opts = dict(ours[paquet.TCP].options), dict(theirs[scapy.TCP].options)
    for name in ("MSS", "WScale", "Timestamp"):
        assert ours_opts.get(name) == theirs_opts.get(name)
    if "%" not in sig:  # a multiple of N is drawn at random
        assert ours[paquet.TCP].window == theirs[scapy.TCP].window


def test_window_modulo_and_errors_like_scapy() -> None:
    p = paquet.p0f_impersonate(paquet.IP() / paquet.TCP(),
                               signature="*:64:0:1460:%8192,0:mss,nop,ws::0")
    assert p[paquet.TCP].window % 8192 == 0
    ours = []
    for pkt, sig in ((paquet.IP() / paquet.UDP(), "*:64:0:1460:8192,0:mss::0"),
                     (paquet.IP() / paquet.TCP(), None),
                     (paquet.IP() / paquet.TCP(), "6:64:0:1460:8192,0:mss::0")):
        try:
            paquet.p0f_impersonate(pkt, signature=sig)
            ours.append("")
        except (TypeError, ValueError) as exc:
            ours.append(type(exc).__name__)
    assert ours == _in_child(_scapy_errors) == ["TypeError", "ValueError", "ValueError"]
