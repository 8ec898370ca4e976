"""TFTP (layers/tftp.py): the same bytes as Scapy for a table of constructions, Scapy's
field values when dissecting, tshark's dissection field by field, and truncated or hostile
bytes given back unchanged."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

from paquet.layers import IP, UDP, Ether, Raw  # noqa: E402
from paquet.layers import tftp as tf  # noqa: E402
from paquet.packet import Packet  # noqa: E402
from paquet.pcap import wrpcap  # noqa: E402

Spec = list[tuple[str, dict[str, Any]]]


def _cls(lib: str, name: str) -> Any:
    if lib == "s":
        return getattr(scapy_all, name)
    return {"Ether": Ether, "IP": IP, "UDP": UDP, "Raw": Raw}.get(name) or getattr(tf, name)


def _opts(*pairs: tuple[str, str]) -> Any:
    return lambda lib: [_cls(lib, "TFTP_Option")(oname=n, value=v) for n, v in pairs]


def _stack(lib: str, spec: Spec) -> Any:
    pkt = None
    for name, fields in spec:
        fields = {k: (v(lib) if callable(v) else v) for k, v in fields.items()}
        layer = _cls(lib, name)(**fields)
        pkt = layer if pkt is None else pkt / layer
    return pkt


LINK: Spec = [("Ether", {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}),
              ("IP", {"src": "192.0.2.1", "dst": "192.0.2.2"})]

CONSTRUCTIONS: list[tuple[str, Spec]] = [
    ("opcode defaults", [("TFTP", {})]),
    ("read request", [("TFTP", {}), ("TFTP_RRQ", {"filename": "boot/pxelinux.0"})]),
    ("read request defaults", [("TFTP_RRQ", {})]),
    ("netascii write request", [("TFTP", {"op": 2}), ("TFTP_WRQ", {"filename": "x",
                                                                  "mode": "netascii"})]),
    ("request with options", [("TFTP", {}), ("TFTP_RRQ", {"filename": "f"}), ("TFTP_Options", {
        "options": _opts(("blksize", "1428"), ("tsize", "0"), ("timeout", "3"))})]),
    ("data", [("TFTP", {"op": 3}), ("TFTP_DATA", {"block": 65535}), ("Raw", {"load": b"x" * 512})]),
    ("ack", [("TFTP", {"op": 4}), ("TFTP_ACK", {"block": 7})]),
    ("error", [("TFTP", {"op": 5}), ("TFTP_ERROR", {"errorcode": 1,
                                                     "errormsg": "File not found"})]),
    ("error defaults", [("TFTP_ERROR", {})]),
    ("oack", [("TFTP", {"op": 6}), ("TFTP_OACK", {}), ("TFTP_Options", {
        "options": _opts(("blksize", "1428"))})]),
    ("an empty option", [("TFTP_Options", {"options": _opts(("", ""))})]),
    ("UDP binds port 69", [("UDP", {"sport": 4000}), ("TFTP", {}), ("TFTP_RRQ", {})]),
    ("a whole frame", [*LINK, ("UDP", {"sport": 4000}), ("TFTP", {}),
                       ("TFTP_WRQ", {"filename": "config"})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: Spec) -> None:
    assert bytes(_stack("p", spec)) == bytes(_stack("s", spec)), what


def _values(layer: Any) -> list[tuple[str, Any]]:
    out = []
    for f in layer.fields_desc:
        v = getattr(layer, f.name)
        if isinstance(v, list):
            v = [_values(x) for x in v]
        out.append((f.name, v))
    return out


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_equals_scapy(what: str, spec: Spec) -> None:
    data = bytes(_stack("s", spec))
    first = spec[0][0]
    ours, theirs = _cls("p", first)(data), _cls("s", first)(data)
    assert bytes(ours) == data
    assert [x.__name__ for x in ours.layers()] == [type(x).__name__ for x in _chain(theirs)]
    for mine, other in zip(_chain(ours), _chain(theirs), strict=True):
        assert _values(mine) == _values(other)
    assert ours.summary() == theirs.summary()


def _chain(pkt: Any) -> list[Any]:
    out = []
    while pkt is not None and type(pkt).__name__ != "NoPayload":
        out.append(pkt)
        pkt = pkt.payload
    return out


def _frames() -> list[Packet]:
    rng = random.Random(69)
    link = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(
        src="192.0.2.1", dst="192.0.2.2") / UDP(sport=4000)
    frames: list[Packet] = []
    for i in range(24):
        word = "".join(rng.choice("abcdefghij./_") for _ in range(rng.randint(1, 20)))
        kind = i % 6
        if kind in (0, 1):
            opts = [tf.TFTP_Option(oname=n, value=str(rng.randrange(1, 65464)))
                    for n in rng.sample(["blksize", "tsize", "timeout", "windowsize"],
                                        rng.randint(0, 3))]
            req = tf.TFTP_RRQ if kind == 0 else tf.TFTP_WRQ
            body: Packet = tf.TFTP(op=kind + 1) / req(
                filename=word, mode=rng.choice(["octet", "netascii"]))
            if opts:
                body = body / tf.TFTP_Options(options=opts)
        elif kind == 2:
            body = tf.TFTP(op=3) / tf.TFTP_DATA(block=rng.randrange(65536)) / Raw(
                b"d" * rng.randrange(1, 100))
        elif kind == 3:
            body = tf.TFTP(op=4) / tf.TFTP_ACK(block=rng.randrange(65536))
        elif kind == 4:
            body = tf.TFTP(op=5) / tf.TFTP_ERROR(errorcode=rng.randrange(9), errormsg=word)
        else:
            body = tf.TFTP(op=6) / tf.TFTP_OACK() / tf.TFTP_Options(options=[
                tf.TFTP_Option(oname="blksize", value=str(rng.randrange(8, 65464)))])
        frames.append(link / body)
    return frames


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_dissection_against_tshark(tmp_path: Path) -> None:
    frames = [Ether(bytes(f)) for f in _frames()]
    path = tmp_path / "tftp.pcap"
    wrpcap(str(path), frames)
    # (each frame alone: tshark follows a TFTP conversation and reads later frames by it)
    for i, pkt in enumerate(frames):
        out = subprocess.run(["tshark", "-n", "-r", str(path), "-Y", f"frame.number=={i + 1}",
                              "-T", "json", "--no-duplicate-keys", "-d", "udp.port==4000,tftp"],
                             capture_output=True, check=True, text=True).stdout
        t = json.loads(out)[0]["_source"]["layers"]["tftp"]
        op = pkt[tf.TFTP]
        assert int(t["tftp.opcode"]) == op.op
        body = op.payload
        if isinstance(body, (tf.TFTP_RRQ, tf.TFTP_WRQ)):
            key = "tftp.source_file" if isinstance(body, tf.TFTP_RRQ) else "tftp.destination_file"
            assert t[key] == body.filename.decode()
            assert t["tftp.type"] == body.mode.decode()
        elif isinstance(body, (tf.TFTP_DATA, tf.TFTP_ACK)):
            assert int(t["tftp.block"]) == body.block
        elif isinstance(body, tf.TFTP_ERROR):
            assert int(t["tftp.error.code"]) == body.errorcode
            assert t["tftp.error.message"] == body.errormsg.decode()
        if tf.TFTP_Options in pkt:
            theirs = [(v["tftp.option.name"], v["tftp.option.value"])
                      for k, v in t.items() if k.startswith("Option: ")]
            assert theirs == [(o.oname.decode(), o.value.decode())
                              for o in pkt[tf.TFTP_Options].options]


@pytest.mark.parametrize("first", [tf.TFTP, UDP, Ether])
def test_cuts_given_back(first: type[Packet]) -> None:
    for frame in _frames():
        layer = frame.getlayer(first) if first is not Ether else frame
        data = bytes(layer)
        for n in range(1, len(data) + 1):  # (no bytes at all: a default layer, as Scapy)
            pkt = first(data[:n])
            assert bytes(pkt) == data[:n]
            pkt.summary()


def test_random_bytes_given_back() -> None:
    rng = random.Random(70)
    classes = [tf.TFTP, tf.TFTP_RRQ, tf.TFTP_WRQ, tf.TFTP_DATA, tf.TFTP_ACK, tf.TFTP_ERROR,
               tf.TFTP_Options, tf.TFTP_Option]
    for _ in range(2000):
        cls = rng.choice(classes)
        data = bytes(rng.choice([0, 1, 2, 6, 0x41, rng.randrange(256)])
                     for _ in range(rng.randrange(1, 60)))
        pkt = cls(data)
        assert bytes(pkt) == data
        pkt.show(dump=True)


def test_answers_as_scapy() -> None:
    pairs = [("TFTP_DATA", {"block": 1}, "TFTP_RRQ", {}), ("TFTP_DATA", {"block": 2},
                                                            "TFTP_RRQ", {}),
             ("TFTP_ACK", {"block": 3}, "TFTP_DATA", {"block": 3}),
             ("TFTP_ACK", {"block": 0}, "TFTP_WRQ", {}), ("TFTP_ACK", {"block": 1},
                                                         "TFTP_WRQ", {}),
             ("TFTP_ERROR", {}, "TFTP_ACK", {}), ("TFTP_OACK", {}, "TFTP_RRQ", {}),
             ("TFTP_RRQ", {}, "TFTP_RRQ", {})]
    for a, akw, b, bkw in pairs:
        ours = _cls("p", a)(**akw).answers(_cls("p", b)(**bkw))
        theirs = _cls("s", a)(**akw).answers(_cls("s", b)(**bkw))
        assert bool(ours) == bool(theirs), (a, b)
