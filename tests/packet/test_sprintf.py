"""``Packet.sprintf`` against Scapy's: the same packets built by both libraries, the same
format strings, the same text (issue 15, "sprintf in full").

Every construct of Scapy's grammar is covered: ``%Layer.field%``, ``%field%`` (the first layer
that has it), printf formats (``%-5s,IP.ttl%``), raw values (``%r,TCP.dport%``,
``%03xr,IP.proto%``), the n-th layer of a class (``%IP:2.dst%``), ``%.time%``, attributes
(``%name%``), conditions ``{TCP:...}`` / ``{!TCP:...}`` (nested), the escapes ``%%``, ``%(``,
``%)``, and ``??`` for what no layer has.
"""

from __future__ import annotations

from typing import Any

import pytest
from scapy.layers.inet import ICMP as SICMP
from scapy.layers.inet import IP as SIP
from scapy.layers.inet import TCP as STCP
from scapy.layers.inet import UDP as SUDP
from scapy.layers.l2 import Ether as SEther
from scapy.packet import Raw as SRaw

from paquet.errors import ExpressionError, PaquetError
from paquet.layers import ICMP, IP, TCP, UDP, Ether, Raw

MACS = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}


def _stacks(ether: Any, ip: Any, tcp: Any, udp: Any, icmp: Any, raw: Any) -> dict[str, Any]:
    """The same packets, written once for both libraries (their classes given)."""
    return {
        "ether_ip_tcp": ether(**MACS)
        / ip(src="192.0.2.1", dst="192.0.2.2", ttl=7, tos=0x10)
        / tcp(sport=1234, dport=80, flags="SA", seq=1000, window=512),
        "ip_udp": ip(src="192.0.2.1", dst="198.51.100.2") / udp(sport=5000, dport=53),
        "ip_in_ip": ip(src="192.0.2.1", dst="192.0.2.2")
        / ip(src="203.0.113.1", dst="203.0.113.2", ttl=9)
        / icmp(type=8, id=7, seq=3),
        "icmp_reply": ip(src="198.51.100.7", dst="192.0.2.1", flags="DF")
        / icmp(type=0, code=0, id=0x1234),
        "tcp_raw": ip(src="192.0.2.3", dst="192.0.2.9")
        / tcp(dport=443, flags="PA")
        / raw(b"hello"),
    }


OURS = _stacks(Ether, IP, TCP, UDP, ICMP, Raw)
THEIRS = _stacks(SEther, SIP, STCP, SUDP, SICMP, SRaw)

FORMATS = [
    # layer and field, field alone (the first layer that has it), attributes
    "%IP.src% -> %IP.dst%",
    "%dst%",
    "%src%:%sport% > %dst%:%dport%",
    "%name%",
    "%IP.name%",
    "%Ether.src% %Ether.dst% %Ether.type%",
    "%IP.version% %IP.ihl% %IP.tos% %IP.len% %IP.id% %IP.ttl% %IP.chksum%",
    # displayed values: names for ports, protocols, ICMP types, flag letters
    "%TCP.sport% %TCP.dport% %TCP.flags% %TCP.seq% %TCP.window% %TCP.options%",
    "%UDP.sport% %UDP.dport% %UDP.len%",
    "%ICMP.type% %ICMP.code% %ICMP.id% %ICMP.seq%",
    "%IP.proto% %IP.flags% %IP.options%",
    "%Raw.load%",
    # printf formats and raw values
    "%-5s,IP.ttl%|%5s,IP.ttl%|",
    "%-20s,IP.src%|",
    "%r,TCP.dport% %r,TCP.sport% %r,UDP.dport%",
    "%r,IP.proto% %03xr,IP.proto% %xr,IP.ttl% %04dr,IP.ttl%",
    "%r,TCP.flags% %r,IP.flags%",
    "%r,ICMP.type% %r,Raw.load% %r,IP.chksum%",
    "%s,IP.tos% %sr,IP.tos%",
    # the n-th layer of a class
    "%IP:1.dst% %IP:2.dst% %IP:3.dst%",
    "%IP:2.ttl% %IP:2.proto% %r,IP:2.proto% %-12s,IP:2.src%|",
    "%IP:0.dst%",
    # conditions, nested, negated
    "{TCP:tcp %TCP.sport%}{UDP:udp %UDP.sport%}{ICMP:icmp %ICMP.type%}",
    "{!TCP:no tcp}{!Raw:no payload}",
    "{IP:%IP.dst% {ICMP:%ICMP.type%}{TCP:%TCP.dport%}}",
    "{Ether:{IP:{TCP:all three}}}",
    "{Ethernet:by display name}",
    "This is a{TCP: TCP}{UDP: UDP}{ICMP:n ICMP} packet",
    # escapes
    "100%% %(braces%) 50%%",
    "{TCP:%(%TCP.flags%%)}",
    # what no layer has
    "%Foo.bar% %IP.nosuch% %.name% %nosuch% %-9s,UDP.dport%|",
    "%Ethernet.src%",
    "{!IP:%IP.dst%}",
    "",
    "no directive at all",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stack", sorted(OURS))
def test_sprintf_as_scapy(stack: str, fmt: str) -> None:
    """Built as written, the packet's sprintf gives Scapy's text."""
    assert OURS[stack].sprintf(fmt) == THEIRS[stack].sprintf(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stack", sorted(OURS))
def test_sprintf_of_dissected_as_scapy(stack: str, fmt: str) -> None:
    """Dissected from its bytes (lengths and checksums computed), the same text as Scapy's."""
    ours, theirs = OURS[stack], THEIRS[stack]
    ours = type(ours)(bytes(ours))
    theirs = type(theirs)(bytes(theirs))
    assert ours.sprintf(fmt) == theirs.sprintf(fmt)


def test_time_as_scapy() -> None:
    """``%.time%`` (and ``%time%``, ``%IP.time%``) is the packet's local time of day."""
    ours, theirs = OURS["ip_udp"].copy(), THEIRS["ip_udp"].copy()
    ours.time = theirs.time = 1_700_000_000.123456
    fmt = "%.time% %time% %IP.time% %-20s,.time%|"
    assert ours.sprintf(fmt) == theirs.sprintf(fmt)


def test_documented_examples() -> None:
    """The examples of the docstrings give what they say."""
    p = OURS["ether_ip_tcp"]
    assert p.sprintf("%r,TCP.dport% is %TCP.dport%") == "80 is http"
    assert p.sprintf("{!UDP:not UDP}{TCP:TCP %TCP.flags%}") == "not UDPTCP SA"
    assert OURS["ip_in_ip"].sprintf("%IP.dst% in %IP:2.dst%") == "192.0.2.2 in 203.0.113.2"


def test_not_relaxed_raises_for_a_missing_field() -> None:
    """``relax=False`` (Scapy's parameter): a field no layer has is an error, not ``??``."""
    p = OURS["ip_udp"]
    assert p.sprintf("%TCP.dport%") == "??"
    with pytest.raises(ExpressionError, match=r"no layer has the field of %TCP\.dport%"):
        p.sprintf("%TCP.dport%", relax=False)
    assert p.sprintf("%UDP.dport%", relax=False) == "domain"


BAD_FORMATS = [
    ("%unterminated", "unterminated directive"),
    ("%a.b.c%", "at most one '.'"),
    ("%a,b,c%", "at most one ','"),
    ("%IP:x.dst%", "Layer:n needs a number"),
    ("{TCP", "without its '}'"),
    ("{}", "a condition is {Layer:text}"),
    ("{:x}", "a condition is {Layer:text}"),
    ("{TCP no colon}", "a condition is {Layer:text}"),
    ("%x,IP.ttl%", "%x format"),
    ("%10r,IP.ttl%", "incomplete format"),
]


@pytest.mark.parametrize(("fmt", "message"), BAD_FORMATS)
def test_bad_formats_raise_one_clear_error(fmt: str, message: str) -> None:
    """Where Scapy raises (its own exception, or a TypeError, ValueError, IndexError), paquet
    raises its ExpressionError, with a one-line message naming the problem."""
    with pytest.raises(Exception):  # noqa: B017 (Scapy's exception types vary)
        THEIRS["ether_ip_tcp"].sprintf(fmt)
    with pytest.raises(ExpressionError) as info:
        OURS["ether_ip_tcp"].sprintf(fmt)
    assert isinstance(info.value, PaquetError)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


#: Fields whose value (not its sprintf) differs from Scapy's, for reasons outside sprintf:
#: ICMP's timestamp fields (absent from an echo) default to the current time in Scapy and to
#: None here; ICMP's ``unused`` is None in a built Scapy ICMP and b'' here; TCP's options
#: default to b'' in Scapy and to an empty list here (both build no bytes).
VALUE_DIFFERS = {"ICMP.ts_ori", "ICMP.ts_rx", "ICMP.ts_tx", "ICMP.unused", "TCP.options"}


def test_every_field_of_every_layer_as_scapy() -> None:
    """Beyond the table: ``%Layer.field%`` and ``%r,Layer.field%`` for every field of every
    layer of every packet, built and dissected (but the fields of VALUE_DIFFERS)."""
    for stack in sorted(OURS):
        for ours, theirs in (
            (OURS[stack], THEIRS[stack]),
            (type(OURS[stack])(bytes(OURS[stack])), type(THEIRS[stack])(bytes(THEIRS[stack]))),
        ):
            for layer in ours.iterlayers():
                cls = type(layer).__name__
                for f in layer._fields:
                    if f"{cls}.{f.name}" in VALUE_DIFFERS:
                        continue
                    for fmt in (f"%{cls}.{f.name}%", f"%r,{cls}.{f.name}%"):
                        assert ours.sprintf(fmt) == theirs.sprintf(fmt), (stack, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_sprintf_of_a_cut_segment_as_scapy(fmt: str) -> None:
    """An IPv4 datagram whose TCP header is cut at 10 bytes: both libraries keep those bytes
    as Raw (no TCP layer), and the text is the same."""
    data = bytes(OURS["tcp_raw"])[:30]
    assert IP(data).sprintf(fmt) == SIP(data).sprintf(fmt)
