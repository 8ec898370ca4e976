"""The probing helpers' printing and parsing against Scapy's, without a network: ARPingResult's
table, pretty_list (lists in cells, cropping to the terminal), manufacturers' names,
tcpreplay's summary, the floods' positional arguments."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest

from paquet.net.arptools import ARPingResult, short_manuf
from paquet.net.fastsend import parse_tcpreplay
from paquet.net.flood import _named
from paquet.tables import pretty_list

scapy_all = pytest.importorskip("scapy.all")

# (IPv4, MAC) of hosts answering an arping: a VMware OUI, a locally administered MAC, Cisco.
HOSTS = [("192.0.2.20", "00:0c:29:aa:bb:cc"), ("192.0.2.3", "02:00:00:00:00:03"),
         ("192.0.2.100", "00:00:0c:12:34:56")]


def _printed(func: Any) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        func()
    return out.getvalue()


def _pairs(lib: Any) -> list[tuple[Any, Any]]:
    pairs = []
    for ip, mac in HOSTS:
        query = lib.Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:0a") / lib.ARP(
            pdst=ip, psrc="192.0.2.10", hwsrc="02:00:00:00:00:0a")
        answer = lib.Ether(dst="02:00:00:00:00:0a", src=mac) / lib.ARP(
            op=2, hwsrc=mac, psrc=ip, hwdst="02:00:00:00:00:0a", pdst="192.0.2.10")
        pairs.append((lib.Ether(bytes(query)), lib.Ether(bytes(answer))))
    return pairs


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.mark.usefixtures("no_terminal")
def test_arping_table_as_scapy() -> None:
    ours = _printed(ARPingResult(_pairs(__import__("paquet"))).show)
    theirs = _printed(scapy_all.ARPingResult(_pairs(scapy_all)).show)
    assert ours == theirs
    assert ours.splitlines()[0].split() == ["src", "manuf", "psrc"]
    assert [line.split()[-1] for line in ours.splitlines()[1:]] == sorted(ip for ip, _ in HOSTS)


def test_manufacturers_as_scapy() -> None:
    for mac in [m for _ip, m in HOSTS] + ["00:50:56:01:02:03", "ac:de:48:00:11:22"]:
        assert short_manuf(mac) == scapy_all.conf.manufdb._get_short_manuf(mac)


@pytest.mark.parametrize("borders", [False, True])
@pytest.mark.parametrize("columns", [None, "30", "18"])
def test_pretty_list_as_scapy(monkeypatch: pytest.MonkeyPatch, borders: bool,
                              columns: str | None) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    rows = [("eth0", "192.0.2.10", ["2001:db8::a", "fe80::1"]),
            ("lo", "127.0.0.1", []), ("br-lan-long-name", "198.51.100.254", "x")]
    header = [("iface", "ipv4", "ipv6")]
    ours = pretty_list(list(rows), list(header), sortBy=1, borders=borders)
    assert ours == scapy_all.pretty_list(list(rows), list(header), sortBy=1, borders=borders)


TCPREPLAY = """\
Actual: 24 packets (2088 bytes) sent in 0.002330 seconds
Rated: 896137.3 Bps, 7.16 Mbps, 10300.42 pps
Flows: 2 flows, 858.36 fps, 24 flow packets, 0 non-flow
Statistics for network device: veth0
\tSuccessful packets:        24
\tFailed packets:            0
\tTruncated packets:         0
\tRetried packets (ENOBUFS): 0
\tRetried packets (EAGAIN):  0
"""


def test_tcpreplay_summary_parsed_as_scapy() -> None:
    from scapy.sendrecv import _parse_tcpreplay_result

    argv = ["tcpreplay", "--intf1=veth0", "--topspeed", "/tmp/x.pcap"]
    stderr = "Warning: something\nlast line\n"
    ours = parse_tcpreplay(TCPREPLAY, stderr, argv)
    assert ours == _parse_tcpreplay_result(TCPREPLAY.encode(), stderr.encode(), argv)
    assert ours["packets"] == 24 and ours["pps"] == 10300.42


def test_flood_positional_arguments_are_scapys() -> None:
    assert _named((0.1, 3), {"timeout": 2}) == {"inter": 0.1, "maxretries": 3, "timeout": 2}
    with pytest.raises(TypeError):
        _named((0, 1, 2, 3, 4, 5), {})



FAKE_TCPREPLAY = """#!/bin/sh
# Records its arguments and the capture it was given, prints a summary; sends nothing.
echo "$@" > "$0.args"
for last; do :; done
cp "$last" "$0.pcap"
echo "Actual: 3 packets (126 bytes) sent in 0.20 seconds"
echo "Rated: 630.0 Bps, 0.005 Mbps, 15.00 pps"
"""


@pytest.mark.parametrize("options", [{"pps": 15, "count": 2}, {"mbps": 1.5, "loop": 0},
                                     {"pps": 5, "file_cache": True,
                                      "replay_args": ["--quiet"]}])
def test_sendpfast_runs_tcpreplay_as_scapy(tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
                                           options: dict[str, Any]) -> None:
    """With tcpreplay on the PATH (a stand-in here), sendpfast gives it Scapy's command line
    and the packets in a pcap, and parses its summary."""
    from paquet.layers import IP, UDP, Ether
    from paquet.net.fastsend import sendpfast

    fake = tmp_path / "tcpreplay"
    fake.write_text(FAKE_TCPREPLAY)
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    frames = [Ether(dst="02:00:00:00:00:01") / IP(dst="192.0.2.1") / UDP(dport=i)
              for i in (1, 2, 3)]
    ours = sendpfast(frames, iface="lo", parse_results=True, **options)
    our_args = (tmp_path / "tcpreplay.args").read_text().split()[:-1]  # without the file
    our_pcap = [bytes(p) for p in scapy_all.rdpcap(str(tmp_path / "tcpreplay.pcap"))]
    theirs = scapy_all.sendpfast([scapy_all.Ether(bytes(f)) for f in frames], iface="lo",
                                 parse_results=True, **options)
    their_args = (tmp_path / "tcpreplay.args").read_text().split()[:-1]
    assert our_args == their_args
    assert our_pcap == [bytes(f) for f in frames]
    assert ours is not None and theirs is not None
    assert {k: v for k, v in ours.items() if k != "command"} == \
        {k: v for k, v in theirs.items() if k != "command"}
    assert ours["packets"] == 3
