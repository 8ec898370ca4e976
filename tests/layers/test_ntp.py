"""NTP: the same bytes as Scapy, the same dissection as Scapy and tshark, odd input kept.

Each construction is one expression written once and evaluated with paquet's names and with
Scapy's (``m`` is ``paquet`` or ``scapy.all``). Timestamps are given (a None timestamp is the
time of the build, different in each library).
"""

from __future__ import annotations

import datetime
import json
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import paquet as P
from paquet.layers import IP, UDP, Ether, Raw
from paquet.layers.ntp import NTP, NTPControl, NTPHeader
from paquet.layers.ntp_private import NTPPrivate
from paquet.pcap import wrpcap

S = pytest.importorskip("scapy.all")

T0 = 3900000000.5  # 2023-08-02 21:20:00.5 UTC
EXT = (bytes.fromhex("0104001c") + bytes(24)  # an extension field of 28 bytes
       + (1).to_bytes(4, "big") + bytes(range(16)))  # then key id 1 and an MD5 digest

CONSTRUCTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("client request", lambda m: m.NTPHeader(orig=0, sent=T0)),
    ("defaults but the times", lambda m: m.NTP(orig=0, sent=0)),
    ("server reply", lambda m: m.NTPHeader(
        mode=4, stratum=3, poll=6, precision=-20, delay=0.5, dispersion=1.25,
        id="192.0.2.7", ref=T0 - 1000.25, orig=T0, recv=T0 + 0.25, sent=T0 + 0.75)),
    ("stratum 1, GPS", lambda m: m.NTPHeader(mode=4, stratum=1, ref_id=b"GPS ", orig=0, sent=0)),
    ("kiss of death", lambda m: m.NTPHeader(leap=3, mode=4, stratum=0, ref_id=b"RATE", orig=T0,
                                            sent=0)),
    ("NTPv3 symmetric active", lambda m: m.NTPHeader(version=3, mode=1, poll=-3, orig=1,
                                                     sent=2)),
    ("broadcast", lambda m: m.NTPHeader(mode=5, sent=T0, orig=0)),
    ("NTPv1 (RFC 1059)", lambda m: m.NTPHeader(version=1, mode=0, orig=T0, sent=T0)),
    ("NTPv2 symmetric passive", lambda m: m.NTPHeader(version=2, mode=2, stratum=15, orig=0,
                                                      sent=T0, recv=T0)),
    ("with a MAC", lambda m: m.NTPHeader(orig=0, sent=0) / m.NTPAuthenticator(
        key_id=7, dgst=b"\x11" * 16)),
    ("extensions and a MAC", lambda m: m.NTPHeader(orig=0, sent=0) / m.Raw(EXT)),
    ("control: READSTAT request", lambda m: m.NTPControl(op_code=1, sequence=12)),
    ("control: READVAR request with data", lambda m: m.NTPControl(
        op_code=2, sequence=5, association_id=9, data=b"srcadr,stratum")),
    ("control: READSTAT response", lambda m: m.NTPControl(
        response=1, op_code=1, sequence=12, data=[
            m.NTPPeerStatusDataPacket(association_id=58876,
                                      peer_status=m.NTPPeerStatusPacket(configured=1,
                                                                        peer_sel=6)),
            m.NTPPeerStatusDataPacket(association_id=58877)])),
    ("control: READVAR response", lambda m: m.NTPControl(
        response=1, more=1, op_code=2, association_id=3,
        status=m.NTPPeerStatusPacket(configured=1, reachability=1, peer_event_code=4),
        data=b"stratum=2, precision=-24\r\n")),
    ("control: error response", lambda m: m.NTPControl(
        response=1, err=1, op_code=3, status=m.NTPErrorStatusPacket(error_code=5))),
    ("control: authenticated", lambda m: m.NTPControl(op_code=8, data=b"controlkey 1") /
        m.Raw(b"\x00\x00\x00\x01" + bytes(range(16)))),
    ("private: REQ_SYS_INFO request", lambda m: m.NTPPrivate(request_code=4, implementation=3)),
    ("private: REQ_PEER_INFO request", lambda m: m.NTPPrivate(
        request_code=2, implementation=3, nb_items=1, data_item_size=32,
        req_data=[m.NTPInfoPeerList(addr="192.0.2.8", port=123, hmode=3)])),
    ("private: REQ_SYS_INFO response", lambda m: m.NTPPrivate(
        response=1, request_code=4, implementation=3, nb_items=1, data_item_size=80,
        data=[m.NTPInfoSys(peer="192.0.2.9", peer_mode=3, stratum=11, precision=-16,
                           refid="192.0.2.9", poll=6)])),
    ("private: REQ_IO_STATS response", lambda m: m.NTPPrivate(
        response=1, request_code=6, implementation=3, nb_items=1, data_item_size=40,
        data=[m.NTPInfoIOStats(timereset=772, sent=217, received=74)])),
    ("private: authenticated REQ_CONFIG", lambda m: m.NTPPrivate(
        auth=1, request_code=10, implementation=3, nb_items=1, data_item_size=168,
        req_data=[m.NTPConfPeer(peeraddr="192.0.2.10", hmode=1, version=3, minpoll=6,
                                maxpoll=10)],
        authenticator=m.NTPPrivatePktTail(tstamp=T0, key_id=1, dgst=b"\x22" * 16))),
]


@pytest.mark.parametrize(("what", "make"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_as_scapy(what: str, make: Callable[[Any], Any]) -> None:
    assert bytes(make(P)) == bytes(make(S))


@pytest.mark.parametrize(("what", "make"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_as_scapy(what: str, make: Callable[[Any], Any]) -> None:
    """Scapy's bytes, dissected by NTP(): the same classes, repr and show(); built back."""
    data = bytes(make(S))
    ours, theirs = NTP(data), S.NTP(data)
    assert type(ours).__name__ == type(theirs).__name__
    assert repr(ours) == repr(theirs)
    assert ours.show(dump=True) == theirs.show(dump=True)
    assert ours.summary() == theirs.summary()
    assert bytes(ours) == data
    under = UDP(bytes(UDP(sport=40000, dport=123) / Raw(data)))
    assert type(under.payload).__name__ == type(theirs).__name__


@pytest.mark.parametrize(("what", "make"), CONSTRUCTIONS[:6], ids=[c[0] for c in CONSTRUCTIONS[:6]])
def test_construction_shown_as_scapy(what: str, make: Callable[[Any], Any]) -> None:
    assert repr(make(P)) == repr(make(S))
    assert make(P).show(dump=True) == make(S).show(dump=True)


def test_values_and_timestamps() -> None:
    p = NTP(bytes(CONSTRUCTIONS[2][1](S)))
    assert isinstance(p, NTPHeader)
    assert p.delay == 0.5 and p.dispersion == 1.25 and p.precision == -20
    assert p.orig == T0 and p.recv == T0 + 0.25 and p.id == "192.0.2.7"
    assert p.ref_id is None
    kod = NTP(bytes(CONSTRUCTIONS[4][1](S)))
    assert kod.ref_id == b"RATE" and kod.id is None and kod.leap == 3
    # None is the time of the build (Scapy's): now, in NTP's era
    now = NTPHeader(bytes(NTPHeader())).sent
    assert abs(float(now) - (datetime.datetime.now().timestamp() + 2208988800)) < 3600
    # a date given as text, as Scapy converts it
    assert bytes(NTPHeader(orig=0, sent="Wed Aug  2 21:20:00 2023")) == bytes(
        S.NTPHeader(orig=0, sent="Wed Aug  2 21:20:00 2023"))


def test_dispatch_and_bindings() -> None:
    assert type(NTP()) is NTPHeader and len(bytes(NTP())) == 48
    assert type(NTP(bytes(NTPControl()))) is NTPControl
    assert type(NTP(bytes(NTPPrivate()))) is NTPPrivate
    assert isinstance(NTP(b"\x23\x00\x00"), Raw)  # shorter than any NTP message: Raw (Scapy)
    for sport, dport in ((123, 123), (40000, 123), (123, 40000)):
        frame = bytes(UDP(sport=sport, dport=dport) / NTPHeader(orig=0, sent=0))
        assert isinstance(UDP(frame).payload, NTPHeader)
    assert UDP() / NTPHeader() == UDP(sport=123, dport=123) / NTPHeader()
    for size in (16, 20, 32, 48, 64):  # MD5, SHA-1, SHA-256, SHA-384, SHA-512 digests
        p = UDP(bytes(UDP() / NTPHeader(orig=0, sent=0) / P.NTPAuthenticator(
            key_id=3, dgst=bytes(size))))
        assert p[P.NTPAuthenticator].key_id == 3 and len(p[P.NTPAuthenticator].dgst) == size
    short = UDP(bytes(UDP() / NTPHeader(orig=0, sent=0) / P.NTPAuthenticator(key_id=3)))
    theirs = S.UDP(bytes(short))[S.NTPHeader].payload
    assert type(short[NTPHeader].payload).__name__ == type(theirs).__name__ == "Raw"
    assert NTPControl in NTPControl() and NTP in NTPHeader() and NTP in NTPPrivate()


# ------------------------------------------------------------------------------------ tshark

def _ts_text(raw: int) -> str:
    """An NTP timestamp as tshark shows it (``NULL`` for 0)."""
    if raw == 0:
        return "NULL"
    secs, frac = raw >> 32, raw & 0xFFFFFFFF
    if not secs & 0x80000000:  # (RFC 4330's rule: a small time is in era 1, from 2036)
        secs += 1 << 32
    dt = datetime.datetime(1900, 1, 1) + datetime.timedelta(seconds=secs)
    ns = (frac * 10 ** 9) >> 32
    return f"{dt:%b} {dt.day:2d}, {dt.year} {dt:%H:%M:%S}.{ns:09d} UTC"


def _expected(pkt: Any) -> dict[str, str]:
    d = pkt.__dict__
    if isinstance(pkt, NTPHeader):
        out = {"ntp.flags.li": str(pkt.leap), "ntp.flags.vn": str(pkt.version),
               "ntp.flags.mode": str(pkt.mode), "ntp.stratum": str(pkt.stratum),
               "ntp.ppoll": str(pkt.poll % 256), "ntp.precision": str(pkt.precision % 256),
               "ntp.rootdelay": str(d["delay"]), "ntp.rootdispersion": str(d["dispersion"]),
               "ntp.reftime": _ts_text(d["ref"]), "ntp.org": _ts_text(d["orig"]),
               "ntp.rec": _ts_text(d["recv"]), "ntp.xmt": _ts_text(d["sent"])}
        out["ntp.refid"] = bytes(pkt)[12:16].hex(":")
        return out
    if isinstance(pkt, NTPControl):
        return {"ntp.flags.vn": str(pkt.version), "ntp.flags.mode": "6",
                "ntp.ctrl.flags2.r": str(pkt.response), "ntp.ctrl.flags2.error": str(pkt.err),
                "ntp.ctrl.flags2.more": str(pkt.more), "ntp.ctrl.flags2.opcode": str(pkt.op_code),
                "ntp.ctrl.sequence": str(pkt.sequence), "ntp.ctrl.associd": str(
                    pkt.association_id), "ntp.ctrl.offset": str(pkt.offset),
                "ntp.ctrl.count": str(pkt.count)}
    assert isinstance(pkt, NTPPrivate)
    return {"ntp.flags.vn": str(pkt.version), "ntp.flags.mode": "7",
            "ntp.priv.flags.r": str(pkt.response), "ntp.priv.flags.more": str(pkt.more),
            "ntp.priv.auth": str(pkt.auth), "ntp.priv.seq": str(pkt.seq),
            "ntp.priv.impl": str(pkt.implementation), "ntp.priv.reqcode": str(pkt.request_code),
            "ntp.priv.numitems": str(pkt.nb_items), "ntp.priv.itemsize": str(
                pkt.data_item_size)}


def _flat(d: Any, out: dict[str, Any]) -> dict[str, Any]:
    for k, v in d.items():
        if isinstance(v, dict):
            _flat(v, out)
        else:
            out.setdefault(k, v)
    return out


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_dissection_as_tshark(tmp_path: Path) -> None:
    frames = [Ether(bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.2")
                          / UDP(sport=123, dport=123) / Raw(bytes(make(S)))))
              for _what, make in CONSTRUCTIONS]
    path = tmp_path / "ntp.pcap"
    wrpcap(str(path), frames)
    out = subprocess.run(["tshark", "-n", "-r", str(path), "-T", "json"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    for frame, ts in zip(frames, json.loads(out), strict=True):
        ours = frame[UDP].payload
        theirs = _flat(ts["_source"]["layers"]["ntp"], {})
        for key, value in _expected(ours).items():
            assert theirs[key] == value, (type(ours).__name__, key)
        auth = ours.getlayer(P.NTPAuthenticator) if isinstance(ours, NTPHeader) else None
        if auth is not None and "ntp.keyid" in theirs:
            assert theirs["ntp.keyid"] == auth.key_id.to_bytes(4, "big").hex(":")
            assert theirs["ntp.mac"] == auth.dgst.hex(":")


# ------------------------------------------------------------------------------ odd input

def test_cuts_and_mutations_kept() -> None:
    rng = random.Random(123)
    base = [bytes(make(S)) for _what, make in CONSTRUCTIONS]
    for data in base:
        for n in range(1, len(data) + 1):
            p = NTP(data[:n])
            assert bytes(p) == data[:n]
    for _ in range(3000):
        data = bytearray(rng.choice(base))
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data += bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
        p = NTP(bytes(data))
        assert bytes(p) == bytes(data)
        p.show(dump=True)
        p.summary()


def test_ls_as_scapy(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("NTPHeader", "NTPPrivate", "NTPInfoIOStats", "NTPConfPeer", "NTPInfoLoop",
                 "NTPPeerStatusPacket"):
        P.ls(getattr(P, name))
        ours = capsys.readouterr().out
        S.ls(getattr(S, name))
        assert ours == capsys.readouterr().out, name


def test_control_status_word_changed_in_place() -> None:
    """A response's status word left unset is the layer's own: changing it in place changes
    the bytes as in Scapy; the next message keeps the default (Scapy's class default is
    changed too: that is not copied)."""
    q, sq = NTPControl(response=1), S.NTPControl(response=1)
    q.status.clock_source = sq.status.clock_source = 6
    assert bytes(q) == bytes(sq) and repr(q) == repr(sq)
    assert bytes(NTPControl(response=1)) == bytes(NTPControl(
        response=1, status=P.NTPSystemStatusPacket()))
    assert NTPControl().status == S.NTPControl().status == 0


@pytest.mark.parametrize(("what", "make"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_json_ready(what: str, make: Callable[[Any], Any]) -> None:
    """to_dict() gives JSON for built and dissected messages (status words and
    authenticators as their fields)."""
    for p in (make(P), NTP(bytes(make(S)))):
        json.dumps(p.to_dict())
