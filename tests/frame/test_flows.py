"""Flows against tshark's conversations (``-z conv,tcp -z conv,udp``): packets and bytes each
way; the handshake, flags and retransmissions of a built conversation; flows resumed across
files; partial flows merged as one pass gives them."""

from __future__ import annotations

import collections
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.frame.captures import conversation
from tests.frame.conftest import DATA

from paquet.frame import FlowTable, batches, flows
from paquet.frame.flowtable import PACKET_FIELDS, merge_partials
from paquet.pcap import rdpcap, wrpcap

FIRST = 1_700_000_000.0


def tshark_conversations(
    path: Path,
) -> dict[tuple[int, str, int, str, int], tuple[int, int, int, int]]:
    """tshark's TCP and UDP conversations: (proto, A, A port, B, B port) -> (frames A to B,
    bytes A to B, frames B to A, bytes B to A). The frames are the statistics' (``-z conv``);
    the bytes, which it prints rounded (``72 kB``), are summed from tshark's own dissection of
    each frame (``-T fields``)."""
    out = subprocess.run(
        [
            "tshark",
            "-n",
            "-q",
            "-r",
            str(path),
            "-o",
            "ip.defragment:FALSE",
            "-o",
            "ipv6.defragment:FALSE",
            "-z",
            "conv,tcp",
            "-z",
            "conv,udp",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    fields = subprocess.run(
        [
            "tshark",
            "-n",
            "-r",
            str(path),
            "-o",
            "ip.defragment:FALSE",
            "-o",
            "ipv6.defragment:FALSE",
            "-T",
            "fields",
            "-E",
            "occurrence=f",
            "-e",
            "ip.src",
            "-e",
            "ip.dst",
            "-e",
            "ipv6.src",
            "-e",
            "ipv6.dst",
            "-e",
            "tcp.srcport",
            "-e",
            "tcp.dstport",
            "-e",
            "udp.srcport",
            "-e",
            "udp.dstport",
            "-e",
            "frame.len",
            "-e",
            "icmp.type",
            "-e",
            "icmpv6.type",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    sent: collections.Counter[tuple[int, str, int, str, int]] = collections.Counter()
    for line in fields.splitlines():
        src4, dst4, src6, dst6, tsp, tdp, usp, udp, size, icmp, icmp6 = line.split("\t")
        if icmp or icmp6:
            continue  # ICMP errors quote a packet: not the conversation's
        src, dst = src4 or src6, dst4 or dst6
        if tsp:
            sent[(6, src, int(tsp), dst, int(tdp))] += int(size)
        elif usp:
            sent[(17, src, int(usp), dst, int(udp))] += int(size)
    convs = {}
    proto = 0
    for line in out.splitlines():
        if line.startswith("TCP Conversations"):
            proto = 6
        elif line.startswith("UDP Conversations"):
            proto = 17
        elif "<->" in line:
            a, rest = line.split("<->")
            words = rest.split()
            b = words[0]
            ah, ap = a.strip().rsplit(":", 1)
            bh, bp = b.rsplit(":", 1)
            back_f, fwd_f = int(words[1]), int(words[4])
            key = (proto, ah, int(ap), bh, int(bp))
            back = (proto, bh, int(bp), ah, int(ap))
            convs[key] = (fwd_f, sent[key], back_f, sent[back])
    return convs


def ours(path: Path) -> dict[tuple[int, str, int, str, int], tuple[int, int, int, int]]:
    rows = flows(path).to_pylist()
    return {
        (r["proto"], r["id.orig_h"], r["id.orig_p"], r["id.resp_h"], r["id.resp_p"]): (
            r["orig_pkts"],
            r["orig_bytes"],
            r["resp_pkts"],
            r["resp_bytes"],
        )
        for r in rows
        if r["proto"] in (6, 17)
    }


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
@pytest.mark.parametrize("name", ["mixed", "tcpdump-lo.pcap", "tcpdump-any-sll2.pcap"])
def test_against_tshark_conversations(name: str, mixed_pcap: Path) -> None:
    path = mixed_pcap if name == "mixed" else DATA / name
    theirs = tshark_conversations(path)
    mine = ours(path)
    assert theirs
    for key, counts in theirs.items():
        assert mine.get(key) == counts, key


def test_conversation_details(tmp_path: Path) -> None:
    path = tmp_path / "c.pcap"
    wrpcap(str(path), conversation(FIRST, "192.0.2.1", "192.0.2.2", 40000))
    (row,) = flows(path).to_pylist()
    assert row["rtt"] == pytest.approx(0.0014, abs=1e-6)
    assert row["orig_flags"] == 0x1B and row["resp_flags"] == 0x1B  # FIN SYN PSH ACK
    assert (row["orig_retrans"], row["resp_retrans"]) == (1, 0)
    assert row["last_ts"].timestamp() - row["ts"].timestamp() == pytest.approx(0.007, abs=1e-6)


def test_resumed_across_files(tmp_path: Path) -> None:
    pkts = conversation(FIRST, "192.0.2.1", "192.0.2.2", 40000)
    one, two = tmp_path / "1.pcap", tmp_path / "2.pcap"
    wrpcap(str(one), pkts[:3])
    wrpcap(str(two), pkts[3:])
    whole = tmp_path / "w.pcap"
    wrpcap(str(whole), pkts)
    assert flows([one, two]).equals(flows(whole))
    state = FlowTable()
    flows(one, state=state)
    assert flows(two, state=state).equals(flows(whole))


def test_partials_merge_to_one_pass() -> None:
    import pyarrow as pa

    path = DATA / "tcpdump-lo.pcap"
    parts = []
    for b in batches(path, PACKET_FIELDS, batch_size=3):
        t = FlowTable()
        t.update(b)
        parts.append(t.partials())
    merged = merge_partials(pa.concat_tables(parts[::-1]))
    assert merged.equals(flows(path))
    assert sum(merged.column("orig_pkts").to_pylist()) + sum(
        merged.column("resp_pkts").to_pylist()
    ) == len([p for p in rdpcap(str(path)) if p.haslayer("IP") or p.haslayer("IPv6")])
