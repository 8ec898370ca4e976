"""Pipes (Scapy's pipetool and scapypipes): the same pipelines built with paquet and with Scapy
give the same messages, the same connections and the same files."""

# ruff: noqa: B015  (``a > b`` connects pipes: the comparisons are the point)

from __future__ import annotations

import operator
import types
from pathlib import Path
from typing import Any

import pytest

import paquet

scapy = pytest.importorskip("scapy.all")


def _both() -> list[types.ModuleType]:
    return [paquet, scapy]


def _drain(sink: Any, n: int) -> list[Any]:
    return [sink.q.get(timeout=10) for _ in range(n)]


def _run_feeder(m: Any, high: bool, build: Any, msgs: list[Any], n: int) -> list[Any]:
    """Feed ``msgs`` through the pipeline ``build(m, feeder)`` returns the sink of, in an
    engine, and read ``n`` messages from it."""
    feed = m.CLIHighFeeder() if high else m.CLIFeeder()
    sink = build(m, feed)
    engine = m.PipeEngine(feed)
    engine.start()
    try:
        for msg in msgs:
            feed.send(msg)
        return _drain(sink, n)
    finally:
        engine.stop()


def _valve(m: Any, feed: Any) -> Any:
    gate, valve, out = m.TriggerDrain(lambda x: x == "t"), m.TriggeredValve(), m.QueueSink()
    feed > gate > valve > out
    gate ^ valve
    return out


def _valve_high(m: Any, feed: Any) -> Any:
    gate, valve, out = m.TriggerDrain(lambda x: x == "t"), m.TriggeredValve(), m.QueueSink()
    feed >> gate
    gate >> valve
    valve >> out
    gate ^ valve
    return out


def _switch(m: Any, feed: Any) -> Any:
    gate, switch, out = m.TriggerDrain(lambda x: x == "t"), m.TriggeredSwitch(), m.QueueSink()
    feed > gate > switch
    switch >> out
    gate ^ switch
    return out


def _transform(m: Any, feed: Any) -> Any:
    up, out = m.TransformDrain(lambda x: x * 2), m.QueueSink()
    feed > m.Drain() > up > out
    return out


def _updown(m: Any, feed: Any) -> Any:
    up, down, out = m.UpDrain(), m.DownDrain(), m.QueueSink()
    feed > up
    up >> down
    down > out
    return out


PIPELINES = {
    "valve": (False, _valve, ["a", "t", "b", "t", "c"], 3),
    "valve-high": (True, _valve_high, ["a", "t", "b", "t", "c"], 3),
    "switch": (False, _switch, ["a", "t", "b", "t", "c"], 2),
    "transform": (False, _transform, ["ab", "c"], 2),
    "up-down": (False, _updown, ["x", "y"], 2),
}


@pytest.mark.parametrize("case", sorted(PIPELINES))
def test_engine_pipelines_match_scapy(case: str) -> None:
    high, build, msgs, n = PIPELINES[case]
    ours = _run_feeder(paquet, high, build, msgs, n)
    theirs = _run_feeder(scapy, high, build, msgs, n)
    assert ours == theirs


def test_queueing_valve_releases_what_it_held_like_scapy() -> None:
    def run(m: Any) -> tuple[list[Any], int]:
        gate, valve, out = m.TriggerDrain(lambda x: x == "t"), m.TriggeredQueueingValve(), \
            m.QueueSink()
        gate > valve > out
        gate ^ valve
        for msg in ("a", "t", "b", "c", "t", "d"):
            gate.push(msg)
        return [out.recv(block=False) for _ in range(6)], valve.q.qsize()

    assert run(paquet) == run(scapy)


def test_triggered_message_like_scapy() -> None:
    def run(m: Any) -> list[Any]:
        gate, msg, out = m.TriggerDrain(lambda x: x == "t"), m.TriggeredMessage("hi"), \
            m.QueueSink()
        gate > msg > out
        gate ^ msg
        gate.push("t")
        gate.push("u")
        return [out.recv(block=False) for _ in range(4)]

    assert run(paquet) == run(scapy)


def test_operators_connect_like_scapy() -> None:
    def shape(m: Any) -> list[tuple[int, ...]]:
        out = []
        for op in (operator.gt, operator.rshift, operator.lt, operator.lshift, operator.mod,
                   operator.floordiv, operator.xor):
            a, b = m.Sink(), m.Sink()
            op(a, b)
            out.append(tuple(len(getattr(p, k)) for p in (a, b) for k in (
                "sources", "sinks", "high_sources", "high_sinks", "trigger_sources",
                "trigger_sinks")))
        return out

    assert shape(paquet) == shape(scapy)


def test_repr_names_the_connections_like_scapy() -> None:
    from scapy.themes import NoTheme

    old = scapy.conf.color_theme
    scapy.conf.color_theme = NoTheme()
    try:
        def reprs(m: Any) -> list[str]:
            a, b, c = m.Drain(name="a"), m.Drain(name="b"), m.Sink(name="c")
            a > b
            b >> c
            a ^ c
            return [repr(p) for p in (a, b, c)]

        assert reprs(paquet) == reprs(scapy)
    finally:
        scapy.conf.color_theme = old


def test_udp_drain_like_scapy() -> None:
    def run(m: Any) -> list[bytes]:
        drain, out = m.UDPDrain(port=5353), m.QueueSink()
        drain > out
        drain >> out
        drain.push(m.IP(src="192.0.2.1") / m.UDP(sport=9, dport=53) / b"payload")
        drain.high_push(b"up")
        return [bytes(out.recv(block=False)) for _ in range(2)]

    assert run(paquet) == run(scapy)


def test_pcap_file_through_an_engine_like_scapy(tmp_path: Path) -> None:
    packets = [scapy.Ether(dst="02:00:00:00:00:01") / scapy.IP(dst="192.0.2.9") / scapy.ICMP(),
               scapy.Ether() / scapy.IPv6(dst="2001:db8::1") / scapy.UDP()]
    src = tmp_path / "in.pcap"
    scapy.wrpcap(str(src), packets)

    def copy(m: Any, name: str) -> Path:
        dst = tmp_path / name
        source, sink = m.RdpcapSource(str(src)), m.WrpcapSink(str(dst), gz=1)
        source > m.Drain() > sink
        engine = m.PipeEngine(source)
        engine.start()
        engine.wait_and_stop()
        return dst

    ours = [bytes(p) for p in scapy.rdpcap(str(copy(paquet, "ours.pcap.gz")))]
    theirs = [bytes(p) for p in scapy.rdpcap(str(copy(scapy, "theirs.pcap.gz")))]
    assert ours == theirs == [bytes(p) for p in packets]


def test_exhausted_sources_end_wait_and_stop() -> None:
    for m in _both():
        src = m.PeriodicSource([], 1)
        engine = m.PipeEngine(src)
        engine.start()
        engine.wait_and_stop()
        assert src.exhausted()


def test_sniff_source_reads_its_socket() -> None:
    class Fake:
        def __init__(self, m: Any) -> None:
            self.pipe, self.m = m.ObjectPipe("fake"), m
            for data in (b"one", b"two"):
                self.pipe.send(data)

        def fileno(self) -> int:
            return int(self.pipe.fileno())

        def recv(self, n: Any = None) -> Any:
            return self.m.Raw(self.pipe.recv())

        def close(self) -> None:
            self.pipe.close()

    def run(m: Any) -> list[bytes]:
        src, out = m.SniffSource(socket=Fake(m)), m.QueueSink()
        src > out
        engine = m.PipeEngine(src)
        engine.start()
        try:
            return [bytes(p) for p in _drain(out, 2)]
        finally:
            engine.stop()

    assert run(paquet) == run(scapy)
    for m in _both():
        with pytest.raises(ValueError):
            m.SniffSource(iface="lo", socket=object())


def test_every_scapy_pipe_is_known_to_the_engine() -> None:
    import scapy.pipetool
    import scapy.scapypipes  # registers its pipes

    everyday = {name for name, kind in scapy.pipetool.PipeEngine.pipes.items()
                if kind.__module__ in ("scapy.pipetool", "scapy.scapypipes")}
    assert everyday <= set(paquet.PipeEngine.pipes)
    engine = paquet.PipeEngine()
    queue_sink = engine.spawn_QueueSink()
    assert isinstance(queue_sink, paquet.QueueSink) and queue_sink in engine.active_pipes
