"""p0f's TCP signatures, and ``p0f_impersonate``: make a SYN (or SYN+ACK) look, to p0f, as if
another system had sent it (Scapy's ``p0f_impersonate``, with a signature given as text).

A p0f v3 TCP signature (``p0f.fp``, section ``[tcp:request]``/``[tcp:response]``) reads
``ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass``: IP version (``4``, ``6``, ``*``),
initial TTL (``64``, ``64-`` for a bad one), IP options length, MSS (``*`` any), window size
(``8192``, ``*``, ``mss*4``, ``mtu*4``, ``%8192`` a multiple of it) and scale, the TCP options
in order (``mss,nop,ws,sok,ts,eol+N,sack``), quirks (``df``, ``id+``, ``seq-``, ``ack+``...) and
whether the packet has a payload (``0``, ``+``, ``*``).

>>> sig = TCPSignature.from_raw_sig("4:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0")[0]
>>> sig.win, sig.win_type == WIN_TYPE_MSS, sig.wscale, sorted(sig.quirks)
(20, True, 7, ['df', 'id+'])

Telling which system sent a packet (Scapy's ``p0f()``) needs p0f's database, which paquet
does not ship: ``p0f_impersonate`` takes ``signature=``; ``osgenre=`` is refused.
"""

from __future__ import annotations

import os
import random
import struct
from dataclasses import dataclass
from typing import Any

__all__ = [
    "WIN_TYPE_ANY", "WIN_TYPE_MOD", "WIN_TYPE_MSS", "WIN_TYPE_MTU", "WIN_TYPE_NORMAL",
    "TCPSignature", "TCP_Signature", "p0f_impersonate",
]

WIN_TYPE_NORMAL = 0  # the window is the number given
WIN_TYPE_ANY = 1  # any window
WIN_TYPE_MOD = 2  # a multiple of the number
WIN_TYPE_MSS = 3  # the number times the MSS
WIN_TYPE_MTU = 4  # the number times the MTU


@dataclass(frozen=True)
class TCPSignature:
    """One p0f TCP signature (Scapy's ``TCP_Signature``); -1 stands for ``*``."""

    olayout: str
    quirks: frozenset[str]
    ip_opt_len: int
    ip_ver: int
    ttl: int
    mss: int
    win: int
    win_type: int
    wscale: int
    pay_class: int

    @classmethod
    def from_raw_sig(cls, sig_line: str) -> tuple[TCPSignature, bool]:
        """The signature of a ``p0f.fp`` line, and whether its TTL is marked bad (``64-``)."""
        parts = sig_line.split(":")
        if len(parts) != 8:
            raise ValueError(f"a p0f TCP signature has 8 fields separated by ':', not "
                             f"{len(parts)}: {sig_line!r}")
        ver, ttl, olen, mss, wsize, olayout, quirks, pclass = parts
        wsize, _, scale = wsize.partition(",")
        bad_ttl = ttl.endswith("-")
        try:
            win, win_type = _window(wsize)
            sig = cls(
                olayout=olayout,
                quirks=frozenset(q for q in quirks.split(",") if q),
                ip_opt_len=int(olen),
                ip_ver=-1 if ver == "*" else int(ver),
                ttl=int(ttl.rstrip("-")),
                mss=-1 if mss == "*" else int(mss),
                win=win,
                win_type=win_type,
                wscale=-1 if scale == "*" else int(scale),
                pay_class=-1 if pclass == "*" else int(pclass == "+"),
            )
        except ValueError as exc:
            raise ValueError(f"bad p0f TCP signature {sig_line!r}: {exc}") from None
        return sig, bad_ttl


#: Scapy's name.
TCP_Signature = TCPSignature


def _window(wsize: str) -> tuple[int, int]:
    if wsize == "*":
        return 0, WIN_TYPE_ANY
    if wsize.startswith("mss*"):
        return int(wsize[4:]), WIN_TYPE_MSS
    if wsize.startswith("mtu*"):
        return int(wsize[4:]), WIN_TYPE_MTU
    if wsize.startswith("%"):
        return int(wsize[1:]), WIN_TYPE_MOD
    return int(wsize), WIN_TYPE_NORMAL


def _hint(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _set_ip(ip: Any, sig: TCPSignature, extrahops: int) -> None:
    """The IP header's part of the signature: TTL, DF and ID, ECN, flow label."""
    quirks = sig.quirks
    if ip.version == 4:
        ip.ttl = sig.ttl - extrahops
        if sig.ip_opt_len == 0:
            ip.options = []
        flags = int(ip.flags)
        if "df" in quirks:
            flags |= 0x02
            if "id+" not in quirks:
                ip.id = 0
            elif ip.id == 0:
                ip.id = random.randint(1, 0xFFFF)
        else:
            flags &= ~0x02
            if "id-" in quirks:
                ip.id = 0
            elif ip.id == 0:
                ip.id = random.randint(1, 0xFFFF)
        if "ecn" in quirks:
            ip.tos = ip.tos | random.randint(1, 3)
        ip.flags = flags | 0x04 if "0+" in quirks else flags & ~0x04
    else:
        ip.hlim = sig.ttl - extrahops
        if "flow" in quirks:
            ip.fl = random.randint(1, (1 << 20) - 1)
        if "ecn" in quirks:
            ip.tc = ip.tc | random.randint(1, 3)


def _options(sig: TCPSignature, tcp: Any, syn_only: bool, uptime: int | None) -> list[Any]:
    """The TCP options the signature's layout asks for, values taken from the packet's own
    options when they fit."""
    quirks = sig.quirks
    given = {name: value for name, value in tcp.options} if tcp.options else {}
    mss_hint, ws_hint = _hint(given.get("MSS")), _hint(given.get("WScale"))
    ts_given = given.get("Timestamp") or (None, None)
    ts_hint = [_hint(v) for v in ts_given]
    out: list[Any] = []
    for opt in sig.olayout.split(","):
        if opt == "mss":
            maxmss = 0xFFFF // sig.win if sig.win_type == WIN_TYPE_MSS and sig.win else 0xFFFF
            if sig.mss != -1:
                out.append(("MSS", sig.mss))
            elif mss_hint and mss_hint <= maxmss:
                out.append(("MSS", mss_hint))
            else:
                out.append(("MSS", random.randint(100, maxmss)))
        elif opt == "ws":
            lowest = 15 if "exws" in quirks else 0
            if sig.wscale != -1:
                out.append(("WScale", sig.wscale))
            elif ws_hint and lowest <= ws_hint < 256:
                out.append(("WScale", ws_hint))
            else:
                out.append(("WScale", random.randint(lowest, 255)))
        elif opt == "ts":
            ts1, ts2 = ts_hint[0], ts_hint[1] if len(ts_hint) > 1 else None
            if "ts1-" in quirks:
                ts1 = 0
            elif uptime is not None:
                ts1 = uptime
            elif ts1 is None or not 0 < ts1 < 1 << 32:
                ts1 = random.randint(120, 100 * 60 * 60 * 24 * 365)
            if "ts2+" in quirks and syn_only:
                if ts2 is None or not 0 < ts2 < 1 << 32:
                    ts2 = random.randint(1, (1 << 32) - 1)
            else:
                ts2 = 0
            out.append(("Timestamp", (ts1, ts2)))
        elif opt == "nop":
            out.append(("NOP", None))
        elif opt == "sok":
            out.append(("SAckOK", b""))
        elif opt.startswith("eol"):
            out.append(("EOL", None))
        elif opt == "sack":
            n = random.choice([2, 4, 6, 8])
            out.append(("SAck", struct.unpack(f"!{n}I", os.urandom(4 * n))))
        elif opt:
            raise ValueError(f"unknown TCP option {opt!r} in the signature's layout")
    return out


def _window_size(sig: TCPSignature, options: list[Any], mtu: int) -> int:
    if sig.win_type == WIN_TYPE_NORMAL:
        return sig.win
    if sig.win_type == WIN_TYPE_MSS:
        mss = [value for name, value in options if name == "MSS"]
        if not mss:
            raise ValueError("TCP window value requires MSS, and MSS option not set")
        return int(mss[0]) * sig.win
    if sig.win_type == WIN_TYPE_MOD:
        return sig.win * random.randint(1, 0xFFFF // sig.win)
    if sig.win_type == WIN_TYPE_MTU:
        return mtu * sig.win
    return random.randint(0, 0xFFFF)


def p0f_impersonate(pkt: Any, osgenre: str | None = None, osdetails: str | None = None,
                    signature: str | None = None, extrahops: int = 0, mtu: int = 1500,
                    uptime: int | None = None) -> Any:
    """A copy of the TCP/IP packet ``pkt`` changed so that p0f matches ``signature`` on it
    (TTL less ``extrahops``, DF/ID, TCP options in the signature's order, window, quirks,
    payload). ``mtu`` for ``mtu*N`` windows, ``uptime`` the timestamp's value. ``osgenre``
    and ``osdetails`` choose a signature from p0f's database in Scapy: paquet has none.

    >>> from paquet import IP, TCP
    >>> p = p0f_impersonate(IP() / TCP(), signature="*:64:0:1460:mss*4,0:mss::0")
    >>> p[TCP].window, p[TCP].options, p.ttl
    (5840, [('MSS', 1460)], 64)
    """
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.tcp import TCP

    if not (TCP in pkt and (IP in pkt or IPv6 in pkt)):
        raise TypeError("Not a TCP/IP packet")
    if signature is None:
        if osgenre:
            raise ValueError("No match in the p0f database (paquet has no p0f database: "
                             "give signature=)")
        raise ValueError("osgenre or signature is required to impersonate!")
    if not isinstance(signature, str):
        raise TypeError("Unsupported signature type")
    sig, _ = TCPSignature.from_raw_sig(signature)
    pkt = pkt.copy()
    ip = pkt[IP] if IP in pkt else pkt[IPv6]
    if sig.ip_ver != -1 and ip.version != sig.ip_ver:
        raise ValueError("Can't convert between IPv4 and IPv6")
    _set_ip(ip, sig, extrahops)
    tcp = pkt[TCP]
    flags = int(tcp.flags)
    quirks = sig.quirks
    tcp.options = options = _options(sig, tcp, flags & 0x12 == 0x02, uptime)
    tcp.window = _window_size(sig, options, mtu)
    if "seq-" in quirks:
        tcp.seq = 0
    elif tcp.seq == 0:
        tcp.seq = random.randint(1, (1 << 32) - 1)
    if "ack+" in quirks:
        flags &= ~0x10
        if tcp.ack == 0:
            tcp.ack = random.randint(1, (1 << 32) - 1)
    elif "ack-" in quirks:
        flags |= 0x10
        tcp.ack = 0
    if "uptr+" in quirks:
        flags &= ~0x20
        if tcp.urgptr == 0:
            tcp.urgptr = random.randint(1, 0xFFFF)
    elif "urgf+" in quirks:
        flags |= 0x20
    tcp.flags = flags | 0x08 if "pushf+" in quirks else flags & ~0x08
    if sig.pay_class:  # a payload (1) or either (-1): keep one, or add a few bytes
        if not tcp.payload:
            from paquet.layers.raw import Raw

            pkt = pkt / Raw(load=os.urandom(random.randint(1, 10)))
    else:
        tcp.remove_payload()
    return pkt
