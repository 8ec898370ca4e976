"""Pipes on real interfaces, compared with Scapy: in a namespace made here (and deleted), a
veth pair; frames written by an ``InjectSink`` on one end are read by a ``SniffSource`` on the
other, and by ``sniff(opened_socket=...)``."""

from __future__ import annotations

from typing import Any

import pytest
from pqnet_helpers import both_libraries, fresh_namespace

import paquet

pytest.importorskip("scapy.all")
pytestmark = pytest.mark.privileged

PAYLOADS = [b"first", b"second", b"third"]


def _module(name: str) -> Any:
    if name == "paquet":
        return paquet
    import scapy.all

    return scapy.all


def _inject_and_sniff(name: str) -> list[Any]:
    m = _module(name)
    with paquet.VEthPair("vethp0", "vethp1"):
        listen = m.conf.L2listen(iface="vethp1")
        try:
            source, out = m.SniffSource(socket=listen), m.QueueSink()
            pick = m.TransformDrain(lambda p: bytes(p.payload))
            source > m.Drain() > pick > out  # noqa: B015  (connects the pipes)
            feed, inject = m.CLIFeeder(), m.InjectSink(iface="vethp0")
            feed > inject  # noqa: B015
            engine = m.PipeEngine(source, feed)
            engine.start()
            try:
                for data in PAYLOADS:
                    feed.send(m.Ether(dst="ff:ff:ff:ff:ff:ff", type=0xBEEF) / data)
                got = []
                while len(got) < len(PAYLOADS):
                    data = out.recv(timeout=10)
                    assert data is not None, f"only {got} arrived"
                    if data in PAYLOADS:
                        got.append(data)
            finally:
                engine.stop()
        finally:
            listen.close()
        again = m.conf.L2listen(iface="vethp1")
        try:
            sniffer = m.AsyncSniffer(opened_socket=again, count=2,
                                     lfilter=lambda p: m.Ether in p and p.type == 0xBEEF)
            sniffer.start()
            m.sendp(m.Ether(dst="ff:ff:ff:ff:ff:ff", type=0xBEEF) / b"sniffed", iface="vethp0",
                    count=2, verbose=0)
            sniffer.join(10)
            if sniffer.running:
                sniffer.stop()
            sniffed = [bytes(p.payload) for p in sniffer.results]
        finally:
            again.close()
    return [got, sniffed]


def test_inject_sink_to_sniff_source_like_scapy() -> None:
    with fresh_namespace("pqpipe") as ns:
        ours, theirs = both_libraries(ns, _inject_and_sniff)
    assert ours == theirs == [PAYLOADS, [b"sniffed", b"sniffed"]]
