"""IP addresses between text and bytes as :mod:`ipaddress` does it, without importing it.

``ipaddress`` imports ``functools`` and ``collections``: a quarter of ``paquet trace``'s and
``paquet ping``'s start-up before their first probe. The C library's ``inet_pton`` and
``inet_ntop`` (through ``_socket``) give the same answers for the addresses the probes meet;
where they would not, :mod:`ipaddress` is imported and decides:

- text ``inet_pton`` refuses (a scoped IPv6 address ``fe80::1%eth0``, or not an address at all:
  then ``ipaddress``' own ``ValueError``);
- IPv6 addresses the C library writes with a dotted IPv4 tail (``::ffff:1.2.3.4``, ``::1:2``),
  which ``ipaddress`` writes in hexadecimal groups.

``tests/probe/test_iptext.py`` compares every function with :mod:`ipaddress` on many addresses.

>>> parse("192.0.2.1"), parse("2001:db8::1")[0]
((4, b'\\xc0\\x00\\x02\\x01'), 6)
>>> canonical("2001:DB8:0:0::1"), text(b"\\xc0\\x00\\x02\\x01")
('2001:db8::1', '192.0.2.1')
"""

from __future__ import annotations

import _socket

__all__ = ["canonical", "parse", "text", "version"]

_AF = {4: _socket.AF_INET, 6: _socket.AF_INET6}


def _pton(address: str) -> tuple[int, bytes] | None:
    """(version, packed) when the C library reads ``address``, else None."""
    v = 6 if ":" in address else 4
    try:
        return v, _socket.inet_pton(_AF[v], address)
    except (OSError, ValueError, UnicodeError):
        return None


def parse(address: str) -> tuple[int, bytes]:
    """(4 or 6, the packed address) of ``address`` written as text: ``ipaddress.ip_address(
    address)``'s ``version`` and ``packed`` (its ``ValueError`` when it is not an address)."""
    got = _pton(address)
    if got is not None:
        return got
    import ipaddress

    ip = ipaddress.ip_address(address)
    return ip.version, ip.packed


def version(address: str) -> int:
    """4 or 6: ``ipaddress.ip_address(address).version`` (``ValueError`` for a non-address)."""
    return parse(address)[0]


def text(packed: bytes) -> str:
    """``str(ipaddress.ip_address(packed))`` for 4 or 16 bytes."""
    v = 4 if len(packed) == 4 else 6
    out: str = _socket.inet_ntop(_AF[v], packed)
    if v == 6 and "." in out:  # the C library's dotted tail: ipaddress writes hex groups
        import ipaddress

        return str(ipaddress.IPv6Address(packed))
    return out


def canonical(address: str) -> str:
    """``str(ipaddress.ip_address(address))``: the address as ``ipaddress`` writes it."""
    got = _pton(address)
    if got is None:
        import ipaddress

        return str(ipaddress.ip_address(address))
    return text(got[1])
