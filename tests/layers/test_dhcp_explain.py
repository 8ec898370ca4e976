"""``paquet explain`` on DHCP: the BOOTP message drawn as RFC 2131 draws it, each option with
its code, length, value and meaning (fr/en), checked against the dissection."""

from __future__ import annotations

import json

import pytest
from tests.layers.dhcp_cases import CASES, build

import paquet
from paquet.cli.main import main
from paquet.explainer import explain
from paquet.layers import Ether
from paquet.layers.dhcp import BOOTP, DHCP


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_message_explained_as_dissected(case: tuple) -> None:  # type: ignore[type-arg]
    frame = Ether(bytes(build(paquet, *case[1:])))
    for lang in ("fr", "en"):
        e = explain(frame, lang=lang)
        names = [layer.name for layer in e.layers]
        assert "BOOTP" in names
        bootp = e.layer("BOOTP")
        b = frame[BOOTP]
        assert bootp.offset == 42
        values = {f.name: f for f in bootp.fields}
        assert values["xid"].value == b.xid and values["op"].value == b.op
        assert values["yiaddr"].shown == b.yiaddr
        assert [f.bits for f in bootp.fields][:7] == [8, 8, 8, 8, 32, 16, 16]
        assert all(f.meaning for f in bootp.fields)
        if DHCP not in frame:
            assert "DHCP options" not in names
            continue
        assert bootp.length == 240 and values["options"].shown == "99.130.83.99"
        opts = e.layer("DHCP options")
        assert opts.offset == 42 + 240
        read = [o for o in frame[DHCP].options if not isinstance(o, bytes)]
        assert len(opts.fields) == len(read) + (len(read) < len(frame[DHCP].options))
        assert sum(f.bits for f in opts.fields) == 8 * len(bytes(frame[DHCP]))
        assert b"".join(f.value for f in opts.fields) == bytes(frame[DHCP])


def test_meanings_in_both_languages() -> None:
    frame = Ether(bytes(build(paquet, *CASES[3][1:])))
    fr = explain(frame, lang="fr").layer("DHCP options")
    en = explain(frame, lang="en").layer("DHCP options")
    assert fr.fields[0].meaning.startswith("type du message DHCP")
    assert en.fields[0].meaning.startswith("DHCP message type")
    assert fr.fields[0].shown == en.fields[0].shown == "message-type=2 (offer)"
    lease = next(f for f in en.fields if f.name == "lease_time")
    assert (lease.shown, lease.bits, lease.meaning) == ("lease_time=3600", 48,
                                                         "lease time in seconds")


def test_cut_option_kept_as_bytes() -> None:
    data = bytes(DHCP(options=[("message-type", 1)])) + b"\x0c\x09ab"
    frame = Ether(bytes(Ether() / paquet.IP() / paquet.UDP(sport=68, dport=67) / BOOTP()
                        / DHCP(data)))
    last = explain(frame, lang="en").layer("DHCP options").fields[-1]
    assert last.value == b"\x0c\x09ab" and "cut short" in last.meaning


def test_cli_explains_dhcp(capsys: pytest.CaptureFixture[str]) -> None:
    hexa = bytes(build(paquet, *CASES[4][1:])).hex()
    assert main(["explain", hexa, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "BOOTP (RFC 951, RFC 2131)" in out and "DHCP options (RFC 2132)" in out
    assert "requested_addr=192.0.2.100" in out
    assert main(["explain", hexa, "--lang", "fr", "--json"]) == 0
    layers = json.loads(capsys.readouterr().out)["layers"]
    assert [layer["name"] for layer in layers][-2:] == ["BOOTP", "DHCP options"]
