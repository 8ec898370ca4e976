"""DHCPv6_am (dhcp6d): the same requests given to paquet's machine and to Scapy's, with the
same server DUID, get the same answers (or none)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.layers.ipv6_family import PAQUET_NS, SCAPY_NS

import paquet
from paquet.layers import UDP, IPv6
from paquet.net.dhcp6_am import DHCPv6_am, dhcp6d

scapy_all = pytest.importorskip("scapy.all")

SERVER_MAC, CLIENT_MAC = "02:00:00:00:05:47", "02:00:00:00:05:46"
CONFIG = {"dns": "2001:db8::53, 2001:db8::54", "domain": "lab.example, example.org",
          "sntpservers": ["2001:db8::123"], "nisservers": "2001:db8::111",
          "sipdomains": "sip.example"}


def _machines() -> tuple[Any, Any]:
    ours = DHCPv6_am(duid=paquet.DUID_LL(lladdr=SERVER_MAC), iface="lo", **CONFIG)
    theirs = scapy_all.DHCPv6_am(duid=scapy_all.DUID_LL(lladdr=SERVER_MAC), iface="lo",
                                 **CONFIG)
    return ours, theirs


def _request(ns: dict[str, Any], kind: str, *opts: str) -> Any:
    client = f"DHCP6OptClientId(duid=DUID_LLT(timeval=7, lladdr='{CLIENT_MAC}'))"
    text = "/".join(("IPv6(src='fe80::1', dst='ff02::1:2')", "UDP()", kind, client, *opts))
    return eval(text, dict(ns))


SERVER_ID = f"DHCP6OptServerId(duid=DUID_LL(lladdr='{SERVER_MAC}'))"
OTHER_ID = "DHCP6OptServerId(duid=DUID_LL(lladdr='02:00:00:00:00:99'))"
ANSWERED = [
    ("DHCP6_Solicit(trid=1)",),
    ("DHCP6_Solicit(trid=2)", "DHCP6OptOptReq(reqopts=[31, 27])"),
    ("DHCP6_Solicit(trid=3)", "DHCP6OptOptReq(reqopts=[])", "DHCP6OptElapsedTime()"),
    ("DHCP6_Solicit(trid=4)", "DHCP6OptRapidCommit()"),
    ("DHCP6_Solicit(trid=5)", "DHCP6OptIA_NA(iaid=1)"),
    ("DHCP6_Solicit(trid=6)", "DHCP6OptIA_TA(iaid=1)"),
    ("DHCP6_Solicit(trid=7)", "DHCP6OptIA_PD(iaid=1)"),
    ("DHCP6(msgtype=1, trid=8)",),
    ("DHCP6_Request(trid=9)", SERVER_ID, "DHCP6OptOptReq(reqopts=[23])"),
    ("DHCP6_Request(trid=10)", SERVER_ID),
    ("DHCP6_InfoRequest(trid=11)",),
    ("DHCP6_InfoRequest(trid=12)", SERVER_ID, "DHCP6OptOptReq(reqopts=[24])"),
]
IGNORED = [
    ("DHCP6_Solicit(trid=1)", SERVER_ID),
    ("DHCP6_Request(trid=2)", OTHER_ID), ("DHCP6_Request(trid=3)",),
    ("DHCP6_Confirm(trid=4)",), ("DHCP6_Rebind(trid=5)",),
    ("DHCP6_Renew(trid=6)", SERVER_ID), ("DHCP6_Release(trid=7)", SERVER_ID),
    ("DHCP6_Decline(trid=8)", SERVER_ID, "DHCP6OptIA_NA(ianaopts=[DHCP6OptIAAddress()])"),
    ("DHCP6_InfoRequest(trid=9)", OTHER_ID), ("DHCP6_InfoRequest(trid=10)", "DHCP6OptIA_NA()"),
    ("DHCP6_Advertise(trid=11)", SERVER_ID), ("DHCP6_Reply(trid=12)", SERVER_ID),
]


def _codes(msg: Any) -> list[int]:
    """The codes of the message's options, in order."""
    out = []
    layer = msg.payload
    while layer:
        out.append(int(layer.optcode))
        layer = layer.payload
    return out


def _without_status_text(msg: Any, status_cls: type) -> bytes:
    """The message's bytes, its status text left out (Scapy's names Scapy)."""
    msg = msg.copy()
    layer = msg
    while layer:
        if isinstance(layer, status_cls):
            layer.statusmsg = b""
            layer.optlen = None
        layer = layer.payload
    return bytes(msg)


@pytest.mark.parametrize("kind", ANSWERED, ids=lambda k: " ".join(k))
def test_answers_as_scapy(kind: tuple[str, ...]) -> None:
    ours, theirs = _machines()
    req, sreq = _request(PAQUET_NS, *kind), _request(SCAPY_NS, *kind)
    assert ours.is_request(req) and theirs.is_request(sreq)
    rep, srep = ours.make_reply(req), theirs.make_reply(sreq)
    assert (rep[UDP].sport, rep[UDP].dport) == (547, 546)
    assert rep[IPv6].dst == "fe80::1"
    mine, scapys = rep[UDP].payload, srep[scapy_all.UDP].payload
    assert type(mine).__name__ == type(scapys).__name__
    assert mine.answers(req[UDP].payload) == bool(scapys.answers(sreq[scapy_all.UDP].payload))
    assert mine.answers(IPv6(bytes(req))[UDP].payload)  # (a DHCP6 dissects as its type)
    got = _without_status_text(mine, paquet.DHCP6OptStatusCode)
    want = _without_status_text(scapys, scapy_all.DHCP6OptStatusCode)
    # Scapy means to add the options asked for to an Advertise (without IA) and a Reply to a
    # Request, but its helper adds them to a copy (``answer /= opt`` on a parameter):
    # paquet's come after Scapy's bytes.
    assert got.startswith(want)
    ours_codes, scapy_codes = _codes(mine), _codes(scapys)
    assert ours_codes[:len(scapy_codes)] == scapy_codes
    added = ours_codes[len(scapy_codes):]
    if kind[0].startswith(("DHCP6_Request", "DHCP6_Solicit", "DHCP6(")) and not any(
            x in " ".join(kind) for x in ("Rapid", "IA_")):
        asked = req[paquet.DHCP6OptOptReq].reqopts if paquet.DHCP6OptOptReq in req else None
        assert added == [c for c in (23, 24, 31, 21, 27) if asked is None or c in asked]
    else:
        assert added == []
    assert not ours.is_request(IPv6(bytes(rep)))


@pytest.mark.parametrize("kind", IGNORED, ids=lambda k: " ".join(k))
def test_ignores_as_scapy(kind: tuple[str, ...]) -> None:
    ours, theirs = _machines()
    req, sreq = _request(PAQUET_NS, *kind), _request(SCAPY_NS, *kind)
    assert not ours.is_request(req) and not theirs.is_request(sreq)
    assert not ours.is_request(IPv6(bytes(req)))


def test_the_machine_replies_through_its_send_function(capsys: pytest.CaptureFixture[str],
                                                       ) -> None:
    ours, _ = _machines()
    sent: list[Any] = []
    ours.send_reply = sent.append  # type: ignore[method-assign]
    ours.verbose = True
    for kind in (("DHCP6_Solicit(trid=1)",), ("DHCP6_Confirm(trid=2)",)):
        ours.reply(IPv6(bytes(_request(PAQUET_NS, *kind))))
    assert len(sent) == 1 and sent[0][paquet.DHCP6_Advertise].trid == 1
    assert "Sent Advertise answering to Solicit from fe80::1" in capsys.readouterr().out
    assert DHCPv6_am.function_name == "dhcp6d" and callable(dhcp6d)
    assert DHCPv6_am.filter == "udp and port 546 and port 547"


def test_default_duid_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    from paquet.net.interfaces import get_if_hwaddr

    # (``iface`` given to the class is sniff's, as in Scapy: the DUID is conf.iface's)
    am = DHCPv6_am(debug=1)
    out = capsys.readouterr()
    assert isinstance(am.duid, paquet.DUID_LLT)
    assert am.duid.lladdr == get_if_hwaddr(am.iface)
    assert am.duid.timeval > 800_000_000  # seconds since 2000
    assert "Our server DUID" in out.out and "Starting DHCPv6 service" in out.out
    am.parse_options(iface="lo", duid=paquet.DUID_EN())
    assert am.src_addr is None and "Link-Local" in capsys.readouterr().err  # (lo has none)
    am.usage()
    assert "advpref" in capsys.readouterr().out
    with pytest.raises(TypeError):
        DHCPv6_am(iface="lo", dns=42)
