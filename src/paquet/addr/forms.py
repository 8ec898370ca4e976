"""The forms of an address: binary, hexadecimal, integer, compressed and exploded.

>>> to_binary('201.9.118.19')
'11001001.00001001.01110110.00010011'
"""

from __future__ import annotations

from paquet.addr.parse import AddressLike, IPAddress, from_int, parse_address, parse_prefix
from paquet.errors import AddressError

__all__ = [
    "binary_parts",
    "compressed",
    "exploded",
    "from_binary",
    "to_binary",
    "to_hex",
    "to_int",
]


def _width(version: int) -> tuple[int, str]:
    """Bits per group and separator of the binary form."""
    return (8, ".") if version == 4 else (16, ":")


def to_binary(address: AddressLike) -> str:
    """The binary form: dotted octets for IPv4, 16-bit groups separated by ':' for IPv6.

    >>> to_binary('192.168.0.1')
    '11000000.10101000.00000000.00000001'
    >>> to_binary('::1')[-19:]
    '00:0000000000000001'
    """
    addr = parse_address(address)
    bits = format(int(addr), f"0{addr.max_prefixlen}b")
    group, sep = _width(addr.version)
    return sep.join(bits[i : i + group] for i in range(0, len(bits), group))


def from_binary(text: str) -> IPAddress:
    """The address written in binary: 32 bits (IPv4, dots optional) or 128 bits (IPv6,
    colons optional).

    >>> from_binary('11001001.00001001.01110110.00010011')
    IPv4Address('201.9.118.19')
    """
    if not isinstance(text, str) or text.strip() == "":
        raise AddressError(f"invalid binary address {text!r}: empty")
    raw = text.strip()
    if any(c.isspace() for c in raw):
        raise AddressError(f"invalid binary address {text!r}: contains whitespace")
    if ":" in raw:
        groups, group_bits, version = raw.split(":"), 16, 6
    else:
        groups, group_bits, version = raw.split("."), 8, 4
    digits = "".join(groups)
    if not set(digits) <= {"0", "1"}:
        raise AddressError(f"invalid binary address {text!r}: only 0 and 1 are binary digits")
    if len(groups) > 1:
        expected = 4 if version == 4 else 8
        if len(groups) != expected:
            raise AddressError(
                f"invalid binary address {text!r}: {len(groups)} groups, expected {expected}"
            )
        for number, part in enumerate(groups, 1):
            if len(part) != group_bits:
                raise AddressError(
                    f"invalid binary address {text!r}: group {number} has {len(part)} bits, "
                    f"expected {group_bits}"
                )
    elif len(digits) not in (32, 128):
        raise AddressError(
            f"invalid binary address {text!r}: {len(digits)} bits, expected 32 or 128"
        )
    else:
        version = 4 if len(digits) == 32 else 6
    return from_int(int(digits, 2), version)


def binary_parts(address: AddressLike, prefix: int) -> tuple[str, str]:
    """The binary form cut after the ``prefix`` network bits: (network bits, host bits),
    separators kept where they fall.

    >>> binary_parts('201.9.118.19', 21)
    ('11001001.00001001.01110', '110.00010011')
    """
    addr = parse_address(address)
    length = parse_prefix(prefix, addr.version)
    text = to_binary(addr)
    group, _ = _width(addr.version)
    # Each full group of network bits carries its separator along (ipcalc's layout).
    cut = length + min(length // group, addr.max_prefixlen // group - 1)
    return text[:cut], text[cut:]


def to_hex(address: AddressLike) -> str:
    """The address as one hexadecimal number.

    >>> to_hex('201.9.118.19')
    '0xc9097613'
    """
    addr = parse_address(address)
    return f"0x{int(addr):0{addr.max_prefixlen // 4}x}"


def to_int(address: AddressLike) -> int:
    """The address as one integer.

    >>> to_int('201.9.118.19')
    3372840467
    """
    return int(parse_address(address))


def compressed(address: AddressLike) -> str:
    """The shortest form (RFC 5952 for IPv6).

    >>> compressed('2001:0db8:0000:0000:0000:0000:0000:0001')
    '2001:db8::1'
    """
    return parse_address(address).compressed


def exploded(address: AddressLike) -> str:
    """The full form, every IPv6 group written with four digits.

    >>> exploded('2001:db8::1')
    '2001:0db8:0000:0000:0000:0000:0000:0001'
    """
    return parse_address(address).exploded
