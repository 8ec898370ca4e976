"""``p0f_impersonate`` with a signature: what it fixes in the packet (TTL, DF, ID, window,
options, flags, sequence numbers, payload) compared with Scapy's on the same packets."""

from __future__ import annotations

from typing import Any

import pytest

import paquet

scapy = pytest.importorskip("scapy.all")
p0f_scapy = pytest.importorskip("scapy.modules.p0f")

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

    def run(m: Any, impersonate: Any) -> Any:
        ip = m.IPv6(dst="2001:db8::1") if ipv6 else m.IP(dst="192.0.2.1")
        pkt = ip / m.TCP(flags="S", seq=7, options=opts)
        return impersonate(pkt, signature=sig, extrahops=2)

    ours = run(paquet, paquet.p0f_impersonate)
    theirs = run(scapy, p0f_scapy.p0f_impersonate)
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
    for m, impersonate in ((paquet, paquet.p0f_impersonate),
                           (scapy, p0f_scapy.p0f_impersonate)):
        with pytest.raises(TypeError):
            impersonate(m.IP() / m.UDP(), signature="*:64:0:1460:8192,0:mss::0")
        with pytest.raises(ValueError):
            impersonate(m.IP() / m.TCP())
        with pytest.raises(ValueError):
            impersonate(m.IP() / m.TCP(), signature="6:64:0:1460:8192,0:mss::0")
