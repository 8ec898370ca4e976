"""Filters compiled by libpcap through ctypes: the same program as ``tcpdump -dd``, and the
same packets kept offline as ``tcpdump -r FILE EXPR``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pcap_helpers import data_fixture  # noqa: F401

from paquet.errors import PaquetError
from paquet.net.bpf import FilterError, SavefileFilter, compile_filter
from paquet.net.sniff import sniff
from paquet.pcap import open_capture, rdpcap

pytestmark = pytest.mark.skipif(shutil.which("tcpdump") is None, reason="needs tcpdump")

EXPRESSIONS = [
    "udp dst port 9999",
    "icmp",
    "ip6",
    "icmp[icmptype] == icmp-echoreply",
    "host 127.0.0.1 and not udp",
    "len > 90",
    "",
]
FILES = [
    "tcpdump-lo.pcap",
    "tcpdump-any-sll.pcap",
    "tcpdump-any-sll2.pcap",
    "null-loopback.pcap",
    "tshark-lo.pcapng",
]


def tcpdump(*args: str) -> str:
    return subprocess.run(
        ["tcpdump", *args], capture_output=True, text=True, check=True, timeout=30
    ).stdout


@pytest.mark.parametrize("name", ["tcpdump-lo.pcap", "tcpdump-any-sll2.pcap", "null-loopback.pcap"])
@pytest.mark.parametrize("expr", ["udp dst port 9999", "icmp or ip6", "tcp[13] & 2 != 0"])
def test_same_program_as_tcpdump(data: Path, name: str, expr: str) -> None:
    with open_capture(data / name, raw=True) as reader:
        linktype, snaplen = reader.linktype, reader.snaplen  # type: ignore[attr-defined]
    prog = compile_filter(expr, linktype, savefile=True, snaplen=snaplen)
    assert prog.dump() + "\n" == tcpdump("-dd", "-r", str(data / name), expr)
    assert prog.linktype == linktype and len(prog) == len(prog.instructions) > 2


@pytest.mark.parametrize("name", FILES)
def test_offline_filter_keeps_what_tcpdump_keeps(data: Path, name: str) -> None:
    path = data / name
    for expr in EXPRESSIONS:
        ours = sniff(offline=str(path), filter=expr or None, raw=True)
        theirs = tcpdump("-nn", "-tt", "-r", str(path), *([expr] if expr else []))
        assert len(ours) == theirs.count("\n"), expr
        stamps = [line.split()[0] for line in theirs.splitlines()]
        assert [f"{r.time_ns // 1000 / 1e6:.6f}" for r in ours] == stamps, expr


def test_offline_sources(data: Path) -> None:
    path = data / "tcpdump-lo.pcap"
    both = sniff(offline=[str(path), str(data / "nsec.pcap")], filter="icmp", raw=True)
    assert len(both) == 18
    records = rdpcap(path, raw=True)
    assert len(sniff(offline=records, filter="udp", raw=True)) == 4
    firsts = sniff(offline=str(path), count=3, raw=True, lfilter=lambda r: len(r) > 90)
    assert [len(r) for r in firsts] == [98, 98, 98]
    seen: list[int] = []
    sniff(offline=str(path), prn=lambda r: seen.append(len(r)), store=False, raw=True)
    assert len(seen) == 14


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("tcp port", "syntax error"),
        ("host nosuchhost.invalid", "nosuchhost"),
        ("ether[", "can.t parse"),
    ],
)
def test_bad_filters(expr: str, message: str) -> None:
    with pytest.raises(FilterError, match=message) as info:
        compile_filter(expr)
    assert isinstance(info.value, PaquetError) and "\n" not in str(info.value)


def test_filter_for_each_link_type_matches_its_frames(data: Path) -> None:
    """One expression, compiled per link type, keeps the same packets in each capture."""
    counts = []
    for name in ("tcpdump-lo.pcap", "tcpdump-any-sll.pcap", "tcpdump-any-sll2.pcap"):
        with open_capture(data / name, raw=True) as reader:
            prog = compile_filter("udp and dst port 9999", reader.linktype, savefile=True)
            counts.append(sum(prog.matches(bytes(r), r.wirelen) for r in reader))
    # 3 datagrams, and the 3 ICMP errors quoting them do not match "udp" at the top level.
    assert counts == [3, 3, 3]


@pytest.mark.parametrize("name", FILES)
def test_savefile_filter_keeps_what_tcpdump_keeps(data: Path, name: str) -> None:
    path = data / name
    for expr in [e for e in EXPRESSIONS if e]:
        bpf = SavefileFilter(expr)
        with open_capture(path, raw=True) as reader:
            kept = sum(bpf.matches(rec, reader.byteorder) for rec in reader)
        theirs = tcpdump("-nn", "-tt", "-r", str(path), expr)
        assert kept == theirs.count("\n"), expr
