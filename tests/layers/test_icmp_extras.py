"""ICMP timestamps, address masks and extensions (RFC 4884, RFC 5837): the same bytes as
Scapy, Scapy's bytes dissected to Scapy's values, and tshark reading what paquet wrote."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

si = pytest.importorskip("scapy.layers.inet")
spk = pytest.importorskip("scapy.packet")
# paquet always has MPLS's ICMP extension object (class 1): Scapy has it with its contrib MPLS.
pytest.importorskip("scapy.contrib.mpls")

from paquet.layers import ICMP, IP, UDP, Ether, IPerror, Raw, UDPerror  # noqa: E402
from paquet.layers.icmp import ICMPTimeStampField  # noqa: E402
from paquet.layers.icmp_extensions import (  # noqa: E402
    ICMPExtension_Header,
    ICMPExtension_InterfaceInformation,
    ICMPExtension_Object,
)
from paquet.pcap import wrpcap  # noqa: E402

A, B, C = "192.0.2.1", "192.0.2.2", "198.51.100.1"


# ---------------------------------------------------------------- timestamps and masks

TIMES = ["07:28:28.07", "7:28:28.070", "0:0:0.0", "23:59:59.999", "12h30m15s5", "7H5", "9:",
         "3:04", "not a time", "25:00:00", "1:2:3.45678"]


@pytest.mark.parametrize("text", TIMES)
def test_timestamp_field_reads_text_as_scapy(text: str) -> None:
    ours, theirs = ICMPTimeStampField("t", None), si.ICMPTimeStampField("t", None)
    value = ours.any2i(None, text)
    assert value == theirs.any2i(None, text)
    assert ours.i2repr(None, value) == theirs.i2repr(None, value)


def test_timestamp_field_shows_none_and_numbers_as_scapy() -> None:
    ours, theirs = ICMPTimeStampField("t", None), si.ICMPTimeStampField("t", None)
    for v in (None, 0, 1, 999, 86_399_999, 123_456_789):
        assert ours.i2repr(None, v) == theirs.i2repr(None, v)


QUERIES: list[dict[str, Any]] = [
    {"type": 13, "id": 1, "seq": 2, "ts_ori": 1000, "ts_rx": 0, "ts_tx": 0},
    {"type": 14, "id": 0xBEEF, "seq": 9, "ts_ori": 26908070, "ts_rx": 26908071,
     "ts_tx": 26908072},
    {"type": 13, "ts_ori": "07:28:28.07", "ts_rx": "1h", "ts_tx": "23:59:59.999"},
    {"type": 14, "ts_ori": 0xFFFFFFFF, "ts_rx": 1, "ts_tx": 2},
    {"type": 17},
    {"type": 17, "id": 3, "seq": 4},
    {"type": 18, "id": 3, "seq": 4, "addr_mask": "255.255.255.0"},
    {"type": 18, "addr_mask": "255.255.255.252", "code": 0},
]


@pytest.mark.parametrize("fields", QUERIES)
def test_timestamp_and_mask_messages_as_scapy(fields: dict[str, Any]) -> None:
    ours = IP(src=A, dst=B) / ICMP(**fields)
    theirs = si.IP(src=A, dst=B) / si.ICMP(**fields)
    data = bytes(theirs)
    assert bytes(ours) == data
    back, sback = IP(data)[ICMP], si.IP(data)[si.ICMP]
    names = ["type", "code", "chksum", "id", "seq"]
    names += ["ts_ori", "ts_rx", "ts_tx"] if fields["type"] in (13, 14) else ["addr_mask"]
    for n in names:
        assert getattr(back, n) == getattr(sback, n), n
    assert bytes(IP(data)) == data


def test_timestamps_left_to_none_are_the_time_of_day() -> None:
    # Milliseconds since midnight UT (RFC 792), taken when the packet is built. (Not compared
    # with Scapy's: Scapy 2.8 gives the time it first computed one, minutes old in a long run.)
    import time

    for t in (13, 14):
        before = int(time.time() % 86_400 * 1000)
        data = bytes(ICMP(type=t))
        after = int(time.time() % 86_400 * 1000)
        for i in (8, 12, 16):
            ts = int.from_bytes(data[i : i + 4], "big")
            assert before <= ts <= after or (after < before and (ts >= before or ts <= after))


# ---------------------------------------------------------------- extensions


def _ext(lib: str, objs: list[tuple[str, dict[str, Any]]]) -> Any:
    classes: dict[str, Any] = {
        "p": {"Obj": ICMPExtension_Object, "Info": ICMPExtension_InterfaceInformation},
        "s": {"Obj": si.ICMPExtension_Object, "Info": si.ICMPExtension_InterfaceInformation},
    }[lib]
    ext = ICMPExtension_Header() if lib == "p" else si.ICMPExtension_Header()
    for name, fields in objs:
        if name == "raw":
            ext = ext / (Raw(**fields) if lib == "p" else spk.Raw(**fields))
        else:
            ext = ext / classes[name](**fields)
    return ext


# (ICMP fields, extension objects, quote payload)
EXTENSIONS: list[tuple[dict[str, Any], list[tuple[str, dict[str, Any]]], bytes]] = [
    ({"type": 11}, [("Info", {"has_ifindex": 1, "ifindex": 15})], b""),
    ({"type": 11, "code": 1}, [("Info", {"has_ifindex": 1, "has_ipaddr": 1, "afi": 1,
                                         "ip4": "192.0.2.77"})], b"x" * 12),
    ({"type": 3, "code": 3}, [("Info", {"has_ipaddr": 1, "afi": 2,
                                        "ip6": "2001:db8::1"})], b""),
    ({"type": 3}, [("Info", {"has_ifname": 1, "ifname": b"eth0", "has_mtu": 1,
                             "mtu": 1500})], b"abc"),
    ({"type": 12, "ptr": 4}, [("Info", {"has_ifindex": 1, "has_ipaddr": 1,
                                        "has_ifname": 1, "ip4": "10.10.10.10",
                                        "ifname": b"hey"})], b"\0" * 12),
    ({"type": 11}, [("Info", {"classtype": 3, "has_mtu": 1, "mtu": 9000})], b""),
    ({"type": 11}, [("Obj", {"classnum": 1, "classtype": 1}),
                    ("raw", {"load": b"\x00\x01\x01\x40"})], b""),
    ({"type": 11}, [("Obj", {"classnum": 4, "classtype": 1, "len": 8}),
                    ("raw", {"load": b"abcd"})], b""),
    ({"type": 3, "length": 32}, [("Info", {"has_ifindex": 1, "ifindex": 7})], b"y" * 100),
]
EXT_IDS = [f"type{i[0]['type']}-{n}" for n, i in enumerate(EXTENSIONS)]


def _error(lib: str, icmp: dict[str, Any], objs: list[tuple[str, dict[str, Any]]],
           tail: bytes) -> Any:
    if lib == "p":
        return IP(src=B, dst=A) / ICMP(**icmp, ext=_ext("p", objs)) / IPerror(
            src=A, dst=C, ttl=1) / UDPerror(sport=40000, dport=33434) / tail
    return si.IP(src=B, dst=A) / si.ICMP(**icmp, ext=_ext("s", objs)) / si.IPerror(
        src=A, dst=C, ttl=1) / si.UDPerror(sport=40000, dport=33434) / tail


@pytest.mark.parametrize(("icmp", "objs", "tail"), EXTENSIONS, ids=EXT_IDS)
def test_extension_bytes_equal_scapy(icmp: dict[str, Any],
                                     objs: list[tuple[str, dict[str, Any]]],
                                     tail: bytes) -> None:
    assert bytes(_error("p", icmp, objs, tail)) == bytes(_error("s", icmp, objs, tail))


def test_extension_parts_alone_equal_scapy() -> None:
    assert bytes(ICMPExtension_Header()) == bytes(si.ICMPExtension_Header())
    assert bytes(ICMPExtension_Object()) == bytes(si.ICMPExtension_Object())
    assert bytes(ICMPExtension_InterfaceInformation()) == \
        bytes(si.ICMPExtension_InterfaceInformation())
    assert bytes(ICMPExtension_Header(version=1, reserved=5, chksum=7)) == \
        bytes(si.ICMPExtension_Header(version=1, reserved=5, chksum=7))


INFO_FIELDS = ["len", "classnum", "classtype", "has_ifindex", "has_ipaddr", "has_ifname",
               "has_mtu", "ifindex", "afi", "ip4", "ip6", "ifname_len", "ifname", "mtu"]


def _names(layer: Any) -> list[str]:
    out = []
    while layer:
        out.append(type(layer).__name__)
        layer = layer.payload
    return out


@pytest.mark.parametrize(("icmp", "objs", "tail"), EXTENSIONS, ids=EXT_IDS)
def test_scapy_bytes_dissect_to_scapy_values(icmp: dict[str, Any],
                                             objs: list[tuple[str, dict[str, Any]]],
                                             tail: bytes) -> None:
    data = bytes(_error("s", icmp, objs, tail))
    ours, theirs = IP(data), si.IP(data)
    assert bytes(ours) == data
    oi, ti = ours[ICMP], theirs[si.ICMP]
    assert oi.extpad == ti.extpad
    assert type(oi.ext).__name__ == type(ti.ext).__name__ == "ICMPExtension_Header"
    assert (oi.ext.version, oi.ext.chksum) == (ti.ext.version, ti.ext.chksum)
    obj, sobj = oi.ext.payload, ti.ext.payload
    assert type(obj).__name__ == type(sobj).__name__
    for n in INFO_FIELDS:
        if n in sobj.fields:
            assert getattr(obj, n) == getattr(sobj, n), n
    assert bytes(obj) == bytes(sobj)
    assert _names(ours[IPerror]) == _names(theirs[si.IPerror])
    assert ours[UDPerror].dport == 33434
    assert ours.summary() == theirs.summary()  # with Scapy's " ext:<class>"
    # Rebuilt from its fields (checksums recomputed), the same bytes.
    ours[ICMP].chksum = None
    ours[ICMP].ext.chksum = None
    ours.chksum = None
    assert bytes(ours) == data


def test_short_errors_have_no_extension() -> None:
    data = bytes(si.IP(src=B, dst=A) / si.ICMP(type=11) / si.IPerror(src=A, dst=C)
                 / si.UDPerror() / (b"z" * 80))
    assert si.IP(data)[si.ICMP].ext is None
    assert IP(data)[ICMP].ext is None and bytes(IP(data)) == data


def test_rfc5837_capture() -> None:
    # Wireshark issue 6632's frame (an RFC 5837 interface information object), built here
    # with Scapy from its values.
    name = b"This-is-the-name-of-the-Interface-that-we-are-looking-for-[:-)]"
    frame = si.IP(src="10.4.0.2", dst="12.4.4.4", ttl=254, flags="DF", id=0xE720) / si.ICMP(
        type=11, ext=si.ICMPExtension_Header() / si.ICMPExtension_InterfaceInformation(
            classtype=3, has_ifindex=1, has_ipaddr=1, has_ifname=1, ifindex=15, afi=1,
            ip4="10.10.10.10", ifname=name)) / si.IPerror(
        src="12.4.4.4", dst="12.1.1.1", ttl=1, id=0xA551) / si.UDPerror(
        sport=42315, dport=33440)
    data = bytes(frame)
    pkt = IP(data)
    ext = pkt[ICMP].ext
    assert ICMPExtension_InterfaceInformation in ext
    assert (ext.ifindex, ext.ip4, ext.ifname) == (15, "10.10.10.10", name)
    assert bytes(pkt) == data


# ---------------------------------------------------------------- tshark


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
def test_tshark_reads_what_paquet_wrote(tmp_path: Path) -> None:
    eth = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    info = ICMPExtension_InterfaceInformation(has_ifindex=1, ifindex=15, has_ipaddr=1, afi=1,
                                              ip4="192.0.2.77", has_mtu=1, mtu=1500)
    frames = [
        eth / IP(src=B, dst=A) / ICMP(type=11, ext=ICMPExtension_Header() / info)
        / IPerror(src=A, dst=C) / UDPerror(sport=1, dport=33434),
        eth / IP(src=A, dst=B) / ICMP(type=13, id=5, seq=6, ts_ori="1:2:3.4", ts_rx=2000,
                                      ts_tx=3000),
        eth / IP(src=A, dst=B) / ICMP(type=18, id=5, seq=6, addr_mask="255.255.255.0"),
        eth / IP(src=A, dst=B) / UDP(sport=1, dport=2),
    ]
    path = tmp_path / "icmp.pcap"
    wrpcap(str(path), frames)
    out = subprocess.run(["tshark", "-r", str(path), "-T", "json"], capture_output=True,
                         check=True, text=True).stdout
    layers = [f["_source"]["layers"] for f in json.loads(out)]
    ext = layers[0]["icmp"]["icmp.ext"]
    assert ext["icmp.ext.version"] == "2"
    assert ext["icmp.ext.checksum.status"] == "1"  # good
    assert int(ext["icmp.ext.checksum"], 16) == frames[0][ICMPExtension_Header].__class__(
        bytes(frames[0][ICMPExtension_Header])).chksum
    obj = ext["Interface Information Object"]
    assert int(obj["icmp.ext.length"]) == len(bytes(info))
    assert int(obj["icmp.int_info.index"]) == 15
    assert obj["IP Address Sub-Object"]["icmp.int_info.ipv4"] == "192.0.2.77"
    assert int(obj["icmp.int_info.mtu"]) == 1500
    assert layers[0]["icmp"]["icmp.checksum.status"] == "1"
    ts = layers[1]["icmp"]
    assert [int(ts[f"icmp.{k}_timestamp"]) for k in ("originate", "receive", "transmit")] \
        == [frames[1][ICMP].ts_ori, 2000, 3000]
    assert layers[2]["icmp"]["icmp.address_mask"] == "255.255.255.0"
