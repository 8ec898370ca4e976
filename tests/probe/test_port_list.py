"""A scan's ports kept as answer codes (``PortList``) against the same ports as a plain list:
same counts, same listed ports, same outputs; changed, they forget the codes."""

from __future__ import annotations

import pickle
import random

import pytest

from paquet.probe.output import scan_grepable, scan_normal, scan_xml
from paquet.probe.scan import _fill_ports
from paquet.probe.scan_results import _CODE, _CODES, HostResult, PortList, PortResult, ScanResult


def _scan(seed: int, nports: int) -> tuple[list[int], bytearray, bytearray]:
    rng = random.Random(seed)
    ports = sorted(rng.sample(range(65536), nports))
    codes = bytearray(rng.choice([0, _CODE["closed", "reset"]] * 20 + list(range(1, len(_CODES))))
                      for _ in ports)
    ttls = bytearray(rng.randrange(256) for _ in ports)
    return ports, codes, ttls


def _hosts(seed: int, nports: int) -> tuple[HostResult, HostResult, list[int]]:
    ports, codes, ttls = _scan(seed, nports)
    default = _CODE["filtered", "no-response"]
    kept = HostResult("192.0.2.1")
    _fill_ports({kept.address: kept}, [kept.address], ports, "tcp", codes, ttls, default, None)
    assert isinstance(kept.ports, PortList)
    made = [PortResult(port, "tcp", *_CODES[code or default], ttl)
            for port, code, ttl in zip(ports, codes, ttls, strict=True)]
    return kept, HostResult("192.0.2.1", ports=made), ports


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("open_only", [False, True])
def test_codes_give_what_the_ports_give(seed: int, open_only: bool) -> None:
    kept, plain, ports = _hosts(seed, random.Random(seed).choice([1, 30, 1000, 20000]))
    assert kept.extraports(open_only) == plain.extraports(open_only)
    for state, reason in set(_CODES[1:]):
        assert kept.port_numbers(state, reason) == plain.port_numbers(state, reason)
    for fmt in (scan_xml, scan_normal):
        assert fmt(ScanResult("syn", "tcp", ports, [kept], 1.7e9, 0.5)) == \
            fmt(ScanResult("syn", "tcp", ports, [plain], 1.7e9, 0.5))
    assert scan_grepable(ScanResult("syn", "tcp", ports, [kept], 1.7e9, 0.5), open_only) == \
        scan_grepable(ScanResult("syn", "tcp", ports, [plain], 1.7e9, 0.5), open_only)


def test_a_port_list_is_a_sequence_of_ports() -> None:
    kept, plain, ports = _hosts(1, 500)
    table = kept.ports
    assert isinstance(table, PortList)
    assert len(table) == 500 and table._items is None  # counted without being made
    assert kept == plain and table == plain.ports and list(table) == plain.ports
    assert [p.port for p in table] == ports and table[3] == plain.ports[3]
    assert kept.port(ports[7]) == plain.port(ports[7])
    assert pickle.loads(pickle.dumps(kept)) == kept
    assert repr(table) == repr(plain.ports)


def test_a_changed_port_list_forgets_its_codes() -> None:
    kept, plain, _ = _hosts(2, 300)
    table = kept.ports
    assert isinstance(table, PortList)
    extra = PortResult(65535, "tcp", "open", "syn-ack", 64)
    table.append(extra)
    plain.ports.append(extra)
    assert table.counts() is None and table.numbers("open", "syn-ack") is None
    assert kept.extraports() == plain.extraports()
    table[0] = plain.ports[0] = PortResult(0, "tcp", "closed", "reset", 64)
    assert kept.extraports() == plain.extraports() and len(table) == 301
