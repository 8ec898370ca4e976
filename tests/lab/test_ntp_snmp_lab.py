"""Real servers in a lab of two namespaces: Debian's chronyd answers paquet's NTP request,
Debian's snmpd answers paquet's SNMP get and walk.

Oracles: tshark (the same fields from the same reply), ``chronyc tracking`` (what chronyd
says of itself), and net-snmp's ``snmpget`` / ``snmpwalk`` on the same agent. The lab and the
daemons are stopped however the test ends.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ntpsnmp_helpers import (
    paquet_ntp_sr1,
    paquet_snmpget,
    paquet_snmpwalk,
    paquet_snmpwalk_drawing_port_0,
    udp_ask,
)

from paquet.asn1 import ASN1_STRING
from paquet.lab import Lab
from paquet.layers import IP, UDP, Ether
from paquet.layers.ntp import NTP, NTPHeader
from paquet.layers.snmp import SNMP, SNMPbulk, SNMPget, SNMPnext, SNMPresponse, SNMPset, SNMPvarbind
from paquet.pcap import wrpcap

pytestmark = [
    pytest.mark.privileged,
    pytest.mark.skipif(not all(shutil.which(t) for t in ("chronyd", "chronyc", "snmpd",
                                                          "snmpwalk", "tshark")),
                       reason="needs chronyd, snmpd, net-snmp's tools and tshark"),
]

PAIR = """
name = "pair"
description = "a client and a server on one LAN"
[nodes.client]
[nodes.server]
[[links]]
name = "lan"
nodes = ["client", "server"]
subnet = "192.0.2.0/24"
address = { client = 10, server = 1 }
"""
SYSTEM = "1.3.6.1.2.1.1"


@pytest.fixture(scope="module")
def pair(lab_module_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> Lab:
    path = tmp_path_factory.mktemp("topo") / "pair.toml"
    path.write_text(textwrap.dedent(PAIR))
    return lab_module_factory(path)  # type: ignore[no-any-return]

#: The MACs of the frames given to tshark (built here, in the root namespace: none asked for).
MACS = ("02:00:00:00:00:02", "02:00:00:00:00:01")


def _stop(proc: subprocess.Popen[Any]) -> str:
    proc.terminate()
    try:
        return proc.communicate(timeout=10)[0] or ""
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[0] or ""


@pytest.fixture
def chronyd(pair: Lab, tmp_path: Path) -> Iterator[Path]:
    d = tmp_path / "chrony"
    d.mkdir()
    os.chmod(d, 0o700)  # (chronyd refuses a command socket in a directory others can enter)
    conf = d / "chrony.conf"
    conf.write_text(f"allow all\nlocal stratum 10\nport 123\ncmdport 0\n"
                    f"bindcmdaddress {d}/chronyd.sock\npidfile {d}/chronyd.pid\n"
                    f"driftfile {d}/drift\n")
    proc = pair["server"].popen(["chronyd", "-x", "-d", "-u", "root", "-f", str(conf)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield d
    finally:
        _stop(proc)


@pytest.fixture
def snmpd(pair: Lab, tmp_path: Path) -> Iterator[None]:
    d = tmp_path / "snmp"
    d.mkdir()
    conf = d / "snmpd.conf"
    conf.write_text(f"view systemonly included .{SYSTEM}\n"
                    "rocommunity public default -V systemonly\n"
                    "rwcommunity private default -V systemonly\n"
                    f"agentAddress udp:{pair['server'].addr()}:161\n"
                    "sysLocation lab room\nsysContact lab@example.org\n")
    proc = pair["server"].popen(
        ["snmpd", "-f", "-Lo", "-C", "-c", str(conf), "-p", str(d / "pid")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={"SNMP_PERSISTENT_DIR": str(d), "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    try:
        # ready when net-snmp's own snmpget gets an answer (it retries on its own)
        ready = pair["client"].exec(["snmpget", "-v2c", "-c", "public", "-r", "20", "-t", "1",
                                     "-On", pair["server"].addr(), f"{SYSTEM}.5.0"])
        assert ready.returncode == 0, ready.stderr
        yield None
    finally:
        _stop(proc)


def _tshark_layer(pkt: Any, tmp_path: Path, layer: str) -> dict[str, Any]:
    path = tmp_path / f"{layer}.pcap"
    wrpcap(str(path), [pkt])
    out = subprocess.run(["tshark", "-n", "-r", str(path), "-T", "json"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return json.loads(out)[0]["_source"]["layers"][layer]  # type: ignore[no-any-return]


def _flat(d: Any, out: dict[str, Any]) -> dict[str, Any]:
    for k, v in d.items():
        if isinstance(v, dict):
            _flat(v, out)
        else:
            out.setdefault(k, v)
    return out


def test_chronyd_answers_a_paquet_ntp_request(pair: Lab, chronyd: Path, tmp_path: Path) -> None:
    request = NTPHeader(orig=0, recv=0, sent=3900000000.5)
    reply = pair["client"].run(udp_ask, pair["server"].addr(), 123, bytes(request))
    assert reply, "chronyd did not answer"
    p = NTP(reply)
    assert isinstance(p, NTPHeader) and bytes(p) == reply
    assert p.mode == 4 and p.version == 4 and p.stratum == 10
    assert p.__dict__["orig"] == request.__dict__["sent"]  # our transmit time, echoed
    assert p.recv <= p.sent
    # what chronyd says of itself
    tracking = pair["server"].exec(["chronyc", "-h", f"{chronyd}/chronyd.sock", "-n",
                                    "tracking"], check=True).stdout
    said = dict(line.split(" : ", 1) for line in tracking.splitlines() if " : " in line)
    said = {k.strip(): v.strip() for k, v in said.items()}
    assert int(said["Stratum"]) == p.stratum
    assert said["Reference ID"].split()[0] == bytes(p)[12:16].hex().upper()
    assert said["Leap status"] == "Normal" and p.leap == 0
    # tshark, on the same reply
    frame = Ether(dst=MACS[0], src=MACS[1]) / IP(src=pair["server"].addr(),
                                                 dst=pair["client"].addr()) / UDP(
        sport=123, dport=40000) / p
    ts = _flat(_tshark_layer(Ether(bytes(frame)), tmp_path, "ntp"), {})
    d = p.__dict__
    assert ts["ntp.flags.li"] == str(p.leap) and ts["ntp.flags.vn"] == str(p.version)
    assert ts["ntp.flags.mode"] == str(p.mode) and ts["ntp.stratum"] == str(p.stratum)
    assert ts["ntp.ppoll"] == str(p.poll % 256) and ts["ntp.precision"] == str(p.precision % 256)
    assert ts["ntp.rootdelay"] == str(d["delay"]) and ts["ntp.rootdispersion"] == str(
        d["dispersion"])
    assert ts["ntp.refid"] == bytes(p)[12:16].hex(":")


def test_chronyd_answers_paquet_sr1(pair: Lab, chronyd: Path) -> None:
    """The course's way: ``sr1(IP()/UDP()/NTP())`` from the client, matched to its answer."""
    reply = pair["client"].run_for(60, paquet_ntp_sr1, pair["server"].addr())
    p = NTP(reply)
    assert isinstance(p, NTPHeader) and p.mode == 4 and p.stratum == 10
    assert p.recv <= p.sent and bytes(p) == reply


def _walk_with_paquet(pair: Lab, start: str) -> list[SNMPvarbind]:
    """A getnext walk of ``start``'s subtree, with paquet's packets over a UDP socket."""
    found: list[SNMPvarbind] = []
    oid = start
    for request_id in range(1, 200):
        req = SNMP(community="public", PDU=SNMPnext(id=request_id,
                                                    varbindlist=[SNMPvarbind(oid=oid)]))
        raw = pair["client"].run(udp_ask, pair["server"].addr(), 161, bytes(req))
        rep = SNMP(raw)
        assert bytes(rep) == raw and isinstance(rep.PDU, SNMPresponse)
        assert rep.answers(req) and rep.PDU.error == 0
        vb = rep.PDU.varbindlist[0]
        if vb.endOfMibView is not None or not vb.oid.val.startswith(start + "."):
            return found
        found.append(vb)
        oid = vb.oid.val
    raise AssertionError("the walk did not end")


def _tool_value(vb: SNMPvarbind) -> str:
    """A value as ``snmpwalk -On -Oq -Ot -Oe`` prints it."""
    v = vb.value
    from paquet.asn1 import ASN1_INTEGER, ASN1_OID, ASN1_STRING

    if isinstance(v, ASN1_OID):
        return "." + v.val
    if isinstance(v, ASN1_STRING):
        return f'"{v.val.decode()}"'
    assert isinstance(v, ASN1_INTEGER)
    return str(v.val)


def _tool_walk(pair: Lab, oid: str) -> list[tuple[str, str]]:
    out = pair["client"].exec(["snmpwalk", "-v2c", "-c", "public", "-On", "-Oq", "-Ot", "-Oe",
                               pair["server"].addr(), oid], check=True).stdout
    rows = [tuple(line.split(" ", 1)) for line in out.splitlines()]
    # (the end of the agent's view, endOfMibView, is printed as a line of its own)
    return [r for r in rows if not r[1].startswith("No more variables")]  # type: ignore[misc]


def test_snmpd_answers_paquet_get_and_walk(pair: Lab, snmpd: None, tmp_path: Path) -> None:
    server = pair["server"].addr()
    # a get of sysName, sysLocation and sysContact, against snmpget's
    oids = [f"{SYSTEM}.5.0", f"{SYSTEM}.6.0", f"{SYSTEM}.4.0"]
    req = SNMP(PDU=SNMPget(id=4242, varbindlist=[SNMPvarbind(oid=o) for o in oids]))
    raw = pair["client"].run(udp_ask, server, 161, bytes(req))
    rep = SNMP(raw)
    assert bytes(rep) == raw and rep.answers(req) and rep.PDU.id == 4242
    tool = pair["client"].exec(["snmpget", "-v2c", "-c", "public", "-On", "-Oq", server, *oids],
                               check=True).stdout.splitlines()
    ours = [f".{vb.oid.val} {_tool_value(vb)}" for vb in rep.PDU.varbindlist]
    assert ours == tool
    assert rep.PDU.varbindlist[1].value == b"lab room"
    # tshark on the same reply
    frame = Ether(bytes(Ether(dst=MACS[0], src=MACS[1]) / IP(src=server, dst=pair["client"].addr())
                        / UDP(sport=161, dport=40000) / rep))
    ts = _tshark_layer(frame, tmp_path, "snmp")
    assert ts["snmp.community"] == "public" and ts["snmp.version"] == "1"
    tree = next(iter(ts["snmp.data_tree"].values()))
    assert tree["snmp.request_id"] == "4242"
    names = [vb["snmp.name"] for vb in tree["snmp.variable_bindings_tree"].values()]
    assert names == [vb.oid.val for vb in rep.PDU.varbindlist]
    # a walk of the system group, against snmpwalk's (sysUpTime moves between the two)
    walked = _walk_with_paquet(pair, SYSTEM)
    theirs = _tool_walk(pair, SYSTEM)
    assert [f".{vb.oid.val}" for vb in walked] == [oid for oid, _ in theirs]
    for vb, (oid, value) in zip(walked, theirs, strict=True):
        if oid != f".{SYSTEM}.3.0":
            assert _tool_value(vb) == value, oid


def test_snmpd_answers_paquet_v1_bulk_and_set(pair: Lab, snmpd: None) -> None:
    server = pair["server"].addr()
    client = pair["client"]
    # SNMPv1 get, against snmpget -v1
    req = SNMP(version="v1", PDU=SNMPget(id=7, varbindlist=[SNMPvarbind(oid=f"{SYSTEM}.6.0")]))
    rep = SNMP(client.run(udp_ask, server, 161, bytes(req)))
    assert rep.version == 0 and rep.answers(req)
    tool = client.exec(["snmpget", "-v1", "-c", "public", "-On", "-Oq", server, f"{SYSTEM}.6.0"],
                       check=True).stdout.split()
    assert [f".{rep.PDU.varbindlist[0].oid.val}", _tool_value(rep.PDU.varbindlist[0])] == [
        tool[0], " ".join(tool[1:])]
    # getbulk (no non-repeater, 5 repetitions), against snmpbulkget
    req = SNMP(PDU=SNMPbulk(id=8, non_repeaters=0, max_repetitions=5,
                            varbindlist=[SNMPvarbind(oid=SYSTEM)]))
    rep = SNMP(client.run(udp_ask, server, 161, bytes(req)))
    assert isinstance(rep.PDU, SNMPresponse) and rep.PDU.id == 8
    out = client.exec(["snmpbulkget", "-v2c", "-c", "public", "-Cn0", "-Cr5", "-On", "-Oq", "-Ot",
                       server, SYSTEM], check=True).stdout.splitlines()
    assert [f".{vb.oid.val}" for vb in rep.PDU.varbindlist] == [line.split()[0] for line in out]
    # set sysName with the write community, then read it back with net-snmp's snmpget
    req = SNMP(community="private", PDU=SNMPset(id=9, varbindlist=[
        SNMPvarbind(oid=f"{SYSTEM}.5.0", value=ASN1_STRING(b"set-by-paquet"))]))
    rep = SNMP(client.run(udp_ask, server, 161, bytes(req)))
    assert rep.answers(req) and rep.PDU.error == 0, rep.PDU.error
    after = client.exec(["snmpget", "-v2c", "-c", "public", "-On", "-Oqv", server,
                         f"{SYSTEM}.5.0"], check=True).stdout.strip()
    assert after == '"set-by-paquet"'


def test_paquet_snmpwalk_function(pair: Lab, snmpd: None) -> None:
    """Scapy's ``snmpwalk`` (raw sockets, getnext from "1") prints the view's bindings, then
    stops at the end of the agent's MIB."""
    printed = pair["client"].run_for(120, paquet_snmpwalk, pair["server"].addr(), "1")
    lines = printed.splitlines()
    theirs = _tool_walk(pair, SYSTEM)
    assert [line.split(":")[0].strip() for line in lines] == [oid[1:] for oid, _ in theirs]
    assert any("lab room" in line for line in lines)
    # a source port drawn as 0 (1 in 65,536 requests) is never sent from: the walk is the same
    again = pair["client"].run_for(120, paquet_snmpwalk_drawing_port_0, pair["server"].addr(),
                                   "1")
    assert [line.split(":")[0] for line in again.splitlines()] == \
        [line.split(":")[0] for line in lines]


def test_paquet_snmpget_scan(pair: Lab, snmpd: None) -> None:
    """Scapy's ``snmpget`` (a scan: here of the agent's address alone): the agent's answer
    to a getnext of sysContact is sysName's binding, as snmpgetnext says."""
    printed = pair["client"].run_for(60, paquet_snmpget, f"{pair['server'].addr()}/32",
                                     f"{SYSTEM}.4.0")
    tool = pair["client"].exec(["snmpgetnext", "-v2c", "-c", "public", "-On", "-Oq",
                                pair["server"].addr(), f"{SYSTEM}.4.0"], check=True).stdout
    oid = tool.split()[0][1:]
    lines = printed.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"[{pair['server'].addr():<10}] {oid}")
