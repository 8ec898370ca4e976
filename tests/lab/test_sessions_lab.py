"""TCPSession and Follow TCP Stream on a real transfer over the ``lossy`` lab's lossy link.

The client's capture holds its own retransmissions and the server's segments after a 20 % loss
(out of order, then retransmitted): the reassembled bytes of each direction must be exactly
what each side sent, and Follow TCP Stream must give what tshark gives.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from sessions_helpers import echo_transfer_captured

from paquet import TCP, Raw, TCPSession, follow_tcp_stream, rdpcap, sniff


def _retransmissions(pkts: Any) -> int:
    seen: set[tuple[int, int]] = set()
    count = 0
    for p in pkts:
        if TCP in p and Raw in p:
            key = (p[TCP].sport, p[TCP].seq)
            count += key in seen
            seen.add(key)
    return count


def test_tcpsession_over_a_lossy_link(lab_factory: Any, tmp_path: Path) -> None:
    lab = lab_factory("lossy")
    pcap = str(tmp_path / "lossy.pcap")
    remote = lab["remote"].addr()
    payload, live_sent, live_echoed = lab["client"].run_for(
        120, echo_transfer_captured, remote, 10000, 60000, pcap)
    assert (live_sent, live_echoed) == (payload, payload)  # sniff(session=TCPSession), live
    pkts = rdpcap(pcap)
    assert _retransmissions(pkts) > 0  # the loss did happen: the test means something
    out = sniff(offline=pcap, session=TCPSession)
    sent = b"".join(bytes(p[Raw].load) for p in out if Raw in p and p[TCP].dport == 10000)
    echoed = b"".join(bytes(p[Raw].load) for p in out if Raw in p and p[TCP].sport == 10000)
    assert sent == payload
    assert echoed == payload
    stream = follow_tcp_stream(pkts, 0)
    assert stream.data(0) == payload
    assert stream.data(1) == payload
    if shutil.which("tshark") is None:
        return
    raw = subprocess.run(["tshark", "-r", pcap, "-q", "-z", "follow,tcp,raw,0"],
                         capture_output=True, text=True, check=True).stdout
    lines = raw.splitlines()[6:-1]
    node0 = bytes.fromhex("".join(x for x in lines if not x.startswith("\t")))
    node1 = bytes.fromhex("".join(x.strip() for x in lines if x.startswith("\t")))
    assert (node0, node1) == (payload, payload)
