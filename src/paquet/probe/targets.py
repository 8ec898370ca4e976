"""Target and port specifications, in nmap's syntax.

IPv6 targets: addresses, prefixes (at most :data:`MAX_IPV6_SWEEP` addresses, for ``scan`` and
``discover`` alike), and, beyond nmap 7.93 (which takes neither for IPv6), a range in the last
group, in hex (``2001:db8::a-ff``), and a comma list whose bare hex items continue the last group
of the address before them (``2001:db8::1,5,a-c``; write a host name such as ``cafe`` after a
space instead). Anything with a colon is parsed as IPv6, never looked up as a name, and every
target is checked before any name is resolved.

>>> parse_ports("22,80,1000-1002")
[22, 80, 1000, 1001, 1002]
>>> len(parse_ports("-"))
65535
>>> expand_targets(["192.0.2.1-3", "198.51.100.0/31"])
['192.0.2.1', '192.0.2.2', '192.0.2.3', '198.51.100.0', '198.51.100.1']
>>> expand_targets(["2001:db8::9-b,1", "2001:db8:1::/127"])
['2001:db8::9', '2001:db8::a', '2001:db8::b', '2001:db8::1', '2001:db8:1::', '2001:db8:1::1']
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from paquet.errors import AddressError, PaquetError
from paquet.probe.rawio import resolve

__all__ = [
    "MAX_IPV6_SWEEP",
    "check_ipv6_size",
    "exclude_targets",
    "expand_targets",
    "parse_ports",
    "read_target_file",
]

MAX_HOSTS = 1 << 24
"""The most addresses one IPv4 target may hold."""

MAX_IPV6_SWEEP = 1 << 16
"""The most addresses one IPv6 target prefix may hold (a /112), for every tool that sweeps one
address after another (``scan``, ``discover``): larger prefixes are refused before anything."""

_HEX = frozenset("0123456789abcdefABCDEF")


# Three tiny grammars, checked by hand (re and the enum it imports cost a scan's start 3 ms).
def _hex_group(text: str) -> bool:
    """1 to 4 hex digits (an IPv6 group).

    >>> _hex_group("db8"), _hex_group(""), _hex_group("12345"), _hex_group("g")
    (True, False, False, False)
    """
    return 1 <= len(text) <= 4 and _HEX.issuperset(text)


def _group_item(text: str) -> bool:
    """A bare IPv6 group or group range after a comma: ``5``, ``5-ff``, ``5-``, ``-ff``.

    >>> [_group_item(t) for t in ("5", "5-ff", "5-", "-ff", "-", "5-f-f", "12345")]
    [True, True, True, True, True, False, False]
    """
    head, dash, tail = text.partition("-")
    if not dash:
        return _hex_group(head)
    return (not head or _hex_group(head)) and _HEX.issuperset(tail)


def _octet_item(text: str) -> bool:
    """A bare octet or octet range after a comma: 1 to 3 decimal digits, twice with a dash.

    >>> [_octet_item(t) for t in ("5", "5-20", "1234", "5-", "-5", "a")]
    [True, True, False, False, False, False]
    """
    head, dash, tail = text.partition("-")
    return all(1 <= len(t) <= 3 and t.isdecimal() for t in ((head, tail) if dash else (head,)))


def parse_ports(spec: str | Iterable[int]) -> list[int]:
    """Ports from nmap's syntax: ``22,80``, ranges ``1-1024``, open ranges ``-1024``, ``1000-``,
    ``-`` (1-65535). Returns them sorted, without duplicates; a ``T:``/``U:`` prefix is ignored."""
    if not isinstance(spec, str):
        ports = sorted(set(spec))
        for p in ports:
            if not 0 <= p <= 65535:
                raise PaquetError(f"port {p} out of range 0-65535")
        return ports
    spans: list[tuple[int, int]] = []
    text = spec.strip()
    if not text:
        raise PaquetError("empty port specification")
    shown = spec if len(spec) <= 40 else spec[:40] + "..."
    for part in text.split(","):
        part = part.strip()
        if len(part) > 2 and part[1] == ":" and part[0] in "TUSPtusp":
            part = part[2:]
        if not part:
            raise PaquetError(f"bad port specification {shown!r}: empty item")
        lo_t, dash, hi_t = part.partition("-")
        lo_t, hi_t = lo_t.strip(), hi_t.strip()
        if not all(t.isascii() and t.isdigit() for t in (lo_t or "1", hi_t or "1")):
            item = part if len(part) <= 20 else part[:20] + "..."
            raise PaquetError(f"bad port specification {shown!r}: {item!r} is not a port "
                              "or a range")
        if max(len(lo_t), len(hi_t)) > 5:
            raise PaquetError(f"bad port specification {shown!r}: ports go from 0 to 65535")
        lo = int(lo_t) if lo_t else 1
        hi = (int(hi_t) if hi_t else 65535) if dash else lo
        if not (0 <= lo <= 65535 and 0 <= hi <= 65535):
            raise PaquetError(f"bad port specification {shown!r}: ports go from 0 to 65535")
        if lo > hi:
            raise PaquetError(f"bad port specification {shown!r}: range {part} is reversed")
        spans.append((lo, hi))
    return _union(spans)


def _union(spans: list[tuple[int, int]]) -> list[int]:
    """The ports of the inclusive ranges ``spans``, sorted, each once (a range is copied whole:
    ``-p-`` costs one ``list(range())``, not 65,536 set insertions).

    >>> _union([(5, 7), (1, 2), (6, 9), (3, 3), (2, 2)])
    [1, 2, 3, 5, 6, 7, 8, 9]
    """
    out: list[int] = []
    end = -1  # the last port taken so far
    for lo, hi in sorted(spans):
        if hi > end:
            out.extend(range(max(lo, end + 1), hi + 1))
            end = hi
    return out


def _range_target(text: str) -> list[str] | None:
    """nmap's last-octet range ``192.0.2.1-20`` (IPv4 only)."""
    head, sep, tail = text.rpartition(".")
    if not sep or "-" not in tail:
        return None
    lo_t, hi_t = tail.split("-", 1)
    try:
        lo, hi = int(lo_t), int(hi_t)
        ipaddress.IPv4Address(f"{head}.{lo}")
        ipaddress.IPv4Address(f"{head}.{hi}")
    except ValueError:
        return None
    if lo > hi:
        raise AddressError(f"bad target {text!r}: range {lo}-{hi} is reversed")
    return [f"{head}.{i}" for i in range(lo, hi + 1)]


def _last_octet4(text: str) -> list[str]:
    """``192.0.2.5`` or ``192.0.2.10-12`` made from a comma item continuing the last octet of
    the address before it (nmap reads ``192.0.2.1,5`` as 192.0.2.1 and 192.0.2.5)."""
    ranged = _range_target(text)
    if ranged is not None:
        return ranged
    try:
        return [str(ipaddress.IPv4Address(text))]
    except ValueError as exc:
        raise AddressError(f"bad target {text!r}: {exc}") from None


def _too_large6(text: str, prefixlen: int) -> AddressError:
    longest = 128 - MAX_IPV6_SWEEP.bit_length() + 1
    return AddressError(f"target {text} is too large to sweep (2^{128 - prefixlen} addresses): "
                        f"give an IPv6 prefix of /{longest} or longer, or list the addresses")


def _network(text: str) -> list[str]:
    """A ``CIDR`` target: all its addresses, as nmap; IPv6 ones up to :data:`MAX_IPV6_SWEEP`."""
    if ":" in text and "-" in text:
        raise AddressError(f"bad target {text!r}: a range cannot have a prefix length")
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError as exc:
        raise AddressError(f"bad target {text!r}: {exc}") from None
    if net.version == 6 and net.num_addresses > MAX_IPV6_SWEEP:
        raise _too_large6(text, net.prefixlen)
    if net.num_addresses > MAX_HOSTS:
        raise AddressError(f"target {text} is too large ({net.num_addresses} "
                           f"addresses; at most {MAX_HOSTS})")
    return [str(ip) for ip in net]


def _group(text: str, part: str) -> int:
    if not _hex_group(part):
        raise AddressError(f"bad target {text!r}: {part!r} is not an IPv6 group "
                           "(1 to 4 hex digits)")
    return int(part, 16)


def _last_group6(text: str, head: str, tail: str) -> list[str]:
    """Addresses ``head`` + each value of ``tail`` (a hex group ``a`` or range ``a-ff``)."""
    lo_t, dash, hi_t = tail.partition("-")
    if dash and (not lo_t or not hi_t):
        raise AddressError(f"bad target {text!r}: range {tail!r} needs both ends")
    lo = _group(text, lo_t)
    hi = _group(text, hi_t) if dash else lo
    if lo > hi:
        raise AddressError(f"bad target {text!r}: range {lo_t}-{hi_t} is reversed")
    try:
        first = int(ipaddress.IPv6Address(f"{head}{lo:x}"))
        ipaddress.IPv6Address(f"{head}{hi:x}")
    except ValueError as exc:
        raise AddressError(f"bad target {text!r}: {exc}") from None
    return [str(ipaddress.IPv6Address(first + i)) for i in range(hi - lo + 1)]


def _ipv6(text: str) -> tuple[list[str], str | None]:
    """An IPv6 target without a prefix length: an address, or a range in its last group
    (``2001:db8::1-20``, hex). Returns the addresses and the head a comma list continues
    (``2001:db8::`` for ``2001:db8::1``), or None when the last group is not a hex group."""
    head, _, tail = text.rpartition(":")
    head += ":"
    if "-" in head:
        raise AddressError(f"bad target {text!r}: an IPv6 range goes in the last group "
                           "(2001:db8::1-20)")
    if "-" in tail and "%" not in tail:
        return _last_group6(text, head, tail), head
    try:
        addr = ipaddress.IPv6Address(text)
    except ValueError as exc:
        raise AddressError(f"bad target {text!r}: {exc}") from None
    return [str(addr)], head if not tail or _hex_group(tail) else None


def _parse(specs: Iterable[str]) -> list[list[str] | str]:
    """Each target as its addresses, or as a name still to resolve; every error in the
    syntax or the size is raised here, before any name is looked up."""
    out: list[list[str] | str] = []
    for raw in specs:
        for word in raw.split():
            head6: str | None = None  # where a bare group after a comma goes (2001:db8::1,5)
            head4: str | None = None  # where a bare octet after a comma goes (192.0.2.1,5)
            for text in word.split(","):
                if not text:
                    continue
                if head6 is not None and _group_item(text):
                    out.append(_last_group6(f"{head6}{text}", head6, text))
                    continue
                if head4 is not None and _octet_item(text):
                    out.append(_last_octet4(f"{head4}{text}"))
                    continue
                head6 = head4 = None
                if "/" in text:
                    out.append(_network(text))
                elif ":" in text:
                    addrs, head6 = _ipv6(text)
                    out.append(addrs)
                else:
                    ranged = _range_target(text)
                    if ranged is not None:
                        out.append(ranged)
                        head4 = text.rpartition(".")[0] + "."
                        continue
                    try:
                        out.append([str(ipaddress.ip_address(text))])
                    except ValueError:
                        out.append(text)
                    else:
                        head4 = text.rpartition(".")[0] + "."
    return out


def check_ipv6_size(specs: Sequence[str]) -> None:
    """Refuse malformed targets and IPv6 prefixes too large to sweep (more than
    :data:`MAX_IPV6_SWEEP` addresses) with an :class:`AddressError`, resolving no name."""
    _parse(specs)


def expand_targets(specs: Iterable[str], family: int = 0) -> list[str]:
    """Addresses from targets: addresses, ``CIDR`` subnets (all their addresses, as nmap),
    last-octet ranges, IPv6 last-group ranges and lists, and host names (resolved). Order kept,
    duplicates dropped. Every target is checked before any name is resolved."""
    seen: dict[str, None] = {}
    for item in _parse(specs):
        if isinstance(item, str):
            seen[resolve(item, family)] = None
        else:
            seen.update(dict.fromkeys(item))
    if not seen:
        raise AddressError("no target given")
    out = list(seen)
    if family:
        out = [a for a in out if ipaddress.ip_address(a).version == family]
        if not out:
            raise AddressError(f"no IPv{family} target")
    return out


def exclude_targets(hosts: Sequence[str], specs: Iterable[str]) -> list[str]:
    """``hosts`` without the addresses ``specs`` name (nmap's ``--exclude``: same syntax as
    targets, names resolved).

    >>> exclude_targets(["192.0.2.1", "192.0.2.2", "192.0.2.9"], ["192.0.2.0/30"])
    ['192.0.2.9']
    """
    specs = [s for s in specs if s.strip()]
    if not specs:
        return list(hosts)
    gone = set(expand_targets(specs))
    return [h for h in hosts if h not in gone]


def split_list(text: str) -> list[str]:
    """The targets of an ``-iL`` file: separated by white space, ``#`` starts a comment.

    >>> split_list("192.0.2.1 192.0.2.2  # a comment\\n\\t198.51.100.0/30")
    ['192.0.2.1', '192.0.2.2', '198.51.100.0/30']
    """
    out: list[str] = []
    for line in text.splitlines():
        out += line.split("#", 1)[0].split()
    return out


def read_target_file(path: str) -> list[str]:
    """The targets listed in ``path`` (nmap's ``-iL``; ``-`` reads standard input)."""
    import sys

    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
    except OSError as exc:
        raise PaquetError(f"cannot read the target list {path}: {exc.strerror or exc}") from None
    targets = split_list(text)
    if not targets:
        raise AddressError(f"no target in {path}")
    return targets
