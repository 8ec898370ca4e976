"""paquet's columns against ``tshark -T fields`` on the same captures, for every default field
(the first occurrence of each field: ``-E occurrence=f``)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.frame.conftest import REAL

from paquet.frame import DEFAULT_FIELDS, read

pytestmark = pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")

#: tshark's name of a column whose paquet name is not a tshark field.
TSHARK_NAME = {"frame.time": "frame.time_epoch"}
#: ICMP errors quote the packet they answer: tshark's first TCP/UDP field is the quoted one,
#: paquet's columns are the outer packet's only.
QUOTED = ("tcp.", "udp.")


def tshark_rows(path: Path, fields: list[str]) -> list[list[str]]:
    cmd = [
        "tshark",
        "-n",
        "-r",
        str(path),
        "-T",
        "fields",
        "-E",
        "occurrence=f",
        "-E",
        "separator=|",
    ]
    cmd += [
        "-o",
        "ip.defragment:FALSE",
        "-o",
        "ipv6.defragment:FALSE",
        "-o",
        "tcp.desegment_tcp_streams:FALSE",
    ]
    for f in fields:
        cmd += ["-e", TSHARK_NAME.get(f, f)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    return [line.split("|") for line in out.splitlines()]


def as_tshark(value: Any, name: str) -> str:
    """paquet's value as tshark prints it."""
    if value is None:
        return ""
    if name == "frame.time":
        ns = int(value.value) if hasattr(value, "value") else None
        assert ns is not None
        return f"{ns // 10**9}.{ns % 10**9:09d}"
    if isinstance(value, bool):
        return "1" if value else "0"
    if name in ("eth.type", "ip.id", "tcp.flags"):
        return f"0x{value:04x}"
    if name == "ip.dsfield":
        return f"0x{value:02x}"
    return str(value)


def error_row(row: dict[str, str]) -> bool:
    icmp, icmp6 = row.get("icmp.type", ""), row.get("icmpv6.type", "")
    return icmp in ("3", "4", "5", "11", "12") or (icmp6 != "" and int(icmp6) < 128)


def compare(path: Path) -> int:
    fields = list(DEFAULT_FIELDS)
    ours = read(path, fields)
    theirs = tshark_rows(path, fields)
    assert ours.num_rows == len(theirs)
    cols = {
        f: ours.column(f).to_pandas().tolist() if f == "frame.time" else ours.column(f).to_pylist()
        for f in fields
    }
    if "frame.time" in cols:
        cols["frame.time"] = list(ours.column("frame.time").cast("int64").to_pylist())
    checked = 0
    for i, trow in enumerate(theirs):
        t = dict(zip(fields, trow, strict=True))
        for f in fields:
            if error_row(t) and f.startswith(QUOTED):
                continue
            v = cols[f][i]
            if f == "frame.time":
                got = "" if v is None else f"{v // 10**9}.{v % 10**9:09d}"
                assert Decimal(got) == Decimal(t[f]), (path.name, i + 1, f)
            else:
                assert as_tshark(v, f) == t[f], (path.name, i + 1, f, v, t[f])
            checked += 1
    return checked


def test_mixed_capture(mixed_pcap: Path) -> None:
    assert compare(mixed_pcap) > 0


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_captures(path: Path) -> None:
    assert compare(path) > 0


def test_time_epoch(mixed_pcap: Path) -> None:
    """``frame.time_epoch``: seconds as a float, as tshark's (to its microsecond)."""
    ours = read(mixed_pcap, ["frame.time_epoch"]).column(0).to_pylist()
    theirs = [float(r[0]) for r in tshark_rows(mixed_pcap, ["frame.time_epoch"])]
    assert ours == pytest.approx(theirs, abs=1e-6)
