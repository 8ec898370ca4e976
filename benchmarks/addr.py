"""Address toolkit and checksum speed: paquet against the stdlib, Scapy and dpkt.

1. Validating an address with its reason (``paquet.addr.ipv4_rejection``) against the stdlib's
   ``ipaddress.IPv4Address`` inside try/except, on valid and invalid inputs.
2. The ipcalc view (``paquet.addr.subnet_info``) against the same fields read from the stdlib.
3. The RFC 1071 checksum of a 20-byte IPv4 header and of a 1,480-byte payload:
   ``paquet.checksums.internet_checksum`` against ``scapy.utils.checksum`` and ``dpkt.in_cksum``.

Each line prints operations per second and the ratio against the peers (> 1: paquet faster).
Nothing touches the network. Run: ``.venv/bin/python benchmarks/addr.py``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import timeit
from collections.abc import Callable

from paquet import addr
from paquet.checksums import internet_checksum

INPUTS = ["201.9.118.19", "201.9.118.256", "010.1.1.1", "192.0.2.1", "1.2.3", "203.0.113.254"]
HEADER = bytes.fromhex("4500003b00010000400651b4c0a80001b114b74a")
PAYLOAD = bytes(range(256)) * 5 + bytes(200)


def rate(function: Callable[[], object], number: int) -> float:
    """Calls per second, best of three runs."""
    best = min(timeit.repeat(function, number=number, repeat=3))
    return number / best


def stdlib_validate() -> None:
    for text in INPUTS:
        with contextlib.suppress(ValueError):
            ipaddress.IPv4Address(text)


def paquet_validate() -> None:
    for text in INPUTS:
        addr.ipv4_rejection(text)


def stdlib_info() -> None:
    iface = ipaddress.ip_interface("201.9.118.19/21")
    net = iface.network
    (
        net.netmask,
        net.hostmask,
        net.broadcast_address,
        net.network_address + 1,
        net.broadcast_address - 1,
        net.num_addresses - 2,
        iface.ip.is_private,
    )


def paquet_info() -> None:
    addr.subnet_info("201.9.118.19/21")


def report(name: str, ours: float, peers: dict[str, float]) -> None:
    ratios = ", ".join(f"{ours / value:.2f}x {peer}" for peer, value in peers.items())
    print(f"{name:42} {ours:12,.0f}/s   {ratios}")


def main() -> None:
    report(
        "validate 6 addresses (with reasons)",
        rate(paquet_validate, 5_000),
        {"stdlib": rate(stdlib_validate, 5_000)},
    )
    report(
        "subnet info 201.9.118.19/21",
        rate(paquet_info, 5_000),
        {"stdlib": rate(stdlib_info, 5_000)},
    )
    from dpkt import in_cksum
    from scapy.utils import checksum as scapy_checksum

    for label, data in (("checksum 20-byte header", HEADER), ("checksum 1480 bytes", PAYLOAD)):
        report(
            label,
            rate(lambda d=data: internet_checksum(d), 20_000),
            {
                "scapy": rate(lambda d=data: scapy_checksum(d), 20_000),
                "dpkt": rate(lambda d=data: in_cksum(d), 20_000),
            },
        )
    assert (
        internet_checksum(HEADER[:10] + b"\0\0" + HEADER[12:])
        == scapy_checksum(HEADER[:10] + b"\0\0" + HEADER[12:])
        == 0x51B4
    )


if __name__ == "__main__":
    main()
